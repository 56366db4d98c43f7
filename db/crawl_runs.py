"""Bookkeeping of crawls: one `crawl_runs` row per run, so incremental runs know where to start."""

import json
import uuid

import sqlite_utils

from common.dates import now_iso


def start_run(db: sqlite_utils.Database, spider: str, params: dict) -> str:
    run_id = uuid.uuid4().hex
    with db.conn:
        db["crawl_runs"].insert({"id": run_id, "spider": spider, "started": now_iso(), "status": "running",
                                 "params": json.dumps(params, sort_keys=True)})
    return run_id


def finish_run(db: sqlite_utils.Database, run_id: str, status: str, stored: int, rejected: int) -> None:
    """`status` "finished" marks a complete run: incremental crawls start from it."""
    with db.conn:
        db["crawl_runs"].update(run_id, {"finished": now_iso(), "status": status,
                                         "items_stored": stored, "rejections": rejected})


def last_finished_run(db: sqlite_utils.Database, spider: str) -> str | None:
    """Start time (ISO) of the last crawl of `spider` that finished cleanly, or None."""
    if "crawl_runs" not in db.table_names():
        return None
    return db.execute("select max(started) from crawl_runs where spider = ? and status = 'finished'",
                      [spider]).fetchone()[0]
