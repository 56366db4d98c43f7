"""Records per second: the written questions spider (list + detail, into the store) against a
bare Scrapy spider (bench/bare_spider.py) fetching the same pages from the same local server.

    .venv/bin/python bench/crawl_speed.py [--questions 2000] [--repeats 3]

The server answers from pages made before the clock starts (list pages cut long texts as
the real API does, details whole), so it costs both crawls the same, and little. Both run
as subprocesses with the same download settings (autothrottle off, as the tests run);
process start-up is in both times.
"""

import argparse
import contextlib
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
for path in (str(ROOT), str(BENCH)):
    if path not in sys.path:
        sys.path.insert(0, path)

from commitments.demo.server import cut_for_list  # noqa: E402
from store_speed import api_values  # noqa: E402

LIST = "/api/writtenquestions/questions"
SINCE, UNTIL = "2021-01-01", "2021-12-31"
SETTINGS = {"AUTOTHROTTLE_ENABLED": "False", "CONCURRENT_REQUESTS_PER_DOMAIN": "4", "LOG_LEVEL": "WARNING",
            "ROBOTSTXT_OBEY": "True", "API_PAGE_SIZE": "100"}


class PagesServer:
    """Prepared list pages (take=100, keyed by skip) and details, on loopback."""

    def __init__(self, values: list[dict], take: int = 100):
        self.pages = {}
        for skip in range(0, len(values), take):
            results = []
            for value in values[skip:skip + take]:
                listed = dict(value)
                for name in ("questionText", "answerText", "originalAnswerText"):
                    listed[name] = cut_for_list(listed[name])
                results.append({"value": listed, "links": []})
            self.pages[skip] = json.dumps({"totalResults": len(values), "results": results}).encode()
        self.details = {str(v["id"]): json.dumps({"value": v, "links": []}).encode() for v in values}
        self.requests = 0

    def respond(self, raw: str) -> bytes | None:
        parts = urlsplit(raw)
        if parts.path == "/robots.txt":
            return b"User-agent: *\nAllow: /\n"
        if parts.path == LIST:
            skip = int(parse_qs(parts.query).get("skip", ["0"])[0])
            return self.pages.get(skip, json.dumps({"totalResults": len(self.details), "results": []}).encode())
        if parts.path.startswith(LIST + "/"):
            return self.details.get(parts.path.rsplit("/", 1)[1])
        return None

    def __enter__(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests += 1
                body = server.respond(self.path)
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body or b"")))
                self.end_headers()
                self.wfile.write(body or b"")

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def _settings() -> list[str]:
    return [arg for name, value in SETTINGS.items() for arg in ("-s", f"{name}={value}")]


def time_project(server: PagesServer, db_path: Path, project: Path = ROOT) -> tuple[float, int]:
    command = [sys.executable, "-m", "commitments", "--db", str(db_path), "crawl", "written-questions",
               "--api-url", server.url, "--since", SINCE, "--until", UNTIL, "--quiet", *_settings()]
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, cwd=project,
                            env={**os.environ, "PYTHONPATH": str(project)})
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"the project's crawl failed:\n{result.stderr[-2000:]}")
    # Read with sqlite3 itself: the measured checkout may write a schema this one does not know.
    with contextlib.closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as store:
        records = store.execute("select count(*) from written_questions").fetchone()[0]
    return elapsed, records


def time_reference(server: PagesServer, work: Path) -> tuple[float, int]:
    command = [sys.executable, "-m", "scrapy", "runspider", str(BENCH / "bare_spider.py"), "-a", f"api={server.url}",
               "-a", f"since={SINCE}", "-a", f"until={UNTIL}", *_settings()]
    env = {k: v for k, v in os.environ.items() if k != "SCRAPY_SETTINGS_MODULE"}
    start = time.perf_counter()
    # Run outside the project (no scrapy.cfg): Scrapy's defaults, no pipelines.
    result = subprocess.run(command, capture_output=True, text=True, cwd=work, env=env)
    elapsed = time.perf_counter() - start
    found = [line for line in result.stdout.splitlines() if line.startswith("BARE_RECORDS")]
    if result.returncode != 0 or not found:
        raise SystemExit(f"the bare crawl failed:\n{result.stderr[-2000:]}")
    return elapsed, int(found[0].split()[1])


def measure(questions: int = 2000, repeats: int = 3, project: Path = ROOT) -> dict:
    """`project`: the checkout whose crawl is measured (another one gives a before/after)."""
    values = api_values(questions)
    for value in values:  # all answered within the window
        value["dateAnswered"] = f"2021-{value['dateAnswered'][5:]}"
    runs = []
    with PagesServer(values) as server, tempfile.TemporaryDirectory() as tmp:
        for repeat in range(repeats):
            before = server.requests
            reference, reference_records = time_reference(server, Path(tmp))
            requests = server.requests - before
            seconds, records = time_project(server, Path(tmp, f"crawl{repeat}.db"), project)
            runs.append({"records": records, "reference_records": reference_records,
                         "project_s": round(seconds, 2), "reference_s": round(reference, 2),
                         "project_records_per_s": round(records / seconds),
                         "reference_records_per_s": round(reference_records / reference),
                         "ratio": round((records / seconds) / (reference_records / reference), 3)})
    return {"measure": "crawl", "questions": questions, "requests": requests, "runs": runs,
            "ratio": sorted(r["ratio"] for r in runs)[len(runs) // 2]}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--questions", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--project", type=Path, default=ROOT, help="the checkout whose crawl is measured")
    args = parser.parse_args()
    result = measure(args.questions, args.repeats, args.project.resolve())
    for run in result["runs"]:
        print(run)
    print(f"crawl ratio (median of {args.repeats}): {result['ratio']}")


if __name__ == "__main__":
    main()
