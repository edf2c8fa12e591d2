"""Agreement and disagreements (pure), and the offline export import, on real store files."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from factcheck.cli import cli
from factcheck.errors import AnnotationError
from factcheck.extraction.ingest import parse_text
from factcheck.extraction.pipeline import extract_article
from factcheck.review.agreement import krippendorff_alpha, per_task, summary
from factcheck.review.labelstudio import import_export
from factcheck.store.db import open_db, save_extraction

from .labelstudio_fixtures import ls_server  # noqa: F401


def rows(*items):
    return [{"task_id": t, "claim_id": f"c{t}", "annotator": a, "verdict": v, "annotation_id": i}
            for i, (t, a, v) in enumerate(items)]


def test_per_task_majority_and_disputes():
    tasks = per_task(rows((1, "ann", "refuted"), (1, "bo", "refuted"), (1, "cy", "supported"),
                          (2, "ann", "supported"), (3, "ann", "misleading"), (3, "bo", "unverifiable")))
    by_id = {t.task_id: t for t in tasks}
    assert by_id[1].majority == "refuted" and by_id[1].agreement == pytest.approx(2 / 3) and by_id[1].disputed
    assert not by_id[2].disputed and by_id[2].agreement == 1.0
    assert by_id[3].majority is None and by_id[3].disputed


def test_alpha_is_one_for_perfect_agreement_and_low_for_chance():
    perfect = per_task(rows((1, "a", "refuted"), (1, "b", "refuted"), (2, "a", "supported"), (2, "b", "supported")))
    assert krippendorff_alpha(perfect) == pytest.approx(1.0)
    opposed = per_task(rows((1, "a", "refuted"), (1, "b", "supported"), (2, "a", "supported"), (2, "b", "refuted")))
    assert krippendorff_alpha(opposed) < 0
    assert krippendorff_alpha(per_task(rows((1, "a", "refuted")))) is None


def test_summary_counts():
    stats = summary(rows((1, "a", "refuted"), (1, "b", "supported"), (2, "a", "supported")))
    assert stats["tasks"] == 2 and stats["multi_annotated"] == 1 and stats["disputed"] == 1
    assert stats["annotations_per_task"] == {1: 1, 2: 1}


@pytest.fixture
def store(tmp_path):
    db_path = tmp_path / "store.db"
    db = open_db(db_path)
    article = parse_text("The refinery processed 450,000 barrels a day in 2024.", "r.txt", "txt")
    claims = extract_article(article)
    save_extraction(db, article, claims)
    return db_path, db, claims[0]


def export_of(claim, *annotations):
    return [{"id": 5, "project": 3, "data": {"claim_id": claim.claim_id, "sentence": claim.sentence},
             "annotations": list(annotations)},
            {"id": 6, "data": {"text": "a task from another tool"}, "annotations": []}]


def annotation(i, who, verdict, links=()):
    return {"id": i, "completed_by": {"email": who}, "result": [
        {"from_name": "verdict", "to_name": "claim", "type": "choices", "value": {"choices": [verdict]}},
        {"from_name": "evidence", "to_name": "claim", "type": "textarea", "value": {"text": list(links)}}]}


def test_import_an_export_file_and_list_disagreements(store, tmp_path):
    db_path, db, claim = store
    export = tmp_path / "export.json"
    export.write_text(json.dumps(export_of(
        claim, annotation(1, "a@x", "refuted", ["https://eia.gov/x | table"]), annotation(2, "b@x", "supported"),
        {"id": 3, "was_cancelled": True, "result": []})), "utf-8")
    result = CliRunner().invoke(cli, ["verdicts", "import", str(export), "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"tasks": 1, "verdicts": 2, "invalid": 0, "unknown_claims": 0,
                                         "foreign_tasks": 1}
    assert db["evidence"].count == 1 and db["verdicts"].get(1)["project_id"] == 3

    again = CliRunner().invoke(cli, ["verdicts", "import", str(export), "--db", str(db_path)])
    assert again.exit_code == 0 and db["verdicts"].count == 2  # idempotent

    listed = CliRunner().invoke(cli, ["review", "disagreements", "--db", str(db_path), "--format", "jsonl"])
    row = json.loads(listed.stdout.splitlines()[0])
    assert row["verdicts"] == {"a@x": "refuted", "b@x": "supported"} and row["claim_id"] == claim.claim_id
    assert "1 disputed of 1" in listed.stderr


def test_import_rejects_a_file_that_is_not_an_export(store, tmp_path):
    db_path, db, _ = store
    with pytest.raises(AnnotationError, match="list of tasks"):
        import_export(db, {"not": "a list"})
    bad = tmp_path / "bad.json"
    bad.write_text("{oops", "utf-8")
    result = CliRunner().invoke(cli, ["verdicts", "import", str(bad), "--db", str(db_path)])
    assert result.exit_code == 1 and "Error: [F514]" in result.stderr


def test_verdicts_for_unknown_claims_are_counted_not_stored(store, tmp_path):
    _, db, claim = store
    claim.claim_id = "not-in-this-store"
    report = import_export(db, export_of(claim, annotation(9, "a@x", "refuted")))
    assert report.unknown_claims == 1 and db["verdicts"].count == 0


def test_a_labelstudio_export_is_training_data(store, tmp_path):
    from factcheck.model.datasets import detect_format, load

    _, _, claim = store
    task = export_of(claim, annotation(1, "a@x", "refuted"))[0]
    task["data"].update({"claim": claim.text, "lang": "en"})
    not_claim = {"id": 7, "data": {"claim_id": "c2", "claim": "What a day.", "lang": "en", "sentence": "What a day."},
                 "annotations": [annotation(4, "a@x", "not a claim")]}
    unlabelled = {"id": 8, "data": {"claim_id": "c3", "claim": "x", "lang": "en", "sentence": "x"}, "annotations": []}
    path = tmp_path / "export.json"
    path.write_text(json.dumps([task, not_claim, unlabelled], indent=1), "utf-8")
    assert detect_format(path) == "labelstudio_export"
    examples = load(str(path))
    assert [(e.text, e.label) for e in examples] == [(claim.text, 1), ("What a day.", 0)]


@pytest.mark.labelstudio
@pytest.mark.issue(18)
def test_with_overlap_two_annotators_make_agreement_measurable(ls_server, tmp_path):  # noqa: F811
    """`labelstudio setup --overlap 2`: a task stays in the queue until two people have
    annotated it, and `review disagreements` then has agreement to report."""
    import uuid

    from label_studio_sdk import LabelStudio

    from factcheck.review import labelstudio as fls

    ls = LabelStudio(base_url=ls_server.url, api_key=ls_server.api_key)
    env = {"LABEL_STUDIO_URL": ls_server.url, "LABEL_STUDIO_API_KEY": ls_server.api_key}
    db_path = tmp_path / "store.db"
    db = open_db(db_path)
    article = parse_text("The refinery processed 450,000 barrels a day in 2024. Exports rose 12% in 2023.\n",
                         "r.txt", "txt")
    save_extraction(db, article, extract_article(article))
    title = f"overlap {uuid.uuid4().hex[:8]}"
    setup = CliRunner().invoke(cli, ["labelstudio", "setup", "--overlap", "2", "--title", title, "--db", str(db_path)],
                               env=env)
    assert setup.exit_code == 0, setup.output
    project_id = json.loads(setup.stdout)["project_id"]
    try:
        fls.push(db, ls, project_id)
        first, second = list(ls.tasks.list(project=project_id, fields="all"))[:2]
        colleague = ls.users.create(username=f"bo{uuid.uuid4().hex[:6]}", email=f"bo{uuid.uuid4().hex[:6]}@x.org",
                                    password=uuid.uuid4().hex)

        def verdict(task, value, who=None):
            result = [{"from_name": "verdict", "to_name": "claim", "type": "choices", "value": {"choices": [value]}}]
            ls.annotations.create(id=task.id, result=result, **({"completed_by": who} if who else {}))

        verdict(first, "refuted")
        view = next(v for v in ls.views.list(project=project_id) if v.data["title"] == fls.QUEUE_VIEW)
        queued = {t.id for t in ls.tasks.list(project=project_id, view=view.id)}
        assert first.id in queued  # one annotation of two: still waiting for the second annotator
        verdict(first, "refuted", colleague.id)
        verdict(second, "supported")
        verdict(second, "misleading", colleague.id)
        assert first.id not in {t.id for t in ls.tasks.list(project=project_id, view=view.id)}

        pulled = CliRunner().invoke(cli, ["pull", "--db", str(db_path), "--title", title], env=env)
        assert pulled.exit_code == 0, pulled.output
        listed = CliRunner().invoke(cli, ["review", "disagreements", "--db", str(db_path), "--format", "jsonl"])
        disputed = [json.loads(line) for line in listed.stdout.splitlines()]
        assert [d["task_id"] for d in disputed] == [second.id]
        assert sorted(disputed[0]["verdicts"].values()) == ["misleading", "supported"]
        assert "2 tasks with several annotators" in listed.output and "alpha (nominal) n/a" not in listed.output
    finally:
        ls.projects.delete(id=project_id)
