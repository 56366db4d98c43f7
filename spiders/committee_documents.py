"""Committee documents into structure: transcripts into turns, reports into
recommendations, government responses into per-recommendation sections, PDFs into text."""

import base64
import io
import re
from dataclasses import dataclass

from lxml import html as lxml_html

from common.text import html_to_text

_QUESTION = re.compile(r"^\s*(Q\s?\d+)\s*[.:]?\s*", re.IGNORECASE)
_MEMBER_TITLES = re.compile(r"^(the chair|chair|lord|lady|baroness|viscount|earl|bishop|the lord|mr|mrs|ms|dr|sir|dame)\b",
                            re.IGNORECASE)


class DocumentError(ValueError):
    """A document that cannot be read: the caller stores a rejection with this reason."""


def decode_document(payload: dict) -> bytes:
    """The file inside a `/Document/...` response: `{"fileName", "fileSize", "data": base64}`."""
    if not isinstance(payload, dict) or not payload.get("data"):
        raise DocumentError("document response has no data")
    try:
        return base64.b64decode(payload["data"], validate=True)
    except (ValueError, TypeError) as exc:
        raise DocumentError(f"document data is not base64: {exc}") from None


def pdf_pages(content: bytes) -> list[str]:
    """Text of each page of a PDF (pypdf); raises DocumentError for a file that will not parse."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        pages = [page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages]
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise DocumentError(f"PDF will not parse: {exc}") from None
    if not any(page.strip() for page in pages):
        raise DocumentError("PDF has no extractable text (scanned?)")
    return pages


def pdf_text(content: bytes) -> str:
    """Text of a PDF, one line a line, without its page furniture (running headers, page numbers)."""
    from spiders.transcript_pdf import strip_furniture

    return "\n".join(strip_furniture(pdf_pages(content)))


@dataclass
class Turn:
    number: int
    question: str | None  # "Q12" where a question starts
    speaker: str
    text: str


def _paragraphs(markup: str):
    try:
        root = lxml_html.fragment_fromstring(markup, create_parent="div")
    except (ValueError, lxml_html.etree.ParserError) as exc:
        raise DocumentError(f"transcript is not HTML: {exc}") from None
    return root.xpath(".//p|.//h1|.//h2|.//h3|.//h4|.//li")


def parse_transcript(markup: str) -> list[Turn]:
    """Turns of an oral evidence transcript: a bold 'Q12 The Chair:' or 'Natalie Bodek:'
    opens a turn; paragraphs without a label continue the last speaker's turn."""
    turns: list[Turn] = []
    for paragraph in _paragraphs(markup):
        label_el = paragraph.find(".//b") if paragraph.find(".//b") is not None else paragraph.find(".//strong")
        text = " ".join(paragraph.text_content().split())
        if not text:
            continue
        label = " ".join(label_el.text_content().split()) if label_el is not None else ""
        if label and label.endswith(":") and text.startswith(label.split()[0]):
            question = None
            match = _QUESTION.match(label)
            if match:
                question = match.group(1).replace(" ", "")
                label = label[match.end():]
            speaker = label.rstrip(":").strip()
            body = text[len(" ".join(label_el.text_content().split())):].strip()
            turns.append(Turn(len(turns) + 1, question, speaker, body))
        elif turns:
            turns[-1].text = f"{turns[-1].text}\n{text}"
        # text before the first labelled turn is the heading block: not a turn
    if not turns:
        raise DocumentError("no speaker turns found in transcript")
    return turns


def is_member(speaker: str) -> bool:
    return bool(_MEMBER_TITLES.match(speaker))


_RECOMMENDATION = re.compile(r"^\s*(\d{1,3})[.)]\s+(.*)", re.S)


def parse_recommendations(markup: str) -> list[tuple[int, str]]:
    """Numbered recommendations of a report ('1. The Government should ...')."""
    found = []
    for paragraph in _paragraphs(markup):
        text = " ".join(paragraph.text_content().split())
        match = _RECOMMENDATION.match(text)
        if match:
            found.append((int(match.group(1)), match.group(2).strip()))
    return found


_STATUSES = (
    ("partly accepted", re.compile(r"\b(?:partially|partly|in part)\s+accepts?\b|\baccepts?\b[^.]*\bin part\b", re.I)),
    ("not accepted", re.compile(r"\bdoes not accept\b|\brejects?\b|\bdisagrees?\b", re.I)),
    ("accepted", re.compile(r"\baccepts?\b|\bagrees?\b", re.I)),
    ("noted", re.compile(r"\bnotes?\b", re.I)),
)


def response_status(text: str) -> str | None:
    opening = " ".join(text.split()[:40])
    for status, pattern in _STATUSES:
        if pattern.search(opening):
            return status
    return None


@dataclass
class ResponseSection:
    number: int
    recommendation: str
    response: str
    status: str | None


def parse_government_response(markup: str) -> list[ResponseSection]:
    """Per-recommendation sections: a 'Recommendation N' heading, the recommendation,
    then a 'Government response' heading and the response."""
    sections: list[ResponseSection] = []
    current, part = None, None
    for element in _paragraphs(markup):
        text = " ".join(element.text_content().split())
        if not text:
            continue
        heading = re.match(r"^(?:Recommendation|Conclusion)s?\s+(\d{1,3})\b[.:]?\s*(.*)$", text, re.I)
        if heading and (element.tag in {"h1", "h2", "h3", "h4"} or len(text) < 40):
            current = ResponseSection(int(heading.group(1)), heading.group(2), "", None)
            sections.append(current)
            part = "recommendation"
            continue
        if current is not None and re.match(r"^(?:The\s+)?Government(?:'s)?\s+response\b[.:]?$", text, re.I):
            part = "response"
            continue
        if current is None:
            continue
        if part == "recommendation":
            current.recommendation = f"{current.recommendation}\n{text}".strip()
        else:
            current.response = f"{current.response}\n{text}".strip()
    for section in sections:
        section.status = response_status(section.response)
    if not sections:
        raise DocumentError("no 'Recommendation N' sections found in government response")
    return sections


def document_text(content: bytes, file_format: str) -> str:
    if file_format.lower() == "pdf" or content[:5] == b"%PDF-":
        return pdf_text(content)
    return html_to_text(content.decode("utf-8", errors="replace"))
