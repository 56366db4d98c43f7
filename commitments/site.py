"""The static progress site: Jinja2 templates in templates/site/, rendered from the SQLite file."""

import shutil
from pathlib import Path

import jinja2
import sqlite_utils

from common import resources

TEMPLATES = resources.site_templates()
ASSETS = resources.static_assets()


def load_commitments(db: sqlite_utils.Database) -> list[dict]:
    commitments = list(db.query("select * from commitments order by first_date, id"))
    by_commitment: dict[str, list[dict]] = {}
    for mention in db.query(
        """select m.*, d.title as document_title from mentions m join documents d on d.id = m.document_id
           where m.commitment_id is not null order by m.date, m.id"""
    ):
        by_commitment.setdefault(mention["commitment_id"], []).append(mention)
    for commitment in commitments:
        commitment["mentions"] = by_commitment.get(commitment["id"], [])
    return commitments


def build_site(db: sqlite_utils.Database, out: Path) -> Path:
    """Render index.html and one page per commitment into `out`; returns the index path."""
    out.mkdir(parents=True, exist_ok=True)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
    )
    commitments = load_commitments(db)
    trackable = [c for c in commitments if c["kind"] in ("firm", "conditional")]
    counts = {
        "documents": db["documents"].count,
        "mentions": db["mentions"].count,
        "commitments": len(commitments),
        "trackable": len(trackable),
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
