"""Incremental tracking gives, row for row, what a full run gives on the same store; and a full
run is taken whenever it could not (extract/incremental.py)."""

from datetime import date, timedelta

import pytest

import db
from bench.track_speed import add, build, copy_store, dump
from db.extraction import mention_id
from extract.runner import run_tracking

AS_OF = date(2026, 6, 1)


def full_copy(path, tmp_path, as_of=AS_OF, overrides=None):
    """The rows a full run gives on a copy of the store at `path`."""
    other = tmp_path / "full.db"
    copy_store(path, other)
    database = db.open_db(other)
    counts = run_tracking(database, overrides, as_of, full=True)
    assert counts["mode"] == "full"
    return dump(database)


@pytest.fixture()
def store(tmp_path):
    """A tracked store of 600 generated documents (mentions, reports, negatives) and its generator."""
    path = tmp_path / "store.db"
    generator = build(path, 600)
    database = db.open_db(path)
    assert run_tracking(database, None, AS_OF)["mode"] == "full"
    return path, database, generator


def test_new_documents_are_tracked_incrementally_with_the_rows_a_full_run_gives(store, tmp_path):
    path, database, generator = store
    for day in range(3):
        add(database, generator.documents(40, date(2025, 1, 2) + timedelta(days=day), 1))
        counts = run_tracking(database, None, AS_OF)
        assert counts["mode"] == "incremental", counts
        assert counts["new_mentions"] >= 40 and counts["rows_changed"] > 0
        assert dump(database) == full_copy(path, tmp_path)
    # nothing new: nothing written, still incremental
    counts = run_tracking(database, None, AS_OF)
    assert counts["mode"] == "incremental" and counts["rows_changed"] == 0


def test_new_reports_alone_link_to_old_commitments_incrementally(store, tmp_path):
    path, database, generator = store
    documents = generator.documents(60, date(2025, 1, 2), 1)
    for document in documents:
        document["mentions"] = [m for m in document["mentions"] if m["kind"] == "negative"]
    add(database, documents)
    before = {r["id"]: r["status"] for r in database["commitments"].rows}
    counts = run_tracking(database, None, AS_OF)
    assert counts["mode"] == "incremental" and counts["new_mentions"] == 0
    assert dump(database) == full_copy(path, tmp_path)
    after = {r["id"]: r["status"] for r in database["commitments"].rows}
    assert after.keys() == before.keys() and after != before  # reports delivered or dropped some


def test_a_new_as_of_date_re_derives_every_status_incrementally(store, tmp_path):
    path, database, _generator = store
    later = date(2040, 1, 1)
    counts = run_tracking(database, None, later)
    assert counts["mode"] == "incremental" and counts["rows_changed"] > 0
    assert {r["checked"] for r in database["commitments"].rows} == {"2040-01-01"}
    assert dump(database) == full_copy(path, tmp_path, later)


def test_late_documents_of_the_last_day_grouped_are_tracked_incrementally(store, tmp_path):
    # A daily crawl run during the day leaves that day's later answers to the next run: they are
    # dated on the last day grouped, and come after its documents (the API numbers them as they come).
    path, database, generator = store
    last_day = date.fromisoformat(database.execute("select max(date) from mentions").fetchone()[0])
    late = generator.documents(20, last_day, 1)
    for document in late:  # ids as extraction makes them: hashes, in no order
        for mention in document["mentions"]:
            mention["id"] = mention_id(mention["document_id"], mention)
    add(database, late)
    counts = run_tracking(database, None, AS_OF)
    assert counts["mode"] == "incremental", counts
    assert counts["new_mentions"] >= 20
    assert dump(database) == full_copy(path, tmp_path)


def test_a_new_mention_dated_before_the_last_grouped_makes_the_run_full(store, tmp_path):
    path, database, generator = store
    add(database, generator.documents(10, date(2016, 3, 1), 1))
    counts = run_tracking(database, None, AS_OF)
    assert counts["mode"] == "full" and "dated before" in counts["why_full"]
    assert dump(database) == full_copy(path, tmp_path)


def test_a_deleted_or_changed_mention_or_title_makes_the_run_full(store, tmp_path):
    path, database, generator = store
    mention = next(database.query("select id, document_id from mentions where kind = 'firm' limit 1"))
    database["mentions"].delete(mention["id"])
    assert run_tracking(database, None, AS_OF)["why_full"] == "a mention was deleted"
    database["reports"].update(next(database.query("select id from reports limit 1"))["id"], {"owner": None})
    assert run_tracking(database, None, AS_OF)["why_full"] == "a report was changed"
    database["documents"].update(mention["document_id"], {"title": "Another subject entirely"})
    assert run_tracking(database, None, AS_OF)["why_full"] == "a document was changed"
    # tracking's own write (each mention's commitment) is no change
    assert run_tracking(database, None, AS_OF)["mode"] == "incremental"
    add(database, generator.documents(20, date(2025, 1, 2), 1))
    assert run_tracking(database, None, AS_OF)["mode"] == "incremental"
    assert dump(database) == full_copy(path, tmp_path)


def test_overrides_changed_or_naming_a_commitment_a_new_mention_joins_make_the_run_full(store, tmp_path):
    path, database, generator = store
    overrides = tmp_path / "overrides.yaml"
    assert run_tracking(database, overrides, AS_OF)["mode"] == "incremental"  # no file, as before
    # a restatement of an existing commitment, and that commitment retitled by a reviewer
    documents = generator.documents(1, date(2025, 1, 2), 1)
    old = next(database.query("select commitment_id, action, owner from mentions where kind = 'firm' "
                              "and length(action) > 30 order by date desc limit 1"))
    documents[0]["mentions"][0].update(action=old["action"], owner=old["owner"])
    joined = old["commitment_id"]
    overrides.write_text(f"- action: retitle\n  commitment: {joined}\n  title: A reviewed title\n"
                         "  reviewer: A. Reviewer\n  date: 2025-01-01\n  reason: clearer\n")
    counts = run_tracking(database, overrides, AS_OF)
    assert counts["mode"] == "full" and counts["why_full"] == "the overrides file changed"
    assert run_tracking(database, overrides, AS_OF)["mode"] == "incremental"
    add(database, documents)
    counts = run_tracking(database, overrides, AS_OF)
    assert counts["mode"] == "full" and "overrides file names" in counts["why_full"], counts
    assert database["commitments"].get(joined)["title"] == "A reviewed title"
    assert database["commitments"].get(joined)["mention_count"] >= 2
    assert dump(database) == full_copy(path, tmp_path, overrides=overrides)
    # and other new documents, with that file, stay incremental and right
    add(database, generator.documents(30, date(2025, 1, 3), 1))
    assert run_tracking(database, overrides, AS_OF)["mode"] == "incremental"
    assert dump(database) == full_copy(path, tmp_path, overrides=overrides)


def test_full_is_taken_when_asked_and_with_no_previous_run(store, tmp_path):
    _path, database, _generator = store
    assert run_tracking(database, None, AS_OF, full=True)["why_full"] == "asked for (--full)"
    database.execute("delete from tracking_state")
    assert run_tracking(database, None, AS_OF)["why_full"] == "no previous run"


def test_full_text_is_re_indexed_on_its_own_columns_only_and_stays_whole(store, tmp_path):
    """Tracking writes each mention's commitment and each commitment's status daily: those
    updates re-indexed unchanged words (a third of a status update's time)."""
    path, database, generator = store
    for table in ("commitments", "mentions", "documents"):
        trigger = next(database.query("select sql from sqlite_master where name = ?", [f"{table}_au"]))["sql"]
        assert "AFTER UPDATE OF" in trigger
    add(database, generator.documents(20, date(2025, 1, 2), 1))
    run_tracking(database, None, date(2030, 1, 1))
    for table in ("commitments", "mentions"):
        database.execute(f"insert into {table}_fts({table}_fts, rank) values ('integrity-check', 1)")
    mention = next(database.query("select id from mentions limit 1"))["id"]
    database["mentions"].update(mention, {"action": "publish the zyxwvut plan"})
    assert [r["rowid"] for r in database.query("select rowid from mentions_fts where mentions_fts match 'zyxwvut'")]
    database.execute("insert into mentions_fts(mentions_fts, rank) values ('integrity-check', 1)")


def test_reviewed_merges_splits_unlinks_and_statuses_stay_right_as_new_documents_arrive(store, tmp_path):
    """New reports may link to a merged, split or reviewed commitment, new mentions may group
    beside them: the incremental rows are still the full run's."""
    path, database, generator = store
    big = [r["commitment_id"] for r in database.query(
        "select commitment_id, count(*) n from mentions where commitment_id is not null "
        "group by commitment_id having n >= 3 order by n desc, commitment_id limit 3")]
    a, b, c = big
    members = [r["id"] for r in database.query("select id from mentions where commitment_id = ? order by id", [c])]
    review = "  reason: checked\n  reviewer: A. Reviewer\n  date: 2025-01-01\n"
    overrides = tmp_path / "overrides.yaml"
    overrides.write_text(
        f"- action: merge\n  into: {a}\n  commitments: [{b}]\n{review}"
        f"- action: split\n  commitment: {c}\n  mentions: [{members[-1]}]\n{review}"
        f"- action: unlink\n  commitment: {c}\n  mention: {members[0]}\n{review}"
        f"- action: status\n  commitment: {a}\n  status: delivered\n  status_date: 2024-01-01\n{review}")
    assert run_tracking(database, overrides, AS_OF)["mode"] == "full"
    modes = []
    for day in range(3):
        add(database, generator.documents(40, date(2025, 1, 2) + timedelta(days=day), 1))
        modes.append(run_tracking(database, overrides, AS_OF)["mode"])
        assert dump(database) == full_copy(path, tmp_path, overrides=overrides)
    assert "incremental" in modes
    assert database["commitments"].get(a)["status"] == "delivered"
