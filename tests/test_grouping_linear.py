"""group() passes over groups that cannot reach the threshold without comparing them: the
same groups as comparing every group its index finds, and comparisons that grow with the
mentions, not with their square (issue 14)."""

import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract import grouping
from extract.grouping import MIN_OVERLAP, VAGUE_DEEDS, Unit, group, related_owners, similarity, unit_order

OWNERS = ["Home Office", "HM Treasury", "Department for Education", None]


def reference_group(units: list[Unit]) -> list[list[Unit]]:
    """Grouping's rule compared in full: every group sharing two keys with the unit (one when
    either object is one word) is compared with it, member by member."""
    groups: list[list[Unit]] = []

    def keys(unit):
        return set(unit.deed.object) or {f"<{unit.deed.verb}>"}

    for unit in sorted(units, key=unit_order):
        mine, best, best_score = keys(unit), None, 0.0
        for number, members in enumerate(groups):
            held = set().union(*(keys(m) for m in members))
            one_word = {next(iter(keys(m))) for m in members if len(keys(m)) == 1}
            found = len(mine & held) >= (1 if len(mine) == 1 else 2) or bool(mine & one_word)
            if not found or unit.deed.verb in VAGUE_DEEDS:
                continue
            if all(grouping.cached_canonical_owner(m.owner) not in related_owners(unit.owner) for m in members):
                continue
            score = max(similarity(m, unit) for m in members)
            if score > best_score:
                best, best_score = number, score
                if score >= 1.0:
                    break
        if best is None or best_score < MIN_OVERLAP:
            groups.append([])
            best = len(groups) - 1
        groups[best].append(unit)
    return groups


def ids(groups):
    return [[u.id for u in g] for g in groups]


# Objects that meet only through a spelling ("organisation" / "organization"), a one-word
# object inside a longer one (the subset rule, decided by the headings), generic objects
# (decided by the headings) and common nouns shared by most objects.
WORDS = ["organisation", "organization", "imprint", "imprints", "digital", "rail", "rails", "flood", "ferry"]
NOUNS = ["strategy", "review", "regime", "scheme"]
HEADINGS = ["Digital Imprints", "Flood Defences", "Rail Services", "Ferry Safety", "Organisation Reform", ""]
ACTIONS = st.one_of(
    st.builds(lambda v, w, n: f"{v} the {w} {n}", st.sampled_from(["publish", "introduce", "deliver", "review"]),
              st.sampled_from(WORDS), st.sampled_from(NOUNS)),
    st.builds(lambda v, w, x, n: f"{v} the {w} {x} {n}", st.sampled_from(["publish", "introduce"]),
              st.sampled_from(WORDS), st.sampled_from(WORDS), st.sampled_from(NOUNS)),
    st.builds(lambda v, n: f"{v} the {n}", st.sampled_from(["publish", "introduce", "consult on"]),
              st.sampled_from(NOUNS + WORDS)),
    st.sampled_from(["publish the report", "respond to the consultation", "monitor the situation", "publish it"]),
)
UNITS = st.lists(st.tuples(ACTIONS, st.sampled_from(OWNERS), st.sampled_from(HEADINGS),
                           st.integers(0, 30)), min_size=1, max_size=40)


def make(rows) -> list[Unit]:
    return [Unit(f"m{n:03d}", owner, action, f"2024-01-{day % 28 + 1:02d}", heading)
            for n, (action, owner, heading, day) in enumerate(rows)]


@settings(max_examples=300, deadline=None)
@given(UNITS)
def test_the_same_groups_as_comparing_every_group_found(rows):
    units = make(rows)
    assert ids(group(units)) == ids(reference_group(units))


@settings(max_examples=100, deadline=None)
@given(UNITS, st.integers(0, 40))
def test_going_on_from_earlier_groups_is_the_same(rows, split):
    units = sorted(make(rows), key=unit_order)
    whole = group(units)
    earlier = group(units[:split])
    assert ids(group(units[split:], earlier=earlier)) == ids(whole)


def test_matches_through_spelling_and_headings_are_still_found():
    units = [
        Unit("a", "Home Office", "introduce the organisation regime", "2024-01-01", "Organisation Reform"),
        Unit("b", "Home Office", "introduce the regime", "2024-01-02", "Organisation Reform"),  # the subset rule
        # shares only "regime" with the group, under b: found through b, joins through a's spelling
        Unit("c", "Home Office", "introduce the organization regime", "2024-01-03", "Unrelated Heading"),
        # generic: joins through the headings alone
        Unit("d", "Home Office", "publish the strategy", "2024-01-04", "Strategy for Ferry Safety"),
        Unit("e", "Home Office", "publish the strategy", "2024-01-05", "Ferry Safety"),
        Unit("f", "Home Office", "publish the strategy", "2024-01-06", "Rail Services"),
    ]
    assert ids(group(units)) == ids(reference_group(units)) == [["a", "b", "c"], ["d", "e"], ["f"]]


def generated(n: int, seed: int = 1) -> list[Unit]:
    """`n` units over a vocabulary that grows with them (as a corpus's does): one in ten a
    generic "publish the strategy" under its own heading, the rest a particular strategy."""
    rng = random.Random(seed)
    vocabulary = [f"w{k}x" for k in range(n // 2)]
    units = []
    for k in range(n):
        heading = " ".join(rng.sample(vocabulary, 3))
        action = "publish the strategy" if k % 10 == 0 else \
            f"publish the {' '.join(rng.sample(vocabulary, 2))} strategy"
        units.append(Unit(f"m{k:06d}", "Home Office", action, f"2024-01-{k * 28 // n + 1:02d}", heading))
    return units


def comparisons(units, monkeypatch) -> int:
    calls = Counter()
    real = grouping.similarity

    def counted(a, b, *args, **kwargs):
        calls["n"] += 1
        return real(a, b, *args, **kwargs)

    monkeypatch.setattr(grouping, "similarity", counted)
    group(units)
    monkeypatch.setattr(grouping, "similarity", real)
    return calls["n"]


def test_comparisons_grow_with_the_mentions_not_their_square(monkeypatch):
    # Before: each generic mention met every group with "strategy", and each "... strategy"
    # every group holding a generic one: 4x the mentions made about 16x the comparisons.
    small, large = comparisons(generated(1000), monkeypatch), comparisons(generated(4000), monkeypatch)
    assert large < 6 * max(small, 1), (small, large)


# Linking's look-ups by pairs of words and by owner and word find what walking the lists found.
COMMITMENTS = st.lists(st.lists(st.tuples(ACTIONS, st.sampled_from(OWNERS)), min_size=1, max_size=4),
                       min_size=1, max_size=25)


@settings(max_examples=200, deadline=None)
@given(COMMITMENTS, ACTIONS, st.sampled_from(OWNERS))
def test_linking_look_ups_find_what_walking_found(members, action, owner):
    from extract.timeline import Commitment, MemoryLinkIndex, two_of_counted

    commitments = [Commitment(f"c{n}", [Unit(f"m{n}-{k}", o, a, "2024-01-01") for k, (a, o) in enumerate(units)], [])
                   for n, units in enumerate(members)]
    index = MemoryLinkIndex(commitments)
    stems = sorted(Unit("r", owner, action, "2024-01-02").deed.object)
    for owners in (None, related_owners(owner)):
        if len(stems) > 1:  # link_candidates asks for two only then
            assert index.two_of(stems, owners) == two_of_counted(index, stems, owners)
        assert index.generic_sharing(stems, owners) == index.sharing_any(stems, index.generic(owners))
