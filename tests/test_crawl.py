"""Real crawls through Scrapy's download stack against a local server that answers like the API."""

import json

import sqlite_utils

from commitments.demo.server import RecordedApi
from tests.conftest import run_cli

FAST = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "RETRY_BACKOFF_BASE=0.05", "-s", "LOG_LEVEL=WARNING"]


def crawl(api, db_path, *extra, source="written-questions", since="2019-01-01", until="2024-12-31", check=True):
    args = ["crawl", source, "--api-url", api.url, *FAST, *extra]
    if since:
        args += ["--since", since]
    if until:
        args += ["--until", until]
    return run_cli(*args, db=db_path, check=check)


def test_pages_cut_texts_and_details(db_path):
    with RecordedApi() as api:
        crawl(api, db_path, "-s", "API_PAGE_SIZE=5")
        total = api.endpoints[0].list({"answeredWhenFrom": ["2019-01-01"], "answeredWhenTo": ["2024-12-31"],
                                       "includeWithdrawn": ["true"]})["totalResults"]
    database = sqlite_utils.Database(db_path)
    assert database["written_questions"].count == total
    list_pages = [p for p in api.requests if p.startswith("/api/writtenquestions/questions?")]
    # every page once, and one empty page after a full last page: the end is an empty or short page
    assert len(list_pages) == total // 5 + 1
    details = {p.split("?")[0].rsplit("/", 1)[1] for p in api.requests if "/questions/" in p}
    cut = {str(r["value"]["id"]) for r in api.endpoints[0].list({"take": ["1000"], "answeredWhenFrom": ["2019-01-01"],
                                                                    "answeredWhenTo": ["2024-12-31"]})["results"]
           if r["value"]["answerText"] and r["value"]["answerText"].endswith("...")}
    assert details == cut and cut  # a detail for every cut answer, and only for those
    full = database["written_questions"].get(9100003)
    assert full["answer_html"].startswith("<p>") and full["answer_truncated"] == 0
    assert database["rejections"].count == 0
    assert "/robots.txt" in api.requests


def test_a_total_that_understates_does_not_end_paging_early(db_path):
    with RecordedApi() as api:
        api.endpoints[0].total_cap = 6
        crawl(api, db_path, "-s", "API_PAGE_SIZE=5")
        api.endpoints[0].total_cap = None
        total = api.endpoints[0].list({"answeredWhenFrom": ["2019-01-01"], "answeredWhenTo": ["2024-12-31"],
                                       "includeWithdrawn": ["true"]})["totalResults"]
    assert total > 10 and sqlite_utils.Database(db_path)["written_questions"].count == total


def test_a_503_is_retried_and_the_page_stored(db_path):
    with RecordedApi() as api:
        api.queue_fault(r"^/api/writtenquestions/questions\?", 503, times=2)
        crawl(api, db_path)
    list_requests = [p for p in api.requests if p.startswith("/api/writtenquestions/questions?")]
    assert len(list_requests) == 3  # two 503s, then the 200
    assert sqlite_utils.Database(db_path)["written_questions"].count > 20


def test_a_malformed_page_is_logged_and_the_rest_stored(db_path):
    with RecordedApi() as api:
        # the second list page (skip=5) answers with something that is not JSON
        api.queue_fault(r"^/api/writtenquestions/questions\?.*skip=5&", 200, b"<html>Service busy</html>")
        result = crawl(api, db_path, "-s", "API_PAGE_SIZE=5", check=False)
        total = api.endpoints[0].list({"answeredWhenFrom": ["2019-01-01"], "answeredWhenTo": ["2024-12-31"],
                                       "includeWithdrawn": ["true"]})["totalResults"]
    database = sqlite_utils.Database(db_path)
    assert database["written_questions"].count == total - 5
    (rejection,) = database["rejections"].rows
    assert "skip=5" in rejection["url"] and "not the expected JSON" in rejection["reason"]
    assert "Service busy" in rejection["excerpt"]
    # The run says it is incomplete, so that no incremental run starts from it.
    assert result.returncode == 1 and "incomplete" in result.stderr
    assert [r["status"] for r in database["crawl_runs"].rows] == ["incomplete"]


def test_a_missing_detail_keeps_the_cut_answer_flagged(db_path):
    with RecordedApi() as api:
        api.queue_fault(r"^/api/writtenquestions/questions/9100003", 404)
        crawl(api, db_path)
    database = sqlite_utils.Database(db_path)
    row = database["written_questions"].get(9100003)
    assert row["answer_truncated"] == 1 and row["answer_html"].endswith("...")
    (rejection,) = database["rejections"].rows
    assert rejection["record_id"] == "9100003" and "HTTP 404" in rejection["reason"]


def test_rerunning_the_same_crawl_changes_no_row(db_path):
    with RecordedApi() as api:
        crawl(api, db_path)
        database = sqlite_utils.Database(db_path)
        tables = ("written_questions", "documents", "members", "bodies", "rejections")
        before = {t: list(database[t].rows) for t in tables}
        crawl(api, db_path)
    assert {t: list(database[t].rows) for t in tables} == before


def test_filters_reach_the_api(db_path):
    with RecordedApi() as api:
        crawl(api, db_path, "--house", "Lords", "--answering-body", "53", "--search", "imprints",
              "--date-field", "tabled", since="2020-01-01", until="2020-12-31")
    first = api.requests[1]
    for part in ("house=Lords", "answeringBodies=53", "searchTerm=imprints", "tabledWhenFrom=2020-01-01",
                 "tabledWhenTo=2020-12-31", "expandMember=true"):
        assert part in first
    houses = {r["house"] for r in sqlite_utils.Database(db_path)["written_questions"].rows}
    assert houses == {"Lords"}


def test_incremental_run_asks_for_answered_tabled_and_corrected_since_last_run(db_path):
    with RecordedApi() as api:
        first = crawl(api, db_path, since=None, check=False)
        assert first.returncode != 0 and "--since" in first.stderr  # no earlier run to start from
        crawl(api, db_path)
        api.requests.clear()
        result = crawl(api, db_path, since=None, until=None)
    assert "Incremental crawl" in result.stderr
    list_queries = [p for p in api.requests if p.startswith("/api/writtenquestions/questions?")]
    assert {q.split("WhenFrom")[0].rsplit("&", 1)[-1].rsplit("?", 1)[-1] for q in list_queries} == {"answered", "tabled", "corrected"}
    runs = list(sqlite_utils.Database(db_path)["crawl_runs"].rows)
    assert [r["status"] for r in runs] == ["finished", "finished"]
    assert json.loads(runs[1]["params"])["date_field"] == "answered,tabled,corrected"


def test_written_statements_crawl(db_path):
    with RecordedApi() as api:
        crawl(api, db_path, source="written-statements")
    database = sqlite_utils.Database(db_path)
    assert database["written_statements"].count == len(api.endpoints[1].records)
    assert database["documents"].count_where("source = 'written_statement'") == database["written_statements"].count
    assert database["written_statements"].get(9200001)["text_truncated"] == 0


def test_bad_arguments_are_clear_errors(db_path):
    result = run_cli("crawl", "written-questions", "--since", "yesterday", db=db_path, check=False)
    assert result.returncode == 2 and "YYYY-MM-DD" in result.stderr
    result = run_cli("crawl", "written-questions", "--since", "2021-01-01", "-s", "NOEQUALS", db=db_path, check=False)
    assert result.returncode == 2 and "NAME=VALUE" in result.stderr


def test_a_complete_crawl_leaves_no_job_state_to_resume(db_path, tmp_path):
    job_dir = tmp_path / "job"
    with RecordedApi() as api:
        crawl(api, db_path, "--job-dir", job_dir)
    # Scrapy kept its request queue there while crawling; a finished run removes it.
    assert not job_dir.exists()
