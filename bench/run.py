"""Every benchmark in one run, each as a ratio against its reference measured in the same
run on this machine; the results are written as JSON and a markdown table with the
machine's description.

    make bench     (= .venv/bin/python bench/run.py)
    .venv/bin/python bench/run.py --only store,grouping --records 1000 --out /tmp/bench

Parts: store (`db.save_records` against sqlite-utils `insert_all`), extraction (the
extractor against raw `nlp.pipe` at the same batch size, one and two processes),
grouping (time per mention from 2k to 20k mentions), crawl (the written questions
spider against a bare Scrapy spider on the same local pages), memory (peak resident set of
store, crawl and extraction subprocesses at 1x and 4x: flat when streamed). Asked for by name only, since it
builds a store of a million documents (14 minutes on 2 shared cores, 2.7 GB in --work): datasette (p50/p95 of the
search, table and stored-query pages under concurrent clients, bench/datasette_scale.py, then a
daily update's cost on that store and on a small one, bench/daily_update.py).
"""

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
for path in (str(ROOT), str(BENCH)):
    if path not in sys.path:
        sys.path.insert(0, path)

PARTS = ("store", "extraction", "grouping", "crawl", "memory")
ON_REQUEST = ("datasette",)  # not run unless named in --only
GOALS = {"store": 0.7, "extraction": 0.8, "crawl": 0.7}


def machine() -> dict:
    return {"cpu_count": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(),
            "load_average": [round(x, 2) for x in os.getloadavg()],
            "date": time.strftime("%Y-%m-%d %H:%M:%S %Z")}


def run(parts, records: int, repeats: int, sizes: list[int], questions: int, documents: int = 1_000_000,
        work: Path = Path("/tmp/bench-datasette")) -> dict:
    results = []
    if "store" in parts:
        import store_speed
        results.append(store_speed.measure(records, repeats))
    if "extraction" in parts:
        import extract_speed
        for processes in (1, 2):
            results.append(extract_speed.measure(processes, repeats=repeats))
    if "grouping" in parts:
        import group_speed
        results.append(group_speed.measure(sizes, repeats))
    if "crawl" in parts:
        import crawl_speed
        results.append(crawl_speed.measure(questions, repeats))
    if "memory" in parts:
        results.append(memory_part())
    if "datasette" in parts:
        import daily_update
        import datasette_scale
        results.append(datasette_scale.measure(documents, work=work))
        small = min(10_000, documents)
        for size in sorted({small, documents}):
            store, _ = datasette_scale.ensure_store(work, size)
            results.append(daily_update.measure(store, new=100))
    return {"machine": machine(), "results": results}


def memory_part() -> dict:
    """Peak memory of store, crawl and extraction at 1x and 4x (bench/memory.py)."""
    import memory
    return memory.measure()


def memory_lines(r: dict) -> list[str]:
    return [f"| peak memory, {run['part']}, {run['sizes'][0]:,} and {run['sizes'][1]:,} | "
            f"{run['peak_rss_mb'][0]} / {run['peak_rss_mb'][1]} MiB (`ru_maxrss` of its subprocess) | - | "
            f"grows {run['growth_mb']} MiB | flat |" for run in r["runs"]]


def _each(runs: list[dict], key: str) -> str:
    return ", ".join(f"{run[key]:,}" for run in runs)


def table(report: dict) -> str:
    m = report["machine"]
    lines = [f"Machine: {m['cpu_count']} CPUs ({m['processor']}), Python {m['python']}, {m['platform']}; "
             f"load average at the start {m['load_average']}; {m['date']}.", "",
             "| measure | project | reference in the same run | ratio | goal |", "|---|---|---|---|---|"]
    for r in report["results"]:
        if r["measure"] == "store":
            runs = r["runs"]
            lines.append(
                f"| store {r['records']:,} written questions ({runs[0]['rows']:,} rows), {len(runs)} runs "
                f"| {_each(runs, 'project_rows_per_s')} rows/s "
                f"| `insert_all`: {_each(runs, 'reference_rows_per_s')} rows/s "
                f"| {_each(runs, 'ratio')} (median {r['ratio']}; CPU time {r['cpu_ratio']}) | >= {GOALS['store']} |")
        elif r["measure"] == "extraction":
            lines.append(
                f"| extraction, {r['processes']} process(es), batch {r['batch_size']}, {r['words']:,} words "
                f"| {r['extractor_words_per_s']:,} words/s | raw `nlp.pipe`: {r['raw_words_per_s']:,} words/s "
                f"(without `ner`: {r['raw_without_ner_words_per_s']:,}) "
                f"| {r['ratio']} (rounds {', '.join(map(str, r['round_ratios']))}"
                + f"; CPU time {r['cpu_ratio']}) | >= {GOALS['extraction']} |")
        elif r["measure"] == "grouping":
            per = ", ".join(f"{x['mentions']:,}: {x['seconds']} s ({x['us_per_mention']} us each)" for x in r["runs"])
            if r.get("left_out_over_budget"):
                per += f"; left out, over the time budget: {r['left_out_over_budget']}"
            lines.append(f"| grouping | {per} | - | time per mention, largest over smallest: {r['growth']} "
                         f"| about 1 (linear) |")
        elif r["measure"] == "crawl":
            runs = r["runs"]
            lines.append(
                f"| crawl {r['questions']:,} questions ({r['requests']:,} requests), {len(runs)} runs "
                f"| {_each(runs, 'project_records_per_s')} records/s "
                f"| bare Scrapy: {_each(runs, 'reference_records_per_s')} records/s "
                f"| {_each(runs, 'ratio')} (median {r['ratio']}) | >= {GOALS['crawl']} |")
        elif r["measure"] == "memory":
            lines += memory_lines(r)
        elif r["measure"] == "datasette":
            lines.append(f"| Datasette, {r['documents']:,} documents, {r['clients']} clients x {r['requests_each']} "
                         f"requests a page (server ready in {r['server_ready_s']} s) | p50 / p95 / cold ms | - | - "
                         f"| p95 < {r['goal_p95_ms']} ms |")
            for page in r["pages"]:
                flags = ", ".join([f"{page['errors']} errors"] * bool(page["errors"])
                                  + [f"facets shown {'-'.join(map(str, page['facets_shown']))}"] * bool(page["facets_shown"]))
                lines.append(f"| &nbsp; {page['page']} | {page['p50_ms']} / {page['p95_ms']} / {page['cold_ms']} "
                             f"| {page['requests_per_s']} requests/s | {flags or '-'} "
                             f"| {'yes' if page['p95_ms'] < r['goal_p95_ms'] else 'no'} |")
        elif r["measure"] == "daily update":
            steps = ", ".join(f"{step} {seconds} s" for step, seconds in r["seconds"].items())
            lines.append(f"| daily update, {r['new']} new records on {r['documents']:,} documents "
                         f"| {steps} | {r['crawl_requests']} requests, {r['pending_after_crawl']} pending | - "
                         f"| grows with new records, not the store |")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default=",".join(PARTS),
                        help=f"comma-separated, among {', '.join(PARTS + ON_REQUEST)} (default: all but "
                             f"{', '.join(ON_REQUEST)})")
    parser.add_argument("--records", type=int, default=5000, help="written questions stored")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--sizes", default="2000,5000,10000,20000", help="mentions grouped")
    parser.add_argument("--questions", type=int, default=2000, help="written questions crawled")
    parser.add_argument("--documents", type=int, default=1_000_000, help="documents in the datasette part's store")
    parser.add_argument("--work", default="/tmp/bench-datasette", help="where the datasette part builds its stores")
    parser.add_argument("--out", default=str(BENCH / "results"), help="folder for results.json and results.md")
    args = parser.parse_args()
    parts = [p for p in args.only.split(",") if p]
    unknown = set(parts) - set(PARTS + ON_REQUEST)
    if unknown:
        parser.error(f"unknown parts {sorted(unknown)}: choose among {', '.join(PARTS + ON_REQUEST)}")
    report = run(parts, args.records, args.repeats, [int(s) for s in args.sizes.split(",")], args.questions,
                 args.documents, Path(args.work))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(report, indent=2) + "\n")
    (out / "results.md").write_text(table(report))
    print(table(report))
    print(f"written: {out / 'results.json'}, {out / 'results.md'}")


if __name__ == "__main__":
    main()
