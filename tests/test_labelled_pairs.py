"""Candidate mention pairs for measuring grouping: drawn reproducibly, split by owner before
labelling, shown to labellers without similarity or split; and the committed set is whole."""

import json
import random
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from commitments import labelled_pairs
from commitments.labelled_pairs import (band_of, build_from_units, candidate_pool, gold_units, merge, owner_lines,
                                        stratified_sample)
from common.kinds import TRACKED
from common.gazetteer import canonical_owner
from extract.evaluate_pairs import load_pairs, score_pairs

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "extract" / "gold"
PAIRS = GOLD / "pairs"


def read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def made_up_units() -> list[dict]:
    """Invented mentions in the units' shape: restatements, copies, generic deeds, several owners."""
    rows = [
        ("Department for Transport", "We will publish the Coastal Ferries Strategy in the spring.",
         "publish the Coastal Ferries Strategy"),
        ("Department for Transport", "The Department will set out its coastal ferries strategy later this year.",
         "set out its coastal ferries strategy"),
        ("Department for Transport", "We will consult on ferry fare caps.", "consult on ferry fare caps"),
        ("Department for Transport", "We will publish the report in due course.", "publish the report"),
        ("Home Office", "We will publish the report in due course.", "publish the report"),
        ("Home Office", "We will introduce a register of kennel owners.", "introduce a register of kennel owners"),
        ("Home Office", "The kennel owners register will be brought in next year.", "bring in the kennel owners register"),
        ("Home Office", "We will continue to fund the Lantern Project.", "fund the Lantern Project"),
        ("Work And Pensions", "We will extend the Winter Warmth Grant to carers from April 2010.",
         "extend the Winter Warmth Grant to carers"),
        ("Department for Work and Pensions", "We will continue to pay the Winter Warmth Grant to carers.",
         "pay the Winter Warmth Grant to carers"),
        ("Department for Work and Pensions", "We will set out further details in due course.", "set out further details"),
        ("Treasury", "We will publish the 2024 Tax Gap statistics in June.", "publish the 2024 Tax Gap statistics"),
        ("Treasury", "We will publish the 2025 Tax Gap statistics in June.", "publish the 2025 Tax Gap statistics"),
        ("Treasury", "We will set out further details in due course.", "set out further details"),
        ("Department for Education", "We will recruit 500 new reading tutors and publish a tutoring framework.",
         "recruit 500 new reading tutors"),
        ("Department for Education", "We will recruit 500 new reading tutors and publish a tutoring framework.",
         "publish a tutoring framework"),
        ("Children, Schools And Families", "We will publish a tutoring framework next year.", "publish a tutoring framework"),
        ("Cabinet Office", "We will launch the Civic Skills Fund this autumn.", "launch the Civic Skills Fund"),
        ("Cabinet Office", "The Civic Skills Fund will open to applications in the autumn.", "open the Civic Skills Fund"),
        ("Ministry of Defence", "We will upgrade the harbour radar at three naval bases.", "upgrade the harbour radar"),
    ]
    units = []
    for number, (owner, sentence, action) in enumerate(rows):
        units.append({"unit_id": f"g:doc{number:02d}:0:0", "origin": "gold", "doc_id": f"doc{number:02d}",
                      "date": f"2024-0{1 + number % 9}-10", "source": "written_question", "house": "Commons",
                      "body": owner, "kind": "firm", "owner": owner, "action": action, "deadline": "",
                      "sentence": sentence, "before": "", "heading": "Made-up heading", "question": "", "url": ""})
    # Two deeds of one sentence: one answer, two units.
    units[15].update(unit_id="g:doc14:0:1", doc_id="doc14")
    # A standard answer given to five questions: five copies of one sentence.
    for copy in range(5):
        units.append({**units[7], "unit_id": f"x:copy{copy}:0:0", "origin": "extractor", "doc_id": f"copy{copy}"})
    return units


def test_build_is_reproducible_and_every_pair_is_well_formed(tmp_path):
    first = build_from_units(made_up_units(), tmp_path / "one", size=30, chunks=3)
    build_from_units(made_up_units(), tmp_path / "two", size=30, chunks=3)
    for name in ("units.jsonl", "candidates.jsonl", "chunk-1.txt", "chunk-2.txt", "chunk-3.txt"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name
    pairs = read(tmp_path / "one" / "candidates.jsonl")
    unit_ids = {u["unit_id"] for u in read(tmp_path / "one" / "units.jsonl")}
    assert len(pairs) == first["pairs"] == 30
    assert len({p["pair_id"] for p in pairs}) == 30
    assert len({(p["unit_a"], p["unit_b"]) for p in pairs}) == 30
    for pair in pairs:
        assert pair["unit_a"] < pair["unit_b"] and {pair["unit_a"], pair["unit_b"]} <= unit_ids
        assert pair["split"] in ("dev", "test") and pair["band"] == band_of(pair["similarity"])
        assert pair["band_weight"] >= 1.0 and pair["origins"]


def test_chunks_show_every_pair_once_and_neither_similarity_nor_split(tmp_path):
    build_from_units(made_up_units(), tmp_path, size=30, chunks=3)
    shown = Counter()
    for number in (1, 2, 3):
        text = (tmp_path / f"chunk-{number}.txt").read_text()
        shown.update(re.findall(r"^=== (p\d{4}) ===$", text, re.M))
        for hidden in ("similarity", "band", "split", "origin", "g:doc", "x:copy", "dev", "test"):
            assert hidden not in text
        assert "SENTENCE: We will" in text and "ACTION:" in text and "owner:" in text
    assert set(shown) == {p["pair_id"] for p in read(tmp_path / "candidates.jsonl")}
    assert set(shown.values()) == {1}


def test_pool_pairs_across_owners_and_chains_copies_of_one_answer():
    units = sorted(made_up_units(), key=lambda u: u["unit_id"])
    pool = candidate_pool(units, random.Random(1))
    ids = {(units[i]["unit_id"], units[j]["unit_id"]): entry for (i, j), entry in pool.items()}
    copies = [u["unit_id"] for u in units if u["unit_id"].startswith("x:copy") or u["unit_id"] == "g:doc07:0:0"]
    copy_pairs = [key for key in ids if set(key) <= set(copies)]
    # A chain, not every pair of six copies; neighbours are other wordings (random pairs of
    # one owner may still meet two copies).
    assert sum("near_identical" in ids[key]["origins"] for key in copy_pairs) == len(copies) - 1
    assert not any("neighbour" in ids[key]["origins"] for key in copy_pairs)
    owner = {u["unit_id"]: u["owner"] for u in units}
    # The same words from two departments are drawn as neighbours, for the labeller to tell apart.
    assert ("g:doc03:0:0", "g:doc04:0:0") in ids and owner["g:doc03:0:0"] != owner["g:doc04:0:0"]
    # Two deeds of one sentence are a pair.
    assert "same_sentence" in ids[("g:doc14:0:0", "g:doc14:0:1")]["origins"]


def test_sample_takes_equal_shares_per_band_and_all_of_a_small_band():
    pool = {(i, i + 1000): {"similarity": similarity} for i, similarity in enumerate(
        [0.05] * 100 + [0.15] * 100 + [0.25] * 100 + [0.35] * 100 + [0.5] * 5 + [0.9] * 100)}
    chosen, counts = stratified_sample(pool, 105, random.Random(2))
    assert len(chosen) == len(set(chosen)) == 105
    assert counts[4] == {"pool": 5, "sampled": 5}
    assert sorted(c["sampled"] for b, c in counts.items() if b != 4) == [20, 20, 20, 20, 20]


def test_split_is_by_line_of_departments():
    lines = owner_lines()
    assert lines["Work And Pensions"] == lines["Department for Work and Pensions"]
    assert lines["Children, Schools And Families"] == lines["Department for Education"]
    # The gazetteer's renamings join a department to its successors.
    assert lines["Department for Business, Energy and Industrial Strategy"] == lines["Department for Energy Security and Net Zero"]
    assert lines.get("Treasury", "Treasury") != lines.get("Home Office", "Home Office")


def test_merge_takes_agreed_labels_and_adjudicates_the_rest(tmp_path):
    build_from_units(made_up_units(), tmp_path, size=12, chunks=2)
    pair_ids = [p["pair_id"] for p in read(tmp_path / "candidates.jsonl")]

    def write(name, rows):
        (tmp_path / name).write_text("".join(json.dumps(r) + "\n" for r in rows))

    write("pass-a.jsonl", [{"pair_id": p, "same": n < 3, "reason": "made up"} for n, p in enumerate(pair_ids)])
    write("pass-b.jsonl", [{"pair_id": p, "same": n < 4, "reason": "made up"} for n, p in enumerate(pair_ids)])
    write("adjudicated.jsonl", [])
    with pytest.raises(ValueError, match=f"1 disagreements are not adjudicated, e.g. {pair_ids[3]}"):
        merge(tmp_path)
    write("adjudicated.jsonl", [{"pair_id": pair_ids[3], "same": True, "ruling": "made up"}])
    assert merge(tmp_path) == {"pairs": 12, "agreement": round(11 / 12, 3), "adjudicated": 1, "same": 4}
    pairs = load_pairs(tmp_path)
    assert sum(p["same"] for p in pairs) == 4
    assert score_pairs(pairs, lambda a, b: True).recall == 1.0


def test_command_line_says_what_is_wrong_in_one_line(tmp_path):
    for args in ([], ["build", str(tmp_path / "absent"), str(tmp_path / "out")]):
        done = subprocess.run([sys.executable, "-m", "commitments.labelled_pairs", *args], cwd=ROOT,
                              capture_output=True, text=True)
        assert done.returncode != 0 and "Traceback" not in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


# --- the committed set (extract/gold/pairs) ---------------------------------------------------------

def test_gold_units_are_every_labelled_action_of_a_tracked_kind():
    units = gold_units(GOLD, {})
    labels = read(GOLD / "labels.jsonl")
    assert len(units) == sum(len(r["actions"]) for r in labels if r["kind"] in TRACKED)
    committed = {u["unit_id"]: u for u in read(PAIRS / "units.jsonl")}
    for unit in units:
        if unit["unit_id"] in committed:
            # Up to the owner's canonical name, which grows with the gazetteer ("National Offender
            # Management Service" became a name of HM Prison and Probation Service).
            kept = committed[unit["unit_id"]]
            assert {k: v for k, v in kept.items() if k not in ("url", "owner")} == \
                   {k: v for k, v in unit.items() if k not in ("url", "owner")}
            assert canonical_owner(kept["owner"]) == canonical_owner(unit["owner"])


def test_committed_pairs_are_whole_and_split_by_owner_before_labelling():
    units = {u["unit_id"]: u for u in read(PAIRS / "units.jsonl")}
    pairs = read(PAIRS / "candidates.jsonl")
    assert 1400 <= len(pairs) <= 1600
    assert {u["origin"] for u in units.values()} == {"gold", "extractor"}
    lines = owner_lines()
    split_of_line = {}
    for pair in pairs:
        assert pair["unit_a"] < pair["unit_b"] and pair["unit_a"] in units and pair["unit_b"] in units
        owner = units[pair["unit_a"]]["owner"]
        assert split_of_line.setdefault(lines.get(owner, owner), pair["split"]) == pair["split"]
    assert 0.25 < sum(p["split"] == "test" for p in pairs) / len(pairs) < 0.42
    assert sum(units[p["unit_a"]]["owner"] != units[p["unit_b"]]["owner"] for p in pairs) > 100
    assert len({p["band"] for p in pairs}) == len(labelled_pairs.BANDS)
    shown = Counter()
    for chunk in sorted(PAIRS.glob("chunk-*.txt")):
        text = chunk.read_text()
        assert "similarity" not in text and "split" not in text
        shown.update(re.findall(r"^=== (p\d{4}) ===$", text, re.M))
    assert set(shown) == {p["pair_id"] for p in pairs} and set(shown.values()) == {1}


def test_instructions_examples_are_not_taken_from_the_candidates():
    instructions = (PAIRS / "INSTRUCTIONS.md").read_text()
    examples = re.findall(r'"([^"]{25,})"', instructions.split("## Worked examples")[1])
    assert len(examples) >= 15
    sentences = [u["sentence"] for u in read(PAIRS / "units.jsonl")]
    for example in examples:
        assert not any(example in sentence for sentence in sentences), example
