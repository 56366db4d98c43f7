"""Select committee evidence and publications: `committees-api.parliament.uk`.

    commitments crawl committee-evidence --committee 407 --since 2019-09-01 --until 2020-12-31

Committees (with their name history), oral evidence sessions with their
witnesses and transcript turns (HTML, or the PDF when the HTML is missing or
unreadable), written evidence (HTML, or PDF when that is all
there is), and publications: reports with their recommendations, government
responses split into per-recommendation sections.
"""

import json

import scrapy

from common.gazetteer import gazetteer
from spiders.base import SourceSpider, failure_reason
from spiders.committee_documents import (
    DocumentError, decode_document, document_text, is_member, parse_government_response,
    parse_recommendations, parse_transcript, pdf_pages,
)
from spiders.items import Committee, OralEvidenceSession, Publication, WrittenEvidence
from spiders.transcript_pdf import parse_pdf_transcript
from common.dates import check_window, iso_date

PUBLIC = "https://committees.parliament.uk"


def government_body(organisation: str | None) -> str | None:
    """The canonical body when the organisation is a government one (the gazetteer), else None."""
    return gazetteer().canonical_name(organisation) if organisation else None


def parse_committee(item: dict, api_root: str = "") -> Committee:
    return Committee(
        id=int(item["id"]),
        name=item.get("name"),
        house=item.get("house"),
        category=(item.get("category") or {}).get("name"),
        start_date=iso_date(item.get("startDate")),
        end_date=iso_date(item.get("endDate")),
        parent_id=(item.get("parentCommittee") or {}).get("id"),
        name_history=[{"name": h.get("name"), "start_date": iso_date(h.get("startDate")),
                       "end_date": iso_date(h.get("endDate"))} for h in item.get("nameHistory") or []],
        raw=item,
    )


def parse_witness(witness: dict) -> dict:
    organisations = witness.get("organisations") or []
    first = organisations[0] if organisations else {}
    organisation = first.get("name")
    body = government_body(organisation)
    return {
        # An organisation's submission has no person: its name is the organisation's.
        "name": witness.get("name"),
        "role": first.get("role") or witness.get("context"),
        "organisation": organisation,
        "body": body or organisation,
        "government": body is not None,
    }


def _first_committee(item: dict) -> tuple[int | None, str | None]:
    committees = item.get("committees") or ([item["committee"]] if item.get("committee") else [])
    first = committees[0] if committees else {}
    return first.get("id"), first.get("name")


def _business(item: dict) -> tuple[int | None, str | None]:
    business = item.get("committeeBusiness") or ((item.get("committeeBusinesses") or [None])[0]) or {}
    return business.get("id"), business.get("title")


def parse_session(item: dict, api_root: str = "") -> OralEvidenceSession:
    session_id = int(item["id"])
    committee_id, committee = _first_committee(item)
    business_id, business = _business(item)
    return OralEvidenceSession(
        id=session_id,
        meeting_date=iso_date(item.get("meetingDate") or item.get("activityStartDate")),
        publication_date=iso_date(item.get("publicationDate")),
        committee_id=committee_id, committee=committee, business_id=business_id, business=business,
        witnesses=[parse_witness(w) for w in item.get("witnesses") or []],
        url=f"{PUBLIC}/oralevidence/{session_id}/html/",
        api_url=f"{api_root}/api/OralEvidence/{session_id}" if api_root else None,
        raw=item,
    )


def _surname(name: str) -> str:
    return name.split()[-1].lower() if name and name.split() else ""


def _witness_for(speaker: str, witnesses: list[dict]) -> dict | None:
    """The witness a label names: by full name, else by surname ('Mr Vaizey' is Ed Vaizey)."""
    named = [w for w in witnesses if w.get("name")]
    return (next((w for w in named if w["name"] == speaker), None)
            or next((w for w in named if _surname(w["name"]) == _surname(speaker)), None))


def attribute_turns(turns, witnesses: list[dict], members: list[str] = ()) -> list[dict]:
    """Give each turn its speaker's person, role and body: witnesses by name, members (by
    title, or named among the members present) as members, who make no government commitments."""
    member_surnames = {_surname(m) for m in members}
    out = []
    for turn in turns:
        witness = _witness_for(turn.speaker, witnesses)
        if witness:
            person, role, body, government = witness["name"], witness["role"], witness["body"], witness["government"]
        else:
            member = is_member(turn.speaker) or _surname(turn.speaker) in member_surnames
            person, role, body, government = turn.speaker, ("Member" if member else None), None, False
        out.append({"number": turn.number, "question": turn.question, "speaker": turn.speaker, "person": person,
                    "role": role, "body": body, "government": government, "text": turn.text})
    return out


def merge_witnesses(listed: list[dict], from_transcript: list[dict]) -> list[dict]:
    """The API's witnesses, and those only the transcript's headings name."""
    surnames = {_surname(w["name"]) for w in listed if w.get("name")}
    return listed + [w for w in from_transcript if _surname(w["name"]) not in surnames]


def parse_submission(item: dict, api_root: str = "") -> WrittenEvidence:
    submission_id = int(item["id"])
    committee_id, committee = _first_committee(item)
    business_id, business = _business(item)
    witnesses = item.get("witnesses") or []
    first = parse_witness(witnesses[0]) if witnesses else {}
    return WrittenEvidence(
        id=submission_id,
        reference=item.get("internalReference"),
        publication_date=iso_date(item.get("publicationDate")),
        committee_id=committee_id, committee=committee, business_id=business_id, business=business,
        submitter=first.get("name") or first.get("organisation"), organisation=first.get("organisation"),
        role=first.get("role"),
        body=first.get("body"), government=bool(first.get("government")),
        url=f"{PUBLIC}/writtenevidence/{submission_id}/html/",
        api_url=f"{api_root}/api/WrittenEvidence/{submission_id}" if api_root else None,
        raw=item,
    )


def _paper_number(value) -> str | None:
    """'HL Paper 77' whether the API gives a number or {"number": "HL Paper 77", ...}."""
    if isinstance(value, dict):
        value = value.get("number")
    return None if value is None else str(value)


def parse_publication(item: dict, api_root: str = "") -> Publication:
    publication_id = int(item["id"])
    committee = item.get("committee") or {}
    responses = item.get("governmentResponses") or {}
    documents = item.get("documents") or []
    document_id = documents[0].get("documentId") if documents else None
    return Publication(
        id=publication_id,
        type=(item.get("type") or {}).get("name"),
        description=item.get("description"),
        publication_date=iso_date(item.get("publicationStartDate")),
        committee_id=committee.get("id"), committee=committee.get("name"),
        hc_number=_paper_number(item.get("hcNumber")),
        hl_paper=_paper_number(item.get("hlPaper")),
        response_deadline=iso_date(responses.get("responseDeadline")),
        responds_to=item.get("responseToPublicationId"),
        responding_department=item.get("respondingDepartment"),
        url=f"{PUBLIC}/publications/{publication_id}/documents/{document_id}/default/" if document_id else None,
        api_url=f"{api_root}/api/Publications/{publication_id}" if api_root else None,
        raw=item,
    )


class CommitteeEvidenceSpider(SourceSpider):
    """Arguments (-a): committee (ids, comma-separated; default all), since, until (YYYY-MM-DD)."""

    name = "committee_evidence"
    source = "committee"
    api_setting = "COMMITTEES_API_URL"
    items_key = "items"

    def __init__(self, committee=None, since=None, until=None, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.committees = [int(c) for c in str(committee or "").split(",") if c.strip()]
        self.since, self.until = check_window(since, until)
        self.run_params = {"committee": committee, "since": self.since, "until": self.until}

    # -- paging -------------------------------------------------------------

    async def start(self):
        yield self.page_request(f"{self.api_root}/api/Committees", [("CommitteeStatus", "All")], handler="committee")
        window = []
        if self.since:
            window.append(("StartDate", self.since))
        if self.until:
            window.append(("EndDate", self.until))
        for committee in self.committees or [None]:
            scope = [("CommitteeId", committee)] if committee else []
            for path, handler in (("OralEvidence", "session"), ("WrittenEvidence", "submission"), ("Publications", "publication")):
                yield self.page_request(f"{self.api_root}/api/{path}", scope + window, handler=handler)

    def handle_item(self, item, page_url, handler):
        yield from getattr(self, f"handle_{handler}")(item, page_url)

    def parsed(self, parser, item, page_url):
        return self.parse_or_reject(lambda value: parser(value, self.api_root), item, page_url)

    # -- committees ---------------------------------------------------------

    def handle_committee(self, item, page_url):
        record, rejection = self.parsed(parse_committee, item, page_url)
        if rejection:
            yield rejection
        elif not self.committees or record.id in self.committees:
            yield record

    # -- oral evidence ------------------------------------------------------

    def handle_session(self, item, page_url):
        session, rejection = self.parsed(parse_session, item, page_url)
        if rejection:
            yield rejection
            return
        yield self.document_request(f"/api/OralEvidence/{session.id}/Document/Html", self.parse_transcript,
                                    self.transcript_html_failed, session=session)

    # Where each record that waits on a document is stored, and its status when whole.
    STORED = {"session": ("oral_evidence", "transcript_status"), "submission": ("written_evidence", "text_status"),
              "publication": ("publications", "document_status")}

    def document_request(self, path, callback, errback, **cb_kwargs) -> scrapy.Request:
        kind = next(key for key in cb_kwargs if key in self.STORED)
        record, (table, status) = cb_kwargs[kind], self.STORED[kind]
        return self.record_request(f"{self.api_root}{path}", callback=callback, errback=errback, cb_kwargs=cb_kwargs,
                                   held=lambda: self.store_holds(table, record.id, record.raw, {status: ("ok",)}))

    def parse_transcript(self, response, session):
        try:
            markup = decode_document(json.loads(response.text)).decode("utf-8", errors="replace")
            session.turns = attribute_turns(parse_transcript(markup), session.witnesses)
        except (ValueError, DocumentError) as exc:
            # Older transcripts are published as PDF only: the PDF may be readable.
            yield self.transcript_pdf_request(session, f"unreadable: {exc}", response.text[:1000])
            return
        yield session

    def transcript_html_failed(self, failure):
        yield self.transcript_pdf_request(failure.request.cb_kwargs["session"],
                                          f"unavailable: {failure_reason(failure)}", "")

    def transcript_pdf_request(self, session, html_problem: str, excerpt: str) -> scrapy.Request:
        return self.document_request(f"/api/OralEvidence/{session.id}/Document/Pdf", self.parse_transcript_pdf,
                                     self.transcript_pdf_failed, session=session, html_problem=html_problem,
                                     excerpt=excerpt)

    def parse_transcript_pdf(self, response, session, html_problem, excerpt):
        try:
            transcript = parse_pdf_transcript(pdf_pages(decode_document(json.loads(response.text))))
        except (ValueError, DocumentError) as exc:
            yield self.reject(response.url, f"transcript {html_problem}; PDF unreadable: {exc}", excerpt, session.id)
            session.transcript_status = html_problem if html_problem.startswith("unreadable") else f"unreadable: {exc}"
            yield session
            return
        session.witnesses = merge_witnesses(session.witnesses, transcript.witnesses)
        session.turns = attribute_turns(transcript.turns, session.witnesses, transcript.members)
        yield session

    def transcript_pdf_failed(self, failure):
        """Neither the HTML nor the PDF could be had: the session is kept, with the HTML's problem."""
        kwargs = failure.request.cb_kwargs
        session, html_problem = kwargs["session"], kwargs["html_problem"]
        session.transcript_status = html_problem
        yield self.reject(failure.request.url, f"transcript {html_problem}; no PDF ({failure_reason(failure)})",
                          kwargs["excerpt"], session.id)
        yield session

    def document_lost(self, failure, key: str, status_field: str, what: str):
        """A document that could not be fetched: the record is kept, with the reason, and so is a rejection."""
        record = failure.request.cb_kwargs[key]
        setattr(record, status_field, f"unavailable: {failure_reason(failure)}")
        yield self.reject(failure.request.url, f"{what} {getattr(record, status_field)}", "", record.id)
        yield record

    # -- written evidence ---------------------------------------------------

    def handle_submission(self, item, page_url):
        submission, rejection = self.parsed(parse_submission, item, page_url)
        if rejection:
            yield rejection
            return
        yield self.document_request(f"/api/WrittenEvidence/{submission.id}/Document/Html", self.parse_submission_html,
                                    self.submission_html_failed, submission=submission)

    def parse_submission_html(self, response, submission):
        try:
            text = document_text(decode_document(json.loads(response.text)), "html")
            if not text.strip():
                raise DocumentError("HTML document is empty")
        except (ValueError, DocumentError):
            yield self.pdf_request(submission)  # HTML missing or empty: the PDF may hold the text
            return
        submission.text, submission.text_format = text, "html"
        yield submission

    def submission_html_failed(self, failure):
        yield self.pdf_request(failure.request.cb_kwargs["submission"])

    def pdf_request(self, submission):
        return self.document_request(f"/api/WrittenEvidence/{submission.id}/Document/Pdf", self.parse_submission_pdf,
                                     self.submission_pdf_failed, submission=submission)

    def parse_submission_pdf(self, response, submission):
        try:
            submission.text = document_text(decode_document(json.loads(response.text)), "pdf")
            submission.text_format = "pdf"
        except (ValueError, DocumentError) as exc:
            submission.text_status = f"unreadable: {exc}"
            yield self.reject(response.url, f"written evidence unreadable: {exc}", "", submission.id)
        yield submission

    def submission_pdf_failed(self, failure):
        yield from self.document_lost(failure, "submission", "text_status", "written evidence (no HTML, no PDF)")

    # -- publications -------------------------------------------------------

    def handle_publication(self, item, page_url):
        publication, rejection = self.parsed(parse_publication, item, page_url)
        if rejection:
            yield rejection
            return
        documents = item.get("documents") or []
        wanted = publication.type in {"Report", "Government Response"} or publication.responds_to
        if not documents or not wanted:
            yield publication
            return
        document_id = documents[0]["documentId"]
        yield self.document_request(f"/api/Publications/{publication.id}/Document/{document_id}/Html",
                                    self.parse_publication_document, self.publication_document_failed,
                                    publication=publication)

    def parse_publication_document(self, response, publication):
        try:
            markup = decode_document(json.loads(response.text)).decode("utf-8", errors="replace")
            if publication.type == "Government Response" or publication.responds_to:
                publication.responses = [vars(s) for s in parse_government_response(markup)]
            else:
                publication.recommendations = [{"number": n, "text": t} for n, t in parse_recommendations(markup)]
        except (ValueError, DocumentError) as exc:
            publication.document_status = f"unreadable: {exc}"
            yield self.reject(response.url, f"publication document unreadable: {exc}", response.text[:1000], publication.id)
        yield publication

    def publication_document_failed(self, failure):
        yield from self.document_lost(failure, "publication", "document_status", "publication document")
