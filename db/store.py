"""Idempotent writes: every source record, every rejection, through one function each.

Records are plain dicts with a `record_type` (what the spiders yield, and what
`commitments load FILE.jsonl` reads), so storage is tested without a crawl.
"""

import hashlib
import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

import sqlite_utils

from common.dates import now_iso
from common.text import html_to_text
from db import rows
from db.committees import COMMITTEE_SAVERS
from db.documents import encode_json, save_document
from db.govuk import GOVUK_SAVERS
from db.hansard import HANSARD_SAVERS
from db.press import PRESS_SAVERS


class RecordError(ValueError):
    """A record that cannot be stored: the caller logs it as a rejection."""


# What storing one bad record raises; anything else (a busy store) ends the batch.
STORE_ERRORS = (RecordError, KeyError, TypeError, ValueError, AttributeError, sqlite3.DatabaseError)


def save_records(db: sqlite_utils.Database, records: Iterable[dict]) -> dict[str, int]:
    """Store a batch in one transaction; a record that cannot be stored becomes a rejection.

    Returns counts: {"stored": n, "rejected": n}.
    """
    records = list(records)
    # atomic(), not `with db.conn` (sqlite-utils commits each statement of its own).
    with db.atomic():
        # Most batches store whole: first the batch at once, in one savepoint. Only when a
        # record fails is the batch undone and saved again record by record, each in its
        # own savepoint, so a refused record leaves none of its rows behind and the
        # records around it are stored.
        try:
            with db.atomic(), rows.batch(db):
                # The batch's members read in one statement: most are stored already, as they are.
                rows.prefetch(db, "members", _members_named(records))
                for record in records:
                    if not isinstance(record, dict) or record.get("record_type") not in _LEAVES_DEFERRED_ALONE:
                        rows.flush(db)  # other savers may read what the batch wrote so far
                    _save_one(db, record)
            return {"stored": len(records), "rejected": 0}
        except STORE_ERRORS:
            pass
        counts = {"stored": 0, "rejected": 0}
        for record in records:
            try:
                with db.atomic():
                    _save_one(db, record)
                counts["stored"] += 1
            # A record the database refuses (a text where an integer key belongs) is
            # rejected on its own: the records around it are still stored.
            except STORE_ERRORS as exc:
                save_rejection(
                    db,
                    source=str(record.get("record_type", "unknown")) if isinstance(record, dict) else "unknown",
                    url=record.get("api_url") if isinstance(record, dict) else None,
                    record_id=record.get("id") if isinstance(record, dict) else None,
                    reason=f"cannot store record: {exc!r}",
                    excerpt=json.dumps(record, default=str)[:500],
                )
                counts["rejected"] += 1
    return counts


def _save_one(db, record: dict) -> None:
    kind = record.get("record_type")
    saver = _SAVERS.get(kind)
    if saver is None:
        raise RecordError(f"unknown record_type {kind!r}")
    if kind != "rejection" and record.get("id", record.get("url")) in (None, ""):
        raise RecordError("record has no id")
    saver(db, record)


def save_rejection(db, *, source: str, url: str | None, record_id=None, reason: str, excerpt: str = "") -> None:
    """Log a record or page that could not be parsed. The same failure is stored once."""
    key = "|".join(str(part) for part in (source, url, record_id, reason))
    db["rejections"].insert(
        {
            "id": hashlib.sha1(key.encode()).hexdigest()[:16],
            "source": source,
            "url": url,
            "record_id": None if record_id is None else str(record_id),
            "reason": reason,
            "excerpt": (excerpt or "")[:1000],
            "first_seen": now_iso(),
        },
        ignore=True,
    )


def _rejection_record(db, record: dict) -> None:
    save_rejection(
        db,
        source=record["source"],
        url=record.get("url"),
        record_id=record.get("record_id"),
        reason=record["reason"],
        excerpt=record.get("excerpt", ""),
    )


def save_member(db, member: dict | None) -> int | None:
    if not member or member.get("id") is None:
        return None
    rows.upsert(
        db,
        "members",
        {
            "id": member["id"],
            "name": member.get("name"),
            "list_as": member.get("listAs"),
            "party": member.get("party"),
            "party_abbreviation": member.get("partyAbbreviation"),
            "party_colour": member.get("partyColour"),
            "member_from": member.get("memberFrom"),
            "thumbnail_url": member.get("thumbnailUrl"),
        },
        once=True,  # many records of a batch name the same member, mostly one already stored
    )
    return member["id"]


def save_body(db, body_id: int | None, name: str | None) -> None:
    if body_id is None or not name:
        return
    # A body is named by most records of a batch: once it is stored under this name, the
    # same name again changes nothing (another name in between does, and is remembered).
    if rows.same_as_last_in_batch(db, ("body name", body_id), name):
        return
    existing = rows.get(db, "bodies", body_id)
    aliases = set(json.loads(existing["aliases"] or "[]")) if existing else set()
    # A renamed department keeps its id: the old names stay as aliases.
    if existing and existing["name"] != name:
        aliases.add(existing["name"])
    row = {"id": body_id, "name": name, "aliases": json.dumps(sorted(aliases))}
    if existing is None or any(existing[column] != value for column, value in row.items()):
        rows.upsert(db, "bodies", row)  # most records name a body already stored as it is


def _full_text_kept(db, table: str, row_id, text_column: str, incoming: dict, flag: str) -> dict | None:
    """The stored row, when a cut text would overwrite the full text stored by an earlier run."""
    if not incoming.get(flag):
        return None
    stored = rows.get(db, table, row_id)
    if not stored or stored[flag]:
        return None
    prefix = (incoming.get(text_column) or "").rstrip(".").rstrip()
    kept = bool(stored[text_column]) and html_to_text(stored[text_column]).startswith(html_to_text(prefix)[:100])
    return stored if kept else None


@dataclass(frozen=True)
class ParliamentRecord:
    """How a Parliament API record is stored: its table, its text and cut flag, its
    members, and which of its fields make its `documents` row."""

    table: str
    text: str
    cut_flag: str
    members: dict  # record field holding a member object -> the column for its id
    title: str
    date: str
    member: str  # the record field of the member who speaks


WRITTEN_QUESTION = ParliamentRecord(
    "written_questions", text="answer_html", cut_flag="answer_truncated",
    members={"asking_member": "asking_member_id", "answering_member": "answering_member_id",
             "correcting_member": "correcting_member_id"},
    title="heading", date="date_answered", member="answering_member")
WRITTEN_STATEMENT = ParliamentRecord(
    "written_statements", text="text_html", cut_flag="text_truncated", members={"member": "member_id"},
    title="title", date="date_made", member="member")


def _parliament_record(db, record: dict, spec: ParliamentRecord) -> None:
    for field in spec.members:
        save_member(db, record.get(field))
    save_body(db, record.get("answering_body_id"), record.get("answering_body"))
    row = {column: record.get(column) for column in rows.columns(db, spec.table)}  # absent -> null
    for field, column in spec.members.items():
        row[column] = record.get(column) or (record.get(field) or {}).get("id")
    kept = _full_text_kept(db, spec.table, record["id"], spec.text, record, spec.cut_flag)
    if kept:
        for column in (spec.text, spec.cut_flag):
            row.pop(column)
    encode_json(row)
    # Deferred: in a batch, the rows of a table go to the file a few statements at a time.
    rows.upsert(db, spec.table, row, defer=True)
    # What the table now holds for the text: the kept full text, or what was just written
    # (no read-back needed).
    stored = kept or row
    text = html_to_text(stored[spec.text])
    if record.get("is_withdrawn") or not text:
        return
    save_document(
        db,
        source=spec.table.removesuffix("s"),
        source_id=record["id"],
        source_url=record.get("url"),
        title=record.get(spec.title),
        date=record.get(spec.date),
        house=record.get("house"),
        body=record.get("answering_body"),
        body_id=record.get("answering_body_id"),
        person=(record.get(spec.member) or {}).get("name"),
        person_id=row[spec.members[spec.member]],
        text=text,
        text_truncated=stored[spec.cut_flag],
        defer=True,
    )


_PARLIAMENT = {"written_question": WRITTEN_QUESTION, "written_statement": WRITTEN_STATEMENT}
# Savers that read the tables with deferred rows only through `rows` (which writes them first)
# and write them only through `rows`: the others run after the batch's deferred rows are written.
_LEAVES_DEFERRED_ALONE = {*_PARLIAMENT, "rejection"}


def _members_named(records: list) -> set:
    """The ids of the members the batch's Parliament records name."""
    ids = set()
    for record in records:
        spec = _PARLIAMENT.get(record.get("record_type")) if isinstance(record, dict) else None
        for field in spec.members if spec else ():
            member = record.get(field)
            if isinstance(member, dict):
                ids.add(member.get("id"))
    return ids


_SAVERS = {
    "written_question": lambda db, record: _parliament_record(db, record, WRITTEN_QUESTION),
    "written_statement": lambda db, record: _parliament_record(db, record, WRITTEN_STATEMENT),
    "rejection": _rejection_record,
    **COMMITTEE_SAVERS,
    **PRESS_SAVERS,
    **HANSARD_SAVERS,
    **GOVUK_SAVERS,
}
