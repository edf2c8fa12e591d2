"""Fixtures for tests against a real Label Studio server.

Import them into a test module (pytest finds fixtures by name in the module;
``ls_project`` needs ``ls_server`` imported beside it)::

    from .labelstudio_fixtures import ls_project, ls_server  # noqa: F401

- ``ls_server`` (session): one server per test session, shared by every module
  that imports it, on a free port, with a
  fresh data dir and config file in a temporary directory; stopped at the end.
  It first runs ``install_server()``: ``scripts/install-labelstudio.sh``, instant
  when ``.venv-labelstudio`` is there; a failed install fails the test, never skips it.
- ``ls_project`` (function): a throwaway project, deleted afterwards. Override
  its labelling config with ``@pytest.mark.parametrize("ls_project", [XML], indirect=True)``.

Mark tests that use them with ``@pytest.mark.labelstudio``.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from factcheck.review import server as lss

REPO = Path(__file__).resolve().parent.parent

DEFAULT_LABEL_CONFIG = """<View>
  <Text name="text" value="$text"/>
  <Choices name="verdict" toName="text" choice="single">
    <Choice value="check-worthy"/>
    <Choice value="not check-worthy"/>
  </Choices>
</View>"""


@dataclass(frozen=True)
class LSServer:
    url: str
    api_key: str = field(repr=False)
    config_path: Path
    info: lss.ServerInfo


@dataclass(frozen=True)
class LSProject:
    client: Any  # label_studio_sdk.LabelStudio
    id: int
    project: Any


_installed: list[Path] = []


def install_server() -> Path:
    """The server's venv, installed if missing (once per session); a failed install fails the test."""
    if _installed:
        return _installed[0]
    script = REPO / "scripts" / "install-labelstudio.sh"
    done = subprocess.run(["bash", str(script)], capture_output=True, text=True, check=False, timeout=1800)
    if done.returncode != 0:
        errors = "\n".join(line for line in done.stderr.splitlines() if not line.startswith("WARNING:"))
        pytest.fail(
            f"{script} failed (exit {done.returncode}); the Label Studio tests need it.\n{lss.tail(errors, 30)}",
            pytrace=False,
        )
    _installed.append(lss.venv_dir())
    return _installed[0]


# pytest registers an imported fixture once per importing module, so a session
# fixture imported by two modules would start two servers; they share this one.
_shared: dict[str, Any] = {"server": None, "users": 0}


@pytest.fixture(scope="session")
def ls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LSServer]:
    if _shared["server"] is None:
        install_server()
        root = tmp_path_factory.mktemp("labelstudio")
        config = root / "labelstudio.json"
        info = lss.start(data_dir=root / "data", config_path=config)
        _shared["server"] = LSServer(url=info.url, api_key=info.api_key, config_path=config, info=info)
    _shared["users"] += 1
    try:
        yield _shared["server"]
    finally:
        _shared["users"] -= 1
        if _shared["users"] == 0:
            server, _shared["server"] = _shared["server"], None
            lss.stop(config_path=server.config_path)


@pytest.fixture
def ls_project(ls_server: LSServer, request: pytest.FixtureRequest) -> Iterator[LSProject]:
    from label_studio_sdk import LabelStudio

    client = LabelStudio(base_url=ls_server.url, api_key=ls_server.api_key)
    label_config = getattr(request, "param", DEFAULT_LABEL_CONFIG)
    project = client.projects.create(title=f"test {request.node.name}"[:50], label_config=label_config)
    assert project.id is not None
    try:
        yield LSProject(client=client, id=project.id, project=project)
    finally:
        client.projects.delete(id=project.id)
