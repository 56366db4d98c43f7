"""What extraction reads from the store and writes back: the documents that need
(re-)extraction, their mentions and the reports on deeds saved with them (tracking's side is
db/tracking.py).

A document is pending when its content hash or the extractor version (which
includes the model name) differs from what `extraction_state` recorded. New and changed
documents are queued in `extraction_pending` by triggers as they are written (db/schema.py), so
a daily run reads the queue, not the whole store; only a run with another extractor version (or
--all) compares every document.
"""

import hashlib
from collections.abc import Callable, Iterable, Iterator

import sqlite_utils



_PENDING = """
    from {source} left join extraction_state s on s.document_id = d.id
    where (:force or s.document_id is null or s.content_hash != d.content_hash
           or s.extractor_version is not :version)
"""
_COLUMNS = "d.id, d.text, d.source, d.source_id, d.source_url, d.date, d.body, d.person, d.government, d.content_hash"


def _pending(db: sqlite_utils.Database, version: str, force: bool) -> str:
    """The from-and-where of the pending documents: the queue, unless every document must be compared."""
    everything = force or _another_version_extracted(db, version)
    # CROSS JOIN keeps the queue the outer loop: SQLite would otherwise walk every document in date order.
    source = "documents d" if everything else "extraction_pending p cross join documents d on d.id = p.document_id"
    return _PENDING.format(source=source)


def _another_version_extracted(db: sqlite_utils.Database, version: str) -> bool:
    # Each of min and max alone reads one end of the extractor_version index (together they scan the table).
    low, high = db.execute("select (select min(extractor_version) from extraction_state), "
                           "(select max(extractor_version) from extraction_state)").fetchone()
    return low is not None and not (low == high == version)


def pending_count(db: sqlite_utils.Database, version: str, force: bool = False,
                  keep: Callable[[str], bool] | None = None) -> int:
    """How many documents `pending_documents` would give now (of them, those whose id `keep` keeps)."""
    params = {"force": int(force), "version": version}
    pending = _pending(db, version, force)
    if keep is None:
        return db.execute(f"select count(*) {pending}", params).fetchone()[0]
    return sum(1 for (document_id,) in db.execute(f"select d.id {pending}", params) if keep(document_id))


def pending_documents(db: sqlite_utils.Database, version: str, force: bool = False,
                      page: int = 256) -> Iterator[dict]:
    """Documents to extract, oldest first (those without a date first): new, changed, or read by
    another extractor version.

    Read a page at a time, each page after the last one given (by date, then id), so that
    the store's documents are never all in memory, and no query is left open while the
    caller writes the mentions of those already given. A document given is not given
    again even with `force`, when it stays pending after its extraction.
    """
    pending = _pending(db, version, force)  # decided once: extraction empties the queue as it goes
    params = {"force": int(force), "version": version, "page": page}
    # Keyset pages, the undated first; no coalesce() in the order, so the date index serves it.
    yield from _pages(db, f"select {_COLUMNS} {pending} and d.date is null and d.id > :after_id order by d.id",
                      params, lambda row: {"after_id": row["id"]}, {"after_id": ""})
    yield from _pages(db, f"select {_COLUMNS} {pending} and (d.date, d.id) > (:after_date, :after_id) "
                          "order by d.date, d.id",
                      params, lambda row: {"after_date": row["date"], "after_id": row["id"]},
                      {"after_date": "", "after_id": ""})


def _pages(db: sqlite_utils.Database, sql: str, params: dict, next_key: Callable[[dict], dict],
           first_key: dict) -> Iterator[dict]:
    """The rows of `sql` (which orders them and compares with the key's parameters), a page at a time."""
    key = first_key
    while True:
        rows = list(db.query(f"{sql} limit :page", {**params, **key}))
        yield from rows
        if len(rows) < params["page"]:
            return
        key = next_key(rows[-1])


def mention_id(document_id: str, mention: dict) -> str:
    key = f"{document_id}|{mention['sentence_start']}|{mention['action_start']}|{mention['kind']}|{mention['action']}"
    return hashlib.sha1(key.encode()).hexdigest()[:16]


def report_id(document_id: str, report: dict) -> str:
    key = f"{document_id}|{report['sentence_start']}|{report['action_start']}|{report['event']}|{report['action']}"
    return hashlib.sha1(key.encode()).hexdigest()[:16]


def save_mentions(db: sqlite_utils.Database, batch: Iterable[tuple[dict, list[dict]] | tuple[dict, list[dict], list[dict]]],
                  version: str) -> int:
    """Replace each document's mentions, and its reports when the batch carries them as
    (document, mentions, reports), and record what it was extracted from, in one transaction.
    Returns the number of mentions saved."""
    saved = 0
    # atomic(), not `with db.conn`: sqlite-utils commits each delete and insert of its own
    # unless a transaction was begun, and a failed insert must not leave a document emptied.
    with db.atomic():
        for document, mentions, *rest in batch:
            db["mentions"].delete_where("document_id = ?", [document["id"]])
            rows = [{**source_columns(document, version), "id": mention_id(document["id"], mention), **mention}
                    for mention in mentions]
            db["mentions"].insert_all(rows, pk="id", replace=True)
            state = {"document_id": document["id"], "content_hash": document["content_hash"],
                     "extractor_version": version, "mentions": len(rows)}
            if rest:
                reports = rest[0]
                if db["reports"].exists():
                    db["reports"].delete_where("document_id = ?", [document["id"]])
                db["reports"].insert_all(
                    [{**source_columns(document, version), "id": report_id(document["id"], report), **report}
                     for report in reports], pk="id", replace=True)
                state["reports"] = len(reports)
            db["extraction_state"].upsert(state, pk="document_id")
            db.execute("delete from extraction_pending where document_id = ?", [document["id"]])
            saved += len(rows)
    return saved


def source_columns(document: dict, version: str) -> dict:
    """What every mention and report row repeats of its document."""
    return {"document_id": document["id"], "source": document["source"], "source_id": document["source_id"],
            "source_url": document["source_url"], "date": document["date"], "extractor_version": version}
