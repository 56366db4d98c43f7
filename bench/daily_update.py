"""What a daily update costs on a big store: a crawl of K new written questions from the local
recorded API, then `commitments extract` (the new documents, then tracking), each as the
command-line user runs them (subprocesses), timed step by step.

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


def _run(command: list[str], project: Path) -> tuple[float, str]:
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "commitments", *command], capture_output=True, text=True,
                            cwd=project, env={**os.environ, "PYTHONPATH": str(project)})
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
pending = db.pending_documents(database, extractor_version(config.model_name()))
print(time.perf_counter() - start, len(pending))
"""


def _pending_s(store: Path, project: Path) -> tuple[float, int]:
    """How long the extractor's question "what is new?" takes on this store (the checkout's own code)."""
    result = subprocess.run([sys.executable, "-c", PENDING, str(store)], capture_output=True, text=True, cwd=project,
                            env={**os.environ, "PYTHONPATH": str(project)})
    if result.returncode != 0:
        raise SystemExit(f"the pending query failed:\n{result.stderr[-2000:]}")
    seconds, pending = result.stdout.split()
    return round(float(seconds), 3), int(pending)


def measure(store: Path, new: int = 100, project: Path = ROOT, track_first: bool = True) -> dict:
    steps = {}
    if track_first:  # steady state: the store's mentions already grouped, as after yesterday's run
        steps["track (before the day's update)"], _ = _run(["--db", str(store), "track", "--as-of", AS_OF], project)
    values = _new_values(store, new)
    with PagesServer(values) as server:
        command = ["--db", str(store), "crawl", "written-questions", "--api-url", server.url, "--since", DAY,
                   "--until", DAY, "--quiet", *_settings()]
        steps["crawl"], _ = _run(command, project)
        requests = server.requests
    steps["pending query"], pending = _pending_s(store, project)
    steps["extract (with tracking)"], said = _run(["--db", str(store), "extract", "--as-of", AS_OF], project)
    steps["track alone (again)"], _ = _run(["--db", str(store), "track", "--as-of", AS_OF], project)
    documents = _count(store, "select count(*) from documents")
    return {"measure": "daily update", "store": store.name, "documents": documents, "new": new,
            "crawl_requests": requests, "pending_after_crawl": pending, "extract_said": said, "seconds": steps}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--new", type=int, default=100)
    parser.add_argument("--project", type=Path, default=ROOT)
    parser.add_argument("--no-track-first", dest="track_first", action="store_false")
    args = parser.parse_args()
    print(json.dumps(measure(args.store, args.new, args.project.resolve(), args.track_first), indent=1))


if __name__ == "__main__":
    main()
