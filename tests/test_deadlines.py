"""Deadlines: each form found in a sentence, resolved (UK conventions) against the document's
date to the end of the period it names, with its precision; and through the real pipeline."""

import datetime as dt

import pytest
import sqlite_utils

import db
from extract.deadlines import find_deadline, resolve_deadline, resolve_period
from extract.pipeline import extract_mentions

FEB_2021 = dt.date(2021, 2, 1)


def found_and_resolved(phrase: str, base: dt.date | None = FEB_2021):
    found = find_deadline(f"We will publish the plan {phrase}.")
    assert found is not None, f"{phrase!r} not found"
    assert found[0] == phrase, f"found {found[0]!r}, not the whole of {phrase!r}"
    period = resolve_period(found[0], base)
    return (period.end.isoformat(), period.precision) if period else None


@pytest.mark.parametrize("phrase, expected", [
    # quarters: calendar quarters, or a financial year's (Q1 = April-June)
    ("in Q3 2021", ("2021-09-30", "quarter")),
    ("by Q1 2022", ("2022-03-31", "quarter")),
    ("in the third quarter of 2021", ("2021-09-30", "quarter")),
    ("by the end of the fourth quarter of 2021", ("2021-12-31", "quarter")),
    ("in the first quarter of 2021-22", ("2021-06-30", "quarter")),
    ("by the end of the final quarter of 2021/22", ("2022-03-31", "quarter")),
    ("by Q4", ("2021-12-31", "quarter")),
    ("in the second quarter of next year", ("2022-06-30", "quarter")),
    # financial years end on 31 March
    ("in 2021-22", ("2022-03-31", "year")),
    ("in 2023/24", ("2024-03-31", "year")),
    ("in the 2021-22 financial year", ("2022-03-31", "year")),
    ("by the end of the financial year", ("2021-03-31", "year")),
    ("by the end of the next financial year", ("2022-03-31", "year")),
    ("by the start of the next financial year", ("2021-04-01", "day")),
    ("in 1999-00", ("2000-03-31", "year")),
    # seasons (meteorological)
    ("by spring 2022", ("2022-05-31", "season")),
    ("in the spring", ("2021-05-31", "season")),
    ("this autumn", ("2021-11-30", "season")),
    ("by the end of the summer", ("2021-08-31", "season")),
    ("next spring", ("2022-05-31", "season")),
    ("in winter 2021", ("2022-02-28", "season")),
    ("in early spring", ("2021-04-30", "month")),
    # feasts and the calendar year
    ("before Christmas", ("2021-12-24", "day")),
    ("by Christmas", ("2021-12-25", "day")),
    ("by Easter 2022", ("2022-04-17", "day")),
    ("by the end of the year", ("2021-12-31", "year")),
    ("later this year", ("2021-12-31", "year")),
    ("next year", ("2022-12-31", "year")),
    ("by the end of the calendar year", ("2021-12-31", "year")),
    ("in 2021", ("2021-12-31", "year")),
    ("in early 2022", ("2022-04-30", "season")),
    ("by the start of 2022", ("2022-01-01", "day")),
    # numeric dates are day first
    ("by 02/03/2021", ("2021-03-02", "day")),
    ("by 2/3/21", ("2021-03-02", "day")),
    ("on 15.04.2021", ("2021-04-15", "day")),
    # named days and months
    ("by 31 March 2021", ("2021-03-31", "day")),
    ("by 31st March", ("2021-03-31", "day")),
    ("on the 1st of March 2022", ("2022-03-01", "day")),
    ("by March 31st 2021", ("2021-03-31", "day")),
    ("by January", ("2022-01-31", "month")),
    ("by the end of March 2021", ("2021-03-31", "month")),
    ("in the week beginning 8 February", ("2021-02-14", "week")),
    # counted from the document's date
    ("within 12 weeks", ("2021-04-26", "day")),
    ("within eighteen months", ("2022-08-01", "day")),
    ("in the next 3 months", ("2021-05-01", "day")),
    ("in the coming year", ("2022-02-01", "day")),
    ("next month", ("2021-03-31", "month")),
])
def test_each_form_resolves_to_the_end_of_its_period(phrase, expected):
    assert found_and_resolved(phrase) == expected


@pytest.mark.parametrize("phrase", [
    "in the coming weeks", "in the coming months", "in the next few months", "in due course", "shortly",
    "before the summer recess", "before the Christmas recess", "by the end of this Parliament",
    "within this Parliament", "by the end of the session", "in the next session", "before the next election",
])
def test_time_without_a_checkable_date_is_kept_as_written(phrase):
    assert found_and_resolved(phrase) is None


@pytest.mark.parametrize("phrase", ["by 31 February", "by 30 February 2022", "by 29 February 2021",
                                    "by 31/02/2021", "by 12/13/2021", "by 29 February"])
def test_an_impossible_date_is_kept_as_text_never_moved(phrase):
    # "by 29 February" from February 2021 names the next 29 February, and 2021 has none.
    assert found_and_resolved(phrase) is None


def test_an_event_named_by_its_date_is_not_a_deadline():
    assert find_deadline("We condemn the attacks in the 7 October atrocity.") is None


def test_the_29th_of_february_in_a_leap_year_resolves():
    assert found_and_resolved("by 29 February", dt.date(2023, 6, 1)) == ("2024-02-29", "day")


def test_a_named_month_that_has_passed_is_next_years():
    assert found_and_resolved("by March", dt.date(2021, 6, 1)) == ("2022-03-31", "month")
    assert found_and_resolved("before Christmas", dt.date(2021, 12, 28)) == ("2022-12-24", "day")
    # found by the property tests: this used to resolve to 2021-01-01, the day before the answer
    assert found_and_resolved("by 1 January", dt.date(2021, 1, 2)) == ("2022-01-01", "day")


def test_without_a_document_date_only_absolute_dates_resolve():
    assert found_and_resolved("by 31 March 2021", None) == ("2021-03-31", "day")
    assert found_and_resolved("in Q3 2021", None) == ("2021-09-30", "quarter")
    assert found_and_resolved("in 2021-22", None) == ("2022-03-31", "year")
    for relative in ("by March", "next year", "within 12 weeks", "in the spring", "before Christmas", "by Q4"):
        assert found_and_resolved(relative, None) is None


def test_a_date_at_the_end_of_the_calendar_resolves_to_nothing_rather_than_failing():
    # Found by the property tests: "next year" from 9999-12-31 used to raise ValueError.
    last = dt.date(9999, 12, 31)
    for phrase in ("next year", "within 12 weeks", "by March", "next month", "in the spring", "next winter"):
        assert resolve_deadline(phrase, last) is None


def test_a_year_span_is_not_a_financial_year():
    assert found_and_resolved("in 2021-2025") == ("2025-12-31", "year")
    assert resolve_period("2021-19", FEB_2021) is None  # not a year after 2021


# -- through the real pipeline -------------------------------------------------------

ANSWER = {"body": "Cabinet Office", "person": "A Minister", "date": "2021-02-01"}


@pytest.mark.parametrize("sentence, action, deadline_text, deadline, precision", [
    ("We will publish the report in Q3 2021.", "publish the report", "in Q3 2021", "2021-09-30", "quarter"),
    ("The Department will publish its response by Q3 2021.", "publish its response", "by Q3 2021",
     "2021-09-30", "quarter"),
    ("We will launch the consultation in the third quarter of 2021.", "launch the consultation",
     "in the third quarter of 2021", "2021-09-30", "quarter"),
    ("We will publish the strategy before Christmas.", "publish the strategy", "before Christmas",
     "2021-12-24", "day"),
    ("We will publish a report on the findings of the review by 02/03/2021.",
     "publish a report on the findings of the review", "by 02/03/2021", "2021-03-02", "day"),
    ("We will consult on the proposals this autumn.", "consult on the proposals", "this autumn",
     "2021-11-30", "season"),
    ("We will complete the review by the end of the financial year.", "complete the review",
     "by the end of the financial year", "2021-03-31", "year"),
    ("We will legislate to introduce the new regime by the end of this Parliament.",
     "legislate to introduce the new regime", "by the end of this Parliament", None, None),
    ("We will set out our plans before the summer recess.", "set out our plans", "before the summer recess",
     None, None),
    ("We will publish further details in the coming weeks.", "publish further details", "in the coming weeks",
     None, None),
    ("We will publish the data by 31 February.", "publish the data", "by 31 February", None, None),
])
def test_the_extractor_keeps_the_deadline_out_of_the_action(sentence, action, deadline_text, deadline, precision):
    (mention,) = extract_mentions(sentence, ANSWER)
    assert (mention["action"], mention["deadline_text"], mention["deadline"], mention["deadline_precision"]) == (
        action, deadline_text, deadline, precision)
    assert sentence[mention["action_start"]:mention["action_end"]] in (action, action.replace("publish", "published"))


@pytest.mark.parametrize("sentence, action, deadline", [
    ("The guidance will be published by 02/03/2021.", "publish the guidance", "2021-03-02"),
    ("The new system will be introduced by Easter 2022.", "introduce the new system", "2022-04-17"),
])
def test_a_passive_by_date_is_a_deadline_not_a_doer(sentence, action, deadline):
    # These were lost: the date was read as the agent, a body outside government.
    (mention,) = extract_mentions(sentence, ANSWER)
    assert (mention["kind"], mention["owner"], mention["action"], mention["deadline"]) == (
        "firm", "Cabinet Office", action, deadline)


def test_list_items_take_their_own_deadlines():
    text = "The Government will:\n- publish the plan by Q3 2021;\n- consult on the proposals before Christmas."
    mentions = extract_mentions(text, ANSWER)
    assert [(m["action"], m["deadline_text"], m["deadline"], m["deadline_precision"]) for m in mentions] == [
        ("publish the plan", "by Q3 2021", "2021-09-30", "quarter"),
        ("consult on the proposals", "before Christmas", "2021-12-24", "day"),
    ]


def test_the_precision_is_stored_beside_the_deadline(tmp_path):
    path = tmp_path / "old.db"
    db.open_db(path).conn.close()
    old = sqlite_utils.Database(path)  # made as a store was before deadline_precision and the mark existed
    old["mentions"].transform(drop={"deadline_precision"})
    old.conn.execute("pragma application_id = 0")
    old.conn.execute("pragma user_version = 0")
    old.conn.close()
    assert "deadline_precision" not in sqlite_utils.Database(path)["mentions"].columns_dict
    database = db.open_db(path)
    document = {"id": "d1", "source": "written_question", "source_id": "1", "source_url": None,
                "date": "2021-02-01", "content_hash": "h"}
    mentions = extract_mentions("We will publish the report in Q3 2021.", ANSWER)
    db.save_mentions(database, [(document, mentions)], "test")
    (row,) = database["mentions"].rows
    assert (row["deadline"], row["deadline_precision"], row["deadline_text"]) == ("2021-09-30", "quarter", "in Q3 2021")
