"""How the store writes a batch: few statements a record, the same rows as before, and a
refused record still leaving nothing of itself behind."""

import json
import re
import sqlite3
from dataclasses import asdict

import pytest

import db
from bench.store_speed import api_values, pipeline_records
from spiders.written_statements import parse_statement
from tests.conftest import FIXTURES


def statements_while(database, action) -> list[str]:
    """The statements `action` runs (not those its triggers run: the trace marks them "-- ",
    and repeats a statement once for each trigger it fires)."""
    seen: list[str] = []
    database.conn.set_trace_callback(seen.append)
    try:
        action()
    finally:
        database.conn.set_trace_callback(None)
    # A statement that fires several triggers comes back between their "-- " lines, once for each.
    plain = [s for s in seen if not s.startswith("-- ")]
    return [s for n, s in enumerate(plain) if n == 0 or plain[n - 1] != s]


def test_a_batch_costs_a_few_statements_a_record_and_no_schema_reads(tmp_path):
    database = db.open_db(tmp_path / "store.db")
    records = pipeline_records(api_values(50))
    with database.conn:
        seen = statements_while(database, lambda: db.save_records(database, records))
    # A question, its document, its body looked up, up to three members: sqlite-utils'
    # upserts re-read the schema each time (about forty statements a record).
    assert len(seen) <= 6 * len(records), len(seen)
    # The table's columns are read once for the connection, not once a record.
    schema_reads = [s for s in seen if "sqlite_master" in s.lower() or s.lower().startswith("pragma")]
    assert len(schema_reads) <= 4, schema_reads
    assert database["written_questions"].count == 50 and database["documents"].count == 50


def test_a_member_renamed_later_in_the_batch_is_stored_with_the_later_name():
    database = db.open_db(":memory:")
    first, second = pipeline_records(api_values(2))
    member = dict(first["asking_member"])
    second["asking_member"] = {**member, "name": "A New Name"}
    second["asking_member_id"] = member["id"]
    assert db.save_records(database, [first, second]) == {"stored": 2, "rejected": 0}
    assert database["members"].get(member["id"])["name"] == "A New Name"


def test_a_refused_record_leaves_none_of_its_rows_and_its_neighbours_are_stored():
    database = db.open_db(":memory:")
    good = pipeline_records(api_values(3))
    bad = {**good[1], "id": 5, "asking_member": {"id": 77, "name": "Only In The Bad Record"},
           "asking_member_id": 77, "answering_body_id": "ten"}  # the bodies table's key is an integer
    counts = db.save_records(database, [good[0], bad, good[1], good[2]])
    assert counts == {"stored": 3, "rejected": 1}
    assert sorted(r["id"] for r in database["written_questions"].rows) == sorted(r["id"] for r in good)
    assert database["members"].count_where("id = 77") == 0  # written before the body failed, undone with it
    assert [r["record_id"] for r in database["rejections"].rows] == ["5"]


def test_stored_rows_are_the_same_whether_a_batch_stores_whole_or_record_by_record():
    whole, replayed = db.open_db(":memory:"), db.open_db(":memory:")
    records = pipeline_records(api_values(30))
    db.save_records(whole, records)
    # A refused record makes the batch go record by record.
    db.save_records(replayed, records + [{"record_type": "written_question", "id": 1, "answering_body_id": "x",
                                          "answering_body": "X"}])
    for table in ("written_questions", "documents", "members", "bodies"):
        assert list(whole[table].rows) == list(replayed[table].rows), table


def test_a_body_renamed_and_named_again_in_one_batch_is_stored_as_record_by_record():
    whole, one_by_one = db.open_db(":memory:"), db.open_db(":memory:")
    records = pipeline_records(api_values(6))
    for record, name in zip(records, ["Old Name", "New Name", "Old Name", "Old Name", "New Name", "New Name"]):
        record["answering_body_id"], record["answering_body"] = 10, name
    db.save_records(whole, records)
    for record in records:
        db.save_records(one_by_one, [record])
    assert list(whole["bodies"].rows) == list(one_by_one["bodies"].rows)
    assert whole["bodies"].get(10)["name"] == "New Name"


def test_a_body_named_again_in_the_batch_is_not_looked_up_again(tmp_path):
    database = db.open_db(tmp_path / "store.db")
    records = pipeline_records(api_values(60))
    with database.conn:
        seen = statements_while(database, lambda: db.save_records(database, records))
    lookups = [s for s in seen if s.startswith('SELECT * FROM "bodies"')]
    assert len(lookups) == len({r["answering_body_id"] for r in records})


def test_answers_lxml_html_could_not_read_are_stored_with_their_neighbours():
    # These raised from lxml.html (ParserError, AssertionError: not store errors), which
    # ended the whole batch with a traceback.
    database = db.open_db(":memory:")
    records = pipeline_records(api_values(4))
    records[1]["answer_html"], records[2]["answer_html"] = "<!DOCTYPE", "<html></html>"
    assert db.save_records(database, records) == {"stored": 4, "rejected": 0}
    # Nothing to read in them: no document, as for an empty answer.
    assert database["documents"].count == 2 and database["written_questions"].count == 4


# Batches across a run: members already stored are not written again, a batch's questions and
# documents go to the file a few rows a statement, and the rows are those of storing one record
# at a time with one statement a row.

def varied_batches() -> list[list[dict]]:
    """Batches as a crawl hands them, with what the batched writes must get right: a record
    stored again later in the same batch with a new answer, a cut text after the full one in
    the same batch (the cut one must not overwrite it), a member renamed between batches, a
    withdrawn question, a written statement, a body renamed, and a second pass over a batch."""
    records = pipeline_records(api_values(40))
    first, second = records[:20], records[20:40]
    again = {**first[5], "answer_html": "<p>A corrected answer.</p>"}
    cut = {**second[3], "answer_html": second[3]["answer_html"][:40], "answer_truncated": True}
    renamed = {**second[4], "asking_member": {**first[0]["asking_member"], "name": "A Renamed Member"}}
    renamed["asking_member_id"] = renamed["asking_member"]["id"]
    # ... and named as before by a later record of the same batch.
    named_again = {**second[8], "asking_member": dict(first[0]["asking_member"]),
                   "asking_member_id": first[0]["asking_member"]["id"]}
    second[6] = {**second[6], "is_withdrawn": True}
    second[7] = {**second[7], "answering_body": "Department for Renamed Things"}
    statement = json.loads((FIXTURES / "written_statements" / "list.json").read_text())["results"][0]["value"]
    middle = second[:4] + [again, cut] + second[4:] + [renamed, named_again, asdict(parse_statement(statement))]
    return [first, middle, first]


def every_row(database) -> dict[str, list]:
    """Every table's rows with their rowids, and each full-text index's content (every term,
    document, column and position); not the rejections (the replay below adds one), nor the
    full-text shadow tables whose segment layout depends on when SQLite flushed them."""
    out = {}
    for name in database.table_names():
        if name == "rejections" or re.search(r"_fts_(data|idx)$", name):
            continue
        out[name] = database.execute(f'select rowid, * from "{name}" order by rowid').fetchall() \
            if not name.endswith("_fts_config") else database.execute(f'select * from "{name}"').fetchall()
    for name in [n for n in database.table_names() if n.endswith("_fts")]:
        database.execute(f'create virtual table if not exists temp."vocab_{name}" '
                         f'using fts5vocab(main, "{name}", instance)')
        out[f"vocab {name}"] = database.execute(f'select * from temp."vocab_{name}" order by 1, 2, 3, 4').fetchall()
    return out


def test_batches_store_every_row_as_one_record_at_a_time_with_one_statement_a_row(tmp_path):
    batched, replayed = db.open_db(tmp_path / "batched.db"), db.open_db(tmp_path / "replayed.db")
    refused = {"record_type": "written_question", "id": 1, "answering_body_id": "x", "answering_body": "X"}
    batches = varied_batches()
    for records in batches:
        with batched.conn:
            assert db.save_records(batched, records) == {"stored": len(records), "rejected": 0}
        # A refused record makes a batch store record by record, each row written when given.
        with replayed.conn:
            assert db.save_records(replayed, records + [refused]) == {"stored": len(records), "rejected": 1}
        assert every_row(batched) == every_row(replayed)
        if len(records) > 20:  # the second batch: what its cases are for
            member = batches[0][0]["asking_member"]  # renamed, then named as before
            assert batched["members"].get(member["id"])["name"] == member["name"]
            assert batched["written_questions"].get(records[5]["id"])["answer_truncated"] == 0
            assert batched["written_questions"].get(records[4]["id"])["answer_html"] == "<p>A corrected answer.</p>"


def test_members_stored_by_an_earlier_batch_are_not_written_again(tmp_path):
    database = db.open_db(tmp_path / "store.db")
    first = pipeline_records(api_values(50))
    later = pipeline_records(api_values(50, seed=15, start=50))
    for record, earlier in zip(later, first):  # the same members as the first batch, as a long crawl meets them
        for field in ("asking_member", "answering_member"):
            record[field] = dict(earlier[field])
            record[f"{field}_id"] = earlier[field]["id"]
    with database.conn:
        db.save_records(database, first)
    with database.conn:
        seen = statements_while(database, lambda: db.save_records(database, later))
    assert not [s for s in seen if s.startswith('INSERT INTO "members"')]
    # 50 questions and their documents in a few statements each, not one a row.
    assert len([s for s in seen if s.startswith('INSERT INTO "written_questions"')]) <= 3
    assert len([s for s in seen if s.startswith('INSERT INTO "documents"')]) <= 3
    assert database["written_questions"].count == 100 and database["documents"].count == 100


def test_members_are_written_again_after_a_rollback_or_another_writer(tmp_path):
    # What a batch knows of the store ends with it: a caller that rolls back the batch's
    # transaction, or another process that changes a member in between, cannot leave the
    # next batch believing a member is stored as it gives it.
    database = db.open_db(tmp_path / "store.db")
    first, second, third = (pipeline_records(api_values(10, start=n)) for n in (0, 10, 20))
    member = first[0]["asking_member"]
    with pytest.raises(RuntimeError), database.conn:
        db.save_records(database, first)
        raise RuntimeError("the caller's transaction fails after the batch was stored")
    assert database["members"].count == 0
    second[0]["asking_member"], second[0]["asking_member_id"] = dict(member), member["id"]
    with database.conn:
        db.save_records(database, second)
    assert database["members"].get(member["id"])["name"] == member["name"]
    other = sqlite3.connect(tmp_path / "store.db")
    with other:
        other.execute("update members set name = 'Changed Elsewhere' where id = ?", [member["id"]])
    other.close()
    third[0]["asking_member"], third[0]["asking_member_id"] = dict(member), member["id"]
    with database.conn:
        db.save_records(database, third)
    assert database["members"].get(member["id"])["name"] == member["name"]


def test_a_record_refused_at_the_end_of_a_batch_leaves_its_neighbours_stored(tmp_path):
    # The batch's questions are written when the batch ends: a question the database refuses
    # (a text where its integer key belongs) fails there, and the batch goes record by record.
    database = db.open_db(tmp_path / "store.db")
    records = pipeline_records(api_values(5))
    records[2] = {**records[2], "id": "not a number"}
    with database.conn:
        assert db.save_records(database, records) == {"stored": 4, "rejected": 1}
    assert database["written_questions"].count == 4 and database["documents"].count == 4
    assert [r["record_id"] for r in database["rejections"].rows] == ["not a number"]


def test_rejections_and_other_records_in_a_batch_keep_the_rows_as_one_at_a_time(tmp_path):
    # A press article (its own saver, which writes documents itself) and rejections between the
    # questions: the deferred rows are written before a saver that may read them runs.
    batched, replayed = db.open_db(tmp_path / "batched.db"), db.open_db(tmp_path / "replayed.db")
    records = pipeline_records(api_values(6))
    article = {"record_type": "article", "url": "https://news.example/a", "title": "A title",
               "text": "The government will publish a strategy.", "outlet": "News", "published": "2021-01-02",
               "content_hash": "0" * 64, "relevant": True}
    rejection = {"record_type": "rejection", "source": "written_question", "url": "http://api.example/q/1",
                 "record_id": "1", "reason": "not a record", "excerpt": "{}"}
    mixed = [records[0], rejection, records[1], article, {**records[0], "answer_html": "<p>Later.</p>"}, records[2]]
    refused = {"record_type": "written_question", "id": 1, "answering_body_id": "x", "answering_body": "X"}
    assert db.save_records(batched, mixed) == {"stored": 6, "rejected": 0}
    assert db.save_records(replayed, mixed + [refused]) == {"stored": 6, "rejected": 1}
    assert every_row(batched) == every_row(replayed)
    assert batched["documents"].get(f"written_question:{records[0]['id']}")["text"] == "Later."


def test_a_rejection_between_questions_does_not_cut_their_multi_row_writes_short(tmp_path):
    database = db.open_db(tmp_path / "store.db")
    records = pipeline_records(api_values(10))
    rejection = {"record_type": "rejection", "source": "written_question", "url": "http://api.example/q/1",
                 "record_id": "1", "reason": "not a record", "excerpt": "{}"}
    with database.conn:
        seen = statements_while(database, lambda: db.save_records(database, records[:5] + [rejection] + records[5:]))
    assert len([s for s in seen if s.startswith('INSERT INTO "written_questions"')]) == 1
    assert database["written_questions"].count == 10 and database["rejections"].count == 1
