"""Searches a big store can afford: a Datasette plugin (`commitments serve` loads this folder with
--plugins-dir, and so does a published instance; it imports nothing of ours).

Datasette's search (`?_search=`) selects `rowid in (the full-text matches)`, sorts every match by
date for one page of rows, and counts every match: on 1,000,000 documents a word in most of them is
seconds a page (bench/README.md). For the tables of SEARCHES, a search alone (no other filter, no
`_extra=count`) that matches more than COUNT_BOUND rows is served instead as:
- not counted: the page says "more than 10,000 rows" (its description, in HTML and JSON) and asks
  Datasette for no count (`_nocount`, given the value NOT_COUNTED so that a later, smaller search
  through the same form is counted again); its facets say they were skipped (commitments_facets.py);
- and, when the page is in the table's own order (newest first), its rows are found by walking the
  date index newest first until a page of matches is found, instead of fetching and sorting every
  match. Each row met is checked against the list of matches, made once (WALK_SHARE of the table or
  more matches: the walk meets a page of them within 100 / WALK_SHARE rows); when the matches are so
  many that making that list costs more than the walk (PROBE_FACTOR), each row met is looked up in
  the full-text index instead (about 100 us each on 1,000,000 documents, so only for the commonest words),
  unless the newest rows, which the walk meets first, mostly do not match: a word in most of the rows
  written so far can be missing from the newest (the 1,910 newest mentions without "strategy" made the
  walk look up 1,961 rows, 69 ms against 16 by the list), so the newest NEWEST_SAMPLE are looked up first.
  The next pages are found as Datasette finds them (every match sorted), counted and faceted no more.
A search that matches at most COUNT_BOUND rows is Datasette's own, counted and faceted; the bound
check has then counted its matches already, so on a store served immutable Datasette's count of the
same search (the same SQL, the same search) is answered with that number instead of running the
full-text match a third time (10 ms a pass when one of the words is in most documents).
The rows are the same rows in the same order (rows of one date excepted: Datasette's first page gives
them in no particular order either); only the work differs. Such a search is carried in the
address as `_find=` (Datasette leaves `_search=` to its own search, which cannot be bounded), so
that the next-page and facet links keep it; `_search=` in the same address replaces it.
"""

import contextvars
import functools
import math
import re
import sqlite3
from typing import NamedTuple
from urllib.parse import parse_qsl, urlencode

from datasette import hookimpl
from datasette.database import QueryInterrupted, Results
from datasette.filters import FilterArguments
from datasette.utils import escape_sqlite

# table -> the column its pages are sorted by (descending, its metadata's sort_desc) and that an index
# has to itself (db/schema.py INDEXES), for the walk.
SEARCHES = {"documents": "date", "mentions": "date"}
# A search counted in full costs its bound check, Datasette's rows (every match looked up and sorted by
# date) and, up to commitments_facets.py's SEARCH_FACET_ROWS, its facets; its count is the bound check's
# own (below). At 9,775 matches on 1,000,000 documents a page took 38 ms of CPU (bench/README.md).
COUNT_BOUND = 10_000
# Walked when at least this share of the table matches (at most 10,000 index steps a page of 100).
WALK_SHARE = 0.01
# Rows looked up one by one when the share that matches is at least sqrt(PROBE_FACTOR / rows in the
# table) (14 % of 1,000,000): making the list costs about 0.4 us a match, a look-up about 100 us, and
# the walk meets 100 / share rows (bench/README.md). The share is sampled among the SAMPLE rows written
# last (a few milliseconds; counting every match of a common word took 13); it only changes the speed.
PROBE_FACTOR = 20_000
SAMPLE = 20_000
NEWEST_SAMPLE = 16  # looked up one by one: under 2 ms on 1,000,000 documents
NOT_COUNTED = f"more-than-{COUNT_BOUND}"
FIND = "_find"
PAGE = re.compile(r"^/([^/]+)/([^/.]+)(\.json)?$")
SCOPE_KEY = "commitments.search"


class Counted(NamedTuple):
    """A search the bound check counted: Datasette's count SQL for it (spaces collapsed) and parameters."""
    database: str
    sql: str
    params: dict
    count: int


# Set by the bound check for the request it checked (a context variable: each request is a task of its own).
COUNTED: contextvars.ContextVar[Counted | None] = contextvars.ContextVar("commitments_search_counted", default=None)


def _is_filter(key: str) -> bool:
    return not key.startswith("_") or "__" in key


async def _matches(db, fts: str, search: str, limit: int, above: int = 0) -> int:
    """How many rows above rowid `above` the full-text index matches, counted up to `limit` (from its
    posting lists alone)."""
    fts = escape_sqlite(fts)
    sql = (f"select count(*) from (select rowid from {fts} where {fts} match escape_fts(:search) "
           f"and rowid > :above limit {limit})")
    return (await db.execute(sql, {"search": search, "above": above})).rows[0][0]


async def _newest_share(db, table: str, sort_column: str, fts: str, search: str) -> float:
    """The share of the NEWEST_SAMPLE newest rows (the first the walk meets) that the search matches."""
    table, fts, sort_column = escape_sqlite(table), escape_sqlite(fts), escape_sqlite(sort_column)
    sql = (f"select count(*) from (select rowid from {table} order by {sort_column} desc limit {NEWEST_SAMPLE}) "
           f"as newest where exists (select rowid from {fts} where {fts} match escape_fts(:search) "
           f"and {fts}.rowid = newest.rowid)")
    return (await db.execute(sql, {"search": search})).rows[0][0] / NEWEST_SAMPLE


async def _rewritten(datasette, scope: dict) -> dict:
    match = PAGE.match(scope.get("path", ""))
    if not match or match.group(2) not in SEARCHES:
        return scope
    args = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
    keys = [key for key, _ in args]
    if "_search" in keys:  # a new search from the form replaces the one carried as _find
        args = [(key, value) for key, value in args if key != FIND]
        keys = [key for key, _ in args]
    searches = [value for key, value in args if key in ("_search", FIND)]
    if not searches:
        return scope
    ours = [(key, value) for key, value in args if not (key == "_nocount" and value == NOT_COUNTED)]
    plain = [("_search" if key == FIND else key, value) for key, value in ours]
    # `_extra=count` asks for the count (Datasette 1.0's way; datasette-search-all's /-/search asks so, and
    # reads a missing count as no results): such a search is Datasette's own, counted.
    eligible = (len(searches) == 1 and searches[0].strip() and ("_extra", "count") not in args
                and not any(_is_filter(key) for key in keys)
                and not any(key.startswith("_search_") or key == "_where" for key in keys)
                and dict(args).get("_searchmode", "escaped") == "escaped")
    table = match.group(2)
    try:
        db = datasette.get_database(route=match.group(1))
        fts = await db.fts_table(table) if eligible else None
        if not fts:
            return _with_args(scope, plain)
        count = await _matches(db, fts, searches[0], COUNT_BOUND + 1)
        if count <= COUNT_BOUND:
            COUNTED.set(Counted(db.name, _count_sql(table, fts), {"search": searches[0]}, count))
            return _with_args(scope, plain)
        return await _found(scope, args, ours, table, db, fts, searches[0])
    except (KeyError, QueryInterrupted, sqlite3.Error):  # Datasette's own search answers, as it would
        return _with_args(scope, plain)


async def _found(scope: dict, args, ours, table: str, db, fts: str, search: str) -> dict:
    """The search's address carried as _find=, uncounted, and how its first page is walked."""
    keys = [key for key, _ in args]
    sort_column = SEARCHES[table]
    own_order = dict(args).get("_sort_desc", sort_column) == sort_column and "_sort" not in keys
    walk = None
    # Not for a next page: Datasette's cursor (`date < ? or date is null or ...`) makes SQLite gather every
    # older row before testing any, which walking cannot beat; the page is then found as Datasette finds it.
    if sort_column and own_order and "_next" not in keys:
        size = (await db.execute(f"select max(rowid) from {escape_sqlite(table)}")).rows[0][0] or 0
        sample = min(SAMPLE, size)
        share = await _matches(db, fts, search, sample, above=size - sample) / max(sample, 1)
        probe_share = math.sqrt(PROBE_FACTOR / max(size, 1))
        if share >= probe_share and await _newest_share(db, table, sort_column, fts, search) >= probe_share:
            walk = "probe"
        elif share >= WALK_SHARE:
            walk = "list"
    found = [(FIND if key == "_search" else key, value) for key, value in ours]
    if "_nocount" not in keys:
        found.append(("_nocount", NOT_COUNTED))
    scope = _with_args(scope, found)
    scope[SCOPE_KEY] = {"fts": fts, "walk": walk}
    return scope


def _count_sql(table: str, fts: str) -> str:
    """Datasette 0.65's count of a table's search (views/table.py), its spaces collapsed."""
    table, fts = escape_sqlite(table), escape_sqlite(fts)
    return (f"select count(*) from {table} where rowid in (select rowid from {fts} where {fts} match "
            f"escape_fts(:search))")


def _answering_counts(database):
    """`database.execute`, answering the count COUNTED holds without running it."""
    execute = database.execute

    @functools.wraps(execute)
    async def answered(sql, params=None, *args, **kwargs):
        counted = COUNTED.get()
        if counted is not None and counted.database == database.name and params == counted.params \
                and " ".join(sql.split()) == counted.sql:
            return Results([(counted.count,)], False, [("count(*)", None, None, None, None, None, None)])
        return await execute(sql, params, *args, **kwargs)
    return answered


@hookimpl
def startup(datasette):
    # Only a file served immutable: a live one may gain matches between the bound check and the count.
    for database in datasette.databases.values():
        if not database.is_mutable:
            database.execute = _answering_counts(database)


def _with_args(scope: dict, args: list[tuple[str, str]]) -> dict:
    return {**scope, "query_string": urlencode(args).encode("latin-1")}


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def bounded_search(scope, receive, send):
            if scope.get("type") == "http" and scope.get("method") == "GET":
                COUNTED.set(None)  # nothing counted yet for this request (in-process clients share a task)
                scope = await _rewritten(datasette, scope)
            await app(scope, receive, send)
        return bounded_search
    return wrap


@hookimpl
def filters_from_request(request, database, table, datasette):
    async def inner():
        search = request.args.get(FIND)
        if table not in SEARCHES or search is None:
            return None
        found = request.scope.get(SCOPE_KEY) or {}
        fts = found.get("fts") or await datasette.get_database(database).fts_table(table)
        if not fts:
            return None
        fts, table_sql = escape_sqlite(fts), escape_sqlite(table)
        matches = f"select rowid from {fts} where {fts} match escape_fts(:find)"
        # Neither a correlated exists nor `+rowid` (an expression, not the column) can look rows up by
        # rowid, so SQLite walks the sort's index and stops after a page.
        if found.get("walk") == "probe":
            clause = f"exists ({matches} and {fts}.rowid = {table_sql}.rowid)"
        elif found.get("walk") == "list":
            clause = f"+rowid in ({matches})"
        else:  # Datasette's own search
            clause = f"rowid in ({matches})"
        described = f'search matches "{search}" (more than {COUNT_BOUND:,} rows: not counted)'
        return FilterArguments([clause], {"find": search}, [described],
                               {"search": search, "supports_search": True})
    return inner
