"""The command line, through click's CliRunner on real files."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from factcheck.cli import cli

from .conftest import EXAMPLES, REPO

DATA = REPO / "tests" / "data"

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
    result = run("extract", "-", input="The port handled 30 million containers in 2024.",
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
    assert result.stderr.startswith("Error: [F304]")


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


# --- the command tree ---------------------------------------------------------------------


def _commands(group, path=()):
    """(path, command) of every command and subcommand under ``group``, depth first."""
    import click

    for name, command in sorted(group.commands.items()):
        yield (*path, name), command
        if isinstance(command, click.Group):
            yield from _commands(command, (*path, name))


def test_every_command_and_subcommand_has_help_text():
    found = list(_commands(cli))
    assert {" ".join(p) for p, _ in found} >= {"models diff", "labelstudio webhook", "review disagreements",
                                                 "verdicts import", "match", "retrain"}
    for path, command in found:
        assert (command.help or "").strip(), " ".join(path)
        assert (command.get_short_help_str() or "").strip(), " ".join(path)
        result = run(*path, "--help")
        assert result.exit_code == 0, (path, result.output)
        assert command.help.split("\n")[0].strip()[:30] in " ".join(result.output.split())


def test_the_store_option_is_declared_once_and_reads_the_environment(tmp_path):
    from factcheck.cli.options import DB_HELP

    for path, command in _commands(cli):
        for param in command.params:
            if "--db" in getattr(param, "opts", ()):
                assert param.help == DB_HELP, " ".join(path)
    db = tmp_path / "env.db"
    result = run("extract", "-", "--format", "summary", input="Exports rose 7.2% in 2024.",
                 env={"FACTCHECK_DB": str(db)})
    assert result.exit_code == 0, result.output
    assert f"into {db}" in result.stderr and db.exists()
    # `verdicts import` opens its own --db; the group's store is not created on the way.
    elsewhere = tmp_path / "elsewhere.db"
    result = run("verdicts", "import", str(DATA / "verdicts_liar.tsv"), "--db", str(elsewhere), "--limit", "1",
                 env={"FACTCHECK_DB": str(tmp_path / "never.db")})
    assert result.exit_code == 0, result.output
    assert elsewhere.exists() and not (tmp_path / "never.db").exists()


# --- the library functions the commands call ------------------------------------------------

ZH = "截至2019年9月，伊朗原油出口已降至不足13万桶/日。双方谈判历时两年。"
EN = ("By September 2019, Iran's crude exports had fallen below 130,000 barrels per day. "
      "The negotiations took 20 months.")


def _store(tmp_path, *texts):
    """A store holding one article per text (``a0.txt``, ``a1.txt``…), rules only."""
    from factcheck.store.db import open_db
    from factcheck.store.intake import extract_paths

    db = open_db(tmp_path / "store.db")
    paths = []
    for i, text in enumerate(texts):
        (tmp_path / f"a{i}.txt").write_text(text, "utf-8")
        paths.append(str(tmp_path / f"a{i}.txt"))
    assert not [d.error for d in extract_paths(paths, db=db) if d.error]
    return db


def _verdict(db, claim_id, verdict, annotation_id, annotator, task_id=None):
    db["verdicts"].insert({"annotation_id": annotation_id, "project_id": 1, "task_id": task_id or annotation_id,
                           "claim_id": claim_id, "verdict": verdict, "annotator": annotator, "source": "labelstudio",
                           "created_at": "2026-11-01T10:00:00"})


class _Stages:
    """A ``progress(stage, total) -> advance`` callback that records what it is told."""

    def __init__(self):
        self.stages, self.advanced = [], 0

    def __call__(self, stage, total):
        self.stages.append((stage, total))

        def advance(n=1):
            self.advanced += n

        return advance


def test_models_load_by_version_and_a_missing_promotion_is_F216(tmp_path, monkeypatch):
    from factcheck.errors import ModelError
    from factcheck.model.registry import load_scorer, require_model

    monkeypatch.setenv("FACTCHECK_MODELS", str(tmp_path))
    assert load_scorer("none") is None and load_scorer(None) is None  # rules only / nothing promoted
    with pytest.raises(ModelError) as missing:
        require_model(None)
    assert missing.value.code == "F216" and "factcheck models list" in str(missing.value)
    with pytest.raises(ModelError) as unknown:
        load_scorer("cw-nope")
    assert unknown.value.code == "F213"
    result = run("classify", "-", input=b"Oil fell 5%.\n", env={"FACTCHECK_MODELS": str(tmp_path)})
    assert result.exit_code == 1 and result.stderr.startswith("Error: [F216]")


def test_classify_lines_numbers_the_input_lines_and_skips_empty_ones(monkeypatch):
    from factcheck.model import registry

    class Model:
        version = "cw-fake"

        def classify(self, texts, batch_size):
            return [{"text": t, "score": 0.5, "label": "claim", "model_version": self.version} for t in texts]

    loaded = []
    monkeypatch.setattr(registry, "load_promoted", lambda root=None: loaded.append(1) or Model())

    def lines():
        assert loaded, "the model is loaded before any line is read"
        yield from ["Oil fell 5%.\n", "\n", "   \n", "Exports rose.\n", "Imports fell.", "Last."]

    rows = list(registry.classify_lines(lines(), batch_size=2, chunk=2))
    assert [(r["line"], r["text"]) for r in rows] == [(1, "Oil fell 5%."), (4, "Exports rose."),
                                                     (5, "Imports fell."), (6, "Last.")]


def test_extract_paths_yields_every_article_or_its_error_and_keeps_the_totals(tmp_path):
    from factcheck.errors import FactcheckError
    from factcheck.store.db import open_db
    from factcheck.store.intake import ExtractTotals, extract_paths

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text("今年一季度出口增长7.2%。专家认为前景乐观吗？", "utf-8")
    (folder / "gbk.txt").write_bytes("去年进口下降3.5%。".encode("gbk"))
    (folder / "empty.txt").write_bytes(b"")
    db = open_db(tmp_path / "x.db")
    totals = ExtractTotals()
    done = list(extract_paths([str(folder)], db=db, totals=totals))
    failed = [d for d in done if d.error is not None]
    assert len(failed) == 1 and isinstance(failed[0].error, FactcheckError) and "empty" in str(failed[0].error)
    ok = {d.source.rsplit("/", 1)[-1]: d for d in done if d.error is None}
    assert set(ok) == {"good.txt", "gbk.txt"} and all(d.saved["version"] == 1 for d in ok.values())
    assert (totals.articles, totals.failures, totals.matching) == (2, 1, False)
    assert totals.claims == sum(c.is_claim for d in ok.values() for c in d.candidates) == db["claims"].count_where(
        "is_claim = 1")
    assert totals.rejected == sum(not c.is_claim for d in ok.values() for c in d.candidates) >= 1
    # Without a store nothing is saved; matching needs the store.
    assert all(d.saved is None for d in extract_paths([str(folder / "good.txt")]))
    with pytest.raises(ValueError):
        next(extract_paths([str(folder / "good.txt")], match=True))


@pytest.mark.issue(15)
@pytest.mark.model  # the e5 encoder
def test_match_text_finds_a_checked_claim_in_the_other_language(tmp_path):
    from factcheck.store.matching import match_text

    db = _store(tmp_path, ZH)
    oil = db.execute("select id from claims where text like '%13万桶%'").fetchone()[0]
    _verdict(db, oil, "supported", 1, "a@x")
    stages = _Stages()
    found = match_text(db, "Iran's oil exports fell below 130,000 barrels a day by September 2019.",
                       progress=stages)
    assert [m.claim_id for m in found] == [oil] and found[0].verdict == "supported"
    assert found[0].text.endswith("13万桶/日") and "same numbers" in found[0].reason
    assert stages.stages == [("embedding new claims", db["claims"].count_where("is_claim = 1"))]
    assert match_text(db, "Iran's oil exports fell below 900,000 barrels a day by September 2019.") == []
    result = run("match", "The negotiations took two years.", "--db", str(tmp_path / "store.db"))
    assert result.exit_code == 0, result.output
    row = json.loads(result.stdout)
    assert list(row) == ["claim_id", "text", "verdict", "similarity", "reason"]
    assert row["text"] == "双方谈判历时两年" and row["verdict"] is None


@pytest.mark.issue(15)
@pytest.mark.model  # the e5 encoder
def test_list_conflicts_gives_both_claims_with_their_sources(tmp_path):
    from factcheck.store.conflicts import list_conflicts

    db = _store(tmp_path, ZH, EN)
    stages = _Stages()
    pairs = list_conflicts(db, progress=stages)
    assert [s for s, _ in stages.stages] == ["embedding new claims", "comparing"]
    assert len(pairs) == 1
    row = pairs[0].as_dict()
    assert set(row) == {"similarity", "reason", "disagreeing", "claims"}
    assert sorted(map(sorted, row["disagreeing"])) == [["20 months", "两年"]]
    assert {c["source"].rsplit("/", 1)[-1] for c in row["claims"]} == {"a0.txt", "a1.txt"}
    assert set(row["claims"][0]) == {"claim_id", "text", "article_title", "article_url", "source", "published"}
    assert list_conflicts(db, article_id="no-such-article") == []


def test_disagreements_lists_disputed_tasks_with_their_claims(tmp_path):
    from factcheck.review.agreement import disagreements

    db = _store(tmp_path, "Exports rose 7.2% in 2024. Imports fell 3.5% in 2023.")
    first, second = [r[0] for r in db.execute("select id from claims where is_claim = 1 order by start")]
    _verdict(db, first, "refuted", 1, "a@x", task_id=10)
    _verdict(db, first, "supported", 2, "b@x", task_id=10)
    _verdict(db, second, "supported", 3, "a@x", task_id=11)
    _verdict(db, second, "supported", 4, "b@x", task_id=11)
    db["verdicts"].update(4, {"deleted_at": "2026-11-02T00:00:00"})  # a deleted annotation no longer counts
    found = disagreements(db)
    assert [t.task_id for t in found.tasks] == [10]
    assert found.rows() == [{"task_id": 10, "claim_id": first, "claim": db["claims"].get(first)["text"],
                             "verdicts": {"a@x": "refuted", "b@x": "supported"}, "agreement": 0.5}]
    assert (found.summary["tasks"], found.summary["multi_annotated"], found.summary["disputed"]) == (2, 1, 1)
    (tmp_path / "other").mkdir()
    empty = disagreements(_store(tmp_path / "other", "Exports rose 7.2% in 2024."))
    assert empty.tasks == [] and empty.summary["alpha"] is None


def test_review_import_file_reads_exports_and_passes_other_formats_to_the_store(tmp_path):
    from factcheck.errors import AnnotationError
    from factcheck.review.labelstudio import ImportReport, import_file
    from factcheck.store import verdict_import

    from .factories import annotation, task

    db = _store(tmp_path, "Exports rose 7.2% in 2024.")
    claim_id, sentence = db.execute("select c.id, s.text from claims c join sentences s on s.id = c.sentence_id "
                                    "where c.is_claim = 1").fetchone()
    claim = SimpleNamespace(claim_id=claim_id, sentence=sentence)
    export = tmp_path / "export.json"
    export.write_text(json.dumps([task(5, claim, annotation(1, "a@x", "refuted", "2026-11-01T10:00:00Z")),
                                  task(6, claim, annotation(2, "b@x", "supported", "2026-11-01T11:00:00Z"))]),
                      "utf-8")
    report = import_file(db, export, limit=1)
    assert isinstance(report, ImportReport) and (report.tasks, report.verdicts) == (1, 1)
    assert import_file(db, export).verdicts == 2 and db["verdicts"].count == 2
    liar = import_file(db, DATA / "verdicts_liar.tsv")
    assert isinstance(liar, verdict_import.VerdictImportReport) and liar.format == "liar" and liar.stored == 5
    bad = tmp_path / "bad.json"
    bad.write_text("{oops", "utf-8")
    with pytest.raises(AnnotationError) as not_json:
        import_file(db, bad)
    assert not_json.value.code == "F514" and "export the project from Label Studio as JSON" in str(not_json.value)
    # The store reads no Label Studio export itself (store → review would run against the layers).
    with pytest.raises(AnnotationError) as refused:
        verdict_import.import_file(db, export)
    assert refused.value.code == "F514" and "factcheck.review.labelstudio.import_file" in str(refused.value)


def test_push_claims_rescores_first_and_prefills_only_once_something_is_checked(tmp_path, monkeypatch):
    from factcheck.review import labelstudio
    from factcheck.store.matching import ClaimIndex

    db = _store(tmp_path, "Exports rose 7.2% in 2024. Imports fell 3.5% in 2023.")
    calls = []
    monkeypatch.setattr(labelstudio, "client", lambda: pytest.fail("an ls client was given"))
    monkeypatch.setattr(labelstudio, "setup_project", lambda ls, title, db: calls.append(("setup", title)) or 7)

    def push(db, ls, project_id, *, progress=None, index=None, **options):
        calls.append(("push", project_id, index, options))
        if progress:
            progress(2)
        return labelstudio.PushReport(sent=2)

    monkeypatch.setattr(labelstudio, "push", push)

    class Model:
        version = "cw-fake"

        def score(self, texts, langs):
            return [0.9] * len(texts)

    stages = _Stages()
    project_id, report = labelstudio.push_claims(db, object(), title="t", limit=5, rescore_with=Model(),
                                                 progress=stages)
    assert project_id == 7 and report.sent == 2 and report.rescored == 2
    assert stages.stages == [("pushing", None)] and stages.advanced == 2
    assert calls[0] == ("setup", "t") and calls[1][2] is None  # nothing checked yet: no index to pre-fill from
    assert calls[1][3] == {"limit": 5, "min_score": None, "order": "uncertainty"}
    assert {r[0] for r in db.execute("select model_version from claims where is_claim = 1")} == {"cw-fake"}
    claim_id = db.execute("select id from claims where is_claim = 1").fetchone()[0]
    _verdict(db, claim_id, "supported", 1, "a@x")
    labelstudio.push_claims(db, object())
    assert isinstance(calls[-1][2], ClaimIndex)
    labelstudio.push_claims(db, object(), match=False)
    assert calls[-1][2] is None
    monkeypatch.setattr(labelstudio, "pull",
                        lambda db, ls, project_id, full=False: labelstudio.PullReport(tasks=int(full)))
    assert labelstudio.pull_project(db, object(), full=True) == (7, labelstudio.PullReport(tasks=1))


@pytest.mark.issue(15)
@pytest.mark.model  # the e5 encoder
def test_retrain_reports_each_step_and_defaults_to_the_annotations_folder(tmp_path, monkeypatch):
    from factcheck.model import registry
    from factcheck.model.evaluate import diff_versions
    from factcheck.model.retrain import retrain
    from factcheck.review import labelstudio

    from .test_classifier import write_slice
    from .test_retrain import _verdict as export_task

    models = tmp_path / "models"
    models.mkdir()
    annotations = tmp_path / "annotations"
    annotations.mkdir()
    monkeypatch.setenv("FACTCHECK_MODELS", str(models))
    monkeypatch.setenv("FACTCHECK_ANNOTATIONS", str(annotations))
    for name in ("zh_checkworthy.jsonl", "en_checkworthy.jsonl"):
        write_slice(annotations / name, per_lang=40)
    db = _store(tmp_path, (EXAMPLES / "zh_economy.txt").read_text("utf-8"))
    claims = [SimpleNamespace(claim_id=r[0], sentence=r[1]) for r in db.execute(
        "select c.id, s.text from claims c join sentences s on s.id = c.sentence_id "
        "where c.is_claim = 1 order by c.id limit 16")]
    labelstudio.import_export(db, [export_task(i, c, "not a claim" if i % 2 else "refuted")
                                   for i, c in enumerate(claims)])
    monkeypatch.setattr(labelstudio, "pull_project",
                        lambda db, ls, title: (3, labelstudio.PullReport(tasks=16, verdicts=16)))
    steps, stages = [], _Stages()
    report = retrain(db, seed=13, progress=stages, on_step=lambda step, r: steps.append((step, r.snapshot)))
    assert [s for s, _ in steps] == ["pulled", "snapshot", "training", "trained"]
    assert steps[0][1] is None and steps[1][1] == report.snapshot and report.snapshot.exists()
    assert (report.pulled, report.project_id, report.current) == (16, 3, None)
    assert report.promoted and report.refusal is None and registry.promoted_version(models) == report.version
    assert str(annotations / "zh_checkworthy.jsonl") in report.candidate["data"]  # not the checkout's annotations
    assert report.plot.read_bytes()[:4] == b"\x89PNG" and report.rows
    assert stages.stages and all(isinstance(total, int) for _, total in stages.stages)
    same = diff_versions(report.version, report.version)  # by default the annotations folder's sentences
    lines = sum(len((annotations / n).read_text("utf-8").splitlines()) for n in ("zh_checkworthy.jsonl",
                                                                                 "en_checkworthy.jsonl"))
    assert same.flips == [] and same.compared + same.left_out == lines and same.fixed == 0
