"""What the public Datasette may cost and show: a Datasette plugin (`commitments serve` loads this folder
with --plugins-dir, and so does a published instance).

Datasette's time limit is checked between SQLite's steps, so a single function call
that builds a huge value (`select zeroblob(2000000000)` took 2 GB) runs past it. On
every connection Datasette opens:
- the functions that only make large values out of nothing are refused;
- no string or blob may be longer than MAX_VALUE_BYTES (SQLITE_LIMIT_LENGTH), which
  bounds what printf('%.*c', n, 'x'), replace() or a doubling `||` can build;
- pragma_database_list() shows no file name: the store's place on disk is not the
  public's business (Datasette's own `PRAGMA database_list` is left alone);
- the file is read through a memory map (MMAP_BYTES): a search page on a big store looks up each
  matching row, and reading a page from the map instead of copying it in halved those lookups on
  1,000,000 documents (bench/README.md). It costs address space, not memory: the pages are the
  operating system's file cache, shared by every connection.
/-/threads, a debugging page that names the interpreter's files, is not served.
"""

import sqlite3

from datasette import hookimpl
from datasette.utils.asgi import Response

DENIED_FUNCTIONS = {"zeroblob", "randomblob"}
# Far above any value the store holds (a whole committee report's text is a few MB;
# a longer value would fail to read here), and the most one call may build: printf
# takes about a second to write this much.
MAX_VALUE_BYTES = 32 * 1024 * 1024
# SQLite lowers this to the most its build allows (2 GB for Python's); the rest of a larger file is read as before.
MMAP_BYTES = 1 << 34


def _authorize(action, arg1, arg2, _database, _trigger):
    if action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() in DENIED_FUNCTIONS:
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_READ and (arg1 or "").lower() == "pragma_database_list" and arg2 == "file":
        return sqlite3.SQLITE_IGNORE  # the column reads as null
    return sqlite3.SQLITE_OK


@hookimpl
def prepare_connection(conn):
    conn.set_authorizer(_authorize)
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    conn.execute(f"pragma mmap_size = {MMAP_BYTES}")


async def _not_served():
    return Response.text("Not found", status=404)


@hookimpl
def register_routes():
    # Plugin routes are matched before Datasette's own.
    return [(r"^/-/threads(\.json)?$", _not_served)]
