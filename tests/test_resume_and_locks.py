"""Losing nothing when a crawl is killed, resumed, run twice at once, or sent round in circles.

Real crawls in subprocesses against a local server, real signals, one real SQLite file.
"""

import os
import signal
import subprocess
import sys
import time

import sqlite_utils

from commitments.demo.server import Endpoint, RecordedApi, cut_for_list
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
        super().__init__(endpoints=[questions_endpoint(records)], committee_endpoints=[])
        self.detail_seconds = detail_seconds

    def respond(self, raw_path):
        if raw_path.startswith(QUESTIONS + "/"):
            time.sleep(self.detail_seconds)
        return super().respond(raw_path)


def crawl_command(api, db_path, job_dir, *extra) -> list[str]:
    return [sys.executable, "-m", "commitments", "--db", str(db_path), "crawl", "written-questions",
            "--api-url", api.url, "--since", "2022-01-01", "--until", "2022-12-31", "--job-dir", str(job_dir),
            *FAST, *extra]


def run(command, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, **kwargs)


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
    # job directory remembers.
    records = [made_up_question(n, long_answer=n % 5 != 0) for n in range(300)]
    job_dir = tmp_path / "job"
    with SlowDetails(records, detail_seconds=0.02) as api:
        command = crawl_command(api, db_path, job_dir, "-s", "API_PAGE_SIZE=100", "-s", "STORE_BATCH_SIZE=25",
                                "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8")
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                                   env={**os.environ, "PYTHONPATH": str(ROOT)})
        try:
            kill_when(process, lambda: stored_count(db_path) >= 60)
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
