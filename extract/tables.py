"""The component's data, named in its config: the cue tables (`Cues`, from cues.json) and the
bodies gazetteer, each loaded by a function registered with spaCy's `registry.misc`."""

import json
import re
import typing
from dataclasses import dataclass, field, fields
from pathlib import Path

from spacy.util import registry

from common.gazetteer import Gazetteer, gazetteer

CUES_PATH = Path(__file__).with_name("cues.json")


@dataclass
class Cues:
    """Cue words for commitment kinds, by lemma. Data, not logic: tune cues.json, measure
    with `commitments evaluate`. Sets are matched as sets; patterns keep their order."""

    future_modals: frozenset[str]
    # "we may review": a hedge only when the speaker is the subject; "services may
    # stay open" or "it would require legislation" promise nothing.
    hedge_modals: frozenset[str]

    # "intends to X", "plans to X", "is going to X", "is due to X": settled intentions.
    intent_lemmas: frozenset[str]
    intent_nouns: frozenset[str]
    # Verbs whose object can be a nominal commitment: "this included commitments to X".
    noun_head_verbs: frozenset[str]
    ongoing_lemmas: frozenset[str]
    hedge_lemmas: frozenset[str]
    # "we are considering the matter", "is looking at": hedges in the progressive.
    progressive_hedges: frozenset[str]
    # "will work with X to publish Y": the deed is in the purpose clause.
    purpose_lemmas: frozenset[str]
    hedge_adverbs: frozenset[str]
    hedge_context: frozenset[str]

    # Verbs that name no checkable deed without a concrete deliverable.
    vague_verbs: frozenset[str]
    # These are vague only with a vague object: "provide support" vs "provide a full breakdown".
    object_dependent_verbs: frozenset[str]
    vague_objects: frozenset[str]
    # "bring forward legislation" is a deed; "bring an end to" is an aim.
    particle_deeds: dict[str, frozenset[str]]

    # A promise to keep doing something may use a plain verb ("continue to have
    # dialogue", "keep working with"); these say nothing at all, or describe a trend.
    not_ongoing_verbs: frozenset[str]

    # "committed to" + one of these is an aim or a value (none), unless dated or
    # quantified ("committed to achieving net zero by 2050" is a target, so firm).
    aim_verbs: frozenset[str]
    # "remains committed to developing X": an activity under way.
    activity_verbs: frozenset[str]
    # "will not be compromised": an assurance about a fact, not an action refused.
    assurance_verbs: frozenset[str]
    # "will run until 31 March": continuation, not a new deed.
    continuation_verbs: frozenset[str]
    # "we are introducing X", "we are commissioning a plan": a progressive that starts something is a
    # settled future deed; "is scheduled for 21 December", "is planned from 2026": so is a scheduled thing.
    inception_verbs: frozenset[str]
    schedule_verbs: frozenset[str]
    # "has announced £60 million", "has set aside £100 million": money pledged, firm in the past tense.
    money_pledge_verbs: frozenset[str]
    # "Announcements will be made in the usual way", "any further details will be provided": formulas
    # that name nothing to check (the guideline's ruling on updates "in due course").
    announcement_nouns: frozenset[str]
    # "This will raise revenue", "the new system will serve the Armed Forces well": with a thing
    # (not a body, not the speaker) as subject, these verbs foretell an effect; no one does a deed.
    effect_verbs: frozenset[str]

    condition_markers: frozenset[str]
    sentence_conditions: tuple[str, ...]

    # Scheduled states: "PrEP will be routinely available across England in 2020/21".
    scheduled_states: frozenset[str]

    # Subjects that are not government: their plans are not government commitments.
    outside_government_nouns: frozenset[str]
    # "Claimants will receive a payment": people on the receiving end of a service; the
    # body giving it is the owner, not they.
    receiving_verbs: frozenset[str]
    # Words that mark a company acting for itself ("Acme Ltd"): any other named organisation
    # in a government answer is presumed a public body.
    company_markers: frozenset[str]
    # Places whose name in a subject does not make it foreign: "the UK Government".
    home_places: frozenset[str]
    # Devolved nations: "the Scottish Government will ..." is not the UK Government's word
    # (the gazetteer's "Scotland Office" and "Secretary of State for Wales" are found first).
    devolved_places: frozenset[str]
    # A named programme speaks for the department that runs it ("the National
    # Leisure Recovery Fund seeks to ...").
    programme_markers: frozenset[str]
    # "The NHS Long Term Plan sets a clear ambition that ...": aims are hedges.
    hedge_nouns: frozenset[str]
    self_subjects: frozenset[str]
    relative_pronouns: frozenset[str]
    # Words in a name that mark a public body ("Tavistock and Portman NHS Foundation
    # Trust", "Network Rail", "Joint Consultative Working Group").
    public_body_markers: frozenset[str]
    reporting_verbs: frozenset[str]

    # Housekeeping sentences (regular expressions): "I will write to the noble Lord".
    procedural_patterns: tuple[str, ...]
    # Press pages: navigation, comment forms, newsletter boxes and cookie notices (regular expressions).
    furniture_patterns: tuple[str, ...]

    # Compiled once from the patterns above.
    procedural: re.Pattern = field(init=False, repr=False)
    furniture: re.Pattern = field(init=False, repr=False)
    sentence_condition: re.Pattern = field(init=False, repr=False)
    # Unions the trigger finder asks about every token, made once: future and hedge modals; the verbs
    # that take a to-clause ("intends to", "continues to", "aims to").
    modals: frozenset[str] = field(init=False, repr=False)
    to_clause_lemmas: frozenset[str] = field(init=False, repr=False)

    def __post_init__(self):
        # JSON has lists only: each table takes the type it is declared with.
        for f in fields(self):
            if not f.init:
                continue
            value, kind = getattr(self, f.name), typing.get_origin(f.type)
            if kind is dict:
                value = {key: frozenset(words) for key, words in value.items()}
            elif kind in (frozenset, tuple):
                value = kind(value)
            setattr(self, f.name, value)
        self.procedural = re.compile("|".join(self.procedural_patterns), re.IGNORECASE)
        self.furniture = re.compile("|".join(self.furniture_patterns), re.IGNORECASE)
        self.sentence_condition = re.compile("|".join(re.escape(p) for p in self.sentence_conditions), re.IGNORECASE)
        self.modals = self.future_modals | self.hedge_modals
        self.to_clause_lemmas = self.intent_lemmas | self.ongoing_lemmas | self.hedge_lemmas


def load_cues(path: Path | str) -> Cues:
    return Cues(**json.loads(Path(path).read_text()))


@registry.misc("commitments.default_cues.v1")
def default_cues() -> Cues:
    return load_cues(CUES_PATH)


@registry.misc("commitments.cues_from_file.v1")
def cues_from_file(path: str) -> Cues:
    """Cue tables of your own: a copy of extract/cues.json, edited."""
    return load_cues(path)


@registry.misc("commitments.default_gazetteer.v1")
def default_gazetteer() -> Gazetteer:
    return gazetteer()  # common/gazetteer.json, the one the spiders and the store use too


@registry.misc("commitments.gazetteer_from_file.v1")
def gazetteer_from_file(path: str) -> Gazetteer:
    """A gazetteer of your own, in the shape of common/gazetteer.json."""
    return Gazetteer(json.loads(Path(path).read_text()))


EVENT_CUES_PATH = Path(__file__).with_name("event_cues.json")


@dataclass
class EventCues:
    """Cue words for reports on a deed (extract/events.py), by lemma: which verbs name a deed
    done, a step toward one, a delay or an abandonment. Data, not logic: tune event_cues.json."""

    # Verbs whose past or present perfect reports a deed done: "we have published X".
    deed_verbs: frozenset[str]
    # Deeds that need no object: "we have legislated to ban X", "we consulted on X".
    intransitive_deeds: frozenset[str]
    # "brought forward legislation" is a deed; "brought an end to" is not.
    particle_deeds: dict[str, frozenset[str]]
    # Verbs that are a deed only with one of these objects ("held a summit", "made regulations");
    # an empty list: any object that is not vague.
    object_deeds: dict[str, frozenset[str]]
    vague_objects: frozenset[str]
    # "We have published plans to X" restates a promise: the deed reported is the publishing.
    restatement_nouns: frozenset[str]
    # "X came into force", "X received Royal Assent": the thing is the object of the deed these name.
    states: dict[str, str]
    # "we are now analysing the responses": steps under way.
    progress_verbs: frozenset[str]
    # "the consultation closed on 9 December": the steps a consultation takes, and what each reports.
    process_nouns: frozenset[str]
    process_steps: dict[str, str]
    # "the Bill had its second reading", "the Bill is before Parliament".
    bill_nouns: frozenset[str]
    bill_stages: frozenset[str]
    parliament_words: frozenset[str]
    # "work is under way to", "work on X is ongoing".
    underway_words: tuple[str, ...]
    work_nouns: frozenset[str]
    # "we received 500 responses": a consultation's step.
    response_nouns: frozenset[str]
    delay_verbs: frozenset[str]
    delay_particles: dict[str, frozenset[str]]
    # "we now expect to publish in the spring", "will now be published in the autumn".
    revision_verbs: frozenset[str]
    revision_phrases: tuple[str, ...]
    drop_verbs: frozenset[str]
    # "we are not taking forward X": a refusal in the present, which no modal carries.
    drop_progressives: dict[str, frozenset[str]]
    # "paused indefinitely", "put on hold": a pause is an abandonment only with no end.
    pause_verbs: frozenset[str]
    indefinite_words: frozenset[str]
    # "has decided not to proceed with X".
    decision_verbs: frozenset[str]
    # "no longer intends to X".
    intent_verbs: frozenset[str]
    # "publication of the strategy has been delayed": the deed named by its noun.
    nominalisations: dict[str, str]
    # "the first phase", "some of the recommendations": part of the deed done (regular expressions).
    partial_phrases: tuple[str, ...]
    # A clause opened by one of these states no fact: "if we had published", "whether it was laid".
    hypothetical_marks: frozenset[str]
    # A clause reported by one of these states no fact either: "asked whether", "hopes that".
    non_assertive_heads: frozenset[str]
    # "The Scottish Government has launched X": a devolved government's deed is not the UK Government's.
    devolved_names: tuple[str, ...]
    # Who may do a deed the Government reports, beside cues.json's self_subjects and the gazetteer's
    # bodies: "my noble Friend has commissioned", "the Chancellor has announced". Any other named
    # doer ("the International Rugby Board has published") is not the Government.
    own_actors: frozenset[str]
    # The answer's own housekeeping: "data have been provided for all pupils", "I responded to the
    # hon. Member's letter", "this case was delayed".
    housekeeping_verbs: frozenset[str]
    housekeeping_objects: frozenset[str]

    revision: re.Pattern = field(init=False, repr=False)
    partial: re.Pattern = field(init=False, repr=False)

    def __post_init__(self):
        for f in fields(self):
            if not f.init:
                continue
            value, kind = getattr(self, f.name), typing.get_origin(f.type)
            if kind is dict and typing.get_args(f.type)[1] is not str:
                value = {key: frozenset(words) for key, words in value.items()}
            elif kind in (frozenset, tuple):
                value = kind(value)
            setattr(self, f.name, value)
        self.revision = re.compile("|".join(self.revision_phrases), re.IGNORECASE)
        self.partial = re.compile("|".join(self.partial_phrases), re.IGNORECASE)


def load_event_cues(path: Path | str) -> EventCues:
    return EventCues(**json.loads(Path(path).read_text()))


@registry.misc("commitments.default_event_cues.v1")
def default_event_cues() -> EventCues:
    return load_event_cues(EVENT_CUES_PATH)


@registry.misc("commitments.event_cues_from_file.v1")
def event_cues_from_file(path: str) -> EventCues:
    """Report cue tables of your own: a copy of extract/event_cues.json, edited."""
    return load_event_cues(path)
