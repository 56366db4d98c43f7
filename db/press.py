"""Storing press articles: one row per canonical URL, syndicated copies found by content hash.

A copy (same words under another URL) is kept as a row pointing at the first
one (`duplicate_of`) and gets no document of its own, so its commitments are not
counted twice. Any page can name any canonical URL, so the claim is checked
before it decides where the page is stored (`storage_url`).
"""

import json
from urllib.parse import urlsplit

from db.documents import encode_json, save_document
from db.store_common import upsert_columns
from common.gazetteer import gazetteer


def site(url: str | None) -> str:
    """The site an address belongs to: its host, without a leading "www."."""
    host = urlsplit(url or "").hostname or ""
    return host.removeprefix("www.")


def storage_url(db, record: dict) -> str:
    """Where a page is stored: the canonical URL it names, when the claim holds; else its own URL.

    Anyone can write any address into <link rel=canonical>. A page fetched at its own
    canonical address speaks for it; another page may take that address only to say
    it carries the same words (a syndicated copy becomes an alias) or to update the
    row it made itself, and may take a free address only on its own site. Otherwise
    it would replace, or pre-empt, what another site published there.
    """
    claimed, fetched = record["url"], record.get("fetched_url")
    if not fetched or claimed == fetched:
        return claimed
    stored = db.execute("select content_hash, fetched_url from articles where url = ?", [claimed]).fetchone()
    if stored is not None:
        # The same words, or the same page fetched again (its article edited since).
        return claimed if record["content_hash"] == stored[0] or fetched == stored[1] else fetched
    return claimed if site(claimed) and site(claimed) == site(fetched) else fetched


def _article(db, record: dict) -> None:
    record = {**record, "url": storage_url(db, record)}
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
