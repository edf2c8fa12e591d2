"""Conflicts: pairs of claims from different documents about the same thing whose numbers disagree.

Candidates come from claim matching's neighbours (:mod:`factcheck.store.matching`);
:func:`~factcheck.store.matching.compare` decides whether a pair agrees or conflicts.
"""

from __future__ import annotations

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
