"""Triggers: where a sentence voices a commitment (a modal, "intends to", "committed to",
"commitments to ...") and the deed it names, with its colour (negated, hedged, ongoing)."""

import datetime as dt
import re
from dataclasses import dataclass

from spacy.tokens import Span, Token

from common.dates import as_date
from extract.deadlines import find_deadline, resolve_period
from extract.tables import Cues


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


def find_triggers(sent: Span, cues: Cues) -> list[Trigger]:
    found: dict[int, Trigger] = {}
    for token in sent:
        trigger = trigger_at(token, cues)
        if trigger is not None and trigger.action.i not in found:
            found[trigger.action.i] = trigger
    # "will continue to fund" triggers at "will" and at "continue": keep the
    # chain that reaches the deed, not the one that stops on the way.
    heads = {t.head.i for t in found.values() if t.head.i != t.action.i}
    return [t for i, t in sorted(found.items()) if i not in heads]


def trigger_at(token: Token, cues: Cues) -> Trigger | None:
    lower, lemma = token.lower_, token.lemma_
    # "will publish", "shall introduce", "will be published", "we may review"
    if token.dep_ == "aux" and lower in cues.modals and token.head.pos_ in {"VERB", "AUX"}:
        head = token.head
        if lower in cues.hedge_modals and head.dep_ not in {"ROOT", "conj"}:
            return None  # "how the regime could work" describes; it does not promise
        trigger = follow(Trigger(head, head, modal_hedge=lower in cues.hedge_modals), cues)
        if trigger.action.lemma_ == "be":
            return scheduled_state(trigger, cues) or pleased_to(trigger)
        return trigger
    # "would be pleased to meet": the guideline's hedge
    if lower == "would" and token.dep_ == "aux" and token.head.lemma_ == "be":
        return pleased_to(Trigger(token.head, token.head))
    # "is committed to introducing X", "has committed £20 million", "remains committed to"
    if is_commit(token) and token.tag_ in {"VBN", "JJ", "VBD", "VBZ", "VBP"}:
        return committed_trigger(token, cues)
    modal = any(c.dep_ == "aux" and c.lower_ in cues.modals for c in token.children)
    progressive = any(c.dep_ == "aux" and c.lemma_ == "be" for c in token.children)
    if modal:
        return None  # the modal's own trigger covers this verb
    # "intends to", "plans to", "continues to", "is due to", "aims to", "is expected to"
    if lemma in cues.to_clause_lemmas and xcomp(token) is not None:
        if token.tag_ == "VBD" and lemma not in {"pledge", "promise"}:
            return None  # "planned to" is history
        if token.tag_ == "VB" and not any(c.dep_ == "aux" and c.lemma_ == "do" for c in token.children):
            return None  # "to enable them to continue to trade": no one's promise
        if token.tag_ == "VBG" and not progressive:
            return None  # "those seeking to renew visas": not the speaker's plan
        # follow() hedges "is expected to"; "pledged to" is judged like "committed to": a deed, not an aim
        trigger = follow(Trigger(token, token, committed=lemma in {"pledge", "promise"}), cues)
        if trigger.action.lemma_ == "be" and trigger.action.dep_ == "xcomp" and \
                (token.dep_ in {"ROOT", "conj"} or (token.dep_ == "acomp" and token.head.dep_ == "ROOT")):
            return scheduled_state(trigger, cues, settled=True) or trigger  # "due to be operational by March"
        return trigger
    if token.tag_ == "VBG" and progressive and token.dep_ in {"ROOT", "conj", "ccomp"}:
        # "we are considering the matter", "a framework is being explored"
        if lemma in cues.progressive_hedges and lower != "looking" or (lemma == "look" and any(c.lower_ == "at" for c in token.children)):
            return Trigger(token, token, hedged=True)
        # "is working with NHS Digital to develop a registry"
        target = purpose_target(token, cues) if lemma in cues.purpose_lemmas else token
        if target is not token:  # "officials are working with the sector to continue to monitor"
            chained = follow(Trigger(target, target), cues)
            if not (chained.hedged or chained.ongoing or chained.negated or future_time(chained.action)):
                # "we are working with Ofgem to provide funding": the deed is the present activity;
                # only a purpose with a date to come ("to launch X in spring 2025") is promised
                return None
            return Trigger(token, chained.action, hedged=chained.hedged, ongoing=chained.ongoing, negated=chained.negated)
    if token.tag_ == "VBN" and token.lemma_ in cues.progressive_hedges and any(c.dep_ == "auxpass" for c in token.children) \
            and any(c.lower_ == "being" for c in token.children):
        return Trigger(token, token, hedged=True)  # "is being considered", "is being explored"
    # "The first release is scheduled for 21 December", "the expansion is planned from 2026"
    if token.tag_ == "VBN" and token.lemma_ in cues.schedule_verbs and present_tense(token) and future_time(token, scheduled=True):
        if any(c.dep_ == "nsubjpass" and c.pos_ == "NOUN" for c in token.children) and not negated_at(token):
            return Trigger(token, token)
    # "has announced £60 million in humanitarian funding", "£150,000 has been budgeted": money pledged
    if token.lemma_ in cues.money_pledge_verbs and token.tag_ in {"VBD", "VBN"}:
        if pledged_money(token, cues) is not None:
            return Trigger(token, token)
    # "we are introducing free breakfast clubs", "this is increasing to £490 in 2024/25"
    if settled_present(token, cues):
        return Trigger(token, token)
    # "we keep under continuous review whether ...": present-tense review is a hedge
    if lemma == "keep" and token.tag_ in {"VBP", "VBZ"} and under_review(token):
        return Trigger(token, token, hedged=True)
    # "commitments to launch X", "no plans to change Y", "on track to agree Z"
    if lemma in cues.intent_nouns and token.pos_ == "NOUN":
        return noun_trigger(token, cues)
    # "sets a clear ambition that every person should have access to ...", "aims to"
    if lemma in cues.hedge_nouns and token.pos_ == "NOUN" and token.dep_ in {"dobj", "attr"}:
        clause = next((c for c in token.children if c.dep_ in {"acl", "relcl", "ccomp"} and c.pos_ in {"VERB", "AUX"}), None)
        if clause is not None:
            return Trigger(token.head, clause, hedged=True)
    return None


def pledged_money(verb: Token, cues: Cues) -> Token | None:
    """The sum a main-clause pledge names: its object ("announced an £8.3 billion uplift"), or
    its passive subject ("£150,000 has been budgeted"). "The 2021 Spending Review, which set aside
    £12 billion" describes a past review, not a pledge of the speaker's."""
    main = verb.dep_ == "ROOT" or (verb.dep_ == "conj" and verb.head.dep_ == "ROOT") or \
        any(c.lower_ == "why" for c in verb.children)  # "that is why we have set aside £100 million"
    if not main or negated_at(verb):
        return None
    if verb.lemma_ == "set" and not any(c.dep_ in {"prt", "advmod"} and c.lower_ == "aside" for c in verb.children):
        return None  # "set out", "set up": not money set aside
    passive = any(c.dep_ == "auxpass" for c in verb.children)
    role = "nsubjpass" if passive else "dobj"
    sum_ = next((c for c in verb.children if c.dep_ == role), None)
    # "announced six places, which received £70,258": the sum must belong to the pledge, not a clause on it
    clauses = [t for t in sum_.subtree if t.dep_ in {"relcl", "acl"}] if sum_ is not None else []
    inside = {t.i for c in clauses for t in c.subtree}
    if sum_ is None or not any(t.ent_type_ == "MONEY" and t.i not in inside for t in sum_.subtree):
        return None
    return sum_


def present_tense(verb: Token) -> bool:
    """'is introducing', 'introduces', 'is being prepared', 'is scheduled': present, no modal."""
    if verb.tag_ in {"VBZ", "VBP"}:
        return True
    return any(c.dep_ in {"aux", "auxpass"} and c.tag_ in {"VBZ", "VBP"} for c in verb.children)


def settled_present(verb: Token, cues: Cues) -> bool:
    """A future deed stated in the present tense, as settled as "will": a progressive of a verb
    that starts something ("we are introducing X", "we are commissioning a plan"), or a present
    verb with a time still to come ("this is increasing to £490 in 2024/25", "from 1 April
    the Hub takes on ..."). "We are investing £2 billion" (no time to come) stays a present fact."""
    main = verb.dep_ == "ROOT" or (verb.dep_ == "conj" and verb.head.dep_ == "ROOT" and verb.head.pos_ in {"VERB", "AUX"})
    if not main or verb.pos_ != "VERB" or not present_tense(verb) or negated_at(verb):
        return False
    lemma = verb.lemma_.lower()
    progressive = verb.tag_ == "VBG" and any(c.dep_ == "aux" and c.lemma_ == "be" for c in verb.children)
    passive = any(c.dep_ == "auxpass" for c in verb.children)
    if any(c.lower_ in {"today", "herewith"} for c in verb.children):
        return False  # "Today I am publishing the response": done as it is said
    if progressive and lemma in cues.inception_verbs:
        return True
    if lemma in cues.vague_verbs or lemma in cues.hedge_lemmas or lemma in cues.progressive_hedges:
        return False
    if lemma in cues.not_ongoing_verbs and not any(t.ent_type_ == "MONEY" for t in verb.subtree):
        return False  # "demand is rising to 2 million by 2030" is a forecast; "funding is increasing to £490" a deed
    if progressive or passive:
        return future_time(verb)
    # A simple present is habitual ("the annual release is published in June", "the financial year
    # runs from 1 April") unless it starts something on a date to come: "From April 2025 the cap rises".
    return lemma not in cues.continuation_verbs and future_time(verb, starts_only=True)


def future_time(verb: Token, starts_only: bool = False, scheduled: bool = False) -> bool:
    """A time modifier of `verb` naming a period that has not begun by the document's date ("in
    2024/25", "from April", "by March 2025"); "until 2027" continues, it does not schedule.
    A day or month with no year ("on 14 December") may be past: only "from"/"by", or a verb that
    schedules (`scheduled`: "is scheduled for 21 December"), make it future."""
    meta = verb.doc._.meta if verb.doc.has_extension("meta") else None
    base = as_date((meta or {}).get("date"))
    if base is None:
        return False
    for child in verb.children:
        if child.dep_ not in {"prep", "npadvmod", "advmod"}:
            continue
        phrase = verb.doc[child.left_edge.i: child.right_edge.i + 1]
        if any(t.lower_ in {"each", "every", "annually", "usually"} for t in phrase):
            continue  # "in June of each year": habitual
        found = find_deadline(phrase.text)
        if found is None:
            continue
        words = found[0].lower()
        if words.startswith(("until", "till", "through")) or (starts_only and not words.startswith("from")):
            continue
        if not (scheduled or _YEAR_OR_RELATIVE.search(words) or words.startswith(("from", "by", "before"))):
            continue
        period = resolve_period(found[0], base)
        if period is not None and period_start(period, found[0]) > base:
            return True
    return False


_YEAR_OR_RELATIVE = re.compile(r"\b(?:19|20)\d\d\b|\bnext\b|\bnew year\b|\bcoming\b")
_PERIOD_MONTHS = {"month": 1, "quarter": 3, "season": 3, "year": 12}


def period_start(period, phrase: str) -> dt.date:
    """The first day of a resolved period; a deadline ("by March 2025") counts from its end."""
    if phrase.lower().startswith(("by", "before", "ahead")):
        return period.end
    if period.precision == "week":
        return period.end - dt.timedelta(days=6)
    months = _PERIOD_MONTHS.get(period.precision)
    if months is None:
        return period.end
    year, month = divmod(period.end.year * 12 + period.end.month - months, 12)
    return dt.date(year, month + 1, 1)


def noun_trigger(noun: Token, cues: Cues) -> Trigger | None:
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
    if noun.dep_ in {"dobj", "attr", "nsubj", "pobj", "conj"} and governor.lemma_ not in cues.noun_head_verbs \
            and not (noun.dep_ == "pobj" and governor.head.lemma_ in cues.noun_head_verbs):
        return None  # "to drive forward our plans to improve air quality" is no commitment
    negated = any(c.lower_ in {"no", "never"} for c in noun.children) or negated_at(governor)
    head = governor if governor.pos_ in {"VERB", "AUX"} else noun
    # "plans to transform infrastructure" is an aim; "commitments to launch X" a deed.
    return Trigger(head, verb, negated=negated, committed=not negated)


def committed_trigger(token: Token, cues: Cues) -> Trigger | None:
    negated = negated_at(token) or negated_at(token.head)
    remains = token.head.lemma_ == "remain" or any(c.lemma_ == "remain" for c in token.children)
    hedged = any(a.lemma_ in cues.hedge_context for a in token.ancestors)
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


def scheduled_state(trigger: Trigger, cues: Cues, settled: bool = False) -> Trigger | None:
    """'PrEP will be routinely available in 2020/21': a settled future state is a deed. `settled`:
    the trigger itself ("is due to be operational") places the state in a main clause."""
    be = trigger.action
    main_clause = settled or be.dep_ == "ROOT" or (be.dep_ == "conj" and be.head.dep_ == "ROOT" and be.head.pos_ in {"VERB", "AUX"})
    reported = be.dep_ == "ccomp" and be.head.lemma_ in cues.reporting_verbs
    if not (main_clause or reported):
        return None  # "determining how services will be available" states nothing
    state = next((c for c in be.children if c.dep_ in {"acomp", "attr"} and c.lemma_ in cues.scheduled_states), None)
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


def follow(trigger: Trigger, cues: Cues) -> Trigger:
    """Walk down an xcomp chain ("will continue to fund") to the deed, collecting its colour."""
    token = trigger.head
    for _ in range(5):
        trigger.negated |= negated_at(token)
        trigger.hedged |= token.lemma_ in cues.hedge_lemmas and not sought_thing(token)
        trigger.ongoing |= token.lemma_ in cues.ongoing_lemmas
        if token.lemma_ == "expect" and token.tag_ == "VBN":
            trigger.hedged = True  # "is expected to publish"
        nxt = None
        if token.lemma_ in cues.to_clause_lemmas | {"want", "like", "be", "able"}:
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
    trigger.hedged |= any(a.lemma_ in cues.hedge_context for a in trigger.head.ancestors)
    trigger.hedged |= any(t.lower_ in cues.hedge_adverbs for t in trigger.head.subtree
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


def purpose_target(token: Token, cues: Cues) -> Token:
    """'will work with X to publish Y', 'will allow us to correct Z': the deed is the purpose."""
    if token.lemma_ not in cues.purpose_lemmas:
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


def sought_thing(token: Token) -> bool:
    """'seek the approval of each House' asks for a thing, a deed; 'seek to reduce X' is an aim."""
    return token.lemma_ == "seek" and any(c.dep_ == "dobj" for c in token.children) and xcomp(token) is None


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
