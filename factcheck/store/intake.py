"""Intake: files and folders extracted into the store.

:func:`extract_paths` is what ``factcheck extract`` runs: read each input, extract its
candidates (scored by the model it is given), store them, and match them against the
claims of other articles. Nothing one input does stops the others: an error of any kind
while reading or extracting it (a JSON file nested too deeply, a bug, memory running
out) becomes that input's F-coded error, and the run goes on.

The pieces are public for the parallel runners (:mod:`factcheck.parallel`), which
extract elsewhere and store here: :func:`read_chunks` (the inputs, read with every failure
F-coded, in the chunks every runner extracts alike) and :class:`Writer` (the one writer:
store, match, count).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from factcheck.errors import FactcheckError
from factcheck.extraction.ingest import DEFAULT_MAX_BYTES, iter_articles
from factcheck.extraction.pipeline import Progress, extract_batch, unexpected_error
from factcheck.records import Article, Claim
from factcheck.store.db import save_extraction
from factcheck.store.matching import ClaimIndex, match_claims

#: Characters of consecutive articles extracted (and scored) together: about 500 candidates.
CHUNK_CHARS = 25_000
#: ``factcheck extract``'s default ``--max-bytes``: an input it extracts and scores in minutes
#: (one 5 MB Chinese article: 18 minutes, peak RSS 0.9 GB, on 2 cores shared with other work; docs/scaling.md).
EXTRACT_MAX_BYTES = 5_000_000


@dataclass
class ExtractTotals:
    """What :func:`extract_paths` did so far: articles extracted, their claims and rejected
    candidates, inputs that failed, and (when ``matching``) how many claims match earlier
    claims and how many of those are checked already."""

    articles: int = 0
    claims: int = 0
    rejected: int = 0
    failures: int = 0
    matched: int = 0
    verdicted: int = 0
    matching: bool = False


@dataclass
class ExtractedArticle:
    """One input of :func:`extract_paths`: an article's candidates, or the error that
    stopped it (``source`` is None for an input that could not be read: the error names it)."""

    source: str | None
    article: Any = None
    candidates: list = field(default_factory=list)
    saved: dict | None = None  # what save_extraction stored (the article's version), when storing
    matches: dict | None = None  # claim id → its Matches, when matching
    error: FactcheckError | None = None


def read_chunks(
    paths: Sequence[str], *, max_bytes: int = DEFAULT_MAX_BYTES, chunk_chars: int = CHUNK_CHARS
) -> Iterator[list[Article] | FactcheckError]:
    """The inputs in order, as runs of consecutive articles of about ``chunk_chars``
    characters, each read error in its place between them.

    A chunk is what one worker extracts at once (:func:`~factcheck.extraction.pipeline.extract_batch`),
    and the serial run extracts the same chunks, so both score the same encoder batches
    and give the same scores.
    """
    chunk: list[Article] = []
    size = 0
    for item in iter_articles(paths, max_bytes=max_bytes):
        if isinstance(item, FactcheckError):
            if chunk:
                yield chunk
                chunk, size = [], 0
            yield item
            continue
        chunk.append(item)
        size += len(item.text)
        if size >= chunk_chars:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def guarded(call: Callable[[], Any], source: str | None) -> Any:
    """``call()``, or the F151 error it raised (any exception, F-coded)."""
    try:
        return call()
    except Exception as exc:  # noqa: BLE001 - one input's failure is reported, not raised
        return unexpected_error(exc, source)


class Writer:
    """The one writer of an extraction run: stores each extracted article, matches its
    claims against the stored ones of other articles, and keeps the totals.

    :param db: the store, or None to only count.
    :param match: look claims up among the stored ones; None: when storing with a model
        (its encoder is loaded anyway). Needs ``db``.
    :param encoder: the encoder that made the claims' vectors (the scorer's).
    :param scored: whether the claims are scored by a model (for ``match=None``).
    """

    def __init__(self, db=None, *, match: bool | None = None, encoder=None, scored: bool = False,
                 totals: ExtractTotals | None = None):
        if match and db is None:
            raise ValueError("matching needs the store: pass db")
        self.db = db
        self.totals = totals if totals is not None else ExtractTotals()
        self.index = None
        if db is not None and (match or (match is None and scored)):
            self.index = ClaimIndex(db, encoder=encoder)
        self.totals.matching = self.index is not None

    def failed(self, error: FactcheckError, article: Article | None = None) -> ExtractedArticle:
        self.totals.failures += 1
        return ExtractedArticle(article.source if article is not None else None, article, error=error)

    def write(self, article: Article, candidates: list[Claim]) -> ExtractedArticle:
        """Store and match one article's candidates; a failure doing so is the article's F151."""
        done = guarded(lambda: self._write(article, candidates), article.source)
        return self.failed(done, article) if isinstance(done, FactcheckError) else done

    def _write(self, article: Article, candidates: list[Claim]) -> ExtractedArticle:
        saved = save_extraction(self.db, article, candidates) if self.db is not None else None
        matches = None
        if self.index is not None:
            matches = match_claims(self.db, candidates, index=self.index)
            self.totals.matched += sum(bool(m) for m in matches.values())
            self.totals.verdicted += sum(any(x.verdict for x in m) for m in matches.values())
        self.totals.articles += 1
        self.totals.claims += sum(c.is_claim for c in candidates)
        self.totals.rejected += sum(not c.is_claim for c in candidates)
        return ExtractedArticle(article.source, article, candidates, saved, matches)


def extract_paths(
    paths: Sequence[str], *, db=None, scorer=None, lang: str | None = None, max_bytes: int | None = None,
    match: bool | None = None, totals: ExtractTotals | None = None, progress: Progress | None = None,
) -> Iterator[ExtractedArticle]:
    """Extract the claims of files, folders or ``-``, yielding each article in input order
    (``factcheck extract``).

    Each article is read, extracted (scored by ``scorer``), stored in ``db`` when given and
    matched against the stored claims of other articles. The model scores the candidates
    of several articles at once; a long article is extracted a window of paragraphs at a
    time (``progress`` hears of each). Any failure while reading, extracting or storing
    one input yields that input's F-coded error and the others go on.

    :param paths: files, folders (recursive) or ``-`` for standard input.
    :param db: the store to save into, or None to only extract.
    :param scorer: the check-worthiness model (:func:`factcheck.model.registry.load_scorer`), or None for rules only.
    :param lang: force ``"zh"`` or ``"en"`` (default: detected per sentence).
    :param max_bytes: refuse larger files (default :data:`EXTRACT_MAX_BYTES`).
    :param match: look each claim up among the stored ones; None: when storing with a
        model (its encoder is loaded anyway). Needs ``db``.
    :param totals: an :class:`ExtractTotals` to keep the running counts in.
    :param progress: ``progress(article, chars_done, chars_total)`` after each window of an article.
    :returns: an iterator of :class:`ExtractedArticle`, one per input.
    """
    writer = Writer(db, match=match, encoder=getattr(scorer, "encoder", None), scored=scorer is not None,
                    totals=totals)
    for chunk in read_chunks(paths, max_bytes=EXTRACT_MAX_BYTES if max_bytes is None else max_bytes):
        if isinstance(chunk, FactcheckError):
            yield writer.failed(chunk)
            continue
        for article, found in extract_batch(chunk, scorer=scorer, lang=lang, progress=progress):
            yield writer.failed(found, article) if isinstance(found, FactcheckError) else writer.write(article, found)
