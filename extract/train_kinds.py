"""Training and cross-validating the kind classifier (`make train`).

    python -m extract.train_kinds examples   # the rules' kinds of every training sentence
    python -m extract.train_kinds docbin OUT # those examples as a spaCy DocBin (`make train` trains on it)
    python -m extract.train_kinds train      # DocBin and spaCy training in one, into extract/model/kinds
    python -m extract.train_kinds cv         # 5-fold cross-validation over the dev answers

Training reads the labelled corpus's dev split and the 2021 dev gold set, never the test split.
"""

import json
import random
import shutil
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from common.kinds import KINDS, TRACKABLE
from extract.kind_model import combine, model_input

HERE = Path(__file__).parent
CONFIG = HERE / "model" / "config.cfg"
MODEL_DIR = HERE / "model" / "kinds"
WORK = Path("build") / "kinds"
EXAMPLES = WORK / "examples.jsonl"
# Beside the checkout, as CI has it (not found from an installed wheel: training needs a checkout).
GOLD_2021 = HERE.parent.parent / "shared" / "gold" / "dev-written-answers-2021-02-01.jsonl"
SEED = 20261123
FOLDS = 5


def make_examples(path: Path = EXAMPLES) -> list[dict]:
    from extract.kind_data import training_examples

    examples = training_examples(HERE / "gold", GOLD_2021 if GOLD_2021.exists() else None)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in examples))
    return examples


def read_examples(path: Path = EXAMPLES) -> list[dict]:
    if not path.exists():
        return make_examples(path)
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def write_docbin(examples: list[dict], path: Path) -> None:
    import spacy
    from spacy.tokens import DocBin

    nlp = spacy.blank("en")
    docbin = DocBin()
    for example in examples:
        doc = nlp.make_doc(model_input(example["rule"], example["text"]))
        doc.cats = {kind: float(kind == example["gold"]) for kind in KINDS}
        docbin.add(doc)
    path.parent.mkdir(parents=True, exist_ok=True)
    docbin.to_disk(path)


def train(examples: list[dict], out: Path, seed: int = SEED) -> Path:
    """Train on `examples` with the repository's config; the model is the last epoch's."""
    from spacy.cli.train import train as spacy_train

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "train.spacy"
        write_docbin(examples, data)
        spacy_train(CONFIG, Path(tmp) / "out", use_gpu=-1,
                    overrides={"paths.train": str(data), "paths.dev": str(data), "system.seed": seed})
        if out.exists():
            shutil.rmtree(out)
        shutil.copytree(Path(tmp) / "out" / "model-last", out)
    return out


def predict(model: Path, examples: list[dict]) -> list[dict]:
    import spacy

    nlp = spacy.load(model)
    return [dict(doc.cats) for doc in nlp.pipe(model_input(e["rule"], e["text"]) for e in examples)]


def folds_of(examples: list[dict], folds: int = FOLDS, seed: int = SEED) -> dict[str, int]:
    """Each dev answer's fold (answers, not sentences, are split)."""
    groups = sorted({e["group"] for e in examples if e["group"].startswith("dev:")})
    random.Random(seed).shuffle(groups)
    return {group: i % folds for i, group in enumerate(groups)}


def cross_validate(examples: list[dict], with_2021: bool = True) -> list[dict]:
    """Out-of-fold scores for every dev sentence: trained on 4/5 of the dev answers (and the
    2021 set), predicted on the fifth."""
    fold = folds_of(examples)
    dev = [e for e in examples if e["group"] in fold]
    extra = [e for e in examples if e["group"] not in fold] if with_2021 else []
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(FOLDS):
            held = [e for e in dev if fold[e["group"]] == k]
            model = train([e for e in dev if fold[e["group"]] != k] + extra, Path(tmp) / f"fold{k}")
            out += [{**e, "cats": cats, "fold": k} for e, cats in zip(held, predict(model, held), strict=True)]
    return out


def figures(pairs) -> dict:
    """Trackable P/R/F1 and kind accuracy of (gold, predicted) kinds."""
    tp = fp = fn = right = total = 0
    for gold, predicted in pairs:
        total += 1
        right += gold == predicted
        tp += gold in TRACKABLE and predicted in TRACKABLE
        fp += gold not in TRACKABLE and predicted in TRACKABLE
        fn += gold in TRACKABLE and predicted not in TRACKABLE
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / (p + r) if p + r else 0.0, 3),
            "kind_accuracy": round(right / total, 3) if total else 0.0, "tp": tp, "fp": fp, "fn": fn}


def model_alone(cats: dict) -> str:
    return max(KINDS, key=lambda kind: cats.get(kind, 0.0))


def grid(scored: list[dict]) -> list[tuple[float, float, dict]]:
    """The combination's figures over a grid of thresholds, per fold pooled."""
    results = []
    for lo in (0.0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4):
        for hi in (0.2, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 1.01):
            results.append((lo, hi, figures((e["gold"], combine(e["rule"], e["cats"], lo, hi)) for e in scored)))
    return results


def main(argv: list[str]) -> None:
    global CONFIG
    command = argv[0] if argv else "train"
    if "--config" in argv:  # a variant to compare (cross-validation only)
        CONFIG = Path(argv[argv.index("--config") + 1])
    if command == "examples":
        examples = make_examples()
        print(f"{len(examples)} examples written to {EXAMPLES}")
    elif command == "docbin":
        write_docbin(read_examples(), Path(argv[1]))
    elif command == "train":
        examples = read_examples()
        train(examples, MODEL_DIR)
        print(f"model written to {MODEL_DIR}")
    elif command == "cv":
        examples = read_examples()
        with_2021 = "--without-2021" not in argv
        scored = cross_validate(examples, with_2021)
        name = f"cv-{CONFIG.stem}{'' if with_2021 else '-without-2021'}.jsonl"
        (WORK / name).write_text(
            "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in scored))
        report(scored)


def rekind_grid(scored: list[dict], lo: float, hi: float) -> list[tuple[float, dict]]:
    """With the trackable thresholds chosen, the untracked re-kinding threshold by kind accuracy
    (it leaves trackable or not as it was)."""
    return [(t, figures((e["gold"], combine(e["rule"], e["cats"], lo, hi, t)) for e in scored))
            for t in (0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.01)]


def report(scored: list[dict]) -> None:
    print("rules alone ", figures((e["gold"], e["rule"]) for e in scored))
    print("model alone ", figures((e["gold"], model_alone(e["cats"])) for e in scored))
    best = sorted(grid(scored), key=lambda r: -r[2]["f1"])[:8]
    for lo, hi, f in best:
        print(f"combine demote<{lo} promote>{hi}", f)
    lo, hi, _ = best[0]
    for t, f in rekind_grid(scored, lo, hi):
        print(f"  with demote<{lo} promote>{hi}, re-kind untracked over {t}", f)


if __name__ == "__main__":
    main(sys.argv[1:])
