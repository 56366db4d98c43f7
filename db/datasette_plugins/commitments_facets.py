"""Facets a big store can afford: a Datasette plugin (`commitments serve` loads this folder with
--plugins-dir, and so does a published instance; it imports nothing of ours).

Datasette's column facet counts every row the page's filters select, once per facet: on 1,000,000
documents that is seconds a page (bench/README.md). The metadata asks for `bounded` facets instead
(`facets: [{bounded: source}, ...]`), which give the column facet's numbers for less:
- a page filtered by nothing but equality on columns of the table's tally reads the tally: how many
  rows have each combination of the faceted columns, kept by triggers (db/schema.py FACET_TALLIES). The
  plugin's configuration names them (commitments/serve.py writes it):
      plugins: {commitments-facets: {tallies: {documents: {tally: document_facet_counts,
                                                           columns: [source, house, body]}}}}
  a tally's count column is named after its table, unless `count` names it; a view of some of a
  table's rows reads the table's tally with the view's `where` clause; when `group` names the few
  columns a page facets by, their combinations are summed from the tally first, in one pass;
- a search's facets are counted together in one pass over its rows, when it matches at most
  SEARCH_FACET_ROWS; one matching more is not faceted: each facet says so ("skipped") instead of
  counting every match (as is a search commitments_search.py found to match more than its bound).
  The page's count, when Datasette made one, says which at once; without it the pass stops after
  SEARCH_FACET_ROWS + 1 rows;
- any other page runs Datasette's own column facet.
Results say `"type": "column"`: they are that facet's numbers, in its order.
"""

import re
import urllib.parse

from datasette import hookimpl
from datasette.database import QueryInterrupted
from datasette.facets import ColumnFacet
from datasette.utils import escape_sqlite, path_with_removed_args

PLUGIN = "commitments-facets"
# A search's facets count at most this many matching rows: the pass reads each match's row and groups
# them, about 2 us a match on 1,000,000 documents besides the full-text match (14 ms of a 51 ms page at
# 4,721 matches; bench/README.md).
SEARCH_FACET_ROWS = 2_000
SKIPPED = "not counted: more than {:,} rows match; narrow the search or filter to see counts"
# How Datasette's Filters writes an equality (`?source=...` or `?source__exact=...`).
EQUALITY = re.compile(r'"(\w+)" = :(p\d+)')


def tallies(datasette) -> dict[str, dict]:
    """table or view -> its tally's configuration: tally, columns, and count and where when given."""
    return (datasette.plugin_config(PLUGIN) or {}).get("tallies") or {}


def tally_where(sql: str, table: str, tallied: tuple[str, ...]) -> str | None:
    """The page's where clause when it is only equalities on the tallied columns ("" when the page is
    unfiltered); None when anything else filters it (a search, `_where`, `_next`, `__gt`...)."""
    _select, sep, rest = sql.partition(f" from {escape_sqlite(table)} ")
    if not sep or not _select.startswith("select "):
        return None
    rest = rest.strip()
    if not rest:
        return ""
    if not rest.startswith("where "):
        return None
    clauses = rest[len("where "):].split(" and ")
    for clause in clauses:
        match = EQUALITY.fullmatch(clause)
        if not match or match.group(1) not in tallied:
            return None
    return " and ".join(clauses)


def is_search(request) -> bool:
    return any(key.startswith("_search") and key != "_searchmode" for key in request.args)


def is_bounded_search(request) -> bool:
    """A search commitments_search.py found to match more than its COUNT_BOUND rows (`_find=`)."""
    return "_find" in request.args


class BoundedColumnFacet(ColumnFacet):
    type = "bounded"
    _page = None  # the page's address, parsed once (Datasette makes a facet object for each request)

    async def facet_results(self):
        tally = tallies(self.ds).get(self.table)
        if tally and not {column for column, _source in self._columns()} <= set(tally["columns"]):
            tally = None  # a facet the tally is not kept by
        where = tally_where(self.sql, self.table, tuple(tally["columns"])) if tally else None
        if where is not None:
            return await self._tallied(tally, " and ".join(filter(None, [tally.get("where"), where])))
        if is_bounded_search(self.request):
            return self._skipped(), []
        if is_search(self.request):
            return await self._search_facets()
        results, timed_out = await super().facet_results()
        return [{**result, "type": "column"} for result in results], timed_out

    def _columns(self):
        for source_and_config in self.get_configs():
            config = source_and_config["config"]
            yield config.get("column") or config["simple"], source_and_config["source"]

    def _skipped(self) -> list[dict]:
        return [self._result(column, source, False, skipped=SKIPPED.format(SEARCH_FACET_ROWS))
                for column, source in self._columns()]

    async def _search_facets(self):
        """Every facet of a search in one pass over at most SEARCH_FACET_ROWS + 1 of its rows (the column
        facet reads them all once per facet), or each skipped when there are more."""
        columns = list(self._columns())
        if not columns:
            return [], []
        # The page's count, when Datasette made one, tells at once whether the search is too big to facet.
        if self.row_count is not None and self.row_count > SEARCH_FACET_ROWS:
            return self._skipped(), []
        limit = "" if self.row_count is not None else f" limit {SEARCH_FACET_ROWS + 1}"
        facet_size = self.get_facet_size()
        names = [escape_sqlite(column) for column, _source in columns]
        per_column = " union all ".join(
            f"select {i} as facet, {name} as value, sum(n) as count from grouped where {name} is not null "
            f"group by {name}" for i, name in enumerate(names))
        # Only the faceted columns are read (not each row's text). Each facet's values ranked as the column
        # facet orders them (count desc, value), its first facet_size + 1 kept; facet -1: the rows read.
        sql = f"""with grouped as materialized (
                select {', '.join(names)}, count(*) as n
                from (select {', '.join(names)} from ({self.sql}){limit})
                group by {', '.join(names)})
            select -1 as facet, null as value, coalesce(sum(n), 0) as count, 0 as rank from grouped
            union all
            select * from (select facet, value, count, row_number() over (partition by facet order by count desc, value)
                           as rank from ({per_column})) where rank <= {facet_size + 1}
            order by facet, rank"""
        try:
            rows = (await self.ds.execute(
                self.database, sql, self.params, truncate=False,
                custom_time_limit=self.ds.setting("facet_time_limit_ms") * len(columns))).rows
        except QueryInterrupted:
            return [], [column for column, _source in columns]
        if rows[0]["count"] > SEARCH_FACET_ROWS:
            return self._skipped(), []
        results = []
        for i, (column, source) in enumerate(columns):
            values = [row for row in rows if row["facet"] == i]
            results.append(await self._filled(self._result(column, source, len(values) > facet_size),
                                              column, values[:facet_size]))
        return results, []

    async def _filled(self, result: dict, column: str, rows) -> dict:
        expanded = await self.ds.expand_foreign_keys(self.database, self.table, column, [row["value"] for row in rows])
        result["results"].extend(self._value(column, row, expanded) for row in rows)
        return result

    async def _tallied(self, config: dict, where: str):
        """Every facet's counts from the tally in one query (one trip to a SQL thread, where a busy server makes
        each trip wait), each the column facet's query (ColumnFacet.facet_results) over the tally: same groups,
        same order."""
        tally, count_column = escape_sqlite(config["tally"]), escape_sqlite(config.get("count") or self.table)
        facet_size = self.get_facet_size()
        columns = list(self._columns())
        if not columns:
            return [], []
        grouped = ""
        if {column for column, _source in columns} <= set(config.get("group") or ()):
            # Each facet from the few combinations of the grouped columns, not from every row of the tally.
            names = ", ".join(escape_sqlite(column) for column in config["group"])
            grouped = (f"with grouped as materialized (select {names}, sum({count_column}) as {count_column} "
                       f"from {tally}{' where ' + where if where else ''} group by {names}) ")
            tally, where = "grouped", ""
        per_column = " union all ".join(
            f"""select * from (select {i} as facet, {escape_sqlite(column)} as value, sum({count_column}) as count
                from {tally} where {where + ' and ' if where else ''}{escape_sqlite(column)} is not null
                group by {escape_sqlite(column)} having count > 0 order by count desc, value limit {facet_size + 1})"""
            for i, (column, _source) in enumerate(columns))
        try:
            rows = (await self.ds.execute(
                self.database, f"{grouped}select * from ({per_column}) order by facet, count desc, value", self.params,
                truncate=False, custom_time_limit=self.ds.setting("facet_time_limit_ms") * len(columns))).rows
        except QueryInterrupted:
            return [], [column for column, _source in columns]
        results = []
        for i, (column, source) in enumerate(columns):
            values = [row for row in rows if row["facet"] == i]
            results.append(await self._filled(self._result(column, source, len(values) > facet_size), column,
                                              values[:facet_size]))
        return results, []

    def _result(self, column, source, truncated, skipped=None) -> dict:
        # The shape ColumnFacet.facet_results gives, values added by the caller.
        result = {"name": column, "type": "column", "hideable": source != "metadata",
                  "toggle_url": self.ds.urls.path(path_with_removed_args(self.request, {"_facet": column})),
                  "results": [], "truncated": truncated}
        if skipped:
            result["skipped"] = skipped
        return result

    def _value(self, column, row, expanded) -> dict:
        # ColumnFacet's value, its links made as Datasette makes them (path_with_added_args,
        # path_with_removed_args, absolute_url) from the page's address parsed once a page, not once a value.
        if self._page is None:
            # (blank values: kept to tell what is selected, dropped from links, as those functions do)
            self._page = (urllib.parse.parse_qsl(self.request.query_string), set(self.get_querystring_pairs()),
                          self.ds.absolute_url(self.request, self.ds.urls.path(self.request.path)))
        pairs, pair_set, page_url = self._page
        column_qs = f"{column}__exact" if column.startswith("_") else column
        selected = (column_qs, str(row["value"])) in pair_set
        if selected:
            removed = (column_qs, str(row["value"]))
            toggle = [pair for pair in pairs if pair != removed]
        else:
            toggle = [*pairs, (column_qs, row["value"])]
        query = urllib.parse.urlencode(toggle)
        return {"value": row["value"], "label": expanded.get((column, row["value"]), row["value"]),
                "count": row["count"], "toggle_url": f"{page_url}?{query}" if query else page_url,
                "selected": selected}


@hookimpl
def register_facet_classes():
    return [BoundedColumnFacet]
