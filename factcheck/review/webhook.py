"""Edge: an optional local receiver for Label Studio webhooks.

Label Studio can POST to a URL when an annotation is created, updated or deleted.
This module runs a small HTTP server on 127.0.0.1 that turns those
notifications into an immediate pull of just the tasks concerned, so verdicts
reach the store seconds after an annotator submits them::

    from factcheck.review import labelstudio as fls
    from factcheck.review import webhook

    ls = fls.client()
    with webhook.serve("factcheck.db", project_id=7, ls=ls, secret=secret) as hook:
        webhook.register_webhook(ls, 7, hook.url, secret)
        ...  # annotations now arrive by themselves

A webhook is only a hint. Label Studio delivers it inside the annotator's own
request, waits at most one second (``WEBHOOK_TIMEOUT``) and never retries, so a
notification sent while the receiver is down is lost for good. The pull
(:func:`factcheck.review.labelstudio.pull`) stays the source of truth: it catches up on
anything missed, and re-storing a verdict the receiver already stored is a no-op.

What the receiver does with a ``POST``:

* a missing or wrong ``X-Factcheck-Secret`` header → 403, nothing else happens
  (the header is compared in constant time);
* a body that is not a JSON object with an ``action`` → 400;
* an action it does not handle, or an event about another project → 204;
* ``ANNOTATION_CREATED``/``ANNOTATIONS_CREATED``/``ANNOTATION_UPDATED`` (the task
  ids are in the payload) and ``ANNOTATIONS_DELETED`` (only the annotation ids are:
  the store says which tasks they belonged to) → 200 at once; a background worker
  then fetches those tasks and stores their verdicts. The worker opens its own
  SQLite connection, and its errors are logged, never raised.

Threads are bounded whatever clients do: a connection costs a thread only while it
sends its request, to one of a fixed pool (``handler_threads``, 4); until its first byte
it waits in a selector, which closes it after ``idle_timeout`` seconds (10) or when more
than ``MAX_WAITING`` connections wait (the longest-waiting goes first). A request that
stalls mid-way is dropped after ``REQUEST_TIMEOUT`` seconds on one read. So a flood of
idle connections neither exhausts threads nor file descriptors, and a real notification
is still answered at once.

Label Studio 1.23 quirks, measured: deletions arrive as ``ANNOTATIONS_DELETED``
with ``{"annotations": [{"id": N}]}`` and no task; ``ANNOTATIONS_CREATED`` carries
lists under ``annotation`` and ``task``; every payload carries the whole project
(labelling config included) under ``project``; webhooks to 127.0.0.1 need the
server started with ``SSRF_PROTECTION_ENABLED=false`` (``labelstudio_server`` does).
"""

from __future__ import annotations

import hmac
import json
import logging
import queue
import secrets
import selectors
import socket
import sqlite3
import threading
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, cast

import sqlite_utils

from factcheck.errors import LabelStudioError, StoreError
from factcheck.review import labelstudio as fls
from factcheck.review.labelstudio import PullReport, _mark_deleted, store_task, with_retries
from factcheck.store.db import open_db

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Factcheck-Secret"
#: What register_webhook subscribes to (Label Studio 1.23 has no ANNOTATION_DELETED).
ANNOTATION_ACTIONS = ("ANNOTATION_CREATED", "ANNOTATIONS_CREATED", "ANNOTATION_UPDATED", "ANNOTATIONS_DELETED")
#: What the receiver acts on; ANNOTATION_DELETED is accepted too, should a server send it.
HANDLED_ACTIONS = frozenset(ANNOTATION_ACTIONS) | {"ANNOTATION_DELETED"}
DEFAULT_PORT = 8094
MAX_BODY = 256 * 1024 * 1024  # ANNOTATIONS_CREATED may carry thousands of tasks in one body
_DRAIN_ON_REFUSAL = 1024 * 1024
#: Threads that answer requests; Label Studio sends one notification per request, each answered in milliseconds.
HANDLER_THREADS = 4
#: Seconds a connection may stay open without starting a request before the receiver closes it.
IDLE_TIMEOUT = 10.0
#: Seconds one read of a started request may stall before the request is dropped.
REQUEST_TIMEOUT = 10.0
#: Connections that may wait for their first byte at once; beyond this the longest-waiting is
#: closed, so idle connections cannot use up the process's file descriptors either.
MAX_WAITING = 256


def new_secret() -> str:
    """A fresh shared secret for the ``X-Factcheck-Secret`` header."""
    return secrets.token_urlsafe(32)


# --- registering with Label Studio ---------------------------------------------------------


def register_webhook(ls, project_id: int, url: str, secret: str) -> int:
    """Point the project's webhook at ``url``; returns its id.

    Idempotent: a webhook of this project with the same URL is updated (new secret,
    actions, re-activated), never duplicated; stray duplicates of it are deleted.
    """
    _check_secret(secret)
    settings: dict[str, Any] = dict(
        url=url, actions=list(ANNOTATION_ACTIONS), headers={SECRET_HEADER: secret}, send_payload=True,
        send_for_all_actions=False, is_active=True,
    )
    hooks = [h for h in with_retries(lambda: list(ls.webhooks.list(project=str(project_id))), what="list webhooks")
             if h.url == url and h.project == project_id]
    if not hooks:
        created = with_retries(lambda: ls.webhooks.create(project=project_id, **settings), what="create a webhook")
        log.info("registered webhook %s for project %s → %s", created.id, project_id, url)
        return created.id
    keep, *extra = sorted(hooks, key=lambda h: h.id)
    with_retries(lambda: ls.webhooks.update(id=keep.id, **settings), what=f"update webhook {keep.id}")
    for hook in extra:
        # with_retries calls the lambda before the loop moves on
        with_retries(lambda: ls.webhooks.delete(id=hook.id), what=f"delete duplicate webhook {hook.id}")  # noqa: B023
    return keep.id


def unregister_webhook(ls, webhook_id: int) -> None:
    """Delete a webhook (a missing one is fine)."""
    try:
        with_retries(lambda: ls.webhooks.delete(id=webhook_id), what=f"delete webhook {webhook_id}")
    except LabelStudioError as exc:
        if _http_status(exc) != 404:
            raise


def _check_secret(secret: str | None) -> None:
    if not secret or not isinstance(secret, str) or not (secret.isascii() and secret.isprintable()) or len(secret) < 16:
        raise LabelStudioError(
            "The webhook secret must be a printable ASCII string of at least 16 characters "
            "(leave it out and one is generated).", code="F421",
        )


def _http_status(exc: BaseException) -> int | None:
    cause = exc.__cause__
    return getattr(cause, "status_code", None)


# --- pulling single tasks ------------------------------------------------------------------


def pull_tasks(db_path: str | Path | sqlite_utils.Database, ls, project_id: int, task_ids: Iterable[int]) -> PullReport:
    """Fetch the given tasks and store their annotations as :func:`factcheck.review.labelstudio.pull` does.

    Verdicts of annotations that are gone are marked deleted; a task that no longer
    exists has all its verdicts marked deleted. The incremental pull's high-water mark
    (``ls_state.last_pull``) is left alone: a later pull still sees every change.
    ``db_path`` may be an open store (used as is) or a path (opened and closed here).
    """
    db = db_path if isinstance(db_path, sqlite_utils.Database) else open_db(db_path)
    try:
        started = fls.now()
        report = PullReport()
        for task_id in dict.fromkeys(int(t) for t in task_ids):
            try:
                # with_retries calls the lambda before the loop moves on
                task = with_retries(lambda: ls.tasks.get(id=str(task_id)),  # noqa: B023
                                    what=f"fetch task {task_id}")
            except LabelStudioError as exc:
                if _http_status(exc) != 404:
                    raise
                with db.conn:  # the task is gone, so are all its annotations
                    report.deleted += _mark_deleted(db, {task_id: set()}, started)
                continue
            if getattr(task, "project", None) not in (None, project_id):
                log.warning("task %s belongs to project %s, not %s: ignored", task_id, task.project, project_id)
                continue
            store_task(db, project_id, task, started, report)
        return report
    finally:
        if db is not db_path:
            db.close()


# --- reading payloads -----------------------------------------------------------------------


@dataclass
class Job:
    """What one notification asks the worker to do."""

    tasks: set[int] = field(default_factory=set)
    annotations: set[int] = field(default_factory=set)  # deleted annotations: tasks looked up in the store
    full: bool = False  # no ids in the payload (send_payload off): an incremental pull

    def merge(self, other: Job) -> None:
        self.tasks |= other.tasks
        self.annotations |= other.annotations
        self.full |= other.full


def _ids(value) -> set[int]:
    """Ids from an object, an id, or a list of either."""
    items = value if isinstance(value, list) else [value]
    found = set()
    for item in items:
        raw = item.get("id") if isinstance(item, dict) else item
        if isinstance(raw, int) and not isinstance(raw, bool):
            found.add(raw)
        elif isinstance(raw, str) and raw.isdigit():
            found.add(int(raw))
    return found


def job_for(payload: dict) -> Job:
    """The work a handled action's payload asks for."""
    action = payload.get("action")
    job = Job()
    if action in ("ANNOTATIONS_DELETED", "ANNOTATION_DELETED"):
        job.annotations = _ids(payload.get("annotations", payload.get("annotation")))
        for annotation in payload.get("annotations") or []:  # a future server might name the task too
            if isinstance(annotation, dict):
                job.tasks |= _ids(annotation.get("task"))
    else:
        job.tasks = _ids(payload.get("task"))
        annotations = payload.get("annotation")
        for annotation in annotations if isinstance(annotations, list) else [annotations]:
            if isinstance(annotation, dict):
                job.tasks |= _ids(annotation.get("task"))
    job.full = not (job.tasks or job.annotations)
    return job


def payload_project(payload: dict) -> int | None:
    project = payload.get("project")
    ids = _ids(project) if project is not None else set()
    return next(iter(ids)) if len(ids) == 1 else None


# --- the server -----------------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    server_version = "factcheck-webhook"
    sys_version = ""

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(self.server.request_timeout)  # a stalled read ends the request

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        hook = self.server.hook
        if self.path.split("?", 1)[0] != "/":
            return self._answer(HTTPStatus.NOT_FOUND, {"error": "POST to /"}, drain=True)
        given = self.headers.get(SECRET_HEADER) or ""
        if not hmac.compare_digest(given.encode("utf-8", "surrogateescape"), hook._secret_bytes):
            hook._count("refused")
            log.warning("webhook from %s refused: %s header missing or wrong", self.client_address[0], SECRET_HEADER)
            return self._answer(HTTPStatus.FORBIDDEN, {"error": "forbidden"}, drain=True)
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            return self._answer(HTTPStatus.LENGTH_REQUIRED, {"error": "Content-Length required"})
        if int(length) > MAX_BODY:
            return self._answer(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, {"error": "body too large"})
        body = self.rfile.read(int(length))
        try:
            payload = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            payload = None
        if not isinstance(payload, dict) or not isinstance(payload.get("action"), str):
            hook._count("malformed")
            return self._answer(HTTPStatus.BAD_REQUEST, {"error": "expected a JSON object with an action"})
        hook.last_payload_keys = sorted(payload)
        action = payload["action"]
        project = payload_project(payload)
        if action not in HANDLED_ACTIONS or (project is not None and project != hook.project_id):
            hook._count("ignored")
            log.debug("webhook %s (project %s) ignored", action, project)
            return self._answer(HTTPStatus.NO_CONTENT)
        job = job_for(payload)
        hook._enqueue(job)
        self._answer(HTTPStatus.OK, {"queued": {"tasks": sorted(job.tasks), "annotations": sorted(job.annotations),
                                                "full": job.full}})

    def do_GET(self) -> None:  # noqa: N802
        self._answer(HTTPStatus.METHOD_NOT_ALLOWED, {"error": "POST Label Studio webhooks to /"})

    do_PUT = do_PATCH = do_DELETE = do_GET  # noqa: N815

    def _answer(self, status: HTTPStatus, body: dict | None = None, *, drain: bool = False) -> None:
        if drain:  # read a small unread body, so closing the socket does not reset the answer away
            length = self.headers.get("Content-Length") or "0"
            if length.isdigit() and int(length) <= _DRAIN_ON_REFUSAL:
                self.rfile.read(int(length))
            else:
                self.close_connection = True
        data = b"" if body is None or status == HTTPStatus.NO_CONTENT else json.dumps(body).encode()
        self.send_response(status)
        if data:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if data:
            self.wfile.write(data)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 (http.server's signature)
        log.debug("%s %s", self.client_address[0], format % args)


class _HTTPServer(HTTPServer):
    """An HTTP server whose connections hold a thread only while they send a request.

    The serving thread accepts; a waiter thread keeps each new connection in a selector
    until it is readable, then hands it to a fixed pool of handler threads. The waiter
    closes connections that stay silent for ``idle_timeout`` seconds, and the
    longest-waiting one when more than ``max_waiting`` wait.
    """

    hook: WebhookServer
    request_queue_size = 128  # the listen backlog: a burst of connections is accepted, not retried

    def __init__(self, address, handler, *, threads: int, idle_timeout: float, request_timeout: float,
                 max_waiting: int = MAX_WAITING):
        super().__init__(address, handler)
        self.idle_timeout = idle_timeout
        self.request_timeout = request_timeout
        self.max_waiting = max_waiting
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="factcheck-webhook-handler")
        self._arrived: queue.SimpleQueue[tuple[socket.socket, Any]] = queue.SimpleQueue()
        self._waiting: dict[socket.socket, tuple[Any, float]] = {}  # in order of arrival: the oldest first
        self._selector = selectors.DefaultSelector()
        self._wake_reader, self._wake_writer = socket.socketpair()
        self._wake_reader.setblocking(False)
        self._wake_writer.setblocking(False)
        self._selector.register(self._wake_reader, selectors.EVENT_READ)
        self._closing = False
        self._waiter = threading.Thread(target=self._wait_for_requests, name="factcheck-webhook-idle", daemon=True)
        self._waiter.start()

    # -- the serving thread

    def process_request(self, request, client_address) -> None:
        """Called after accept: the connection waits for its request in the waiter's selector."""
        self._arrived.put((request, client_address))
        self._wake()

    def server_close(self) -> None:
        super().server_close()
        if not hasattr(self, "_waiter"):  # called by TCPServer.__init__ when binding failed
            return
        self._closing = True
        self._wake()
        self._waiter.join(5)
        self._pool.shutdown(wait=True)  # a handler ends within request_timeout per read
        self._wake_reader.close()
        self._wake_writer.close()

    def handle_error(self, request, client_address) -> None:
        log.warning("webhook request from %s failed", client_address[0], exc_info=True)

    def _wake(self) -> None:
        try:
            self._wake_writer.send(b"\0")
        except OSError:  # its buffer is full (the waiter is awake anyway) or it is closed
            pass

    # -- the waiter thread (the only one that touches the selector and _waiting)

    def _wait_for_requests(self) -> None:
        try:
            while not self._closing:
                try:
                    self._wait_once()
                except Exception:  # noqa: BLE001 (without this thread no request is answered)
                    log.exception("webhook receiver: waiting for requests failed; going on")
                    time.sleep(0.1)
        finally:
            for connection in list(self._waiting):
                self._drop(connection)
            while not self._arrived.empty():
                self.shutdown_request(self._arrived.get_nowait()[0])
            self._selector.close()

    def _wait_once(self) -> None:
        oldest = next(iter(self._waiting.values()), None)
        timeout = None if oldest is None else max(0.0, oldest[1] + self.idle_timeout - time.monotonic())
        for key, _ in self._selector.select(timeout):
            if key.fileobj is self._wake_reader:
                self._drain_wakes()
                continue
            connection = cast("socket.socket", key.fileobj)
            self._selector.unregister(connection)
            address, _ = self._waiting.pop(connection)
            self._pool.submit(self._handle, connection, address)
        self._admit_arrivals()
        self._close_idle()

    def _drain_wakes(self) -> None:
        try:
            while self._wake_reader.recv(4096):
                pass
        except OSError:  # nothing more to read
            pass

    def _admit_arrivals(self) -> None:
        while not self._arrived.empty():
            connection, address = self._arrived.get_nowait()
            if len(self._waiting) >= self.max_waiting:
                self._drop(next(iter(self._waiting)))
                self.hook._count("idle_closed")
            self._waiting[connection] = (address, time.monotonic())
            self._selector.register(connection, selectors.EVENT_READ)

    def _close_idle(self) -> None:
        now = time.monotonic()
        while self._waiting:
            connection, (_, since) = next(iter(self._waiting.items()))
            if now - since < self.idle_timeout:
                break
            self._drop(connection)
            self.hook._count("idle_closed")

    def _drop(self, connection: socket.socket) -> None:
        self._selector.unregister(connection)
        del self._waiting[connection]
        self.shutdown_request(connection)

    # -- the handler threads

    def _handle(self, connection: socket.socket, address) -> None:
        try:
            self.finish_request(connection, address)
        except Exception:  # noqa: BLE001 (one broken request must never end a handler thread)
            self.handle_error(connection, address)
        finally:
            self.shutdown_request(connection)


class WebhookServer:
    """A running receiver: ``url`` to register, ``stop()`` (or ``with``) to end it.

    ``stats`` counts requests (``queued``, ``refused``, ``malformed``, ``ignored``)
    and the worker's work (``pulls``, ``tasks``, ``verdicts``, ``deleted``, ``errors``, and
    ``invalid``: annotations read with problems, listed by ``factcheck review problems``);
    ``idle_closed`` counts connections closed because they sent nothing.
    """

    def __init__(self, db_path, *, project_id: int, ls, host: str, port: int, secret: str,
                 handler_threads: int = HANDLER_THREADS, idle_timeout: float = IDLE_TIMEOUT,
                 request_timeout: float = REQUEST_TIMEOUT):
        _check_secret(secret)
        self.db_path = db_path
        self.project_id = project_id
        self.ls = ls
        self._secret_bytes = secret.encode("utf-8")
        self.stats: dict[str, int] = dict.fromkeys(
            ("queued", "refused", "malformed", "ignored", "pulls", "tasks", "verdicts", "deleted", "invalid", "errors",
             "idle_closed"), 0)
        self._lock = threading.Lock()
        self._queue: queue.Queue[Job | None] = queue.Queue()
        self._pending = 0
        self._idle = threading.Condition(self._lock)
        self.last_payload_keys: list[str] | None = None
        try:
            self._http = _HTTPServer((host, port), _Handler, threads=handler_threads, idle_timeout=idle_timeout,
                                     request_timeout=request_timeout)
        except OSError as exc:
            raise LabelStudioError(
                f"The webhook receiver cannot listen on {host}:{port} ({exc.strerror or exc}). "
                "Choose another --port, or 0 for a free one.", code="F420",
            ) from exc
        self._http.hook = self
        # An AF_INET or AF_INET6 server: the address starts (host str, port int).
        self.host, self.port = cast("tuple[str, int]", self._http.server_address[:2])
        self.url = f"http://{self.host}:{self.port}/"
        self._worker = threading.Thread(target=self._work, name="factcheck-webhook-worker", daemon=True)
        self._serving = threading.Thread(target=self._http.serve_forever, kwargs={"poll_interval": 0.2},
                                         name="factcheck-webhook-http", daemon=True)
        self._stopped = False
        self._worker.start()
        self._serving.start()
        log.info("webhook receiver listening on %s", self.url)

    def __repr__(self) -> str:
        return f"WebhookServer(url={self.url!r}, project_id={self.project_id})"

    def __enter__(self) -> WebhookServer:
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Wait until every queued notification has been worked off; False on timeout."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout=timeout)

    def stop(self, timeout: float = 10.0) -> None:
        """Stop listening, let the worker finish what is queued (up to ``timeout`` s), close."""
        if self._stopped:
            return
        self._stopped = True
        self._http.shutdown()
        self._http.server_close()
        self._queue.put(None)
        self._worker.join(timeout)
        if self._worker.is_alive():
            log.warning("webhook worker still busy after %.0f s; left behind (a pull will catch up)", timeout)

    # -- internals

    def _count(self, key: str, n: int = 1) -> None:
        with self._lock:
            self.stats[key] += n

    def _enqueue(self, job: Job) -> None:
        with self._lock:
            self.stats["queued"] += 1
            self._pending += 1
        self._queue.put(job)

    def _work(self) -> None:
        db = None
        while True:
            job = self._queue.get()
            if job is None:
                break
            taken = 1
            stop = False
            while True:  # coalesce a burst of notifications into one pass
                try:
                    more = self._queue.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    stop = True
                    break
                job.merge(more)
                taken += 1
            try:
                if db is None:
                    db = open_db(self.db_path)
                self._run(db, job)
            except Exception as exc:  # noqa: BLE001 (a worker error must never end the receiver)
                self._count("errors")
                log.error("webhook pull failed (%s: %s); the next `factcheck labelstudio pull` catches up",
                          type(exc).__name__, exc, exc_info=log.isEnabledFor(logging.DEBUG))
                if isinstance(exc, (sqlite3.Error, StoreError)) and db is not None:  # reopen a broken store
                    db.close()
                    db = None
            finally:
                with self._idle:
                    self._pending -= taken
                    self._idle.notify_all()
            if stop:
                break
        if db is not None:
            db.close()

    def _run(self, db, job: Job) -> None:
        tasks = set(job.tasks)
        if job.annotations:
            marks = ",".join("?" * len(job.annotations))
            tasks |= {r["task_id"] for r in db.query(
                f"select distinct task_id from verdicts where annotation_id in ({marks})", sorted(job.annotations))}
        started = time.monotonic()
        if job.full:
            report = fls.pull(db, self.ls, self.project_id)
        elif tasks:
            report = pull_tasks(db, self.ls, self.project_id, sorted(tasks))
        else:
            return
        with self._lock:
            self.stats["pulls"] += 1
            for key in ("tasks", "verdicts", "deleted", "invalid"):
                self.stats[key] += getattr(report, key)
        log.info("webhook pull: %d task(s), %d verdict(s), %d deleted in %.2f s", report.tasks, report.verdicts,
                 report.deleted, time.monotonic() - started)


def serve(db_path, *, project_id: int, ls, host: str = "127.0.0.1", port: int = 0, secret: str,
          handler_threads: int = HANDLER_THREADS, idle_timeout: float = IDLE_TIMEOUT,
          request_timeout: float = REQUEST_TIMEOUT) -> WebhookServer:
    """Start a receiver for ``project_id`` writing to the store at ``db_path``; returns at once.

    ``port=0`` picks a free port (see ``.url``). Give it its own ``ls`` client if other
    threads use one. Register ``.url`` with :func:`register_webhook`. ``handler_threads``
    answer requests; a connection silent for ``idle_timeout`` seconds is closed, and a
    request stalled for ``request_timeout`` seconds on one read is dropped.
    """
    return WebhookServer(db_path, project_id=project_id, ls=ls, host=host, port=port, secret=secret,
                         handler_threads=handler_threads, idle_timeout=idle_timeout,
                         request_timeout=request_timeout)
