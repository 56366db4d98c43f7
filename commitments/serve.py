"""Datasette over the SQLite file, with the project's metadata (title, licence, sources, queries)."""

import json
import os
import tempfile
from pathlib import Path

import yaml

from common import resources

METADATA = resources.datasette_metadata()
TEMPLATES = resources.datasette_templates()  # None: none shipped


def metadata_for(db_path: str) -> dict:
    """The metadata with its database section named after the file, as Datasette names it."""
    metadata = yaml.safe_load(METADATA.read_text())
    metadata["databases"] = {Path(db_path).stem: metadata["databases"]["commitments"]}
    return metadata


def datasette_args(db_path: str, port: int, host: str, live: bool = False) -> list[str]:
    """`datasette serve` arguments: immutable (-i: no locks, row counts once) unless `live`,
    for a store that a crawl or an extraction is writing while it is served."""
    handle = tempfile.NamedTemporaryFile("w", suffix=".json", prefix="commitments-metadata-", delete=False)
    json.dump(metadata_for(db_path), handle)
    handle.close()
    args = ["serve", *([db_path] if live else ["-i", db_path]), "--metadata", handle.name,
            "--port", str(port), "--host", host, "--setting", "sql_time_limit_ms", "3000"]
    if TEMPLATES is not None and any(TEMPLATES.iterdir()):
        args += ["--template-dir", str(TEMPLATES)]
    return args


def serve(db_path: str, port: int, host: str, live: bool = False) -> None:
    """Run Datasette on the store until it is stopped, with the query limits of db/datasette_limits.py."""
    from datasette.cli import cli as datasette_cli
    from datasette.plugins import pm

    from db import datasette_limits

    if not pm.is_registered(datasette_limits):
        pm.register(datasette_limits, name="commitments-limits")
    path = Path(db_path).resolve()
    # Datasette shows the path it is given (/-/databases.json): give it the file's
    # name from the file's own folder, so no page tells where the store lives.
    os.chdir(path.parent)
    datasette_cli.main(args=datasette_args(path.name, port, host, live), prog_name="datasette")
