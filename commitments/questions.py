"""A ready-to-table follow-up written question for a commitment that is overdue, delayed or
unclear, in each House's own form, citing the undertaking where it was first given.

Lords: "To ask His Majesty's Government, further to the Written Answer by Earl Howe on
5 November 2019 (HL401), when they will publish ..."
Commons: "To ask the Minister for the Cabinet Office, further to the Answer of 16 July 2019
to Question 275102, when the Government will publish ..."
"""

import re

from common.dates import as_date

ASK_ABOUT = {"overdue", "delayed", "unclear"}

# Departments whose Commons questions are not put to "the Secretary of State for <the rest>".
_COMMONS_ADDRESSEE = {
    "cabinet office": "the Minister for the Cabinet Office",
    "home office": "the Secretary of State for the Home Department",
    "hm treasury": "the Chancellor of the Exchequer",
    "treasury": "the Chancellor of the Exchequer",
    "prime minister": "the Prime Minister",
    "foreign, commonwealth and development office": "the Secretary of State for Foreign, Commonwealth and "
                                                    "Development Affairs",
    "foreign and commonwealth office": "the Secretary of State for Foreign and Commonwealth Affairs",
    "attorney general": "the Attorney General",
    "leader of the house": "the Leader of the House",
}


def commons_addressee(department: str | None) -> str:
    """Whom a Commons written question on `department`'s business is put to."""
    name = (department or "").strip()
    known = _COMMONS_ADDRESSEE.get(name.lower())
    if known:
        return known
    match = re.match(r"(?:Department|Ministry) (?:for|of) (.+)", name)
    if match:
        return f"the Secretary of State for {match.group(1)}"
    return f"the Minister responsible for {name}" if name else "the Prime Minister"


def long_date(iso: str | None) -> str:
    """'2019-11-05' -> '5 November 2019' (as the Houses write dates); other text unchanged."""
    day = as_date(iso) if iso else None
    return f"{day.day} {day:%B %Y}" if day else (iso or "")


def _action(commitment: dict) -> str:
    """The promised deed as extracted (its own capitals kept), or the title lower-cased."""
    action = (commitment.get("action") or "").strip().rstrip(".")
    if not action:
        title = (commitment.get("title") or "do what was promised").strip().rstrip(".")
        action = title[:1].lower() + title[1:]
    return action


def _citations(document: dict, fallback_date: str | None) -> tuple[str, str]:
    """(Lords wording, Commons wording) of 'further to ...' for the document."""
    when = long_date(document.get("date") or fallback_date)
    who = document.get("answering_member") or document.get("person")
    if document.get("source") == "written_question" and document.get("question_uin"):
        uin = document["question_uin"]
        when = long_date(document.get("date_answered") or document.get("date") or fallback_date)
        by = f" by {who}" if who else ""
        return f"the Written Answer{by} on {when} ({uin})", f"the Answer of {when} to Question {uin}"
    if document.get("source") == "written_statement":
        uin = f" ({document['statement_uin']})" if document.get("statement_uin") else ""
        by = f" by {who}" if who else ""
        return f"the Written Statement{by} on {when}{uin}", f"the Written Statement of {when}{uin}"
    title = document.get("title")
    named = f" ({title})" if title else ""
    source = document.get("source")
    if source == "oral_evidence" and who:
        body = f", {document['body']}," if document.get("body") else ""
        text = f"the oral evidence given by {who}{body} on {when}{named}"
    elif source == "written_evidence":
        text = f"the written evidence submitted by {document.get('body') or 'the Government'} on {when}{named}"
    elif source == "publication":
        text = f"the Government response published on {when}{named}"
    elif source == "article":
        text = f"the announcement reported on {when}{named}"
    else:
        text = f"the undertaking given on {when}{named}"
    return text, text


def follow_up_questions(commitment: dict, document: dict | None) -> list[dict]:
    """[{house, text}] for a commitment worth asking about (none otherwise), the House the
    undertaking was given in first; `document` is where it was first made."""
    if commitment.get("status") not in ASK_ABOUT:
        return []
    document = document or {"date": commitment.get("first_made")}
    lords_cite, commons_cite = _citations(document, commitment.get("first_made"))
    action = _action(commitment)
    if commitment.get("kind") == "ongoing":  # "we will continue to ...": ask whether it still goes on
        lords_ask, commons_ask = f"whether they continue to {action}", f"whether the Government continues to {action}"
    else:
        lords_ask, commons_ask = f"when they will {action}", f"when the Government will {action}"
    lords = f"To ask His Majesty's Government, further to {lords_cite}, {lords_ask}."
    commons = f"To ask {commons_addressee(commitment.get('owner'))}, further to {commons_cite}, {commons_ask}."
    questions = [{"house": "Lords", "text": lords}, {"house": "Commons", "text": commons}]
    house = document.get("question_house") or document.get("house")
    return sorted(questions, key=lambda q: q["house"] != house)
