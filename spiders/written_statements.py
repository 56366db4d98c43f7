"""Written ministerial statements: `/api/writtenstatements/statements`.

    commitments crawl written-statements --since 2019-07-01 --until 2019-07-31
"""

import dataclasses

from spiders import date_fields
from spiders.items import WrittenStatement
from spiders import values
from spiders.parliament import ParliamentListSpider

PUBLIC_URL = "https://questions-statements.parliament.uk/written-statements/detail/{date}/{uin}"


def parse_statement(value: dict, api_root: str = "") -> WrittenStatement:
    """One API `value` object -> a WrittenStatement; raises ValueError naming the field on a
    record that is not one."""
    read = values.reader(value)
    statement_id = read("id", values.identifier)
    date_made = read("dateMade", values.date)
    uin = read("uin", values.string)
    member = read("member", values.member)
    return WrittenStatement(
        id=statement_id,
        uin=uin,
        house=read("house", values.string),
        title=read("title", values.string),
        date_made=date_made,
        member_id=read("memberId", values.integer) or values.reader(member or {})("id", values.integer),
        member=member,
        member_role=read("memberRole", values.string),
        answering_body_id=read("answeringBodyId", values.integer),
        answering_body=read("answeringBodyName", values.string),
        text_html=read("text", values.text),
        notice_number=read("noticeNumber", values.string),
        linked_statements=read("linkedStatements", values.json_list),
        attachments=read("attachments", values.json_list),
        url=PUBLIC_URL.format(date=date_made, uin=uin) if date_made and uin else None,
        api_url=f"{api_root}/api/writtenstatements/statements/{statement_id}" if api_root else None,
        raw=value,
    )


class WrittenStatementsSpider(ParliamentListSpider):
    """Arguments (-a): since, until (YYYY-MM-DD) on the date made; house;
    answering_body (API body ids, comma-separated); search_term."""

    name = "written_statements"
    source = "written_statement"
    api_setting = "WRITTEN_QUESTIONS_API_URL"  # same API host as written questions
    list_path = "/api/writtenstatements/statements"
    detail_path = "/api/writtenstatements/statements/{id}"
    date_params = date_fields.WRITTEN_STATEMENTS
    cut_fields = ("text",)
    table = "written_statements"
    whole = {"text_truncated": (0, None)}

    def parse_record(self, value):
        return parse_statement(value, self.api_root)

    def mark_truncated(self, record, cut):
        return dataclasses.replace(record, text_truncated=True)
