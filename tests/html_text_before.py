"""`html_to_text` as it was before it walked the tree itself (lxml.html, the tree changed in
place, then its text read back): the oracle the faster one is held to, output for output.

Where this one raised (a character reference to a control character, `&#1;`, which lxml
refuses to set back into the tree; a whole page with no body), the new one gives text.
"""

import re

from lxml import html as lxml_html

_BLOCK_TAGS = {"p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "ul", "ol", "br"}
_SPACES = re.compile(r"[ \t\u00a0\u200b]+")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def html_to_text_before(markup: str | None) -> str:
    markup = _NOT_XML.sub("", markup or "")
    if not markup.strip():
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
