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


# -- real markup, in the project's own words: the store's text is html_to_text's ---------

@pytest.mark.parametrize("text, sentences", [
    # within a line a sentence ends only at a full stop, "!" or "?": the parser's guesses cut
    # list items and captions that carry none
    ("The new scheme will begin after the Treaty and the Safety of Cycling (Road and Pavement) Bill comes into force.",
     ["The new scheme will begin after the Treaty and the Safety of Cycling (Road and Pavement) Bill comes into force."]),
    ("- Lead reviewer- Lord Smith of Kentish Town\n- Reviewer - General Sir Peter Jones",
     ["- Lead reviewer- Lord Smith of Kentish Town", "- Reviewer - General Sir Peter Jones"]),
    # abbreviations and initials that end no sentence; a full stop and a quote that do
    ("Acme Ltd. will run the depot at St. Albans for us.", ["Acme Ltd. will run the depot at St. Albans for us."]),
    ("The review by J. Smith was published in May. We will respond in June.",
     ["The review by J. Smith was published in May.", "We will respond in June."]),
    ("The Minister said \"we will act.\" We will publish the plan.",
     ["The Minister said \"we will act.\"", "We will publish the plan."]),
    # a line break ends a sentence even after an honorific
    ("I refer the hon.\nMember to my answer.", ["I refer the hon.", "Member to my answer."]),
])
def test_boundaries_within_a_line(nlp, text, sentences):
    assert [s.text.strip() for s in nlp(text).sents] == sentences


ANSWER_HTML = (
    "<p>The Department will:</p><ul><li>publish a cycling strategy;</li>"
    "<li><a href='https://www.gov.uk/cycling'>https://www.gov.uk/cycling</a></li>"
    "<li>Table 2: cycling trips by region</li><li>consult on pavement parking by March; and</li>"
    "<li>Cycling statistics (GOV.UK)</li></ul>"
    "<p>Trips by region:</p><table><tr><td><p>Region</p></td><td><p>Trips</p></td></tr>"
    "<tr><td><p>North</p></td><td><p>1,200</p></td></tr></table>"
    "<p>Source: Department for Transport cycling survey, 2020</p>"
    "<p>We will publish the next survey in the autumn.<br>Source: National Travel Survey</p>"
)


def test_lists_tables_links_and_sources_in_an_html_answer():
    """List items that are links or titles are not deeds under a lead-in; table cells and
    "Source:" lines are their own lines, never glued onto a commitment."""
    from common.text import html_to_text
    from extract.pipeline import extract_mentions

    text = html_to_text(ANSWER_HTML)
    mentions = extract_mentions(text, {"body": "Department for Transport", "person": "A Minister", "date": "2021-02-01"})
    assert [(m["kind"], m["action"]) for m in mentions] == [
        ("firm", "publish a cycling strategy"), ("firm", "consult on pavement parking"),
        ("firm", "publish the next survey")]
    assert mentions[-1]["sentence"] == "We will publish the next survey in the autumn."
