"""Scoring the extractor against a gold set labelled by the commitment guideline.

Gold lines: {"qid", "sentence_index", "body", "minister", "sentence", "kind", "owner", ...}.
Each answer is rebuilt from its gold sentences (in order, so the extractor sees
the context) and run through the extractor with its metadata; predictions are
matched to gold sentences by character overlap, not by sentence boundaries.
"""

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from common.gazetteer import canonical_owner
from common.kinds import KIND_ORDER, TRACKABLE


@dataclass
class Scores:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    kind_correct: int = 0
    total: int = 0
    owner_correct: int = 0
    owner_total: int = 0
    confusions: Counter = field(default_factory=Counter)
    errors: list = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {
            "trackable": {"precision": round(self.precision, 3), "recall": round(self.recall, 3),
                          "f1": round(self.f1, 3), "tp": self.tp, "fp": self.fp, "fn": self.fn},
            "kind_accuracy": round(self.kind_correct / self.total, 3) if self.total else None,
            "owner_accuracy": round(self.owner_correct / self.owner_total, 3) if self.owner_total else None,
            "sentences": self.total,
            "confusions": {f"{g} -> {p}": n for (g, p), n in self.confusions.most_common()},
        }


def load_gold(path: Path, corrections: Path | None = None) -> list[dict]:
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    if corrections and corrections.exists():
        fixes = {}
        for line in corrections.read_text().splitlines():
            if line.strip():
                fix = json.loads(line)
                fixes[(fix["qid"], fix["sentence_index"])] = fix
        for row in rows:
            fix = fixes.get((row["qid"], row["sentence_index"]))
            if fix:
                row.update({k: v for k, v in fix.items() if k in {"kind", "owner", "actions", "deadline"}})
    return rows


def documents_from_gold(rows: list[dict]) -> list[tuple[str, dict, list[tuple[int, int, dict]]]]:
    """One text per answer, with each gold sentence's character span in it."""
    by_answer: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        by_answer[row["qid"]].append(row)
    documents = []
    for qid, sentences in by_answer.items():
        sentences.sort(key=lambda r: r["sentence_index"])
        text, spans = "", []
        for row in sentences:
            if text:
                text += " "
            spans.append((len(text), len(text) + len(row["sentence"]), row))
            text += row["sentence"]
        # The gold set carries no date: deadlines are not scored, so none is invented.
        meta = {"body": sentences[0]["body"], "person": sentences[0]["minister"], "date": sentences[0].get("date"),
                "source": sentences[0].get("source", "written_question")}
        documents.append((text, meta, spans))
    return documents


def assign_to_gold(mentions, spans) -> dict[int, list]:
    """Each predicted mention counts for exactly one gold sentence: the one holding its
    action (or, without one, its first character), else the one its sentence overlaps
    most. Splitters disagree on boundaries, e.g. after "hon."."""
    assigned: dict[int, list] = {i: [] for i in range(len(spans))}

    def overlap(span, mention) -> int:
        start, end, _ = span
        return min(end, mention["sentence_end"]) - max(start, mention["sentence_start"])

    for mention in mentions:
        anchor = mention["action_start"] if mention["action_start"] is not None else mention["sentence_start"]
        holding = [i for i, (start, end, _) in enumerate(spans) if start <= anchor < end]
        if holding:
            assigned[holding[0]].append(mention)
            continue
        best = max(range(len(spans)), key=lambda i: (overlap(spans[i], mention), -i))
        if overlap(spans[best], mention) > 0:
            assigned[best].append(mention)
    return assigned


def predicted_kind(mentions) -> str:
    kinds = [m["kind"] for m in mentions]
    return min(kinds, key=KIND_ORDER.index) if kinds else "none"


def load_corpus(folder: Path, split: str) -> list[tuple[str, dict, list[tuple[int, int, dict]]]]:
    """The labelled corpus's answers of one split ("dev" or "test"), as the store holds their
    text (paragraphs and list items a line), each gold sentence with its span in it."""
    def read(name):
        return [json.loads(line) for line in (folder / name).read_text().splitlines() if line.strip()]

    labels = {(r["doc_id"], r["index"]): r for r in read("labels.jsonl")}
    sentences: dict[str, list[dict]] = defaultdict(list)
    for row in read("sentences.jsonl"):
        sentences[row["doc_id"]].append(row)
    documents = []
    for doc in read("documents.jsonl"):
        if doc["split"] != split:
            continue
        spans = []
        for row in sentences[doc["doc_id"]]:
            label = labels[(row["doc_id"], row["index"])]
            spans.append((row["start"], row["end"], {"qid": row["doc_id"], "sentence_index": row["index"],
                                                     "sentence": row["sentence"], **label}))
        meta = {"body": doc["body"], "person": doc["minister"], "date": doc["date"], "source": doc["source"]}
        documents.append((doc["text"], meta, spans))
    return documents


def evaluate(rows: list[dict], model: str | None = None) -> Scores:
    """Scores on a gold file's rows (answers rebuilt from their sentences)."""
    return score(documents_from_gold(rows), model)


def score(documents, model: str | None = None, unseen: set[str] | None = None) -> Scores | tuple[Scores, Scores]:
    """Run the extractor over (text, meta, gold spans) and score it sentence by sentence. With
    `unseen` (sentences to leave out), also the scores of the other sentences: (all, unseen)."""
    from extract.pipeline import extract_many

    results = list(extract_many(((text, meta) for text, meta, _ in documents), model=model))
    if unseen is None:
        return _score(documents, results)
    return _score(documents, results), _score(documents, results, leave_out=unseen)


def sentences_seen_in_training(corpus: Path, gold_2021: Path | None = None) -> set[str]:
    """Every sentence text the rules were read on or the classifier trained on: the corpus's dev
    split, its training pool, the 2021 set. Departments answer many questions with the same
    paragraph, so some test sentences are word for word one of these."""
    def read(path):
        return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]

    dev = {d["doc_id"] for d in read(corpus / "documents.jsonl") if d["split"] == "dev"}
    seen = {s["sentence"] for s in read(corpus / "sentences.jsonl") if s["doc_id"] in dev}
    if (corpus / "train" / "sentences.jsonl").exists():
        seen |= {s["sentence"] for s in read(corpus / "train" / "sentences.jsonl")}
    if gold_2021 is not None and gold_2021.exists():
        seen |= {row["sentence"] for row in read(gold_2021)}
    return seen


def _score(documents, results, leave_out: set[str] = frozenset()) -> Scores:
    scores = Scores()
    for (_text, _meta, spans), mentions in zip(documents, results, strict=True):
        assigned = assign_to_gold(mentions, spans)
        for index, (start, end, gold) in enumerate(spans):
            if gold["sentence"] in leave_out:
                continue
            overlapping = assigned[index]
            predicted = predicted_kind(overlapping)
            scores.total += 1
            scores.kind_correct += predicted == gold["kind"]
            if predicted != gold["kind"]:
                scores.confusions[(gold["kind"], predicted)] += 1
                scores.errors.append({"qid": gold["qid"], "sentence_index": gold["sentence_index"], "gold": gold["kind"],
                                      "predicted": predicted, "sentence": gold["sentence"],
                                      "actions": [m["action"] for m in overlapping]})
            gold_trackable, predicted_trackable = gold["kind"] in TRACKABLE, predicted in TRACKABLE
            scores.tp += gold_trackable and predicted_trackable
            scores.fp += predicted_trackable and not gold_trackable
            scores.fn += gold_trackable and not predicted_trackable
            if gold_trackable and predicted_trackable:
                scores.owner_total += 1
                # "DCMS" and its full name are one owner: compare canonical forms.
                owners = {canonical_owner(m["owner"]) for m in overlapping if m["kind"] in TRACKABLE}
                if canonical_owner(gold["owner"]) in owners:
                    scores.owner_correct += 1
                else:
                    scores.errors.append({"qid": gold["qid"], "sentence_index": gold["sentence_index"],
                                          "gold_owner": gold["owner"], "predicted_owners": sorted(o or "" for o in owners),
                                          "sentence": gold["sentence"]})
    return scores


def format_side_by_side(named: dict[str, Scores]) -> str:
    """Figures of several sets in columns (development beside test)."""
    rows = [("sentences", lambda d: str(d["sentences"])),
            ("trackable sentences (gold)", lambda d: str(d["trackable"]["tp"] + d["trackable"]["fn"])),
            ("trackable precision", lambda d: f"{d['trackable']['precision']:.3f}"),
            ("trackable recall", lambda d: f"{d['trackable']['recall']:.3f}"),
            ("trackable F1", lambda d: f"{d['trackable']['f1']:.3f}"),
            ("kind accuracy", lambda d: f"{d['kind_accuracy']:.3f}"),
            ("owner accuracy", lambda d: "n/a" if d["owner_accuracy"] is None else f"{d['owner_accuracy']:.3f}")]
    dicts = {name: scores.as_dict() for name, scores in named.items()}
    lines = [f"{'':28}" + "".join(f"{name:>16}" for name in dicts)]
    lines += [f"{label:28}" + "".join(f"{cell(d):>16}" for d in dicts.values()) for label, cell in rows]
    return "\n".join(lines)


def format_report(scores: Scores) -> str:
    d = scores.as_dict()
    t = d["trackable"]
    lines = [
        f"sentences: {d['sentences']}",
        f"trackable (firm + conditional): precision {t['precision']:.3f}  recall {t['recall']:.3f}  F1 {t['f1']:.3f}"
        f"  (tp {t['tp']}, fp {t['fp']}, fn {t['fn']})",
        f"kind accuracy:  {d['kind_accuracy']:.3f}",
        f"owner accuracy: {d['owner_accuracy']:.3f}  (on {scores.owner_total} trackable sentences found)"
        if d["owner_accuracy"] is not None else "owner accuracy: n/a",
        "confusions (gold -> predicted):",
    ]
    lines += [f"  {pair:28} {n}" for pair, n in d["confusions"].items()]
    return "\n".join(lines)
