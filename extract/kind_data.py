"""Sentence examples for the learned kind classifier: each labelled sentence's text, its gold
kind, and the kind the rules give it (the rules' output is one of the model's inputs).

Only the labelled corpus's dev split, its training pool (extract/gold/train/: other answers of
the same months, never a test answer) and the 2021 dev gold set are ever read here: the test
split is scored once, by `commitments evaluate`, and never trained on."""

from pathlib import Path

from extract.evaluate import assign_to_gold, documents_from_gold, load_corpus, load_gold, predicted_kind


def rule_examples(documents, group: str) -> list[dict]:
    """One example per gold sentence of (text, meta, spans) documents: {"group": the answer
    (cross-validation folds split answers, never sentences), "text", "gold", "rule"}."""
    from extract.pipeline import extract_many

    examples = []
    results = extract_many(((text, meta) for text, meta, _ in documents), finder_config=RULES_ONLY)
    for (_text, _meta, spans), mentions in zip(documents, results, strict=True):
        assigned = assign_to_gold(mentions, spans)
        for index, (_start, _end, gold) in enumerate(spans):
            examples.append({"group": f"{group}:{gold['qid']}", "text": gold["sentence"], "gold": gold["kind"],
                             "rule": predicted_kind(assigned[index])})
    return examples


# The classifier's inputs are the rules' own kinds, so they are read with the model switched off.
RULES_ONLY = {"kind_model": None}


def training_examples(corpus: Path, gold_2021: Path | None) -> list[dict]:
    """The dev split of the labelled corpus and its training pool once labelled, plus the 2021
    dev gold set when given."""
    examples = rule_examples(load_corpus(corpus, "dev"), "dev")
    if (corpus / "train" / "labels.jsonl").exists():
        examples += rule_examples(load_corpus(corpus / "train", "train"), "train")
    if gold_2021 is not None and gold_2021.exists():
        examples += rule_examples(documents_from_gold(load_gold(gold_2021)), "2021")
    return examples
