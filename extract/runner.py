"""Incremental extraction over the store: only new or changed documents go through NLP.

A document is re-extracted when its content hash or the extractor version
(which includes the model name) differs from what `extraction_state` recorded.
"""

import hashlib
from collections.abc import Callable

import sqlite_utils

from extract import EXTRACTOR_VERSION
from common.kinds import TRACKED
from extract.track import commitment_rows

BATCH = 64


def extractor_version(model: str) -> str:
    return f"{EXTRACTOR_VERSION}+{model}"


def documents_to_extract(db: sqlite_utils.Database, version: str, force: bool = False) -> list[dict]:
    return list(db.query(
        """
        select d.id, d.text, d.source, d.source_id, d.source_url, d.date, d.body, d.person, d.government,
               d.content_hash
        from documents d left join extraction_state s on s.document_id = d.id
        where :force or s.document_id is null or s.content_hash != d.content_hash
              or s.extractor_version != :version
        order by d.date, d.id
        """,
        {"force": int(force), "version": version},
    ))


def mention_id(document_id: str, mention) -> str:
    key = f"{document_id}|{mention['sentence_start']}|{mention['action_start']}|{mention['kind']}|{mention['action']}"
    return hashlib.sha1(key.encode()).hexdigest()[:16]


def run_extraction(db: sqlite_utils.Database, model: str, force: bool = False,
                   progress: Callable[[int], None] | None = None, n_process: int = 1,
                   todo: list[dict] | None = None) -> dict:
    """Extract what needs it (or `todo`, when the caller already selected it), then regroup
    commitments. Returns counts."""
    version = extractor_version(model)
    if todo is None:
        todo = documents_to_extract(db, version, force)
    counts = {"documents": len(todo), "mentions": 0}
    if todo:
        # Imported here so that a run with nothing to do never loads spaCy.
        from extract.pipeline import extract_many

        results = extract_many(((d["text"], d) for d in todo), model=model, n_process=n_process)
        batch: list[tuple[dict, list]] = []
        for document, mentions in zip(todo, results):
            batch.append((document, mentions))
            if len(batch) >= BATCH:
                counts["mentions"] += _save(db, batch, version)
                progress and progress(len(batch))
                batch = []
        if batch:
            counts["mentions"] += _save(db, batch, version)
            progress and progress(len(batch))
    counts["commitments"] = regroup(db)
    return counts


def _save(db, batch, version: str) -> int:
    saved = 0
    with db.conn:
        for document, mentions in batch:
            db["mentions"].delete_where("document_id = ?", [document["id"]])
            rows = [
                {
                    "id": mention_id(document["id"], m),
                    "document_id": document["id"],
                    "source": document["source"],
                    "source_id": document["source_id"],
                    "source_url": document["source_url"],
                    "date": document["date"],
                    "extractor_version": version,
                    **m,
                }
                for m in mentions
            ]
            db["mentions"].insert_all(rows, pk="id", replace=True)
            db["extraction_state"].upsert(
                {"document_id": document["id"], "content_hash": document["content_hash"],
                 "extractor_version": version, "mentions": len(rows)},
                pk="document_id",
            )
            saved += len(rows)
    return saved


def regroup(db: sqlite_utils.Database) -> int:
    """Recompute `commitments` and each mention's `commitment_id` from all mentions."""
    placeholders = ",".join("?" for _ in TRACKED)
    mentions = list(db.query(
        f"select id, owner, action, date, kind, deadline from mentions where kind in ({placeholders})",
        TRACKED,
    ))
    rows, assignment = commitment_rows(mentions)
    with db.conn:
        existing = {r["id"]: r for r in db["commitments"].rows}
        wanted = {r["id"]: r for r in rows}
        for stale in set(existing) - set(wanted):
            db["commitments"].delete(stale)
        changed = [r for r in rows if existing.get(r["id"]) != r]
        if changed:
            db["commitments"].upsert_all(changed, pk="id")
        for mention in db.query("select id, commitment_id from mentions"):
            target = assignment.get(mention["id"])
            if mention["commitment_id"] != target:
                db["mentions"].update(mention["id"], {"commitment_id": target})
    return len(rows)
