"""What kind of commitment a trigger's action is (firm, conditional, ongoing, hedged,
negative), or None for no commitment at all."""

from spacy.tokens import Span, Token

from extract.spans import deadline_for
from extract.subjects import find_subject
from extract.tables import Cues
from extract.triggers import Trigger, is_commit

_NUMBERED = {"MONEY", "PERCENT", "CARDINAL", "QUANTITY", "DATE"}


def kind_of(trigger: Trigger, action: Token, sent: Span, owner, cues: Cues) -> str | None:
    lemma = action.lemma_.lower()
    if trigger.modal_hedge and not (owner is None and explicit_self(trigger, cues)):
        return None  # "accommodation may not be provided": a possibility, not the speaker's word
    if trigger.capability and not trigger.hedged:
        return None  # "suites that will be able to accommodate": a capability, not a promise
    if trigger.negated:
        if lemma in {"be", "have"} or (lemma in cues.assurance_verbs and any(c.dep_ == "auxpass" for c in action.children)):
            return None  # "standards will not be compromised" is about a fact, not an action
        return "negative"
    if trigger.hedged or trigger.modal_hedge or lemma in cues.hedge_lemmas:
        return "hedged"
    if trigger.ongoing:
        return None if lemma in cues.not_ongoing_verbs else "ongoing"
    if trigger.state:
        return conditional_or(trigger, action, sent, "firm", cues)
    if action.ent_type_ == "MONEY" or (action.pos_ == "NOUN" and trigger.head != action):
        return "firm"  # money pledged: whether it was paid can be checked
    if is_commit(action):
        return "firm"  # "has committed £20 million to ..."
    adjectival_verb = action.tag_ == "JJ" and any(c.lower_ == "to" for c in action.children)  # "us to correct"
    if (action.pos_ != "VERB" and not adjectival_verb) or not is_deed(action, cues):
        return None
    if any(c.dep_ == "auxpass" for c in action.children) and any(c.lower_ == "already" for c in action.children):
        return None  # "many businesses will already be registered": a state, not a deed
    if trigger.committed:
        deadline = deadline_for(action, trigger)
        quantified = deadline is not None or any(t.ent_type_ in _NUMBERED for t in action.subtree)
        if lemma in cues.aim_verbs and not quantified:
            return None  # committed to an aim or a value, not a deliverable
        if trigger.remains and not quantified and lemma in cues.activity_verbs:
            return "ongoing"  # "remains committed to developing a Protect Duty": under way
    if lemma in cues.continuation_verbs and any(t.lower_ == "until" for t in action.subtree):
        return "ongoing"  # "will run until 31 March 2021"
    return conditional_or(trigger, action, sent, "firm", cues)


def explicit_self(trigger: Trigger, cues: Cues) -> bool:
    subject = find_subject(trigger.head)
    return subject is not None and (subject.lower_ in cues.self_subjects or subject.lemma_.lower() in cues.self_subjects)


def is_deed(action: Token, cues: Cues) -> bool:
    lemma = action.lemma_.lower()
    particles = {c.lower_ for c in action.children if c.dep_ in {"prt", "advmod"}}
    if lemma in cues.particle_deeds:
        return bool(particles & cues.particle_deeds[lemma])
    if lemma in cues.vague_verbs:
        return False
    if lemma in cues.object_dependent_verbs:
        obj = next((c for c in action.children if c.dep_ in {"dobj", "nsubjpass"}), None)
        return obj is None or obj.lemma_.lower() not in cues.vague_objects
    return True


def conditional_or(trigger: Trigger, action: Token, sent: Span, kind: str, cues: Cues) -> str:
    if cues.sentence_condition.search(sent.text):
        return "conditional"
    for token in (trigger.head, action):
        for child in token.children:
            if child.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in cues.condition_markers for m in child.children):
                return "conditional"
            if child.dep_ == "advcl" and child.lemma_ in {"arise", "occur", "emerge"}:
                return "conditional"  # "will discuss any concerns as they arise"
            if child.lower_ == "subject" and any(g.lower_ == "to" for g in child.children):
                return "conditional"  # "will be introduced subject to parliamentary approval"
    return kind
