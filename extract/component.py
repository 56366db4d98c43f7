"""The `commitment_finder` spaCy component: commitment mentions in a parsed Doc.

It reads the parse rather than word lists alone: a modal and the verb it
governs, xcomp chains ("intends to", "will continue to"), nominal commitments
("commitments to launch X and implement Y"), passives, coordination (one
mention per action), negation and hedges in scope of the verb, conditions,
and the subject (bodies outside government make no government commitments).
It writes `doc._.commitments`; document metadata (`doc._.meta`: body, person,
date) resolves "we", "I" and relative deadlines. Its cue tables and gazetteer
come from its config (extract/tables.py); the reading itself is in boundaries,
triggers, subjects, spans, kinds and lists.
"""

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from common.gazetteer import Gazetteer
from extract.kinds import kind_of
from extract.lists import LEAD_IN, LIST_ITEM, lead_in_of, list_item_mentions
from extract.spans import Mention, make_mention
from extract.speakers import quoted_spans, speaker_context
from extract.subjects import subject_owner
from extract.tables import Cues
from extract.triggers import coordinated, find_triggers, purpose_target

_QUESTION = re.compile(r"^\W*to ask\b", re.IGNORECASE)

for _name in ("meta", "commitments", "outside_sentences"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


# The tables are data named in the config (extract/tables.py), so that a pipeline can be
# given other cues or another gazetteer without code: nlp.add_pipe(..., config={"cues": ...}).
@Language.factory("commitment_finder",
                  default_config={"cues": {"@misc": "commitments.default_cues.v1"},
                                  "gazetteer": {"@misc": "commitments.default_gazetteer.v1"}},
                  requires=["token.dep", "token.lemma", "token.tag"], assigns=["doc._.commitments"])
def make_commitment_finder(nlp: Language, name: str, cues: Cues, gazetteer: Gazetteer):
    return CommitmentFinder(cues, gazetteer)


class CommitmentFinder:
    """Holds its tables and nothing else: everything about a document is in the Doc and its `_.meta`."""

    def __init__(self, cues: Cues, gazetteer: Gazetteer):
        self.cues = cues
        self.gazetteer = gazetteer

    def __call__(self, doc: Doc) -> Doc:
        meta = doc._.meta or {}
        if meta.get("government") == 0:
            # A member's question, an outside witness, a committee's own words:
            # no government commitment can be voiced here.
            doc._.commitments = []
            return doc
        speakers: dict = {}
        mentions, lead_in = [], None
        # Sentence starts where a deed's subject was outside government: a list, not a set, so
        # that the Doc crosses process boundaries (nlp.pipe n_process > 1 serialises user data).
        doc._.outside_sentences = []
        press = not meta.get("body")  # no speaking body given: press or plain text, who speaks comes from the text
        quotes = quoted_spans(doc.text) if press else []
        for sent in doc.sents:
            sentence_meta = meta
            if not meta.get("person") or not meta.get("body"):
                # Press and evidence text: who speaks comes from the text itself.
                person, body = speaker_context(doc, sent, speakers, self.cues, self.gazetteer)
                sentence_meta = {**meta, "person": meta.get("person") or person, "body": meta.get("body") or body}
            text = sent.text.strip()
            if lead_in is not None and LIST_ITEM.match(text):
                mentions += list_item_mentions(doc, sent, sentence_meta, lead_in, self.cues)
                continue
            lead_in = lead_in_of(doc, sent, sentence_meta, self.cues, self.gazetteer) if LEAD_IN.search(text) else None
            mentions += self.sentence_mentions(doc, sent, sentence_meta)
        if press:
            # In press text a commitment needs a government owner found in the text:
            # a council's or a company's plans are not the Government's.
            mentions = [m for m in mentions if m["owner"] or m["kind"] == "procedural"]
            for mention in mentions:
                anchor = mention["action_start"] if mention["action_start"] is not None else mention["sentence_start"]
                mention["reported"] = not any(start <= anchor < end for start, end in quotes)
        doc._.commitments = mentions
        return doc

    def sentence_mentions(self, doc: Doc, sent: Span, meta: dict) -> list[Mention]:
        text = sent.text.strip()
        if not text or _QUESTION.match(text) or self.cues.furniture.search(text):
            return []  # the asking member's words, and page furniture, are never commitments
        if self.cues.procedural.search(text):
            return [make_mention(doc, sent, meta, "procedural", None, None, self.gazetteer)]
        mentions, seen = [], set()
        for trigger in find_triggers(sent, self.cues):
            owner = subject_owner(trigger, self.cues, self.gazetteer)
            if owner is False:
                doc._.outside_sentences.append(sent.start_char)
                continue  # a body outside government, or reported speech of one
            if trigger.head.dep_ == "relcl" and any(trigger.head.head in sent.doc[i].subtree for i in seen):
                continue  # "publish a strategy, which will cover adults": describes the deed already found
            for action in [trigger.action, *coordinated(trigger.action)]:
                action = purpose_target(action, self.cues)
                if action.i in seen:
                    continue
                kind = kind_of(trigger, action, sent, owner, self.cues)
                if kind is None:
                    continue
                seen.add(action.i)
                mentions.append(make_mention(doc, sent, meta, kind, action, owner or None, self.gazetteer, trigger))
        return mentions
