"""What kind of commitment a trigger's action is (firm, conditional, ongoing, hedged,
negative), or None for no commitment at all."""

from spacy.tokens import Span, Token

from extract.spans import deadline_for
from extract.subjects import find_subject
from extract.tables import Cues
from extract.triggers import Trigger, is_commit, sought_thing

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
    if trigger.hedged or trigger.modal_hedge or (lemma in cues.hedge_lemmas and not sought_thing(action)):
        return "hedged"
    if any(c.dep_ in {"nsubjpass", "dobj"} and c.lemma_.lower() == "consideration" for c in action.children):
        return "hedged"  # "further consideration will be given to this": the guideline's "will consider"
    if trigger.ongoing:
        return None if lemma in cues.not_ongoing_verbs else "ongoing"
    if trigger.state:
        if any(t.lower_ == "until" for t in trigger.head.subtree):
            return "ongoing"  # "will be in place until 31 March 2025": kept going, not a new deed
        return conditional_or(trigger, action, sent, "firm", cues)
    if action.ent_type_ == "MONEY" or (action.pos_ == "NOUN" and trigger.head != action):
        return "firm"  # money pledged: whether it was paid can be checked
    if is_commit(action):
        return "firm"  # "has committed £20 million to ..."
    if spent_sum(action):
        return conditional_or(trigger, action, sent, "firm", cues)  # "£1 million of the funding will support X"
    if lemma == "ensure" and not trigger.committed:
        # "we will ensure that the House is updated": the deed is the one ensured, when it is one
        done = next((c for c in action.children if c.dep_ == "ccomp" and any(g.dep_ == "auxpass" for g in c.children)), None)
        if done is not None and is_deed(done, cues) and done.lemma_.lower() not in cues.hedge_lemmas:
            return conditional_or(trigger, action, sent, "firm", cues)
    adjectival_verb = action.tag_ == "JJ" and any(c.lower_ == "to" for c in action.children)  # "us to correct"
    if (action.pos_ != "VERB" and not adjectival_verb) or not is_deed(action, cues):
        return None
    if nothing_named(action, sent, cues):
        return None  # "Announcements will be made in the usual way": a formula, nothing to check
    if effect_of_a_thing(trigger, action, owner, cues):
        return None  # "This will raise revenue": a forecast effect, not a deed anyone does
    if any(c.dep_ == "auxpass" for c in action.children) and any(c.lower_ == "already" for c in action.children):
        return None  # "many businesses will already be registered": a state, not a deed
    if trigger.committed:
        deadline = deadline_for(action, trigger)
        quantified = deadline is not None or any(t.ent_type_ in _NUMBERED for t in action.subtree)
        obj = next((c for c in action.children if c.dep_ == "dobj"), None)
        # "committed to delivering a new Road Safety Strategy": the deliverable is named
        deliverable = obj is not None and obj.lemma_.lower() in cues.programme_markers and (
            obj.pos_ == "PROPN" or any(c.dep_ == "det" and c.lower_ in {"a", "an"} for c in obj.children))
        if lemma in cues.aim_verbs and not quantified and not deliverable:
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
    if lemma == "make" and any(c.dep_ in {"ccomp", "oprd", "xcomp"} and (c.lower_ == "sure" or any(
            g.dep_ == "nsubj" and g.lower_ == "it" for g in c.children)) for c in action.children):
        return False  # "make it easier for people to", "make sure": an aim, no deed named
    particles = {c.lower_ for c in action.children if c.dep_ in {"prt", "advmod"}}
    if lemma in cues.particle_deeds:
        return bool(particles & cues.particle_deeds[lemma])
    if lemma in cues.purpose_lemmas and action.tag_ in {"VB", "VBG"} and any(
            c.dep_ == "aux" and c.lower_ in cues.future_modals for c in action.children) and any(
            c.dep_ == "prep" and c.lower_ == "with" and any(g.dep_ == "pobj" for g in c.children) for c in action.children):
        return True  # "we will work closely with the sector on X": the engagement itself is checkable
    if sought_thing(action):  # "seek the approval of each House"; "seeking clarity" names no deed
        return not any(c.dep_ == "dobj" and c.lemma_.lower() in cues.vague_objects for c in action.children)
    if lemma in cues.vague_verbs:
        return False
    if lemma in cues.object_dependent_verbs:
        obj = next((c for c in action.children if c.dep_ in {"dobj", "nsubjpass"}), None)
        return obj is None or obj.lemma_.lower() not in cues.vague_objects
    return True


def nothing_named(action: Token, sent: Span, cues: Cues) -> bool:
    """'Any changes will be announced in the normal way', 'Further details will be set out shortly'
    opening an answer: an announcement of nothing named, or a routine ('in the usual way'), is no
    promise. 'Further details will be announced in due course' after a sentence that names the
    scheme is one: the guideline reads the sentence before."""
    subject = next((c for c in action.children if c.dep_ == "nsubjpass"), None)
    if subject is None or subject.lemma_.lower() not in cues.announcement_nouns:
        return False
    if any(c.lower_ == "way" and any(g.lower_ in {"usual", "normal", "customary", "standard"} for g in c.children)
           for prep in action.children if prep.dep_ == "prep" for c in prep.children):
        return True  # "details of engagements will be announced in the usual way": a routine
    if any(c.dep_ in {"prep", "acl", "relcl", "compound", "poss"} for c in subject.children):
        return False  # "details of the new scheme will be set out" names what they are about
    if any(c.dep_ == "det" and c.lower_ == "any" for c in subject.children):
        return True  # "any changes will be announced": none may come
    # Named before, in this sentence or the one before ("The framework is being finalised and a
    # final update will be provided"), the update is about that; opening the answer, about nothing.
    before = sent.doc[sent.start: subject.left_edge.i]
    named_here = any(t.pos_ in {"NOUN", "PROPN"} and t.lemma_.lower() not in cues.announcement_nouns | {"way"}
                     for t in before)
    return not named_here and not sent.doc[:sent.start].text.strip()


def spent_sum(action: Token) -> bool:
    """A sum of money is the subject of the deed: "£5 million will go to", "£1 million will support"."""
    subject = next((c for c in action.children if c.dep_ == "nsubj"), None)
    return action.pos_ == "VERB" and subject is not None and any(t.ent_type_ == "MONEY" for t in subject.subtree)


def effect_of_a_thing(trigger: Trigger, action: Token, owner, cues: Cues) -> bool:
    """'The new approach will benefit patients': the subject is a thing, neither a body nor the
    speaker's voice, and the verb names what it will bring about, not something done."""
    if action.lemma_.lower() not in cues.effect_verbs or owner or any(c.dep_ == "auxpass" for c in action.children):
        return False
    subject = find_subject(action) or find_subject(trigger.head)
    if subject is None:
        return False
    if subject.lower_ in cues.self_subjects or subject.lemma_.lower() in cues.self_subjects:
        return False
    # "£1 million of the funding will support X" is money pledged; a person or an organisation acts.
    return subject.ent_type_ not in {"MONEY", "PERSON", "ORG"} and not (subject.pos_ == "PRON" and subject.lower_ not in
                                                                       {"it", "this", "these", "that", "which", "they"})


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
