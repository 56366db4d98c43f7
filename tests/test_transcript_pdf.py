"""Oral evidence transcripts published as PDF: page furniture stripped, turns, members and witnesses found."""

import base64
import json
import re

import pytest
import sqlite_utils

from commitments.demo.pdf import text_pdf
from spiders.committee_documents import DocumentError, pdf_pages, pdf_text
from spiders.committee_evidence import attribute_turns, merge_witnesses
from spiders.transcript_pdf import parse_pdf_transcript, strip_furniture
from tests.conftest import StaticApi, run_cli, shared_file

HEADER = "Oral evidence: Digital imprints (example), HC 999"

# An invented session in the shape of a Commons transcript: a title block, the members
# present, two panels (the second a minister), questions numbered from Q41, a turn that
# runs over a page break, and a line inside an answer that opens with words and a colon.
TRANSCRIPT = """Example Affairs Committee
Oral evidence: Digital imprints (example), HC 999
Wednesday 4 March 2020
Members present: Ms Alice Chairwell (Chair); Tom Asker; Mrs Ruth Questioner
Questions 41-46
Witnesses: Dr Sam Scholar, Reader in Politics, University of Exampleton, gave evidence.
Q41 Chair: Good morning. Would you introduce yourself for the record?
Dr Scholar: I am Sam Scholar, and I study election material online at the University of
Exampleton.
Q42 Tom Asker: Should online election material say who paid for it?
Dr Scholar: Yes. Voters want to know who is speaking to them, and printed leaflets have
carried an imprint for decades. The same rule should apply online, and it should apply to
paid promotion and to material shared by campaigners alike.
Two points follow: the imprint must be visible where the material is seen, and it must
name a person who can be held to account.
Q43 Mrs Ruth Questioner: Thank you. That is helpful.
Chair: Thank you very much for your evidence.
Examination of Witness
Witness: Chloe Whitfield MP, Parliamentary Secretary, Cabinet Office, gave evidence.
Q44 Chair: Minister, welcome. When will the Government bring forward the regime?
Mrs Whitfield: We will publish a technical consultation on digital imprints this summer,
and we will legislate when parliamentary time allows. The regime will cover material
promoted by campaigners in every election across the United Kingdom, and we are working
with the Electoral Commission on the guidance that will come with it.
Q45 Tom Asker: Will it apply to material that is shared but not paid for?
Mrs Whitfield: It will apply to registered parties and campaigners whatever they pay.
Q46 Chair: Thank you, Minister."""


def paged_pdf(text: str, body_lines_per_page: int = 7, line_numbers: bool = True) -> bytes:
    """The text as PDF pages, each with the running header on top, numbered lines, and its page number below."""
    lines, body = [], text.splitlines()
    for page, start in enumerate(range(0, len(body), body_lines_per_page), 1):
        chunk = body[start:start + body_lines_per_page]
        lines.append(f"{HEADER} {page}")
        lines += [f"{number} {line}" if line_numbers else line for number, line in enumerate(chunk, 1)]
        lines += [""] * (body_lines_per_page - len(chunk)) + [str(page)]
    return text_pdf("\n".join(lines), width=200, lines_per_page=body_lines_per_page + 2)


def test_page_furniture_is_stripped_and_a_turn_reads_on_over_a_page_break():
    pages = pdf_pages(paged_pdf(TRANSCRIPT))
    assert len(pages) == 4 and pages[1].splitlines()[0] == f"{HEADER} 2"
    assert strip_furniture(pages) == TRANSCRIPT.splitlines()
    # written evidence read from PDF loses its furniture too
    assert pdf_text(paged_pdf(TRANSCRIPT)) == TRANSCRIPT


def test_turns_with_question_numbers_speakers_and_paragraphs():
    transcript = parse_pdf_transcript(pdf_pages(paged_pdf(TRANSCRIPT)))
    assert transcript.members == ["Ms Alice Chairwell", "Tom Asker", "Mrs Ruth Questioner"]
    assert [(t.question, t.speaker) for t in transcript.turns] == [
        ("Q41", "Chair"), (None, "Dr Scholar"), ("Q42", "Tom Asker"), (None, "Dr Scholar"),
        ("Q43", "Mrs Ruth Questioner"), (None, "Chair"), ("Q44", "Chair"), (None, "Mrs Whitfield"),
        ("Q45", "Tom Asker"), (None, "Mrs Whitfield"), ("Q46", "Chair")]
    answer = transcript.turns[3].text
    # "Two points follow:" opens a paragraph of the answer, not a turn of a speaker called "Two points follow"
    assert answer.startswith("Yes. Voters want") and "\nTwo points follow: the imprint must be visible" in answer
    # the panel's close is the Chair's, without the heading of the next panel
    assert transcript.turns[5].text == "Thank you very much for your evidence."
    # over the page break (page 3 ends inside the minister's answer), with no header or page number in between
    assert "when parliamentary time allows. The regime will cover material" in transcript.turns[7].text


def test_the_minister_speaks_for_the_government_and_the_members_do_not():
    transcript = parse_pdf_transcript(pdf_pages(paged_pdf(TRANSCRIPT)))
    scholar, minister = transcript.witnesses
    assert (scholar["name"], scholar["organisation"], scholar["government"]) == (
        "Sam Scholar", "University of Exampleton", False)
    assert (minister["name"], minister["role"], minister["body"], minister["government"]) == (
        "Chloe Whitfield", "Parliamentary Secretary", "Cabinet Office", True)
    turns = attribute_turns(transcript.turns, transcript.witnesses, transcript.members)
    by_speaker = {t["speaker"]: t for t in turns}
    assert {k: (v["person"], v["body"], v["government"]) for k, v in by_speaker.items()} == {
        "Chair": ("Chair", None, False), "Tom Asker": ("Tom Asker", None, False),
        "Mrs Ruth Questioner": ("Mrs Ruth Questioner", None, False),
        "Dr Scholar": ("Sam Scholar", "University of Exampleton", False),
        "Mrs Whitfield": ("Chloe Whitfield", "Cabinet Office", True)}
    assert {t["role"] for t in turns if t["speaker"] in ("Chair", "Tom Asker", "Mrs Ruth Questioner")} == {"Member"}


def test_a_pdf_without_turns_is_an_error():
    with pytest.raises(DocumentError, match="no speaker turns"):
        parse_pdf_transcript(pdf_pages(text_pdf("Example Affairs Committee\nNothing was said.")))


def committees_api(session: dict, pdf: bytes) -> StaticApi:
    empty = json.dumps({"items": [], "totalResults": 0}).encode()
    return StaticApi({
        "/api/Committees": json.dumps({"items": [{"id": 9999, "name": "Example Affairs Committee", "house": "Commons"}],
                                       "totalResults": 1}).encode(),
        "/api/OralEvidence": json.dumps({"items": [session], "totalResults": 1}).encode(),
        # no HTML transcript: the PDF is all there is
        f"/api/OralEvidence/{session['id']}/Document/Pdf": json.dumps(
            {"fileName": "transcript.pdf", "fileSize": len(pdf), "data": base64.b64encode(pdf).decode()}).encode(),
        "/api/WrittenEvidence": empty, "/api/Publications": empty,
    })


def crawl_session(session: dict, pdf: bytes, db_path, *extra) -> sqlite_utils.Database:
    with committees_api(session, pdf) as api:
        run_cli("crawl", "committee-evidence", "--committee", "9999", "--since", "2010-01-01", "--api-url", api.url,
                "-s", "AUTOTHROTTLE_ENABLED=False",
                "-s", "RETRY_TIMES=0", "-s", "ROBOTSTXT_OBEY=False", "-s", "LOG_LEVEL=ERROR", *extra, db=db_path)
    return sqlite_utils.Database(db_path)


def example_session(session_id: int, date: str, witnesses: list | None = None) -> dict:
    return {"id": session_id, "meetingDate": f"{date}T09:30:00", "publicationDate": f"{date}T00:00:00",
            "committees": [{"id": 9999, "name": "Example Affairs Committee"}],
            "committeeBusinesses": [{"id": 1, "title": "Digital imprints (example)"}], "witnesses": witnesses or []}


def test_crawl_reads_the_pdf_when_there_is_no_html_transcript(db_path):
    # the API names the minister; the scholar is named only in the transcript's heading
    listed = [{"name": "Chloe Whitfield", "organisations": [{"name": "Cabinet Office", "role": "Parliamentary Secretary"}]}]
    database = crawl_session(example_session(90001, "2020-03-04", listed), paged_pdf(TRANSCRIPT), db_path)
    session = database["oral_evidence"].get(90001)
    assert session["transcript_status"] == "ok" and session["turns"] == 11
    turns = list(database.query("select * from documents where source = 'oral_evidence' order by cast(id as text)"))
    minister = [t for t in turns if t["person"] == "Chloe Whitfield"]
    assert len(minister) == 2 and {(t["government"], t["body"]) for t in minister} == {(1, "Cabinet Office")}
    assert {t["government"] for t in turns if t["person"] != "Chloe Whitfield"} == {0}
    assert {w["name"]: w["government"] for w in database["witnesses"].rows} == {"Chloe Whitfield": 1, "Sam Scholar": 0}
    assert database["rejections"].count == 0


def test_crawl_keeps_the_session_when_neither_html_nor_pdf_is_readable(db_path):
    database = crawl_session(example_session(90002, "2020-03-04"), b"%PDF-1.4 broken", db_path)
    assert database["oral_evidence"].get(90002)["transcript_status"].startswith("unreadable: PDF will not parse")
    (rejection,) = database["rejections"].rows
    assert rejection["record_id"] == "90002"
    assert rejection["reason"].startswith("transcript unavailable: HTTP 404; PDF unreadable: PDF will not parse")


REAL_PDF = "real/commons-scitech-committee-oral-evidence-2014-07-02-HC245.pdf"


def test_real_2014_transcript_turns_questions_furniture_and_the_minister():
    transcript = parse_pdf_transcript(pdf_pages(shared_file(REAL_PDF).read_bytes()))
    turns = attribute_turns(transcript.turns, transcript.witnesses, transcript.members)
    # 72 questions (Q156-227), each answered at least once: between 150 and 200 turns
    assert 150 <= len(turns) <= 200
    questions = [int(t["question"][1:]) for t in turns if t["question"]]
    assert questions == list(range(156, 228))
    # no running header ("Oral evidence: ..., HC 245 7"), no page number, no panel heading in any turn
    for turn in turns:
        assert not re.search(r"HC 245|Oral evidence:|Examination of Witness|gave evidence\.", turn["text"]), turn
        assert not re.search(r"(?m)^\d{1,3}$", turn["text"]), turn
        assert turn["text"] and turn["speaker"]
    # the second panel: Ed Vaizey, DCMS minister, labelled "Mr Vaizey"
    minister = [t for t in turns if t["government"]]
    assert len(minister) == 32 and {t["speaker"] for t in minister} == {"Mr Vaizey"}
    assert {(t["person"], t["body"]) for t in minister} == {("Ed Vaizey", "Department for Digital, Culture, Media and Sport")}
    assert minister[0]["role"].startswith("Parliamentary Under-Secretary of State for Culture")
    assert minister[0]["text"].startswith("It would be hard to divide that up.")
    # the first panel (the Information Commissioner's Office, two universities) and the Committee are not government
    assert {t["person"] for t in turns if t["body"] and not t["government"]} == {"Steve Wood", "Mark Elliot", "Kevin Macnish"}
    chair = [t for t in turns if t["speaker"] == "Chair"]
    assert len(chair) == 16 and {(t["role"], t["government"]) for t in chair} == {("Member", False)}
    assert {t["role"] for t in turns if t["speaker"] in ("Stephen Mosley", "Pamela Nash", "Mr Heath")} == {"Member"}
    # a turn that runs over a page break reads on
    assert any("may relate to decision making, to an individual" in t["text"] for t in turns)
    assert turns[-1]["text"] == "Minister, thank you very much for your time this morning."


@pytest.mark.slow
def test_real_2014_transcript_crawled_from_the_pdf(db_path):
    pdf = shared_file(REAL_PDF).read_bytes()
    database = crawl_session(example_session(90003, "2014-07-02"), pdf, db_path)
    turns = list(database.query("select * from documents where source = 'oral_evidence'"))
    assert database["oral_evidence"].get(90003)["turns"] == len(turns) > 150
    government = [t for t in turns if t["government"]]
    assert len(government) == 32 and {(t["person"], t["date"]) for t in government} == {("Ed Vaizey", "2014-07-02")}
    assert "Q227" in {t["title"].split()[-1] for t in turns}
