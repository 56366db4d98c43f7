"""Running a spider from the command line: settings, incremental windows, job directories."""

import datetime as dt
import hashlib
import json
import os
import shutil
from pathlib import Path

import db

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
    digest = hashlib.sha1(json.dumps(args, sort_keys=True).encode()).hexdigest()[:10]
    return str(Path(db_path).resolve().parent / "jobs" / f"{spider}-{digest}")


def run_crawl(spider: str, spider_args: dict, *, db_path: str, api_url: str | None, api_setting: str,
              settings: dict[str, str], job_dir: str | None, output: str = "progress", verbosity: int = 1) -> dict:
    """Crawl in this process (Twisted's reactor runs once per process) and return the run's stats.

    `output` is how the crawl shows itself (commitments.progress.MODES). Raises
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
    job_dir = job_dir or default_job_dir(db_path, spider, args)
    project.set("JOBDIR", job_dir, priority="cmdline")
    for name, value in settings.items():
        project.set(name, value, priority="cmdline")
    if api_setting:
        reach.check_reachable(project.get(api_setting), project.getfloat("REACH_TIMEOUT", reach.DEFAULT_TIMEOUT))

    process = CrawlerProcess(project)
    crawler = process.create_crawler(spider)
    process.crawl(crawler, **args)
    process.start()
    stats = crawler.stats.get_stats()
    if stats.get("finish_reason") == "finished":
        # A complete run leaves nothing to resume; a stopped one keeps its
        # queue so that the same command picks up where it left off.
        shutil.rmtree(project.get("JOBDIR"), ignore_errors=True)
    return stats
