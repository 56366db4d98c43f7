"""Time the static site's build at scale: 10,000 commitments and 100,000 mentions by default.

    .venv/bin/python bench/site_build.py [--commitments N] [--mentions N] [--keep DIR]

The store is made through db/ (open_db, the real schema) and filled straight into its tables,
as tracking would leave them: each mention a "made" or "restated" event of its commitment, a
quarter of the commitments delivered by a later report. Tracking itself is not timed here (it
has its own cost); the build reads exactly what it reads after a real run. Goal: under 60 s for
the first build. A second build into the same folder (nothing changed) is timed too.
"""

import argparse
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import db  # noqa: E402
from commitments.site import STATUS_ORDER, build_site  # noqa: E402

VERBS = ("publish", "consult on", "review", "introduce", "legislate for", "report on", "fund", "set up")
THINGS = ("the strategy", "the guidance", "a white paper", "the framework", "new standards", "the pilot scheme",
          "the review of charges", "the action plan", "the roadmap", "the register")
FIRST_DAY = date(2015, 1, 1)


def fill(database, commitments: int, mentions: int, seed: int = 13) -> None:
    rng = random.Random(seed)
    departments = [f"Department for Things {i}" for i in range(40)] + ["Cabinet Office", "Home Office"]
    people = [f"Minister Number {i}" for i in range(300)]
    per_document = 5
    documents, mention_rows, events, rows = [], [], [], []
    doc_count = 0

    def new_document(day: date, owner: str, person: str) -> str:
        nonlocal doc_count
        doc_count += 1
        doc_id = f"written_question:{doc_count}"
        documents.append({"id": doc_id, "source": "written_question", "source_id": str(doc_count),
                          "source_url": f"https://questions-statements.parliament.uk/written-questions/detail/{doc_count}",
                          "title": f"{owner}: question {doc_count}", "date": day.isoformat(), "house": "Lords",
                          "person": person, "body": owner, "text": "…", "content_hash": doc_id})
        return doc_id

    per_commitment = [mentions // commitments + (1 if i < mentions % commitments else 0) for i in range(commitments)]
    document, used = None, per_document
    for i, count in enumerate(per_commitment):
        cid = f"c{i:07d}"
        owner, person = rng.choice(departments), rng.choice(people)
        action = f"{rng.choice(VERBS)} {rng.choice(THINGS)} number {i}"
        day = FIRST_DAY + timedelta(days=rng.randrange(3400))
        deadline = (day + timedelta(days=rng.randrange(200, 900))).isoformat() if rng.random() < 0.5 else None
        days = []
        for n in range(count):
            if used == per_document:
                document, used = new_document(day, owner, person), 0
            used += 1
            sentence = f"We will {action} by the end of next year, as the Minister set out in answer {n}."
            mid = f"m{i:07d}-{n}"
            mention_rows.append({"id": mid, "document_id": document, "commitment_id": cid, "source": "written_question",
                                 "source_id": document.split(":")[1], "source_url": documents[-1]["source_url"],
                                 "date": day.isoformat(), "sentence": sentence, "sentence_start": 0,
                                 "sentence_end": len(sentence), "action_start": 8, "action_end": 8 + len(action),
                                 "kind": "firm", "action": action, "owner": owner, "person": person,
                                 "deadline": deadline})
            events.append({"id": f"e-{mid}", "commitment_id": cid, "sequence": n, "date": day.isoformat(),
                           "event": "made" if n == 0 else "restated", "document_id": document,
                           "source": "written_question", "source_id": document.split(":")[1],
                           "source_url": documents[-1]["source_url"], "sentence": sentence, "sentence_start": 0,
                           "sentence_end": len(sentence), "mention_id": mid, "link": "automatic", "score": 0.9,
                           "deadline": deadline})
            days.append(day)
            day += timedelta(days=rng.randrange(5, 120))
        status = rng.choice(STATUS_ORDER)
        status_event = events[-1]["id"]
        if status in ("delivered", "partly_delivered"):
            events.append({"id": f"e-{cid}-done", "commitment_id": cid, "sequence": count, "date": day.isoformat(),
                           "event": status, "document_id": document, "source": "written_question",
                           "source_id": document.split(":")[1], "source_url": documents[-1]["source_url"],
                           "sentence": f"We have now done it: {action}.", "link": "automatic", "score": 0.8})
            status_event = events[-1]["id"]
        rows.append({"id": cid, "title": action.capitalize(), "owner": owner, "person": person,
                     "kind": rng.choice(("firm", "firm", "conditional", "ongoing")), "action": action,
                     "status": status, "status_date": day.isoformat(), "status_event_id": status_event,
                     "status_reason": f"Set by the {status.replace('_', ' ')} event.",
                     "first_made": days[0].isoformat() if days else None,
                     "last_mentioned": days[-1].isoformat() if days else None, "deadline": deadline,
                     "mention_count": count, "source_count": count, "checked": "2024-06-01", "reviewed": 0})
    database["documents"].insert_all(documents, batch_size=5000)
    database["commitments"].insert_all(rows, batch_size=5000)
    database["mentions"].insert_all(mention_rows, batch_size=5000)
    database["commitment_events"].insert_all(events, batch_size=5000)
    database["crawl_runs"].insert({"id": "bench", "spider": "written_questions", "status": "finished",
                                   "started": "2024-05-30T10:00:00+00:00", "finished": "2024-05-30T10:05:00+00:00"})


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--commitments", type=int, default=10_000)
    parser.add_argument("--mentions", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="build into this folder (and keep the store beside it)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        store_path, out = folder / "bench.db", folder / "site"
        store_path.unlink(missing_ok=True)
        start = time.perf_counter()
        database = db.open_db(store_path)
        fill(database, args.commitments, args.mentions)
        print(f"store: {args.commitments:,} commitments, {database['mentions'].count:,} mentions, "
              f"{database['commitment_events'].count:,} events, {database['documents'].count:,} documents "
              f"in {time.perf_counter() - start:.1f} s")
        for label in ("first build", "rebuild, nothing changed"):
            start, cpu = time.perf_counter(), time.process_time()
            build_site(database, out)
            seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
            files = sum(1 for p in out.rglob("*") if p.is_file())
            size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
            # CPU time as well: on a machine shared with other work the wall clock says less.
            print(f"{label}: {seconds:.1f} s ({cpu:.1f} s CPU), {files:,} files, {size / 1e6:.0f} MB"
                  + ("  (goal < 60 s)" if label == "first build" else ""))
        database.close()


if __name__ == "__main__":
    main()
