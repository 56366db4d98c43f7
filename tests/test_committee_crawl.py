"""Committee evidence crawled for real from the local API, then extracted."""

import base64
import json

import sqlite_utils

from commitments.demo.server import RecordedApi
from tests.conftest import jsonl, run_cli

FAST = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "RETRY_BACKOFF_BASE=0.05", "-s", "RETRY_TIMES=1", "-s", "LOG_LEVEL=WARNING"]


def crawl(api, db_path, *extra, check=True):
    return run_cli("crawl", "committee-evidence", "--committee", "407", "--since", "2019-01-01", "--until", "2021-12-31",
                   "--api-url", api.url, *FAST, *extra, db=db_path, check=check)


def test_sessions_turns_submissions_and_publications_are_stored(db_path):
    with RecordedApi() as api:
        crawl(api, db_path)
    database = sqlite_utils.Database(db_path)
    assert database["committees"].get(407)["name"] == "Democracy and Digital Technologies Committee"
    assert database["committees"].count == 1  # --committee limits the run
    session = database["oral_evidence"].get(44)
    assert session["transcript_status"] == "ok" and session["turns"] > 10
    turns = list(database.query("select * from documents where source = 'oral_evidence' and source_id = '44'"))
    assert {t["person"] for t in turns} >= {"Natalie Bodek", "Sarah Connolly", "The Chair"}
    assert {t["government"] for t in turns if t["person"] == "The Chair"} == {0}
    pdf_only = database["written_evidence"].get(9502)
    assert pdf_only["text_format"] == "pdf" and pdf_only["government"] == 0
    assert "Fair Votes Trust" in database["documents"].get("written_evidence:9502")["text"]
    report = database["publications"].get(9601)
    assert report["response_deadline"] == "2020-08-29" and report["hl_paper"] == "HL Paper 77"
    assert database["publications"].get(9602)["responds_to"] == 9601
    assert database["recommendations"].count == 6 and database["rejections"].count == 0


def test_a_broken_transcript_and_an_unreadable_pdf_are_rejections_and_the_crawl_goes_on(db_path):
    junk_pdf = json.dumps({"fileName": "x.pdf", "data": base64.b64encode(b"%PDF-1.4 broken").decode()}).encode()
    with RecordedApi() as api:
        api.queue_fault(r"^/api/OralEvidence/44/Document/Html", 200, b'{"fileName": "44.html", "data": "not base64!"}')
        api.queue_fault(r"^/api/WrittenEvidence/9502/Document/Pdf", 200, junk_pdf)
        crawl(api, db_path)
    database = sqlite_utils.Database(db_path)
    reasons = {r["record_id"]: r["reason"] for r in database["rejections"].rows}
    assert "transcript unreadable" in reasons["44"] and "PDF will not parse" in reasons["9502"]
    assert database["oral_evidence"].get(44)["transcript_status"].startswith("unreadable")
    assert database["written_evidence"].get(9502)["text_status"].startswith("unreadable")
    # the rest is stored
    assert database["oral_evidence"].get(9045)["turns"] > 0 and database["publications"].count == 2


def test_election_cell_accepted_recommendations_and_sources_in_export(db_path):
    with RecordedApi() as api:
        crawl(api, db_path)
    run_cli("extract", db=db_path)
    mentions = jsonl(run_cli("export", "mentions", db=db_path).stdout)
    assert {"oral_evidence", "written_evidence", "publication"} <= {m["source"] for m in mentions}
    cell = [m for m in mentions if "election cell" in m["action"]]
    assert len(cell) == 1 and cell[0]["owner"] == "Cabinet Office" and cell[0]["person"] == "Natalie Bodek"
    assert cell[0]["source_id"] == "44" and cell[0]["source_url"].endswith("/oralevidence/44/html/")
    # witnesses from outside government make no government commitments
    assert not [m for m in mentions if m["source"] == "oral_evidence" and m["source_id"] == "9045"]
    assert not [m for m in mentions if "Fair Votes" in (m["owner"] or "")]
    database = sqlite_utils.Database(db_path)
    accepted = list(database.query(
        "select * from government_responses where response_status = 'accepted' and kind = 'firm'"))
    assert {r["report"] for r in accepted} == {"Digital Technology and the Resurrection of Trust"}
    assert any("digital imprints regime" in r["action"] for r in accepted)
    assert all(r["recommendation"] and r["commitment_id"] for r in accepted)


def test_a_document_that_cannot_be_fetched_keeps_its_record(db_path):
    with RecordedApi() as api:
        api.queue_fault(r"^/api/Publications/9602/Document/", 404)
        api.queue_fault(r"^/api/OralEvidence/9045/Document/", 500, times=5)
        crawl(api, db_path)
    database = sqlite_utils.Database(db_path)
    assert database["publications"].get(9602)["document_status"] == "unavailable: HTTP 404"
    assert database["oral_evidence"].get(9045)["transcript_status"] == "unavailable: HTTP 500"
    reasons = {r["record_id"]: r["reason"] for r in database["rejections"].rows}
    assert reasons["9602"].startswith("publication document unavailable") and "HTTP 500" in reasons["9045"]
