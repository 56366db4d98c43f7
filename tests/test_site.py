"""The static progress site, rendered from a small real store filled through db/ and tracked by
run_tracking: its pages, links, feed, downloads, follow-up questions, escaping and rebuilds;
in headless Chromium (when installed) at 1280 and 390 px."""

import csv
import functools
import http.server
import json
import re
import shutil
import subprocess
import threading
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import feedparser
import pytest

from common import resources

import db
from commitments.questions import commons_addressee, follow_up_questions
from commitments.site import MANIFEST, build_site, render_site, site_files, write_site
from extract.runner import run_tracking
from tests.conftest import run_cli

AS_OF = date(2024, 6, 1)
CO = "Cabinet Office"
DATASETTE = "https://data.example.org/commitments"
XSS_TITLE = "Elections <script>document.body.setAttribute('data-pwned','title')</script>"
XSS_QUOTE = "We will publish the imprints guidance <img src=x onerror=\"document.body.setAttribute('data-pwned','quote')\">"

# (document id, source, date, house, uin, minister, department, title, sentence, url)
DOCUMENTS = [
    ("written_question:1", "written_question", "2019-11-05", "Lords", "HL401", "Earl Howe", CO, XSS_TITLE,
     XSS_QUOTE + " by the end of 2020.", "https://questions-statements.parliament.uk/written-questions/detail/HL401"),
    ("written_question:2", "written_question", "2019-07-16", "Commons", "275102", "Chloe Smith", CO,
     "Elections: Identity", "We will launch a consultation on voter identification.",
     "https://questions-statements.parliament.uk/written-questions/detail/275102"),
    ("written_statement:3", "written_statement", "2020-01-10", "Commons", "HCWS1", "Chloe Smith", CO,
     "Voter identification", "The consultation on voter identification was launched today.",
     "https://questions-statements.parliament.uk/written-statements/detail/HCWS1"),
    ("written_question:4", "written_question", "2020-02-11", "Commons", "12007", "Graham Tulley",
     "Department for Digital, Culture, Media and Sport", "Internet: Safety",
     "We will continue to work with the platforms on online safety.", "javascript:alert(document.cookie)"),
]


def fill_store(path: Path):
    database = db.open_db(path)
    members = {name: 9000 + i for i, name in enumerate(sorted({d[5] for d in DOCUMENTS}))}
    database["members"].insert_all([{"id": i, "name": n} for n, i in members.items()], pk="id")
    for doc_id, source, day, house, uin, minister, body, title, sentence, url in DOCUMENTS:
        source_id = doc_id.split(":")[1]
        database["documents"].insert({"id": doc_id, "source": source, "source_id": source_id, "source_url": url,
                                      "title": title, "date": day, "house": house, "person": minister, "body": body,
                                      "text": sentence, "content_hash": doc_id})
        if source == "written_question":
            database["written_questions"].insert({"id": int(source_id), "uin": uin, "house": house,
                                                  "date_answered": day, "answering_member_id": members[minister],
                                                  "answering_body": body, "heading": title, "url": url})
        else:
            database["written_statements"].insert({"id": int(source_id), "uin": uin, "house": house, "title": title,
                                                   "date_made": day, "member_role": "Minister of State"})

    def mention(doc_id, action, kind="firm", deadline=None, deadline_text=None):
        document = next(d for d in DOCUMENTS if d[0] == doc_id)
        sentence = document[8]
        start = sentence.index(action.split()[0])
        return {"id": f"m-{doc_id}", "document_id": doc_id, "source": document[1], "source_id": doc_id.split(":")[1],
                "source_url": document[9], "date": document[2], "sentence": sentence, "sentence_start": 100,
                "sentence_end": 100 + len(sentence), "action_start": 100 + start,
                "action_end": 100 + start + len(action), "kind": kind, "action": action, "owner": document[6],
                "person": document[5], "deadline": deadline, "deadline_text": deadline_text}

    database["mentions"].insert_all([
        mention("written_question:1", "publish the imprints guidance", deadline="2020-12-31",
                deadline_text="by the end of 2020"),
        mention("written_question:2", "launch a consultation on voter identification"),
        mention("written_question:4", "work with the platforms on online safety", kind="ongoing"),
    ], pk="id")
    database["reports"].insert({
        "id": "r-3", "document_id": "written_statement:3", "source": "written_statement", "source_id": "3",
        "source_url": DOCUMENTS[2][9], "date": "2020-01-10", "event": "delivered", "verb": "launch",
        "action": "launch a consultation on voter identification", "owner": CO, "partial": 0,
        "sentence": DOCUMENTS[2][8], "sentence_start": 0, "sentence_end": len(DOCUMENTS[2][8])}, pk="id")
    run_tracking(database, as_of=AS_OF)
    database["crawl_runs"].insert({"id": "run1", "spider": "written_questions", "status": "finished",
                                   "started": "2024-05-30T10:00:00+00:00", "finished": "2024-05-30T10:05:00+00:00"})
    return database


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return fill_store(tmp_path_factory.mktemp("store") / "c.db")


@pytest.fixture(scope="module")
def site(store, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    build_site(store, out, datasette_url=DATASETTE)
    return out


def by_title(store, words: str) -> dict:
    return next(c for c in store["commitments"].rows if words in c["title"].lower())


class Page(HTMLParser):
    """What the assertions read from a page: headings in order, links with their text."""

    def __init__(self, text: str):
        super().__init__()
        self.headings, self.links, self._link, self._heading = [], [], None, None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and "href" in attrs:
            self._link = [attrs["href"], ""]
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = [int(tag[1]), ""]

    def handle_data(self, data):
        if self._link:
            self._link[1] += data
        if self._heading:
            self._heading[1] += data

    def handle_endtag(self, tag):
        if tag == "a" and self._link:
            self.links.append((self._link[0], " ".join(self._link[1].split())))
            self._link = None
        if re.fullmatch(r"h[1-6]", tag) and self._heading:
            self.headings.append(tuple(self._heading))
            self._heading = None


def page(site: Path, relative: str) -> Page:
    return Page((site / relative).read_text())


def test_tracked_store_has_the_statuses_the_site_shows(store):
    assert by_title(store, "imprints")["status"] == "overdue"
    assert by_title(store, "voter identification")["status"] == "delivered"
    assert by_title(store, "platforms")["status"] == "unclear"


def test_every_page_has_one_h1_headings_in_order_and_every_internal_link_resolves(site):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 10
    for path in pages:
        parsed = Page(path.read_text())
        levels = [level for level, _ in parsed.headings]
        assert levels.count(1) == 1 and levels[0] == 1, path
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), (path, parsed.headings)
        for href, text in parsed.links:
            assert text.strip(), f"{path}: a link to {href} says nothing"
            assert text.lower() != "read the source", path
            if urlsplit(href).scheme:
                assert urlsplit(href).scheme in ("http", "https"), (path, href)
                continue
            parts = urlsplit(href)
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            assert target.is_file(), f"{path.relative_to(site)}: {href} is broken"
            if parts.fragment:
                assert f'id="{parts.fragment}"' in target.read_text(), f"{path.relative_to(site)}: {href} is broken"
    for href in re.findall(r'href="([^"]+)"', (site / "feed.xml").read_text()):
        assert (site / href).resolve().is_file(), href


def test_home_page_counts_statuses_in_words_lists_changes_and_says_when_updated(site, store):
    text = (site / "index.html").read_text()
    parsed = Page(text)
    assert [h for h in parsed.headings if h[0] == 1] == [(1, "Government commitments to Parliament")]
    counts = re.findall(r'<span class="count">(\d+)</span> <span class="status status-(\w+)">([^<]+)</span>', text)
    assert {(s, label, int(n)) for n, s, label in counts} == {("overdue", "Overdue", 1), ("delivered", "Delivered", 1),
                                                             ("unclear", "Unclear", 1)}
    assert "Data last updated <strong>2024-05-30</strong>" in text
    latest = text.split('id="latest"')[1].split('id="all"')[0]
    assert latest.index("2020-12-31") < latest.index("2020-02-11") < latest.index("2020-01-10")
    # the index is a table whose cells carry their column's name, for the phone's cards
    assert text.count('data-label="Status"') == store["commitments"].count


def test_commitment_page_quotes_and_links_its_status_and_timeline(site, store):
    delivered = by_title(store, "voter identification")
    text = (site / "commitment" / f"{delivered['id']}.html").read_text()
    parsed = Page(text)
    status_box = text.split('class="status-box')[1].split("</section>")[0]
    assert '<span class="status status-delivered">Delivered</span>' in status_box
    assert "The consultation on voter identification was launched today." in status_box
    assert ("https://questions-statements.parliament.uk/written-statements/detail/HCWS1",
            "Written statement HCWS1, “Voter identification”, on questions-statements.parliament.uk") in parsed.links
    assert "Chloe Smith" in text and "16 July 2019" in text
    assert "we will <mark>launch a consultation on voter identification</mark>" in text.lower()
    assert (f"{DATASETTE}/commitments/{delivered['id']}",
            "This commitment's row in the database (Datasette)") in parsed.links
    timeline = [h for level, h in parsed.headings if level == 3]
    assert timeline == ["16 July 2019: Promised", "10 January 2020: Delivered"]
    assert "Ask about it" not in text  # delivered: nothing to ask


def test_overdue_commitment_shows_its_deadline_and_a_lords_question_in_the_house_form(site, store):
    overdue = by_title(store, "imprints")
    text = (site / "commitment" / f"{overdue['id']}.html").read_text()
    assert "Set to <strong>2020-12-31</strong> (“by the end of 2020”) on 2019-11-05" in text
    questions = re.findall(r"<textarea[^>]*>([^<]*)</textarea>", text)
    assert questions[0] == ("To ask His Majesty&#39;s Government, further to the Written Answer by Earl Howe on "
                            "5 November 2019 (HL401), when they will publish the imprints guidance.")
    assert questions[1] == ("To ask the Minister for the Cabinet Office, further to the Answer of 5 November 2019 "
                            "to Question HL401, when the Government will publish the imprints guidance.")
    assert re.search(r'<label for="question-lords">', text)


def test_follow_up_questions_fall_back_by_source_and_ask_nothing_of_delivered():
    commitment = {"status": "unclear", "kind": "ongoing", "action": "work with the platforms",
                  "owner": "Department for Digital, Culture, Media and Sport", "first_made": "2019-09-03"}
    evidence = {"source": "oral_evidence", "date": "2019-09-03", "person": "Sarah Connolly", "body": "DCMS",
                "title": "Democracy and Digital Technologies"}
    lords, commons = (q["text"] for q in follow_up_questions(commitment, evidence))
    assert lords == ("To ask His Majesty's Government, further to the oral evidence given by Sarah Connolly, DCMS, on "
                     "3 September 2019 (Democracy and Digital Technologies), whether they continue to work with the "
                     "platforms.")
    assert commons.startswith("To ask the Secretary of State for Digital, Culture, Media and Sport, further to")
    assert follow_up_questions({**commitment, "status": "delivered"}, evidence) == []
    assert follow_up_questions({**commitment, "status": "overdue", "kind": "firm"}, None)[0]["text"].endswith(
        "further to the undertaking given on 3 September 2019, when they will work with the platforms.")
    assert commons_addressee("Home Office") == "the Secretary of State for the Home Department"
    assert commons_addressee("Department of Health and Social Care") == \
        "the Secretary of State for Health and Social Care"


def test_browse_pages_by_status_department_and_minister(site, store):
    overdue = by_title(store, "imprints")
    for relative in ("status/overdue.html", "status/index.html", "department/cabinet-office.html",
                     "person/earl-howe.html"):
        assert f"commitment/{overdue['id']}.html" in (site / relative).read_text(), relative
    assert f"commitment/{overdue['id']}.html" not in (site / "status/delivered.html").read_text()
    assert f"commitment/{overdue['id']}.html" not in (site / "person/chloe-smith.html").read_text()
    departments = page(site, "department/index.html").links
    assert ("department-for-digital-culture-media-and-sport.html",
            "Department for Digital, Culture, Media and Sport") in departments


def test_atom_feeds_parse_and_carry_each_status_change(site, store):
    for relative, expected in (("feed.xml", 3), ("department/cabinet-office.xml", 2)):
        feed = feedparser.parse((site / relative).read_bytes())
        assert not feed.bozo, (relative, feed.get("bozo_exception"))
        assert feed.version == "atom10" and len(feed.entries) == expected
    entry = feedparser.parse((site / "feed.xml").read_bytes()).entries[0]
    overdue = by_title(store, "imprints")
    assert entry.title == f"Overdue: {overdue['title']}" and entry.updated.startswith("2020-12-31")
    assert entry.link.endswith(f"commitment/{overdue['id']}.html") and "passed with no report" in entry.summary


def test_downloads_hold_every_commitment_and_event(site, store):
    rows = list(csv.DictReader((site / "data/commitments.csv").open()))
    assert {r["id"] for r in rows} == {c["id"] for c in store["commitments"].rows}
    events = json.loads((site / "data/events.json").read_text())
    assert len(events) == store["commitment_events"].count
    assert len(list(csv.DictReader((site / "data/events.csv").open()))) == len(events)
    assert json.loads((site / "data/commitments.json").read_text())[0]["status"]


def test_scraped_markup_shows_as_text_and_a_javascript_url_is_no_link(site):
    pages = [p.read_text() for p in site.rglob("*.html")] + [(site / "feed.xml").read_text()]
    joined = "\n".join(pages)
    assert "<script>document" not in joined and "<img src=x" not in joined
    assert "&lt;script&gt;document.body.setAttribute" in joined and "&lt;img src=x onerror=" in joined
    assert "javascript:" not in "".join(re.findall(r'href="([^"]*)"', joined)).lower()


def test_without_a_datasette_address_there_are_no_datasette_links(store, tmp_path):
    build_site(store, tmp_path / "site")
    assert not [p for p in (tmp_path / "site").rglob("*.html") if "Datasette" in p.read_text()]


def test_a_rebuild_rewrites_only_changed_files_and_removes_only_its_own_stale_ones(tmp_path):
    out = tmp_path / "site"
    assert write_site(out, {"index.html": "a", "commitment/old.html": "b", "commitment/kept.html": "c"}) == \
        {"written": 3, "unchanged": 0, "removed": 0}
    (out / "notes.txt").write_text("the owner's own file")
    (out / MANIFEST).write_text((out / MANIFEST).read_text() + "../outside.txt\nnotes-gone.txt\n")
    (tmp_path / "outside.txt").write_text("not the site's")
    before = (out / "commitment/kept.html").stat().st_mtime_ns
    assert write_site(out, {"index.html": "a2", "commitment/kept.html": "c"}) == \
        {"written": 1, "unchanged": 1, "removed": 1}
    assert not (out / "commitment/old.html").exists()
    assert (out / "commitment/kept.html").stat().st_mtime_ns == before
    assert (out / "notes.txt").exists() and (tmp_path / "outside.txt").exists()
    write_site(out, {"index.html": "a2"})
    assert not (out / "commitment").exists()  # emptied by the build, so removed


def test_the_site_is_written_page_by_page_as_it_is_rendered(store, tmp_path):
    # Not all pages in memory at once: each is on disk before the next is rendered, and the
    # pages come out the same as the whole-site dict.
    out = tmp_path / "site"
    written = []

    def pages():
        for relative, content in site_files(store):
            assert all((out / earlier).is_file() for earlier in written[-3:])
            written.append(relative)
            yield relative, content

    counts = write_site(out, pages())
    assert counts["written"] == len(set(written)) > 10
    assert sorted((out / MANIFEST).read_text().splitlines()) == sorted(render_site(store))


def test_build_site_command_takes_a_datasette_address(tmp_path):
    fill_store(tmp_path / "c.db").close()
    run_cli("build-site", "--out", tmp_path / "site", "--datasette-url", DATASETTE + "/", db=tmp_path / "c.db")
    overdue = next(p for p in (tmp_path / "site/commitment").glob("*.html") if "imprints" in p.read_text())
    assert f'href="{DATASETTE}/commitments/{overdue.stem}"' in overdue.read_text()
    refused = run_cli("build-site", "--out", tmp_path / "other", "--datasette-url", "javascript:alert(1)",
                      db=tmp_path / "c.db", check=False)
    assert refused.returncode == 2 and "--datasette-url" in refused.stderr and "Traceback" not in refused.stderr


# -- in a browser ----------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
# Headless Chromium's window is at least 500 px wide: each page is measured in an iframe of the
# width, whose media queries and scroll width are its own. One browser run measures every page.
PROBE = """<!doctype html><html><head><script>
var results = {{}};
function report(frame) {{  // called by each iframe's onload attribute: no load is missed
  var d = frame.contentDocument, status = d.querySelector(".status"), body = d.querySelector(".timeline, table");
  results[frame.title] = {{scroll: d.documentElement.scrollWidth,
    status: status ? status.getBoundingClientRect().right : null,
    shown: body ? body.getBoundingClientRect().height : 0, pwned: d.body.getAttribute("data-pwned")}};
  document.documentElement.setAttribute("data-probe", JSON.stringify(results));
}}
</script></head><body>
{frames}
</body></html>"""
FRAME = ('<iframe title="{page}" src="{page}" onload="report(this)" '
         'style="display:block;width:{width}px;height:900px;border:0"></iframe>')


@pytest.fixture(scope="module")
def served_site(site):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def chromium(*args: str) -> str:
    result = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", *args],
                            capture_output=True, text=True, timeout=60)
    return result.stdout


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
@pytest.mark.parametrize("width", [1280, 390])
def test_in_chromium_pages_fit_the_width_show_status_and_run_no_scraped_script(site, served_site, store, width,
                                                                             tmp_path):
    overdue = by_title(store, "imprints")
    pages = ["index.html", f"commitment/{overdue['id']}.html", "status/overdue.html"]
    probe = f"probe-{width}.html"
    (site / probe).write_text(PROBE.format(frames="\n".join(FRAME.format(page=p, width=width) for p in pages)))
    shot = tmp_path / f"site-{width}.png"
    try:
        dom = chromium("--window-size=1400,1000", "--dump-dom", f"{served_site}/{probe}")
        chromium(f"--window-size={max(width, 500)},1000", f"--screenshot={shot}", f"{served_site}/{probe}")
    finally:
        (site / probe).unlink()
    found = re.search(r'data-probe="([^"]*)"', dom)
    assert found, dom[-2000:]
    measured = json.loads(found.group(1).replace("&quot;", '"'))
    assert set(measured) == set(pages)
    for page_, seen in measured.items():
        assert seen["scroll"] <= width, (page_, seen)
        assert seen["status"] is not None and seen["status"] <= width and seen["shown"] > 0, (page_, seen)
        assert seen["pwned"] is None, page_
    assert shot.stat().st_size > 1000


def test_the_method_page_gives_the_measured_figures(site):
    measured = resources.measured_figures()
    method = (site / "method.html").read_text()
    assert f"precision {measured['extraction']['precision']:.3f}" in method
    assert f"recall {measured['grouping']['recall']:.3f}" in method and measured["date"] in method
