"""Opening the SQLite file: writers get the full shape, readers never write.

Several processes may share one file (a crawl, an extraction, Datasette): every
connection waits up to BUSY_TIMEOUT_SECONDS (COMMITMENTS_BUSY_TIMEOUT) for another's lock, and a writer's
transactions take the write lock when they begin, so a second writer waits its
turn instead of failing half-way through a batch.

Both look at a file before they use it: a folder, a text file or someone else's
SQLite database is refused in one line, untouched (no tables added, no WAL switch,
no -wal or -shm files beside it); a store of another schema version is named as such.
"""

import os
import random
import sqlite3
import time
from pathlib import Path
from urllib.parse import quote

import sqlite_utils

from db.schema import APPLICATION_ID, SCHEMA_VERSION, UNMARKED_STORE_TABLES, ensure_db_shape

SQLITE_HEADER = b"SQLite format 3\x00"

# Write transactions are one batch each (well under a second); a writer that waits
# longer than this is stuck behind something else, and says so.
BUSY_TIMEOUT_SECONDS = 30.0


def busy_timeout() -> float:
    """Seconds to wait for another process's lock (environment: COMMITMENTS_BUSY_TIMEOUT)."""
    return float(os.environ.get("COMMITMENTS_BUSY_TIMEOUT") or BUSY_TIMEOUT_SECONDS)


class StoreError(Exception):
    """The path cannot be used as the store; the message says why in one line."""


class StoreNotFound(StoreError, FileNotFoundError):
    """A read command was pointed at a database that does not exist (or is still empty)."""


class NotAStore(StoreError):
    """A folder, a path under a file, a file that is not SQLite, or a SQLite file that is not ours."""


class OlderStore(StoreError):
    """Our store, in an older shape: a write command (or `commitments migrate`) brings it up to date."""


class NewerStore(StoreError):
    """Our store, written by a newer version of the tracker: this one must not read or change it."""


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
        # sqlite-utils begins its own transactions with a bare BEGIN. (The length test first:
        # this runs for every statement, and upper-casing a long INSERT costs.)
        if isinstance(sql, str) and len(sql) < 64 and sql.strip().rstrip(";").upper() == "BEGIN":
            sql = "BEGIN IMMEDIATE"
        started = time.monotonic()
        try:
            return super().execute(sql, *args)
        except sqlite3.OperationalError as exc:
            raise _busy(exc, self.path, time.monotonic() - started) from exc

    def __enter__(self):
        if self.nesting == 0 and not self.in_transaction:
            self.execute("BEGIN IMMEDIATE")
        self.nesting += 1
        return self

    def __exit__(self, *exc_info):
        self.nesting -= 1
        return super().__exit__(*exc_info) if self.nesting == 0 else False


def _busy(exc: sqlite3.OperationalError, path: str, waited: float) -> sqlite3.OperationalError:
    """A "database is locked" error as a StoreBusy that names who has the file open.

    SQLite answers "locked" without waiting in a few cases (a read transaction that wants
    to write after another writer committed is one): the message says how long this
    writer really waited, so such a refusal is not mistaken for a writer holding the lock."""
    if "locked" not in str(exc) or isinstance(exc, StoreBusy):
        return exc
    others = ", ".join(_processes_with_open(path)) or (
        "none but this one (another connection of this process)" if Path("/proc/self").exists()
        else "unknown (no /proc to look in)")
    if waited < busy_timeout() * 0.9:
        return StoreBusy(f"{path} was locked by another writer and SQLite refused to wait "
                         f"({getattr(exc, 'sqlite_errorname', exc)}, after {waited:.1f} s of the {busy_timeout():g} s "
                         f"allowed); processes with it open: {others}")
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
    """Open for writing (creating the file and its folder if needed) with its full shape.

    An older store is migrated here: every write command brings the store up to date.
    """
    if str(path) == ":memory:":
        db = sqlite_utils.Database(path)
        ensure_db_shape(db)
        return db
    version = store_version(path)
    path = Path(path)
    if version is not None and version > SCHEMA_VERSION:
        raise _newer(path, version)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite_utils.Database(sqlite3.connect(path, timeout=busy_timeout(), factory=WriterConnection))
        _switch_to_wal(db)
        # One transaction: two processes opening a new file at once do not both create its tables.
        with db.conn:
            ensure_db_shape(db)
    except StoreBusy:
        raise
    except (OSError, sqlite3.OperationalError) as exc:  # a read-only file or folder
        raise StoreError(f"cannot write the store at {path}: {exc}") from None
    return db


def _switch_to_wal(db: sqlite_utils.Database) -> None:
    """WAL lets readers read while one process writes; it is switched on outside a transaction.

    Changing the journal mode needs the file to itself, and SQLite answers "locked" at once
    instead of calling the busy handler: processes opening a new store together (two crawl
    workers, a crawl and an extraction) failed there. So this waits its turn as the busy
    timeout would, a little at a time."""
    deadline = time.monotonic() + busy_timeout()
    while True:
        try:
            db.enable_wal()
            return
        except StoreBusy:
            if time.monotonic() >= deadline:
                raise
            time.sleep(random.uniform(0.01, 0.05))


def read_db(path: str | Path) -> sqlite_utils.Database:
    """Open read-only: never creates the file, never changes it (a read-only file works too)."""
    path = check_readable(path)
    conn = _connect(path, immutable=False)
    try:
        conn.execute("select 1 from sqlite_master limit 1").fetchall()
    except sqlite3.OperationalError as exc:
        # A WAL store in a folder we cannot write, with no -shm beside it: SQLite can
        # read it only as immutable, which is right while no writer has a -wal open.
        conn.close()
        if wal_in_use(path):
            raise StoreError(f"cannot read the store at {path}: {exc}") from None
        conn = _connect(path, immutable=True)
    return sqlite_utils.Database(conn)


def check_readable(path: str | Path) -> Path:
    """The path of a store that read commands can use: ours, of this schema version.

    Raises StoreNotFound, NotAStore, OlderStore or NewerStore, touching nothing.
    """
    version = store_version(path)
    path = Path(path)
    if version is None:
        raise StoreNotFound(f"no database at {path}" if not path.exists() else f"{path} is empty: no store yet")
    if version < SCHEMA_VERSION:
        raise OlderStore(f"{path} is a Commitments Tracker store of an older shape (schema {version}, this version "
                         f"reads {SCHEMA_VERSION}): run `commitments --db {path} migrate` (write commands such as "
                         "crawl and extract migrate it themselves)")
    if version > SCHEMA_VERSION:
        raise _newer(path, version)
    return path


def store_version(path: str | Path) -> int | None:
    """The schema version of the store at `path`; None when there is no file yet, or an empty one.

    Raises NotAStore (leaving the file as it was) when the path cannot be a store.
    """
    if not str(path).strip():
        raise NotAStore("no database path given (--db '' or COMMITMENTS_DB='')")
    path = Path(path)
    _check_parents(path)
    if path.is_dir():
        raise NotAStore(f"{path} is a folder, not a database file")
    if not path.exists():
        return None
    if not path.is_file():
        raise NotAStore(f"{path} is not a regular file")
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise NotAStore(f"cannot read {path}: {exc.strerror}") from None
    if not header:
        return None
    if header != SQLITE_HEADER:
        raise NotAStore(f"{path} is not a SQLite database (not a Commitments Tracker store)")
    # Looked at without locks or side files unless a writer is at work (its -wal holds
    # what the main file does not yet), so a stranger's WAL database stays as it was.
    conn = _connect(path, immutable=not wal_in_use(path))
    try:
        application_id, version = (conn.execute(f"pragma {name}").fetchone()[0]
                                   for name in ("application_id", "user_version"))
        tables = {row[0] for row in conn.execute("select name from sqlite_master where type in ('table', 'view')")}
    except sqlite3.DatabaseError as exc:
        raise NotAStore(f"{path} cannot be read as a SQLite database: {exc}") from None
    finally:
        conn.close()
    if application_id == APPLICATION_ID:
        return version
    if application_id == 0 and not tables:
        return None
    if application_id == 0 and UNMARKED_STORE_TABLES <= tables:
        return 0  # a store made before the mark existed
    shown = ", ".join(sorted(tables)[:5]) + (", ..." if len(tables) > 5 else "")
    raise NotAStore(f"{path} is a SQLite database but not a Commitments Tracker store (its tables: {shown or 'none'})")


def wal_in_use(path: Path) -> bool:
    """True when a -wal file with content lies beside the store: a writer is at work
    (or stopped without closing), and the main file alone is not the whole store."""
    wal = Path(f"{path}-wal")
    return wal.is_file() and wal.stat().st_size > 0


def _check_parents(path: Path) -> None:
    for parent in path.absolute().parents:
        if parent.exists():
            if not parent.is_dir():
                raise NotAStore(f"{path}: {parent} is a file, not a folder")
            return


def _connect(path: Path, immutable: bool) -> sqlite3.Connection:
    """A read-only connection; `immutable` also takes no locks and makes no -wal or -shm file."""
    mode = "immutable=1" if immutable else "mode=ro"
    return sqlite3.connect(f"file:{quote(str(path.resolve()))}?{mode}", uri=True, timeout=busy_timeout())


def _newer(path: Path, version: int) -> NewerStore:
    return NewerStore(f"{path} was written by a newer Commitments Tracker (schema {version}; this version knows "
                      f"{SCHEMA_VERSION}): upgrade commitments-tracker to use it")
