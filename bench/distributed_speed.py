"""Wall time of the two ways past one process: a crawl by 1 and 2 workers sharing a Redis
queue, and an extraction by 1 and 2 shards (and, for comparison, spaCy's own 2 processes).

    .venv/bin/python bench/distributed_speed.py [--questions 400] [--latency 0.05] [--documents 300]

Crawl: made-up written questions (bench/store_speed.py) served on loopback, each request
answered after `--latency` seconds, as a distant API answers; list pages of 100 cut long
answers, so most records need their detail. Each run is `commitments crawl written-questions`
as subprocesses into a fresh store, timed from launch until the last worker exits (`wall`,
process start-up included) and from the first worker's start to the last one's end as
`crawl_runs` records them (`crawl`). Needs redis-server on the PATH and scrapy-redis.

Extraction: the same kind of made-up questions in a fresh store; `commitments extract`,
`extract --shards 2` and `extract --processes 2` on copies of it, each checked to store the
same mentions as the first.
"""

import argparse
import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
for path in (str(ROOT), str(BENCH)):
    if path not in sys.path:
        sys.path.insert(0, path)

import db  # noqa: E402
from commitments.demo.server import Endpoint, RecordedApi  # noqa: E402
from store_speed import api_values, pipeline_records  # noqa: E402

QUESTIONS = "/api/writtenquestions/questions"
CRAWL_SETTINGS = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=4",
                  "-s", "LOG_LEVEL=WARNING", "-s", "API_PAGE_SIZE=100"]


class DistantApi(RecordedApi):
    """The recorded API, answering each request after a delay."""

    def __init__(self, values, latency: float):
        questions = Endpoint(QUESTIONS, values, {"answeredWhen": "dateAnswered", "tabledWhen": "dateTabled"},
                             ("questionText", "answerText", "originalAnswerText"), ("questionText", "answerText"))
        statements = Endpoint("/api/writtenstatements/statements", [], {"madeWhen": "dateMade"}, ("text",), ("text",))
        super().__init__(endpoints=[questions, statements], committee_endpoints=[])
        self.latency = latency

    def respond(self, raw_path):
        time.sleep(self.latency)
        return super().respond(raw_path)


def commitments(*args) -> list[str]:
    return [sys.executable, "-m", "commitments", *map(str, args)]


def cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_processes(commands: list[list[str]], results: dict, name: str) -> None:
    """Run the commands at once; `<name>_wall_s` until the last exits, `<name>_cpu_s` the CPU
    they used together (on a busy machine the wall time says little about what more cores give)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cpu = cpu_of_children()
    start = time.perf_counter()
    processes = [subprocess.Popen(c, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                 for c in commands]
    for process in processes:
        _, stderr = process.communicate()
        if process.returncode != 0:
            raise SystemExit(f"{' '.join(process.args)} failed:\n{stderr[-2000:]}")
    results[f"{name}_wall_s"] = round(time.perf_counter() - start, 2)
    results[f"{name}_cpu_s"] = round(cpu_of_children() - cpu, 2)


def start_redis(folder: Path) -> tuple[subprocess.Popen, str]:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "",
                               "--dir", str(folder)], stdout=subprocess.DEVNULL)
    time.sleep(0.5)
    return server, f"redis://127.0.0.1:{port}/0"


def measure_crawl(questions: int, latency: float, folder: Path) -> dict:
    values = api_values(questions)
    server, redis_url = start_redis(folder)
    results = {"questions": questions, "latency_s": latency}
    try:
        with DistantApi(values, latency) as api:
            for name, workers, redis in (("plain", 1, False), ("redis_1_worker", 1, True), ("redis_2_workers", 2, True)):
                store = folder / f"crawl-{name}.db"
                command = commitments("--db", store, "crawl", "written-questions", "--api-url", api.url,
                                      "--since", "2021-01-01", "--until", "2021-12-31", "--quiet", *CRAWL_SETTINGS,
                                      *(["--redis-url", redis_url] if redis else []))
                before = len(api.requests)
                timed_processes([command] * workers, results, name)
                connection = sqlite3.connect(store)
                stored = connection.execute("select count(*) from written_questions").fetchone()[0]
                assert stored == questions, (name, stored)
                # The crawl itself, without process start-up: first worker's start to last worker's end.
                span, shares = connection.execute(
                    "select (julianday(max(finished)) - julianday(min(started))) * 86400, group_concat(items_stored)"
                    " from crawl_runs").fetchone()
                results[f"{name}_crawl_s"] = round(span, 2)
                results[f"{name}_records_per_worker"] = shares
                results[f"{name}_requests"] = len(api.requests) - before
    finally:
        server.terminate()
    return results


def mentions(path: Path) -> list[tuple]:
    return sqlite3.connect(path).execute("select id, document_id, action, kind from mentions order by id").fetchall()


def measure_extraction(documents: int, folder: Path) -> dict:
    base = folder / "extract-base.db"
    store = db.open_db(base)
    db.save_records(store, pipeline_records(api_values(documents, seed=41)))
    words = sum(len(text.split()) for (text,) in store.execute("select text from documents").fetchall())
    store.close()
    results = {"documents": documents, "words": words}
    first = None
    for name, extra in (("one_process", []), ("two_shards", ["--shards", 2]), ("spacy_two_processes", ["--processes", 2])):
        path = folder / f"extract-{name}.db"
        shutil.copy(base, path)
        timed_processes([commitments("--db", path, "extract", "--as-of", "2024-01-01", *extra)], results, name)
        found = mentions(path)
        first = found if first is None else first
        assert found == first, f"{name} stored other mentions than one process"
        results["mentions"] = len(found)
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--questions", type=int, default=400)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--documents", type=int, default=300)
    parser.add_argument("--only", choices=["crawl", "extraction"])
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="distributed-bench-"))
    out = {"cpus": os.cpu_count(), "load_average_at_start": [round(x, 2) for x in os.getloadavg()]}
    try:
        if options.only != "extraction":
            out["crawl"] = measure_crawl(options.questions, options.latency, folder)
        if options.only != "crawl":
            out["extraction"] = measure_extraction(options.documents, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    out["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
