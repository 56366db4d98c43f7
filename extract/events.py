"""The `report_finder` spaCy component: sentences that report on a deed, in any source.

A promise says a deed will be done; a report says it was done (delivered, with `partial`
when only part of it was), is under way (progress), was put back to a later date
(delayed, with the new date) or was given up (dropped). The clause reading is in
report_clauses; this module runs it over a Doc after `commitment_finder` and makes each
report an `Event` on `doc._.events`, with its owner, date and source, as a mention is made.

A sentence's promises stay the mention finder's: a clause that governs a mention's deed
("we have committed to publish X") reports nothing, and a refusal the mention finder
already reads as `negative` ("will not proceed with X") is not read again as dropped.
"""

import re
from typing import TypedDict

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from common.dates import as_date
from common.gazetteer import Gazetteer
from extract.deadlines import resolve_deadline
from extract.event_dates import date_phrase, resolve_event_date
from extract.report_clauses import Report, asserted, first_person, passive, read_delayed, read_delivered, \
    read_dropped, read_progress, subject_of
from extract.speakers import quoted_spans, speaker_context
from extract.subjects import speaking_owner, subject_owner
from extract.tables import Cues, EventCues
from extract.triggers import Trigger

_QUESTION = re.compile(r"^\W*to ask\b", re.IGNORECASE)

if not Doc.has_extension("events"):
    Doc.set_extension("events", default=None)


class Event(TypedDict):
    """One report, as `doc._.events` holds it: a plain dict, like a `Mention`."""

    event: str  # delivered, progress, delayed or dropped
    verb: str  # the deed's verb in base form, particles kept: "launch", "bring in", "bring into force"
    object: str  # "the consultation on electoral integrity"; a passive's or a state's subject
    action: str  # verb + object, comparable with a promise's action
    sentence: str
    sentence_start: int
    sentence_end: int
    action_start: int | None
    action_end: int | None
    owner: str | None
    person: str | None
    event_date: str | None  # when the sentence says when; else None (the document's date stands)
    event_date_text: str | None
    new_deadline: str | None  # delayed: the new date, resolved as a promise's deadline is
    new_deadline_text: str | None
    partial: bool
    reported: bool | None  # as a mention's: in press, True for the journalist's words, False in a quote


@Language.factory("report_finder",
                  default_config={"cues": {"@misc": "commitments.default_cues.v1"},
                                  "event_cues": {"@misc": "commitments.default_event_cues.v1"},
                                  "gazetteer": {"@misc": "commitments.default_gazetteer.v1"}},
                  requires=["token.dep", "token.lemma", "token.tag", "doc._.commitments"], assigns=["doc._.events"])
def make_report_finder(nlp: Language, name: str, cues: Cues, event_cues: EventCues, gazetteer: Gazetteer):
    return ReportFinder(cues, event_cues, gazetteer)


class ReportFinder:
    """Holds its tables only; reads `doc._.meta` and `doc._.commitments`, writes `doc._.events`."""

    def __init__(self, cues: Cues, event_cues: EventCues, gazetteer: Gazetteer):
        self.cues = cues
        self.event_cues = event_cues
        self.gazetteer = gazetteer

    def __call__(self, doc: Doc) -> Doc:
        meta = doc._.meta or {}
        mentions = doc._.commitments or []
        press = not meta.get("body")
        quotes = quoted_spans(doc.text) if press else []
        speakers: dict = {}
        events: list[Event] = []
        for sent in doc.sents:
            sentence_meta = meta
            if not meta.get("person") or not meta.get("body"):
                # Who speaks comes from the text, sentence by sentence, as the mention finder reads it.
                person, body = speaker_context(doc, sent, speakers, self.cues, self.gazetteer)
                sentence_meta = {**meta, "person": meta.get("person") or person, "body": meta.get("body") or body}
            here = [m for m in mentions if sent.start_char <= (m["action_start"] if m["action_start"] is not None
                                                               else m["sentence_start"]) < sent.end_char]
            for report in self.sentence_reports(sent, here):
                event = self.make_event(doc, sent, sentence_meta, report)
                if event is None or (press and not event["owner"]):
                    continue
                if press:
                    anchor = event["action_start"] if event["action_start"] is not None else event["sentence_start"]
                    event["reported"] = not any(start <= anchor < end for start, end in quotes)
                events.append(event)
        doc._.events = events
        return doc

    def sentence_reports(self, sent: Span, mentions: list[dict]) -> list[Report]:
        text = sent.text.strip()
        if not text or text.endswith("?") or _QUESTION.match(text) or self.cues.furniture.search(text) \
                or self.cues.procedural.search(text):
            return []  # a question, page furniture or the answer's housekeeping reports no deed
        by_char = {t.idx: t for t in sent}
        promised = [by_char[m["action_start"]] for m in mentions
                    if m["kind"] != "procedural" and m["action_start"] in by_char]
        refused = [m for m in mentions if m["kind"] == "negative"]
        if any(m["kind"] == "procedural" for m in mentions):
            return []
        reports, seen = [], set()
        for token in sent:
            if token.pos_ not in {"VERB", "AUX"} or not token.tag_.startswith("VB") or not asserted(token, self.event_cues):
                continue
            report = read_dropped(token, self.event_cues)
            if report is not None and restates_refusal(report, refused, by_char):
                continue
            # A new date is read even where the mention finder saw a promise ("we now expect to publish in the spring").
            report = report or read_delayed(token, sent, self.event_cues)
            if report is None and not any(governs(token, p) for p in promised):
                report = read_progress(token, self.event_cues) or read_delivered(token, self.event_cues)
            if report is not None and (report.event, report.action_start) not in seen:
                seen.add((report.event, report.action_start))
                reports.append(report)
        return reports

    def make_event(self, doc: Doc, sent: Span, meta: dict, report: Report) -> Event | None:
        outside = meta.get("government") == 0
        named = subject_owner(Trigger(report.head, report.head), self.cues, self.gazetteer)
        if named is False or self.devolved(report.head) or not self.own_doer(report):
            return None  # a body outside government did it, or an outsider says so
        if outside:
            # A committee or a witness speaks: "we" is them, and only a body the sentence names, or a
            # deed reported of a thing ("the Act received Royal Assent"), can be the Government's.
            if not named and (first_person(subject_of(report.head)) or subject_of(report.head) is None):
                return None
            owner = named or None
        else:
            owner = named or speaking_owner(doc, sent, meta, self.gazetteer)
        base = as_date(meta.get("date"))
        deadline = report.new_deadline
        resolved_deadline = resolve_deadline(deadline[0], base) if deadline else None
        # The date hangs on the clause's verb, the deed's, or the object ("had its second reading on 1 November").
        carriers = [report.head, report.deed, *(c for c in report.head.children if c.dep_ == "dobj")]
        when = date_phrase([t for t in carriers if t is not None], deadline[1:] if deadline else None)
        when_date = resolve_event_date(when[0], base) if when else None
        sentence = sent.text.strip()
        start = sent.start_char + (len(sent.text) - len(sent.text.lstrip()))
        return Event(
            event=report.event,
            verb=report.verb,
            object=report.object,
            action=report.action,
            sentence=sentence,
            sentence_start=start,
            sentence_end=start + len(sentence),
            action_start=report.action_start,
            action_end=report.action_end,
            owner=owner,
            person=None if outside else meta.get("person"),
            event_date=when_date.isoformat() if when_date else None,
            event_date_text=when[0] if when else None,
            new_deadline=resolved_deadline.isoformat() if resolved_deadline else None,
            new_deadline_text=deadline[0] if deadline else None,
            partial=report.partial,
            reported=None,
        )


    def own_doer(self, report: Report) -> bool:
        """The doer of an active deed is the speaker ("we", "the Department", "my noble Friend")
        or a body the gazetteer knows; any other ("one person has completed training", "the
        Bid Company has commissioned X") did a deed that is not the Government's."""
        subject = subject_of(report.head)
        if report.thing or subject is None or passive(report.head) or subject.dep_ == "nsubjpass":
            return True
        words = {subject.lower_, subject.lemma_.lower()}
        if words & (self.cues.self_subjects | self.event_cues.own_actors):
            return True
        phrase = subject.doc[subject.left_edge.i: subject.right_edge.i + 1].text
        return bool(self.gazetteer.find(phrase))

    def devolved(self, head: Token) -> bool:
        subject = subject_of(head)
        if subject is None:
            return False
        words = " ".join(t.lower_ for t in subject.subtree)
        return any(name in words for name in self.event_cues.devolved_names)


def governs(verb: Token, promised: Token) -> bool:
    """Whether a promise's deed hangs under this verb ("have committed to publish X", "have set
    out plans to X"), not in a clause joined to it ("have published X and will publish Y")."""
    if promised == verb:
        return True
    if promised not in verb.subtree:
        return False
    return not any(promised in conj.subtree for conj in verb.children if conj.dep_ == "conj")


def restates_refusal(report: Report, refused: list[dict], by_char: dict[int, Token]) -> bool:
    """A refusal the mention finder already made a `negative` mention of."""
    for mention in refused:
        token = by_char.get(mention["action_start"])
        if report.deed is not None and token is not None and (token == report.deed or token in report.deed.subtree):
            return True
        if mention["action_start"] is not None and mention["action_end"] is not None and \
                mention["action_start"] < report.action_end and report.action_start < mention["action_end"]:
            return True
    return False
