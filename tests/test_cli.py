"""The command line, through click's CliRunner on real files."""

from __future__ import annotations

import json

from click.testing import CliRunner

from factcheck.cli import cli

from .conftest import EXAMPLES

REQUIRED = ("claim_id", "article_id", "lang", "text", "sentence", "start", "end", "kind", "is_claim",
            "checkworthiness", "model_version", "quantities", "times", "entities")


def run(*args, input=None, env=None):
    return CliRunner().invoke(cli, list(args), input=input, env=env, catch_exceptions=False)


def test_extract_jsonl_writes_claims_whose_offsets_point_into_the_file(db_path):
    path = EXAMPLES / "zh_public_health.txt"
    result = run("extract", str(path), "--db", str(db_path))
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) >= 20
    text = path.read_text("utf-8")
    for row in rows:
        assert all(key in row for key in REQUIRED)
        assert row["is_claim"] is True
        assert text[row["start"] : row["end"]] in row["sentence"]
    assert db_path.exists()


def test_all_flag_adds_rejected_candidates(tmp_path):
    path = EXAMPLES / "en_diplomacy.txt"
    claims = run("extract", str(path), "--no-store").stdout.splitlines()
    everything = run("extract", str(path), "--no-store", "--all").stdout.splitlines()
    assert len(everything) > len(claims)
    kinds = {json.loads(line)["kind"] for line in everything}
    assert {"opinion", "prediction"} <= kinds
    assert not (tmp_path / "factcheck.db").exists()


def test_stdin_and_env_database(tmp_path):
    db = tmp_path / "env.db"
    result = run("extract", "-", input="The port handled 30 million containers in 2024.".encode(),
                 env={"FACTCHECK_DB": str(db)})
    assert result.exit_code == 0
    row = json.loads(result.stdout.splitlines()[0])
    assert row["source"] == "<stdin>"
    assert db.exists()


def test_directory_with_bad_files_processes_the_good_ones_and_exits_1(tmp_path, db_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text("今年一季度出口增长7.2%。", "utf-8")
    (folder / "gbk.txt").write_bytes("去年进口下降3.5%。".encode("gbk"))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (folder / "notes.docx").write_bytes(b"PK\x03\x04")  # unsupported suffix inside a directory: skipped
    result = run("extract", str(folder), "--db", str(db_path), "--format", "summary")
    assert result.exit_code == 1
    assert "good.txt" in result.stdout and "gbk.txt" in result.stdout
    assert "empty" in result.stderr and "binary" in result.stderr
    assert "Error:" in result.stderr and "Traceback" not in result.stderr
    assert "2 input(s) failed" in result.stderr


def test_missing_path_is_an_error_with_exit_1(tmp_path):
    result = run("extract", str(tmp_path / "nope.txt"), "--no-store")
    assert result.exit_code == 1
    assert "Error:" in result.stderr and "nope.txt" in result.stderr


def test_unusable_database_is_reported_without_traceback(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"garbage" * 200)
    result = run("extract", str(EXAMPLES / "en_energy.json"), "--db", str(bad))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: [F300]")


def test_table_format_is_readable():
    result = run("extract", str(EXAMPLES / "en_energy.json"), "--no-store", "--format", "table")
    assert result.exit_code == 0
    assert "numeric" in result.stdout and "oil_barrel" in result.stdout


def test_every_command_has_help():
    for name, command in cli.commands.items():
        assert command.help, name
        assert run(name, "--help").exit_code == 0


def test_tables_written_to_a_pipe_are_not_squeezed_to_80_columns(monkeypatch):
    # `factcheck models list > file` (or a CI log): rich would cut the version names
    # and F1 figures to "…" at 80 columns.
    from factcheck.model.registry import list_versions

    monkeypatch.delenv("COLUMNS", raising=False)
    result = CliRunner().invoke(cli, ["models", "list"])
    assert result.exit_code == 0, result.output
    assert "…" not in result.output
    for card in list_versions():
        assert card["version"] in result.output
        assert f"claimbuster:test {card['metrics']['claimbuster:test']['f1']:.3f}" in result.output
