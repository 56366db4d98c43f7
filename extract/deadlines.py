"""Deadlines: a time phrase as written, resolved against the document's date to the end
of the period it names ("in the spring" of a February 2021 answer -> 2021-05-31, season).

UK conventions throughout: numeric dates are day first (02/03/2021 is 2 March), the
financial year ends on 31 March ("2021-22" ends 2022-03-31), seasons are meteorological
(spring March-May, summer June-August, autumn September-November, winter December-February).

A phrase that names no checkable date ("in due course", "in the coming months", "before
the summer recess", "by the end of this Parliament") or names an impossible one ("by
31 February") is kept as written and resolved to no date: it is never moved to another
date. Parliamentary terms stay unresolved because the project holds no sourced table of
recess and dissolution dates; a guessed one would put wrong dates on the record.
"""

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Callable

from dateutil.easter import easter

# How exact a resolved date is: the size of the named period whose last day it is.
# "season" is also a loose part of a year ("early 2022", "mid-2022").
PRECISIONS = ("day", "week", "month", "quarter", "season", "year")


@dataclass(frozen=True)
class Period:
    """The end of the period a deadline names, and how exact that end is."""

    end: dt.date
    precision: str


SEASON_END = {"spring": (5, 31), "summer": (8, 31), "autumn": (11, 30), "fall": (11, 30), "winter": (2, None)}
MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTHS["sept"] = 9
_ORDINAL_QUARTERS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "final": 4, "last": 4}
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
            "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "eighteen": 18}

# -- finding: phrases that carry a time limit; the match is what `deadline_text` keeps ----

_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d\d"
_FISCAL = _YEAR + r"\s*[/-]\s*\d\d(?:\d\d)?"
_SEASON = r"(?:spring|summer|autumn|winter)"
_QUARTER = r"(?:Q[1-4]|(?:first|second|third|fourth|final|last)\s+quarter)"
_PREP = r"(?:by|before|in|during|until|from|on|for|over|ahead\s+of)"
_COUNT = r"(?:\d+|" + "|".join(_NUMBERS) + r")"
_RECESS = r"(?:summer|Christmas|Easter|Whitsun|Whitsuntide|February|half-term|conference|autumn|spring|May)\s+recess"
_ALTERNATIVES = [
    # in Q3 2021 / by the end of the third quarter of 2021 / in the first quarter of 2021-22 / Q3 2021
    _PREP + r"\s+(?:the\s+)?(?:end\s+of\s+(?:the\s+)?)?" + _QUARTER
    + r"(?:\s+(?:of\s+)?(?:(?:the\s+|this\s+|next\s+)(?:financial\s+)?year|" + _FISCAL + r"|" + _YEAR + r"))?",
    r"Q[1-4]\s+(?:" + _FISCAL + r"|" + _YEAR + r")",
    # Parliamentary time: kept as written, resolved to no date (no sourced table of dates).
    r"(?:before|by|ahead\s+of|until)\s+the\s+(?:next\s+|forthcoming\s+)?" + _RECESS,
    r"(?:" + _PREP + r"|within)\s+(?:the\s+)?(?:(?:end|course|lifetime|remainder)\s+of\s+)?(?:this|the\s+next|"
    r"the\s+current|the\s+present)\s+(?:parliamentary\s+session|session(?:\s+of\s+Parliament)?|Parliament)",
    r"(?:by|before)\s+the\s+end\s+of\s+the\s+(?:parliamentary\s+session|session|Parliament)",
    # by the end of 2020 / of the year / of March 2021 / of this financial year
    _PREP + r"\s+(?:the\s+)?(?:end|start|beginning|middle|course)\s+of\s+(?:the\s+)?(?:this\s+|next\s+)?"
    r"(?:calendar\s+year|year|month|financial\s+year|parliament|session|" + _MONTH + r"(?:\s+" + _YEAR + r")?|"
    + _YEAR + r"(?:[/-]\d\d(?:\d\d)?)?|" + _SEASON + r"(?:\s+" + _YEAR + r")?)",
    # before Christmas / by Easter 2022
    r"(?:by|before|ahead\s+of|until|in\s+time\s+for|over)\s+(?:the\s+)?(?:Christmas|Easter)(?!\s+recess)(?:\s+" + _YEAR + r")?",
    # in the spring / by summer 2021 / in early spring
    _PREP + r"\s+(?:the\s+)?(?:early\s+|late\s+|mid-?)?" + _SEASON + r"(?:\s+(?:term\s+)?(?:of\s+)?" + _YEAR + r")?",
    r"(?:this|next)\s+(?:spring|summer|autumn|winter|year|month|financial\s+year)",
    r"later\s+(?:this|in\s+the)\s+(?:year|month|spring|summer|autumn|session)",
    # by 02/03/2021 (day first) / on 2.3.21
    _PREP + r"\s+(?:the\s+)?\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d\d)(?![\d/.-]*\d)",
    # by 8 February / in March 2021 / on the 1st of March 2021 / in the week beginning 8 February
    # ("the" only before an ordinal: "in the 7 October attacks" names an event, not a deadline)
    _PREP + r"\s+(?:the\s+week\s+(?:beginning|commencing)\s+)?(?:the\s+\d{1,2}(?:st|nd|rd|th)\s+(?:of\s+)?|"
    + _DAY + r"\s+(?:of\s+)?)?" + _MONTH
    + r"(?:\s+" + _DAY + r"(?![\d:.]))?(?:,?\s+" + _YEAR + r")?",
    # in 2021 / by 2050 / in 2023/24 / in 2020-21 / in the 2021-22 financial year
    _PREP + r"\s+(?:the\s+)?(?:early\s+|late\s+|mid-?)?(?:the\s+financial\s+year\s+)?" + _YEAR
    + r"(?:\s*[/-]\s*\d\d(?:\d\d)?)?(?:\s+financial\s+year)?",
    r"(?:early|late)\s+(?:in\s+)?" + _YEAR,
    r"within\s+(?:the\s+next\s+)?" + _COUNT + r"\s+(?:days?|weeks?|months?|years?)",
    r"in\s+the\s+(?:coming|next)\s+(?:few\s+)?(?:year|months?|weeks?|days?|" + _COUNT + r"\s+(?:days?|weeks?|months?|years?))",
    # Open-ended or tied to an event: kept as written, resolved to no date.
    r"in\s+due\s+course|shortly|as\s+soon\s+as\s+(?:possible|practicable)|in\s+the\s+near\s+future",
    r"(?:before|ahead\s+of|by)\s+the\s+(?:next\s+|general\s+|forthcoming\s+)*(?:election|recess|"
    r"Budget|Spending\s+Review|end\s+of\s+the\s+session|end\s+of\s+this\s+Parliament)",
]
DEADLINE_PATTERN = re.compile(r"\b(?:" + "|".join(_ALTERNATIVES) + r")\b", re.IGNORECASE)

# Time that names no date to check against.
OPEN_ENDED = re.compile(r"due course|shortly|as soon as|near future|election|recess|budget|spending review|"
                        r"session|parliament|coming (?:days|weeks|months)|next few|next (?:days|weeks|months)\b",
                        re.IGNORECASE)


def find_deadline(text: str) -> tuple[str, int, int] | None:
    """The first time-limit phrase in `text`: (phrase, start, end), or None."""
    match = DEADLINE_PATTERN.search(text)
    return (match.group(0), match.start(), match.end()) if match else None


# -- resolving: the end of the named period, seen from the document's date -------------

def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _future_year(base: dt.date, month: int, day: int | None) -> int:
    """The year in which a named month, day or season next ends, seen from `base`."""
    end = _month_end(base.year, month) if day is None else dt.date(base.year, month, day)
    return base.year if end >= base else base.year + 1


def _add_months(base: dt.date, months: int) -> dt.date:
    year, month = divmod(base.month - 1 + months, 12)
    last_day = calendar.monthrange(base.year + year, month + 1)[1]
    return dt.date(base.year + year, month + 1, min(base.day, last_day))


def _current_financial_year_start(base: dt.date) -> int:
    """The calendar year in which the financial year holding `base` began (1 April)."""
    return base.year if base.month > 3 else base.year - 1


def _fiscal_years(match: re.Match) -> tuple[int, int] | None:
    """(first, second) of "2021-22" / "2021/2022", or None when the second is not a year after the first."""
    first, second = int(match.group(1)), match.group(2)
    if len(second) == 4:
        return (first, int(second)) if int(second) > first else None
    ahead = (int(second) - first) % 100  # "1999-00" is one year on
    return (first, first + ahead) if 1 <= ahead <= 10 else None


_YEAR_RE = re.compile(r"\b((?:19|20)\d\d)\b")
_FISCAL_RE = re.compile(r"\b((?:19|20)\d\d)\s*[/-]\s*(\d\d(?:\d\d)?)\b")


def _numeric_date(m: re.Match, base: dt.date | None) -> Period | None:
    day, month, year = int(m.group(1)), int(m.group(2)), m.group(3)
    return Period(dt.date(int(year) if len(year) == 4 else 2000 + int(year), month, day), "day")


def _week_beginning(m: re.Match, base: dt.date | None) -> Period | None:
    day, month = int(m.group(1)), MONTHS[m.group(2)]
    year = int(m.group(3)) if m.group(3) else (_future_year(base, month, day) if base else None)
    if year is None:
        return None
    return Period(dt.date(year, month, day) + dt.timedelta(days=6), "week")


def _quarter(m: re.Match, base: dt.date | None) -> Period | None:
    number = int(m.group(1)) if m.group(1) else _ORDINAL_QUARTERS[m.group(2)]
    rest = m.string[m.end():]
    fiscal = _FISCAL_RE.search(rest)
    if fiscal or "financial year" in rest:
        # Quarters of a financial year: Q1 is April-June, Q4 ends on 31 March.
        if fiscal:
            years = _fiscal_years(fiscal)
            if years is None:
                return None
            start = years[0]
        elif base is None:
            return None
        else:
            start = _current_financial_year_start(base) + (1 if "next" in rest else 0)
        month = 3 * number + 3
        return Period(_month_end(start + (month > 12), (month - 1) % 12 + 1), "quarter")
    year = _YEAR_RE.search(rest)
    if year:
        return Period(_month_end(int(year.group(1)), 3 * number), "quarter")
    if base is None:
        return None
    if "next year" in rest:
        return Period(_month_end(base.year + 1, 3 * number), "quarter")
    if re.search(r"\b(?:this|the) year\b", rest):
        return Period(_month_end(base.year, 3 * number), "quarter")
    return Period(_month_end(_future_year(base, 3 * number, None), 3 * number), "quarter")


def _fiscal_year(m: re.Match, base: dt.date | None) -> Period | None:
    years = _fiscal_years(m)
    if years is None:
        return None
    if years[1] == years[0] + 1:  # 2021-22: the financial year, ending 31 March 2022
        return Period(dt.date(years[1], 3, 31), "year")
    return Period(dt.date(years[1], 12, 31), "year")  # 2021-2025: a span of years


def _named_financial_year(m: re.Match, base: dt.date | None) -> Period | None:
    if base is None:
        return None
    start = _current_financial_year_start(base) + (1 if m.group(1) == "next" else 0)
    return Period(dt.date(start + 1, 3, 31), "year")


def _feast(m: re.Match, base: dt.date | None) -> Period | None:
    """Christmas or Easter; "before" it ends the day before."""
    day_of = (lambda year: dt.date(year, 12, 25)) if m.group(2) == "christmas" else easter
    if m.group(3):
        day = day_of(int(m.group(3)))
    elif base is None:
        return None
    else:
        day = day_of(base.year)
        day = day if day >= base else day_of(base.year + 1)
    return Period(day - dt.timedelta(days=1) if m.group(1) in {"before", "ahead of"} else day, "day")


def _within(m: re.Match, base: dt.date | None) -> Period | None:
    if base is None:
        return None
    word = m.group(1)
    count = int(word) if word.isdigit() else _NUMBERS[word]
    unit = m.group(2)
    if unit == "day":
        return Period(base + dt.timedelta(days=count), "day")
    if unit == "week":
        return Period(base + dt.timedelta(weeks=count), "day")
    return Period(_add_months(base, count * (12 if unit == "year" else 1)), "day")


def _season(m: re.Match, base: dt.date | None) -> Period | None:
    season, text = m.group(1), m.string
    years = [int(y) for y in _YEAR_RE.findall(text)]
    if not years and base is None:
        return None
    month, day = SEASON_END[season]
    if season == "winter":  # winter ends with the February after it
        if years:
            year = years[0] + 1
        else:
            year = base.year if base.month <= 2 else base.year + 1
            if "next" in text and base.month in (1, 2, 12):
                year += 1  # in the middle of a winter, "next winter" is the one after it
        return Period(_month_end(year, 2), "season")
    if years:
        year = years[0]
    elif "next" in text:
        year = base.year + 1
    else:
        year = _future_year(base, month, day)
    if re.search(r"\bearly\b", text):
        return Period(_month_end(year, month - 1), "month")
    return Period(dt.date(year, month, day), "season")


def _relative_year(m: re.Match, base: dt.date | None) -> Period | None:
    if base is None:
        return None
    if m.group(1):  # "in the coming year", "in the next 12 months": a year from the document
        return Period(_add_months(base, 12), "day")
    return Period(dt.date(base.year + (1 if m.group(2) else 0), 12, 31), "year")


def _relative_month(m: re.Match, base: dt.date | None) -> Period | None:
    if base is None:
        return None
    year, month = divmod(base.year * 12 + base.month - 1 + (1 if m.group(1) else 0), 12)
    return Period(_month_end(year, month + 1), "month")


def _month_day(m: re.Match, base: dt.date | None) -> Period | None:
    month = MONTHS[m.group("month")]
    day = m.group("day_before") or m.group("day_after")
    year = _YEAR_RE.search(m.string[m.start("month"):])
    if year:
        year = int(year.group(1))
    elif base is None:
        return None
    if day is None:
        return Period(_month_end(year or _future_year(base, month, None), month), "month")
    day = int(day)
    if year is None:  # the next such day from the document's date
        year = base.year if (month, day) >= (base.month, base.day) else base.year + 1
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None  # "by 31 February" names no day: kept as written, never moved to another
    return Period(dt.date(year, month, day), "day")


def _part_of_year(m: re.Match, base: dt.date | None) -> Period | None:
    year = int(m.group(2))
    part = m.group(1)
    if part == "early":
        return Period(dt.date(year, 4, 30), "season")
    if part and part.startswith("mid"):
        return Period(dt.date(year, 7, 31), "season")
    if part == "late":
        return Period(dt.date(year, 12, 31), "season")
    return Period(dt.date(year, 12, 31), "year")


_MONTH_WORD = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")"

# Checked in order on the lower-cased phrase; the first rule that matches decides, so a
# phrase that names an impossible date resolves to nothing rather than to a later rule's guess.
_RULES: list[tuple[re.Pattern, Callable[[re.Match, dt.date | None], Period | None]]] = [
    (re.compile(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d\d)\b"), _numeric_date),
    (re.compile(r"\bweek (?:beginning|commencing) (?:the )?(\d{1,2})(?:st|nd|rd|th)? (?:of )?("
                + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b(?:,? ((?:19|20)\d\d))?"), _week_beginning),
    (re.compile(r"\bq([1-4])\b|\b(first|second|third|fourth|final|last) quarter\b"), _quarter),
    (_FISCAL_RE, _fiscal_year),
    (re.compile(r"\b(this|the|next) financial year\b"), _named_financial_year),
    (re.compile(r"\b(by|before|ahead of|until|in time for|over|)\s*(?:the )?(christmas|easter)\b(?: ((?:19|20)\d\d))?"),
     _feast),
    (re.compile(r"\b(?:within|in the (?:next|coming))\s+(?:the next\s+)?(" + _COUNT + r")\s+(day|week|month|year)s?\b"),
     _within),
    (re.compile(r"\b(spring|summer|autumn|fall|winter)\b"), _season),
    (re.compile(r"\b(?:(coming year|the next year|next 12 months|next twelve months)|(next year)|"
                r"(?:this|the|calendar) year)\b"), _relative_year),
    (re.compile(r"\b(?:(next month)|this month|the month)\b"), _relative_month),
    (re.compile(r"(?:\b(?P<day_before>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?)?\b" + _MONTH_WORD
                + r"\b(?:\s+(?P<day_after>\d{1,2})(?:st|nd|rd|th)?\b)?"), _month_day),
    (re.compile(r"\b(early|late|mid-?)?\s*(?:in\s+)?((?:19|20)\d\d)\b"), _part_of_year),
]


def resolve_period(phrase: str, base: dt.date | None) -> Period | None:
    """The end of the period `phrase` names and its precision, seen from `base` (the document's
    date; None resolves only what needs no date to count from). None for open-ended or
    impossible time."""
    if not phrase or OPEN_ENDED.search(phrase):
        return None
    text = " ".join(phrase.lower().split())
    for pattern, rule in _RULES:
        match = pattern.search(text)
        if match:
            try:
                period = rule(match, base)
                return _from_start(period, text) if period else None
            except (ValueError, OverflowError):
                return None  # an impossible date, or one past the calendar's end (year 9999)
    return None


_SPAN_MONTHS = {"month": 1, "quarter": 3, "season": 3, "year": 12}


def _from_start(period: Period, text: str) -> Period:
    """ "by the start of 2022" is due on the period's first day, not its last; "by the middle
    of 2022" at the end of July."""
    if re.search(r"\b(?:start|beginning) of\b", text) and period.precision in _SPAN_MONTHS:
        year, month = divmod(period.end.year * 12 + period.end.month - _SPAN_MONTHS[period.precision], 12)
        return Period(dt.date(year, month + 1, 1), "day")
    if re.search(r"\bmiddle of\b", text) and period.precision == "year" and period.end.month == 12:
        return Period(dt.date(period.end.year, 7, 31), "season")
    return period


def resolve_deadline(phrase: str, base: dt.date | None) -> dt.date | None:
    """The last day of the period `phrase` names, seen from `base` (the document's date)."""
    period = resolve_period(phrase, base)
    return period.end if period else None


def deadline_fields(found: tuple[str, int, int] | None, base: dt.date | None) -> dict:
    """A mention's deadline columns for a phrase `find_deadline` found: the date (ISO), its
    precision, and the words as written."""
    period = resolve_period(found[0], base) if found else None
    return {"deadline": period.end.isoformat() if period else None,
            "deadline_precision": period.precision if period else None,
            "deadline_text": found[0] if found else None}
