"""What happened to each commitment: its events, each one a dated sentence with its source.

- Each mention of the promise is `made` (the first) or `restated`; a restatement whose
  deadline is later than the last one is `delayed`.
- A `negative` mention of the same deed by a compatible owner, after the promise, is `dropped`.
- A report (a sentence saying a deed was done, is under way, was put back or abandoned,
  see `reports`) is linked to the commitment whose deed it reports: `delivered` only when
  it is the same deed on the same object ("we launched the consultation" delivers "launch a
  consultation", never "respond to the consultation"); `progress`, `delayed` and `dropped`
  when it acts on the same object.
"""

import hashlib
from dataclasses import dataclass

from extract.grouping import (Unit, cached_canonical_owner, object_match, owners_compatible, related_owners, similarity,
                              topic_similarity)

# A report linked automatically must match at least this well; with no owner (a paraphrase
# in the press) it must match better and name a particular thing.
MIN_LINK = 0.6
MIN_LINK_WITHOUT_OWNER = 0.85
# A deed done on the same object as a promise of another deed is progress towards it.
MIN_STEP_LINK = 0.6


@dataclass
class Commitment:
    id: str
    units: list[Unit]  # earliest first
    mentions: list[dict]  # the rows behind the units, same order


def event_id(event: str, source_row_id: str) -> str:
    return hashlib.sha1(f"{event}|{source_row_id}".encode()).hexdigest()[:16]


def _event(commitment_id: str, event: str, row: dict, *, mention_id=None, report_id=None,
           score=None, deadline=None, deadline_text=None, date=None) -> dict:
    return {
        "id": event_id(event, mention_id or report_id),
        "commitment_id": commitment_id,
        "date": date or row["date"],
        "event": event,
        "document_id": row["document_id"],
        "source": row["source"],
        "source_id": row["source_id"],
        "source_url": row["source_url"],
        "sentence": row["sentence"],
        "sentence_start": row["sentence_start"],
        "sentence_end": row["sentence_end"],
        "mention_id": mention_id,
        "report_id": report_id,
        "link": "automatic",
        "score": None if score is None else round(score, 3),
        "deadline": deadline,
        "deadline_text": deadline_text,
        "reviewer": None,
        "note": None,
    }


def mention_events(commitment: Commitment) -> list[dict]:
    events, latest_deadline = [], None
    for number, mention in enumerate(commitment.mentions):
        kind = "made" if number == 0 else "restated"
        deadline = mention.get("deadline")
        if number and deadline and latest_deadline and deadline > latest_deadline:
            kind = "delayed"
        if deadline and (latest_deadline is None or deadline > latest_deadline):
            latest_deadline = deadline
        events.append(_event(commitment.id, kind, mention, mention_id=mention["id"],
                             deadline=deadline, deadline_text=mention.get("deadline_text")))
    return events


def _candidates(unit: Unit, index: dict[str, set[int]]) -> set[int]:
    return set().union(*(index.get(stem, set()) for stem in unit.deed.object))


def _index(commitments: list[Commitment]) -> dict[str, set[int]]:
    index: dict[str, set[int]] = {}
    for number, commitment in enumerate(commitments):
        for unit in commitment.units:
            for stem in unit.deed.object:
                index.setdefault(stem, set()).add(number)
    return index


def _owner_index(commitments: list[Commitment]) -> dict[str | None, set[int]]:
    """The commitments each owner (canonical) made or restated."""
    index: dict[str | None, set[int]] = {}
    for number, commitment in enumerate(commitments):
        for unit in commitment.units:
            for owner in related_owners(unit.owner):
                index.setdefault(owner, set()).add(number)
    return index


def _link_score(commitment: Commitment, unit: Unit, same_deed: bool) -> float:
    first = commitment.units[0]
    if (unit.date or "") < (first.date or ""):
        return 0.0  # nothing reports on a promise before it was made
    if unit.owner is None:
        members = [m for m in commitment.units if not same_deed or m.deed.verb == unit.deed.verb]
        if unit.deed.generic or not members:
            return 0.0
        score = max(object_match(member, unit) for member in members)
        return score if score >= MIN_LINK_WITHOUT_OWNER else 0.0
    if same_deed and unit.deed.via_legislation:
        return 0.0  # a Bill introduced or an Act passed is a step, not the deed it enables
    # Delivery is the promised deed itself: its own verb class, never a look-alike.
    score = max(similarity(member, unit, same_deed=same_deed, other_verbs=False) for member in commitment.units)
    if not same_deed and score < MIN_LINK:
        # a step on the same subject: generic words ("consultation", "response") aside
        score = max((topic_similarity(member.deed, unit.deed) for member in commitment.units
                     if owners_compatible(member.owner, member.date, unit.owner, unit.date)), default=0.0)
    return score


def link(commitments: list[Commitment], rows: list[dict], same_deed_for,
         exclude: dict[str, int] | None = None) -> list[tuple[dict, int, float]]:
    """(row, commitment number, score) for each row (a report or a negative mention) that
    reports on one commitment; `same_deed_for(row)` says whether the deed must match;
    `exclude` names, by row id, a commitment the row may not link to."""
    index = _index(commitments)
    by_owner = _owner_index(commitments)
    links = []
    for row in rows:
        unit = Unit(row["id"], row.get("owner"), _reported_action(row), row.get("event_date") or row["date"],
                    row.get("context") or "")
        same_deed = same_deed_for(row)
        best, best_score = None, 0.0
        candidates = _candidates(unit, index)
        if unit.owner is not None:
            # An owned report scores 0 against a commitment none of whose owners is compatible
            # (_link_score compares only compatible members): scoring every commitment that
            # shares a common word ("strategy") made linking quadratic.
            candidates &= by_owner.get(cached_canonical_owner(unit.owner), set())
        for number in sorted(candidates - {(exclude or {}).get(row["id"])}):
            score = _link_score(commitments[number], unit, same_deed)
            if score > best_score:
                best, best_score = number, score
        if best is not None and best_score >= MIN_LINK:
            links.append((row, best, best_score))
    return links


def _reported_action(row: dict) -> str:
    """What a row says was done or dropped. A dropped report names the abandoned deed in the
    rest of its sentence ("not to proceed with the provisions that would have required X"),
    so its whole tail counts, not only the verb's object."""
    action = row.get("action") or ""
    if row.get("event") == "dropped" and row.get("action_start") is not None and row.get("sentence_start") is not None:
        tail = row["sentence"][row["action_start"] - row["sentence_start"]:]
        return tail if tail.strip() else action
    return action


def timelines(commitments: list[Commitment], reports: list[dict], negatives: list[dict]) -> dict[str, list[dict]]:
    """Every commitment's events (ordered by the tracker, with the reviewed ones)."""
    events = {c.id: mention_events(c) for c in commitments}
    for row, number, score in link(commitments, negatives, lambda row: True):
        commitment = commitments[number]
        events[commitment.id].append(_event(commitment.id, "dropped", row, mention_id=row["id"], score=score))
    delivered_to: dict[str, int] = {}
    for row, number, score in link(commitments, reports, lambda row: row["event"] == "delivered"):
        commitment = commitments[number]
        event = row["event"]
        if event == "delivered":
            delivered_to[row["id"]] = number
            event = "partly_delivered" if row.get("partial") else "delivered"
        events[commitment.id].append(_report_event(commitment.id, event, row, score))
    # A deed done on the same thing is a step towards another promise about it: the
    # consultation response published, the Bill introduced, on the way to the regime.
    done = [row for row in reports if row["event"] == "delivered"]
    for row, number, score in link(commitments, done, lambda row: False, exclude=delivered_to):
        if score >= MIN_STEP_LINK:
            commitment = commitments[number]
            events[commitment.id].append(_report_event(commitment.id, "progress", row, score))
    return events


def _report_event(commitment_id: str, event: str, row: dict, score: float) -> dict:
    return _event(commitment_id, event, row, report_id=row["id"], score=score,
                  deadline=row.get("new_deadline"), deadline_text=row.get("new_deadline_text"),
                  date=row.get("event_date") or row["date"])


# Same day: the promise before the progress before the outcome.
EVENT_ORDER = {"made": 0, "restated": 1, "delayed": 2, "progress": 3, "partly_delivered": 4,
         "delivered": 5, "dropped": 6, "reviewed": 7}
