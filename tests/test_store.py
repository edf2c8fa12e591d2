"""The SQLite store, on real files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from factcheck.errors import StoreError
from factcheck.extraction.ingest import parse_text
from factcheck.extraction.pipeline import extract_article
from factcheck.store.claims import claim_from_row
from factcheck.store.db import SCHEMA_VERSION, open_db, save_extraction

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
    assert db["meta"].get("schema_version")["value"] == str(SCHEMA_VERSION)


def test_claim_rows_round_trip_offsets_into_stored_text(db_path):
    db = open_db(db_path)
    store(db, TEXT_V1)
    text = db.execute("select text from articles").fetchone()[0]
    for row in db.query("select c.start, c.end, q.text, q.start qs, q.end qe "
                        "from claims c join quantities q on q.claim_id = c.id"):
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


def v2_store(path):
    """A real schema-v2 file, as factcheck wrote it before migrations existed."""
    conn = sqlite3.connect(path)
    conn.executescript((Path(__file__).parent / "data" / "store_v2.sql").read_text(encoding="utf-8"))
    conn.close()
    return path


def test_upgrading_a_v2_store_keeps_its_data_and_backs_it_up(tmp_path):
    path = v2_store(tmp_path / "old.db")
    before = {t: sqlite3.connect(path).execute(f"select count(*) from {t}").fetchone()[0]
              for t in ("articles", "claims", "quantities", "verdicts", "evidence")}
    db = open_db(path)
    assert db["meta"].get("schema_version")["value"] == str(SCHEMA_VERSION)
    assert {t: db[t].count for t in before} == before
    assert [r["version"] for r in db.query("select version from schema_migrations")] == [3, 4, 5]
    # Old verdicts are Label Studio's; every old claim got a key and is searchable.
    assert db.execute("select distinct source from verdicts").fetchall() == [("labelstudio",)]
    assert db["claim_keys"].count == before["claims"]
    hit = db.execute("select rowid from claims_fts where claims_fts match 'words:医院'").fetchall()
    assert hit, "claims from before the upgrade are in the full-text index"
    # The untouched original is kept beside the store.
    backup = tmp_path / "old.db.v2.bak"
    assert sqlite3.connect(backup).execute("select value from meta where key='schema_version'").fetchone() == ("2",)
    # Opening again is a no-op: no second backup round, no new migration rows.
    open_db(path)
    assert db["schema_migrations"].count == 3


def test_a_store_from_a_newer_factcheck_is_refused(tmp_path):
    db = open_db(tmp_path / "new.db")
    db["meta"].upsert({"key": "schema_version", "value": str(SCHEMA_VERSION + 1)}, pk="key")
    with pytest.raises(StoreError, match="newer than this factcheck.*Upgrade factcheck"):
        open_db(tmp_path / "new.db")


def test_a_new_store_records_every_migration(db_path):
    db = open_db(db_path)
    assert [r["version"] for r in db.query("select version from schema_migrations order by version")] == \
        list(range(1, SCHEMA_VERSION + 1))


SHARES = "今年前十个月，国内新能源乘用车的零售份额排名出炉。\n比亚迪为30.2%，吉利为18.8%。\n长城汽车今年共售出120万辆。"
RANKING = "今年前十个月，国内新能源乘用车的零售份额排名出炉。"


def test_a_claim_keeps_the_sentence_it_leaves_its_subject_to_and_extracting_again_keeps_it(db_path):
    db = open_db(db_path)
    store(db, SHARES)
    stored = dict(db.execute("select text, antecedent from claims").fetchall())
    assert stored["吉利为18.8%"] == RANKING  # 18.8% of what? the ranking's retail share
    assert stored["长城汽车今年共售出120万辆"] == ""
    store(db, SHARES, source="copies/shares.txt")  # the same text again, from another file
    assert dict(db.execute("select text, antecedent from claims").fetchall()) == stored
    row = next(db.query("select * from claims where text = '吉利为18.8%'"))
    assert claim_from_row(db, row).antecedent == RANKING


def test_upgrading_a_v4_store_adds_an_empty_antecedent_to_its_claims(tmp_path):
    path = tmp_path / "v4.db"
    db = open_db(path)
    store(db, TEXT_V1)
    with db.conn:  # what a v4 store looks like
        db.conn.execute("alter table claims drop column antecedent")
        db.conn.execute("delete from schema_migrations where version = 5")
        db.conn.execute("update meta set value = '4' where key = 'schema_version'")
    db.close()
    claims = sqlite3.connect(path).execute("select count(*) from claims").fetchone()[0]
    db = open_db(path)
    assert db.execute("select count(*), min(antecedent), max(antecedent) from claims").fetchone() == (claims, "", "")
    assert (tmp_path / "v4.db.v4.bak").exists()
