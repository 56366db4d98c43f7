"""Article pages into text and metadata: trafilatura first, then og: tags, JSON-LD and
dateparser; relevance flags; the content hash that finds syndicated copies."""

import hashlib
import json
import re
from dataclasses import dataclass

import dateparser
import trafilatura
from lxml import html as lxml_html

from common.gazetteer import gazetteer

ARTICLE_TYPES = {"newsarticle", "article", "blogposting", "reportagenewsarticle", "analysisnewsarticle", "pressrelease"}


class NotAnArticle(ValueError):
    """A page that is no article (an index, a tag page, an empty page): skipped with this reason."""


@dataclass
class PageMeta:
    title: str | None = None
    author: str | None = None
    published: str | None = None
    site: str | None = None
    canonical: str | None = None
    og_type: str | None = None
    json_ld_type: str | None = None


def page_meta(markup: str) -> PageMeta:
    """What the page says of itself in <meta>, <link rel=canonical> and JSON-LD."""
    try:
        root = lxml_html.fromstring(markup)
    except (ValueError, lxml_html.etree.ParserError):
        return PageMeta()

    def meta(*names):
        for name in names:
            for attribute in ("property", "name"):
                values = root.xpath(f"//meta[@{attribute}='{name}']/@content")
                if values and values[0].strip():
                    return values[0].strip()
        return None

    found = PageMeta(
        title=meta("og:title", "twitter:title"),
        author=meta("author", "article:author", "dc.creator"),
        published=meta("article:published_time", "og:article:published_time", "date", "dc.date"),
        site=meta("og:site_name", "application-name"),
        canonical=(root.xpath("//link[@rel='canonical']/@href") or [meta("og:url")])[0],
        og_type=meta("og:type"),
    )
    for block in root.xpath("//script[@type='application/ld+json']/text()"):
        try:
            data = json.loads(block)
        except ValueError:
            continue
        for item in data if isinstance(data, list) else data.get("@graph", [data]):
            kind = item.get("@type")
            kind = (kind[0] if isinstance(kind, list) else kind or "").lower()
            if kind not in ARTICLE_TYPES:
                continue
            found.json_ld_type = kind
            found.title = found.title or item.get("headline")
            found.published = found.published or item.get("datePublished")
            author = item.get("author")
            authors = author if isinstance(author, list) else [author]
            names = [a.get("name") if isinstance(a, dict) else a for a in authors if a]
            found.author = found.author or (", ".join(n for n in names if n) or None)
            publisher = item.get("publisher")
            found.site = found.site or (publisher.get("name") if isinstance(publisher, dict) else None)
    return found


def iso_day(value: str | None) -> str | None:
    if not value:
        return None
    parsed = dateparser.parse(value, settings={"RETURN_AS_TIMEZONE_AWARE": False, "PREFER_DAY_OF_MONTH": "first"})
    return parsed.date().isoformat() if parsed else None


def normalised_hash(text: str) -> str:
    """Same words, same hash: syndicated copies differ only in furniture and whitespace."""
    words = re.sub(r"\s+", " ", re.sub(r"[^\w\s]", "", text.lower())).strip()
    return hashlib.sha256(words.encode()).hexdigest()


def extract_article(markup: str, url: str, entry: dict | None = None, min_chars: int = 300) -> dict:
    """Title, author, published date, outlet, canonical URL and clean body of an article page.

    Raises NotAnArticle with the reason for a page that is not one."""
    entry = entry or {}
    meta = page_meta(markup)
    extracted = trafilatura.extract(markup, url=url, output_format="json", with_metadata=True,
                                    include_comments=False, include_tables=False, favor_precision=True)
    data = json.loads(extracted) if extracted else {}
    text = (data.get("text") or "").strip()
    title = data.get("title") or meta.title or entry.get("title")
    if text and title and text.split("\n", 1)[0].strip() == title.strip():
        text = text.split("\n", 1)[1].strip() if "\n" in text else ""  # the headline is the title, not the body
    is_article = meta.og_type == "article" or meta.json_ld_type in ARTICLE_TYPES or data.get("pagetype") == "article"
    if not is_article and (meta.og_type or meta.json_ld_type is None) and len(text) < 3 * min_chars:
        raise NotAnArticle(f"page type {meta.og_type or data.get('pagetype') or 'unknown'}, not an article")
    if len(text) < min_chars:
        raise NotAnArticle(f"body has {len(text)} characters of text (fewer than {min_chars})")
    canonical = meta.canonical or url
    return {
        "url": canonical,
        "fetched_url": url,
        "title": title,
        "author": meta.author or data.get("author") or entry.get("author"),
        "published": iso_day(meta.published) or data.get("date") or iso_day(entry.get("published")),
        "outlet": meta.site or data.get("sitename") or entry.get("outlet"),
        "text": text,
        "content_hash": normalised_hash(text),
    }


PARLIAMENT = re.compile(r"\b(?:Parliament|House of (?:Commons|Lords)|select committee|written (?:question|answer|statement)s?|"
                        r"MPs?|peers?|Lords?\b(?= committee)|minister(?:s|ial)?)\b", re.IGNORECASE)


def relevance(text: str, title: str | None, terms: list[str], ministers: list[str], commitments: list[str]) -> list[str]:
    """Why an article matters to the tracker (empty: it does not). Every article is stored either way."""
    haystack = f"{title or ''}\n{text}"
    reasons = []
    if PARLIAMENT.search(haystack):
        reasons.append("parliament")
    bodies = sorted({owner for _s, _e, owner in gazetteer().find(haystack)})
    reasons += [f"body: {b}" for b in bodies]
    reasons += [f"minister: {m}" for m in ministers if m and re.search(rf"\b{re.escape(m)}\b", haystack)]
    lowered = haystack.lower()
    reasons += [f"commitment: {c}" for c in commitments if c and c.lower() in lowered]
    reasons += [f"term: {t}" for t in terms if t and t.lower() in lowered]
    return reasons
