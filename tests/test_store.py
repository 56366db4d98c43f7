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


def test_written_answers_names_the_asking_and_answering_members():
    database = memory_db()
    database["members"].insert_all([{"id": 1, "name": "Asking Member"}, {"id": 2, "name": "Answering Member"}])
    database["written_questions"].insert_all([
        {"id": 10, "house": "Commons", "asking_member_id": 1, "answering_member_id": 2},
        {"id": 11, "house": "Lords", "asking_member_id": 3, "answering_member_id": None}])  # 3: no such member
    named = {row["id"]: (row["asking_member"], row["answering_member"]) for row in database["written_answers"].rows}
    assert named == {10: ("Asking Member", "Answering Member"), 11: (None, None)}


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
# -- what extraction finds to do: a queue, not a scan of the store ------------------------------

VERSION = "0.0.0+test"


def _documents(database, count: int, start: int = 0, text: str = "The Government will publish it.") -> list[dict]:
    from db.documents import save_document

    with database.atomic():
        for n in range(start, start + count):
            save_document(database, source="written_question", source_id=n, text=f"{text} {n}", date="2024-01-02")
    return [dict(row) for row in database.query(
        "select * from documents where source_id in (%s)" % ",".join(str(n) for n in range(start, start + count)))]


def _extracted(database, documents: list[dict], version: str = VERSION) -> None:
    db.save_mentions(database, [(document, []) for document in documents], version)


def _pending(database, version: str = VERSION) -> list[str]:
    return [d["id"] for d in db.pending_documents(database, version)]


def test_new_changed_and_differently_extracted_documents_are_pending(db_path):
    database = db.open_db(db_path)
    first = _documents(database, 3)
    assert _pending(database) == [d["id"] for d in first]
    _extracted(database, first)
    assert _pending(database) == [] and database["extraction_pending"].count == 0
    _documents(database, 1, start=0)  # saved again unchanged: nothing to do
    assert _pending(database) == []
    _documents(database, 1, start=1, text="The Government will now consult.")  # changed
    (new,) = _documents(database, 1, start=7)
    assert _pending(database) == ["written_question:1", new["id"]]
    database["documents"].delete_where("id = ?", [new["id"]])  # a press article found to be a copy is deleted
    assert _pending(database) == ["written_question:1"] and database["extraction_pending"].count == 1
    assert _pending(database, version="0.0.1+test") == [d["id"] for d in first]  # another extractor: everything
    assert [d["id"] for d in db.pending_documents(database, VERSION, force=True)] == [d["id"] for d in first]


def test_finding_the_new_documents_does_not_read_the_whole_store(db_path):
    """Measured in SQLite's own steps: before the queue, finding 1 new document among 2,000 took ten
    times the steps of finding it among 200 (and a minute on 1,000,000 documents)."""
    steps = {}
    for size in (200, 2000):
        database = db.open_db(db_path.with_name(f"store{size}.db"))
        _extracted(database, _documents(database, size))
        _documents(database, 1, start=size)
        ticks = []
        database.conn.set_progress_handler(lambda: ticks.append(1), 100)
        assert len(_pending(database)) == 1
        database.conn.set_progress_handler(None, 0)
        steps[size] = len(ticks)
    assert steps[2000] < 2 * steps[200] + 5, steps


def test_an_older_store_queues_what_it_had_not_extracted_when_migrated(db_path):
    database = db.open_db(db_path)
    documents = _documents(database, 3)
    _extracted(database, documents[:2])
    _documents(database, 1, start=1, text="Changed since it was extracted.")
    # The same store as version 2 left it: no queue, no triggers.
    for trigger in db.schema.PENDING_TRIGGERS:
        database.conn.execute(f"drop trigger {trigger}")
    database["extraction_pending"].drop()
    database.conn.execute("pragma user_version = 2")
    database.conn.commit()
    database.close()
    migrated = db.open_db(db_path)
    assert _pending(migrated) == ["written_question:1", "written_question:2"]
    _documents(migrated, 1, start=9)
    assert _pending(migrated) == ["written_question:1", "written_question:2", "written_question:9"]
