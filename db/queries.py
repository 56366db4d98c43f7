"""What the publishing side and the CLI read from the store."""

import json
from collections.abc import Iterator

import sqlite_utils

from common.kinds import TRACKABLE, sql_list


def commitments_with_mentions(db: sqlite_utils.Database) -> list[dict]:
    """Every commitment, oldest first, each with its mentions (and their document titles) in date
    order and its events in timeline order."""
    commitments = list(db.query("select * from commitments order by first_made, id"))
    by_commitment: dict[str, list[dict]] = {}
    for mention in db.query(
        """select m.*, d.title as document_title from mentions m join documents d on d.id = m.document_id
           where m.commitment_id is not null order by m.date, m.id"""
    ):
        by_commitment.setdefault(mention["commitment_id"], []).append(mention)
    events: dict[str, list[dict]] = {}
    for event in db.query(
        """select e.*, d.title as document_title from commitment_events e
           left join documents d on d.id = e.document_id order by e.commitment_id, e.sequence"""
    ):
        events.setdefault(event["commitment_id"], []).append(event)
    for commitment in commitments:
        commitment["mentions"] = by_commitment.get(commitment["id"], [])
        commitment["events"] = events.get(commitment["id"], [])
    return commitments


def table_counts(db: sqlite_utils.Database, *tables: str) -> dict[str, int]:
    return {table: db[table].count for table in tables}


def mentions(db: sqlite_utils.Database, kinds: tuple[str, ...] = ()) -> Iterator[dict]:
    """Mentions in document order, optionally of some kinds only."""
    where, params = "", []
    if kinds:
        where = f"where kind in ({','.join('?' for _ in kinds)})"
        params = list(kinds)
    yield from db.query(f"select * from mentions {where} order by date, document_id, sentence_start", params)


def earliest_trackable_commitments(db: sqlite_utils.Database, limit: int) -> list[dict]:
    return list(db.query(
        f"select owner, title, action, first_made, mention_count from commitments where kind in {sql_list(TRACKABLE)} "
        "order by first_made limit ?", [limit]))


def answering_bodies(db: sqlite_utils.Database) -> list[dict]:
    """The answering bodies seen in the store, by name: their API id (what `--answering-body`
    takes), former names, and how many written questions and statements each answered."""
    tables = set(db.table_names())
    if not {"bodies", "written_questions", "written_statements"} <= tables:
        return []  # a store from before these tables: nothing crawled to list
    rows = db.query(
        """with counts as (
               select answering_body_id as id, count(*) as questions, 0 as statements
               from written_questions where answering_body_id is not null group by answering_body_id
               union all
               select answering_body_id, 0, count(*)
               from written_statements where answering_body_id is not null group by answering_body_id),
           ids as (select id from bodies union select id from counts)
           select ids.id, b.name, b.aliases,
                  coalesce(sum(c.questions), 0) as written_questions,
                  coalesce(sum(c.statements), 0) as written_statements
           from ids left join bodies b on b.id = ids.id left join counts c on c.id = ids.id
           group by ids.id order by b.name is null, b.name collate nocase, ids.id""")
    return [{**row, "aliases": json.loads(row["aliases"] or "[]")} for row in rows]


def press_context(db: sqlite_utils.Database) -> tuple[set[str], list[str], list[str]]:
    """What the press spider needs to know from the store: (every address an article was
    reached by, answering ministers' names, trackable commitment actions)."""
    tables = set(db.table_names())
    seen: set[str] = set()
    if "articles" in tables:
        for row in db.query("select url, fetched_url, aliases from articles"):
            seen |= {row["url"], row["fetched_url"], *json.loads(row["aliases"] or "[]")}
    ministers = [r["name"] for r in db.query(
        "select distinct m.name from members m join written_questions q on q.answering_member_id = m.id")] \
        if {"members", "written_questions"} <= tables else []
    actions = [r["action"] for r in db.query(f"select action from commitments where kind in {sql_list(TRACKABLE)}")] \
        if "commitments" in tables else []
    return seen - {None}, ministers, actions


def site_documents(db: sqlite_utils.Database) -> dict[str, dict]:
    """Each document the commitments cite, by id, with what a citation of it needs: its source,
    title, date, house, speaker and body, and for Parliament's written answers and statements
    their UIN and the answering member's name (a follow-up question cites them)."""
    tables = set(db.table_names())
    questions = "written_questions" in tables and "members" in tables
    statements = "written_statements" in tables
    rows = db.query(
        f"""select d.id, d.source, d.source_id, d.source_url, d.title, d.date, d.house, d.person, d.body, d.role,
                   {'q.uin as question_uin, q.house as question_house, q.date_answered, am.name as answering_member,'
                    if questions else 'null as question_uin, null as question_house, null as date_answered, null as answering_member,'}
                   {'s.uin as statement_uin, s.member_role' if statements else 'null as statement_uin, null as member_role'}
            from documents d
            {'''left join written_questions q on d.source = 'written_question' and q.id = cast(d.source_id as integer)
                left join members am on am.id = q.answering_member_id''' if questions else ''}
            {'''left join written_statements s on d.source = 'written_statement'
                 and s.id = cast(d.source_id as integer)''' if statements else ''}
            where d.id in (select document_id from commitment_events union select document_id from mentions
                           where commitment_id is not null)""")
    return {row["id"]: row for row in rows}


def data_updated(db: sqlite_utils.Database) -> str | None:
    """When the store last took in data: the last finished crawl's end (ISO date), or None."""
    if "crawl_runs" not in db.table_names():
        return None
    row = next(db.query("select max(finished) as finished from crawl_runs where status = 'finished'"), None)
    return row["finished"][:10] if row and row["finished"] else None


def commitment_redirects(db: sqlite_utils.Database) -> dict[str, str]:
    """Old commitment ids (merged away) and the id each now lives at."""
    if "commitment_redirects" not in db.table_names():
        return {}
    return {row["old_id"]: row["new_id"] for row in db.query("select old_id, new_id from commitment_redirects")}
