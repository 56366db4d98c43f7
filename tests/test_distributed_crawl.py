"""A crawl shared by two workers through a real Redis (scrapy-redis): every page fetched once,
every record stored once. Real `redis-server` on loopback, real crawl subprocesses, one SQLite file."""

import os
import shutil
import subprocess
import sys
import time

import pytest
import sqlite_utils

from tests.conftest import ROOT, free_port, run_cli
from tests.test_resume_and_locks import (SlowDetails, crawl_command, kill_when, made_up_question, run, start,
                                         stored_count)

try:
    import redis
    import scrapy_redis  # noqa: F401
except ImportError:
    redis = None

REDIS_SERVER = shutil.which("redis-server")
needs_scrapy_redis = pytest.mark.skipif(redis is None, reason="scrapy-redis is not installed (pip install scrapy-redis)")


@pytest.fixture
def redis_url(tmp_path):
    if redis is None:
        pytest.skip("scrapy-redis is not installed (pip install scrapy-redis): distributed crawls untested")
    if REDIS_SERVER is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server): distributed crawls untested")
    port = free_port()
    server = subprocess.Popen([REDIS_SERVER, "--bind", "127.0.0.1", "--port", str(port), "--save", "",
                               "--appendonly", "no", "--dir", str(tmp_path)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            assert server.poll() is None and time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)
    yield url
    server.terminate()
    server.wait(timeout=10)


def worker_command(api, db_path, tmp_path, redis_url, *extra):
    return crawl_command(api, db_path, tmp_path / "unused-job", "--redis-url", redis_url, "-s", "API_PAGE_SIZE=30",
                         "-s", "STORE_BATCH_SIZE=20", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=4", *extra)


def test_two_workers_share_one_queue_and_store_every_record_once(db_path, tmp_path, redis_url):
    # Long answers: every record needs its detail, so there is work for both workers.
    records = [made_up_question(n, long_answer=n % 5 != 0) for n in range(120)]
    with SlowDetails(records, detail_seconds=0.01) as api:
        command = worker_command(api, db_path, tmp_path, redis_url)
        workers = [start(command) for _ in range(2)]
        outputs = [worker.communicate(timeout=120) for worker in workers]
        requests = [path for path in api.requests if path != "/robots.txt"]
    for worker, (_, stderr) in zip(workers, outputs):
        assert worker.returncode == 0, stderr[-3000:]
        assert "Distributed crawl: a worker of job commitments:written_questions-" in stderr
    # Each list page and each detail was asked for once, by one worker or the other.
    assert sorted(requests) == sorted(set(requests))
    assert sum("/questions/" in path for path in requests) == sum(1 for n in range(120) if n % 5)
    database = sqlite_utils.Database(db_path)
    assert sorted(row["id"] for row in database["written_questions"].rows) == sorted(r["id"] for r in records)
    assert database["documents"].count == len(records)
    assert all(row["answer_truncated"] == 0 for row in database["written_questions"].rows)
    runs = list(database["crawl_runs"].rows)
    assert [r["status"] for r in runs] == ["finished", "finished"]
    # The work was shared, and nothing stored twice.
    assert all(r["items_stored"] > 0 for r in runs), runs
    assert sum(r["items_stored"] for r in runs) == len(records)
    # A job every worker finished leaves nothing behind in Redis.
    assert redis.Redis.from_url(redis_url).keys("commitments:*") == []


def test_a_job_a_worker_left_early_ends_incomplete_and_the_same_command_resumes_it(db_path, tmp_path, redis_url):
    records = [made_up_question(n, long_answer=True) for n in range(120)]
    with SlowDetails(records, detail_seconds=0.03) as api:
        # A worker silent for 2 s counts as gone (the default, 30 s, outlasts a slow request).
        command = worker_command(api, db_path, tmp_path, redis_url, "-s", "DISTRIBUTED_WORKER_TIMEOUT=2")
        opener = start(command)
        joiner = start(command)
        try:
            kill_when(opener, lambda: stored_count(db_path) >= 20)
        finally:
            if opener.poll() is None:
                opener.kill()
            opener.communicate()
        _, stderr = joiner.communicate(timeout=120)
        # The killed worker's requests in flight are lost: the one left cannot call the job complete.
        assert joiner.returncode == 1, stderr[-3000:]
        assert redis.Redis.from_url(redis_url).keys("commitments:*") != []
        resumed = run(command)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert "Resuming the unfinished distributed crawl" in resumed.stderr
    database = sqlite_utils.Database(db_path)
    rows = list(database["written_questions"].rows)
    assert sorted(row["id"] for row in rows) == sorted(r["id"] for r in records)
    assert all(row["answer_truncated"] == 0 for row in rows)
    statuses = sorted(r["status"] for r in database["crawl_runs"].rows)
    assert statuses == ["finished", "incomplete", "interrupted"]
    assert redis.Redis.from_url(redis_url).keys("commitments:*") == []


@needs_scrapy_redis
def test_a_redis_that_does_not_answer_is_one_line_before_any_crawl(db_path, tmp_path):
    with SlowDetails([made_up_question(1, long_answer=False)], detail_seconds=0) as api:
        result = run(worker_command(api, db_path, tmp_path, f"redis://127.0.0.1:{free_port()}/0"))
        assert api.requests == []
    assert result.returncode == 1
    assert "cannot use Redis at" in result.stderr and "Traceback" not in result.stderr


@needs_scrapy_redis
def test_scrapy_crawl_and_scrapyd_jobs_become_workers_through_the_environment():
    def scheduler(**extra):
        return subprocess.run([sys.executable, "-m", "scrapy", "settings", "--get", "SCHEDULER"], cwd=ROOT, text=True,
                              capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT), **extra},
                              timeout=60).stdout.strip()

    assert scheduler(COMMITMENTS_REDIS_URL="redis://127.0.0.1:6379/0") == "spiders.distributed.SharedScheduler"
    assert scheduler(COMMITMENTS_REDIS_URL="") == "scrapy.core.scheduler.Scheduler"


def test_a_worker_on_another_machine_hands_its_records_over_as_json_lines(db_path, tmp_path):
    # SQLite's locks are not safe over a network file system: a worker elsewhere keeps a
    # store of its own and writes what it stores as JSON Lines, which `load` brings home.
    records = [made_up_question(n, long_answer=n % 2 == 0) for n in range(20)]
    remote, exported = tmp_path / "remote.db", tmp_path / "records.jsonl"
    feeds = '{"%s": {"format": "jsonlines", "encoding": "utf-8"}}' % exported
    with SlowDetails(records, detail_seconds=0) as api:
        crawled = run(crawl_command(api, remote, tmp_path / "job", "-s", f"FEEDS={feeds}"))
    assert crawled.returncode == 0, crawled.stderr[-3000:]
    run_cli("load", exported, db=db_path)

    def documents(path):
        return sorted(sqlite_utils.Database(path).execute("select id, content_hash, text from documents").fetchall())

    assert len(documents(db_path)) == len(records)
    assert documents(db_path) == documents(remote)
