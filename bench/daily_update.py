"""What a daily update costs on a big store: a crawl of K new written questions from the local
recorded API, then what `commitments extract` does (find the pending documents, extract them, then
track every mention), each in a subprocess with the measured checkout's code, timed step by step.

    .venv/bin/python bench/daily_update.py --store /tmp/bench-datasette/scale-1000000.db --new 100

The goal: requests and time grow with K, not with the store. Compare the same K on a small
store (bench/datasette_scale.py builds both with bench/scale_store.py). The store is changed:
the K records stay in it (each run uses new ids, after the ones already there).
"""

import argparse
import contextlib
import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
for path in (str(ROOT), str(BENCH)):
    if path not in sys.path:
        sys.path.insert(0, path)

from crawl_speed import PagesServer, _settings  # noqa: E402
from store_speed import api_values  # noqa: E402

DAY = "2026-11-20"
AS_OF = "2026-11-23"


def _run(command: list[str], project: Path, timeout: float | None = None) -> tuple[float, str]:
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "commitments", *command], capture_output=True, text=True,
                            cwd=project, env={**os.environ, "PYTHONPATH": str(project)}, timeout=timeout)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"commitments {' '.join(command[:3])} failed:\n{result.stderr[-2000:]}")
    return round(elapsed, 2), result.stderr.strip().splitlines()[-1] if result.stderr.strip() else ""


def _count(store: Path, sql: str) -> int:
    # sqlite3 itself: the measured checkout may write a schema version this one does not read.
    with contextlib.closing(sqlite3.connect(f"file:{store}?mode=ro", uri=True)) as connection:
        return connection.execute(sql).fetchone()[0]


def _new_values(store: Path, new: int) -> list[dict]:
    """K written questions answered on DAY, with ids no earlier run of this bench used."""
    existing = _count(store, "select count(*) from written_questions where id < 10000000")
    values = api_values(existing + new)[existing:]
    for value in values:
        for field in ("dateTabled", "dateForAnswer", "dateAnswered"):
            value[field] = f"{DAY}T00:00:00"
    return values


PENDING = """
import sys, time
import db
from common import config
from extract.runner import extractor_version
database = db.read_db(sys.argv[1])
start = time.perf_counter()
pending = sum(1 for _ in db.pending_documents(database, extractor_version(config.model_name())))
print(time.perf_counter() - start, pending)
"""

# What `commitments extract` does before tracking: the pending documents, NLP, their mentions saved.
EXTRACT = """
import sys, time
import db
from common import config
from extract.runner import extractor_version, run_extraction
import extract.runner as runner
runner.run_tracking = lambda *args, **kwargs: {}
start = time.perf_counter()
counts = run_extraction(db.open_db(sys.argv[1]), config.model_name())
print(time.perf_counter() - start, counts["documents"])
"""


def _script(script: str, store: Path, project: Path) -> tuple[float, int]:
    """(seconds, count) a script run with the checkout's own code prints."""
    result = subprocess.run([sys.executable, "-c", script, str(store)], capture_output=True, text=True, cwd=project,
                            env={**os.environ, "PYTHONPATH": str(project)})
    if result.returncode != 0:
        raise SystemExit(f"the script failed:\n{result.stderr[-2000:]}")
    seconds, count = result.stdout.split()[-2:]
    return round(float(seconds), 3), int(count)


def measure(store: Path, new: int = 100, project: Path = ROOT, track_limit_s: float = 600) -> dict:
    """Steps timed apart: the crawl and extraction as the commands run them, and tracking (which
    `commitments extract` runs last) on its own, given up after `track_limit_s`."""
    steps = {}
    values = _new_values(store, new)
    with PagesServer(values) as server:
        command = ["--db", str(store), "crawl", "written-questions", "--api-url", server.url, "--since", DAY,
                   "--until", DAY, "--quiet", *_settings()]
        steps["crawl"], _ = _run(command, project)
        requests = server.requests
    steps["pending query"], pending = _script(PENDING, store, project)
    steps["extraction without tracking"], extracted = _script(EXTRACT, store, project)
    try:
        steps["tracking"], tracked = _run(["--db", str(store), "track", "--as-of", AS_OF], project, timeout=track_limit_s)
    except subprocess.TimeoutExpired:
        steps["tracking"], tracked = f"over {track_limit_s:g}", ""
    documents = _count(store, "select count(*) from documents")
    mentions = _count(store, "select count(*) from mentions")
    return {"measure": "daily update", "store": store.name, "documents": documents, "mentions": mentions, "new": new,
            "crawl_requests": requests, "pending_after_crawl": pending, "extracted": extracted, "seconds": steps,
            "tracking": tracked}  # its summary line says whether the run was incremental or whole, and why


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--new", type=int, default=100)
    parser.add_argument("--project", type=Path, default=ROOT)
    parser.add_argument("--track-limit", type=float, default=600, help="seconds tracking may take before it is given up")
    args = parser.parse_args()
    print(json.dumps(measure(args.store, args.new, args.project.resolve(), args.track_limit), indent=1))


if __name__ == "__main__":
    main()
