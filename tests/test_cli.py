"""The command-line contract: every command has help; extract-text; clear errors."""

import re

import click
import pytest
from click.testing import CliRunner

from commitments.cli import cli
from tests.conftest import jsonl, run_cli


def all_commands(group, prefix=()):
    for name, command in group.commands.items():
        yield prefix + (name,)
        if isinstance(command, click.Group):
            yield from all_commands(command, prefix + (name,))


@pytest.mark.parametrize("path", [()] + list(all_commands(cli)), ids=lambda p: " ".join(p) or "commitments")
def test_every_command_has_help_with_an_example(path):
    """`commitments --help` and every `commitments CMD --help`, groups included: an
    "Example" heading followed by a line that runs this very command."""
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output
    lines = result.output.splitlines()
    heading = next((i for i, line in enumerate(lines) if re.match(r"\s*Examples?\b", line)), None)
    assert heading is not None, f"no Example in:\n{result.output}"
    invocation = " ".join(("commitments", *path))
    example = lines[heading + 1].strip()
    assert example == invocation or example.startswith(invocation + " "), example


def test_extract_text_from_stdin_with_owner_speaker_and_date():
    text = "We will launch a consultation on electoral integrity in the spring. The weather was fine."
    result = run_cli("extract-text", "--owner", "DCMS", "--speaker", "A Minister", "--date", "2021-02-01", "-", input=text)
    (mention,) = jsonl(result.stdout)
    assert mention == {
        "source": None, "source_id": None, "source_url": None, "date": "2021-02-01",
        "sentence": "We will launch a consultation on electoral integrity in the spring.",
        "kind": "firm", "action": "launch a consultation on electoral integrity",
        "owner": "Department for Digital, Culture, Media and Sport", "person": "A Minister",
        "deadline": "2021-05-31", "deadline_text": "in the spring", "deadline_precision": "season",
        "commitment_id": None,
    }


def test_extract_text_rejects_a_bad_date_clearly():
    result = run_cli("extract-text", "--date", "spring", "-", input="x", check=False)
    assert result.returncode == 2 and "YYYY-MM-DD" in result.stderr


def test_db_path_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("COMMITMENTS_DB", str(tmp_path / "env.db"))
    assert CliRunner().invoke(cli, ["load", "-"], input="").exit_code == 0  # a writer creates it
    assert (tmp_path / "env.db").exists()
    assert CliRunner().invoke(cli, ["export", "mentions"]).exit_code == 0


def test_read_commands_never_create_a_database(tmp_path, monkeypatch):
    missing = tmp_path / "nowhere" / "missing.db"
    monkeypatch.setenv("COMMITMENTS_DB", str(missing))
    for command in (["export", "mentions"], ["build-site", "--out", str(tmp_path / "site")]):
        result = CliRunner().invoke(cli, command)
        assert result.exit_code == 1 and "no database at" in result.output
    assert not missing.parent.exists()
