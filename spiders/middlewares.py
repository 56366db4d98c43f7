"""Retries that wait: exponential backoff, honouring Retry-After on 429 and 503."""

import asyncio

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Request


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
