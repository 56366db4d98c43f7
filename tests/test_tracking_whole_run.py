"""A whole tracking run writes its index tables with their secondary indexes set aside and built
again after the rows (bench/README.md, issue 14): the store keeps every index, and the rows are
what an incremental run then reads."""

import sys
from datetime import date

import db
from extract.runner import run_tracking
from tests.conftest import ROOT


def _indexes(database) -> list[tuple]:
    return database.execute("select name, tbl_name, sql from sqlite_master where type = 'index' "
                            "order by name").fetchall()


def _bench():
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import track_speed
    finally:
        sys.path.remove(str(ROOT / "bench"))
    return track_speed


def test_a_whole_run_keeps_every_index_and_an_incremental_run_goes_on_from_it(tmp_path):
    bench = _bench()
    path = tmp_path / "store.db"
    generator = bench.build(path, 400)
    database = db.open_db(path)
    before = _indexes(database)
    assert any(table == "unit_stems" for _, table, _ in before)
    run_tracking(database, None, date(2026, 6, 1), full=True)
    assert _indexes(database) == before
    assert database.execute("select count(*) from unit_stems").fetchone()[0] > 400
    run_tracking(database, None, date(2026, 6, 1), full=True)  # over rows already there
    assert _indexes(database) == before

    bench.add(database, generator.documents(20, date(2025, 1, 2), 1))
    bench.copy_store(path, tmp_path / "full.db")
    assert run_tracking(database, None, date(2026, 6, 1))["mode"] == "incremental"
    whole = db.open_db(tmp_path / "full.db")
    run_tracking(whole, None, date(2026, 6, 1), full=True)
    assert bench.dump(database) == bench.dump(whole)
