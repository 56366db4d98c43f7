"""Storing press articles: one row per canonical URL, syndicated copies found by content hash.

A copy (same words under another URL) is kept as a row pointing at the first
one (`duplicate_of`) and gets no document of its own, so its commitments are not
counted twice.
"""

import json

from db.documents import encode_json, save_document
from db.store_common import upsert_columns
from common.gazetteer import gazetteer


def _article(db, record: dict) -> None:
    table = db["articles"]
    url = record["url"]
    existing = table.get(url) if table.count_where("url = ?", [url]) else None
    if existing:
        # The same article reached again (another feed, a syndicated copy naming it as
        # canonical): remember the address; the original page's own metadata wins.
        aliases = set(json.loads(existing["aliases"] or "[]")) | {record.get("fetched_url")} - {url, None}
        update = {"aliases": json.dumps(sorted(aliases))}
        if record.get("fetched_url") == url:
            update |= {k: record.get(k) for k in ("outlet", "published", "author", "title", "feed")}
        table.update(url, update)
        if existing["content_hash"] == record["content_hash"]:
            if record.get("fetched_url") == url:
                _save_article_document(db, {**existing, **update, "text": existing["text"]})
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
    _save_article_document(db, record)


def _save_article_document(db, record: dict) -> None:
    # A government page (a GOV.UK press release) speaks for its department; other
    # articles say who speaks in their text. An article of no relevance to the
    # tracker holds no government commitment worth extracting.
    body = gazetteer().canonical_name(record.get("author")) or gazetteer().canonical_name(record.get("outlet"))
    save_document(db, source="article", source_id=record["url"], text=record["text"], source_url=record["url"],
                  title=record.get("title"), date=record.get("published"), body=body, person=None,
                  government=None if record.get("relevant") else 0)


PRESS_SAVERS = {"article": _article}
