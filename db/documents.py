"""Text-bearing records as `documents` rows: plain text from HTML and the content hash."""

import hashlib
import json
import re

from lxml import html as lxml_html

_BLOCK_TAGS = {"p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "ul", "ol", "br"}
_SPACES = re.compile(r"[ \t\u00a0\u200b]+")


def html_to_text(markup: str | None) -> str:
    """Plain text of an answer's HTML: one paragraph or list item a line.

    Block boundaries become line breaks so that the sentence splitter never
    joins the last words of one paragraph to the first of the next, and list
    items stay recognisable as items under their lead-in.
    """
    if not markup or not markup.strip():
        return ""
    if "<" not in markup:
        return _tidy(markup)
    root = lxml_html.fragment_fromstring(markup, create_parent="div")
    for bad in root.xpath(".//script|.//style"):
        bad.drop_tree()
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        tag = el.tag.lower()
        if tag == "li":
            el.text = "\n- " + (el.text or "")
        elif tag in _BLOCK_TAGS:
            el.text = "\n" + (el.text or "")
            el.tail = "\n" + (el.tail or "")
        elif tag in {"td", "th"}:
            el.tail = " | " + (el.tail or "")
    return _tidy(root.text_content())


def _tidy(text: str) -> str:
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def content_hash(text: str, **metadata) -> str:
    """Hash of what extraction reads: the text and the metadata that shapes its output."""
    payload = json.dumps({"text": text, **metadata}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


# Columns that hold lists or objects: stored as JSON text.
JSON_COLUMNS = ("grouped_questions", "attachments", "linked_statements", "raw", "params", "witnesses",
                "name_history", "relevance", "aliases")


def save_document(db, *, source: str, source_id, text: str, part=None, **fields) -> None:
    """One `documents` row per text-bearing record (or `part` of one: a transcript turn,
    a response section); its hash decides re-extraction."""
    row = {
        "id": f"{source}:{source_id}" + (f":{part}" if part is not None else ""),
        "source": source,
        "source_id": str(source_id),
        "text": text,
        **fields,
    }
    row.setdefault("government", 1)
    row["content_hash"] = content_hash(
        text, date=row.get("date"), body=row.get("body"), person=row.get("person"), government=row["government"]
    )
    db["documents"].upsert(row, pk="id")


def encode_json(row: dict) -> None:
    for column in JSON_COLUMNS:
        if column in row and row[column] is not None and not isinstance(row[column], str):
            row[column] = json.dumps(row[column], ensure_ascii=False, sort_keys=True)
    for column, value in row.items():
        if isinstance(value, bool):
            row[column] = int(value)
