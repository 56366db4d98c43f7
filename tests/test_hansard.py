"""`commitments load-hansard`: ParlParse written answers and statements into the store."""

import shutil
from pathlib import Path

import sqlite_utils

from spiders.parlparse import parse_file
from tests.conftest import run_cli, shared_file

FIXTURE = Path(__file__).parent / "fixtures" / "hansard" / "lordswrans2019-11-05a.xml"


def test_reply_keeps_its_question_speaker_and_entities():
    (record,) = parse_file(FIXTURE.read_bytes(), FIXTURE.name)
    assert record["house"] == "Lords" and record["kind"] == "written_answer" and record["date"] == "2019-11-05"
    assert record["speaker"] == "Earl Example" and record["heading"] == "Elections: Proof of Identity"
    assert record["questions"][0]["member"] == "Lord Example of Testford"
    assert "£2 million" in record["text_html"]


def test_a_broken_file_is_a_rejection_and_its_neighbours_are_stored(tmp_path):
    folder = tmp_path / "xml"
    folder.mkdir()
    shutil.copy(FIXTURE, folder / FIXTURE.name)
    (folder / "answers2019-11-06a.xml").write_text("<publicwhip><reply id='x'>unclosed")
    (folder / "debates2019-11-06a.xml").write_text("<publicwhip/>")  # another kind: skipped, not rejected
    db_path = tmp_path / "h.db"
    result = run_cli("load-hansard", str(folder), db=db_path, check=False)
    assert result.returncode == 1 and "1 files of other kinds skipped" in result.stderr
    db = sqlite_utils.Database(db_path)
    assert db["hansard"].count == 1
    (document,) = db.query("select * from documents where source = 'hansard_written_answer'")
    assert document["person"] == "Earl Example" and "by the end of the year" in document["text"]
    (rejection,) = db.query("select * from rejections where source = 'hansard'")
    assert "answers2019-11-06a.xml" in rejection["url"] and "not well-formed" in rejection["reason"]


def test_real_2009_answers_and_statements_of_both_houses(tmp_path):
    folder = tmp_path / "xml"
    folder.mkdir()
    real = shared_file("real/twfy-answers2009-10-26f.xml").parent
    for path in real.glob("twfy-*2009-*.xml"):
        shutil.copy(path, folder / path.name.removeprefix("twfy-"))
    run_cli("load-hansard", str(folder), db=tmp_path / "h.db")
    db = sqlite_utils.Database(tmp_path / "h.db")
    counts = {(r["kind"], r["house"]): r["n"] for r in db.query("select kind, house, count(*) n from hansard group by 1, 2")}
    assert counts == {("written_answer", "Commons"): 1336, ("written_answer", "Lords"): 142,
                      ("written_statement", "Commons"): 35, ("written_statement", "Lords"): 33}
    assert db["documents"].count == sum(counts.values())
    run_cli("load-hansard", str(folder), db=tmp_path / "h.db")  # again: nothing doubles
    assert db["hansard"].count == sum(counts.values())
