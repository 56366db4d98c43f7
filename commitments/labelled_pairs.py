"""Candidate mention pairs for measuring grouping: which pairs a labeller reads, and their split.

    python -m commitments.labelled_pairs build ../shared/real extract/gold/pairs
    python -m commitments.labelled_pairs merge extract/gold/pairs

Units are mentions of a tracked kind: every one the labelled corpus (extract/gold)
holds, owner and action as labelled, and, for restatements enough to group, the
extractor's mentions in the other whole answers of the same real months. Pairs
are drawn without any tracker's rule: each unit's nearest neighbours by TF-IDF
cosine over sentence and action (across all owners), near-identical sentences,
and random pairs of one owner; then a sample stratified by similarity band. The
test split is decided here, by owner, before any label exists. Labellers see
chunk files with neither the similarity nor the split.
"""

import hashlib
import json
import math
import random
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

from commitments.labelled_corpus import hansard_records, recent_answers, split_sentences
from common import resources
from common.gazetteer import canonical_owner
from common.kinds import TRACKED
from spiders.parlparse import parse_file
from spiders.written_questions import PUBLIC_URL

SEED = 20261124
NEIGHBOURS = 3  # top-k most similar other units, per unit
NEAR_IDENTICAL = 0.8  # cosine at or above which two sentences restate each other word for word, or nearly
SAME_OWNER_RANDOM = 1.0  # random same-owner pairs drawn, per unit of that owner
SAMPLE = 1500
CHUNKS = 6
TEST_SHARE = 1 / 3
# Similarity bands (lower bounds) the sample is stratified by: equal shares where the pool allows,
# so that the hard middle is as well represented as the easy ends.
BANDS = (0.0, 0.1, 0.2, 0.3, 0.45, 0.65)

# Machinery-of-government lines: bodies that are one department across renamings and
# mergers (the 2009 ParlParse headings name departments by their short titles). Used only
# to keep a line of departments in one split; the labeller decides what is "the same owner".
LINEAGE = (
    ("Department for Work and Pensions", "Work And Pensions"),
    ("Department for Education", "Children, Schools And Families"),
    ("Ministry of Housing, Communities and Local Government", "Communities And Local Government"),
    ("Department of Health and Social Care", "Health"),
    ("Ministry of Justice", "Justice"),
    ("Ministry of Defence", "Defence"),
    ("Home Office", "Home Department"),
    ("Department for Environment, Food and Rural Affairs", "Environment Food And Rural Affairs"),
    ("Foreign, Commonwealth and Development Office", "Foreign And Commonwealth Affairs", "International Development"),
    ("Department for Transport", "Transport"),
    ("Northern Ireland Office", "Northern Ireland"),
    ("Scotland Office", "Scotland"),
    ("Wales Office", "Wales"),
    ("Leader of the House of Commons", "Leader of the House"),
    ("Department for Digital, Culture, Media and Sport", "Culture Media And Sport", "Culture, Media And Sport"),
    ("Department for Business, Energy and Industrial Strategy", "Business, Innovation And Skills",
     "Business, Enterprise And Regulatory Reform", "Energy And Climate Change", "Department for International Trade"),
)

STOPWORDS = frozenset("""
a an the of on in to for and or with by at from as is are be been being was were it its this that these those
which who whom will would shall should can could may might must have has had do does did not no we our us i my
you your he his she her they their them there here than then so such also any all each other into about over
under more most some very if but up out per via s
""".split())


# --- units -----------------------------------------------------------------------------------------

def _read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def source_urls(real: Path) -> dict[str, str]:
    """doc id -> the public page of the answer or statement."""
    urls = {}
    for month in ("2023-12", "2024-07"):
        for entry in json.loads((real / f"mysociety-wq-commons-tabled-{month}.list.json").read_text()):
            value = entry["value"]
            if value.get("uin") and value.get("dateTabled"):
                urls[f"wq:{value['id']}"] = PUBLIC_URL.format(date=value["dateTabled"][:10], uin=value["uin"])
    for path in sorted(real.glob("twfy-*2009-*.xml")):
        if not path.name.startswith(("twfy-answers", "twfy-lordswrans", "twfy-ministerial", "twfy-lordswms")):
            continue
        for record in parse_file(path.read_bytes(), path.name.removeprefix("twfy-")):
            if record.get("url"):
                urls[f"hansard:{record['id']}"] = record["url"]
    return urls


def _before(text: str, start: int, limit: int = 400) -> str:
    """The sentence before the one starting at `start` in its answer: what "it" or "the report" is."""
    spans = [(s, e) for s, e in split_sentences(text) if e <= start]
    if not spans:
        return ""
    before = text[spans[-1][0]:spans[-1][1]]
    return before if len(before) <= limit else "..." + before[-limit:]


def _unit(unit_id, origin, document, kind, owner, action, deadline, sentence, before, url) -> dict:
    return {
        "unit_id": unit_id, "origin": origin, "doc_id": document["doc_id"], "date": document["date"],
        "source": document["source"], "house": document["house"], "body": document["body"] or "",
        "kind": kind, "owner": canonical_owner(owner) or canonical_owner(document["body"]) or "",
        "action": action, "deadline": deadline or "", "sentence": sentence, "before": before,
        "heading": document.get("heading") or "", "question": document.get("question") or "", "url": url or "",
    }


def gold_units(gold: Path, urls: dict[str, str]) -> list[dict]:
    """One unit per action of every labelled sentence of a tracked kind."""
    documents = {d["doc_id"]: d for d in _read_jsonl(gold / "documents.jsonl")}
    sentences = {(s["doc_id"], s["index"]): s for s in _read_jsonl(gold / "sentences.jsonl")}
    units = []
    for label in _read_jsonl(gold / "labels.jsonl"):
        if label["kind"] not in TRACKED:
            continue
        key = (label["doc_id"], label["index"])
        document, sentence = documents[key[0]], sentences[key]
        for number, action in enumerate(label["actions"]):
            units.append(_unit(f"g:{key[0]}:{key[1]}:{number}", "gold", document, label["kind"], label["owner"],
                               action, label["deadline"], sentence["sentence"],
                               _before(document["text"], sentence["start"]), urls.get(key[0])))
    return units


def other_answers(real: Path, exclude: set[str]) -> list[dict]:
    """The whole answers and statements of the same real months that the labelled corpus did not draw."""
    pool = recent_answers(real, "2023-12") + recent_answers(real, "2024-07")
    for prefix in ("answers", "lordswrans", "ministerial", "lordswms"):
        pool += hansard_records(real, prefix)
    seen, documents = set(exclude), []
    for document in pool:
        if document["doc_id"] not in seen:
            seen.add(document["doc_id"])
            documents.append(document)
    return documents


def extractor_units(documents: list[dict], urls: dict[str, str], model: str | None = None,
                    progress=None) -> list[dict]:
    """The extractor's mentions of a tracked kind in `documents`, one unit each."""
    from extract.pipeline import extract_many  # spaCy loads only when extraction runs

    metas = ((d["text"], {"body": d["body"], "person": d["minister"], "date": d["date"]}) for d in documents)
    units = []
    for number, (document, mentions) in enumerate(zip(documents, extract_many(metas, model=model))):
        for mention in mentions:
            if mention["kind"] not in TRACKED or not mention["action"]:
                continue
            anchor = mention["action_start"] if mention["action_start"] is not None else mention["sentence_start"]
            units.append(_unit(f"x:{document['doc_id']}:{mention['sentence_start']}:{anchor}", "extractor", document,
                               mention["kind"], mention["owner"], mention["action"], mention["deadline_text"],
                               mention["sentence"], _before(document["text"], mention["sentence_start"]),
                               urls.get(document["doc_id"])))
        if progress and number % 200 == 199:
            progress(number + 1)
    # One unit per id: a mention the extractor reports twice (list items) counts once.
    return list({u["unit_id"]: u for u in units}.values())


# --- similarity ------------------------------------------------------------------------------------

def _terms(text: str) -> list[str]:
    words = re.findall(r"[a-z0-9£]+", text.lower())
    return [w[:-1] if w.endswith("s") and len(w) > 4 else w for w in words if w not in STOPWORDS and len(w) > 1]


def tfidf_vectors(texts: list[str]) -> list[dict[str, float]]:
    """Unit-length TF-IDF vectors (sublinear tf, smoothed idf) as sparse dicts."""
    counts = [Counter(_terms(text)) for text in texts]
    df = Counter(term for count in counts for term in count)
    idf = {term: math.log((1 + len(texts)) / (1 + n)) + 1 for term, n in df.items()}
    vectors = []
    for count in counts:
        vector = {term: (1 + math.log(n)) * idf[term] for term, n in count.items()}
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        vectors.append({term: v / norm for term, v in vector.items()})
    return vectors


def similarities(vectors: list[dict[str, float]]) -> list[dict[int, float]]:
    """For each vector, the cosine with every other vector it shares a term with (rounded, so
    that the summation order cannot move a pair across a band)."""
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for index, vector in enumerate(vectors):
        for term, weight in vector.items():
            postings[term].append((index, weight))
    result = []
    for index, vector in enumerate(vectors):
        scores: dict[int, float] = defaultdict(float)
        for term, weight in vector.items():
            for other, other_weight in postings[term]:
                if other != index:
                    scores[other] += weight * other_weight
        result.append({other: round(score, 4) for other, score in scores.items()})
    return result


# --- candidate pairs --------------------------------------------------------------------------------

def _normalised(sentence: str) -> str:
    return " ".join(re.findall(r"[a-z]+", sentence.lower()))


def candidate_pool(units: list[dict], rng: random.Random) -> dict[tuple[int, int], dict]:
    """(i, j) with i < j -> {"similarity", "origins"}: every pair any drawing rule proposes."""
    scores = similarities(tfidf_vectors([f"{u['sentence']} {u['action']}" for u in units]))
    sentence_of = [(u["doc_id"], u["sentence"]) for u in units]
    pool: dict[tuple[int, int], dict] = {}

    def add(i: int, j: int, origin: str) -> None:
        key = (min(i, j), max(i, j))
        entry = pool.setdefault(key, {"similarity": scores[i].get(j, 0.0), "origins": []})
        if origin not in entry["origins"]:
            entry["origins"].append(origin)

    # Nearest neighbours, any owner, among other wordings: copies of a sentence are paired below,
    # and would otherwise fill the k places of a standard answer given twenty times.
    # Two deeds of one sentence are a pair of their own kind.
    wording = [_normalised(u["sentence"]) for u in units]
    for i, row in enumerate(scores):
        others = sorted((j for j in row if wording[j] != wording[i]), key=lambda j: (-row[j], j))
        for j in others[:NEIGHBOURS]:
            add(i, j, "neighbour")
    by_sentence: dict[tuple, list[int]] = defaultdict(list)
    for i, key in enumerate(sentence_of):
        by_sentence[key].append(i)
    for members in by_sentence.values():
        for i, j in zip(members, members[1:]):
            add(i, j, "same_sentence")
    # Identical or near-identical sentences in different places: a chain through each set of
    # identical ones (a grouped answer repeated to twenty questions gives 19 pairs, not 190).
    by_text: dict[str, list[int]] = defaultdict(list)
    for i, unit in enumerate(units):
        by_text[_normalised(unit["sentence"]) + " | " + unit["action"].lower()].append(i)
    for members in by_text.values():
        for i, j in zip(members, members[1:]):
            add(i, j, "near_identical")
    first_of = {i: members[0] for members in by_text.values() for i in members}
    for i, row in enumerate(scores):
        for j, score in row.items():
            if j > i and score >= NEAR_IDENTICAL and first_of[i] == i and first_of[j] == j:
                add(i, j, "near_identical")
    # Random pairs of one owner: restatements in other words, and the easy negatives.
    by_owner: dict[str, list[int]] = defaultdict(list)
    for i, unit in enumerate(units):
        by_owner[unit["owner"]].append(i)
    for owner in sorted(by_owner):
        members = by_owner[owner]
        if len(members) < 2:
            continue
        for _ in range(round(len(members) * SAME_OWNER_RANDOM)):
            i, j = rng.sample(members, 2)
            add(i, j, "same_owner_random")
    return pool


def band_of(similarity: float) -> int:
    return max(b for b, low in enumerate(BANDS) if similarity >= low)


def stratified_sample(pool: dict[tuple[int, int], dict], size: int, rng: random.Random) -> tuple[list, dict]:
    """Equal shares per similarity band; a band with fewer pairs than its share gives all it has,
    and the rest is shared among the others. Returns the chosen keys and per band (pool, sampled)."""
    bands: dict[int, list] = defaultdict(list)
    for key in sorted(pool):
        bands[band_of(pool[key]["similarity"])].append(key)
    quota: dict[int, int] = {b: 0 for b in range(len(BANDS))}
    left = min(size, len(pool))
    while left:
        open_bands = [b for b in quota if quota[b] < len(bands[b])]
        share = max(1, left // len(open_bands))
        for b in open_bands:
            take = min(share, len(bands[b]) - quota[b], left)
            quota[b] += take
            left -= take
            if not left:
                break
    chosen = []
    for b in sorted(bands):
        chosen += rng.sample(bands[b], quota[b])
    counts = {b: {"pool": len(bands[b]), "sampled": quota[b]} for b in range(len(BANDS))}
    return chosen, counts


# --- split ------------------------------------------------------------------------------------------

def owner_lines() -> dict[str, str]:
    """Canonical owner -> the name of its machinery-of-government line (gazetteer renamings and LINEAGE)."""
    parent: dict[str, str] = {}

    def find(name: str) -> str:
        while parent.setdefault(name, name) != name:
            name = parent[name]
        return name

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    def join(a: str, b: str) -> None:
        # The names as written and as the gazetteer knows them are one line.
        for name in (a, b):
            union(name, canonical_owner(name))
        union(a, b)

    renamed_to = json.loads(resources.gazetteer().read_text()).get("renamed_to", {})
    for old, successors in renamed_to.items():
        for successor in successors:
            join(old, successor)
    for line in LINEAGE:
        for other in line[1:]:
            join(line[0], other)
    return {name: find(name) for name in list(parent)}


def split_by_owner(pairs: list[dict], units: dict[str, dict], share: float = TEST_SHARE) -> dict[str, str]:
    """Line of departments -> "test" or "dev": lines in a seeded hash order go to test until
    about `share` of the pairs (counted by the owner of each pair's first unit) are there."""
    lines = owner_lines()
    line_of = {p["pair_id"]: lines.get(units[p["unit_a"]]["owner"], units[p["unit_a"]]["owner"]) for p in pairs}
    weight = Counter(line_of.values())
    order = sorted(weight, key=lambda line: hashlib.sha256(f"{SEED}:{line}".encode()).hexdigest())
    target, in_test, split = share * len(pairs), 0, {}
    for line in order:
        if in_test + weight[line] <= target * 1.05:
            split[line] = "test"
            in_test += weight[line]
        else:
            split[line] = "dev"
    return {pair_id: split[line] for pair_id, line in line_of.items()}


# --- files ------------------------------------------------------------------------------------------

def _unit_block(letter: str, unit: dict) -> list[str]:
    source = {"written_question": "written answer", "hansard_written_answer": "written answer",
              "hansard_written_statement": "written ministerial statement"}.get(unit["source"], unit["source"])
    lines = [f"  {letter}  {unit['date']}  {source}, {unit['house']}  answering body: {unit['body'] or '(none given)'}",
             f"     owner:    {unit['owner']}"]
    if unit["heading"]:
        lines.append(f"     heading:  {unit['heading']}")
    if unit["question"]:
        lines.append(f"     question: {unit['question']}")
    if unit["before"]:
        lines.append(f"     before:   {unit['before']}")
    lines.append(f"     SENTENCE: {unit['sentence']}")
    lines.append(f"     ACTION:   {unit['action']}" + (f"   (time: {unit['deadline']})" if unit["deadline"] else ""))
    return lines


def chunk_text(pairs: list[dict], units: dict[str, dict], number: int, total: int) -> str:
    """What a labeller reads: both mentions with their context; no similarity, no split."""
    lines = [f"# Pairs to label, chunk {number} of {total} ({len(pairs)} pairs). Read INSTRUCTIONS.md first.", ""]
    for pair in pairs:
        lines.append(f"=== {pair['pair_id']} ===")
        lines += _unit_block("A", units[pair["unit_a"]])
        lines += _unit_block("B", units[pair["unit_b"]])
        lines.append("")
    return "\n".join(lines)


def _write_jsonl(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))


def build_from_units(units: list[dict], out: Path, size: int = SAMPLE, chunks: int = CHUNKS) -> dict:
    """Draw, split and write the candidate pairs of `units`. Returns the counts."""
    rng = random.Random(SEED)
    units = sorted(units, key=lambda u: u["unit_id"])
    pool = candidate_pool(units, rng)
    chosen, band_counts = stratified_sample(pool, size, rng)
    # Shuffled once, so that no chunk is one band or one owner; ids follow the labelling order.
    rng.shuffle(chosen)
    pairs = []
    for number, (i, j) in enumerate(chosen, 1):
        entry = pool[(i, j)]
        band = band_of(entry["similarity"])
        pairs.append({"pair_id": f"p{number:04d}", "unit_a": units[i]["unit_id"], "unit_b": units[j]["unit_id"],
                      "similarity": entry["similarity"], "band": band,
                      "band_weight": round(band_counts[band]["pool"] / band_counts[band]["sampled"], 4),
                      "origins": entry["origins"]})
    by_id = {u["unit_id"]: u for u in units}
    split = split_by_owner(pairs, by_id)
    for pair in pairs:
        pair["split"] = split[pair["pair_id"]]
    out.mkdir(parents=True, exist_ok=True)
    used = {pair[side] for pair in pairs for side in ("unit_a", "unit_b")}
    _write_jsonl(out / "units.jsonl", [u for u in units if u["unit_id"] in used])
    _write_jsonl(out / "candidates.jsonl", pairs)
    per_chunk = math.ceil(len(pairs) / chunks)
    for number in range(chunks):
        part = pairs[number * per_chunk:(number + 1) * per_chunk]
        (out / f"chunk-{number + 1}.txt").write_text(chunk_text(part, by_id, number + 1, chunks))
    return {
        "units": dict(Counter(u["origin"] for u in units)),
        "units_in_pairs": dict(Counter(by_id[u]["origin"] for u in used)),
        "pool": len(pool),
        "pool_origins": dict(Counter(o for e in pool.values() for o in e["origins"])),
        "pairs": len(pairs),
        "bands": {f"{BANDS[b]:.2f}-{(BANDS + (1.0,))[b + 1]:.2f}": c for b, c in band_counts.items()},
        "origins": dict(Counter(o for p in pairs for o in p["origins"])),
        "split": dict(Counter(p["split"] for p in pairs)),
        "cross_owner": sum(by_id[p["unit_a"]]["owner"] != by_id[p["unit_b"]]["owner"] for p in pairs),
        "chunks": chunks,
    }


def build(real: Path, out: Path, gold: Path = Path("extract/gold"), model: str | None = None) -> dict:
    urls = source_urls(real)
    units = gold_units(gold, urls)
    documents = other_answers(real, {d["doc_id"] for d in _read_jsonl(gold / "documents.jsonl")})
    print(f"extracting from {len(documents)} other answers ...", file=sys.stderr)
    units += extractor_units(documents, urls, model,
                             progress=lambda n: print(f"  {n} answers", file=sys.stderr))
    return build_from_units(units, out)


# --- labels -----------------------------------------------------------------------------------------

def _labels(path: Path) -> dict[str, dict]:
    return {row["pair_id"]: row for row in _read_jsonl(path)} if path.exists() else {}


def merge(folder: Path) -> dict:
    """labels.jsonl from two labelling passes (pass-a.jsonl, pass-b.jsonl): their label where they
    agree, the adjudicated one (adjudicated.jsonl) where they do not. Returns the agreement."""
    first, second = _labels(folder / "pass-a.jsonl"), _labels(folder / "pass-b.jsonl")
    adjudicated = _labels(folder / "adjudicated.jsonl")
    pair_ids = [p["pair_id"] for p in _read_jsonl(folder / "candidates.jsonl")]
    missing = [p for p in pair_ids if p not in first or p not in second]
    if missing:
        raise ValueError(f"{len(missing)} pairs lack a label in one pass, e.g. {missing[0]}")
    rows, unresolved = [], []
    for pair_id in pair_ids:
        a, b = bool(first[pair_id]["same"]), bool(second[pair_id]["same"])
        if a == b:
            rows.append({"pair_id": pair_id, "same": a, "source": "agreed"})
        elif pair_id in adjudicated:
            rows.append({"pair_id": pair_id, "same": bool(adjudicated[pair_id]["same"]), "source": "adjudicated"})
        else:
            unresolved.append(pair_id)
    if unresolved:
        raise ValueError(f"{len(unresolved)} disagreements are not adjudicated, e.g. {unresolved[0]}")
    _write_jsonl(folder / "labels.jsonl", rows)
    agreed = sum(r["source"] == "agreed" for r in rows)
    return {"pairs": len(rows), "agreement": round(agreed / len(rows), 3) if rows else None,
            "adjudicated": len(rows) - agreed, "same": sum(r["same"] for r in rows)}


if __name__ == "__main__":
    commands = {"build": lambda real, out: build(Path(real), Path(out)), "merge": lambda out: merge(Path(out))}
    if len(sys.argv) < 3 or sys.argv[1] not in commands:
        sys.exit("usage: python -m commitments.labelled_pairs build REAL_DIR OUT_DIR | merge OUT_DIR")
    try:
        print(json.dumps(commands[sys.argv[1]](*sys.argv[2:]), indent=2))
    except (OSError, ValueError) as exc:
        sys.exit(f"labelled_pairs: {exc}")
