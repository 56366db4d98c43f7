"""`commitments evaluate`: the figures are computed from matches, and corrections apply."""

import json

from tests.conftest import FIXTURES, run_cli, shared_file

TINY = FIXTURES / "gold" / "tiny.jsonl"
CORRECTIONS = FIXTURES / "gold" / "tiny-corrections.jsonl"


def evaluate(*args):
    return json.loads(run_cli("evaluate", *args, "--json").stdout)


def test_scores_without_corrections_count_the_disagreement(tmp_path):
    figures = evaluate(TINY, "--corrections", tmp_path / "none.jsonl")
    # the conditional sentence is labelled none here: one false positive
    assert figures["trackable"] == {"precision": 0.5, "recall": 1.0, "f1": 0.667, "tp": 1, "fp": 1, "fn": 0}
    assert figures["kind_accuracy"] == 0.75 and figures["confusions"] == {"none -> conditional": 1}


def test_corrections_are_applied_by_question_and_sentence(tmp_path):
    errors = tmp_path / "errors.jsonl"
    figures = evaluate(TINY, "--corrections", CORRECTIONS, "--errors", errors)
    assert figures["trackable"]["precision"] == 1.0 and figures["kind_accuracy"] == 1.0
    assert figures["owner_accuracy"] == 1.0 and errors.read_text() == ""


def test_development_set_meets_the_goals():
    figures = evaluate(shared_file("gold/dev-written-answers-2021-02-01.jsonl"))
    assert figures["sentences"] == 534
    assert figures["trackable"]["precision"] >= 0.90 and figures["trackable"]["recall"] >= 0.85
    assert figures["owner_accuracy"] >= 0.95
