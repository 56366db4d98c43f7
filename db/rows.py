"""Row writes for the hot path: upserts whose SQL is built once, and table columns read once.

sqlite-utils' `Table.upsert` re-reads the schema on every call (table names, columns,
primary keys: five or six queries before the one that writes), which made each stored
record cost about forty statements. These write the same rows with the same statement
sqlite-utils would run (`INSERT ... ON CONFLICT(pk) DO UPDATE SET` the given columns,
values converted by sqlite-utils' own `jsonify_if_needed`), so what is stored is the same.
"""

import contextlib
import weakref
from functools import lru_cache

import sqlite_utils
from sqlite_utils.db import jsonify_if_needed

# Database -> {table: its columns}. The shape changes only in `ensure_db_shape`, which
# forgets what was read here.
_COLUMNS: "weakref.WeakKeyDictionary[sqlite_utils.Database, dict[str, tuple[str, ...]]]" = weakref.WeakKeyDictionary()


def columns(db: sqlite_utils.Database, table: str) -> tuple[str, ...]:
    """The table's column names, read from the file once per connection."""
    known = _COLUMNS.setdefault(db, {})
    if table not in known:
        known[table] = tuple(db[table].columns_dict)
    return known[table]


def forget_shape(db: sqlite_utils.Database) -> None:
    _COLUMNS.pop(db, None)


# Database -> {(table, key): the row last upserted}, while `remembering` is in force: the
# same member is named by many records of a batch, and one write is enough.
_WRITTEN: "weakref.WeakKeyDictionary[sqlite_utils.Database, dict]" = weakref.WeakKeyDictionary()


@contextlib.contextmanager
def remembering(db: sqlite_utils.Database):
    """Within one transaction with no partial rollbacks: `upsert(..., once=True)` skips a
    row identical to one this block already wrote. The memory ends with the block, so a
    rollback of the block cannot leave it claiming rows that are not there."""
    _WRITTEN[db] = {}
    try:
        yield
    finally:
        _WRITTEN.pop(db, None)


@lru_cache(maxsize=256)
def _upsert_sql(table: str, names: tuple[str, ...], pk: str) -> str:
    def quote(name):
        return '"' + name.replace('"', '""') + '"'
    updates = ", ".join(f"{quote(c)} = excluded.{quote(c)}" for c in names if c != pk)
    action = f"DO UPDATE SET {updates}" if updates else "DO NOTHING"
    return (f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in names)}) "
            f"VALUES ({', '.join('?' for _ in names)}) ON CONFLICT({quote(pk)}) {action}")


def upsert(db: sqlite_utils.Database, table: str, row: dict, pk: str = "id", once: bool = False) -> None:
    """Insert the row, or update the given columns of the row with its primary key.

    A column the table lacks fails as sqlite-utils' upsert (alter=False) fails: an
    OperationalError from SQLite. `once`: inside `remembering`, a row identical to the
    last one written under its key is not written again.
    """
    key = row.get(pk)
    if key is None:
        raise ValueError(f"{table} row has no {pk}")
    written = _WRITTEN.get(db)
    if written is not None:
        if once:
            if written.get((table, key)) == row:
                return
            written[(table, key)] = dict(row)
        else:  # only rows written with `once` are remembered; this one may differ from them now
            written.pop((table, key), None)
    # The connection's own execute: sqlite-utils' adds only its tracer, unused here.
    db.conn.execute(_upsert_sql(table, tuple(row), pk),
                    [value if value is None or type(value) in _AS_THEY_ARE else jsonify_if_needed(value)
                     for value in row.values()])


# The common types go as they are; the rest as sqlite-utils converts them.
_AS_THEY_ARE = frozenset((str, int, float))


def same_as_last_in_batch(db: sqlite_utils.Database, key: tuple, value) -> bool:
    """Inside `remembering`: True when the last call in the block with this key gave this
    value, so that a write which depends only on it would change nothing now; otherwise
    remembers the value and returns False. Outside `remembering` always False."""
    written = _WRITTEN.get(db)
    if written is None:
        return False
    if key in written and written[key] == value:
        return True
    written[key] = value
    return False


def get(db: sqlite_utils.Database, table: str, key, pk: str = "id") -> dict | None:
    """The row with this primary key, as a dict, or None."""
    cursor = db.execute(f'SELECT * FROM "{table}" WHERE "{pk}" = ?', [key])
    found = cursor.fetchone()
    return None if found is None else dict(zip([d[0] for d in cursor.description], found))
