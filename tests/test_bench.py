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
