"""A schema change must come with a new SCHEMA_VERSION, so that readers of an older store ask
for `commitments migrate` instead of failing on a missing column."""

import hashlib
import json

from db import schema

# The schema's fingerprint at each version. Changed TABLES, FOREIGN_KEYS, FTS or VIEWS?
# Bump SCHEMA_VERSION and add its fingerprint here (the failure message prints it).
FINGERPRINTS = {1: "f47647975132170f", 2: "b2487ce466de6547", 3: "e2fbae6a7232f3a5", 4: "abc3b7bb074be28d",
                5: "4397164d7d433fe3", 6: "96529b26aa3b2bb9"}


def fingerprint() -> str:
    spec = {
        "tables": {name: {"columns": {column: kind.__name__ for column, kind in table["columns"].items()},
                          "pk": table["pk"]} for name, table in schema.TABLES.items()},
        "fks": schema.FOREIGN_KEYS, "fts": schema.FTS, "views": schema.VIEWS,
    }
    return hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:16]


def test_the_schema_version_names_this_schema():
    assert FINGERPRINTS.get(schema.SCHEMA_VERSION) == fingerprint(), (
        f"the schema changed: bump SCHEMA_VERSION to {max(FINGERPRINTS) + 1} and record its fingerprint "
        f"{fingerprint()!r} in FINGERPRINTS")
