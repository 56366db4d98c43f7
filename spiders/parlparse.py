"""ParlParse XML (TheyWorkForYou's Hansard files): written answers and written
ministerial statements of both Houses, from 1999 on.

    commitments load-hansard scrapedxml/wrans/answers2009-10-26f.xml ...

A file is one House's written answers (`answers*.xml`, `lordswrans*.xml`) or
written statements (`ministerial*.xml`, `lordswms*.xml`) for one day. Questions
(`<ques>`) are followed by the reply that answers them all (`<reply>`);
statements are `<speech>` elements. Headings give the department (major) and
the subject (minor). This module only parses: `parse_file` yields plain
records for the store, one per reply or statement.
"""

import re
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

# file name prefix -> (kind of record, House)
FILE_KINDS = {
    "answers": ("written_answer", "Commons"),
    "lordswrans": ("written_answer", "Lords"),
    "ministerial": ("written_statement", "Commons"),
    "lordswms": ("written_statement", "Lords"),
}
_FILE_NAME = re.compile(r"(?P<prefix>[a-z]+)(?P<date>\d{4}-\d{2}-\d{2})[a-z]?\.xml$")


class NotParlParse(ValueError):
    """A file that is not a ParlParse written answers or statements file."""


def file_kind(path: str | Path) -> tuple[str, str, str]:
    """(kind, House, ISO date) from a ParlParse file name, e.g. lordswrans2009-10-27a.xml."""
    match = _FILE_NAME.search(Path(path).name)
    if not match or match["prefix"] not in FILE_KINDS:
        raise NotParlParse(f"{Path(path).name}: not a ParlParse written answers or statements file name "
                           f"(expected one of {', '.join(p + 'YYYY-MM-DD.xml' for p in FILE_KINDS)})")
    kind, house = FILE_KINDS[match["prefix"]]
    return kind, house, match["date"]


def _inner_html(element) -> str:
    """An element's content as HTML (paragraphs and tables), for `html_to_text`."""
    return "".join(etree.tostring(child, encoding="unicode", method="html", with_tail=True) for child in element)


def _text(element) -> str:
    return re.sub(r"\s+", " ", "".join(element.itertext())).strip()


def _speaker(element) -> str | None:
    name = element.get("speakername")
    return name.strip() if name else None


def parse_file(data: bytes, filename: str) -> Iterator[dict]:
    """The records of one ParlParse file: {"record_type": "hansard", ...} per reply or statement.

    Raises NotParlParse when the name or the XML is not ParlParse's."""
    kind, house, date = file_kind(filename)
    try:
        # The files declare their own entities (&pound; ...) in an internal DTD.
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=True, recover=False, no_network=True,
                                                      load_dtd=False, huge_tree=False))
    except etree.XMLSyntaxError as exc:
        raise NotParlParse(f"{filename}: not well-formed XML ({exc})") from None
    if root.tag != "publicwhip":
        raise NotParlParse(f"{filename}: root element is <{root.tag}>, not <publicwhip>")
    department = subject = None
    questions: list = []
    for element in root:
        tag = element.tag
        if tag == "major-heading":
            department, subject, questions = _text(element).title(), None, []
        elif tag == "minor-heading":
            subject, questions = _text(element), []
        elif tag == "ques":
            questions.append(element)
        elif tag in ("reply", "speech"):
            record_id = element.get("id")
            if not record_id:
                continue
            yield {
                "record_type": "hansard",
                "id": record_id,
                "kind": kind,
                "house": house,
                "date": date,
                "department": department,
                "heading": subject,
                "speaker": _speaker(element),
                "questions": [{"id": q.get("id"), "member": _speaker(q), "text": _text(q)} for q in questions],
                "text_html": _inner_html(element),
                "url": element.get("url"),
            }
            questions = []

