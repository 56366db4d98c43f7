"""The labelled corpus of real answers: whole, consistent, reproducible; and how `evaluate` scores it."""

import json
from pathlib import Path

from commitments import labelled_corpus
from common.kinds import KINDS
from tests.conftest import run_cli

CORPUS = Path(__file__).resolve().parent.parent / "extract" / "gold"


def read(name: str) -> list[dict]:
    return [json.loads(line) for line in (CORPUS / name).read_text().splitlines() if line.strip()]


def test_every_sentence_is_a_span_of_its_answer_and_has_one_label():
    documents = {d["doc_id"]: d for d in read("documents.jsonl")}
    sentences = read("sentences.jsonl")
    labels = {(r["doc_id"], r["index"]): r for r in read("labels.jsonl")}
    assert len(sentences) >= 3000 and len(labels) == len(sentences)
    for sentence in sentences:
        assert documents[sentence["doc_id"]]["text"][sentence["start"]:sentence["end"]] == sentence["sentence"]
        assert labels[(sentence["doc_id"], sentence["index"])]["kind"] in KINDS


def test_split_is_by_answer_and_about_a_third():
    documents = read("documents.jsonl")
    test_share = sum(d["split"] == "test" for d in documents) / len(documents)
    assert 0.25 < test_share < 0.42
    assert {d["house"] for d in documents} >= {"Commons", "Lords"}
    assert len({d["body"] for d in documents if d["body"]}) >= 10


def test_labels_are_exactly_the_merge_of_both_passes_and_the_adjudication(tmp_path):
    for name in ("sentences.jsonl", "pass-a.jsonl", "pass-b.jsonl", "adjudicated.jsonl"):
        (tmp_path / name).write_text((CORPUS / name).read_text())
    agreement = labelled_corpus.merge(tmp_path)
    assert (tmp_path / "labels.jsonl").read_text() == (CORPUS / "labels.jsonl").read_text()
    assert agreement["adjudicated"] == len(read("adjudicated.jsonl"))


def test_sentence_splitter_keeps_honorifics_and_numbers_together():
    text = "I refer the hon. Member to the answer of 5 Jan. No. 10 will publish it. We will act.\n- A list item"
    spans = labelled_corpus.split_sentences(text)
    assert [text[s:e] for s, e in spans] == [
        "I refer the hon. Member to the answer of 5 Jan.", "No. 10 will publish it.", "We will act.", "- A list item"]


def test_evaluate_reports_dev_and_test_and_keeps_test_errors_unread(tmp_path):
    figures = json.loads(run_cli("evaluate", "--json").stdout)
    assert figures["dev"]["sentences"] + figures["test"]["sentences"] == len(read("sentences.jsonl"))
    assert 0 < figures["test"]["trackable"]["tp"] <= figures["test"]["trackable"]["tp"] + figures["test"]["trackable"]["fn"]
    refused = run_cli("evaluate", "--split", "test", "--errors", str(tmp_path / "e.jsonl"), check=False)
    assert refused.returncode == 2 and not (tmp_path / "e.jsonl").exists()
    # Beside test, test without the sentences that are word for word a dev or training one.
    split = {d["doc_id"]: d["split"] for d in read("documents.jsonl")}
    dev = {s["sentence"] for s in read("sentences.jsonl") if split[s["doc_id"]] == "dev"}
    test = [s["sentence"] for s in read("sentences.jsonl") if split[s["doc_id"]] == "test"]
    assert sum(t in dev for t in test) > 0
    assert figures["test, unseen"]["sentences"] <= sum(t not in dev for t in test) < figures["test"]["sentences"]


def test_the_training_pool_holds_no_test_answer_nor_a_test_answers_sentence():
    pool = [json.loads(line) for line in (CORPUS / "train" / "sentences.jsonl").read_text().splitlines()]
    split = {d["doc_id"]: d["split"] for d in read("documents.jsonl")}
    test = {s["sentence"] for s in read("sentences.jsonl") if split[s["doc_id"]] == "test"}
    assert pool and not {s["doc_id"] for s in pool} & set(split)
    assert not [s for s in pool if len(s["sentence"]) >= 40 and s["sentence"] in test]


def test_training_pool_labels_are_the_merge_of_its_passes(tmp_path):
    pool = CORPUS / "train"
    for name in ("sentences.jsonl", "pass-a.jsonl", "pass-b.jsonl", "adjudicated.jsonl"):
        (tmp_path / name).write_text((pool / name).read_text())
    labelled_corpus.merge(tmp_path)
    assert (tmp_path / "labels.jsonl").read_text() == (pool / "labels.jsonl").read_text()
    documents = {d["doc_id"]: d for d in map(json.loads, (pool / "documents.jsonl").read_text().splitlines())}
    assert {d["split"] for d in documents.values()} == {"train"}
    for sentence in map(json.loads, (pool / "sentences.jsonl").read_text().splitlines()):
        assert documents[sentence["doc_id"]]["text"][sentence["start"]:sentence["end"]] == sentence["sentence"]
