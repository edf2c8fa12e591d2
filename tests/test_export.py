"""Exports of reviewed claims (ClaimReview, JSONL, CSV) and the store backup, on a real store."""

from __future__ import annotations

import csv
import io
import json
import sqlite3

import pytest

from factcheck.errors import StoreError
from factcheck.extraction.ingest import parse_json, parse_text
from factcheck.extraction.pipeline import extract_article
from factcheck.review.labelstudio import import_export
from factcheck.store.db import open_db, save_extraction
from factcheck.store.export import (
    RATING,
    backup,
    to_claimreview,
    verdicted_claims,
    write_claimreview,
    write_csv,
)
from factcheck.store.search import write_jsonl

from .factories import annotation, task

TEXT = ("国家统计局局长康义表示，2023年全国粮食产量达到6.95亿吨。\n\n"
        "Apple said revenue rose 8% to $94.8 billion in the third quarter of 2024.\n\n"
        "The refinery processed 450,000 barrels a day in 2024.")


@pytest.fixture
def store(tmp_path):
    db_path = tmp_path / "store.db"
    db = open_db(db_path)
    article = parse_json(json.dumps({"text": TEXT, "title": "粮食与收入", "url": "https://news.example/a",
                                     "published": "2024-08-02"}, ensure_ascii=False), "a.json")[0]
    claims = extract_article(article)
    save_extraction(db, article, claims)
    other = parse_text("Wheat exports fell 12% to 3.1 million tonnes in 2023.", "b.txt", "txt")
    other_claims = extract_article(other)
    save_extraction(db, other, other_claims)
    by_lang = {c.lang: c for c in claims if c.kind == "quote"}
    numeric = next(c for c in claims if c.kind != "quote")
    return db_path, db, {"zh": by_lang["zh"], "en": by_lang["en"], "numeric": numeric, "plain": other_claims[0]}


@pytest.fixture
def reviewed(store):
    db_path, db, c = store
    report = import_export(db, [
        # zh: 2 refuted vs 1 supported, plus a deleted "supported" that must not count
        task(1, c["zh"],
             annotation(11, "a@x", "refuted", "2024-09-01T10:00:00Z", ["https://stats.gov.cn/x | 公报"]),
             annotation(12, "b@x", "refuted", "2024-09-02T10:00:00Z", ["https://stats.gov.cn/x", "https://b.example/y"]),
             annotation(13, "c@x", "supported", "2024-09-03T10:00:00Z"),
             annotation(14, "d@x", "supported", "2024-09-04T10:00:00Z")),
        # en: a tie; the most recent annotation says misleading
        task(2, c["en"],
             annotation(21, "a@x", "supported", "2024-09-05T10:00:00Z"),
             annotation(22, "b@x", "misleading", "2024-09-06T10:00:00Z", ["https://sec.gov/apple"])),
        # numeric: not a claim
        task(3, c["numeric"], annotation(31, "a@x", "not a claim", "2024-09-07T10:00:00Z")),
        # another article, no url, only a deleted annotation: not exported at all
        task(4, c["plain"], annotation(41, "a@x", "supported", "2024-09-08T10:00:00Z")),
    ])
    assert report.verdicts == 8 and report.invalid == 0
    with db.conn:
        db.conn.execute("update verdicts set deleted_at = '2024-09-10T00:00:00' where annotation_id in (14, 41)")
    return db_path, db, c


def test_verdicted_claims_rows(reviewed):
    _, db, c = reviewed
    rows = verdicted_claims(db)
    assert [r["claim_id"] for r in rows] == [c["numeric"].claim_id, c["en"].claim_id, c["zh"].claim_id]
    zh, en = rows[2], rows[1]
    assert zh["verdict"] == "refuted" and zh["votes"] == {"refuted": 2, "supported": 1}
    assert zh["annotators"] == ["a@x", "b@x", "c@x"] and zh["reviewed_at"] == "2024-09-03T10:00:00Z"
    assert zh["evidence"] == [{"url": "https://stats.gov.cn/x", "note": "公报"},
                              {"url": "https://b.example/y", "note": ""}]
    assert zh["claimant"] == "国家统计局" and "康义" in zh["claimant_candidates"]
    assert zh["article_url"] == "https://news.example/a" and zh["article_title"] == "粮食与收入"
    assert zh["lang"] == "zh" and zh["kind"] == "quote" and "6.95亿吨" in zh["claim"]
    assert en["verdict"] == "misleading" and en["claimant"] == "Apple"
    assert rows[0]["verdict"] == "not a claim" and rows[0]["claimant"] is None

    assert [r["claim_id"] for r in verdicted_claims(db, lang="zh")] == [c["zh"].claim_id]
    assert [r["verdict"] for r in verdicted_claims(db, verdict="misleading")] == ["misleading"]
    assert [r["claim_id"] for r in verdicted_claims(db, since="2024-09-05")] == [c["numeric"].claim_id,
                                                                                 c["en"].claim_id]


def check_claimreview(review):
    """Structural check of the ClaimReview fields Google and schema.org consumers rely on."""
    assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
    assert isinstance(review["claimReviewed"], str) and review["claimReviewed"].strip()
    assert review["author"]["@type"] == "Organization" and review["author"]["name"]
    assert review["inLanguage"] in ("zh", "en")
    assert len(review["datePublished"]) == 10 and review["datePublished"][4] == "-"
    assert review["url"].startswith("http")
    rating = review["reviewRating"]
    assert rating["@type"] == "Rating" and isinstance(rating["ratingValue"], int)
    assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
    assert (rating["worstRating"], rating["bestRating"]) == (1, 5) and rating["alternateName"]
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    if "author" in item:
        assert item["author"]["@type"] in ("Person", "Organization") and item["author"]["name"]
    for appearance in item.get("appearance", []):
        assert appearance["@type"] == "CreativeWork" and appearance["url"].startswith("http")


def test_claimreview_structure(reviewed):
    _, db, c = reviewed
    rows = verdicted_claims(db)
    reviews = [to_claimreview(r, publisher="Example Checks") for r in rows]
    assert reviews[0] is None  # not a claim
    for review in reviews[1:]:
        check_claimreview(review)
    zh = reviews[2]
    assert zh["reviewRating"]["ratingValue"] == RATING["refuted"] == 1
    assert zh["reviewRating"]["alternateName"] == "refuted"
    assert zh["url"] == "https://stats.gov.cn/x" and zh["datePublished"] == "2024-09-03"
    assert zh["itemReviewed"]["author"] == {"@type": "Organization", "name": "国家统计局"}
    assert zh["itemReviewed"]["datePublished"] == "2024-08-02"
    assert zh["itemReviewed"]["appearance"][0]["url"] == "https://news.example/a"
    assert zh["author"] == {"@type": "Organization", "name": "Example Checks"}
    assert reviews[1]["reviewRating"]["ratingValue"] == 3 and reviews[1]["inLanguage"] == "en"
    based = to_claimreview(rows[2], review_url_base="https://checks.example/c/")
    assert based["url"] == "https://checks.example/c/" + c["zh"].claim_id

    out = io.StringIO()
    assert write_claimreview(rows, out) == 2
    parsed = json.loads(out.getvalue())
    assert len(parsed) == 2 and all(r["reviewRating"]["alternateName"] != "not a claim" for r in parsed)
    for review in parsed:
        check_claimreview(review)
    empty = io.StringIO()
    assert write_claimreview([], empty) == 0 and json.loads(empty.getvalue()) == []


def test_claim_without_claimant_or_article_url():
    row = {"claim_id": "x", "claim": "Exports fell 12%.", "lang": "en", "kind": "numeric", "verdict": "supported",
           "evidence": [], "reviewed_at": "2024-01-02T03:04:05+00:00", "claimant": None, "article_url": None,
           "article_published": None}
    review = to_claimreview(row)
    assert review["reviewRating"]["ratingValue"] == 5 and review["itemReviewed"] == {"@type": "Claim"}
    assert "url" not in review and review["datePublished"] == "2024-01-02"


def test_csv_and_jsonl_round_trip(reviewed, tmp_path):
    _, db, c = reviewed
    rows = verdicted_claims(db)
    path = tmp_path / "out.csv"
    with open(path, "w", encoding="utf-8", newline="") as fp:
        assert write_csv(rows, fp) == 3
    with open(path, encoding="utf-8", newline="") as fp:
        back = list(csv.DictReader(fp))
    zh = next(r for r in back if r["claim_id"] == c["zh"].claim_id)
    assert zh["claim"] == c["zh"].text and "康义" in zh["claimant_candidates"]
    assert zh["evidence"] == "https://stats.gov.cn/x | https://b.example/y" and zh["evidence_notes"] == "公报 | "
    assert zh["verdict"] == "refuted" and zh["article_title"] == "粮食与收入"

    path = tmp_path / "out.jsonl"
    with open(path, "w", encoding="utf-8") as fp:
        assert write_jsonl(rows, fp) == 3
    lines = path.read_text("utf-8").splitlines()
    assert [json.loads(line) for line in lines] == rows and "国家统计局" in lines[-1]


def test_backup_copies_a_live_wal_store_and_refuses_to_overwrite(reviewed, tmp_path):
    db_path, db, _ = reviewed
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    dest = backup(db_path, tmp_path / "copy.db")
    tables = ["articles", "sentences", "claims", "entities", "verdicts", "evidence"]
    copy = sqlite3.connect(dest)
    try:
        for table in tables:
            assert copy.execute(f"select count(*) from [{table}]").fetchone()[0] == db[table].count, table
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    finally:
        copy.close()
    assert len(verdicted_claims(open_db(dest))) == 3

    before = dest.read_bytes()
    with pytest.raises(StoreError, match="already exists") as info:
        backup(db_path, dest)
    assert info.value.code == "F310" and str(dest) in str(info.value) and dest.read_bytes() == before
    with pytest.raises(StoreError) as missing:
        backup(tmp_path / "nope.db", tmp_path / "x.db")
    assert missing.value.code == "F311"
    with pytest.raises(StoreError) as no_dir:
        backup(db_path, tmp_path / "no" / "x.db")
    assert no_dir.value.code == "F312"
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError) as bad:
        backup(junk, tmp_path / "y.db")
    assert bad.value.code == "F304" and not (tmp_path / "y.db").exists()


def test_export_and_backup_commands(tmp_path):
    import json as _json

    from click.testing import CliRunner

    from factcheck.cli import cli
    from factcheck.extraction.ingest import parse_text
    from factcheck.extraction.pipeline import extract_article
    from factcheck.review.labelstudio import import_export as _import
    from factcheck.store.db import open_db

    db_path = tmp_path / "s.db"
    db = open_db(db_path)
    article = parse_text("The refinery processed 450,000 barrels a day in 2024.", "r.txt", "txt")
    claim = extract_article(article)[0]
    from factcheck.store.db import save_extraction as _save

    _save(db, article, [claim])
    _import(db, [{"id": 1, "project": 1, "data": {"claim_id": claim.claim_id, "sentence": claim.sentence},
                  "annotations": [{"id": 3, "result": [{"from_name": "verdict", "value": {"choices": ["refuted"]}}]}]}])
    runner = CliRunner()
    out = runner.invoke(cli, ["export", "--db", str(db_path), "--format", "claimreview"])
    assert out.exit_code == 0, out.output
    review = _json.loads(out.stdout)[0]
    assert review["@type"] == "ClaimReview" and review["reviewRating"]["ratingValue"] == 1
    assert runner.invoke(cli, ["backup", str(tmp_path / "b.db"), "--db", str(db_path)]).exit_code == 0
    again = runner.invoke(cli, ["backup", str(tmp_path / "b.db"), "--db", str(db_path)])
    assert again.exit_code == 1 and "Error: [F310]" in again.stderr


def test_export_claims_writes_every_format_through_one_call(reviewed):
    from factcheck.store.export import FORMATS, export_claims

    _, db, _ = reviewed
    for fmt in FORMATS:
        fp = io.StringIO(newline="")
        # a "not a claim" verdict has no ClaimReview
        assert export_claims(db, fp, fmt) == (2 if fmt == "claimreview" else 3), fmt
        assert fp.getvalue()
    zh_only = io.StringIO()
    assert export_claims(db, zh_only, "jsonl", lang="zh") == 1
    with pytest.raises(ValueError):
        export_claims(db, io.StringIO(), "xml")


@pytest.mark.issue(18)
def test_claimreview_url_and_publisher_come_from_the_settings(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from factcheck.cli import cli

    from .conftest import REPO

    dbp = str(tmp_path / "imported.db")
    runner = CliRunner()
    result = runner.invoke(cli, ["verdicts", "import", str(REPO / "tests" / "data" / "verdicts_liar.tsv"),
                                 "--format", "liar", "--db", dbp])
    assert result.exit_code == 0, result.output
    monkeypatch.setenv("FACTCHECK_PUBLISHER", "Example Checks")
    monkeypatch.setenv("FACTCHECK_PUBLISHER_URL", "https://checks.example/")
    monkeypatch.setenv("FACTCHECK_REVIEW_URL_BASE", "https://checks.example/claims/")
    out = runner.invoke(cli, ["export", "--db", dbp])
    assert out.exit_code == 0, out.output
    reviews = json.loads(out.stdout)
    assert reviews and '"url": null' not in out.stdout
    publisher = {"@type": "Organization", "name": "Example Checks", "url": "https://checks.example/"}
    for review in reviews:  # imported LIAR verdicts have no review URL of their own
        check_claimreview(review)
        assert review["url"].startswith("https://checks.example/claims/")
        assert review["publisher"] == publisher
        assert review["author"] == {"@type": "Organization", "name": "PolitiFact"}  # an imported review's own
    override = runner.invoke(cli, ["export", "--db", dbp, "--review-url-base", "https://other.example/"])
    assert json.loads(override.stdout)[0]["url"].startswith("https://other.example/")
    monkeypatch.delenv("FACTCHECK_REVIEW_URL_BASE")
    assert all("url" not in r for r in json.loads(runner.invoke(cli, ["export", "--db", dbp]).stdout))


@pytest.mark.issue(18)
def test_your_annotators_reviews_are_authored_by_the_publisher(reviewed):
    from factcheck.store.export import export_claims

    _, db, _ = reviewed
    fp = io.StringIO()
    export_claims(db, fp, publisher="Example Checks", publisher_url="https://checks.example/")
    publisher = {"@type": "Organization", "name": "Example Checks", "url": "https://checks.example/"}
    assert all(r["author"] == r["publisher"] == publisher for r in json.loads(fp.getvalue()))


@pytest.mark.issue(18)
def test_a_backup_is_readable_by_its_owner_only(reviewed, tmp_path):
    import os

    db_path, _, _ = reviewed
    old = os.umask(0o022)
    try:
        dest = backup(db_path, tmp_path / "copy.db")
    finally:
        os.umask(old)
    assert dest.stat().st_mode & 0o777 == 0o600
