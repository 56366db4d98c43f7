"""Extraction in shards: N processes on one store extract each document once, and the store
ends exactly as one run leaves it. Real SQLite files, real `commitments extract` subprocesses."""

import re
import shutil
from dataclasses import asdict
from datetime import date

import pytest
import sqlite_utils

import db
from common import config
from extract.runner import run_extraction
from extract.shards import ShardError, in_shard, parse_shard, shard_of
from spiders.written_questions import parse_question
from tests.conftest import run_cli
from tests.test_resume_and_locks import made_up_question

PLEDGES = [
    "The Department will publish the review of measure {n} by March 2025.",
    "We will consult on the reform of scheme {n} in the spring.",
    "The Government has delivered the programme for area {n} and will report on it next year.",
    "Ministers intend to introduce legislation on matter {n} when parliamentary time allows.",
]


def question(n: int) -> dict:
    record = made_up_question(n, long_answer=False)
    record["answerText"] = "<p>" + " ".join(PLEDGES[(n + k) % len(PLEDGES)].format(n=n) for k in range(2)) + "</p>"
    return record


def mentions(path) -> list[dict]:
    database = sqlite_utils.Database(path)
    return sorted(database["mentions"].rows, key=lambda row: row["id"])


def test_shards_split_the_documents_without_gaps_or_overlap():
    documents = [{"id": f"written_question:{n}"} for n in range(500)]
    for count in (1, 2, 3, 7):
        parts = [list(in_shard(documents, index, count)) for index in range(1, count + 1)]
        assert sorted(d["id"] for part in parts for d in part) == sorted(d["id"] for d in documents)
        assert all(parts) or count > len(documents)
    # Stable across processes and runs (not Python's salted hash).
    assert shard_of("written_question:7000001", 4) == shard_of("written_question:7000001", 4)
    assert parse_shard(" 2/4 ") == (2, 4)
    for bad in ("0/2", "3/2", "2", "a/b", ""):
        with pytest.raises(ShardError):
            parse_shard(bad)


def test_two_shards_store_exactly_the_mentions_of_one_run(tmp_path):
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    database = db.open_db(one)
    db.save_records(database, [asdict(parse_question(question(n))) for n in range(24)])
    database.close()
    shutil.copy(one, two)

    # One run, in this process (the model loads once for the whole test session) ...
    database = db.open_db(one)
    run_extraction(database, config.model_name(), as_of=date(2024, 1, 1))
    database.close()
    # ... and two shards at once, each a process of its own, then the grouping.
    result = run_cli("extract", "--shards", "2", "--as-of", "2024-01-01", db=two)
    # Each document went to one shard, and each shard had some.
    extracted = [int(n) for n in re.findall(r"shard [12]/2: (\d+) documents extracted", result.stderr)]
    assert len(extracted) == 2 and all(extracted) and sum(extracted) == 24, result.stderr
    assert "2 shards done" in result.stderr

    assert len(mentions(one)) >= 24
    assert mentions(two) == mentions(one)
    for table in ("extraction_state", "commitments"):
        rows = [sorted(sqlite_utils.Database(path)[table].rows, key=lambda r: str(list(r.values())[0]))
                for path in (one, two)]
        assert rows[0] == rows[1], table
    # Each document was extracted by one shard: nothing is left pending, and a rerun does no work.
    again = run_cli("extract", "--shard", "1/2", db=two)
    assert "shard 1/2: 0 documents extracted" in again.stderr


def test_a_bad_shard_is_a_usage_error(tmp_path):
    result = run_cli("extract", "--shard", "3/2", db=tmp_path / "x.db", check=False)
    assert result.returncode == 2 and "K must be from 1 to N" in result.stderr
    result = run_cli("extract", "--shard", "1/2", "--shards", "2", db=tmp_path / "x.db", check=False)
    assert result.returncode == 2 and "not both" in result.stderr
