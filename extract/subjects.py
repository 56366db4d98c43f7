"""Who speaks: the owner a trigger's subject names (a body, the speaker's own voice, or
an outsider), and the body whose voice a sentence is."""

from spacy.tokens import Doc, Span, Token

from common.gazetteer import Gazetteer
from extract.deadlines import find_deadline
from extract.tables import Cues
from extract.triggers import Trigger


def subject_owner(trigger: Trigger, cues: Cues, gazetteer: Gazetteer) -> str | None | bool:
    """Canonical owner named by the subject; None for the speaking body; False for outsiders.
    A deed with no doer named ("The first release will be on 27 October", "The figures will be
    in table 2") in an answer belongs to the body the answer is talking about, if not the speaker."""
    owner = named_subject_owner(trigger, cues, gazetteer)
    if owner is not None or not (trigger.head.doc._.meta or {}).get("body"):
        return owner
    subject = find_subject(trigger.head)
    if subject is not None and (subject.lower_ in cues.self_subjects or subject.lemma_.lower() in cues.self_subjects
                                or subject.lower_ in {"i", "we", "us", "our"}):
        return None
    sent = trigger.head.sent
    return topic_body(trigger.head.doc, sent, cues, gazetteer, None)


def named_subject_owner(trigger: Trigger, cues: Cues, gazetteer: Gazetteer) -> str | None | bool:
    """Canonical owner named by the subject; None for the speaking body; False for outsiders."""
    if reported_by_outsider(trigger.head, cues, gazetteer):
        return False
    if trigger.state:
        return None  # "X will be available": the speaking body makes it so
    action = trigger.action
    if any(c.dep_ == "auxpass" for c in action.children) and trigger.head == action:
        agent = next((c for c in action.children if c.dep_ == "agent" and not is_time(c)), None)
        body = agent and next((g for g in agent.children if g.dep_ == "pobj"), None)
        return name_owner(body, cues, gazetteer) if body is not None else None  # the patient is not the actor
    possessor = commitment_possessor(trigger, cues)
    if possessor is not None:
        return name_owner(possessor, cues, gazetteer)  # "the Chancellor set out this Government's commitment to X"
    subject = find_subject(trigger.head)
    if subject is None:
        return None
    if subject.lower_ in cues.relative_pronouns and subject.head.dep_ == "relcl":
        antecedent = subject.head.head
        # "supporting HM Treasury, which will deliver the tax changes": a body named acts itself
        named = name_owner(antecedent, cues, gazetteer) if antecedent.pos_ == "PROPN" else None
        if isinstance(named, str):
            return named
        # "the NHS has developed models which will operate": the body that made them acts
        maker = next((c for c in antecedent.head.children if c.dep_ == "nsubj"), None) if antecedent.dep_ == "dobj" else None
        owner = name_owner(maker, cues, gazetteer) if maker is not None else None
        return owner or None
    if action.lemma_ in cues.receiving_verbs and (subject.lower_ in {"everyone", "everybody", "all"} or
                                                  subject.lemma_.lower() in cues.outside_government_nouns):
        # "Everyone will receive a letter", "Claimants will get a payment": people receiving a
        # service are not its authors; the body giving it acts.
        return None if not found_foreign(subject_phrase(subject), cues) else False
    return name_owner(subject, cues, gazetteer)


def commitment_possessor(trigger: Trigger, cues: Cues) -> Token | None:
    """Whose commitment a nominal one is ("this Government's commitment to reducing X",
    "Israel's plans to ..."): the possessor, not the one who reports it, owns it."""
    token = trigger.action
    while token != trigger.head and token.head != token:
        token = token.head
        if token.pos_ == "NOUN" and token.lemma_.lower() in cues.intent_nouns:
            return next((c for c in token.children if c.dep_ == "poss" and c.pos_ != "PRON"), None)
    return None


def is_time(agent: Token) -> bool:
    """A passive's "by" phrase that is a deadline, not a doer: "will be published by 02/03/2021"."""
    phrase = agent.doc[agent.left_edge.i: agent.right_edge.i + 1].text
    found = find_deadline(phrase)
    return found is not None and found[1] == 0 and found[2] == len(phrase)


def name_owner(subject: Token, cues: Cues, gazetteer: Gazetteer) -> str | None | bool:
    """Who the subject phrase names: a body (canonical), None for the speaker's own voice, False for outsiders."""
    phrase = subject_phrase(subject)
    name = proper_name(phrase, cues)
    found = gazetteer.find(phrase.text)
    if found and not (name and len(name) > found[0][1] - found[0][0] and name.split()[-1].lower() in cues.public_body_markers):
        return found[0][2]  # ... unless the body is only part of a longer name ("... NHS Foundation Trust")
    if name and name.lower() not in cues.self_subjects:
        last = name.split()[-1].lower()
        if last in cues.programme_markers and last not in cues.public_body_markers:
            return None  # a named programme speaks for its department
        if last in cues.public_body_markers and len(name.split()) > 1 and not found_foreign(phrase, cues):
            return canonical_body(name, gazetteer)  # a named public body owns its own deeds
    lower, lemma = subject.lower_, subject.lemma_.lower()
    if any(t.lower_ in {"you", "your", "yours"} for t in phrase):
        return False  # "your email address will not be published": addressed to the reader
    if lower in cues.self_subjects or lemma in cues.self_subjects:
        return False if found_foreign(phrase, cues) else None
    if subject.pos_ == "PRON":
        return None if lower in {"it", "this", "these", "there", "which", "that"} else False
    if found_foreign(phrase, cues):
        return False
    if any(t.lower_ in {"our", "my"} for t in phrase):
        return None  # "our accommodation providers", "diplomats at our embassy": the speaker's own people
    if lower in cues.outside_government_nouns or lemma in cues.outside_government_nouns:
        return False
    if subject.ent_type_ in {"GPE", "NORP"}:
        entity = next((e for e in subject.doc.ents if e.start <= subject.i < e.end), subject.doc[subject.i: subject.i + 1])
        return None if home_place(entity, cues) else False  # "The UK will ...", "The United Kingdom will ..."
    if subject.ent_type_ == "PERSON" or any(t.lower_ in cues.company_markers for t in phrase):
        return False  # a person's own plans, a company acting for itself ("Acme Ltd will ...")
    # Any other named organisation in a government answer is presumed public (a unit, a
    # taskforce, a fund, a study): it acts for the speaking body unless the gazetteer knows it.
    return None


def subject_phrase(subject: Token) -> Span:
    return subject.doc[subject.left_edge.i: subject.right_edge.i + 1]


def home_place(span: Span, cues: Cues) -> bool:
    """'the UK', 'the United Kingdom', 'British': the speaker's own country."""
    text = span.text.lower()
    return text.removeprefix("the ").strip() in cues.home_places


def proper_name(phrase: Span, cues: Cues) -> str | None:
    """The name in a subject phrase: a run of proper nouns ('Tavistock and Portman NHS
    Foundation Trust', 'National Leisure Recovery Fund'), or None."""
    runs, run = [], []
    for token in phrase:
        joins_names = token.text == "," and token.i + 1 < phrase.end and phrase.doc[token.i + 1].pos_ == "PROPN"
        if token.pos_ == "PROPN" or (run and (token.lower_ in {"and", "of", "for", "&"} or joins_names)) or \
                (run and token.lower_ in cues.public_body_markers | cues.programme_markers):
            run.append(token)
        else:
            if run:
                runs.append(run)
            run = []
    if run:
        runs.append(run)
    for run in runs:
        while run and run[-1].lower_ in {"and", "of", "for", "&"}:
            run.pop()
    runs = [r for r in runs if r and any(t.pos_ == "PROPN" for t in r)]
    if not runs:
        return None
    best = max(runs, key=len)
    return phrase.doc[best[0].i: best[-1].i + 1].text


def found_foreign(phrase: Span, cues: Cues) -> bool:
    """'Israel's actions', 'the Scottish Government', 'the European Commission': not the UK Government."""
    root = phrase.root

    def names_the_subject(span: Span) -> bool:
        # "France", "the French Government", "Israel's actions": the place is the subject or
        # qualifies it; "the publication of Afghan resettlement data" is the UK's own
        head = span.root.head
        return span.start <= root.i < span.end or head == root or (head.head == root and head.dep_ == "compound")

    if any(t.lower_ in cues.devolved_places and names_the_subject(phrase.doc[t.i: t.i + 1]) for t in phrase):
        return True  # "the Scottish Government", "Welsh Ministers": devolved, not the UK Government
    for ent in phrase.ents:
        if ent.label_ in {"GPE", "NORP"} and not home_place(ent, cues) and names_the_subject(ent):
            return True
        if ent.label_ == "ORG" and ent.text.lower().startswith(("eu", "european", "the european", "un ", "the un")):
            return True
        if ent.label_ == "ORG" and names_the_subject(ent) and root.lemma_.lower() in {"government", "administration"} and \
                any(c.dep_ == "amod" and c.text[:1].isupper() and not home_place(phrase.doc[c.i: c.i + 1], cues)
                    and c.lower_ not in {"labour", "conservative", "coalition", "liberal"} for c in root.children):
            return True  # "the French Government" (tagged as one organisation, not as a nationality)
    return any(t.lower_ in {"its", "their"} and t.dep_ == "poss" and t.head == phrase.root for t in phrase) and \
        any(e.label_ in {"GPE", "NORP"} for e in phrase.doc.ents if e.end <= phrase.start and phrase.start - e.end < 20)


def find_subject(head: Token) -> Token | None:
    token = head
    for _ in range(6):
        subjects = [c for c in token.children if c.dep_ in {"nsubj", "nsubjpass", "expl"}]
        if subjects:
            # "GCSE, AS and A level exams will not go ahead": prefer the common noun head
            return next((s for s in reversed(subjects) if s.pos_ == "NOUN"), subjects[0])
        if token.dep_ in {"xcomp", "conj", "acl", "pcomp", "prep", "dobj", "pobj", "acomp", "advcl"} and token.head != token:
            token = token.head
        else:
            return None
    return None


def reported_by_outsider(head: Token, cues: Cues, gazetteer: Gazetteer) -> bool:
    """'The European Commission has confirmed that UK nationals will be treated as ...'."""
    token = head
    for _ in range(4):
        if token.dep_ != "ccomp":
            token = token.head if token.dep_ in {"conj", "xcomp"} else token
            if token.dep_ != "ccomp":
                return False
        reporter = token.head
        if reporter.lemma_ in cues.reporting_verbs:
            subject = find_subject(reporter)
            # "He said", "Earl Howe said": a person is the speaker, not an outsider;
            # "the European Commission has confirmed" is an outsider.
            if subject is not None and subject.pos_ != "PRON" and subject.ent_type_ != "PERSON":
                return name_owner(subject, cues, gazetteer) is False
        token = reporter
    return False


def topic_body(doc: Doc, sent: Span, cues: Cues, gazetteer: Gazetteer, speaker: str | None,
               window: int = 10) -> str | None:
    """The public body the answer is talking about when a sentence names no doer: "The Student
    Loans Company will release figures. The first release will be on 27 October." The nearest
    earlier sentence whose subject names a body other than the speaker, within `window`
    sentences (list items and table cells without a verb not counted) and unless the speaker's
    own voice ("we", "the Department") came back in between."""
    before = [s for s in doc.sents if s.end <= sent.start and any(t.pos_ in {"VERB", "AUX"} for t in s)][-window:]
    for previous in reversed(before):
        subject = next((c for c in previous.root.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if subject is None:
            continue
        if subject.lower_ in cues.self_subjects or subject.lemma_.lower() in cues.self_subjects:
            return None  # "We will ...": the speaker speaks for itself again
        owner = name_owner(subject, cues, gazetteer)
        if isinstance(owner, str) and owner != speaker:
            return owner
    return None


def bodies_named(doc: Doc, gazetteer: Gazetteer) -> list[tuple[int, int, str]]:
    """Every body the text names, found once per document."""
    if "bodies" not in doc.user_data:
        doc.user_data["bodies"] = gazetteer.find(doc.text)
    return doc.user_data["bodies"]


# Sources in which a minister answers for the Government: a promise in the speaker's own voice
# ("we", "the Government", an agentless passive) is the Government's when no department is named.
MINISTERS_VOICE = {"written_question", "written_statement", "hansard_written_answer", "hansard_written_statement"}
WHOLE_GOVERNMENT = "HM Government"


def speaking_owner(doc: Doc, sent: Span, meta: dict, gazetteer: Gazetteer) -> str | None:
    """The body whose voice this is: the metadata's; for a minister's answer or statement whose
    department the source does not record (ParlParse's Lords answers), the Government as a whole;
    else the nearest body the text names before it."""
    if meta.get("body"):
        return canonical_body(meta["body"], gazetteer)
    if meta.get("source") in MINISTERS_VOICE:
        return WHOLE_GOVERNMENT
    named = bodies_named(doc, gazetteer)
    before = [owner for start, _end, owner in named if start < sent.end_char]
    # A headline names its body only further down.
    return before[-1] if before else (named[0][2] if named else None)


def canonical_body(name: str, gazetteer: Gazetteer) -> str:
    """Canonical form of a body's name; an unknown body keeps its own name."""
    return gazetteer.canonical_name(name) or name.strip()
