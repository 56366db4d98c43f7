"""Committee documents and records: transcripts, reports, responses, PDFs, real API shapes."""

import base64
import json

import pytest

from commitments.demo.pdf import text_pdf
from commitments.demo.server import CORPUS_DIR
from spiders.committee_documents import (
    DocumentError, decode_document, parse_government_response, parse_recommendations, parse_transcript, pdf_text,
    response_status,
)
from spiders.committee_evidence import attribute_turns, parse_committee, parse_publication, parse_session, parse_submission
from tests.conftest import shared_file

CORPUS = CORPUS_DIR / "committees"


def session_44():
    return next(s for s in json.loads((CORPUS / "oral_evidence.json").read_text()) if s["id"] == 44)


def test_transcript_turns_carry_question_numbers_speakers_and_continuations():
    turns = parse_transcript((CORPUS / "oral_evidence_documents" / "44.html").read_text())
    first = turns[0]
    assert first.question == "Q10" and first.speaker == "The Chair"
    assert all(t.speaker for t in turns) and len({t.question for t in turns if t.question}) == 8
    multi = [t for t in turns if "\n" in t.text]
    assert multi, "a witness answer running over several paragraphs stays one turn"


def test_turns_get_the_witness_role_and_department():
    session = parse_session(session_44())
    turns = attribute_turns(parse_transcript((CORPUS / "oral_evidence_documents" / "44.html").read_text()), session.witnesses)
    bodek = [t for t in turns if t["speaker"] == "Natalie Bodek"]
    assert bodek and {(t["body"], t["government"]) for t in bodek} == {("Cabinet Office", True)}
    assert "Elections" in bodek[0]["role"]
    connolly = [t for t in turns if t["speaker"] == "Sarah Connolly"]
    assert {t["body"] for t in connolly} == {"Department for Digital, Culture, Media and Sport"}
    assert {t["government"] for t in turns if t["role"] == "Member"} == {False}


def test_outside_witnesses_are_not_government():
    session = parse_session(next(s for s in json.loads((CORPUS / "oral_evidence.json").read_text()) if s["id"] == 9045))
    assert session.witnesses and not any(w["government"] for w in session.witnesses)


def test_transcript_without_speakers_is_an_error():
    with pytest.raises(DocumentError, match="no speaker turns"):
        parse_transcript("<p>Nothing but a heading</p>")


def test_report_recommendations_and_response_sections_with_statuses():
    recommendations = parse_recommendations((CORPUS / "publication_documents" / "9601-96010.html").read_text())
    assert [n for n, _ in recommendations] == [1, 2, 3, 4, 5, 6]
    sections = parse_government_response((CORPUS / "publication_documents" / "9602-96020.html").read_text())
    assert [s.status for s in sections] == ["accepted", "not accepted", "accepted", "partly accepted", "noted", "noted"]
    assert "will introduce a digital imprints regime" in sections[0].response


@pytest.mark.parametrize("text, status", [
    ("The Government accepts this recommendation and will publish X.", "accepted"),
    ("The Government accepts this recommendation in part.", "partly accepted"),
    ("We partially accept the recommendation.", "partly accepted"),
    ("The Government does not accept this recommendation.", "not accepted"),
    ("The Government notes the Committee's view.", "noted"),
    ("We have published guidance.", None),
])
def test_response_status(text, status):
    assert response_status(text) == status


def test_pdf_text_and_its_failures():
    assert "Fair Votes Trust" in pdf_text(text_pdf((CORPUS / "written_evidence_documents" / "9502.txt").read_text()))
    with pytest.raises(DocumentError, match="PDF will not parse"):
        pdf_text(b"%PDF-1.4 this is not really a PDF")
    with pytest.raises(DocumentError, match="not base64"):
        decode_document({"data": "***"})
    assert decode_document({"data": base64.b64encode(b"abc").decode()}) == b"abc"


def test_submission_from_an_organisation_has_no_person():
    submission = parse_submission(json.loads((CORPUS / "written_evidence.json").read_text())[0])
    assert submission.reference == "DAD0034" and submission.body == "Cabinet Office" and submission.government


def test_real_committees_list_parses():
    items = json.loads(shared_file("real/committees-all-2020-12-09.json").read_text())["items"]
    committees = [parse_committee(item) for item in items]
    assert len(committees) == 158
    lords_ddt = next(c for c in committees if c.id == 407)
    assert (lords_ddt.name, lords_ddt.house, lords_ddt.start_date) == (
        "Democracy and Digital Technologies Committee", "Lords", "2019-06-05")


def test_real_committee_record_keeps_name_history():
    committee = parse_committee(json.loads(shared_file("real/committee-203-education.json").read_text()))
    assert committee.name == "Education Committee" and committee.name_history


def test_real_publications_page_parses():
    items = json.loads(shared_file("real/committees-publications-2024-12-education.json").read_text())["items"]
    publications = [parse_publication(item) for item in items]
    assert len(publications) == 5 and {p.committee_id for p in publications} == {203}
    assert any(p.type == "Report" for p in publications)
