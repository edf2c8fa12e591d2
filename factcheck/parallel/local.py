"""``factcheck extract --workers N``: N processes on this machine extract and score,
the calling process stores (:mod:`factcheck.parallel`)."""

from __future__ import annotations

import multiprocessing
import os
import queue
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool

from factcheck.errors import ModelError
from factcheck.extraction.pipeline import Progress
from factcheck.parallel import work
from factcheck.parallel.work import PROGRESS_POLL, extract_chunk, worker_scorer, write_in_order
from factcheck.records import Article
from factcheck.store.intake import CHUNK_CHARS, EXTRACT_MAX_BYTES, ExtractedArticle, ExtractTotals, Writer, read_chunks


def extract_paths_parallel(
    paths: Sequence[str], *, workers: int, db=None, version: str | None = None, models: str | None = None,
    lang: str | None = None, max_bytes: int | None = None, match: bool | None = None,
    totals: ExtractTotals | None = None, chunk_chars: int = CHUNK_CHARS, progress: Progress | None = None,
) -> Iterator[ExtractedArticle]:
    """:func:`~factcheck.store.intake.extract_paths` with ``workers`` processes extracting and
    scoring, and this one storing: the same articles, claims, ids and scores, in the same order.

    The workers start, and load the model, before the first input is read. Each runs its
    encoder on its share of the cores (cores ÷ ``workers`` threads), so that together they
    never ask for more threads than there are cores.

    :param version: the model version the workers load (:func:`factcheck.model.registry.scorer_version`),
        None for rules only.
    :param models: the models folder (default :func:`factcheck.settings.models_dir`).
    :param chunk_chars: characters of consecutive articles per task (the serial run's chunks).
    :param progress: ``progress(article, chars_done, chars_total)`` after each window of an
        article, as the serial run reports it, from whichever worker extracts it.
    :raises ModelError: F230 when a worker process dies (killed for memory, most often).
    """
    from factcheck.embed.encoder import LazyEncoder

    threads = max(1, (os.cpu_count() or 1) // workers)
    # spawn: a fresh interpreter per worker, never a fork of this process's threads and open store.
    context = multiprocessing.get_context("spawn")
    reports = context.SimpleQueue() if progress is not None else None
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_load,
                             initargs=(version, models, threads, reports)) as pool:
        # One warm-up task per worker: all of them start now and load the model while this
        # process opens the store and reads the first inputs.
        warming = [pool.submit(_ready) for _ in range(workers)]
        writer = Writer(db, match=match, encoder=LazyEncoder() if version else None, scored=version is not None,
                        totals=totals)
        chunks = read_chunks(paths, max_bytes=EXTRACT_MAX_BYTES if max_bytes is None else max_bytes,
                             chunk_chars=chunk_chars)
        pending: dict[str, Article] = {}  # the articles of chunks in flight: the workers' reports name them

        def submit(chunk):
            future = pool.submit(extract_chunk, chunk, version=version, models=models, lang=lang, threads=threads)
            if reports is not None:
                pending.update((article.article_id, article) for article in chunk)
                future.chunk_ids = [article.article_id for article in chunk]
            return future

        def result(future):
            if reports is None or progress is None:
                return future.result()
            show: Progress = progress
            while True:
                _relay(reports, pending, show)
                try:
                    done = future.result(timeout=PROGRESS_POLL)
                except FutureTimeout:
                    continue
                _relay(reports, pending, show)
                for article_id in future.chunk_ids:
                    pending.pop(article_id, None)
                return done

        try:
            for warm in warming:
                warm.result()
            yield from write_in_order(chunks, submit, result, writer, in_flight=2 * workers)
        except BrokenProcessPool as exc:
            raise ModelError(
                f"A worker process died ({exc}); the articles stored so far are kept. It was most likely killed "
                f"for memory: run again with fewer --workers (each holds a model, about 0.6 GB) or a lower "
                "--max-bytes.", code="F230") from None


def _relay(reports, pending: dict[str, Article], progress: Progress) -> None:
    """Hand the workers' progress reports so far to ``progress``."""
    while not reports.empty():
        try:
            article_id, done, total = reports.get()
        except (EOFError, OSError, queue.Empty):
            return
        article = pending.get(article_id)
        if article is not None:
            progress(article, done, total)


def _ready() -> bool:
    return True


def _load(version: str | None, models: str | None, threads: int, reports=None) -> None:
    """Load the model as the worker starts (its error shows with the first chunk), and keep
    the queue progress reports go to."""
    work.progress_reports = reports
    try:
        worker_scorer(version, models, threads)
    except Exception:  # noqa: BLE001 - reported by extract_chunk, which loads it again
        pass
