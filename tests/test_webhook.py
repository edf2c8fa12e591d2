"""The webhook receiver against a real Label Studio server: annotations created, edited and
deleted in Label Studio reach the store by themselves; forged or broken requests do nothing;
and when the receiver is down the ordinary pull still picks everything up."""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.error
import urllib.request
import uuid

import pytest

from factcheck.errors import LabelStudioError
from factcheck.extraction.ingest import parse_text
from factcheck.extraction.pipeline import extract_article
from factcheck.review import labelstudio as fls
from factcheck.review import webhook
from factcheck.store.db import open_db, save_extraction

from .labelstudio_fixtures import ls_server  # noqa: F401

pytestmark = pytest.mark.labelstudio

ARTICLE = (
    "截至2024年底，全国光伏装机容量达到8.9亿千瓦。\n"
    "The grid operator added 12 GW of storage in 2024.\n"
    "Officials said the new transmission line cost $4.5 billion.\n"
)
DEADLINE_S = 10.0


@pytest.fixture
def ls(ls_server):  # noqa: F811
    from label_studio_sdk import LabelStudio

    return LabelStudio(base_url=ls_server.url, api_key=ls_server.api_key)


@pytest.fixture
def hook_ls(ls_server):  # noqa: F811
    """The receiver's own client: its worker thread must not share the test's."""
    from label_studio_sdk import LabelStudio

    return LabelStudio(base_url=ls_server.url, api_key=ls_server.api_key)


@pytest.fixture
def project_id(ls):
    project_id = fls.setup_project(ls, f"factcheck webhook test {uuid.uuid4().hex[:8]}")
    yield project_id
    ls.projects.delete(id=project_id)  # its webhooks go with it


@pytest.fixture
def db_path(tmp_path, ls, project_id):
    path = tmp_path / "store.db"
    db = open_db(path)
    article = parse_text(ARTICLE, "energy.txt", "txt")
    save_extraction(db, article, extract_article(article))
    assert fls.push(db, ls, project_id).sent >= 2
    db.close()
    return path


@pytest.fixture
def db(db_path):
    db = open_db(db_path)
    yield db
    db.close()


@pytest.fixture
def tasks(ls, project_id, db_path):
    return list(ls.tasks.list(project=project_id, fields="all", page_size=100))


@pytest.fixture
def secret():
    return webhook.new_secret()


@pytest.fixture
def hook(db_path, project_id, hook_ls, ls, secret):
    with webhook.serve(db_path, project_id=project_id, ls=hook_ls, secret=secret) as hook:
        webhook.register_webhook(ls, project_id, hook.url, secret)
        yield hook


def annotate(ls, task_id, verdict="refuted"):
    return ls.annotations.create(id=task_id, result=[
        {"from_name": "verdict", "to_name": "claim", "type": "choices", "value": {"choices": [verdict]}},
        {"from_name": "evidence", "to_name": "claim", "type": "textarea",
         "value": {"text": ["https://example.org/report | table 2"]}},
    ], lead_time=3.0)


def wait_for(check, what: str, timeout: float = DEADLINE_S):
    """Poll ``check`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not seen within {timeout} s")
        time.sleep(0.05)


def verdict_row(db, annotation_id):
    return next(db.query("select * from verdicts where annotation_id = ?", [annotation_id]), None)


def post(url, body: bytes, headers: dict[str, str]) -> int:
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": "application/json", **headers})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_created_annotation_reaches_the_store_by_itself(ls, hook, db, tasks):
    started = time.monotonic()
    annotation = annotate(ls, tasks[0].id)
    row = wait_for(lambda: verdict_row(db, annotation.id), "the new verdict")
    took = time.monotonic() - started
    assert row["verdict"] == "refuted" and row["task_id"] == tasks[0].id
    assert row["claim_id"] == tasks[0].data["claim_id"] and row["lead_time"] == 3.0
    assert [e["url"] for e in db.query("select url from evidence where annotation_id = ?", [annotation.id])] == [
        "https://example.org/report"]
    assert hook.stats["queued"] >= 1 and hook.stats["errors"] == 0
    assert set(hook.last_payload_keys) >= {"action", "annotation", "task", "project"}
    assert took < DEADLINE_S
    # The receiver leaves the incremental pull's mark alone: the pull still sees the task,
    # finds the verdict already stored (nothing new to count) and duplicates nothing.
    report = fls.pull(db, ls, hook.project_id)
    assert report.tasks >= 1 and report.verdicts == 0
    assert db["verdicts"].count_where("task_id = ?", [tasks[0].id]) == 1


def test_update_and_delete_reach_the_store(ls, hook, db, tasks):
    first = annotate(ls, tasks[0].id)
    second = annotate(ls, tasks[1].id, verdict="supported")
    wait_for(lambda: verdict_row(db, first.id) and verdict_row(db, second.id), "both verdicts")

    ls.annotations.update(id=first.id, result=[
        {"from_name": "verdict", "to_name": "claim", "type": "choices", "value": {"choices": ["misleading"]}}])
    wait_for(lambda: verdict_row(db, first.id)["verdict"] == "misleading", "the edited verdict")
    assert db["evidence"].count_where("annotation_id = ?", [first.id]) == 0  # the edit removed the evidence

    ls.annotations.delete(id=second.id)  # Label Studio names only the annotation: the store knows its task
    wait_for(lambda: verdict_row(db, second.id)["deleted_at"], "the deletion")
    assert verdict_row(db, first.id)["deleted_at"] is None
    assert hook.stats["errors"] == 0


def test_bulk_actions_send_lists_and_are_handled(ls, hook, db, tasks, project_id):
    """Data-manager actions: ANNOTATIONS_CREATED carries lists of annotations and tasks;
    ANNOTATIONS_DELETED carries only annotation ids."""
    everything = {"all": True, "excluded": []}
    ls.actions.create(id="predictions_to_annotations", project=project_id, selected_items=everything)
    live = "select count(*) from verdicts where deleted_at is null"
    wait_for(lambda: db.execute(live).fetchone()[0] == len(tasks), "a verdict for every task")
    assert hook.last_payload_keys == ["action", "annotation", "project", "task"]

    ls.actions.create(id="delete_tasks_annotations", project=project_id, selected_items=everything)
    wait_for(lambda: db.execute(live).fetchone()[0] == 0, "every verdict marked deleted")
    assert db["verdicts"].count == len(tasks) and hook.stats["errors"] == 0


def test_wrong_or_missing_secret_is_refused_without_side_effects(ls, project_id, db_path, db, hook_ls, tasks):
    annotation = annotate(ls, tasks[0].id)  # no webhook registered: nothing tells the store
    payload = json.dumps({"action": "ANNOTATION_CREATED", "task": {"id": tasks[0].id},
                          "annotation": {"id": annotation.id, "task": tasks[0].id},
                          "project": {"id": project_id}}).encode()
    secret = webhook.new_secret()
    with webhook.serve(db_path, project_id=project_id, ls=hook_ls, secret=secret) as hook:
        assert post(hook.url, payload, {}) == 403
        # One character changed (a fixed "x" would equal a secret that starts with "x", 1 in 64).
        tampered = ("y" if secret[0] == "x" else "x") + secret[1:]
        assert post(hook.url, payload, {webhook.SECRET_HEADER: tampered}) == 403
        assert post(hook.url, payload, {webhook.SECRET_HEADER: secret + "x"}) == 403
        assert hook.wait_idle(5)
        assert hook.stats["refused"] == 3 and hook.stats["queued"] == 0 and hook.stats["pulls"] == 0
        assert db["verdicts"].count == 0
        # The same request with the secret is acted on: it was only the header that stopped it.
        assert post(hook.url, payload, {webhook.SECRET_HEADER: secret}) == 200
        wait_for(lambda: verdict_row(db, annotation.id), "the verdict of the authorised request")


def test_malformed_and_unknown_requests(project_id, db_path, db, hook_ls, secret):
    with webhook.serve(db_path, project_id=project_id, ls=hook_ls, secret=secret) as hook:
        auth = {webhook.SECRET_HEADER: secret}
        assert post(hook.url, b"{not json", auth) == 400
        assert post(hook.url, "\udcff".encode("utf-8", "surrogatepass"), auth) == 400
        assert post(hook.url, b"[1, 2]", auth) == 400
        assert post(hook.url, b'{"no": "action"}', auth) == 400
        assert post(hook.url, b'{"action": "PROJECT_UPDATED", "project": {"id": 1}}', auth) == 204
        other = json.dumps({"action": "ANNOTATION_CREATED", "task": {"id": 1}, "project": {"id": project_id + 1}})
        assert post(hook.url, other.encode(), auth) == 204  # another project's event
        assert post(hook.url + "elsewhere", b"{}", auth) == 404
        assert hook.wait_idle(5)
        assert (hook.stats["malformed"], hook.stats["ignored"], hook.stats["queued"]) == (4, 2, 0)
        assert db["verdicts"].count == 0


def test_register_twice_leaves_one_webhook(ls, project_id, secret):
    url = "http://127.0.0.1:9/"
    first = webhook.register_webhook(ls, project_id, url, secret)
    newer = webhook.new_secret()
    assert webhook.register_webhook(ls, project_id, url, newer) == first
    hooks = [h for h in ls.webhooks.list(project=str(project_id)) if h.project == project_id]
    assert [h.id for h in hooks] == [first]
    assert hooks[0].headers == {webhook.SECRET_HEADER: newer}
    assert hooks[0].send_payload is True and hooks[0].is_active is True
    assert sorted(hooks[0].actions) == sorted(webhook.ANNOTATION_ACTIONS)
    webhook.unregister_webhook(ls, first)
    webhook.unregister_webhook(ls, first)  # already gone: fine
    assert not [h for h in ls.webhooks.list(project=str(project_id)) if h.project == project_id]
    with pytest.raises(LabelStudioError, match="secret"):
        webhook.register_webhook(ls, project_id, url, "short")


def test_receiver_down_the_pull_is_the_truth(ls, project_id, db_path, db, hook_ls, secret, tasks):
    with webhook.serve(db_path, project_id=project_id, ls=hook_ls, secret=secret) as hook:
        webhook.register_webhook(ls, project_id, hook.url, secret)
    # The receiver is gone but still registered: Label Studio's delivery fails, the annotation does not.
    annotation = annotate(ls, tasks[0].id)
    assert verdict_row(db, annotation.id) is None
    report = fls.pull(db, ls, project_id)
    assert report.verdicts == 1
    assert verdict_row(db, annotation.id)["verdict"] == "refuted"


def test_busy_port_is_a_clear_error(project_id, db_path, hook_ls, secret):
    with webhook.serve(db_path, project_id=project_id, ls=hook_ls, secret=secret) as hook:
        with pytest.raises(LabelStudioError, match="cannot listen") as info:
            webhook.serve(db_path, project_id=project_id, ls=hook_ls, port=hook.port, secret=secret)
        assert info.value.code == "F420"


def test_idle_connections_cannot_exhaust_threads_and_a_notification_is_still_answered(
        ls, project_id, db_path, db, hook_ls, secret, tasks):
    """Issue 19: 1,500 idle connections once cost 1,493 threads; now they cost none."""
    annotation = annotate(ls, tasks[0].id)  # no webhook registered: only the request below tells the store
    payload = json.dumps({"action": "ANNOTATION_CREATED", "task": {"id": tasks[0].id},
                          "annotation": {"id": annotation.id, "task": tasks[0].id},
                          "project": {"id": project_id}}).encode()
    before = threading.active_count()
    bound = before + webhook.HANDLER_THREADS + 3  # + the accepting, idle-watching and pulling threads
    with webhook.serve(db_path, project_id=project_id, ls=hook_ls, secret=secret, idle_timeout=2.0) as hook:
        idle = [socket.create_connection((hook.host, hook.port), timeout=10) for _ in range(1500)]
        try:
            assert threading.active_count() <= bound
            assert post(hook.url, payload, {webhook.SECRET_HEADER: secret}) == 200
            wait_for(lambda: verdict_row(db, annotation.id), "the verdict of the request sent among idle connections")
            assert threading.active_count() <= bound
            # The receiver closes every connection that never sends a request: each reads end of file.
            wait_for(lambda: hook.stats["idle_closed"] == len(idle), "every idle connection closed")
            assert all(connection.recv(1) == b"" for connection in idle)
        finally:
            for connection in idle:
                connection.close()
        assert hook.stats["errors"] == 0


def test_a_request_that_stalls_midway_holds_a_thread_only_until_its_read_times_out(
        project_id, db_path, hook_ls, secret):
    with webhook.serve(db_path, project_id=project_id, ls=hook_ls, secret=secret, request_timeout=1.0) as hook:
        stalled = []
        for _ in range(webhook.HANDLER_THREADS * 2):  # more than there are handler threads
            connection = socket.create_connection((hook.host, hook.port), timeout=10)
            connection.sendall(b"POST / HTTP/1.1\r\nHost: x\r\n")  # and never the rest
            stalled.append(connection)
        try:
            unknown = b'{"action": "PROJECT_UPDATED", "project": {"id": 1}}'
            assert post(hook.url, unknown, {webhook.SECRET_HEADER: secret}) == 204
            assert all(connection.recv(1) == b"" for connection in stalled)  # dropped, not held
        finally:
            for connection in stalled:
                connection.close()
