"""Incremental extraction over the store: only new or changed documents go through NLP
(their mentions and their reports on deeds are saved together), then every tracked mention
is regrouped into commitments.

The store (`db`) decides which documents are pending and keeps what comes out;
this module only runs the model over them and the grouping over the mentions.
"""

import itertools
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path

import sqlite_utils

import db
from extract import EXTRACTOR_VERSION
from extract.incremental import TRACKING_VERSION, full_index, overrides_hash, plan, track_increment
from extract.overrides import load_overrides
from extract.track import track

BATCH = 64


def extractor_version(model: str) -> str:
    # The kind classifier changes what is extracted: a setting other than the packaged model is named.
    from common import config, resources

    kinds = config.kind_model()
    if kinds is None:
        return f"{EXTRACTOR_VERSION}+{model}+rules-only"
    packaged = config.KIND_MODEL_BY_DEFAULT and Path(kinds).resolve() == resources.kind_model().resolve()
    return f"{EXTRACTOR_VERSION}+{model}" + ("" if packaged else f"+kinds={kinds}")


def run_extraction(database: sqlite_utils.Database, model: str, force: bool = False,
                   progress: Callable[[int], None] | None = None, n_process: int = 1,
                   todo: Iterable[dict] | None = None, overrides: Path | None = None,
                   as_of: date | None = None, track: bool = True) -> dict:
    """Extract what needs it (or `todo`, when the caller already selected it), then track
    commitments (unless `track` is false: a shard leaves that to the end). Returns counts.

    Documents stream from the store through the model a page at a time: memory holds the
    model's batches and the mentions waiting to be saved, not the corpus."""
    version = extractor_version(model)
    documents = iter(db.pending_documents(database, version, force) if todo is None else todo)
    counts = {"documents": 0, "mentions": 0, "reports": 0}
    first = next(documents, None)
    if first is not None:
        # Imported here so that a run with nothing to do never loads spaCy.
        from extract.pipeline import extract_documents

        # One copy of the stream feeds the model, the other is read as its results come back:
        # tee holds only the documents between the two (the model's read-ahead).
        to_model, to_save = itertools.tee(itertools.chain([first], documents))
        results = extract_documents(((d["text"], d) for d in to_model), model=model, n_process=n_process)
        batch: list[tuple[dict, list, list]] = []
        for document, (mentions, events) in zip(to_save, results):
            batch.append((document, mentions, events))
            counts["documents"] += 1
            counts["reports"] += len(events)
            if len(batch) >= BATCH:
                counts["mentions"] += db.save_mentions(database, batch, version)
                progress and progress(len(batch))
                batch = []
        if batch:
            counts["mentions"] += db.save_mentions(database, batch, version)
            progress and progress(len(batch))
    if track:
        counts.update(run_tracking(database, overrides, as_of))
    return counts


def run_tracking(database: sqlite_utils.Database, overrides: Path | None = None, as_of: date | None = None,
                 full: bool = False) -> dict:
    """Group tracked mentions into commitments, link the reports, derive each status as of
    `as_of` (default today) and apply the reviewed overrides file, if there is one.
    Incremental when it can be (extract/incremental.py: only what is new since the last run
    is grouped and linked, with the commitments it touches); whole when `full`, or when an
    incremental run could differ from a whole one. Raises OverridesError, before writing
    anything, when the file is malformed."""
    as_of = as_of or date.today()
    reviewed = load_overrides(overrides) if overrides else []
    store = db.TrackingStore(database)
    state = {"version": TRACKING_VERSION, "overrides": overrides_hash(overrides), "as_of": as_of.isoformat()}
    why, last_change, changes = plan(store, state["version"], state["overrides"], full)
    if why is None:
        increment = track_increment(store, changes, reviewed, as_of, store.state())
        if isinstance(increment, str):
            why = increment
        else:
            with database.atomic():
                changed = db.save_increment(database, increment.commitments, increment.events,
                                            increment.assignment, increment.memory, as_of.isoformat())
                index = increment.index
                db.save_index(database, index["units"], index["stems"], index["row_stems"], index["order"],
                              {**state, "last_unit": index["last_unit"]}, last_change, whole=False)
            total = database.execute("select count(*) from commitments").fetchone()[0]
            events = database.execute("select count(*) from commitment_events").fetchone()[0]
            return {"commitments": total, "events": events, "rows_changed": changed, "mode": "incremental",
                    **increment.counts}
    negatives, reports = db.negative_mentions(database), db.reports(database)
    result = track(db.tracked_mentions(database), negatives, reports,
                   db.commitment_id_memory(database), reviewed, as_of, overrides_path=overrides or "overrides")
    index = full_index(result, negatives, reports)
    with database.atomic():
        changed = db.save_tracking(database, result.commitments, result.events, result.assignment,
                                   result.automatic_ids, result.redirects, as_of.isoformat())
        db.save_index(database, index["units"], index["stems"], index["row_stems"], index["order"],
                      {**state, "last_unit": index["last_unit"]}, last_change, whole=True)
    return {"commitments": len(result.commitments), "events": len(result.events), "rows_changed": changed,
            "mode": "full", "why_full": why}
