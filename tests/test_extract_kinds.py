"""The rules' kind decisions on the forms real answers take (issue 11): settled deeds not
written with "will", money pledged in the past tense, and the look-alikes that promise nothing.

The rules are read alone (the learned classifier switched off): these are the rules' rulings,
in the project's own invented sentences.
"""

import pytest

from extract.pipeline import extract_mentions

ANSWER = {"body": "Department for Transport", "person": "A Minister", "date": "2021-02-01"}
RULES_ONLY = {"kind_model": None}


def found(text, meta=ANSWER):
    return [(m["kind"], m["action"]) for m in extract_mentions(text, meta, finder_config=RULES_ONLY)]


@pytest.mark.parametrize("text, expected", [
    # a settled future deed in the present tense
    ("We are introducing a new licence for bus operators.", [("firm", "introduce a new licence for bus operators")]),
    ("The fare cap is increasing to £3 in 2022/23.", [("firm", "increase to £3")]),
    ("From April 2022 the cap rises to £2,500.", [("firm", "rise to £2,500")]),
    ("The first release of the survey data is scheduled for 18 March.",
     [("firm", "schedule the first release of the survey data")]),
    ("The new timetable is due to be operational by May 2021.", [("firm", "make the new timetable operational")]),
    # a present activity promises only a purpose with a date to come
    ("We are working with operators to launch the new ticket in spring 2022.", [("firm", "launch the new ticket")]),
    # money pledged, in the past tense too
    ("The Department has announced £40 million for cycling schemes.", [("firm", "announce £40 million for cycling schemes")]),
    ("We have set aside £12 million for the bridge repairs.", [("firm", "set aside £12 million for the bridge repairs")]),
    ("That is why we have set aside £12 million for the bridge repairs.",
     [("firm", "set aside £12 million for the bridge repairs")]),
    ("£2 million of the fund will support local bus pilots.", [("firm", "support local bus pilots")]),
    # "pledged to" + a deed is a deed
    ("We pledged to introduce a new permit scheme.", [("firm", "introduce a new permit scheme")]),
    # an update about a thing named in the sentence before
    ("The Department is designing a new railcard. Further details will be announced in due course.",
     [("firm", "announce further details")]),
    # the deed ensured, a named deliverable after "committed to", an engagement with named partners
    ("We will ensure that the House is updated as soon as practicable.",
     [("firm", "ensure that the House is updated as soon as practicable")]),
    ("We are committed to delivering a new Road Safety Strategy.", [("firm", "deliver a new Road Safety Strategy")]),
    ("We will work with the Welsh Government on the scope of the new fund.",
     [("firm", "work with the Welsh Government on the scope of the new fund")]),
    # seeking a thing is a deed; seeking to do something is an aim
    ("I intend to seek the approval of each House to the regulations.",
     [("firm", "seek the approval of each House to the regulations")]),
    ("We will seek to reduce congestion.", [("hedged", "reduce congestion")]),
    ("Further consideration of the options will be undertaken in due course.",
     [("hedged", "undertake further consideration of the options")]),
    # a particle makes the deed
    ("We will stand up an election cell again.", [("firm", "stand up an election cell")]),
    ("We will make the data available next month.", [("firm", "make the data available next month")]),
])
def test_settled_deeds(text, expected):
    assert found(text) == expected


def test_a_state_kept_until_a_date_is_ongoing():
    assert found("The bonus scheme will be in place until 31 March 2022.")[0][0] == "ongoing"


@pytest.mark.parametrize("text", [
    # effects foretold of a thing, not deeds anyone does
    "This will enable faster journeys and make it easier for passengers to plan their trips.",
    "The new ticketing system will benefit commuters.",
    "This will raise revenue for local transport.",
    # a present activity: its purpose is not a promise
    "We are working with operators to improve punctuality.",
    # formulas that name nothing, and routines
    "Any changes will be announced to Parliament in the usual way.",
    "Further details will be set out shortly.",
    "We will ensure that services are protected.",
    "We are committed to delivering high standards.",
    "The department is committed to working closely with councils to improve services.",
    # manners of conduct and aims
    "We will take a consistent approach to road pricing.",
    "We will champion cycling across the country.",
    "We will co-operate where we can.",
    "We pledged to level the playing field for rural areas.",
    # habits and facts in the present tense; a dated day with no year may be past
    "The annual bulletin is published in June of each year.",
    "The financial year runs from 1 April to 31 March.",
    "Today I am publishing the consultation response.",
    "We are investing £2 billion in active travel.",
    # money in a clause about something else, in the past
    "The Government announced the new stations in 2019, which received £3 million.",
])
def test_look_alikes_promise_nothing(text):
    assert found(text) == []
