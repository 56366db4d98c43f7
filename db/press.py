"""Storing press articles: one row per canonical URL, syndicated copies found by content hash.

A copy (same words under another URL) is kept as a row pointing at the first
one (`duplicate_of`) and gets no document of its own, so its commitments are not
counted twice.
"""

import json

from db.documents import encode_json, save_document
from db.store_common import upsert_columns


def _article(db, record: dict) -> None:
    table = db["articles"]
    url = record["url"]
    existing = table.get(url) if table.count_where("url = ?", [url]) else None
    if existing:
        # The same article reached again (another feed, another fetched URL): remember the address.
        aliases = set(json.loads(existing["aliases"] or "[]")) | {record.get("fetched_url")} - {url, None}
        table.update(url, {"aliases": json.dumps(sorted(aliases))})
        if existing["content_hash"] == record["content_hash"]:
            return
    original = next(iter(db.query("select url from articles where content_hash = ? and url != ? and duplicate_of is null",
                                  [record["content_hash"], url])), None)
    row = upsert_columns(db, "articles", record)
    row["duplicate_of"] = original["url"] if original else None
    row.setdefault("aliases", existing["aliases"] if existing else json.dumps(
        [record["fetched_url"]] if record.get("fetched_url") not in (None, url) else []))
    encode_json(row)
    table.upsert(row, pk="url")
    if original:
        db["documents"].delete_where("id = ?", [f"article:{url}"])
        return
    save_document(db, source="article", source_id=url, text=record["text"], source_url=url,
                  title=record.get("title"), date=record.get("published"), body=None, person=None,
                  government=None)


PRESS_SAVERS = {"article": _article}
