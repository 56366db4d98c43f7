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


def test_the_memory_bench_measures_a_subprocess_peak_and_stores_the_records_it_made(tmp_path):
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import memory
    finally:
        sys.path.remove(str(ROOT / "bench"))
    peak = memory.measure_store(250, tmp_path)  # two batches, the second of 50
    assert 10 < peak < 2000
    import sqlite_utils
    store = sqlite_utils.Database(tmp_path / "store250.db")
    assert store["written_questions"].count == 250 and store["documents"].count == 250
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import run
    finally:
        sys.path.remove(str(ROOT / "bench"))
    report = {"measure": "memory", "runs": [{"part": "store", "sizes": [1, 4], "peak_rss_mb": [80.0, 81.5],
                                             "growth_mb": 1.5}]}
    assert run.memory_lines(report) == ["| peak memory, store, 1 and 4 | 80.0 / 81.5 MiB (`ru_maxrss` of its "
                                        "subprocess) | - | grows 1.5 MiB | flat |"]
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
    # each page as people read it and as programs do
    assert {page["page"].rsplit(" (", 1)[1] for page in report["pages"]} == {"html)", "json)"}
    import sqlite_utils

    store = sqlite_utils.Database(tmp_path / "scale-300.db")
    assert store["documents"].count == 300 and store["extraction_state"].count == 300
    assert store["documents"].triggers_dict.keys() >= {"documents_ai", "documents_ad", "documents_au"}
    assert store.execute("select count(*) from documents_fts where documents_fts match 'government'").fetchone()[0]


def test_whole_runs_time_both_checkouts_on_the_same_store_and_compare_their_rows(tmp_path):
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import track_speed
    finally:
        sys.path.remove(str(ROOT / "bench"))
    [row] = track_speed.whole_runs([300], tmp_path, project=track_speed.ROOT)
    assert row["mentions"] == 300 and row["identical_rows"] is True
    assert row["us_per_mention"] > 0 and row["other_us_per_mention"] > 0 and len(row["load_average"]) == 2
