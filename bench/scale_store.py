"""A store of N generated documents with the project's own shape, built fast, for the scale
benchmarks (bench/datasette_scale.py).

    .venv/bin/python bench/scale_store.py --documents 1000000 --out /tmp/bench/scale-1000000.db

The shape (tables, indexes, full-text search, triggers, views) is made by `db.open_db`, so it is
the project's own. The rows are written in one transaction with the full-text triggers set
aside (every trigger of their tables), then each full-text index is rebuilt once, the documents'
facet counts counted once, and the triggers put back as they were: the same store the crawls would
have made, in minutes instead of days.

Texts are written answers in made-up but varied words: a vocabulary of real policy words and
generated ones with Zipf frequencies, so a common word ("funding") matches a large share of
the store and a rarer one a few hundred documents, as in the real store. Every document is
marked extracted (extraction_state, at the current extractor version), and one in
MENTION_EVERY carries a generated commitment mention, so that a daily run finds only what is
new to extract and tracking has a store-sized body of mentions to group.
"""

import argparse
import hashlib
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import db  # noqa: E402

# Search terms the benchmark uses: their ranks fix how many documents each matches.
POLICY_WORDS = """government funding department will schools health support local public services
information data review national people care hospital education policy england million programme
published strategy housing children working local authorities transport security plans
consultation energy police guidance staff training pension tax investment community justice
defence benefit covid vaccine nhs social workforce rail roads climate emissions water flood
farmers agriculture trade exports tariffs immigration asylum border visa prisons courts legal
aid apprenticeships universities students teachers nurses doctors mental dementia cancer
disability carers universal credit payments grants councils planning homes rents leasehold
broadband digital cyber armed forces veterans ukraine aid international development embassy
sanctions fisheries coastal railway bus cycling electric vehicles charging hydrogen nuclear
solar wind offshore heating insulation schemes regulations legislation bill act statutory
consultation response evidence assessment impact committee report recommendations
accepted""".split()
CONSONANTS, VOWELS = "bcdfghklmnprstvwz", "aeiou"
BODIES = ["Department for Education", "Department of Health and Social Care", "HM Treasury", "Home Office",
          "Ministry of Defence", "Department for Transport", "Cabinet Office",
          "Foreign, Commonwealth and Development Office", "Department for Work and Pensions",
          "Ministry of Justice", "Department for Energy Security and Net Zero", "Department for Business and Trade",
          "Department for Environment, Food and Rural Affairs", "Department for Science, Innovation and Technology",
          "Ministry of Housing, Communities and Local Government", "Department for Culture, Media and Sport",
          "Northern Ireland Office", "Scotland Office", "Wales Office", "Attorney General",
          "Department for Levelling Up, Housing and Communities", "Department for International Trade",
          "Women and Equalities", "Leader of the House", "Church Commissioners"]
# (source, share): most documents are written answers, as in the real store.
SOURCES = [("written_question", 0.72), ("written_statement", 0.08), ("hansard_written_answer", 0.1),
           ("oral_evidence", 0.05), ("article", 0.05)]
MENTION_EVERY = 10
FIRST_QUESTION_ID = 10_000_000  # far from the ids bench/store_speed.py's api_values hands the crawl
BATCH = 20_000


def vocabulary(rng: random.Random, size: int = 30_000) -> list[str]:
    words, seen = list(POLICY_WORDS), set(POLICY_WORDS)
    while len(words) < size:
        word = "".join(rng.choice(CONSONANTS) + rng.choice(VOWELS) for _ in range(rng.randrange(2, 5)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


class Texts:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.words = vocabulary(self.rng)
        total, self.cumulative = 0.0, []
        for rank in range(1, len(self.words) + 1):
            total += 1 / rank ** 1.05
            self.cumulative.append(total)

    def sentence(self, words: int) -> str:
        return " ".join(self.rng.choices(self.words, cum_weights=self.cumulative, k=words)).capitalize() + "."

    def answer(self) -> str:
        return " ".join(self.sentence(self.rng.randrange(8, 25)) for _ in range(self.rng.randrange(2, 9)))


def _day(rng: random.Random) -> str:
    return time.strftime("%Y-%m-%d", time.gmtime(1_388_534_400 + rng.randrange(0, 4_700) * 86_400))


def _rows(n: int, texts: Texts, version: str):
    """(documents row, written_questions row or None, mention row or None, extraction_state row)."""
    rng = texts.rng
    sources, weights = zip(*SOURCES)
    for i in range(n):
        source = rng.choices(sources, weights)[0]
        source_id = FIRST_QUESTION_ID + i
        body = rng.choice(BODIES)
        person = f"Minister Number {rng.randrange(300)}"
        date = _day(rng)
        title = texts.sentence(rng.randrange(2, 6))[:-1]
        text = texts.answer()
        doc_id = f"{source}:{source_id}"
        content = hashlib.sha256(text.encode()).hexdigest()
        house = "Lords" if rng.random() < 0.2 else "Commons"
        url = f"https://example.org/{source}/{source_id}"
        document = (doc_id, source, str(source_id), url, title, date, house, body, person, text, 0, content, 1)
        question = None
        if source == "written_question":
            question = (source_id, f"{100_000 + i}", house, title, date, date,
                        "To ask the Secretary of State, " + texts.sentence(rng.randrange(10, 30)),
                        f"<p>{text}</p>", BODIES.index(body) + 1, body, url, "{}")
        mention = None
        if i % MENTION_EVERY == 0:
            action = f"publish the {rng.choice(texts.words[:400])} {rng.choice(texts.words[:2000])} strategy"
            sentence = f"We will {action} by {date[:4]}."
            mention = (hashlib.sha1(doc_id.encode()).hexdigest()[:16], doc_id, source, str(source_id), url, date,
                       sentence, 0, len(sentence), 8, len(sentence) - 9, rng.choice(("firm", "firm", "conditional")),
                       action, body, person, version)
        yield document, question, mention, (doc_id, content, version, int(mention is not None), 0)


FULL_TEXT_TABLES = ("documents", "written_questions", "mentions")
INSERTS = {
    "documents": "insert into documents (id, source, source_id, source_url, title, date, house, body, person, text, "
                 "text_truncated, content_hash, government) values (?,?,?,?,?,?,?,?,?,?,?,?,?)",
    "written_questions": "insert into written_questions (id, uin, house, heading, date_tabled, date_answered, "
                         "question_text, answer_html, answering_body_id, answering_body, url, raw) "
                         "values (?,?,?,?,?,?,?,?,?,?,?,?)",
    "mentions": "insert into mentions (id, document_id, source, source_id, source_url, date, sentence, "
                "sentence_start, sentence_end, action_start, action_end, kind, action, owner, person, "
                "extractor_version) values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    "extraction_state": "insert into extraction_state (document_id, content_hash, extractor_version, mentions, "
                        "reports) values (?,?,?,?,?)",
}


def build(path: Path, n: int, seed: int = 14, log=print) -> dict:
    """Write the store at `path` (replacing one there) and say how long each step took."""
    from extract.runner import extractor_version
    from common import config

    for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        stale.unlink(missing_ok=True)
    store = db.open_db(path)  # the project's own shape
    conn = store.conn
    version = extractor_version(config.model_name())
    texts = Texts(seed)
    timings = {}
    start = time.perf_counter()
    conn.execute("pragma cache_size = -1000000")  # 1 GB: the indexes stay in memory while they grow
    triggers = {name: sql for name, sql in conn.execute(
        "select name, sql from sqlite_master where type = 'trigger' and tbl_name in (%s)"
        % ",".join("?" * len(FULL_TEXT_TABLES)), FULL_TEXT_TABLES)}
    with conn:
        for name in triggers:
            conn.execute(f"drop trigger [{name}]")
        batches = {table: [] for table in INSERTS}
        for done, (document, question, mention, state) in enumerate(_rows(n, texts, version), 1):
            batches["documents"].append(document)
            batches["extraction_state"].append(state)
            if question:
                batches["written_questions"].append(question)
            if mention:
                batches["mentions"].append(mention)
            if done % BATCH == 0 or done == n:
                for table, rows in batches.items():
                    conn.executemany(INSERTS[table], rows)
                    rows.clear()
                if done % (BATCH * 10) == 0:
                    log(f"  {done:,} documents, {time.perf_counter() - start:.0f} s")
        timings["rows_s"] = round(time.perf_counter() - start, 1)
        for table in FULL_TEXT_TABLES:
            step = time.perf_counter()
            conn.execute(f"insert into [{table}_fts]([{table}_fts]) values ('rebuild')")
            timings[f"{table}_fts_s"] = round(time.perf_counter() - step, 1)
            log(f"  full-text index of {table} rebuilt in {timings[f'{table}_fts_s']} s")
        for sql in triggers.values():
            conn.execute(sql)
        # what the facet count triggers would have kept, set aside with the others (Datasette's facets read them)
        db.schema.count_facets(conn, [table for table in db.schema.FACET_TALLIES if table in FULL_TEXT_TABLES])
    conn.execute("pragma wal_checkpoint(truncate)")
    store.close()
    timings["total_s"] = round(time.perf_counter() - start, 1)
    timings["bytes"] = path.stat().st_size
    return timings


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    print(build(args.out, args.documents))


if __name__ == "__main__":
    main()
