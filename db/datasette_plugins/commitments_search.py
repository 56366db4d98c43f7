"""Searches a big store can afford: a Datasette plugin (`commitments serve` loads this folder with
--plugins-dir, and so does a published instance; it imports nothing of ours).

Datasette's search (`?_search=`) selects `rowid in (the full-text matches)`, sorts every match by
date for one page of rows, and counts every match: on 1,000,000 documents a word in most of them is
seconds a page (bench/README.md). For the tables of SEARCHES, a search alone (no other filter) that
matches more than COUNT_BOUND rows is served instead as:
- not counted: the page says "more than 10,000 rows" (its description, in HTML and JSON) and asks
  Datasette for no count (`_nocount`, given the value NOT_COUNTED so that a later, smaller search
  through the same form is counted again); its facets say they were skipped (commitments_facets.py);
- and, when the matches are a large share of the table (WALK_SHARE) and the page is in the table's
  own order, the page's rows are found by walking the date index newest first and asking the
  full-text index about each row, which stops after a page instead of fetching every match.
The rows are the same rows in the same order; only the work differs. Such a search is carried in the
address as `_find=` (Datasette leaves `_search=` to its own search, which cannot be bounded), so
that the next-page and facet links keep it; `_search=` in the same address replaces it.
"""

from urllib.parse import parse_qsl, urlencode
import re

from datasette import hookimpl
from datasette.filters import FilterArguments
from datasette.utils import escape_sqlite

# table -> the column its pages are sorted by (descending) and that an index leads with, for the
# walk; None: fetching every match is cheap enough there (100,000 mentions: 60 ms).
SEARCHES = {"documents": "date", "mentions": None}
COUNT_BOUND = 10_000
# Walked when at least this share of the table matches: then a page of 100 is found within about
# 2,000 index steps (each asks the full-text index about one row, 60-140 us on 1,000,000 documents).
WALK_SHARE = 0.05
NOT_COUNTED = "more-than-10000"
FIND = "_find"
PAGE = re.compile(r"^/([^/]+)/([^/.]+)(\.json)?$")
SCOPE_KEY = "commitments.search"


def _is_filter(key: str) -> bool:
    return not key.startswith("_") or "__" in key


async def _matches(db, fts: str, search: str, limit: int) -> int:
    """How many rows the full-text index matches, counted up to `limit` (its posting list only)."""
    fts = escape_sqlite(fts)
    sql = f"select count(*) from (select rowid from {fts} where {fts} match escape_fts(:search) limit {limit})"
    return (await db.execute(sql, {"search": search})).rows[0][0]


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
    eligible = (len(searches) == 1 and searches[0].strip() and not any(_is_filter(key) for key in keys)
                and not any(key.startswith("_search_") or key == "_where" for key in keys)
                and dict(args).get("_searchmode", "escaped") == "escaped")
    table = match.group(2)
    try:
        db = datasette.get_database(route=match.group(1))
        fts = await db.fts_table(table) if eligible else None
    except KeyError:
        fts = None
    if not fts:
        return _with_args(scope, plain)
    sort_column = SEARCHES[table]
    walk_from = COUNT_BOUND + 1
    if sort_column:
        size = (await db.execute(f"select max(rowid) from {escape_sqlite(table)}")).rows[0][0] or 0
        walk_from = max(walk_from, int(size * WALK_SHARE))
    matches = await _matches(db, fts, searches[0], walk_from)
    if matches <= COUNT_BOUND:
        return _with_args(scope, plain)
    own_order = dict(args).get("_sort_desc", sort_column) == sort_column and "_sort" not in keys
    found = [(FIND if key == "_search" else key, value) for key, value in ours]
    if "_nocount" not in keys:
        found.append(("_nocount", NOT_COUNTED))
    scope = _with_args(scope, found)
    scope[SCOPE_KEY] = {"fts": fts, "walk": bool(sort_column and own_order and matches >= walk_from)}
    return scope


def _with_args(scope: dict, args: list[tuple[str, str]]) -> dict:
    return {**scope, "query_string": urlencode(args).encode("latin-1")}


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def bounded_search(scope, receive, send):
            if scope.get("type") == "http" and scope.get("method") == "GET":
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
        if found.get("walk"):
            # Not usable as a look-up by rowid, so SQLite walks the sort's index and stops after a page.
            clause = (f"exists (select 1 from {fts} where {fts} match escape_fts(:find) "
                      f"and {fts}.rowid = {table_sql}.rowid)")
        else:  # Datasette's own search
            clause = f"rowid in (select rowid from {fts} where {fts} match escape_fts(:find))"
        described = f'search matches "{search}" (more than {COUNT_BOUND:,} rows: not counted)'
        return FilterArguments([clause], {"find": search}, [described],
                               {"search": search, "supports_search": True})
    return inner
