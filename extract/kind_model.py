"""The learned kind classifier and how it is combined with the rules.

A small spaCy text classifier (extract/model/config.cfg, trained by `make train` on the
labelled corpus's dev split and the 2021 dev gold set) reads one sentence, prefixed with
the kind the rules gave it, and scores the guideline's seven kinds. `combine` decides a
sentence's kind from the rules' kind and those scores; the thresholds were chosen by
5-fold cross-validation over the dev answers (extract/model/README.md), never on test.
"""

from common.kinds import KIND_ORDER, KINDS, TRACKABLE


def model_input(rule_kind: str, sentence: str) -> str:
    """The classifier's text: the rules' kind as a token of its own, then the sentence."""
    return f"rulekind_{rule_kind} {sentence.strip()}"


def trackable_score(cats: dict[str, float]) -> float:
    return sum(cats.get(kind, 0.0) for kind in TRACKABLE)


def best_of(cats: dict[str, float], kinds) -> str:
    return max(kinds, key=lambda kind: (cats.get(kind, 0.0), -KINDS.index(kind)))


UNTRACKED = [k for k in KINDS if k not in TRACKABLE]


def combine(rule_kind: str, cats: dict[str, float], demote_below: float, promote_above: float,
            rekind_above: float = 1.01) -> str:
    """A sentence's kind: the rules' kind, unless the model is confident the other way about
    whether it is trackable. A rule commitment the model scores under `demote_below` takes the
    model's best untracked kind; an untracked sentence it scores over `promote_above` takes
    the model's best trackable kind; otherwise an untracked sentence takes the model's best
    untracked kind where that scores over `rekind_above`, if the rules found nothing in it
    (procedural pointers and hedges they have no pattern for). Trackable or not is decided
    by the first two alone."""
    score = trackable_score(cats)
    if rule_kind == "procedural":
        return rule_kind  # the rules' housekeeping patterns ("I will write to the noble Lord") are exact
    if rule_kind in TRACKABLE:
        return best_of(cats, UNTRACKED) if score < demote_below else rule_kind
    if score > promote_above:
        return best_of(cats, TRACKABLE)
    if rule_kind != "none":
        # An explicit cue of the guideline's table ("will continue to", "highly likely", "no
        # plans to") stands: the model only names what the rules found no pattern for.
        return rule_kind
    best = best_of(cats, UNTRACKED)
    return best if cats.get(best, 0.0) > rekind_above else rule_kind


def sentence_kind(kinds) -> str:
    """The kind a sentence's mentions give it (the first in the guideline's order), as scored."""
    kinds = list(kinds)
    return min(kinds, key=KIND_ORDER.index) if kinds else "none"


# -- the pipeline component ----------------------------------------------------

import re  # noqa: E402
from collections.abc import Iterable, Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

from spacy.language import Language  # noqa: E402
from spacy.tokens import Doc, Span  # noqa: E402
from spacy.util import minibatch  # noqa: E402

from common.gazetteer import Gazetteer  # noqa: E402
from extract.spans import make_mention  # noqa: E402
from extract.subjects import MINISTERS_VOICE, subject_owner  # noqa: E402
from extract.tables import Cues  # noqa: E402
from extract.triggers import Trigger  # noqa: E402

PACKAGED_MODEL = Path(__file__).with_name("model") / "kinds"

# Chosen by cross-validation over the dev answers (extract/model/README.md).
DEMOTE_BELOW = 0.05
PROMOTE_ABOVE = 0.4
REKIND_ABOVE = 0.5

_QUESTION = re.compile(r"^\W*to ask\b", re.IGNORECASE)


@Language.factory("kind_model",
                  default_config={"path": str(PACKAGED_MODEL), "demote_below": DEMOTE_BELOW,
                                  "promote_above": PROMOTE_ABOVE, "rekind_above": REKIND_ABOVE,
                                  "cues": {"@misc": "commitments.default_cues.v1"},
                                  "gazetteer": {"@misc": "commitments.default_gazetteer.v1"}},
                  requires=["doc._.commitments"], assigns=["doc._.commitments"])
def make_kind_model(nlp: Language, name: str, path: str, demote_below: float, promote_above: float,
                    rekind_above: float, cues: Cues, gazetteer: Gazetteer):
    return KindModel(path, demote_below, promote_above, cues, gazetteer, rekind_above)


class KindModel:
    """After `commitment_finder`: each sentence of an answer or statement gets the kind
    `combine` gives it, the mentions the rules found re-kinded, dropped (the model's "none")
    or, for a sentence the rules found nothing in, one made from the sentence's main verb."""

    def __init__(self, path: str, demote_below: float, promote_above: float, cues: Cues, gazetteer: Gazetteer,
                 rekind_above: float = REKIND_ABOVE):
        import spacy

        self.classifier = spacy.load(path)
        self.textcat = self.classifier.get_pipe("textcat")
        self.demote_below = demote_below
        self.promote_above = promote_above
        self.rekind_above = rekind_above
        self.cues = cues
        self.gazetteer = gazetteer

    def __call__(self, doc: Doc) -> Doc:
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        """One classifier call per batch of documents, over all their sentences: the model's
        fixed cost is paid once a batch, not once a sentence."""
        for batch in minibatch(docs, batch_size):
            plans = [self.plan(doc) for doc in batch]
            inputs = [self.input_doc(kind, sent) for plan in plans if plan for _, sent, kind in plan]
            scores = iter(self.scores(inputs))
            for doc, plan in zip(batch, plans, strict=True):
                if plan is not None:
                    self.apply(doc, [(found, sent, kind, next(scores)) for found, sent, kind in plan])
                yield doc

    def plan(self, doc: Doc) -> list[tuple[list, Span, str]] | None:
        """(the rules' mentions, sentence, the rules' kind) for each sentence the model reads;
        None for a document it leaves alone."""
        meta = doc._.meta or {}
        # Trained on answers and statements: press and evidence text, and words no government
        # voice speaks, keep the rules' kinds. A text of no named source (`extract-text`) is read
        # as an answer when it names its body.
        source = meta.get("source")
        voiced = source in MINISTERS_VOICE or (source is None and meta.get("body"))
        if not voiced or meta.get("government") == 0 or doc._.commitments is None:
            return None
        sentences = [s for s in doc.sents if s.text.strip() and not _QUESTION.match(s.text.strip())]
        by_sentence: list[list] = [[] for _ in sentences]
        for mention in doc._.commitments:
            anchor = mention["action_start"] if mention["action_start"] is not None else mention["sentence_start"]
            for i, sent in enumerate(sentences):
                if sent.start_char <= anchor < sent.end_char:
                    by_sentence[i].append(mention)
                    break
        return [(found, sent, sentence_kind(m["kind"] for m in found))
                for found, sent in zip(by_sentence, sentences, strict=True)]

    def input_doc(self, rule_kind: str, sent: Span) -> Doc:
        """`model_input(rule_kind, sent.text)` as a Doc, made from the parsed sentence's own tokens
        rather than by tokenising that text again (the tokens are the same: the classifier's
        tokenizer is the English one the pipeline's is, and the classifier reads only ORTH, a hash of
        the text: so the pipeline's vocab, which already holds these words, serves)."""
        tokens = list(sent)
        while tokens and tokens[0].is_space:  # model_input strips the sentence
            tokens.pop(0)
        while tokens and tokens[-1].is_space:
            tokens.pop()
        words = [f"rulekind_{rule_kind}"] + [t.text for t in tokens]
        spaces = [True] + [bool(t.whitespace_) for t in tokens]
        if tokens:
            spaces[-1] = False
        return Doc(sent.doc.vocab, words=words, spaces=spaces)

    def scores(self, inputs: list[Doc]) -> list[dict[str, float]]:
        """The classifier's cats for each input, as its `pipe` would set them."""
        if not inputs:
            return []
        predicted = self.textcat.model.ops.to_numpy(self.textcat.predict(inputs))
        return [{label: float(row[j]) for j, label in enumerate(self.textcat.labels)} for row in predicted]

    def apply(self, doc: Doc, sentences: list[tuple[list, Span, str, dict[str, float]]]) -> None:
        meta = doc._.meta or {}
        dropped, added = set(), []
        for found, sent, rule_kind, cats in sentences:
            kind = combine(rule_kind, cats, self.demote_below, self.promote_above, self.rekind_above)
            if kind == rule_kind:
                continue
            if kind in TRACKABLE and sent.start_char in (doc._.outside_sentences or ()):
                continue  # the rules read the deed's subject as outside government; the model sees no subject
            if not found:
                mention = self.new_mention(doc, sent, meta, kind) if kind != "none" else None
                if mention is not None:
                    added.append(mention)
                continue
            for mention in found:
                if kind == "none":
                    dropped.add(id(mention))
                elif mention["kind"] == rule_kind or (mention["kind"] in TRACKABLE) != (kind in TRACKABLE):
                    mention["kind"] = kind
                    if kind in TRACKABLE and not mention["owner"]:
                        mention["owner"] = make_mention(doc, sent, meta, kind, None, None, self.gazetteer)["owner"]
        mentions = [m for m in doc._.commitments if id(m) not in dropped] + added
        doc._.commitments = sorted(mentions, key=lambda m: (m["sentence_start"], m["action_start"] or 0))

    def new_mention(self, doc: Doc, sent: Span, meta: dict, kind: str):
        """The rules found no deed here: the sentence's main verb names it, where there is one,
        and its subject the owner as the rules read it ("The FCA expects to publish ...": the
        FCA), else the speaking body. None where that subject is outside government."""
        root = sent.root
        action = root if root.pos_ in {"VERB", "AUX"} else None
        owner = subject_owner(Trigger(action, action), self.cues, self.gazetteer) if action is not None else None
        if owner is False:
            return None  # "Acme Ltd expects to open a factory": not the government's deed
        return make_mention(doc, sent, meta, kind, action, owner, self.gazetteer)
