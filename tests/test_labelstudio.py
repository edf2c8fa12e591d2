"""The review loop against a real Label Studio server: push, pull, resume, edits."""

from __future__ import annotations

import uuid

import pytest

from factcheck.errors import LabelStudioError
from factcheck.extraction.ingest import parse_text
from factcheck.extraction.pipeline import extract_article
from factcheck.review import labelstudio as fls
from factcheck.review.tasks import annotation_guideline
from factcheck.store.claims import claim_from_row
from factcheck.store.db import open_db, save_extraction

from .labelstudio_fixtures import ls_server  # noqa: F401

pytestmark = pytest.mark.labelstudio

ARTICLE = (
    "截至2024年底，全国光伏装机容量达到8.9亿千瓦，风电装机约5.2亿千瓦。\n"
    "𠮷野家去年在日本新开了300家分店。\n"
    "The grid operator added 12 GW of storage in 2024, and curtailment fell to 3%.\n"
    "Officials said the new transmission line cost $4.5 billion.\n"
)


@pytest.fixture
def ls(ls_server):  # noqa: F811
    from label_studio_sdk import LabelStudio

    return LabelStudio(base_url=ls_server.url, api_key=ls_server.api_key)


@pytest.fixture
def project(ls):
    title = f"factcheck test {uuid.uuid4().hex[:8]}"
    project_id = fls.setup_project(ls, title)
    yield title, project_id
    ls.projects.delete(id=project_id)


@pytest.fixture
def db(tmp_path):
    db = open_db(tmp_path / "store.db")
    article = parse_text(ARTICLE, "energy.txt", "txt")
    save_extraction(db, article, extract_article(article))
    return db


def n_claims(db) -> int:
    return db["claims"].count_where("is_claim = 1")


def server_tasks(ls, project_id) -> list:
    return list(ls.tasks.list(project=project_id, fields="all", page_size=1000))


def annotate(ls, task_id, verdict="refuted", evidence=("https://example.org/a | table 1",)):
    return ls.annotations.create(id=task_id, result=[
        {"from_name": "verdict", "to_name": "claim", "type": "choices", "value": {"choices": [verdict]}},
        {"from_name": "evidence", "to_name": "claim", "type": "textarea", "value": {"text": list(evidence)}},
    ], lead_time=4.2)


def test_setup_is_idempotent(ls, project):
    title, project_id = project
    assert fls.setup_project(ls, title) == project_id


def test_push_is_exactly_once_and_repush_is_a_no_op(ls, project, db):
    _, project_id = project
    first = fls.push(db, ls, project_id)
    assert first.sent == n_claims(db) >= 4
    again = fls.push(db, ls, project_id)
    assert (again.sent, again.updated, again.already) == (0, 0, n_claims(db))
    tasks = server_tasks(ls, project_id)
    claim_ids = [t.data["claim_id"] for t in tasks]
    assert len(claim_ids) == len(set(claim_ids)) == n_claims(db)
    assert all(t.meta["claim_id"] == t.data["claim_id"] for t in tasks)


def test_non_bmp_chinese_spans_survive_the_server(ls, project, db):
    _, project_id = project
    fls.push(db, ls, project_id)
    task = next(t for t in server_tasks(ls, project_id) if "𠮷" in t.data["sentence"])
    prediction = ls.predictions.list(task=task.id)[0]
    units = task.data["sentence"].encode("utf-16-le")
    spans = {r["value"]["labels"][0]: r["value"] for r in prediction.result if r["type"] == "labels"}
    q = spans["quantity"]
    assert units[2 * q["start"] : 2 * q["end"]].decode("utf-16-le") == q["text"] == "300家"


def test_interrupted_push_resumes_without_duplicates(ls, project, db):
    """The state a server kill leaves behind: claims in the outbox, some of them already
    imported by the server, none recorded. The next push settles it."""
    _, project_id = project
    rows = fls._claims_to_push(db, project_id, limit=None, min_score=None, order="article")
    tasks = [fls.build_task(claim_from_row(db, r), title=r["title"], url=r["url"]) for r in rows]
    db["ls_outbox"].insert_all([{"claim_id": r["id"], "project_id": project_id, "batch": "x", "queued_at": "t"}
                                for r in rows], pk=("project_id", "claim_id"))
    half = len(tasks) // 2
    ls.projects.import_tasks(id=project_id, request=tasks[:half])  # arrived, never confirmed
    report = fls.push(db, ls, project_id)
    assert report.recovered == half and report.sent == len(tasks) - half
    claim_ids = [t.data["claim_id"] for t in server_tasks(ls, project_id)]
    assert sorted(claim_ids) == sorted(r["id"] for r in rows)
    assert db["ls_outbox"].count == 0


def test_server_down_is_a_clear_error_and_loses_nothing(ls_server, db):  # noqa: F811
    from label_studio_sdk import LabelStudio

    dead = LabelStudio(base_url="http://127.0.0.1:9", api_key=ls_server.api_key, timeout=2)
    with pytest.raises(LabelStudioError, match="factcheck labelstudio start"):
        fls.push(db, dead, 1)
    assert db["ls_tasks"].count == 0


def test_wrong_key_is_a_clear_error(ls_server, project, db):  # noqa: F811
    from label_studio_sdk import LabelStudio

    wrong = LabelStudio(base_url=ls_server.url, api_key="not-the-key")
    with pytest.raises(LabelStudioError, match="refused the API key"):
        fls.push(db, wrong, project[1])


def test_changed_claim_updates_its_task_in_place(ls, project, db):
    _, project_id = project
    fls.push(db, ls, project_id)
    claim = next(db.query("select id, text from claims where is_claim = 1 limit 1"))
    db["claims"].update(claim["id"], {"text": claim["text"] + " (edited)"})
    report = fls.push(db, ls, project_id)
    assert (report.sent, report.updated) == (0, 1)
    task = next(t for t in server_tasks(ls, project_id) if t.data["claim_id"] == claim["id"])
    assert task.data["claim"].endswith("(edited)")
    assert len(server_tasks(ls, project_id)) == n_claims(db)
    assert len(ls.predictions.list(task=task.id)) == 1


def test_pull_stores_verdicts_edits_and_deletions(ls, project, db):
    _, project_id = project
    fls.push(db, ls, project_id)
    tasks = server_tasks(ls, project_id)
    first = annotate(ls, tasks[0].id)
    second = annotate(ls, tasks[0].id, verdict="supported", evidence=("ftp://nope | bad link",))
    report = fls.pull(db, ls, project_id)
    assert report.verdicts == 2 and report.invalid == 1
    rows = {r["annotation_id"]: r for r in db.query("select * from verdicts")}
    assert rows[first.id]["verdict"] == "refuted" and rows[first.id]["lead_time"] == 4.2
    assert rows[first.id]["claim_id"] == tasks[0].data["claim_id"]
    assert [e["url"] for e in db.query("select url from evidence where annotation_id = ?", [first.id])] == [
        "https://example.org/a"]
    assert "not an http(s) URL" in rows[second.id]["problems"]

    empty = fls.pull(db, ls, project_id)  # incremental: nothing changed
    assert empty.verdicts == 0

    ls.annotations.update(id=first.id, result=[
        {"from_name": "verdict", "to_name": "claim", "type": "choices", "value": {"choices": ["misleading"]}}])
    ls.annotations.delete(id=second.id)
    report = fls.pull(db, ls, project_id)
    assert report.deleted == 1
    assert db["verdicts"].get(first.id)["verdict"] == "misleading"
    assert db["verdicts"].get(second.id)["deleted_at"] is not None
    assert db["evidence"].count_where("annotation_id = ?", [first.id]) == 0


def test_push_survives_a_server_killed_mid_push(tmp_path, db):
    """A second, private server is SIGKILLed after the first batch; after a restart
    on the same data, the next push sends the rest and every claim is there once."""
    import os
    import signal

    from label_studio_sdk import LabelStudio

    from factcheck.review import server as lss

    config = tmp_path / "ls.json"
    info = lss.start(data_dir=tmp_path / "data", config_path=config)
    try:
        ls = LabelStudio(base_url=info.url, api_key=info.api_key, timeout=5)
        project_id = fls.setup_project(ls, "killed mid-push")
        total = n_claims(db)

        def kill_after_first_batch(_n):
            os.kill(info.pid, signal.SIGKILL)

        with pytest.raises(LabelStudioError):
            fls.push(db, ls, project_id, batch_size=2, progress=kill_after_first_batch)
        assert db["ls_tasks"].count == 2  # the first batch was confirmed before the kill
        assert db["ls_outbox"].count == 2  # the second batch was queued, never confirmed

        restarted = lss.start(data_dir=tmp_path / "data", config_path=config)
        ls = LabelStudio(base_url=restarted.url, api_key=restarted.api_key)
        report = fls.push(db, ls, project_id)
        assert report.sent + report.recovered == total - 2
        claim_ids = [t.data["claim_id"] for t in server_tasks(ls, project_id)]
        assert len(claim_ids) == len(set(claim_ids)) == total
        assert db["ls_outbox"].count == 0
    finally:
        lss.stop(config_path=config)


class _Model:
    version = "cw-test-2"

    def score(self, texts, langs=None):
        return [0.55 for _ in texts]


def test_rescore_updates_unannotated_tasks_only(ls, project, db):
    _, project_id = project
    fls.push(db, ls, project_id)
    tasks = server_tasks(ls, project_id)
    annotated = tasks[0]
    annotate(ls, annotated.id)
    fls.pull(db, ls, project_id)
    assert fls.rescore(db, _Model()) == n_claims(db)
    report = fls.push(db, ls, project_id)
    assert report.kept_annotated == 1 and report.updated == n_claims(db) - 1
    after = {t.id: t for t in server_tasks(ls, project_id)}
    assert "cw-test-2" not in after[annotated.id].data["model_info"]
    others = [t for t in after.values() if t.id != annotated.id]
    assert all("cw-test-2" in t.data["model_info"] and t.data["uncertainty"] == 0.9 for t in others)
    prediction = ls.predictions.list(task=others[0].id)[0]
    assert prediction.model_version == "cw-test-2"
    # The review-queue tab orders unlabelled tasks by uncertainty, most uncertain first.
    views = [v for v in ls.views.list(project=project_id) if v.data.get("title") == fls.QUEUE_VIEW]
    assert len(views) == 1 and views[0].data["ordering"] == ["-tasks:data.uncertainty"]
    queued = list(ls.tasks.list(project=project_id, view=views[0].id, fields="all"))
    assert annotated.id not in {t.id for t in queued} and len(queued) == n_claims(db) - 1


class _SpreadModel:
    version = "cw-test-3"

    def score(self, texts, langs=None):
        return [round(0.05 + 0.9 * (i % 5) / 4, 2) for i, _ in enumerate(texts)]


def test_review_queue_puts_the_most_uncertain_first(ls, project, db):
    _, project_id = project
    fls.rescore(db, _SpreadModel())
    fls.push(db, ls, project_id)
    view = next(v for v in ls.views.list(project=project_id) if v.data.get("title") == fls.QUEUE_VIEW)
    queued = [t.data["uncertainty"] for t in ls.tasks.list(project=project_id, view=view.id, fields="all")]
    assert queued == sorted(queued, reverse=True) and queued[0] == 1.0


def test_a_claim_matching_a_checked_one_arrives_with_that_verdict_prefilled(ls, project, db):
    from factcheck.store.matching import ClaimIndex

    _, project_id = project
    solar = db.execute("select id from claims where text like '%8.9亿千瓦%'").fetchone()[0]
    db["verdicts"].insert({"annotation_id": 1, "project_id": project_id, "task_id": 0, "claim_id": solar,
                           "verdict": "supported", "annotator": "a@example.org", "created_at": "2026-11-01T10:00:00"})
    english = parse_text("By the end of 2024, China's installed solar capacity reached 890 million kilowatts.\n",
                         "solar_en.txt", "txt")
    save_extraction(db, english, extract_article(english))
    report = fls.push(db, ls, project_id, index=ClaimIndex(db))
    assert report.prefilled == 1
    task = next(t for t in server_tasks(ls, project_id) if t.data["article_id"] == english.article_id)
    prediction = ls.predictions.list(task=task.id)[0]
    verdicts = [r["value"]["choices"] for r in prediction.result if r["from_name"] == "verdict"]
    assert verdicts == [["supported"]]
    assert solar in task.data["model_info"]


@pytest.mark.issue(18)
def test_setup_gives_instructions_and_a_queue_tab_of_claim_columns(ls, project, db):
    _, project_id = project
    settings = ls.projects.get(id=project_id)
    assert settings.show_instruction and "<b>misleading</b>" in settings.expert_instruction
    # stored as sent (Label Studio sanitises HTML), so setting up again sends nothing
    assert settings.expert_instruction.strip() == annotation_guideline().strip()
    fls.push(db, ls, project_id)
    views = list(ls.views.list(project=project_id))
    assert [v.data["title"] for v in views] == ["Review queue"]  # the one tab, a short readable name
    hidden = set(views[0].data["hiddenColumns"]["explore"])
    task = server_tasks(ls, project_id)[0]
    shown = [f for f in task.data if f"tasks:data.{f}" not in hidden]
    assert shown == list(fls.QUEUE_COLUMNS)
    assert {"tasks:id", "tasks:completed_at", "tasks:total_predictions", "tasks:predictions_score"} <= hidden


@pytest.mark.issue(18)
def test_overlap_asks_several_annotators_per_task(ls, project, db):
    title, project_id = project
    assert fls.setup_project(ls, title, overlap=3) == project_id
    settings = ls.projects.get(id=project_id)
    assert (settings.maximum_annotations, settings.overlap_cohort_percentage) == (3, 100)
    view = next(v for v in ls.views.list(project=project_id) if v.data["title"] == fls.QUEUE_VIEW)
    assert view.data["filters"]["items"][0]["value"] == 3  # a task stays queued until three have annotated it
    fls.setup_project(ls, title)  # without --overlap the setting stays
    assert ls.projects.get(id=project_id).maximum_annotations == 3
    with pytest.raises(LabelStudioError, match="1 or more"):
        fls.setup_project(ls, title, overlap=0)


@pytest.mark.issue(18)
def test_a_task_shows_its_context_source_and_the_matched_verdict_with_evidence(ls, project, db):
    from factcheck.store.matching import ClaimIndex

    _, project_id = project
    solar = db.execute("select id from claims where text like '%8.9亿千瓦%'").fetchone()[0]
    db["verdicts"].insert({"annotation_id": 1, "project_id": project_id, "task_id": 0, "claim_id": solar,
                           "verdict": "supported", "annotator": "a@example.org", "created_at": "2026-11-01T10:00:00"})
    db["evidence"].insert({"annotation_id": 1, "idx": 0, "claim_id": solar, "url": "https://nea.example.gov/2024",
                           "note": "year-end statistics"})
    english = parse_text("By the end of 2024, China's installed solar capacity reached 890 million kilowatts.\n",
                         "solar_en.txt", "txt")
    save_extraction(db, english, extract_article(english))
    fls.push(db, ls, project_id, index=ClaimIndex(db))
    task = next(t for t in server_tasks(ls, project_id) if t.data["article_id"] == english.article_id)
    assert "8.9亿千瓦" in task.data["matches_html"] and "supported" in task.data["matches_html"]
    assert '<a href="https://nea.example.gov/2024"' in task.data["matches_html"]
    assert "solar_en.txt" in task.data["source_html"] and "<mark" in task.data["context_html"]


OLD_CONFIG = """<View>
  <Header value="$title"/>
  <HyperText name="source" value="$source_html"/>
  <Text name="claim" value="$claim"/>
  <Text name="sentence" value="$sentence" granularity="symbol"/>
  <Labels name="span" toName="sentence">
    <Label value="claim"/><Label value="quantity"/><Label value="time"/>
  </Labels>
  <Text name="parts" value="$parts"/>
  <Text name="model" value="$model_info"/>
  <Choices name="verdict" toName="claim" choice="single-radio" required="true">
    <Choice value="supported"/><Choice value="refuted"/><Choice value="misleading"/>
    <Choice value="unverifiable"/><Choice value="not a claim"/>
  </Choices>
  <Choices name="checkworthy" toName="claim" choice="single-radio">
    <Choice value="check-worthy"/><Choice value="not check-worthy"/>
  </Choices>
  <TextArea name="evidence" toName="claim" editable="true"/>
  <TextArea name="corrected_claim" toName="claim" editable="true"/>
</View>"""


@pytest.mark.issue(18)
def test_a_project_set_up_before_takes_the_new_config_with_its_annotations(ls, db):
    """A project made with the earlier config (verdict required, no context, the long tab
    name) and annotated already is brought up to date in place."""
    title = f"factcheck upgrade {uuid.uuid4().hex[:8]}"
    project = ls.projects.create(title=title, label_config=OLD_CONFIG)
    try:
        ls.views.create(project=project.id, data={"title": fls.OLD_QUEUE_VIEWS[0], "ordering": []})
        fls.push(db, ls, project.id)
        annotate(ls, server_tasks(ls, project.id)[0].id, verdict="not a claim")
        assert fls.setup_project(ls, title) == project.id
        assert ls.projects.get(id=project.id).label_config.strip() == fls.labelling_config().strip()
        assert [v.data["title"] for v in ls.views.list(project=project.id)] == [fls.QUEUE_VIEW]
        fls.pull(db, ls, project.id)
        assert [r["verdict"] for r in db.query("select verdict from verdicts")] == ["not a claim"]
    finally:
        ls.projects.delete(id=project.id)
