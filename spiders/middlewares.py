"""Retries that wait (exponential backoff, honouring Retry-After on 429 and 503), redirects
that fail loudly instead of vanishing, and the address policy that keeps a public feed from
leading the crawler into this machine or its network."""

import asyncio
from urllib.parse import urlsplit

from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware, RedirectMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request
from scrapy.resolver import dnscache

from spiders.addresses import AddressPolicy

# The request meta key naming the feed a request is made for; the address policy reads it.
ADDRESS_ORIGIN = "address_origin"


class AddressRefused(IgnoreRequest):
    """A request to an address of another kind than its feed's host (its message says which)."""


class AddressPolicyMiddleware:
    """Refuses a request whose host is not public unless its feed's host is of the same kind.

    It runs before robots.txt is fetched and sees every redirect (a followed redirect is
    a new request through the whole chain), so a public article that redirects to
    127.0.0.1 is refused too. Requests that name no feed (API spiders, whose roots are
    configured) pass; a spider's `address_origins` covers its own requests that name
    none (robots.txt, and its redirects).
    """

    def __init__(self, crawler):
        self.crawler = crawler
        self.policy = AddressPolicy(crawler.settings.getlist("ADDRESS_POLICY_PUBLIC_NETWORKS"))

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_request(self, request, spider=None):
        origin = request.meta.get(ADDRESS_ORIGIN)
        origins = [origin] if origin else getattr(self.crawler.spider, "address_origins", None)
        if not origins:
            return None
        reason = await self.policy.refusal(request.url, origins)
        if reason:
            redirects = request.meta.get("redirect_urls")
            if redirects:
                reason += f" (a redirect from {redirects[-1]} to {request.url[:200]})"
            self.crawler.stats.inc_value("address_policy/refused")
            raise AddressRefused(reason)
        self.pin(urlsplit(request.url).hostname or "")
        return None

    def pin(self, host: str) -> None:
        """Make the download connect to the address the policy checked: Scrapy's resolver answers
        from its cache (scrapy.resolver.dnscache) before asking DNS, and this runs just before the
        request is downloaded, for every request (so a pin the cache evicted is put back)."""
        address = self.policy.pinned_address(host)
        if address is None:
            return  # an address literal: nothing is resolved
        if not address:
            raise AddressRefused(f"refused: {host} has no IPv4 address to pin the download to")
        if not dnscache.limit:
            raise AddressRefused("refused: DNSCACHE_ENABLED is off, so the checked address cannot be pinned")
        dnscache[host] = address


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's RetryMiddleware, but a retried request waits before it is re-queued.

    The wait is awaited (the reactor keeps serving other requests), so a busy
    server gets room to recover instead of an immediate second hit.
    """

    def __init__(self, settings):
        super().__init__(settings)
        self.backoff_base = settings.getfloat("RETRY_BACKOFF_BASE", 2.0)
        self.backoff_max = settings.getfloat("RETRY_BACKOFF_MAX", 120.0)

    async def process_response(self, request, response, spider=None):
        result = super().process_response(request, response)
        if isinstance(result, Request):
            await asyncio.sleep(self._delay(result, response.headers.get("Retry-After")))
        return result

    async def process_exception(self, request, exception, spider=None):
        result = super().process_exception(request, exception)
        if isinstance(result, Request):
            await asyncio.sleep(self._delay(result, None))
        return result

    def _delay(self, retry: Request, retry_after: bytes | None) -> float:
        if retry_after:
            try:
                return min(float(retry_after.decode()), self.backoff_max)
            except ValueError:
                pass  # an HTTP date; fall back to our own schedule
        attempt = retry.meta.get("retry_times", 1)
        return min(self.backoff_base * 2 ** (attempt - 1), self.backoff_max)


class NoSilentRedirects:
    """Redirects that never lose a request without a word.

    Scrapy's redirect middlewares hand the redirected request back to the scheduler,
    whose dupefilter drops it, unlogged, when its URL was seen: a detail that redirects
    to itself (or to a page already fetched for another record) vanished with its
    record. Here a redirected request is never dropped as seen; a URL reached a third
    time in one chain is a loop, and a loop or too long a chain fails the request with
    the reason, so its errback stores a rejection, and the run is incomplete.
    """

    def process_response(self, request, response, spider=None):
        try:
            result = super().process_response(request, response)
        except IgnoreRequest:
            chain = [*request.meta.get("redirect_urls", []), request.url]
            raise self._lost(f"more than {self.max_redirect_times} redirects: {' -> '.join(chain)}")
        if isinstance(result, Request):
            chain = result.meta.get("redirect_urls", [])
            if chain.count(result.url) >= 2:
                loop = chain[len(chain) - 1 - chain[::-1].index(result.url):] + [result.url]
                raise self._lost(f"redirect loop: {' -> '.join(loop)}")
            result.dont_filter = True
        return result

    def _lost(self, reason: str) -> IgnoreRequest:
        self.crawler.stats.inc_value("redirects/lost")
        return IgnoreRequest(reason[:1000])


class LoopSafeRedirectMiddleware(NoSilentRedirects, RedirectMiddleware):
    pass


class LoopSafeMetaRefreshMiddleware(NoSilentRedirects, MetaRefreshMiddleware):
    pass
