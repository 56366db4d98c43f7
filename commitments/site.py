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
# Left in every built site: a later build may write over a folder that has it.
BUILD_MARK = ".commitments-site"
BUILT_ENTRIES = {"index.html", "commitment", "assets", BUILD_MARK}


class OutFolderError(ValueError):
    """The --out folder cannot take the site; the message says why in one line."""


def check_out_folder(out: str | Path, option: str = "--out") -> Path:
    """The folder to write the site into. Refused: an empty name (it would mean the
    current folder), a path under a file, a file, and a folder holding anything but
    an earlier build of the site (which is written over)."""
    if not str(out).strip():
        raise OutFolderError(f"{option} is empty: name a folder for the site")
    out = Path(out)
    for parent in out.absolute().parents:
        if parent.exists():
            if not parent.is_dir():
                raise OutFolderError(f"{option} {out}: {parent} is a file, not a folder")
            break
    if out.exists() and not out.is_dir():
        raise OutFolderError(f"{option} {out} is a file, not a folder")
    if out.is_dir():
        try:
            entries = {entry.name for entry in out.iterdir()}
        except OSError as exc:
            raise OutFolderError(f"{option} {out} cannot be read: {exc.strerror}") from None
        # A build from before the mark existed has the same entries, index.html and commitment/ among them.
        earlier_build = entries <= BUILT_ENTRIES and (BUILD_MARK in entries or {"index.html", "commitment"} <= entries)
        if entries and not earlier_build:
            raise OutFolderError(f"{option} {out} is a folder with other files in it, not an earlier build of "
                                 "the site: give a new or empty folder")
    return out


def web_url(url: str | None) -> str | None:
    """The URL when it is http(s), else None: a scraped `javascript:` or `data:` address
    never becomes a link."""
    return url if isinstance(url, str) and urlsplit(url.strip()).scheme.lower() in ("http", "https") else None


def build_site(db: sqlite_utils.Database, out: Path) -> Path:
    """Render index.html and one page per commitment into `out`; returns the index path."""
    out = check_out_folder(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / BUILD_MARK).write_text("Built by `commitments build-site`: a later build writes over this folder.\n")
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
