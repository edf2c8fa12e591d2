"""The local Label Studio server's life cycle (factcheck.review.server).

Tests marked ``labelstudio`` run a real server (installed on first use); the
others check the pure helpers and the error paths that need no server.
"""

from __future__ import annotations

import json
import logging
import os
import re
import stat

import pytest

from factcheck.errors import CODES, LabelStudioError
from factcheck.review import server as lss

from .labelstudio_fixtures import DEFAULT_LABEL_CONFIG, install_server, ls_project, ls_server  # noqa: F401

TEXTS = [
    "Revenue rose 12% in 2024.",
    "截至2019年9月，伊朗石油出口降至不足13万桶/日。",
    "Costs fell 3% in 2023.",
]


def _closed_port_url() -> str:
    return f"http://127.0.0.1:{lss._free_port()}"


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --- no server needed -----------------------------------------------------------------------


def test_parse_bound_url_reads_the_last_start_line():
    log = (
        "*** WARNING! ***\n* Port 8080 is in use.\n* Trying to start at 8081\n"
        "Starting development server at http://127.0.0.1:8081/\nQuit the server with CONTROL-C.\n"
    )
    assert lss.parse_bound_url(log) == "http://127.0.0.1:8081"
    assert lss.parse_bound_url(log + "Starting development server at http://127.0.0.1:9000/\n") == "http://127.0.0.1:9000"
    assert lss.parse_bound_url("Performing system checks...\n") is None


def test_server_env_is_whitelisted(tmp_path):
    ours = {
        "PATH": "/usr/bin", "HOME": "/home/me", "LANG": "C.UTF-8", "USERNAME": "me", "PASSWORD": "hunter2",
        "HOST": "example.org", "PORT": "1", "DEBUG": "1", "LABEL_STUDIO_URL": "http://remote",
        "LABEL_STUDIO_API_KEY": "remote-key", "AWS_SECRET_ACCESS_KEY": "x",
    }
    env = lss.server_env(tmp_path, credentials=("u@x.local", "pw-123456", "k" * 40), base=ours)
    assert {"USERNAME", "PASSWORD", "HOST", "PORT", "DEBUG", "LABEL_STUDIO_URL", "LABEL_STUDIO_API_KEY",
            "AWS_SECRET_ACCESS_KEY"}.isdisjoint(env)
    assert env["PATH"] == "/usr/bin" and env["HOME"] == "/home/me" and env["LANG"] == "C.UTF-8"
    assert env["LABEL_STUDIO_USERNAME"] == "u@x.local" and env["LABEL_STUDIO_USER_TOKEN"] == "k" * 40
    assert env["LABEL_STUDIO_BASE_DATA_DIR"] == str(tmp_path)
    assert env["LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN"] == "true" and env["SSRF_PROTECTION_ENABLED"] == "false"
    assert "LABEL_STUDIO_PASSWORD" not in lss.server_env(tmp_path, base=ours)  # the template gets no user
    argv = lss.server_command(tmp_path / "label-studio", tmp_path, 8123)
    assert "pw-123456" not in argv and argv[argv.index("--internal-host") + 1] == "127.0.0.1"


def test_credentials_are_random_and_fit_drf_tokens():
    (user1, pw1, key1), (_, pw2, key2) = lss.new_credentials(), lss.new_credentials()
    assert "@" in user1 and pw1 != pw2 and key1 != key2
    assert re.fullmatch(r"[0-9a-f]{40}", key1)


def test_config_round_trip_is_private(tmp_path):
    path = tmp_path / "cfg" / "labelstudio.json"
    config = lss.ServerConfig(url="http://127.0.0.1:1", port=1, password="pw-secret", api_key="key-secret",
                              data_dir=str(tmp_path), pid=None)
    lss.save_config(config, path)
    assert _mode(path) == 0o600 and _mode(path.parent) == 0o700
    assert lss.load_config(path) == config
    assert "secret" not in repr(config)
    path.chmod(0o644)
    lss.load_config(path)
    assert _mode(path) == 0o600
    assert list(path.parent.iterdir()) == [path]  # no temporary file left behind


def test_malformed_config_is_a_clear_error(tmp_path):
    path = tmp_path / "labelstudio.json"
    path.write_text("[1, 2", "utf-8")
    with pytest.raises(LabelStudioError, match="factcheck labelstudio start") as info:
        lss.load_config(path)
    assert info.value.code == "F406" and str(path) in str(info.value)


def test_down_server_errors_name_the_start_command(tmp_path):
    missing = tmp_path / "missing.json"
    with pytest.raises(LabelStudioError, match="`factcheck labelstudio start`") as info:
        lss.connect(config_path=missing, environ={})
    assert info.value.code == "F401" and str(missing) in str(info.value)

    dead = tmp_path / "dead.json"
    lss.save_config(lss.ServerConfig(url=_closed_port_url(), api_key="k" * 40, password="p"), dead)
    with pytest.raises(LabelStudioError, match="not answering.*`factcheck labelstudio start`") as info:
        lss.connect(config_path=dead, environ={})
    assert info.value.code == "F401"

    remote = {"LABEL_STUDIO_URL": _closed_port_url(), "LABEL_STUDIO_API_KEY": "k" * 40}
    with pytest.raises(LabelStudioError, match="LABEL_STUDIO_URL.*`factcheck labelstudio start`"):
        lss.connect(config_path=dead, environ=remote)
    assert lss.status(config_path=dead)["running"] is False


def test_connect_needs_both_environment_variables(tmp_path):
    with pytest.raises(LabelStudioError, match="LABEL_STUDIO_API_KEY is not set") as info:
        lss.connect(config_path=tmp_path / "x.json", environ={"LABEL_STUDIO_URL": "http://127.0.0.1:1"})
    assert info.value.code == "F409"


def test_stop_never_signals_a_recycled_pid(tmp_path):
    path = tmp_path / "labelstudio.json"
    lss.save_config(lss.ServerConfig(url=_closed_port_url(), data_dir=str(tmp_path), pid=os.getpid()), path)
    assert lss.stop(config_path=path) is False  # our own pid is not a label-studio process: left alone
    assert lss.load_config(path).pid is None
    assert lss.stop(config_path=path) is False


def test_start_without_the_server_venv_says_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv(lss.VENV_ENV, str(tmp_path / "no-venv"))
    with pytest.raises(LabelStudioError, match="scripts/install-labelstudio.sh") as info:
        lss.start(data_dir=tmp_path / "data", config_path=tmp_path / "c.json")
    assert info.value.code == "F405"


def test_error_codes_are_catalogued():
    assert {f"F40{i}" for i in range(1, 10)} <= set(CODES)


# --- a real server ----------------------------------------------------------------------------


@pytest.mark.labelstudio
def test_start_status_import_stop_restart(tmp_path, caplog):
    from label_studio_sdk import LabelStudio

    install_server()
    caplog.set_level(logging.DEBUG)
    path = tmp_path / "labelstudio.json"
    info = lss.start(data_dir=tmp_path / "data", config_path=path)
    try:
        assert not info.reused and info.url.startswith("http://127.0.0.1:")
        state = lss.status(config_path=path)
        assert state["running"] and state["url"] == info.url and state["pid"] == info.pid
        assert re.fullmatch(r"\d+\.\d+\.\d+", state["version"])
        url, api_key = lss.connect(config_path=path, environ={})
        client = LabelStudio(base_url=url, api_key=api_key)
        project = client.projects.create(title="lifecycle", label_config=DEFAULT_LABEL_CONFIG)
        client.projects.import_tasks(id=project.id, request=[{"text": text} for text in TEXTS])
        assert sorted(task.data["text"] for task in client.tasks.list(project=project.id)) == sorted(TEXTS)
    finally:
        assert lss.stop(config_path=path) is True
    state = lss.status(config_path=path)
    assert state["running"] is False and state["pid"] is None and state["version"] is None
    assert not lss.is_answering(info.url)
    with pytest.raises(LabelStudioError, match="`factcheck labelstudio start`"):
        lss.connect(config_path=path, environ={})

    booting = lss.start(config_path=path, wait=False)  # restart on the same data dir: same user, same data
    try:
        assert not booting.reused and booting.data_dir == info.data_dir
        again = lss.start(config_path=path)  # waits for the booting server instead of launching another
        assert again.reused and again.pid == booting.pid and again.api_key == info.api_key
        client = LabelStudio(base_url=again.url, api_key=again.api_key)
        assert [p.title for p in client.projects.list()] == ["lifecycle"]
    finally:
        lss.stop(config_path=path)

    password = lss.load_config(path).password
    assert info.api_key not in caplog.text and password not in caplog.text
    for log in info.data_dir.glob("labelstudio.log*"):
        text = log.read_text("utf-8", errors="replace")
        assert info.api_key not in text and password not in text


@pytest.mark.labelstudio
def test_start_twice_reuses_the_running_server(ls_server):  # noqa: F811
    again = lss.start(config_path=ls_server.config_path)
    assert again.reused and again.pid == ls_server.info.pid and again.url == ls_server.url
    with pytest.raises(LabelStudioError, match="already running") as info:
        lss.start(port=ls_server.info.port + 1, config_path=ls_server.config_path)
    assert info.value.code == "F408"
    assert lss.status(config_path=ls_server.config_path)["pid"] == ls_server.info.pid


@pytest.mark.labelstudio
def test_config_is_private_and_secrets_stay_out_of_logs_and_status(ls_server, caplog):  # noqa: F811
    caplog.set_level(logging.DEBUG)
    path = ls_server.config_path
    assert _mode(path) == 0o600
    saved = json.loads(path.read_text("utf-8"))
    secrets = [saved["api_key"], saved["password"]]
    assert saved["api_key"] == ls_server.api_key and saved["pid"] == ls_server.info.pid

    state = lss.status(config_path=path)
    lss.start(config_path=path)
    lss.connect(config_path=path, environ={})
    shown = json.dumps(state) + repr(ls_server) + repr(ls_server.info) + caplog.text
    assert state["username"] and state["config_path"] == str(path)
    assert not any(secret in shown for secret in secrets)
    server_log = ls_server.info.log_path.read_text("utf-8", errors="replace")
    assert "Starting development server" in server_log
    assert not any(secret in server_log for secret in secrets)


@pytest.mark.labelstudio
def test_wrong_token_is_a_clear_error(ls_server, tmp_path):  # noqa: F811
    remote = {"LABEL_STUDIO_URL": ls_server.url + "/", "LABEL_STUDIO_API_KEY": "0" * 40}
    with pytest.raises(LabelStudioError, match="rejected the API key from LABEL_STUDIO_API_KEY.*HTTP 401") as info:
        lss.connect(environ=remote)
    assert info.value.code == "F402"

    config = lss.load_config(ls_server.config_path)
    config.api_key = "1" * 40
    wrong = tmp_path / "wrong.json"
    lss.save_config(config, wrong)
    with pytest.raises(LabelStudioError, match=re.escape(str(wrong))) as info:
        lss.connect(config_path=wrong, environ={})
    assert info.value.code == "F402" and "1" * 40 not in str(info.value)


@pytest.mark.labelstudio
@pytest.mark.filterwarnings("ignore:The `parse_obj` method is deprecated")  # inside the SDK's token refresh
def test_connect_prefers_the_environment_and_accepts_a_personal_access_token(ls_server, tmp_path):  # noqa: F811
    from label_studio_sdk import LabelStudio

    assert lss.connect(config_path=ls_server.config_path, environ={}) == (ls_server.url, ls_server.api_key)
    client = LabelStudio(base_url=ls_server.url, api_key=ls_server.api_key)
    pat = client.tokens.create().token  # a JWT refresh token
    remote = {"LABEL_STUDIO_URL": ls_server.url, "LABEL_STUDIO_API_KEY": pat}
    assert lss.connect(config_path=tmp_path / "none.json", environ=remote) == (ls_server.url, pat)


@pytest.mark.labelstudio
def test_ls_project_takes_tasks(ls_project):  # noqa: F811
    client = ls_project.client
    client.projects.import_tasks(id=ls_project.id, request=[{"text": text} for text in TEXTS])
    tasks = list(client.tasks.list(project=ls_project.id))
    assert sorted(task.data["text"] for task in tasks) == sorted(TEXTS)


@pytest.mark.labelstudio
@pytest.mark.issue(18)
def test_login_prints_what_logs_in_without_opening_files(ls_server):  # noqa: F811
    from click.testing import CliRunner

    from factcheck.cli import cli

    result = CliRunner().invoke(cli, ["labelstudio", "login"],
                                env={"FACTCHECK_LABELSTUDIO_CONFIG": str(ls_server.config_path)})
    assert result.exit_code == 0, result.output
    printed = dict(line.split(":", 1) for line in result.stdout.splitlines())
    saved = json.loads(ls_server.config_path.read_text())
    assert printed["URL"].strip() == f"{ls_server.url}/user/login/"
    assert (printed["username"].strip(), printed["password"].strip()) == (saved["username"], saved["password"])
    assert "not running" not in result.output


def test_login_without_a_server_says_how_to_start_one(tmp_path):
    from click.testing import CliRunner

    from factcheck.cli import cli

    result = CliRunner().invoke(cli, ["labelstudio", "login"],
                                env={"FACTCHECK_LABELSTUDIO_CONFIG": str(tmp_path / "none.json")})
    assert result.exit_code == 1 and "F401" in result.output and "factcheck labelstudio start" in result.output
