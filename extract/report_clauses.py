"""Report clauses: where a sentence says a deed was done (delivered), is under way
(progress), was put back to a later date (delayed) or given up (dropped), read from the
parse: the clause's tense (past, present perfect, a passive, a progressive), its
modality and negation, and the verb and object that name the deed.

Only assertions count: a question, a hypothetical ("if we had published"), a clause
under "whether" or "hopes that", and anything under a modal ("will publish", "would
have published") report nothing; those are promises or guesses.
"""

from dataclasses import dataclass

from spacy.tokens import Span, Token

from extract.deadlines import find_deadline
from extract.spans import action_span
from extract.subjects import find_subject
from extract.tables import EventCues

EVENTS = ("delivered", "progress", "delayed", "dropped")
# The verb a report names when the sentence names the thing but not what was to be done with it
# ("the strategy has been delayed"): an action still starts with a verb, as a promise's does.
GENERIC_VERB = "deliver"

_PRESENT = {"VBZ", "VBP"}
_PRONOUN_OBJECTS = {"it", "this", "that", "these", "those", "them", "which", "what", "who", "one", "all", "both"}
_FIRST_PERSON = {"we", "i", "us"}
_QUANTIFIERS = {"some", "many", "most", "all", "part", "parts", "half", "each", "several", "majority", "number", "none",
                "one", "two", "three", "four", "five"}


@dataclass
class Report:
    """One report found in a sentence: what kind, the deed (verb, object, action with its
    characters), and the clause verb that carries its tense, owner and date."""

    event: str
    verb: str
    object: str
    action: str
    action_start: int
    action_end: int
    head: Token
    deed: Token | None = None
    new_deadline: tuple[str, int, int] | None = None
    partial: bool = False
    # The clause's subject is the deed's object ("the regime came into force", "work is under
    # way"), not its doer.
    thing: bool = False


# -- the clause: tense, modality, negation, assertion -------------------------------------------

def auxiliaries(verb: Token) -> list[Token]:
    """The verb's auxiliaries; a conjunct without its own ("have published X and launched Y")
    shares its head's."""
    own = [c for c in verb.children if c.dep_ in {"aux", "auxpass"}]
    if own or verb.dep_ != "conj" or any(c.dep_ in {"nsubj", "nsubjpass"} for c in verb.children):
        return own
    return auxiliaries(verb.head)


def modal(verb: Token) -> Token | None:
    return next((a for a in auxiliaries(verb) if a.tag_ == "MD"), None)


def passive(verb: Token) -> bool:
    return any(c.dep_ in {"auxpass", "nsubjpass"} for c in verb.children)


def tense(verb: Token) -> str | None:
    """'past' (launched, was launched, had launched), 'perfect' (have launched, has been
    launched), 'present_passive' (is published), 'progressive' (are analysing, is being
    updated), 'present' (is, closes), 'modal' (will, would, could ...), or None."""
    auxes = auxiliaries(verb)
    if any(a.tag_ == "MD" for a in auxes):
        return "modal"
    if any(a.lower_ == "to" for a in auxes):
        return None  # an infinitive reports nothing by itself
    have = next((a for a in auxes if a.lemma_ == "have"), None)
    be = [a for a in auxes if a.lemma_ == "be"]
    if verb.tag_ in {"VBN", "VBD"}:
        if have is not None:
            return "perfect" if have.tag_ in _PRESENT else "past"
        if any(a.lower_ == "being" for a in be):
            return "progressive" if any(a.tag_ in _PRESENT for a in be) else None
        if be:
            return "present_passive" if any(a.tag_ in _PRESENT for a in be) else "past"
        return "past" if verb.tag_ == "VBD" else None
    if verb.tag_ == "VBG":
        return "progressive" if any(a.tag_ in _PRESENT for a in be) else None
    if verb.tag_ in _PRESENT and not auxes:
        return "present"
    return None


def negated(verb: Token) -> bool:
    """'has not published', 'has never published', and 'no schemes were cancelled', 'published nothing'."""
    for child in verb.children:
        if child.dep_ == "neg" or (child.lower_ in {"never", "yet"} and child.dep_ == "advmod"):
            return True
        if child.dep_ in {"nsubj", "nsubjpass", "dobj"} and (
                child.lower_ in {"none", "nothing", "nobody", "neither"}
                or any(g.lower_ in {"no", "neither"} and g.dep_ in {"det", "neg", "preconj"} for g in child.children)):
            return True
    return False


def no_longer(verb: Token) -> bool:
    return any(c.lower_ == "longer" and any(g.lower_ == "no" for g in c.children) for c in verb.children)


def asserted(verb: Token, cues: EventCues) -> bool:
    """A main clause, a conjunct of one, or a clause reported as fact ("the Minister said
    that ..."); not a relative, adverbial or conditional clause, a question or a wish."""
    token = verb
    for _ in range(8):
        if any(c.dep_ == "mark" and c.lower_ in cues.hypothetical_marks for c in token.children):
            return False
        if inverted(token):
            return False  # "Has the Government published ...", "Had we known ..."
        if token.dep_ == "ROOT":
            return True
        if token.dep_ == "conj":
            token = token.head
            continue
        if token.dep_ in {"ccomp", "parataxis"}:
            if token.head.lemma_ in cues.non_assertive_heads or modal(token.head) is not None \
                    or any(c.dep_ == "neg" for c in token.head.children):
                return False  # "asked whether", "will confirm that", "do not know whether"
            token = token.head
            continue
        return False
    return False


def inverted(verb: Token) -> bool:
    subject = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    return subject is not None and any(c.dep_ in {"aux", "auxpass"} and c.i < subject.i for c in verb.children)


# -- the words that name the deed ----------------------------------------------------------------

def phrase(token: Token) -> tuple[str, int, int]:
    """A noun phrase without the clauses hung on it, at any depth ("its response to the
    consultation, which closed in March" -> "its response to the consultation"):
    (text, start char, end char)."""
    doc = token.doc
    dropped: set[int] = set()
    for child in token.subtree:
        infinitival = any(g.lower_ == "to" and g.dep_ == "aux" for g in child.children)
        if child != token and (child.dep_ in {"relcl", "appos", "advcl", "parataxis"}
                               or (child.dep_ == "acl" and not infinitival)
                               or (child.dep_ == "punct" and child.tag_ != "HYPH" and child.i > token.i)):
            dropped |= {t.i for t in child.subtree}
    start, end = token.left_edge.i, token.i
    while end + 1 <= token.right_edge.i and end + 1 not in dropped:
        end += 1
    while end > start and (doc[end].is_punct or doc[end].dep_ == "cc"):
        end -= 1
    span = doc[start: end + 1]
    text = span.text
    first = span[0]
    if first.tag_ == "DT" or (first.is_stop and not first.ent_type_) or (first.is_sent_start and first.tag_ in {"NN", "NNS"}):
        # "The guidance", "Regulations were laid": a capital only because the sentence starts there
        text = span[0].lower_ + text[len(span[0].text):]
    return text, span.start_char, span.end_char


def particles(verb: Token, cues: EventCues) -> list[Token]:
    allowed = cues.particle_deeds.get(verb.lemma_.lower(), frozenset()) | cues.delay_particles.get(verb.lemma_.lower(), frozenset())
    return [c for c in verb.children if c.dep_ == "prt" or (c.dep_ == "advmod" and c.lower_ in allowed and c.i > verb.i)]


def verb_phrase(verb: Token, cues: EventCues) -> str:
    return " ".join([verb.lemma_.lower(), *(p.lower_ for p in particles(verb, cues))])


def deed_object(verb: Token) -> Token | None:
    """The deed's object: the subject of a passive, else the direct object, else what a
    prepositional verb takes ("consulted on X", "proceed with X")."""
    if passive(verb):
        return next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    if obj is not None:
        return obj
    prep = next((c for c in verb.children if c.dep_ == "prep" and c.i > verb.i and c.lower_ in {"on", "with", "to"}), None)
    return next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None


def deed_report(event: str, head: Token, deed: Token, cues: EventCues, verb: str | None = None,
                exclude: tuple[int, int] | None = None) -> Report:
    """A report whose deed is a verb of the sentence: 'launched the consultation on X' ->
    verb 'launch', object 'the consultation on X', action 'launch the consultation on X'.
    A passive names its subject ("the guidance was published" -> 'publish the guidance')."""
    doc = deed.doc
    _text, start, end = action_span(deed, None, exclude)
    parts = particles(deed, cues)
    tail = [t for t in doc[deed.i + 1:] if t.idx < end and t not in parts]
    tail_text = "".join(t.text_with_ws for t in tail).strip()
    obj = deed_object(deed)
    object_text = phrase(obj)[0] if obj is not None else ""
    words = [deed.lemma_.lower(), *(p.lower_ for p in parts)]
    if obj is not None and obj.dep_ == "nsubjpass":
        words.append(object_text)  # the span stays the verb's, as a passive mention's does
    action = " ".join(w for w in (*words, tail_text) if w)
    return Report(event, verb or verb_phrase(deed, cues), object_text, action, start, end, head, deed)


def noun_report(event: str, head: Token, noun: Token, cues: EventCues) -> Report:
    """A report whose deed is named by a noun: 'publication of the strategy' -> publish the
    strategy; 'the scheme' -> deliver the scheme; 'plans to introduce a levy' -> introduce a levy."""
    lemma = noun.lemma_.lower()
    if lemma in cues.restatement_nouns:
        clause = next((c for c in noun.children if c.dep_ in {"acl", "relcl"} and c.pos_ == "VERB"
                       and any(g.lower_ == "to" for g in c.children)), None)
        if clause is not None:
            return deed_report(event, head, clause, cues)
    of = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    target = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
    if lemma in cues.nominalisations:
        verb = cues.nominalisations[lemma]
        if target is not None:
            text, start, end = phrase(target)
            return Report(event, verb, text, f"{verb} {text}", phrase(noun)[1], end, head)
        _text, start, end = phrase(noun)
        return Report(event, verb, "", verb, start, end, head)
    text, start, end = phrase(noun)
    return Report(event, GENERIC_VERB, text, f"{GENERIC_VERB} {text}", start, end, head)


def thing_report(event: str, head: Token, thing: Token, verb: str) -> Report:
    """'The regime came into force' -> bring the regime into force: the subject is the object."""
    text, start, end = phrase(thing)
    first, _, rest = verb.partition(" ")
    if rest.startswith(("into ", "in ")):
        action = f"{first} {text} {rest}"  # "bring the regime into force", "put the scheme in place"
    else:
        action = f"{verb} {text}"
    return Report(event, verb, text, action, start, max(end, head.idx + len(head.text)), head, thing=True)


def usable_object(obj: Token | None, verb: Token, cues: EventCues) -> bool:
    if obj is None:
        return verb.lemma_.lower() in cues.intransitive_deeds
    if housekeeping(verb, obj, cues):
        return False
    obj = quantified(obj)
    lemma = obj.lemma_.lower()
    if obj.lower_ in _PRONOUN_OBJECTS or obj.pos_ == "PRON" or lemma in cues.vague_objects:
        return False
    allowed = cues.object_deeds.get(verb.lemma_.lower())
    return not allowed or lemma in allowed


def housekeeping(verb: Token, obj: Token, cues: EventCues) -> bool:
    """'data have been provided', 'responded to the hon. Member's letter': the answer's own business."""
    if any(c.lower_ == "following" and c.dep_ == "amod" for c in obj.children):
        return True  # "has made the following Written Ministerial Statement"
    return verb.lemma_.lower() in cues.housekeeping_verbs and \
        {obj.lemma_.lower(), quantified(obj).lemma_.lower()} & cues.housekeeping_objects != set()


def quantified(obj: Token) -> Token:
    """'some of the recommendations' is about the recommendations."""
    if obj.lower_ in _QUANTIFIERS:
        of = next((c for c in obj.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        noun = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        if noun is not None:
            return noun
    return obj


def subject_of(verb: Token) -> Token | None:
    return find_subject(verb)


def first_person(token: Token | None) -> bool:
    return token is not None and token.lower_ in _FIRST_PERSON


def has_today(verb: Token) -> bool:
    return any(c.lower_ == "today" and c.dep_ in {"npadvmod", "advmod"} for c in verb.children)


def deadline_after(verb: Token) -> tuple[str, int, int] | None:
    """The new date a delay names, in the words after its verb ("delayed until 2024")."""
    doc = verb.doc
    region = doc[verb.i: max(verb.right_edge.i, verb.i) + 1]
    found = find_deadline(region.text)
    if found:
        return found[0], region.start_char + found[1], region.start_char + found[2]
    return None


# -- the readers, one per event ------------------------------------------------------------------

def read_dropped(verb: Token, cues: EventCues) -> Report | None:
    lemma, time = verb.lemma_.lower(), tense(verb)
    if no_longer(verb):
        # "no longer intends to introduce X", "will no longer introduce X", "no longer proceeding with X"
        target = xcomp(verb) if lemma in cues.intent_verbs else None
        if target is not None:
            # "no longer intends to introduce X"; not "costs we no longer expect to arise"
            return deed_report("dropped", verb, target, cues) if target.lemma_.lower() in cues.deed_verbs else None
        if lemma in cues.deed_verbs | cues.intent_verbs and usable_object(deed_object(verb), verb, cues):
            return deed_report("dropped", verb, verb, cues)
        return None
    if time in {None, "modal", "present"}:
        return None
    if lemma in cues.decision_verbs and time in {"past", "perfect"} and not negated(verb):
        target = xcomp(verb)
        if target is not None and (negated(target) or any(t.lower_ == "not" for t in verb.doc[verb.i + 1: target.i])):
            return deed_report("dropped", verb, target, cues)  # "has decided not to proceed with X"
        against = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ == "against"), None)
        if against is not None:  # "decided against introducing a levy"
            gerund = next((c for c in against.children if c.dep_ == "pcomp" and c.tag_ == "VBG"), None)
            if gerund is not None:
                return deed_report("dropped", verb, gerund, cues)
            noun = next((c for c in against.children if c.dep_ == "pobj"), None)
            return noun_report("dropped", verb, noun, cues) if noun is not None else None
        return None
    if negated(verb) and time == "progressive" and lemma in cues.drop_progressives:
        needed = cues.drop_progressives[lemma]
        if not needed or {p.lower_ for p in particles(verb, cues)} | {c.lower_ for c in verb.children} & needed:
            return deed_report("dropped", verb, verb, cues)  # "we are not taking forward X"
        return None
    if negated(verb):
        return None
    pause = lemma in cues.pause_verbs and any(t.lower_ in cues.indefinite_words for t in verb.subtree)
    on_hold = lemma == "put" and any(c.lower_ == "on" and any(g.lower_ == "hold" for g in c.children) for c in verb.children)
    if lemma in cues.drop_verbs or pause or on_hold:
        obj = deed_object(verb)
        if obj is None or obj.lower_ in _PRONOUN_OBJECTS or obj.pos_ == "PRON":
            return None
        return noun_report("dropped", verb, obj, cues)
    return None


def read_delayed(verb: Token, sent: Span, cues: EventCues) -> Report | None:
    lemma, time = verb.lemma_.lower(), tense(verb)
    if negated(verb):
        return None
    delay_particle = lemma in cues.delay_particles and {p.lower_ for p in particles(verb, cues)} & cues.delay_particles[lemma]
    if (lemma in cues.delay_verbs or delay_particle) and time in {"past", "perfect", "present_passive", "progressive"}:
        gerund = next((c for c in verb.children if c.dep_ in {"xcomp", "dobj"} and c.tag_ == "VBG"), None)
        obj = deed_object(verb) if gerund is None else None
        if gerund is not None:
            report = deed_report("delayed", verb, gerund, cues)
        elif obj is not None and obj.lower_ not in _PRONOUN_OBJECTS and obj.pos_ != "PRON" \
                and not housekeeping(verb, obj, cues):
            report = noun_report("delayed", verb, obj, cues)
        else:
            return None
        report.new_deadline = deadline_after(verb)
        return report
    # "we now expect to publish in the spring", "the strategy will now be published in the autumn"
    revised = any(c.lower_ == "now" and c.dep_ == "advmod" for c in verb.children) or bool(cues.revision.search(sent.text))
    if not revised:
        return None
    if lemma in cues.revision_verbs and time is not None:
        # "expects to", "is now due to", "is now expected to"
        target = xcomp(verb) or xcomp(next((c for c in verb.children if c.dep_ in {"acomp", "attr"}), None))
    elif lemma in cues.deed_verbs and time == "modal" and modal(verb).lower_ in {"will", "shall", "'ll"}:
        target = verb
    else:
        return None
    if target is None or negated(target):
        return None
    deadline = deadline_after(target)
    if deadline is None:
        return None  # a revision without a new date is no delay we can state
    report = deed_report("delayed", verb, target, cues, exclude=deadline[1:])
    report.new_deadline = deadline
    return report


def read_progress(verb: Token, cues: EventCues) -> Report | None:
    lemma, time = verb.lemma_.lower(), tense(verb)
    if negated(verb) or time in {None, "modal"}:
        return None
    subject = subject_of(verb)
    subject_lemma = subject.lemma_.lower() if subject is not None else ""
    # The Bill's stages: "had its second reading", "is before Parliament", "is going through the Lords"
    if subject_lemma in cues.bill_nouns and subject.dep_ in {"nsubj", "nsubjpass"}:
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        if obj is not None and obj.lemma_.lower() in cues.bill_stages and lemma in {"have", "pass", "complete", "begin", "start", "finish", "clear"}:
            return thing_report("progress", verb, subject, "pass")
        if obj is not None and obj.lemma_.lower() in cues.parliament_words and lemma == "pass":
            return thing_report("progress", verb, subject, "pass")  # "passed the Commons"
        place = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ in {"before", "through", "in"}
                      and any(g.lemma_.lower() in cues.parliament_words for g in c.children)), None)
        if place is not None and (lemma == "be" and time == "present" or time == "progressive"):
            return thing_report("progress", verb, subject, "pass")
    # A consultation's steps: "the consultation closed on 9 December", "opened on 1 March"
    if subject_lemma in cues.process_nouns and lemma in cues.process_steps and time in {"past", "perfect"} \
            and not any(c.dep_ in {"dobj", "ccomp"} for c in verb.children):
        event = cues.process_steps[lemma]
        return thing_report(event, verb, subject, "launch" if event == "delivered" else lemma)
    if subject_lemma in cues.process_nouns and lemma == "be" and time == "present" and \
            any(c.lower_ == "closed" and c.dep_ == "acomp" for c in verb.children):
        return thing_report("progress", verb, subject, "close")  # "the consultation is now closed"
    # Work under way: "work is under way to develop X", "work has begun on X"
    if subject_lemma in cues.work_nouns and not first_person(subject):
        clause_text = " ".join(t.lower_ for t in verb.subtree)
        underway = lemma == "be" and time == "present" and any(w in clause_text for w in cues.underway_words)
        begun = lemma in {"begin", "start", "commence", "progress", "continue"} and time in {"past", "perfect", "present", "progressive"}
        if underway or begun:
            report = work_report(verb, subject, cues)
            if report is not None:
                report.thing = True
            return report
    # "we have started to develop X", "we have begun work on X"
    if lemma in {"begin", "start", "commence"} and time in {"past", "perfect", "progressive"}:
        target = xcomp(verb) or next((c for c in verb.children if c.dep_ in {"xcomp", "dobj"} and c.tag_ == "VBG"), None)
        if target is not None and not negated(target):
            return deed_report("progress", verb, target, cues)
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        if obj is not None and obj.lemma_.lower() in cues.work_nouns:
            return work_report(verb, obj, cues)
    # "we received 500 responses"
    if lemma == "receive" and time in {"past", "perfect"}:
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        if obj is not None and obj.lemma_.lower() in cues.response_nouns:
            return deed_report("progress", verb, verb, cues)
    # "we are now analysing the responses", "the guidance is being updated"
    if time == "progressive" and lemma in cues.progress_verbs and not has_today(verb):
        if lemma in cues.particle_deeds and not {p.lower_ for p in particles(verb, cues)} & cues.particle_deeds[lemma]:
            return None
        obj = deed_object(verb)
        if lemma == "work":
            on = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ == "on"), None)
            target = next((c for c in on.children if c.dep_ == "pobj"), None) if on is not None else None
            if target is None or not usable_object(target, verb, cues):
                return None  # "working with X to Y" is the promise reader's
            text, start, end = phrase(target)
            return Report("progress", "work on", text, f"work on {text}", verb.idx, end, verb)
        if usable_object(obj, verb, cues) and not first_person(obj):
            return deed_report("progress", verb, verb, cues)
    return None


def work_report(verb: Token, work: Token, cues: EventCues) -> Report | None:
    """What the work is on or for: 'work is under way to develop X' -> develop X; 'work on the
    strategy' -> deliver the strategy. Work with nothing named reports nothing checkable."""
    for token in (verb, work):
        purpose = next((c for c in token.children if c.dep_ in {"advcl", "acl", "xcomp", "relcl"} and c.tag_ == "VB"
                        and any(g.lower_ == "to" for g in c.children)), None)
        if purpose is not None:
            if not usable_object(deed_object(purpose), purpose, cues) and deed_object(purpose) is not None:
                return None  # "to deliver on our manifesto commitments": nothing checkable
            return deed_report("progress", verb, purpose, cues)
    for token in (work, verb):
        on = next((c for c in token.children if c.dep_ == "prep" and c.lower_ in {"on", "to"}), None)
        noun = next((c for c in on.children if c.dep_ == "pobj"), None) if on is not None else None
        if noun is not None:
            if noun.lower_ in _PRONOUN_OBJECTS or noun.pos_ == "PRON" or noun.lemma_.lower() in cues.vague_objects:
                return None
            return noun_report("progress", verb, noun, cues)
    return None


def read_delivered(verb: Token, cues: EventCues) -> Report | None:
    lemma, time = verb.lemma_.lower(), tense(verb)
    if negated(verb) or time in {None, "modal"}:
        return None
    state = state_verb(verb, cues)
    if state is not None:
        subject = subject_of(verb)
        ok_time = time in {"present"} if lemma == "be" else time in {"past", "perfect"}
        if subject is not None and ok_time and subject.pos_ != "PRON" and subject.dep_ in {"nsubj", "nsubjpass"}:
            return thing_report("delivered", verb, subject, state)
        return None
    if lemma not in cues.deed_verbs:
        return None
    done = time in {"past", "perfect"} or (time in {"present_passive", "progressive"} and has_today(verb))
    if not done:
        return None
    into = into_force(verb)
    if lemma in cues.particle_deeds and into is None and \
            not {p.lower_ for p in particles(verb, cues)} & cues.particle_deeds[lemma]:
        return None  # "brought an end to", "set a target": no deed these tables name
    if lemma in {"start", "begin", "commence"} and (xcomp(verb) is not None or any(c.dep_ == "xcomp" for c in verb.children)):
        return None  # "started to develop": a step, read as progress
    obj = deed_object(verb)
    if obj is not None and obj.dep_ == "pobj" and lemma not in cues.intransitive_deeds:
        return None  # "published on the website": the prepositional object is no object of publishing
    if not usable_object(obj, verb, cues) or first_person(obj):
        return None
    report = deed_report("delivered", verb, verb, cues, verb=f"bring into {into}" if into else None)
    adverbs = " ".join(c.lower_ for c in verb.children if c.dep_ == "advmod")
    report.partial = bool(cues.partial.search(f"{report.action} {adverbs}"))  # "implemented the first phase", "partly"
    return report


def state_verb(verb: Token, cues: EventCues) -> str | None:
    """'came into force' -> 'bring into force', 'received Royal Assent' -> 'enact', 'is now live' -> 'launch'."""
    lemma = verb.lemma_.lower()
    now = any(c.lower_ == "now" for c in verb.children)
    for child in verb.children:
        if child.i < verb.i or child.dep_ not in {"prep", "dobj", "acomp", "advmod", "attr", "prt"} or child.lower_ == "now":
            continue
        words = " ".join(t.lower_ for t in child.subtree if not (t.ent_type_ == "DATE" and t.i > child.i))
        for key in ([f"{lemma} now {words}"] if now else []) + [f"{lemma} {words}"]:
            if key in cues.states:
                return cues.states[key]
    return None


def into_force(verb: Token) -> str | None:
    """'brought the regulations into force': the state the deed puts its object in."""
    if verb.lemma_.lower() != "bring":
        return None
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ == "into":
            state = next((g for g in child.children if g.lemma_.lower() in {"force", "effect", "operation"}), None)
            if state is not None:
                return state.lower_
    return None


def xcomp(token: Token | None) -> Token | None:
    if token is None:
        return None
    return next((c for c in token.children if c.dep_ == "xcomp" and c.pos_ in {"VERB", "AUX"}
                 and any(g.lower_ == "to" for g in c.children)), None)
