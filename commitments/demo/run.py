"""`commitments demo`: the whole flow, offline, on the bundled corpus."""

import shutil
import subprocess
import sys
from pathlib import Path

import click

import db
from commitments.demo.server import RecordedApi

DEMO_WINDOW = ("2019-01-01", "2024-12-31")


def demo_feeds(api: RecordedApi) -> str:
    """A feeds file naming the demo server's feeds (its port is known only now)."""
    entries = "".join(f'[[feeds]]\nname = "Demo feed {i}"\nurl = "{url}"\n\n'
                      for i, url in enumerate(api.press.feed_urls(api.url), 1))
    return entries + '[relevance]\nterms = ["consultation"]\nmin_chars = 300\n'


def run_demo(db_path: str, site_dir: Path) -> None:
    db_file = Path(db_path)
    if db_file.exists():
        # The demo starts clean so that what it shows is what the corpus holds.
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db_file}{suffix}").unlink(missing_ok=True)
    shutil.rmtree(db_file.parent / "jobs", ignore_errors=True)
    base = [sys.executable, "-m", "commitments", "--db", str(db_file)]

    with RecordedApi() as api:
        click.secho(f"Demo API answering on {api.url} (loopback only)", fg="cyan", err=True)
        # Each crawl prints its progress line and summary (commitments/progress.py).
        fast = ["-s", "AUTOTHROTTLE_ENABLED=False"]
        for source in ("written-questions", "written-statements", "committee-evidence"):
            click.secho(f"Crawling {source} ...", fg="cyan", err=True)
            # Each crawl in its own process: Twisted's reactor starts once per process.
            subprocess.run(base + ["crawl", source, "--since", DEMO_WINDOW[0], "--until", DEMO_WINDOW[1],
                                   "--api-url", api.url, *fast], check=True)
        click.secho("Crawling press feeds ...", fg="cyan", err=True)
        feeds = db_file.parent / "demo-feeds.toml"
        feeds.write_text(demo_feeds(api))
        # The demo's index page is no article: its skip is a logged rejection, so
        # the press crawl still finishes cleanly.
        subprocess.run(base + ["crawl", "press", "--feeds", str(feeds), *fast], check=True)
    click.secho("Extracting commitments ...", fg="cyan", err=True)
    subprocess.run(base + ["extract"], check=True)
    subprocess.run(base + ["build-site", "--out", str(site_dir)], check=True)

    database = db.read_db(db_file)
    click.echo("")
    click.secho("Demo ready.", fg="green", bold=True)
    for row in db.earliest_trackable_commitments(database, limit=12):
        sources = f"{row['mention_count']} source" + ("s" if row["mention_count"] != 1 else "")
        click.echo(f"  {row['first_made']}  {row['owner']}: {row['title']}  ({sources})")
    click.echo("")
    click.echo(f"Database:  {db_file.resolve()}")
    click.echo(f"Site:      {(site_dir / 'index.html').resolve()}")
    click.echo(f"Datasette: .venv/bin/commitments --db {db_file} serve   (then open http://127.0.0.1:8001/)")
