"""Plain text from the HTML the sources serve (answers, statements, transcripts)."""

import re

from lxml import etree

_BLOCK_TAGS = {"p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "ul", "ol", "br"}
# Dropped with everything inside them; their tail is text. Matched as the tree spells
# them (libxml2 lower-cases HTML tag names).
_HIDDEN_TAGS = {"script", "style"}
# Runs of spaces, tabs, no-break and zero-width spaces become one space. Written to match
# only runs that are not already a single space, the usual case, which is left alone.
_SPACES = re.compile(r"(?: [ \t\u00a0\u200b]|[\t\u00a0\u200b])[ \t\u00a0\u200b]*")
# Characters XML cannot hold (C0 controls but tab and line breaks, lone surrogates, U+FFFE/FFFF):
# lxml refuses a whole document for one of them, and none of them is text a reader sees.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_FULL_DOCUMENT = re.compile(r"^\s*<(?:html|!doctype)", re.I).match  # as lxml.html tells a page from a fragment
# lxml.html's parser is this one plus a Python class lookup run for every element touched;
# the plain elements parse the same tree for less.
_PARSER = etree.HTMLParser()


def html_to_text(markup: str | None) -> str:
    """Plain text of an answer's HTML: one paragraph or list item a line.

    Block boundaries become line breaks so that the sentence splitter never
    joins the last words of one paragraph to the first of the next, and list
    items stay recognisable as items under their lead-in.
    """
    markup = _NOT_XML.sub("", markup or "")
    if not markup.strip():
        return ""
    if "<" not in markup:
        return _tidy(markup)
    # A fragment is parsed inside a body, as lxml.html.fragment_fromstring parses it.
    root = etree.fromstring(markup if _FULL_DOCUMENT(markup) else f"<html><body>{markup}</body></html>", _PARSER)
    bodies = [] if root is None or root.tag != "html" else [el for el in root if el.tag == "body"]
    return _tidy("".join(_body_text(body) for body in bodies))


def _body_text(body) -> str:
    """The body's text with a line break around each block and "- " before each list item,
    " | " after each table cell; comments, scripts and styles left out (their tails kept).

    Walked with a stack rather than recursion, so no nesting depth is too deep."""
    out = ["\n"]
    if body.text and body.text.strip():  # whitespace before the first element is not kept
        out.append(body.text)
    stack = [(iter(body), "")]
    while stack:
        children, after = stack[-1]
        for el in children:
            tag = el.tag
            if type(tag) is not str or tag in _HIDDEN_TAGS:  # comments and processing instructions have no str tag
                if el.tail:
                    out.append(el.tail)
                continue
            tag = tag.lower()
            if tag == "li":
                out.append("\n- ")
                closing = ""
            elif tag in _BLOCK_TAGS:
                out.append("\n")
                closing = "\n"
            else:
                closing = " | " if tag in ("td", "th") else ""
            if el.text:
                out.append(el.text)
            stack.append((iter(el), closing + (el.tail or "")))
            break
        else:
            stack.pop()
            out.append(after)
    return "".join(out)


def _tidy(text: str) -> str:
    # Most texts have no run to shorten, and `in` finds that out faster than the regex.
    # _SPACES matches no line break, so one pass over the whole text is the same as one a line.
    if "  " in text or "\t" in text or "\u00a0" in text or "\u200b" in text:
        text = _SPACES.sub(" ", text)
    lines = (line.strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)
