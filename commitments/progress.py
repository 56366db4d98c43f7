"""What a crawl shows its operator: a progress line while it runs and a summary at the end,
instead of Scrapy's own log (which `-v` brings back).

Output modes:
  progress  the default: Scrapy logs errors only; a progress line on stderr (redrawn in
            place on a terminal, a plain line every PROGRESS_INTERVAL seconds otherwise);
            a summary at the end
  verbose   Scrapy's full log (-v: INFO, -vv: DEBUG) and the summary; no progress line
  quiet     errors only: nothing at all when the run is complete
"""

import logging
import shutil
import sys
import time

from scrapy import signals
from scrapy.utils.asyncio import create_looping_call

MODES = ("progress", "verbose", "quiet")
# How many rejection reasons the summary quotes; the rest are in the rejections table.
FIRST_REASONS = 3
# Seconds between two progress lines: redrawn often on a terminal; on a log file or a
# pipe (cron, CI), a line now and then is enough to show the crawl is alive.
TTY_INTERVAL = 0.5
DEFAULT_INTERVAL = 30.0
CLEAR_LINE = "\r\x1b[K"


def output_settings(mode: str, verbosity: int = 1) -> dict:
    """The Scrapy settings of an output mode (the command line's -s overrides them)."""
    if mode not in MODES:
        raise ValueError(f"output mode must be one of {MODES}, not {mode!r}")
    settings = {"COMMITMENTS_OUTPUT": mode, "EXTENSIONS": {"commitments.progress.CrawlProgress": 0}}
    if mode == "verbose":
        if verbosity > 1:
            settings["LOG_LEVEL"] = "DEBUG"
    else:
        # Rejections (Scrapy WARNINGs from the spiders) are counted on the progress
        # line and quoted in the summary; what is left to log is what went wrong.
        settings["LOG_LEVEL"] = "ERROR"
    return settings


class CrawlProgress:
    """Counts records and rejections as they pass the pipeline, draws the progress
    line, and leaves in the stats what the summary needs (`progress/*`)."""

    def __init__(self, crawler, mode: str, interval: float, stream):
        self.crawler = crawler
        self.stats = crawler.stats
        self.mode = mode
        self.stream = stream
        self.tty = stream.isatty()
        self.interval = interval or (TTY_INTERVAL if self.tty else DEFAULT_INTERVAL)
        self.records = self.rejections = 0
        self.reasons: list[str] = []
        self.started = time.monotonic()
        self.task = None
        self.drawn = False

    @classmethod
    def from_crawler(cls, crawler):
        mode = crawler.settings.get("COMMITMENTS_OUTPUT", "progress")
        extension = cls(crawler, mode, crawler.settings.getfloat("PROGRESS_INTERVAL", 0.0), sys.stderr)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    # -- signals ------------------------------------------------------------

    def spider_opened(self, spider):
        self.spider_name = spider.name
        self.started = time.monotonic()
        # Here, not in from_crawler: Scrapy replaces its root log handler after
        # the extensions are built.
        if self.mode != "verbose":
            for handler in logging.root.handlers:
                handler.addFilter(one_line)
        if self.mode == "progress":
            if self.tty:
                # A log record (an error) must not be glued to the end of the progress line.
                for handler in logging.root.handlers:
                    handler.addFilter(self._clear_before_log)
            self.task = create_looping_call(self.draw)
            self.task.start(self.interval, now=False)

    def item_scraped(self, item, **kwargs):
        if _is_rejection(item):
            self.rejections += 1
            if len(self.reasons) < FIRST_REASONS:
                self.reasons.append(_describe_rejection(item))
        else:
            self.records += 1

    def spider_closed(self, spider, reason):
        if self.task is not None and self.task.running:
            self.task.stop()
        if self.drawn and self.tty:
            self.stream.write(CLEAR_LINE)
            self.stream.flush()
        for handler in logging.root.handlers:
            handler.removeFilter(self._clear_before_log)
        self.stats.set_value("progress/first_rejections", list(self.reasons))
        self.stats.set_value("progress/elapsed_seconds", round(time.monotonic() - self.started, 1))

    # -- the line -----------------------------------------------------------

    def line(self) -> str:
        elapsed = max(time.monotonic() - self.started, 1e-6)
        done = self.records + self.rejections
        rate = done / elapsed
        parts = [f"{self.records} records", _plural(self.rejections, "rejection"),
                 _plural(self.stats.get_value("downloader/request_count", 0), "request"), f"{rate:.1f} records/s"]
        # The Parliament lists say how many records match on their first page; other
        # sources do not, and their line has no ETA.
        expected = self.stats.get_value("progress/expected_records")
        if expected and done < expected:
            parts.append(f"{done}/{expected} ({100 * done // expected}%)")
            if rate > 0:
                parts.append(f"ETA {format_duration((expected - done) / rate)}")
        return f"{self.spider_name}: " + ", ".join(parts) + f" [{format_duration(elapsed)}]"

    def draw(self):
        line = self.line()
        if self.tty:
            width = shutil.get_terminal_size((100, 20)).columns
            # A line wider than the terminal wraps, and "\r" would redraw only its last row.
            self.stream.write(CLEAR_LINE + line[: width - 1])
        else:
            self.stream.write(line + "\n")
        self.stream.flush()
        self.drawn = True

    def _clear_before_log(self, record) -> bool:
        if self.drawn:
            self.stream.write(CLEAR_LINE)
            self.drawn = False
        return True


def one_line(record: logging.LogRecord) -> bool:
    """An error in one line, its traceback left out: Scrapy logs a page of them for a
    dropped connection. -v keeps them, and the summary says so."""
    record.exc_info = record.exc_text = record.stack_info = None
    return True


def _is_rejection(item) -> bool:
    record_type = getattr(item, "record_type", None)
    if record_type is None and isinstance(item, dict):
        record_type = item.get("record_type")
    return record_type == "rejection"


def _describe_rejection(item) -> str:
    get = item.get if isinstance(item, dict) else lambda name: getattr(item, name, None)
    record_id = get("record_id")
    where = (get("url") or get("source") or "?") + (f" (id {record_id})" if record_id else "")
    return f"{where}: {get('reason')}"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def format_duration(seconds: float) -> str:
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def summary(spider: str, stats: dict, db_path: str) -> list[str]:
    """The end of a crawl in a few lines: status, the store's counts, the first
    rejections' reasons, and where the store is."""
    status = stats.get("store/status") or stats.get("finish_reason")
    stored, rejected = stats.get("store/stored", 0), stats.get("store/rejected", 0)
    refused = stats.get("store/refused", 0)
    requests = stats.get("downloader/request_count", 0)
    elapsed = stats.get("progress/elapsed_seconds")
    took = f" in {format_duration(elapsed)}" if elapsed is not None else ""
    lines = [f"{spider}: {status}{took}: {stored} records stored, {_plural(rejected, 'rejection')}, "
             f"{refused} refused by the store ({_plural(requests, 'request')})"]
    reasons = stats.get("progress/first_rejections") or []
    if reasons:
        lines.append("  first rejections:")
        lines += [f"    {reason}" for reason in reasons]
    if rejected:
        lines.append("  every rejection, with its excerpt, is in the store's rejections table")
    errors = stats.get("log_count/ERROR", 0) + stats.get("log_count/CRITICAL", 0)
    if errors:
        lines.append(f"  {_plural(errors, 'error')} logged: run again with -v for Scrapy's full log")
    if status == "shutdown":
        lines.append("  stopped before the end: run the same command again to carry on")
    lines.append(f"  store: {db_path}")
    return lines
