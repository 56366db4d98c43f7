"""Bookkeeping of crawls: one `crawl_runs` row per run, so incremental runs know where to start.

A run row says which process runs it (`pid` on `host`) and when it last stored a
batch (`updated`): a row left `running` by a process that was killed is found by
the next run and marked `interrupted`, ending when it last showed signs of life.
"""

import datetime as dt
import json
import os
import socket
import uuid

import sqlite_utils

from common.dates import now_iso

def start_run(db: sqlite_utils.Database, spider: str, params: dict) -> str:
    run_id = uuid.uuid4().hex
    with db.conn:
        mark_interrupted_runs(db)
        db["crawl_runs"].insert({"id": run_id, "spider": spider, "started": now_iso(), "status": "running",
                                 "params": json.dumps(params, sort_keys=True), "pid": os.getpid(),
                                 "host": socket.gethostname(), "updated": now_iso()})
    return run_id


def record_progress(db: sqlite_utils.Database, run_id: str, stored: int, rejected: int) -> None:
    """The run's counts so far and a sign of life; call it in the transaction that stored them."""
    db["crawl_runs"].update(run_id, {"items_stored": stored, "rejections": rejected, "updated": now_iso()})


def finish_run(db: sqlite_utils.Database, run_id: str, status: str, stored: int, rejected: int) -> None:
    """`status` "finished" marks a complete run: incremental crawls start from it."""
    with db.conn:
        db["crawl_runs"].update(run_id, {"finished": now_iso(), "status": status,
                                         "items_stored": stored, "rejections": rejected, "updated": now_iso()})


def mark_interrupted_runs(db: sqlite_utils.Database) -> list[dict]:
    """Mark `interrupted` every run still `running` whose process on this host is gone, ending it when
    it last stored a batch. Returns those runs. Runs of other hosts are left alone: no telling from here.
    A run with no host was left by a version from before runs named their process (a store since
    migrated): nothing of this version writes it, so it ended when it last stored a batch too."""
    if "crawl_runs" not in db.table_names():
        return []
    with db.conn:
        here = socket.gethostname()
        gone = [run for run in db["crawl_runs"].rows_where("status = 'running' and (host = ? or host is null)", [here])
                if not run.get("host") or not _process_alive(run["pid"], run["started"])]
        for run in gone:
            run["status"], run["finished"] = "interrupted", run["updated"] or run["started"]
            db["crawl_runs"].update(run["id"], {"status": run["status"], "finished": run["finished"]})
    return gone


def last_finished_run(db: sqlite_utils.Database, spider: str) -> str | None:
    """Start time (ISO) of the last crawl of `spider` that finished cleanly, or None."""
    if "crawl_runs" not in db.table_names():
        return None
    return db.execute("select max(started) from crawl_runs where spider = ? and status = 'finished'",
                      [spider]).fetchone()[0]



def _process_alive(pid, started: str) -> bool:
    """Whether the process `pid` of this host that started a run at `started` still runs.

    A pid is reused once its process is gone: a process with that pid that began after
    the run did is another one. A zombie (killed, not yet reaped) is gone.
    """
    if not pid:
        return False
    stat = f"/proc/{pid}/stat"
    if os.path.exists("/proc/stat"):
        try:
            with open(stat) as file:
                fields = file.read().rsplit(")", 1)[1].split()
        except OSError:
            return False
        if fields[0] in ("Z", "X"):
            return False
        with open("/proc/stat") as file:
            boot = next(int(line.split()[1]) for line in file if line.startswith("btime "))
        began = boot + int(fields[19]) / os.sysconf("SC_CLK_TCK")
        # Seconds are the runs' resolution; the clock's ticks may round either way.
        return began <= dt.datetime.fromisoformat(started).timestamp() + 2
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def holds_as_listed(db: sqlite_utils.Database, table: str, record_id, listed: dict, whole: dict[str, tuple],
                    cut: tuple[str, ...] = ()) -> bool:
    """Whether `table` holds record `record_id` whole and as its source lists it now: each column of
    `whole` has one of its values (a cut flag 0, a document status "ok") and the stored `raw` payload
    agrees with `listed` outside the `cut` fields, which only a detail has in full.

    A resumed crawl may skip a request its job directory remembers only for such a record.
    """
    if table not in db.table_names():
        return False
    row = next(iter(db[table].rows_where("id = ?", [record_id])), None)
    if row is None or any(row.get(column) not in values for column, values in whole.items()):
        return False
    try:
        stored = json.loads(row.get("raw") or "null")
    except ValueError:
        return False
    if not isinstance(stored, dict) or not isinstance(listed, dict):
        return False
    return ({k: v for k, v in stored.items() if k not in cut} == {k: v for k, v in listed.items() if k not in cut})
