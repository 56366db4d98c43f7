"""Spans and the mention: the words that name the deed, its deadline, and the `Mention`
built from them."""

from typing import TypedDict

from spacy.tokens import Token

from common.dates import as_date
from common.gazetteer import Gazetteer
from extract.deadlines import deadline_fields, find_deadline
from extract.subjects import find_subject, speaking_owner
from extract.triggers import Trigger


class Mention(TypedDict):
    """One mention, as `doc._.commitments` holds it: a plain dict, so that a Doc crosses process
    boundaries (nlp.pipe n_process > 1) and the store takes it as a row."""

    kind: str
    sentence: str
    sentence_start: int
    sentence_end: int
    action: str
    action_start: int | None
    action_end: int | None
    owner: str | None
    person: str | None
    # The end of the period the deadline names (ISO), how exact that end is (day, week, month,
    # quarter, season, year), and the words as written: "in Q3 2021" -> 2021-09-30, quarter.
    deadline: str | None
    deadline_precision: str | None
    deadline_text: str | None
    # In press text: True for the journalist's paraphrase, False inside a quote;
    # None where the text is the speaker's own (an answer, a turn of evidence).
    reported: bool | None


def make_mention(doc, sent, meta, kind, action, subject_owner, gazetteer: Gazetteer, trigger=None) -> Mention:
    sentence = sent.text.strip()
    start = sent.start_char + (len(sent.text) - len(sent.text.lstrip()))
    deadline = deadline_for(action, trigger) if action is not None else None
    action_text, a_start, a_end = "", None, None
    if action is not None:
        action_text, a_start, a_end = action_span(action, trigger, deadline[1:] if deadline else None)
    owner = None
    if kind != "procedural":
        owner = subject_owner or speaking_owner(doc, sent, meta, gazetteer)
    return Mention(
        kind=kind,
        sentence=sentence,
        sentence_start=start,
        sentence_end=start + len(sentence),
        action=action_text,
        action_start=a_start,
        action_end=a_end,
        owner=owner,
        person=meta.get("person"),
        **deadline_fields(deadline, as_date(meta.get("date"))),
        reported=None,
    )


def deadline_for(action: Token, trigger: Trigger | None) -> tuple[str, int, int] | None:
    """A time phrase governing this action: in its own subtree, or a time modifier of its
    trigger ("Before the end of this year we will launch X"). Returns (text, start, end) in doc chars."""
    doc = action.doc
    # The action's own words: a purpose or relative clause after it has its own time
    # ("plan to transform X to help put the UK on the path to net zero by 2050").
    clauses = [c.left_edge.i for c in action.children if c.dep_ in {"advcl", "relcl", "ccomp", "conj"} and c.i > action.i]
    end = min(clauses) if clauses else action.right_edge.i + 1
    regions = [doc[action.left_edge.i: max(end, action.i + 1)]]
    for token in filter(None, (action, trigger.head if trigger else None)):
        regions += [doc[c.left_edge.i: c.right_edge.i + 1] for c in token.children
                    if c.dep_ in {"prep", "npadvmod", "advmod", "advcl"} and c.i < action.i]
    for region in regions:
        found = find_deadline(region.text)
        if found:
            return found[0], region.start_char + found[1], region.start_char + found[2]
    return None


_ACTION_SKIP = {"conj", "cc", "advcl", "relcl", "punct", "mark", "nsubj", "nsubjpass", "aux", "auxpass",
                "neg", "appos", "parataxis", "dep", "preconj", "meta", "expl", "npadvmod", "advmod"}


def action_span(action: Token, trigger: Trigger | None, deadline_chars: tuple[int, int] | None) -> tuple[str, int, int]:
    """The shortest span naming the deed and its object ("launch a consultation on electoral
    integrity"); a passive or a scheduled state names its subject ("publish the guidance")."""
    keep = {action.i}
    legislative = action.lemma_ == "legislate" or any(
        c.dep_ == "dobj" and c.lemma_ in {"legislation", "bill", "regulation", "proposal", "measure"} for c in action.children)

    def walk(token: Token, top: bool):
        for child in token.children:
            if top and child.dep_ == "advcl" and legislative and any(g.lower_ == "to" and g.dep_ == "aux" for g in child.children):
                keep.add(child.i)  # "bring forward legislation to implement X": the purpose is the deed's content
                walk(child, False)
                continue
            if top and (child.dep_ in _ACTION_SKIP or child.i < action.i):
                continue
            infinitival = child.dep_ in {"relcl", "acl"} and any(g.lower_ == "to" and g.dep_ == "aux" for g in child.children)
            if not top and not infinitival and (child.dep_ in {"relcl", "advcl", "appos", "parataxis"}
                                                or (child.dep_ == "punct" and child.tag_ != "HYPH")):
                continue  # "legislation to implement X" keeps its content; "X, which will ..." does not
            if top and child.dep_ == "prep" and any(t.ent_type_ in {"DATE", "TIME"} for t in child.subtree):
                continue  # the deadline is reported on its own
            if deadline_chars and top and deadline_chars[0] <= child.idx < deadline_chars[1]:
                continue
            keep.add(child.i)
            walk(child, False)

    walk(action, True)
    doc = action.doc
    # The deed is the run of kept tokens from the verb: a modifier left out ("again",
    # "later this year") ends it, unless the object still follows ("monitor closely the situation").
    last = action.i
    for i in range(action.i + 1, max(keep) + 1):
        if i in keep:
            last = i
        elif not (doc[i].dep_ == "advmod" and doc[i].head == action and i + 1 in keep and doc[i + 1].dep_ != "prep"):
            break
    if deadline_chars and doc[action.i].idx < deadline_chars[0]:
        # The deadline is reported on its own, wherever the parse hung it ("publish its response
        # by Q3 2021", "consult on the proposals this autumn"): the deed ends before it.
        while last > action.i and doc[last].idx + len(doc[last].text) > deadline_chars[0]:
            last -= 1
    while last > action.i and (doc[last].is_punct or doc[last].dep_ == "cc"):
        last -= 1
    span = doc[action.i: last + 1]
    rest = span[1:].text
    if trigger is not None and trigger.state:  # "PrEP will be available" -> "make PrEP available"
        return f"make {noun_phrase(find_subject(trigger.head))} {action.text}".replace("  ", " "), span.start_char, span.end_char
    if action.pos_ == "NOUN":  # "committed to a catch-up package worth £1 billion"
        return f"provide {span.text}", span.start_char, span.end_char
    subject = next((c for c in action.children if c.dep_ == "nsubjpass"), None)
    if subject is not None and any(c.dep_ == "auxpass" for c in action.children):
        particles = [c for c in action.children if c.dep_ == "prt"]
        rest = " ".join(t.text for t in span[1:] if t not in particles)
        verb = " ".join([action.lemma_, *(p.text for p in particles)])
        text = " ".join(p for p in (verb, noun_phrase(subject), rest) if p)
        return text, span.start_char, span.end_char
    if action.tag_ in {"VBG", "VBD", "VBZ", "VBN"}:  # "committed to launching X" -> "launch X"; "has announced £60 million"
        return " ".join(p for p in (action.lemma_, rest) if p), span.start_char, span.end_char
    return span.text, span.start_char, span.end_char


def noun_phrase(token: Token | None) -> str:
    if token is None:
        return ""
    phrase = token.doc[token.left_edge.i: token.right_edge.i + 1]
    text = phrase.text
    if phrase[0].is_stop and not phrase[0].ent_type_:  # "A consultation will be ..." -> "a consultation"
        text = phrase[0].lower_ + text[len(phrase[0].text):]
    return text
