"""Tracking: grouping, stable ids, events, status and the reviewed overrides, on a real
SQLite store and through the real CLI."""

import json
from datetime import date

import pytest

import db
from extract.grouping import Unit, group, read_action, similarity
from extract.runner import run_tracking
from extract.track import track
from tests.conftest import jsonl, run_cli

AS_OF = date(2024, 6, 1)
CO = "Cabinet Office"


def mention(doc_id, date_, action, *, owner=CO, kind="firm", deadline=None, deadline_text=None, start=0,
            sentence=None, title="Elections: digital imprints"):
    return {
        "id": f"{doc_id}-{start}", "document_id": doc_id, "source": "written_question", "source_id": doc_id,
        "source_url": f"https://questions-statements.parliament.uk/{doc_id}", "date": date_,
        "sentence": sentence or f"We will {action}.", "sentence_start": start, "sentence_end": start + 40,
        "action_start": start + 8, "kind": kind, "action": action, "owner": owner, "person": "Chloe Smith",
        "deadline": deadline, "deadline_text": deadline_text, "context": title,
    }


def report(doc_id, date_, event, action, *, owner=CO, event_date=None, partial=False, sentence=None,
           title="Elections: digital imprints", new_deadline=None):
    return {
        "id": f"r-{doc_id}", "document_id": doc_id, "source": "written_question", "source_id": doc_id,
        "source_url": f"https://questions-statements.parliament.uk/{doc_id}", "date": date_, "event": event,
        "action": action, "owner": owner, "event_date": event_date, "partial": partial,
        "sentence": sentence or f"Report: {action}.", "sentence_start": 0, "sentence_end": 30,
        "new_deadline": new_deadline, "new_deadline_text": None, "context": title,
    }


IMPRINTS = "implement a digital imprints regime for online election material"


def only(tracking):
    (commitment,) = tracking.commitments
    return commitment, [e for e in tracking.events if e["commitment_id"] == commitment["id"]]


# -- grouping --------------------------------------------------------------------------

def test_restatements_in_other_words_are_one_commitment():
    units = [Unit("a", CO, IMPRINTS, "2019-05-05"),
             Unit("b", CO, "bring in a digital imprint regime for online election material", "2020-01-01"),
             Unit("c", CO, "introduce the digital imprints regime for online election material", "2021-01-01")]
    assert [[u.id for u in g] for g in group(units)] == [["a", "b", "c"]]


def test_never_merged_across_unrelated_owners():
    units = [Unit("a", CO, IMPRINTS, "2019-05-05"), Unit("b", "Home Office", IMPRINTS, "2019-06-01"),
             Unit("c", None, IMPRINTS, "2019-06-01")]
    assert len(group(units)) == 3


def test_a_successor_department_continues_a_commitment_only_after_the_change():
    dcms, dsit = "Department for Digital, Culture, Media and Sport", "Department for Science, Innovation and Technology"
    action = "publish the online safety regulator's funding model"
    before = Unit("a", dcms, action, "2022-05-01")
    assert similarity(before, Unit("b", dsit, action, "2023-03-01")) == 1.0
    assert similarity(before, Unit("c", dsit, action, "2022-12-01")) == 0.0  # DSIT did not exist yet
    assert similarity(Unit("d", dsit, action, "2023-03-01"), Unit("e", dcms, action, "2023-06-01")) == 0.0


def test_generic_actions_group_only_when_their_subject_matches():
    report_a = Unit("a", CO, "publish the report in due course", "2021-01-01", "Electoral Register: Annual Canvass")
    report_b = Unit("b", CO, "publish the report", "2021-02-01", "Electoral Register: Annual Canvass Reform")
    report_c = Unit("c", CO, "publish the report", "2021-02-01", "Civil Service: Location of Posts")
    assert similarity(report_a, report_b) > 0.6
    assert similarity(report_a, report_c) == 0.0
    # different deeds on the same thing are different commitments
    assert similarity(Unit("d", CO, "launch a consultation on voter ID", "2021-01-01"),
                      Unit("e", CO, "respond to the consultation on voter ID", "2021-06-01")) == 0.0


def test_deed_phrases_read_as_one_deed():
    assert read_action("bring in digital imprints").verb == read_action("implement digital imprints").verb
    assert read_action("legislate to introduce the regime").object == {"regime"}
    assert read_action("launch the consultation on electoral integrity").verb == "consult"


# -- events and status ----------------------------------------------------------------

def test_the_imprints_story_made_in_progress_then_delivered():
    mentions = [mention("q1", "2019-05-05", IMPRINTS), mention("q2", "2020-03-01", IMPRINTS)]
    reports = [report("q3", "2021-07-05", "progress", "introduce the digital imprints regime for online election material",
                      sentence="The Elections Bill, introduced today, contains the digital imprints regime."),
               report("q4", "2023-11-10", "delivered", "implement the digital imprints regime for online election material",
                      event_date="2023-11-02", sentence="The digital imprints regime came into force on 2 November 2023.")]
    tracking = track(mentions, [], reports[:1], {}, [], AS_OF)
    commitment, events = only(tracking)
    assert [e["event"] for e in events] == ["made", "restated", "progress"]
    assert commitment["status"] == "in_progress" and "Elections Bill" in commitment["status_reason"]

    commitment, events = only(track(mentions, [], reports, {}, [], AS_OF))
    assert [e["event"] for e in events] == ["made", "restated", "progress", "delivered"]
    assert (commitment["status"], commitment["status_date"]) == ("delivered", "2023-11-02")
    delivered = events[-1]
    assert commitment["status_event_id"] == delivered["id"] and delivered["source_url"].endswith("/q4")
    assert "came into force on 2 November 2023" in commitment["status_reason"]
    assert (commitment["mention_count"], commitment["source_count"]) == (2, 4)


def test_delivery_needs_the_same_deed_not_just_the_same_subject():
    mentions = [mention("q1", "2019-05-05", "launch a consultation on electoral integrity")]
    wrong = report("q2", "2020-01-01", "delivered", "publish the response to the consultation on electoral integrity")
    right = report("q3", "2019-07-16", "delivered", "launch the consultation on electoral integrity")
    assert only(track(mentions, [], [wrong], {}, [], AS_OF))[0]["status"] != "delivered"
    commitment, _ = only(track(mentions, [], [right], {}, [], AS_OF))
    assert commitment["status"] == "delivered"


def test_a_deed_done_on_the_same_subject_is_progress_not_delivery():
    mentions = [mention("q1", "2019-05-05", IMPRINTS)]
    consultation = report("q2", "2020-08-12", "delivered",
                          "publish a technical consultation on the digital imprints regime for online election material")
    bill = report("q3", "2021-07-05", "delivered", "introduce legislation for the digital imprints regime")
    commitment, events = only(track(mentions, [], [consultation, bill], {}, [], AS_OF))
    assert [e["event"] for e in events] == ["made", "progress", "progress"]
    assert commitment["status"] == "in_progress"


def test_a_report_before_the_promise_or_by_another_owner_is_not_linked():
    mentions = [mention("q1", "2020-05-05", IMPRINTS)]
    early = report("q2", "2019-01-01", "delivered", IMPRINTS)
    other = report("q3", "2021-01-01", "delivered", IMPRINTS, owner="Home Office")
    _, events = only(track(mentions, [], [early, other], {}, [], AS_OF))
    assert [e["event"] for e in events] == ["made"]


def test_overdue_delayed_dropped_unclear_and_made():
    overdue = [mention("q1", "2020-01-01", "publish the review of electoral registration", deadline="2020-12-31",
                       deadline_text="by the end of 2020")]
    commitment, _ = only(track(overdue, [], [], {}, [], AS_OF))
    assert commitment["status"] == "overdue" and "2020-12-31" in commitment["status_reason"]
    assert "by the end of 2020" in commitment["status_reason"]
    assert only(track(overdue, [], [], {}, [], date(2020, 6, 1)))[0]["status"] == "made"

    moved = overdue + [mention("q2", "2020-11-01", "publish the review of electoral registration",
                               deadline="2025-03-31", deadline_text="by March 2025")]
    commitment, events = only(track(moved, [], [], {}, [], AS_OF))
    assert [e["event"] for e in events] == ["made", "delayed"] and commitment["status"] == "delayed"
    assert (commitment["deadline"], commitment["deadline_latest"]) == ("2020-12-31", "2025-03-31")

    dropped = [mention("q3", "2022-02-01", "publish the review of electoral registration", kind="negative",
                       sentence="The Government will not publish the review of electoral registration.")]
    commitment, events = only(track(moved, dropped, [], {}, [], AS_OF))
    assert commitment["status"] == "dropped" and events[-1]["event"] == "dropped"
    assert "will not publish" in commitment["status_reason"]

    old = [mention("q4", "2019-01-01", "keep the franchise under review", kind="ongoing")]
    commitment, _ = only(track(old, [], [], {}, [], AS_OF))
    assert commitment["status"] == "unclear" and "years before 2024-06-01" in commitment["status_reason"]
    commitment, _ = only(track(old, [], [], {}, [], date(2019, 6, 1)))
    assert commitment["status"] == "made"


def test_title_is_the_clearest_action():
    mentions = [mention("q1", "2019-05-05", "do it", start=0),
                mention("q2", "2019-06-05", IMPRINTS, start=0)]
    mentions[0]["action"] = "implement it"
    commitments = track(mentions, [], [], {}, [], AS_OF).commitments
    assert {c["title"] for c in commitments} >= {"Implement a digital imprints regime for online election material"}


# -- the store: stable ids, untouched rows ---------------------------------------------

def store_with(db_path, mentions):
    database = db.open_db(db_path)
    for m in mentions:
        database["documents"].upsert({"id": m["document_id"], "source": m["source"], "source_id": m["source_id"],
                                      "source_url": m["source_url"], "title": m["context"], "date": m["date"],
                                      "text": m["sentence"], "content_hash": m["document_id"]}, pk="id")
        database["mentions"].upsert({k: v for k, v in m.items() if k != "context"}, pk="id")
    return database


def test_ids_survive_an_earlier_mention_and_a_rerun_changes_nothing(db_path):
    database = store_with(db_path, [mention("q2", "2020-03-01", IMPRINTS),
                                    mention("q5", "2020-04-01", "publish the strategy on voter ID")])
    run_tracking(database, as_of=AS_OF)
    ids = {c["title"]: c["id"] for c in database["commitments"].rows}
    store_with(db_path, [mention("q1", "2019-05-05", "bring in a digital imprints regime for online election material")])
    assert run_tracking(database, as_of=AS_OF)["rows_changed"] > 0
    assert {c["title"]: c["id"] for c in database["commitments"].rows} == ids
    imprints = database["commitments"].get(ids["Implement a digital imprints regime for online election material"])
    assert imprints["first_made"] == "2019-05-05" and imprints["mention_count"] == 2

    before = {t: list(database[t].rows) for t in ("commitments", "commitment_events", "mentions")}
    assert run_tracking(database, as_of=AS_OF)["rows_changed"] == 0
    assert {t: list(database[t].rows) for t in before} == before


def test_a_new_document_touches_only_the_commitment_it_links_to(db_path):
    database = store_with(db_path, [mention("q1", "2019-05-05", IMPRINTS),
                                    mention("q5", "2020-04-01", "publish the strategy on voter ID")])
    run_tracking(database, as_of=AS_OF)
    before = {c["id"]: c for c in database["commitments"].rows}
    store_with(db_path, [mention("q6", "2021-04-01", "publish the strategy on voter ID", start=5)])
    run_tracking(database, as_of=AS_OF)
    after = {c["id"]: c for c in database["commitments"].rows}
    changed = [i for i in after if after[i] != before.get(i)]
    assert len(changed) == 1 and after[changed[0]]["mention_count"] == 2


def test_merged_ids_redirect(db_path):
    database = store_with(db_path, [mention("q1", "2019-05-05", "publish the report", title="Voter ID: pilots"),
                                    mention("q2", "2019-06-05", "publish the evaluation of the voter ID pilots",
                                            title="Voter ID: pilots evaluation")])
    run_tracking(database, as_of=AS_OF)
    assert database["commitments"].count == 2
    (generic,) = database.query("select id from commitments where title = 'Publish the report'")
    overrides = db_path.parent / "overrides.yaml"
    (specific,) = database.query("select id from commitments where title like '%evaluation%'")
    overrides.write_text(f"""
- action: merge
  into: {specific['id']}
  commitments: [{generic['id']}]
  reason: the report is the pilots' evaluation
  reviewer: A. Reviewer
  date: 2024-05-01
""")
    run_tracking(database, overrides, as_of=AS_OF)
    assert database["commitments"].count == 1
    assert db.resolve_commitment_id(database, generic["id"]) == specific["id"]
    shown = run_cli("status", generic["id"], db=db_path).stdout
    assert "evaluation of the voter ID pilots" in shown and "Review: merge by A. Reviewer" in shown


# -- the reviewed overrides file ---------------------------------------------------------

def test_overrides_retitle_set_status_split_and_unlink_and_survive_reruns(db_path):
    database = store_with(db_path, [mention("q1", "2019-05-05", IMPRINTS),
                                    mention("q2", "2020-03-01", IMPRINTS),
                                    mention("q3", "2020-05-01", IMPRINTS, start=50)])
    run_tracking(database, as_of=AS_OF)
    (commitment,) = database["commitments"].rows
    cid = commitment["id"]
    overrides = db_path.parent / "overrides.yaml"
    overrides.write_text(f"""
- action: retitle
  commitment: {cid}
  title: Require digital imprints on online election material
  reason: clearer
  reviewer: Researcher One
  date: 2024-05-01
- action: status
  commitment: {cid}
  status: delivered
  status_date: 2023-11-02
  source_url: https://www.legislation.gov.uk/uksi/2023/1091
  evidence: The regime came into force on 2 November 2023.
  reason: commencement regulations
  reviewer: Researcher One
  date: 2024-05-01
- action: split
  commitment: {cid}
  mentions: [q3-50]
  title: A different undertaking
  reason: about Northern Ireland only
  reviewer: Researcher Two
  date: 2024-05-02
- action: unlink
  commitment: {cid}
  mention: q2-0
  reason: the answer is about printed material
  reviewer: Researcher Two
  date: 2024-05-02
""")
    for _ in range(2):  # applied on every run, the same way
        run_tracking(database, overrides, as_of=AS_OF)
        main = database["commitments"].get(cid)
        assert main["title"] == "Require digital imprints on online election material"
        assert (main["status"], main["status_date"], main["reviewed"]) == ("delivered", "2023-11-02", 1)
        assert "Researcher One" in main["review"] and main["mention_count"] == 1
        split = [c for c in database["commitments"].rows if c["id"] != cid]
        assert [c["title"] for c in split] == ["A different undertaking"]
        assert database["mentions"].get("q2-0")["commitment_id"] is None
        reviewed = list(database.query("select * from commitment_events where event = 'reviewed'"))
        assert reviewed[0]["link"] == "reviewed" and reviewed[0]["reviewer"] == "Researcher One"
    exported = jsonl(run_cli("export", "commitments", db=db_path).stdout)
    main = next(c for c in exported if c["id"] == cid)
    assert main["reviewed"] == 1 and main["events"][-1]["link"] == "reviewed"


@pytest.mark.parametrize("text, line, says", [
    ("- action: retitle\n  commitment: X\n  title: T\n  reviewer: R\n  date: 2024-01-01\n", 1, "missing reason"),
    ("- action: retitle\n  commitment: X\n  title: T\n  reason: r\n  reviewer: R\n  date: 2024-01-01\n"
     "- action: status\n  commitment: X\n  status: done\n  reason: r\n  reviewer: R\n  date: 2024-01-01\n", 9,
     "'done' is not a status"),
    ("- action: merge\n  into: X\n  commitments: [Y]\n  reason: r\n  reviewer: R\n  date: last week\n", 6,
     "date must be a date"),
    ("- action: retitle\n  commitment: X\n  titel: T\n  reason: r\n  reviewer: R\n  date: 2024-01-01\n", 3,
     "unknown field titel"),
    ("- action: retitle\n  commitment: [unclosed\n", 3, "not valid YAML"),
    ("- action: retitle\n  commitment: nosuchid\n  title: T\n  reason: r\n  reviewer: R\n  date: 2024-01-01\n", 1,
     "no commitment 'nosuchid'"),
])
def test_a_malformed_overrides_file_names_the_line_and_changes_nothing(db_path, text, line, says):
    database = store_with(db_path, [mention("q1", "2019-05-05", IMPRINTS)])
    run_tracking(database, as_of=AS_OF)
    before = list(database["commitments"].rows)
    overrides = db_path.parent / "overrides.yaml"
    overrides.write_text(text)
    result = run_cli("track", "--as-of", "2024-06-01", db=db_path, check=False)
    assert result.returncode == 1
    assert f"overrides.yaml:{line}" in result.stderr and says in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert list(database["commitments"].rows) == before


# -- the commands ----------------------------------------------------------------------

def test_status_and_export_commitments(db_path):
    store_with(db_path, [mention("q1", "2019-05-05", IMPRINTS, deadline="2020-12-31", deadline_text="by 2020")])
    run_cli("track", "--as-of", "2024-06-01", db=db_path)
    (record,) = jsonl(run_cli("export", "commitments", db=db_path).stdout)
    assert list(record) == ["id", "title", "owner", "person", "kind", "status", "status_date", "status_reason",
                            "first_made", "deadline", "deadline_latest", "mention_count", "source_count",
                            "reviewed", "review", "events"]
    assert record["status"] == "overdue" and record["person"] == "Chloe Smith"
    assert record["events"][0]["event"] == "made" and record["events"][0]["source_url"].endswith("/q1")
    shown = run_cli("status", "digital imprints", db=db_path).stdout
    assert "OVERDUE" in shown and "2019-05-05" in shown and "/q1" in shown
    missing = run_cli("status", "no such thing", db=db_path, check=False)
    assert missing.returncode == 1 and "no commitment" in missing.stderr
    assert "overrides.yaml" in run_cli("--help").stdout
    json.dumps(record)  # plain JSON all the way down


@pytest.mark.parametrize("owned", [True, False], ids=["owned", "no owner"])
def test_a_report_is_scored_only_against_the_commitments_it_could_link_to(monkeypatch, owned):
    """Every commitment shares "strategy" with the report: scoring them all made linking
    quadratic (over 300 s at 100,000 mentions). An owned report is scored against its owner's
    commitments only; a paraphrase with no owner (it may link to any owner's) against those
    sharing two words with it, or its one particular word (most of 93 s at 10,000 mentions)."""
    import random

    import extract.timeline as timeline
    rng = random.Random(14)
    subjects = ["".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(4)) for _ in range(60)]
    owners = [f"Office of Example {n}" for n in range(6)]
    mentions = [mention(f"q{n}", "2020-01-01", f"publish the {subject} strategy", owner=owners[n % 6])
                for n, subject in enumerate(subjects)]
    done = report("r1", "2021-01-01", "delivered", f"publish the {subjects[9]} strategy",
                  owner=owners[3] if owned else None)
    scored = []

    def counted(commitment, unit, same_deed):
        scored.append(commitment.id)
        return original(commitment, unit, same_deed)
    original = timeline._link_score
    monkeypatch.setattr(timeline, "_link_score", counted)
    result = track(mentions, [], [done], {}, [], AS_OF)
    assert len(result.commitments) == 60
    delivered = [c for c in result.commitments if c["status"] == "delivered"]
    assert [c["action"] for c in delivered] == [f"publish the {subjects[9]} strategy"]
    # the owner's 10 commitments, once for delivery and once as a step; or the one sharing its word
    assert len(scored) <= (2 * 10 if owned else 2)


def test_a_report_by_a_successor_department_still_links():
    dcms, dsit = "Department for Digital, Culture, Media and Sport", "Department for Science, Innovation and Technology"
    action = "publish the online safety regulator's funding model"
    mentions = [mention("q1", "2022-05-01", action, owner=dcms)]
    commitment, _ = only(track(mentions, [], [report("q2", "2023-06-01", "delivered", action, owner=dsit)], {}, [], AS_OF))
    assert commitment["status"] == "delivered"
    commitment, _ = only(track(mentions, [], [report("q2", "2023-06-01", "delivered", action, owner=None)], {}, [], AS_OF))
    assert commitment["status"] == "delivered"


def test_grouping_looks_a_common_word_up_and_never_walks_its_groups():
    """A word in every object ("strategy") under every group: walking its list for each new
    mention made grouping quadratic. Groups under two of the words are still found."""
    from extract.grouping import _sharing

    class NeverWalked(set):
        def __iter__(self):
            raise AssertionError("the longest list was walked")

    index = {"strategy": NeverWalked(range(3, 1000)), "alpha": {1, 2}, "beta": {2, 5}}
    assert _sharing(["alpha", "beta", "strategy"], index, 2) == {2, 5}
    assert _sharing(["alpha", "strategy"], index, 2) == set()
    assert _sharing(["alpha"], index, 1) == {1, 2}
