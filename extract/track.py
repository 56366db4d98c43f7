"""Tracking: mentions grouped into commitments with stable ids, each commitment's events,
its status, and the reviewed overrides applied on top.

A pure function of its inputs (rows from the store, last run's ids, the overrides, the
as-of date), so the same inputs always give the same rows and a re-run changes nothing.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from common.kinds import KIND_ORDER
from extract.commitment_ids import assign_ids
from extract.grouping import GENERIC_STEMS, Unit, group, unit_order
from extract.overrides import Override
from extract.status import derive_status
from extract.timeline import EVENT_ORDER, Commitment, timelines

PRONOUN_OBJECTS = {"it", "this", "that", "them", "these", "those", "so", "one", "which"}


@dataclass
class Review:
    """What reviewers changed on one commitment."""

    notes: list[str] = field(default_factory=list)
    title: str | None = None


@dataclass
class Tracking:
    commitments: list[dict]
    events: list[dict]
    assignment: dict[str, str]  # mention id -> commitment id, after review
    automatic_ids: dict[str, str]  # mention key -> commitment id before review: next run's memory
    redirects: dict[str, str]  # old commitment id -> the id that took its mentions
    units: list[tuple[Unit, str, str]] = field(default_factory=list)  # each grouped: its group and commitment
    order: dict[str, str] = field(default_factory=dict)  # commitment id -> its group_rank


def mention_key(mention: dict) -> str:
    """What survives re-extraction of the same text: the document, the sentence and where
    the action starts in it (a sentence can hold two promises)."""
    return f"{mention['document_id']}:{mention['sentence_start']}:{mention.get('action_start')}"


def unit_of(mention: dict) -> Unit:
    action_start = mention.get("action_start")
    return Unit(mention["id"], mention.get("owner"), mention.get("action") or "", mention.get("date"),
                mention.get("context") or "", key=mention_key(mention),
                order=(mention.get("document_id") or "", mention.get("sentence_start") or 0,
                       -1 if action_start is None else action_start))


def title_of(mentions: list[dict], units: list[Unit] | None = None) -> str:
    """The clearest action, readable on its own: a particular object, no pronoun, not too long.
    `units`: the mentions' units, when already made (the same, made once)."""
    units = units or [unit_of(m) for m in mentions]

    def clarity(item):
        number, mention = item
        action = (mention.get("action") or "").strip()
        words = action.split()
        unit = units[number]
        return (
            bool(unit.deed.object - GENERIC_STEMS),
            not (len(words) > 1 and words[1].lower() in PRONOUN_OBJECTS),
            4 <= len(words) <= 16,
            -abs(len(words) - 9),
            -number,
        )
    _, best = max(enumerate(mentions), key=clarity)
    action = (best.get("action") or "").strip()
    return action[:1].upper() + action[1:]


def track(mentions: list[dict], negatives: list[dict], reports: list[dict], previous: dict[str, str],
          overrides: list[Override], as_of: date, overrides_path: Path | str = "overrides") -> Tracking:
    by_id = {m["id"]: m for m in mentions}
    unlinked = _unlinked(overrides, by_id, overrides_path)
    units = [unit_of(m) for m in mentions if m["id"] not in unlinked]
    groups = group(units)
    ids, redirects = assign_ids(groups, previous)
    automatic = {u.key: commitment_id for units_, commitment_id in zip(groups, ids) for u in units_}
    members = {commitment_id: [u.id for u in units_] for units_, commitment_id in zip(groups, ids)}
    reviews = _apply_grouping_overrides(overrides, members, redirects, by_id, overrides_path)

    # Each mention read once: reading an action and a heading is most of a unit's cost.
    unit_by_id = {u.id: u for u in units}
    commitments = []
    for commitment_id, mention_ids in members.items():
        rows = sorted((by_id[i] for i in mention_ids), key=lambda m: (m["date"] or "", m["id"]))
        commitments.append(Commitment(commitment_id, [unit_by_id.get(m["id"]) or unit_of(m) for m in rows], rows))
    events = timelines(commitments, reports, negatives)
    _apply_status_overrides(overrides, events, reviews, redirects, overrides_path)

    for timeline in events.values():
        sequenced(timeline)
    rows = [commitment_row(c, events[c.id], reviews.get(c.id, Review()), as_of) for c in commitments]
    assignment = {mention_id: c.id for c in commitments for mention_id in (m["id"] for m in c.mentions)}
    all_events = [e for c in commitments for e in events[c.id]]
    group_of = {u.id: commitment_id for units_, commitment_id in zip(groups, ids) for u in units_}
    units = [(u, group_of[u.id], assignment[u.id]) for u in units]
    order = {commitment_id: group_rank(units_[0]) for units_, commitment_id in zip(groups, ids)}
    splits = (commitment_id for commitment_id in members if commitment_id not in order)
    order.update({commitment_id: f"1 {n:06d}" for n, commitment_id in enumerate(splits)})
    return Tracking(rows, all_events, assignment, automatic, redirects, units, order)


def sort_key(unit) -> tuple:
    return unit_order(unit)


def group_rank(first: Unit) -> str:
    """A commitment's place in the tracker's order (what breaks a tie between two it could
    link a report to): groups as they were first made, in date order; then those a reviewer
    split off, in the file's order. A space sorts before any date."""
    return f"0 {first.date or ''} {first.id}"


def sequenced(events: list[dict]) -> list[dict]:
    events.sort(key=lambda e: (e["date"] or "", EVENT_ORDER.get(e["event"], 9), e["id"]))
    for sequence, event in enumerate(events):
        event["sequence"] = sequence
    return events


def _resolve(commitment_id: str, members: dict, redirects: dict, override: Override, path) -> str:
    seen = set()
    while commitment_id not in members and commitment_id in redirects and commitment_id not in seen:
        seen.add(commitment_id)
        commitment_id = redirects[commitment_id]
    if commitment_id not in members:
        raise override.fail(path, f"no commitment {commitment_id!r}")
    return commitment_id


def _unlinked(overrides: list[Override], by_id: dict, path) -> set[str]:
    unlinked = set()
    for override in overrides:
        if override.action == "unlink":
            mention = override.fields["mention"]
            if mention not in by_id:
                raise override.fail(path, f"no tracked mention {mention!r}")
            unlinked.add(mention)
    return unlinked


def _apply_grouping_overrides(overrides, members: dict[str, list[str]], redirects, by_id, path) -> dict[str, Review]:
    """Merge, split, unlink and retitle `members` in place, in file order; returns what each
    commitment's reviewers changed."""
    reviews: dict[str, Review] = {}

    def review(commitment_id: str) -> Review:
        return reviews.setdefault(commitment_id, Review())

    for override in overrides:
        if override.action == "merge":
            into = _resolve(override.fields["into"], members, redirects, override, path)
            for other in override.fields["commitments"]:
                other = _resolve(other, members, redirects, override, path)
                if other != into:
                    members[into].extend(members.pop(other))
                    redirects[other] = into
                    review(into).notes.extend(reviews.pop(other, Review()).notes)
            review(into).notes.append(override.review)
        elif override.action == "split":
            source = _resolve(override.fields["commitment"], members, redirects, override, path)
            moving = override.fields["mentions"]
            strangers = [m for m in moving if m not in members[source]]
            if strangers:
                raise override.fail(path, f"{', '.join(strangers)} not in commitment {source}")
            if len(moving) == len(members[source]):
                raise override.fail(path, "would move every mention: nothing would be left to split from")
            new_id = "r" + hashlib.sha1(f"{source}|{'|'.join(sorted(moving))}".encode()).hexdigest()[:11]
            members[source] = [m for m in members[source] if m not in moving]
            members[new_id] = list(moving)
            for commitment_id in (source, new_id):
                review(commitment_id).notes.append(override.review)
            review(new_id).title = override.fields.get("title")
        elif override.action == "unlink":
            commitment_id = _resolve(override.fields["commitment"], members, redirects, override, path)
            review(commitment_id).notes.append(override.review)
        elif override.action == "retitle":
            commitment_id = _resolve(override.fields["commitment"], members, redirects, override, path)
            review(commitment_id).notes.append(override.review)
            review(commitment_id).title = override.fields["title"]
    for commitment_id in list(members):
        if not members[commitment_id]:
            del members[commitment_id]
    return reviews


def _apply_status_overrides(overrides, events: dict[str, list[dict]], reviews, redirects, path) -> None:
    """A reviewed status is an event of its own, the latest word on the commitment."""
    for override in overrides:
        if override.action != "status":
            continue
        commitment_id = _resolve(override.fields["commitment"], events, redirects, override, path)
        fields = override.fields
        events[commitment_id].append({
            "id": hashlib.sha1(f"reviewed|{commitment_id}|{override.line}|{override.date}".encode()).hexdigest()[:16],
            "commitment_id": commitment_id,
            "date": fields.get("status_date", override.date),
            "event": "reviewed",
            "document_id": None, "source": "review", "source_id": None,
            "source_url": fields.get("source_url"),
            "sentence": fields.get("evidence") or override.reason,
            "sentence_start": None, "sentence_end": None, "mention_id": None, "report_id": None,
            "link": "reviewed", "score": None, "deadline": None, "deadline_text": None,
            "reviewer": override.reviewer, "note": f"status set to {fields['status']}: {override.reason}",
            "status": fields["status"],
        })
        reviews.setdefault(commitment_id, Review()).notes.append(override.review)


def from_events(events: list[dict]) -> dict:
    """What a commitment's row says of its events beyond its status."""
    return {"last_mentioned": max(e["date"] or "" for e in events) or None,
            "source_count": len({e["document_id"] for e in events if e["document_id"]})}


def refreshed_row(row: dict, events: list[dict], as_of: date) -> dict:
    """A stored commitment's row after its events (not its mentions) changed or the as-of date
    moved: a reviewed status stands, any other is derived again."""
    row = {**row, **from_events(events), "checked": as_of.isoformat()}
    if not any(e["event"] == "reviewed" for e in events):
        row.update(derive_status(events, as_of))
    return row


def commitment_row(commitment: Commitment, events: list[dict], review: Review, as_of: date) -> dict:
    mentions = commitment.mentions
    first = mentions[0]
    reviewed_status = next((e for e in reversed(events) if e["event"] == "reviewed"), None)
    if reviewed_status is not None:
        status = {"status": reviewed_status["status"], "status_date": reviewed_status["date"],
                  "status_event_id": reviewed_status["id"],
                  "status_reason": f"Reviewed by {reviewed_status['reviewer']}: {reviewed_status['note']}"}
    else:
        status = derive_status(events, as_of)
    deadlines = sorted(m["deadline"] for m in mentions if m.get("deadline"))
    kinds = {m["kind"] for m in mentions}
    for event in events:
        event.pop("status", None)
    return {
        "id": commitment.id,
        "title": review.title or title_of(mentions, commitment.units),
        "owner": first.get("owner"),
        "person": next((m["person"] for m in mentions if m.get("person")), None),
        "kind": next(k for k in KIND_ORDER if k in kinds),
        "action": first.get("action"),
        **status,
        "first_made": first["date"],
        "last_mentioned": None,
        "deadline": deadlines[0] if deadlines else None,
        "deadline_latest": deadlines[-1] if len(set(deadlines)) > 1 else None,
        "mention_count": len(mentions),
        "source_count": None,
        **from_events(events),
        "checked": as_of.isoformat(),
        "reviewed": int(bool(review.notes)),
        "review": "; ".join(review.notes) or None,
    }

