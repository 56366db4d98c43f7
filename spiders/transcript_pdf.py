"""Oral evidence transcripts published as PDF: page furniture out, turns in.

A PDF transcript is lines on pages. Each page repeats a running header or footer
("Oral evidence: Social media data ..., HC 245 4"), may carry a bare page number,
and uncorrected transcripts number their lines. `strip_furniture` removes those,
so that a turn running over a page break reads on. `parse_pdf_transcript` then
finds the heading blocks ("Members present: ...", "Witnesses: ..., gave evidence.")
and the turns: a line opening with 'Q156  Chair:' or 'Mr Vaizey:' starts one,
the lines after it continue it.
"""

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

from common.gazetteer import gazetteer
from spiders.committee_documents import DocumentError, Turn

EDGE_LINES = 3  # running headers and footers sit within this many lines of a page's top or bottom
HEADING_LINES = 8  # a "Members present:" or "Witnesses:" block is never longer: one without its end stops here
_PAGE_NUMBER = re.compile(r"^(?:page\s+)?[-–—(]?\s*\d{1,3}\s*[-–—)]?(?:\s+of\s+\d{1,3})?$", re.IGNORECASE)
_LINE_NUMBER = re.compile(r"^(\d{1,3})\s+(?=\S)")

_QUESTION = re.compile(r"^Q\s?(\d{1,4})\b\.?\s*")
# A speaker label: a name of a few words (titles, particles, a chair's name in brackets), then a colon.
_LABEL = re.compile(r"^(?P<label>[A-Z][\w'’.-]*(?:\s+(?:[\w'’.-]+|\([^)]{1,60}\))){0,6}):\s*(?P<rest>.*)$")
_HEADINGS = {"members present", "witness", "witnesses", "written evidence from witnesses", "oral evidence"}
_EXAMINATION = re.compile(r"^Examination of [Ww]itness(?:es)?\b")
_QUESTIONS_RANGE = re.compile(r"^Questions? \d+\s*[-–]\s*\d+$")
_CHAIR = re.compile(r"^(?:the\s+)?chair(?:man|woman|person)?\b", re.IGNORECASE)
_TITLES = re.compile(r"^(?:Mr|Mrs|Ms|Miss|Dr|Professor|Prof|Sir|Dame|Lord|Lady|Baroness|Viscount|Earl|"
                     r"The Rt Hon|Rt Hon|Rev|Reverend)\.?\s+")
_POST_NOMINALS = re.compile(r"^(?:\s*(?:MP|QC|KC|MSP|CBE|OBE|MBE|KBE|DBE|FRS|FREng)\b)+")


def _key(line: str) -> str:
    """A line with its numbers blanked: the same running header on every page has one key."""
    return re.sub(r"\d+", "#", " ".join(line.split())).lower()


def _has_line_numbers(lines: list[str]) -> bool:
    """Whether most of a page's lines open with a number, the numbers rising."""
    numbered = [int(m.group(1)) for line in lines if (m := _LINE_NUMBER.match(line))]
    rising = sum(1 for a, b in zip(numbered, numbered[1:]) if b > a)
    return len(numbered) >= 5 and len(numbered) >= 0.6 * len(lines) and rising >= 0.8 * (len(numbered) - 1)


def _strip_line_numbers(pages_lines: list[list[str]]) -> list[list[str]]:
    """Without line numbers, where most pages carry them (then a short last page has them too)."""
    full_pages = [lines for lines in pages_lines if len(lines) >= 5] or pages_lines
    if sum(map(_has_line_numbers, full_pages)) < max(1, len(full_pages) / 2):
        return pages_lines
    return [[_LINE_NUMBER.sub("", line, count=1) for line in lines] for lines in pages_lines]


def strip_furniture(pages: list[str]) -> list[str]:
    """The body lines of a document's pages, in order: running headers and footers (a line
    at a page's edge that recurs on other pages, numbers aside), bare page numbers and
    line numbers left out."""
    pages_lines = _strip_line_numbers([[" ".join(line.split()) for line in page.splitlines() if line.strip()]
                                       for page in pages])
    edge_keys: Counter = Counter()
    for lines in pages_lines:
        edges = lines[:EDGE_LINES] + lines[-EDGE_LINES:]
        edge_keys.update({_key(line) for line in edges})
    recurring = {key for key, count in edge_keys.items() if count >= max(2, len(pages_lines) // 2)}
    body = []
    for lines in pages_lines:
        for index, line in enumerate(lines):
            at_edge = index < EDGE_LINES or index >= len(lines) - EDGE_LINES
            if at_edge and (_key(line) in recurring or _PAGE_NUMBER.match(line)):
                continue
            body.append(line)
    return body


@dataclass
class PdfTranscript:
    turns: list[Turn]
    members: list[str] = field(default_factory=list)  # "Mr Andrew Miller", from "Members present:"
    witnesses: list[dict] = field(default_factory=list)  # as parse_witness gives them: name, role, body, government


def _surname(name: str) -> str:
    words = re.sub(r"\([^)]*\)", "", name).replace(",", " ").split()
    return words[-1].strip(".").lower() if words else ""


def _heading_blocks(lines: list[str]) -> tuple[list[str], list[str], set[int]]:
    """(members present, witness block texts, indexes of heading lines) from a transcript's lines."""
    members, witness_blocks, heading_lines = [], [], set()
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.startswith("Members present:"):
            block = [line.removeprefix("Members present:")]
            heading_lines.add(index)
            while index + 1 < len(lines) and len(block) < HEADING_LINES \
                    and not re.match(r"^(?:Questions?\s+\d|Witness|Q\s?\d|Evidence Session)", lines[index + 1]):
                index += 1
                block.append(lines[index])
                heading_lines.add(index)
            for name in " ".join(block).split(";"):
                name = re.sub(r"\s*\((?:the\s+)?chair\)\s*", "", name, flags=re.I).strip(" .")
                if name:
                    members.append(name)
        elif re.match(r"^Witness(?:es)?:", line):
            block = [line.split(":", 1)[1]]
            heading_lines.add(index)
            while not re.search(r"gave evidence\.?$", block[-1]) and index + 1 < len(lines) \
                    and len(block) < HEADING_LINES and not _QUESTION.match(lines[index + 1]):
                index += 1
                block.append(lines[index])
                heading_lines.add(index)
            witness_blocks.append(" ".join(" ".join(block).split()))
        elif _EXAMINATION.match(line) or _QUESTIONS_RANGE.match(line):
            heading_lines.add(index)
        index += 1
    return members, witness_blocks, heading_lines


def _is_label(label: str, has_question: bool, known_surnames: set[str]) -> bool:
    if label.lower() in _HEADINGS or any(ch.isdigit() for ch in label):
        return False
    return has_question or bool(_CHAIR.match(label)) or _surname(label) in known_surnames


def _join(lines: list[str], paragraph_width: float) -> str:
    """A turn's lines as text: wrapped lines joined, a short line ending a sentence ends its paragraph."""
    out = ""
    for line in lines:
        if not out:
            out = line
        elif out.endswith("\n"):
            out += line
        elif out.endswith("-") and out[-2:-1].isalpha() and line[:1].islower() or out.endswith("—"):
            out += line  # a word broken at its hyphen, or a dash, joins without a space
        else:
            out += " " + line
        if len(line) < paragraph_width and re.search(r"[.?!:”\"]$", line):
            out += "\n"
    return out.strip()


def _witnesses(blocks: list[str], speakers: list[str]) -> list[dict]:
    """Witnesses named in the 'Witnesses: ... gave evidence.' blocks, for the speakers who are witnesses:
    their full name, role, organisation, and whether the organisation is a government body."""
    found = []
    for block in blocks:
        text = re.sub(r",?\s*(?:each\s+)?gave evidence\.?$", "", block).strip()
        starts = []
        for speaker in speakers:
            surname = re.escape(_surname(speaker))
            # the name runs back from the surname to the list's last separator
            match = re.search(rf"(?:^|,\s+|;\s+|\band\s+)((?:[A-Z][\w'’.-]*\s+){{0,4}}(?i:{surname}))\b", text)
            if match and all(match.start(1) != s[0] for s in starts):
                starts.append((match.start(1), match.end(1), match.group(1)))
        starts.sort()
        for number, (start, end, name) in enumerate(starts):
            stop = starts[number + 1][0] if number + 1 < len(starts) else len(text)
            description = _POST_NOMINALS.sub("", text[end:stop]).strip(" ,;")
            description = re.sub(r",?\s*and$", "", description).strip(" ,;")
            bodies = gazetteer().find(description)
            if bodies:
                # a government body named in the description: the witness speaks for it
                start_body, end_body, body = bodies[0]
                organisation, role = description[start_body:end_body], description[:start_body].strip(" ,")
            else:
                parts = [p.strip() for p in description.split(",") if p.strip()]
                organisation = parts[-1] if parts else None
                role, body = ", ".join(parts[:-1]) or None, None
            found.append({"name": _TITLES.sub("", name).strip(), "role": role or None, "organisation": organisation,
                          "body": body or organisation, "government": body is not None})
    return found


def parse_pdf_transcript(pages: list[str]) -> PdfTranscript:
    """Turns of a transcript from its pages' text, with the members and witnesses its headings name."""
    lines = strip_furniture(pages)
    members, witness_blocks, heading_lines = _heading_blocks(lines)
    headings_text = " ".join(witness_blocks + members)
    known = {_surname(m) for m in members} | {w.lower().strip(".,;") for w in headings_text.split() if w[:1].isupper()}
    widths = [len(line) for line in lines] or [0]
    paragraph_width = 0.75 * statistics.quantiles(widths, n=10)[-1] if len(widths) > 1 else 0
    turns: list[Turn] = []
    current: list[str] | None = None  # the lines of the turn being read; None between turns
    for index, line in enumerate(lines):
        if index in heading_lines:
            if turns and current is not None:
                turns[-1].text = _join(current, paragraph_width)
            current = None  # a heading ends the turn before it
            continue
        question = _QUESTION.match(line)
        rest = line[question.end():] if question else line
        label = _LABEL.match(rest)
        if label and _is_label(label["label"], bool(question), known):
            if turns and current is not None:
                turns[-1].text = _join(current, paragraph_width)
            current = [label["rest"]] if label["rest"] else []
            turns.append(Turn(len(turns) + 1, f"Q{question.group(1)}" if question else None,
                              " ".join(label["label"].split()), ""))
        elif current is not None:
            current.append(line)
        # lines before the first turn, and between a heading and the next turn, are headings
    if turns and current is not None:
        turns[-1].text = _join(current, paragraph_width)
    if not turns:
        raise DocumentError("no speaker turns found in PDF transcript")
    member_surnames = {_surname(m) for m in members}
    speakers = list(dict.fromkeys(t.speaker for t in turns if not _CHAIR.match(t.speaker)
                                  and _surname(t.speaker) not in member_surnames))
    return PdfTranscript(turns, members, _witnesses(witness_blocks, speakers))
