"""Where the project's packaged files live, installed from a wheel or in a source checkout.

pyproject.toml ships them as package data and importlib.resources finds them
wherever the packages were installed. The top-level templates/ and site/ folders
are mapped (package-dir) to the packages commitments.templates and
commitments.static. Those two have no __init__.py (site/ could not have one: the
standard library's `site` module), and in a source checkout they are not
importable: not on PYTHONPATH, and not through setuptools' editable finder either,
which imports no namespace package that package-dir maps elsewhere
(pypa/setuptools#4943). Then the folders are read where the checkout keeps them.

A leaf: imports nothing of the project. A lookup imports only the package it names.
"""

import atexit
from contextlib import ExitStack
from importlib.resources import as_file, files
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parent.parent  # a source checkout's root (when installed: site-packages)

_copies = ExitStack()  # what as_file had to copy out (a zipped install), kept until the process exits
atexit.register(_copies.close)


def _file(package: str, name: str) -> Path:
    return _copies.enter_context(as_file(files(package) / name))


def _mapped(package: str, folder: str) -> Path:
    """The folder that pyproject.toml maps to `package`, as a real directory."""
    try:
        found = files(package)
    except ModuleNotFoundError:  # a source checkout, on PYTHONPATH or installed editable
        return _CHECKOUT / folder
    if isinstance(found, Path):
        return found
    # A namespace package: files() is a MultiplexedPath, which as_file makes no
    # folder of before Python 3.12. Installed, it joins one folder: its entries'.
    return next(iter(found.iterdir())).parent


def site_templates() -> Path:
    """The static site's Jinja2 templates (templates/site/)."""
    return _mapped("commitments.templates", "templates") / "site"


def datasette_templates() -> Path | None:
    """Datasette template overrides (templates/datasette/), or None when the project ships none."""
    folder = _mapped("commitments.templates", "templates") / "datasette"
    return folder if folder.is_dir() else None


def static_assets() -> Path:
    """The static site's assets, CSS (site/): copied to the built site's assets/."""
    return _mapped("commitments.static", "site")


def datasette_metadata() -> Path:
    return _file("db", "datasette_metadata.yaml")


def labelled_corpus() -> Path:
    """The labelled corpus of real answers (extract/gold/): documents, sentences, labels."""
    return _file("extract", "gold")


def kind_model() -> Path:
    """The packaged kind classifier (extract/model/kinds/), a spaCy pipeline folder."""
    return _file("extract", "model/kinds")


def measured_figures() -> dict:
    """The extractor's and the grouping's accuracy on the test split, as last measured
    (extract/model/measured.json): the one place the site, Datasette and the README take them from."""
    import json

    return json.loads(_file("extract", "model/measured.json").read_text())


def gold_corrections() -> Path:
    """The project's label corrections to the gold set, for `commitments evaluate`."""
    return _file("extract", "gold_corrections.jsonl")


def default_feeds() -> Path:
    """The press feeds crawled when no feeds file is given."""
    return _file("spiders", "press_feeds.toml")


def gazetteer() -> Path:
    return _file("common", "gazetteer.json")


def datasette_plugins() -> Path:
    """The folder of Datasette plugins the instance loads (--plugins-dir): db/datasette_plugins/."""
    return _file("db", "datasette_plugins")
