"""A slip of --db or --out never costs data: read commands never create a store, factcheck
never writes its tables into someone else's database, and an export never replaces the
store or an existing file unless asked (issue 19, items 1 and 4)."""

from __future__ import annotations

import sqlite3

import pytest
from click.testing import CliRunner

from factcheck.cli import cli
from factcheck.extraction.ingest import parse_text
from factcheck.extraction.pipeline import extract_article
from factcheck.store.db import open_db, save_extraction

pytestmark = pytest.mark.issue(19)

TEXT = "截至2019年9月，伊朗石油出口已降至不足13万桶/日。"


def run(*args):
    return CliRunner().invoke(cli, list(args))


@pytest.fixture
def store(tmp_path):
    path = tmp_path / "kb.db"
    db = open_db(path)
    article = parse_text(TEXT, "a.txt", "txt")
    save_extraction(db, article, extract_article(article))
    db.close()
    return path


@pytest.mark.parametrize("command", [["search", "石油"], ["verdicts"], ["export"], ["conflicts"], ["stats"],
                                     ["review", "disagreements"]])
def test_a_mistyped_store_is_an_error_not_a_new_empty_store(tmp_path, command):
    missing = tmp_path / "kb-typo.db"
    result = run(*command, "--db", str(missing))
    assert result.exit_code == 1
    assert "Error: [F307]" in result.output and "kb-typo.db" in result.output and "factcheck extract" in result.output
    assert not missing.exists()


def test_factcheck_never_writes_its_tables_into_another_database(tmp_path):
    other = tmp_path / "crm.db"
    with sqlite3.connect(other) as conn:
        conn.execute("create table customers (id integer primary key, name text)")
    conn.close()
    for command in (["search", "x"], ["extract", "-"], ["verdicts"]):
        result = CliRunner().invoke(cli, [*command, "--db", str(other)], input=TEXT)
        assert result.exit_code == 1, command
        assert "Error: [F304]" in result.output and "not a factcheck store" in result.output
    with sqlite3.connect(other) as conn:
        assert [r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")] == ["customers"]
    conn.close()


def test_export_never_overwrites_the_store(store):
    before = store.read_bytes()
    result = run("export", "--db", str(store), "--format", "csv", "--out", str(store), "--force")
    assert result.exit_code == 1 and "Error: [F309]" in result.output and "the store itself" in result.output
    assert store.read_bytes() == before
    assert open_db(store, create=False)["claims"].count > 0


def test_export_replaces_an_existing_file_only_when_asked(store, tmp_path):
    out = tmp_path / "report.csv"
    out.write_text("someone's notes\n", encoding="utf-8")
    refused = run("export", "--db", str(store), "--format", "csv", "--out", str(out))
    assert refused.exit_code == 1 and "Error: [F309]" in refused.output and "--force" in refused.output
    assert out.read_text(encoding="utf-8") == "someone's notes\n"
    replaced = run("export", "--db", str(store), "--format", "csv", "--out", str(out), "--force")
    assert replaced.exit_code == 0, replaced.output
    assert out.read_text(encoding="utf-8").startswith("claim_id,")


def test_writing_commands_still_start_a_new_store(tmp_path):
    new = tmp_path / "new.db"
    result = CliRunner().invoke(cli, ["extract", "-", "--db", str(new), "--model", "none", "--format", "summary"],
                                input=TEXT)
    assert result.exit_code == 0, result.output
    assert open_db(new, create=False)["claims"].count > 0
