"""Where factcheck keeps its files, and every environment variable it reads.

Each setting is a function that reads the environment when called (tests and the CLI
change it per run), with one default. The folders that travel with a project (the
versioned ``models/`` and the ``annotations/``) default to the checkout the package runs
from; an installed wheel, which has no checkout, uses the current directory instead.
Data the package itself needs (the gazetteer, the Label Studio labelling config) ships
inside it, under ``factcheck/data``.

:data:`SETTINGS` lists every variable with its default and meaning; the README's
configuration table is checked against it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"

#: (variable, default, what it sets): every environment variable factcheck reads.
SETTINGS: list[tuple[str, str, str]] = [
    ("FACTCHECK_DB", "./factcheck.db", "The SQLite store every command reads and writes (`--db` overrides it)."),
    ("FACTCHECK_MODELS", "the checkout's `models/`", "Versioned check-worthiness models and `promoted.json`."),
    ("FACTCHECK_ANNOTATIONS", "the checkout's `annotations/`",
     "Annotation snapshots (`snapshots/`) and annotators' corrections (`corrections/`) that `retrain` writes."),
    ("FACTCHECK_CACHE", "~/.cache/factcheck",
     "Built models (the e5 base, its ONNX export), embedding caches, the claim-vector index's build files."),
    ("FACTCHECK_ENCODER_BACKEND", "auto", "`auto` (ONNX Runtime when exported, else torch), `onnx` or `torch`."),
    ("FACTCHECK_ENCODER_PRECISION", "fp32", "`fp32` or `int8` (faster, loses some F1: docs/scaling.md)."),
    ("FACTCHECK_DEVICE", "auto", "Training device: `auto` (a CUDA GPU when torch sees one), `cpu`, `cuda`, `cuda:N`."),
    ("FACTCHECK_LABELSTUDIO_VENV", "the checkout's `.venv-labelstudio`",
     "The Label Studio server's own virtual environment."),
    ("FACTCHECK_LABELSTUDIO_CONFIG", "~/.config/factcheck/labelstudio.json",
     "Where `labelstudio start` writes the server's URL, login and API key."),
    ("LABEL_STUDIO_URL", "(from the config file)",
     "A Label Studio server of your own instead of the one factcheck starts."),
    ("LABEL_STUDIO_API_KEY", "(from the config file)", "Its API key (legacy token)."),
    ("FACTCHECK_WEBHOOK_SECRET", "(generated)", "Shared secret of `labelstudio webhook`."),
    ("FACTCHECK_PUBLISHER", "factcheck", "Who publishes the ClaimReview export (`export`): its publisher and the "
     "author of your annotators' reviews."),
    ("FACTCHECK_PUBLISHER_URL", "(none)", "The publisher's home page, in the ClaimReview export."),
    ("FACTCHECK_REVIEW_URL_BASE", "(none)", "A review's `url` in the ClaimReview export is this + the claim id "
     "(`--review-url-base` overrides it)."),
    ("XDG_DATA_HOME", "~/.local/share", "The Label Studio data folder is `$XDG_DATA_HOME/factcheck/labelstudio`."),
]


def _env(environ: Mapping[str, str] | None) -> Mapping[str, str]:
    return os.environ if environ is None else environ


def checkout() -> Path | None:
    """The source checkout the package runs from (``pip install -e``), or None for a wheel."""
    root = PACKAGE_DIR.parent
    return root if (root / "pyproject.toml").is_file() and (root / "models").is_dir() else None


def project_dir() -> Path:
    """The checkout, else the current directory: the default home of ``models/`` and ``annotations/``."""
    return checkout() or Path.cwd()


def db_path(environ: Mapping[str, str] | None = None) -> str:
    return _env(environ).get("FACTCHECK_DB") or "factcheck.db"


def models_dir(environ: Mapping[str, str] | None = None) -> Path:
    """``$FACTCHECK_MODELS``, else ``models/`` of the project."""
    env = _env(environ).get("FACTCHECK_MODELS")
    return Path(env).expanduser() if env else project_dir() / "models"


def annotations_dir(environ: Mapping[str, str] | None = None) -> Path:
    """``$FACTCHECK_ANNOTATIONS``, else ``annotations/`` of the project."""
    env = _env(environ).get("FACTCHECK_ANNOTATIONS")
    return Path(env).expanduser() if env else project_dir() / "annotations"


def cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    """``$FACTCHECK_CACHE`` or ``~/.cache/factcheck``."""
    env = _env(environ).get("FACTCHECK_CACHE")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "factcheck"


def labelstudio_venv(environ: Mapping[str, str] | None = None) -> Path:
    """``$FACTCHECK_LABELSTUDIO_VENV``, else ``.venv-labelstudio`` of the project."""
    env = _env(environ).get("FACTCHECK_LABELSTUDIO_VENV")
    return Path(env).expanduser() if env else project_dir() / ".venv-labelstudio"


def labelstudio_config(environ: Mapping[str, str] | None = None) -> Path:
    """``$FACTCHECK_LABELSTUDIO_CONFIG``, else ``~/.config/factcheck/labelstudio.json``."""
    env = _env(environ).get("FACTCHECK_LABELSTUDIO_CONFIG")
    return Path(env).expanduser() if env else Path.home() / ".config" / "factcheck" / "labelstudio.json"


def publisher(environ: Mapping[str, str] | None = None) -> tuple[str, str | None]:
    """(name, URL or None) of the ClaimReview export's publisher: ``$FACTCHECK_PUBLISHER``
    (default ``factcheck``) and ``$FACTCHECK_PUBLISHER_URL``."""
    env = _env(environ)
    return env.get("FACTCHECK_PUBLISHER") or "factcheck", env.get("FACTCHECK_PUBLISHER_URL") or None


def review_url_base(environ: Mapping[str, str] | None = None) -> str | None:
    """``$FACTCHECK_REVIEW_URL_BASE``: a review's URL is this + the claim id."""
    return _env(environ).get("FACTCHECK_REVIEW_URL_BASE") or None


def data_home(environ: Mapping[str, str] | None = None) -> Path:
    env = _env(environ)
    return Path(env["XDG_DATA_HOME"]).expanduser() if env.get("XDG_DATA_HOME") else Path.home() / ".local" / "share"
