"""Items: one dataclass per source record, as the store receives it.

Dates are ISO strings (YYYY-MM-DD); `raw` keeps the API payload for provenance.
"""

from dataclasses import dataclass, field


@dataclass
class WrittenQuestion:
    id: int
    uin: str | None
    house: str | None
    heading: str | None
    date_tabled: str | None
    date_for_answer: str | None
    date_answered: str | None
    date_holding_answer: str | None
    date_answer_corrected: str | None
    question_text: str | None
    answer_html: str | None
    original_answer_html: str | None
    answering_body_id: int | None
    answering_body: str | None
    asking_member_id: int | None
    answering_member_id: int | None
    correcting_member_id: int | None
    asking_member: dict | None
    answering_member: dict | None
    correcting_member: dict | None
    is_withdrawn: bool
    is_named_day: bool
    answer_is_holding: bool
    answer_is_correction: bool
    grouped_questions: list = field(default_factory=list)
    attachment_count: int = 0
    attachments: list = field(default_factory=list)
    url: str | None = None
    api_url: str | None = None
    # True when the list cut the text and the detail could not be fetched.
    answer_truncated: bool = False
    question_truncated: bool = False
    raw: dict = field(default_factory=dict)
    record_type: str = "written_question"


@dataclass
class WrittenStatement:
    id: int
    uin: str | None
    house: str | None
    title: str | None
    date_made: str | None
    member_id: int | None
    member: dict | None
    member_role: str | None
    answering_body_id: int | None
    answering_body: str | None
    text_html: str | None
    notice_number: str | None
    linked_statements: list = field(default_factory=list)
    attachments: list = field(default_factory=list)
    url: str | None = None
    api_url: str | None = None
    text_truncated: bool = False
    raw: dict = field(default_factory=dict)
    record_type: str = "written_statement"


@dataclass
class Rejection:
    """A record or page that could not be parsed: stored so that nothing is lost silently."""

    source: str
    url: str | None
    reason: str
    record_id: str | None = None
    excerpt: str = ""
    record_type: str = "rejection"


@dataclass
class Committee:
    id: int
    name: str | None
    house: str | None
    category: str | None
    start_date: str | None
    end_date: str | None
    parent_id: int | None
    name_history: list = field(default_factory=list)
    raw: dict = field(default_factory=dict)
    record_type: str = "committee"


@dataclass
class OralEvidenceSession:
    """A session with its witnesses and, when the transcript could be read, its turns."""

    id: int
    meeting_date: str | None
    publication_date: str | None
    committee_id: int | None
    committee: str | None
    business_id: int | None
    business: str | None
    witnesses: list = field(default_factory=list)  # {name, role, organisation, body, government}
    turns: list = field(default_factory=list)  # {number, question, speaker, role, body, government, text}
    transcript_status: str = "ok"
    url: str | None = None
    api_url: str | None = None
    raw: dict = field(default_factory=dict)
    record_type: str = "oral_evidence"


@dataclass
class WrittenEvidence:
    id: int
    reference: str | None
    publication_date: str | None
    committee_id: int | None
    committee: str | None
    business_id: int | None
    business: str | None
    submitter: str | None
    organisation: str | None
    role: str | None
    body: str | None
    government: bool = False
    text: str | None = None
    text_format: str | None = None  # "html" or "pdf"
    text_status: str = "ok"
    url: str | None = None
    api_url: str | None = None
    raw: dict = field(default_factory=dict)
    record_type: str = "written_evidence"


@dataclass
class Publication:
    """A committee publication; reports carry their recommendations, government
    responses their per-recommendation sections."""

    id: int
    type: str | None
    description: str | None
    publication_date: str | None
    committee_id: int | None
    committee: str | None
    hc_number: str | None
    hl_paper: str | None
    response_deadline: str | None
    responds_to: int | None
    responding_department: str | None
    recommendations: list = field(default_factory=list)  # {number, text}
    responses: list = field(default_factory=list)  # {number, recommendation, response, status}
    document_status: str = "ok"
    url: str | None = None
    api_url: str | None = None
    raw: dict = field(default_factory=dict)
    record_type: str = "publication"


@dataclass
class Article:
    url: str  # canonical URL: the article's identity
    fetched_url: str | None
    feed: str | None
    outlet: str | None
    title: str | None
    author: str | None
    published: str | None
    text: str
    content_hash: str
    relevant: bool = False
    relevance: list = field(default_factory=list)
    record_type: str = "article"

    @property
    def id(self) -> str:
        return self.url
