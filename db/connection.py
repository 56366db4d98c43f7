"""Opening the SQLite file: writers get the full shape, readers never write.

Several processes may share one file (a crawl, an extraction, Datasette): every
connection waits up to BUSY_TIMEOUT_SECONDS (COMMITMENTS_BUSY_TIMEOUT) for another's lock, and a writer's
transactions take the write lock when they begin, so a second writer waits its
turn instead of failing half-way through a batch.
"""

import os
import sqlite3
from pathlib import Path

import sqlite_utils

from db.schema import ensure_db_shape

# Write transactions are one batch each (well under a second); a writer that waits
# longer than this is stuck behind something else, and says so.
BUSY_TIMEOUT_SECONDS = 30.0


def busy_timeout() -> float:
    """Seconds to wait for another process's lock (environment: COMMITMENTS_BUSY_TIMEOUT)."""
    return float(os.environ.get("COMMITMENTS_BUSY_TIMEOUT") or BUSY_TIMEOUT_SECONDS)


class StoreNotFound(FileNotFoundError):
    """A read command was pointed at a database that does not exist."""


class StoreBusy(sqlite3.OperationalError):
    """Another process kept the database locked for longer than BUSY_TIMEOUT_SECONDS."""


class WriterConnection(sqlite3.Connection):
    """A connection whose every transaction is a write transaction begun IMMEDIATE.

    A transaction begun DEFERRED reads first and asks for the write lock later; when
    another process wrote in between, SQLite cannot let it wait and answers "database
    is locked" at once. Taking the lock at BEGIN makes the second writer wait (up to
    the timeout) for the first one's short transaction instead. `with conn:` is one
    transaction, however deeply nested (the outermost one commits).
    """

    def __init__(self, database, *args, **kwargs):
        super().__init__(database, *args, **kwargs)
        self.path = os.path.realpath(database)
        self.isolation_level = "IMMEDIATE"  # the transactions Python begins implicitly
        self.nesting = 0

    def execute(self, sql, *args):
        # sqlite-utils begins its own transactions with a bare BEGIN.
        if isinstance(sql, str) and sql.strip().rstrip(";").upper() == "BEGIN":
            sql = "BEGIN IMMEDIATE"
        try:
            return super().execute(sql, *args)
        except sqlite3.OperationalError as exc:
            raise _busy(exc, self.path) from exc

    def __enter__(self):
        if self.nesting == 0 and not self.in_transaction:
            self.execute("BEGIN IMMEDIATE")
        self.nesting += 1
        return self

    def __exit__(self, *exc_info):
        self.nesting -= 1
        return super().__exit__(*exc_info) if self.nesting == 0 else False


def _busy(exc: sqlite3.OperationalError, path: str) -> sqlite3.OperationalError:
    """A "database is locked" error as a StoreBusy that names who has the file open."""
    if "locked" not in str(exc) or isinstance(exc, StoreBusy):
        return exc
    others = ", ".join(_processes_with_open(path)) or "unknown (no /proc to look in)"
    return StoreBusy(f"{path} stayed locked by another writer for over {busy_timeout():g} s; "
                     f"processes with it open: {others}")


def _processes_with_open(path: str) -> list[str]:
    """'pid (command line)' of every other process of ours that holds `path` open (Linux /proc)."""
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        if proc.name == str(os.getpid()):
            continue
        try:
            if any(os.readlink(fd) == path for fd in (proc / "fd").iterdir()):
                command = " ".join((proc / "cmdline").read_bytes().decode(errors="replace").replace("\0", " ").split())
                found.append(f"{proc.name} ({command[:120]})")
        except OSError:  # gone, or not ours to look at
            continue
    return found


def open_db(path: str | Path) -> sqlite_utils.Database:
    """Open for writing (creating the file and its folder if needed) with its full shape."""
    path = Path(path)
    if str(path) == ":memory:":
        db = sqlite_utils.Database(path)
        ensure_db_shape(db)
        return db
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite_utils.Database(sqlite3.connect(path, timeout=busy_timeout(), factory=WriterConnection))
    # WAL lets readers read while one process writes; it is switched on outside a transaction.
    db.enable_wal()
    # One transaction: two processes opening a new file at once do not both create its tables.
    with db.conn:
        ensure_db_shape(db)
    return db


def read_db(path: str | Path) -> sqlite_utils.Database:
    """Open read-only: never creates the file, never changes it (a read-only file works too)."""
    path = Path(path)
    if not path.is_file():
        raise StoreNotFound(f"no database at {path}")
    return sqlite_utils.Database(sqlite3.connect(f"file:{path.resolve()}?mode=ro", uri=True,
                                                 timeout=busy_timeout()))
