"""Words per second: the whole extractor against raw `nlp.pipe` of the same model on the same texts.

    make bench            (or .venv/bin/python bench/extract_speed.py [--repeat N] [--processes 2])

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


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=1, help="how many times the texts are repeated")
    parser.add_argument("--processes", type=int, default=1)
    args = parser.parse_args()
    corpus = texts() * args.repeat
    plain = [text for text, _ in corpus]
    words = sum(len(t.split()) for t in plain)
    raw_nlp = spacy.load(config.model_name())
    # Best of three alternating runs each: the first pass over a text warms caches
    # for both, so a single run in a fixed order favours whichever goes second.
    raw = full = float("inf")
    for _ in range(3):
        raw = min(raw, timed(lambda: list(raw_nlp.pipe(plain, n_process=args.processes))))
        full = min(full, timed(lambda: list(extract_many(corpus, n_process=args.processes))))
    print(f"{len(corpus)} texts, {words} words, n_process={args.processes}")
    print(f"raw nlp.pipe:   {words / raw:8.0f} words/s")
    print(f"extractor:      {words / full:8.0f} words/s  ({raw / full:.2f} of raw)")


if __name__ == "__main__":
    main()
