"""Label Studio export records for tests that store verdicts without a server, and
inputs shared by the parallel and Dask tests."""

from __future__ import annotations

from pathlib import Path


def annotation(i, who, verdict, when, links=()):
    """One annotation as Label Studio exports it: a verdict and evidence lines."""
    return {"id": i, "completed_by": {"email": who}, "updated_at": when, "created_at": when, "result": [
        {"from_name": "verdict", "to_name": "claim", "type": "choices", "value": {"choices": [verdict]}},
        {"from_name": "evidence", "to_name": "claim", "type": "textarea", "value": {"text": list(links)}}]}


def task(tid, claim, *annotations):
    """One exported task of ``claim`` with its annotations."""
    return {"id": tid, "project": 1, "data": {"claim_id": claim.claim_id, "sentence": claim.sentence},
            "annotations": list(annotations)}


def long_and_short_articles(folder: Path, paragraph: str) -> list[str]:
    """A one-line article and a long one (60 copies of ``paragraph``, several windows)."""
    long = folder / "long.txt"
    long.write_text("".join(f"第{i}段：全市今年新增病床{i}张。\n{paragraph}\n" for i in range(60)), "utf-8")
    (folder / "short.txt").write_text("截至2019年9月，伊朗石油出口降至不足13万桶/日。\n", "utf-8")
    return [str(folder / "short.txt"), str(long)]


def progress_reports(run) -> list[tuple]:
    """``(file name, done, total)`` of each progress report ``run(progress)`` makes."""
    seen: list[tuple] = []
    list(run(lambda article, done, total: seen.append((Path(article.source).name, done, total))))
    return seen
