"""Peak memory of the store, the crawl and extraction at two corpus sizes (1x and 4x): flat
when what they read is streamed, growing when something holds the whole corpus.

    .venv/bin/python bench/memory.py [--records 2000] [--questions 500] [--documents 150]

Each is measured as the high-water resident set (`ru_maxrss`, from `os.wait4`) of its own
subprocess, so one measure's memory never hides another's and the interpreter, Scrapy and
spaCy are counted alike at both sizes:
- store: a subprocess generating written questions a batch at a time (200, as the pipeline
  hands them) and storing each through `db.save_records` into a fresh store;
- crawl: `commitments crawl written-questions` against the crawl bench's prepared pages
  (the server runs in this process, outside the measure);
- extraction: `commitments extract` (extraction and tracking) over a store of that many
  written questions' documents, made beforehand in this process.
"""

import argparse
import os
import subprocess
import sys
import tempfile
from dataclasses import fields
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
for path in (str(ROOT), str(BENCH)):
    if path not in sys.path:
        sys.path.insert(0, path)

import db  # noqa: E402
from store_speed import BATCH_SIZE, api_values  # noqa: E402

ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def peak_rss_mb(command: list[str], cwd: Path = ROOT) -> float:
    """Run `command`; its peak resident set in MiB. Raises SystemExit with its stderr when it fails."""
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(command, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            errors.seek(0)
            raise SystemExit(f"{' '.join(command[:6])} failed:\n{errors.read().decode(errors='replace')[-2000:]}")
    return round(usage.ru_maxrss / 1024, 1)  # KiB on Linux


def batches(count: int):
    """Pipeline records of `count` generated written questions, a batch at a time."""
    from spiders.written_questions import parse_question

    for start in range(0, count, BATCH_SIZE):
        items = [parse_question(v, "http://api.example") for v in api_values(min(BATCH_SIZE, count - start),
                                                                            seed=start, start=start)]
        yield [{f.name: getattr(item, f.name) for f in fields(item)} for item in items]


def store_corpus(path: Path, count: int) -> None:
    store = db.open_db(path)
    for batch in batches(count):
        with store.conn:
            db.save_records(store, batch)
    store.close()


def measure_store(count: int, tmp: Path) -> float:
    return peak_rss_mb([sys.executable, str(Path(__file__)), "--store-probe", str(count), str(tmp / f"store{count}.db")])


def measure_crawl(questions: int, tmp: Path) -> float:
    import crawl_speed

    values = api_values(questions)
    for value in values:  # all answered within the window, as crawl_speed makes them
        value["dateAnswered"] = f"2021-{value['dateAnswered'][5:]}"
    with crawl_speed.PagesServer(values) as server:
        return peak_rss_mb([sys.executable, "-m", "commitments", "--db", str(tmp / f"crawl{questions}.db"), "crawl",
                            "written-questions", "--api-url", server.url, "--since", crawl_speed.SINCE,
                            "--until", crawl_speed.UNTIL, "--quiet", *crawl_speed._settings()])


def measure_extraction(documents: int, tmp: Path) -> float:
    path = tmp / f"extract{documents}.db"
    store_corpus(path, documents)
    return peak_rss_mb([sys.executable, "-m", "commitments", "--db", str(path), "extract"])


def measure(records: int = 2000, questions: int = 500, documents: int = 150, scale: int = 4) -> dict:
    parts = {"store": (measure_store, records), "crawl": (measure_crawl, questions),
             "extraction": (measure_extraction, documents)}
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        for part, (function, size) in parts.items():
            small, large = function(size, Path(tmp)), function(size * scale, Path(tmp))
            runs.append({"part": part, "sizes": [size, size * scale], "peak_rss_mb": [small, large],
                         "growth_mb": round(large - small, 1)})
    return {"measure": "memory", "how": "ru_maxrss of each subprocess (os.wait4)", "scale": scale, "runs": runs}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=2000, help="written questions stored")
    parser.add_argument("--questions", type=int, default=500, help="written questions crawled")
    parser.add_argument("--documents", type=int, default=150, help="documents extracted")
    parser.add_argument("--scale", type=int, default=4, help="the larger size, as a multiple of the smaller")
    parser.add_argument("--store-probe", nargs=2, metavar=("COUNT", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.store_probe:  # the measured subprocess of the store part
        store_corpus(Path(args.store_probe[1]), int(args.store_probe[0]))
        return
    result = measure(args.records, args.questions, args.documents, args.scale)
    for run in result["runs"]:
        print(run)


if __name__ == "__main__":
    main()
