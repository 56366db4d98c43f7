"""Datasette at scale: latency of the pages people use, on a store of N generated documents served
by `commitments serve` (a real Datasette subprocess on loopback, immutable), under concurrent
clients; and what a daily update costs on that store (bench/daily_update.py).

    .venv/bin/python bench/datasette_scale.py --documents 1000000 [--store PATH] [--clients 6]

The store is built once by bench/scale_store.py (1,000,000 documents: 14 minutes on 2 shared cores, 2.7 GB)
into --work (default /tmp/bench-datasette) and reused when it is there with that many documents.
Each page is measured as people read it (HTML) and as programs do (`.json`, `--formats`). It is asked
once right after the server starts (cold: the server's caches empty, the file in the OS cache as the
build left it), then warmed up, then asked `--requests` times by each of `--clients` concurrent
clients (asyncio, httpx). p50 and p95 are over all those requests.
A query past Datasette's time limit makes an error page (`errors`); a facet past its own limit is
left out of the page (`facets_shown`: fewer than the table's configured facets).
"""

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
for path in (str(ROOT), str(BENCH)):
    if path not in sys.path:
        sys.path.insert(0, path)

GOAL_P95_MS = 200
FORMATS = ("html", "json")
CLIENT_TIMEOUT_S = 120  # a page queued behind others' 3 s time limits can take a minute on a loaded machine


def pages(name: str) -> dict[str, str]:
    """What is measured: label -> path. `name` is the database's name (the file's stem)."""
    table = f"/{name}/documents"
    return {
        # (a) full-text search on the documents table with its configured facets, sorted as the
        # table sorts (sort_desc: date); a word in about one document in ten, and a rarer one
        "search, common word (documents)": f"{table}?_search=flood",
        "search, rare word (documents)": f"{table}?_search=hydrogen+insulation",
        "search, word in nearly every document": f"{table}?_search=funding",
        # the costliest kind found: few matches (4,166), one of the words in 79% of documents, so each pass
        # of the full-text match steps through that word's long list (10 ms a pass on 1,000,000 documents)
        "search, three words, one common": f"{table}?_search=hydrogen+insulation+schools",
        # (b) the table view with its configured facets (source, house, body), whole and filtered
        "table view, faceted": table,
        "table view, one department": f"{table}?body={quote('Home Office')}",
        "table view, a facet picked": f"{table}?source=written_statement&house=Lords",
        # (c) the stored queries the home page and the site link to, and mention search
        "query: overdue_commitments": f"/{name}/overdue_commitments",
        "query: recent_changes (30 days)": f"/{name}/recent_changes?days=30",
        "query: minister_commitments": f"/{name}/minister_commitments?person={quote('Number 12')}",
        "query: commitments_by_department": f"/{name}/commitments_by_department",
        "search mentions": f"/{name}/mentions?_search=strategy",
        "commitments table, faceted": f"/{name}/commitments",
        # (d) the other big tables and views, each with its configured facets
        "mentions table, faceted": f"/{name}/mentions",
        "written questions table, faceted": f"/{name}/written_questions",
        "commitment events table, faceted": f"/{name}/commitment_events",
        "view: trackable_mentions": f"/{name}/trackable_mentions",
        "view: written_answers": f"/{name}/written_answers",
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """`commitments serve` on the store, as a subprocess of the checkout `project`."""

    def __init__(self, store: Path, project: Path = ROOT, workers: int | None = None):
        self.store, self.project, self.port, self.workers = store, project, free_port(), workers

    def __enter__(self):
        command = [sys.executable, "-m", "commitments", "--db", str(self.store), "serve", "--port", str(self.port),
                   *(["--workers", str(self.workers)] if self.workers else [])]
        start = time.perf_counter()
        self.process = subprocess.Popen(command, cwd=self.project, env={**os.environ, "PYTHONPATH": str(self.project)},
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.url = f"http://127.0.0.1:{self.port}"
        import httpx
        while True:
            if self.process.poll() is not None:
                raise SystemExit(f"commitments serve stopped: {self.process.stderr.read().decode()[-2000:]}")
            try:
                httpx.get(f"{self.url}/-/versions.json", timeout=5)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        self.ready_s = round(time.perf_counter() - start, 2)
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _facets(body: bytes) -> int | None:
    """How many facets the page showed: a facet that ran past facet_time_limit_ms is left out of
    the page (a query past sql_time_limit_ms makes the whole page an error instead), and one a big
    search did not count says "skipped" (db/datasette_plugins/commitments_facets.py)."""
    try:
        facets = json.loads(body).get("facet_results")  # absent from a stored query's page
    except (ValueError, AttributeError):
        return None
    return None if facets is None else sum("skipped" not in facet for facet in facets.values())


def _as_json(path: str) -> str:
    return path.replace("?", ".json?", 1) if "?" in path else path + ".json"


async def _get(client, path: str) -> tuple[float, int, int | None]:
    import httpx

    start = time.perf_counter()
    try:
        response = await client.get(path)
    except httpx.TimeoutException:  # counted as an error, at the time it was given up
        return (time.perf_counter() - start) * 1000, 0, None
    elapsed = (time.perf_counter() - start) * 1000
    return elapsed, response.status_code, _facets(response.content) if ".json" in path else None


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))], 1)


async def _measure(url: str, pages: dict[str, str], clients: int, requests: int, warmup: int,
                   formats: tuple[str, ...] = FORMATS) -> list[dict]:
    import httpx

    results = []
    paths = {f"{label} ({kind})": _as_json(path) if kind == "json" else path
             for label, path in pages.items() for kind in formats}
    async with httpx.AsyncClient(base_url=url, timeout=CLIENT_TIMEOUT_S) as client:
        cold = {label: await _get(client, path) for label, path in paths.items()}
        for label, path in paths.items():
            for _ in range(warmup):
                await _get(client, path)

            async def one_client():
                return [await _get(client, path) for _ in range(requests)]

            start = time.perf_counter()
            runs = [r for batch in await asyncio.gather(*(one_client() for _ in range(clients))) for r in batch]
            wall = time.perf_counter() - start
            times = [r[0] for r in runs]
            results.append({
                "page": label, "path": path, "cold_ms": round(cold[label][0], 1),
                "p50_ms": _percentile(times, 0.5), "p95_ms": _percentile(times, 0.95), "max_ms": round(max(times), 1),
                "requests": len(runs), "requests_per_s": round(len(runs) / wall, 1),
                "errors": sum(r[1] != 200 for r in runs) + (cold[label][1] != 200),
                # facets shown, fewest and most: fewer than configured when some ran out of time
                "facets_shown": sorted({r[2] for r in runs if r[2] is not None}),
            })
            print(f"  {label}: p50 {results[-1]['p50_ms']} ms, p95 {results[-1]['p95_ms']} ms, "
                  f"cold {results[-1]['cold_ms']} ms, errors {results[-1]['errors']}, "
                  f"facets shown {results[-1]['facets_shown']}", flush=True)
    return results


def ensure_store(work: Path, documents: int) -> tuple[Path, dict | None]:
    """The store of `documents` generated documents in `work`: built unless already there."""
    import scale_store

    store = work / f"scale-{documents}.db"
    done = work / f"scale-{documents}.built"
    if store.exists() and done.exists():
        return store, json.loads(done.read_text())
    work.mkdir(parents=True, exist_ok=True)
    built = scale_store.build(store, documents)
    done.write_text(json.dumps(built))
    return store, built


def measure(documents: int = 1_000_000, clients: int = 6, requests: int = 20, warmup: int = 2,
            work: Path = Path("/tmp/bench-datasette"), store: Path | None = None, project: Path = ROOT,
            formats: tuple[str, ...] = FORMATS, only: str | None = None, workers: int | None = None) -> dict:
    built = None
    if store is None:
        store, built = ensure_store(work, documents)
    measured = {label: path for label, path in pages(store.stem).items() if not only or only in label}
    with Server(store, project, workers) as server:
        pages_measured = asyncio.run(_measure(server.url, measured, clients, requests, warmup, formats))
    return {"measure": "datasette", "documents": documents, "store_bytes": store.stat().st_size, "build": built,
            "clients": clients, "requests_each": requests, "formats": list(formats),
            "workers": workers or "commitments serve's default", "server_ready_s": server.ready_s,
            "goal_p95_ms": GOAL_P95_MS, "pages": pages_measured}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--requests", type=int, default=20, help="requests each client makes to each page")
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench-datasette"), help="where the store is built")
    parser.add_argument("--store", type=Path, default=None, help="measure this store instead of building one")
    parser.add_argument("--project", type=Path, default=ROOT, help="the checkout whose `commitments serve` runs")
    parser.add_argument("--out", type=Path, default=None, help="also write the results here (JSON)")
    parser.add_argument("--formats", default=",".join(FORMATS), help="html, json or both (the default)")
    parser.add_argument("--only", default=None, help="measure only the pages whose label contains this")
    parser.add_argument("--workers", type=int, default=None,
                        help="`commitments serve --workers`: server processes (default: that command's own)")
    args = parser.parse_args()
    formats = tuple(kind.strip() for kind in args.formats.split(",") if kind.strip())
    if not formats or set(formats) - set(FORMATS):
        parser.error(f"--formats: html, json or both, not {args.formats!r}")
    result = measure(args.documents, args.clients, args.requests, work=args.work, store=args.store,
                     project=args.project.resolve(), formats=formats, only=args.only, workers=args.workers)
    print(json.dumps(result, indent=1))
    if args.out:
        args.out.write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
