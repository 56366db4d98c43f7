"""Whether an API can be reached at all, asked once before a crawl starts.

Scrapy retries a refused connection with backoff on every request, robots.txt
first: an API that is down, or a mistyped --api-url, would cost minutes and end
in a page of tracebacks. One TCP connection with a short timeout tells it in a
line. Failures after this check (a server that goes away mid-crawl) are retried
and logged as rejections as before.
"""

import socket
from urllib.parse import urlsplit
from urllib.request import getproxies, proxy_bypass

DEFAULT_TIMEOUT = 10.0


class Unreachable(Exception):
    """The API's host does not answer: the crawl would only retry and give up."""


def check_reachable(url: str, timeout: float = DEFAULT_TIMEOUT) -> None:
    """Open (and close) one connection to the host of `url`, or to the proxy Scrapy
    would use for it; raise Unreachable with the reason in words. A timeout of 0 skips
    the check (a network where only Scrapy's own route works)."""
    if timeout <= 0:
        return
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        raise Unreachable(f"cannot reach {url}: the port is not a number") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Unreachable(f"cannot reach {url}: not an http(s) URL")
    target, through = (parts.hostname, port or (443 if parts.scheme == "https" else 80)), ""
    proxy = _proxy_for(parts.scheme, parts.hostname)
    if proxy:
        # Scrapy's HttpProxyMiddleware sends the request through the same proxy.
        proxy_parts = urlsplit(proxy if "//" in proxy else f"http://{proxy}")
        target, through = (proxy_parts.hostname, proxy_parts.port or 80), f" (through the proxy {proxy})"
    try:
        with socket.create_connection(target, timeout=timeout):
            pass
    except socket.gaierror as exc:
        raise Unreachable(f"cannot reach {url}{through}: host {target[0]} not found ({exc.strerror})") from None
    except TimeoutError:
        raise Unreachable(f"cannot reach {url}{through}: no answer within {timeout:g} s") from None
    except ConnectionRefusedError:
        raise Unreachable(f"cannot reach {url}{through}: connection refused") from None
    except OSError as exc:
        raise Unreachable(f"cannot reach {url}{through}: {(exc.strerror or str(exc)).lower()}") from None


def _proxy_for(scheme: str, host: str) -> str | None:
    proxies = getproxies()
    if scheme not in proxies or proxy_bypass(host):
        return None
    return proxies[scheme]
