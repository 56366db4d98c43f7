"""Pairwise scoring of a grouping against labelled mention pairs, on a tiny made-up set."""

import json

import pytest

from extract.evaluate_pairs import grouping_from_groups, load_pairs, read_labels, score_pairs


def unit(unit_id, owner, action, sentence=None):
    return {"unit_id": unit_id, "owner": owner, "action": action, "sentence": sentence or f"We will {action}.",
            "date": "2024-01-01", "kind": "firm"}


UNITS = [
    unit("u1", "Department for Transport", "publish the ferry strategy"),
    unit("u2", "Department for Transport", "set out the ferry strategy"),
    unit("u3", "Home Office", "publish the ferry strategy"),
    unit("u4", "Department for Transport", "consult on ferry fares"),
    unit("u5", "Home Office", "introduce the kennel register"),
    unit("u6", "Home Office", "bring in the kennel register"),
]
CANDIDATES = [  # (pair, a, b, split, band weight)
    ("p1", "u1", "u2", "dev", 1.0),   # same; words differ
    ("p2", "u1", "u3", "dev", 1.0),   # different owners, same words
    ("p3", "u1", "u4", "dev", 4.0),   # different deed
    ("p4", "u5", "u6", "test", 1.0),  # same
    ("p5", "u3", "u5", "test", 2.0),  # different
]
LABELS = {"p1": True, "p2": False, "p3": False, "p4": True, "p5": False}


def write(folder, labels=None):
    rows = {
        "units.jsonl": UNITS,
        "candidates.jsonl": [{"pair_id": p, "unit_a": a, "unit_b": b, "split": s, "similarity": 0.5, "band": 3,
                              "band_weight": w} for p, a, b, s, w in CANDIDATES],
        "labels.jsonl": labels if labels is not None else [
            {"pair_id": p, "same": same, "source": "agreed"} for p, same in LABELS.items()],
    }
    for name, lines in rows.items():
        (folder / name).write_text("".join(json.dumps(r) + "\n" for r in lines))
    return folder


def same_words(a, b):
    return a["action"] == b["action"]  # a naive tracker: merges identical actions, whoever the owner


def same_owner_same_object(a, b):
    return a["owner"] == b["owner"] and a["action"].split()[-2:] == b["action"].split()[-2:]


def test_load_pairs_joins_units_and_labels_and_keeps_to_the_split(tmp_path):
    write(tmp_path)
    dev = load_pairs(tmp_path, "dev")
    assert [p["pair_id"] for p in dev] == ["p1", "p2", "p3"]
    assert dev[0]["unit_a"]["action"] == "publish the ferry strategy" and dev[0]["same"] is True
    assert [p["pair_id"] for p in load_pairs(tmp_path, "test")] == ["p4", "p5"]
    assert len(load_pairs(tmp_path)) == 5


def test_scores_count_each_pair_once_and_give_pairwise_precision_and_recall(tmp_path):
    pairs = load_pairs(write(tmp_path))
    naive = score_pairs(pairs, same_words)
    # Merges p2 (wrong: unrelated owners), misses p1 and p4 (other verbs).
    assert (naive.tp, naive.fp, naive.fn, naive.tn) == (0, 1, 2, 2)
    assert naive.precision == 0.0 and naive.recall == 0.0 and naive.f1 == 0.0
    assert {e["pair_id"]: e["error"] for e in naive.errors} == {"p1": "fn", "p2": "fp", "p4": "fn"}

    better = score_pairs(pairs, same_owner_same_object)
    assert (better.tp, better.fp, better.fn, better.tn) == (2, 0, 0, 3)
    assert better.as_dict()["precision"] == 1.0 and better.as_dict()["recall"] == 1.0


def test_weighted_figures_weigh_each_pair_by_its_band(tmp_path):
    pairs = load_pairs(write(tmp_path))
    # Merges p1 (tp, weight 1) and p3 (fp, weight 4): 1 of 2 pairs right, 1 of 5 by weight.
    scores = score_pairs(pairs, lambda a, b: a["unit_id"] == "u1" and b["unit_id"] in {"u2", "u4"})
    assert scores.precision == 0.5
    assert scores.as_dict()["weighted"]["precision"] == 0.2
    assert scores.as_dict()["recall"] == 0.5 and scores.as_dict()["weighted"]["recall"] == 0.5


def test_grouping_from_a_partition_of_unit_ids(tmp_path):
    pairs = load_pairs(write(tmp_path))
    grouped = grouping_from_groups([["u1", "u2", "u3"], ["u4"], ["u5", "u6"]])
    scores = score_pairs(pairs, grouped)
    assert (scores.tp, scores.fp, scores.fn) == (2, 1, 0)  # p2 merged across owners
    assert grouping_from_groups([["u1"]])(UNITS[0], {"unit_id": "elsewhere"}) is False


def test_unlabelled_candidates_are_left_out_and_bad_labels_are_named(tmp_path):
    write(tmp_path, labels=[{"pair_id": "p4", "same": True, "source": "adjudicated"}])
    assert [p["pair_id"] for p in load_pairs(tmp_path)] == ["p4"]

    write(tmp_path, labels=[{"pair_id": "p1", "same": "yes", "source": "agreed"}])
    with pytest.raises(ValueError, match=r"label 1 \(p1\): `same` must be true or false"):
        load_pairs(tmp_path)
    write(tmp_path, labels=[{"pair_id": "p9", "same": False, "source": "agreed"}])
    with pytest.raises(ValueError, match="labels for unknown pairs, e.g. p9"):
        load_pairs(tmp_path)
    write(tmp_path, labels=[{"pair_id": "p1", "same": False, "source": "agreed"}] * 2)
    with pytest.raises(ValueError, match="p1 is labelled twice"):
        read_labels(tmp_path / "labels.jsonl")
    with pytest.raises(ValueError, match="split must be one of"):
        load_pairs(tmp_path, "train")
