"""Scrapy settings: polite by default. Every API root is a setting (override with -s)."""

import os

from common import config

BOT_NAME = "commitments"
SPIDER_MODULES = ["spiders.written_questions", "spiders.written_statements", "spiders.committee_evidence",
                  "spiders.press"]
NEWSPIDER_MODULE = "spiders"

# Politeness: obey robots.txt, say who we are and how to reach us, let
# AutoThrottle adapt to the server, and back off when it says it is busy.
ROBOTSTXT_OBEY = True
USER_AGENT = config.USER_AGENT
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_TIMEOUT = 60
# No answer, transcript or article is anywhere near this size: a larger body
# (a gzip bomb decompresses past it) is dropped, not held in memory. Scrapy
# checks the decompressed size too.
DOWNLOAD_MAXSIZE = 64 * 1024 * 1024
DOWNLOAD_WARNSIZE = 8 * 1024 * 1024

RETRY_ENABLED = True
RETRY_TIMES = 4
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 408, 522, 524]
# Exponential backoff between retries: base * 2**(attempt-1) seconds, capped;
# a Retry-After header from the server wins.
RETRY_BACKOFF_BASE = 2.0
RETRY_BACKOFF_MAX = 120.0
DOWNLOADER_MIDDLEWARES = {
    # Before robots.txt (100) and seeing every redirect: see spiders/addresses.py.
    "spiders.middlewares.AddressPolicyMiddleware": 50,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "spiders.middlewares.BackoffRetryMiddleware": 550,
    # A redirect loop is a rejection, never a request that silently disappears.
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "spiders.middlewares.LoopSafeMetaRefreshMiddleware": 580,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "spiders.middlewares.LoopSafeRedirectMiddleware": 600,
}
# Networks the address policy counts as public whatever their range (default: none).
# A press feed on a public host is never let reach a loopback, private or link-local
# address; a test serves a "public" site from 127.0.0.2 by naming it here.
ADDRESS_POLICY_PUBLIC_NETWORKS: list[str] = []

ITEM_PIPELINES = {"spiders.pipelines.StorePipeline": 300}
STORE_BATCH_SIZE = 200
COMMITMENTS_DB = config.DEFAULT_DB_PATH

WRITTEN_QUESTIONS_API_URL = config.WRITTEN_QUESTIONS_API
COMMITTEES_API_URL = config.COMMITTEES_API
# Page size for list endpoints (the API accepts up to 1000; smaller pages
# mean a failure costs less).
API_PAGE_SIZE = 100

LOG_LEVEL = "INFO"
LOGSTATS_INTERVAL = 30.0
# No console into the crawling process: the telnet console prints its password
# in the log and listens on a port; the remote-control server runs code sent to it.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
# `commitments crawl`: seconds to wait for the API's host before saying it cannot
# be reached (commitments/reach.py; 0 skips the check), and seconds between two
# progress lines (0: redrawn every half second on a terminal, a line every 30 s
# in a log file).
REACH_TIMEOUT = 10.0
PROGRESS_INTERVAL = 0
FEED_EXPORT_ENCODING = "utf-8"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"

# A distributed crawl (spiders/distributed.py) when COMMITMENTS_REDIS_URL is set: how a
# `scrapy crawl` or a Scrapyd job becomes a worker; `commitments crawl --redis-url` (or the
# same variable) sets the same settings itself.
if os.environ.get("COMMITMENTS_REDIS_URL"):
    from spiders.distributed import redis_settings

    globals().update(redis_settings(os.environ["COMMITMENTS_REDIS_URL"]))
