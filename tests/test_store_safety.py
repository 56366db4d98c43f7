"""Files that are not ours, or not writable, or not where we thought: every command says
so in one line and leaves them as they were; Datasette serves the store read-only,
shows no path, and refuses the queries that build huge values in one call."""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request

import pytest
from click.testing import CliRunner

import db
from commitments.cli import cli
from tests.conftest import ROOT, free_port, get_json, run_cli, shared_file, wait_for_json

READ_COMMANDS = [["export", "mentions"], ["export", "commitments"], ["status", "review"], ["bodies"],
                 ["build-site", "--out", "{tmp}/site"]]
WRITE_COMMANDS = [["load", "-"], ["extract"], ["migrate"]]


def make_store(path):
    """A real store with one commitment and its mention, closed (no -wal left)."""
    database = db.open_db(path)
    database["documents"].insert({"id": "written_question:1", "source": "written_question", "source_id": "1",
                                  "text": "We will publish a review.", "title": "Reviews"})
    database["commitments"].insert({"id": "c1", "owner": "Cabinet Office", "action": "publish a review",
                                    "title": "Publish a review", "kind": "firm", "status": "made",
                                    "first_made": "2021-02-01", "last_mentioned": "2021-02-01", "mention_count": 1})
    database["mentions"].insert({"id": "m1", "document_id": "written_question:1", "commitment_id": "c1",
                                 "source": "written_question", "source_id": "1",
                                 "source_url": "https://questions-statements.parliament.uk/written-questions/detail/x",
                                 "date": "2021-02-01", "sentence": "We will publish a review.", "kind": "firm",
                                 "action": "publish a review", "owner": "Cabinet Office"})
    database["commitment_events"].insert({"id": "e1", "commitment_id": "c1", "sequence": 0, "date": "2021-02-01",
                                          "event": "made", "document_id": "written_question:1",
                                          "source": "written_question", "sentence": "We will publish a review.",
                                          "link": "automatic"})
    database.close()
    return path


def make_foreign(path):
    """Someone else's SQLite database, in WAL mode as many are."""
    conn = sqlite3.connect(path)
    conn.execute("pragma journal_mode = wal")
    conn.execute("create table birds (name text, seen text)")
    conn.execute("insert into birds values ('wren', '2021-02-01')")
    conn.commit()
    conn.close()
    return path


def run_briefly(*args, db_path) -> subprocess.CompletedProcess:
    """A command that must refuse at once (a server that started instead fails the test)."""
    command = [sys.executable, "-m", "commitments", "--db", str(db_path), *map(str, args)]
    try:
        return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=60,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    except subprocess.TimeoutExpired:
        pytest.fail(f"commitments {' '.join(map(str, args))} started instead of refusing")


def snapshot(path):
    """What must not change: the file's bytes and what lies beside it."""
    return hashlib.sha256(path.read_bytes()).hexdigest(), sorted(p.name for p in path.parent.iterdir())


def one_line_error(output: str) -> str:
    lines = [line for line in output.strip().splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in output, output
    return lines[0]


def invoke(tmp_path, db_path, command, input=""):
    args = [arg.replace("{tmp}", str(tmp_path)) for arg in command]
    return CliRunner().invoke(cli, ["--db", str(db_path), *args], input=input)


def as_unprivileged(command: list) -> list:
    """The command as a user whom file permissions bind: root runs it without the
    capabilities that override them (tests here, and CI, run as root)."""
    if os.geteuid() != 0:
        return command
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: file permissions cannot be enforced")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search", *command]


class Served:
    """`commitments serve` in a subprocess on a free port, stopped on exit."""

    def __init__(self, db_path, *options, unprivileged=False, cwd=ROOT):
        self.port = free_port()
        command = [sys.executable, "-m", "commitments", "--db", str(db_path), "serve", "--port", str(self.port),
                   *options]
        self.command = as_unprivileged(command) if unprivileged else command
        self.cwd = cwd
        self.base = f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        self.server = subprocess.Popen(self.command, cwd=self.cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                       env={**os.environ, "PYTHONPATH": str(ROOT)})
        wait_for_json(f"{self.base}/-/versions.json", self.server, seconds=60)
        return self

    def get(self, path):
        try:
            with urllib.request.urlopen(self.base + path, timeout=20) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def sql(self, query):
        """Datasette's answer, a refused query's (status 400) too."""
        return json.loads(self.get(f"/store.json?_shape=objects&sql={urllib.parse.quote(query)}")[1])

    def __exit__(self, *exc):
        self.server.terminate()
        _out, self.stderr = self.server.communicate(timeout=20)


# -- read commands open read-only and never create ---------------------------

def test_serve_on_a_missing_store_fails_in_one_line_and_creates_nothing(tmp_path):
    missing = tmp_path / "nowhere" / "store.db"
    result = run_briefly("serve", "--port", free_port(), db_path=missing)
    assert result.returncode == 1 and "no database at" in one_line_error(result.stderr)
    assert not missing.parent.exists()


@pytest.mark.parametrize("read_only", ["file", "folder"])
def test_read_commands_work_on_a_read_only_store(tmp_path, read_only):
    folder = tmp_path / "store"
    folder.mkdir()
    store = make_store(folder / "store.db")
    store.chmod(0o444)
    if read_only == "folder":
        folder.chmod(0o555)
    before = snapshot(store)
    try:
        command = as_unprivileged([sys.executable, "-m", "commitments"])
        exported = run_cli("export", "mentions", db=store, command=command)
        assert '"action": "publish a review"' in exported.stdout
        assert "Publish a review" in run_cli("status", "c1", db=store, command=command).stdout
        run_cli("build-site", "--out", tmp_path / "site", db=store, command=command)
        assert "Publish a review" in (tmp_path / "site" / "index.html").read_text()
        with Served(store, unprivileged=True) as served:
            rows = served.sql("select action from commitments")["rows"]
        assert rows == [{"action": "publish a review"}]
        if read_only == "folder":
            assert snapshot(store) == before
        else:
            assert snapshot(store)[0] == before[0]
    finally:
        folder.chmod(0o755)


# -- stores that are not ours, older or newer --------------------------------

@pytest.mark.parametrize("command", READ_COMMANDS + WRITE_COMMANDS, ids=" ".join)
def test_a_foreign_sqlite_file_is_named_and_left_untouched(tmp_path, command):
    (tmp_path / "data").mkdir()
    foreign = make_foreign(tmp_path / "data" / "birds.db")
    before = snapshot(foreign)
    result = invoke(tmp_path, foreign, command)
    assert result.exit_code == 2 and "not a Commitments Tracker store" in one_line_error(result.output)
    assert snapshot(foreign) == before
    conn = sqlite3.connect(f"file:{foreign}?immutable=1", uri=True)
    assert [r[0] for r in conn.execute("select name from sqlite_master")] == ["birds"]
    conn.close()
    assert foreign.read_bytes()[18:20] == b"\x02\x02"  # the header still says WAL: as it was


def test_serve_and_crawl_refuse_a_foreign_file_before_they_start(tmp_path):
    (tmp_path / "data").mkdir()
    foreign = make_foreign(tmp_path / "data" / "birds.db")
    before = snapshot(foreign)
    for command in (["serve", "--port", free_port()],
                    ["crawl", "written-questions", "--since", "2021-02-01", "--until", "2021-02-01",
                     "--api-url", f"http://127.0.0.1:{free_port()}", "-s", "RETRY_ENABLED=False"]):
        result = run_briefly(*command, db_path=foreign)
        assert result.returncode == 2 and "not a Commitments Tracker store" in one_line_error(result.stderr)
    assert snapshot(foreign) == before


def test_a_real_foreign_database_is_refused_untouched():
    real = shared_file("real/mysociety-wq-commons-tabled-2024-07.longform.sqlite")
    before = hashlib.sha256(real.read_bytes()).hexdigest()
    for command in (["export", "mentions"], ["extract"]):
        result = CliRunner().invoke(cli, ["--db", str(real), *command])
        assert result.exit_code == 2 and "not a Commitments Tracker store" in one_line_error(result.output)
    assert hashlib.sha256(real.read_bytes()).hexdigest() == before


@pytest.mark.parametrize("command", READ_COMMANDS + WRITE_COMMANDS, ids=" ".join)
def test_a_text_file_is_not_a_database(tmp_path, command):
    notes = tmp_path / "notes.txt"
    notes.write_text("Not a database.\n")
    result = invoke(tmp_path, notes, command)
    assert result.exit_code == 2 and "not a SQLite database" in one_line_error(result.output)
    assert notes.read_text() == "Not a database.\n" and sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def make_older(path):
    """A store as the tracker made it before the schema version existed: no mark, and
    without a column added since (mentions.reported)."""
    make_store(path)
    conn = sqlite3.connect(path)
    conn.execute("drop view trackable_mentions")
    newer = conn.execute("select name from sqlite_master where type = 'trigger' and (name like 'mentions_tracking_%' "
                         "or name like 'mentions_facet_counts_%')")
    for (trigger,) in newer.fetchall():
        conn.execute(f"drop trigger [{trigger}]")  # newer than that store, and they name the column
    conn.execute("alter table mentions drop column reported")
    conn.execute("pragma application_id = 0")
    conn.execute("pragma user_version = 0")
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize("command", READ_COMMANDS, ids=" ".join)
def test_an_older_store_is_named_with_the_command_that_migrates_it(tmp_path, command):
    older = make_older(tmp_path / "old.db")
    before = snapshot(older)
    result = invoke(tmp_path, older, command)
    message = one_line_error(result.output)
    assert result.exit_code == 2 and "older" in message and f"commitments --db {older} migrate" in message
    assert snapshot(older) == before


def test_migrate_and_write_commands_bring_an_older_store_up_to_date(tmp_path):
    older = make_older(tmp_path / "old.db")
    migrated = CliRunner().invoke(cli, ["--db", str(older), "migrate"])
    assert migrated.exit_code == 0 and f"schema 0 -> {db.schema.SCHEMA_VERSION}" in migrated.output
    exported = CliRunner().invoke(cli, ["--db", str(older), "export", "mentions"])
    assert exported.exit_code == 0 and "publish a review" in exported.output
    other = make_older(tmp_path / "other.db")
    assert CliRunner().invoke(cli, ["--db", str(other), "load", "-"], input="").exit_code == 0
    assert db.store_version(other) == db.schema.SCHEMA_VERSION
    assert "reported" in db.read_db(other)["mentions"].columns_dict


def test_a_newer_store_is_neither_read_nor_written(tmp_path):
    newer = make_store(tmp_path / "new.db")
    conn = sqlite3.connect(newer)
    conn.execute(f"pragma user_version = {db.schema.SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    before = snapshot(newer)
    for command in READ_COMMANDS + WRITE_COMMANDS:
        result = invoke(tmp_path, newer, command)
        assert result.exit_code == 2 and "newer" in one_line_error(result.output)
    assert snapshot(newer) == before


def test_writers_mark_the_store_and_an_interrupted_first_write_is_still_ours(tmp_path):
    store = make_store(tmp_path / "s.db")
    conn = sqlite3.connect(store)
    assert conn.execute("pragma application_id").fetchone()[0] == db.schema.APPLICATION_ID
    assert conn.execute("pragma user_version").fetchone()[0] == db.schema.SCHEMA_VERSION
    # A first write cut short after the mark and a few tables: an unfinished store, not a stranger.
    conn.execute("drop table commitments")
    conn.execute("pragma user_version = 0")
    conn.commit()
    conn.close()
    assert db.store_version(store) == 0
    assert CliRunner().invoke(cli, ["--db", str(store), "migrate"]).exit_code == 0
    assert db.read_db(store)["commitments"].exists()


# -- bad paths ---------------------------------------------------------------

BAD_DB_PATHS = {
    "a folder": (lambda tmp: tmp, "is a folder"),
    "a path under a file": (lambda tmp: tmp / "notes.txt" / "x.db", "is a file, not a folder"),
    "empty": (lambda tmp: "", "no database path given"),
}


@pytest.mark.parametrize("bad", BAD_DB_PATHS)
@pytest.mark.parametrize("command", READ_COMMANDS + WRITE_COMMANDS, ids=" ".join)
def test_a_db_path_that_cannot_be_a_store_is_one_line_exit_2(tmp_path, bad, command):
    (tmp_path / "notes.txt").write_text("notes\n")
    path, expected = BAD_DB_PATHS[bad]
    result = invoke(tmp_path, path(tmp_path), command)
    assert result.exit_code == 2 and expected in one_line_error(result.output)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_build_site_with_an_empty_out_writes_nothing_here(tmp_path):
    store = make_store(tmp_path / "s.db")
    here = tmp_path / "here"
    here.mkdir()
    result = run_cli("build-site", "--out", "", db=store, cwd=here, check=False)
    assert result.returncode == 2 and "--out is empty" in one_line_error(result.stderr)
    assert list(here.iterdir()) == []


@pytest.mark.parametrize("out, expected", [
    ("notes.txt", "is a file, not a folder"),
    ("notes.txt/site", "is a file, not a folder"),
    ("mine", "not an earlier build of the site"),
])
def test_build_site_refuses_an_out_that_is_not_its_own(tmp_path, out, expected):
    store = make_store(tmp_path / "s.db")
    (tmp_path / "notes.txt").write_text("notes\n")
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.md").write_text("my own work\n")
    result = CliRunner().invoke(cli, ["--db", str(store), "build-site", "--out", str(tmp_path / out)])
    assert result.exit_code == 2 and expected in one_line_error(result.output)
    assert (tmp_path / "notes.txt").read_text() == "notes\n"
    assert [p.name for p in (tmp_path / "mine").iterdir()] == ["thesis.md"]


def test_build_site_writes_over_an_earlier_build_even_one_without_the_mark(tmp_path):
    store = make_store(tmp_path / "s.db")
    site = tmp_path / "site"
    for _ in range(2):
        assert CliRunner().invoke(cli, ["--db", str(store), "build-site", "--out", str(site)]).exit_code == 0
    (site / ".commitments-site").unlink()  # a build from before the mark
    assert CliRunner().invoke(cli, ["--db", str(store), "build-site", "--out", str(site)]).exit_code == 0
    assert "Publish a review" in (site / "index.html").read_text()


def test_demo_refuses_to_replace_a_file_that_is_not_a_store(tmp_path):
    notes = tmp_path / "notes.db"
    notes.write_text("my notes\n")
    result = CliRunner().invoke(cli, ["--db", str(notes), "demo", "--site", str(tmp_path / "site")])
    assert result.exit_code == 2 and "not a SQLite database" in one_line_error(result.output)
    assert notes.read_text() == "my notes\n"


# -- Datasette ---------------------------------------------------------------

def test_datasette_serves_immutable_shows_no_path_and_refuses_huge_values(tmp_path):
    store = make_store(tmp_path / "store.db")
    with Served(store) as served:
        (database,) = get_json(f"{served.base}/-/databases.json")
        assert database["is_mutable"] is False and database["name"] == "store"
        pages = ["/", "/.json", "/store", "/store.json", "/store/commitments.json", "/-/databases.json",
                 "/-/metadata.json", "/-/settings.json", "/-/plugins.json", "/-/versions.json",
                 "/store.json?sql=select+*+from+pragma_database_list", "/store.json?sql=select+nonsense"]
        for page in pages:
            status, body = served.get(page)
            assert str(tmp_path) not in body and str(ROOT) not in body, page
        assert served.get("/-/threads.json")[0] == 404  # a debugging page naming the interpreter's files
        assert served.sql("select count(*) as n from commitments")["rows"] == [{"n": 1}]
        for function in ("zeroblob(10)", "randomblob(10)"):
            refused = served.sql(f"select length({function}) as n")
            assert refused["ok"] is False and "not authorized" in refused["error"], refused
        # One call may build at most MAX_VALUE_BYTES: a longer value is null, not 40 MB.
        too_big = served.sql("select length(printf('%.*c', 40000000, 'x')) as n")["rows"]
        assert too_big == [{"n": None}]
        assert served.sql("select length(printf('%.*c', 1000, 'x')) as n")["rows"] == [{"n": 1000}]
    assert snapshot(store)[1] == ["store.db"]  # immutable: no -wal or -shm beside it


def test_datasette_serves_live_while_a_writer_has_the_store_open(tmp_path):
    store = make_store(tmp_path / "store.db")
    writer = sqlite3.connect(store)
    writer.execute("pragma wal_autocheckpoint = 0")
    writer.execute("insert into commitments (id, owner, action, kind) values ('c2', 'HM Treasury', 'report', 'firm')")
    writer.commit()
    try:
        with Served(store) as served:
            (database,) = get_json(f"{served.base}/-/databases.json")
            assert database["is_mutable"] is True
            assert served.sql("select count(*) as n from commitments")["rows"] == [{"n": 2}]
        assert b"serving it --live" in served.stderr
    finally:
        writer.close()
