"""The static progress site: Jinja2 templates in templates/site/, rendered from the SQLite file."""

import shutil
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
import sqlite_utils

import db as store
from common import resources
from common.kinds import TRACKABLE

TEMPLATES = resources.site_templates()
ASSETS = resources.static_assets()


def web_url(url: str | None) -> str | None:
    """The URL when it is http(s), else None: a scraped `javascript:` or `data:` address
    never becomes a link."""
    return url if isinstance(url, str) and urlsplit(url.strip()).scheme.lower() in ("http", "https") else None


def build_site(db: sqlite_utils.Database, out: Path) -> Path:
    """Render index.html and one page per commitment into `out`; returns the index path."""
    out.mkdir(parents=True, exist_ok=True)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
    )
    env.filters["web_url"] = web_url
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
