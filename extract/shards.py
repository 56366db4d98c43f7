"""Extraction in shards: N processes over one store, each taking the pending documents whose
id falls in its shard, so that together they take each document once.

The shard of a document is a stable hash of its id (SHA-1, not Python's `hash`, which
differs from one process to the next), modulo N. Shards write to the one store as any two
writers do (IMMEDIATE transactions with a busy timeout, db/connection.py), each document's
mentions in the same transaction as its extraction state: a shard killed midway leaves its
finished documents done and the rest pending for a rerun. Grouping reads every mention, so
it runs once, after the last shard (`commitments track`, or `extract --shards N` does it).
"""

import hashlib
import re
from collections.abc import Iterable, Iterator


class ShardError(ValueError):
    pass


def parse_shard(value: str) -> tuple[int, int]:
    """'2/4' -> (2, 4): shard 2 of 4, counted from 1."""
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", value or "")
    if not match:
        raise ShardError(f"--shard takes K/N (shard K of N, e.g. 1/2), not {value!r}")
    index, count = int(match[1]), int(match[2])
    if not 1 <= index <= count:
        raise ShardError(f"--shard {value}: K must be from 1 to N")
    return index, count


def shard_of(document_id: str, count: int) -> int:
    """The shard (from 1) that extracts this document when there are `count` shards."""
    digest = hashlib.sha1(str(document_id).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % count + 1


def in_shard(documents: Iterable[dict], index: int, count: int) -> Iterator[dict]:
    """The documents of shard `index` of `count`, as they stream by."""
    return (document for document in documents if shard_of(document["id"], count) == index)
