"""Hands items to the store in batches, and records each crawl run."""

import json
import logging
import uuid

from itemadapter import ItemAdapter
from scrapy import signals

import db
from db.store import now_iso

logger = logging.getLogger(__name__)


class StorePipeline:
    def __init__(self, db_path: str, batch_size: int):
        self.db_path = db_path
        self.batch_size = batch_size
        self.batch: list[dict] = []
        self.counts = {"stored": 0, "rejected": 0}

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(crawler.settings.get("COMMITMENTS_DB"), crawler.settings.getint("STORE_BATCH_SIZE", 200))
        pipeline.crawler = crawler
        # The finish reason is known only at spider_closed, after close_spider.
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self, spider=None):
        self.db = db.open_db(self.db_path)
        self.run_id = uuid.uuid4().hex
        spider = spider or self.crawler.spider
        self.db["crawl_runs"].insert(
            {
                "id": self.run_id,
                "spider": spider.name,
                "started": now_iso(),
                "status": "running",
                "params": json.dumps(getattr(spider, "run_params", {}), sort_keys=True),
            }
        )

    def process_item(self, item, spider=None):
        self.batch.append(ItemAdapter(item).asdict())
        if len(self.batch) >= self.batch_size:
            self._flush()
        return item

    def close_spider(self, spider=None):
        self._flush()

    def spider_closed(self, spider, reason):
        if reason == "finished" and getattr(spider, "lost_pages", 0):
            reason = "incomplete"
        rejections = self.db["rejections"].count
        self.db["crawl_runs"].update(
            self.run_id,
            {
                "finished": now_iso(),
                # "finished" marks a complete run: incremental crawls start from it.
                "status": reason,
                "items_stored": self.counts["stored"],
                "rejections": self.counts["rejected"],
            },
        )
        logger.info("stored %(stored)d records, %(rejected)d rejections (rejections table: %(total)d rows)",
                    {**self.counts, "total": rejections})
        self.db.close()

    def _flush(self):
        if not self.batch:
            return
        rejected_items = sum(1 for record in self.batch if record.get("record_type") == "rejection")
        counts = db.save_records(self.db, self.batch)
        self.counts["stored"] += counts["stored"] - rejected_items
        self.counts["rejected"] += counts["rejected"] + rejected_items
        self.batch = []
