"""One crawl shared by several workers (processes, or machines that reach one Redis).

With `REDIS_URL` set, scrapy-redis keeps the request queue and the seen-requests set in Redis:
every worker of a job pops from one queue and a request any of them has made is made once.
What scrapy-redis leaves to us, and this scheduler adds:

- a job is one crawl (spider and arguments), keyed like the job directory it replaces, so
  that two windows never share a queue;
- the worker that opens the job (the first one, or the first one after every earlier worker
  of an unfinished job is gone) queues the start requests; a worker that joins a running job
  only takes from the queue, so no list is walked twice;
- a worker with nothing to do waits while another worker is busy (that one may still queue
  pages), and leaves when none is;
- a job whose workers all finished is removed from Redis; one that a worker left early
  (stopped, killed: its in-flight requests are lost) stays, the runs that end with it are
  `incomplete` (so no incremental crawl starts from them), and the same command resumes it:
  it walks the lists again and, as a resumed job directory does, makes again every record
  request whose record the store does not hold whole.
"""

import hashlib
import json
import logging
import os
import socket
import time
import uuid

from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.scheduler import Scheduler

logger = logging.getLogger(__name__)

KEY_PREFIX = "commitments"
# Seconds between a worker's signs of life, and after which a silent worker counts as gone.
HEARTBEAT_SECONDS = 2.0
DEFAULT_WORKER_TIMEOUT = 30.0
# How often a waiting worker looks at the queue again (Scrapy's own check is every 5 s).
IDLE_POLL_SECONDS = 0.5


def job_key(spider_name: str, args: dict) -> str:
    """The Redis key prefix of one crawl: its spider and its arguments (as the job directory's name)."""
    digest = hashlib.sha1(json.dumps(args, sort_keys=True).encode()).hexdigest()[:10]
    return f"{KEY_PREFIX}:{spider_name}-{digest}"


def redis_settings(redis_url: str, key: str | None = None) -> dict:
    """The Scrapy settings that make a crawl a worker of the distributed job `key` (default:
    the spider's name and arguments, `job_key`)."""
    settings = {
        "REDIS_URL": redis_url,
        "SCHEDULER": "spiders.distributed.SharedScheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        # The job outlives any one worker; SharedScheduler removes it when the job is done.
        "SCHEDULER_PERSIST": True,
    }
    if key:
        settings["DISTRIBUTED_JOB"] = key
    return settings


class SharedScheduler(Scheduler):
    """scrapy-redis's scheduler, plus the job's membership: who opens it, who waits, who clears it."""

    @classmethod
    def from_crawler(cls, crawler):
        scheduler = super().from_crawler(crawler)
        scheduler.crawler = crawler
        scheduler.worker = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        scheduler.timeout = crawler.settings.getfloat("DISTRIBUTED_WORKER_TIMEOUT", DEFAULT_WORKER_TIMEOUT)
        scheduler.state = "busy"
        crawler.signals.connect(scheduler.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(scheduler.spider_closed, signal=signals.spider_closed)
        return scheduler

    # -- opening: open, join or resume the job ----------------------------------

    def open(self, spider):
        self.key = spider.settings.get("DISTRIBUTED_JOB") or job_key(spider.name, getattr(spider, "run_params", {}))
        self.queue_key = f"{self.key}:requests"
        self.df = RFPDupeFilter(self.server, key=f"{self.key}:dupefilter",
                                debug=spider.settings.getbool("DUPEFILTER_DEBUG"))
        self.workers_key, self.meta_key = f"{self.key}:workers", f"{self.key}:meta"
        with self.server.lock(f"{self.key}:lock", timeout=30, blocking_timeout=30):
            live = self.live_workers()
            if not self.server.exists(self.meta_key):
                self.opens_job, resumed = True, False
                self.server.delete(self.workers_key)
                self.server.hset(self.meta_key, mapping={"opened": time.time(), "resumed": 0})
            elif live:
                self.opens_job, resumed = False, self.server.hget(self.meta_key, "resumed") in ("1", b"1")
            else:
                # Every earlier worker stopped or died: what they held in flight is lost, though the
                # seen-set remembers it. Walk the lists again; record requests are made again (see
                # SourceSpider.record_request).
                self.opens_job, resumed = True, True
                self.server.delete(self.workers_key)
                self.server.hset(self.meta_key, mapping={"resumed": 1})
            self.set_state("busy")
        spider.resumed = resumed
        self.crawler.stats.set_value("distributed/job", self.key)
        self.crawler.stats.set_value("distributed/role", "opened" if self.opens_job else "joined")
        if resumed and self.opens_job:
            logger.warning("Resuming the unfinished distributed crawl %s", self.key)
        from twisted.internet import task  # not at import: Scrapy installs its reactor first

        self.heartbeat = task.LoopingCall(self.beat)
        self.heartbeat.start(HEARTBEAT_SECONDS, now=False)
        super().open(spider)

    def enqueue_request(self, request):
        # A joining worker takes from the job's queue; the opener alone starts the lists.
        if not self.opens_job and request.meta.get("is_start_request"):
            return False
        return super().enqueue_request(request)

    def next_request(self):
        request = super().next_request()
        if request is not None and self.state != "busy":
            self.set_state("busy")
        return request

    # -- workers' states --------------------------------------------------------

    def set_state(self, state: str) -> None:
        self.state = state
        self.server.hset(self.workers_key, self.worker, json.dumps({"state": state, "seen": time.time()}))

    def beat(self) -> None:
        try:
            self.set_state(self.state)
        except Exception as exc:  # Redis gone for a moment: the next beat tries again
            logger.warning("could not reach Redis for a heartbeat: %s", exc)

    def others(self) -> dict[str, dict]:
        entries = {}
        for name, value in self.server.hgetall(self.workers_key).items():
            name = name.decode() if isinstance(name, bytes) else name
            if name != self.worker:
                entry = json.loads(value)
                entry["gone"] = entry["state"] in ("busy", "idle") and time.time() - entry["seen"] > self.timeout
                entries[name] = entry
        return entries

    def live_workers(self) -> list[str]:
        return [name for name, entry in self.others().items() if entry["state"] in ("busy", "idle") and not entry["gone"]]

    # -- waiting and leaving ------------------------------------------------------

    def spider_idle(self, spider):
        """Nothing queued and nothing in hand: wait while another worker is busy, else leave."""
        self.set_state("idle")
        others = self.others()
        if any(entry["state"] == "busy" and not entry["gone"] for entry in others.values()):
            from twisted.internet import reactor

            reactor.callLater(IDLE_POLL_SECONDS, self.wake)
            raise DontCloseSpider
        unfinished = sorted(name for name, entry in others.items() if entry["gone"] or entry["state"] == "stopped")
        if unfinished:
            # Their requests in flight are lost: this run did not see the whole job.
            self.crawler.stats.set_value("distributed/incomplete", f"workers left early: {', '.join(unfinished)}")

    def wake(self):
        # Ask the engine to look at the queue now rather than at its next 5-second heartbeat.
        slot = getattr(self.crawler.engine, "_slot", None)
        if slot is not None:
            slot.nextcall.schedule()

    def spider_closed(self, spider, reason):
        if self.heartbeat.running:
            self.heartbeat.stop()
        try:
            with self.server.lock(f"{self.key}:lock", timeout=30, blocking_timeout=30):
                complete = reason == "finished" and not self.crawler.stats.get_value("distributed/incomplete")
                self.set_state("done" if complete else "stopped")
                others = self.others()
                if complete and all(entry["state"] == "done" for entry in others.values()):
                    # The last worker of a job that every worker finished: nothing to resume.
                    self.server.delete(self.queue_key, self.df.key, self.workers_key, self.meta_key)
        except Exception as exc:
            logger.error("could not record this worker's end in Redis: %s", exc)
