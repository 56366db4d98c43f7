"""Opening the SQLite file: writers get the full shape, readers never write."""

import sqlite3
from pathlib import Path

import sqlite_utils

from db.schema import ensure_db_shape


class StoreNotFound(FileNotFoundError):
    """A read command was pointed at a database that does not exist."""


def open_db(path: str | Path) -> sqlite_utils.Database:
    """Open for writing (creating the file and its folder if needed) with its full shape."""
    path = Path(path)
    if str(path) != ":memory:":
        path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite_utils.Database(path)
    ensure_db_shape(db)
    return db


def read_db(path: str | Path) -> sqlite_utils.Database:
    """Open read-only: never creates the file, never changes it (a read-only file works too)."""
    path = Path(path)
    if not path.is_file():
        raise StoreNotFound(f"no database at {path}")
    return sqlite_utils.Database(sqlite3.connect(f"file:{path.resolve()}?mode=ro", uri=True))
