"""Verdicts in the store: the one final-verdict rule, and the one verdict writer.

Final verdict of a claim
    Only live annotations count (``deleted_at`` is null and a verdict was given).
    Each annotator votes once (their most recent annotation of the claim). The
    verdict with the most votes wins; on a tie, the verdict of the most recent
    annotation among the tied verdicts wins (most recent = ``updated_at``, then
    ``created_at``, then ``pulled_at``, then the higher annotation id).

The rule is written once, as the parts below (who votes, when, which rows are live),
and given twice from them: :func:`final_verdict` in Python over verdict rows, and
:data:`FINAL_VERDICT_SQL` for queries (search's ``--verdict`` filter, Datasette's
``claim_verdicts`` view). ``tests/test_export.py`` checks that the two agree.

:func:`write_verdicts` is the only code that writes verdict rows and their evidence;
it also refreshes the claims' search rows (evidence notes are searchable). The Label
Studio pull and the import of external fact-checks both go through it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from factcheck.store import fts

#: The columns, in order of preference, that date an annotation.
STAMP_COLUMNS = ("updated_at", "created_at", "pulled_at")


def stamp_sql(alias: str = "v") -> str:
    """SQL for an annotation's time stamp (the first non-empty of :data:`STAMP_COLUMNS`)."""
    prefix = f"{alias}." if alias else ""
    return f"coalesce({', '.join(f'nullif({prefix}{c}, {chr(39) * 2})' for c in STAMP_COLUMNS)}, '')"


def voter_sql(alias: str = "v") -> str:
    """SQL for who an annotation's vote belongs to (the annotator, else the annotation itself)."""
    prefix = f"{alias}." if alias else ""
    return f"coalesce(nullif({prefix}annotator, ''), 'annotation ' || {prefix}annotation_id)"


def live_sql(alias: str = "v") -> str:
    """SQL: the annotation is live (not deleted) and gives a verdict."""
    prefix = f"{alias}." if alias else ""
    return f"{prefix}deleted_at is null and {prefix}verdict <> ''"


#: The final verdict of claim ``c`` in SQL; the same rule as :func:`final_verdict`.
FINAL_VERDICT_SQL = (
    "(select verdict from (select verdict, count(*) as n, min(recency) as recency from ("
    f"select v.verdict, row_number() over (partition by {voter_sql()} order by {stamp_sql()} desc, "
    f"v.annotation_id desc) as latest, row_number() over (order by {stamp_sql()} desc, v.annotation_id desc) "
    f"as recency from verdicts v where v.claim_id = c.id and {live_sql()}) where latest = 1 group by verdict) "
    "order by n desc, recency limit 1)"
)


def stamp(row: Mapping) -> tuple:
    """An annotation row's time stamp, as :func:`stamp_sql` computes it, then its id."""
    return (next((row[c] for c in STAMP_COLUMNS if row.get(c)), ""), row.get("annotation_id") or 0)


def is_live(row: Mapping) -> bool:
    return bool(row.get("verdict")) and not row.get("deleted_at")


def final_verdict(annotations: Iterable[Mapping]) -> tuple[str | None, dict[str, int]]:
    """(verdict, votes) from the verdict rows of one claim; see the module docstring."""
    latest: dict[str, Mapping] = {}
    for row in annotations:
        if not is_live(row):
            continue
        who = row.get("annotator") or f"annotation {row.get('annotation_id')}"
        if who not in latest or stamp(row) > stamp(latest[who]):
            latest[who] = row
    if not latest:
        return None, {}
    votes = Counter(r["verdict"] for r in latest.values())
    top = max(votes.values())
    tied = {v for v, n in votes.items() if n == top}
    winner = max((r for r in latest.values() if r["verdict"] in tied), key=stamp)["verdict"]
    return winner, dict(votes.most_common())


def final_verdicts(db, claim_ids: Iterable[str]) -> dict[str, str]:
    """Final verdict of each of ``claim_ids`` that has one."""
    rows: dict[str, list[dict]] = {}
    ids = list(set(claim_ids))
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        for row in db.query(f"select * from verdicts v where {live_sql()} "
                            f"and claim_id in ({','.join('?' * len(chunk))})", chunk):
            rows.setdefault(row["claim_id"], []).append(row)
    out = {}
    for cid, claim_rows in rows.items():
        verdict, _ = final_verdict(claim_rows)
        if verdict:
            out[cid] = verdict
    return out


def write_verdicts(db, rows: Sequence[Mapping], evidence: Mapping[int, Sequence[tuple]], *,
                   reindex: Iterable[str] = ()) -> None:
    """Upsert verdict ``rows`` (dicts with the same keys, ``annotation_id`` among them),
    replace the evidence of each (``evidence[annotation_id]``: ``(url, note)`` pairs), and
    refresh the search rows of their claims and of ``reindex``. The caller holds the
    transaction."""
    if rows:
        columns = list(rows[0])
        updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c != "annotation_id")
        db.conn.executemany(
            f"insert into verdicts ({', '.join(columns)}) values ({', '.join('?' * len(columns))}) "
            f"on conflict(annotation_id) do update set {updates}", [tuple(r[c] for c in columns) for r in rows])
        db.conn.executemany("delete from evidence where annotation_id = ?", [(r["annotation_id"],) for r in rows])
        db.conn.executemany(
            "insert into evidence (annotation_id, idx, claim_id, url, note) values (?, ?, ?, ?, ?)",
            [(r["annotation_id"], k, r["claim_id"], url, note)
             for r in rows for k, (url, note) in enumerate(evidence.get(r["annotation_id"], ()))])
    fts.reindex(db, {r["claim_id"] for r in rows} | set(reindex))
