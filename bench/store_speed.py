"""Rows per second through `db.save_records` against sqlite-utils `insert_all` of the same rows.

    .venv/bin/python bench/store_speed.py [--records 5000] [--repeats 3] [--project CHECKOUT]

Records: generated written questions in the API's shape (members expanded, answers in
HTML), parsed by the spider's own `parse_question` and handed to the store in batches as
the pipeline hands them. Reference: the rows the store ended up holding (questions,
documents, members, bodies), written with `insert_all` into a fresh store of the same
shape, in the same run. Wall clock and CPU time (the process's, of the timed parts) of each;
`--project` measures another checkout's store and parser (the records and the reference
are this one's), for a before/after in one run.
"""

import argparse
import os
import random
import sys
import tempfile
import time
from dataclasses import fields
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# --project is read before the imports below: `db` and the parser come from that checkout.
CHECKOUT = (Path(sys.argv[sys.argv.index("--project") + 1]).resolve()
            if __name__ == "__main__" and "--project" in sys.argv[:-1] else ROOT)
for path in dict.fromkeys((ROOT, CHECKOUT)):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

import db  # noqa: E402
from spiders.written_questions import parse_question  # noqa: E402

BATCH_SIZE = 200  # the pipeline's STORE_BATCH_SIZE
TABLES = ("bodies", "members", "written_questions", "documents")
WORDS = ("the government will publish its response to the consultation in due course and has "
         "committed to review the funding formula for local authorities schools hospitals "
         "departments ministers officials guidance data figures regions").split()
BODIES = ["Department for Education", "Department of Health and Social Care", "HM Treasury", "Home Office",
          "Ministry of Defence", "Department for Transport", "Cabinet Office", "Foreign Office",
          "Department for Work and Pensions", "Ministry of Justice", "Department for Energy Security"]


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def _member(member_id: int) -> dict:
    return {"id": member_id, "listAs": f"Member, Number {member_id}", "name": f"Number {member_id} Member",
            "party": "Party", "partyColour": "ff0000", "partyAbbreviation": "P",
            "memberFrom": f"Constituency {member_id}",
            "thumbnailUrl": f"https://members-api.example/api/Members/{member_id}/Thumbnail"}


def api_values(count: int, seed: int = 14, start: int = 0) -> list[dict]:
    """`count` written questions as the API's `value` objects (made up, same shape);
    `start` numbers them on from an earlier call's (a corpus made a batch at a time)."""
    rng = random.Random(seed)
    out = []
    for n in range(start, start + count):
        asking, answering = rng.randrange(1000, 1650), rng.randrange(4000, 4150)
        body = rng.randrange(len(BODIES))
        paragraphs = "".join(f"<p>{_sentence(rng, rng.randrange(15, 60))}</p>" for _ in range(rng.randrange(1, 6)))
        day = f"2021-{1 + n % 12:02d}-{1 + n % 28:02d}T00:00:00"
        out.append({
            "id": 1_000_000 + n, "askingMemberId": asking, "askingMember": _member(asking), "house": "Commons",
            "memberHasInterest": False, "dateTabled": day, "dateForAnswer": day, "uin": str(100_000 + n),
            "questionText": "To ask the Secretary of State, " + _sentence(rng, rng.randrange(15, 40)),
            "answeringBodyId": 10 + body, "answeringBodyName": BODIES[body], "isWithdrawn": False,
            "isNamedDay": False, "groupedQuestions": [], "answerIsHolding": False, "answerIsCorrection": False,
            "answeringMemberId": answering, "answeringMember": _member(answering), "correctingMemberId": None,
            "correctingMember": None, "dateAnswered": day, "answerText": paragraphs, "originalAnswerText": "",
            "comparableAnswerText": "", "dateAnswerCorrected": None, "dateHoldingAnswer": None,
            "attachmentCount": 0, "heading": _sentence(rng, 4)[:-1], "attachments": [], "groupedQuestionsDates": [],
        })
    return out


def pipeline_records(values: list[dict]) -> list[dict]:
    """What the pipeline hands the store: each parsed item's fields, shallow-copied."""
    items = [parse_question(value, "http://api.example") for value in values]
    return [{f.name: getattr(item, f.name) for f in fields(item)} for item in items]


def time_project(path: Path, records: list[dict]) -> tuple[float, float]:
    """Seconds of wall clock and of CPU time storing the records."""
    store = db.open_db(path)
    start, cpu = time.perf_counter(), time.process_time()
    for i in range(0, len(records), BATCH_SIZE):
        with store.conn:  # as the pipeline's flush does
            counts = db.save_records(store, records[i:i + BATCH_SIZE])
        if counts["rejected"]:
            raise SystemExit(f"the store rejected {counts['rejected']} generated records")
    elapsed = time.perf_counter() - start, time.process_time() - cpu
    store.close()
    return elapsed


def stored_rows(path: Path) -> dict[str, list[dict]]:
    store = db.read_db(path)
    rows = {table: list(store[table].rows) for table in TABLES}
    store.conn.close()
    return rows


def time_reference(path: Path, rows: dict[str, list[dict]]) -> tuple[float, float]:
    store = db.open_db(path)
    start, cpu = time.perf_counter(), time.process_time()
    for table in TABLES:
        store[table].insert_all(rows[table], batch_size=BATCH_SIZE)
    elapsed = time.perf_counter() - start, time.process_time() - cpu
    store.close()
    return elapsed


def measure(count: int = 5000, repeats: int = 3) -> dict:
    records = pipeline_records(api_values(count))
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        for repeat in range(repeats):
            project_path, reference_path = Path(tmp, f"project{repeat}.db"), Path(tmp, f"reference{repeat}.db")
            project, project_cpu = time_project(project_path, records)
            rows = stored_rows(project_path)
            reference, reference_cpu = time_reference(reference_path, rows)
            total = sum(len(r) for r in rows.values())
            runs.append({"rows": total, "project_s": round(project, 3), "reference_s": round(reference, 3),
                         "project_rows_per_s": round(total / project), "reference_rows_per_s": round(total / reference),
                         "ratio": round(reference / project, 3), "project_cpu_s": round(project_cpu, 3),
                         "reference_cpu_s": round(reference_cpu, 3),
                         "cpu_ratio": round(reference_cpu / project_cpu, 3)})
    return {"measure": "store", "records": count, "batch_size": BATCH_SIZE, "checkout": str(CHECKOUT),
            "rows_per_table": {t: len(r) for t, r in rows.items()}, "runs": runs,
            "ratio": sorted(r["ratio"] for r in runs)[len(runs) // 2],
            "cpu_ratio": sorted(r["cpu_ratio"] for r in runs)[len(runs) // 2]}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=5000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--project", type=Path, default=ROOT, help="the checkout whose store is measured")
    args = parser.parse_args()
    result = measure(args.records, args.repeats)
    print(f"checkout {CHECKOUT}, load average {' '.join(f'{n:.2f}' for n in os.getloadavg())}")
    for run in result["runs"]:
        print(run)
    print(f"store ratio (median of {args.repeats}): wall {result['ratio']}, CPU {result['cpu_ratio']}")


if __name__ == "__main__":
    main()
