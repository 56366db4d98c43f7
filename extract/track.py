"""Tracking, first version: mentions of the same deed by the same owner become one commitment.

Two mentions match when their actions share most content words (the overlap
coefficient over words other than the verb) and they have the same owner.
Grouping is recomputed from all mentions each run, in date order, so the
result is deterministic and a re-run changes no row.
"""

import hashlib
import re

STOPWORDS = {
    "a", "an", "the", "of", "on", "for", "to", "in", "and", "or", "with", "by", "at", "from",
    "its", "their", "our", "this", "that", "these", "those", "new", "all", "any", "as", "be",
}
MIN_OVERLAP = 0.75


def content_words(action: str) -> set[str]:
    words = re.findall(r"[a-z0-9]+", action.lower())[1:]  # the verb varies between restatements
    return {w[:-1] if w.endswith("s") and len(w) > 3 else w for w in words if w not in STOPWORDS}


def overlap(a: set[str], b: set[str]) -> float:
    if a and a == b:
        return 1.0  # "respond to the consultation", restated word for word
    if len(a & b) < 2:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def group_mentions(mentions: list[dict]) -> list[list[dict]]:
    """Groups of mentions (each a dict with id, owner, action, date), earliest first."""
    groups: list[tuple[str, set[str], list[dict]]] = []
    for mention in sorted(mentions, key=lambda m: (m["date"] or "", m["id"])):
        words = content_words(mention["action"] or "")
        best = max(
            (g for g in groups if g[0] == mention["owner"]),
            key=lambda g: overlap(words, g[1]),
            default=None,
        )
        if best is not None and overlap(words, best[1]) >= MIN_OVERLAP:
            best[2].append(mention)
        else:
            groups.append((mention["owner"], words, [mention]))
    return [g[2] for g in groups]


def commitment_rows(mentions: list[dict]) -> tuple[list[dict], dict[str, str]]:
    """(commitments rows, mention id -> commitment id)."""
    rows, assignment = [], {}
    for group in group_mentions(mentions):
        first, last = group[0], group[-1]
        commitment_id = hashlib.sha1(first["id"].encode()).hexdigest()[:12]
        deadlines = [m["deadline"] for m in group if m.get("deadline")]
        rows.append({
            "id": commitment_id,
            "owner": first["owner"],
            "action": first["action"],
            "kind": last["kind"],
            "first_date": first["date"],
            "last_date": last["date"],
            "mention_count": len(group),
            "deadline": deadlines[0] if deadlines else None,
        })
        for mention in group:
            assignment[mention["id"]] = commitment_id
    return rows, assignment
