"""The `commitment_finder` spaCy component: commitment mentions in a parsed Doc.

It reads the parse (modal and its verb, xcomp chains, negation, subjects,
coordination) rather than word lists alone, and writes `doc._.commitments`:
one Mention per action. Document metadata (`doc._.meta`: body, person, date)
resolves "we", "I" and relative deadlines.
"""

import datetime as dt
import re
from dataclasses import asdict, dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from extract import cues
from extract.deadlines import find_deadline, resolve_deadline
from extract.owners import canonical_owner, gazetteer

KIND_ORDER = ["firm", "conditional", "ongoing", "negative", "hedged", "procedural"]
TRACKABLE = {"firm", "conditional"}
_PROCEDURAL = re.compile("|".join(cues.PROCEDURAL_PATTERNS), re.IGNORECASE)
_QUESTION = re.compile(r"^\W*to ask\b", re.IGNORECASE)
_CONDITION = re.compile("|".join(re.escape(p) for p in cues.CONDITION_PHRASES), re.IGNORECASE)

if not Doc.has_extension("meta"):
    Doc.set_extension("meta", default=None)
if not Doc.has_extension("commitments"):
    Doc.set_extension("commitments", default=None)


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

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Trigger:
    """Where a commitment is voiced (`head`) and the deed it names (`action`)."""

    head: Token
    action: Token
    negated: bool = False
    hedged: bool = False
    ongoing: bool = False


# Parliamentary abbreviations that end in a full stop but never end a sentence.
HONORIFICS = {"hon.", "Hon.", "Rt.", "rt.", "Gov.", "No.", "no.", "para.", "Cllr."}


@Language.component("honorific_boundaries")
def honorific_boundaries(doc: Doc) -> Doc:
    """'I refer the hon. Member to ...' is one sentence: no boundary after an honorific."""
    for token in doc[:-1]:
        if token.text in HONORIFICS or (token.text in {"hon", "Hon", "Rt"} and doc[token.i + 1].text == "."):
            following = doc[token.i + 1] if token.text.endswith(".") else doc[token.i + 2] if token.i + 2 < len(doc) else None
            if following is not None:
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
        doc._.commitments = [m for sent in doc.sents for m in self.sentence_mentions(doc, sent, meta)]
        return doc

    # -- one sentence -------------------------------------------------------

    def sentence_mentions(self, doc: Doc, sent: Span, meta: dict) -> list[Mention]:
        text = sent.text.strip()
        if not text or _QUESTION.match(text):
            return []  # the asking member's words are never a commitment
        if _PROCEDURAL.search(text):
            return [self._mention(doc, sent, meta, "procedural", None, None)]
        mentions, seen_actions = [], set()
        for trigger in self.triggers(sent):
            subject_owner = self.subject_owner(trigger)
            if subject_owner is False:
                continue  # a body outside government, or a person not speaking for one
            kind = self.kind(trigger, sent)
            if kind is None:
                continue
            for action in [trigger.action, *self.coordinated(trigger.action)]:
                if action.i in seen_actions:
                    continue
                seen_actions.add(action.i)
                mentions.append(self._mention(doc, sent, meta, kind, action, subject_owner, trigger))
        return mentions

    def triggers(self, sent: Span) -> list[Trigger]:
        found: dict[int, Trigger] = {}
        for token in sent:
            trigger = self._trigger_at(token)
            if trigger is not None and trigger.action.i not in found:
                found[trigger.action.i] = trigger
        # "will continue to fund" triggers at "will" and at "continue": keep the
        # chain that reaches the deed, not the one that stops at "continue".
        heads = {t.head.i for t in found.values() if t.head.i != t.action.i}
        return [t for i, t in sorted(found.items()) if i not in heads]

    def _trigger_at(self, token: Token) -> Trigger | None:
        lower = token.lower_
        # "will publish", "shall introduce", "will be published", "may review"
        if token.dep_ == "aux" and lower in cues.HEDGE_MODALS and token.head.dep_ not in {"ROOT", "conj"}:
            return None  # "how the regime would work" describes; it does not promise
        if token.dep_ == "aux" and (lower in cues.FUTURE_MODALS or lower in cues.HEDGE_MODALS) and token.head.pos_ in {"VERB", "AUX"}:
            return self._follow(Trigger(token.head, token.head, hedged=lower in cues.HEDGE_MODALS))
        # "is committed to introducing X", "remains committed to X", "has committed to X"
        if _is_commit(token) and token.tag_ in {"VBN", "JJ", "VBD", "VBZ", "VBP"}:
            verb = self._committed_to(token)
            if verb is not None:
                trigger = Trigger(token, verb, negated=self._negated(token) or self._negated(token.head))
                trigger.hedged = any(a.lemma_ in cues.HEDGE_CONTEXT for a in token.ancestors)
                return trigger
        # "intends to", "plans to", "continues to", "is due to", "aims to"
        if token.lemma_ in cues.INTENT_LEMMAS | cues.ONGOING_LEMMAS | cues.HEDGE_LEMMAS and token.tag_ in {"VBZ", "VBP", "JJ", "VBG", "VBN", "VBD"}:
            if not any(c.lower_ in cues.FUTURE_MODALS | cues.HEDGE_MODALS for c in token.children if c.dep_ == "aux"):
                if self._xcomp(token) is not None or self._committed_to(token) is not None:
                    if token.tag_ == "VBD" and token.lemma_ not in {"commit", "pledge", "promise"}:
                        return None  # "planned to" is history
                    return self._follow(Trigger(token, token))
                # "we are considering the matter", "is looking at"
                if token.lemma_ in {"consider", "explore", "look", "review", "assess", "evaluate"} and token.tag_ == "VBG" and any(c.dep_ == "aux" and c.lemma_ == "be" for c in token.children):
                    return Trigger(token, token, hedged=True)
        # "commitments to launch X", "no plans to change Y", "no intention of"
        if token.lemma_ in cues.INTENT_NOUNS and token.pos_ == "NOUN":
            verb = next((c for c in token.children if c.dep_ in {"acl", "relcl"} and c.tag_ == "VB"), None)
            verb = verb or self._committed_to(token)  # "commitment to updating X"
            if verb is not None:
                negated = any(c.lower_ == "no" for c in token.children) or self._negated(token.head)
                return Trigger(token.head if token.head.pos_ in {"VERB", "AUX"} else token, verb, negated=negated)
        return None

    def _xcomp(self, token: Token) -> Token | None:
        return next((c for c in token.children if c.dep_ in {"xcomp", "ccomp"} and c.pos_ in {"VERB", "AUX"}
                     and any(g.lower_ == "to" for g in c.children)), None)

    def _committed_to(self, token: Token) -> Token | None:
        """'committed to introducing X' / 'commitment to updating X': the -ing verb."""
        for prep in token.children:
            if prep.dep_ == "prep" and prep.lower_ == "to":
                return next((c for c in prep.children if c.tag_ == "VBG" or (c.dep_ == "pcomp" and c.pos_ == "VERB")), None)
        return None

    def _follow(self, trigger: Trigger) -> Trigger:
        """Walk down an xcomp chain ("will continue to fund") to the deed, collecting its colour."""
        token = trigger.head
        seen = 0
        while seen < 5:
            seen += 1
            trigger.negated |= self._negated(token)
            lemma = token.lemma_
            trigger.hedged |= lemma in cues.HEDGE_LEMMAS
            trigger.ongoing |= lemma in cues.ONGOING_LEMMAS
            nxt = self._xcomp(token) if lemma in cues.INTENT_LEMMAS | cues.ONGOING_LEMMAS | cues.HEDGE_LEMMAS | {"be", "want", "like"} else None
            if nxt is None:
                break
            token = nxt
        # "keep X under review"
        if token.lemma_ == "keep" and any(c.lower_ == "under" and any(g.lower_ == "review" for g in c.children) for c in token.children):
            trigger.hedged = True
        trigger.action = token
        # "it is highly likely that a cell will be stood up": the frame hedges it
        trigger.hedged |= any(a.lemma_ in cues.HEDGE_CONTEXT for a in trigger.head.ancestors)
        return trigger

    @staticmethod
    def _negated(token: Token) -> bool:
        return any(c.dep_ == "neg" or c.lower_ in {"never"} for c in token.children)

    @staticmethod
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
                if child.pos_ == "VERB" and child.tag_ in {"VB", "VBG", "VBN"}:
                    out.append(child)
                    todo.append(child)
        return sorted(out, key=lambda t: t.i)

    # -- who speaks ---------------------------------------------------------

    def subject_owner(self, trigger: Trigger) -> str | None | bool:
        """Canonical owner named by the subject; None for the speaking body; False for outsiders."""
        subject = self._subject(trigger.head)
        if subject is None:
            return None
        phrase = subject.doc[subject.left_edge.i: subject.right_edge.i + 1].text
        found = gazetteer().find(phrase)
        if found:
            return found[0][2]
        lower, lemma = subject.lower_, subject.lemma_.lower()
        if lower in cues.SELF_SUBJECTS or lemma in cues.SELF_SUBJECTS:
            return None
        if subject.pos_ == "PRON":
            return None if lower in {"it", "this", "these", "which", "that", "there"} else False
        if lower in cues.OUTSIDE_GOVERNMENT_NOUNS or lemma in cues.OUTSIDE_GOVERNMENT_NOUNS:
            return False
        if subject.ent_type_ in {"PERSON", "ORG", "NORP", "GPE"}:
            return False
        return None

    @staticmethod
    def _subject(head: Token) -> Token | None:
        token = head
        for _ in range(6):
            subject = next((c for c in token.children if c.dep_ in {"nsubj", "nsubjpass", "expl"}), None)
            if subject is not None:
                return subject
            if token.dep_ in {"xcomp", "conj", "acl", "pcomp", "prep", "dobj", "pobj", "acomp"} and token.head != token:
                token = token.head
            else:
                return None
        return None

    # -- what kind ----------------------------------------------------------

    def kind(self, trigger: Trigger, sent: Span) -> str | None:
        action = trigger.action
        lemma = action.lemma_.lower()
        if trigger.negated:
            return None if lemma in {"be", "have"} else "negative"
        if trigger.hedged:
            return "hedged"
        if trigger.ongoing:
            return None if lemma in cues.NOT_ONGOING_VERBS else "ongoing"
        if lemma in cues.VAGUE_VERBS or action.pos_ not in {"VERB"}:
            return None
        if _is_commit(trigger.head) and lemma not in cues.DELIVERABLE_VERBS:
            return None  # committed to an aim, not a deliverable
        if self._conditional(trigger, sent):
            return "conditional"
        return "firm"

    @staticmethod
    def _conditional(trigger: Trigger, sent: Span) -> bool:
        if _CONDITION.search(sent.text):
            return True
        for token in (trigger.head, trigger.action):
            for child in token.children:
                if child.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in {"if", "unless", "once", "provided", "providing"} for m in child.children):
                    return True
        return False

    # -- the mention --------------------------------------------------------

    def _mention(self, doc, sent, meta, kind, action, subject_owner, trigger=None) -> Mention:
        sentence = sent.text.strip()
        start = sent.start_char + (len(sent.text) - len(sent.text.lstrip()))
        deadline = deadline_for(action, trigger) if action is not None else None
        action_text, a_start, a_end = ("", None, None)
        if action is not None:
            action_text, a_start, a_end = action_span(action, deadline[1:] if deadline else None)
        base = _as_date(meta.get("date"))
        owner = subject_owner or self.speaking_owner(doc, sent, meta) if kind != "procedural" else None
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
            deadline=(resolved.isoformat() if (resolved := resolve_deadline(deadline[0], base)) else None) if deadline else None,
            deadline_text=deadline[0] if deadline else None,
        )

    @staticmethod
    def speaking_owner(doc: Doc, sent: Span, meta: dict) -> str | None:
        """The body whose voice this is: the metadata's, else the nearest body the text names."""
        if meta.get("body"):
            return canonical_owner(meta["body"])
        named = [owner for start, _end, owner in gazetteer().find(doc.text) if start < sent.end_char]
        return named[-1] if named else None


_ACTION_SKIP = {"conj", "cc", "advcl", "relcl", "punct", "mark", "nsubj", "nsubjpass", "aux",
                "auxpass", "neg", "appos", "parataxis", "dep", "preconj", "meta", "expl", "npadvmod", "cc"}


def action_span(action: Token, deadline_chars: tuple[int, int] | None) -> tuple[str, int, int]:
    """The shortest span naming the deed and its object; a passive names its subject."""
    keep = {action.i}

    def walk(token: Token, depth: int):
        for child in token.children:
            if depth == 0 and child.dep_ in _ACTION_SKIP:
                continue
            if depth > 0 and child.dep_ in {"relcl", "advcl", "punct", "appos", "parataxis"}:
                continue
            if child.dep_ == "prep" and depth == 0 and _is_temporal(child):
                continue
            if deadline_chars and depth == 0 and deadline_chars[0] <= child.idx < deadline_chars[1]:
                continue  # the deadline is reported on its own
            keep.add(child.i)
            walk(child, depth + 1)

    walk(action, 0)
    doc = action.doc
    # The deed starts at its verb: adverbs and subjects before it are not part of it.
    first, last = action.i, max(keep)
    while last > first and (doc[last].is_punct or doc[last].dep_ in {"cc"}):
        last -= 1
    span = doc[first: last + 1]
    passive = any(c.dep_ == "auxpass" for c in action.children)
    if passive:
        subject = next((c for c in action.children if c.dep_ == "nsubjpass"), None)
        if subject is not None:
            phrase = doc[subject.left_edge.i: subject.right_edge.i + 1]
            noun = phrase.text
            if phrase[0].is_stop and not phrase[0].ent_type_:  # "A consultation will be..." -> "a consultation"
                noun = phrase[0].lower_ + noun[len(phrase[0].text):]
            particles = [c for c in action.children if c.dep_ == "prt"]
            rest = " ".join(t.text for t in span[1:] if t not in particles and t.dep_ != "advmod").strip()
            verb = " ".join([action.lemma_, *(p.text for p in particles)])
            return " ".join(p for p in (verb, noun, rest) if p), span.start_char, span.end_char
    if action.tag_ == "VBG":  # "committed to launching X" -> "launch X"
        return " ".join([action.lemma_, span[1:].text]).strip(), span.start_char, span.end_char
    return span.text, span.start_char, span.end_char


def deadline_for(action: Token, trigger: Trigger | None) -> tuple[str, int, int] | None:
    """A time phrase governing this action: in its own subtree, or a time modifier of its
    trigger ("Before the end of this year we will launch X"). Returns (text, start, end) in doc chars."""
    doc = action.doc
    regions = [doc[action.left_edge.i: action.right_edge.i + 1]]
    for token in filter(None, (action, trigger.head if trigger else None)):
        regions += [doc[c.left_edge.i: c.right_edge.i + 1] for c in token.children
                    if c.dep_ in {"prep", "npadvmod", "advmod", "advcl"} and c.i < action.i]
    for region in regions:
        found = find_deadline(region.text)
        if found:
            return found[0], region.start_char + found[1], region.start_char + found[2]
    return None


def _is_commit(token: Token) -> bool:
    return token.lemma_ == "commit" or token.lower_ == "committed"


def _is_temporal(prep: Token) -> bool:
    return any(t.ent_type_ in {"DATE", "TIME"} for t in prep.subtree)


def _as_date(value) -> dt.date | None:
    if not value:
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None
