"""Words per second: the whole extractor against raw `nlp.pipe` of the same model on the same texts.

    .venv/bin/python bench/extract_speed.py [--repeat N] [--repeats 3] [--processes 1 2] [--batch-size 32]
    (`make bench` runs it among the others: bench/run.py)

Raw `nlp.pipe` and the extractor run on the same texts at the same batch size (the extractor's,
32) and number of processes, in alternating rounds, best of each; then both again without `ner`.

Texts: the demo corpus answers and statements, plus ../shared/real answers when present.
"""

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import spacy  # noqa: E402

from common import config  # noqa: E402
from common.text import html_to_text  # noqa: E402
from extract.pipeline import extract_many, load_nlp  # noqa: E402


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


def timed(fn, clock=time.perf_counter) -> float:
    start = clock()
    fn()
    return clock() - start


def cpu_time() -> float:
    """CPU seconds of this process and of its children that have ended (both pipes join theirs)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


BATCH_SIZE = 32  # extract_many's default, which the runner uses


def measure(processes: int = 1, repeat: int = 1, repeats: int = 3, batch_size: int = BATCH_SIZE) -> dict:
    """Best of `repeats` rounds, each running in turn raw `nlp.pipe`, the extractor, and both
    without `ner` (what NER costs), all on the same texts at the same batch size and number of
    processes. Alternating matters: the first pass over a text warms caches, and the machine's
    load drifts, so a fixed order or one run each favours one side. Each round's ratio is kept
    to show the spread."""
    corpus = texts() * repeat
    plain = [text for text, _ in corpus]
    words = sum(len(t.split()) for t in plain)
    raw_nlp = spacy.load(config.model_name())
    extractor_nlp = load_nlp()  # the extractor's workers fork from this one, NER disabled or not

    def raw():
        list(raw_nlp.pipe(plain, batch_size=batch_size, n_process=processes))

    def extractor():
        list(extract_many(corpus, batch_size=batch_size, n_process=processes))

    rounds = []
    for _ in range(repeats):
        seconds = {"raw": timed(raw), "extractor": timed(extractor)}
        # CPU time as well, this process's and its finished workers': on a machine other jobs
        # load, the wall clock also counts their turns.
        seconds["raw_cpu"] = timed(raw, cpu_time)
        seconds["extractor_cpu"] = timed(extractor, cpu_time)
        with raw_nlp.select_pipes(disable=["ner"]), extractor_nlp.select_pipes(disable=["ner"]):
            seconds["raw_without_ner"] = timed(raw)
            seconds["extractor_without_ner"] = timed(extractor)
        rounds.append(seconds)
    best = {name: min(r[name] for r in rounds) for name in rounds[0]}
    cpu = {"cpu_ratio": round(best["raw_cpu"] / best["extractor_cpu"], 3),
           "round_cpu_ratios": [round(r["raw_cpu"] / r["extractor_cpu"], 3) for r in rounds]}
    return {"measure": "extraction", "processes": processes, "batch_size": batch_size, "texts": len(corpus),
            "words": words, "repeats": repeats,
            **{f"{name}_words_per_s": round(words / seconds) for name, seconds in best.items()}, **cpu,
            "ratio": round(best["raw"] / best["extractor"], 3),
            "round_ratios": [round(r["raw"] / r["extractor"], 3) for r in rounds],
            "ner_share_of_raw": round(1 - best["raw_without_ner"] / best["raw"], 3),
            "ner_share_of_extractor": round(1 - best["extractor_without_ner"] / best["extractor"], 3),
            "load_average": [round(x, 2) for x in os.getloadavg()]}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=1, help="how many times the texts are repeated")
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeats", type=int, default=3, help="rounds; the best of each side is compared")
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
    args = parser.parse_args()
    for processes in args.processes:
        r = measure(processes, args.repeat, args.repeats, args.batch_size)
        print(f"{r['texts']} texts, {r['words']} words, n_process={processes}, batch size {r['batch_size']}, "
              f"best of {r['repeats']} alternating rounds; load average after {r['load_average']}")
        print(f"raw nlp.pipe:   {r['raw_words_per_s']:8.0f} words/s "
              f"(without ner {r['raw_without_ner_words_per_s']:.0f}: ner is {r['ner_share_of_raw']:.0%})")
        print(f"extractor:      {r['extractor_words_per_s']:8.0f} words/s  ({r['ratio']:.2f} of raw; rounds "
              f"{', '.join(f'{x:.2f}' for x in r['round_ratios'])}) "
              f"(without ner {r['extractor_without_ner_words_per_s']:.0f}: ner is {r['ner_share_of_extractor']:.0%})")
        print(f"CPU time:       {r['extractor_cpu_words_per_s']:8.0f} words/CPU-s against raw {r['raw_cpu_words_per_s']:.0f} "
              f"({r['cpu_ratio']:.2f}; rounds {', '.join(f'{x:.2f}' for x in r['round_cpu_ratios'])})")


if __name__ == "__main__":
    main()
