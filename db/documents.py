"""Text-bearing records as `documents` rows, with the content hash that decides re-extraction."""

import hashlib
import json

from db import rows


# json.dumps(value, ensure_ascii=False, sort_keys=True), the same text, without making
# an encoder on every call.
_to_json = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode


def content_hash(text: str, **metadata) -> str:
    """Hash of what extraction reads: the text and the metadata that shapes its output."""
    payload = _to_json({"text": text, **metadata})
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


# Columns that hold lists or objects: stored as JSON text.
JSON_COLUMNS = ("grouped_questions", "attachments", "linked_statements", "raw", "params", "witnesses",
                "name_history", "relevance", "aliases", "questions", "organisations")


def save_document(db, *, source: str, source_id, text: str, part=None, defer: bool = False, **fields) -> None:
    """One `documents` row per text-bearing record (or `part` of one: a transcript turn,
    a response section); its hash decides re-extraction. `defer`: see `rows.upsert`."""
    row = {
        "id": f"{source}:{source_id}" + (f":{part}" if part is not None else ""),
        "source": source,
        "source_id": str(source_id),
        "text": text,
        **fields,
    }
    row.setdefault("government", 1)
    row["content_hash"] = content_hash(
        text, date=row.get("date"), body=row.get("body"), person=row.get("person"), government=row["government"]
    )
    rows.upsert(db, "documents", row, defer=defer)


def encode_json(row: dict) -> None:
    for column in JSON_COLUMNS:
        value = row.get(column)
        if value is not None and not isinstance(value, str):
            row[column] = _to_json(value)
    for column, value in row.items():
        if value is True or value is False:
            row[column] = int(value)
