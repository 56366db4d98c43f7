"""The demo end to end, the static site, and Datasette served and queried over HTTP."""

import re
import subprocess
import sys
import urllib.request

import pytest
import sqlite_utils

from tests.conftest import ROOT, free_port, get_json, run_cli, wait_for_json

STORY = ("launch a consultation on electoral integrity", "implement a digital imprints regime for online election material")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    work = tmp_path_factory.mktemp("demo")
    db_path, site = work / "commitments.db", work / "site"
    result = run_cli("demo", "--site", site, db=db_path)
    return db_path, site, result


def test_demo_finds_the_two_2019_commitments_with_their_sources(demo):
    db_path, _site, result = demo
    database = sqlite_utils.Database(db_path)
    for action in STORY:
        (commitment,) = database.query("select * from commitments where action = ?", [action])
        assert commitment["owner"] == "Cabinet Office" and commitment["first_made"].startswith("2019")
        sources = list(database.query("select source, source_url from mentions where commitment_id = ?", [commitment["id"]]))
        assert len(sources) >= 2 and all(s["source_url"].startswith(("https://", "http://127.0.0.1")) for s in sources)
        assert {"written_question", "written_statement"} <= {s["source"] for s in sources}
    assert str(db_path) in result.stdout and "serve" in result.stdout and "index.html" in result.stdout
    # committee evidence and press coverage of the same story are in the demo too
    cell = list(database.query("select owner, person from mentions where source = 'oral_evidence' and action like '%election cell%'"))
    assert cell == [{"owner": "Cabinet Office", "person": "Natalie Bodek"}]
    press = list(database.query("select distinct owner from mentions where source = 'article' and kind = 'firm'"))
    assert {"owner": "Cabinet Office"} in press


def _commitment(database, action):
    (commitment,) = database.query("select * from commitments where action = ?", [action])
    events = list(database.query("select * from commitment_events where commitment_id = ? order by sequence",
                                 [commitment["id"]]))
    return commitment, events


def test_demo_tracks_the_imprints_regime_from_promise_to_force(demo):
    database = sqlite_utils.Database(demo[0])
    commitment, events = _commitment(database, STORY[1])
    assert events[0]["event"] == "made" and events[0]["date"].startswith("2019")
    progress = [e for e in events if e["event"] == "progress"]
    assert any("technical consultation" in e["sentence"] and e["date"].startswith("2020") for e in progress)
    assert any("Elections Bill" in e["sentence"] and e["date"] == "2021-07-05" for e in progress)
    (delivered,) = [e for e in events if e["event"] == "delivered"]
    assert delivered["date"] == "2023-11-02" and "came into force" in delivered["sentence"]
    assert (commitment["status"], commitment["status_date"], commitment["status_event_id"]) == \
        ("delivered", "2023-11-02", delivered["id"])
    assert delivered["source_url"].startswith("http") and "came into force" in commitment["status_reason"]
    assert all(e["sentence"] and e["source_url"] for e in events)


def test_demo_consultation_is_delivered_by_its_launch_and_others_are_overdue_or_dropped(demo):
    database = sqlite_utils.Database(demo[0])
    commitment, events = _commitment(database, STORY[0])
    launch = database["commitment_events"].get(commitment["status_event_id"])
    assert commitment["status"] == "delivered" and launch["date"] == "2019-07-28" and "launched" in launch["sentence"]
    for status in ("overdue", "dropped"):
        rows = list(database.query("select * from commitments where status = ?", [status]))
        assert rows, f"no {status} commitment in the demo"
        for row in rows:
            setter = database["commitment_events"].get(row["status_event_id"])
            assert row["status_reason"] and setter["sentence"] and setter["source_url"]
    (dropped,) = database.query("select * from commitments where status = 'dropped'")
    assert "legal but harmful" in dropped["status_reason"] and dropped["status_date"] == "2022-11-29"


def test_site_lists_commitments_with_owner_kind_date_and_source_links(demo):
    db_path, site, _ = demo
    index = (site / "index.html").read_text()
    database = sqlite_utils.Database(db_path)
    for action in STORY:
        assert action.lower() in index.lower()  # as the title: its first word capitalised
        (commitment,) = database.query("select id from commitments where action = ?", [action])
        page = (site / "commitment" / f"{commitment['id']}.html").read_text()
        # each source link says which record it is and where it goes
        assert "Cabinet Office" in page and "Read the source" not in page
        assert re.search(r'href="https://questions-statements\.parliament\.uk/written-(questions|statements)/detail/[^"]+">'
                         r"Written (answer|statement) \w+, “[^”]+”, on questions-statements\.parliament\.uk</a>", page)
    assert (site / "assets" / "style.css").exists()


def test_datasette_serves_the_tracker_with_metadata(demo):
    db_path, _site, _ = demo
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "commitments", "--db", str(db_path), "serve", "--port", str(port)],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_json(f"{base}/-/versions.json", server)
        metadata = get_json(f"{base}/-/metadata.json")
        assert metadata["license"] == "Open Parliament Licence v3.0" and metadata["title"] == "Commitments Tracker"
        rows = get_json(f"{base}/commitments/commitments.json?_shape=array&owner=Cabinet+Office")
        assert set(STORY) <= {r["action"] for r in rows}
        hits = get_json(f"{base}/commitments/mentions.json?_search=imprints&_shape=array")
        assert hits and all("imprint" in (h["sentence"] + h["action"]).lower() for h in hits)
        with urllib.request.urlopen(f"{base}/commitments", timeout=10) as response:
            assert "trackable_mentions" in response.read().decode()
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_demo_tracked_incrementally_as_its_later_documents_arrive_gives_the_full_run_rows(demo, tmp_path):
    """The demo store without what was said from 2021 on, tracked; then that added back in two
    steps (as daily updates bring it), each tracked incrementally: the rows a full run gives."""
    from datetime import date

    import db
    from bench.track_speed import copy_store, dump
    from extract.runner import run_tracking

    as_of = date(2024, 6, 1)
    path, full = tmp_path / "store.db", tmp_path / "full.db"
    copy_store(demo[0], path)
    database = db.open_db(path)
    later = {table: [dict(r) for r in database.query(f"select * from {table} where date >= '2021-01-01'")]
             for table in ("mentions", "reports")}
    assert len(later["mentions"]) >= 5 and len(later["reports"]) >= 5
    for table in later:
        database.execute(f"delete from {table} where date >= '2021-01-01'")
    assert run_tracking(database, None, as_of)["mode"] == "full"
    for start, end in (("2021-01-01", "2021-06-30"), ("2021-06-30", "9999")):
        with database.atomic():
            for table, rows in later.items():
                database[table].insert_all([r for r in rows if start <= r["date"] < end], pk="id")
        counts = run_tracking(database, None, as_of)
        assert counts["mode"] == "incremental", counts
        copy_store(path, full)
        other = db.open_db(full)
        assert run_tracking(other, None, as_of, full=True)["mode"] == "full"
        assert dump(database) == dump(other)
        other.close()
    assert database["commitments"].count == sqlite_utils.Database(demo[0])["commitments"].count
