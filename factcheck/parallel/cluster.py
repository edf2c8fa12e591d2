"""``factcheck extract --dask-scheduler tcp://HOST:PORT``: a Dask cluster extracts and
scores, this process stores (:mod:`factcheck.parallel`; docs/scaling.md sets one up).

Each Dask worker loads the model once (:func:`~factcheck.parallel.work.worker_scorer`
is cached per process) from its own models folder and encoder cache. The scheduler
re-runs the chunks of a worker that dies on another; the results come back here, in
input order, to the one writer, so nothing is stored twice.
"""

from __future__ import annotations

import queue
from collections import Counter
from collections.abc import Iterator, Sequence
from urllib.parse import urlsplit

from factcheck.errors import ModelError
from factcheck.extraction.pipeline import Progress
from factcheck.parallel.work import PROGRESS_POLL, extract_chunk, write_in_order
from factcheck.records import Article
from factcheck.store.intake import CHUNK_CHARS, EXTRACT_MAX_BYTES, ExtractedArticle, ExtractTotals, Writer, read_chunks

#: Seconds to wait for the scheduler to answer.
CONNECT_TIMEOUT = 20
#: The Dask event topic the workers' progress reports travel on (worker → scheduler → client).
PROGRESS_TOPIC = "factcheck-progress"


def extract_paths_dask(
    paths: Sequence[str], *, scheduler: str, db=None, version: str | None = None, lang: str | None = None,
    max_bytes: int | None = None, match: bool | None = None, totals: ExtractTotals | None = None,
    chunk_chars: int = CHUNK_CHARS, timeout: float = CONNECT_TIMEOUT, progress: Progress | None = None,
) -> Iterator[ExtractedArticle]:
    """:func:`~factcheck.store.intake.extract_paths` on the Dask cluster at ``scheduler``:
    the same articles, claims, ids and scores, in the same order.

    :param version: the model version every worker loads from its own models folder
        (:func:`factcheck.model.registry.scorer_version`), None for rules only.
    :param chunk_chars: characters of consecutive articles per task (the serial run's chunks).
    :param timeout: seconds to wait for the scheduler.
    :param progress: ``progress(article, chars_done, chars_total)`` after each window of an
        article, as the serial run reports it, sent by the worker that extracts it.
    :raises ModelError: F231 when the scheduler does not answer or has no workers, F232
        when a chunk failed on every worker it was tried on.
    """
    from distributed import Client

    from factcheck.embed.encoder import LazyEncoder

    writer = Writer(db, match=match, encoder=LazyEncoder() if version else None, scored=version is not None,
                    totals=totals)
    try:
        client = Client(scheduler, timeout=timeout)
    except (OSError, TimeoutError, ValueError) as exc:
        raise ModelError(
            f"No dask scheduler answered at {scheduler} ({exc}). Start one with `dask scheduler` and its workers "
            "with `dask worker ADDRESS` (docs/scaling.md), or run without --dask-scheduler.", code="F231") from None
    try:
        workers = client.scheduler_info()["workers"]
        if not workers:
            raise ModelError(f"The Dask scheduler at {scheduler} has no workers: start them with "
                             f"`dask worker {scheduler}` (docs/scaling.md).", code="F231")
        threads = _threads_per_worker(client, workers)
        chunks = read_chunks(paths, max_bytes=EXTRACT_MAX_BYTES if max_bytes is None else max_bytes,
                             chunk_chars=chunk_chars)

        reports: queue.SimpleQueue = queue.SimpleQueue()
        relay = _Relay(reports, progress) if progress is not None else None
        if relay is not None:
            client.subscribe_topic(PROGRESS_TOPIC, lambda event: reports.put(event[1]))

        def submit(chunk):
            future = client.submit(_extract_on_worker, chunk, version=version, lang=lang, threads=threads,
                                   report=relay is not None, pure=False)
            if relay is not None:
                relay.expect(future.key, chunk)
            return future

        def result(future):
            try:
                if relay is None:
                    return future.result()
                return relay.await_result(future)
            except Exception as exc:  # noqa: BLE001 - Dask gives up on a chunk after its allowed failures
                raise ModelError(
                    f"A chunk of articles failed on every Dask worker it was tried on ({type(exc).__name__}: "
                    f"{exc}); the articles stored so far are kept. Check the workers' logs.", code="F232") from None

        yield from write_in_order(chunks, submit, result, writer, in_flight=2 * len(workers))
    finally:
        client.close()


class _Relay:
    """Hands the workers' progress reports to ``progress`` while this process waits for a
    chunk, the way :mod:`factcheck.parallel.local` relays its queue. Reports travel as Dask
    events (worker → scheduler → here) and may lag the result, so a worker also returns
    the reports it sent with its chunk: those not relayed by then are relayed from there."""

    def __init__(self, reports: queue.SimpleQueue, progress: Progress) -> None:
        self.reports, self.progress = reports, progress
        self.articles: dict[str, Article] = {}  # of the chunks in flight: the reports name them
        self.relayed: dict[str, int] = {}  # article id → reports relayed so far
        self.chunks: dict[str, list[str]] = {}  # future key → its article ids

    def expect(self, key: str, chunk: list[Article]) -> None:
        self.articles.update((article.article_id, article) for article in chunk)
        self.chunks[key] = [article.article_id for article in chunk]

    def _show(self, article_id: str, done: int, total: int) -> None:
        article = self.articles.get(article_id)
        if article is not None:  # a late event of a finished article was relayed already
            self.relayed[article_id] = self.relayed.get(article_id, 0) + 1
            self.progress(article, done, total)

    def relay(self) -> None:
        while True:
            try:
                self._show(*self.reports.get_nowait())
            except queue.Empty:
                return

    def await_result(self, future):
        while True:
            self.relay()
            try:
                found, sent = future.result(timeout=PROGRESS_POLL)
            except TimeoutError:
                continue
            break
        self.relay()
        by_article: dict[str, list[tuple[str, int, int]]] = {}
        for report in sent:
            by_article.setdefault(report[0], []).append(report)
        for article_id in self.chunks.pop(future.key, []):
            for report in by_article.get(article_id, [])[self.relayed.get(article_id, 0) :]:
                self._show(*report)
            self.articles.pop(article_id, None)
            self.relayed.pop(article_id, None)
        return found


def _threads_per_worker(client, workers: dict) -> dict[str, int]:
    """Worker address → encoder threads: its machine's cores shared among the workers on it."""
    cores = client.run(_cpu_count)
    per_host = Counter(urlsplit(address).hostname for address in workers)
    return {address: max(1, cores.get(address, 1) // per_host[urlsplit(address).hostname]) for address in workers}


def _cpu_count() -> int:
    import os

    return os.cpu_count() or 1


def _extract_on_worker(chunk, *, version, lang, threads: dict[str, int], report: bool = False):
    """The chunk's results; with ``report``, (results, the progress reports sent as events)."""
    from distributed import get_worker

    worker = get_worker()
    sent: list[tuple[str, int, int]] = []

    def send(article: Article, done: int, total: int) -> None:
        sent.append((article.article_id, done, total))
        worker.log_event(PROGRESS_TOPIC, sent[-1])

    found = extract_chunk(chunk, version=version, lang=lang, threads=threads.get(worker.address),
                          report=send if report else None)
    return (found, sent) if report else found
