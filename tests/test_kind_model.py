"""The learned kind classifier: the packaged model loads and reads made-up sentences sensibly,
`combine` follows the rules unless the model is confident, and the pipeline setting turns it off.
Training itself is slow (minutes) and runs only with --run-slow."""

import subprocess
import sys
from pathlib import Path

import pytest
import spacy

from common.kinds import TRACKABLE
from common.resources import kind_model as packaged_kind_model
from extract.kind_model import DEMOTE_BELOW, PROMOTE_ABOVE, combine, model_input, trackable_score

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def classifier():
    return spacy.load(packaged_kind_model())


def cats_of(classifier, rule_kind, sentence):
    return classifier(model_input(rule_kind, sentence)).cats


def test_packaged_model_is_small_and_names_every_kind(classifier):
    size = sum(f.stat().st_size for f in Path(packaged_kind_model()).rglob("*") if f.is_file())
    assert size < 5_000_000
    assert set(classifier.get_pipe("textcat").labels) == {"firm", "conditional", "ongoing", "negative",
                                                            "hedged", "procedural", "none"}


def test_packaged_model_tells_a_promise_from_a_fact(classifier):
    promise = cats_of(classifier, "firm", "The Department will publish its response to the consultation by March 2026.")
    fact = cats_of(classifier, "none", "The information requested is not held centrally by the Department.")
    assert trackable_score(promise) > 0.5 > trackable_score(fact)
    assert combine("firm", promise, DEMOTE_BELOW, PROMOTE_ABOVE) in TRACKABLE
    assert combine("none", fact, DEMOTE_BELOW, PROMOTE_ABOVE) == "none"


def test_combine_keeps_the_rules_kind_unless_the_model_is_confident():
    unsure = {"firm": 0.2, "none": 0.8}
    assert combine("firm", unsure, 0.1, 0.3) == "firm"
    assert combine("hedged", unsure, 0.1, 0.3) == "hedged"
    assert combine("firm", {"firm": 0.05, "hedged": 0.6, "none": 0.35}, 0.1, 0.3) == "hedged"
    assert combine("none", {"firm": 0.25, "conditional": 0.1, "none": 0.65}, 0.1, 0.3) == "firm"
    assert combine("procedural", {"firm": 0.9, "procedural": 0.1}, 0.1, 0.3) == "procedural"
    # Among untracked kinds, the model's best where it is confident enough; never across trackable.
    pointer = {"procedural": 0.9, "none": 0.08, "firm": 0.02}
    assert combine("none", pointer, 0.1, 0.3, rekind_above=0.8) == "procedural"
    assert combine("none", pointer, 0.1, 0.3, rekind_above=0.95) == "none"
    assert combine("hedged", {"none": 0.85, "firm": 0.15}, 0.1, 0.3, rekind_above=0.8) == "hedged"
    assert combine("firm", {"procedural": 0.85, "firm": 0.15}, 0.1, 0.3, rekind_above=0.8) == "firm"
    assert combine("ongoing", {"none": 0.85, "firm": 0.15}, 0.1, 0.3, rekind_above=0.8) == "ongoing"


def test_the_model_reads_ministers_answers_and_statements_only(monkeypatch):
    from extract.pipeline import load_nlp

    monkeypatch.setenv("COMMITMENTS_KIND_MODEL", str(packaged_kind_model()))
    nlp = load_nlp()
    planned = []
    for meta in ({"body": None, "source": "hansard_written_answer"}, {"body": "Home Office", "source": "written_question"},
                 {"body": "Home Office"}, {"body": None, "source": "press"},
                 {"body": "Cabinet Office", "source": "oral_evidence"}):
        doc = nlp.make_doc("We will publish the review in the spring.")
        doc._.meta = meta
        for name, component in nlp.pipeline:
            if name == "kind_model":
                planned.append(component.plan(doc) is not None)
                break
            doc = component(doc)
    assert planned == [True, True, True, False, False]


def test_the_setting_turns_the_model_on_and_off(monkeypatch):
    from extract.pipeline import extract_mentions

    text = "We will publish the strategy in the spring. The table below shows the figures."
    meta = {"body": "Department for Education", "person": "A Minister", "date": "2025-01-10"}
    monkeypatch.setenv("COMMITMENTS_KIND_MODEL", "none")
    from extract.pipeline import load_nlp
    assert "kind_model" not in load_nlp().pipe_names
    monkeypatch.setenv("COMMITMENTS_KIND_MODEL", str(packaged_kind_model()))
    assert "kind_model" in load_nlp().pipe_names
    mentions = extract_mentions(text, meta)
    assert [m["kind"] for m in mentions if m["kind"] in TRACKABLE] == ["firm"]


@pytest.mark.slow
def test_training_reproduces_a_model_that_loads(tmp_path):
    # The whole `make train` path but into a scratch folder: examples, DocBin, spaCy training.
    subprocess.run([sys.executable, "-m", "extract.train_kinds", "docbin", str(tmp_path / "train.spacy")],
                   cwd=ROOT, check=True)
    subprocess.run([sys.executable, "-m", "spacy", "train", "extract/model/config.cfg", "--output", str(tmp_path / "out"),
                    "--paths.train", str(tmp_path / "train.spacy"), "--paths.dev", str(tmp_path / "train.spacy")],
                   cwd=ROOT, check=True)
    assert spacy.load(tmp_path / "out" / "model-last").get_pipe("textcat").labels


@pytest.mark.parametrize("text, owner", [
    # another body acts: the owner the rules' subject reading gives, not the speaking body
    ("The FCA expects the new rules to take effect in April.", "Financial Conduct Authority"),
    ("The Secretary of State for Education announced a review of the curriculum.", "Department for Education"),
    # the speaker's own voice, or a body presumed public: the speaking body
    ("We expect the new rules to take effect in April.", "Department for Transport"),
    ("The Rail Delivery Taskforce expects the new rules to take effect in April.", "Department for Transport"),
    # outside government: no mention is made at all
    ("Acme Rail Ltd expects the new depot to open in April.", None),
])
def test_a_promoted_sentence_takes_the_owner_its_subject_names(monkeypatch, text, owner):
    """A sentence the classifier promotes where the rules found no deed: its main verb is the
    action, and its owner is the one the rules' subject reading gives, not always the speaker."""
    from extract.pipeline import load_nlp

    monkeypatch.setenv("COMMITMENTS_KIND_MODEL", str(packaged_kind_model()))
    nlp = load_nlp()
    doc = nlp.make_doc(text)
    doc._.meta = {"body": "Department for Transport", "person": "A Minister", "date": "2025-01-10"}
    doc = nlp(doc)
    mention = nlp.get_pipe("kind_model").new_mention(doc, next(iter(doc.sents)), doc._.meta, "firm")
    assert (mention and mention["owner"]) == owner
# Whitespace the parse keeps as tokens of their own (line breaks, double spaces, bullets),
# which the classifier's input must drop or keep exactly as re-tokenising the text did.
AWKWARD = ("  We will publish the strategy by March 2026, as the hon. Member asked.\n\n"
           "The Department:\n- will consult on the plan;\n-  will  set out next steps in the spring\n"
           "It is not possible to say (see col. 56W) what the U.K.'s costs were, e.g. £3.5m in 2024-25.   \n"
           "\"We're committed to it,\" the Minister said.  Officials are reviewing the figures.\t\n")


def test_classifier_input_from_the_parse_scores_as_the_retokenised_text(classifier):
    # The component builds the classifier's Doc from the parsed sentence's tokens instead of
    # tokenising `model_input(kind, sentence)` again: the scores must be the old path's.
    import json

    from extract.pipeline import load_nlp

    nlp = load_nlp(finder_config={"kind_model": str(packaged_kind_model())})
    component = nlp.get_pipe("kind_model")
    gold = ROOT / "extract" / "gold" / "documents.jsonl"
    texts = [AWKWARD] + [json.loads(line)["text"] for line in gold.read_text().splitlines()[:25]]
    sentences = [s for doc in nlp.pipe(texts) for s in doc.sents if s.text.strip()]
    assert len(sentences) > 60
    pairs = [(kind, sent) for sent in sentences for kind in ("firm", "none", "hedged")]
    new = component.scores([component.input_doc(kind, sent) for kind, sent in pairs])
    for (kind, sent), cats in zip(pairs, new, strict=True):
        old = classifier(model_input(kind, sent.text)).cats
        assert cats.keys() == old.keys()
        assert all(abs(cats[label] - old[label]) < 1e-6 for label in old), (kind, sent.text)


def test_batched_classification_extracts_what_one_document_at_a_time_does(monkeypatch):
    from extract.pipeline import extract_many, load_nlp

    def no_second_tokenising(text):
        raise AssertionError(f"the classifier tokenised {text!r} again")

    # The sentences are already tokenised: the classifier reads those tokens.
    monkeypatch.setattr(load_nlp().get_pipe("kind_model").classifier, "tokenizer", no_second_tokenising)
    meta = {"body": "Department for Education", "date": "2025-01-10"}
    texts = [AWKWARD, "The Government will bring forward legislation.", "",
             "We are considering the responses. The review will report in the summer.", AWKWARD.upper()]
    one_by_one = [next(extract_many([(text, meta)], batch_size=1)) for text in texts]
    assert list(extract_many([(text, meta) for text in texts], batch_size=4)) == one_by_one
    assert any(one_by_one)
