"""What every source spider shares: its API root setting, page size, rejections and lost pages."""

import scrapy

from spiders.items import Rejection


def failure_reason(failure) -> str:
    """'HTTP 404' for an HTTP error, else the exception (refused connection, timeout ...)."""
    response = getattr(failure.value, "response", None)
    return f"HTTP {response.status}" if response is not None else repr(failure.value)


class SourceSpider(scrapy.Spider):
    source: str  # the `documents.source`-style name used in rejections and stats
    api_setting: str  # the setting that holds the API root

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

    def reject(self, url, reason, excerpt="", record_id=None) -> Rejection:
        self.logger.warning("rejected %s%s: %s", url, f" (id {record_id})" if record_id else "", reason)
        self.crawler.stats.inc_value(f"{self.source}/rejections")
        return Rejection(source=self.source, url=url, reason=reason,
                         record_id=None if record_id is None else str(record_id), excerpt=(excerpt or "")[:1000])
