"""`pip install .` outside the checkout: the wheel carries the templates, the site's assets,
the Datasette metadata, the demo corpus and the other data files, and the installed
`commitments demo`, `build-site` and `serve` work from them.

The wheel is built from a copy of the checkout with this environment's setuptools and
installed, without its dependencies, into a fresh virtualenv that reads them from this
environment's site-packages (a .pth line: nothing downloaded). That line adds the folder
only; the .pth files inside it, this environment's own editable install of the project
among them, are not run, so the checkout cannot leak in. Commands run from a temp folder.
"""

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from tests.conftest import ROOT, free_port, run_cli, wait_for_json
from tests.test_demo_publish import STORY

# what a copy of the checkout leaves behind: caches, the virtualenv, build leftovers
NOT_SOURCES = shutil.ignore_patterns(".git", ".venv", "data", "build", "dist", "*.egg-info", "__pycache__",
                                     ".pytest_cache", "_site")

# what the installed package reports about itself: where its modules and packaged files are
WHERE = """
import json, sys
from common import resources
import commitments.demo.server, commitments.site, common, db, extract, spiders
print(json.dumps({
    "modules": [m.__file__ for m in (commitments.site, commitments.demo.server, common, db, extract, spiders)],
    "files": {name: str(getattr(resources, name)()) for name in (
        "site_templates", "static_assets", "datasette_metadata", "gold_corrections", "default_feeds", "gazetteer")},
    "corpus": str(commitments.demo.server.CORPUS_DIR),
    "datasette_templates": resources.datasette_templates() and str(resources.datasette_templates()),
    "sys_path": sys.path,
    "meta_path": [repr(finder) for finder in sys.meta_path],
}))
"""


def run(command: list, cwd: Path) -> subprocess.CompletedProcess:
    result = subprocess.run([str(c) for c in command], capture_output=True, text=True, cwd=cwd, env=clean_env())
    assert result.returncode == 0, f"{command} failed ({result.returncode}):\n{result.stderr[-3000:]}"
    return result


def clean_env() -> dict:
    """This environment without anything that would put the checkout on sys.path."""
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP")}


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh virtualenv with the project installed from its wheel; returns its bin/ folder."""
    work = tmp_path_factory.mktemp("install")
    source, wheels, env = work / "source", work / "wheels", work / "venv"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCES)  # the build's leftovers stay out of the checkout
    run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "--no-index",
         "--wheel-dir", wheels, source], cwd=work)
    (wheel,) = wheels.glob("commitments_tracker-*.whl")

    venv.create(env, with_pip=False)
    python = env / "bin" / "python"
    purelib = run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=work).stdout.strip()
    here = dict.fromkeys(sysconfig.get_paths()[k] for k in ("purelib", "platlib"))
    (Path(purelib) / "_dependencies.pth").write_text("".join(f"{p}\n" for p in here))
    # --ignore-installed: this environment's own install of the project shows through the
    # .pth line and must be neither uninstalled nor taken for this one.
    run([python, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", "--ignore-installed", wheel], cwd=work)
    return env / "bin"


@pytest.fixture(scope="module")
def outside(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("outside")


def under(path: str, folder: Path) -> bool:
    return Path(path).resolve().is_relative_to(folder.resolve())


def test_the_installed_package_has_no_path_back_to_the_checkout(installed, outside):
    where = json.loads(run([installed / "python", "-c", WHERE], cwd=outside).stdout)
    env = installed.parent
    for path in where["modules"] + list(where["files"].values()) + [where["corpus"]]:
        assert under(path, env) and Path(path).exists(), path
    assert where["datasette_templates"] is None or under(where["datasette_templates"], env)
    assert (Path(where["files"]["site_templates"]) / "index.html").is_file()
    assert (Path(where["files"]["static_assets"]) / "style.css").is_file()
    # the only folder on sys.path holding the project is the new virtualenv's (in CI this
    # environment's .venv sits inside the checkout: look for the packages, not the folder)
    assert all(under(p, env) for p in where["sys_path"] if p and (Path(p) / "commitments").exists())
    assert not any(Path(p).resolve() == ROOT.resolve() for p in where["sys_path"] if p)
    assert not any("__editable__" in finder for finder in where["meta_path"])


@pytest.fixture(scope="module")
def demo(installed, outside):
    db_path, site = outside / "commitments.db", outside / "demo-site"
    run_cli("demo", "--site", site, db=db_path, command=[installed / "commitments"], cwd=outside, env=clean_env())
    return db_path, site


def test_installed_demo_and_build_site(installed, outside, demo):
    db_path, site = demo
    index = (site / "index.html").read_text()
    assert any(action.lower() in index.lower() for action in STORY) and (site / "assets" / "style.css").is_file()
    other = outside / "built-site"
    run_cli("build-site", "--out", other, db=db_path, command=[installed / "commitments"], cwd=outside, env=clean_env())
    assert (other / "index.html").read_text() == index and (other / "assets" / "style.css").is_file()


def test_installed_serve(installed, outside, demo):
    db_path, _site = demo
    port = free_port()
    server = subprocess.Popen([installed / "commitments", "--db", db_path, "serve", "--port", str(port)],
                              cwd=outside, env=clean_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        metadata = wait_for_json(f"http://127.0.0.1:{port}/-/metadata.json", server)
        assert metadata["title"] == "Commitments Tracker"
    finally:
        server.terminate()
        server.wait(timeout=10)
