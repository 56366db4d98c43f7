"""What kind of commitment a trigger's action is (firm, conditional, ongoing, hedged,
negative), or None for no commitment at all."""

import re

from spacy.tokens import Span, Token

from extract import cues
from extract.spans import deadline_for
from extract.subjects import find_subject
from extract.triggers import Trigger, is_commit

SENTENCE_CONDITION = re.compile("|".join(re.escape(p) for p in cues.SENTENCE_CONDITIONS), re.IGNORECASE)
_NUMBERED = {"MONEY", "PERCENT", "CARDINAL", "QUANTITY", "DATE"}


def kind_of(trigger: Trigger, action: Token, sent: Span, owner) -> str | None:
    lemma = action.lemma_.lower()
    if trigger.modal_hedge and not (owner is None and explicit_self(trigger)):
        return None  # "accommodation may not be provided": a possibility, not the speaker's word
    if trigger.capability and not trigger.hedged:
        return None  # "suites that will be able to accommodate": a capability, not a promise
    if trigger.negated:
        if lemma in {"be", "have"} or (lemma in cues.ASSURANCE_VERBS and any(c.dep_ == "auxpass" for c in action.children)):
            return None  # "standards will not be compromised" is about a fact, not an action
        return "negative"
    if trigger.hedged or trigger.modal_hedge or lemma in cues.HEDGE_LEMMAS:
        return "hedged"
    if trigger.ongoing:
        return None if lemma in cues.NOT_ONGOING_VERBS else "ongoing"
    if trigger.state:
        return conditional_or(trigger, action, sent, "firm")
    if action.ent_type_ == "MONEY" or (action.pos_ == "NOUN" and trigger.head != action):
        return "firm"  # money pledged: whether it was paid can be checked
    if is_commit(action):
        return "firm"  # "has committed £20 million to ..."
    adjectival_verb = action.tag_ == "JJ" and any(c.lower_ == "to" for c in action.children)  # "us to correct"
    if (action.pos_ != "VERB" and not adjectival_verb) or not is_deed(action):
        return None
    if any(c.dep_ == "auxpass" for c in action.children) and any(c.lower_ == "already" for c in action.children):
        return None  # "many businesses will already be registered": a state, not a deed
    if trigger.committed:
        deadline = deadline_for(action, trigger)
        quantified = deadline is not None or any(t.ent_type_ in _NUMBERED for t in action.subtree)
        if lemma in cues.AIM_VERBS and not quantified:
            return None  # committed to an aim or a value, not a deliverable
        if trigger.remains and not quantified and lemma in cues.ACTIVITY_VERBS:
            return "ongoing"  # "remains committed to developing a Protect Duty": under way
    if lemma in cues.CONTINUATION_VERBS and any(t.lower_ == "until" for t in action.subtree):
        return "ongoing"  # "will run until 31 March 2021"
    return conditional_or(trigger, action, sent, "firm")


def explicit_self(trigger: Trigger) -> bool:
    subject = find_subject(trigger.head)
    return subject is not None and (subject.lower_ in cues.SELF_SUBJECTS or subject.lemma_.lower() in cues.SELF_SUBJECTS)


def is_deed(action: Token) -> bool:
    lemma = action.lemma_.lower()
    particles = {c.lower_ for c in action.children if c.dep_ in {"prt", "advmod"}}
    if lemma in cues.PARTICLE_DEEDS:
        return bool(particles & cues.PARTICLE_DEEDS[lemma])
    if lemma in cues.VAGUE_VERBS:
        return False
    if lemma in cues.OBJECT_DEPENDENT_VERBS:
        obj = next((c for c in action.children if c.dep_ in {"dobj", "nsubjpass"}), None)
        return obj is None or obj.lemma_.lower() not in cues.VAGUE_OBJECTS
    return True


def conditional_or(trigger: Trigger, action: Token, sent: Span, kind: str) -> str:
    if SENTENCE_CONDITION.search(sent.text):
        return "conditional"
    for token in (trigger.head, action):
        for child in token.children:
            if child.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in cues.CONDITION_MARKERS for m in child.children):
                return "conditional"
            if child.dep_ == "advcl" and child.lemma_ in {"arise", "occur", "emerge"}:
                return "conditional"  # "will discuss any concerns as they arise"
            if child.lower_ == "subject" and any(g.lower_ == "to" for g in child.children):
                return "conditional"  # "will be introduced subject to parliamentary approval"
    return kind
