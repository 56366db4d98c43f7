"""Losing nothing when a crawl is killed, resumed, run twice at once, or sent round in circles.

Real crawls in subprocesses against a local server, real signals, one real SQLite file.
"""

import json
import os
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import sqlite_utils

import db
from db.connection import StoreBusy
from spiders.base import job_dir_remembers

from commitments.demo.server import Endpoint, RecordedApi, cut_for_list
from common.kinds import TRACKED
from tests.conftest import ROOT

FAST = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "RETRY_BACKOFF_BASE=0.05", "-s", "LOG_LEVEL=WARNING"]
QUESTIONS = "/api/writtenquestions/questions"


def made_up_question(number: int, long_answer: bool) -> dict:
    """A written question in the list API's shape, with words of our own."""
    sentence = f"The Department will publish its plan for measure {number} and report on progress each quarter. "
    answer = "<p>" + sentence * (8 if long_answer else 1) + "</p>"
    return {
        "id": 7000000 + number, "uin": str(500000 + number), "house": "Commons", "heading": f"Measure {number}",
        "dateTabled": "2022-03-01T00:00:00", "dateForAnswer": "2022-03-03T00:00:00",
        "dateAnswered": "2022-03-07T00:00:00", "questionText": f"To ask about measure {number}.",
        "answerText": answer, "originalAnswerText": "", "answeringBodyId": 10,
        "answeringBodyName": "Department of Examples", "askingMemberId": 9001, "answeringMemberId": 9002,
        "askingMember": None, "answeringMember": None, "correctingMemberId": None, "correctingMember": None,
        "isWithdrawn": False, "isNamedDay": False, "answerIsHolding": False, "answerIsCorrection": False,
        "groupedQuestions": [], "attachmentCount": 0, "attachments": [], "dateHoldingAnswer": None,
        "dateAnswerCorrected": None,
    }


def questions_endpoint(records: list[dict]) -> Endpoint:
    return Endpoint(QUESTIONS, records,
                    {"answeredWhen": "dateAnswered", "tabledWhen": "dateTabled", "correctedWhen": "dateAnswerCorrected"},
                    ("questionText", "answerText", "originalAnswerText"), ("questionText", "answerText", "heading"))


class SlowDetails(RecordedApi):
    """Answers like the API, but each detail takes a while: a crawl is still fetching details when it is killed."""

    def __init__(self, records, detail_seconds: float):
        statements = Endpoint("/api/writtenstatements/statements", [], {"madeWhen": "dateMade"}, ("text",), ("text",))
        super().__init__(endpoints=[questions_endpoint(records), statements], committee_endpoints=[])
        self.detail_seconds = detail_seconds

    def respond(self, raw_path):
        if raw_path.startswith(QUESTIONS + "/"):
            time.sleep(self.detail_seconds)
        return super().respond(raw_path)


class HeldDetails(SlowDetails):
    """Details are held until `release()`: a crawl stays under way however slowly another process starts."""

    def __init__(self, records):
        super().__init__(records, detail_seconds=0)
        self.released = threading.Event()

    def respond(self, raw_path):
        if raw_path.startswith(QUESTIONS + "/"):
            self.released.wait(timeout=120)
        return super().respond(raw_path)

    def release(self):
        self.released.set()


def crawl_command(api, db_path, job_dir, *extra) -> list[str]:
    return [sys.executable, "-m", "commitments", "--db", str(db_path), "crawl", "written-questions",
            "--api-url", api.url, "--since", "2022-01-01", "--until", "2022-12-31", "--job-dir", str(job_dir),
            *FAST, *extra]


def env(**extra) -> dict:
    return {**os.environ, "PYTHONPATH": str(ROOT), **extra}


def run(command, **extra_env) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=180, env=env(**extra_env))


def start(command, **extra_env) -> subprocess.Popen:
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                            env=env(**extra_env))


def stored_count(db_path) -> int:
    if not db_path.exists():
        return 0
    try:
        database = sqlite_utils.Database(db_path)
        return database["written_questions"].count if "written_questions" in database.table_names() else 0
    except Exception:  # the crawl may be creating the file's shape right now
        return 0


def kill_when(process: subprocess.Popen, ready, seconds: float = 60) -> None:
    """SIGKILL `process` as soon as `ready()` holds: no chance to flush, close or say goodbye."""
    deadline = time.monotonic() + seconds
    while not ready():
        assert process.poll() is None, f"the crawl ended before it could be killed:\n{process.stderr.read()[-3000:]}"
        assert time.monotonic() < deadline, "the crawl never got far enough to be killed"
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)


# -- 1. resume after SIGKILL ---------------------------------------------------

def test_a_crawl_killed_mid_run_and_resumed_stores_every_record_whole(db_path, tmp_path):
    # Mostly long answers: each needs its detail, and the detail's request is what the
    # job directory remembers (Scrapy writes its seen-set in 4 KiB blocks: a few hundred
    # requests must be queued before any reaches the disk).
    records = [made_up_question(n, long_answer=n % 10 != 0) for n in range(450)]
    job_dir = tmp_path / "job"
    with SlowDetails(records, detail_seconds=0.02) as api:
        command = crawl_command(api, db_path, job_dir, "-s", "API_PAGE_SIZE=100", "-s", "STORE_BATCH_SIZE=25",
                                "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8")
        process = start(command)
        try:
            # Killed once its seen-set has reached the disk too: killed before that (a loaded machine
            # stores 50 records sooner than Scrapy flushes its first block), the job directory
            # holds nothing to resume, and the rerun crawls afresh (still whole, but not this test).
            kill_when(process, lambda: stored_count(db_path) >= 50 and job_dir_remembers(str(job_dir)))
        finally:
            if process.poll() is None:
                process.kill()
            process.communicate()
        assert stored_count(db_path) < len(records)  # killed mid-run, not after
        assert job_dir.exists()  # something to resume from
        resumed = run(command)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    database = sqlite_utils.Database(db_path)
    rows = {row["id"]: row for row in database["written_questions"].rows}
    assert sorted(rows) == sorted(r["id"] for r in records)
    for record in records:
        row = rows[record["id"]]
        # a long answer from its detail, a short one as the list gives it
        listed = cut_for_list(record["answerText"])
        whole = record["answerText"] if listed.endswith("...") else listed
        assert (row["answer_html"], row["answer_truncated"]) == (whole, 0), record["id"]
    assert database["documents"].count == len(records)
    runs = list(database["crawl_runs"].rows)
    assert [r["status"] for r in runs] == ["interrupted", "finished"]
    assert "Resuming the unfinished crawl" in resumed.stderr



def test_a_resumed_crawl_does_not_read_the_queue_a_killed_run_left(db_path, tmp_path):
    # A kill while Scrapy writes its queue of pending requests leaves it cut short: a resumed crawl
    # that read it failed and ended "finished" early (seen: 84 of 450 records). The lists are walked
    # again on resume, so the queue is dropped and only the seen-set kept.
    records = [made_up_question(n, long_answer=n % 2 == 0) for n in range(40)]
    job_dir = tmp_path / "job"
    (job_dir / "requests.queue").mkdir(parents=True)
    (job_dir / "requests.queue" / "active.json").write_text('{"1": ')  # cut short
    (job_dir / "requests.queue" / "1").write_bytes(b"\x80\x04\x95")
    (job_dir / "requests.seen").write_text("0" * 40 + "\n")
    with SlowDetails(records, detail_seconds=0) as api:
        resumed = run(crawl_command(api, db_path, job_dir))
    assert resumed.returncode == 0 and "Resuming the unfinished crawl" in resumed.stderr, resumed.stderr[-3000:]
    assert sqlite_utils.Database(db_path)["written_questions"].count == len(records)

# -- 2. a killed run is not left running ---------------------------------------------

def test_a_killed_run_is_marked_interrupted_by_the_next_run(db_path, tmp_path):
    records = [made_up_question(n, long_answer=True) for n in range(40)]
    with SlowDetails(records, detail_seconds=0.3) as api:
        process = start(crawl_command(api, db_path, tmp_path / "job", "-s", "STORE_BATCH_SIZE=5",
                                      "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2"))
        try:
            kill_when(process, lambda: stored_count(db_path) >= 5)
        finally:
            if process.poll() is None:
                process.kill()
            process.communicate()
        (killed,) = sqlite_utils.Database(db_path)["crawl_runs"].rows
        assert killed["status"] == "running" and killed["pid"] == process.pid
        # The next run of any crawl notices, says so in one line, and goes on.
        statements = run([sys.executable, "-m", "commitments", "--db", str(db_path), "crawl", "written-statements",
                          "--api-url", api.url, "--since", "2022-01-01", *FAST])
    assert statements.returncode == 0, statements.stderr[-3000:]
    notices = [line for line in statements.stderr.splitlines() if "interrupted" in line]
    assert len(notices) == 1 and f"pid {process.pid}" in notices[0] and "written_questions" in notices[0]
    runs = {r["spider"]: r for r in sqlite_utils.Database(db_path)["crawl_runs"].rows}
    interrupted = runs["written_questions"]
    # It ended when it last stored a batch, and says how many records it had stored by then.
    assert interrupted["status"] == "interrupted" and interrupted["finished"] == interrupted["updated"]
    assert interrupted["started"] <= interrupted["finished"] and interrupted["items_stored"] >= 5
    assert runs["written_statements"]["status"] == "finished"


def test_a_run_left_running_by_an_earlier_version_is_marked_interrupted(db_path, tmp_path):
    # Runs recorded no pid or host before the store's schema version 2: such a row, left
    # `running`, would otherwise stay running for ever.
    database = db.open_db(str(db_path))  # a store of ours, as `migrate` leaves it
    database["crawl_runs"].insert({"id": "old", "spider": "written_questions", "started": "2024-01-01T00:00:00+00:00",
                                   "status": "running", "params": "{}", "items_stored": 7})
    database.close()
    with SlowDetails([made_up_question(1, long_answer=False)], detail_seconds=0) as api:
        statements = run([sys.executable, "-m", "commitments", "--db", str(db_path), "crawl", "written-statements",
                          "--api-url", api.url, "--since", "2022-01-01", *FAST])
    assert statements.returncode == 0, statements.stderr[-3000:]
    assert "written_questions run started 2024-01-01T00:00:00+00:00 (left by an earlier version" in statements.stderr
    old = sqlite_utils.Database(db_path)["crawl_runs"].get("old")
    assert (old["status"], old["finished"]) == ("interrupted", "2024-01-01T00:00:00+00:00")


# -- 3. two writers at once ----------------------------------------------------------

def test_two_crawls_and_an_extraction_at_once_on_one_new_file(db_path, tmp_path):
    records = [made_up_question(n, long_answer=n % 2 == 0) for n in range(200)]
    with SlowDetails(records, detail_seconds=0) as api:
        small = ["-s", "API_PAGE_SIZE=50", "-s", "STORE_BATCH_SIZE=10"]
        # Writers wait for each other; on a loaded 2-core CI machine, longer than the 30 s default.
        patient = {"COMMITMENTS_BUSY_TIMEOUT": "120"}
        answered = start(crawl_command(api, db_path, tmp_path / "job1", *small), **patient)
        tabled = start(crawl_command(api, db_path, tmp_path / "job2", *small, "--date-field", "tabled"), **patient)
        time.sleep(2)
        extraction = start([sys.executable, "-m", "commitments", "--db", str(db_path), "extract"], **patient)
        results = [(p, *p.communicate(timeout=180)) for p in (answered, tabled, extraction)]
    for process, _out, err in results:
        assert process.returncode == 0 and "Traceback" not in err and "locked" not in err, err[-3000:]
    database = sqlite_utils.Database(db_path)
    assert database["written_questions"].count == len(records) == database["documents"].count
    assert [r["status"] for r in database["crawl_runs"].rows] == ["finished", "finished"]
    # The extraction grouped every mention it stored: none is left without its commitment.
    tracked = ", ".join(f"'{kind}'" for kind in TRACKED)
    assert database.execute(f"select count(*) from mentions where kind in ({tracked}) "
                            "and commitment_id is null").fetchone()[0] == 0


def test_the_same_crawl_twice_at_once_refuses_the_second_naming_the_first(db_path, tmp_path):
    records = [made_up_question(n, long_answer=True) for n in range(30)]
    with HeldDetails(records) as api:
        command = crawl_command(api, db_path, tmp_path / "job", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2")
        first = start(command)
        deadline = time.monotonic() + 60
        while not any(p.startswith(QUESTIONS + "/") for p in api.requests):  # the first is under way
            assert first.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        # The first stays under way (its details held) until the second has answered, however
        # long a loaded machine takes to start the second.
        try:
            second = run(command)
        finally:
            api.release()
        _out, first_err = first.communicate(timeout=180)
    assert second.returncode == 1 and "Traceback" not in second.stderr
    (line,) = second.stderr.strip().splitlines()
    assert "already running" in line and f"pid {first.pid}" in line
    assert first.returncode == 0, first_err[-3000:]
    assert sqlite_utils.Database(db_path)["written_questions"].count == len(records)


def test_a_writer_kept_waiting_too_long_says_who_holds_the_store(db_path, tmp_path):
    records = tmp_path / "records.jsonl"
    records.write_text(json.dumps({"record_type": "rejection", "source": "test", "url": "u", "reason": "r"}) + "\n")
    run([sys.executable, "-m", "commitments", "--db", str(db_path), "load", str(records)])
    # Another process takes the write lock and sits on it.
    holder = start([sys.executable, "-c", "import time, db\n"
                    f"store = db.open_db({str(db_path)!r})\n"
                    "store.conn.execute('BEGIN IMMEDIATE')\n"
                    "print('holding', flush=True)\n"
                    "time.sleep(60)\n"])
    try:
        assert holder.stdout.readline().strip() == "holding"
        load = run([sys.executable, "-m", "commitments", "--db", str(db_path), "load", str(records)],
                   COMMITMENTS_BUSY_TIMEOUT="1")
        with SlowDetails([], detail_seconds=0) as api:
            crawl = run(crawl_command(api, db_path, tmp_path / "job"), COMMITMENTS_BUSY_TIMEOUT="1")
    finally:
        holder.kill()
        holder.communicate()
    for result in (load, crawl):
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-3000:]
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        line = result.stderr.strip()
        assert "locked by another writer" in line and f"{holder.pid} (" in line


# -- 4. redirect loops ---------------------------------------------------------------

class RedirectLoops(RecordedApi):
    """Answers like the API, except that each path in `loops` redirects to itself."""

    def __init__(self, records, loops: set[str]):
        super().__init__(endpoints=[questions_endpoint(records)], committee_endpoints=[])
        self.loops = loops

    def __enter__(self):
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                api.requests.append(self.path)
                if self.path.split("?")[0] in api.loops:
                    status, body, headers = 302, b"", {"Location": self.path}
                else:
                    (status, body), headers = api.respond(self.path), {"Content-Type": "application/json"}
                self.send_response(status)
                for name, value in {**headers, "Content-Length": str(len(body))}.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self


def test_a_detail_that_redirects_to_itself_is_a_rejection_and_an_incomplete_run(db_path, tmp_path):
    records = [made_up_question(n, long_answer=True) for n in range(10)]
    looping = records[3]["id"]
    with RedirectLoops(records, {f"{QUESTIONS}/{looping}"}) as api:
        result = run(crawl_command(api, db_path, tmp_path / "job"))
    assert result.returncode == 1 and "incomplete" in result.stderr
    database = sqlite_utils.Database(db_path)
    (rejection,) = database["rejections"].rows
    assert rejection["record_id"] == str(looping) and f"{QUESTIONS}/{looping}" in rejection["url"]
    assert "redirect loop" in rejection["reason"]
    # The record is kept with the list's cut text, flagged; its neighbours are whole.
    assert database["written_questions"].count == len(records)
    assert database["written_questions"].get(looping)["answer_truncated"] == 1
    assert database["written_questions"].count_where("answer_truncated = 0") == len(records) - 1
    assert [r["status"] for r in database["crawl_runs"].rows] == ["incomplete"]
    assert sum(1 for p in api.requests if p.startswith(f"{QUESTIONS}/{looping}")) <= 3  # not 20 times round


def test_a_list_page_in_a_redirect_loop_is_a_rejection(db_path, tmp_path):
    records = [made_up_question(n, long_answer=False) for n in range(5)]
    with RedirectLoops(records, {QUESTIONS}) as api:
        result = run(crawl_command(api, db_path, tmp_path / "job"))
    assert result.returncode == 1
    (rejection,) = sqlite_utils.Database(db_path)["rejections"].rows
    assert "list page unavailable (redirect loop" in rejection["reason"]


def test_two_stores_in_one_folder_crawling_the_same_window_are_two_jobs(tmp_path):
    from commitments.crawl import default_job_dir

    args = {"since": "2024-01-01"}
    first = default_job_dir(str(tmp_path / "a.db"), "written_questions", args)
    assert first != default_job_dir(str(tmp_path / "b.db"), "written_questions", args)
    assert first == default_job_dir(str(tmp_path / "a.db"), "written_questions", dict(args))
    assert first != default_job_dir(str(tmp_path / "a.db"), "written_statements", args)


def test_a_write_sqlite_refuses_at_once_is_not_reported_as_a_long_wait(db_path):
    # A transaction that read before another writer committed cannot take the write lock
    # (SQLITE_BUSY_SNAPSHOT): SQLite refuses at once. The error must say so, not claim a
    # writer held the store for the whole busy timeout.
    reader, writer = db.open_db(str(db_path)), db.open_db(str(db_path))
    reader.conn.execute("SAVEPOINT look")  # a deferred transaction: reads first
    reader.conn.execute("select count(*) from crawl_runs").fetchall()
    with writer.conn:
        writer["crawl_runs"].insert({"id": "other", "spider": "x", "started": "2024-01-01", "status": "finished"})
    started = time.monotonic()
    try:
        reader.conn.execute("delete from crawl_runs")
    except StoreBusy as exc:
        message = str(exc)
    else:
        raise AssertionError("the stale transaction was allowed to write")
    assert time.monotonic() - started < 5
    assert "refused to wait" in message and "SQLITE_BUSY_SNAPSHOT" in message and "stayed locked" not in message
    # The other writer is a connection of this same process: it is named as such, not as unknown.
    assert "none but this one" in message
