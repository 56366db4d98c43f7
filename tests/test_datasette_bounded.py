"""The documents pages on a big store (issue 14): facets read from a tally kept by triggers give the
numbers of Datasette's own column facet; a search matching more than 10,000 rows says it was not
counted, and its rows come newest first exactly as Datasette's own search gives them.

A store of 25,000 varied documents (nulls among house and body, one document in 500 without a date)
is served for real with `commitments serve` and asked over HTTP."""

import contextlib
import datetime
import json
import random
import subprocess
import sys
import urllib.parse
import urllib.request

import pytest

import db
from tests.conftest import ROOT, free_port, get_json, serving, wait_for_json

DOCUMENTS = 25_000
SOURCES = ["written_question", "written_statement", "article", "oral_evidence"]
BODIES = ["Home Office", "HM Treasury", "Cabinet Office", "Ministry of Defence", "Department for Transport", None]
HOUSES = ["Commons", "Lords", None]
FACETS = ("source", "house", "body")
MENTIONS = 11_000


def _document(i: int) -> dict:
    words = ["common"] if i % 25 else []  # 24,000: over the bound, so many that each row met is looked up
    words += ["middle"] if i % 2 == 0 else []  # 12,500: over the bound, found through the list of matches
    words += ["several"] if i % 6 == 0 else []  # 4,167: counted, too many to facet
    words += ["rare"] if i % 500 == 0 else []  # 50
    words += ["older"] if i < 23_000 else []  # 23,000, none among the newest: found through the list of matches
    day = None if i % 500 == 8 else (datetime.date(1980, 1, 1) + datetime.timedelta(days=i)).isoformat()
    pick = random.Random(i)
    source = pick.choices(SOURCES, [6, 2, 1, 1])[0]
    return {"id": f"{source}:{i}", "source": source, "source_id": str(i), "title": f"Document {i}", "date": day,
            "house": pick.choice(HOUSES), "body": pick.choice(BODIES),
            "text": " ".join(words + ["answer", f"w{i % 97}"]), "content_hash": str(i)}


def _mention(i: int) -> dict:
    document = _document(i)
    return {"id": f"m{i}", "document_id": document["id"], "source": document["source"], "date": document["date"],
            "sentence": f"We will publish the strategy {i}.", "kind": ["firm", "vague"][i % 2], "owner": document["body"],
            "reported": i % 3 == 0}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("bounded") / "store.db"
    database = db.open_db(path)
    with database.conn:
        database["documents"].insert_all(_document(i) for i in range(DOCUMENTS))
        database["mentions"].insert_all(_mention(i) for i in range(MENTIONS))
        for table in ("written_questions", "commitments", "commitment_events"):
            database[table].insert_all(_tallied_row(table, i) for i in range(3_000))
    database.close()
    return path


@contextlib.contextmanager
def served(path):
    with serving(path) as base:
        yield f"{base}/{path.stem}/documents"


@pytest.fixture(scope="module")
def documents(store):
    with served(store) as url:
        yield url


def page(url: str, **params) -> dict:
    return get_json(f"{url}.json?{urllib.parse.urlencode(params)}")


@pytest.mark.parametrize("filters", [
    {}, {"body": "Home Office"}, {"source": "written_statement", "house": "Lords"},
    {"source": "article", "house": "Commons", "body": "HM Treasury"}, {"house__exact": "Lords"},
    {"source": "no such source"}, {"_facet_size": "2"}, {"source": "article", "_facet_size": "2"},
    # not the tally's: Datasette's own facet, whose numbers these must be too
    {"house__isnull": "1"}, {"date__gt": "2000-01-01"}, {"_search": "rare"}, {"body": "Home Office", "_search": "rare"},
    # the values' links: a blank argument is dropped from them and an argument given twice kept twice
    {"source": "article", "_blank": ""}, {"house": "Lords", "_blank": "", "_size": "2"},
])
def test_the_documents_facets_give_datasettes_column_facet_numbers(documents, filters):
    # The same page with Datasette's column facets asked for too: they come as source_2, house_2, body_2.
    query = [*filters.items(), ("_size", 1), *(("_facet", column) for column in FACETS)]
    result = get_json(f"{documents}.json?{urllib.parse.urlencode(query)}")
    facets = result["facet_results"]
    for column in FACETS:
        ours, datasettes = facets[column], facets[f"{column}_2"]
        assert "skipped" not in ours
        assert ours["results"] == datasettes["results"], (column, filters)
        assert (ours["type"], ours["truncated"]) == (datasettes["type"], datasettes["truncated"])
    assert any(value["count"] for value in facets["source"]["results"]) or filters == {"source": "no such source"}


# Every other tallied table, and the views that read their table's tally: (page, filters)
TALLIED_PAGES = [
    ("mentions", {}), ("mentions", {"kind": "firm"}), ("mentions", {"owner": "Home Office", "reported": "1"}),
    ("mentions", {"sentence__contains": "strategy 1"}),  # not the tally's filter
    ("trackable_mentions", {}), ("trackable_mentions", {"owner": "HM Treasury"}),
    # a facet besides the view's grouped columns: each facet counted from the tally itself
    ("trackable_mentions", {"_facet_bounded": "person"}),
    ("written_questions", {}), ("written_questions", {"answer_is_holding": "1"}), ("written_answers", {}),
    ("written_answers", {"house": "a", "answering_body": "b"}), ("commitments", {}), ("commitments", {"status": "c"}),
    ("commitment_events", {}), ("commitment_events", {"link": "a"}),
]


@pytest.mark.parametrize("table, filters", TALLIED_PAGES)
def test_every_tallied_page_gives_datasettes_column_facet_numbers(documents, table, filters):
    from commitments import serve

    url = documents.replace("/documents", f"/{table}")
    columns = serve.facet_tallies()[table]["columns"]
    if table == "trackable_mentions":
        columns = ["owner", "kind", "source"]  # the view's facets (it has no `reported`)
    query = [*filters.items(), ("_size", 1), *(("_facet", column) for column in columns)]
    facets = get_json(f"{url}.json?{urllib.parse.urlencode(query)}")["facet_results"]
    for column in columns:
        assert facets[column]["results"] == facets[f"{column}_2"]["results"], (table, column, filters)
        assert facets[column]["truncated"] == facets[f"{column}_2"]["truncated"]
    assert any(value["count"] for column in columns for value in facets[column]["results"])


def test_the_views_pages_count_their_rows(documents):
    for view, expected in (("written_answers", 3_000),
                           ("trackable_mentions", sum(1 for i in range(MENTIONS) if _mention(i)["kind"] == "firm"))):
        assert page(documents.replace("/documents", f"/{view}"), _size=1)["filtered_table_rows_count"] == expected


def test_the_tallied_facets_are_one_query(store):
    """Each query is a trip to one of Datasette's few SQL threads, which a busy server makes wait (bench/README.md):
    the three facets read the tally in one. Datasette's own trace (trace_debug) lists the page's queries."""
    from commitments import serve

    port = free_port()
    args = serve.datasette_args(str(store), port, "127.0.0.1") + ["--setting", "trace_debug", "1"]
    process = subprocess.Popen([sys.executable, "-m", "datasette", *args], cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for_json(f"http://127.0.0.1:{port}/-/versions.json", process)
        for filters in ({}, {"body": "Home Office"}):
            result = page(f"http://127.0.0.1:{port}/{store.stem}/documents", _trace=1, _size=1, **filters)
            tally_reads = [trace for trace in result["_trace"]["traces"] if "document_facet_counts" in trace["sql"]]
            assert len(tally_reads) == 1 and len(result["facet_results"]) == 3
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_the_page_reads_the_tally_when_only_its_columns_filter(store, tmp_path):
    """A tally made wrong on purpose shows through exactly where the tally is read."""
    forged = tmp_path / "forged.db"
    forged.write_bytes(store.read_bytes())
    database = db.open_db(forged)
    with database.conn:
        database.conn.execute("""update document_facet_counts set documents = documents + 1000
            where source = 'article' and house = 'Lords' and body = 'Home Office'""")
    database.close()
    with served(forged) as url:
        def article_count(**filters):
            results = page(url, _size=1, **filters)["facet_results"]["source"]["results"]
            return next(value["count"] for value in results if value["value"] == "article")
        true = {filters: sum(1 for i in range(DOCUMENTS) if _document(i)["source"] == "article" and all(
            _document(i)[key] == value for key, value in filters)) for filters in ((), (("house", "Lords"),))}
        assert article_count() == true[()] + 1000
        assert article_count(house="Lords") == true[(("house", "Lords"),)] + 1000
        assert article_count(house__notnull="1") == sum(  # not the tally's filter: counted from the rows
            1 for i in range(DOCUMENTS) if _document(i)["source"] == "article" and _document(i)["house"] is not None)


def _tally(database, table: str) -> list:
    tally, columns = db.schema.FACET_TALLIES[table]
    return sorted(database.conn.execute(f"select {', '.join(columns)}, [{table}] from [{tally}]"), key=repr)


def _counted(database, table: str) -> list:
    columns = ", ".join(db.schema.FACET_TALLIES[table][1])
    return sorted(database.conn.execute(f"select {columns}, count(*) from [{table}] group by {columns}"), key=repr)


def _row_id(table: str, i: int):
    return i if db.schema.TABLES[table]["columns"]["id"] is int else f"{table}:{i}"


def _tallied_row(table: str, i: int) -> dict:
    """A row of `table` whose faceted columns take a few values each, nulls among them."""
    pick = random.Random(f"{table}{i}")
    row = {"id": _row_id(table, i)}
    for column in db.schema.FACET_TALLIES[table][1]:
        kind = db.schema.TABLES[table]["columns"][column]
        row[column] = pick.choice([None, 0, 1] if kind is int else [None, "a", "b", "c"])
    return row


@pytest.mark.parametrize("table", list(db.schema.FACET_TALLIES))
def test_every_tally_follows_every_write(tmp_path, table):
    database = db.open_db(tmp_path / "store.db")
    columns = db.schema.FACET_TALLIES[table][1]
    with database.conn:
        database[table].insert_all(_tallied_row(table, i) for i in range(300))
    assert _tally(database, table) == _counted(database, table) and _counted(database, table)
    pick = random.Random(table)
    with database.conn:
        for i in pick.sample(range(300), 60):  # a faceted column changed, to a value or a null
            database[table].update(_row_id(table, i), {pick.choice(columns): pick.choice([None, "b", 1])})
        for i in range(300, 310):  # new rows, one a combination never seen before
            db.rows.upsert(database, table, {**_tallied_row(table, i), columns[0]: "new"})
        database[table].update(_row_id(table, 5), {"id": _row_id(table, 5000)})  # no faceted column changed
        database.conn.execute(f"delete from [{table}] where [{columns[0]}] is null")
    assert _tally(database, table) == _counted(database, table)
    assert not any(row[-1] <= 0 for row in _tally(database, table))  # a combination no row has is gone


@pytest.mark.parametrize("table", list(db.schema.FACET_TALLIES))
def test_an_older_store_is_counted_when_migrated(tmp_path, table):
    path = tmp_path / "older.db"
    database = db.open_db(path)
    with database.conn:
        database[table].insert_all(_tallied_row(table, i) for i in range(200))
    for trigger in db.schema.FACET_COUNT_TRIGGERS[table]:
        database.conn.execute(f"drop trigger {trigger}")
    database[db.schema.FACET_TALLIES[table][0]].drop()
    database.conn.execute("pragma user_version = 5")
    database.conn.commit()
    database.close()
    migrated = db.open_db(path)
    assert _tally(migrated, table) == _counted(migrated, table) and _counted(migrated, table)


def test_a_derived_table_made_again_is_counted_again(tmp_path):
    """Tracking's tables are dropped and made again when their shape changes: their tallies with them."""
    path = tmp_path / "store.db"
    database = db.open_db(path)
    with database.conn:
        database["commitments"].insert_all(_tallied_row("commitments", i) for i in range(50))
        database["commitments"].add_column("an_old_column", str)
    database.conn.execute("pragma user_version = 5")
    database.conn.commit()
    database.close()
    migrated = db.open_db(path)
    assert migrated["commitments"].count == 0 and _tally(migrated, "commitments") == []
    with migrated.conn:
        migrated["commitments"].insert_all(_tallied_row("commitments", i) for i in range(20))
    assert _tally(migrated, "commitments") == _counted(migrated, "commitments")


def test_a_big_search_says_it_was_not_counted_and_a_small_one_is_counted(documents):
    big = page(documents, _search="common")
    assert big["filtered_table_rows_count"] is None
    assert "more than 10,000 rows: not counted" in big["human_description_en"]
    assert all("more than 2,000 rows" in big["facet_results"][column]["skipped"] for column in FACETS)
    assert not any(big["facet_results"][column]["results"] for column in FACETS)
    with urllib.request.urlopen(f"{documents}?_search=common", timeout=10) as response:
        html = response.read().decode()
    assert "more than 10,000 rows: not counted" in html and 'value="common"' in html
    assert "not counted: more than 2,000 rows match" in html
    # the note stands outside the list of values, and no count of values ("source 0") is shown beside it
    assert '<p class="facet-skipped">not counted' in html and 'class="facet-info-total"' not in html
    # counted exactly below the bound (facets too, below theirs), however the address came
    several = page(documents, _search="several")
    assert several["filtered_table_rows_count"] == 4_167 and "not counted" not in several["human_description_en"]
    assert all("skipped" in facet for facet in several["facet_results"].values())
    rare = page(documents, _search="rare", _find="common", _nocount="more-than-10000")
    assert rare["filtered_table_rows_count"] == 50 and "not counted" not in rare["human_description_en"]
    # asked for its count (as /-/search asks, which reads a missing count as no results): counted
    assert page(documents, _search="common", _extra="count", _shape="objects")["filtered_table_rows_count"] == 24_000
    # a filter besides the search: Datasette's own search, counted
    assert page(documents, _search="common", house="Lords")["filtered_table_rows_count"] == sum(
        1 for i in range(DOCUMENTS) if i % 25 and _document(i)["house"] == "Lords")


SEARCH_COUNTS = """
import asyncio, json, sys
from datasette.app import Datasette
from commitments import serve
store, mode = sys.argv[1], sys.argv[2]
ds = Datasette(immutables=[store] if mode == "immutable" else [], files=[] if mode == "immutable" else [store],
               metadata=serve.metadata_for(store), plugins_dir=str(serve.PLUGINS),
               settings={"trace_debug": True, "suggest_facets": False, "sql_time_limit_ms": 3000})
async def counts():
    await ds.invoke_startup()
    found = []
    for params in ("_search=several", "_search=several&id__not=-", "_search=rare&_next=1", "_search=common"):
        page = (await ds.client.get(f"/store/documents.json?{params}&_size=1&_trace=1")).json()
        counted = any(t["sql"].startswith("select count(*) from documents where") for t in page["_trace"]["traces"])
        found.append([page["filtered_table_rows_count"], counted])
    return found
print(json.dumps(asyncio.run(counts())))
"""


@pytest.mark.parametrize("mode", ["immutable", "mutable"])
def test_a_counted_searchs_count_is_the_bound_checks_own(store, mode):
    """Served immutable, Datasette's count of a search the bound check counted is that count, not run
    again (on a next page too); a filter besides the search leaves the count to Datasette; served
    mutable (--live), Datasette counts as it does."""
    several, filtered, rare_next, common = json.loads(subprocess.run(
        [sys.executable, "-c", SEARCH_COUNTS, str(store), mode], cwd=ROOT, capture_output=True, text=True,
        check=True).stdout)
    assert several == [4_167, mode == "mutable"] and filtered == [4_167, True]
    assert rare_next == [50, mode == "mutable"] and common == [None, False]

def _pages(url: str, params: dict, count: int) -> tuple[list[list], list[str]]:
    rows, sqls = [], []
    next_url = f"{url}.json?{urllib.parse.urlencode(params)}"
    for _ in range(count):
        result = get_json(next_url)
        rows += [row[:6] for row in result["rows"]]
        sqls.append(result["query"]["sql"])
        next_url = result["next_url"]
    return rows, sqls


@pytest.mark.parametrize("word, walk", [("common", "exists (select rowid from documents_fts"),
                                        ("middle", "+rowid in (select rowid from documents_fts"),
                                        ("older", "+rowid in (select rowid from documents_fts")])
@pytest.mark.parametrize("sort", [{}, {"_sort": "title"}, {"_sort_desc": "date"}])
def test_a_big_search_pages_the_rows_datasettes_search_gives_in_its_order(documents, word, walk, sort):
    found, sqls = _pages(documents, {"_search": word, "_size": 40, **sort}, 3)
    # `id__not` changes no row and leaves the page to Datasette's own search
    expected, own_sqls = _pages(documents, {"_search": word, "_size": 40, "id__not": "-", **sort}, 3)
    assert found == expected and len(found) == 120
    if sort.get("_sort"):
        assert all(" rowid in (select rowid from documents_fts" in sql for sql in sqls)
    else:  # the first page walks; the next ones are Datasette's own
        assert walk in sqls[0] and all(" rowid in (select rowid from documents_fts" in sql for sql in sqls[1:])
    assert all("rowid in (select rowid from documents_fts" in sql for sql in own_sqls)
    if not sort.get("_sort"):
        dates = [row[5] for row in found]
        assert None not in dates and dates == sorted(dates, reverse=True)


@pytest.mark.parametrize("word", ["common", "middle", "older"])
def test_a_big_search_pages_to_its_end_every_match_once(documents, word):
    matching = [_document(i) for i in range(DOCUMENTS) if word in _document(i)["text"].split()]
    pages = -(-len(matching) // 1000)
    found, _ = _pages(documents, {"_search": word, "_size": 1000}, pages)
    expected, _ = _pages(documents, {"_search": word, "_size": 1000, "id__not": "-"}, pages)
    assert sorted(row[0] for row in found) == sorted(document["id"] for document in matching)
    # the undated last, as in Datasette's own order (among themselves in no order: they tie)
    undated = sum(1 for document in matching if document["date"] is None)
    assert undated and all(row[5] is None for row in found[-undated:])
    assert found[:-undated] == expected[:-undated] and sorted(found[-undated:]) == sorted(expected[-undated:])


def test_a_big_search_of_mentions_is_bounded_the_same_way(documents):
    mentions = documents.replace("/documents", "/mentions")
    found = page(mentions, _search="strategy", _size=50)
    assert found["filtered_table_rows_count"] is None and "more than 10,000 rows" in found["human_description_en"]
    assert found["facet_results"] and all("skipped" in facet for facet in found["facet_results"].values())
    assert "+rowid in (select rowid from mentions_fts" in found["query"]["sql"]  # walked (a small table: by the list)
    expected = page(mentions, _search="strategy", _size=50, id__not="-")
    assert found["rows"] == expected["rows"] and expected["filtered_table_rows_count"] == MENTIONS
