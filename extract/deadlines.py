"""Deadlines: a time phrase as written, resolved against the document's date to the end
of the period it names ("in the spring" of a February 2021 answer -> 2021-05-31)."""

import calendar
import datetime as dt
import re

import dateparser

SEASON_END = {"spring": (5, 31), "summer": (8, 31), "autumn": (11, 30), "fall": (11, 30), "winter": (2, None)}
MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})

# Phrases that carry a time limit. The match is what `deadline_text` keeps.
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_YEAR = r"(?:19|20)\d\d"
_SEASON = r"(?:spring|summer|autumn|winter)"
_PREP = r"(?:by|before|in|during|until|from|on|for|over|ahead\s+of)"
_ALTERNATIVES = [
    # by the end of 2020 / of the year / of March 2021 / of this financial year
    _PREP + r"\s+(?:the\s+)?(?:end|start|beginning|middle|course)\s+of\s+(?:the\s+)?(?:this\s+|next\s+)?"
    r"(?:year|month|financial\s+year|parliament|session|" + _MONTH + r"(?:\s+" + _YEAR + r")?|"
    + _YEAR + r"(?:[/-]\d\d(?:\d\d)?)?|" + _SEASON + r"(?:\s+" + _YEAR + r")?)",
    # in the spring / by summer 2021 / in early spring
    _PREP + r"\s+(?:the\s+)?(?:early\s+|late\s+|mid-?)?" + _SEASON + r"(?:\s+(?:term\s+)?(?:of\s+)?" + _YEAR + r")?",
    r"(?:this|next)\s+(?:spring|summer|autumn|winter|year|month|financial\s+year)",
    r"later\s+(?:this|in\s+the)\s+(?:year|month|spring|summer|autumn|session)",
    # by 8 February / in March 2021 / on 1 March 2021 / in the week beginning 8 February
    _PREP + r"\s+(?:the\s+week\s+(?:beginning|commencing)\s+)?(?:\d{1,2}\s+)?" + _MONTH + r"(?:\s+\d{1,2})?(?:,?\s+" + _YEAR + r")?",
    # in 2021 / by 2050 / in 2023/24 / in 2020-21
    _PREP + r"\s+(?:early\s+|late\s+|mid-?)?(?:the\s+financial\s+year\s+)?" + _YEAR + r"(?:\s*[/-]\s*\d\d(?:\d\d)?)?",
    r"(?:early|late)\s+(?:in\s+)?" + _YEAR,
    r"within\s+(?:the\s+next\s+)?(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve)\s+(?:days?|weeks?|months?|years?)",
    r"in\s+the\s+(?:coming|next)\s+(?:year|months?|weeks?|days?|\d+\s+\w+)",
    # Open-ended or tied to an event: kept as written, resolved to no date.
    r"in\s+due\s+course|shortly|as\s+soon\s+as\s+(?:possible|practicable)|in\s+the\s+near\s+future",
    r"(?:before|ahead\s+of|by)\s+the\s+(?:next\s+|general\s+|forthcoming\s+)*(?:election|recess|summer\s+recess|"
    r"Budget|Spending\s+Review|end\s+of\s+the\s+session|end\s+of\s+this\s+Parliament)",
]
OPEN_ENDED = re.compile(r"due course|shortly|as soon as|near future|election|recess|budget|spending review|"
                        r"session|parliament", re.IGNORECASE)
DEADLINE_PATTERN = re.compile(r"\b(?:" + "|".join(_ALTERNATIVES) + r")\b", re.IGNORECASE)

_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
            "nine": 9, "ten": 10, "twelve": 12}


def find_deadline(text: str) -> tuple[str, int, int] | None:
    """The first time-limit phrase in `text`: (phrase, start, end), or None."""
    match = DEADLINE_PATTERN.search(text)
    return (match.group(0), match.start(), match.end()) if match else None


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _future_year(base: dt.date, month: int, day: int | None) -> int:
    """The year in which a named month or season next ends, seen from `base`."""
    end = _month_end(base.year, month) if day is None else dt.date(base.year, month, day)
    return base.year if end >= base else base.year + 1


def resolve_deadline(phrase: str, base: dt.date | None) -> dt.date | None:
    """The last day of the period `phrase` names, seen from `base` (the document's date)."""
    if not phrase or base is None or OPEN_ENDED.search(phrase):
        return None
    text = phrase.lower()
    years = [int(y) for y in re.findall(r"\b((?:19|20)\d\d)\b", text)]

    fiscal = re.search(r"\b((?:19|20)\d\d)\s*[/-]\s*(\d\d(?:\d\d)?)\b", text)
    if fiscal:  # 2023/24 and 2021-22 are financial years, ending on 31 March
        return dt.date(int(fiscal.group(1)) + 1, 3, 31)
    within = re.search(r"within\s+(?:the\s+next\s+)?(\w+)\s+(day|week|month|year)s?", text)
    if within:
        count = int(within.group(1)) if within.group(1).isdigit() else _NUMBERS.get(within.group(1))
        if count:
            unit = within.group(2)
            if unit == "day":
                return base + dt.timedelta(days=count)
            if unit == "week":
                return base + dt.timedelta(weeks=count)
            months = count * (12 if unit == "year" else 1)
            year, month = divmod(base.month - 1 + months, 12)
            last_day = calendar.monthrange(base.year + year, month + 1)[1]
            return dt.date(base.year + year, month + 1, min(base.day, last_day))
    for season, (month, day) in SEASON_END.items():
        if season in text:
            if season == "winter":  # winter ends with the February after it
                year = years[0] + 1 if years else (base.year if base.month <= 2 else base.year + 1)
                return _month_end(year, 2)
            if "next" in text:
                return dt.date(base.year + 1, month, day)
            year = years[0] if years else _future_year(base, month, day)
            if "early" in text:
                return _month_end(year, month - 1)
            return dt.date(year, month, day)
    if re.search(r"\b(this|the)\s+(financial\s+year)\b", text):
        return dt.date(base.year + (1 if base.month > 3 else 0), 3, 31)
    if "next year" in text:
        return dt.date(base.year + 1, 12, 31)
    if re.search(r"\b(this|the)\s+year\b|later this year|end of the year", text):
        return dt.date(base.year, 12, 31)
    if "next month" in text:
        year, month = (base.year + 1, 1) if base.month == 12 else (base.year, base.month + 1)
        return _month_end(year, month)
    if re.search(r"\bthis month\b|end of the month", text):
        return _month_end(base.year, base.month)
    if re.search(r"coming year|next year|next 12 months", text):
        return base.replace(year=base.year + 1) if not (base.month == 2 and base.day == 29) else dt.date(base.year + 1, 2, 28)
    month_names = [MONTHS[w] for w in re.findall(r"[a-z]+", text) if w in MONTHS and len(w) > 2]
    day = re.search(r"\b(\d{1,2})\s+[a-z]+", text) or re.search(r"[a-z]+\s+(\d{1,2})\b(?!\d)", text)
    if month_names:
        month = month_names[0]
        year = years[0] if years else _future_year(base, month, None)
        if day and 1 <= int(day.group(1)) <= 31:
            try:
                return dt.date(year, month, int(day.group(1)))
            except ValueError:
                pass
        return _month_end(year, month)
    if years:
        year = years[0]
        if "early" in text:
            return dt.date(year, 4, 30)
        if re.search(r"\bmid", text):
            return dt.date(year, 7, 31)
        return dt.date(year, 12, 31)
    parsed = dateparser.parse(
        phrase,
        settings={"RELATIVE_BASE": dt.datetime.combine(base, dt.time()), "PREFER_DATES_FROM": "future",
                  "PREFER_DAY_OF_MONTH": "last", "RETURN_AS_TIMEZONE_AWARE": False},
        languages=["en"],
    )
    return parsed.date() if parsed else None
