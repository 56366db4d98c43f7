import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from scrapy.http import Request, TextResponse

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
SHARED = ROOT.parent / "shared"


def pytest_addoption(parser):
    parser.addoption("--run-slow", action="store_true",
                     help="also run the tests marked slow (whole real months: minutes, not seconds)")


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: minutes, not seconds; skipped unless --run-slow or -m slow")


def pytest_collection_modifyitems(config, items):
    # `make test` stays quick: slow tests run when asked for, by option or by `-m slow`.
    if config.getoption("--run-slow") or "slow" in (config.getoption("-m") or "").replace("not slow", ""):
        return
    skip = pytest.mark.skip(reason="slow: run with --run-slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


def file_response(path: Path, url: str, **meta) -> TextResponse:
    """A saved API response as the Scrapy response a spider callback receives."""
    request = Request(url, meta=meta)
    return TextResponse(url=url, request=request, body=path.read_bytes(), encoding="utf-8")


def run_cli(*args, db: Path | None = None, check: bool = True, input: str | None = None,
            command: list | None = None, cwd: Path = ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    """The real `commitments` command in a subprocess (Scrapy's reactor starts once per process).

    This checkout's, run from it, unless `command`, `cwd` and `env` say otherwise (an installed one).
    """
    command = [sys.executable, "-m", "commitments"] if command is None else [str(c) for c in command]
    if db is not None:
        command += ["--db", str(db)]
    result = subprocess.run(command + [str(a) for a in args], capture_output=True, text=True, input=input,
                            cwd=cwd, env={**os.environ, "PYTHONPATH": str(ROOT)} if env is None else env)
    if check and result.returncode != 0:
        raise AssertionError(f"commitments {' '.join(map(str, args))} failed ({result.returncode}):\n{result.stderr[-3000:]}")
    return result


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_json(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


def wait_for_json(url: str, server: subprocess.Popen, seconds: float = 20):
    """Poll a starting server's `url` until it answers; fail with its stderr if it exits or never does."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            return get_json(url)
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                if server.poll() is None:
                    server.terminate()
                _out, err = server.communicate(timeout=10)
                raise AssertionError(f"no answer from {url} (exit {server.returncode}):\n{(err or b'')[-3000:]!r}")
            time.sleep(0.2)


@contextlib.contextmanager
def serving(db_path, *extra: str):
    """`commitments serve` on a free port, answering: yields its base address; stopped after."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "commitments", "--db", str(db_path), "serve", "--port", str(port),
                                *extra], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_json(f"{base}/-/versions.json", process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def jsonl(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def shared_file(relative: str) -> Path:
    path = SHARED / relative
    if not path.exists():
        pytest.skip(f"{path} is absent: ../shared (real recorded API material) is not beside this checkout")
    return path


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "commitments.db"


class StaticApi:
    """Serves one recorded body at one path, whatever the query (as a file server would);
    `redirects` answer a path with a 302 to another address. `host` is a loopback address
    (127.0.0.2 stands for another machine where a test needs two)."""

    def __init__(self, routes: dict[str, bytes], content_type: str = "application/octet-stream",
                 host: str = "127.0.0.1", redirects: dict[str, str] | None = None):
        self.routes = routes
        self.content_type = content_type
        self.host = host
        self.redirects = redirects or {}
        self.requests: list[str] = []

    def __enter__(self):
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                api.requests.append(self.path)
                target = api.redirects.get(self.path.split("?")[0])
                if target:
                    self.send_response(302)
                    self.send_header("Location", target)
                    self.end_headers()
                    return
                body = api.routes.get(self.path.split("?")[0])
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Type", api.content_type)
                self.end_headers()
                self.wfile.write(body or b"")

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer((self.host, 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://{self.host}:{self.httpd.server_address[1]}"
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
