"""The local Label Studio server: install check, start, stop, status, connect.

Label Studio 1.23 pins dozens of packages, so the server lives in its own venv,
``.venv-labelstudio`` (``scripts/install-labelstudio.sh``), and factcheck talks
to it over HTTP with ``label-studio-sdk``. One server per user is described by a
JSON config file, ``~/.config/factcheck/labelstudio.json`` (or
``$FACTCHECK_LABELSTUDIO_CONFIG``), written with mode 0600::

    {"url": "http://127.0.0.1:8093", "port": 8093, "username": "admin@factcheck.local",
     "password": "...", "api_key": "...", "data_dir": "/home/me/.local/share/factcheck/labelstudio",
     "pid": 12345}

The password and API key are generated on first start (``secrets``) and are
never logged; ``status()`` reports the URL, the username and the config path.

In Python::

    from factcheck.review import server as lss
    info = lss.start()              # reuses a running server
    url, api_key = lss.connect()    # LABEL_STUDIO_URL/LABEL_STUDIO_API_KEY win over the config
    lss.stop()

``connect()`` accepts a legacy token or a personal access token (a JWT refresh
token) in ``LABEL_STUDIO_API_KEY``; ``label_studio_sdk.LabelStudio`` exchanges a
PAT for access tokens itself, so callers pass the key on unchanged.

Traps handled here (measured on 1.23.2):

- ``label-studio --version`` and ``--help`` start a server, so the version is
  read from ``/api/version/`` (never ``/version/``: for a superuser that page
  dumps the Django settings, secret key included).
- The server reads unprefixed variables (``USERNAME``, ``PASSWORD``, ``HOST``,
  ``PORT``, ``DEBUG``), so it gets a whitelisted environment, not ours.
- A busy port is skipped silently: the bound address is read from the
  "Starting development server at ..." line of the log.
- The first start runs every Django migration (~40 s on 2 cores); a data dir
  copied from a template made once by ``label-studio init`` starts in a few
  seconds. The template has no user and no ``.env`` (its SECRET_KEY signs
  JWTs), so each data dir gets its own user and key.
"""

from __future__ import annotations

import dataclasses
import fcntl
import hashlib
import json
import logging
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from factcheck import settings
from factcheck.errors import LabelStudioError

logger = logging.getLogger(__name__)

CONFIG_ENV = "FACTCHECK_LABELSTUDIO_CONFIG"
VENV_ENV = "FACTCHECK_LABELSTUDIO_VENV"
HOST = "127.0.0.1"
DEFAULT_USERNAME = "admin@factcheck.local"
DB_NAME = "ls.sqlite3"
LOG_NAME = "labelstudio.log"
START_HINT = "factcheck labelstudio start"
INSTALL_HINT = "bash scripts/install-labelstudio.sh"

#: Variables copied from our environment into the server's; nothing else leaks in.
PASSED_ENV = ("PATH", "HOME", "LANG", "TMPDIR")

#: Fixed settings for a quiet, offline, single-user server.
SERVER_ENV = {
    "DJANGO_DB": "sqlite",
    "PYTHONUNBUFFERED": "1",  # the "Starting development server" line must reach the log at once
    "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true",  # without it the fixed token gets 401
    "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "true",
    "LATEST_VERSION_CHECK": "false",
    "COLLECT_ANALYTICS": "false",
    "SENTRY_DSN": "",
    "FRONTEND_SENTRY_DSN": "",
    "SSRF_PROTECTION_ENABLED": "false",  # webhooks to 127.0.0.1
}

_BOUND_RE = re.compile(r"Starting development server at (https?://[^\s/]+)")
_STOP_WAIT_S = 15.0

# Popen objects of servers this process started, so stop() can reap them
# instead of leaving zombies that still look alive to os.kill(pid, 0).
_children: dict[int, subprocess.Popen[bytes]] = {}


@dataclass
class ServerConfig:
    """What the config file holds. ``pid`` is None when no server is running."""

    url: str | None = None
    port: int | None = None
    username: str = DEFAULT_USERNAME
    password: str = dataclasses.field(default="", repr=False)  # secrets stay out of logs and tracebacks
    api_key: str = dataclasses.field(default="", repr=False)
    data_dir: str | None = None
    pid: int | None = None


@dataclass(frozen=True)
class ServerInfo:
    """A running (or, with ``wait=False``, starting) server, as ``start()`` returns it."""

    url: str
    port: int
    pid: int
    username: str
    api_key: str = dataclasses.field(repr=False)
    data_dir: Path
    log_path: Path
    config_path: Path
    reused: bool = False


# --- pure helpers ---------------------------------------------------------------------------


default_config_path = settings.labelstudio_config
def default_data_dir(environ: Mapping[str, str] | None = None) -> Path:
    """``$XDG_DATA_HOME/factcheck/labelstudio`` (``~/.local/share/...`` by default)."""
    return settings.data_home(environ) / "factcheck" / "labelstudio"


cache_dir = settings.cache_dir
venv_dir = settings.labelstudio_venv


def new_credentials() -> tuple[str, str, str]:
    """A fresh ``(username, password, api_key)``; the key is 40 hex characters (DRF's Token length)."""
    return DEFAULT_USERNAME, secrets.token_urlsafe(18), secrets.token_hex(20)


def server_env(
    data_dir: Path, *, credentials: tuple[str, str, str] | None = None, base: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The whitelisted environment for the server (``label-studio start`` or ``init``)."""
    base = os.environ if base is None else base
    env = {name: base[name] for name in PASSED_ENV if name in base}
    env.setdefault("PATH", "/usr/bin:/bin")
    env.update(SERVER_ENV)
    env["LABEL_STUDIO_BASE_DATA_DIR"] = str(data_dir)
    if credentials is not None:
        username, password, api_key = credentials
        # Passed in the environment, not as --password: /proc/PID/environ is private to us, argv is not.
        env.update(LABEL_STUDIO_USERNAME=username, LABEL_STUDIO_PASSWORD=password, LABEL_STUDIO_USER_TOKEN=api_key)
    return env


def server_command(label_studio: Path, data_dir: Path, port: int | None = None, *, command: str = "start") -> list[str]:
    """The argv for ``label-studio start`` (or ``init``) on 127.0.0.1 with a SQLite file in ``data_dir``."""
    argv = [str(label_studio), command, "--data-dir", str(data_dir), "-db", str(data_dir / DB_NAME)]
    if command == "init":
        return [*argv, "--quiet"]  # no user, no prompt: the template must not hold credentials
    return [*argv, "--no-browser", "--internal-host", HOST, "--port", str(port), "--enable-legacy-api-token"]


def parse_bound_url(log_text: str) -> str | None:
    """The address from the last "Starting development server at http://HOST:PORT/" line, or None."""
    found = _BOUND_RE.findall(log_text)
    return found[-1] if found else None


def tail(text: str, lines: int = 20) -> str:
    """The last ``lines`` lines of ``text``."""
    return "\n".join(text.splitlines()[-lines:])


def load_config(path: Path | None = None) -> ServerConfig | None:
    """Read the config file; None if it does not exist."""
    path = path or default_config_path()
    try:
        raw = path.read_text("utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise LabelStudioError(f"Cannot read the Label Studio config {str(path)!r}: {exc}.", code="F406") from exc
    try:
        data = json.loads(raw)
        fields = {f.name for f in dataclasses.fields(ServerConfig)}
        config = ServerConfig(**{k: v for k, v in data.items() if k in fields})
    except (ValueError, TypeError, AttributeError) as exc:
        raise LabelStudioError(
            f"The Label Studio config {str(path)!r} is not a JSON object with url, username, password, api_key, "
            f"data_dir, pid and port ({exc}). Delete it and run `{START_HINT}` to write a new one "
            "(the server's data dir keeps the projects, but its admin token will then have to be reset).",
            code="F406",
        ) from exc
    if path.stat().st_mode & 0o077:
        logger.warning("Tightening permissions of %s to 0600 (it holds the Label Studio password)", path)
        path.chmod(0o600)
    return config


def save_config(config: ServerConfig, path: Path | None = None) -> Path:
    """Write the config atomically with mode 0600 (its directory 0700 when created here)."""
    path = path or default_config_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)  # mkstemp creates it 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(dataclasses.asdict(config), out, indent=2)
            out.write("\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


# --- process and HTTP edges -----------------------------------------------------------------


def _http_get(url: str, *, timeout: float = 2.0, api_key: str | None = None) -> tuple[int, bytes] | None:
    """``(status, body)`` of a GET, or None when nothing answers."""
    request = urllib.request.Request(url, headers={"Authorization": f"Token {api_key}"} if api_key else {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
    except (urllib.error.URLError, OSError, ValueError):
        return None


def is_answering(url: str, *, timeout: float = 2.0) -> bool:
    """True when ``GET url/health`` says the server is up."""
    answer = _http_get(f"{url}/health", timeout=timeout)
    return answer is not None and answer[0] == 200 and b"UP" in answer[1]


def server_version(url: str, api_key: str | None = None) -> str | None:
    """The server's release (``/api/version/``), or None if it does not say."""
    answer = _http_get(f"{url}/api/version/", api_key=api_key)
    if answer is None or answer[0] != 200:
        return None
    try:
        return str(json.loads(answer[1])["release"])
    except (ValueError, KeyError, TypeError):
        return None


def check_api_key(url: str, api_key: str, *, where: str) -> None:
    """Make one authenticated call (``whoami``) through the SDK, which also handles PATs.

    ``where`` names the place the key came from, for the error message.
    """
    import httpx
    from label_studio_sdk import LabelStudio
    from label_studio_sdk.core.api_error import ApiError

    try:
        LabelStudio(base_url=url, api_key=api_key, timeout=10).users.whoami()
    except ApiError as exc:
        if exc.status_code in (401, 403):
            raise LabelStudioError(
                f"Label Studio at {url} rejected the API key from {where} (HTTP {exc.status_code}: {exc.body}). "
                "Expected a legacy token or a personal access token of a user on that server. Fix the key, or "
                f"for the local server run `factcheck labelstudio stop` and `{START_HINT}`.",
                code="F402",
            ) from exc
        raise LabelStudioError(
            f"Label Studio at {url} answered HTTP {exc.status_code} to an authenticated call: {exc.body}.", code="F407"
        ) from exc
    except httpx.HTTPError as exc:
        raise LabelStudioError(
            f"Label Studio at {url} stopped answering ({exc.__class__.__name__}: {exc}). Run `{START_HINT}`.",
            code="F401",
        ) from exc


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        return sock.connect_ex((HOST, port)) != 0


def _process_args(pid: int) -> list[str] | None:
    """argv of ``pid`` (empty for a zombie), or None if there is no such process."""
    if Path("/proc/self/cmdline").exists():
        try:
            raw = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            return None
        return [part.decode(errors="replace") for part in raw.split(b"\0") if part]
    try:  # no /proc (macOS): ps splits on spaces, enough to find the program and the data dir
        out = subprocess.run(["ps", "-p", str(pid), "-o", "command="], capture_output=True, text=True, check=False)
    except OSError:
        return None
    return out.stdout.split() if out.returncode == 0 else None


def _is_our_server(pid: int | None, data_dir: str | None) -> bool:
    """True if ``pid`` is a live ``label-studio`` serving ``data_dir`` (a recycled pid is not)."""
    if not pid or not data_dir:
        return False
    args = _process_args(pid)
    if not args:
        return False
    return any("label-studio" in a for a in args) and str(data_dir) in args


def _wait_gone(pid: int, timeout: float) -> bool:
    child = _children.get(pid)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if child is not None and child.poll() is not None:
            return True
        if child is None and not _process_args(pid):
            return True
        time.sleep(0.1)
    return False


def _terminate(pid: int) -> None:
    """SIGTERM the server's process group (it runs in its own session), then SIGKILL."""
    for sig, wait in ((signal.SIGTERM, _STOP_WAIT_S), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(pid, sig)
        except ProcessLookupError:
            break
        if _wait_gone(pid, wait):
            break
    child = _children.pop(pid, None)
    if child is not None:
        child.wait(timeout=5)


def _label_studio_bin() -> Path:
    exe = venv_dir() / "bin" / "label-studio"
    if not exe.exists():
        raise LabelStudioError(
            f"The Label Studio server is not installed: {str(exe)!r} is missing. Run `{INSTALL_HINT}` "
            f"(it creates {venv_dir().name}/ with label-studio), then `{START_HINT}`.",
            code="F405",
        )
    return exe


def _template_dir(label_studio: Path) -> Path:
    """The template's path, keyed by the install stamp so an upgrade builds a new one."""
    stamp = label_studio.parent.parent / ".factcheck-installed"
    key = stamp.read_text("utf-8") if stamp.exists() else str(label_studio.resolve())
    return cache_dir() / "labelstudio-template" / hashlib.sha256(key.encode()).hexdigest()[:12]


def ensure_template(label_studio: Path | None = None, *, timeout: float = 600.0) -> Path:
    """A migrated, user-less data dir made once by ``label-studio init``; returns its path."""
    label_studio = label_studio or _label_studio_bin()
    template = _template_dir(label_studio)
    if (template / DB_NAME).exists():
        return template
    template.parent.mkdir(parents=True, exist_ok=True)
    build = Path(tempfile.mkdtemp(prefix="build-", dir=template.parent))
    log = build.parent / f"{build.name}.log"
    started = time.monotonic()
    try:
        with log.open("wb") as out:
            done = subprocess.run(
                server_command(label_studio, build, command="init"),
                env=server_env(build), stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                cwd=build, timeout=timeout, check=False,
            )
        if done.returncode != 0 or not (build / DB_NAME).exists():
            raise LabelStudioError(
                f"`label-studio init` failed (exit {done.returncode}) while building the template; last lines of "
                f"{log}:\n{tail(log.read_text('utf-8', 'replace'))}\nRe-run `{INSTALL_HINT}`, then `{START_HINT}`.",
                code="F404",
            )
        (build / ".env").unlink(missing_ok=True)  # its SECRET_KEY must not be shared by every copy
        try:
            build.rename(template)
        except OSError:  # another process finished first; keep theirs
            shutil.rmtree(build, ignore_errors=True)
    except subprocess.TimeoutExpired as exc:
        raise LabelStudioError(f"`label-studio init` took more than {timeout:.0f} s; see {log}.", code="F403") from exc
    finally:
        if build.exists():
            shutil.rmtree(build, ignore_errors=True)
    log.unlink(missing_ok=True)
    logger.info("Built the Label Studio template data dir %s in %.1f s", template, time.monotonic() - started)
    return template


def _seed_data_dir(data_dir: Path, label_studio: Path) -> None:
    """Copy the template into a data dir that has no database yet; log and go on if that fails."""
    if (data_dir / DB_NAME).exists():
        return
    try:
        template = ensure_template(label_studio)
    except LabelStudioError as exc:
        logger.warning("No Label Studio template (%s); the first start will run the migrations itself", exc)
        return
    shutil.copytree(template, data_dir, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".env", "*.log"))


@contextmanager
def _locked(config: Path) -> Iterator[None]:
    config.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with open(config.with_name(config.name + ".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _rotate_log(log_path: Path) -> None:
    if log_path.exists():
        log_path.replace(log_path.with_name(log_path.name + ".1"))


def _info(config: ServerConfig, path: Path, *, reused: bool) -> ServerInfo:
    assert config.url and config.port and config.pid and config.data_dir
    data_dir = Path(config.data_dir)
    return ServerInfo(
        url=config.url, port=config.port, pid=config.pid, username=config.username, api_key=config.api_key,
        data_dir=data_dir, log_path=data_dir / LOG_NAME, config_path=path, reused=reused,
    )


def _running(config: ServerConfig | None) -> bool:
    return (
        config is not None
        and _is_our_server(config.pid, config.data_dir)
        and config.url is not None
        and is_answering(config.url)
    )


# --- public life cycle ----------------------------------------------------------------------


def start(
    *,
    port: int | None = None,
    data_dir: str | Path | None = None,
    wait: bool = True,
    timeout: float = 240.0,
    config_path: Path | None = None,
) -> ServerInfo:
    """Start the local Label Studio server, or return the one already running.

    port: the port on 127.0.0.1 (default: the last one used if free, else any free port).
    data_dir: where the SQLite database, uploads and the log live
        (default: the config's, else ``default_data_dir()``).
    wait: poll ``/health`` until it answers and check the API key; with False,
        return as soon as the process is launched (``url`` is then the one asked for).
    timeout: seconds to wait for the server (a first start without a template runs ~40 s of migrations).
    config_path: the config file (default ``default_config_path()``).

    Raises LabelStudioError when the server is not installed (F405), exits (F404),
    does not answer in time (F403), rejects its API key (F402) or when a server
    with other settings is already running (F408).
    """
    path = config_path or default_config_path()
    wanted_dir = Path(data_dir).expanduser().resolve() if data_dir else None
    with _locked(path):  # two concurrent starts must not launch two servers
        config = load_config(path) or ServerConfig()
        if _is_our_server(config.pid, config.data_dir):
            return _reuse(config, path, port=port, data_dir=wanted_dir, wait=wait, timeout=timeout)
        return _launch(config, path, port=port, data_dir=wanted_dir, wait=wait, timeout=timeout)


def _reuse(
    config: ServerConfig, path: Path, *, port: int | None, data_dir: Path | None, wait: bool, timeout: float
) -> ServerInfo:
    """The server in ``config`` is alive: check it is the one asked for, wait for it if it is still booting."""
    assert config.pid and config.data_dir and config.url
    if (port is not None and port != config.port) or (data_dir is not None and str(data_dir) != config.data_dir):
        raise LabelStudioError(
            f"A Label Studio server is already running at {config.url} (pid {config.pid}, data dir "
            f"{config.data_dir}), not at port {port or config.port} with data dir {data_dir or config.data_dir}. "
            f"Run `factcheck labelstudio stop` first, or use another config file (${CONFIG_ENV}) for a second server.",
            code="F408",
        )
    if wait:
        if not is_answering(config.url):  # started with wait=False and still migrating, or hung
            config.url = _wait_ready(config.pid, Path(config.data_dir) / LOG_NAME, timeout)
            config.port = int(config.url.rsplit(":", 1)[1])
            save_config(config, path)
        check_api_key(config.url, config.api_key, where=f"the config {str(path)!r}")
    logger.info("Label Studio already running at %s (pid %s)", config.url, config.pid)
    return _info(config, path, reused=True)


def _launch(
    config: ServerConfig, path: Path, *, port: int | None, data_dir: Path | None, wait: bool, timeout: float
) -> ServerInfo:
    label_studio = _label_studio_bin()
    data_dir = data_dir or Path(config.data_dir or default_data_dir()).expanduser().resolve()
    if not config.api_key or not config.password:
        config.username, config.password, config.api_key = new_credentials()
    if port is None:
        port = config.port if config.port and _port_is_free(config.port) else _free_port()

    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    started = time.monotonic()
    _seed_data_dir(data_dir, label_studio)
    log_path = data_dir / LOG_NAME
    _rotate_log(log_path)
    credentials = (config.username, config.password, config.api_key)
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            server_command(label_studio, data_dir, port),
            env=server_env(data_dir, credentials=credentials),
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            cwd=data_dir, start_new_session=True,
        )
    _children[proc.pid] = proc
    config.pid, config.port, config.data_dir = proc.pid, port, str(data_dir)
    config.url = f"http://{HOST}:{port}"
    save_config(config, path)  # now `stop` can find a half-started server too
    logger.info("Starting Label Studio (pid %s, data dir %s, log %s)", proc.pid, data_dir, log_path)
    if not wait:
        return _info(config, path, reused=False)

    config.url = _wait_ready(proc.pid, log_path, timeout)
    config.port = int(config.url.rsplit(":", 1)[1])
    if config.port != port:
        logger.warning("Port %s was taken; Label Studio bound %s instead", port, config.url)
    save_config(config, path)
    check_api_key(
        config.url, config.api_key,
        where=f"the config {str(path)!r} (the data dir {data_dir} may belong to another config)",
    )
    logger.info("Label Studio is up at %s after %.1f s", config.url, time.monotonic() - started)
    return _info(config, path, reused=False)


def _wait_ready(pid: int, log_path: Path, timeout: float) -> str:
    """Poll the log for the bound address, then ``/health``; return the URL."""
    deadline = time.monotonic() + timeout
    url = None
    while True:
        text = log_path.read_text("utf-8", errors="replace") if log_path.exists() else ""
        url = url or parse_bound_url(text)
        if url and is_answering(url, timeout=1.0):
            return url
        child = _children.get(pid)
        if (child.poll() is not None) if child is not None else not _process_args(pid):
            _children.pop(pid, None)
            status = f" with status {child.returncode}" if child is not None else ""
            raise LabelStudioError(
                f"Label Studio exited{status} while starting. Last lines of {log_path}:\n{tail(text)}\n"
                f"Fix the cause, or re-install with `{INSTALL_HINT}`, then run `{START_HINT}`.",
                code="F404",
            )
        if time.monotonic() > deadline:
            _terminate(pid)
            raise LabelStudioError(
                f"Label Studio did not answer on {url or 'its port'} within {timeout:.0f} s, so it was stopped. "
                f"Last lines of {log_path}:\n{tail(text)}\nRetry `{START_HINT}` (a first start runs the migrations).",
                code="F403",
            )
        time.sleep(0.2)


def stop(*, config_path: Path | None = None) -> bool:
    """Stop the local server and clear its pid; True if one was running.

    A pid that now belongs to another process (after a reboot) is forgotten, not signalled.
    """
    path = config_path or default_config_path()
    config = load_config(path)
    if config is None or not config.pid:
        return False
    was_ours = _is_our_server(config.pid, config.data_dir)
    if was_ours:
        _terminate(config.pid)
        logger.info("Stopped Label Studio (pid %s)", config.pid)
    else:
        _children.pop(config.pid, None)
    config.pid = None
    save_config(config, path)
    return was_ours


def status(*, config_path: Path | None = None) -> dict[str, Any]:
    """The local server's state, without secrets.

    Keys: running, url, username, pid, version, data_dir, log_path, config_path,
    and env_url (``$LABEL_STUDIO_URL``, which ``connect()`` prefers when set).
    """
    path = config_path or default_config_path()
    config = load_config(path)
    running = _running(config)
    data_dir = config.data_dir if config else None
    return {
        "running": running,
        "url": config.url if config else None,
        "username": config.username if config else None,
        "pid": config.pid if config and running else None,
        "version": server_version(config.url, config.api_key) if running and config and config.url else None,
        "data_dir": data_dir,
        "log_path": str(Path(data_dir) / LOG_NAME) if data_dir else None,
        "config_path": str(path),
        "env_url": os.environ.get("LABEL_STUDIO_URL") or None,
    }


def login(*, config_path: Path | None = None) -> dict[str, Any]:
    """How to log in to the local server, password included, read from its config file
    (``factcheck labelstudio login`` prints it, so nobody opens the file).

    Keys: url, login_url, username, password, running, config_path.

    :raises LabelStudioError: F401 when no local server was ever started here.
    """
    path = config_path or default_config_path()
    config = load_config(path)
    if config is None or not config.url or not config.password:
        raise LabelStudioError(
            f"No local Label Studio login is known ({str(path)!r} is missing or has no password). Run "
            f"`{START_HINT}` first; for a remote server, ask its administrator for an account.", code="F401")
    return {"url": config.url, "login_url": f"{config.url}/user/login/", "username": config.username,
            "password": config.password, "running": _running(config), "config_path": str(path)}


def connect(*, config_path: Path | None = None, environ: Mapping[str, str] | None = None) -> tuple[str, str]:
    """``(url, api_key)`` of a Label Studio server that answers and accepts the key.

    ``LABEL_STUDIO_URL`` and ``LABEL_STUDIO_API_KEY`` (a remote server; a legacy
    token or a personal access token) win over the local config. Pass the pair
    to ``label_studio_sdk.LabelStudio(base_url=url, api_key=api_key)``.
    """
    env = os.environ if environ is None else environ
    env_url, env_key = env.get("LABEL_STUDIO_URL"), env.get("LABEL_STUDIO_API_KEY")
    if env_url or env_key:
        if not (env_url and env_key):
            missing = "LABEL_STUDIO_API_KEY" if env_url else "LABEL_STUDIO_URL"
            raise LabelStudioError(
                f"{missing} is not set but its partner is. Set both LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY for "
                f"a remote server, or unset both to use the local one (`{START_HINT}`).",
                code="F409",
            )
        parts = urllib.parse.urlsplit(env_url.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise LabelStudioError(
                f"LABEL_STUDIO_URL={env_url!r} is not an http(s) URL. Set it to the server's address with its "
                "scheme, e.g. LABEL_STUDIO_URL=http://localhost:8080, or unset LABEL_STUDIO_URL and "
                f"LABEL_STUDIO_API_KEY to use the local server (`{START_HINT}`).",
                code="F414",
            )
        url, api_key, where = env_url.strip().rstrip("/"), env_key, "LABEL_STUDIO_API_KEY"
        down = f"Check LABEL_STUDIO_URL, or unset LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY and run `{START_HINT}`."
    else:
        path = config_path or default_config_path()
        config = load_config(path)
        if config is None or not config.url or not config.api_key:
            raise LabelStudioError(
                f"No Label Studio server is configured ({str(path)!r} is missing or incomplete). Run `{START_HINT}`, "
                "or set LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY to use a remote server.",
                code="F401",
            )
        url, api_key, where = config.url, config.api_key, f"the config {str(path)!r}"
        down = f"Run `{START_HINT}`."
    if not is_answering(url):
        raise LabelStudioError(f"Label Studio is not answering at {url} (GET /health failed). {down}", code="F401")
    check_api_key(url, api_key, where=where)
    return url, api_key
