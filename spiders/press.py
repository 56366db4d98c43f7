"""Press coverage: RSS/Atom feeds (feedparser) listing articles, fetched through Scrapy.

    commitments crawl press [--feeds FILE]

Articles already stored (by canonical or fetched URL) are not fetched again
unless `refresh` is set: the seen-URL memory that makes a daily run cheap.
"""

import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import scrapy

import db
from common import resources
from spiders.articles import NotAnArticle, extract_article, relevance
from spiders.base import SourceSpider, failure_reason
from spiders.items import Article
from spiders.middlewares import ADDRESS_ORIGIN, AddressRefused

DEFAULT_FEEDS = resources.default_feeds()


def load_feeds(path: str | Path | None) -> dict:
    """The feeds file: {"feeds": [{name, url, outlet}], "relevance": {terms, min_chars}}."""
    path = Path(path) if path else DEFAULT_FEEDS
    try:
        config = tomllib.loads(path.read_text())
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"cannot read feeds file {path}: {exc}") from None
    feeds = config.get("feeds") or []
    bad = [f for f in feeds if not isinstance(f, dict) or not f.get("url")]
    if not feeds or bad:
        raise ValueError(f"{path}: every [[feeds]] entry needs a url ({len(bad)} without)")
    local = [f["url"] for f in feeds if urlsplit(str(f["url"])).scheme.lower() not in ("http", "https")]
    if local:
        raise ValueError(f"{path}: feed urls must be http or https, not {', '.join(local)}")
    return config


class PressSpider(SourceSpider):
    """Arguments (-a): feeds (a TOML file; default the shipped one), refresh (re-fetch seen articles)."""

    name = "press"
    source = "article"

    def __init__(self, feeds=None, refresh=None, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.config = load_feeds(feeds)
        self.refresh = str(refresh).lower() in {"1", "true", "yes"}
        self.run_params = {"feeds": str(feeds or DEFAULT_FEEDS), "refresh": self.refresh}
        # Every request names the feed it is made for: the address policy lets a request
        # reach only public addresses and those of the feed's own kind (spiders/addresses.py).
        self.address_origins = [str(f["url"]) for f in self.config["feeds"]]

    def store_knows(self) -> tuple[set[str], list[str], list[str]]:
        """(article URLs already stored, minister names, tracked commitment actions), read-only."""
        try:
            database = db.read_db(self.settings.get("COMMITMENTS_DB"))
        except db.StoreNotFound:
            return set(), [], []  # a first crawl: nothing seen yet
        try:
            return db.press_context(database)
        finally:
            database.close()

    async def start(self):
        self.seen, self.ministers, self.commitments = self.store_knows()
        self.requested: set[str] = set()
        for feed in self.config["feeds"]:
            yield scrapy.Request(feed["url"], callback=self.parse_feed, errback=self.feed_failed,
                                 cb_kwargs={"feed": feed}, meta={ADDRESS_ORIGIN: str(feed["url"])}, dont_filter=True)

    def parse_feed(self, response, feed):
        parsed = feedparser.parse(response.body)
        if not parsed.entries:
            self.page_lost()
            problem = parsed.get("bozo_exception") or "no entries"
            yield self.reject(response.url, f"not a readable feed: {problem}", response.text[:1000])
            return
        for entry in parsed.entries:
            link = entry.get("link")
            if not link:
                yield self.reject(response.url, "feed entry without a link", str(entry.get("title")))
                continue
            if urlsplit(link).scheme.lower() not in ("http", "https"):
                # A feed entry pointing at file:, data: or ftp: must never make the crawler
                # read it (and the store publish it).
                yield self.reject(response.url, f"feed entry link is not http(s): {link[:200]}", "",
                                  str(entry.get("title")))
                continue
            if link in self.seen and not self.refresh:
                self.crawler.stats.inc_value("article/already_stored")
                continue
            if link in self.requested:  # in two feeds: once is enough
                continue
            self.requested.add(link)
            meta = {"title": entry.get("title"), "author": entry.get("author"),
                    "published": entry.get("published") or entry.get("updated"),
                    "outlet": feed.get("outlet") or parsed.feed.get("title")}
            # Articles already stored were skipped above: a resumed crawl fetches every other one.
            yield self.record_request(link, callback=self.parse_article, errback=self.article_failed,
                                      cb_kwargs={"feed": feed, "entry": meta}, meta={ADDRESS_ORIGIN: str(feed["url"])})

    def parse_article(self, response, feed, entry):
        if "html" not in response.headers.get("Content-Type", b"text/html").decode().lower():
            yield self.reject(response.url, "skipped: not an HTML page")
            return
        relevance_config = self.config.get("relevance", {})
        try:
            article = extract_article(response.text, response.url, entry, int(relevance_config.get("min_chars", 300)))
        except NotAnArticle as exc:
            self.crawler.stats.inc_value("article/not_articles")
            yield self.reject(response.url, f"skipped, not an article: {exc}")
            return
        reasons = relevance(article["text"], article["title"], relevance_config.get("terms", []),
                            self.ministers, self.commitments)
        yield Article(feed=feed.get("name"), relevant=bool(reasons), relevance=reasons, **article)

    def feed_failed(self, failure):
        self.page_lost()
        yield self.reject(*self.failed_request(failure, "feed"))

    def article_failed(self, failure):
        yield self.reject(*self.failed_request(failure, "article"))

    @staticmethod
    def failed_request(failure, what: str) -> tuple[str, str]:
        """(the address the feed named, why it was not read): a refused address says
        which rule refused it; a redirect is reported under the address it started from."""
        request = failure.request
        url = (request.meta.get("redirect_urls") or [request.url])[0]
        if failure.check(AddressRefused):
            return url, f"{what} {failure.value}"
        return url, f"{what} unavailable ({failure_reason(failure)})"
