"""Incremental extraction over the store: only new or changed documents go through NLP,
then every tracked mention is regrouped into commitments.

The store (`db`) decides which documents are pending and keeps what comes out;
this module only runs the model over them and the grouping over the mentions.
"""

from collections.abc import Callable

import sqlite_utils

import db
from extract import EXTRACTOR_VERSION
from extract.track import commitment_rows

BATCH = 64


def extractor_version(model: str) -> str:
    return f"{EXTRACTOR_VERSION}+{model}"


def run_extraction(database: sqlite_utils.Database, model: str, force: bool = False,
                   progress: Callable[[int], None] | None = None, n_process: int = 1,
                   todo: list[dict] | None = None) -> dict:
    """Extract what needs it (or `todo`, when the caller already selected it), then regroup
    commitments. Returns counts."""
    version = extractor_version(model)
    if todo is None:
        todo = db.pending_documents(database, version, force)
    counts = {"documents": len(todo), "mentions": 0}
    if todo:
        # Imported here so that a run with nothing to do never loads spaCy.
        from extract.pipeline import extract_many

        results = extract_many(((d["text"], d) for d in todo), model=model, n_process=n_process)
        batch: list[tuple[dict, list]] = []
        for document, mentions in zip(todo, results):
            batch.append((document, mentions))
            if len(batch) >= BATCH:
                counts["mentions"] += db.save_mentions(database, batch, version)
                progress and progress(len(batch))
                batch = []
        if batch:
            counts["mentions"] += db.save_mentions(database, batch, version)
            progress and progress(len(batch))
    counts["commitments"] = regroup(database)
    return counts


def regroup(database: sqlite_utils.Database) -> int:
    """Recompute `commitments` and each mention's `commitment_id` from all tracked mentions."""
    rows, assignment = commitment_rows(db.tracked_mentions(database))
    db.replace_commitments(database, rows, assignment)
    return len(rows)
