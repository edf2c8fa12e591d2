"""The SQLite store, on real files."""

from __future__ import annotations

import sqlite3

import pytest

from factcheck.errors import StoreError
from factcheck.ingest import parse_text
from factcheck.pipeline import extract_article
from factcheck.store import open_db, save_extraction

TEXT_V1 = "截至2024年底，全市共有公立医院42家，床位3.1万张。市长表示，明年将新增床位2000张。"
TEXT_V2 = TEXT_V1 + "去年门诊量约为1800万人次。"


def store(db, text, source="news/hospitals.txt"):
    article = parse_text(text, source, "txt")
    return save_extraction(db, article, extract_article(article))


def counts(db):
    return {t: db[t].count for t in ("articles", "sentences", "claims", "quantities", "times", "entities")}


def test_saving_the_same_article_twice_changes_nothing(db_path):
    db = open_db(db_path)
    first = store(db, TEXT_V1)
    before = counts(db)
    second = store(db, TEXT_V1)
    assert counts(db) == before
    assert before["claims"] >= 2 and before["quantities"] >= 3
    assert (first["version"], first["new_version"]) == (1, True)
    assert (second["version"], second["new_version"]) == (1, False)


def test_a_changed_article_is_a_new_version_and_the_old_one_stays(db_path):
    db = open_db(db_path)
    store(db, TEXT_V1)
    saved = store(db, TEXT_V2)
    assert saved["version"] == 2
    rows = list(db.query("select version, n_chars from articles order by version"))
    assert [r["version"] for r in rows] == [1, 2]
    # Both versions keep their own claims.
    per_article = list(db.query("select article_id, count(*) n from claims group by article_id"))
    assert len(per_article) == 2


def test_schema_has_foreign_keys_indexes_and_wal(db_path):
    db = open_db(db_path)
    store(db, TEXT_V1)
    assert db.execute("pragma journal_mode").fetchone()[0] == "wal"
    assert db.execute("pragma foreign_keys").fetchone()[0] == 1
    assert {fk.other_table for fk in db["claims"].foreign_keys} == {"articles", "sentences"}
    assert {fk.other_table for fk in db["quantities"].foreign_keys} == {"claims"}
    assert not list(db.query("pragma foreign_key_check"))
    indexed = {tuple(i.columns) for i in db["quantities"].indexes}
    assert ("unit", "value") in indexed
    plan = " ".join(r[3] for r in db.execute(
        "explain query plan select * from claims where article_id = ?", ["x"]).fetchall())
    assert "USING INDEX" in plan
    assert db["meta"].get("schema_version")["value"] == "2"


def test_claim_rows_round_trip_offsets_into_stored_text(db_path):
    db = open_db(db_path)
    store(db, TEXT_V1)
    text = db.execute("select text from articles").fetchone()[0]
    for row in db.query("select c.start, c.end, q.text, q.start qs, q.end qe from claims c join quantities q on q.claim_id = c.id"):
        assert text[row["qs"] : row["qe"]] == row["text"]


def test_foreign_keys_are_enforced(db_path):
    db = open_db(db_path)
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("insert into quantities (claim_id, idx, text) values ('no-such-claim', 0, 'x')")


def test_not_a_database_gives_an_actionable_error(tmp_path):
    bogus = tmp_path / "notes.db"
    bogus.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a usable SQLite database.*--db"):
        open_db(bogus)


def test_missing_directory_gives_an_actionable_error(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        open_db(tmp_path / "nowhere" / "store.db")
