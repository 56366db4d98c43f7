"""When a reported deed happened: the date phrase a report's clause carries ("on 11 August",
"in March 2021", "today"), resolved against the document's date, looking back (UK day-first).

A day is that day; a month or a year named without a day is its last day, and never later
than the document (a deed reported done in "March" of a document of 10 March was done by
10 March). A phrase that names no period ("earlier this year", "last week") keeps its words
and resolves to no date.
"""

import calendar
import datetime as dt
import re
from functools import lru_cache

from dateparser.date import DateDataParser
from spacy.tokens import Token

# Prepositions that say when a deed happened; "until", "by" and "from" say other things.
WHEN = {"on", "in", "at", "during"}
_LEADING = re.compile(r"^(?:on|in|at|during)\s+(?:the\s+)?", re.IGNORECASE)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# "in 2013-14", "in 2022/23": a financial year, which ends on 31 March.
_FINANCIAL_YEAR = re.compile(r"^(?:the\s+)?(?:financial\s+year\s+)?((?:19|20)\d\d)\s*[/-]\s*(\d\d(?:\d\d)?)$", re.IGNORECASE)
RELATIVE_DAYS = {"today", "yesterday"}


def date_phrase(verbs: list[Token], skip: tuple[int, int] | None = None) -> tuple[str, int, int] | None:
    """The first time phrase attached to one of `verbs`: (text, start, end) in doc chars,
    leaving out the characters in `skip` (a delay's new date)."""
    for verb in verbs:
        for child in verb.children:
            when = (child.dep_ == "prep" and child.lower_ in WHEN and any(t.ent_type_ == "DATE" for t in child.subtree)) \
                or (child.dep_ in {"npadvmod", "advmod"} and (child.ent_type_ == "DATE" or child.lower_ in RELATIVE_DAYS))
            if not when:
                continue
            # The phrase ends before a clause hung on it: "in April 2009 which incorporates ..." -> "in April 2009".
            clauses = {t.i for c in child.subtree if c.dep_ in {"relcl", "acl", "advcl"} for t in c.subtree}
            last = child.left_edge.i
            while last + 1 <= child.right_edge.i and last + 1 not in clauses:
                last += 1
            span = verb.doc[child.left_edge.i: last + 1]
            if skip and skip[0] <= span.start_char < skip[1]:
                continue
            return span.text, span.start_char, span.end_char
    return None


@lru_cache(maxsize=256)
def _parser(base: dt.date | None) -> DateDataParser:
    settings = {"PREFER_DATES_FROM": "past", "DATE_ORDER": "DMY", "RETURN_AS_TIMEZONE_AWARE": False}
    if base is not None:
        settings["RELATIVE_BASE"] = dt.datetime.combine(base, dt.time())
    return DateDataParser(languages=["en"], settings=settings)


def resolve_event_date(phrase: str, base: dt.date | None) -> dt.date | None:
    """The date a past deed's time phrase names, seen from `base` (the document's date).
    Without a document date only a phrase with its year resolves."""
    text = _LEADING.sub("", phrase.strip())
    if not text or (base is None and not _YEAR.search(text)):
        return None
    financial = _FINANCIAL_YEAR.match(text)
    if financial:
        end = dt.date(int(financial.group(1)) + 1, 3, 31)
        return min(end, base) if base is not None else end
    found = _parser(base).get_date_data(text)
    if found is None or found.date_obj is None:
        return None
    day = found.date_obj.date()
    if found.period == "day":
        return day
    if found.period == "month":
        end = day.replace(day=calendar.monthrange(day.year, day.month)[1])
    elif found.period == "year":
        end = dt.date(day.year, 12, 31)
    else:
        return None  # a week, or a time of day: no period we can date
    return min(end, base) if base is not None else end
