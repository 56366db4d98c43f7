"""The import rule of README's "How the code is laid out", checked on every module.

    common/      imports nothing of the project
    db/          common
    extract/     common (and db, in runner.py only: the one place extraction meets the store)
    spiders/     common, db
    commitments/ anything: the CLI, the site, the demo
Nothing imports commitments/ but itself.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = {"common", "db", "extract", "spiders", "commitments"}
ALLOWED = {
    "common": set(),
    "db": {"common"},
    "extract": {"common"},
    "spiders": {"common", "db"},
    "commitments": PACKAGES,
}
# The runner is where extraction reads pending documents and writes mentions: through db/.
EXCEPTIONS = {"extract/runner.py": {"db"}}


def project_imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found |= {name.split(".")[0] for name in names} & PACKAGES
    return found


MODULES = sorted(p for package in PACKAGES for p in (ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_module_keeps_the_import_rule(path):
    relative = str(path.relative_to(ROOT))
    package = relative.split("/")[0]
    allowed = ALLOWED[package] | {package} | EXCEPTIONS.get(relative, set())
    assert project_imports(path) <= allowed, f"{relative} imports {sorted(project_imports(path) - allowed)}"


def test_the_rule_catches_a_violation(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from commitments import cli\n")
    assert project_imports(bad) == {"commitments"}
