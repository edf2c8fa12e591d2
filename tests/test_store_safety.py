"""A slip of --db or --out never costs data: read commands never create a store, factcheck
never writes its tables into someone else's database, and an export never replaces the
store or an existing file unless asked (issue 19, items 1 and 4)."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

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


# --- item 2: extracting the same text again keeps what is known -----------------------------------

GRAIN = "去年，全国粮食总产量达到6.95亿吨，比前年增长1.3%。"


def extract_into(db_path, *paths):
    result = run("extract", *map(str, paths), "--db", str(db_path), "--model", "none", "--format", "summary")
    assert result.exit_code == 0, result.output
    return result


def add_verdict(db_path, claim_id):
    from factcheck.store.verdicts import write_verdicts

    db = open_db(db_path)
    with db.conn:
        write_verdicts(db, [{"annotation_id": 1, "project_id": 1, "task_id": 1, "claim_id": claim_id,
                             "verdict": "supported", "annotator": "a@example.org",
                             "created_at": "2024-06-01T00:00:00Z"}], {})
    db.close()


def test_a_stray_copy_of_the_text_keeps_title_url_date_resolved_times_and_sources(tmp_path):
    import json

    original = tmp_path / "a.json"
    original.write_text(json.dumps({"text": GRAIN, "title": "粮食产量", "url": "https://example.org/grain",
                                    "published": "2024-05-01"}, ensure_ascii=False), encoding="utf-8")
    copy = tmp_path / "a.txt"
    copy.write_text(GRAIN, encoding="utf-8")
    store = tmp_path / "kb.db"
    extract_into(store, original)
    db = open_db(store)
    claim_id = db.execute("select claim_id from times where text = '去年'").fetchone()[0]
    db.close()
    add_verdict(store, claim_id)

    extract_into(store, copy)

    db = open_db(store)
    article = db.execute("select title, url, published, version, conflicts from articles").fetchall()
    assert article == [("粮食产量", "https://example.org/grain", "2024-05-01", 1, None)]
    assert db.execute("select value, resolved from times where text = '去年'").fetchall() == [("2023", 1)]
    sources = {Path(s).name for (s,) in db.execute("select source from article_sources")}
    assert sources == {"a.json", "a.txt"}
    db.close()
    out = tmp_path / "reviews.json"
    result = run("export", "--db", str(store), "--format", "claimreview", "--out", str(out))
    assert result.exit_code == 0, result.output
    exported = json.loads(out.read_text(encoding="utf-8"))
    reviews = exported if isinstance(exported, list) else exported.get("reviews", exported)
    review = next(r for r in reviews if r["itemReviewed"]["appearance"])
    assert review["itemReviewed"]["datePublished"] == "2024-05-01"
    assert review["itemReviewed"]["appearance"][0]["url"] == "https://example.org/grain"


def test_a_copy_that_fills_a_gap_adds_to_what_is_known_and_a_disagreement_is_recorded(tmp_path):
    import json

    store = tmp_path / "kb.db"
    (tmp_path / "a.txt").write_text(GRAIN, encoding="utf-8")
    extract_into(store, tmp_path / "a.txt")
    (tmp_path / "b.json").write_text(json.dumps({"text": GRAIN, "url": "https://example.org/grain",
                                                 "published": "2024-05-01"}), encoding="utf-8")
    extract_into(store, tmp_path / "b.json")
    (tmp_path / "c.json").write_text(json.dumps({"text": GRAIN, "published": "2024-06-30"}), encoding="utf-8")
    extract_into(store, tmp_path / "c.json")

    db = open_db(store)
    url, published, conflicts = db.execute("select url, published, conflicts from articles").fetchone()
    assert (url, published) == ("https://example.org/grain", "2024-05-01")
    assert json.loads(conflicts) == {"published": ["2024-05-01", "2024-06-30"]}
    assert db["article_sources"].count == 3


# --- item 3: concurrent writers take turns -----------------------------------------------------------

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_two_extracts_and_a_verdict_import_at_once_on_one_new_store_keep_every_row(tmp_path):
    import json
    import subprocess
    import sys

    for batch in ("one", "two"):
        folder = tmp_path / batch
        folder.mkdir()
        for name in ("en_diplomacy.txt", "zh_economy.txt", "zh_public_health.txt", "zh_energy_sanctions.md"):
            text = (EXAMPLES / name).read_text("utf-8")
            (folder / name).write_text(f"Batch {batch}: {name}\n\n{text}", "utf-8")
    store = tmp_path / "kb.db"  # created by whichever command gets there first
    factcheck = [sys.executable, "-m", "factcheck"]
    commands = [
        [*factcheck, "extract", str(tmp_path / "one"), "--db", str(store), "--model", "none", "--format", "summary"],
        [*factcheck, "extract", str(tmp_path / "two"), "--db", str(store), "--model", "none", "--format", "summary"],
        [*factcheck, "verdicts", "import", str(Path(__file__).parent / "data" / "verdicts_claimreview.json"),
         "--db", str(store)],
    ]
    running = [subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for c in commands]
    outputs = [p.communicate(timeout=600) for p in running]
    done = [(p.returncode, out, err) for p, (out, err) in zip(running, outputs, strict=True)]
    for code, _, err in done:
        assert code == 0 and "Traceback" not in err and "Error" not in err, err

    extracted = 0
    for _, out, _ in done[:2]:
        for line in out.splitlines():  # "PATH v1: N claims, M rejected"
            claims, rejected = (int(n) for n in re.findall(r"(\d+) (?:claims|rejected)", line))
            extracted += claims + rejected
    report = json.loads(done[2][1])
    db = open_db(store, create=False)
    assert db.execute("select count(*) from articles where format in ('txt', 'md')").fetchone()[0] == 8
    assert db.execute("select count(*) from claims c join articles a on a.id = c.article_id "
                      "where a.format in ('txt', 'md')").fetchone()[0] == extracted
    assert db.execute("select count(*) from verdicts where source = 'claimreview'").fetchone()[0] == \
        report["stored"]
    assert db.execute("pragma integrity_check").fetchone() == ("ok",)


def test_the_stored_article_records_its_encoding_and_replaced_bytes(tmp_path, caplog):
    import json

    text = "Zoë Müller – the ministry’s spokeswoman – said output rose 5% in 2024.\n"
    data = text.encode()
    (tmp_path / "stray.txt").write_bytes(data[:10] + b"\x81\xfe" + data[10:])
    extract_into(tmp_path / "kb.db", tmp_path / "stray.txt")
    assert "byte offset(s) 10, 11" in caplog.text
    db = open_db(tmp_path / "kb.db")
    encoding, replacements, stored = db.execute("select encoding, replacements, text from articles").fetchone()
    assert (encoding, json.loads(replacements)) == ("utf-8", [10, 11])
    assert stored.replace("\ufffd\ufffd", "") == text  # every dash, quote and accent intact
