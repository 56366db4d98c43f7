"""How the store writes a batch: few statements a record, the same rows as before, and a
refused record still leaving nothing of itself behind."""

import db
from bench.store_speed import api_values, pipeline_records


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
