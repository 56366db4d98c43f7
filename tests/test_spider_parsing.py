"""Spider callbacks against saved responses, no network."""

import json

import pytest
import scrapy
from scrapy.utils.test import get_crawler

from spiders.items import Rejection, WrittenQuestion, WrittenStatement
from spiders.parliament import is_cut
from spiders.written_questions import WrittenQuestionsSpider, parse_question
from spiders.written_statements import WrittenStatementsSpider
from tests.conftest import FIXTURES, file_response

ROOT = "http://api.test"
LIST = FIXTURES / "written_questions" / "list-cut-and-holding.json"


def make_spider(cls, **kwargs):
    crawler = get_crawler(cls, {"WRITTEN_QUESTIONS_API_URL": ROOT, "API_PAGE_SIZE": 2})
    return cls.from_crawler(crawler, **kwargs)


def parse_list_page(spider, path, skip=0, total=None):
    query = spider.base_query(spider.date_fields[0])
    response = file_response(path, f"{ROOT}/api/writtenquestions/questions?skip={skip}")
    return list(spider.parse_page(response, url=f"{ROOT}/api/writtenquestions/questions", params=query,
                                  skip=skip, total=total, context={}))


def test_cut_answer_asks_for_its_detail_and_only_it():
    spider = make_spider(WrittenQuestionsSpider, since="2019-11-05", until="2019-11-05")
    out = parse_list_page(spider, LIST)
    details = [r for r in out if isinstance(r, scrapy.Request) and r.callback == spider.parse_detail]
    assert [r.url for r in details] == [f"{ROOT}/api/writtenquestions/questions/9100003?expandMember=true"]


def test_uncut_holding_answer_is_stored_from_the_list():
    spider = make_spider(WrittenQuestionsSpider)
    items = [r for r in parse_list_page(spider, LIST) if isinstance(r, WrittenQuestion)]
    assert [(q.id, q.answer_is_holding, q.date_holding_answer) for q in items] == [(9100005, True, items[0].date_answered)]


def test_entry_without_id_is_rejected_with_reason_and_excerpt():
    spider = make_spider(WrittenQuestionsSpider)
    rejections = [r for r in parse_list_page(spider, LIST) if isinstance(r, Rejection)]
    assert len(rejections) == 1
    assert "no value.id" in rejections[0].reason and "BROKEN" in rejections[0].excerpt


def test_next_page_advances_by_what_was_received():
    spider = make_spider(WrittenQuestionsSpider)
    pages = [r for r in parse_list_page(spider, LIST) if isinstance(r, scrapy.Request) and r.callback == spider.parse_page]
    assert pages == []  # 3 received of 3: nothing more to ask
    data = json.loads(LIST.read_text())
    data["totalResults"] = 10
    bigger = LIST.parent / "tmp-list.json"
    bigger.write_text(json.dumps(data))
    try:
        pages = [r for r in parse_list_page(make_spider(WrittenQuestionsSpider), bigger)
                 if isinstance(r, scrapy.Request) and r.callback is not None and "skip=3" in r.url]
    finally:
        bigger.unlink()
    assert len(pages) == 1 and "take=2" in pages[0].url


def test_query_carries_window_house_body_search_and_members():
    spider = make_spider(WrittenQuestionsSpider, since="2021-02-01", until="2021-02-02", date_field="tabled",
                         house="Lords", answering_body="53,17", search_term="imprints")
    query = dict(spider.base_query("tabled"))
    assert query["tabledWhenFrom"] == "2021-02-01" and query["tabledWhenTo"] == "2021-02-02"
    assert query["house"] == "Lords" and query["searchTerm"] == "imprints" and query["expandMember"] == "true"
    assert [v for k, v in spider.base_query("tabled") if k == "answeringBodies"] == ["53", "17"]


def test_detail_gives_full_html_answer_and_both_members():
    spider = make_spider(WrittenQuestionsSpider)
    fallback = parse_question(json.loads(LIST.read_text())["results"][0]["value"])
    response = file_response(FIXTURES / "written_questions" / "detail-9100003.json", f"{ROOT}/x")
    (item,) = list(spider.parse_detail(response, fallback=fallback, cut=["answerText"]))
    assert item.answer_html.startswith("<p>") and not is_cut(item.answer_html)
    assert item.asking_member["name"] == "Lord Kennedy of Southwark"
    assert item.answering_member["name"] == "Earl Howe"
    assert item.house == "Lords" and item.uin == "HL401" and item.date_answered == "2019-11-05"
    assert item.url == "https://questions-statements.parliament.uk/written-questions/detail/%s/HL401" % item.date_tabled
    assert item.grouped_questions == ["HL402"]


def test_detail_that_is_not_json_keeps_the_cut_record_flagged():
    spider = make_spider(WrittenQuestionsSpider)
    fallback = parse_question(json.loads(LIST.read_text())["results"][0]["value"])
    bad = FIXTURES / "written_questions" / "list-cut-and-holding.json"  # JSON, but not a detail
    out = list(spider.parse_detail(file_response(bad, f"{ROOT}/x"), fallback=fallback, cut=["answerText"]))
    assert isinstance(out[0], Rejection) and out[1].answer_truncated is True and out[1].id == 9100003


def test_bad_dates_are_refused_at_construction():
    import pytest

    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        make_spider(WrittenQuestionsSpider, since="01/02/2021")
    with pytest.raises(ValueError, match="after"):
        make_spider(WrittenQuestionsSpider, since="2021-02-02", until="2021-02-01")


def test_statement_list_parses_into_statements():
    spider = make_spider(WrittenStatementsSpider)
    response = file_response(FIXTURES / "written_statements" / "list.json", f"{ROOT}/api/writtenstatements/statements")
    out = list(spider.parse_page(response, url=f"{ROOT}/api/writtenstatements/statements", params=[], skip=0,
                                 total=None, context={}))
    statements = [r for r in out if isinstance(r, WrittenStatement)]
    details = [r for r in out if isinstance(r, scrapy.Request) and r.callback == spider.parse_detail]
    assert len(statements) + len(details) == 2
    for item in statements:
        assert item.date_made and item.answering_body and item.member["name"]


def test_flags_and_lists_given_as_strings_are_read_not_misread():
    from spiders.written_questions import parse_question

    question = parse_question({"id": 7, "isWithdrawn": "false", "answerIsHolding": "true", "isNamedDay": 0,
                               "groupedQuestions": "U1, U2"})
    assert question.is_withdrawn is False and question.answer_is_holding is True and question.is_named_day is False
    assert question.grouped_questions == ["U1", "U2"]


@pytest.mark.parametrize("field, value", [("isWithdrawn", "perhaps"), ("groupedQuestions", {"a": 1}),
                                          ("attachments", "file.pdf")])
def test_a_value_of_the_wrong_type_rejects_the_record_with_its_reason(field, value):
    from spiders.written_questions import parse_question

    with pytest.raises(ValueError, match="expected"):
        parse_question({"id": 7, field: value})
