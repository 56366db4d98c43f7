"""Foreign keys that let Datasette show names instead of ids, added to an older store once,
without losing its full-text search triggers, and not again on every run."""

import sqlite_utils

from db.schema import FOREIGN_KEYS, ensure_db_shape


def keys(db: sqlite_utils.Database, table: str) -> set[tuple[str, str]]:
    return {(fk.column, fk.other_table) for fk in db[table].foreign_keys}


def test_a_new_store_has_every_foreign_key_from_the_start():
    db = sqlite_utils.Database(memory=True)
    ensure_db_shape(db)
    for table, fks in FOREIGN_KEYS.items():
        assert {(column, other) for column, other, _pk in fks} == keys(db, table), table
    assert ("asking_member_id", "members") in keys(db, "written_questions")
    assert ("member_id", "members") in keys(db, "written_statements")


def test_an_older_store_gains_the_keys_once_and_keeps_its_search(tmp_path):
    path = tmp_path / "old.db"
    db = sqlite_utils.Database(path)
    ensure_db_shape(db)
    # the version-1 shape: written_questions pointed at bodies only, written_statements at nothing
    for table, kept in (("written_questions", [("answering_body_id", "bodies", "id")]), ("written_statements", [])):
        triggers = db[table].triggers_dict
        db[table].transform(drop_foreign_keys=[c for c, _o in keys(db, table) if (c, _o, "id") not in kept])
        for sql in triggers.values():
            db.execute(sql)
    db["written_questions"].insert({"id": 1, "heading": "Zebra crossings", "asking_member_id": 7})
    assert keys(db, "written_questions") == {("answering_body_id", "bodies")}
    db.close()

    db = sqlite_utils.Database(path)
    ensure_db_shape(db)
    assert ("asking_member_id", "members") in keys(db, "written_questions")
    assert ("member_id", "members") in keys(db, "written_statements")
    # the copy sqlite-utils makes drops triggers: full-text search must still follow new rows
    db["written_questions"].insert({"id": 2, "heading": "Pelican crossings", "asking_member_id": 7})
    assert [r["id"] for r in db["written_questions"].search("pelican")] == [2]
    assert [r["id"] for r in db["written_questions"].search("zebra")] == [1]

    # a second run finds every key and copies nothing
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    ensure_db_shape(db)
    db.conn.set_trace_callback(None)
    assert not [s for s in statements if "_new_" in s or s.lower().startswith(("vacuum", "alter table"))], statements
