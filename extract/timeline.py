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
from collections import Counter
from dataclasses import dataclass

from extract.grouping import (GENERIC_STEMS, PairIndex, Unit, cached_canonical_owner, object_match,
                              owners_compatible, related_owners, similarity, topic_similarity)

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


def event_row(commitment_id: str, event: str, row: dict, *, mention_id=None, report_id=None,
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
        events.append(event_row(commitment.id, kind, mention, mention_id=mention["id"],
                             deadline=deadline, deadline_text=mention.get("deadline_text")))
    return events


class MemoryLinkIndex:
    """What linking looks up, over commitments in memory (keys: their numbers): by object word
    and owner, the commitments a member of which has that word in its object; those with a
    member whose object is that word alone; those with a member whose object is only generic
    words. `owners` narrows each to members by those (canonical) owners; None: any owner."""

    def __init__(self, commitments: list[Commitment] | None = None, entries=None):
        """Over `commitments` by number, or `entries`: (key, units) pairs."""
        self.by_stem: dict[str, dict[str | None, set]] = {}
        self.alone_by: dict[str, dict[str | None, set]] = {}
        self.generic_by: dict[str | None, set] = {}
        self.any_owner: dict[str, set] = {}
        # Looked up by what a row asks for, in time with what is found (a common word's or an
        # owner's list grows with the store): the commitments holding two words (in any members),
        # and, by owner and word, those with an all-generic member by that owner and a member with
        # that word.
        self.pairs = PairIndex()
        self.generic_by_stem: dict[tuple[str | None, str], set] = {}
        if entries is None:
            entries = ((number, c.units) for number, c in enumerate(commitments))
        for number, units in entries:
            stems, generic_owners = set(), set()
            for unit in units:
                owner = cached_canonical_owner(unit.owner)
                stems |= unit.deed.object
                for stem in unit.deed.object:
                    self.by_stem.setdefault(stem, {}).setdefault(owner, set()).add(number)
                    self.any_owner.setdefault(stem, set()).add(number)
                if len(unit.deed.object) == 1:
                    self.alone_by.setdefault(next(iter(unit.deed.object)), {}).setdefault(owner, set()).add(number)
                if unit.deed.generic:
                    self.generic_by.setdefault(owner, set()).add(number)
                    generic_owners.add(owner)
            self.pairs.add(number, sorted(stems))
            for owner in generic_owners:
                for stem in stems:
                    self.generic_by_stem.setdefault((owner, stem), set()).add(number)

    @staticmethod
    def _union(by_owner: dict, owners) -> set:
        if owners is None:
            return set().union(*by_owner.values())
        return set().union(*(by_owner.get(owner, ()) for owner in owners))

    def size(self, stem: str, owners) -> int:
        by_owner = self.by_stem.get(stem, {})
        return sum(len(by_owner.get(o, ())) for o in owners) if owners is not None else \
            sum(len(c) for c in by_owner.values())

    def having(self, stem: str, owners) -> set:
        return self._union(self.by_stem.get(stem, {}), owners)

    def holds(self, stem: str, owners, key) -> bool:
        if owners is None:
            return key in self.any_owner.get(stem, ())
        by_owner = self.by_stem.get(stem, {})
        return any(key in by_owner.get(owner, ()) for owner in owners)

    def sharing_any(self, stems, keys) -> set:
        """Those of `keys` a member of which (by any owner) has one of `stems`."""
        return {key for key in keys if any(key in self.any_owner.get(stem, ()) for stem in stems)}

    def generic_sharing(self, stems, owners) -> set:
        """Those with an all-generic member by one of `owners` and a member with one of `stems`."""
        if owners is None:
            return self.sharing_any(stems, self.generic(owners))
        table = self.generic_by_stem
        return set().union(*(table.get((owner, stem), ()) for owner in owners for stem in stems))

    def two_of(self, stems: list[str], owners) -> set:
        """Those holding at least two of `stems` (sorted, distinct) in members by `owners`."""
        paired = self.pairs.sharing_two(stems)
        if owners is None:
            return paired
        return {key for key in paired if sum(self.holds(stem, owners, key) for stem in stems) >= 2}

    def keys(self) -> set:
        return set().union(*self.any_owner.values()) | set().union(*self.generic_by.values())

    def alone(self, stem: str, owners) -> set:
        return self._union(self.alone_by.get(stem, {}), owners)

    def generic(self, owners) -> set:
        return self._union(self.generic_by, owners)


def two_of_counted(index, stems: list[str], owners) -> set:
    """MemoryLinkIndex.two_of over any index: a common word's list ("strategy") is only looked
    up, never walked."""
    *shorter, longest = sorted(stems, key=lambda stem: index.size(stem, owners))
    shared = Counter(key for stem in shorter for key in index.having(stem, owners))
    return {key for key, count in shared.items() if count >= 2 or index.holds(longest, owners, key)}


def link_candidates(unit: Unit, index) -> set:
    """The commitments that `unit` (a report or a negative mention) could link to: every one
    a member of which could score MIN_LINK against it (object_match, similarity and
    topic_similarity's rules), found through `index` without walking a common word's list:
    - two object words shared (with members by a compatible owner, when it has one);
    - a member whose object is one word of its own (the subset rule; a generic word only
      when the objects are that same word);
    - its object's one particular word in a member (the subset rule the other way, and the
      topic rule on particular words);
    - owned and all generic: a member all generic by a compatible owner (the topic rule), in
      a commitment that shares a word with it.
    A report sharing fewer words than that matches only through a near-identical spelling
    (the fuzzy ratio), which is not looked for: before, any one shared word made a candidate."""
    stems = sorted(unit.deed.object)
    if not stems or (unit.owner is None and unit.deed.generic):
        return set()  # nothing to look up by, or a paraphrase of no particular thing (scores 0)
    owners = None if unit.owner is None else related_owners(unit.owner)
    found = set()
    if len(stems) > 1:
        found = index.two_of(stems, owners)
    for stem in stems:
        if len(stems) == 1 or stem not in GENERIC_STEMS:
            found |= index.alone(stem, owners)
    particular = unit.deed.object - GENERIC_STEMS
    if len(particular) == 1:
        found |= index.having(next(iter(particular)), owners)
    if unit.owner is not None and not particular:
        found |= index.generic_sharing(stems, owners)
    return found


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


def report_unit(row: dict) -> Unit:
    """A report or negative mention read as what it says was done (or dropped)."""
    return Unit(row["id"], row.get("owner"), _reported_action(row), row.get("event_date") or row["date"],
                row.get("context") or "")


def best_link(unit: Unit, same_deed: bool, candidates) -> tuple[object, float] | None:
    """(the candidate `unit` reports on, its score) or None; `candidates` come in the
    tracker's order of commitments, the first of equal scores wins."""
    best, best_score = None, 0.0
    for key, commitment in candidates:
        score = _link_score(commitment, unit, same_deed)
        if score > best_score:
            best, best_score = key, score
            if score >= 1.0:
                break  # no score is higher, and the first of equal ones wins: the rest cannot change it
    return (best, best_score) if best is not None and best_score >= MIN_LINK else None


def link(commitments: list[Commitment], rows: list[dict], same_deed_for,
         exclude: dict[str, int] | None = None, index: MemoryLinkIndex | None = None) -> list[tuple[dict, int, float]]:
    """(row, commitment number, score) for each row (a report or a negative mention) that
    reports on one commitment; `same_deed_for(row)` says whether the deed must match;
    `exclude` names, by row id, a commitment the row may not link to."""
    index = index or MemoryLinkIndex(commitments)
    links = []
    for row in rows:
        unit = report_unit(row)
        candidates = link_candidates(unit, index) - {(exclude or {}).get(row["id"])}
        found = best_link(unit, same_deed_for(row), ((n, commitments[n]) for n in sorted(candidates)))
        if found is not None:
            links.append((row, found[0], found[1]))
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
    index = MemoryLinkIndex(commitments)
    for row, number, score in link(commitments, negatives, lambda row: True, index=index):
        commitment = commitments[number]
        events[commitment.id].append(event_row(commitment.id, "dropped", row, mention_id=row["id"], score=score))
    delivered_to: dict[str, int] = {}
    for row, number, score in link(commitments, reports, lambda row: row["event"] == "delivered", index=index):
        commitment = commitments[number]
        event = row["event"]
        if event == "delivered":
            delivered_to[row["id"]] = number
            event = "partly_delivered" if row.get("partial") else "delivered"
        events[commitment.id].append(report_event(commitment.id, event, row, score))
    # A deed done on the same thing is a step towards another promise about it: the
    # consultation response published, the Bill introduced, on the way to the regime.
    done = [row for row in reports if row["event"] == "delivered"]
    for row, number, score in link(commitments, done, lambda row: False, exclude=delivered_to, index=index):
        if score >= MIN_STEP_LINK:
            commitment = commitments[number]
            events[commitment.id].append(report_event(commitment.id, "progress", row, score))
    return events


def report_event(commitment_id: str, event: str, row: dict, score: float) -> dict:
    return event_row(commitment_id, event, row, report_id=row["id"], score=score,
                  deadline=row.get("new_deadline"), deadline_text=row.get("new_deadline_text"),
                  date=row.get("event_date") or row["date"])


# Same day: the promise before the progress before the outcome.
EVENT_ORDER = {"made": 0, "restated": 1, "delayed": 2, "progress": 3, "partly_delivered": 4,
         "delivered": 5, "dropped": 6, "reviewed": 7}
