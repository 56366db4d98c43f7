"""Commitment ids that outlive regrouping.

A group of mentions keeps the id most of its mentions had last run (by the mention's key:
its document and sentence, which survive re-extraction); when groups merge, the larger
share keeps its id and the other id redirects to it; when a group splits, the larger part
keeps the id. A group none of whose mentions was seen before gets an id derived from what
it is (owner, deed, object, first date), never from where the text was fetched, so a fresh
store built from the same documents gives the same ids.
"""

import hashlib
from collections import Counter

from common.gazetteer import canonical_owner
from extract.grouping import Unit


def derived_id(first: Unit) -> str:
    deed = first.deed
    key = "|".join([canonical_owner(first.owner) or "", deed.verb, " ".join(sorted(deed.object)),
                    first.date or "", " ".join(sorted(first.context_words))])
    return hashlib.sha1(key.encode()).hexdigest()[:12]


def assign_ids(groups: list[list[Unit]], previous: dict[str, str],
               taken_elsewhere=lambda commitment_id: False) -> tuple[list[str], dict[str, str]]:
    """(an id for each group, in order; redirects from ids no group kept to the group that
    took most of their mentions). `previous` maps a unit's key to last run's commitment id.
    `taken_elsewhere(id)` says whether a group not among `groups` holds that id (an
    incremental run regroups only some)."""
    claims = []
    for number, units in enumerate(groups):
        for old_id, count in Counter(previous[u.key] for u in units if u.key in previous).items():
            claims.append((-count, old_id, number))
    ids: list[str | None] = [None] * len(groups)
    taken: set[str] = set()
    for _, old_id, number in sorted(claims):
        if ids[number] is None and old_id not in taken:
            ids[number] = old_id
            taken.add(old_id)
    for number, units in enumerate(groups):
        if ids[number] is None:
            candidate = base = derived_id(units[0])
            suffix = 1
            while candidate in taken or taken_elsewhere(candidate):
                suffix += 1
                candidate = f"{base}-{suffix}"
            ids[number] = candidate
            taken.add(candidate)
    redirects = {}
    for count, old_id, number in sorted(claims):
        if old_id not in taken and old_id not in redirects:
            redirects[old_id] = ids[number]  # the group holding most of its mentions
    return ids, redirects
