"""Conflicts: pairs of claims from different documents about the same thing whose numbers disagree.

Candidates come from claim matching's neighbours (:mod:`factcheck.store.matching`);
:func:`~factcheck.store.matching.compare` decides whether a pair agrees or conflicts.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from factcheck.store.matching import NEIGHBOURS, ClaimIndex, _chunks, _vectors_of, judge, load_facts


@dataclass(slots=True)
class Conflict:
    claim_id: str
    other_id: str
    similarity: float
    reason: str
    disagreeing: list[tuple[str, str]]


def find_conflicts(db, *, index: ClaimIndex | None = None, article_id: str | None = None, k: int = NEIGHBOURS,
                   progress: Callable[[int], None] | None = None, batch_size: int = 512) -> list[Conflict]:
    """Pairs of claims (different documents) about the same thing whose numbers disagree.

    Each pair is reported once. ``article_id`` limits the left side to one article.
    """
    index = index or ClaimIndex(db)
    index.sync()
    sql = ("select c.id, c.article_id, a.doc_key, k.key from claims c join articles a on a.id = c.article_id "
           "join claim_keys k on k.claim_id = c.id where c.is_claim = 1 "
           "and exists (select 1 from quantities q where q.claim_id = c.id)")
    params: list = []
    if article_id:
        sql += " and c.article_id = ?"
        params.append(article_id)
    rows = db.execute(sql, params).fetchall()
    seen: set[tuple[str, str]] = set()
    conflicts: list[Conflict] = []
    for chunk in _chunks(rows, batch_size):
        ids = [r[0] for r in chunk]
        facts = load_facts(db, ids)
        vectors = _vectors_of(index, ids)
        found = judge(index, [facts[i] for i in ids], vectors, exclude_articles=[r[1] for r in chunk],
                      exclude_docs=[r[2] for r in chunk], k=k)
        for cid, row in zip(ids, found):
            for f in row:
                pair = tuple(sorted((cid, f.other_id)))
                if f.comparison.outcome == "conflict" and pair not in seen:
                    seen.add(pair)
                    conflicts.append(Conflict(cid, f.other_id, f.similarity, f.comparison.reason,
                                              f.comparison.disagreeing))
        if progress:
            progress(len(chunk))
    conflicts.sort(key=lambda c: -c.similarity)
    return conflicts


@dataclass(slots=True)
class ConflictPair:
    """A :class:`Conflict` with both claims and where each comes from: ``claim`` and
    ``other`` hold ``claim_id``, ``text``, ``article_title``, ``article_url``, ``source``
    and ``published``."""

    similarity: float
    reason: str
    disagreeing: list[tuple[str, str]]
    claim: dict
    other: dict

    def as_dict(self) -> dict:
        """The pair as plain JSON data (similarity to 4 decimals)."""
        return {"similarity": round(self.similarity, 4), "reason": self.reason,
                "disagreeing": [list(d) for d in self.disagreeing], "claims": [self.claim, self.other]}


def list_conflicts(
    db, *, article_id: str | None = None, index: ClaimIndex | None = None,
    progress: Callable[[str, int], Callable[[int], None]] | None = None,
) -> list[ConflictPair]:
    """Conflicting claims with both sources (``factcheck conflicts``), closest pairs first.

    Embeds the claims stored since the last sync, then runs :func:`find_conflicts`.

    :param db: the store.
    :param article_id: only conflicts involving claims of this article.
    :param index: the store's :class:`ClaimIndex` (default: a new one).
    :param progress: ``progress(stage, total) -> advance``, for the stages
        ``"embedding new claims"`` and ``"comparing"`` (claims with a quantity).
    :returns: one :class:`ConflictPair` per pair, both sides with their article.
    """
    index = index or ClaimIndex(db)
    advance = progress("embedding new claims", len(index.missing())) if progress else None
    index.sync(progress=advance)
    if progress:
        total = db.execute("select count(*) from claims c where is_claim = 1 and "
                           "exists (select 1 from quantities q where q.claim_id = c.id)"
                           + (" and article_id = ?" if article_id else ""),
                           [article_id] if article_id else []).fetchone()[0]
        advance = progress("comparing", total)
    found = find_conflicts(db, index=index, article_id=article_id, progress=advance)
    sides = {r["id"]: {"claim_id": r["id"], "text": r["text"], "article_title": r["title"], "article_url": r["url"],
                       "source": r["source"], "published": r["published"]} for r in db.query(
        "select c.id, c.text, a.title, a.url, a.source, a.published from claims c "
        "join articles a on a.id = c.article_id where c.id in (select value from json_each(?))",
        [json.dumps(sorted({x for c in found for x in (c.claim_id, c.other_id)}))])}
    return [ConflictPair(c.similarity, c.reason, c.disagreeing, sides[c.claim_id], sides[c.other_id]) for c in found]
