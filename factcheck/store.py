"""The SQLite store (sqlite-utils): articles, sentences, claims and their parts.

Ids are content hashes, so writing the same extraction twice changes nothing.
An article's identity across edits is its ``doc_key`` (the path or URL it came
from); a changed text under the same key is stored as a new row with
``version`` one higher, and the old version and its claims stay.

Tables (foreign keys in brackets)::

    meta        key, value                      schema_version lives here
    articles    id, doc_key, version, title, url, published, source, ...
    sentences   id, article_id [articles], start, end, text, lang, block
    claims      id, article_id [articles], sentence_id [sentences], text, start, end, kind, ...
    quantities  claim_id [claims], idx, text, start, end, value, low, high, unit, per, ...
    times       claim_id [claims], idx, text, start, end, value, kind, relative, ...
    entities    claim_id [claims], idx, text, label, start, end
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path

import sqlite_utils

from .errors import StoreError
from .records import Article, Claim

SCHEMA_VERSION = 2
DEFAULT_DB = "factcheck.db"


def default_db_path() -> str:
    """``$FACTCHECK_DB`` or ``factcheck.db`` in the working directory."""
    return os.environ.get("FACTCHECK_DB") or DEFAULT_DB


def open_db(path: str | Path | None = None) -> sqlite_utils.Database:
    """Open (creating if needed) the store at ``path`` with WAL and foreign keys on."""
    path = Path(path or default_db_path())
    if path.parent and not path.parent.exists():
        raise StoreError(f"Directory {str(path.parent)!r} does not exist: create it or choose another --db.")
    try:
        db = sqlite_utils.Database(path)
        db.execute("PRAGMA foreign_keys = ON")
        db.enable_wal()
        ensure_schema(db)
    except sqlite3.DatabaseError as exc:
        raise StoreError(
            f"{str(path)!r} is not a usable SQLite database ({exc}). "
            "Point --db (or FACTCHECK_DB) at a new file or at an existing factcheck store."
        ) from exc
    return db


def ensure_schema(db: sqlite_utils.Database) -> None:
    """Create the tables and indexes that do not exist yet."""
    db["meta"].create({"key": str, "value": str}, pk="key", if_not_exists=True)
    db["articles"].create(
        {
            "id": str, "doc_key": str, "version": int, "title": str, "url": str, "published": str,
            "source": str, "encoding": str, "format": str, "n_chars": int, "text": str, "extracted_at": str,
        },
        pk="id", not_null={"doc_key", "version", "text"}, if_not_exists=True,
    )
    db["sentences"].create(
        {"id": str, "article_id": str, "start": int, "end": int, "text": str, "lang": str, "block": str},
        pk="id", foreign_keys=[("article_id", "articles", "id")], if_not_exists=True,
    )
    db["claims"].create(
        {
            "id": str, "article_id": str, "sentence_id": str, "lang": str, "text": str, "start": int,
            "end": int, "kind": str, "is_claim": int, "checkworthiness": float, "model_version": str,
            "is_caption": int, "carried": str, "reasons": str, "context": str, "extracted_at": str,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id"), ("sentence_id", "sentences", "id")],
        if_not_exists=True,
    )
    parts = {
        "quantities": {
            "text": str, "start": int, "end": int, "value": float, "low": float, "high": float,
            "unit": str, "per": str, "comparator": str, "approximate": int, "item": str,
        },
        "times": {
            "text": str, "start": int, "end": int, "value": str, "kind": str, "relative": int,
            "resolved": int, "relation": str, "qualifier": str,
        },
        "entities": {"text": str, "label": str, "start": int, "end": int},
    }
    for table, columns in parts.items():
        db[table].create(
            {"claim_id": str, "idx": int, **columns},
            pk=("claim_id", "idx"), foreign_keys=[("claim_id", "claims", "id")], if_not_exists=True,
        )
    _ensure_review_schema(db)
    for table, columns in [
        ("articles", ["doc_key"]), ("sentences", ["article_id"]), ("claims", ["article_id"]),
        ("claims", ["kind", "is_claim"]), ("claims", ["lang"]), ("quantities", ["unit", "value"]),
        ("times", ["value"]), ("entities", ["text"]), ("entities", ["label"]),
    ]:
        db[table].create_index(columns, if_not_exists=True)
    db["meta"].upsert({"key": "schema_version", "value": str(SCHEMA_VERSION)}, pk="key")


def _ensure_review_schema(db: sqlite_utils.Database) -> None:
    """Tables of the Label Studio loop (schema version 2).

    ls_tasks     claim → task map per Label Studio project; re-pushing is a no-op
    ls_outbox    claims handed to the server but not yet confirmed (survives a crash)
    ls_state     per project: the last pull's high-water mark
    verdicts     one row per annotation (several annotators per task), edits update
    evidence     links given with a verdict
    """
    db["ls_tasks"].create(
        {"claim_id": str, "project_id": int, "task_id": int, "fingerprint": str, "pushed_at": str,
         "updated_at": str},
        pk=("project_id", "claim_id"), foreign_keys=[("claim_id", "claims", "id")], if_not_exists=True,
    )
    db["ls_outbox"].create(
        {"claim_id": str, "project_id": int, "batch": str, "queued_at": str},
        pk=("project_id", "claim_id"), foreign_keys=[("claim_id", "claims", "id")], if_not_exists=True,
    )
    db["ls_state"].create({"project_id": int, "url": str, "title": str, "last_pull": str}, pk="project_id",
                          if_not_exists=True)
    db["verdicts"].create(
        {"annotation_id": int, "project_id": int, "task_id": int, "claim_id": str, "verdict": str,
         "checkworthy": int, "corrected_claim": str, "span_corrections": str, "annotator": str,
         "lead_time": float, "created_at": str, "updated_at": str, "pulled_at": str, "deleted_at": str,
         "problems": str},
        pk="annotation_id", foreign_keys=[("claim_id", "claims", "id")], if_not_exists=True,
    )
    db["evidence"].create(
        {"annotation_id": int, "idx": int, "claim_id": str, "url": str, "note": str},
        pk=("annotation_id", "idx"), foreign_keys=[("annotation_id", "verdicts", "annotation_id")],
        if_not_exists=True,
    )
    for table, columns in [("ls_tasks", ["task_id"]), ("verdicts", ["claim_id"]), ("verdicts", ["task_id"]),
                           ("verdicts", ["verdict"]), ("evidence", ["claim_id"])]:
        db[table].create_index(columns, if_not_exists=True)


def doc_key_for(article: Article) -> str:
    """What identifies "the same document" across edits: URL, then path, then title, then text."""
    if article.url:
        return article.url
    if article.source and article.source != "<stdin>":
        return str(Path(article.source).resolve())
    if article.title:
        return f"title:{article.title}"
    return f"text:{article.article_id}"


def save_extraction(db: sqlite_utils.Database, article: Article, claims: Iterable[Claim]) -> dict:
    """Store one article and its candidates; idempotent for the same text.

    Returns ``{"article_id", "version", "claims", "new_version"}``.
    """
    claims = list(claims)
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    key = doc_key_for(article)
    try:
        with db.conn:
            existing = db.execute("select version from articles where id = ?", [article.article_id]).fetchone()
            if existing:
                version, new_version = existing[0], False
            else:
                latest = db.execute("select max(version) from articles where doc_key = ?", [key]).fetchone()[0]
                version, new_version = (latest or 0) + 1, True
            db["articles"].upsert(
                {
                    "id": article.article_id, "doc_key": key, "version": version, "title": article.title,
                    "url": article.url, "published": article.published, "source": article.source,
                    "encoding": article.encoding, "format": article.format, "n_chars": len(article.text),
                    "text": article.text, "extracted_at": now,
                },
                pk="id",
            )
            sentences = {}
            for claim in claims:
                sid = _sentence_id(article.article_id, claim.sentence_start, claim.sentence_end)
                sentences[sid] = {
                    "id": sid, "article_id": article.article_id, "start": claim.sentence_start,
                    "end": claim.sentence_end, "text": claim.sentence, "lang": claim.lang,
                    "block": "caption" if claim.is_caption else "body",
                }
            db["sentences"].upsert_all(sentences.values(), pk="id")
            ids = [c.claim_id for c in claims]
            _delete_claims(db, article.article_id, keep=ids)
            db["claims"].upsert_all((_claim_row(c, now) for c in claims), pk="id")
            for table, attr in (("quantities", "quantities"), ("times", "times"), ("entities", "entities")):
                _replace_parts(db, table, ids, claims, attr)
    except sqlite3.Error as exc:
        raise StoreError(f"Could not write article {article.source or article.article_id} to the store: {exc}") from exc
    return {"article_id": article.article_id, "version": version, "claims": len(claims), "new_version": new_version}


def _sentence_id(article_id: str, start: int, end: int) -> str:
    return hashlib.sha256(f"{article_id}:s:{start}:{end}".encode()).hexdigest()[:16]


def _claim_row(claim: Claim, now: str) -> dict:
    return {
        "id": claim.claim_id, "article_id": claim.article_id,
        "sentence_id": _sentence_id(claim.article_id, claim.sentence_start, claim.sentence_end),
        "lang": claim.lang, "text": claim.text, "start": claim.start, "end": claim.end, "kind": claim.kind,
        "is_claim": int(claim.is_claim), "checkworthiness": claim.checkworthiness,
        "model_version": claim.model_version, "is_caption": int(claim.is_caption),
        "carried": json.dumps(claim.carried, ensure_ascii=False),
        "reasons": json.dumps(claim.reasons, ensure_ascii=False), "context": claim.context, "extracted_at": now,
    }


def _delete_claims(db: sqlite_utils.Database, article_id: str, keep: list[str]) -> None:
    """Drop an article's claims that the current extraction no longer produces,
    unless they were sent for review or have verdicts: those are never lost."""
    keep_set = set(keep)
    stale = [
        row[0] for row in db.execute(
            "select id from claims where article_id = ? and id not in (select claim_id from ls_tasks) "
            "and id not in (select claim_id from verdicts)", [article_id])
        if row[0] not in keep_set
    ]
    for table in ("quantities", "times", "entities"):
        db.conn.executemany(f"delete from [{table}] where claim_id = ?", [(cid,) for cid in stale])
    db.conn.executemany("delete from claims where id = ?", [(cid,) for cid in stale])


def _replace_parts(db, table: str, ids: list[str], claims: list[Claim], attr: str) -> None:
    db.conn.executemany(f"delete from [{table}] where claim_id = ?", [(cid,) for cid in ids])
    rows = []
    for claim in claims:
        for idx, part in enumerate(getattr(claim, attr)):
            row = dataclasses.asdict(part)
            rows.append({"claim_id": claim.claim_id, "idx": idx, **{k: _sql(v) for k, v in row.items()}})
    if rows:
        db[table].insert_all(rows, pk=("claim_id", "idx"))


def _sql(value):
    return int(value) if isinstance(value, bool) else value


def article_count(db: sqlite_utils.Database) -> int:
    return db["articles"].count
