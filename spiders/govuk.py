"""GOV.UK content items: what departments publish themselves (government responses,
written and oral statements, speeches, press releases), as the Content API serves
them (`https://www.gov.uk/api/content/<base_path>`).

    commitments load-govuk items/*.json

This module only parses: `parse_item` turns one content item into a plain record
for the store (`record_type` "govuk"). A content item's identity is its
`base_path`, the page it is published at: `content_id` is shared by an item's
translations, and copies of items share it too.
"""

import datetime as dt
import re

from common.gazetteer import canonical_owner
from common.text import html_to_text

PUBLIC = "https://www.gov.uk"

# A speech or statement's date is when it was made (`delivered_on`): an item can be
# drafted months before, and its `first_published_at` then says so. Other items date
# from their first public appearance; `public_updated_at` only when nothing else is given.
_DATE_FIELDS = (("details", "delivered_on"), ("details", "first_public_at"), (None, "first_published_at"),
                (None, "public_updated_at"))
_HONORIFICS = re.compile(r"^(?:the\s+)?(?:rt\.?\s+hon\.?\s+)|\s+(?:MP|QC|KC|MSP|MS|AM|MLA)$", re.IGNORECASE)


class NotContentItem(ValueError):
    """JSON that is not a GOV.UK content item with a body: the caller stores a rejection saying why."""


def uk_date(value: str | None) -> str | None:
    """The date in the UK of a GOV.UK timestamp ('2014-05-08T23:30:00+00:00' is 9 May in London)."""
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise NotContentItem(f"date {value!r} is not an ISO timestamp") from None
    if moment.tzinfo is not None:
        try:
            from zoneinfo import ZoneInfo

            moment = moment.astimezone(ZoneInfo("Europe/London"))
        except (ImportError, KeyError, OSError):
            pass  # no time zone data on this machine: the date as the timestamp gives it
    return moment.date().isoformat()


def person_name(title: str | None) -> str | None:
    """'The Rt Hon Elizabeth Truss MP' -> 'Elizabeth Truss': the name as Parliament's APIs give it."""
    if not title:
        return None
    name, previous = title.strip(), None
    while name != previous:
        previous, name = name, _HONORIFICS.sub("", name).strip()
    return name or None


def _links(item: dict, kind: str) -> list[dict]:
    links = (item.get("links") or {}).get(kind) or []
    if not isinstance(links, list):
        raise NotContentItem(f"links.{kind} is not a list")
    return [link for link in links if isinstance(link, dict)]


def _first_title(item: dict, kind: str) -> str | None:
    titles = [link.get("title") for link in _links(item, kind) if link.get("title")]
    return titles[0] if titles else None


def body_html(details: dict) -> str | None:
    """The body as HTML: a string, or (in multi-format items) the text/html entry of a list."""
    body = details.get("body")
    if isinstance(body, list):
        body = next((part.get("content") for part in body
                     if isinstance(part, dict) and part.get("content_type") == "text/html"), None)
    return body if isinstance(body, str) else None


def parse_item(item: dict) -> dict:
    """One content item as a store record; raises NotContentItem when it is not one."""
    if not isinstance(item, dict):
        raise NotContentItem("not a JSON object")
    base_path = item.get("base_path")
    if not isinstance(base_path, str) or not base_path.startswith("/"):
        raise NotContentItem("no base_path: not a GOV.UK content item")
    details = item.get("details") or {}
    if not isinstance(details, dict):
        raise NotContentItem("details is not an object")
    markup = body_html(details)
    text = html_to_text(markup)
    if not text:
        raise NotContentItem(f"{base_path}: no body text in details.body")
    date = next((uk_date(value) for section, field in _DATE_FIELDS
                 if (value := (details if section else item).get(field))), None)
    organisations = [link["title"] for link in _links(item, "organisations") if link.get("title")]
    # The owner: the organisation that published it, else the first one tagged.
    publisher = _first_title(item, "primary_publishing_organisation") or (organisations[0] if organisations else None)
    withdrawn = item.get("withdrawn_notice") or {}
    government = details.get("government") if isinstance(details.get("government"), dict) else {}
    return {
        "record_type": "govuk",
        "id": base_path,
        "url": PUBLIC + base_path,
        "content_id": item.get("content_id"),
        "locale": item.get("locale"),
        "title": item.get("title"),
        "description": item.get("description"),
        "document_type": item.get("document_type"),
        "schema_name": item.get("schema_name"),
        "date": date,
        "first_published_at": item.get("first_published_at"),
        "public_updated_at": item.get("public_updated_at"),
        "organisations": organisations,
        "owner": canonical_owner(publisher),
        "speaker": person_name(_first_title(item, "speaker")),
        "role": _first_title(item, "roles"),
        "location": details.get("location"),
        "government_name": government.get("title"),
        "political": bool(details.get("political")),
        "withdrawn": bool(withdrawn.get("explanation")) if isinstance(withdrawn, dict) else False,
        "body_html": markup,
        "text": text,
    }
