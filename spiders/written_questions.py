"""Written questions and answers, both Houses: `/api/writtenquestions/questions`.

    scrapy crawl written_questions -a since=2021-02-01 -a until=2021-02-01
    commitments crawl written-questions --since 2021-02-01 --until 2021-02-01
"""

import dataclasses

from common.dates import iso_date
from spiders import date_fields, values
from spiders.items import WrittenQuestion
from spiders.parliament import ParliamentListSpider

PUBLIC_URL = "https://questions-statements.parliament.uk/written-questions/detail/{date}/{uin}"


def parse_question(value: dict, api_root: str = "") -> WrittenQuestion:
    """One API `value` object -> a WrittenQuestion; raises on a record that is not one."""
    question_id = int(value["id"])
    date_tabled = iso_date(value.get("dateTabled"))
    uin = value.get("uin")
    return WrittenQuestion(
        id=question_id,
        uin=uin,
        house=value.get("house"),
        heading=value.get("heading"),
        date_tabled=date_tabled,
        date_for_answer=iso_date(value.get("dateForAnswer")),
        date_answered=iso_date(value.get("dateAnswered")),
        date_holding_answer=iso_date(value.get("dateHoldingAnswer")),
        date_answer_corrected=iso_date(value.get("dateAnswerCorrected")),
        question_text=values.text(value.get("questionText")),
        answer_html=values.text(value.get("answerText")),
        original_answer_html=values.text(value.get("originalAnswerText")) or None,
        answering_body_id=values.integer(value.get("answeringBodyId")),
        answering_body=value.get("answeringBodyName"),
        asking_member_id=values.integer(value.get("askingMemberId")),
        answering_member_id=values.integer(value.get("answeringMemberId")),
        correcting_member_id=values.integer(value.get("correctingMemberId")),
        asking_member=values.member(value.get("askingMember")),
        answering_member=values.member(value.get("answeringMember")),
        correcting_member=values.member(value.get("correctingMember")),
        is_withdrawn=values.flag(value.get("isWithdrawn")),
        is_named_day=values.flag(value.get("isNamedDay")),
        answer_is_holding=values.flag(value.get("answerIsHolding")),
        answer_is_correction=values.flag(value.get("answerIsCorrection")),
        grouped_questions=values.string_list(value.get("groupedQuestions")),
        attachment_count=values.integer(value.get("attachmentCount")) or 0,
        attachments=values.json_list(value.get("attachments")),
        url=PUBLIC_URL.format(date=date_tabled, uin=uin) if date_tabled and uin else None,
        api_url=f"{api_root}/api/writtenquestions/questions/{question_id}" if api_root else None,
        raw=value,
    )


class WrittenQuestionsSpider(ParliamentListSpider):
    """Arguments (-a): since, until (YYYY-MM-DD); date_field: answered (default),
    tabled or corrected, or several comma-separated; house: Commons|Lords|Bicameral;
    answering_body: API body ids, comma-separated; search_term."""

    name = "written_questions"
    source = "written_question"
    api_setting = "WRITTEN_QUESTIONS_API_URL"
    list_path = "/api/writtenquestions/questions"
    detail_path = "/api/writtenquestions/questions/{id}"
    date_params = date_fields.WRITTEN_QUESTIONS
    cut_fields = ("questionText", "answerText", "originalAnswerText")

    def extra_query(self):
        # Withdrawn questions are kept: a withdrawal is part of the record.
        return [("includeWithdrawn", "true")]

    def parse_record(self, value):
        return parse_question(value, self.api_root)

    def mark_truncated(self, record, cut):
        return dataclasses.replace(record, question_truncated="questionText" in cut,
                                   answer_truncated=bool({"answerText", "originalAnswerText"} & set(cut)))
