"""The real recorded responses in ../shared/real, served locally and crawled for real.

Skipped, with the reason, where ../shared is not beside the checkout.
"""

import collections
import json

import pytest
import sqlite_utils

from common.text import html_to_text

from spiders.written_questions import parse_question
from tests.conftest import StaticApi, run_cli, shared_file
from tests.html_text_before import html_to_text_before


def test_real_answered_list_stores_all_469_questions(db_path):
    path = shared_file("real/writtenquestions-answered-2021-02-01.json")
    expected = [r["value"] for r in json.loads(path.read_bytes())["results"]]
    with StaticApi({"/api/writtenquestions/questions": path.read_bytes()}) as api:
        run_cli("crawl", "written-questions", "--since", "2021-02-01", "--until", "2021-02-01", "--api-url", api.url,
                "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "RETRY_TIMES=0", "-s", "LOG_LEVEL=ERROR", db=db_path)
    database = sqlite_utils.Database(db_path)
    rows = {r["id"]: r for r in database["written_questions"].rows}
    assert len(rows) == 469
    assert collections.Counter(r["house"] for r in rows.values()) == {"Commons": 376, "Lords": 93}
    assert sum(r["answer_is_holding"] for r in rows.values()) == 4
    for value in expected:
        row = rows[value["id"]]
        assert row["answering_body"] == value["answeringBodyName"]
        assert row["date_answered"] == "2021-02-01" and row["date_tabled"] == value["dateTabled"][:10]
        assert row["asking_member_id"] == value["askingMemberId"]
        assert row["answering_member_id"] == value["answeringMemberId"]
    members = {m["id"]: m for m in database["members"].rows}
    asker = expected[0]["askingMember"]
    assert members[asker["id"]]["name"] == asker["name"] and members[asker["id"]]["party"] == asker["party"]
    # 419 answers were cut by the list; their details are not recorded, so each is
    # kept with its cut text, flagged, and its missing detail is a stored rejection.
    cut = [v for v in expected if v["answerText"].endswith("...")]
    assert sum(r["answer_truncated"] for r in rows.values()) == len(cut) == 419
    # questions of 255 characters or more may be cut (the list marks no question cut): their
    # details are not recorded either, so they are flagged on the question, not the answer
    long_questions = [v for v in expected if len(v["questionText"]) >= 255]
    assert sum(r["question_truncated"] for r in rows.values()) == len(long_questions) == 133
    assert database["rejections"].count == len({v["id"] for v in cut + long_questions}) == 424
    assert len([p for p in api.requests if p.startswith("/api/writtenquestions/questions?")]) == 1


def real_month(month: str) -> tuple[list[dict], dict[str, dict]]:
    """A real month's list values and the recorded full texts (question and answer) by id."""
    import sqlite3

    values = [entry["value"] for entry in json.loads(shared_file(f"real/mysociety-wq-commons-tabled-{month}.list.json")
                                                      .read_text())]
    path = shared_file(f"real/mysociety-wq-commons-tabled-{month}.longform.sqlite")
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    full = {(k.decode() if isinstance(k, bytes) else str(k)): json.loads(v)
            for k, v in connection.execute("select key, value from Dict")}
    connection.close()
    return values, full


# Each month whole is slow (hundreds of detail fetches): a sample of each runs by default.
MONTH_SAMPLE = 40


@pytest.mark.parametrize("month, cut_at_255, sample", [
    pytest.param("2023-12", 840, None, marks=pytest.mark.slow, id="2023-12-whole"),
    pytest.param("2024-07", 513, None, marks=pytest.mark.slow, id="2024-07-whole"),
    pytest.param("2023-12", 840, MONTH_SAMPLE, id="2023-12-sample"),
    pytest.param("2024-07", 513, MONTH_SAMPLE, id="2024-07-sample"),
])
def test_real_month_questions_cut_at_255_without_a_mark_are_completed_from_their_detail(db_path, month, cut_at_255,
                                                                                          sample):
    values, full = real_month(month)
    # the questions whose full text was recorded: the list cut almost every one of them
    # (255 characters, no "..."); July 2024 adds 5 whole questions whose answers were recorded
    listed = [v for v in values if str(v["id"]) in full]
    assert len(listed) == len(full) and sum(len(v["questionText"]) == 255 for v in listed) == cut_at_255
    if sample:
        # every n-th, so that the sample spans the month and keeps the uncut ones' kind
        listed = listed[::len(listed) // sample]
    routes = {"/api/writtenquestions/questions": json.dumps(
        {"totalResults": len(listed), "results": [{"value": v, "links": []} for v in listed]}).encode()}
    for v in listed:
        whole = full[str(v["id"])]
        detail = {**v, "questionText": whole["question_text"], "answerText": whole["answer_text"] or v["answerText"]}
        routes[f"/api/writtenquestions/questions/{v['id']}"] = json.dumps({"value": detail, "links": []}).encode()
    with StaticApi(routes) as api:
        run_cli("crawl", "written-questions", "--since", month + "-01", "--until", "2024-12-31", "--api-url", api.url,
                "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "ROBOTSTXT_OBEY=False", "-s", "LOG_LEVEL=WARNING",
                "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16", db=db_path)
    database = sqlite_utils.Database(db_path)
    rows = {r["id"]: r for r in database["written_questions"].rows}
    assert len(rows) == len(listed) and database["rejections"].count == 0
    # most were really cut; the rest are exactly 255 characters long, which only the detail can tell
    assert sum(len(full[str(v["id"])]["question_text"]) > 255 for v in listed) > 0.9 * len(listed)
    fetched = {int(p.split("?")[0].rsplit("/", 1)[1]) for p in api.requests if p.startswith("/api/writtenquestions/questions/")}
    assert fetched == {v["id"] for v in listed if len(v["questionText"]) >= 255 or v["answerText"].endswith("...")}
    documents = {d["source_id"]: d for d in database.query("select * from documents where source = 'written_question'")}
    for v in listed:
        whole, row = full[str(v["id"])], rows[v["id"]]
        assert row["question_text"] == whole["question_text"] and not row["question_truncated"]
        if whole["answer_text"]:
            assert not row["answer_truncated"]
            # a fetched detail gives the answer's HTML as recorded; a list answer that was not cut is its text
            if v["id"] in fetched:
                assert row["answer_html"] == whole["answer_text"]
            assert html_to_text(row["answer_html"]) == html_to_text(whole["answer_text"])
            assert documents[str(v["id"])]["text"] == html_to_text(whole["answer_text"])


def test_real_detail_parses():
    value = json.loads(shared_file("real/writtenquestion-1679416-detail-2024-01.json").read_text())["value"]
    question = parse_question(value)
    assert question.id == 1679416 and question.answering_body == "Department for Education"
    assert question.answer_html.startswith("<p>") and question.date_answered == "2024-01-10"


def test_real_list_page_parses_every_entry():
    page = json.loads(shared_file("real/writtenquestions-list-2024-01-defra.json").read_text())
    questions = [parse_question(r["value"]) for r in page["results"]]
    assert len(questions) == 20 and all(q.house == "Commons" for q in questions)


def seed_mentions(name: str) -> list[dict]:
    from tests.conftest import jsonl

    path = shared_file(f"seeds/{name}")
    return jsonl(run_cli("extract-text", path).stdout)


def test_seed_article_publictechnology_gives_the_two_commitments_and_the_dialogue():
    mentions = seed_mentions("publictechnology-2019-11-12-regular-and-robust-dialogue.txt")
    firm = [(m["action"], m["owner"]) for m in mentions if m["kind"] == "firm"]
    assert firm == [("launch a consultation on electoral integrity", "Cabinet Office"),
                    ("implement a digital imprints regime for online election material", "Cabinet Office")]
    ongoing = [m for m in mentions if m["kind"] == "ongoing"]
    assert len(ongoing) == 1 and ongoing[0]["action"].startswith("have regular and robust dialogue")
    assert ongoing[0]["owner"] == "Cabinet Office" and ongoing[0]["person"] == "Earl Howe"
    # nothing from the comment form or the newsletter box
    assert not [m for m in mentions if "email" in m["sentence"].lower() or "subscri" in m["sentence"].lower()]


def test_seed_article_diginomica_gives_the_election_cell_as_hedged():
    mentions = seed_mentions("diginomica-2019-09-03-election-cell.txt")
    assert {m["kind"] for m in mentions} == {"hedged"}
    cell = [m for m in mentions if "used again" in m["sentence"] or "will again be used" in m["sentence"]]
    assert cell and cell[0]["owner"] == "Cabinet Office" and cell[0]["person"] == "Natalie Bodek"
    assert not [m for m in mentions if m["sentence"].startswith("Main content")]


def test_real_written_statements_list_every_statement_stored_with_its_fields(db_path):
    path = shared_file("real/clquestions-writtenstatements-list-made-2021-02-01.json")
    expected = [r["value"] for r in json.loads(path.read_bytes())["results"]]
    # The list cut every text to 258 characters and their details were not recorded: each
    # detail is asked for, fails, and the statement is kept with its cut text, flagged.
    with StaticApi({"/api/writtenstatements/statements": path.read_bytes()}) as api:
        run_cli("crawl", "written-statements", "--since", "2021-02-01", "--until", "2021-02-01",
                         "--api-url", api.url, "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "RETRY_TIMES=0",
                         "-s", "ROBOTSTXT_OBEY=False", "-s", "LOG_LEVEL=ERROR", db=db_path)
    database = sqlite_utils.Database(db_path)
    rows = {r["id"]: r for r in database["written_statements"].rows}
    documents = {d["source_id"]: d for d in database.query("select * from documents where source = 'written_statement'")}
    assert len(expected) == len(rows) == len(documents) == 10
    assert collections.Counter(r["house"] for r in rows.values()) == {"Commons": 5, "Lords": 5}
    details = {p.split("?")[0] for p in api.requests if p.startswith("/api/writtenstatements/statements/")}
    assert details == {f"/api/writtenstatements/statements/{v['id']}" for v in expected}
    for value in expected:
        row, document = rows[value["id"]], documents[str(value["id"])]
        assert (row["uin"], row["house"], row["title"], row["date_made"]) == (
            value["uin"], value["house"], value["title"], "2021-02-01")
        assert (row["member_id"], row["member_role"]) == (value["member"]["id"], value["memberRole"])
        assert (row["answering_body_id"], row["answering_body"]) == (value["answeringBodyId"], value["answeringBodyName"])
        assert row["text_html"] == value["text"] and row["text_truncated"] == 1 and len(value["text"]) == 258
        assert row["url"] == f"https://questions-statements.parliament.uk/written-statements/detail/2021-02-01/{value['uin']}"
        assert (document["person"], document["person_id"]) == (value["member"]["name"], value["member"]["id"])
        assert (document["body"], document["date"], document["house"]) == (value["answeringBodyName"], "2021-02-01",
                                                                          value["house"])
        assert document["text"] == value["text"] and document["text_truncated"] == 1 and document["government"] == 1
    members = {m["id"]: m for m in database["members"].rows}
    assert members[4876]["name"] == "Lord Grimstone of Boscobel" and members[4876]["member_from"] == "Life peer"
    # one stored reason per statement whose detail could not be had
    reasons = [r["reason"] for r in database.query("select reason from rejections where source = 'written_statement'")]
    assert len(reasons) == 10 and all(r.startswith("detail unavailable (HTTP 404)") for r in reasons)


def _real_markup() -> list[str]:
    """Every answer, question and statement text of the real recorded material (lists,
    details, the full texts of the two months, GOV.UK bodies), and each ParlParse file whole."""
    folder = shared_file("real")
    texts = []

    def collect(value):
        if isinstance(value, dict):
            for key, inner in value.items():
                if isinstance(inner, str) and key in {"answerText", "originalAnswerText", "questionText", "text",
                                                      "body", "answer_text", "question_text"}:
                    texts.append(inner)
                else:
                    collect(inner)
        elif isinstance(value, list):
            for inner in value:
                collect(inner)

    for path in sorted(folder.glob("*.json")):
        collect(json.loads(path.read_bytes()))
    for path in sorted(folder.glob("*.longform.sqlite")):
        collect([json.loads(value) for (value,) in sqlite_utils.Database(path).execute("select value from Dict")])
    texts += [path.read_text(encoding="iso-8859-1") for path in sorted(folder.glob("twfy-*.xml"))]
    return texts


def test_html_to_text_gives_the_lxml_html_versions_text_for_every_real_text():
    texts = _real_markup()
    assert len(texts) > 10_000  # both months' lists and full texts were read
    differing = [markup[:80] for markup in texts if html_to_text(markup) != html_to_text_before(markup)]
    assert differing == [], f"{len(differing)} of {len(texts)} differ, e.g. {differing[:3]}"
