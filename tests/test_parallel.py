"""``factcheck extract --workers N``: processes extract and score, one writer stores, and
the store ends up as a serial run leaves it (issue 20)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from factcheck.cli import cli
from factcheck.model.registry import load_scorer, scorer_version
from factcheck.parallel.local import extract_paths_parallel
from factcheck.store.db import open_db
from factcheck.store.intake import extract_paths

from .conftest import EXAMPLES, SEEDS
from .factories import long_and_short_articles, progress_reports

WEIBO = SEEDS.parent / "datasets" / "ced-weibo-rumor" / "original-microblog"


def corpus() -> list[str]:
    """Mixed inputs: the examples (zh, en; txt, md, html, json), the seeds and 40 Weibo
    posts: more than one chunk, so both workers get some."""
    posts = sorted(WEIBO.glob("*.json"))[:40]
    return [str(EXAMPLES), str(SEEDS), *map(str, posts)]


def stored_claims(db) -> list[tuple]:
    return db.execute(
        "select c.article_id, c.id, c.start, c.end, c.text, c.kind, c.is_claim, c.checkworthiness, c.model_version, "
        "a.source from claims c join articles a on a.id = c.article_id order by a.source, c.start, c.end, c.id"
    ).fetchall()


@pytest.fixture(scope="module")
def serial_run(tmp_path_factory):
    db = open_db(tmp_path_factory.mktemp("serial") / "store.db")
    done = list(extract_paths(corpus(), db=db, scorer=load_scorer(None), match=False))
    return done, stored_claims(db)


@pytest.mark.model
@pytest.mark.issue(20)
def test_two_workers_store_what_one_process_stores(tmp_path, serial_run):
    serial_done, serial_rows = serial_run
    db = open_db(tmp_path / "store.db")
    done = list(extract_paths_parallel(corpus(), workers=2, db=db, version=scorer_version(None), match=False))

    # The same articles in the same order, each with the same candidates in the same order.
    assert [d.source for d in done] == [d.source for d in serial_done]
    assert [[c.claim_id for c in d.candidates] for d in done] == [[c.claim_id for c in d.candidates]
                                                                  for d in serial_done]
    rows = stored_claims(db)
    assert len(rows) == len(serial_rows) > 500
    for ours, theirs in zip(rows, serial_rows):
        assert ours[:7] == theirs[:7] and ours[8:] == theirs[8:]
        assert ours[7] == pytest.approx(theirs[7], abs=1e-6)
    # The vectors came with the claims: the writer never loaded an encoder of its own.
    assert all(c.vector is not None for d in done for c in d.candidates)


@pytest.mark.issue(20)
def test_a_bad_input_among_workers_is_reported_and_the_rest_stored(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("截至2019年9月，伊朗石油出口降至不足13万桶/日。\n", "utf-8")
    (folder / "b.json").write_text("[" * 100_000 + "]" * 100_000, "utf-8")
    (folder / "c.txt").write_text("The refinery processed 450,000 barrels a day in 2024.\n", "utf-8")
    result = CliRunner().invoke(cli, ["extract", str(folder), "--db", str(tmp_path / "s.db"), "--model", "none",
                                      "--workers", "2", "--format", "summary"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "b.json" in result.output and "2 articles" in result.output and "1 input(s) failed" in result.output
    stored = {Path(s).name for (s,) in open_db(tmp_path / "s.db").execute("select source from articles")}
    assert stored == {"a.txt", "c.txt"}


def test_workers_and_a_dask_scheduler_are_one_or_the_other(tmp_path):
    result = CliRunner().invoke(cli, ["extract", str(EXAMPLES), "--db", str(tmp_path / "s.db"), "--workers", "2",
                                      "--dask-scheduler", "tcp://127.0.0.1:1"])
    assert result.exit_code == 2 and "give one of them" in result.output


@pytest.mark.issue(20)
def test_workers_report_a_long_articles_progress_as_the_serial_run_does(tmp_path):
    inputs = long_and_short_articles(tmp_path, (EXAMPLES / "zh_public_health.txt").read_text("utf-8"))
    long = Path(inputs[1])
    serial = progress_reports(lambda progress: extract_paths(inputs, progress=progress))
    parallel = progress_reports(lambda progress: extract_paths_parallel(inputs, workers=2, progress=progress))
    assert [r for r in serial if r[0] == "long.txt"] == [r for r in parallel if r[0] == "long.txt"]
    assert sum(r[0] == "long.txt" for r in parallel) >= 3  # a report per window of the long one, as it goes
    assert parallel[-1][1] <= parallel[-1][2] == len(long.read_text("utf-8"))
