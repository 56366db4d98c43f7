"""Reports on deeds (extract/events.py): delivered, progress, delayed, dropped, through the
real pipeline, and their rows in a real SQLite store. The sentences are the project's own."""

import datetime as dt
from dataclasses import asdict

import pytest

import db
import extract.runner as runner
from extract.event_dates import resolve_event_date
from extract.pipeline import extract_documents, extract_events, extract_many, load_nlp
from spiders.written_questions import parse_question
from tests.test_runner import DETAIL, MODEL

ANSWER = {"body": "Cabinet Office", "person": "Earl Howe", "date": "2023-11-05"}


@pytest.fixture(scope="module", autouse=True)
def nlp():
    return load_nlp()  # once for the module: every test below goes through the same pipeline


def events(text, meta=ANSWER):
    return extract_events(text, meta)


def only(text, meta=ANSWER):
    found = events(text, meta)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("sentence, verb, obj, action, date", [
    ("We launched the consultation on electoral integrity on 11 August.", "launch",
     "the consultation on electoral integrity", "launch the consultation on electoral integrity", "2023-08-11"),
    ("The regime came into force on 2 November 2023.", "bring into force", "the regime",
     "bring the regime into force", "2023-11-02"),
    ("The guidance was published today.", "publish", "the guidance", "publish the guidance", "2023-11-05"),
    ("We have appointed a chair.", "appoint", "a chair", "appoint a chair", None),
    ("The Procurement Act received Royal Assent in October.", "enact", "the Procurement Act",
     "enact the Procurement Act", "2023-10-31"),
    ("We have introduced legislation.", "introduce", "legislation", "introduce legislation", None),
    ("We brought in the new rules in March.", "bring in", "the new rules", "bring in the new rules", "2023-03-31"),
    ("We brought the regulations into force in April 2021.", "bring into force", "the regulations",
     "bring the regulations into force", "2021-04-30"),
    ("We have set up a taskforce on digital imprints.", "set up", "a taskforce on digital imprints",
     "set up a taskforce on digital imprints", None),
    ("Regulations were laid before Parliament on 5 May.", "lay", "regulations", "lay regulations before Parliament",
     "2023-05-05"),
    ("We are today publishing the response to the consultation.", "publish", "the response to the consultation",
     "publish the response to the consultation", "2023-11-05"),
])
def test_delivered(sentence, verb, obj, action, date):
    event = only(sentence)
    assert (event["event"], event["verb"], event["object"], event["action"]) == ("delivered", verb, obj, action)
    assert event["event_date"] == date
    assert event["owner"] == "Cabinet Office" and event["person"] == "Earl Howe" and event["partial"] is False
    assert event["reported"] is None  # an answer is the speaker's own words
    assert sentence[event["action_start"]:event["action_end"]] in sentence
    assert event["sentence"] == sentence and (event["sentence_start"], event["sentence_end"]) == (0, len(sentence))


def test_today_at_the_head_of_the_sentence_dates_the_deed():
    event = only("Today I am publishing a consultation response.")
    assert (event["event"], event["event_date"], event["event_date_text"]) == ("delivered", "2023-11-05", "Today")


def test_the_date_phrase_ends_with_its_date():
    event = only("We issued revised national guidance in April 2009 which incorporates learning from recent years.")
    assert (event["event_date_text"], event["event_date"]) == ("in April 2009", "2009-04-30")


def test_a_consultation_response_is_published_not_a_consultation_launched():
    event = only("We have published a consultation response.")
    assert (event["event"], event["action"]) == ("delivered", "publish a consultation response")


@pytest.mark.parametrize("sentence, action", [
    ("We have implemented the first phase of the programme.", "implement the first phase of the programme"),
    ("We have implemented some of the recommendations.", "implement some of the recommendations"),
    ("The recommendations have been partly implemented.", "implement the recommendations"),
])
def test_partial_delivery(sentence, action):
    event = only(sentence)
    assert (event["event"], event["action"], event["partial"]) == ("delivered", action, True)


@pytest.mark.parametrize("sentence, verb, action, date", [
    ("The consultation closed on 9 December.", "close", "close the consultation", "2022-12-09"),
    ("The Bill had its second reading on 1 November.", "pass", "pass the Bill", "2023-11-01"),
    ("We are now analysing the responses.", "analyse", "analyse the responses", None),
    ("Work is under way to develop the licensing scheme.", "develop", "develop the licensing scheme", None),
    ("The Elections Bill is currently before Parliament.", "pass", "pass the Elections Bill", None),
    ("The guidance is being updated.", "update", "update the guidance", None),
    ("Work has begun on the new guidance.", "deliver", "deliver the new guidance", None),
    ("We received 500 responses to the consultation.", "receive", "receive 500 responses to the consultation", None),
])
def test_progress(sentence, verb, action, date):
    event = only(sentence)
    assert (event["event"], event["verb"], event["action"], event["event_date"]) == ("progress", verb, action, date)


@pytest.mark.parametrize("sentence, action, new_deadline, text", [
    ("Publication of the strategy has been delayed until 2024.", "publish the strategy", "2024-12-31", "until 2024"),
    ("We now expect to publish the strategy in the spring.", "publish the strategy", "2024-05-31", "in the spring"),
    ("The strategy will now be published in the autumn.", "publish the strategy", "2023-11-30", "in the autumn"),
    ("We have postponed the launch of the scheme until April 2024.", "launch the scheme", "2024-04-30", "until April 2024"),
    ("The review has been delayed.", "deliver the review", None, None),
])
def test_delayed(sentence, action, new_deadline, text):
    event = only(sentence)
    assert (event["event"], event["action"]) == ("delayed", action)
    assert (event["new_deadline"], event["new_deadline_text"]) == (new_deadline, text)


def test_a_new_date_is_a_delay_even_where_a_promise_is_read():
    text = "We now expect to publish the strategy in the spring."
    mentions, found = next(extract_documents([(text, ANSWER)]))
    assert mentions and [e["event"] for e in found] == ["delayed"]


@pytest.mark.parametrize("sentence, action", [
    ("The Government has decided not to proceed with the levy.", "proceed with the levy"),
    ("The Government no longer intends to introduce the levy.", "introduce the levy"),
    ("The Government will no longer introduce the levy.", "introduce the levy"),
    ("We are not taking forward the proposal.", "take forward the proposal"),
    ("The programme has been paused indefinitely.", "deliver the programme"),
    ("The scheme has been scrapped.", "deliver the scheme"),
    ("We have abandoned plans to introduce a levy.", "introduce a levy"),
    ("We have decided against introducing a levy.", "introduce a levy"),
])
def test_dropped(sentence, action):
    event = only(sentence)
    assert (event["event"], event["action"]) == ("dropped", action)


@pytest.mark.parametrize("sentence", [
    "We will not proceed with the levy.",
    "The proposals will not be taken forward.",
    "We have no plans to introduce a levy.",
])
def test_a_refusal_the_mention_finder_reads_is_not_repeated(sentence):
    mentions, found = next(extract_documents([(sentence, ANSWER)]))
    assert [m["kind"] for m in mentions] == ["negative"]
    assert found == []


@pytest.mark.parametrize("sentence", [
    "We will publish the strategy in the spring.",  # a promise
    "The regulations will come into force in April.",
    "We have committed to publish a strategy.",  # a promise restated
    "We have set out our plans to publish a strategy.",
    "We are considering the responses.",  # a hedge
    "If we had published the guidance, this would not have happened.",  # a hypothetical
    "We would have introduced legislation.",
    "Has the Government published the strategy?",  # questions
    "To ask His Majesty's Government whether they have published the strategy.",
    "We have not yet published the strategy.",  # not done
    "Local authorities have published their plans.",  # not the Government's deed
    "The Committee published its report in March.",
    "The Scottish Government has launched a consultation.",
    "A copy has been placed in the Library of the House.",  # the answer's housekeeping
    "We have made good progress.",  # nothing checkable
    "It is unclear whether the guidance was published.",
    "No schemes in the programme were cancelled.",  # nothing was done
    "No discussions have been held with the Home Office on the matter.",
    "One person has completed training.",  # a doer that is not the Government
    "The International Rugby Board has published a report on the bid.",
    "Data have been provided for all pupils.",  # the answer's own housekeeping
    "I responded to the hon. Member's letter on 20 October.",
    "The department will set out the revised timelines in due course.",  # a promise, not a new date
    "My noble friend the Minister has made the following Written Ministerial Statement.",
    "We have provided the number of claimants in each region.",
    "We are reducing the fund for legal fees we no longer expect to arise.",
])
def test_no_report(sentence):
    assert events(sentence) == []


def test_a_deed_done_beside_a_promise():
    text = "We have set up a taskforce and will publish its findings in the spring."
    mentions, found = next(extract_documents([(text, ANSWER)]))
    assert [(m["kind"], m["action"]) for m in mentions] == [("firm", "publish its findings")]
    assert [(e["event"], e["action"]) for e in found] == [("delivered", "set up a taskforce")]


def test_owner_is_the_agent_or_the_named_body():
    assert only("The guidance was published by the Electoral Commission in May.")["owner"] == "Electoral Commission"
    assert only("The Cabinet Office launched the consultation.", {"body": "DCMS", "date": "2023-11-05"})["owner"] \
        == "Cabinet Office"


def test_press_reports_need_a_government_owner_and_say_whether_quoted():
    text = ('The Cabinet Office said it had published the guidance. '
            '"We have appointed a chair," said Earl Howe, a Cabinet Office minister. '
            'A local council has launched a review.')
    found = events(text, {"date": "2023-11-05"})
    assert [(e["action"], e["owner"], e["reported"]) for e in found] == [
        ("publish the guidance", "Cabinet Office", True), ("appoint a chair", "Cabinet Office", False)]


def test_outside_government_we_is_not_the_government():
    witness = {"body": "Electoral Reform Society", "government": 0, "date": "2023-11-05"}
    assert events("We launched a campaign in March.", witness) == []
    (event,) = events("The Government published its response in July.", witness)
    assert (event["action"], event["owner"], event["person"]) == ("publish its response", None, None)


@pytest.mark.parametrize("phrase, base, expected", [
    ("on 11 August", dt.date(2023, 11, 5), dt.date(2023, 8, 11)),
    ("on 9 December", dt.date(2023, 11, 5), dt.date(2022, 12, 9)),  # looking back: last December
    ("in March", dt.date(2023, 11, 5), dt.date(2023, 3, 31)),
    ("in November", dt.date(2023, 11, 5), dt.date(2023, 11, 5)),  # never after the document
    ("in 2021", dt.date(2023, 11, 5), dt.date(2021, 12, 31)),
    ("on 5/6/2023", dt.date(2023, 11, 5), dt.date(2023, 6, 5)),  # day first
    ("today", dt.date(2023, 11, 5), dt.date(2023, 11, 5)),
    ("earlier this year", dt.date(2023, 11, 5), None),
    ("on 11 August", None, None),  # no document date, no year: no guess
    ("in March 2021", None, dt.date(2021, 3, 31)),
    ("In 2013-14", dt.date(2023, 11, 5), dt.date(2014, 3, 31)),  # a financial year, not 14 December 2013
    ("in 2023/24", dt.date(2023, 11, 5), dt.date(2023, 11, 5)),
])
def test_event_dates_look_back_from_the_document(phrase, base, expected):
    assert resolve_event_date(phrase, base) == expected


def test_extract_many_still_yields_mentions_only():
    texts = [("We will publish the strategy. We have published the guidance.", ANSWER)]
    (mentions,) = list(extract_many(texts))
    assert [m["kind"] for m in mentions] == ["firm"]
    ((same, found),) = list(extract_documents(texts))
    assert same == mentions and [e["action"] for e in found] == ["publish the guidance"]


def test_reports_are_stored_with_the_mentions_and_replaced_per_document(db_path):
    database = db.open_db(db_path)
    answer = dict(DETAIL, answerText="<p>We will publish the strategy in the spring.</p>"
                                     "<p>We launched the consultation on 11 August.</p>")
    db.save_records(database, [asdict(parse_question(answer))])
    counts = runner.run_extraction(database, MODEL)
    assert counts["reports"] == 1 and counts["mentions"] == 1
    (row,) = database["reports"].rows
    (document,) = database["documents"].rows
    assert row["document_id"] == document["id"] and row["date"] == document["date"] == "2019-11-05"
    assert (row["event"], row["verb"], row["action"], row["owner"]) == (
        "delivered", "launch", "launch the consultation", "Cabinet Office")
    assert row["event_date"] == "2019-08-11" and row["partial"] == 0 and row["reported"] is None
    assert row["source"] == "written_question" and row["source_url"].endswith("/HL401")
    assert row["extractor_version"] == runner.extractor_version(MODEL)
    assert database["extraction_state"].get(document["id"])["reports"] == 1
    first_id = row["id"]

    # Unchanged: no work, the same row. Changed: the document's reports are replaced, not added to.
    assert runner.run_extraction(database, MODEL)["documents"] == 0
    assert [r["id"] for r in database["reports"].rows] == [first_id]
    changed = dict(answer, answerText="<p>The consultation closed on 9 December.</p>")
    db.save_records(database, [asdict(parse_question(changed))])
    runner.run_extraction(database, MODEL)
    assert [(r["event"], r["action"]) for r in database["reports"].rows] == [("progress", "close the consultation")]
    assert database["mentions"].count == 0


def test_a_failed_save_leaves_both_tables_as_they_were(db_path):
    database = db.open_db(db_path)
    db.save_records(database, [asdict(parse_question(DETAIL))])
    runner.run_extraction(database, MODEL)
    (document,) = database["documents"].rows
    before = (list(database["mentions"].rows), list(database["reports"].rows))
    bad_report = {"event": "delivered", "sentence_start": 0, "action_start": 0, "action": "x", "no_such_column": 1}
    with pytest.raises(Exception):
        db.save_mentions(database, [(document, [], [bad_report])], "other")
    assert (list(database["mentions"].rows), list(database["reports"].rows)) == before
