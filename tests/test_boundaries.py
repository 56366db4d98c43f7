"""Sentence boundaries in parliamentary text: lines, list items, honorifics, numbered references."""

import pytest

from extract.pipeline import load_nlp


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


@pytest.mark.parametrize("text, sentences", [
    ("I refer the Rt. Hon. Member to the answer given on 5 May. We will publish it.",
     ["I refer the Rt. Hon. Member to the answer given on 5 May.", "We will publish it."]),
    ("See para. 4 of the report. We will act on it.", ["See para. 4 of the report.", "We will act on it."]),
    ("Details are in Statutory Instrument No. 1234 of 2023, which we will lay shortly.",
     ["Details are in Statutory Instrument No. 1234 of 2023, which we will lay shortly."]),
    ("We will meet Dr. Smith next week.", ["We will meet Dr. Smith next week."]),
    ("Background\nWe will publish the strategy.", ["Background", "We will publish the strategy."]),
    ("- publish a plan\n- consult on it", ["- publish a plan", "- consult on it"]),
])
def test_boundaries(nlp, text, sentences):
    assert [s.text.strip() for s in nlp(text).sents] == sentences
