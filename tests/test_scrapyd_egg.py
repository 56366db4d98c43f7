"""The project deploys to Scrapyd: `scrapyd-deploy --build-egg` (scrapyd-client) builds an egg
whose entry point names our settings and from which Scrapy lists our spiders."""

import os
import shutil
import subprocess
import sys
import zipfile

import pytest

from tests.conftest import ROOT

SCRAPYD_DEPLOY = shutil.which("scrapyd-deploy") or shutil.which("scrapyd-deploy", path=os.path.dirname(sys.executable))
# What setup.py (written by scrapyd-deploy) and pyproject.toml build the egg from.
PROJECT_FILES = ["scrapy.cfg", "pyproject.toml", "README.md", "commitments", "common", "db", "extract", "spiders",
                 "templates", "site"]


@pytest.mark.skipif(SCRAPYD_DEPLOY is None, reason="scrapyd-client is not installed (pip install scrapyd-client)")
def test_scrapyd_deploy_builds_an_egg_that_lists_our_spiders(tmp_path):
    # A copy: scrapyd-deploy writes a setup.py and build folders where it runs.
    project = tmp_path / "project"
    project.mkdir()
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, project / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy(source, project / name)
    egg = tmp_path / "commitments.egg"
    built = subprocess.run([SCRAPYD_DEPLOY, "--build-egg", str(egg)], cwd=project, capture_output=True, text=True,
                           timeout=300, env={**os.environ, "SCRAPYD_URL": "http://127.0.0.1:6800/"})
    assert built.returncode == 0, built.stderr[-3000:]
    with zipfile.ZipFile(egg) as archive:
        names = set(archive.namelist())
        entry_points = archive.read("EGG-INFO/entry_points.txt").decode()
    assert {"spiders/settings.py", "spiders/written_questions.py", "spiders/distributed.py", "db/store.py"} <= names
    assert "[scrapy]" in entry_points and "settings = spiders.settings" in entry_points
    # As Scrapyd runs it: the egg on the path, the settings its entry point names, no project folder.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    egg_env = {**os.environ, "PYTHONPATH": str(egg), "SCRAPY_SETTINGS_MODULE": "spiders.settings"}
    listed = subprocess.run([sys.executable, "-m", "scrapy", "list"], cwd=elsewhere, capture_output=True, text=True,
                            timeout=120, env=egg_env)
    assert listed.returncode == 0, listed.stderr[-3000:]
    where = subprocess.run([sys.executable, "-c", "import spiders.written_questions as m; print(m.__file__)"],
                           cwd=elsewhere, capture_output=True, text=True, timeout=60, env=egg_env)
    assert where.stdout.strip().startswith(str(egg)), where  # the egg's spiders, not an installed checkout's
    assert set(listed.stdout.split()) == {"written_questions", "written_statements", "committee_evidence", "press"}
