"""``factcheck extract --workers N``: N processes on this machine extract and score,
the calling process stores (:mod:`factcheck.parallel`)."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from factcheck.errors import ModelError
from factcheck.parallel.work import extract_chunk, worker_scorer, write_in_order
from factcheck.store.intake import CHUNK_CHARS, EXTRACT_MAX_BYTES, ExtractedArticle, ExtractTotals, Writer, read_chunks


def extract_paths_parallel(
    paths: Sequence[str], *, workers: int, db=None, version: str | None = None, models: str | None = None,
    lang: str | None = None, max_bytes: int | None = None, match: bool | None = None,
    totals: ExtractTotals | None = None, chunk_chars: int = CHUNK_CHARS,
) -> Iterator[ExtractedArticle]:
    """:func:`~factcheck.store.intake.extract_paths` with ``workers`` processes extracting and
    scoring, and this one storing: the same articles, claims, ids and scores, in the same order.

    :param version: the model version the workers load (:func:`factcheck.model.registry.scorer_version`),
        None for rules only.
    :param models: the models folder (default :func:`factcheck.settings.models_dir`).
    :param chunk_chars: characters of consecutive articles per task (the serial run's chunks).
    :raises ModelError: F230 when a worker process dies (killed for memory, most often).
    """
    from factcheck.embed.encoder import LazyEncoder

    writer = Writer(db, match=match, encoder=LazyEncoder() if version else None, scored=version is not None,
                    totals=totals)
    # Each worker takes its share of the cores for the encoder (ONNX Runtime would take them all).
    threads = max(1, (os.cpu_count() or 1) // workers)
    chunks = read_chunks(paths, max_bytes=EXTRACT_MAX_BYTES if max_bytes is None else max_bytes,
                         chunk_chars=chunk_chars)
    # spawn: a fresh interpreter per worker, never a fork of this process's threads and open store.
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                             initializer=_load, initargs=(version, models, threads)) as pool:
        def submit(chunk):
            return pool.submit(extract_chunk, chunk, version=version, models=models, lang=lang, threads=threads)

        try:
            yield from write_in_order(chunks, submit, lambda future: future.result(), writer, in_flight=2 * workers)
        except BrokenProcessPool as exc:
            raise ModelError(
                f"A worker process died ({exc}); the articles stored so far are kept. It was most likely killed "
                f"for memory: run again with fewer --workers (each holds a model, about 0.6 GB) or a lower "
                "--max-bytes.", code="F230") from None


def _load(version: str | None, models: str | None, threads: int) -> None:
    """Load the model as the worker starts (its error shows with the first chunk)."""
    try:
        worker_scorer(version, models, threads)
    except Exception:  # noqa: BLE001 - reported by extract_chunk, which loads it again
        pass
