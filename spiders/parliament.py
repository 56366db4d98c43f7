"""What the Parliament list APIs share: skip/take paging, cut texts and detail fetches.

Both written questions and written statements list endpoints return
`{"totalResults": N, "results": [{"value": {...}}]}` and cut long texts to
about 255 characters ending in "...": a record with a cut text is completed
from its detail endpoint, and only such records are.
"""

import json

from common.dates import check_window
from spiders.base import PARSE_ERRORS, SourceSpider, failure_reason

CUT_MARK = "..."
# The list endpoint cuts answers at 255 characters plus "..."; a shorter text
# ending in "..." was written that way.
CUT_MIN_LENGTH = 240
# It cuts questions at exactly 255 characters with no mark at all: a question of
# 255 characters or more may be cut, and only its detail can tell.
QUESTION_CUT_LENGTH = 255
UNMARKED_CUT_FIELDS = {"questionText"}


def is_cut(text, field: str = "answerText") -> bool:
    """Whether the list endpoint may have cut this field's text (then the detail is fetched)."""
    if not isinstance(text, str) or not text:
        return False
    if field in UNMARKED_CUT_FIELDS:
        return len(text) >= QUESTION_CUT_LENGTH
    return text.rstrip().endswith(CUT_MARK) and len(text) >= CUT_MIN_LENGTH


class ParliamentListSpider(SourceSpider):
    """Base for spiders over a Parliament list endpoint with a detail endpoint."""

    list_path: str
    detail_path: str  # with {id}
    date_params: dict[str, tuple[str, str]]  # --date-field choice -> (from param, to param)
    cut_fields: tuple[str, ...]  # fields of `value` that the list may cut
    table: str  # where the store keeps the records
    whole: dict[str, tuple]  # the stored cut flags of a record held whole

    def __init__(self, since=None, until=None, date_field=None, house=None,
                 answering_body=None, search_term=None, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.since, self.until = check_window(since, until)
        # Several fields (comma-separated) make one list crawl per field: an
        # incremental run asks for what was answered, tabled or corrected since.
        fields = (date_field or next(iter(self.date_params))).split(",")
        unknown = [f for f in fields if f not in self.date_params]
        if unknown:
            raise ValueError(f"date_field must be among {sorted(self.date_params)}, not {unknown}")
        self.date_fields = fields
        self.house = house
        self.answering_bodies = [b for b in str(answering_body or "").split(",") if b]
        self.search_term = search_term
        self.seen_ids: set = set()
        self.run_params = {
            "since": self.since, "until": self.until, "date_field": ",".join(fields),
            "house": house, "answering_body": answering_body, "search_term": search_term,
        }

    # -- requests -----------------------------------------------------------

    def base_query(self, date_field: str) -> list[tuple[str, str]]:
        query = [("expandMember", "true")]
        from_param, to_param = self.date_params[date_field]
        if self.since:
            query.append((from_param, self.since))
        if self.until:
            query.append((to_param, self.until))
        if self.house:
            query.append(("house", self.house))
        for body in self.answering_bodies:
            query.append(("answeringBodies", body))
        if self.search_term:
            query.append(("searchTerm", self.search_term))
        return query + self.extra_query()

    def extra_query(self) -> list[tuple[str, str]]:
        return []

    async def start(self):
        for date_field in self.date_fields:
            yield self.page_request(f"{self.api_root}{self.list_path}", self.base_query(date_field))

    def list_total_known(self, total):
        # One entry, one record: the progress line's ETA counts against these
        # (approximately: an incremental run's lists overlap).
        self.crawler.stats.inc_value("progress/expected_records", total)

    def handle_item(self, entry, page_url):
        value = entry.get("value") if isinstance(entry, dict) else None
        record_id = value.get("id") if isinstance(value, dict) else None

        def parse(entry):
            if record_id is None:
                raise ValueError("entry has no value.id")
            return self.parse_record(value)

        record, rejection = self.parse_or_reject(parse, entry, page_url, record_id)
        if rejection:
            yield rejection
            return
        if record.id in self.seen_ids:
            return
        self.seen_ids.add(record.id)
        cut = [name for name in self.cut_fields if is_cut(value.get(name), name)]
        if cut:
            yield self.record_request(
                self.detail_url(record.id),
                held=lambda: self.store_holds(self.table, record.id, value, self.whole, self.cut_fields),
                callback=self.parse_detail,
                errback=self.detail_failed,
                cb_kwargs={"fallback": record, "cut": cut},
            )
        else:
            yield record

    # -- detail pages -------------------------------------------------------

    def detail_url(self, record_id) -> str:
        return f"{self.api_root}{self.detail_path.format(id=record_id)}?expandMember=true"

    def parse_detail(self, response, fallback, cut):
        try:
            value = json.loads(response.text)["value"]
            record = self.parse_record(value)
            if record.id != fallback.id:
                raise ValueError(f"detail is for id {record.id}, not {fallback.id}")
        except PARSE_ERRORS as exc:
            yield self.reject(response.url, f"detail is not the expected JSON: {exc}", response.text, fallback.id)
            yield self.mark_truncated(fallback, cut)
            return
        yield record

    def detail_failed(self, failure):
        """The detail could not be had: keep the list's cut record, flagged, and say why."""
        request = failure.request
        fallback, cut = request.cb_kwargs["fallback"], request.cb_kwargs["cut"]
        yield self.reject(request.url, f"detail unavailable ({failure_reason(failure)}); stored the list's cut text",
                          "", fallback.id)
        yield self.mark_truncated(fallback, cut)

    # -- records ------------------------------------------------------------

    def parse_record(self, value: dict):
        raise NotImplementedError

    def mark_truncated(self, record, cut: list[str]):
        """The record flagged for each field in `cut` that stays cut (its detail could not be had)."""
        raise NotImplementedError
