"""What an incremental tracking run reads and writes (extract/incremental.py): the changes
waiting since the last run, the last run's state, and index look-ups by object word over
grouped mentions (unit_stems, tracking_units) and over reports and negative mentions
(row_stems). Every read is an index look-up or a read of named rows, never the whole store.
"""

import json
from collections.abc import Iterable

import sqlite_utils

from common.kinds import TRACKED, sql_list
from db.rows import upsert_rows
from db.tracking import _MENTION_COLUMNS

CHUNK = 500  # ids per `in (...)` list, well under SQLite's variable limit


def _chunks(values: Iterable) -> Iterable[list]:
    values = list(values)
    for start in range(0, len(values), CHUNK):
        yield values[start:start + CHUNK]


def _marks(values: list) -> str:
    return ",".join("?" * len(values))


def _owner_clause(column: str, owners) -> tuple[str, list]:
    """`column` is one of `owners` (None among them: or null); no clause when owners is None."""
    if owners is None:
        return "", []
    named = [o for o in owners if o is not None]
    parts = [f"{column} in ({_marks(named)})"] if named else []
    if None in owners:
        parts.append(f"{column} is null")
    return " and (" + (" or ".join(parts) or "0") + ")", named


class TrackingStore:
    def __init__(self, db: sqlite_utils.Database):
        self.db = db
        self.conn = db.conn

    def _rows(self, sql: str, params: list = ()) -> list[dict]:
        return [dict(r) for r in self.db.query(sql, params)]

    def _column(self, sql: str, params: list = ()) -> list:
        return [r[0] for r in self.conn.execute(sql, params)]

    # -- what changed, what the last run was
    def state(self) -> dict:
        return {r["key"]: json.loads(r["value"]) for r in self.db.query("select key, value from tracking_state")}

    def changes(self) -> tuple[int, list[tuple[str, str, str]]]:
        """(the last change's number, every change waiting: (item, id, change))."""
        rows = self.conn.execute("select seq, item, item_id, change from tracking_changes order by seq").fetchall()
        return (rows[-1][0] if rows else 0), [(item, item_id, change) for _, item, item_id, change in rows]

    def indexed(self, mention_ids: list[str], row_ids: list[str]) -> bool:
        """Whether any of these ids is already indexed: inserted again in place of an older row."""
        for chunk in _chunks(mention_ids):
            if self._column(f"select 1 from tracking_units where mention_id in ({_marks(chunk)}) limit 1", chunk):
                return True
        for chunk in _chunks(row_ids):
            if self._column(f"select 1 from row_stems where row_id in ({_marks(chunk)}) limit 1", chunk):
                return True
        return False

    # -- rows by id
    def mentions_by_id(self, ids: Iterable[str], kinds: str) -> list[dict]:
        found = []
        for chunk in _chunks(ids):
            found += self._rows(f"select {_MENTION_COLUMNS} from mentions m left join documents d on d.id = m.document_id "
                                f"where m.id in ({_marks(chunk)}) and m.kind in {kinds} order by m.date, m.id", chunk)
        return found

    def tracked_by_id(self, ids) -> list[dict]:
        return self.mentions_by_id(ids, sql_list(TRACKED))

    def negatives_by_id(self, ids) -> list[dict]:
        return self.mentions_by_id(ids, "('negative')")

    def reports_by_id(self, ids) -> list[dict]:
        found = []
        if not self.db["reports"].exists():
            return found
        for chunk in _chunks(ids):
            found += self._rows("select r.*, d.title as context from reports r left join documents d on "
                                f"d.id = r.document_id where r.id in ({_marks(chunk)}) order by r.date, r.id", chunk)
        return found

    # -- automatic groups, by object word (grouping's look-up)
    def group_size(self, key: str) -> int:
        return self.conn.execute("select count(*) from unit_stems where stem = ?", [key]).fetchone()[0]

    def groups_having(self, key: str) -> set[str]:
        return set(self._column("select group_id from unit_stems where stem = ?", [key]))

    def groups_holding(self, key: str, group_ids: Iterable[str]) -> set[str]:
        """Those of `group_ids` with a member keyed `key` (a query for each CHUNK of them, not one a group)."""
        return self._among("unit_stems", "group_id", key, group_ids)

    def _among(self, table: str, column: str, stem: str, ids: Iterable[str]) -> set[str]:
        found = set()
        for chunk in _chunks(ids):
            found.update(self._column(f"select distinct {column} from {table} where stem = ? and {column} in "
                                      f"({_marks(chunk)})", [stem, *chunk]))
        return found

    def groups_single(self, key: str) -> set[str]:
        return set(self._column("select group_id from unit_stems where stem = ? and single = 1", [key]))

    def groups_single_by(self, key: str, owners) -> set[str]:
        """Groups with a member whose one key is `key`, and a member by one of `owners`."""
        clause, named = _owner_clause("t.owner", owners)
        return set(self._column("select distinct s.group_id from unit_stems s where s.stem = ? and s.single = 1 "
                                "and exists (select 1 from tracking_units t where t.group_id = s.group_id"
                                f"{clause})", [key, *named]))

    def groups_by(self, group_ids: Iterable[str], owners) -> set[str]:
        """Those of `group_ids` with a member by one of `owners` (canonical)."""
        return self._units_among("group_id", group_ids, owners)

    def _units_among(self, column: str, keys: Iterable[str], owners, also: str = "") -> set[str]:
        """Those of `keys` (values of `column`) with a grouped member by one of `owners` (and `also`)."""
        found = set()
        clause, named = _owner_clause("owner", owners)
        for chunk in _chunks(keys):
            found.update(self._column(f"select distinct {column} from tracking_units where {also}{column} in "
                                      f"({_marks(chunk)}){clause}", chunk + named))
        return found

    def group_members(self, group_ids: Iterable[str]) -> list[tuple[dict, str]]:
        """(mention row, its group) for every grouped mention of `group_ids`."""
        found = []
        for chunk in _chunks(group_ids):
            found += [(row, row.pop("group_id")) for row in self._rows(
                f"select {_MENTION_COLUMNS}, t.group_id from tracking_units t join mentions m on m.id = t.mention_id "
                f"left join documents d on d.id = m.document_id where t.group_id in ({_marks(chunk)})", chunk)]
        return found

    def group_id_taken(self, group_id: str) -> bool:
        return bool(self._column("select 1 from tracking_units where group_id = ? limit 1", [group_id]))

    # -- commitments, by object word (linking's look-up: see extract/timeline.py link_candidates)
    def size(self, stem: str, owners) -> int:
        clause, named = _owner_clause("owner", owners)
        return self.conn.execute(f"select count(*) from unit_stems where stem = ?{clause}", [stem, *named]).fetchone()[0]

    def having(self, stem: str, owners) -> set[str]:
        clause, named = _owner_clause("owner", owners)
        return set(self._column(f"select commitment_id from unit_stems where stem = ?{clause}", [stem, *named]))

    def holds(self, stem: str, owners, commitment_id: str) -> bool:
        clause, named = _owner_clause("owner", owners)
        return bool(self._column(f"select 1 from unit_stems where stem = ? and commitment_id = ?{clause} limit 1",
                                 [stem, commitment_id, *named]))

    def alone(self, stem: str, owners) -> set[str]:
        clause, named = _owner_clause("owner", owners)
        return set(self._column(f"select commitment_id from unit_stems where stem = ? and alone = 1{clause}",
                                [stem, *named]))

    def generic_sharing(self, stems, owners) -> set[str]:
        """Commitments with an all-generic member by one of `owners`, a member of which (by any
        owner) has one of `stems`."""
        stems = list(stems)
        clause, named = _owner_clause("t.owner", owners)
        return set(self._column(
            f"select distinct t.commitment_id from tracking_units t where t.generic = 1{clause} and exists "
            f"(select 1 from unit_stems s where s.commitment_id = t.commitment_id and s.stem in ({_marks(stems)}))",
            [*named, *stems]))

    def sharing_any(self, stems, keys) -> set[str]:
        """Those of `keys` a member of which (by any owner) has one of `stems`."""
        found, stems = set(), list(stems)
        for chunk in _chunks(keys):
            found.update(self._column(f"select distinct commitment_id from unit_stems where stem in ({_marks(stems)}) "
                                      f"and commitment_id in ({_marks(chunk)})", stems + chunk))
        return found

    def generic_among(self, keys, owners) -> set[str]:
        """Those of `keys` with an all-generic member by one of `owners`."""
        return self._units_among("commitment_id", keys, owners, also="generic = 1 and ")

    def generic(self, owners) -> set[str]:
        clause, named = _owner_clause("owner", owners)
        return set(self._column(f"select distinct commitment_id from tracking_units where generic = 1{clause}", named))

    def commitments(self, ids: Iterable[str]) -> dict[str, tuple[str, list[dict]]]:
        """id -> (its rank in the tracker's order, its mentions)."""
        found: dict[str, tuple[str, list[dict]]] = {}
        for chunk in _chunks(ids):
            ranks = dict(self.conn.execute(
                f"select commitment_id, rank from tracking_order where commitment_id in ({_marks(chunk)})", chunk))
            members: dict[str, list[dict]] = {}
            for row in self._rows(f"select {_MENTION_COLUMNS}, m.commitment_id as commitment from mentions m "
                                  f"left join documents d on d.id = m.document_id where m.commitment_id in "
                                  f"({_marks(chunk)})", chunk):
                members.setdefault(row.pop("commitment"), []).append(row)
            found.update({i: (ranks[i], members[i]) for i in chunk if i in members and i in ranks})
        return found

    # -- reports and negative mentions, by object word (what a commitment's new member may change)
    def rows_size(self, stem: str) -> int:
        return self.conn.execute("select count(*) from row_stems where stem = ?", [stem]).fetchone()[0]

    def rows_having(self, stem: str) -> set[str]:
        return set(self._column("select row_id from row_stems where stem = ?", [stem]))

    def rows_holding(self, stem: str, row_ids: Iterable[str]) -> set[str]:
        """Those of `row_ids` that report `stem`."""
        return self._among("row_stems", "row_id", stem, row_ids)

    def rows_alone(self, stem: str, owners) -> set[str]:
        clause, named = _owner_clause("owner", owners)
        return set(self._column(f"select row_id from row_stems where stem = ? and words = 1{clause}", [stem, *named]))

    def rows_particular(self, stem: str) -> set[str]:
        return set(self._column("select row_id from row_stems where particular = ?", [stem]))

    def rows_generic(self, stem: str, owners) -> set[str]:
        clause, named = _owner_clause("owner", owners)
        return set(self._column(f"select row_id from row_stems where stem = ? and generic = 1{clause}", [stem, *named]))

    def row_items(self, row_ids: Iterable[str]) -> dict[str, str]:
        found = {}
        for chunk in _chunks(row_ids):
            found.update(self.conn.execute(f"select distinct row_id, item from row_stems where row_id in ({_marks(chunk)})",
                                           chunk))
        return found

    # -- stored commitments and events
    def link_events_of_commitments(self, ids: Iterable[str]) -> list[dict]:
        """Events of `ids` that link a report or a negative mention."""
        found = []
        for chunk in _chunks(ids):
            found += self._rows(f"select * from commitment_events where commitment_id in ({_marks(chunk)}) and "
                                "link = 'automatic' and (report_id is not null or event = 'dropped')", chunk)
        return found

    def link_events_of_rows(self, report_ids: Iterable[str], negative_ids: Iterable[str]) -> list[dict]:
        found = []
        for chunk in _chunks(report_ids):
            found += self._rows(f"select * from commitment_events where report_id in ({_marks(chunk)})", chunk)
        for chunk in _chunks(negative_ids):
            found += self._rows(f"select * from commitment_events where mention_id in ({_marks(chunk)}) "
                                "and event = 'dropped'", chunk)
        return found

    def stored_commitments(self, ids: Iterable[str]) -> dict[str, tuple[dict, list[dict]]]:
        """id -> (its row, its events in order)."""
        found = {}
        for chunk in _chunks(ids):
            rows = {r["id"]: (r, []) for r in self._rows(f"select * from commitments where id in ({_marks(chunk)})", chunk)}
            for event in self._rows(f"select * from commitment_events where commitment_id in ({_marks(chunk)}) "
                                    "order by commitment_id, sequence", chunk):
                rows[event["commitment_id"]][1].append(event)
            found.update(rows)
        return found

    def status_may_change(self, before: str, after: str, unclear_days: int) -> set[str]:
        """Commitments whose derived status (or its explanation) may differ as of `after` from
        as of `before` (ISO dates; extract/status.py): an event dated between the two, a
        deadline passed between them, a last event crossing `unclear_days` before, or unclear
        now (its explanation counts the years)."""
        from datetime import date, timedelta

        low, high = sorted((before, after))
        crossing = [(date.fromisoformat(d) - timedelta(days=unclear_days + k)).isoformat()
                    for d, k in ((low, 1), (high, -1))]
        return set(self._column(
            "select commitment_id from commitment_events where date > ? and date <= ? "
            "union select commitment_id from commitment_events where deadline >= ? and deadline < ? "
            "union select commitment_id from commitment_events where date >= ? and date <= ? "
            "union select id from commitments where status = 'unclear'",
            [low, high, low, high, *crossing]))


KEYS = {"commitments": ["id"], "commitment_events": ["id"], "commitment_ids": ["mention_key"],
        "tracking_units": ["mention_id"], "unit_stems": ["stem", "mention_id"], "row_stems": ["stem", "row_id"],
        "tracking_order": ["commitment_id"], "tracking_state": ["key"]}


def _replace(db: sqlite_utils.Database, table: str, rows: list[dict]) -> None:
    """Insert or update `rows` in place, by the table's KEYS."""
    upsert_rows(db, table, rows, tuple(KEYS[table]))


def _indexes_aside(db: sqlite_utils.Database, tables) -> list[str]:
    """Drop the secondary indexes of `tables` (emptied) and return the statements that make them
    again. A whole run writes every row: an index built once over the rows is a sort, where
    rows inserted one by one into a dozen indexes were page look-ups growing with the store
    (the largest part of a whole run's writing at 40,000 mentions)."""
    found = db.conn.execute(f"select name, sql from sqlite_master where type = 'index' and sql is not null "
                            f"and tbl_name in ({_marks(tables)}) order by name", list(tables)).fetchall()
    for name, _ in found:
        db.conn.execute(f"drop index [{name}]")
    return [sql for _, sql in found]


def save_index(db: sqlite_utils.Database, units: list[dict], stems: list[dict], row_stems: list[dict],
               order: dict[str, str], state: dict, last_change: int, whole: bool) -> None:
    """Write tracking's index and state (within the caller's transaction): `whole` replaces
    what was there (a full run), else the rows are added. Changes up to `last_change` are done."""
    aside = []
    if whole:
        for table in ("tracking_units", "unit_stems", "row_stems", "tracking_order"):
            db.conn.execute(f"delete from [{table}]")
        aside = _indexes_aside(db, ("tracking_units", "unit_stems", "row_stems"))
    _replace(db, "tracking_units", units)
    _replace(db, "unit_stems", stems)
    _replace(db, "row_stems", row_stems)
    for sql in aside:
        db.conn.execute(sql)
    _replace(db, "tracking_order", [{"commitment_id": k, "rank": v} for k, v in order.items()])
    _replace(db, "tracking_state", [{"key": k, "value": json.dumps(v)} for k, v in state.items()])
    db.conn.execute("delete from tracking_changes where seq <= ?", [last_change])


def save_increment(db: sqlite_utils.Database, commitments: list[dict], events: dict[str, list[dict]],
                   assignment: dict[str, str], memory: dict[str, str], checked: str) -> int:
    """Write what an incremental run changed (within the caller's transaction): the rows of the
    commitments it touched, all their events (`events` by commitment), the commitment of each
    new mention and its key's memory, and every commitment's as-of date (`checked`). Returns
    the number of commitment and event rows written or deleted."""
    touched = db.execute("update commitments set checked = ? where checked is not ?", [checked, checked]).rowcount
    for commitment_id, timeline in events.items():
        stored = {r["id"]: r for r in db.query("select * from commitment_events where commitment_id = ?",
                                               [commitment_id])}
        wanted = {e["id"]: e for e in timeline}
        stale = [key for key in stored if key not in wanted]
        db.conn.executemany("delete from commitment_events where id = ?", [(k,) for k in stale])
        changed = [e for key, e in wanted.items() if stored.get(key) != e]
        _replace(db, "commitment_events", changed)
        touched += len(stale) + len(changed)
    changed_rows, status_rows = [], []
    for chunk in _chunks(commitments):
        stored = {r["id"]: r for r in db.query(f"select * from commitments where id in ({_marks(chunk)})",
                                                [r["id"] for r in chunk])}
        for row in chunk:
            old = stored.get(row["id"])
            if old is None or any(old[c] != row[c] for c in ("title", "action", "owner", "person")):
                changed_rows.append(row)
            elif old != row:
                status_rows.append(row)  # what its events say changed, not its words: no re-indexing
    _replace(db, "commitments", changed_rows)
    if status_rows:
        columns = [c for c in status_rows[0] if c not in ("id", "title", "action", "owner", "person")]
        db.conn.executemany(f"update commitments set {', '.join(f'[{c}] = ?' for c in columns)} where id = ?",
                            [[r[c] for c in columns] + [r["id"]] for r in status_rows])
    touched += len(changed_rows) + len(status_rows)
    db.conn.executemany("update mentions set commitment_id = ? where id = ?",
                        [(c, m) for m, c in assignment.items()])
    _replace(db, "commitment_ids", [{"mention_key": k, "commitment_id": v} for k, v in memory.items()])
    return touched
