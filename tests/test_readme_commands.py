"""Every `factcheck …` command in README.md's code blocks runs as written (issue 18).

Commands are read from the README itself, so a command added there is tested here:

- every one parses against the CLI (its command path and its options), on a real store;
- the walkthrough's commands run in order on a temporary store (``$ export
  FACTCHECK_DB=/tmp/walk.db`` becomes a temporary path): extract, search, verdicts,
  import, export, match, and ``factcheck serve``, which must answer HTTP;
- the Label Studio ones (``labelstudio start``, ``push``, ``pull``) run against the real
  server of ``tests/labelstudio_fixtures.py``.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

import click
import pytest
from click.testing import CliRunner

from factcheck.cli import cli

from .conftest import REPO
from .labelstudio_fixtures import ls_server  # noqa: F401

#: Commands that need a Label Studio server, and commands that run until stopped.
NEEDS_LABELSTUDIO = {("labelstudio", "start"), ("push",), ("pull",), ("labelstudio", "webhook"),
                     ("labelstudio", "setup"), ("labelstudio", "login")}
RUNS_UNTIL_STOPPED = {("serve",), ("labelstudio", "webhook")}
NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def readme_commands(text: str | None = None) -> list[list[str]]:
    """The arguments of each ``factcheck …`` command in the README's code blocks, in order
    (``$ `` prompts and ``# comments`` dropped)."""
    text = text if text is not None else (REPO / "README.md").read_text("utf-8")
    commands = []
    for block in re.findall(r"^```[^\n]*\n(.*?)^```", text, re.S | re.M):
        for line in block.splitlines():
            line = line.strip().removeprefix("$ ")
            if line.startswith("factcheck "):
                words = shlex.split(line, comments=True)
                commands.append(words[1:])
    return commands


def command_path(args: list[str]) -> tuple[str, ...]:
    """The subcommand names at the start of ``args`` (``labelstudio start``, ``verdicts import``)."""
    path, group = [], cli
    for word in args:
        if not isinstance(group, click.Group) or word not in group.commands:
            break
        path.append(word)
        group = group.commands[word]
    return tuple(path)


def parse(args: list[str]) -> click.Command:
    """Parse ``args`` as the CLI would, down to the command, without running it; raises
    click.UsageError for an unknown command or option or a missing required one."""
    ctx = cli.make_context("factcheck", list(args))
    command: click.Command = cli
    while isinstance(command, click.Group):
        remaining = [*ctx._protected_args, *ctx.args]
        if not remaining and command.invoke_without_command:  # `factcheck verdicts` lists verdicts
            break
        name, sub, rest = command.resolve_command(ctx, remaining)
        assert sub is not None, f"no command {name!r} in {args}"
        ctx = sub.make_context(name, rest, parent=ctx)
        command = sub
    return command


def test_the_readme_has_commands_in_its_code_blocks():
    commands = readme_commands()
    assert len(commands) >= 10
    assert ["search", "原油出口", "--since", "2019"] in commands
    assert readme_commands("```console\n$ factcheck pull   # a comment\n```\n") == [["pull"]]


@pytest.mark.parametrize("args", readme_commands(), ids=lambda a: " ".join(a)[:60])
def test_every_readme_command_parses_against_the_cli(args, walk_store, monkeypatch):
    monkeypatch.chdir(REPO)  # the README's paths are the checkout's
    monkeypatch.setenv("FACTCHECK_DB", str(walk_store))
    assert command_path(args), f"not a factcheck command: {args}"
    parse(args)


@pytest.fixture(scope="module")
def walk_store(tmp_path_factory):
    """A store as the walkthrough's first command leaves it (the example articles)."""
    path = tmp_path_factory.mktemp("walk") / "walk.db"
    result = CliRunner().invoke(cli, ["extract", str(REPO / "examples"), "--db", str(path), "--format", "summary",
                                      "--model", "none"])  # rules only: parsing needs a store, not a model
    assert result.exit_code == 0, result.output
    return path


def _serve_answers(args: list[str], env: dict) -> None:
    """``factcheck serve`` as written answers HTTP; on a taken port (another server on
    8001), the same command on a free port."""
    def start(extra):
        return subprocess.Popen([sys.executable, "-m", "factcheck", *args, *extra], cwd=REPO, env=env,
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    proc = start([])
    try:
        deadline = time.monotonic() + 60
        url = None
        while url is None:
            if proc.poll() is not None:
                err = proc.stderr.read()
                proc.stderr.close()
                assert "[F802]" in err, err  # only a busy port may stop it
                proc = start(["--port", "0"])
                continue
            line = proc.stderr.readline()
            found = re.search(r"read-only at (http://\S+)", line)
            url = found.group(1) if found else None
            assert time.monotonic() < deadline, "factcheck serve did not start within 60 s"
        while True:  # the message comes when the port is bound, just before uvicorn listens
            try:
                with NO_PROXY.open(url, timeout=10) as response:
                    assert response.status == 200 and "Start here" in response.read().decode()
                    break
            except (urllib.error.URLError, ConnectionError):
                assert time.monotonic() < deadline, "factcheck serve did not answer within 60 s"
                time.sleep(0.2)
    finally:
        proc.send_signal(signal.SIGINT)
        code = proc.wait(timeout=15)
        err = proc.stderr.read()
        proc.stderr.close()
        assert code == 0, err


@pytest.mark.model  # extract scores with the promoted model; match embeds with the encoder
@pytest.mark.slow
def test_the_walkthrough_runs_as_written(tmp_path, monkeypatch):
    monkeypatch.chdir(REPO)
    env = {**os.environ, "FACTCHECK_DB": str(tmp_path / "walk.db")}
    monkeypatch.setenv("FACTCHECK_DB", env["FACTCHECK_DB"])
    runner = CliRunner()
    ran = []
    for args in readme_commands():
        path = command_path(args)
        if path in NEEDS_LABELSTUDIO:
            continue  # test_the_label_studio_commands_run_against_a_real_server
        if path in RUNS_UNTIL_STOPPED:
            _serve_answers(args, env)
            ran.append(path)
            continue
        result = runner.invoke(cli, args, catch_exceptions=False)
        assert result.exit_code == 0, (args, result.output)
        ran.append(path)
        if path == ("verdicts", "import"):
            report = json.loads(result.stdout.splitlines()[0])
            assert report["verdicts"] >= 1 and report["invalid"] == 0 and report["unknown_claims"] == 0
        if path == ("search",) and args[1] == "原油出口":
            assert "原油" in result.stdout and "claims" in result.stderr + result.stdout
        if path == ("export",):
            assert json.loads(result.stdout)[0]["@type"] == "ClaimReview"
    assert {("extract",), ("search",), ("verdicts",), ("verdicts", "import"), ("export",), ("serve",),
            ("match",)} <= set(ran)


@pytest.mark.labelstudio
@pytest.mark.model
@pytest.mark.slow
def test_the_label_studio_commands_run_against_a_real_server(ls_server, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.chdir(REPO)
    monkeypatch.setenv("FACTCHECK_DB", str(tmp_path / "walk.db"))
    monkeypatch.setenv("FACTCHECK_LABELSTUDIO_CONFIG", str(ls_server.config_path))
    runner = CliRunner()
    extracted = runner.invoke(cli, ["extract", "examples/zh_energy_sanctions.md", "--format", "summary"])
    assert extracted.exit_code == 0, extracted.output
    ran = set()
    for args in readme_commands():
        path = command_path(args)
        if path not in NEEDS_LABELSTUDIO or path in RUNS_UNTIL_STOPPED:
            continue
        result = runner.invoke(cli, args, catch_exceptions=False)
        assert result.exit_code == 0, (args, result.output)
        ran.add(path)
        if path == ("labelstudio", "start"):
            assert "already running" in result.output and ls_server.url in result.output
    assert {("labelstudio", "start"), ("push",), ("pull",)} <= ran


def test_evaluate_takes_data_as_the_docs_write_it():
    """``--data A B`` as docs/models.md writes it, and ``--data A --data B``."""
    for args in (["evaluate", "--data", "a.jsonl", "b.jsonl", "--out", "x"],
                 ["evaluate", "--data", "a.jsonl", "--out", "x", "--data", "b.jsonl"],
                 ["evaluate", "--data=a.jsonl", "b.jsonl", "--out", "x"]):
        ctx = cli.make_context("factcheck", list(args))
        name, command, rest = cli.resolve_command(ctx, [*ctx._protected_args, *ctx.args])
        assert command.make_context(name, rest, parent=ctx).params["data_specs"] == ("a.jsonl", "b.jsonl")
    with pytest.raises(click.UsageError):
        parse(["evaluate", "--out", "x"])  # --data is still required

