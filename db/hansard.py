"""Storing Hansard written answers and statements read from ParlParse XML files
(`commitments load-hansard`): one `hansard` row per reply or statement, and its
`documents` row for extraction."""

from common.gazetteer import canonical_owner
from common.text import html_to_text
from db.documents import encode_json, save_document
from db.store_common import upsert_columns


def _hansard(db, record: dict) -> None:
    row = upsert_columns(db, "hansard", record)
    encode_json(row)
    db["hansard"].upsert(row, pk="id")
    text = html_to_text(record.get("text_html"))
    if not text:
        return
    save_document(
        db, source=f"hansard_{record['kind']}", source_id=record["id"], text=text, source_url=record.get("url"),
        title=record.get("heading"), date=record.get("date"), house=record.get("house"),
        # 2009 headings name the department in capitals ("HOME DEPARTMENT"); Lords answers name none.
        body=canonical_owner(record.get("department")), person=record.get("speaker"),
    )


HANSARD_SAVERS = {"hansard": _hansard}
