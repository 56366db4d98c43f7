"""Row writes for the hot path: upserts whose SQL is built once, and table columns read once.

sqlite-utils' `Table.upsert` re-reads the schema on every call (table names, columns,
primary keys: five or six queries before the one that writes), which made each stored
record cost about forty statements. These write the same rows with the same statement
sqlite-utils would run (`INSERT ... ON CONFLICT(pk) DO UPDATE SET` the given columns,
values converted by sqlite-utils' own `jsonify_if_needed`), so what is stored is the same.

Inside `batch` (one savepoint that is undone whole if anything in it fails), two more
savings: a row whose given columns already hold the given values is not written again
(`once`), and rows written with `defer` go to the file as multi-row statements at the end
of the batch, or before anything reads their table.
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


class _Batch:
    """What one `batch` block knows: column values the store holds (read by `prefetch`,
    or written in the block), values last seen under a key (`same_as_last_in_batch`),
    and the deferred rows of each table, in the order they were given."""

    __slots__ = ("known", "seen", "pending")

    def __init__(self):
        self.known: dict[tuple, dict] = {}  # (table, key) -> {column: value}
        self.seen: dict[tuple, object] = {}
        self.pending: dict[str, list[tuple]] = {}  # table -> [(names, pk, values)]


_BATCHES: "weakref.WeakKeyDictionary[sqlite_utils.Database, _Batch]" = weakref.WeakKeyDictionary()


@contextlib.contextmanager
def batch(db: sqlite_utils.Database):
    """Inside one savepoint that the caller undoes whole when the block fails (no partial
    rollbacks within it). Deferred rows are written when the block ends, still inside
    the savepoint, so a row the database refuses fails the block. What the block knew
    ends with it: nothing is remembered from one batch to the next, so neither a
    rolled-back batch nor another process writing between batches can leave it
    claiming rows that are not there (each batch reads what it needs with `prefetch`)."""
    _BATCHES[db] = _Batch()
    try:
        yield
        flush(db)
    finally:
        _BATCHES.pop(db, None)


def prefetch(db: sqlite_utils.Database, table: str, keys, pk: str = "id") -> None:
    """Inside `batch`: read the stored rows with these keys in a few statements, so that
    `upsert(..., once=True)` can leave alone those already stored as they are."""
    state = _BATCHES.get(db)
    if state is None:
        return
    todo = sorted({key for key in keys if type(key) in (int, str) and (table, key) not in state.known}, key=str)
    flush(db, table)
    for start in range(0, len(todo), _MAX_VARIABLES):
        part = todo[start:start + _MAX_VARIABLES]
        cursor = db.conn.execute(
            f'SELECT * FROM {_quote(table)} WHERE {_quote(pk)} IN ({", ".join("?" for _ in part)})', part)
        names = [d[0] for d in cursor.description]
        for found in cursor:
            row = dict(zip(names, found))
            state.known[(table, row[pk])] = row


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@lru_cache(maxsize=256)
def _upsert_sql(table: str, names: tuple[str, ...], pk: str | tuple[str, ...], count: int = 1) -> str:
    keys = (pk,) if isinstance(pk, str) else pk
    updates = ", ".join(f"{_quote(c)} = excluded.{_quote(c)}" for c in names if c not in keys)
    action = f"DO UPDATE SET {updates}" if updates else "DO NOTHING"
    one = f"({', '.join('?' for _ in names)})"
    return (f"INSERT INTO {_quote(table)} ({', '.join(_quote(c) for c in names)}) "
            f"VALUES {', '.join([one] * count)} ON CONFLICT({', '.join(_quote(k) for k in keys)}) {action}")


def upsert_rows(db: sqlite_utils.Database, table: str, rows: list[dict], pk: str | tuple[str, ...],
                names=None) -> None:
    """Insert or update `rows` in place by `pk` (a column, or a tuple of them) in one statement run over
    plain values, without sqlite-utils' per-value conversions. `names`: the columns written (default:
    the first row's); a column a row lacks is written null. Not `insert or replace`: its delete fires
    no delete trigger, and a full-text index kept by triggers (commitments_fts) would keep stale words."""
    if rows:
        names = tuple(names or rows[0])
        db.conn.executemany(_upsert_sql(table, names, pk), [[row.get(c) for c in names] for row in rows])


# Values bound in one multi-row statement: sqlite-utils' own limit (SQLite's default before 3.32).
_MAX_VARIABLES = 999


def upsert(db: sqlite_utils.Database, table: str, row: dict, pk: str = "id", once: bool = False,
           defer: bool = False) -> None:
    """Insert the row, or update the given columns of the row with its primary key.

    A column the table lacks fails as sqlite-utils' upsert (alter=False) fails: an
    OperationalError from SQLite. Inside `batch`: `once` leaves alone a row whose given
    columns already hold these values (read by `prefetch` or written earlier in the
    batch), and `defer` writes the row later (nothing may read the table meanwhile
    except through `get`, which writes the table's deferred rows first).
    """
    key = row.get(pk)
    if key is None:
        raise ValueError(f"{table} row has no {pk}")
    state = _BATCHES.get(db)
    known = None if state is None else state.known.get((table, key))
    # (Compared before conversion: a value sqlite-utils would convert, a list or a date,
    # is never the same as the text or number stored, so such a row is written.)
    if once and known is not None and known.keys() >= row.keys() and all(
            map(_same, map(known.__getitem__, row), row.values())):
        return
    names = tuple(row)
    values = [value if value is None or type(value) in _AS_THEY_ARE else jsonify_if_needed(value)
              for value in row.values()]
    if state is None:
        db.conn.execute(_upsert_sql(table, names, pk), values)
        return
    # After this upsert the row's given columns hold these values (its others are unknown
    # unless already known). Only rows that `once` may compare against need remembering.
    if known is not None:
        known.update(zip(names, values))
    elif once:
        state.known[(table, key)] = dict(zip(names, values))
    if defer:
        state.pending.setdefault(table, []).append((names, pk, values))
    else:
        flush(db, table)  # an earlier deferred row of the table is written first
        db.conn.execute(_upsert_sql(table, names, pk), values)


def _same(stored, value) -> bool:
    """Writing `value` would leave `stored` as it is: equal and of the same type (so 1
    never stands for 1.0 or True, which a column without a type would keep apart)."""
    return stored is value or (type(stored) is type(value) and stored == value)


# The common types go as they are; the rest as sqlite-utils converts them.
_AS_THEY_ARE = frozenset((str, int, float))


def flush(db: sqlite_utils.Database, table: str | None = None) -> None:
    """Write the deferred rows (of `table`, or of every table), in the order they were
    given: runs of rows with the same columns as multi-row upserts. Inside one statement
    SQLite inserts the rows one after another, so a key given twice ends as the later row
    says, as with one statement a row."""
    state = _BATCHES.get(db)
    if state is None or not state.pending:
        return
    if table is None:
        tables = list(state.pending)
    elif table in state.pending:
        tables = [table]
    else:
        return
    for name in tables:
        queue = state.pending.pop(name)
        start = 0
        while start < len(queue):
            names, pk, _ = queue[start]
            end = start + 1
            while end < len(queue) and queue[end][0] == names and queue[end][1] == pk:
                end += 1
            per_statement = max(1, _MAX_VARIABLES // len(names))
            for first in range(start, end, per_statement):
                part = queue[first:min(end, first + per_statement)]
                db.conn.execute(_upsert_sql(name, names, pk, len(part)),
                                [value for _names, _pk, values in part for value in values])
            start = end


def same_as_last_in_batch(db: sqlite_utils.Database, key: tuple, value) -> bool:
    """Inside `batch`: True when the last call in the block with this key gave this
    value, so that a write which depends only on it would change nothing now; otherwise
    remembers the value and returns False. Outside `batch` always False."""
    state = _BATCHES.get(db)
    if state is None:
        return False
    if key in state.seen and state.seen[key] == value:
        return True
    state.seen[key] = value
    return False


def get(db: sqlite_utils.Database, table: str, key, pk: str = "id") -> dict | None:
    """The row with this primary key, as a dict, or None (the table's deferred rows are
    written first)."""
    flush(db, table)
    cursor = db.execute(f'SELECT * FROM {_quote(table)} WHERE {_quote(pk)} = ?', [key])
    found = cursor.fetchone()
    return None if found is None else dict(zip([d[0] for d in cursor.description], found))
