"""What a worker runs (:func:`extract_chunk`), and the loop that keeps a parallel run's
results in input order and writes them through one writer (:func:`write_in_order`)."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from factcheck import errors
from factcheck.errors import FactcheckError
from factcheck.extraction.pipeline import extract_batch
from factcheck.records import Article, Claim
from factcheck.store.intake import ExtractedArticle, Writer


@dataclass(frozen=True)
class Failure:
    """A FactcheckError in a form that crosses processes whole (pickling an exception
    keeps only its message, not its code and source)."""

    kind: str
    code: str
    message: str
    source: str | None

    @classmethod
    def of(cls, exc: FactcheckError) -> Failure:
        return cls(type(exc).__name__, exc.code, exc.args[0], exc.source)

    def error(self) -> FactcheckError:
        kind = getattr(errors, self.kind, FactcheckError)
        return kind(self.message, code=self.code, source=self.source)


#: Seconds between looks at the workers' progress reports while a chunk is awaited
#: (local processes and Dask alike).
PROGRESS_POLL = 0.5

#: In a local worker process: the queue its progress reports go to (``(article_id,
#: chars_done, chars_total)``, after each window of an article), when the run shows progress.
progress_reports = None


def _report(article: Article, done: int, total: int) -> None:
    if progress_reports is not None:
        progress_reports.put((article.article_id, done, total))


@lru_cache(maxsize=2)
def worker_scorer(version: str | None, models: str | None = None, threads: int | None = None):
    """The model a worker scores with, loaded once per process: ``version`` from the
    ``models`` folder (default the worker's own, :func:`factcheck.settings.models_dir`),
    its encoder on ``threads`` threads; None for rules only."""
    if version is None:
        return None
    from factcheck.embed.encoder import shared_encoder
    from factcheck.model.registry import load_version

    return load_version(version, Path(models) if models else None, encoder=shared_encoder(None, threads))


def extract_chunk(articles: list[Article], *, version: str | None, models: str | None = None,
                  lang: str | None = None, threads: int | None = None,
                  report: Callable[[Article, int, int], None] | None = None) -> list[list[Claim] | Failure] | Failure:
    """One chunk's candidates per article, or its failure, as the serial run finds them.

    :param report: where each window's progress goes (default: :data:`progress_reports`, if set).
    :returns: one entry per article; a single :class:`Failure` when the model cannot be
        loaded (:func:`results_of` raises it).
    """
    try:
        scorer = worker_scorer(version, models, threads)
    except FactcheckError as exc:
        return Failure.of(exc)  # every chunk would fail alike: the run stops
    if report is None and progress_reports is not None:
        report = _report
    return [Failure.of(found) if isinstance(found, FactcheckError) else found
            for _, found in extract_batch(articles, scorer=scorer, lang=lang, progress=report)]


def results_of(results: list | Failure) -> list[list[Claim] | FactcheckError]:
    """A chunk's results as the writer takes them; a worker that could not load its model
    raises its error here."""
    if isinstance(results, Failure):
        raise results.error()
    return [r.error() if isinstance(r, Failure) else r for r in results]


def write_in_order(
    chunks: Iterable[list[Article] | FactcheckError], submit: Callable[[list[Article]], Any],
    result: Callable[[Any], list], writer: Writer, *, in_flight: int,
) -> Iterator[ExtractedArticle]:
    """Submit each chunk (``submit(chunk) -> future``), keep up to ``in_flight`` running, and
    write and yield their articles in input order as the results come (``result(future)``)."""
    queue: deque[tuple[list[Article] | FactcheckError, Any]] = deque()

    def drain_first() -> Iterator[ExtractedArticle]:
        chunk, future = queue.popleft()
        if isinstance(chunk, FactcheckError):
            yield writer.failed(chunk)
            return
        for article, found in zip(chunk, results_of(result(future))):
            yield writer.failed(found, article) if isinstance(found, FactcheckError) else writer.write(article, found)

    running = 0
    for chunk in chunks:
        future = None if isinstance(chunk, FactcheckError) else submit(chunk)
        queue.append((chunk, future))
        running += future is not None
        while running > in_flight or (queue and queue[0][1] is None):
            running -= queue[0][1] is not None
            yield from drain_first()
    while queue:
        yield from drain_first()
