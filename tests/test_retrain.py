"""Closing the loop: verdicts → snapshot → new version → guarded promotion; models diff."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from factcheck.cli import cli
from factcheck.errors import AnnotationError
from factcheck.extraction.ingest import read_article
from factcheck.extraction.pipeline import extract_article
from factcheck.model import registry
from factcheck.model.retrain import labels_from_verdicts, write_snapshot
from factcheck.review.labelstudio import import_export
from factcheck.store.db import open_db, save_extraction

from .conftest import EXAMPLES
from .test_classifier import write_slice

pytestmark = pytest.mark.model  # real model weights (the e5 encoder built by `factcheck models prepare`)


def _verdict(i, claim, verdict, *, checkworthy=None, updated="2026-11-23T08:00:00Z"):
    result = [{"from_name": "verdict", "to_name": "claim", "type": "choices", "value": {"choices": [verdict]}}]
    if checkworthy:
        result.append({"from_name": "checkworthy", "to_name": "claim", "type": "choices",
                       "value": {"choices": [checkworthy]}})
    return {"id": 1000 + i, "project": 1, "data": {"claim_id": claim.claim_id, "sentence": claim.sentence},
            "annotations": [{"id": i, "updated_at": updated, "result": result}]}


@pytest.fixture
def annotated(tmp_path):
    db_path = tmp_path / "store.db"
    db = open_db(db_path)
    article = read_article(EXAMPLES / "zh_economy.txt")[0]
    claims = [c for c in extract_article(article)]
    save_extraction(db, article, claims)
    tasks = [_verdict(i, c, "not a claim" if i % 2 else "refuted") for i, c in enumerate(claims[:16])]
    import_export(db, tasks)
    return db_path, db, claims


def test_labels_follow_the_latest_annotation_and_explicit_choice(annotated):
    _, db, claims = annotated
    import_export(db, [_verdict(500, claims[0], "supported", checkworthy="not check-worthy",
                                updated="2026-11-24T00:00:00Z")])
    rows = {r["claim_id"]: r for r in labels_from_verdicts(db)}
    assert rows[claims[0].claim_id]["label"] == 0  # the later annotation's explicit choice wins
    assert rows[claims[1].claim_id]["label"] == 0  # "not a claim"
    assert rows[claims[2].claim_id]["label"] == 1  # a verdict means it was worth checking
    assert len(rows) == 16


def test_snapshots_are_content_addressed_and_refuse_bad_data(annotated, tmp_path):
    _, db, _ = annotated
    rows = labels_from_verdicts(db)
    first = write_snapshot(rows, tmp_path / "snaps")
    assert write_snapshot(rows, tmp_path / "snaps") == first
    assert first.name.endswith(".jsonl") and len(first.stem.split("-")[-1]) == 12
    with pytest.raises(AnnotationError, match="conflicting labels"):
        write_snapshot(rows + [{**rows[0], "label": 1 - rows[0]["label"]}], tmp_path / "snaps")
    with pytest.raises(AnnotationError, match="Too few"):
        write_snapshot([r for r in rows if r["label"] == 1], tmp_path / "snaps")


def test_retrain_trains_compares_and_promotes(annotated, tmp_path, monkeypatch):
    db_path, _, _ = annotated
    models = tmp_path / "models"
    models.mkdir()
    monkeypatch.setenv("FACTCHECK_MODELS", str(models))
    monkeypatch.setenv("FACTCHECK_ANNOTATIONS", str(tmp_path))
    base = write_slice(tmp_path / "base.jsonl", per_lang=80)
    runner = CliRunner()
    result = runner.invoke(cli, ["retrain", "--db", str(db_path), "--no-pull", "--base", str(base)])
    assert result.exit_code == 0, result.output
    first = registry.promoted_version(models)
    assert first and "promoted" in result.stderr
    card = registry.show(first, models)
    snapshot = next(k for k in card["data"] if "snapshots" in k)
    assert card["data"][snapshot]["n"] == 16 and card["data"][snapshot]["fingerprint"]
    assert (models / first / "comparison.png").read_bytes()[:4] == b"\x89PNG"

    again = runner.invoke(cli, ["retrain", "--db", str(db_path), "--no-pull", "--seed", "14"])
    assert again.exit_code == 0, again.output
    assert "Held-out F1" in again.stdout
    second = next(c["version"] for c in registry.list_versions(models) if c["version"] != first)
    diff = runner.invoke(cli, ["models", "diff", first, second, "--data", str(base), "--format", "jsonl"])
    assert diff.exit_code == 0, diff.output
    assert "flips:" in diff.stderr
    for line in diff.stdout.splitlines():
        row = json.loads(line)
        assert {"text", "gold", first, second, "now", "fixed"} <= set(row)


def test_a_crash_mid_training_leaves_the_promoted_model_untouched(annotated, tmp_path, monkeypatch):
    db_path, _, _ = annotated
    models = tmp_path / "models"
    models.mkdir()
    monkeypatch.setenv("FACTCHECK_MODELS", str(models))
    monkeypatch.setenv("FACTCHECK_ANNOTATIONS", str(tmp_path))
    base = write_slice(tmp_path / "base.jsonl", per_lang=60)
    runner = CliRunner()
    assert runner.invoke(cli, ["retrain", "--db", str(db_path), "--no-pull", "--base", str(base)]).exit_code == 0
    promoted = registry.promoted_version(models)
    before = sorted(p.name for p in models.iterdir())

    def crash(*args, **kwargs):
        raise MemoryError("killed mid-training")

    monkeypatch.setattr("factcheck.model.train.fit_head", crash)
    result = runner.invoke(cli, ["retrain", "--db", str(db_path), "--no-pull", "--seed", "99"])
    assert isinstance(result.exception, MemoryError)
    assert registry.promoted_version(models) == promoted
    assert sorted(p.name for p in models.iterdir()) == before  # no half-written version
