"""The Datasette instance: its metadata describes everything, search forgives, stored queries answer.

The demo is built once for the module and its statuses re-derived as of a fixed date, so that the
stored queries' rows do not move with the calendar; Datasette is then started for real with
`commitments serve` on a free loopback port and queried over HTTP.
"""

import asyncio
import html
import json
import os
import pathlib
import shlex
import signal
import shutil
import socket
import struct
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import zlib

import pytest
import sqlite_utils
import yaml

from common import resources
from db.schema import FOREIGN_KEYS, TABLES, VIEWS, ensure_db_shape
from extract.status import UNCLEAR_AFTER_DAYS
from tests.conftest import ROOT, free_port, get_json, run_cli, serving, wait_for_json

AS_OF = "2024-06-30"
SITE_URL = "https://example.org/tracker"
IMPRINTS, CONSULTATION = "fafa40c3532b", "3d156350f6bb"  # the demo's two 2019 stories (ids are stable)


def metadata() -> dict:
    return yaml.safe_load(resources.datasette_metadata().read_text())


def database_metadata() -> dict:
    return metadata()["databases"]["commitments"]


def schema_columns() -> dict[str, list[str]]:
    """Every table's and view's columns, as db/schema.py makes them."""
    db = sqlite_utils.Database(memory=True)
    ensure_db_shape(db)
    names = list(TABLES) + list(VIEWS)
    return {name: [c.name for c in (db[name] if name in TABLES else db.view(name)).columns] for name in names}


def test_every_table_view_and_column_is_described():
    tables = database_metadata()["tables"]
    missing, stale = [], []
    for name, columns in schema_columns().items():
        described = tables.get(name, {})
        if not described.get("description"):
            missing.append(name)
        descriptions = described.get("columns", {})
        missing += [f"{name}.{c}" for c in columns if not descriptions.get(c)]
        stale += [f"{name}.{c}" for c in descriptions if c not in columns]
    stale += [name for name in tables if name not in TABLES and name not in VIEWS]
    assert not missing, f"no description for {missing}"
    assert not stale, f"described but not in the schema: {stale}"


def test_tables_others_point_at_have_a_label_column_and_internal_ones_are_hidden():
    tables = database_metadata()["tables"]
    columns = schema_columns()
    targets = {other for fks in FOREIGN_KEYS.values() for _column, other, _pk in fks}
    for target in targets | {"members", "bodies", "committees"}:
        assert tables[target].get("label_column") in columns[target], target
    for facet_table in tables.values():
        for facet in facet_table.get("facets", []):
            # a column, or a column of the bounded facet (db/datasette_plugins/commitments_facets.py)
            assert isinstance(facet, str) or list(facet) == ["bounded"] and isinstance(facet["bounded"], str)
    assert all(tables[name].get("hidden") for name in ("extraction_state", "commitment_ids", "crawl_runs"))
    assert not any(t.get("searchmode") == "raw" for t in tables.values()), "raw search breaks on - and '"


def test_stored_queries_have_titles_descriptions_and_the_unclear_rule_of_status_py():
    queries = database_metadata()["queries"]
    for name, query in queries.items():
        assert query.get("title") and query.get("description") and query.get("sql"), name
    # recent_changes dates a turn to unclear by the rule status.py applies
    assert f"'+{UNCLEAR_AFTER_DAYS + 1} days'" in queries["recent_changes"]["sql"]


@pytest.fixture(scope="module")
def db_path(tmp_path_factory):
    work = tmp_path_factory.mktemp("datasette")
    db_path = work / "commitments.db"
    run_cli("demo", "--site", work / "site", db=db_path)
    run_cli("track", "--as-of", AS_OF, db=db_path)
    return db_path


@pytest.fixture(scope="module")
def server(db_path):
    with serving(db_path, "--site-url", SITE_URL + "/") as base:
        yield f"{base}/commitments"


def rows(url: str, **params) -> list[dict]:
    query = urllib.parse.urlencode({"_shape": "array", **params})
    return get_json(f"{url}?{query}")


def text(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode()


@pytest.mark.parametrize("table, words, expected", [
    ("commitments", "online-election", IMPRINTS),
    ("commitments", "regime's", "95e94addbc63"),
    ("commitments", "imprints", IMPRINTS),
    ("mentions", "online-election", IMPRINTS),
    ("mentions", "regime's detail", "95e94addbc63"),
    ("documents", "online-election material", None),
])
def test_search_forgives_hyphens_and_apostrophes(server, table, words, expected):
    hits = rows(f"{server}/{table}.json", _search=words)
    assert hits, f"nothing found for {words!r} in {table}"
    if expected:
        key = "id" if table == "commitments" else "commitment_id"
        assert expected in {hit[key] for hit in hits}
    # the search narrows: it is not silently ignored
    assert len(hits) < len(rows(f"{server}/{table}.json", _size="max"))


def test_commitments_table_facets_labels_and_descriptions(server):
    page = get_json(f"{server}/commitments.json")
    assert {"status", "owner", "kind", "person"} <= set(page["facet_results"])
    statuses = {f["value"]: f["count"] for f in page["facet_results"]["status"]["results"]}
    assert statuses == {"overdue": 10, "unclear": 11, "delivered": 3, "dropped": 1}
    events = rows(f"{server}/commitment_events.json", commitment_id=IMPRINTS, _labels="on")
    assert events[0]["commitment_id"] == {"value": IMPRINTS,
                                          "label": "Implement a digital imprints regime for online election material"}
    assert isinstance(events[0]["document_id"], dict) and events[0]["document_id"]["label"]
    html = text(f"{server}/commitments")
    assert "One row per tracked commitment" in html
    # a hidden table is out of the way but still queryable
    assert "extraction_state" not in {t["name"] for t in get_json(f"{server}.json")["tables"] if not t["hidden"]}
    assert rows(f"{server}/extraction_state.json")


def test_about_page_and_licence(server):
    about = text(server.rsplit("/", 1)[0] + "/about")
    measured = resources.measured_figures()
    figures = (f"precision {measured['extraction']['precision']:.3f}", f"recall {measured['grouping']['recall']:.3f}",
               measured["date"], f"extractor {measured['extractor_version']}")
    for words in ("What counts as a commitment", "overdue", "Open Parliament Licence v3.0", *figures):
        assert words in about
    meta = get_json(server.rsplit("/", 1)[0] + "/-/metadata.json")
    assert meta["license"] == "Open Parliament Licence v3.0" and meta["license_url"].startswith("https://www.parliament.uk/")


def ids(result: list[dict]) -> list[str]:
    return [r["id"] for r in result]


def test_overdue_and_department_counts(server):
    overdue = rows(f"{server}/overdue_commitments.json")
    assert len(overdue) == 10 and {r["deadline"] for r in overdue[:2]} == {"2019-12-31"}
    assert overdue[-1]["id"] == "b53fc235e83c" and overdue[-1]["days_overdue"] == 822  # 2022-03-31 to AS_OF
    departments = {r["department"]: r for r in rows(f"{server}/commitments_by_department.json")}
    cabinet = departments["Cabinet Office"]
    assert (cabinet["commitments"], cabinet["delivered"], cabinet["overdue"], cabinet["unclear"]) == (16, 3, 6, 7)
    assert departments["Department for Digital, Culture, Media and Sport"]["dropped"] == 1


def test_a_ministers_commitments_include_those_they_restated(server):
    howe = rows(f"{server}/minister_commitments.json", person="Howe")
    assert CONSULTATION in ids(howe) and IMPRINTS in ids(howe)  # made by Chloe Smith, restated by Earl Howe
    assert all(r["mentions_by_them"] >= 1 or r["first_made_by"] == "Earl Howe" for r in howe)
    assert rows(f"{server}/minister_commitments.json", person="") == []


def test_timeline_of_one_commitment(server):
    timeline = rows(f"{server}/commitment_timeline.json", commitment_id=IMPRINTS)
    assert [e["sequence"] for e in timeline] == sorted(e["sequence"] for e in timeline)
    assert timeline[0]["event"] == "made" and timeline[-1]["event"] == "delivered"
    assert timeline[-1]["date"] == "2023-11-02" and all(e["sentence"] and e["source_url"] for e in timeline)


def test_recent_changes_and_silent_commitments(server):
    recent = rows(f"{server}/recent_changes.json", days=365)
    assert [(r["date"], r["id"], r["change"]) for r in recent] == [
        ("2023-11-02", IMPRINTS, "delivered"),
        ("2023-07-09", "5effc01700b0", "unclear"),  # last heard of 2021-07-08, unclear 731 days on
    ]
    assert all(r["atom_id"] and r["atom_title"] and r["atom_updated"] for r in recent)
    news = rows(f"{server}/recent_changes.json", days=365 * 4)
    assert ("new", "3b89f1767973") in {(r["change"], r["id"]) for r in news}  # first made 2021-03-16
    silent = rows(f"{server}/silent_commitments.json", months=36)  # quiet since before 2021-06-30
    assert len(silent) == 19 and silent[0]["id"] == "b68d8aaf75fc"
    assert not {"b53fc235e83c", "5effc01700b0", IMPRINTS, CONSULTATION} & set(ids(silent))


def test_holding_answers_deadlines_and_most_restated(server):
    holding = rows(f"{server}/holding_answers.json")
    assert [r["id"] for r in holding] == [9100005, 9100016, 9100022]
    window = rows(f"{server}/deadlines_in_window.json", start="2021-01-01", end="2021-12-31")
    assert len(window) == 5 and {r["deadline"] for r in window} == {"2021-05-31", "2021-12-31"}
    restated = rows(f"{server}/most_restated.json")
    assert ids(restated)[:2] == [IMPRINTS, CONSULTATION] and restated[0]["documents"] == 7
    assert all(r["documents"] > 1 for r in restated)


def test_every_stored_query_runs(server):
    arguments = {"person": "Smith", "commitment_id": IMPRINTS, "days": "30", "months": "12",
                 "start": "2020-01-01", "end": "2020-12-31"}
    for name, query in database_metadata()["queries"].items():
        params = {p: arguments[p] for p in query.get("params", [])}
        result = get_json(f"{server}/{name}.json?" + urllib.parse.urlencode(params))
        assert result.get("ok", True) and "rows" in result, name


def test_recent_changes_is_an_atom_feed(server):
    pytest.importorskip("datasette_atom", reason="datasette-atom is not installed")
    feedparser = pytest.importorskip("feedparser")
    feed = feedparser.parse(text(f"{server}/recent_changes.atom?days=365"))
    assert feed.version == "atom10" and not feed.bozo
    assert [e.id for e in feed.entries] == [f"commitment-{IMPRINTS}-delivered-2023-11-02",
                                            "commitment-5effc01700b0-unclear-2023-07-09"]
    assert "came into force" in feed.entries[0].summary and feed.entries[0].link.startswith("http")


def test_one_search_box_across_the_searchable_tables(server):
    pytest.importorskip("datasette_search_all", reason="datasette-search-all is not installed")
    page = text(server.rsplit("/", 1)[0] + "/-/search?q=online-election")
    for table in ("commitments", "mentions", "documents"):
        assert f"/commitments/{table}.json" in page


def test_questions_and_statements_show_names_not_member_ids(server):
    question = rows(f"{server}/written_questions.json", id=9100024, _labels="on")[0]
    assert question["asking_member_id"] == {"value": 9011, "label": "Tom Hadley"}
    assert question["answering_member_id"]["label"] == "Martin Edgeley"
    assert question["answering_body_id"]["label"] == "Cabinet Office"
    html = text(f"{server}/written_questions?id=9100024")  # the table page labels its foreign keys
    assert '<a href="/commitments/members/9011">Tom Hadley</a>' in html


def test_a_table_page_cuts_long_texts_and_the_row_page_shows_them_whole(server):
    from datasette.utils import tilde_encode

    document = max(rows(f"{server}/documents.json", _size=100, _col="text"), key=lambda row: len(row["text"]))
    assert len(document["text"]) > 500
    table_page = html.unescape(text(f"{server}/documents?" + urllib.parse.urlencode({"id": document["id"]})))
    assert document["text"][:400] + "\u2026" in table_page and document["text"][:401] not in table_page
    row_page = html.unescape(text(f"{server}/documents/{tilde_encode(document['id'])}"))
    assert document["text"] in row_page


def test_a_commitment_row_links_to_its_site_page(server):
    html = text(f"{server}/commitments/{IMPRINTS}")
    assert f'href="{SITE_URL}/commitment/{IMPRINTS}.html"' in html
    # other tables' id cells are left alone
    assert "commitment-site-page" not in text(f"{server}/mentions")


def test_chart_queries_count_every_commitment_and_the_dashboard_uses_them(server):
    by_department = rows(f"{server}/status_by_department.json")
    assert sum(r["commitments"] for r in by_department) == 25
    assert {"department": "Cabinet Office", "status": "overdue", "commitments": 6} in by_department
    per_month = rows(f"{server}/commitments_per_month.json")
    assert sum(r["commitments"] for r in per_month) == 25 and per_month[0]["month"] == "2019-07"
    assert [r["month"] for r in per_month] == sorted(r["month"] for r in per_month)
    queries = database_metadata()["queries"]
    charts = metadata()["plugins"]["datasette-dashboards"]["commitments"]["charts"]
    for chart, query in (("status-by-department", "status_by_department"), ("per-month", "commitments_per_month")):
        assert " ".join(charts[chart]["query"].split()) == " ".join(queries[query]["sql"].split())


def test_the_dashboard_page_when_the_plugin_is_installed(server):
    pytest.importorskip("datasette_dashboards", reason="datasette-dashboards is not installed")
    html = text(server.rsplit("/", 1)[0] + "/-/dashboards/commitments")
    assert "Status by department" in html and "Commitments made per month" in html


def printed(db_path, *options) -> list[str]:
    result = run_cli("serve", "--print-command", *options, db=db_path)
    return shlex.split(result.stdout.strip())


def test_the_printed_serve_command_runs_the_same_instance(db_path):
    words = printed(db_path, "serve", "--site-url", SITE_URL, "--port", str(port := free_port()))
    # Immutable, as `serve` runs it: the table counts are taken once first.
    inspect, command = words[:words.index("&&")], words[words.index("&&") + 1:]
    assert inspect[:2] == ["datasette", "inspect"] and inspect[-1] == command[command.index("--inspect-file") + 1]
    subprocess.run([sys.executable, "-m", "datasette", *inspect[1:]], cwd=ROOT, check=True, capture_output=True)
    assert command[:3] == ["datasette", "serve", "-i"] and "--plugins-dir" in command
    assert command[command.index("--setting") + 1:][:2] == ["sql_time_limit_ms", "3000"]
    process = subprocess.Popen([sys.executable, "-m", "datasette", *command[1:]], cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        plugins = {p["name"] for p in wait_for_json(f"{base}/-/plugins.json", process)}
        assert {"commitments_limits.py", "commitments_site_links.py"} <= plugins
        assert get_json(f"{base}/-/metadata.json")["plugins"]["commitments-site-links"] == {"site_url": SITE_URL}
        assert get_json(f"{base}/-/settings.json")["sql_time_limit_ms"] == 3000
        assert get_json(f"{base}/commitments.json")["tables"]  # served under the file's name
        with pytest.raises(urllib.error.HTTPError):  # the limits plugin is loaded: no zeroblob
            get_json(f"{base}/commitments.json?sql=select+zeroblob(10)")
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_an_immutable_store_is_counted_once_before_it_is_served(db_path, monkeypatch):
    """Without Datasette's inspect file every view of a table counted all its rows (1,000,000
    documents: bench/README.md); with it the counts are read from the file, made once at start."""
    import json

    from datasette import cli as datasette_cli

    from commitments import serve

    started = []
    run = datasette_cli.cli.main

    def record_serve(args, **kwargs):  # `datasette inspect` runs; the server itself is not started
        return run(args=args, **kwargs) if args[0] == "inspect" else started.append(args)

    monkeypatch.setattr(datasette_cli.cli, "main", record_serve)
    monkeypatch.chdir(ROOT)  # serve() moves into the store's folder
    serve.serve(str(db_path), free_port(), "127.0.0.1")
    args = started.pop()
    counts = json.loads(open(args[args.index("--inspect-file") + 1]).read())["commitments"]["tables"]
    database = sqlite_utils.Database(db_path)
    assert counts["documents"]["count"] == database["documents"].count > 0
    assert counts["commitments"]["count"] == database["commitments"].count > 0
    serve.serve(str(db_path), free_port(), "127.0.0.1", live=True)  # a live store changes: counted on each view
    assert "--inspect-file" not in started.pop()


def test_the_printed_package_command_is_one_datasette_accepts(db_path):
    from datasette.cli import package

    command = printed(db_path, "package", "--site-url", SITE_URL)
    assert command[:2] == ["datasette", "package"]
    context = package.make_context("package", command[2:])  # parses and checks every option, builds nothing
    params = context.params
    assert params["files"] == (str(db_path),) and params["plugins_dir"] and params["metadata"]
    assert any(pin.startswith("datasette==") for pin in params["install"])
    assert params["extra_options"] == ("--setting sql_time_limit_ms 3000 --setting suggest_facets off "
                                       "--setting default_page_size 50 --setting truncate_cells_html 400 "
                                       "--setting cache_size_kb 32000")
    assert "commitments-site-links" in params["metadata"].read()  # click opened the file it names


# -- headless Chromium: what a reader sees, at desktop and phone widths ------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
# Headless Chromium makes no window narrower than 500 px; a phone is drawn in an iframe that wide.
WIDTHS = {"desktop": 1280, "phone": 375}


def chromium(*args: str, url: str) -> subprocess.CompletedProcess:
    budget = [] if any(a.startswith("--virtual-time-budget") for a in args) else ["--virtual-time-budget=5000"]
    return subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                           "--hide-scrollbars", *budget, *args, url],
                          capture_output=True, text=not any(a.startswith("--screenshot") for a in args), timeout=90)


def png_colours(path) -> int:
    """How many distinct colours a PNG (8-bit RGB or RGBA, as Chromium writes) has in a sample of rows."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, at = {}, 8
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        chunks.setdefault(kind, b"")
        chunks[kind] += data[at + 8:at + 8 + length]
        at += 12 + length
    width, height, depth, colour_type = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    assert depth == 8 and colour_type in (2, 6)
    pixel = 3 if colour_type == 2 else 4
    raw, stride = zlib.decompress(chunks[b"IDAT"]), width * pixel + 1
    colours, previous = set(), bytearray(stride - 1)
    for y in range(height):  # undo the PNG row filters, to read real pixels
        kind, line = raw[y * stride], bytearray(raw[y * stride + 1:(y + 1) * stride])
        for i in range(len(line)):
            a = line[i - pixel] if i >= pixel else 0
            b, c = previous[i], previous[i - pixel] if i >= pixel else 0
            line[i] = (line[i] + (0, a, b, (a + b) // 2, min((a, b, c), key=lambda v: abs(a + b - c - v)))[kind]) & 255
        previous = line
        if y % 7 == 0:
            colours.update(bytes(line[i:i + 3]) for i in range(0, len(line), pixel * 5))
    return len(colours)


PAGES = {
    "home": ("/", ["Commitments Tracker", "Open Parliament Licence"]),
    "commitment row": (f"/commitments/commitments/{IMPRINTS}",
                       ["Implement a digital imprints regime for online election material", "delivered"]),
    "facet view": ("/commitments/commitments?status=overdue", ["overdue", "10 rows"]),
    "stored query": ("/commitments/overdue_commitments", ["Overdue commitments", "days_overdue"]),
}


@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium")
@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("width", WIDTHS)
def test_pages_show_their_data_in_a_browser(server, tmp_path, page, width):
    path, words = PAGES[page]
    url = server.rsplit("/", 1)[0] + path
    if WIDTHS[width] < 500:
        frame = tmp_path / "phone.html"
        frame.write_text(f'<body style="margin:0"><iframe src="{url}" style="border:0;width:{WIDTHS[width]}px;'
                         'height:900px"></iframe></body>')
        shot_url, window = frame.as_uri(), "500,900"
    else:
        shot_url, window = url, f"{WIDTHS[width]},900"
    dom = chromium("--dump-dom", f"--window-size={window}", url=url).stdout
    for word in words:
        assert word in dom, f"{word!r} not on the {page} page"
    shot = tmp_path / "shot.png"
    # Under a heavily loaded CI machine headless Chromium has captured the phone frame before the
    # iframe's page was painted (a blank shot of a page whose DOM was right); a second try with a
    # longer budget tells that apart from a page that really draws nothing.
    for budget in (5000, 20000):
        shot.unlink(missing_ok=True)
        chromium(f"--screenshot={shot}", f"--window-size={window}", f"--virtual-time-budget={budget}", url=shot_url)
        if shot.exists() and png_colours(shot) > 8:
            break
    assert shot.exists() and png_colours(shot) > 8, f"the {page} screenshot at {width} width is blank"


def test_datasette_reads_the_store_through_a_memory_map(tmp_path):
    """Each row a search page looks up is read from the map, not copied in (bench/README.md)."""
    import importlib.util
    import sqlite3

    spec = importlib.util.spec_from_file_location("limits", resources.datasette_plugins() / "commitments_limits.py")
    limits = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(limits)
    sqlite3.connect(tmp_path / "store.db").execute("create table t (x)").connection.commit()
    connection = sqlite3.connect(f"file:{tmp_path / 'store.db'}?immutable=1", uri=True)
    assert connection.execute("pragma mmap_size").fetchone()[0] == 0
    limits.prepare_connection(connection)
    assert connection.execute("pragma mmap_size").fetchone()[0] > 1 << 30


RENDER_CELL_HOOKS = """
import asyncio, sys
from datasette.app import Datasette
from datasette.plugins import pm
from commitments import serve
ds = Datasette([sys.argv[1]], metadata=serve.metadata_for(sys.argv[1], site_url=sys.argv[2] or None),
               plugins_dir=str(serve.PLUGINS))
asyncio.run(ds.invoke_startup())
print(sorted(impl.plugin_name for impl in pm.hook.render_cell.get_hookimpls()))
"""


@pytest.mark.parametrize("markdown_column, site_url, expected", [
    (None, "", []),  # no cell can be markdown, no site to link to: Datasette asks no plugin about each cell
    ("notes_markdown", "", ["render_markdown"]),  # one can: datasette-render-markdown's own hook renders it
    (None, "https://example.org/tracker", ["commitments_site_links.py"]),  # commitment ids link to the site
])
def test_plugins_are_asked_about_cells_only_where_they_can_answer(tmp_path, markdown_column, site_url, expected):
    store = tmp_path / "store.db"
    database = sqlite_utils.Database(store)
    ensure_db_shape(database)
    if markdown_column:
        database["notes"].insert({"id": 1, markdown_column: "**bold**"}, pk="id")
    database.close()
    hooks = subprocess.run([sys.executable, "-c", RENDER_CELL_HOOKS, str(store), site_url], cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout
    assert hooks.strip() == repr(expected)
    if markdown_column:
        with serving(store) as base:
            assert "<strong>bold</strong>" in text(f"{base}/store/notes")


TABLE_BODIES = """
import asyncio, json, re, sys
from datasette.app import Datasette
from commitments import serve
store, templates, paths = sys.argv[1], sys.argv[2], sys.argv[3:]
ds = Datasette([store], metadata=serve.metadata_for(store), plugins_dir=str(serve.PLUGINS), template_dir=templates)
async def bodies():
    await ds.invoke_startup()
    pages = {}
    for path in paths:
        html = (await ds.client.get(path)).text
        body = re.search(r"<tbody>(.*?)</tbody>", html, re.S)
        pages[path] = re.sub(r">\\s+<", "><", body.group(1).strip()) if body else None
    return pages
print(json.dumps(asyncio.run(bodies())))
"""


def test_table_rows_written_in_python_are_the_cells_datasettes_template_writes(db_path, tmp_path):
    """templates/datasette/_table.html and query.html write their rows with the plugin's rows_html and
    query_rows_html: every cell (links, blanks, markup a plugin made, text to escape, long text cut short)
    as Datasette 0.65's own loops have it, on table, row, stored query and SQL pages."""
    store = tmp_path / "commitments.db"
    shutil.copy(db_path, store)
    sqlite_utils.Database(store)["cells"].insert_all([
        {"id": 1, "text": "<b>Tom & Jerry's</b> \"quoted\"", "url": "https://example.org/?a=1&b=<2>", "n": 3.5,
         "blank": "", "none": None, "blob": b"\x00\x01", "long": "word " * 600},
        {"id": 2, "text": "plain", "url": None, "n": None, "blank": " ", "none": None, "blob": None, "long": "x"}],
        pk="id")
    stock = tmp_path / "stock-templates"
    shutil.copytree(resources.datasette_templates(), stock)
    for template in ("_table.html", "query.html"):
        (stock / template).unlink()  # Datasette's own serves instead
    paths = ["/commitments/cells", "/commitments/cells/1", "/commitments/commitments", "/commitments/documents",
             "/commitments/mentions?_search=imprints", "/commitments/trackable_mentions",
             f"/commitments/commitments/{IMPRINTS}", "/commitments?sql=select+*+from+cells",
             "/commitments/recent_changes?days=3650", "/commitments/minister_commitments?person=Howe"]
    bodies = {}
    for templates in (resources.datasette_templates(), stock):
        bodies[templates] = json.loads(subprocess.run(
            [sys.executable, "-c", TABLE_BODIES, str(store), str(templates), *paths], cwd=ROOT,
            capture_output=True, text=True, check=True).stdout)
    ours, datasettes = bodies[resources.datasette_templates()], bodies[stock]
    assert all(ours[path] and ours[path].count("<td") >= 4 for path in paths)
    assert ours == datasettes
    for path in ("/commitments/cells", "/commitments?sql=select+*+from+cells"):
        assert "&lt;b&gt;Tom &amp; Jerry&#39;s&lt;/b&gt;" in ours[path]


PERMISSION_CHECKS = """
import asyncio, json, sys, types
from datasette import hookimpl
from datasette.app import Datasette
from datasette.plugins import pm
from commitments import serve
store, plugin_metadata = sys.argv[1], sys.argv[2] == "yes"
@hookimpl
def get_metadata(datasette, key, database, table):
    return {}
if plugin_metadata:
    plugin = types.ModuleType("plugin_metadata")
    plugin.get_metadata = get_metadata
    pm.register(plugin)
metadata = serve.metadata_for(store)
metadata["databases"]["commitments"]["tables"]["documents"]["allow"] = False
ds = Datasette([store], metadata=metadata, plugins_dir=str(serve.PLUGINS))
async def statuses():
    await ds.invoke_startup()
    paths = ["/commitments/documents", "/commitments/mentions"] * 2
    pages = [(await ds.client.get(path)).status_code for path in paths]
    return pages, hasattr(ds._table_permission_allows, "cache_info")
print(json.dumps(asyncio.run(statuses())))
"""


@pytest.mark.parametrize("plugin_metadata, kept", [("no", True), ("yes", False)])
def test_table_permission_rules_are_kept_only_while_no_plugin_can_change_them(db_path, plugin_metadata, kept):
    """A table the metadata closes stays closed on every request, whether its rules were kept or read afresh."""
    statuses, rules_kept = json.loads(subprocess.run(
        [sys.executable, "-c", PERMISSION_CHECKS, str(db_path), plugin_metadata], cwd=ROOT, capture_output=True,
        text=True, check=True).stdout)
    assert statuses == [403, 200, 403, 200]
    assert rules_kept is kept


SCHEMA_QUESTIONS = """
import asyncio, json, sys
from datasette.app import Datasette
from commitments import serve
store, immutable = sys.argv[1], sys.argv[2] == "immutable"
ds = Datasette(immutables=[store] if immutable else [], files=[] if immutable else [store],
               metadata=serve.metadata_for(store), plugins_dir=str(serve.PLUGINS), settings={"trace_debug": True})
async def pages():
    await ds.invoke_startup()
    answers = []
    for _ in range(2):
        page = (await ds.client.get("/commitments/mentions.json?_search=imprints&_trace=1")).json()
        schema_sql = [trace["sql"] for trace in page["_trace"]["traces"]
                      if "sqlite_master" in trace["sql"] or "schema_version" in trace["sql"]]
        answers.append({"rows": page["rows"], "count": page["filtered_table_rows_count"], "schema_sql": schema_sql})
    tables = await ds.get_database("commitments").table_names()
    tables.clear()  # what a caller does with its answer does not change the next one
    answers.append(len(await ds.get_database("commitments").table_names()))
    return answers
print(json.dumps(asyncio.run(pages())))
"""


@pytest.mark.parametrize("mode", ["immutable", "mutable"])
def test_an_immutable_stores_schema_is_asked_about_once(db_path, mode):
    """Served immutable, the second page asks SQLite nothing the plugin keeps (tables, columns, keys,
    the full-text table, the schema's version) and shows what the first showed; served mutable (--live),
    every page asks again, as Datasette does."""
    first, second, tables = json.loads(subprocess.run(
        [sys.executable, "-c", SCHEMA_QUESTIONS, str(db_path), mode], cwd=ROOT, capture_output=True, text=True,
        check=True).stdout)
    assert first["rows"] and first["count"] == len(first["rows"]) and first["schema_sql"]
    assert (second["rows"], second["count"]) == (first["rows"], first["count"])
    if mode == "immutable":  # left: the spelling of the table name, looked up by each permission check
        assert all("collate nocase" in sql for sql in second["schema_sql"])
        assert len(second["schema_sql"]) < len(first["schema_sql"])
    else:
        assert any("schema_version" in sql for sql in second["schema_sql"])
    assert tables > 5

def _workers(pid: int) -> list[int]:
    """The server's worker processes (multiprocessing's spawned children; not its resource tracker)."""
    children = [int(child) for child in pathlib.Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    return [child for child in children if b"spawn_main" in pathlib.Path(f"/proc/{child}/cmdline").read_bytes()]


def test_a_workers_connections_send_at_once():
    """asyncio turns Nagle's algorithm off (TCP_NODELAY) only on the connections of a socket made for
    TCP: a worker's socket is one, or a small page written in two pieces waits 40 ms for the client's
    delayed acknowledgement."""
    from commitments import serve_workers

    listening = serve_workers.listening_socket("127.0.0.1", 0)

    async def accepted_nodelay() -> int:
        loop = asyncio.get_running_loop()
        nodelay = loop.create_future()

        class Accept(asyncio.Protocol):
            def connection_made(self, transport):
                connection = transport.get_extra_info("socket")
                nodelay.set_result(connection.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
                transport.close()

        server = await loop.create_server(Accept, sock=listening)
        _reader, writer = await asyncio.open_connection(*listening.getsockname())
        try:
            return await asyncio.wait_for(nodelay, 10)
        finally:
            writer.close()
            server.close()

    assert asyncio.run(accepted_nodelay())


def test_serve_in_several_processes_on_one_port(db_path):
    """--workers 2: two Datasette processes answer on the port; a second server is refused the port
    rather than sharing it; and when a worker dies the server stops, never serving on fewer."""
    port = free_port()
    command = [sys.executable, "-m", "commitments", "--db", str(db_path), "serve", "--port", str(port)]
    server = subprocess.Popen([*command, "--workers", "2"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for_json(f"http://127.0.0.1:{port}/-/versions.json", server)
        workers = _workers(server.pid)
        assert len(workers) == 2
        for _ in range(20):  # a new connection each: the kernel spreads them over both workers' sockets
            assert rows(f"http://127.0.0.1:{port}/commitments/commitments.json", _size=1)
        second = subprocess.run([*command, "--workers", "2"], cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert second.returncode == 1 and f"cannot listen on 127.0.0.1:{port}" in second.stderr
        os.kill(workers[0], signal.SIGKILL)
        assert server.wait(timeout=20) != 0
        assert not any(pathlib.Path(f"/proc/{worker}").exists() for worker in workers)
    finally:
        server.kill()
        server.wait(timeout=10)


def _connections_by_worker(port: int, workers: list[int], established_only: bool = True) -> list[int]:
    """How many connections to `port` each worker holds (its sockets' inodes in /proc/net/tcp): open
    ones, or with `established_only` false any not yet closed on the worker's side."""
    established = set()
    for line in pathlib.Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        state = fields[3]  # 01 established, 0A listening
        if int(fields[1].split(":")[1], 16) == port and (state == "01" if established_only else state != "0A"):
            established.add(fields[9])
    counts = []
    for worker in workers:
        inodes = {os.readlink(fd)[len("socket:["):-1] for fd in pathlib.Path(f"/proc/{worker}/fd").iterdir()
                  if os.readlink(fd).startswith("socket:[")}
        counts.append(len(inodes & established))
    return counts


def test_serve_workers_take_turns_with_connections(db_path, tmp_path):
    """Eight clients' keep-alive connections are shared 4 / 4 by two workers, twice: a connection stays with
    the worker that took it, so an uneven share leaves clients waiting on one core while the other idles
    (the kernel's own spreading gave 4 / 2 of six in most runs)."""
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as stderr:
        server = subprocess.Popen([sys.executable, "-m", "commitments", "--db", str(db_path), "serve", "--port",
                                   str(port), "--workers", "2"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=stderr)
    try:
        deadline = time.monotonic() + 60
        while log.read_text().count("Application startup complete") < 2:
            assert server.poll() is None and time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(0.2)
        workers = _workers(server.pid)
        for _ in range(2):
            clients = []
            for _ in range(8):
                client = socket.create_connection(("127.0.0.1", port), timeout=10)
                client.sendall(b"GET /-/versions.json HTTP/1.1\r\nHost: localhost\r\n\r\n")
                assert client.recv(65536).startswith(b"HTTP/1.1 200")
                clients.append(client)
            assert sorted(_connections_by_worker(port, workers)) == [4, 4]
            for client in clients:
                client.close()
            # until each worker has closed its side too, so that its count of open connections is down
            while sum(_connections_by_worker(port, workers, established_only=False)) and time.monotonic() < deadline:
                time.sleep(0.1)
    finally:
        server.terminate()
        server.wait(timeout=20)

def test_serve_workers_stop_when_the_server_is_killed(db_path):
    """Killed outright (no chance to stop its workers), the server's workers stop by themselves."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "commitments", "--db", str(db_path), "serve", "--port", str(port),
                               "--workers", "2"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for_json(f"http://127.0.0.1:{port}/-/versions.json", server)
        workers = _workers(server.pid)
    finally:
        server.kill()
        server.wait(timeout=10)
    deadline = time.monotonic() + 20
    while any(pathlib.Path(f"/proc/{worker}").exists() for worker in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(workers) == 2 and not any(pathlib.Path(f"/proc/{worker}").exists() for worker in workers)


def test_serve_runs_a_process_a_core_by_default(db_path):
    from commitments import serve_workers

    expected = serve_workers.default_workers()
    assert 1 <= expected <= serve_workers.DEFAULT_MOST
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "commitments", "--db", str(db_path), "serve", "--port", str(port)],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for_json(f"http://127.0.0.1:{port}/-/versions.json", server)
        assert len(_workers(server.pid)) == (expected if expected > 1 else 0)
    finally:
        server.terminate()
        server.wait(timeout=20)
