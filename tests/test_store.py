"""The store: idempotent upserts, documents, rejections, ensure_db_shape."""

import contextlib
import json
import os
import sqlite3
import subprocess
import sys
import time

import sqlite_utils

import db
from common.text import html_to_text
from spiders.items import Rejection
from spiders.written_questions import parse_question
from spiders.written_statements import parse_statement
from tests.conftest import FIXTURES, ROOT, run_cli
from dataclasses import asdict

DETAIL = json.loads((FIXTURES / "written_questions" / "detail-9100003.json").read_text())["value"]
LIST = json.loads((FIXTURES / "written_questions" / "list-cut-and-holding.json").read_text())


def memory_db():
    database = sqlite_utils.Database(memory=True)
    db.ensure_db_shape(database)
    return database


def snapshot(database):
    return {t: list(database[t].rows) for t in ("documents", "written_questions", "members", "bodies", "rejections")}


def test_question_rows_members_body_and_document():
    database = memory_db()
    assert db.save_records(database, [asdict(parse_question(DETAIL))]) == {"stored": 1, "rejected": 0}
    row = database["written_questions"].get(9100003)
    assert row["uin"] == "HL401" and row["house"] == "Lords" and row["answering_body"] == "Cabinet Office"
    assert json.loads(row["grouped_questions"]) == ["HL402"] and json.loads(row["raw"])["id"] == 9100003
    assert {m["name"] for m in database["members"].rows} == {"Lord Kennedy of Southwark", "Earl Howe"}
    assert database["bodies"].get(53)["name"] == "Cabinet Office"
    document = database["documents"].get("written_question:9100003")
    assert document["body"] == "Cabinet Office" and document["person"] == "Earl Howe"
    assert document["text"] == html_to_text(DETAIL["answerText"]) and len(document["content_hash"]) == 64


def test_saving_the_same_records_twice_changes_no_row():
    database = memory_db()
    records = [asdict(parse_question(DETAIL)), asdict(parse_question(LIST["results"][1]["value"]))]
    db.save_records(database, records)
    before = snapshot(database)
    db.save_records(database, records)
    assert snapshot(database) == before


def test_a_cut_text_never_overwrites_a_full_one():
    database = memory_db()
    db.save_records(database, [asdict(parse_question(DETAIL))])
    cut = asdict(parse_question(LIST["results"][0]["value"]))
    cut["answer_truncated"] = True
    db.save_records(database, [cut])
    assert database["written_questions"].get(9100003)["answer_html"] == DETAIL["answerText"]
    assert database["documents"].get("written_question:9100003")["text_truncated"] == 0


def test_bad_records_become_rejections_and_the_good_ones_stay():
    database = memory_db()
    counts = db.save_records(database, [{"record_type": "written_question"}, {"record_type": "nonsense", "id": 1},
                                        asdict(parse_question(DETAIL))])
    assert counts == {"stored": 1, "rejected": 2}
    reasons = " | ".join(r["reason"] for r in database["rejections"].rows)
    assert "no id" in reasons and "unknown record_type 'nonsense'" in reasons
    assert database["written_questions"].count == 1


def test_the_same_rejection_is_stored_once():
    database = memory_db()
    rejection = asdict(Rejection(source="written_question", url="http://x/1", reason="HTTP 500", record_id="1"))
    db.save_records(database, [rejection, rejection])
    assert database["rejections"].count == 1


def test_statement_document_and_renamed_body_keeps_its_old_name():
    database = memory_db()
    statement = json.loads((FIXTURES / "written_statements" / "list.json").read_text())["results"][0]["value"]
    db.save_records(database, [asdict(parse_statement(statement))])
    assert database["documents"].get(f"written_statement:{statement['id']}")["source"] == "written_statement"
    renamed = dict(statement, answeringBodyName="Department for Renamed Things")
    db.save_records(database, [asdict(parse_statement(renamed))])
    body = database["bodies"].get(statement["answeringBodyId"])
    assert body["name"] == "Department for Renamed Things" and statement["answeringBodyName"] in json.loads(body["aliases"])


def test_ensure_db_shape_is_safe_to_rerun_and_adds_search_and_views():
    database = memory_db()
    db.ensure_db_shape(database)
    db.ensure_db_shape(database)
    assert database["documents"].detect_fts() and database["mentions"].detect_fts()
    assert {"trackable_mentions", "written_answers"} <= set(database.view_names())


def test_html_to_text_keeps_paragraphs_and_list_items_apart():
    text = html_to_text("<p>The Government will:</p><ul><li>publish a plan;</li><li>consult.</li></ul><p>Next.</p>")
    assert text.splitlines() == ["The Government will:", "- publish a plan;", "- consult.", "Next."]


def test_load_command_stores_records_and_rejects_bad_lines(tmp_path, db_path):
    source = tmp_path / "records.jsonl"
    source.write_text(json.dumps(asdict(parse_question(DETAIL))) + "\nnot json\n")
    result = run_cli("load", source, db=db_path)
    assert "stored 1, rejected 1" in result.stderr
    database = sqlite_utils.Database(db_path)
    assert database["written_questions"].count == 1
    assert "not JSON" in next(iter(database["rejections"].rows))["reason"]


def test_a_record_the_database_refuses_is_rejected_and_its_neighbours_stored():
    import db as store

    database = store.open_db(":memory:")
    good = [{"record_type": "written_question", "id": n, "answering_body_id": 10, "answering_body": "Cabinet Office",
             "answer_html": "<p>We will publish it.</p>", "date_answered": "2021-02-01"} for n in (1, 2, 3)]
    bad = {**good[0], "id": 4, "answering_body_id": "ten"}  # the bodies table's key is an integer
    counts = store.save_records(database, [good[0], bad, good[1], good[2]])
    assert counts == {"stored": 3, "rejected": 1}
    assert sorted(r["id"] for r in database["written_questions"].rows) == [1, 2, 3]
    (rejection,) = database["rejections"].rows
    assert rejection["record_id"] == "4" and "mismatch" in rejection["reason"]


def test_load_stores_a_batch_at_a_time_while_the_file_is_still_being_read(db_path):
    # `load -` from a pipe: the first 200 records are stored before the rest are written,
    # so the records of a large file are never all held at once.
    from bench.store_speed import api_values, pipeline_records

    lines = [json.dumps(record, default=str) + "\n" for record in pipeline_records(api_values(250))]
    process = subprocess.Popen([sys.executable, "-m", "commitments", "--db", str(db_path), "load", "-"],
                               stdin=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                               env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        process.stdin.write("".join(lines[:210]))
        process.stdin.flush()
        deadline, stored = time.monotonic() + 60, 0
        while stored < 200 and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.2)
            with contextlib.suppress(sqlite3.OperationalError):  # not yet made, or being written
                with contextlib.closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as conn:
                    stored = conn.execute("select count(*) from written_questions").fetchone()[0]
        assert stored == 200, "nothing stored before the end of the input"
        process.stdin.write("".join(lines[210:]))
        process.stdin.close()
        assert process.wait(timeout=60) == 0
    finally:
        if process.poll() is None:
            process.kill()
    assert "stored 250, rejected 0" in process.stderr.read()
    process.stderr.close()
