"""Written ministerial statements: `/api/writtenstatements/statements`.

    commitments crawl written-statements --since 2019-07-01 --until 2019-07-31
"""

import dataclasses

from spiders import date_fields
from spiders.items import WrittenStatement
from spiders import values
from common.dates import iso_date
from spiders.parliament import ParliamentListSpider

PUBLIC_URL = "https://questions-statements.parliament.uk/written-statements/detail/{date}/{uin}"


def parse_statement(value: dict, api_root: str = "") -> WrittenStatement:
    statement_id = int(value["id"])
    date_made = iso_date(value.get("dateMade"))
    uin = value.get("uin")
    member = values.member(value.get("member"))
    return WrittenStatement(
        id=statement_id,
        uin=uin,
        house=value.get("house"),
        title=value.get("title"),
        date_made=date_made,
        member_id=values.integer(value.get("memberId")) or values.integer((member or {}).get("id")),
        member=member,
        member_role=value.get("memberRole"),
        answering_body_id=values.integer(value.get("answeringBodyId")),
        answering_body=value.get("answeringBodyName"),
        text_html=values.text(value.get("text")),
        notice_number=value.get("noticeNumber"),
        linked_statements=values.json_list(value.get("linkedStatements")),
        attachments=values.json_list(value.get("attachments")),
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

    def parse_record(self, value):
        return parse_statement(value, self.api_root)

    def mark_truncated(self, record, cut):
        return dataclasses.replace(record, text_truncated=True)
