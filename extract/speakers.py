"""Who speaks in press and evidence text: named people, the body each speaks for,
and the speaker a quote or a "he said" is attributed to.

"Cabinet Office spokesperson Earl Howe" and "Natalie Bodek, the acting deputy
director ... within the Cabinet Office" tie a person to a body; "he said" after
a named speaker is that speaker.
"""

import re

from spacy.tokens import Doc, Span

from common.gazetteer import Gazetteer
from extract.subjects import bodies_named
from extract.tables import Cues

PRONOUNS = {"he", "she", "they"}
# How far (characters) a body may stand from a person's name in the sentence
# that introduces them and still be theirs.
AFFILIATION_WINDOW = 120


def affiliations(doc: Doc, gazetteer: Gazetteer) -> dict[str, str]:
    """Person (as first named in full) -> canonical body, from the sentences that name both."""
    people = [ent for ent in doc.ents if ent.label_ == "PERSON"]
    if not people:
        return {}  # the bodies named are not looked for: most answers name no one
    bodies = bodies_named(doc, gazetteer)
    found: dict[str, str] = {}
    for ent in people:
        if ent.text in found:
            continue
        sent = ent.sent
        near = [(abs(start - ent.start_char) if start < ent.start_char else abs(start - ent.end_char), owner)
                for start, end, owner in bodies
                if sent.start_char <= start < sent.end_char]
        near = [n for n in near if n[0] <= AFFILIATION_WINDOW]
        if near:
            found[ent.text] = min(near)[1]
    return found


def canonical_person(name: str, known: dict[str, str]) -> str:
    """'Bodek' -> 'Natalie Bodek' when the full name was seen first."""
    for full in known:
        if full != name and full.endswith(" " + name):
            return full
    return name


def people_before(doc: Doc, position: int) -> list[Span]:
    return [e for e in doc.ents if e.label_ == "PERSON" and e.end_char <= position]


def attributed_speaker(sent: Span, cues: Cues) -> str | None:
    """The person a sentence attributes its words to ("..., Earl Howe said"; "He said ..."),
    resolving he/she to the last person named before it."""
    doc = sent.doc
    for token in sent:
        if token.lemma_ not in cues.reporting_verbs or token.pos_ != "VERB":
            continue
        subject = next((c for c in token.children if c.dep_ == "nsubj"), None)
        if subject is None:
            continue
        if subject.ent_type_ == "PERSON":
            ent = next(e for e in doc.ents if e.start <= subject.i < e.end)
            return ent.text
        if subject.lower_ in PRONOUNS:
            # "he" is the last person named as the subject of a sentence (a speaker),
            # not the last person mentioned ("answered a question from Lord Kennedy").
            before = people_before(doc, sent.start_char)
            speakers = [e for e in before if e.root.dep_ in {"nsubj", "nsubjpass"}]
            chosen = speakers or before
            return chosen[-1].text if chosen else None
    return None


def speaker_context(doc: Doc, sent: Span, state: dict, cues: Cues, gazetteer: Gazetteer) -> tuple[str | None, str | None]:
    """(person, body) speaking in `sent`: its own attribution, else the last one seen
    (quoted paragraphs after "She explained:" carry no attribution of their own)."""
    if "affiliations" not in state:
        state["affiliations"] = affiliations(doc, gazetteer)
    known = state["affiliations"]
    person = attributed_speaker(sent, cues)
    if person:
        person = canonical_person(person, known)
        state["last"] = person
    else:
        person = state.get("last")
    return person, known.get(person) if person else None


_QUOTE = re.compile(r"“[^”]*”|\"[^\"\n]*\"")


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of quoted speech ("…" or “…”)."""
    return [m.span() for m in _QUOTE.finditer(text)]
