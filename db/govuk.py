"""Storing GOV.UK content items (`commitments load-govuk`): one `govuk` row per
published page, and its `documents` row for extraction. What a department
publishes itself speaks for the Government, owned by the publishing organisation."""

from db.documents import encode_json, save_document
from db.store_common import upsert_columns


def _govuk(db, record: dict) -> None:
    row = upsert_columns(db, "govuk", record)
    encode_json(row)
    db["govuk"].upsert(row, pk="id")
    save_document(
        db, source=f"govuk_{record.get('document_type') or 'item'}", source_id=record["id"], text=record["text"],
        source_url=record.get("url"), title=record.get("title"), date=record.get("date"), body=record.get("owner"),
        person=record.get("speaker"), role=record.get("role"), government=1,
    )


GOVUK_SAVERS = {"govuk": _govuk}
