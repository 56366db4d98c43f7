"""Which mentions are the same commitment: same owner (or its successor department), the
same deed on the same object.

An action is read as a deed (a verb class: "bring in", "introduce" and "implement" are one
deed) and an object (its content words, crudely stemmed). Two actions match when their
objects share most content words. An object made only of generic words ("the report",
"the consultation", "a response") says nothing on its own: such actions match only when
their documents are about the same thing (the question's heading or the title).

Grouping is recomputed from all mentions each run, in date order, so the result is
deterministic and a re-run changes nothing.
"""

import itertools
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process

from common.gazetteer import canonical_owner

MACHINERY_PATH = Path(__file__).with_name("machinery.json")

STOPWORDS = {
    "a", "an", "the", "of", "on", "for", "to", "in", "and", "or", "with", "by", "at", "from", "into",
    "its", "their", "our", "this", "that", "these", "those", "new", "all", "any", "as", "be", "is",
    "are", "been", "it", "them", "they", "we", "us", "his", "her", "my", "your", "more", "further",
    "about", "over", "under", "out", "up", "which", "who", "will", "shall", "would", "should",
    "can", "could", "may", "so", "such", "also", "than", "there", "here", "not", "no",
    # timing words belong to the deadline, not the deed
    "due", "course", "shortly", "soon", "possible", "early", "earliest", "opportunity", "year",
    "month", "week", "spring", "summer", "autumn", "winter", "later", "next", "coming",
    "appropriate", "time", "timely", "usual", "normal", "way", "manner", "january", "february", "march", "april", "june", "july", "august",
    "september", "october", "november", "december",
}

# Objects made only of these words name no particular thing.
GENERIC = {
    "report", "consultation", "response", "review", "strategy", "guidance", "plan", "document",
    "proposal", "detail", "information", "finding", "data", "update", "outcome", "result",
    "legislation", "bill", "decision", "conclusion", "recommendation", "evidence", "work",
    "matter", "issue", "point", "question", "letter", "copy", "library", "house", "member",
    "honourable", "hon", "friend", "lord", "noble", "parliament", "government", "department",
    "figure", "statistic", "publication", "paper", "analysis", "assessment", "step", "action",
    "measure", "option", "progress", "view", "approach", "answer", "request", "case", "position",
    "announcement", "change", "impact", "note", "situation", "engagement", "basis", "focus", "output",
    "step", "next", "plan", "arrangement", "provision", "detail", "full",
}

# A deed named in several ways is one deed. Longest phrase first when reading an action.
VERB_CLASSES = {
    "introduce": ["bring in", "bring forward", "bring into force", "put in place", "introduce",
                  "implement", "legislate", "enact", "establish", "set up", "create", "roll out",
                  "deliver", "commence"],
    "publish": ["publish", "release", "set out", "issue", "lay", "make available", "share"],
    "consult": ["consult", "launch a consultation", "hold a consultation", "open a consultation",
                "run a consultation", "launch a call for evidence", "seek views"],
    "respond": ["respond", "reply", "provide a response", "publish a response", "publish our response",
                "publish the response", "publish the government response", "set out our response"],
    "consider": ["consider", "review", "look at", "examine", "assess", "evaluate", "explore",
                 "reflect on", "take into account", "carefully consider"],
    "inform": ["update", "inform", "write to", "keep informed", "report back", "confirm", "notify",
               "let", "place a copy", "deposit", "keep the house updated"],
    "continue": ["continue", "keep", "maintain", "remain"],
}
_PHRASES = sorted(
    (([w for w in phrase.split() if w not in {"a", "an", "the", "our"}], deed) for deed, phrases in VERB_CLASSES.items() for phrase in phrases),
    key=lambda p: -len(p[0]),
)

LEGISLATION = {"legislation", "bill", "bills", "act", "regulations", "order", "measure"}

MIN_OVERLAP = 0.6
# Deeds that are never another wording of a different verb's deed: consulting is not
# responding, considering is not doing, keeping the House informed is not the thing itself.
DISTINCT_DEEDS = {"consult", "respond", "consider", "inform", "continue", "legislate"}
SAME_THING = 0.85
# Verbs of attitude or watching, not deeds (the guideline's vague verbs).
VAGUE_DEEDS = {"follow", "monitor", "encourage", "urge", "welcome", "watch", "form", "retain", "engage", "listen"}
MIN_CONTEXT_OVERLAP = 0.5


def _stem(word: str) -> str:
    for suffix, keep in (("ies", "y"), ("ses", "s"), ("ing", ""), ("ed", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + keep
    return word


GENERIC_STEMS = frozenset(_stem(w) for w in GENERIC)


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", (text or "").lower().replace("’", "'"))


def content_stems(text: str) -> set[str]:
    return {_stem(w) for w in words(text) if w not in STOPWORDS and len(w) > 1}


@dataclass(frozen=True)
class Deed:
    """An action read as a verb class and an object."""

    verb: str
    object: frozenset[str]
    object_text: str
    # Reached through legislation ("bring forward legislation to implement X"): as a promise
    # it is the promise to implement X; as a report, a step towards X, never X done.
    via_legislation: bool = False

    @property
    def generic(self) -> bool:
        return not (self.object - GENERIC_STEMS)


# Dropped before a deed phrase is matched: "launch the consultation" is "launch a consultation".
DETERMINERS = {"a", "an", "the", "our", "its", "their", "his", "her", "this", "that", "these", "those"}


@lru_cache(maxsize=65536)
def read_action(action: str) -> Deed:
    tokens = [w for w in words(action) if w not in DETERMINERS]
    for phrase, deed in _PHRASES:
        if tokens[: len(phrase)] == phrase:
            rest = tokens[len(phrase):]
        elif len(phrase) > 1 and tokens[:1] == phrase[:1] and tokens[-(len(phrase) - 1):] == phrase[1:]:
            rest = tokens[1: -(len(phrase) - 1)]  # the particle after the object: "bring X into force"
        else:
            continue
        legislating = phrase == ["legislate"] or (deed == "introduce" and _names_legislation(rest))
        if legislating:
            # "legislate to introduce X", "bring forward legislation to implement X": X
            after = rest[rest.index("to") + 1:] if "to" in rest else []
            inner = read_action(" ".join(after)) if after else None
            if inner is not None and inner.verb == "introduce" and inner.object:
                return Deed(inner.verb, inner.object, inner.object_text, via_legislation=True)
            # "introduce the Elections Bill": a step towards what the Bill does, not the deed itself
            return Deed("legislate", frozenset(content_stems(" ".join(rest))), " ".join(rest), via_legislation=True)
        return Deed(deed, frozenset(content_stems(" ".join(rest))), " ".join(rest))
    verb = tokens[0] if tokens else ""
    rest = " ".join(tokens[1:])
    return Deed(_stem(verb), frozenset(content_stems(rest)), rest)


def _names_legislation(tokens: list[str]) -> bool:
    """The object's head is a Bill or legislation: "the Elections Bill in the House", "legislation to ..."."""
    head = []
    for token in tokens:
        if token in {"to", "on", "in", "for", "that", "which", "of", "with", "before", "by"}:
            break
        head.append(token)
    return bool(set(head) & LEGISLATION)


def object_similarity(a: Deed, b: Deed) -> float:
    """Share of the smaller object's content words found in the other, tempered by a fuzzy
    match of the object texts (so "imprint regime" meets "imprints regime")."""
    if not a.object or not b.object:
        return 1.0 if a.object == b.object and a.object_text == b.object_text else 0.0
    shared = len(a.object & b.object)
    coefficient = shared / min(len(a.object), len(b.object))
    if shared < 2 and not (a.object == b.object):
        coefficient = min(coefficient, 0.5)  # one shared word ("data", "school") is not a match
    fuzzy = fuzz.token_sort_ratio(" ".join(sorted(a.object)), " ".join(sorted(b.object))) / 100
    return max(coefficient, fuzzy if fuzzy >= 0.85 else 0.0)


@lru_cache(maxsize=1)
def _successions() -> dict[str, list[tuple[str, str]]]:
    table: dict[str, list[tuple[str, str]]] = {}
    for line in json.loads(MACHINERY_PATH.read_text())["successions"]:
        table.setdefault(line["from"], []).append((line["to"], line["date"]))
    return table


def successors(owner: str, on: str | None) -> set[str]:
    """`owner` and every department that took over its work by date `on` (ISO), transitively."""
    found, todo = {owner}, [owner]
    while todo:
        for successor, since in _successions().get(todo.pop(), []):
            if successor not in found and (on is None or on >= since):
                found.add(successor)
                todo.append(successor)
    return found


# Tracking compares owners millions of times on a big store, over a few hundred names:
# the gazetteer's regular expressions run once per name.
cached_canonical_owner = lru_cache(maxsize=4096)(canonical_owner)


def related_owners(owner: str | None) -> frozenset:
    """Every owner that `owner` can ever be compatible with (its successions both ways, at any
    date): a cheap first filter before owners_compatible, never stricter than it."""
    return _related_owners(cached_canonical_owner(owner))


@lru_cache(maxsize=4096)
def _related_owners(owner: str | None) -> frozenset:
    if owner is None:
        return frozenset({None})
    neighbours: dict[str, set[str]] = {}
    for earlier, lines in _successions().items():
        for later, _ in lines:
            neighbours.setdefault(earlier, set()).add(later)
            neighbours.setdefault(later, set()).add(earlier)
    found, todo = {owner}, [owner]
    while todo:
        for other in neighbours.get(todo.pop(), ()):
            if other not in found:
                found.add(other)
                todo.append(other)
    return frozenset(found)


def owners_compatible(earlier: str | None, earlier_date: str | None, later: str | None,
                      later_date: str | None) -> bool:
    """Same owner, or `later` is a successor of `earlier` by the later mention's date.
    A mention with no owner matches only another with none: never merge across owners."""
    a, b = cached_canonical_owner(earlier), cached_canonical_owner(later)
    if a == b:
        return True
    if a is None or b is None or b not in _related_owners(a):
        return False  # most pairs: unrelated departments, told apart without their dates
    if (earlier_date or "") > (later_date or ""):
        a, b, later_date = b, a, earlier_date
    return b in successors(a, later_date)


@dataclass
class Unit:
    """What grouping needs of a mention."""

    id: str
    owner: str | None
    action: str
    date: str | None
    context: str = ""  # the question's heading or the document's title
    key: str = ""  # survives re-extraction (document and sentence); the id when not given
    # Where it stands among the mentions of its day: its document, then its place in it. Later
    # documents of a day (the API numbers them as they come) are grouped after earlier ones, so
    # a day's late answers extend an incremental run instead of forcing a whole one.
    order: tuple = ()
    deed: Deed = field(init=False)
    context_words: frozenset[str] = field(init=False)

    def __post_init__(self):
        self.key = self.key or self.id
        self.deed = read_action(self.action or "")
        self.context_words = frozenset(content_stems(self.context) - GENERIC_STEMS)


def unit_order(unit: Unit) -> tuple:
    """Grouping's order: by date, then the document and the place in it, then the id."""
    return (unit.date or "", *unit.order, unit.id)


def similarity(a: Unit, b: Unit, same_deed: bool = True, other_verbs: bool = True) -> float:
    """0..1: how surely `a` and `b` are about one commitment (0 when the owners cannot be).
    With `same_deed` the deeds must match too ("publish the strategy" is not "consult on the
    strategy"): the same verb class, or, with `other_verbs`, another verb for one particular
    thing ("deliver" or "publish" a new Road Safety Strategy); without `same_deed` only the
    object counts (a report of progress)."""
    if not owners_compatible(a.owner, a.date, b.owner, b.date):
        return 0.0
    if a.deed.verb in VAGUE_DEEDS or b.deed.verb in VAGUE_DEEDS:
        return 0.0  # "follow matters", "monitor the situation": nothing to check, nothing to group
    if a.deed.verb == b.deed.verb or not same_deed:
        return object_match(a, b)
    if not other_verbs or {a.deed.verb, b.deed.verb} & DISTINCT_DEEDS:
        return 0.0
    # Other verbs for one deed on one particular thing: "deliver" or "publish" a new Road
    # Safety Strategy, "build" or "deliver" 1.5 million homes.
    if not (a.deed.object - GENERIC_STEMS and b.deed.object - GENERIC_STEMS):
        return 0.0
    score = topic_similarity(a.deed, b.deed)  # the words themselves, no help from the headings
    return score if score >= SAME_THING else 0.0


def topic_similarity(a: Deed, b: Deed) -> float:
    """Like object_similarity, without the generic words: "the response to the technical
    consultation on digital imprints" is about digital imprints."""
    return object_similarity(Deed(a.verb, a.object - GENERIC_STEMS, ""), Deed(b.verb, b.object - GENERIC_STEMS, ""))


def object_match(a: Unit, b: Unit) -> float:
    """How surely `a` and `b` act on the same thing, whoever acts."""
    score = object_similarity(a.deed, b.deed)
    smaller, larger = sorted((a.deed.object, b.deed.object), key=len)
    if smaller - GENERIC_STEMS and smaller < larger and score < MIN_OVERLAP:
        # "introduce the regime" within "introduce a digital imprints regime": the short form
        # is the long one when the documents are about the same thing.
        score = max(score, _context_overlap(a, b))
    if a.deed.generic or b.deed.generic:
        # "publish the report": which report? Only the documents' subjects can say.
        score = min(score, _context_overlap(a, b))
    return score


def _context_overlap(a: Unit, b: Unit) -> float:
    """Share of the smaller context's words in the other; 0 below MIN_CONTEXT_OVERLAP."""
    if not (a.context_words and b.context_words):
        return 0.0
    shared = len(a.context_words & b.context_words) / min(len(a.context_words), len(b.context_words))
    return shared if shared >= MIN_CONTEXT_OVERLAP else 0.0


def _best_similarity(members: list[Unit], unit: Unit) -> float:
    """The highest similarity of `unit` with any member, stopping at 1.0 (none is higher)."""
    best = 0.0
    for member in members:
        score = similarity(member, unit)
        if score > best:
            best = score
            if best >= 1.0:
                break
    return best


def _sharing(keys: list[str], index: dict[str, set[int]], needed: int) -> set[int]:
    """The groups found under at least `needed` (1 or 2) of `keys` in `index`. The longest
    list (a word in every object, "strategy") is only looked up, never walked: a group in it
    counts when another key found it too. Walking it made grouping quadratic."""
    lists = sorted((index.get(key, set()) for key in keys), key=len)
    if needed == 1:
        return set().union(*lists)
    *shorter, longest = lists
    shared = Counter(number for numbers in shorter for number in numbers)
    return {number for number, count in shared.items() if count >= 2 or number in longest}


def _object_text(words: frozenset[str]) -> str:
    """The string object_similarity's fuzzy ratio compares: the words sorted, as token_sort_ratio sorts them."""
    return " ".join(sorted(words))


class _Near:
    """What a group could still score against a unit that shares at most one word with it,
    found without comparing: the groups holding a key and a member whose heading shares a
    word with the unit (the headings' overlap, which bounds every generic match and the
    subset rule), and, for the groups holding a member whose object is one word, their
    members' object texts (the fuzzy ratio, the one other way such a unit reaches a match:
    shares of one word are capped at 0.5)."""

    def __init__(self):
        # (key, heading word) -> groups holding the key and a member whose heading has the word:
        # for generic keys (held by any member), and for each group's one-word objects
        self.generic_by_heading: dict[tuple[str, str], set[int]] = {}
        self.single_by_heading: dict[tuple[str, str], set[int]] = {}
        self.contexts: list[set[str]] = []  # each group's members' heading words
        self.generic_keys: list[set[str]] = []  # each group's generic keys
        self.single_keys: list[set[str]] = []  # each group's one-word objects (its keys in `single`)
        # (key, particular?) -> text length -> the object texts (or particular-word texts, as
        # topic_similarity compares) of the members of the groups holding that one-word object,
        # with their groups: by length, since the fuzzy ratio cannot reach the cut-off between
        # texts of lengths far apart
        self.texts: dict[tuple[str, bool], dict[int, tuple[list[str], list[int]]]] = {}

    def new_group(self) -> None:
        self.contexts.append(set())
        self.generic_keys.append(set())
        self.single_keys.append(set())

    def add(self, number: int, unit: Unit, members: list[Unit], keys: list[str]) -> None:
        """`unit` joined group `number` (`members`, `unit` already among them)."""
        contexts = self.contexts[number]
        words = unit.context_words - contexts
        singles = self.single_keys[number]
        new_single = keys[0] if len(keys) == 1 and keys[0] not in singles else None
        for table, known, looked_up in (
                (self.generic_by_heading, self.generic_keys[number],
                 {key for key in keys if key in GENERIC_STEMS or key.startswith("<")}),
                (self.single_by_heading, singles, {new_single} if new_single else set())):
            fresh = looked_up - known
            for key, word in [(k, w) for k in known for w in words] + [(k, w) for k in fresh for w in contexts | words]:
                table.setdefault((key, word), set()).add(number)
            if table is self.generic_by_heading:
                known |= fresh
        contexts |= words
        for key in singles:
            self._text(key, number, unit)
        if new_single:
            singles.add(new_single)
            for member in members:
                self._text(new_single, number, member)

    def _text(self, key: str, number: int, unit: Unit) -> None:
        for particular, words in ((False, unit.deed.object), (True, unit.deed.object - GENERIC_STEMS)):
            text = _object_text(words)
            texts, numbers = self.texts.setdefault((key, particular), {}).setdefault(len(text), ([], []))
            texts.append(text)
            numbers.append(number)

    def by_heading(self, unit: Unit, keys, single: bool = False) -> set[int]:
        """Groups holding one of `keys` (generic keys; with `single`, as a one-word object) with
        a member whose heading shares a word with `unit`'s."""
        table = self.single_by_heading if single else self.generic_by_heading
        return set().union(*(table[pair] for pair in ((k, w) for k in keys for w in unit.context_words)
                             if pair in table))

    def by_heading_among(self, unit: Unit, among: set[int]) -> set[int]:
        """Those of `among` with a member whose heading shares a word with `unit`'s."""
        return {number for number in among if not self.contexts[number].isdisjoint(unit.context_words)}

    def spelled_alike(self, unit: Unit, keys: list[str]) -> set[int]:
        """Groups under `keys` in `texts` with a member whose object (or particular words) the
        fuzzy ratio could put at SAME_THING or more against `unit`'s. A cut-off a point lower
        than object_similarity's: it finds candidates, the comparison itself decides."""
        found = set()
        for particular, words in ((False, unit.deed.object), (True, unit.deed.object - GENERIC_STEMS)):
            query = _object_text(words)
            if not query:
                continue  # topic_similarity needs particular words on both sides
            # ratio = 2 * matches / (la + lb) <= 2 * min / (la + lb): lengths outside these bounds never reach the cut
            shortest, longest = len(query) * FUZZY_CUT / (200 - FUZZY_CUT), len(query) * (200 - FUZZY_CUT) / FUZZY_CUT
            for key in keys:
                for length, (texts, numbers) in self.texts.get((key, particular), {}).items():
                    if shortest <= length <= longest:
                        for _, _, at in process.extract(query, texts, scorer=fuzz.ratio, score_cutoff=FUZZY_CUT,
                                                        limit=None):
                            found.add(numbers[at])
        return found


class PairIndex:
    """The groups (or commitments) holding two given keys (in one member or two), looked up by the
    pair: found in time with those found, where counting walked each key's list (a particular word's
    list grows with the store). One holding more than BIG_GROUP keys is paired no further (its pairs
    grow as their square): such ones are few, and their keys are counted directly. Used by grouping
    and by linking's MemoryLinkIndex (extract/timeline.py)."""

    def __init__(self):
        self.by_pair: dict[tuple[str, str], set] = {}
        self.keys: dict = {}  # number -> its keys
        self.big: set = set()

    def add(self, number, keys) -> None:
        held = self.keys.setdefault(number, set())
        fresh = [key for key in keys if key not in held]
        if fresh and number not in self.big:
            if len(held) + len(fresh) > BIG_GROUP:
                self.big.add(number)
            else:
                for at, key in enumerate(fresh):
                    for other in [*held, *fresh[:at]]:
                        self.by_pair.setdefault((min(key, other), max(key, other)), set()).add(number)
        held.update(fresh)

    def sharing_two(self, keys: list[str]) -> set:
        """Those holding at least two of `keys` (sorted, distinct): grouping._sharing's rule."""
        found = set().union(*(self.by_pair.get(pair, ()) for pair in itertools.combinations(keys, 2)))
        found.update(number for number in self.big if len(self.keys[number].intersection(keys)) >= 2)
        return found


BIG_GROUP = 64
# Below object_similarity's 0.85 (in points), so rounding never hides a candidate.
FUZZY_CUT = 84


def group(units: list[Unit], threshold: float = MIN_OVERLAP, earlier: list[list[Unit]] = ()) -> list[list[Unit]]:
    """Groups of units, earliest first; a unit joins the group holding its most similar
    earlier unit when that similarity reaches `threshold`. `earlier`: groups already made
    of units that all come before `units` (in date order), given in the order they were
    made: grouping goes on from them as if it had made them (extract/incremental.py)."""
    groups: list[list[Unit]] = []
    # Only groups that can match are compared, found through an index of object words: a
    # match needs two shared words, or one when either object is a single word (the
    # subset rule: "introduce the regime"). Counting shared words before comparing keeps
    # common nouns ("strategy", "review") from making every group a candidate.
    index: dict[str, set[int]] = {}
    single: dict[str, set[int]] = {}  # groups holding a member whose object is this one word
    owners: list[set] = []  # each group's members' canonical owners: a group none of whose owners a unit
    # could be compatible with scores 0 for every member, so it is passed over without comparing them
    near = _Near()
    pairs = PairIndex()
    # Of the groups the index finds, some can be told to score below `threshold` without
    # comparing them (which made a whole run quadratic: a generic "publish the strategy" met
    # every group with "strategy", a "strategy" object every group holding one): a generic
    # unit scores no more than the headings' overlap with any member, so only groups sharing
    # a heading word can reach it; and a group found through one shared word alone (under a
    # member whose object is that word) scores at most 0.5 unless the headings or the fuzzy
    # ratio lift it (`_Near`). Only groups that could not reach `threshold` are passed over,
    # so the same group wins: the result is the same as comparing them all.
    prune = threshold > 0.5

    def place(unit: Unit, number: int, keys: list[str]) -> None:
        groups[number].append(unit)
        owners[number].add(cached_canonical_owner(unit.owner))
        for key in keys:
            index.setdefault(key, set()).add(number)
        if len(keys) == 1:
            single.setdefault(keys[0], set()).add(number)
        near.add(number, unit, groups[number], keys)
        pairs.add(number, keys)

    def start() -> int:
        groups.append([])
        owners.append(set())
        near.new_group()
        return len(groups) - 1

    for members in earlier:
        number = start()
        for member in members:
            place(member, number, sorted(member.deed.object) or [f"<{member.deed.verb}>"])
    for unit in sorted(units, key=unit_order):
        keys = sorted(unit.deed.object) or [f"<{unit.deed.verb}>"]
        needed = 1 if len(keys) == 1 else 2
        if unit.deed.verb in VAGUE_DEEDS:
            candidates = set()  # a vague deed scores 0 with anything
        elif not prune:
            candidates = _sharing(keys, index, needed)
            candidates.update(*(single.get(key, ()) for key in keys))
        elif unit.deed.generic:
            if needed == 1:  # every group holding the key (a one-word object's groups are among them)
                candidates = near.by_heading(unit, keys)
            else:
                found = pairs.sharing_two(keys)
                found.update(*(single.get(key, ()) for key in keys))
                candidates = near.by_heading_among(unit, found)
        elif needed == 2:
            # the groups holding two of its keys, and those found through one, under a member
            # whose object is that word, that the headings or the spelling could still match
            candidates = pairs.sharing_two(keys) | near.by_heading(unit, keys, single=True) | \
                near.spelled_alike(unit, keys)
        else:
            candidates = _sharing(keys, index, needed)
            candidates.update(single.get(keys[0], ()))
        best, best_score = None, 0.0
        # No score exceeds 1.0, so the first group to reach it wins (a later one must score
        # more to replace it): the same groups, sooner.
        reachable = related_owners(unit.owner)
        for number in sorted(candidates):
            if owners[number].isdisjoint(reachable):
                continue
            score = _best_similarity(groups[number], unit)
            if score > best_score:
                best, best_score = number, score
                if score >= 1.0:
                    break
        if best is None or best_score < threshold:
            best = start()
        place(unit, best, keys)
    return groups
