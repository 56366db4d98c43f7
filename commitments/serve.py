"""Datasette over the SQLite file, with the project's metadata (title, licence, sources, queries)."""

import json
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


def datasette_args(db_path: str, port: int, host: str) -> list[str]:
    handle = tempfile.NamedTemporaryFile("w", suffix=".json", prefix="commitments-metadata-", delete=False)
    json.dump(metadata_for(db_path), handle)
    handle.close()
    args = ["serve", db_path, "--metadata", handle.name, "--port", str(port), "--host", host,
            "--setting", "sql_time_limit_ms", "3000"]
    if TEMPLATES is not None and any(TEMPLATES.iterdir()):
        args += ["--template-dir", str(TEMPLATES)]
    return args
