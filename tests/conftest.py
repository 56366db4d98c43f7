import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from scrapy.http import Request, TextResponse

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
SHARED = ROOT.parent / "shared"


def file_response(path: Path, url: str, **meta) -> TextResponse:
    """A saved API response as the Scrapy response a spider callback receives."""
    request = Request(url, meta=meta)
    return TextResponse(url=url, request=request, body=path.read_bytes(), encoding="utf-8")


def run_cli(*args, db: Path | None = None, check: bool = True, input: str | None = None) -> subprocess.CompletedProcess:
    """The real `commitments` command in a subprocess (Scrapy's reactor starts once per process)."""
    command = [sys.executable, "-m", "commitments"]
    if db is not None:
        command += ["--db", str(db)]
    result = subprocess.run(command + [str(a) for a in args], capture_output=True, text=True, input=input,
                            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    if check and result.returncode != 0:
        raise AssertionError(f"commitments {' '.join(map(str, args))} failed ({result.returncode}):\n{result.stderr[-3000:]}")
    return result


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
