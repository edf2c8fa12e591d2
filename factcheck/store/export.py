"""Export reviewed claims (schema.org ClaimReview, JSON Lines, CSV) and back up the store.

Pure builders read the store and return plain dicts; thin writers stream them to a
text file object (UTF-8, the caller opens it).

Each claim's verdict is its final verdict (:mod:`factcheck.store.verdicts`).

ClaimReview rating scale (``reviewRating``; ``worstRating`` 1, ``bestRating`` 5)::

    supported      5
    misleading     3
    unverifiable   2
    refuted        1
    not a claim    -- not exported as a ClaimReview (``to_claimreview`` returns None)

``alternateName`` carries the verdict text itself, so the scale is only a hint
for consumers that sort or colour by number.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import IO

from factcheck import settings
from factcheck.errors import StoreError
from factcheck.store.db import connect, store_error
from factcheck.store.search import list_verdicts, write_flat_csv, write_jsonl

#: verdict → ClaimReview ratingValue (worst 1, best 5); "not a claim" has none.
RATING: dict[str, int] = {"supported": 5, "misleading": 3, "unverifiable": 2, "refuted": 1}
BEST_RATING, WORST_RATING = 5, 1
CLAIMANT_LABELS = ("PERSON", "ORG")

CSV_COLUMNS = (
    "claim_id", "claim", "sentence", "lang", "kind", "verdict", "votes", "annotators", "reviewed_at",
    "claimant", "claimant_candidates", "article_title", "article_url", "article_published", "evidence",
    "evidence_notes",
)


def verdicted_claims(db, *, lang: str | None = None, verdict: str | None = None,
                     since: str | date | None = None) -> list[dict]:
    """One row per claim with at least one live verdict, newest review first.

    ``lang`` filters on the claim's language, ``verdict`` on its final verdict,
    ``since`` keeps claims whose latest review is on or after that date/time (ISO).
    Built on :func:`factcheck.store.search.list_verdicts` (one query for the claims, one per part).
    """
    return [_export_row(row) for row in list_verdicts(db, lang=lang, verdict=verdict, reviewed_since=since)]


def _export_row(row: dict) -> dict:
    """A :mod:`factcheck.store.search` row in the shape the exporters read."""
    labels: dict[str, str] = {}
    for ent in row["entities"]:
        if ent["label"] in CLAIMANT_LABELS:
            labels.setdefault(ent["text"], ent["label"])
    candidates = list(labels)
    claimant = candidates[0] if row["kind"] == "quote" and candidates else None
    # An imported review that agrees with the final verdict lends its URL and reviewer.
    review: dict = next((r for r in row.get("reviews") or [] if r["verdict"] == row["verdict"]), {})
    claimant = review.get("claimant") or claimant  # the claimant the review names
    return {
        "claim_id": row["claim_id"], "claim": row["text"], "sentence": row["sentence"], "lang": row["lang"],
        "kind": row["kind"], "article_title": row["article_title"], "article_url": row["article_url"],
        "article_published": row["article_published"], "verdict": row["verdict"], "votes": row["votes"],
        "annotators": row["annotators"], "evidence": row["evidence"], "reviewed_at": row["reviewed_at"],
        "claimant": claimant, "claimant_type": labels.get(claimant) if claimant else None,
        "claimant_candidates": candidates, "review_url": review.get("review_url"),
        "reviewed_by": review.get("reviewer"),
    }


def _iso_date(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        return value[:10] if len(value) >= 10 else None


def to_claimreview(row: dict, *, publisher: str = "factcheck", publisher_url: str | None = None,
                   review_url_base: str | None = None) -> dict | None:
    """schema.org ClaimReview JSON-LD for one ``verdicted_claims`` row; None for "not a claim".

    ``url`` is an imported verdict's own review URL, else ``review_url_base`` + claim id,
    else the first evidence link (absent when there is none: never null). ``publisher``
    (with ``publisher_url``) publishes every review and writes those of your annotators;
    an imported review keeps its own reviewer as author.
    """
    rating = RATING.get(row.get("verdict") or "")
    if rating is None:
        return None
    item: dict = {"@type": "Claim"}
    if row.get("claimant"):
        kind = "Organization" if row.get("claimant_type") == "ORG" else "Person"
        item["author"] = {"@type": kind, "name": row["claimant"]}
    if row.get("article_published"):
        item["datePublished"] = _iso_date(row["article_published"])
    if row.get("article_url"):
        appearance = {"@type": "CreativeWork", "url": row["article_url"]}
        if row.get("article_title") and row["article_title"] != row["claim"]:
            appearance["headline"] = row["article_title"]
        item["appearance"] = [appearance]
    review: dict = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": row["claim"],
        "inLanguage": row.get("lang"),
    }
    if row.get("review_url"):  # an imported verdict's own review
        review["url"] = row["review_url"]
    elif review_url_base:
        review["url"] = review_url_base + row["claim_id"]
    elif row.get("evidence"):
        review["url"] = row["evidence"][0]["url"]
    if row.get("reviewed_at"):
        review["datePublished"] = _iso_date(row["reviewed_at"])
    organisation = {"@type": "Organization", "name": publisher, **({"url": publisher_url} if publisher_url else {})}
    review["author"] = {"@type": "Organization", "name": row["reviewed_by"]} if row.get("reviewed_by") \
        else organisation
    review["publisher"] = organisation
    review["itemReviewed"] = item
    review["reviewRating"] = {
        "@type": "Rating", "ratingValue": rating, "bestRating": BEST_RATING, "worstRating": WORST_RATING,
        "alternateName": row["verdict"],
    }
    return {k: v for k, v in review.items() if v is not None}


def claimreviews(rows: Iterable[dict], **kwargs) -> Iterable[dict]:
    """ClaimReviews of the rows that have one (skips "not a claim")."""
    for row in rows:
        review = to_claimreview(row, **kwargs)
        if review is not None:
            yield review


def write_claimreview(rows: Iterable[dict], fp: IO[str], **kwargs) -> int:
    """Stream a JSON array of ClaimReviews to ``fp``; returns how many were written."""
    n = 0
    fp.write("[")
    for review in claimreviews(rows, **kwargs):
        fp.write(",\n" if n else "\n")
        fp.write(json.dumps(review, ensure_ascii=False, indent=1))
        n += 1
    fp.write("\n]\n" if n else "]\n")
    return n


def flat_row(row: dict) -> dict:
    """A ``verdicted_claims`` row as flat CSV columns (lists joined with " | ")."""
    flat = {k: row.get(k) for k in CSV_COLUMNS}
    flat["votes"] = "; ".join(f"{v}={n}" for v, n in (row.get("votes") or {}).items())
    flat["annotators"] = " | ".join(row.get("annotators") or [])
    flat["claimant_candidates"] = " | ".join(row.get("claimant_candidates") or [])
    flat["evidence"] = " | ".join(e["url"] for e in row.get("evidence") or [])
    flat["evidence_notes"] = " | ".join(e["note"] or "" for e in row.get("evidence") or [])
    return {k: "" if v is None else v for k, v in flat.items()}


def write_csv(rows: Iterable[dict], fp: IO[str]) -> int:
    """Flat CSV of ``verdicted_claims`` rows with a header (open ``fp`` with ``newline=""``)."""
    return write_flat_csv(rows, fp, CSV_COLUMNS, flat_row)


#: ``factcheck export`` formats.
FORMATS = ("claimreview", "csv", "jsonl")


def export_claims(db, fp: IO[str], fmt: str = "claimreview", *, lang: str | None = None,
                  verdict: str | None = None, since: str | date | None = None,
                  review_url_base: str | None = None, publisher: str | None = None,
                  publisher_url: str | None = None) -> int:
    """Write the verdicted claims (:func:`verdicted_claims`, filtered by ``lang``,
    ``verdict`` and ``since``) to ``fp`` as ClaimReview JSON-LD, CSV or JSON Lines
    (``factcheck export``); returns how many. Open ``fp`` with ``newline=""`` for CSV.

    ``review_url_base``, ``publisher`` and ``publisher_url`` default to the settings
    ``FACTCHECK_REVIEW_URL_BASE``, ``FACTCHECK_PUBLISHER`` and ``FACTCHECK_PUBLISHER_URL``."""
    if fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {FORMATS}")
    rows = verdicted_claims(db, lang=lang, verdict=verdict, since=since)
    if fmt == "claimreview":
        name, url = settings.publisher()
        return write_claimreview(rows, fp, review_url_base=review_url_base or settings.review_url_base(),
                                 publisher=publisher or name, publisher_url=publisher_url or url)
    return write_csv(rows, fp) if fmt == "csv" else write_jsonl(rows, fp)


def backup(db_path: str | Path, dest_path: str | Path) -> Path:
    """A consistent single-file copy of the store via SQLite's online backup API.

    Safe while other connections read or write (WAL included). Never overwrites:
    an existing ``dest_path`` raises StoreError F310. The copy is readable by its owner
    only (mode 0600), whatever the umask.
    """
    src_path, dest = Path(db_path), Path(dest_path)
    if not src_path.is_file():
        raise StoreError(f"Cannot back up {str(src_path)!r}: no such file. Check --db (or FACTCHECK_DB).",
                         code="F311")
    if not dest.parent.is_dir():
        raise StoreError(f"Cannot write the backup: directory {str(dest.parent)!r} does not exist. Create it "
                         "or choose another destination.", code="F312")
    try:
        # 0600: a store holds annotators' names and unpublished verdicts; only its owner reads a copy
        fd = os.open(dest, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        raise StoreError(f"Backup destination {str(dest)!r} already exists; it was left untouched. Choose a new "
                         "file name or move the old backup away first.", code="F310") from None
    os.close(fd)
    src = dst = None
    try:
        src = connect(src_path)  # the source's own failures (locked, damaged, not a store): store_error
        src.execute("select count(*) from sqlite_master").fetchone()
        try:
            dst = sqlite3.connect(dest)
            sqlite3.Connection.backup(src, dst)
            dst.execute("PRAGMA journal_mode=DELETE")  # a self-contained file, no -wal next to it
            dst.commit()
        except sqlite3.Error as exc:
            if store_error(exc).code in ("F301", "F303", "F304"):  # reading the source
                raise store_error(exc, src_path, busy_timeout=src.busy_timeout) from exc
            raise StoreError(f"Could not write the backup {str(dest)!r} of {str(src_path)!r} ({exc}). Check that "
                             "there is room on the destination disk and that you may write its folder; the store "
                             "itself is untouched.", code="F312") from exc
    except BaseException:
        if dst is not None:
            dst.close()
            dst = None
        dest.unlink(missing_ok=True)
        raise
    finally:
        if src is not None:
            src.close()
        if dst is not None:
            dst.close()
    return dest
