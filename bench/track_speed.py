"""Tracking after a daily update: incremental against full, on generated stores.

    .venv/bin/python bench/track_speed.py --mentions 10000,50000 --new 100 [--project /work/main]

A store of N documents each with a tracked mention (some restating an earlier one, some
generic, some one-word objects; a dozen common nouns end most objects, as real ones do),
one report in 5 (a third with no owner, as press paraphrases have none) and one negative
mention in 20, is tracked once (full). Then `--new` documents dated after all of them arrive
with their mentions, reports and negatives, and tracking runs again: incrementally, and, on a
copy of the same store, in full (`--full`). Both runs' rows are compared in full (the
commitments, their events, each mention's commitment, the id memory, the redirects).
`incremental_next_day_s` is the same incremental run with the as-of date a day later, as a
daily run has it (every `checked` moves, some statuses are derived again). `--project` makes
and tracks the same stores with another checkout's code (before/after): its run after the
new documents is what that checkout does then.

    .venv/bin/python bench/track_speed.py --full-only --mentions 10000,20000,40000 [--project /work/main]

times only whole runs (`track --full`) across the sizes, in microseconds a mention (flat when
linear); with `--project`, alternated with that checkout's on copies of the same store, rows compared.
"""

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

AS_OF = date(2026, 6, 1)
OWNERS = ["Department for Education", "Department of Health and Social Care", "HM Treasury", "Home Office",
          "Ministry of Defence", "Department for Transport", "Cabinet Office", "Ministry of Justice",
          "Department for Digital, Culture, Media and Sport", "Department for Science, Innovation and Technology"]
NOUNS = ["strategy", "review", "scheme", "fund", "plan", "programme", "framework", "guidance", "regime",
         "consultation", "report", "pilot"]
VERBS = ["publish", "introduce", "consult on", "review", "bring forward", "set out", "respond to", "deliver"]
SYLLABLES = ["ra", "tel", "mon", "ver", "cas", "lin", "dor", "pex", "sul", "gan", "fir", "bol", "ket", "zan"]
GENERIC_ACTIONS = ["publish the strategy", "publish the report", "respond to the consultation", "publish the review"]
REPORT_EVENTS = ["delivered", "delivered", "progress", "delayed", "dropped"]


class Generator:
    """Documents with mentions, reports and negatives, in date order from a start day."""

    def __init__(self, seed: int = 14, words: int = 3000):
        self.rng = random.Random(seed)
        self.words = sorted({"".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.randrange(2, 4)))
                             for _ in range(words)})
        self.made: list[tuple[str, str]] = []
        self.n = 0

    def _action(self) -> tuple[str, str]:
        rng = self.rng
        if self.made and rng.random() < 0.3:
            return rng.choice(self.made)  # restated, perhaps in other words
        owner = rng.choice(OWNERS)
        roll = rng.random()
        if roll < 0.08:
            action = rng.choice(GENERIC_ACTIONS)
        elif roll < 0.15:
            action = f"{rng.choice(VERBS)} the {rng.choice(self.words)}"
        else:
            action = f"{rng.choice(VERBS)} the {' '.join(rng.sample(self.words, rng.randrange(1, 4)))} {rng.choice(NOUNS)}"
        self.made.append((owner, action))
        return owner, action

    def documents(self, count: int, first_day: date, days: int) -> list[dict]:
        """`count` documents dated over `days` days from `first_day`, each with its rows."""
        rng, out = self.rng, []
        for k in range(count):
            self.n += 1
            n = self.n
            day = (first_day + timedelta(days=k * days // max(count, 1))).isoformat()
            doc_id = f"written_question:{n}"
            owner, action = self._action()
            sentence = f"We will {action} by the end of the year."
            title = " ".join(rng.sample(self.words, 3))
            document = {"id": doc_id, "source": "written_question", "source_id": str(n),
                        "source_url": f"https://example.org/q/{n}", "title": title, "date": day, "body": owner,
                        "text": sentence, "content_hash": f"h{n}"}
            base = {"document_id": doc_id, "source": "written_question", "source_id": str(n),
                    "source_url": document["source_url"], "date": day, "extractor_version": "bench"}
            mentions = [{**base, "id": f"m{n}", "sentence": sentence, "sentence_start": 0,
                         "sentence_end": len(sentence), "action_start": 8, "action_end": 8 + len(action),
                         "kind": rng.choice(("firm", "firm", "conditional")), "action": action, "owner": owner,
                         "person": f"Minister {rng.randrange(50)}",
                         "deadline": f"{day[:4]}-12-31" if rng.random() < 0.3 else None,
                         "deadline_text": "by the end of the year"}]
            reports = []
            if n % 5 == 0 and self.made:
                r_owner, r_action = rng.choice(self.made)
                text = f"We have {r_action}."
                reports.append({**base, "id": f"r{n}", "event": rng.choice(REPORT_EVENTS), "action": r_action,
                                "owner": None if rng.random() < 0.33 else r_owner, "sentence": text,
                                "sentence_start": 100, "sentence_end": 100 + len(text), "action_start": 108,
                                "action_end": 108 + len(r_action), "partial": int(rng.random() < 0.1)})
            if n % 20 == 0 and self.made:
                g_owner, g_action = rng.choice(self.made)
                text = f"We will not {g_action}."
                mentions.append({**base, "id": f"n{n}", "sentence": text, "sentence_start": 200,
                                 "sentence_end": 200 + len(text), "action_start": 212,
                                 "action_end": 212 + len(g_action), "kind": "negative", "action": g_action,
                                 "owner": g_owner})
            out.append({"document": document, "mentions": mentions, "reports": reports})
        return out


def add(database, documents: list[dict]) -> None:
    """Store documents with their rows as extraction does (inserts, one transaction)."""
    with database.atomic():
        database["documents"].insert_all([d["document"] for d in documents], pk="id", alter=True)
        database["mentions"].insert_all([m for d in documents for m in d["mentions"]], pk="id", alter=True)
        reports = [r for d in documents for r in d["reports"]]
        if reports:
            database["reports"].insert_all(reports, pk="id", alter=True)


def dump(database) -> dict:
    """Every row tracking writes, for comparing two runs in full."""
    def rows(sql):
        return [dict(r) for r in database.query(sql)]
    return {"commitments": rows("select * from commitments order by id"),
            "events": rows("select * from commitment_events order by id"),
            "assignment": rows("select id, commitment_id from mentions order by id"),
            "memory": rows("select * from commitment_ids order by mention_key"),
            "redirects": rows("select old_id, new_id from commitment_redirects order by old_id")}


def copy_store(source: Path, target: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
        if Path(f"{source}{suffix}").exists():
            shutil.copy(f"{source}{suffix}", f"{target}{suffix}")


def build(path: Path, mentions: int, seed: int = 14) -> Generator:
    import db

    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    generator = Generator(seed)
    database = db.open_db(path)
    step = 5000
    for start in range(0, mentions, step):
        count = min(step, mentions - start)
        add(database, generator.documents(count, date(2015, 1, 1) + timedelta(days=start * 3650 // mentions),
                                          max(1, count * 3650 // mentions)))
    database.close()
    return generator


def timed_tracking(path: Path, project: Path | None = None, full: bool = False, as_of: date = AS_OF) -> dict:
    """run_tracking on the store at `path`, in a subprocess of `project`'s code (default ours)."""
    code = (f"import json, sys, time; sys.path.insert(0, {str(project or ROOT)!r}); import db; "
            "from datetime import date; from extract.runner import run_tracking; import inspect; "
            f"database = db.open_db({str(path)!r}); "
            "kw = {'full': True} if " + str(full) + " and 'full' in inspect.signature(run_tracking).parameters else {}; "
            "start = time.perf_counter(); "
            f"counts = run_tracking(database, None, date.fromisoformat({as_of.isoformat()!r}), **kw); "
            "counts['seconds'] = round(time.perf_counter() - start, 3); print(json.dumps(counts))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=str(project or ROOT), env={**os.environ, "PYTHONPATH": str(project or ROOT)})
    return json.loads(out.stdout.strip().splitlines()[-1])


def other_checkout(project: Path, size: int, new: int, path: Path) -> dict:
    """The same stores made and tracked by another checkout's code (its own schema): its first
    run, and its run after the same new documents (what it does then is a full run)."""
    code = f"""
import importlib.util, json, sys, time
sys.path.insert(0, {str(project)!r})
spec = importlib.util.spec_from_file_location("track_speed", {str(Path(__file__).resolve())!r})
bench = importlib.util.module_from_spec(spec); spec.loader.exec_module(bench)
sys.path[:] = [p for p in sys.path if p != {str(ROOT)!r}]  # the other checkout's code, not ours
import db
from datetime import date
from extract.runner import run_tracking
generator = bench.build(__import__("pathlib").Path({str(path)!r}), {size})
database = db.open_db({str(path)!r})
start = time.perf_counter(); run_tracking(database, None, bench.AS_OF); first = time.perf_counter() - start
bench.add(database, generator.documents({new}, date(2025, 1, 2), 1))
start = time.perf_counter(); run_tracking(database, None, bench.AS_OF); after = time.perf_counter() - start
print(json.dumps({{"first_run_s": round(first, 3), "after_new_s": round(after, 3)}}))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=str(project),
                         env={**os.environ, "PYTHONPATH": str(project)})
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(sizes, new: int, work: Path, project: Path | None = None) -> list[dict]:
    import db

    work.mkdir(parents=True, exist_ok=True)
    results = []
    for size in sizes:
        base = work / f"track-{size}.db"
        generator = build(base, size)
        first = timed_tracking(base)
        daily = generator.documents(new, date(2025, 1, 2), 1)
        database = db.open_db(base)
        add(database, daily)
        database.close()
        copy_store(base, work / f"track-{size}-full.db")
        copy_store(base, work / f"track-{size}-next-day.db")
        next_day = timed_tracking(work / f"track-{size}-next-day.db", as_of=AS_OF + timedelta(days=1))
        incremental = timed_tracking(base)
        full = timed_tracking(work / f"track-{size}-full.db", full=True)
        same = dump(db.open_db(base)) == dump(db.open_db(work / f"track-{size}-full.db"))
        row = {"mentions": size, "first_run_s": first["seconds"], "new_documents": new,
               "incremental_s": incremental["seconds"], "incremental": incremental,
               "incremental_next_day_s": next_day["seconds"],
               "full_s": full["seconds"], "identical_rows": same}
        if project is not None:
            row["other_checkout"] = other_checkout(project, size, new, work / f"track-{size}-other.db")
        results.append(row)
        print(json.dumps(row), flush=True)
    return results


def whole_runs(sizes, work: Path, project: Path | None = None, repeats: int = 1) -> list[dict]:
    """A whole run (`--full`: every mention grouped, every report linked, every row written) on
    a fresh copy of each store, in time per mention: flat when a whole run is linear. With
    `project`, that checkout's whole run on copies of the same store, alternated with ours run
    by run, and whether both wrote the same rows. The best of `repeats` runs each."""
    import db

    work.mkdir(parents=True, exist_ok=True)
    checkouts = [("ours", None)] + ([("other", project)] if project is not None else [])
    results = []
    for size in sizes:
        base = work / f"whole-{size}.db"
        build(base, size)
        seconds: dict[str, list[float]] = {who: [] for who, _ in checkouts}
        load = [os.getloadavg()[0]]
        for _ in range(repeats):
            for who, checkout in checkouts:
                copy = work / f"whole-{size}-{who}.db"
                copy_store(base, copy)
                seconds[who].append(timed_tracking(copy, checkout, full=True)["seconds"])
        load.append(os.getloadavg()[0])
        row = {"mentions": size, "whole_s": min(seconds["ours"]),
               "us_per_mention": round(min(seconds["ours"]) * 1e6 / size), "runs_s": seconds["ours"],
               "load_average": [round(x, 2) for x in load]}
        if project is not None:
            row.update({"other_whole_s": min(seconds["other"]),
                        "other_us_per_mention": round(min(seconds["other"]) * 1e6 / size),
                        "other_runs_s": seconds["other"],
                        "identical_rows": dump(db.open_db(work / f"whole-{size}-ours.db"))
                        == dump(db.open_db(work / f"whole-{size}-other.db"))})
        results.append(row)
        print(json.dumps(row), flush=True)
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mentions", default="10000,50000")
    parser.add_argument("--new", type=int, default=100)
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench-track"))
    parser.add_argument("--project", type=Path, help="another checkout, timed on the same stores")
    parser.add_argument("--full-only", action="store_true",
                        help="only whole runs across the sizes, in time per mention (with --project: "
                             "alternated with that checkout's, rows compared)")
    parser.add_argument("--repeats", type=int, default=1, help="whole runs of each checkout a size (--full-only)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.mentions.split(",")]
    if args.full_only:
        whole_runs(sizes, args.work, args.project, args.repeats)
    else:
        measure(sizes, args.new, args.work, args.project)


if __name__ == "__main__":
    main()
