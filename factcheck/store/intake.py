"""Intake: files and folders extracted into the store, one article at a time.

:func:`extract_paths` is what ``factcheck extract`` runs: read each input, extract its
candidates (scored by the model it is given), store them, and match them against the
claims of other articles. One bad input yields its error; the others go on.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from factcheck.errors import FactcheckError, InputError
from factcheck.extraction.ingest import DEFAULT_MAX_BYTES, iter_articles
from factcheck.extraction.pipeline import extract_article
from factcheck.store.db import save_extraction
from factcheck.store.matching import ClaimIndex, match_claims


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


def extract_paths(
    paths: Sequence[str], *, db=None, scorer=None, lang: str | None = None, max_bytes: int | None = None,
    match: bool | None = None, totals: ExtractTotals | None = None,
) -> Iterator[ExtractedArticle]:
    """Extract the claims of files, folders or ``-`` one article at a time (``factcheck extract``).

    Each article is read, extracted (scored by ``scorer``), stored in ``db`` when given and
    matched against the stored claims of other articles. A file that cannot be read or
    extracted yields its error and the others go on.

    :param paths: files, folders (recursive) or ``-`` for standard input.
    :param db: the store to save into, or None to only extract.
    :param scorer: the check-worthiness model (:func:`factcheck.model.registry.load_scorer`), or None for rules only.
    :param lang: force ``"zh"`` or ``"en"`` (default: detected per sentence).
    :param max_bytes: refuse larger files (default the ingest limit).
    :param match: look each claim up among the stored ones; None: when storing with a
        model (its encoder is loaded anyway). Needs ``db``.
    :param totals: an :class:`ExtractTotals` to keep the running counts in.
    :returns: an iterator of :class:`ExtractedArticle`, one per input.
    """
    if match and db is None:
        raise ValueError("matching needs the store: pass db")
    totals = totals if totals is not None else ExtractTotals()
    index = None
    if db is not None and (match or (match is None and scorer is not None)):
        index = ClaimIndex(db, encoder=getattr(scorer, "encoder", None))
    totals.matching = index is not None
    for item in iter_articles(paths, max_bytes=DEFAULT_MAX_BYTES if max_bytes is None else max_bytes):
        if isinstance(item, InputError):
            totals.failures += 1
            yield ExtractedArticle(None, error=item)
            continue
        try:
            candidates = extract_article(item, lang=lang, scorer=scorer)
        except FactcheckError as exc:
            totals.failures += 1
            yield ExtractedArticle(item.source, item, error=exc)
            continue
        saved = save_extraction(db, item, candidates) if db is not None else None
        matches = None
        if index is not None:
            matches = match_claims(db, candidates, index=index)
            totals.matched += sum(bool(m) for m in matches.values())
            totals.verdicted += sum(any(x.verdict for x in m) for m in matches.values())
        totals.articles += 1
        totals.claims += sum(c.is_claim for c in candidates)
        totals.rejected += sum(not c.is_claim for c in candidates)
        yield ExtractedArticle(item.source, item, candidates, saved, matches)
