"""Lists under a lead-in: after "The Government will:" each list item is a deed of the
lead-in's kind and owner."""

import re

from spacy.tokens import Doc, Span

from common.dates import as_date
from common.gazetteer import Gazetteer
from extract.boundaries import BULLETS
from extract.deadlines import deadline_fields, find_deadline
from extract.spans import Mention
from extract.subjects import speaking_owner
from extract.tables import Cues

# "The Government will:" followed by a list: each item is a deed under the lead-in.
LEAD_IN = re.compile(r"\b(?:will|shall|intends? to|plans? to|(?:is|are|remains?) committed to|commits? to|"
                     r"(?:is|are) going to)\b[^:]*:\s*$", re.IGNORECASE)
LIST_ITEM = re.compile(r"^\s*(?:[-•*–·]|\(?[a-z0-9]{1,2}[.)])\s+")


def lead_in_of(doc: Doc, sent: Span, meta: dict, cues: Cues, gazetteer: Gazetteer) -> tuple[str, str | None]:
    """(kind, owner) that a lead-in such as "The Government will:" gives its list items."""
    text = sent.text.lower()
    if re.search(r"\bnot\b|\bno plans\b|n't\b", text):
        kind = "negative"
    elif re.search(r"\b(?:consider|explore|may|might|aim|hope|seek)\b", text):
        kind = "hedged"
    elif re.search(r"\bcontinue\b|\bremains? committed\b", text):
        kind = "ongoing"
    elif cues.sentence_condition.search(text) or re.search(r"\b(?:if|unless|subject to)\b", text):
        kind = "conditional"
    else:
        kind = "firm"
    named = gazetteer.find(sent.text)
    return kind, named[0][2] if named else speaking_owner(doc, sent, meta, gazetteer)


def names_a_deed(words) -> bool:
    """A list item names a deed when a verb is in it ("Introducing a levy"), it opens in lower
    case as the lead-in's verb phrases do ("consult on X", which the tagger may call a noun),
    or money is in it ("£5 million for cycle lanes"). Links, and titles of tables and
    publications ("Bus fares statistics (GOV.UK)", "Table 2: trips"), name none."""
    words = [t for t in words if not (t.like_url or "www." in t.lower_ or "http" in t.lower_)]
    if not words:
        return False
    return words[0].text[:1].islower() or any(t.pos_ == "VERB" or t.ent_type_ == "MONEY" for t in words)


def list_item_mentions(doc: Doc, sent: Span, meta: dict, lead_in: tuple[str, str | None], cues: Cues) -> list[Mention]:
    kind, owner = lead_in
    words = [t for t in sent if not t.is_space and t.text not in BULLETS and not (t.i == sent.start and t.is_punct)]
    while words and (words[-1].is_punct or words[-1].lower_ in {"and", "or"}):
        words.pop()
    if not words or words[0].lemma_.lower() in cues.vague_verbs | {"the", "a", "an"}:
        return []
    if not names_a_deed(words):
        return []  # "- https://www.gov.uk/...", "- Table 2: trips by region": where to look, not what to do
    first, last = words[0], words[-1]
    deadline = find_deadline(doc[first.i: last.i + 1].text)
    end = last.idx + len(last.text)
    if deadline:
        deadline_start = first.idx + deadline[1]
        end = deadline_start if deadline_start > first.idx else end
    action = (first.lemma_ + doc.text[first.idx + len(first.text): end]).strip().rstrip(",;")
    sentence = sent.text.strip()
    start = sent.start_char + (len(sent.text) - len(sent.text.lstrip()))
    return [Mention(kind=kind, sentence=sentence, sentence_start=start, sentence_end=start + len(sentence),
                    action=action, action_start=first.idx,
                    action_end=first.idx + len(doc.text[first.idx:end].rstrip().rstrip(",;")),
                    owner=owner, person=meta.get("person"),
                    **deadline_fields(deadline, as_date(meta.get("date"))), reported=None)]
