"""What tracking reads from the store and writes back: mentions and reports in, commitments,
their events, the id memory and redirects out.

Writes touch only rows that changed, so a re-run on an unchanged store writes nothing and a
new document touches only the commitments it links to.
"""

import sqlite_utils

from common.kinds import TRACKED, sql_list
from db.rows import upsert_rows

_MENTION_COLUMNS = """m.id, m.document_id, m.source, m.source_id, m.source_url, m.date, m.sentence,
    m.sentence_start, m.sentence_end, m.action_start, m.kind, m.action, m.owner, m.person, m.deadline, m.deadline_text,
    d.title as context"""


def tracked_mentions(db: sqlite_utils.Database) -> list[dict]:
    """Every mention that tracking groups into commitments, with its document's title."""
    return list(db.query(
        f"select {_MENTION_COLUMNS} from mentions m left join documents d on d.id = m.document_id "
        f"where m.kind in {sql_list(TRACKED)} order by m.date, m.id"))


def negative_mentions(db: sqlite_utils.Database) -> list[dict]:
    """Mentions that say a deed will not be done: evidence that a commitment was dropped."""
    return list(db.query(
        f"select {_MENTION_COLUMNS} from mentions m left join documents d on d.id = m.document_id "
        "where m.kind = 'negative' order by m.date, m.id"))


def reports(db: sqlite_utils.Database) -> list[dict]:
    """Sentences reporting a deed done, under way, put back or abandoned (none before the
    extractor that finds them has run)."""
    if not db["reports"].exists():
        return []
    return list(db.query(
        "select r.*, d.title as context from reports r left join documents d on d.id = r.document_id "
        "order by r.date, r.id"))


def commitment_id_memory(db: sqlite_utils.Database) -> dict[str, str]:
    """Last run's automatic commitment id of each mention key (document and sentence)."""
    return {r["mention_key"]: r["commitment_id"] for r in db["commitment_ids"].rows}


def _sync(db: sqlite_utils.Database, table: str, rows: list[dict], pk: str) -> int:
    """Make `table` hold exactly `rows`; returns how many rows were written or deleted."""
    existing = {r[pk]: r for r in db[table].rows}
    wanted = {r[pk]: r for r in rows}
    stale = [key for key in existing if key not in wanted]
    changed = [r for key, r in wanted.items() if existing.get(key) != r]
    # One statement for all the deletions: the write lock is held for as short a time as can be.
    db.conn.executemany(f"delete from [{table}] where [{pk}] = ?", [(key,) for key in stale])
    # Every column any row has (events of different kinds carry different ones); plain values, not
    # sqlite-utils' upsert_all, whose per-value conversions were half of a whole run's writing.
    upsert_rows(db, table, changed, pk, names=dict.fromkeys(c for r in changed for c in r))
    return len(stale) + len(changed)


def save_tracking(db: sqlite_utils.Database, commitments: list[dict], events: list[dict],
                  assignment: dict[str, str], memory: dict[str, str], redirects: dict[str, str],
                  as_of: str) -> int:
    """Write what tracking derived, in one transaction; returns the number of commitment
    and event rows written or deleted."""
    with db.atomic():  # not `with db.conn`: sqlite-utils would commit each statement on its own
        touched = _sync(db, "commitments", commitments, "id")
        touched += _sync(db, "commitment_events", events, "id")
        moved = [(assignment.get(m["id"]), m["id"]) for m in db.query("select id, commitment_id from mentions")
                 if m["commitment_id"] != assignment.get(m["id"])]
        db.conn.executemany("update mentions set commitment_id = ? where id = ?", moved)
        _sync(db, "commitment_ids", [{"mention_key": k, "commitment_id": v} for k, v in memory.items()],
              "mention_key")
        current = {c["id"] for c in commitments}
        known = {r["old_id"]: r for r in db["commitment_redirects"].rows}
        for old_id, new_id in redirects.items():
            if old_id not in current and (old_id not in known or known[old_id]["new_id"] != new_id):
                db["commitment_redirects"].upsert({"old_id": old_id, "new_id": new_id, "since": as_of},
                                                  pk="old_id")
        for old_id in set(known) & current:
            db["commitment_redirects"].delete(old_id)  # an id back in use redirects no more
    return touched


def resolve_commitment_id(db: sqlite_utils.Database, commitment_id: str) -> str | None:
    """The current id of a commitment, following redirects left by merges."""
    seen = set()
    while commitment_id not in seen:
        seen.add(commitment_id)
        if db["commitments"].count_where("id = ?", [commitment_id]):
            return commitment_id
        row = next(db.query("select new_id from commitment_redirects where old_id = ?", [commitment_id]), None)
        if row is None:
            return None
        commitment_id = row["new_id"]
    return None


def commitment_timeline(db: sqlite_utils.Database, commitment_id: str) -> tuple[dict, list[dict]] | None:
    commitment_id = resolve_commitment_id(db, commitment_id)
    if commitment_id is None:
        return None
    commitment = db["commitments"].get(commitment_id)
    events = list(db.query("select * from commitment_events where commitment_id = ? order by date, id",
                           [commitment_id]))
    return commitment, events


def find_commitments(db: sqlite_utils.Database, words: str, limit: int = 20) -> list[dict]:
    """Commitments whose title, action or owner contain every word (case-insensitive)."""
    clauses, params = [], []
    for word in words.split():
        clauses.append("(title like ? or action like ? or owner like ?)")
        params += [f"%{word}%"] * 3
    if not clauses:
        return []
    return list(db.query(
        f"select * from commitments where {' and '.join(clauses)} order by first_made, id limit ?",
        [*params, limit]))


def commitments_for_export(db: sqlite_utils.Database) -> list[dict]:
    """Every commitment, oldest first, with its events."""
    events: dict[str, list[dict]] = {}
    for event in db.query("select * from commitment_events order by date, id"):
        events.setdefault(event["commitment_id"], []).append(event)
    rows = list(db.query("select * from commitments order by first_made, id"))
    for row in rows:
        row["events"] = events.get(row["id"], [])
    return rows
