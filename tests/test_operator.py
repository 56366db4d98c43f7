"""What an operator sees: a crawl's progress line and summary instead of Scrapy's log,
-v and --quiet, one line for an API that cannot be reached, and `commitments bodies`."""

import json
import os
import pty
import re
import socket
import subprocess
import sys
import threading
import time

import pytest
import sqlite_utils
from click.testing import CliRunner

import db
from commitments.cli import cli
from commitments.demo.server import RecordedApi
from tests.conftest import ROOT, free_port, run_cli

FAST = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "RETRY_BACKOFF_BASE=0.05", "-s", "RETRY_TIMES=1"]
WINDOW = ["--since", "2019-01-01", "--until", "2024-12-31"]
SCRAPY_LOG = ("Telnet", "Overridden settings", "[scrapy.", "Dumping Scrapy stats", "Traceback")


def crawl(api_url, db_path, *extra, check=True):
    return run_cli("crawl", "written-questions", "--api-url", api_url, *WINDOW, *FAST, *extra, db=db_path, check=check)


# -- the progress line and the summary -------------------------------------------

@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """One real crawl of the recorded API, as an operator runs it (off a terminal):
    (its result, its store, the API's total, the API's count of records per answering body)."""
    db_path = tmp_path_factory.mktemp("crawled") / "commitments.db"
    with RecordedApi() as api:
        # Off a terminal, a progress line every PROGRESS_INTERVAL seconds; small pages make it last.
        result = crawl(api.url, db_path, "-s", "API_PAGE_SIZE=2", "-s", "PROGRESS_INTERVAL=0.1")
        listed = api.endpoints[0].list({"answeredWhenFrom": ["2019-01-01"], "answeredWhenTo": ["2024-12-31"],
                                        "includeWithdrawn": ["true"], "take": ["1000"]})
    per_body: dict[int, int] = {}
    for entry in listed["results"]:
        per_body[entry["value"]["answeringBodyId"]] = per_body.get(entry["value"]["answeringBodyId"], 0) + 1
    return result, db_path, listed["totalResults"], per_body


def test_a_crawl_prints_progress_and_a_summary_not_scrapys_log(crawled):
    result, db_path, total, _ = crawled
    stored = sqlite_utils.Database(db_path)["written_questions"].count
    assert stored == total and result.stdout == ""
    for noise in SCRAPY_LOG:
        assert noise not in result.stderr
    progress = re.findall(r"^written_questions: (\d+) records, \d+ rejections?, \d+ requests?, [\d.]+ records/s, "
                          rf"(\d+)/{total} \(\d+%\)(, ETA \d+:\d\d)?", result.stderr, re.M)
    assert progress, result.stderr  # the API's totalResults gives the line its denominator
    assert all(int(done) <= total for _, done, _ in progress)
    lines = result.stderr.splitlines()
    summary = next(i for i, line in enumerate(lines) if line.startswith("written_questions: finished in "))
    assert f"{stored} records stored, 0 rejections, 0 refused by the store" in lines[summary]
    assert lines[-1] == f"  store: {db_path}"


def test_a_terminal_gets_one_line_redrawn_and_a_summary_with_the_first_rejections(db_path):
    """On a terminal the line is redrawn in place ("\\r", erase), and cleared before the summary."""
    with RecordedApi() as api:
        api.queue_fault(r"^/api/writtenquestions/questions\?.*skip=4&", 200, b"<html>Service busy</html>")
        leader, follower = pty.openpty()
        command = [sys.executable, "-m", "commitments", "--db", str(db_path), "crawl", "written-questions",
                   "--api-url", api.url, *WINDOW, *FAST, "-s", "API_PAGE_SIZE=2", "-s", "PROGRESS_INTERVAL=0.1"]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=follower, cwd=ROOT,
                                   env={**os.environ, "PYTHONPATH": str(ROOT)})
        os.close(follower)
        seen = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            seen += chunk
        process.wait(timeout=60)
        os.close(leader)
    screen = seen.decode()
    assert process.returncode == 1  # a list page was lost: incomplete
    redraws = screen.count("\r\x1b[K")
    assert redraws >= 2 and "\r\x1b[Kwritten_questions: " in screen
    # The summary starts on a cleared line and quotes the rejection's reason.
    assert "\r\x1b[Kwritten_questions: incomplete in " in screen
    assert "first rejections:" in screen and "skip=4" in screen and "not the expected JSON" in screen
    for noise in SCRAPY_LOG:
        assert noise not in screen


def test_verbose_brings_scrapys_log_back_without_its_consoles(db_path):
    with RecordedApi() as api:
        result = crawl(api.url, db_path, "-v")
    assert "Overridden settings" in result.stderr and "[scrapy.core.engine] INFO: Spider opened" in result.stderr
    # No telnet console (it printed its password) and no remote-control server, even here.
    assert "Telnet" not in result.stderr and "remote_control" not in result.stderr
    assert "written_questions: finished in " in result.stderr


def test_quiet_prints_nothing_on_success_and_still_reports_an_incomplete_run(db_path):
    with RecordedApi() as api:
        quiet = crawl(api.url, db_path, "--quiet")
        assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")
        api.queue_fault(r"^/api/writtenquestions/questions\?", 200, b"<html>Service busy</html>")
        failed = crawl(api.url, db_path, "-q", check=False)
    assert failed.returncode == 1 and "incomplete" in failed.stderr and "not the expected JSON" in failed.stderr


def test_verbose_and_quiet_exclude_each_other(db_path):
    result = run_cli("crawl", "written-questions", "--since", "2021-02-01", "-v", "-q", db=db_path, check=False)
    assert result.returncode == 2 and "exclude each other" in result.stderr


# -- an API that cannot be reached -----------------------------------------------

@pytest.mark.parametrize("command, extra", [
    ("written-questions", []),
    ("written-statements", ["-v"]),  # one line even when the full log was asked for
    ("committee-evidence", []),
])
def test_an_unreachable_api_fails_fast_with_one_line(db_path, command, extra):
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    started = time.monotonic()
    result = run_cli("crawl", command, "--api-url", url, "--since", "2021-02-01", *extra, db=db_path, check=False)
    # Scrapy would retry with backoff for half a minute and more; the check answers in seconds.
    assert time.monotonic() - started < 30
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.strip().splitlines() == [f"Error: cannot reach {url}: connection refused"]
    assert not db_path.exists()  # nothing was crawled, so nothing was stored


def test_an_unknown_host_is_one_line_too(db_path):
    result = run_cli("crawl", "written-questions", "--api-url", "http://no-such-host.invalid", "--since", "2021-02-01",
                     db=db_path, check=False)
    assert result.returncode == 1
    assert re.fullmatch(r"Error: cannot reach http://no-such-host\.invalid: host no-such-host\.invalid not found \(.+\)",
                        result.stderr.strip())


class DroppingServer:
    """Accepts each connection and closes it at once: reachable, but never an answer."""

    def __enter__(self):
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}"
        threading.Thread(target=self._serve, daemon=True).start()
        return self

    def _serve(self):
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                return
            connection.close()

    def __exit__(self, *exc):
        self.socket.close()


def test_a_server_that_never_answers_is_an_incomplete_run_in_a_few_lines(db_path):
    with DroppingServer() as server:
        result = crawl(server.url, db_path, check=False)
    assert result.returncode == 1
    database = sqlite_utils.Database(db_path)
    assert "list page unavailable" in next(iter(database["rejections"].rows))["reason"]
    assert [r["status"] for r in database["crawl_runs"].rows] == ["incomplete"]
    # Scrapy's errors in one line each, no traceback; the summary says where the rest is.
    assert "Traceback" not in result.stderr and "errors logged: run again with -v" in result.stderr
    assert len(result.stderr.splitlines()) < 15


# -- commitments bodies -------------------------------------------------------------

def question(number: int, body_id, body: str) -> dict:
    return {"record_type": "written_question", "id": number, "answering_body_id": body_id, "answering_body": body,
            "answer_html": "<p>We will publish it.</p>", "date_answered": "2021-02-01"}


def test_bodies_lists_ids_names_former_names_and_counts(db_path):
    store = db.open_db(db_path)
    db.save_records(store, [
        question(1, 53, "Cabinet Office"), question(2, 53, "Cabinet Office"),
        question(3, 10, "Department for Culture, Media and Sport"),
        question(4, 10, "Department for Digital, Culture, Media and Sport"),  # renamed: the old name is kept
        {"record_type": "written_statement", "id": 7, "answering_body_id": 53, "answering_body": "Cabinet Office",
         "text_html": "<p>A statement.</p>", "date_made": "2021-02-01"},
    ])
    store.close()
    result = CliRunner().invoke(cli, ["--db", str(db_path), "bodies"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["id", "name", "questions", "statements"]
    assert lines[1].split() == ["53", "Cabinet", "Office", "2", "1"]
    assert re.fullmatch(r"\s*10  Department for Digital, Culture, Media and Sport "
                        r"\(formerly Department for Culture, Media and Sport\)\s+2\s+0", lines[2])
    as_json = json.loads(CliRunner().invoke(cli, ["--db", str(db_path), "bodies", "--json"]).output)
    assert as_json == [
        {"id": 53, "name": "Cabinet Office", "aliases": [], "written_questions": 2, "written_statements": 1},
        {"id": 10, "name": "Department for Digital, Culture, Media and Sport",
         "aliases": ["Department for Culture, Media and Sport"], "written_questions": 2, "written_statements": 0},
    ]


def test_bodies_of_an_empty_store_says_how_to_fill_it_and_a_missing_one_is_an_error(db_path):
    db.open_db(db_path).close()
    empty = CliRunner().invoke(cli, ["--db", str(db_path), "bodies"])
    assert empty.exit_code == 0 and "No answering bodies in the store yet" in empty.output
    assert CliRunner().invoke(cli, ["--db", str(db_path), "bodies", "--json"]).output.strip() == "[]"
    missing = CliRunner().invoke(cli, ["--db", str(db_path.parent / "missing.db"), "bodies"])
    assert missing.exit_code == 1 and "no database at" in missing.output


def test_bodies_after_a_real_crawl_are_the_apis_ids_and_counts(crawled):
    _, db_path, _, per_body = crawled
    result = CliRunner().invoke(cli, ["--db", str(db_path), "bodies", "--json"])
    assert {b["id"]: b["written_questions"] for b in json.loads(result.output)} == per_body
