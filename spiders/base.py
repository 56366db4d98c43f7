"""What every source spider shares: its API root setting, page size, rejections and lost pages,
and the requests a record waits on, which a resumed crawl must not lose."""

import json
from pathlib import Path
from urllib.parse import urlencode

import scrapy
from scrapy.exceptions import IgnoreRequest

import db
from db import crawl_runs
from spiders.items import Rejection


def failure_reason(failure) -> str:
    """'HTTP 404' for an HTTP error, the reason a request was given up (a redirect loop),
    else the exception (refused connection, timeout ...)."""
    response = getattr(failure.value, "response", None)
    if response is not None:
        return f"HTTP {response.status}"
    return str(failure.value) if isinstance(failure.value, IgnoreRequest) and str(failure.value) else repr(failure.value)


# What a parser raises on a record that is not the shape it expects (OverflowError: int() of
# the Infinity that JSON parsing lets through).
PARSE_ERRORS = (ValueError, TypeError, KeyError, AttributeError, OverflowError)


def job_dir_remembers(job_dir: str | None) -> bool:
    """Whether a job directory holds the seen-set of an earlier run that did not complete."""
    seen = Path(job_dir) / "requests.seen" if job_dir else None
    return bool(seen and seen.is_file() and seen.stat().st_size)


class SourceSpider(scrapy.Spider):
    source: str  # the `documents.source`-style name used in rejections and stats
    api_setting: str  # the setting that holds the API root
    items_key = "results"  # where a list page keeps its records
    resumed = False  # set from the job directory when the crawler makes the spider

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        # Asked before the crawl starts: once it runs, its own requests fill the seen-set.
        spider.resumed = job_dir_remembers(crawler.settings.get("JOBDIR"))
        return spider

    # -- requests a record waits on ------------------------------------------

    def record_request(self, url: str, held=None, **kwargs) -> scrapy.Request:
        """A request that a record waits on (its detail, its document).

        The job directory's seen-set remembers a request from the moment it is queued,
        but its record reaches the store only when the pipeline's batch is saved: a run
        killed in between leaves requests remembered whose records were never stored
        (still queued, in flight, or in the unsaved batch). So on a resumed crawl only a
        request whose record the store already holds whole (`held()`) may be skipped as
        seen; every other one is made again.
        """
        return scrapy.Request(url, dont_filter=self.resumed and not (held and held()), **kwargs)

    def store_holds(self, table: str, record_id, listed: dict, whole: dict[str, tuple], cut=()) -> bool:
        """Whether the store holds this record whole, as listed now (see `crawl_runs.holds_as_listed`)."""
        if not hasattr(self, "_store"):
            try:
                self._store = db.read_db(self.settings.get("COMMITMENTS_DB"))
            except db.StoreNotFound:
                self._store = None
        return self._store is not None and crawl_runs.holds_as_listed(self._store, table, record_id, listed, whole, cut)

    def closed(self, reason):
        if getattr(self, "_store", None) is not None:
            self._store.close()

    # -- paged lists: {"<items_key>": [...], "totalResults": N} with skip/take ----

    def page_request(self, url: str, params: list, skip: int = 0, total: int | None = None, **context) -> scrapy.Request:
        query = urlencode(params + [("skip", skip), ("take", self.page_size)])
        return scrapy.Request(
            f"{url}?{query}", callback=self.parse_page, errback=self.page_failed,
            cb_kwargs={"url": url, "params": params, "skip": skip, "total": total, "context": context},
            # Each window's pages are wanted on every run, whatever a job directory remembers.
            dont_filter=True,
            # The next page before the details already queued: it keeps the queue full. Scrapy's
            # own queue (last in, first out) did that by itself; a shared Redis queue orders
            # requests of one priority by their bytes, and workers would wait on a late page.
            priority=1,
        )

    def parse_page(self, response, url, params, skip, total, context):
        try:
            payload = json.loads(response.text)
            items = payload[self.items_key]
            if not isinstance(items, list):
                raise TypeError(f"{self.items_key} is not a list")
            total = int(payload.get("totalResults", len(items)))
        except PARSE_ERRORS as exc:
            self.page_lost()
            yield self.reject(response.url, f"list page is not the expected JSON: {exc}", response.text)
            # A broken page loses only itself: carry on after it when the total is known from an earlier page.
            if total is not None and skip + self.page_size < total:
                yield self.page_request(url, params, skip + self.page_size, total, **context)
            return
        if skip == 0:
            self.list_total_known(total)
        for item in items:
            yield from self.handle_item(item, response.url, **context)
        # Page on while the total says there is more, or while pages come back full
        # (a `totalResults` that is too low must not end the crawl early); stop at an
        # empty or short page. A server that ignores `take` returns everything at
        # once (more than a page): advancing by what was received never asks twice.
        if items and (skip + len(items) < total or len(items) == self.page_size):
            yield self.page_request(url, params, skip + len(items), total, **context)

    def page_failed(self, failure):
        kwargs = failure.request.cb_kwargs
        self.page_lost()
        yield self.reject(failure.request.url, f"list page unavailable ({failure_reason(failure)})")
        if kwargs["total"] is not None and kwargs["skip"] + self.page_size < kwargs["total"]:
            yield self.page_request(kwargs["url"], kwargs["params"], kwargs["skip"] + self.page_size, kwargs["total"],
                                    **kwargs["context"])

    def handle_item(self, item, page_url: str, **context):
        raise NotImplementedError

    def list_total_known(self, total: int):
        """A list's first page says how many entries it has (`totalResults`)."""

    @property
    def api_root(self) -> str:
        return self.settings.get(self.api_setting).rstrip("/")

    @property
    def page_size(self) -> int:
        return self.settings.getint("API_PAGE_SIZE", 100)

    @property
    def lost_pages(self) -> int:
        return self.crawler.stats.get_value(f"{self.source}/lost_list_pages", 0)

    def page_lost(self):
        """A list page that could not be read: the run is incomplete, so no
        incremental run may start from it."""
        self.crawler.stats.inc_value(f"{self.source}/lost_list_pages")

    def parse_or_reject(self, parse, item, page_url: str, record_id=None):
        """(record, None), or (None, the rejection saying why) for an item `parse` cannot read."""
        try:
            return parse(item), None
        except PARSE_ERRORS as exc:
            if record_id is None and isinstance(item, dict):
                record_id = item.get("id")
            return None, self.reject(page_url, f"cannot parse record: {exc!r}", json.dumps(item, default=str)[:1000],
                                     record_id)

    def reject(self, url, reason, excerpt="", record_id=None) -> Rejection:
        self.logger.warning("rejected %s%s: %s", url, f" (id {record_id})" if record_id else "", reason)
        self.crawler.stats.inc_value(f"{self.source}/rejections")
        return Rejection(source=self.source, url=url, reason=reason,
                         record_id=None if record_id is None else str(record_id), excerpt=(excerpt or "")[:1000])
