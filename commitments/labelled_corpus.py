"""The labelled corpus of real answers: how its sentences were chosen and split.

    python -m commitments.labelled_corpus build ../shared/real extract/gold

Answers are drawn at random (seeded) from the real months in `../shared/real`
(Commons written answers tabled in Dec 2023 and Jul 2024, whole texts only;
Commons and Lords written answers and statements of 26-29 Oct 2009), until
each stratum has its quota of sentences. A random third of the answers, drawn
before any label is read, is the test split. Writes `documents.jsonl` (one
answer: its text as the store would hold it, metadata, split and provenance)
and `sentences.jsonl` (one unit to label: the answer's id, index and the
character span in the answer's text).
"""

import json
import random
import re
import sqlite3
import sys
from collections import Counter
from pathlib import Path

from common.kinds import TRACKABLE
from common.text import html_to_text
from spiders.parlparse import parse_file
from spiders.written_questions import parse_question

SEED = 20261123
QUOTAS = {  # stratum -> sentences
    "commons-2023-12": 1000,
    "commons-2024-07": 1000,
    "commons-2009-10": 650,
    "lords-2009-10": 450,
    "statements-2009-10": 300,
}
TEST_SHARE = 1 / 3

# Full stops that end no sentence: honorifics, "No. 10", initials, "e.g.".
_NO_BREAK = re.compile(r"(?:\b(?:hon|Hon|Rt|rt|No|no|Nos|Mr|Mrs|Ms|Dr|St|Sir|Cllr|Gov|para|paras|vol|col|cols|"
                       r"Art|art|cf|approx|etc|Ltd|Co|Inc|Prof|Sen|Jr|Sr|fig|Fig|Cm|HC|op|cit|viz|ie|eg)"
                       r"|\b[A-Z]|\be\.g|\bi\.e)\.$")
_BREAK = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9£])")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of a text held a paragraph a line."""
    spans = []
    offset = 0
    for line in text.split("\n"):
        start = 0
        for match in _BREAK.finditer(line):
            if _NO_BREAK.search(line[start:match.start()].rstrip("\"”’)")):
                continue
            spans.append((offset + start, offset + match.start()))
            start = match.end()
        if line[start:].strip():
            spans.append((offset + start, offset + len(line)))
        offset += len(line) + 1
    return [(s, e) for s, e in spans if re.search(r"[A-Za-z]{2}", text[s:e])]


def _units(document: dict) -> list[tuple[int, int]]:
    """The spans of an answer's sentences to label (table rows are not units)."""
    text = document["text"]
    return [(s, e) for s, e in split_sentences(text) if not _table_row(text[s:e])]


def _sentence_rows(document: dict, spans: list[tuple[int, int]]) -> list[dict]:
    return [{"doc_id": document["doc_id"], "index": i, "start": s, "end": e, "sentence": document["text"][s:e]}
            for i, (s, e) in enumerate(spans)]


def _table_row(sentence: str) -> bool:
    # A row of a table (cells joined by " | ") holds figures, not sentences.
    return sentence.count(" | ") >= 2


def recent_answers(real: Path, month: str) -> list[dict]:
    """Dec 2023 / Jul 2024: answers whose whole text we have (uncut in the list, or the detail's)."""
    values = [entry["value"] for entry in json.loads((real / f"mysociety-wq-commons-tabled-{month}.list.json").read_text())]
    connection = sqlite3.connect(f"file:{real / f'mysociety-wq-commons-tabled-{month}.longform.sqlite'}?mode=ro", uri=True)
    longform = {str(k if isinstance(k, str) else k.decode()): json.loads(v)
                for k, v in connection.execute("select key, value from Dict")}
    answers = []
    for value in values:
        full = longform.get(str(value["id"]))
        answer_html = (full or {}).get("answer_text") or value.get("answerText") or ""
        if not full and answer_html.rstrip().endswith("..."):
            continue  # cut, and no detail recorded
        if not answer_html or value.get("answerIsHolding"):
            continue
        question = parse_question({**value, "answerText": answer_html,
                                   "questionText": (full or {}).get("question_text") or value.get("questionText")})
        answers.append({
            "doc_id": f"wq:{question.id}", "source": "written_question", "house": question.house,
            "date": question.date_answered, "body": question.answering_body, "minister_id": question.answering_member_id,
            "minister": None, "heading": question.heading, "question": question.question_text,
            "text": html_to_text(answer_html),
            "provenance": f"../shared/real/mysociety-wq-commons-tabled-{month}.list.json"
                          + (" + .longform.sqlite" if full else ""),
        })
    return answers


def hansard_records(real: Path, prefix: str) -> list[dict]:
    records = []
    for path in sorted(real.glob(f"twfy-{prefix}2009-*.xml")):
        for record in parse_file(path.read_bytes(), path.name.removeprefix("twfy-")):
            text = html_to_text(record["text_html"])
            if not text:
                continue
            records.append({
                "doc_id": f"hansard:{record['id']}", "source": f"hansard_{record['kind']}", "house": record["house"],
                "date": record["date"], "body": record["department"], "minister": record["speaker"],
                "heading": record["heading"], "question": " ".join(q["text"] for q in record["questions"]),
                "text": text, "provenance": f"../shared/real/{path.name}",
            })
    return records


def _stratum(real: Path, stratum: str) -> list[dict]:
    return {
        "commons-2023-12": lambda: recent_answers(real, "2023-12"),
        "commons-2024-07": lambda: recent_answers(real, "2024-07"),
        "commons-2009-10": lambda: hansard_records(real, "answers"),
        "lords-2009-10": lambda: hansard_records(real, "lordswrans"),
        "statements-2009-10": lambda: hansard_records(real, "ministerial") + hansard_records(real, "lordswms"),
    }[stratum]()


def build(real: Path, out: Path) -> dict:
    rng = random.Random(SEED)
    strata = {stratum: _stratum(real, stratum) for stratum in QUOTAS}
    documents, sentences = [], []
    for stratum, pool in strata.items():
        rng.shuffle(pool)
        count = 0
        for document in pool:
            if count >= QUOTAS[stratum]:
                break
            spans = _units(document)
            if not spans:
                continue
            # The split is drawn per answer, before any label exists.
            document = {**document, "stratum": stratum, "split": "test" if rng.random() < TEST_SHARE else "dev"}
            documents.append(document)
            sentences += _sentence_rows(document, spans)
            count += len(spans)
    out.mkdir(parents=True, exist_ok=True)
    (out / "documents.jsonl").write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in documents))
    (out / "sentences.jsonl").write_text("".join(json.dumps(s, ensure_ascii=False) + "\n" for s in sentences))
    split_of = {d["doc_id"]: d["split"] for d in documents}
    return {"documents": len(documents), "sentences": len(sentences),
            "test_sentences": sum(split_of[s["doc_id"]] == "test" for s in sentences)}


# A training pool is drawn from answers that say something of the future: most answers
# commit to nothing, and a classifier learns the boundary from sentences near it.
FORWARD = re.compile(r"\b(?:will|shall|intends?|plans?|planned|committed|commitment|due to|aims?|expects?|"
                     r"going to|from (?:\d{1,2} )?(?:January|February|March|April|May|June|July|August|"
                     r"September|October|November|December)|later this year|in due course)\b", re.I)
# Sentences per stratum. Strata are drawn in this order from one seeded generator, so raising a
# quota or adding a stratum at the end keeps every answer drawn before (and its labels).
TRAIN_QUOTA = {"commons-2023-12": 1000, "commons-2024-07": 1000,
               "commons-2009-10": 450, "lords-2009-10": 300, "statements-2009-10": 250}


def build_train(real: Path, gold: Path, out: Path) -> dict:
    """A pool for training only: other answers of the recent months than the corpus's (so
    never a test answer), drawn at random among those with a forward-looking word."""
    corpus = [json.loads(line) for line in (gold / "documents.jsonl").read_text().splitlines()]
    taken = {d["doc_id"] for d in corpus}
    test = {d["doc_id"] for d in corpus if d["split"] == "test"}
    # Departments answer many questions with the same paragraph: an answer sharing a sentence
    # with a test answer would carry the test split into training.
    rows = [json.loads(line) for line in (gold / "sentences.jsonl").read_text().splitlines()]
    test_sentences = {row["sentence"] for row in rows if row["doc_id"] in test and len(row["sentence"]) >= 40}
    rng = random.Random(SEED + 1)
    documents, sentences = [], []
    for stratum, quota in TRAIN_QUOTA.items():
        pool = [d for d in _stratum(real, stratum) if d["doc_id"] not in taken and FORWARD.search(d["text"])]
        rng.shuffle(pool)
        count = 0
        for document in pool:
            if count >= quota:
                break
            spans = _units(document)
            if not spans or len(spans) > 25:  # very long answers would take a chunk alone
                continue
            if any(document["text"][s:e] in test_sentences for s, e in spans):
                continue
            documents.append({**document, "stratum": stratum, "split": "train"})
            sentences += _sentence_rows(document, spans)
            count += len(spans)
    out.mkdir(parents=True, exist_ok=True)
    (out / "documents.jsonl").write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in documents))
    (out / "sentences.jsonl").write_text("".join(json.dumps(s, ensure_ascii=False) + "\n" for s in sentences))
    return {"documents": len(documents), "sentences": len(sentences)}


def render_chunk(folder: Path, out: Path, only_unlabelled: bool = True) -> dict:
    """The annotators' reading copy: each answer's header, then its sentences numbered (only
    answers with no label yet in labels.jsonl, so a grown pool is labelled for what is new)."""
    labelled = set()
    if only_unlabelled and (folder / "labels.jsonl").exists():
        labelled = {json.loads(line)["doc_id"] for line in (folder / "labels.jsonl").read_text().splitlines()}
    documents = [d for d in map(json.loads, (folder / "documents.jsonl").read_text().splitlines())
                 if d["doc_id"] not in labelled]
    by_doc: dict[str, list[dict]] = {}
    for line in (folder / "sentences.jsonl").read_text().splitlines():
        row = json.loads(line)
        by_doc.setdefault(row["doc_id"], []).append(row)
    parts = []
    for d in documents:
        header = (f"=== {d['doc_id']} | {d['source']} | House: {d['house']} | date: {d['date']}\n"
                  f"answering body: {d['body'] or ''} | minister: {d.get('minister') or ''}\n"
                  f"heading: {d.get('heading') or ''}\nquestion: {d.get('question') or ''}\n")
        parts.append(header + "".join(f"[{s['index']}] {s['sentence']}\n" for s in by_doc.get(d["doc_id"], [])))
    out.write_text("\n".join(parts))
    return {"documents": len(documents), "sentences": sum(len(by_doc.get(d["doc_id"], [])) for d in documents)}


def _read_labels(paths) -> dict[tuple[str, int], dict]:
    labels = {}
    for path in paths:
        for line in Path(path).read_text().splitlines():
            if line.strip():
                row = json.loads(line)
                labels[(row["doc_id"], row["index"])] = row
    return labels


def _kappa(pairs: list[tuple[str, str]]) -> float:
    """Cohen's kappa of two annotators' labels."""
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(first[k] * second[k] for k in first) / n / n
    return (observed - expected) / (1 - expected)


def merge(folder: Path) -> dict:
    """labels.jsonl from the two passes (pass-a.jsonl, pass-b.jsonl): their label where they
    agree, the adjudicated one (adjudicated.jsonl) where they do not. Returns the agreement."""
    first, second = _read_labels([folder / "pass-a.jsonl"]), _read_labels([folder / "pass-b.jsonl"])
    adjudicated = _read_labels([folder / "adjudicated.jsonl"])
    sentences = [json.loads(line) for line in (folder / "sentences.jsonl").read_text().splitlines()]
    keys = [(s["doc_id"], s["index"]) for s in sentences]
    fields = ("kind", "owner", "actions", "deadline")
    rows = []
    for key in keys:
        a, b = first[key], second[key]
        agreed = a["kind"] == b["kind"] and (a["kind"] not in TRACKABLE or a["owner"] == b["owner"])
        chosen = a if agreed else adjudicated[key]  # KeyError: a disagreement nobody adjudicated
        rows.append({"doc_id": key[0], "index": key[1], **{f: chosen[f] for f in fields},
                     "source": "agreed" if agreed else "adjudicated"})
    (folder / "labels.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    kinds = [(first[k]["kind"], second[k]["kind"]) for k in keys]
    trackable = [(a in TRACKABLE, b in TRACKABLE) for a, b in kinds]
    return {"sentences": len(keys), "kind_agreement": round(sum(a == b for a, b in kinds) / len(keys), 3),
            "kind_kappa": round(_kappa(kinds), 3), "trackable_kappa": round(_kappa(trackable), 3),
            "adjudicated": sum(r["source"] == "adjudicated" for r in rows),
            "final_kinds": dict(Counter(r["kind"] for r in rows).most_common())}


if __name__ == "__main__":
    commands = {"build": lambda real, out: build(Path(real), Path(out)), "merge": lambda out: merge(Path(out)),
                "build-train": lambda real, gold, out: build_train(Path(real), Path(gold), Path(out)),
                "render": lambda folder, out: render_chunk(Path(folder), Path(out))}
    if len(sys.argv) < 3 or sys.argv[1] not in commands:
        sys.exit("usage: python -m commitments.labelled_corpus build REAL_DIR OUT_DIR | merge OUT_DIR\n"
                 "       | build-train REAL_DIR GOLD_DIR OUT_DIR | render FOLDER OUT.txt")
    print(json.dumps(commands[sys.argv[1]](*sys.argv[2:]), indent=2))
