"""Words per second: the whole extractor against raw `nlp.pipe` of the same model on the same texts.

    .venv/bin/python bench/extract_speed.py [--repeat N] [--processes 2] [--batch-size 32]
    (`make bench` runs it among the others: bench/run.py)

Raw `nlp.pipe` and the extractor run at the same batch size (the extractor's, 32).

Texts: the demo corpus answers and statements, plus ../shared/real answers when present.
"""

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import spacy  # noqa: E402

from common import config  # noqa: E402
from common.text import html_to_text  # noqa: E402
from extract.pipeline import extract_many  # noqa: E402


def texts() -> list[tuple[str, dict]]:
    """(text, metadata) as the runner passes them: answers carry their body and date."""
    corpus = ROOT / "commitments" / "demo" / "corpus"

    def meta(value, date_field):
        return {"body": value.get("answeringBodyName"), "date": (value.get(date_field) or "")[:10] or None}

    out = [(html_to_text(q["answerText"]), meta(q, "dateAnswered"))
           for q in json.loads((corpus / "written_questions.json").read_text()) if q["answerText"]]
    out += [(html_to_text(s["text"]), meta(s, "dateMade")) for s in json.loads((corpus / "written_statements.json").read_text())]
    real = ROOT.parent / "shared" / "real" / "writtenquestions-answered-2021-02-01.json"
    if real.exists():
        out += [(html_to_text(r["value"]["answerText"]), meta(r["value"], "dateAnswered"))
                for r in json.loads(real.read_text())["results"]]
    return out


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


BATCH_SIZE = 32  # extract_many's default, which the runner uses


def measure(processes: int = 1, repeat: int = 1, repeats: int = 3, batch_size: int = BATCH_SIZE) -> dict:
    """Best of `repeats` alternating runs of raw `nlp.pipe`, raw `nlp.pipe` without `ner`
    (what NER costs), and the extractor, all at the same batch size."""
    corpus = texts() * repeat
    plain = [text for text, _ in corpus]
    words = sum(len(t.split()) for t in plain)
    raw_nlp = spacy.load(config.model_name())
    # Best of three alternating runs each: the first pass over a text warms caches
    # for both, so a single run in a fixed order favours whichever goes second.
    best = {"raw": float("inf"), "raw_without_ner": float("inf"), "extractor": float("inf")}
    for _ in range(repeats):
        best["raw"] = min(best["raw"], timed(
            lambda: list(raw_nlp.pipe(plain, batch_size=batch_size, n_process=processes))))
        with raw_nlp.select_pipes(disable=["ner"]):
            best["raw_without_ner"] = min(best["raw_without_ner"], timed(
                lambda: list(raw_nlp.pipe(plain, batch_size=batch_size, n_process=processes))))
        best["extractor"] = min(best["extractor"], timed(
            lambda: list(extract_many(corpus, batch_size=batch_size, n_process=processes))))
    return {"measure": "extraction", "processes": processes, "batch_size": batch_size, "texts": len(corpus),
            "words": words, **{f"{name}_words_per_s": round(words / seconds) for name, seconds in best.items()},
            "ratio": round(best["raw"] / best["extractor"], 3),
            "ner_share_of_raw": round(1 - best["raw_without_ner"] / best["raw"], 3)}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=1, help="how many times the texts are repeated")
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
    args = parser.parse_args()
    result = measure(args.processes, args.repeat, batch_size=args.batch_size)
    print(f"{result['texts']} texts, {result['words']} words, n_process={args.processes}, batch size {args.batch_size}")
    print(f"raw nlp.pipe:   {result['raw_words_per_s']:8.0f} words/s "
          f"(without ner {result['raw_without_ner_words_per_s']:.0f}: ner is {result['ner_share_of_raw']:.0%})")
    print(f"extractor:      {result['extractor_words_per_s']:8.0f} words/s  ({result['ratio']:.2f} of raw)")


if __name__ == "__main__":
    main()
