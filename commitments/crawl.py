"""Running a spider from the command line: settings, incremental windows, job directories."""

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import os
import shutil
import socket
from pathlib import Path
from urllib.parse import urlsplit

import click

import db
from common.dates import now_iso
from db import crawl_runs
from db.connection import StoreBusy

# command -> (spider, the setting its --api-url overrides)
SPIDERS = {
    "written-questions": ("written_questions", "WRITTEN_QUESTIONS_API_URL"),
    "written-statements": ("written_statements", "WRITTEN_QUESTIONS_API_URL"),
    "committee-evidence": ("committee_evidence", "COMMITTEES_API_URL"),
    "press": ("press", None),
}


class CrawlError(Exception):
    pass


def incremental_since(db_path: str, spider: str) -> str:
    """The `since` of an incremental run: the day before the last complete run started."""
    try:
        database = db.read_db(db_path)
    except db.StoreNotFound:
        started = None
    else:
        started = db.last_finished_run(database, spider)
        database.close()
    if started is None:
        raise CrawlError(
            f"no earlier complete crawl of {spider} in {db_path}: give --since YYYY-MM-DD for the first run"
        )
    # A day's overlap: the APIs filter by date, not time, and a record answered
    # late on the day of the last run must not fall between two runs.
    return (dt.datetime.fromisoformat(started).date() - dt.timedelta(days=1)).isoformat()


def parse_setting_pairs(pairs: tuple[str, ...]) -> dict[str, str]:
    settings = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise CrawlError(f"-s takes NAME=VALUE, not {pair!r}")
        settings[name.strip()] = value
    return settings


def default_job_dir(db_path: str, spider: str, args: dict) -> str:
    """Beside the store, one folder per store, spider and arguments: two stores in one folder
    crawling the same window are two jobs, and neither waits for the other's lock."""
    store = Path(db_path).resolve()
    digest = hashlib.sha1(json.dumps(args, sort_keys=True).encode()).hexdigest()[:10]
    return str(store.parent / "jobs" / f"{store.stem}-{spider}-{digest}")


def run_crawl(spider: str, spider_args: dict, *, db_path: str, api_url: str | None, api_setting: str,
              settings: dict[str, str], job_dir: str | None, output: str = "progress", verbosity: int = 1,
              redis_url: str | None = None) -> dict:
    """Crawl in this process (Twisted's reactor runs once per process) and return the run's stats.

    `output` is how the crawl shows itself (commitments.progress.MODES). With `redis_url`
    this process is one worker of a distributed job (spiders/distributed.py). Raises
    reach.Unreachable, before anything is crawled or stored, when the API's host
    does not answer.
    """
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "spiders.settings")
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    from commitments import progress, reach

    project = get_project_settings()
    for name, value in progress.output_settings(output, verbosity).items():
        if name == "EXTENSIONS":
            value = {**project.getdict("EXTENSIONS"), **value}
        project.set(name, value, priority="cmdline")
    project.set("COMMITMENTS_DB", db_path, priority="cmdline")
    if api_url and api_setting:
        project.set(api_setting, api_url, priority="cmdline")
    args = {k: v for k, v in spider_args.items() if v not in (None, "", ())}
    if redis_url:
        # The queue and the seen-set live in Redis, not in a job directory.
        for name, value in distributed_settings(redis_url, spider, args).items():
            project.set(name, value, priority="cmdline")
    else:
        job_dir = job_dir or default_job_dir(db_path, spider, args)
        project.set("JOBDIR", job_dir, priority="cmdline")
        # Local, whatever the environment told spiders/settings.py (COMMITMENTS_REDIS_URL):
        # `crawl press` takes no --redis-url.
        project.set("SCHEDULER", "scrapy.core.scheduler.Scheduler", priority="cmdline")
        project.set("DUPEFILTER_CLASS", "scrapy.dupefilters.RFPDupeFilter", priority="cmdline")
    for name, value in settings.items():
        project.set(name, value, priority="cmdline")
    if api_setting:
        reach.check_reachable(project.get(api_setting), project.getfloat("REACH_TIMEOUT", reach.DEFAULT_TIMEOUT))

    # Two runs of one crawl on one job directory would tangle its queue: refused. Workers of
    # one distributed job are meant to run at once: Redis keeps their shared queue whole.
    with (contextlib.nullcontext() if redis_url else job_lock(job_dir)):
        report_interrupted_runs(db_path)
        from spiders.base import job_dir_remembers

        if not redis_url and job_dir_remembers(job_dir):
            click.echo(f"Resuming the unfinished crawl kept in {job_dir}", err=True)
            # Scrapy's queue of pending requests is left as the run stopped; a run killed while
            # writing it leaves a truncated record, and reading that ended the resumed crawl early
            # as "finished" (84 of 450 records). The queue is not needed: a resumed crawl walks the
            # lists again and asks again for every record the store does not hold whole
            # (SourceSpider.request), so only the seen-set is kept.
            shutil.rmtree(Path(job_dir) / "requests.queue", ignore_errors=True)
        process = CrawlerProcess(project)
        crawler = process.create_crawler(spider)
        process.crawl(crawler, **args)
        process.start()
        stats = crawler.stats.get_stats()
        if stats.get("finish_reason") == "finished" and not redis_url:
            # A complete run leaves nothing to resume; a stopped one keeps its
            # queue so that the same command picks up where it left off.
            shutil.rmtree(project.get("JOBDIR"), ignore_errors=True)
    return stats


def distributed_settings(redis_url: str, spider: str, args: dict) -> dict:
    """The settings of one worker of a distributed crawl; a clear error when Redis cannot be used."""
    try:
        import redis

        from spiders import distributed
    except ImportError as exc:
        raise click.ClickException(f"--redis-url needs scrapy-redis ({exc}): pip install scrapy-redis") from None
    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=10).ping()
    except (redis.RedisError, ValueError) as exc:
        raise click.ClickException(f"cannot use Redis at {redis_url}: {exc}") from None
    key = distributed.job_key(spider, args)
    where = urlsplit(redis_url)
    # Host and port only: a Redis URL may carry a password.
    click.echo(f"Distributed crawl: a worker of job {key} on Redis at {where.hostname}:{where.port or 6379}", err=True)
    return distributed.redis_settings(redis_url, key)


@contextlib.contextmanager
def job_lock(job_dir: str):
    """Hold the job directory for this process: two runs of the same crawl would share (and
    tangle) one request queue, so the second is refused, naming the first."""
    lock_path = Path(f"{job_dir}.lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a+") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.seek(0)
            holder = lock.read().strip() or "another process"
            raise click.ClickException(f"this crawl is already running ({holder}) with job directory {job_dir}: "
                                       "wait for it to finish, or stop it and run this again to resume") from None
        lock.truncate(0)
        lock.write(f"pid {os.getpid()} on {socket.gethostname()}, started {now_iso()}\n")
        lock.flush()
        # The file stays when the crawl ends (the lock goes with the process, even a killed
        # one): removing it could let two later runs lock two different files of one name.
        yield


def _process(run: dict) -> str:
    return f"pid {run['pid']}" if run.get("pid") else "left by an earlier version"


def report_interrupted_runs(db_path: str) -> None:
    """Mark runs whose process died (killed, or the machine went down) `interrupted`, and say so in one line."""
    try:
        database = db.open_db(db_path)
        try:
            gone = crawl_runs.mark_interrupted_runs(database)
        finally:
            database.close()
    except StoreBusy as exc:
        raise click.ClickException(str(exc)) from None
    if gone:
        click.echo("Marked interrupted (process gone): " + "; ".join(
            f"{run['spider']} run started {run['started']} ({_process(run)}, last stored at {run['finished']}, "
            f"{run['items_stored'] or 0} records)" for run in gone), err=True)
