"""Malformed annotations never block the review loop (issue 19, item 5).

Label Studio's API stores whatever result it is given: a ``choices`` value that is a
string or null, a span whose ``"start"`` is ``"x"``. Pull, the webhook's pull of single
tasks and retrain's reading each read every annotation on its own: the good ones are
stored, each malformed one is recorded with its task id and reason, and
``factcheck review problems`` lists them. All against a real Label Studio server.
"""

from __future__ import annotations

import json
import time
import uuid

import pytest
from click.testing import CliRunner

from factcheck.cli import cli
from factcheck.extraction.ingest import parse_text
from factcheck.extraction.pipeline import extract_article
from factcheck.model.datasets import read_labelstudio_export
from factcheck.model.retrain import labels_from_verdicts
from factcheck.review import labelstudio as fls
from factcheck.review import webhook
from factcheck.review.problems import list_problems
from factcheck.store.db import open_db, save_extraction

from .labelstudio_fixtures import ls_server  # noqa: F401

pytestmark = [pytest.mark.labelstudio, pytest.mark.issue(19)]

ARTICLE = (
    "截至2024年底，全国光伏装机容量达到8.9亿千瓦，风电装机约5.2亿千瓦。\n"
    "The grid operator added 12 GW of storage in 2024, and curtailment fell to 3%.\n"
    "Officials said the new transmission line cost $4.5 billion.\n"
    "伊朗石油出口降至不足13万桶/日。\n"
)


def choice(name: str, value) -> dict:
    return {"from_name": name, "to_name": "claim", "type": "choices", "value": {"choices": value}}


GOOD = [choice("verdict", ["supported"]),
        {"from_name": "evidence", "to_name": "claim", "type": "textarea",
         "value": {"text": ["https://example.org/a | table 1"]}}]
CHOICE_STRING = [choice("verdict", "refuted")]  # read as "refuted", never "r"
CHOICE_NULL = [choice("verdict", None)]
SPAN_NOT_A_NUMBER = [choice("verdict", ["misleading"]),
                     {"from_name": "span", "to_name": "sentence", "type": "labels",
                      "value": {"start": "x", "end": 4, "labels": ["quantity"]}}]


@pytest.fixture
def ls(ls_server):  # noqa: F811
    from label_studio_sdk import LabelStudio

    return LabelStudio(base_url=ls_server.url, api_key=ls_server.api_key)


@pytest.fixture
def store(tmp_path, ls):
    """A store with its claims pushed to a fresh project: ``(db path, project id, tasks by claim text)``."""
    path = tmp_path / "store.db"
    db = open_db(path)
    article = parse_text(ARTICLE, "energy.txt", "txt")
    save_extraction(db, article, extract_article(article))
    title = f"factcheck problems {uuid.uuid4().hex[:8]}"
    project_id = fls.setup_project(ls, title, db)
    fls.push(db, ls, project_id)
    tasks = list(ls.tasks.list(project=project_id, fields="all", page_size=100))
    assert len(tasks) >= 4
    db.close()
    yield path, project_id, title, tasks
    ls.projects.delete(id=project_id)


def annotate_each(ls, tasks) -> dict[str, tuple[int, int]]:
    """One annotation per kind on its own task → kind: (task id, annotation id)."""
    made = {}
    for (kind, result), task in zip({"good": GOOD, "string": CHOICE_STRING, "null": CHOICE_NULL,
                                     "span": SPAN_NOT_A_NUMBER}.items(), tasks):
        made[kind] = (task.id, ls.annotations.create(id=task.id, result=result).id)
    return made


def test_pull_stores_the_good_annotations_and_records_the_malformed(ls, store):
    path, project_id, _, tasks = store
    made = annotate_each(ls, tasks)
    db = open_db(path)
    report = fls.pull(db, ls, project_id)

    verdicts = {r["annotation_id"]: r for r in db.query("select * from verdicts")}
    assert verdicts[made["good"][1]]["verdict"] == "supported"
    assert [r["url"] for r in db.query("select url from evidence")] == ["https://example.org/a"]
    assert verdicts[made["string"][1]]["verdict"] == "refuted"
    assert verdicts[made["span"][1]]["verdict"] == "misleading"  # the bad span goes, the verdict stays
    assert report.invalid == 2

    problems = {(p["task_id"], p["annotation_id"]): p["reason"] for p in list_problems(db)}
    assert problems == {
        made["null"]: "verdict: choices is null, not a list of strings",
        made["span"]: "span start/end 'x'–4 are not whole numbers",
    }


def test_review_problems_lists_each_with_task_and_reason(ls, ls_server, store):  # noqa: F811
    path, project_id, title, tasks = store
    made = annotate_each(ls, tasks)
    env = {"LABEL_STUDIO_URL": ls_server.url, "LABEL_STUDIO_API_KEY": ls_server.api_key}
    runner = CliRunner()
    pulled = runner.invoke(cli, ["pull", "--db", str(path), "--title", title], env=env)
    assert pulled.exit_code == 0, pulled.output
    assert json.loads(pulled.stdout)["verdicts"] == 4
    assert "2 annotation(s) could not be read in full" in pulled.output and "review problems" in pulled.output

    listed = runner.invoke(cli, ["review", "problems", "--db", str(path), "--format", "jsonl"])
    assert listed.exit_code == 0, listed.output
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert {(r["task_id"], r["annotation_id"]) for r in rows} == {made["null"], made["span"]}
    assert all(r["project_id"] == project_id and r["claim"] for r in rows)

    table = runner.invoke(cli, ["review", "problems", "--db", str(path)], env={"COLUMNS": "200"})
    assert "'x'–4 are not whole numbers" in table.stdout and "2 problem(s) in 2 task(s)" in table.output

    # Fixed in Label Studio, the annotation leaves the list at the next pull.
    ls.annotations.update(id=made["null"][1], result=[choice("verdict", ["unverifiable"])])
    runner.invoke(cli, ["pull", "--db", str(path), "--title", title], env=env)
    db = open_db(path)
    assert [p["task_id"] for p in list_problems(db)] == [made["span"][0]]
    assert db["verdicts"].get(made["null"][1])["verdict"] == "unverifiable"


def test_the_webhook_pull_stores_the_rest_past_a_malformed_annotation(ls, store):
    path, project_id, _, tasks = store
    made = annotate_each(ls, tasks)
    report = webhook.pull_tasks(path, ls, project_id, [task_id for task_id, _ in made.values()])
    assert report.tasks == 4 and report.invalid == 2
    db = open_db(path)
    assert {r["verdict"] for r in db.query("select verdict from verdicts")} == {
        "supported", "refuted", "misleading", None}
    assert len(list_problems(db)) == 2


def test_the_live_webhook_receiver_records_a_malformed_annotation_and_stores_the_next(ls, ls_server, store):  # noqa: F811
    from label_studio_sdk import LabelStudio

    path, project_id, _, tasks = store
    secret = webhook.new_secret()
    hook_ls = LabelStudio(base_url=ls_server.url, api_key=ls_server.api_key)  # the worker's own client
    with webhook.serve(path, project_id=project_id, ls=hook_ls, secret=secret) as hook:
        webhook.register_webhook(ls, project_id, hook.url, secret)
        bad = ls.annotations.create(id=tasks[0].id, result=CHOICE_NULL).id
        good = ls.annotations.create(id=tasks[1].id, result=CHOICE_STRING).id
        deadline = time.monotonic() + 15
        while hook.stats["verdicts"] < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert (hook.stats["verdicts"], hook.stats["invalid"], hook.stats["errors"]) == (2, 1, 0)
    db = open_db(path)
    assert db["verdicts"].get(good)["verdict"] == "refuted"
    assert [(p["annotation_id"], p["reason"]) for p in list_problems(db)] == [
        (bad, "verdict: choices is null, not a list of strings")]


def test_retrain_reads_past_malformed_annotations(ls, store, tmp_path):
    """Retrain pulls then labels from the store; its export reader reads a project export."""
    path, project_id, _, tasks = store
    made = annotate_each(ls, tasks)
    db = open_db(path)
    fls.pull(db, ls, project_id)
    labels = {row["claim_id"]: row["verdict"] for row in labels_from_verdicts(db)}
    claim_of = {t.id: t.data["claim_id"] for t in tasks}
    assert labels == {claim_of[made[k][0]]: v for k, v in
                      (("good", "supported"), ("string", "refuted"), ("span", "misleading"))}

    export = tmp_path / "export.json"  # the project's JSON export, as "Export" in Label Studio gives it
    export.write_bytes(b"".join(ls.projects.exports.download_sync(project_id, export_type="JSON",
                                                                  download_all_tasks=True)))
    read = {example.id: example.meta["verdict"] for example in read_labelstudio_export(export)}
    assert read == labels
