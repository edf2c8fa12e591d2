"""``factcheck extract --dask-scheduler tcp://HOST:PORT``: a Dask cluster extracts and
scores, this process stores (:mod:`factcheck.parallel`; docs/scaling.md sets one up).

Each Dask worker loads the model once (:func:`~factcheck.parallel.work.worker_scorer`
is cached per process) from its own models folder and encoder cache. The scheduler
re-runs the chunks of a worker that dies on another; the results come back here, in
input order, to the one writer, so nothing is stored twice.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from urllib.parse import urlsplit

from factcheck.errors import ModelError
from factcheck.parallel.work import extract_chunk, write_in_order
from factcheck.store.intake import CHUNK_CHARS, EXTRACT_MAX_BYTES, ExtractedArticle, ExtractTotals, Writer, read_chunks

#: Seconds to wait for the scheduler to answer.
CONNECT_TIMEOUT = 20


def extract_paths_dask(
    paths: Sequence[str], *, scheduler: str, db=None, version: str | None = None, lang: str | None = None,
    max_bytes: int | None = None, match: bool | None = None, totals: ExtractTotals | None = None,
    chunk_chars: int = CHUNK_CHARS, timeout: float = CONNECT_TIMEOUT,
) -> Iterator[ExtractedArticle]:
    """:func:`~factcheck.store.intake.extract_paths` on the Dask cluster at ``scheduler``:
    the same articles, claims, ids and scores, in the same order.

    :param version: the model version every worker loads from its own models folder
        (:func:`factcheck.model.registry.scorer_version`), None for rules only.
    :param chunk_chars: characters of consecutive articles per task (the serial run's chunks).
    :param timeout: seconds to wait for the scheduler.
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

        def submit(chunk):
            return client.submit(_extract_on_worker, chunk, version=version, lang=lang, threads=threads, pure=False)

        def result(future):
            try:
                return future.result()
            except Exception as exc:  # noqa: BLE001 - Dask gives up on a chunk after its allowed failures
                raise ModelError(
                    f"A chunk of articles failed on every Dask worker it was tried on ({type(exc).__name__}: "
                    f"{exc}); the articles stored so far are kept. Check the workers' logs.", code="F232") from None

        yield from write_in_order(chunks, submit, result, writer, in_flight=2 * len(workers))
    finally:
        client.close()


def _threads_per_worker(client, workers: dict) -> dict[str, int]:
    """Worker address → encoder threads: its machine's cores shared among the workers on it."""
    cores = client.run(_cpu_count)
    per_host = Counter(urlsplit(address).hostname for address in workers)
    return {address: max(1, cores.get(address, 1) // per_host[urlsplit(address).hostname]) for address in workers}


def _cpu_count() -> int:
    import os

    return os.cpu_count() or 1


def _extract_on_worker(chunk, *, version, lang, threads: dict[str, int]):
    from distributed import get_worker

    return extract_chunk(chunk, version=version, lang=lang, threads=threads.get(get_worker().address))
