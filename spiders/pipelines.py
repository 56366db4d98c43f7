"""Hands items to the store in batches, and records each crawl run."""

import logging
from dataclasses import fields, is_dataclass

from scrapy import signals
from scrapy.utils.defer import deferred_from_coro

import db
from db import crawl_runs
from db.connection import StoreBusy

logger = logging.getLogger(__name__)


class StorePipeline:
    def __init__(self, db_path: str, batch_size: int):
        self.db_path = db_path
        self.batch_size = batch_size
        self.batch: list[dict] = []
        # stored: records in the store; rejected: rejections logged by the spider or the
        # store; refused: records the spider parsed but the store could not keep (a loss).
        self.counts = {"stored": 0, "rejected": 0, "refused": 0}
        self.stopping = False

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(crawler.settings.get("COMMITMENTS_DB"), crawler.settings.getint("STORE_BATCH_SIZE", 200))
        pipeline.crawler = crawler
        # The finish reason is known only at spider_closed, after close_spider.
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self, spider=None):
        spider = spider or self.crawler.spider
        self.db = db.open_db(self.db_path)
        self.run_id = db.start_run(self.db, spider.name, getattr(spider, "run_params", {}))

    def process_item(self, item, spider=None):
        # Items are dataclasses; a shallow copy of their fields is the record the store
        # takes (`asdict` would deep-copy every raw payload for nothing).
        self.batch.append({f.name: getattr(item, f.name) for f in fields(item)} if is_dataclass(item) else dict(item))
        if len(self.batch) >= self.batch_size and not self.stopping:
            self._flush()
        return item

    def close_spider(self, spider=None):
        self._flush()

    def spider_closed(self, spider, reason):
        # Lost: a list page, a record the store refused or could not take, a request given up in a
        # redirect loop, or (a distributed crawl) the requests another worker held when it left early.
        lost = (getattr(spider, "lost_pages", 0) or self.counts["refused"] or self.batch
                or self.crawler.stats.get_value("redirects/lost") or self.crawler.stats.get_value("distributed/incomplete"))
        if reason == "finished" and lost:
            reason = "incomplete"
        try:
            db.finish_run(self.db, self.run_id, reason, self.counts["stored"], self.counts["rejected"])
        except StoreBusy as exc:
            # The row stays `running`; the next run finds its process gone and marks it interrupted.
            logger.error("could not record the end of this run: %s", exc)
            reason = "store busy"
        # What the command line reports: the store's counts and the run's status.
        for name, value in {**self.counts, "status": reason}.items():
            self.crawler.stats.set_value(f"store/{name}", value)
        logger.info("stored %(stored)d records, %(rejected)d rejections, %(refused)d refused by the store",
                    self.counts)
        self.db.close()

    def _flush(self):
        if not self.batch:
            return
        rejected_items = sum(1 for record in self.batch if record.get("record_type") == "rejection")
        try:
            # One transaction: the batch, and the run's counts with them (a run that is
            # killed later still says how far it got, and when).
            with self.db.conn:
                counts = db.save_records(self.db, self.batch)
                crawl_runs.record_progress(self.db, self.run_id, self.counts["stored"] + counts["stored"] - rejected_items,
                                           self.counts["rejected"] + counts["rejected"] + rejected_items)
        except StoreBusy as exc:
            # Another process holds the store: keep the batch (the next flush tries again)
            # and stop asking for more; the run ends incomplete and a rerun resumes it.
            logger.error("%s; stopping the crawl", exc)
            if not self.stopping:
                self.stopping = True
                deferred_from_coro(self.crawler.engine.close_spider_async(reason="store busy"))
            return
        self.counts["stored"] += counts["stored"] - rejected_items
        self.counts["rejected"] += counts["rejected"] + rejected_items
        self.counts["refused"] += counts["rejected"]
        self.batch = []
