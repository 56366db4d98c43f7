"""Incremental tracking: a run after a daily crawl costs what is new, not the store.

The store remembers what the last run saw (db/tracking_index.py: the changes since, the last
mention grouped, an index of every grouped mention's and report's object words). When only
new mentions, reports and negative mentions were added, this run:

- groups the new tracked mentions: grouping is greedy in date order, so a mention dated after
  every grouped one changes no earlier decision; it is grouped with the groups it could join
  (those sharing object words by the grouping's own rule, by a compatible owner), which are
  regrouped whole: the same groups as before, with the new mentions where a full run puts them;
- links again only the reports and negative mentions whose link may change: the new ones,
  those linked to a commitment that gained a mention, and those the new mention could score
  against (by link_candidates' rule, in reverse); each against every candidate commitment;
- re-derives the timelines and statuses of the commitments touched, and, when the as-of date
  moved, from their stored events the statuses that may read differently on the new date.

The result is row for row what a full run gives on the same store (tests/test_incremental.py).
`plan` says when that cannot be promised, and the run is full instead:
- no previous run, another tracking version, a changed overrides file, or `--full`;
- a mention or report deleted or changed, or a document's title changed (re-extraction
  deletes a document's rows: a group may lose members);
- a new tracked mention dated before (or on the day of and ordered before) the last grouped
  one: it could change earlier grouping decisions;
- a new mention joining a commitment the overrides file names.
"""

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from extract.commitment_ids import assign_ids
from extract.grouping import GENERIC_STEMS, VAGUE_DEEDS, Unit, cached_canonical_owner, group, related_owners
from extract.overrides import Override
from extract.status import UNCLEAR_AFTER_DAYS
from extract.timeline import (Commitment, MemoryLinkIndex, report_event, event_row, best_link, link_candidates,
                              mention_events, report_unit, two_of_counted)
from extract.track import Review, commitment_row, unit_of, group_rank, mention_key, refreshed_row, sequenced, sort_key

# Bump when tracking's rules change: a store tracked by other rules is regrouped whole.
TRACKING_VERSION = "2"


def overrides_hash(path: Path | None) -> str:
    if path is None or not Path(path).exists():
        return ""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _keys(unit: Unit) -> list[str]:
    return sorted(unit.deed.object) or [f"<{unit.deed.verb}>"]


def index_rows(units: list[tuple[Unit, str, str]]) -> tuple[list[dict], list[dict]]:
    """tracking_units and unit_stems rows of grouped units: (unit, group, commitment)."""
    unit_rows, stem_rows = [], []
    for unit, group_id, commitment_id in units:
        owner = cached_canonical_owner(unit.owner)
        unit_rows.append({"mention_id": unit.id, "group_id": group_id, "commitment_id": commitment_id,
                          "owner": owner, "generic": int(unit.deed.generic)})
        keys = _keys(unit)
        for key in keys:
            stem_rows.append({"stem": key, "mention_id": unit.id, "group_id": group_id, "commitment_id": commitment_id,
                              "owner": owner, "single": int(len(keys) == 1),
                              "alone": int(unit.deed.object == {key})})
    return unit_rows, stem_rows


def row_index(rows: list[dict], item: str) -> list[dict]:
    """row_stems rows of reports or negative mentions, by what they report."""
    found = []
    for row in rows:
        unit = report_unit(row)
        particular = unit.deed.object - GENERIC_STEMS
        for stem in unit.deed.object:
            found.append({"stem": stem, "row_id": row["id"], "item": item, "owner": cached_canonical_owner(unit.owner),
                          "words": len(unit.deed.object),
                          "particular": next(iter(particular)) if len(particular) == 1 else None,
                          "generic": int(unit.deed.generic)})
    return found


def full_index(result, negatives: list[dict], reports: list[dict]) -> dict:
    units, stems = index_rows(result.units)
    return {"units": units, "stems": stems,
            "row_stems": row_index(negatives, "negative") + row_index(reports, "report"), "order": result.order,
            "last_unit": max((sort_key(u) for u, _, _ in result.units), default=None)}


@dataclass
class Increment:
    commitments: list[dict]  # rows of the commitments touched (and every one when the as-of date moved)
    events: dict[str, list[dict]]  # commitment id -> all its events, for those touched
    assignment: dict[str, str]  # new mention id -> commitment id
    memory: dict[str, str]  # new mention key -> commitment id
    index: dict = field(default_factory=dict)
    counts: dict = field(default_factory=dict)


def _referenced(overrides: list[Override]) -> set[str]:
    """Every commitment id the overrides file names."""
    named = set()
    for override in overrides:
        fields = override.fields
        named.update(fields.get("commitments") or [])
        for key in ("into", "commitment"):
            if fields.get(key):
                named.add(fields[key])
    return named


def plan(store, version: str, hash_: str, full: bool) -> tuple[str | None, int, list]:
    """(why the run must be full, or None; the last change's number; the changes)."""
    last_change, changes = store.changes()
    state = store.state()
    if full:
        return "asked for (--full)", last_change, changes
    if not state:
        return "no previous run", last_change, changes
    if state.get("version") != version:
        return "another tracking or extractor version", last_change, changes
    if state.get("overrides") != hash_:
        return "the overrides file changed", last_change, changes
    odd = next(((item, change) for item, _, change in changes if change != "insert"), None)
    if odd is not None:
        return f"a {odd[0]} was {'deleted' if odd[1] == 'delete' else 'changed'}", last_change, changes
    return None, last_change, changes


class _Overlay:
    """The stored link index with the new mentions' commitments laid over it."""

    def __init__(self, stored, memory: MemoryLinkIndex):
        self.stored, self.memory = stored, memory

    def size(self, stem, owners):
        return self.stored.size(stem, owners) + self.memory.size(stem, owners)

    def having(self, stem, owners):
        return self.stored.having(stem, owners) | self.memory.having(stem, owners)

    def holds(self, stem, owners, key):
        return self.memory.holds(stem, owners, key) or self.stored.holds(stem, owners, key)

    def alone(self, stem, owners):
        return self.stored.alone(stem, owners) | self.memory.alone(stem, owners)

    def two_of(self, stems, owners):
        return two_of_counted(self, stems, owners)

    def generic_sharing(self, stems, owners):
        # a stored commitment's new member may be the one sharing the word, or the generic one
        found = self.stored.generic_sharing(stems, owners) | self.memory.generic_sharing(stems, owners)
        found |= self.stored.generic_among(self.memory.sharing_any(stems, self.memory.keys()), owners)
        found |= self.stored.sharing_any(stems, self.memory.generic(owners))
        return found


def _sharing(keys: list[str], size, having, holding, needed: int) -> set:
    """grouping._sharing over look-up functions: the longest list is never walked; which of the others'
    finds it holds is asked in one go."""
    lists = sorted(keys, key=size)
    if needed == 1:
        return set().union(*(having(key) for key in lists))
    *shorter, longest = lists
    shared = Counter(found for key in shorter for found in having(key))
    twice = {found for found, count in shared.items() if count >= 2}
    return twice | holding(longest, [found for found in shared if found not in twice])


def _group_candidates(store, unit: Unit) -> set[str]:
    """The stored groups `unit` could join: grouping's rule (two shared keys, or one when
    either is a single key), narrowed to groups with a member by a compatible owner (any
    other scores 0 and is never joined)."""
    if unit.deed.verb in VAGUE_DEEDS:
        return set()  # scores 0 against every group
    keys = _keys(unit)
    owners = related_owners(unit.owner)
    found = _sharing(keys, store.group_size, store.groups_having, store.groups_holding, 1 if len(keys) == 1 else 2)
    found = store.groups_by(found, owners) if found else set()
    for key in keys:
        found |= store.groups_single_by(key, owners)
    return found


def _rows_touched_by(store, unit: Unit, stems_of_commitment: set[str]) -> set[str]:
    """Reports and negative mentions that `unit`, a commitment's new member, could score
    MIN_LINK against (link_candidates' rule in reverse), and, when it is all generic, the
    owned all-generic ones sharing a word with its commitment (the topic rule)."""
    stems = sorted(unit.deed.object)
    found = set()
    if not stems:
        return found
    owners = related_owners(unit.owner)
    if len(stems) > 1:
        found |= _sharing(stems, store.rows_size, store.rows_having, store.rows_holding, 2)
    if len(stems) == 1:
        stem = stems[0]
        found |= store.rows_having(stem) if stem not in GENERIC_STEMS else \
            store.rows_alone(stem, owners | {None})
    for stem in unit.deed.object - GENERIC_STEMS:
        found |= store.rows_particular(stem)
    if unit.deed.generic and unit.owner is not None:
        for stem in stems_of_commitment:
            found |= store.rows_generic(stem, owners - {None})
    return found


def track_increment(store, changes: list, overrides: list[Override], as_of: date,
                    state: dict) -> Increment | str:
    """The rows an incremental run changes, or why it cannot be incremental."""
    mention_ids = [i for item, i, _ in changes if item == "mention"]
    report_ids = [i for item, i, _ in changes if item == "report"]
    if store.indexed(mention_ids, report_ids):
        return "a mention or report was stored again under its id"
    new_mentions = store.tracked_by_id(mention_ids)
    new_negatives = store.negatives_by_id(mention_ids)
    new_reports = store.reports_by_id(report_ids)
    new_units = sorted((unit_of(m) for m in new_mentions), key=sort_key)
    last = tuple(state["last_unit"]) if state.get("last_unit") else None
    if new_units and last is not None and sort_key(new_units[0]) <= last:
        return "a new mention is dated before the last one grouped"

    # Grouping: the new mentions with every group they could join, regrouped whole.
    candidate_groups: set[str] = set()
    for unit in new_units:
        candidate_groups |= _group_candidates(store, unit)
    members = store.group_members(candidate_groups)
    previous = {mention_key(row): group_id for row, group_id in members}
    rows_by_id = {row["id"]: row for row, _ in members} | {m["id"]: m for m in new_mentions}
    # The candidate groups as grouping made them (their members in date order, the groups in
    # the order they were made), and the new mentions placed after them: every new mention
    # comes after every grouped one, so no earlier decision changes.
    earlier: dict[str, list[Unit]] = {}
    for row, group_id in sorted(members, key=lambda item: (item[0]["date"] or "", item[0]["id"])):
        earlier.setdefault(group_id, []).append(unit_of(row))
    groups = group(new_units, earlier=list(earlier.values()))
    ids, redirects = assign_ids(groups, previous, store.group_id_taken)
    new_ids = {u.id for u in new_units}
    was = {row["id"]: group_id for row, group_id in members}
    if redirects or list(earlier) != ids[:len(earlier)]:
        return "the candidate groups did not keep their ids"  # a safety net: the memory disagrees
    unlinked = {o.fields["mention"] for o in overrides if o.action == "unlink"}
    if new_ids & unlinked:
        return "a new mention is one the overrides file unlinks"
    dirty = {group_id: units for units, group_id in zip(groups, ids) if any(u.id in new_ids for u in units)}
    if set(dirty) & _referenced(overrides):
        return "a new mention joins a commitment the overrides file names"

    commitments: dict[str, Commitment] = {}
    for group_id, units in dirty.items():
        rows = sorted((rows_by_id[u.id] for u in units), key=lambda m: (m["date"] or "", m["id"]))
        commitments[group_id] = Commitment(group_id, [unit_of(m) for m in rows], rows)
    order = {group_id: group_rank(units[0]) for group_id, units in dirty.items()}
    fresh = {group_id for group_id in dirty if group_id not in was.values()}

    # Linking: only the rows whose link may change, each against all its candidates.
    new_by_commitment = {group_id: [u for u in units if u.id in new_ids] for group_id, units in dirty.items()}
    index = _Overlay(store, MemoryLinkIndex(entries=((g, units) for g, units in new_by_commitment.items())))
    linked_before = store.link_events_of_commitments(dirty)
    touched_rows: set[str] = {e["report_id"] or e["mention_id"] for e in linked_before}
    for group_id, units in new_by_commitment.items():
        stems = {s for u in commitments[group_id].units for s in u.deed.object}
        for unit in units:
            touched_rows |= _rows_touched_by(store, unit, stems)
    items = store.row_items(touched_rows)
    old_reports = store.reports_by_id([i for i in touched_rows if items.get(i) == "report"])
    old_negatives = store.negatives_by_id([i for i in touched_rows if items.get(i) == "negative"])
    reports = {r["id"]: r for r in old_reports + new_reports}
    negatives = {n["id"]: n for n in old_negatives + new_negatives}

    loaded: dict[str, tuple[str, Commitment]] = {g: (order[g], c) for g, c in commitments.items()}

    def candidates(unit: Unit, excluded=None):
        keys = link_candidates(unit, index) - {excluded}
        for commitment_id, (rank, rows) in store.commitments(keys - set(loaded)).items():
            rows.sort(key=lambda m: (m["date"] or "", m["id"]))
            loaded[commitment_id] = (rank, Commitment(commitment_id, [unit_of(m) for m in rows], rows))
        return [(k, loaded[k][1]) for k in sorted((k for k in keys if k in loaded), key=lambda k: (loaded[k][0], k))]

    new_links: dict[str, list[dict]] = {}
    for row in negatives.values():
        unit = report_unit(row)
        found = best_link(unit, True, candidates(unit))
        if found:
            new_links.setdefault(found[0], []).append(
                event_row(found[0], "dropped", row, mention_id=row["id"], score=found[1]))
    for row in reports.values():
        unit = report_unit(row)
        delivered = row["event"] == "delivered"
        found = best_link(unit, delivered, candidates(unit))
        if found:
            event = ("partly_delivered" if row.get("partial") else "delivered") if delivered else row["event"]
            new_links.setdefault(found[0], []).append(report_event(found[0], event, row, found[1]))
        if delivered:
            step = best_link(unit, False, candidates(unit, excluded=found[0] if found else None))
            if step:
                new_links.setdefault(step[0], []).append(report_event(step[0], "progress", row, step[1]))

    new_rows = set(report_ids) | set(mention_ids)
    old_links = store.link_events_of_rows([r for r in reports if r not in new_rows],
                                          [n for n in negatives if n not in new_rows])
    relinked = {e["id"] for e in old_links}
    touched = set(dirty) | {e["commitment_id"] for e in old_links} | set(new_links)
    stored = store.stored_commitments(touched - fresh)
    rows, events = [], {}
    for commitment_id in sorted(touched):
        row, timeline = stored.get(commitment_id, (None, []))
        kept = [e for e in timeline if e["id"] not in relinked]
        if commitment_id in dirty:
            kept = [e for e in kept if e["link"] != "automatic" or e["report_id"] or e["event"] == "dropped"]
            timeline = sequenced(mention_events(commitments[commitment_id]) + kept + new_links.get(commitment_id, []))
            rows.append(commitment_row(commitments[commitment_id], timeline, Review(), as_of))
        else:
            timeline = sequenced(kept + new_links.get(commitment_id, []))
            rows.append(refreshed_row(row, timeline, as_of))
        events[commitment_id] = timeline

    if state.get("as_of") and state["as_of"] != as_of.isoformat():
        # A new as-of date: every row's `checked` moves (save_increment), and the statuses
        # that may read differently on the new date are derived again from their stored events.
        may_change = store.status_may_change(state["as_of"], as_of.isoformat(), UNCLEAR_AFTER_DAYS)
        for row, timeline in store.stored_commitments(may_change - touched).values():
            rows.append(refreshed_row(row, timeline, as_of))

    grouped = [(u, g, g) for g, units in dirty.items() for u in units if u.id in new_ids]
    unit_rows, stem_rows = index_rows(grouped)
    last_unit = max([sort_key(u) for u in new_units] + ([last] if last else []), default=None)
    return Increment(
        commitments=rows, events=events,
        assignment={u.id: g for u, g, _ in grouped},
        memory={mention_key(rows_by_id[u.id]): g for u, g, _ in grouped},
        index={"units": unit_rows, "stems": stem_rows,
               "row_stems": row_index(new_negatives, "negative") + row_index(new_reports, "report"),
               "order": {g: order[g] for g in fresh}, "last_unit": last_unit},
        counts={"new_mentions": len(new_units), "new_reports": len(new_reports) + len(new_negatives),
                "groups_regrouped": len(candidate_groups), "rows_relinked": len(reports) + len(negatives),
                "commitments_touched": len(touched)})
