"""Scoring grouping against labelled mention pairs: pairwise precision, recall and F1.

The pairs folder (extract/gold/pairs, built by `commitments.labelled_pairs`) holds
`units.jsonl` (the mentions), `candidates.jsonl` (pair id, unit a, unit b, split,
similarity band and its sampling weight) and, once labelled, `labels.jsonl`
({"pair_id", "same": bool, "source": "agreed" | "adjudicated"}). A grouping is
judged by a function (unit a, unit b) -> bool: "the tracker puts these two in
one commitment". Positives are the pairs labelled `same`.
"""

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

SPLITS = ("dev", "test")
LABEL_SOURCES = ("agreed", "adjudicated")


@dataclass
class PairScores:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    # The same counts, each pair weighted by the inverse of its band's sampling rate: an
    # estimate over the whole candidate pool rather than over the stratified sample.
    weighted: dict = field(default_factory=lambda: {"tp": 0.0, "fp": 0.0, "fn": 0.0, "tn": 0.0})
    errors: list = field(default_factory=list)

    @staticmethod
    def _ratios(tp: float, fp: float, fn: float) -> tuple[float, float, float]:
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1

    @property
    def precision(self) -> float:
        return self._ratios(self.tp, self.fp, self.fn)[0]

    @property
    def recall(self) -> float:
        return self._ratios(self.tp, self.fp, self.fn)[1]

    @property
    def f1(self) -> float:
        return self._ratios(self.tp, self.fp, self.fn)[2]

    def as_dict(self) -> dict:
        w = self.weighted
        wp, wr, wf = self._ratios(w["tp"], w["fp"], w["fn"])
        return {"pairs": self.tp + self.fp + self.fn + self.tn, "same": self.tp + self.fn,
                "precision": round(self.precision, 3), "recall": round(self.recall, 3), "f1": round(self.f1, 3),
                "tp": self.tp, "fp": self.fp, "fn": self.fn, "tn": self.tn,
                "weighted": {"precision": round(wp, 3), "recall": round(wr, 3), "f1": round(wf, 3)}}


def _read_jsonl(path: Path) -> list[dict]:
    rows = []
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{number}: not JSON ({exc.msg})") from None
    return rows


def read_labels(path: Path) -> dict[str, dict]:
    """pair id -> label row; a malformed or repeated row is an error naming its line."""
    labels: dict[str, dict] = {}
    for number, row in enumerate(_read_jsonl(path), 1):
        where = f"{path}: label {number}"
        if not isinstance(row.get("pair_id"), str):
            raise ValueError(f"{where}: no pair_id")
        if not isinstance(row.get("same"), bool):
            raise ValueError(f"{where} ({row['pair_id']}): `same` must be true or false, not {row.get('same')!r}")
        if row.get("source") not in LABEL_SOURCES:
            raise ValueError(f"{where} ({row['pair_id']}): source must be one of {LABEL_SOURCES}")
        if row["pair_id"] in labels:
            raise ValueError(f"{where}: {row['pair_id']} is labelled twice")
        labels[row["pair_id"]] = row
    return labels


def load_pairs(folder: Path, split: str | None = None) -> list[dict]:
    """The labelled pairs of one split ("dev", "test", or None for both): each candidate joined
    with its two units and its label ({"pair_id", "unit_a", "unit_b", "same", "source", "split",
    "band", "band_weight", ...}). A label for a pair that is not a candidate is an error; a
    candidate not (yet) labelled is left out."""
    if split is not None and split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, not {split!r}")
    folder = Path(folder)
    units = {u["unit_id"]: u for u in _read_jsonl(folder / "units.jsonl")}
    candidates = {c["pair_id"]: c for c in _read_jsonl(folder / "candidates.jsonl")}
    labels = read_labels(folder / "labels.jsonl")
    strays = sorted(set(labels) - set(candidates))
    if strays:
        raise ValueError(f"{folder / 'labels.jsonl'}: {len(strays)} labels for unknown pairs, e.g. {strays[0]}")
    pairs = []
    for pair_id, candidate in candidates.items():
        if pair_id not in labels or (split and candidate["split"] != split):
            continue
        label = labels[pair_id]
        pairs.append({**candidate, "unit_a": units[candidate["unit_a"]], "unit_b": units[candidate["unit_b"]],
                      "same": label["same"], "source": label["source"]})
    return pairs


def score_pairs(pairs: Iterable[dict], grouping_fn: Callable[[dict, dict], bool]) -> PairScores:
    """Pairwise scores of `grouping_fn(unit_a, unit_b)` against the labels; `errors` lists the
    pairs it gets wrong (read them on dev only)."""
    scores = PairScores()
    for pair in pairs:
        predicted, gold = bool(grouping_fn(pair["unit_a"], pair["unit_b"])), pair["same"]
        cell = {(True, True): "tp", (True, False): "fp", (False, True): "fn", (False, False): "tn"}[(predicted, gold)]
        setattr(scores, cell, getattr(scores, cell) + 1)
        scores.weighted[cell] += pair.get("band_weight", 1.0)
        if predicted != gold:
            scores.errors.append({"pair_id": pair["pair_id"], "error": cell, "a": pair["unit_a"]["sentence"],
                                  "b": pair["unit_b"]["sentence"], "action_a": pair["unit_a"]["action"],
                                  "action_b": pair["unit_b"]["action"]})
    return scores


def grouping_from_groups(groups: Iterable[Iterable[str]]) -> Callable[[dict, dict], bool]:
    """A grouping function from a partition of unit ids (a tracker run over all units at once):
    two units are grouped when one group holds both."""
    group_of = {}
    for number, group in enumerate(groups):
        for unit_id in group:
            group_of[unit_id] = number

    def grouped(unit_a: dict, unit_b: dict) -> bool:
        a, b = group_of.get(unit_a["unit_id"]), group_of.get(unit_b["unit_id"])
        return a is not None and a == b

    return grouped


def tracker_grouping(units: Iterable[dict]) -> Callable[[dict, dict], bool]:
    """The tracker's grouping (extract/grouping.py) run over every unit at once, as it runs over
    a store: the unit's heading is its document's title."""
    from extract.grouping import Unit, group

    groups = group([Unit(u["unit_id"], u.get("owner") or None, u.get("action") or "", u.get("date"),
                         u.get("heading") or "") for u in units])
    return grouping_from_groups([[unit.id for unit in members] for members in groups])


def evaluate_grouping(folder: Path, split: str | None = None) -> PairScores:
    """The tracker's pairwise scores on the labelled pairs of `split`."""
    units = _read_jsonl(Path(folder) / "units.jsonl")
    return score_pairs(load_pairs(folder, split), tracker_grouping(units))


def format_grouping(named: dict[str, PairScores]) -> str:
    lines = [f"{'grouping (pairwise)':<24}" + "".join(f"{name:>12}" for name in named)]
    figures = {name: scores.as_dict() for name, scores in named.items()}
    for label, key in (("labelled pairs", "pairs"), ("same commitment", "same"), ("precision", "precision"),
                       ("recall", "recall"), ("F1", "f1")):
        lines.append(f"{label:<24}" + "".join(f"{figures[name][key]:>12}" for name in named))
    for label, key in (("weighted precision", "precision"), ("weighted recall", "recall")):
        lines.append(f"{label:<24}" + "".join(f"{figures[name]['weighted'][key]:>12}" for name in named))
    return "\n".join(lines)
