"""The kinds of commitment the guideline defines, and which of them a tracker follows."""

# Where several kinds apply to one sentence, the first in this order wins.
KIND_ORDER = ("firm", "conditional", "ongoing", "negative", "hedged", "procedural")
KINDS = (*KIND_ORDER, "none")

# Trackable: a checkable promise of a future deed (the guideline's primary score).
TRACKABLE = ("firm", "conditional")

# Grouped into commitments: trackable ones, and promises to keep doing something.
TRACKED = (*TRACKABLE, "ongoing")


def sql_list(kinds: tuple[str, ...]) -> str:
    """"('firm', 'conditional')" for a SQL `in` clause (the kinds are constants, never input)."""
    return "(" + ", ".join(f"'{kind}'" for kind in kinds) + ")"
