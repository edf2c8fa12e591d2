"""Edge: the Label Studio review loop — set up the project, push claims, pull verdicts.

Pure work (building tasks, reading annotations) lives in :mod:`factcheck.review.tasks`;
this module moves it over HTTP with ``label-studio-sdk`` and records the state in
the store:

* **Push** sends claims that have no task yet, in batches, with the model's
  pre-annotations (validated against the labelling config first: the server does
  not check them). Label Studio does not de-duplicate imports, so the store keeps a
  claim → task map (``ls_tasks``) and an outbox (``ls_outbox``): claims are written
  to the outbox before a batch is sent and leave it when the server confirms. If the
  server dies mid-batch, the next push first asks the server which outbox claims did
  arrive (the claim id travels in each task's data and meta) and sends only the
  rest, so every claim ends up exactly once. A claim whose task content changed
  (new text, new model score) is updated in place.
* **Pull** fetches tasks updated since the last pull (Label Studio's own
  ``updated_at`` filter), reads every annotation, stores one verdict row per
  annotation with its evidence links, and marks verdicts whose annotation was deleted.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlite_utils

from factcheck.errors import LabelStudioError
from factcheck.review.problems import Problem, replace_problems
from factcheck.review.tasks import (
    annotation_guideline,
    build_task,
    labelling_config,
    parse_annotation,
    task_fingerprint,
)
from factcheck.store.claims import claim_from_row, load_parts
from factcheck.store.verdicts import write_verdicts

log = logging.getLogger(__name__)
DEFAULT_TITLE = "factcheck claims"
BATCH_SIZE = 500
ORDERS = ("uncertainty", "score", "article")


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def client(url: str | None = None, api_key: str | None = None):
    """A label-studio-sdk client for ``url``/``api_key``, or for the configured server."""
    from label_studio_sdk import LabelStudio

    if url is None or api_key is None:
        from factcheck.review.server import connect

        url, api_key = connect()
    return LabelStudio(base_url=url, api_key=api_key, timeout=120)


def with_retries(call: Callable[[], Any], *, what: str, attempts: int = 4, base_delay: float = 0.5) -> Any:
    """Run ``call``, retrying connection errors and 5xx answers with exponential backoff."""
    import httpx
    from label_studio_sdk.core.api_error import ApiError

    for attempt in range(1, attempts + 1):
        try:
            return call()
        except ApiError as exc:
            if exc.status_code in (401, 403):
                raise LabelStudioError(
                    f"Label Studio refused the API key while trying to {what} (HTTP {exc.status_code}). "
                    "Check LABEL_STUDIO_API_KEY, or restart the local server with `factcheck labelstudio start`.",
                    code="F410",
                ) from exc
            if exc.status_code is None or exc.status_code < 500 or attempt == attempts:
                raise LabelStudioError(
                    f"Label Studio answered HTTP {exc.status_code} while trying to {what}: {str(exc.body)[:300]}",
                    code="F411",
                ) from exc
        except (httpx.TransportError, ConnectionError) as exc:
            if attempt == attempts:
                raise LabelStudioError(
                    f"Label Studio is not reachable ({type(exc).__name__}) while trying to {what}. "
                    "Start the local server with `factcheck labelstudio start`, or check LABEL_STUDIO_URL.",
                    code="F412",
                ) from exc
        time.sleep(base_delay * 2 ** (attempt - 1))
        log.warning("retrying %s (attempt %d)", what, attempt + 1)


def project_settings(overlap: int | None = None) -> dict[str, Any]:
    """What :func:`setup_project` sets on the project: the labelling config, the annotation
    guideline as its instructions (shown before the first task and under "Instructions"),
    and with ``overlap`` how many annotators label each task."""
    settings: dict[str, Any] = {"label_config": labelling_config(), "expert_instruction": annotation_guideline(),
                                "show_instruction": True, "show_skip_button": True}
    if overlap is not None:
        if overlap < 1:
            raise LabelStudioError(f"--overlap must be 1 or more annotators per task, not {overlap}.", code="F413")
        # every task (cohort 100%) waits for `overlap` annotations; partly done tasks are offered first
        settings.update(maximum_annotations=overlap, overlap_cohort_percentage=100, show_overlap_first=overlap > 1)
    return settings


def setup_project(ls, title: str = DEFAULT_TITLE, db: sqlite_utils.Database | None = None, *,
                  overlap: int | None = None) -> int:
    """Create the project, or bring an existing one up to date: same title → same project.

    Sets the labelling config, the guideline (:func:`project_settings`) and, when given,
    the overlap (annotators per task; left as it is otherwise), then the review-queue tab
    (:func:`ensure_queue_view`). Only what differs is sent.
    """
    wanted = project_settings(overlap)
    found = [p for p in with_retries(lambda: list(ls.projects.list(title=title)), what="list projects")
             if p.title == title]
    if found:
        project = found[0]
        changed = {k: v for k, v in wanted.items() if _differs(getattr(project, k, None), v)}
        if changed:
            with_retries(lambda: ls.projects.update(id=project.id, **changed), what="update the project's settings")
    else:
        project = with_retries(
            lambda: ls.projects.create(title=title, description="Claims extracted by factcheck; one task per claim.",
                                       **wanted),
            what="create the project",
        )
    ensure_queue_view(ls, project.id, overlap=wanted.get("maximum_annotations") or
                      getattr(project, "maximum_annotations", None) or 1)
    if db is not None:
        db.table("ls_state").upsert({"project_id": project.id, "title": title}, pk="project_id")
    return project.id


def _differs(current, wanted) -> bool:
    if isinstance(wanted, str):
        return (current or "").strip() != wanted.strip()
    return current != wanted


@dataclass
class PushReport:
    sent: int = 0
    updated: int = 0
    recovered: int = 0
    skipped_invalid: int = 0
    already: int = 0
    kept_annotated: int = 0  # changed claims whose task already has a verdict: left as the annotator saw it
    rescored: int = 0
    prefilled: int = 0  # tasks pre-filled with the verdict of a matching, already checked claim


def rescore(db: sqlite_utils.Database, model, *, batch_size: int = 256) -> int:
    """Score every stored claim again with ``model`` (after a promotion); returns how many changed."""
    rows = list(db.query("select id, text, lang, checkworthiness, model_version from claims where is_claim = 1"))
    changed = 0
    for start in range(0, len(rows), batch_size):
        chunk = rows[start : start + batch_size]
        scores = model.score([r["text"] for r in chunk], [r["lang"] for r in chunk])
        updates = [(round(float(s), 4), model.version, r["id"]) for r, s in zip(chunk, scores)
                   if r["model_version"] != model.version or r["checkworthiness"] != round(float(s), 4)]
        with db.conn:
            db.conn.executemany("update claims set checkworthiness = ?, model_version = ? where id = ?", updates)
        changed += len(updates)
    return changed


def _claims_to_push(db, project_id: int, *, limit: int | None, min_score: float | None, order: str) -> list[dict]:
    if order not in ORDERS:
        raise ValueError(f"order must be one of {ORDERS}")
    # Claims imported with a fact-checker's verdict (verdict_import) are checked already.
    where = ["c.is_claim = 1", "coalesce(a.format, '') not in ('claimreview', 'averitec', 'liar')"]
    params: list = [project_id]
    if min_score is not None:
        where.append("c.checkworthiness >= ?")
        params.append(min_score)
    order_by = {
        "uncertainty": "abs(coalesce(c.checkworthiness, 0.5) - 0.5), c.article_id, c.start",
        "score": "coalesce(c.checkworthiness, 0) desc, c.article_id, c.start",
        "article": "a.published, c.article_id, c.start",
    }[order]
    sql = f"""
        select c.*, a.title, a.url, a.published, a.source as article_source, t.task_id,
               t.fingerprint as pushed_fingerprint,
               s.text as sentence_text, s.start as sentence_start, s.end as sentence_end
        from claims c join articles a on a.id = c.article_id join sentences s on s.id = c.sentence_id
        left join ls_tasks t on t.claim_id = c.id and t.project_id = ?
        where {' and '.join(where)}
        order by {order_by}
    """
    rows = list(db.query(sql, params))
    return rows[:limit] if limit else rows


def push(
    db: sqlite_utils.Database, ls, project_id: int, *, limit: int | None = None, min_score: float | None = None,
    order: str = "uncertainty", batch_size: int = BATCH_SIZE, progress: Callable[[int], None] | None = None,
    index=None,
) -> PushReport:
    """Send claims without a task (and update tasks whose content changed).

    With ``index`` (a :class:`~factcheck.store.matching.ClaimIndex`), a claim that matches an
    already checked claim gets that verdict as a pre-annotation for the annotator to
    confirm; a task pushed before the match was checked is updated the same way.
    """
    from label_studio_sdk.label_interface import LabelInterface

    report = PushReport()
    report.recovered = recover_outbox(db, ls, project_id)
    interface = LabelInterface(labelling_config())
    new, changed = [], []
    rows = _claims_to_push(db, project_id, limit=limit, min_score=min_score, order=order)
    parts = load_parts(db, [r["id"] for r in rows])
    annotated = {r[0] for r in db.execute("select distinct claim_id from verdicts where deleted_at is null")}
    claims = {row["id"]: claim_from_row(db, row, parts[row["id"]]) for row in rows}
    matches = checked_matches(db, index, list(claims.values())) if index is not None else {}
    article_text = _article_texts(db)
    for row in rows:
        prior = matches.get(row["id"])
        task = build_task(claims[row["id"]], title=row["title"], url=row["url"], published=row["published"],
                          source=row["article_source"], article_text=article_text(row["article_id"]),
                          matches=prior)
        fingerprint = task_fingerprint(task)
        if row["task_id"] is not None and row["pushed_fingerprint"] == fingerprint:
            report.already += 1
            continue
        # Validate only what will be sent: the server itself accepts any result.
        if not interface.validate_prediction(task["predictions"][0]):
            report.skipped_invalid += 1
            log.warning("claim %s: prediction does not fit the labelling config; not sent", row["id"])
            continue
        report.prefilled += prior is not None
        if row["task_id"] is None:
            new.append((row["id"], task, fingerprint))
        elif row["id"] in annotated:
            report.kept_annotated += 1  # never change a task under an annotator's verdict
        else:
            changed.append((row["id"], row["task_id"], task, fingerprint))
    for start in range(0, len(new), batch_size):
        batch = new[start : start + batch_size]
        report.sent += _send_batch(db, ls, project_id, batch)
        if progress:
            progress(len(batch))
    for claim_id, task_id, task, fingerprint in changed:
        _update_task(ls, task_id, task)
        db.table("ls_tasks").update((project_id, claim_id), {"fingerprint": fingerprint, "updated_at": now()})
        report.updated += 1
        if progress:
            progress(1)
    return report


def checked_matches(db, index, claims: Sequence, *, limit: int = 3) -> dict[str, list[dict]]:
    """claim id → up to ``limit`` earlier claims with a verdict that match it, closest
    first, each with what an annotator needs to confirm it (:func:`~factcheck.review.tasks.matches_html`):
    verdict, text, article, similarity and evidence links (a fact-check's own URL first)."""
    from factcheck.store.matching import match_claims

    found: dict[str, list[dict]] = {}
    for claim_id, matches in match_claims(db, claims, index=index).items():
        checked = [m for m in matches if m.verdict and m.claim_id != claim_id][:limit]
        if checked:
            found[claim_id] = [{"verdict": m.verdict, "claim_id": m.claim_id, "similarity": m.similarity,
                                "text": m.text} for m in checked]
    wanted = sorted({m["claim_id"] for ms in found.values() for m in ms})
    if not wanted:
        return found
    marks = ",".join("?" * len(wanted))
    articles = dict(db.execute(
        f"select c.id, coalesce(nullif(a.title, ''), a.url, a.source) from claims c "
        f"join articles a on a.id = c.article_id where c.id in ({marks})", wanted).fetchall())
    evidence: dict[str, list[tuple[str, str]]] = {}
    for claim_id, url, note in db.execute(
            f"select e.claim_id, e.url, e.note from evidence e join verdicts v on v.annotation_id = e.annotation_id "
            f"where v.deleted_at is null and e.claim_id in ({marks}) order by e.annotation_id, e.idx", wanted):
        if (url, note) not in evidence.setdefault(claim_id, []):
            evidence[claim_id].append((url, note))
    reviews = dict(db.execute(
        f"select claim_id, max(review_url) from verdicts where deleted_at is null and review_url like 'http%' "
        f"and claim_id in ({marks}) group by claim_id", wanted).fetchall())
    for match in (m for ms in found.values() for m in ms):
        match.update(article=articles.get(match["claim_id"]), evidence=evidence.get(match["claim_id"], [])[:5],
                     review_url=reviews.get(match["claim_id"]))
    return found


def _article_texts(db) -> Callable[[str], str | None]:
    """article id → its text, remembering the last few (claims come roughly by article)."""
    from functools import lru_cache

    @lru_cache(maxsize=32)
    def text(article_id: str) -> str | None:
        row = db.execute("select text from articles where id = ?", [article_id]).fetchone()
        return row[0] if row else None

    return text


QUEUE_VIEW = "Review queue"
#: Titles the queue tab had before; a project set up then gets its tab renamed, not a second one.
OLD_QUEUE_VIEWS = ("Review queue: most uncertain first",)
#: The queue's columns, first to last: what a lead scans.
QUEUE_COLUMNS = ("claim", "lang", "kind", "score", "article", "uncertainty")
#: Label Studio's own columns (1.23), all hidden by the queue (Columns brings any back).
SYSTEM_COLUMNS = ("id", "inner_id", "completed_at", "total_annotations", "annotators", "cancelled_annotations",
                  "total_predictions", "annotations_results", "annotations_ids", "predictions_score",
                  "predictions_model_versions", "predictions_results", "file_upload", "storage_filename",
                  "created_at", "updated_at", "updated_by", "avg_lead_time", "draft_exists", "comment_count",
                  "unresolved_comment_count", "last_comment_updated_at", "comments", "comment_authors", "reviewers",
                  "reviewed", "reviews_accepted", "reviews_rejected", "ground_truth", "agreement")


def queue_view_data(data_columns: Sequence[str], *, overlap: int = 1) -> dict[str, Any]:
    """The review-queue tab: tasks that still need an annotation (fewer than ``overlap``),
    most uncertain first, showing :data:`QUEUE_COLUMNS` first and hiding Label Studio's
    system columns and every other data field (``data_columns``: the project's)."""
    hidden = [f"tasks:{c}" for c in SYSTEM_COLUMNS]
    hidden += [f"tasks:data.{c}" for c in data_columns if c not in QUEUE_COLUMNS]
    return {
        "title": QUEUE_VIEW,
        "ordering": ["-tasks:data.uncertainty"],
        "filters": {"conjunction": "and", "items": [
            {"filter": "filter:tasks:total_annotations", "operator": "less", "type": "Number", "value": overlap}]},
        # beside an open task only the claim fits
        "hiddenColumns": {"explore": hidden, "labeling": [*hidden, *(f"tasks:data.{c}" for c in QUEUE_COLUMNS[1:])]},
        "columnsWidth": {"tasks:data.claim": 520, "tasks:data.lang": 70, "tasks:data.kind": 110,
                         "tasks:data.score": 90, "tasks:data.article": 260, "tasks:data.uncertainty": 110},
    }


def ensure_queue_view(ls, project_id: int, *, overlap: int = 1) -> int:
    """The project's Data Manager tab (:func:`queue_view_data`), created or updated.

    "Label tasks as displayed" then follows it, so annotators work where the model
    learns most (active learning).
    """
    views = with_retries(lambda: ls.views.list(project=project_id), what="list Data Manager views")
    data = queue_view_data(task_fields(), overlap=overlap)
    existing = [v for v in views if (getattr(v, "data", None) or {}).get("title") in (QUEUE_VIEW, *OLD_QUEUE_VIEWS)]
    if existing:
        if existing[0].data != data:
            with_retries(lambda: ls.views.update(id=str(existing[0].id), data=data, project=project_id),
                         what="update the review-queue view")
        return existing[0].id
    view = with_retries(lambda: ls.views.create(data=data, project=project_id), what="create the review-queue view")
    return view.id


def task_fields() -> list[str]:
    """The data fields of every task factcheck sends (:func:`build_task`'s ``data``)."""
    from factcheck.records import Claim

    sample = Claim(claim_id="", article_id="", lang="", text="", sentence="", start=0, end=0, kind="",
                   is_claim=True)
    return list(build_task(sample)["data"])


def _send_batch(db, ls, project_id: int, batch: Sequence[tuple[str, dict, str]]) -> int:
    token = f"{time.time_ns()}"
    stamp = now()
    with db.conn:  # the outbox is durable before anything leaves
        db["ls_outbox"].upsert_all(
            [{"claim_id": cid, "project_id": project_id, "batch": token, "queued_at": stamp} for cid, _, _ in batch],
            pk=("project_id", "claim_id"),
        )
    payload = [task for _, task, _ in batch]
    response = with_retries(
        lambda: ls.projects.import_tasks(id=project_id, request=payload, return_task_ids=True),
        what=f"import {len(payload)} tasks", attempts=1,  # a retried import could duplicate: recovery handles it
    )
    task_ids = getattr(response, "task_ids", None) or (response.model_extra or {}).get("task_ids")
    if not task_ids or len(task_ids) != len(batch):
        # The server took the batch but did not say which ids it made: look them up.
        return recover_outbox(db, ls, project_id)
    _record(db, project_id, [(cid, tid, fp) for (cid, _, fp), tid in zip(batch, task_ids)])
    return len(batch)


def _record(db, project_id: int, rows: Iterable[tuple[str, int, str]]) -> None:
    stamp = now()
    rows = list(rows)
    with db.conn:
        db["ls_tasks"].upsert_all(
            [{"claim_id": cid, "project_id": project_id, "task_id": tid, "fingerprint": fp, "pushed_at": stamp,
              "updated_at": stamp} for cid, tid, fp in rows],
            pk=("project_id", "claim_id"),
        )
        db.conn.executemany("delete from ls_outbox where project_id = ? and claim_id = ?",
                            [(project_id, cid) for cid, _, _ in rows])


def iter_task_pages(ls, project_id: int, *, what: str, **params) -> Iterable[list]:
    """The project's tasks, a page at a time, each page fetched with retries."""
    page = with_retries(lambda: ls.tasks.list(project=project_id, page_size=1000, **params), what=what)
    while page is not None:
        if page.items:
            yield page.items
        if not page.has_next or page.get_next is None:
            return
        current = page
        try:
            page = with_retries(current.get_next, what=what)
        except LabelStudioError as exc:
            # Label Studio answers 404 "Invalid page" past the last page.
            if getattr(exc.__cause__, "status_code", None) == 404:
                return
            raise


#: What pull needs of a task and of its annotations; without it the server computes
#: some 30 columns per task (3x slower), and naming only "annotations" would strip them.
PULL_FIELDS = "id,data,meta,annotations,updated_at,result,lead_time,completed_by,created_at,was_cancelled"


def server_claim_tasks(ls, project_id: int) -> dict[str, int]:
    """claim_id → task id of every factcheck task in the project (first one wins)."""
    found: dict[str, int] = {}
    tasks = (t for page in iter_task_pages(ls, project_id, what="list the project's tasks", include="id,data,meta")
             for t in page)
    for task in tasks:
        data = task.data or {}
        claim_id = data.get("claim_id") or (getattr(task, "meta", None) or {}).get("claim_id")
        if claim_id and claim_id not in found:
            found[claim_id] = task.id
    return found


def recover_outbox(db, ls, project_id: int) -> int:
    """Settle claims left in the outbox by an interrupted push; returns how many were found."""
    pending = {r["claim_id"] for r in db.query("select claim_id from ls_outbox where project_id = ?", [project_id])}
    if not pending:
        return 0
    on_server = server_claim_tasks(ls, project_id)
    arrived = []
    for claim_id in pending & set(on_server):
        record = next(db.query(
            "select c.*, a.title, a.url, a.published, a.source as article_source, a.text as article_text "
            "from claims c join articles a on a.id = c.article_id where c.id = ?", [claim_id]))
        fingerprint = task_fingerprint(build_task(
            claim_from_row(db, record), title=record["title"], url=record["url"], published=record["published"],
            source=record["article_source"], article_text=record["article_text"]))
        arrived.append((claim_id, on_server[claim_id], fingerprint))
    _record(db, project_id, arrived)
    with db.conn:  # the rest never arrived: the next push sends them as new
        db.conn.execute("delete from ls_outbox where project_id = ?", [project_id])
    return len(arrived)


def _update_task(ls, task_id: int, task: dict) -> None:
    with_retries(lambda: ls.tasks.update(id=str(task_id), data=task["data"], meta=task["meta"]),
                 what=f"update task {task_id}")
    for old in with_retries(lambda: list(ls.predictions.list(task=task_id)), what="list predictions"):
        # with_retries calls the lambda before it returns, so ``old`` is this iteration's
        with_retries(lambda: ls.predictions.delete(id=old.id), what="delete an old prediction")  # noqa: B023
    prediction = task["predictions"][0]
    with_retries(
        lambda: ls.predictions.create(task=task_id, result=prediction["result"], score=prediction.get("score"),
                                      model_version=prediction["model_version"]),
        what=f"update the prediction of task {task_id}",
    )


@dataclass
class PullReport:
    tasks: int = 0
    verdicts: int = 0
    deleted: int = 0
    invalid: int = 0


def pull(db: sqlite_utils.Database, ls, project_id: int, *, full: bool = False) -> PullReport:
    """Fetch annotations changed since the last pull and store them as verdicts."""
    state = next(iter(db.query("select * from ls_state where project_id = ?", [project_id])), None)
    since = None if full or state is None else state.get("last_pull")
    started = now()
    query = None
    if since:
        query = json.dumps({"filters": {"conjunction": "and", "items": [
            {"filter": "filter:tasks:updated_at", "operator": "greater", "type": "Datetime", "value": since}]}})
    report = PullReport()
    # The next pull starts from the newest update the server had *before* this one
    # began (its own clock): anything edited while the pages are read, even on a page
    # already read, is newer and is picked up next time.
    mark = _latest_update(ls, project_id) or since
    for page in iter_task_pages(ls, project_id, what="list changed tasks", fields="all", query=query,
                                include=PULL_FIELDS):
        store_tasks(db, project_id, page, started, report)
    db.table("ls_state").upsert({"project_id": project_id, "last_pull": mark}, pk="project_id")
    return report


def _latest_update(ls, project_id: int) -> str | None:
    """The newest ``updated_at`` among the project's tasks, by the server's clock."""
    query = json.dumps({"ordering": ["-tasks:updated_at"]})
    page = with_retries(
        lambda: ls.tasks.list(project=project_id, page_size=1, query=query, include="id,updated_at"),
        what="read the newest task update",
    )
    return _server_time(page.items[0].updated_at) if page.items else None


def _server_time(value) -> str | None:
    """Label Studio's filter wants UTC as 2026-11-23T08:20:43.123968Z."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def store_task(db, project_id: int, task, pulled_at: str, report: PullReport) -> None:
    """Store one pulled task's annotations (see :func:`store_tasks`)."""
    store_tasks(db, project_id, [task], pulled_at, report)


def store_tasks(db, project_id: int, tasks: Sequence, pulled_at: str, report: PullReport) -> None:
    """Store every annotation of a page of pulled tasks (SDK task objects) as verdicts,
    in one transaction, and mark stored verdicts whose annotation is gone.

    Each annotation is read on its own: what is malformed in it is recorded in
    :mod:`factcheck.review.problems` (task, annotation, reason) and the rest is stored.
    ``report.verdicts`` counts new or edited annotations only; ``report.invalid`` the
    annotations read with problems.
    """
    verdicts, problems = [], []
    seen_by_task: dict[int, set[int | None]] = {}
    for task in tasks:
        task_dict = {"id": task.id, "data": task.data or {}, "meta": getattr(task, "meta", None) or {}}
        if not task_dict["data"].get("claim_id"):
            continue
        report.tasks += 1
        seen_by_task[task.id] = set()
        read, found = read_annotations(task_dict, task.annotations)
        seen_by_task[task.id] |= {v.annotation_id for v in read}
        verdicts += read
        problems += found
    if not seen_by_task:
        return
    known = _existing(db, "select id, id from claims where id in ({})", {v.claim_id for v in verdicts})
    before = _existing(db, "select annotation_id, updated_at from verdicts where annotation_id in ({})",
                       {v.annotation_id for v in verdicts})
    stored = [v for v in verdicts if v.claim_id in known]
    for verdict in verdicts:
        if verdict.claim_id not in known:
            log.warning("annotation %s is about claim %s, which this store does not have",
                        verdict.annotation_id, verdict.claim_id)
    changed = [v for v in stored if v.annotation_id not in before or before[v.annotation_id] != v.updated_at]
    report.verdicts += len(changed)
    report.invalid += len({(p.task_id, p.annotation_id) for p in problems})
    with db.conn:
        _write_verdicts(db, project_id, stored, pulled_at)
        replace_problems(db, project_id, seen_by_task, problems, pulled_at)
        report.deleted += _mark_deleted(db, seen_by_task, pulled_at)


def read_annotations(task: dict, annotations) -> tuple[list, list[Problem]]:
    """Parse a task's annotations one by one: ``(verdicts, problems)``.

    Cancelled (skipped) annotations are left out; one that is not an object or has no
    id gives only a problem; every other gives a verdict of its valid parts and a
    problem for each of its ``problems``.
    """
    verdicts, problems = [], []
    claim_id = (task.get("data") or {}).get("claim_id")
    if annotations is not None and not isinstance(annotations, list):
        return [], [Problem(task.get("id"), None, claim_id, "the task's annotations are not a list")]
    for raw in annotations or []:
        annotation = raw.model_dump() if hasattr(raw, "model_dump") else raw
        if not isinstance(annotation, dict):
            problems.append(Problem(task.get("id"), None, claim_id, "an annotation is not an object"))
            continue
        if annotation.get("was_cancelled"):
            continue
        verdict = parse_annotation(task, annotation)
        if verdict.annotation_id is None:
            problems.append(Problem(task.get("id"), None, claim_id,
                                    f"an annotation has no whole-number id ({annotation.get('id')!r})"))
            continue
        verdicts.append(verdict)
        problems += [Problem(verdict.task_id, verdict.annotation_id, verdict.claim_id, reason, verdict.annotator)
                     for reason in verdict.problems]
    return verdicts, problems


def _existing(db, sql: str, keys: set) -> dict:
    """Run ``sql`` (with one ``{}`` for the placeholders) over ``keys`` in chunks → {first: second}."""
    found: dict = {}
    ordered = list(keys)
    for i in range(0, len(ordered), 500):
        chunk = ordered[i : i + 500]
        found.update(db.execute(sql.format(",".join("?" * len(chunk))), chunk).fetchall())
    return found


def _write_verdicts(db, project_id: int, verdicts: Sequence, pulled_at: str) -> None:
    """Store pulled annotations through the store's one verdict writer (caller holds the transaction)."""
    rows = [{
        "annotation_id": v.annotation_id, "project_id": project_id, "task_id": v.task_id, "claim_id": v.claim_id,
        "verdict": v.verdict, "checkworthy": None if v.checkworthy is None else int(v.checkworthy),
        "corrected_claim": v.corrected_claim, "span_corrections": json.dumps(v.span_corrections, ensure_ascii=False),
        "annotator": v.annotator, "lead_time": v.lead_time, "created_at": v.created_at, "updated_at": v.updated_at,
        "pulled_at": pulled_at, "deleted_at": None, "problems": json.dumps(v.problems, ensure_ascii=False),
    } for v in verdicts]
    write_verdicts(db, rows, {v.annotation_id: [(e.url, e.note) for e in v.evidence] for v in verdicts})


def _mark_deleted(db, seen_by_task: dict[int, set], when: str) -> int:
    """Mark live verdicts of these tasks whose annotation is no longer among ``seen``
    (the caller holds the transaction); returns how many."""
    live = _existing(db, "select annotation_id, task_id from verdicts where deleted_at is null and task_id in ({})",
                     set(seen_by_task))
    gone = [a for a, t in live.items() if a not in seen_by_task[t]]
    db.conn.executemany("update verdicts set deleted_at = ? where annotation_id = ?", [(when, a) for a in gone])
    return len(gone)


@dataclass
class ImportReport:
    tasks: int = 0
    verdicts: int = 0
    invalid: int = 0
    unknown_claims: int = 0
    foreign_tasks: int = 0


def import_export(db: sqlite_utils.Database, exported: list[dict], *, project_id: int | None = None) -> ImportReport:
    """Store the verdicts of a Label Studio JSON export (offline; same validation as pull)."""
    from factcheck.errors import AnnotationError

    if not isinstance(exported, list):
        raise AnnotationError("A Label Studio JSON export is a list of tasks; this file holds something else.",
                              code="F514")
    report = ImportReport()
    stamp = now()
    by_project: dict[int, tuple[list, list[Problem], set]] = {}
    for task in exported:
        if not isinstance(task, dict) or not isinstance(task.get("data"), dict) or not task["data"].get("claim_id"):
            report.foreign_tasks += 1
            continue
        report.tasks += 1
        pid = project_id if project_id is not None else task.get("project") or 0
        verdicts, problems, task_ids = by_project.setdefault(pid if isinstance(pid, int) else 0, ([], [], set()))
        read, found = read_annotations(task, task.get("annotations"))
        verdicts += read
        problems += found
        task_ids.add(task.get("id"))
    for pid, (verdicts, problems, task_ids) in by_project.items():
        known = _existing(db, "select id, id from claims where id in ({})", {v.claim_id for v in verdicts})
        stored = [v for v in verdicts if v.claim_id in known]
        report.unknown_claims += len(verdicts) - len(stored)
        report.verdicts += len(stored)
        report.invalid += len({(p.task_id, p.annotation_id) for p in problems})
        with db.conn:
            _write_verdicts(db, pid, stored, stamp)
            replace_problems(db, pid, task_ids, problems, stamp)
    return report


def push_claims(
    db: sqlite_utils.Database, ls=None, *, title: str = DEFAULT_TITLE, limit: int | None = None,
    min_score: float | None = None, order: str = "uncertainty", rescore_with=None, match: bool = True,
    progress: Callable[[str, int | None], Callable[[int], None]] | None = None,
) -> tuple[int, PushReport]:
    """Send the store's claims to the project (``factcheck push``): :func:`push` with its set-up.

    First re-scores the stored claims with ``rescore_with`` when given (tasks not yet
    annotated then get the new predictions), sets up the project, and pre-fills verdicts
    from matching checked claims only once something in the store has a verdict.

    :param db: the store.
    :param ls: a label-studio-sdk client (default: the configured server).
    :param title: the project title (same title → same project).
    :param limit: send at most this many claims.
    :param min_score: only claims with check-worthiness at least this.
    :param order: which claims go first: ``uncertainty``, ``score`` or ``article``.
    :param rescore_with: a check-worthiness model to re-score the stored claims with first.
    :param match: pre-fill the verdict of claims that match an already checked claim.
    :param progress: ``progress(stage, total) -> advance``; the one stage, ``"pushing"``
        (total unknown), advances by the tasks sent or updated.
    :returns: ``(project id, PushReport)``; the report's ``rescored`` counts re-scored claims.
    """
    rescored = rescore(db, rescore_with) if rescore_with is not None else 0
    ls = ls if ls is not None else client()
    project_id = setup_project(ls, title, db)
    advance = progress("pushing", None) if progress else None
    index = None
    if match and db.execute("select 1 from verdicts where deleted_at is null limit 1").fetchone():
        from factcheck.store.matching import ClaimIndex

        index = ClaimIndex(db)  # nothing to pre-fill from until something has a verdict
    report = push(db, ls, project_id, limit=limit, min_score=min_score, order=order, progress=advance, index=index)
    report.rescored = rescored
    return project_id, report


def pull_project(db: sqlite_utils.Database, ls=None, *, title: str = DEFAULT_TITLE,
                 full: bool = False) -> tuple[int, PullReport]:
    """Fetch the project's new and edited annotations into the store (``factcheck pull``).

    :param db: the store.
    :param ls: a label-studio-sdk client (default: the configured server).
    :param title: the project title (set up if missing, as :func:`setup_project`).
    :param full: re-read every task, not only those changed since the last pull.
    :returns: ``(project id, PullReport)``.
    """
    ls = ls if ls is not None else client()
    project_id = setup_project(ls, title, db)
    return project_id, pull(db, ls, project_id, full=full)


def import_file(db: sqlite_utils.Database, path, *, fmt: str | None = None, limit: int | None = None,
                progress: Callable[[int], None] | None = None):
    """Store the verdicts of a file (``factcheck verdicts import``): a Label Studio JSON
    export here (offline, the checks of :func:`import_export`), any other verdict format
    through :func:`factcheck.store.verdict_import.import_file`.

    :param db: the store.
    :param path: the file.
    :param fmt: ``labelstudio``, ``claimreview``, ``averitec`` or ``liar``; default
        detected (:func:`factcheck.store.verdict_import.detect_format`).
    :param limit: read at most this many records (tasks of an export).
    :param progress: called with the number of records read so far (external formats).
    :returns: an :class:`ImportReport` for a Label Studio export, else a
        :class:`~factcheck.store.verdict_import.VerdictImportReport`.
    :raises AnnotationError: F514 for an export that is not JSON or not a list of tasks;
        F7xx for the other formats' problems.
    """
    from pathlib import Path

    from factcheck.errors import AnnotationError
    from factcheck.store import verdict_import

    path = Path(path)
    fmt = fmt or verdict_import.detect_format(path)
    if fmt != "labelstudio":
        return verdict_import.import_file(db, path, fmt=fmt, limit=limit, progress=progress)
    try:
        exported = json.loads(verdict_import._read_text(path))
    except json.JSONDecodeError as exc:
        raise AnnotationError(
            f"{path} is not JSON ({exc}); export the project from Label Studio as JSON. factcheck verdicts import "
            f"also accepts {verdict_import.ACCEPTED}: pass --format for those.", code="F514") from exc
    if isinstance(exported, list) and limit is not None:
        exported = exported[:limit]
    return import_export(db, exported)
