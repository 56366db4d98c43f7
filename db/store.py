"""Idempotent writes: every source record, every rejection, through one function each.

Records are plain dicts with a `record_type` (what the spiders yield, and what
`commitments load FILE.jsonl` reads), so storage is tested without a crawl.
"""

import datetime as dt
import hashlib
import json
from collections.abc import Iterable

import sqlite_utils

from db.committees import COMMITTEE_SAVERS
from db.press import PRESS_SAVERS
from common.text import html_to_text
from db.documents import encode_json, save_document


class RecordError(ValueError):
    """A record that cannot be stored: the caller logs it as a rejection."""


def now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


def save_records(db: sqlite_utils.Database, records: Iterable[dict]) -> dict[str, int]:
    """Store a batch in one transaction; a record that cannot be stored becomes a rejection.

    Returns counts: {"stored": n, "rejected": n}.
    """
    counts = {"stored": 0, "rejected": 0}
    with db.conn:
        for record in records:
            try:
                _save_one(db, record)
                counts["stored"] += 1
            except (RecordError, KeyError, TypeError, ValueError) as exc:
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
    db["members"].upsert(
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
        pk="id",
    )
    return member["id"]


def save_body(db, body_id: int | None, name: str | None) -> None:
    if body_id is None or not name:
        return
    table = db["bodies"]
    existing = table.get(body_id) if table.count_where("id = ?", [body_id]) else None
    aliases = set(json.loads(existing["aliases"] or "[]")) if existing else set()
    # A renamed department keeps its id: the old names stay as aliases.
    if existing and existing["name"] != name:
        aliases.add(existing["name"])
    table.upsert({"id": body_id, "name": name, "aliases": json.dumps(sorted(aliases))}, pk="id")


def _keep_full_text(db, table: str, row_id, text_column: str, incoming: dict, flag: str) -> bool:
    """True when a cut text would overwrite the full text stored by an earlier run."""
    if not incoming.get(flag):
        return False
    stored = db[table].get(row_id) if db[table].count_where("id = ?", [row_id]) else None
    if not stored or stored[flag]:
        return False
    prefix = (incoming.get(text_column) or "").rstrip(".").rstrip()
    return bool(stored[text_column]) and html_to_text(stored[text_column]).startswith(html_to_text(prefix)[:100])


def _written_question(db, record: dict) -> None:
    for member in ("asking_member", "answering_member", "correcting_member"):
        save_member(db, record.get(member))
    save_body(db, record.get("answering_body_id"), record.get("answering_body"))
    row = {column: record.get(column) for column in db["written_questions"].columns_dict}  # absent -> null
    row["asking_member_id"] = record.get("asking_member_id") or (record.get("asking_member") or {}).get("id")
    row["answering_member_id"] = record.get("answering_member_id") or (record.get("answering_member") or {}).get("id")
    row["correcting_member_id"] = record.get("correcting_member_id") or (record.get("correcting_member") or {}).get("id")
    if _keep_full_text(db, "written_questions", record["id"], "answer_html", record, "answer_truncated"):
        for column in ("answer_html", "answer_truncated"):
            row.pop(column)
    encode_json(row)
    db["written_questions"].upsert(row, pk="id")
    stored = db["written_questions"].get(record["id"])
    answering = record.get("answering_member") or {}
    text = html_to_text(stored["answer_html"])
    if record.get("is_withdrawn") or not text:
        return
    save_document(
        db,
        source="written_question",
        source_id=record["id"],
        source_url=record.get("url"),
        title=record.get("heading"),
        date=record.get("date_answered"),
        house=record.get("house"),
        body=record.get("answering_body"),
        body_id=record.get("answering_body_id"),
        person=answering.get("name"),
        person_id=row["answering_member_id"],
        text=text,
        text_truncated=stored["answer_truncated"],
    )


def _written_statement(db, record: dict) -> None:
    save_member(db, record.get("member"))
    save_body(db, record.get("answering_body_id"), record.get("answering_body"))
    row = {column: record.get(column) for column in db["written_statements"].columns_dict}
    row["member_id"] = record.get("member_id") or (record.get("member") or {}).get("id")
    if _keep_full_text(db, "written_statements", record["id"], "text_html", record, "text_truncated"):
        for column in ("text_html", "text_truncated"):
            row.pop(column)
    encode_json(row)
    db["written_statements"].upsert(row, pk="id")
    stored = db["written_statements"].get(record["id"])
    text = html_to_text(stored["text_html"])
    if not text:
        return
    save_document(
        db,
        source="written_statement",
        source_id=record["id"],
        source_url=record.get("url"),
        title=record.get("title"),
        date=record.get("date_made"),
        house=record.get("house"),
        body=record.get("answering_body"),
        body_id=record.get("answering_body_id"),
        person=(record.get("member") or {}).get("name") or record.get("member_name"),
        person_id=row["member_id"],
        text=text,
        text_truncated=stored["text_truncated"],
    )


_SAVERS = {
    "written_question": _written_question,
    "written_statement": _written_statement,
    "rejection": _rejection_record,
    **COMMITTEE_SAVERS,
    **PRESS_SAVERS,
}
