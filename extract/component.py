"""The `commitment_finder` spaCy component: commitment mentions in a parsed Doc.

It reads the parse rather than word lists alone: a modal and the verb it
governs, xcomp chains ("intends to", "will continue to"), nominal commitments
("commitments to launch X and implement Y"), passives, coordination (one
mention per action), negation and hedges in scope of the verb, conditions,
and the subject (bodies outside government make no government commitments).
It writes `doc._.commitments`; document metadata (`doc._.meta`: body, person,
date) resolves "we", "I" and relative deadlines.
"""

import re
from dataclasses import asdict, dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from extract import cues
from extract.deadlines import find_deadline, resolve_deadline
from common.dates import as_date
from common.kinds import KIND_ORDER, TRACKABLE
from common.gazetteer import canonical_owner, gazetteer
from extract.speakers import speaker_context

_PROCEDURAL = re.compile("|".join(cues.PROCEDURAL_PATTERNS), re.IGNORECASE)
_QUESTION = re.compile(r"^\W*to ask\b", re.IGNORECASE)
_FURNITURE = re.compile("|".join(cues.FURNITURE_PATTERNS), re.IGNORECASE)
_SENTENCE_CONDITION = re.compile("|".join(re.escape(p) for p in cues.SENTENCE_CONDITIONS), re.IGNORECASE)
_NUMBERED = {"MONEY", "PERCENT", "CARDINAL", "QUANTITY", "DATE"}

for _name in ("meta", "commitments"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


@dataclass
class Mention:
    kind: str
    sentence: str
    sentence_start: int
    sentence_end: int
    action: str
    action_start: int | None
    action_end: int | None
    owner: str | None
    person: str | None
    deadline: str | None
    deadline_text: str | None
    # In press text: True for the journalist's paraphrase, False inside a quote;
    # None where the text is the speaker's own (an answer, a turn of evidence).
    reported: bool | None = None

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Trigger:
    """Where a commitment is voiced (`head`), the deed it names (`action`) and its colour."""

    head: Token
    action: Token
    negated: bool = False
    hedged: bool = False
    ongoing: bool = False
    committed: bool = False  # "is committed to": a deed is firm, an aim is none
    remains: bool = False  # "remains committed to": an activity under way is ongoing
    modal_hedge: bool = False  # "we may", "we could": a hedge only in the speaker's own voice
    state: bool = False  # "will be available": the action is a scheduled state
    capability: bool = False  # "will be able to": a capability, not a promise


BULLETS = {"-", "•", "*", "–", "·"}
# "The Government will:" followed by a list: each item is a deed under the lead-in.
_LEAD_IN = re.compile(r"\b(?:will|shall|intends? to|plans? to|(?:is|are|remains?) committed to|commits? to|"
                      r"(?:is|are) going to)\b[^:]*:\s*$", re.IGNORECASE)
_ITEM = re.compile(r"^\s*(?:[-•*–·]|\(?[a-z0-9]{1,2}[.)])\s+")

# Parliamentary abbreviations that end in a full stop but never end a sentence.
HONORIFICS = {"hon", "Hon", "Rt", "rt", "Gov", "Cllr"}


@Language.component("text_boundaries")
def text_boundaries(doc: Doc) -> Doc:
    """Sentence boundaries the parser cannot see: a line break always ends a sentence
    (headlines, list items and page furniture carry no full stop), and 'I refer the
    hon. Member to ...' is one sentence."""
    for token in doc[:-1]:
        following = doc[token.i + 1]
        if "\n" in token.text_with_ws and not following.is_space:
            following.is_sent_start = True
        if token.text in BULLETS and (token.i == 0 or "\n" in doc[token.i - 1].text_with_ws) and not following.is_space:
            following.is_sent_start = False  # "- publish a plan" is one item
        if token.text in HONORIFICS and following.text == "." and token.i + 2 < len(doc):
            doc[token.i + 2].is_sent_start = False
        elif token.text.rstrip(".") in HONORIFICS and token.text.endswith("."):
            following.is_sent_start = False
    return doc


@Language.factory("commitment_finder", default_config={}, requires=["token.dep", "token.lemma", "token.tag"],
                  assigns=["doc._.commitments"])
def make_commitment_finder(nlp: Language, name: str):
    return CommitmentFinder()


class CommitmentFinder:
    """Stateless: everything it needs is in the Doc and its `_.meta`."""

    def __call__(self, doc: Doc) -> Doc:
        meta = doc._.meta or {}
        if meta.get("government") == 0:
            # A member's question, an outside witness, a committee's own words:
            # no government commitment can be voiced here.
            doc._.commitments = []
            return doc
        speakers: dict = {}
        mentions, lead_in = [], None
        press = not meta.get("body")  # no speaking body given: press or plain text, who speaks comes from the text
        quotes = quoted_spans(doc.text) if press else []
        for sent in doc.sents:
            sentence_meta = meta
            if not meta.get("person") or not meta.get("body"):
                # Press and evidence text: who speaks comes from the text itself.
                person, body = speaker_context(doc, sent, speakers)
                sentence_meta = {**meta, "person": meta.get("person") or person, "body": meta.get("body") or body}
            text = sent.text.strip()
            if lead_in is not None and _ITEM.match(text):
                mentions += list_item_mentions(doc, sent, sentence_meta, lead_in)
                continue
            lead_in = lead_in_of(doc, sent, sentence_meta) if _LEAD_IN.search(text) else None
            mentions += self.sentence_mentions(doc, sent, sentence_meta)
        if press:
            # In press text a commitment needs a government owner found in the text:
            # a council's or a company's plans are not the Government's.
            mentions = [m for m in mentions if m.owner or m.kind == "procedural"]
            for mention in mentions:
                anchor = mention.action_start if mention.action_start is not None else mention.sentence_start
                mention.reported = not any(start <= anchor < end for start, end in quotes)
        # Plain dicts: a Doc must serialise to cross process boundaries (nlp.pipe n_process > 1).
        doc._.commitments = [m.to_dict() for m in mentions]
        return doc

    def sentence_mentions(self, doc: Doc, sent: Span, meta: dict) -> list[Mention]:
        text = sent.text.strip()
        if not text or _QUESTION.match(text) or _FURNITURE.search(text):
            return []  # the asking member's words, and page furniture, are never commitments
        if _PROCEDURAL.search(text):
            return [make_mention(doc, sent, meta, "procedural", None, None)]
        mentions, seen = [], set()
        for trigger in find_triggers(sent):
            owner = subject_owner(trigger)
            if owner is False:
                continue  # a body outside government, or reported speech of one
            if trigger.head.dep_ == "relcl" and any(trigger.head.head in sent.doc[i].subtree for i in seen):
                continue  # "publish a strategy, which will cover adults": describes the deed already found
            for action in [trigger.action, *coordinated(trigger.action)]:
                action = purpose_target(action)
                if action.i in seen:
                    continue
                kind = kind_of(trigger, action, sent, owner)
                if kind is None:
                    continue
                seen.add(action.i)
                mentions.append(make_mention(doc, sent, meta, kind, action, owner or None, trigger))
        return mentions


_QUOTE = re.compile(r"“[^”]*”|\"[^\"\n]*\"")


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of quoted speech ("…" or “…”)."""
    return [m.span() for m in _QUOTE.finditer(text)]


# -- lists under a lead-in ---------------------------------------------------

def lead_in_of(doc: Doc, sent: Span, meta: dict) -> tuple[str, str | None]:
    """(kind, owner) that a lead-in such as "The Government will:" gives its list items."""
    text = sent.text.lower()
    if re.search(r"\bnot\b|\bno plans\b|n't\b", text):
        kind = "negative"
    elif re.search(r"\b(?:consider|explore|may|might|aim|hope|seek)\b", text):
        kind = "hedged"
    elif re.search(r"\bcontinue\b|\bremains? committed\b", text):
        kind = "ongoing"
    elif _SENTENCE_CONDITION.search(text) or re.search(r"\b(?:if|unless|subject to)\b", text):
        kind = "conditional"
    else:
        kind = "firm"
    named = gazetteer().find(sent.text)
    return kind, named[0][2] if named else speaking_owner(doc, sent, meta)


def list_item_mentions(doc: Doc, sent: Span, meta: dict, lead_in: tuple[str, str | None]) -> list[Mention]:
    kind, owner = lead_in
    words = [t for t in sent if not t.is_space and t.text not in BULLETS and not (t.i == sent.start and t.is_punct)]
    while words and (words[-1].is_punct or words[-1].lower_ in {"and", "or"}):
        words.pop()
    if not words or words[0].lemma_.lower() in cues.VAGUE_VERBS | {"the", "a", "an"}:
        return []
    first, last = words[0], words[-1]
    deadline = find_deadline(doc[first.i: last.i + 1].text)
    end = last.idx + len(last.text)
    if deadline:
        deadline_start = first.idx + deadline[1]
        end = deadline_start if deadline_start > first.idx else end
    action = (first.lemma_ + doc.text[first.idx + len(first.text): end]).strip().rstrip(",;")
    resolved = resolve_deadline(deadline[0], as_date(meta.get("date"))) if deadline else None
    sentence = sent.text.strip()
    start = sent.start_char + (len(sent.text) - len(sent.text.lstrip()))
    return [Mention(kind=kind, sentence=sentence, sentence_start=start, sentence_end=start + len(sentence),
                    action=action, action_start=first.idx,
                    action_end=first.idx + len(doc.text[first.idx:end].rstrip().rstrip(",;")),
                    owner=owner, person=meta.get("person"),
                    deadline=resolved.isoformat() if resolved else None,
                    deadline_text=deadline[0] if deadline else None)]


# -- triggers ---------------------------------------------------------------

def find_triggers(sent: Span) -> list[Trigger]:
    found: dict[int, Trigger] = {}
    for token in sent:
        trigger = trigger_at(token)
        if trigger is not None and trigger.action.i not in found:
            found[trigger.action.i] = trigger
    # "will continue to fund" triggers at "will" and at "continue": keep the
    # chain that reaches the deed, not the one that stops on the way.
    heads = {t.head.i for t in found.values() if t.head.i != t.action.i}
    return [t for i, t in sorted(found.items()) if i not in heads]


def trigger_at(token: Token) -> Trigger | None:
    lower, lemma = token.lower_, token.lemma_
    # "will publish", "shall introduce", "will be published", "we may review"
    if token.dep_ == "aux" and lower in cues.FUTURE_MODALS | cues.HEDGE_MODALS and token.head.pos_ in {"VERB", "AUX"}:
        head = token.head
        if lower in cues.HEDGE_MODALS and head.dep_ not in {"ROOT", "conj"}:
            return None  # "how the regime could work" describes; it does not promise
        trigger = follow(Trigger(head, head, modal_hedge=lower in cues.HEDGE_MODALS))
        if trigger.action.lemma_ == "be":
            return scheduled_state(trigger) or pleased_to(trigger)
        return trigger
    # "would be pleased to meet": the guideline's hedge
    if lower == "would" and token.dep_ == "aux" and token.head.lemma_ == "be":
        return pleased_to(Trigger(token.head, token.head))
    # "is committed to introducing X", "has committed £20 million", "remains committed to"
    if is_commit(token) and token.tag_ in {"VBN", "JJ", "VBD", "VBZ", "VBP"}:
        return committed_trigger(token)
    modal = any(c.dep_ == "aux" and c.lower_ in cues.FUTURE_MODALS | cues.HEDGE_MODALS for c in token.children)
    progressive = any(c.dep_ == "aux" and c.lemma_ == "be" for c in token.children)
    if modal:
        return None  # the modal's own trigger covers this verb
    # "intends to", "plans to", "continues to", "is due to", "aims to", "is expected to"
    if lemma in cues.INTENT_LEMMAS | cues.ONGOING_LEMMAS | cues.HEDGE_LEMMAS and xcomp(token) is not None:
        if token.tag_ == "VBD" and lemma not in {"pledge", "promise"}:
            return None  # "planned to" is history
        if token.tag_ == "VB" and not any(c.dep_ == "aux" and c.lemma_ == "do" for c in token.children):
            return None  # "to enable them to continue to trade": no one's promise
        if token.tag_ == "VBG" and not progressive:
            return None  # "those seeking to renew visas": not the speaker's plan
        return follow(Trigger(token, token))  # follow() hedges "is expected to"
    if token.tag_ == "VBG" and progressive and token.dep_ in {"ROOT", "conj", "ccomp"}:
        # "we are considering the matter", "a framework is being explored"
        if lemma in cues.PROGRESSIVE_HEDGES and lower != "looking" or (lemma == "look" and any(c.lower_ == "at" for c in token.children)):
            return Trigger(token, token, hedged=True)
        # "is working with NHS Digital to develop a registry"
        target = purpose_target(token) if lemma in cues.PURPOSE_LEMMAS else token
        if target is not token:  # "officials are working with the sector to continue to monitor"
            chained = follow(Trigger(target, target))
            return Trigger(token, chained.action, hedged=chained.hedged, ongoing=chained.ongoing, negated=chained.negated)
    if token.tag_ == "VBN" and token.lemma_ in cues.PROGRESSIVE_HEDGES and any(c.dep_ == "auxpass" for c in token.children) \
            and any(c.lower_ == "being" for c in token.children):
        return Trigger(token, token, hedged=True)  # "is being considered", "is being explored"
    # "we keep under continuous review whether ...": present-tense review is a hedge
    if lemma == "keep" and token.tag_ in {"VBP", "VBZ"} and under_review(token):
        return Trigger(token, token, hedged=True)
    # "commitments to launch X", "no plans to change Y", "on track to agree Z"
    if lemma in cues.INTENT_NOUNS and token.pos_ == "NOUN":
        return noun_trigger(token)
    # "sets a clear ambition that every person should have access to ...", "aims to"
    if lemma in cues.HEDGE_NOUNS and token.pos_ == "NOUN" and token.dep_ in {"dobj", "attr"}:
        clause = next((c for c in token.children if c.dep_ in {"acl", "relcl", "ccomp"} and c.pos_ in {"VERB", "AUX"}), None)
        if clause is not None:
            return Trigger(token.head, clause, hedged=True)
    return None


def noun_trigger(noun: Token) -> Trigger | None:
    verb = next((c for c in noun.children if c.dep_ in {"acl", "relcl"} and c.tag_ == "VB"
                 and any(g.lower_ == "to" for g in c.children)), None)
    verb = verb or committed_to(noun)  # "commitment to updating X"
    if verb is None and noun.dep_ == "dobj":
        # "set out commitments to electrify the line": often parsed as the verb's own purpose clause
        after = noun.right_edge.i + 1
        verb = next((c for c in noun.head.children if c.dep_ in {"advcl", "xcomp"} and c.tag_ == "VB"
                     and c.i == after + 1 and noun.doc[after].lower_ == "to"), None)
    if noun.lemma_ == "track":  # "we are on track to agree it": the verb hangs off the copula
        copula = noun.head.head if noun.dep_ == "pobj" else None
        verb = xcomp(copula) if copula is not None else None
        return Trigger(copula, verb) if verb is not None else None
    if verb is None:
        return None
    governor = noun.head
    if noun.dep_ in {"dobj", "attr", "nsubj", "pobj", "conj"} and governor.lemma_ not in cues.NOUN_HEAD_VERBS \
            and not (noun.dep_ == "pobj" and governor.head.lemma_ in cues.NOUN_HEAD_VERBS):
        return None  # "to drive forward our plans to improve air quality" is no commitment
    negated = any(c.lower_ in {"no", "never"} for c in noun.children) or negated_at(governor)
    head = governor if governor.pos_ in {"VERB", "AUX"} else noun
    # "plans to transform infrastructure" is an aim; "commitments to launch X" a deed.
    return Trigger(head, verb, negated=negated, committed=not negated)


def committed_trigger(token: Token) -> Trigger | None:
    negated = negated_at(token) or negated_at(token.head)
    remains = token.head.lemma_ == "remain" or any(c.lemma_ == "remain" for c in token.children)
    hedged = any(a.lemma_ in cues.HEDGE_CONTEXT for a in token.ancestors)
    verb = committed_to(token)
    if verb is not None:
        return Trigger(token, verb, negated=negated, committed=True, remains=remains, hedged=hedged)
    # "has committed £20 million to support X" / "committed to a catch-up package worth £1 billion"
    money = next((c for c in token.children if c.dep_ == "dobj" and c.ent_type_ == "MONEY"), None)
    if money is None:
        to = next((c for c in token.children if c.dep_ == "prep" and c.lower_ == "to"), None)
        target = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
        if target is not None and any(t.ent_type_ == "MONEY" for t in target.subtree):
            return Trigger(token, target, negated=negated, hedged=hedged)
        return None
    return Trigger(token, token, negated=negated, hedged=hedged)


def scheduled_state(trigger: Trigger) -> Trigger | None:
    """'PrEP will be routinely available in 2020/21': a settled future state is a deed."""
    be = trigger.action
    main_clause = be.dep_ == "ROOT" or (be.dep_ == "conj" and be.head.dep_ == "ROOT" and be.head.pos_ in {"VERB", "AUX"})
    reported = be.dep_ == "ccomp" and be.head.lemma_ in cues.REPORTING_VERBS
    if not (main_clause or reported):
        return None  # "determining how services will be available" states nothing
    state = next((c for c in be.children if c.dep_ in {"acomp", "attr"} and c.lemma_ in cues.SCHEDULED_STATES), None)
    if state is None:
        prep = next((c for c in be.children if c.dep_ == "prep" and c.lower_ == "in"), None)
        state = next((c for c in prep.children if c.lemma_ in {"place", "force", "effect"}), None) if prep is not None else None
    if state is None:
        return None
    trigger.action, trigger.state = state, True
    return trigger


def pleased_to(trigger: Trigger) -> Trigger | None:
    be = trigger.action
    adjective = next((c for c in be.children if c.dep_ == "acomp" and c.lower_ in {"pleased", "happy", "glad", "willing"}), None)
    verb = xcomp(adjective) if adjective is not None else None
    if verb is None:
        return None
    trigger.action, trigger.hedged = verb, True
    return trigger


def follow(trigger: Trigger) -> Trigger:
    """Walk down an xcomp chain ("will continue to fund") to the deed, collecting its colour."""
    token = trigger.head
    for _ in range(5):
        trigger.negated |= negated_at(token)
        trigger.hedged |= token.lemma_ in cues.HEDGE_LEMMAS
        trigger.ongoing |= token.lemma_ in cues.ONGOING_LEMMAS
        if token.lemma_ == "expect" and token.tag_ == "VBN":
            trigger.hedged = True  # "is expected to publish"
        nxt = None
        if token.lemma_ in cues.INTENT_LEMMAS | cues.ONGOING_LEMMAS | cues.HEDGE_LEMMAS | {"want", "like", "be", "able"}:
            nxt = xcomp(token)
        if nxt is None and token.lemma_ == "keep":  # "keep working with"
            nxt = next((c for c in token.children if c.dep_ == "xcomp" and c.tag_ == "VBG"), None)
        if nxt is None and token.lemma_ == "be":  # "will be able to publish"
            able = next((c for c in token.children if c.dep_ == "acomp" and c.lower_ == "able"), None)
            nxt = xcomp(able) if able is not None else None
            if able is not None and nxt is not None:
                trigger.capability = True
                trigger.hedged |= trigger.head.lemma_ == "expect"  # "expects to be able to publish"
        if nxt is None:
            break
        token = nxt
    if token.lemma_ == "keep" and under_review(token):
        trigger.hedged = True  # "keep X under review"
    trigger.action = token
    # "it is highly likely that a cell will be stood up", "'Highly likely' cell will be used":
    # the frame, or a hedge inside the clause, hedges it
    trigger.hedged |= any(a.lemma_ in cues.HEDGE_CONTEXT for a in trigger.head.ancestors)
    trigger.hedged |= any(t.lower_ in cues.HEDGE_ADVERBS for t in trigger.head.subtree
                          if t.head == trigger.head or t.head.dep_ in {"nsubj", "nsubjpass", "amod", "advmod"})
    return trigger


def xcomp(token: Token | None) -> Token | None:
    if token is None:
        return None
    return next((c for c in token.children if c.dep_ == "xcomp" and c.pos_ in {"VERB", "AUX"}
                 and any(g.lower_ == "to" for g in c.children)), None)


def committed_to(token: Token) -> Token | None:
    """'committed to introducing X' / 'commitment to updating X' / 'committed to increase X'."""
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ == "to":
            return next((c for c in child.children if c.tag_ == "VBG" or (c.dep_ == "pcomp" and c.pos_ == "VERB")), None)
        if child.dep_ == "xcomp" and child.pos_ == "VERB":
            return child
    return None


def purpose_target(token: Token) -> Token:
    """'will work with X to publish Y', 'will allow us to correct Z': the deed is the purpose."""
    if token.lemma_ not in cues.PURPOSE_LEMMAS:
        return token
    for child in token.children:
        if child.dep_ in {"advcl", "xcomp", "ccomp"} and child.pos_ in {"VERB"} and \
                any(g.lower_ == "to" and g.dep_ == "aux" for g in child.children):
            if token.lemma_ in {"allow", "enable", "help"}:
                subject = next((g for g in child.children if g.dep_ == "nsubj"), None)
                if subject is None or subject.lower_ not in {"us", "we", "government", "department"}:
                    continue
            return child
    # "allow us to proactively correct awards" is sometimes parsed with the verb as an adjective
    if token.lemma_ in {"allow", "enable"} and any(c.lower_ == "us" for c in token.subtree):
        obj = next((c for c in token.children if c.dep_ == "dobj"), None)
        verb_like = next((c for c in obj.children if c.dep_ == "amod" and any(g.lower_ == "to" for g in c.children)), None) if obj is not None else None
        if verb_like is not None:
            return verb_like
    return token


def under_review(keep: Token) -> bool:
    return any(c.lower_ == "under" and any(g.lemma_ == "review" for g in c.children) for c in keep.children)


def negated_at(token: Token) -> bool:
    return any(c.dep_ == "neg" or c.lower_ == "never" for c in token.children)


def is_commit(token: Token) -> bool:
    return token.lemma_ == "commit" or token.lower_ == "committed"


def coordinated(action: Token) -> list[Token]:
    """'launch X and implement Y': each coordinated verb is its own action."""
    out, todo = [], [action]
    while todo:
        current = todo.pop()
        for child in current.children:
            if child.dep_ != "conj":
                continue
            if child.lower_ == "to":  # "to launching X and to implementing Y"
                child = next((c for c in child.children if c.dep_ == "pcomp"), child)
            # A conjunct with its own subject or auxiliary is a clause of its own, not a second deed.
            if child.pos_ == "VERB" and child.tag_ in {"VB", "VBG", "VBN"} and not any(
                    c.dep_ in {"aux", "auxpass", "nsubj", "nsubjpass"} and c.lower_ != "to" for c in child.children):
                out.append(child)
                todo.append(child)
    return sorted(out, key=lambda t: t.i)


# -- who speaks -------------------------------------------------------------

def subject_owner(trigger: Trigger) -> str | None | bool:
    """Canonical owner named by the subject; None for the speaking body; False for outsiders."""
    if reported_by_outsider(trigger.head):
        return False
    if trigger.state:
        return None  # "X will be available": the speaking body makes it so
    action = trigger.action
    if any(c.dep_ == "auxpass" for c in action.children) and trigger.head == action:
        agent = next((c for c in action.children if c.dep_ == "agent"), None)
        body = agent and next((g for g in agent.children if g.dep_ == "pobj"), None)
        return name_owner(body) if body is not None else None  # the patient is not the actor
    subject = find_subject(trigger.head)
    if subject is None:
        return None
    if subject.lower_ in cues.RELATIVE_PRONOUNS and subject.head.dep_ == "relcl":
        antecedent = subject.head.head
        # "the NHS has developed models which will operate": the body that made them acts
        maker = next((c for c in antecedent.head.children if c.dep_ == "nsubj"), None) if antecedent.dep_ == "dobj" else None
        owner = name_owner(maker) if maker is not None else None
        return owner or None
    return name_owner(subject)


def name_owner(subject: Token) -> str | None | bool:
    """Who the subject phrase names: a body (canonical), None for the speaker's own voice, False for outsiders."""
    phrase = subject.doc[subject.left_edge.i: subject.right_edge.i + 1]
    name = proper_name(phrase)
    found = gazetteer().find(phrase.text)
    if found and not (name and len(name) > found[0][1] - found[0][0] and name.split()[-1].lower() in cues.PUBLIC_BODY_MARKERS):
        return found[0][2]  # ... unless the body is only part of a longer name ("... NHS Foundation Trust")
    if name and name.lower() not in cues.SELF_SUBJECTS:
        last = name.split()[-1].lower()
        if last in cues.PROGRAMME_MARKERS and last not in cues.PUBLIC_BODY_MARKERS:
            return None  # a named programme speaks for its department
        if last in cues.PUBLIC_BODY_MARKERS and not found_foreign(phrase):
            return canonical_owner(name)  # a named public body owns its own deeds
    lower, lemma = subject.lower_, subject.lemma_.lower()
    if any(t.lower_ in {"you", "your", "yours"} for t in phrase):
        return False  # "your email address will not be published": addressed to the reader
    if lower in cues.SELF_SUBJECTS or lemma in cues.SELF_SUBJECTS:
        return False if found_foreign(phrase) else None
    if subject.pos_ == "PRON":
        return None if lower in {"it", "this", "these", "there", "which", "that"} else False
    if lower in cues.OUTSIDE_GOVERNMENT_NOUNS or lemma in cues.OUTSIDE_GOVERNMENT_NOUNS:
        return False
    if subject.ent_type_ in {"PERSON", "ORG", "NORP", "GPE"} or found_foreign(phrase):
        return False
    return None


def proper_name(phrase: Span) -> str | None:
    """The name in a subject phrase: a run of proper nouns ('Tavistock and Portman NHS
    Foundation Trust', 'National Leisure Recovery Fund'), or None."""
    runs, run = [], []
    for token in phrase:
        joins_names = token.text == "," and token.i + 1 < phrase.end and phrase.doc[token.i + 1].pos_ == "PROPN"
        if token.pos_ == "PROPN" or (run and (token.lower_ in {"and", "of", "for", "&"} or joins_names)) or \
                (run and token.lower_ in cues.PUBLIC_BODY_MARKERS | cues.PROGRAMME_MARKERS):
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


def found_foreign(phrase: Span) -> bool:
    """'Israel's actions', 'the Scottish Government', 'the European Commission': not the UK Government."""
    for ent in phrase.ents:
        if ent.label_ in {"GPE", "NORP"} and ent.text.lower() not in cues.HOME_PLACES:
            return True
        if ent.label_ == "ORG" and ent.text.lower().startswith(("eu", "european", "the european", "un ", "the un")):
            return True
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


def reported_by_outsider(head: Token) -> bool:
    """'The European Commission has confirmed that UK nationals will be treated as ...'."""
    token = head
    for _ in range(4):
        if token.dep_ != "ccomp":
            token = token.head if token.dep_ in {"conj", "xcomp"} else token
            if token.dep_ != "ccomp":
                return False
        reporter = token.head
        if reporter.lemma_ in cues.REPORTING_VERBS:
            subject = find_subject(reporter)
            # "He said", "Earl Howe said": a person is the speaker, not an outsider;
            # "the European Commission has confirmed" is an outsider.
            if subject is not None and subject.pos_ != "PRON" and subject.ent_type_ != "PERSON":
                return name_owner(subject) is False
        token = reporter
    return False


# -- what kind --------------------------------------------------------------

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
    if _SENTENCE_CONDITION.search(sent.text):
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


# -- the mention ------------------------------------------------------------

def make_mention(doc, sent, meta, kind, action, subject_owner, trigger=None) -> Mention:
    sentence = sent.text.strip()
    start = sent.start_char + (len(sent.text) - len(sent.text.lstrip()))
    deadline = deadline_for(action, trigger) if action is not None else None
    action_text, a_start, a_end = "", None, None
    if action is not None:
        action_text, a_start, a_end = action_span(action, trigger, deadline[1:] if deadline else None)
    resolved = resolve_deadline(deadline[0], as_date(meta.get("date"))) if deadline else None
    owner = None
    if kind != "procedural":
        owner = subject_owner or speaking_owner(doc, sent, meta)
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
        deadline=resolved.isoformat() if resolved else None,
        deadline_text=deadline[0] if deadline else None,
    )


def bodies_named(doc: Doc) -> list[tuple[int, int, str]]:
    """Every body the text names, found once per document."""
    if "bodies" not in doc.user_data:
        doc.user_data["bodies"] = gazetteer().find(doc.text)
    return doc.user_data["bodies"]


def speaking_owner(doc: Doc, sent: Span, meta: dict) -> str | None:
    """The body whose voice this is: the metadata's, else the nearest body the text names before it."""
    if meta.get("body"):
        return canonical_owner(meta["body"])
    named = bodies_named(doc)
    before = [owner for start, _end, owner in named if start < sent.end_char]
    # A headline names its body only further down.
    return before[-1] if before else (named[0][2] if named else None)


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
    if action.tag_ in {"VBG", "VBD", "VBZ"}:  # "committed to launching X" -> "launch X"
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
