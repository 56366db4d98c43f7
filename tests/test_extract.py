"""Golden extraction cases: the guideline's rulings, one sentence at a time."""

import datetime as dt
import json

import pytest

from extract.deadlines import find_deadline, resolve_deadline
from common.gazetteer import canonical_owner
from extract.pipeline import extract_mentions
from extract.tables import CUES_PATH

ANSWER = {"body": "Cabinet Office", "person": "Earl Howe", "date": "2019-11-05"}


def kinds_and_actions(text, meta=ANSWER):
    return [(m["kind"], m["action"]) for m in extract_mentions(text, meta)]


@pytest.mark.parametrize("sentence, expected", [
    ("This included commitments to launch a consultation on electoral integrity and implement a digital imprints "
     "regime for online election material.",
     [("firm", "launch a consultation on electoral integrity"),
      ("firm", "implement a digital imprints regime for online election material")]),
    ("We will publish the strategy in the spring.", [("firm", "publish the strategy")]),
    ("Guidance will be published by the end of the year.", [("firm", "publish Guidance")]),
    ("The Government has committed to launching a consultation and to implementing a new regime.",
     [("firm", "launch a consultation"), ("firm", "implement a new regime")]),
    ("When parliamentary time allows, we will legislate to introduce a new right to carer's leave.",
     [("conditional", "legislate to introduce a new right to carer's leave")]),
    ("We will continue to have regular and robust dialogue with social media companies.",
     [("ongoing", "have regular and robust dialogue with social media companies")]),
    ("We continue to monitor closely the situation in Western Sahara.",
     [("ongoing", "monitor closely the situation in Western Sahara")]),
    ("We have no plans to change the franchise.", [("negative", "change the franchise")]),
    ("It is highly likely that an election cell will be stood up again.", [("hedged", "stand up an election cell")]),
    ("We will consider the recommendations.", [("hedged", "consider the recommendations")]),
])
def test_commitment_kinds_and_actions(sentence, expected):
    assert kinds_and_actions(sentence) == expected


@pytest.mark.parametrize("sentence", [
    "The Government published the Online Harms White Paper in April.",
    "The Department is investing £10 million in new equipment.",
    "To ask Her Majesty's Government whether they will publish the report.",
    "The Government is committed to levelling up opportunities.",
    "Local authorities will publish their plans.",
    "This consultation sets out the detail of how the regime would work.",
])
def test_not_commitments(sentence):
    assert kinds_and_actions(sentence) == []


@pytest.mark.parametrize("sentence", [
    "The Department has indicated that it will not be possible to answer this question within the usual time period.",
    "An answer is being prepared and will be provided as soon as it is available.",
    "I refer the hon. Member to the answer I gave on 4 February 2020 to Question 10321.",
    "I will write to the noble Lord.",
    "A copy will be placed in the Library of the House.",
])
def test_procedural_housekeeping(sentence):
    assert [m["kind"] for m in extract_mentions(sentence, ANSWER)] == ["procedural"]


def test_owner_and_person_come_from_the_answer_metadata():
    (mention,) = extract_mentions("I will publish the report next month.", {**ANSWER, "body": "DCMS"})
    assert mention["owner"] == "Department for Digital, Culture, Media and Sport" and mention["person"] == "Earl Howe"


def test_a_named_body_owns_its_own_action():
    (mention,) = extract_mentions("The Home Office will publish the guidance next month.", ANSWER)
    assert mention["owner"] == "Home Office"


def test_without_metadata_the_owner_comes_from_the_text():
    text = ("Cabinet Office spokesperson Earl Howe answered the question. "
            "He said the government will publish the report later this year.")
    (mention,) = extract_mentions(text, {"date": "2019-11-12"})
    assert mention["owner"] == "Cabinet Office" and mention["deadline"] == "2019-12-31"


def test_mention_spans_point_into_the_text():
    text = "Some background.\n\nWe will launch a consultation on electoral integrity before the end of this year."
    (mention,) = extract_mentions(text, ANSWER)
    assert text[mention["sentence_start"]:mention["sentence_end"]] == mention["sentence"]
    assert text[mention["action_start"]:mention["action_end"]] == "launch a consultation on electoral integrity"
    assert mention["deadline_text"] == "before the end of this year" and mention["deadline"] == "2019-12-31"


@pytest.mark.parametrize("phrase, base, expected", [
    ("in the spring", "2021-02-01", "2021-05-31"),
    ("by the end of the year", "2021-02-01", "2021-12-31"),
    ("within 12 weeks", "2021-02-01", "2021-04-26"),
    ("in 2023/24", "2021-02-01", "2024-03-31"),
    ("by the end of 2020", "2019-11-05", "2020-12-31"),
    ("later this year", "2019-11-05", "2019-12-31"),
    ("by March", "2021-02-01", "2021-03-31"),
    ("by March", "2021-06-01", "2022-03-31"),
    ("on 1 March 2021", "2021-02-01", "2021-03-01"),
    ("by summer 2021", "2020-09-01", "2021-08-31"),
    ("next year", "2021-02-01", "2022-12-31"),
])
def test_deadlines_resolve_to_the_end_of_the_named_period(phrase, base, expected):
    found = find_deadline(f"We will do it {phrase}.")
    assert found and found[0] == phrase
    assert resolve_deadline(found[0], dt.date.fromisoformat(base)).isoformat() == expected


def test_open_ended_time_is_kept_as_written_without_a_date():
    (mention,) = extract_mentions("We intend to publish the data in due course.", ANSWER)
    assert mention["deadline_text"] == "in due course" and mention["deadline"] is None


@pytest.mark.parametrize("alias, canonical", [
    ("DCMS", "Department for Digital, Culture, Media and Sport"),
    ("Department for Digital, Culture, Media & Sport", "Department for Digital, Culture, Media and Sport"),
    ("HM Treasury", "Treasury"),
    ("DLUHC", "Ministry of Housing, Communities and Local Government"),
    ("Defending Democracy programme", "Cabinet Office"),
    ("Some New Agency", "Some New Agency"),
])
def test_owner_aliases_are_canonical(alias, canonical):
    assert canonical_owner(alias) == canonical


def test_the_cue_tables_come_from_the_finder_config(tmp_path):
    cues = json.loads(CUES_PATH.read_text())
    cues["future_modals"].remove("will")
    (tmp_path / "cues.json").write_text(json.dumps(cues))
    # The rules alone: the learned kind classifier would still read "will" (tests/test_kind_model.py).
    override = {"cues": {"@misc": "commitments.cues_from_file.v1", "path": str(tmp_path / "cues.json")},
                "kind_model": None}
    sentence = "We will publish the strategy in the spring."
    assert kinds_and_actions(sentence) == [("firm", "publish the strategy")]
    assert extract_mentions(sentence, ANSWER, finder_config=override) == []


def test_the_gazetteer_comes_from_the_finder_config(tmp_path):
    (tmp_path / "gazetteer.json").write_text(json.dumps({"bodies": {"Department for Walks": ["DfW"]}}))
    override = {"gazetteer": {"@misc": "commitments.gazetteer_from_file.v1", "path": str(tmp_path / "gazetteer.json")}}
    meta = {**ANSWER, "body": "DfW"}
    (default,) = extract_mentions("I will publish the report next month.", meta)
    (overridden,) = extract_mentions("I will publish the report next month.", meta, finder_config=override)
    assert (default["owner"], overridden["owner"]) == ("DfW", "Department for Walks")
