"""Written questions and answers, both Houses: `/api/writtenquestions/questions`.

    scrapy crawl written_questions -a since=2021-02-01 -a until=2021-02-01
    commitments crawl written-questions --since 2021-02-01 --until 2021-02-01
"""

import dataclasses

from spiders import date_fields, values
from spiders.items import WrittenQuestion
from spiders.parliament import ParliamentListSpider

PUBLIC_URL = "https://questions-statements.parliament.uk/written-questions/detail/{date}/{uin}"


def parse_question(value: dict, api_root: str = "") -> WrittenQuestion:
    """One API `value` object -> a WrittenQuestion; raises ValueError naming the field on a
    record that is not one."""
    read = values.reader(value)
    question_id = read("id", values.identifier)
    date_tabled = read("dateTabled", values.date)
    uin = read("uin", values.string)
    return WrittenQuestion(
        id=question_id,
        uin=uin,
        house=read("house", values.string),
        heading=read("heading", values.string),
        date_tabled=date_tabled,
        date_for_answer=read("dateForAnswer", values.date),
        date_answered=read("dateAnswered", values.date),
        date_holding_answer=read("dateHoldingAnswer", values.date),
        date_answer_corrected=read("dateAnswerCorrected", values.date),
        question_text=read("questionText", values.text),
        answer_html=read("answerText", values.text),
        original_answer_html=read("originalAnswerText", values.text) or None,
        answering_body_id=read("answeringBodyId", values.integer),
        answering_body=read("answeringBodyName", values.string),
        asking_member_id=read("askingMemberId", values.integer),
        answering_member_id=read("answeringMemberId", values.integer),
        correcting_member_id=read("correctingMemberId", values.integer),
        asking_member=read("askingMember", values.member),
        answering_member=read("answeringMember", values.member),
        correcting_member=read("correctingMember", values.member),
        is_withdrawn=read("isWithdrawn", values.flag),
        is_named_day=read("isNamedDay", values.flag),
        answer_is_holding=read("answerIsHolding", values.flag),
        answer_is_correction=read("answerIsCorrection", values.flag),
        grouped_questions=read("groupedQuestions", values.string_list),
        attachment_count=read("attachmentCount", values.integer) or 0,
        attachments=read("attachments", values.json_list),
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
    table = "written_questions"
    whole = {"answer_truncated": (0, None), "question_truncated": (0, None)}

    def extra_query(self):
        # Withdrawn questions are kept: a withdrawal is part of the record.
        return [("includeWithdrawn", "true")]

    def parse_record(self, value):
        return parse_question(value, self.api_root)

    def mark_truncated(self, record, cut):
        return dataclasses.replace(record, question_truncated="questionText" in cut,
                                   answer_truncated=bool({"answerText", "originalAnswerText"} & set(cut)))
