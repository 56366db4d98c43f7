"""The static progress site: Jinja2 templates in templates/site/, rendered from the SQLite file."""

import shutil
from pathlib import Path

import jinja2
import sqlite_utils

import db as store
from common import resources
from common.kinds import TRACKABLE

TEMPLATES = resources.site_templates()
ASSETS = resources.static_assets()


def build_site(db: sqlite_utils.Database, out: Path) -> Path:
    """Render index.html and one page per commitment into `out`; returns the index path."""
    out.mkdir(parents=True, exist_ok=True)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
    )
    commitments = store.commitments_with_mentions(db)
    counts = {
        **store.table_counts(db, "documents", "mentions"),
        "commitments": len(commitments),
        "trackable": sum(c["kind"] in TRACKABLE for c in commitments),
    }
    (out / "commitment").mkdir(exist_ok=True)
    index = out / "index.html"
    index.write_text(env.get_template("index.html").render(commitments=commitments, counts=counts, root="."))
    for commitment in commitments:
        page = out / "commitment" / f"{commitment['id']}.html"
        page.write_text(env.get_template("commitment.html").render(commitment=commitment, root=".."))
    if ASSETS.exists():
        shutil.copytree(ASSETS, out / "assets", dirs_exist_ok=True)
    return index
