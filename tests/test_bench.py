"""The benchmark command runs (its store part, at a tiny size) and writes its results."""

import json
import subprocess
import sys

from tests.conftest import ROOT


def test_the_store_bench_runs_and_writes_json_and_a_table(tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--only", "store", "--records", "20",
                             "--repeats", "1", "--out", str(tmp_path)], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads((tmp_path / "results.json").read_text())
    assert {"cpu_count", "python", "platform"} <= set(report["machine"])
    (store,) = report["results"]
    assert store["measure"] == "store" and store["records"] == 20 and store["ratio"] > 0
    assert store["rows_per_table"]["written_questions"] == 20
    assert "| store 20 written questions" in (tmp_path / "results.md").read_text()


def test_an_unknown_part_is_one_line():
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--only", "nonsense"],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 2 and "unknown parts ['nonsense']" in result.stderr


def test_the_datasette_bench_builds_a_store_of_the_projects_shape_and_serves_it(tmp_path):
    """At 300 documents (the bench itself runs at 1,000,000): the store is made by db/ (indexes,
    full-text search and its triggers put back), and every page answers through `commitments serve`."""
    out = tmp_path / "datasette.json"
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "datasette_scale.py"), "--documents", "300",
                             "--clients", "2", "--requests", "2", "--work", str(tmp_path), "--out", str(out)],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(out.read_text())
    assert report["documents"] == 300 and len(report["pages"]) >= 10
    assert all(page["errors"] == 0 and page["p95_ms"] > 0 for page in report["pages"])
    import sqlite_utils

    store = sqlite_utils.Database(tmp_path / "scale-300.db")
    assert store["documents"].count == 300 and store["extraction_state"].count == 300
    assert store["documents"].triggers_dict.keys() >= {"documents_ai", "documents_ad", "documents_au"}
    assert store.execute("select count(*) from documents_fts where documents_fts match 'government'").fetchone()[0]
