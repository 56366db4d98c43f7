"""The guideline's traps and the forms commitments really take, in the project's own words.

Each case is one short text with the metadata it would carry; the expectation is
the list of (kind, action) found, or the owner/person/deadline where that is the point.
"""

import pytest

from extract.pipeline import extract_mentions

ANSWER = {"body": "Department for Transport", "person": "A Minister", "date": "2021-02-01"}


def found(text, meta=ANSWER):
    return [(m["kind"], m["action"]) for m in extract_mentions(text, meta)]


@pytest.mark.parametrize("text, expected", [
    # modal verbs, passives and settled intentions
    ("We shall introduce a licensing scheme for e-scooters.", [("firm", "introduce a licensing scheme for e-scooters")]),
    ("The Department intends to publish the road safety statement in the summer.",
     [("firm", "publish the road safety statement")]),
    ("We plan to consult on the changes.", [("firm", "consult on the changes")]),
    ("The Government is going to bring forward a Transport Bill.", [("firm", "bring forward a Transport Bill")]),
    ("The new rail timetable is due to start by April 2021.", [("firm", "start")]),
    ("Updated guidance will be published shortly.", [("firm", "publish Updated guidance")]),
    # nominal commitments and coordination: one mention per action
    ("The strategy set out commitments to electrify the line and to reopen two stations.",
     [("firm", "electrify the line"), ("firm", "reopen two stations")]),
    ("We will review the fares and publish the results.", [("firm", "review the fares"), ("firm", "publish the results")]),
    # conditions
    ("Subject to parliamentary approval, the new offence will come into force in April.",
     [("conditional", "come into force")]),
    ("We will legislate as soon as parliamentary time allows.", [("conditional", "legislate")]),
    ("If the trial is successful, we will extend it to other cities.", [("conditional", "extend it to other cities")]),
    # ongoing
    ("We will continue to fund the cycle-to-work scheme.", [("ongoing", "fund the cycle-to-work scheme")]),
    ("The Department continues to raise these cases with the operator.", [("ongoing", "raise these cases with the operator")]),
    ("Officials will keep working with the industry on the roll-out.", [("ongoing", "work with the industry on the roll-out")]),
    # negation scopes over the verb it governs
    ("The Government has no plans to reintroduce the tolls.", [("negative", "reintroduce the tolls")]),
    ("We will not be extending the deadline.", [("negative", "extend the deadline")]),
    ("The Department does not intend to change the rules.", [("negative", "change the rules")]),
    ("We have no plans to raise fuel duty, but keep all taxes under review.", [("negative", "raise fuel duty")]),
    # hedges
    ("We will consider the committee's recommendations carefully.", [("hedged", "consider the committee's recommendations")]),
    ("We may review the threshold next year.", [("hedged", "review the threshold")]),
    ("The Department is looking at options for the depot.", [("hedged", "look at options for the depot")]),
    ("The programme aims to cut journey times.", [("hedged", "cut journey times")]),
    ("We keep under continuous review whether the fares cap should change.", [("hedged", "keep under continuous review whether the fares cap should change")]),
])
def test_forms_of_commitment(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize("text", [
    # past and present actions are facts
    "The Government has published the Bus Back Better strategy.",
    "The Department is investing £2 billion in active travel.",
    "We introduced the scheme in 2019.",
    # "is committed to" + an aim names no deliverable
    "The Government is committed to levelling up transport across the country.",
    "We remain committed to minimising costs for passengers.",
    # the asking member's question
    "To ask the Secretary of State for Transport, whether he will publish the review.",
    # plans of bodies outside government, and reported criticism
    "Local authorities will publish their own plans by the end of the year.",
    "The operators will introduce new trains next year.",
    "Campaigners said the Government will fail to meet its targets.",
    # statements about facts that use "will"
    "Safety standards will not be compromised.",
    "This will be a matter for the independent regulator.",
    # page furniture in press pages
    "Your email address will not be published.",
    "Subscribe to our newsletter to hear when we publish new articles.",
    "We use cookies to improve your experience and will remember your choices.",
])
def test_traps_are_not_commitments(text):
    assert found(text) == []


@pytest.mark.parametrize("text", [
    "The Department for Transport has indicated that it will not be possible to answer this question within the usual time period.",
    "An answer is being prepared and will be provided as soon as it is available.",
    "I refer the hon. Member to the answer I gave on 12 January 2021 to Question 130201.",
    "I refer my right hon. Friend to the answer given on 3 March.",
    "I will write to the noble Lord with the figures.",
    "A copy of the report will be placed in the Library of the House.",
    "The information requested could only be obtained at disproportionate cost.",
])
def test_housekeeping_is_procedural(text):
    assert [m["kind"] for m in extract_mentions(text, ANSWER)] == ["procedural"]


def test_bullet_list_under_a_lead_in():
    text = "The Department will:\n- publish a cycling strategy;\n- consult on pavement parking by March; and\n- review the guidance."
    mentions = extract_mentions(text, ANSWER)
    assert [(m["kind"], m["action"]) for m in mentions] == [
        ("firm", "publish a cycling strategy"), ("firm", "consult on pavement parking"), ("firm", "review the guidance")]
    assert mentions[1]["deadline"] == "2021-03-31"
    for m in mentions:
        assert text[m["action_start"]:m["action_end"]] == m["action"]


# -- owners -------------------------------------------------------------------

@pytest.mark.parametrize("text, body, owner", [
    ("We will publish the review.", "Department for Digital, Culture, Media and Sport", "Department for Digital, Culture, Media and Sport"),
    ("We will publish the review.", "DCMS", "Department for Digital, Culture, Media and Sport"),
    ("My Department will publish the review.", "Department for Levelling Up, Housing and Communities",
     "Ministry of Housing, Communities and Local Government"),
    ("Officials will publish the review.", "BEIS", "Department for Business, Energy and Industrial Strategy"),
    ("The Home Office will publish the review.", "Cabinet Office", "Home Office"),
    ("The Defending Democracy programme will publish a threat assessment.", "Home Office", "Cabinet Office"),
    ("HMRC will write to affected taxpayers in the spring.", "Treasury", "HM Revenue and Customs"),
    ("Guidance will be published in due course.", "Department for Education", "Department for Education"),
])
def test_owners_are_canonical_bodies(text, body, owner):
    (mention,) = extract_mentions(text, {**ANSWER, "body": body})
    assert mention["owner"] == owner


def test_i_is_the_answering_body_with_the_minister_as_person():
    (mention,) = extract_mentions("I will publish the consultation response shortly.", ANSWER)
    assert (mention["owner"], mention["person"]) == ("Department for Transport", "A Minister")


def test_press_quote_is_owned_by_the_speakers_body():
    article = (
        "Cabinet Office spokesperson Earl Howe answered a question from Labour peer Lord Kennedy.\n"
        "“We will publish the new guidance for candidates before the election,” he said.\n"
        "Critics said the plans will not go far enough."
    )
    (mention,) = extract_mentions(article, {"date": "2019-11-12"})
    assert (mention["kind"], mention["owner"], mention["person"]) == ("firm", "Cabinet Office", "Earl Howe")
    assert mention["action"] == "publish the new guidance for candidates"


def test_evidence_turn_owned_by_the_witness_department():
    turn = "We will stand up an election cell again for any general election."
    (mention,) = extract_mentions(turn, {"body": "Cabinet Office", "person": "A Witness", "date": "2019-09-03"})
    assert (mention["kind"], mention["action"], mention["owner"], mention["person"]) == (
        "firm", "stand up an election cell", "Cabinet Office", "A Witness")


def test_quoted_speaker_resolved_from_a_later_surname():
    article = (
        "Jane Smith, director of elections at the Cabinet Office, gave evidence today.\n"
        "Smith said the department will publish a revised code of practice in the autumn."
    )
    (mention,) = extract_mentions(article, {"date": "2021-02-01"})
    assert (mention["owner"], mention["person"], mention["deadline"]) == ("Cabinet Office", "Jane Smith", "2021-11-30")


# -- deadlines ----------------------------------------------------------------

@pytest.mark.parametrize("text, deadline_text, deadline", [
    ("We will publish the plan in the spring.", "in the spring", "2021-05-31"),
    ("We will publish the plan by the end of the year.", "by the end of the year", "2021-12-31"),
    ("We will respond within 12 weeks.", "within 12 weeks", "2021-04-26"),
    ("We will spend £57 billion in 2023/24.", "in 2023/24", "2024-03-31"),
    ("We will publish the plan later this year.", "later this year", "2021-12-31"),
])
def test_deadlines_resolved_against_the_document_date(text, deadline_text, deadline):
    (mention,) = extract_mentions(text, ANSWER)
    assert (mention["deadline_text"], mention["deadline"]) == (deadline_text, deadline)
