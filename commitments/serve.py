"""Datasette over the SQLite file, with the project's metadata (title, licence, sources, queries,
dashboards) and plugins (db/datasette_plugins/): the same for `commitments serve` on this machine
and for an instance published with `datasette package` or `datasette publish`."""

import json
import os
import shlex
import tempfile
from importlib import metadata as distributions
from pathlib import Path

import yaml

from common import resources
from db.schema import FACET_TALLIES, VIEW_TALLIES

METADATA = resources.datasette_metadata()
TEMPLATES = resources.datasette_templates()  # None: none shipped
PLUGINS = resources.datasette_plugins()
# Facet suggestions try every column of a table on each page view: on 300,000 documents that
# was most of a 3.3 s search page (bench/README.md). The configured facets stay.
# A page of 50 rows, not Datasette's 100: Datasette renders a page's cells one by one in Python,
# which on the big tables' wide rows of long texts was most of a page's time, one page at a time
# however many cores there are (bench/README.md); `_size=` still asks for up to 1,000.
# A table page shows a long text's first 400 characters (Datasette's default is 2,048): a page of
# answers stays a page to scan, not a column of walls of text; the row page shows each text whole.
# Each SQLite connection keeps 32 MB of the file's pages (SQLite's default is 2 MB): a search looks up
# each matching row, and on 1,000,000 documents the table's own index pages alone are about 11 MB;
# with them kept a search page cost 4-6 ms less (bench/README.md). Only pages read are kept.
SETTINGS = {"sql_time_limit_ms": "3000", "suggest_facets": "off", "default_page_size": "50",
            "truncate_cells_html": "400", "cache_size_kb": "32000"}
# Plugins from the registry that the metadata configures; a published instance installs each at
# the version installed here (an absent one is left out: its pages are simply not there).
REGISTRY_PLUGINS = ("datasette-atom", "datasette-search-all", "datasette-dashboards")
SITE_LINKS = "commitments-site-links"  # db/datasette_plugins/commitments_site_links.py
MEASURED = "commitments-measured"  # db/datasette_plugins/commitments_measured.py: the about page's figures
FACETS = "commitments-facets"  # db/datasette_plugins/commitments_facets.py: the tallies it may read


def metadata_for(db_path: str, site_url: str | None = None) -> dict:
    """The metadata with its database section (and the dashboards' charts) named after the file,
    as Datasette names it, and the static site's address for the commitment rows' links."""
    metadata = yaml.safe_load(METADATA.read_text())
    name = Path(db_path).stem
    metadata["databases"] = {name: metadata["databases"]["commitments"]}
    plugins = metadata.setdefault("plugins", {})
    for dashboard in plugins.get("datasette-dashboards", {}).values():
        for chart in dashboard.get("charts", {}).values():
            if "db" in chart:
                chart["db"] = name
    if site_url:
        plugins[SITE_LINKS] = {"site_url": site_url.rstrip("/")}
    plugins[MEASURED] = resources.measured_figures()
    plugins[FACETS] = {"tallies": facet_tallies()}
    return metadata


def facet_tallies() -> dict:
    """The facet plugin's tallies: each tallied table's, and each view's that reads its table's."""
    tallies = {table: {"tally": tally, "columns": list(columns)} for table, (tally, columns) in FACET_TALLIES.items()}
    for view, (table, where, grouped) in VIEW_TALLIES.items():
        tallies[view] = {**tallies[table], "count": table, **({"where": where} if where else {}),
                         **({"group": list(grouped)} if grouped else {})}
    return tallies


def write_metadata(db_path: str, site_url: str | None = None) -> str:
    """The metadata as a JSON file (Datasette is given a path); it is left for the server's lifetime."""
    handle = tempfile.NamedTemporaryFile("w", suffix=".json", prefix="commitments-metadata-", delete=False)
    json.dump(metadata_for(db_path, site_url), handle, indent=1)
    handle.close()
    return handle.name


def _shared_options(metadata_path: str) -> list[str]:
    args = ["--metadata", metadata_path, "--plugins-dir", str(PLUGINS)]
    if TEMPLATES is not None and any(TEMPLATES.iterdir()):
        args += ["--template-dir", str(TEMPLATES)]
    return args


def _settings() -> list[str]:
    return [arg for name, value in SETTINGS.items() for arg in ("--setting", name, value)]


def datasette_args(db_path: str, port: int, host: str, live: bool = False, site_url: str | None = None,
                   inspect_file: str | None = None) -> list[str]:
    """`datasette serve` arguments: immutable (-i: no locks) unless `live`, for a store that a crawl
    or an extraction is writing while it is served. `inspect_file`: the immutable file's table row
    counts and hash, made once by `datasette inspect` (see write_inspect_file)."""
    inspected = ["--inspect-file", inspect_file] if inspect_file and not live else []
    return ["serve", *([db_path] if live else ["-i", db_path]), *_shared_options(write_metadata(db_path, site_url)),
            *inspected, "--port", str(port), "--host", host, *_settings()]


def write_inspect_file(db_path: str) -> str:
    """`datasette inspect` of the file, as a JSON file left for the server's lifetime.

    Without it an immutable table's page counts all its rows on every view (count(*) of 1,000,000
    documents on each page; bench/README.md), and the home page hashes the whole file on its first
    view. With it both are read from this file, counted and hashed once before the server starts, as
    the image `datasette package` builds does for itself."""
    from datasette.cli import cli as datasette_cli

    handle = tempfile.NamedTemporaryFile("w", suffix=".json", prefix="commitments-inspect-", delete=False)
    handle.close()
    datasette_cli.main(args=["inspect", db_path, "--inspect-file", handle.name], prog_name="datasette",
                       standalone_mode=False)
    return handle.name


def installed_plugins() -> list[str]:
    """The registry plugins installed here, pinned, with the Datasette they run on."""
    pins = [f"datasette=={distributions.version('datasette')}"]
    for name in REGISTRY_PLUGINS:
        try:
            pins.append(f"{name}=={distributions.version(name)}")
        except distributions.PackageNotFoundError:
            continue
    return pins


def package_args(db_path: str, site_url: str | None = None) -> list[str]:
    """`datasette package` arguments for a Docker image of the same instance (`datasette publish
    cloudrun|heroku|...` take the same options): the image serves the file immutable (-i) itself."""
    installs = [arg for pin in installed_plugins() for arg in ("--install", pin)]
    return ["package", db_path, *_shared_options(write_metadata(db_path, site_url)), *installs,
            "--extra-options", shlex.join(_settings())]


def command_line(args: list[str]) -> str:
    return shlex.join(["datasette", *args])


def serve(db_path: str, port: int, host: str, live: bool = False, site_url: str | None = None,
          workers: int = 1) -> None:
    """Run Datasette on the store until it is stopped, with the plugins of db/datasette_plugins/, in
    `workers` processes (commitments/serve_workers.py)."""
    from datasette.cli import cli as datasette_cli

    from commitments import serve_workers

    path = Path(db_path).resolve()
    # Datasette shows the path it is given (/-/databases.json): give it the file's
    # name from the file's own folder, so no page tells where the store lives.
    os.chdir(path.parent)
    # Listening before the counts, so that a port in use is said at once; the workers share this socket.
    sock = serve_workers.listening_socket(host, port) if workers > 1 else None
    port = sock.getsockname()[1] if sock else port
    inspect_file = None if live else write_inspect_file(path.name)
    args = datasette_args(path.name, port, host, live, site_url, inspect_file)
    if sock is None:
        datasette_cli.main(args=args, prog_name="datasette")
        return
    raise SystemExit(serve_workers.serve(args, sock, workers))
