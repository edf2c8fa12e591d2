"""``factcheck extract --dask-scheduler``: a real local Dask cluster (a scheduler and two
workers, each its own process, started as a user would) extracts, the client stores, and
the store ends up as a serial run leaves it, even when a worker dies mid-run (issue 20)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from factcheck.model.registry import load_scorer, scorer_version
from factcheck.parallel.cluster import extract_paths_dask
from factcheck.store.db import open_db
from factcheck.store.intake import extract_paths

from .conftest import EXAMPLES, SEEDS
from .factories import long_and_short_articles, progress_reports

WEIBO = SEEDS.parent / "datasets" / "ced-weibo-rumor" / "original-microblog"
DASK = Path(sys.executable).parent / "dask"


def start(args: list[str], log: Path) -> subprocess.Popen:
    with log.open("w") as handle:  # the child keeps its own copy of the descriptor
        return subprocess.Popen([str(DASK), *args], stdout=handle, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, cwd=Path(__file__).parent.parent)


def wait_for(pattern: str, log: Path, process: subprocess.Popen, timeout: float = 60) -> re.Match:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = re.search(pattern, log.read_text(errors="replace"))
        if found:
            return found
        assert process.poll() is None, log.read_text(errors="replace")
        time.sleep(0.2)
    raise AssertionError(f"no {pattern!r} in {log}:\n{log.read_text(errors='replace')}")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """``dask scheduler --port 0`` and two ``dask worker --no-nanny`` processes (a killed
    worker stays dead); yields (address, [worker processes])."""
    logs = tmp_path_factory.mktemp("dask")
    scheduler = start(["scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard"], logs / "scheduler.log")
    processes = [scheduler]
    try:
        address = wait_for(r"Scheduler at:\s+(tcp://[\d.]+:\d+)", logs / "scheduler.log", scheduler).group(1)
        workers = [start(["worker", address, "--nthreads", "1", "--no-nanny", "--no-dashboard", "--name", f"w{i}",
                          "--local-directory", str(logs / f"w{i}")], logs / f"w{i}.log") for i in range(2)]
        processes += workers
        for i, worker in enumerate(workers):
            wait_for(r"Registered to:", logs / f"w{i}.log", worker)
        yield address, workers
    finally:
        for process in reversed(processes):
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def stored_claims(db) -> list[tuple]:
    return db.execute(
        "select c.article_id, c.id, c.start, c.end, c.text, c.kind, c.is_claim, c.checkworthiness, a.source "
        "from claims c join articles a on a.id = c.article_id order by a.source, c.start, c.end, c.id"
    ).fetchall()


@pytest.mark.model
@pytest.mark.issue(20)
def test_a_dask_cluster_stores_what_one_process_stores(tmp_path, cluster):
    address, _ = cluster
    paths = [str(EXAMPLES), *map(str, sorted(WEIBO.glob("*.json"))[:30])]
    serial = open_db(tmp_path / "serial.db")
    list(extract_paths(paths, db=serial, scorer=load_scorer(None), match=False))
    db = open_db(tmp_path / "dask.db")
    done = list(extract_paths_dask(paths, scheduler=address, db=db, version=scorer_version(None), match=False,
                                   chunk_chars=8_000))
    assert not [d.error for d in done if d.error]
    ours, theirs = stored_claims(db), stored_claims(serial)
    assert len(ours) == len(theirs) > 300
    for a, b in zip(ours, theirs):
        assert a[:7] == b[:7] and a[8:] == b[8:]
        assert a[7] == pytest.approx(b[7], abs=1e-6)


@pytest.mark.issue(20)
def test_a_dask_run_reports_a_long_articles_progress_as_the_serial_run_does(tmp_path, cluster):
    address, _ = cluster
    inputs = long_and_short_articles(tmp_path, (EXAMPLES / "zh_public_health.txt").read_text("utf-8"))
    serial = progress_reports(lambda progress: extract_paths(inputs, progress=progress))
    on_dask = progress_reports(lambda progress: extract_paths_dask(inputs, scheduler=address, progress=progress))
    long = [r for r in serial if r[0] == "long.txt"]
    assert len(long) >= 3  # a report per window of the long article, as it goes
    assert [r for r in on_dask if r[0] == "long.txt"] == long


@pytest.mark.issue(20)
def test_a_dead_workers_articles_run_again_and_nothing_is_stored_twice(tmp_path, cluster):
    address, workers = cluster
    paths = [str(p) for p in sorted(WEIBO.glob("*.json"))[:300]]
    serial = open_db(tmp_path / "serial.db")
    list(extract_paths(paths, db=serial, match=False))
    db = open_db(tmp_path / "dask.db")
    done = []
    # Small chunks: many tasks, so the worker dies with some of them on it.
    for item in extract_paths_dask(paths, scheduler=address, db=db, match=False, chunk_chars=1_500):
        done.append(item)
        if len(done) == 1:
            os.kill(workers[0].pid, signal.SIGKILL)
    workers[0].wait(timeout=10)
    assert workers[0].returncode == -signal.SIGKILL
    assert not [d.error for d in done if d.error]
    assert [d.source for d in done] == paths
    # Every article once (two posts with the same text are one article, as in the serial run).
    articles = "select id, source, version from articles order by id"
    assert db.execute(articles).fetchall() == serial.execute(articles).fetchall()
    assert stored_claims(db) == stored_claims(serial)


def test_an_unreachable_scheduler_is_an_f231_error(tmp_path):
    from factcheck.errors import ModelError

    with pytest.raises(ModelError) as caught:
        next(extract_paths_dask([str(EXAMPLES)], scheduler="tcp://127.0.0.1:9", db=None, timeout=2))
    assert caught.value.code == "F231" and "dask scheduler" in str(caught.value)
