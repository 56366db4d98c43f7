"""Property-based tests of the text paths: whatever the input, no traceback, and what comes
out keeps its promises (no script text leaks, spans lie inside the text, a deadline is a
real date, a bad record is rejected alone with a reason)."""

import calendar
import datetime as dt
import json
import logging
import typing

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from scrapy.http import Request, TextResponse
from scrapy.utils.test import get_crawler

import db
import lxml.etree
from common.text import html_to_text
from extract.deadlines import PRECISIONS, deadline_fields, find_deadline, resolve_period
from extract.pipeline import load_nlp
from spiders import values
from spiders.items import Rejection, WrittenQuestion, WrittenStatement
from spiders.written_questions import WrittenQuestionsSpider, parse_question
from spiders.written_statements import WrittenStatementsSpider, parse_statement
from tests.html_text_before import html_to_text_before

FAST = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SPACY = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# -- html_to_text ---------------------------------------------------------------------

SECRET = "SECRETXYZ"
_TAGS = ["p", "div", "li", "ul", "ol", "br", "span", "b", "table", "tr", "td", "th", "h2", "blockquote", "a", "em"]
_words = st.text(st.characters(blacklist_characters="<>&" + SECRET), max_size=12)
_anything = st.text(max_size=20)  # NUL bytes, control characters, surrogates' neighbours, lone "<"


def _html(children):
    element = st.builds(lambda tag, attr, inner, closed: f"<{tag}{attr}>{''.join(inner)}" + (f"</{tag}>" if closed else ""),
                        st.sampled_from(_TAGS), st.sampled_from(["", ' class="x"', " id=a", ' style="color:red"']),
                        st.lists(children, max_size=3), st.booleans())
    hidden = st.builds(lambda tag, body: f"<{tag}>{SECRET}{body}</{tag}>",
                       st.sampled_from(["script", "style", "SCRIPT", "Style"]), _words)
    return element | hidden


_markup = st.lists(st.recursive(_words | st.sampled_from(["&amp;", "&nbsp;", "&#x27;", "<!-- c -->", "&bogus;"]),
                                _html, max_leaves=12), max_size=6).map("".join)


@FAST
@given(_markup)
@example("\x1b<script>SECRETXYZ</script>")  # found: lxml refused the whole text for one control character
def test_html_to_text_never_shows_script_or_style(markup):
    text = html_to_text(markup)
    assert SECRET not in text
    assert all(line == line.strip() and line for line in text.split("\n")) or text == ""


@FAST
@given(st.one_of(_anything, _markup.map(lambda m: m + "\x00"), st.builds(lambda a, b: a + "<" + b, _anything, _anything)))
def test_html_to_text_takes_any_string(markup):
    assert isinstance(html_to_text(markup), str)


# The faster html_to_text gives the text the lxml.html one gave, for any markup. The pieces
# add what the walk treats differently: spacing runs, line breaks other than \n, tags in
# capitals, comments and processing instructions with tails, table cells, whole pages,
# bodies and heads in a fragment, character references to control characters.
_PIECES = ["&amp;", "&nbsp;", "&#x27;", "&#1;", "&#x200b;", "&bogus;", "<!-- c -->", "<?pi x?>", " ", "  ", "\t",
           "\u00a0", "\u3000", "\u2028", "\r\n", "\n", "\x85", "</p>", "</li>", "<br/>", "<BR>", "<LI>", "<TD>x",
           "<th>", "</td>", "<body>", "</body>", "<head>", "<title>t</title>", "<html>", "<!doctype html>", "<o:p>",
           "<Script>x</Script>", "<style>y</style>", "<tbody>", "<hr>", "<img alt=a>", "<![CDATA[c]]>", "<"]
_rich_markup = st.lists(st.recursive(_words | st.sampled_from(_PIECES) | _anything, _html, max_leaves=14),
                        max_size=8).map("".join)
_FULL_PAGES = st.builds(lambda head, body: head + body, st.sampled_from(["<html>", " <!DOCTYPE html>", "<HTML><body>"]),
                        _rich_markup)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(_markup, _rich_markup, _FULL_PAGES, _anything))
@example("<p>a</p>&#1;b")  # lxml.html refused to set a control character back into the tree
@example("<html></html>")  # lxml.html found no body and failed an assertion
@example("<!DOCTYPE")  # lxml.html: "Document is empty"
@example("<ul><li>one<li>two</ul><table><tr><td>a<td>b</table>\u00a0 x\t\ty")
def test_html_to_text_gives_the_text_the_lxml_html_version_gave(markup):
    try:
        before = html_to_text_before(markup)
    except (ValueError, AssertionError, lxml.etree.ParserError):
        assert isinstance(html_to_text(markup), str)  # text now, where it raised before
        return
    assert html_to_text(markup) == before


def test_html_to_text_of_what_failed_before():
    assert html_to_text("<p>a</p>&#1;b") == "a\n\x01b"
    assert html_to_text("<!DOCTYPE") == ""
    assert html_to_text("<html></html>") == "" and html_to_text("<!doctype html><head><title>t</title></head>") == ""
    assert html_to_text("<div>" * 250 + "deep" + "</div>" * 250) == "deep"  # as deep as libxml2 goes, no recursion


# -- sentence boundaries and mentions through the real pipeline -------------------------

NLP = None


def nlp():
    global NLP
    if NLP is None:
        NLP = load_nlp()  # once per module: loading the model takes a second
    return NLP


_VOCABULARY = ["We", "will", "publish", "the", "report", "hon.", "Member", "Rt", "Hon.", "-", "•", "*", ".", ",",
               "\n", "\n\n", " ", "  ", "Government", "by", "Q3", "2021", "31", "February", "in", "spring",
               "consult", "on", ":", "The", "Government will:", "(a)", "1.", "I", "refer", "to", "\t", "£20",
               "million", "before", "Christmas", "02/03/2021", "\u00a0", "'", '"', "said", "Smith"]
_texts = st.one_of(
    st.lists(st.sampled_from(_VOCABULARY) | st.text(max_size=4), max_size=40).map(" ".join),
    st.lists(st.sampled_from(_VOCABULARY), max_size=40).map("".join),
    st.text(max_size=80),
)


@SPACY
@given(_texts)
def test_sentences_lie_inside_the_text_in_order(text):
    doc = nlp()(text)
    assert doc.text == text
    end = 0
    for sent in doc.sents:
        assert end <= sent.start_char <= sent.end_char <= len(text)
        assert text[sent.start_char:sent.end_char] == sent.text
        end = sent.end_char


_metas = st.fixed_dictionaries({}, optional={
    "body": st.sampled_from(["Cabinet Office", "Home Office", ""]), "person": st.sampled_from(["A Minister", None]),
    "date": st.one_of(st.dates().map(dt.date.isoformat), st.text(max_size=12), st.none()),
    "government": st.sampled_from([0, 1, None])})


@SPACY
@given(_texts, _metas)
def test_mentions_point_into_the_text(text, meta):
    doc = nlp().make_doc(text)
    doc._.meta = meta
    for mention in nlp()(doc)._.commitments:
        start, end = mention["sentence_start"], mention["sentence_end"]
        assert 0 <= start <= end <= len(text) and text[start:end] == mention["sentence"]
        if mention["action_start"] is not None:
            assert start <= mention["action_start"] <= mention["action_end"] <= end
        if mention["deadline"] is not None:
            assert dt.date.fromisoformat(mention["deadline"]).isoformat() == mention["deadline"]
            assert mention["deadline_precision"] in PRECISIONS and mention["deadline_text"] in text


# -- deadlines ------------------------------------------------------------------------

_DEADLINE_WORDS = ["by", "before", "in", "the", "end", "of", "start", "this", "next", "financial", "year", "Q1",
                   "Q4", "quarter", "third", "first", "2021", "2021-22", "1999-00", "2099", "1900", "spring",
                   "winter", "early", "mid-", "late", "Christmas", "Easter", "31", "29", "0", "February", "March",
                   "Feb", "week", "beginning", "within", "12", "weeks", "months", "coming", "31/02/2021", "1/13/21",
                   "00/00/00", "99999999999999999999", "days", "on", "1st", "of", "Parliament", "recess", "month"]
_phrases = st.one_of(st.lists(st.sampled_from(_DEADLINE_WORDS), max_size=8).map(" ".join), st.text(max_size=40))
_bases = st.one_of(st.none(), st.dates(), st.sampled_from([dt.date.min, dt.date.max, dt.date(2000, 2, 29)]))


@FAST
@given(_phrases, _bases)
def test_any_phrase_and_any_document_date_resolve_to_a_real_date_or_none(phrase, base):
    period = resolve_period(phrase, base)
    if period is not None:
        assert isinstance(period.end, dt.date) and period.precision in PRECISIONS
        assert dt.date.fromisoformat(period.end.isoformat()) == period.end
    found = find_deadline(phrase)
    if found:
        assert phrase[found[1]:found[2]] == found[0]
        fields = deadline_fields(found, base)
        assert fields["deadline"] is None or dt.date.fromisoformat(fields["deadline"])


@FAST
@given(st.dates(dt.date(1900, 1, 1), dt.date(2099, 12, 31)), _bases)
def test_a_whole_date_resolves_to_itself_whatever_the_document_date(day, base):
    month = calendar.month_name[day.month]
    for phrase in (f"by {day.day} {month} {day.year}", f"on {day:%d/%m/%Y}", f"by {month} {day.day}, {day.year}"):
        period = resolve_period(find_deadline(phrase)[0], base)
        assert (period.end, period.precision) == (day, "day"), phrase


@FAST
@given(st.integers(1900, 2099), st.integers(1, 4), st.dates(dt.date(1900, 1, 1), dt.date(2099, 12, 31)))
def test_a_quarter_resolves_to_its_last_day(year, quarter, base):
    period = resolve_period(f"in Q{quarter} {year}", base)
    assert period.end == dt.date(year, 3 * quarter, calendar.monthrange(year, 3 * quarter)[1])
    relative = resolve_period(f"by Q{quarter}", base)
    assert relative.end >= base and (relative.end - base).days < 366


@FAST
@given(st.dates(dt.date(1900, 1, 1), dt.date(2099, 12, 31)), st.integers(1, 31), st.integers(1, 12))
def test_a_day_without_a_year_is_the_next_one_or_none(base, day, month):
    period = resolve_period(f"by {day} {calendar.month_name[month]}", base)
    if period is None:
        assert day > 28  # only a day the month may not have
    else:
        assert (period.end.day, period.end.month) == (day, month) and 0 <= (period.end - base).days < 366


# -- records from arbitrary JSON ------------------------------------------------------

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3),
    max_leaves=6)

MEMBER = {"id": 9001, "listAs": "Member, A.", "name": "A Member", "party": "Party", "partyColour": "ff0000",
          "partyAbbreviation": "P", "memberFrom": "Somewhere", "thumbnailUrl": "https://example.test/t"}
QUESTION = {
    "id": 9100001, "askingMemberId": 9001, "askingMember": MEMBER, "house": "Lords", "dateTabled": "2021-01-20T00:00:00",
    "dateForAnswer": "2021-02-03T00:00:00", "uin": "HL100", "questionText": "To ask Her Majesty's Government a question.",
    "answeringBodyId": 53, "answeringBodyName": "Cabinet Office", "isWithdrawn": False, "isNamedDay": False,
    "groupedQuestions": ["HL101"], "answerIsHolding": False, "answerIsCorrection": False, "answeringMemberId": 9002,
    "answeringMember": dict(MEMBER, id=9002), "correctingMemberId": None, "correctingMember": None,
    "dateAnswered": "2021-02-01T00:00:00", "answerText": "<p>We will publish the plan in the spring.</p>",
    "originalAnswerText": "", "dateAnswerCorrected": None, "dateHoldingAnswer": None, "attachmentCount": 0,
    "heading": "A Heading", "attachments": [],
}
STATEMENT = {
    "id": 9200001, "memberId": 9003, "member": dict(MEMBER, id=9003), "memberRole": "Minister", "uin": "HCWS1",
    "dateMade": "2021-02-01T00:00:00", "answeringBodyId": 53, "answeringBodyName": "Cabinet Office",
    "title": "A Statement", "text": "<p>We will publish the plan.</p>", "house": "Commons", "noticeNumber": 14,
    "linkedStatements": [], "attachments": [],
}


def _mutated(base: dict):
    """`base` with some of its fields (or new ones) set to any JSON value."""
    return st.dictionaries(st.sampled_from(sorted(base)) | st.text(max_size=6), _json, min_size=1, max_size=3).map(
        lambda changes: {**base, **changes})


def _well_typed(record) -> bool:
    """Every field of a parsed record has the type its dataclass declares."""
    for name, hint in typing.get_type_hints(type(record)).items():
        value = getattr(record, name)
        allowed = typing.get_args(hint) or (hint,)
        if value is None and type(None) in allowed:
            continue
        if int in allowed and (not isinstance(value, int) or isinstance(value, bool)):
            return False
        if not isinstance(value, tuple(typing.get_origin(t) or t for t in allowed if t is not type(None))):
            return False
    return True


@FAST
@given(_mutated(QUESTION))
def test_a_question_of_any_json_is_a_well_typed_record_or_a_reasoned_error(value):
    try:
        record = parse_question(value)
    except (ValueError, TypeError, KeyError) as exc:
        assert str(exc)
        return
    assert _well_typed(record), record


@FAST
@given(_mutated(STATEMENT))
def test_a_statement_of_any_json_is_a_well_typed_record_or_a_reasoned_error(value):
    try:
        record = parse_statement(value)
    except (ValueError, TypeError, KeyError) as exc:
        assert str(exc)
        return
    assert _well_typed(record), record


@FAST
@given(_json)
def test_every_value_reader_returns_its_type_or_says_what_it_got(value):
    for reader, kind in ((values.flag, bool), (values.string_list, list), (values.json_list, list),
                         (values.integer, (int, type(None))), (values.member, (dict, type(None))),
                         (values.text, (str, type(None)))):
        try:
            assert isinstance(reader(value), kind)
        except ValueError as exc:
            assert "expected" in str(exc)


@pytest.fixture(autouse=True, scope="module")
def quiet_spiders():
    """Each rejection is logged as a warning: thousands of examples need not be."""
    loggers = [logging.getLogger(cls.name) for cls in (WrittenQuestionsSpider, WrittenStatementsSpider)]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    yield
    for logger, level in zip(loggers, levels):
        logger.setLevel(level)


@pytest.mark.parametrize("parse, base, field, bad", [
    (parse_question, QUESTION, "heading", []), (parse_question, QUESTION, "dateTabled", True),
    (parse_question, QUESTION, "id", 1.5), (parse_question, QUESTION, "askingMember", {"id": "x"}),
    (parse_statement, STATEMENT, "noticeNumber", {}), (parse_statement, STATEMENT, "dateMade", "31/02/2021"),
])
def test_the_reason_names_the_field(parse, base, field, bad):
    with pytest.raises(ValueError, match=f"^{field}: expected"):
        parse(dict(base, **{field: bad}))


def _spider(cls):
    crawler = get_crawler(cls, {"WRITTEN_QUESTIONS_API_URL": "http://api.test", "API_PAGE_SIZE": 100})
    return cls.from_crawler(crawler)


def _page_out(spider, path: str, page) -> list:
    spider.seen_ids = set()  # each example is a first crawl
    url = f"http://api.test{path}?skip=0"
    response = TextResponse(url=url, request=Request(url), body=json.dumps(page).encode(), encoding="utf-8")
    return list(spider.parse_page(response, url=f"http://api.test{path}", params=[], skip=0, total=None, context={}))


@pytest.mark.parametrize("cls, path, base, record_type, table", [
    (WrittenQuestionsSpider, "/api/writtenquestions/questions", QUESTION, WrittenQuestion, "written_questions"),
    (WrittenStatementsSpider, "/api/writtenstatements/statements", STATEMENT, WrittenStatement, "written_statements"),
])
def test_a_bad_record_is_rejected_alone_and_its_neighbours_are_stored(cls, path, base, record_type, table):
    good = [dict(base, id=base["id"] + 1000), dict(base, id=base["id"] + 2000)]
    good_ids = [g["id"] for g in good]
    spider, database = _spider(cls), db.open_db(":memory:")  # one of each: making them is the slow part

    @FAST
    @given(_mutated(base) | _json)
    @example(dict(base, id=float("inf")))  # found: OverflowError escaped and lost the rest of the page
    @example(dict(base, answeringBodyName=[]))  # found: stored a list as the body's name
    @example(dict(base, dateTabled=True))  # found: "'bool' object has no attribute 'replace'"
    def check(bad):
        assume(not (isinstance(bad, dict) and str(bad.get("id")).strip() in {str(i) for i in good_ids}))
        out = _page_out(spider, path, {"totalResults": 3, "results": [{"value": good[0]}, {"value": bad}, {"value": good[1]}]})
        records = [o for o in out if isinstance(o, record_type)]
        assert [r.id for r in records if r.id in good_ids] == good_ids
        rejections = [o for o in out if isinstance(o, Rejection)]
        assert all(r.reason for r in rejections)
        # the bad entry is a record, a request for its detail, or a rejection: never nothing
        assert len(out) >= 3
        assert all(_well_typed(r) for r in records)
        # the store keeps what the spider yields: a parsed record is never refused
        database[table].delete_where()
        counts = db.save_records(database, [vars(o) for o in out if isinstance(o, (record_type, Rejection))])
        assert counts == {"stored": len(records) + len(rejections), "rejected": 0}
        assert set(good_ids) <= {row["id"] for row in database[table].rows}

    check()


_pages = _json | st.fixed_dictionaries(
    {"results": st.lists(_json | st.fixed_dictionaries({"value": _mutated(QUESTION) | _json}), max_size=3)},
    optional={"totalResults": _json})


@pytest.fixture(scope="module")
def questions_spider():
    return _spider(WrittenQuestionsSpider)


@FAST
@given(page=_pages)
@example(page={"totalResults": float("inf"), "results": [{"value": QUESTION}]})  # found: OverflowError, page lost
def test_a_list_page_of_any_json_is_read_or_rejected(questions_spider, page):
    out = _page_out(questions_spider, "/api/writtenquestions/questions", page)
    assert all(isinstance(o, (WrittenQuestion, Rejection)) or hasattr(o, "url") for o in out)
