"""Model versions in ``models/``: list, show, promote, and load the promoted one.

Each trained version is a folder ``models/<version>/`` holding ``card.json`` (base
model, data with hashes, hyper-parameters, metrics, thresholds, date),
``README.md`` (the same card for people) and ``head.safetensors``.
``models/promoted.json`` names the version the extractor uses.

A version is promoted only if it does not lose F1 on any held-out set that both it
and the current promoted version were evaluated on (``force=True`` overrides).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from factcheck import settings
from factcheck.errors import ModelError

PROMOTED_FILE = "promoted.json"
#: F1 may drop by this much on a held-out set (rounding noise) and still promote.
F1_TOLERANCE = 0.005


def models_dir() -> Path:
    """``$FACTCHECK_MODELS``, else the project's ``models/`` (:mod:`factcheck.settings`)."""
    return settings.models_dir()


def list_versions(root: Path | None = None) -> list[dict]:
    """Cards of all versions, newest first, with ``promoted`` set on the promoted one."""
    root = root or models_dir()
    promoted = promoted_version(root)
    cards = []
    for card_path in sorted(root.glob("*/card.json")):
        try:
            card = json.loads(card_path.read_text("utf-8"))
        except ValueError:
            continue
        card["promoted"] = card.get("version") == promoted
        cards.append(card)
    return sorted(cards, key=lambda c: c.get("created", ""), reverse=True)


def version_dir(version: str, root: Path | None = None) -> Path:
    root = root or models_dir()
    path = root / version
    if not (path / "card.json").exists():
        known = ", ".join(c["version"] for c in list_versions(root)) or "none yet (run `factcheck train`)"
        raise ModelError(f"No model version {version!r} in {root}. Known versions: {known}.", code="F213")
    return path


def show(version: str, root: Path | None = None) -> dict:
    return json.loads((version_dir(version, root) / "card.json").read_text("utf-8"))


def promotion_record(root: Path | None = None) -> dict | None:
    """The whole ``promoted.json`` (version, date, previous version, accepted losses,
    reason), or None when nothing is promoted."""
    path = (root or models_dir()) / PROMOTED_FILE
    if not path.exists():
        return None
    try:
        record = json.loads(path.read_text("utf-8"))
        if not isinstance(record, dict) or "version" not in record:
            raise ValueError("no 'version' field")
    except ValueError as exc:
        raise ModelError(
            f"{path} is damaged ({exc}). Promote a version again with `factcheck models promote VERSION`.",
            code="F214",
        ) from exc
    return record


def promoted_version(root: Path | None = None) -> str | None:
    record = promotion_record(root)
    return record["version"] if record else None


def compare(candidate: dict, current: dict) -> list[tuple[str, float, float]]:
    """``(held-out set, current F1, candidate F1)`` for every set both were evaluated on."""
    rows = []
    for name, metrics in candidate.get("metrics", {}).items():
        if name in current.get("metrics", {}):
            rows.append((name, current["metrics"][name]["f1"], metrics["f1"]))
    return rows


def describe_loss(loss: dict) -> str:
    """One held-out F1 loss of ``promoted.json``'s ``accepted_losses``, as people read it."""
    return f"{loss['set']}: F1 {loss['f1']:.3f} < {loss['previous_f1']:.3f}"


def promote(version: str, *, force: bool = False, reason: str | None = None, root: Path | None = None) -> dict:
    """Make ``version`` the one the extractor uses, unless it loses F1 somewhere.

    With ``force`` a loss is accepted, but only with a ``reason``: the losses and the
    reason are recorded in ``promoted.json`` next to the version it replaced, so the
    next person sees that the guard was overridden, and why.
    """
    root = root or models_dir()
    candidate = show(version, root)
    current_name = promoted_version(root)
    previous = current_name if current_name != version else None  # re-promoting replaces nothing
    worse = []
    if previous:
        worse = [{"set": n, "previous_f1": a, "f1": b}
                 for n, a, b in compare(candidate, show(previous, root)) if b < a - F1_TOLERANCE]
    if worse and not force:
        detail = "; ".join(map(describe_loss, worse))
        raise ModelError(
            f"Not promoting {version}: it loses F1 against the promoted {current_name} ({detail}). "
            f"`factcheck evaluate --model {version} --against {current_name} --data SET` shows whether "
            f"a loss is larger than sampling noise, and `python bench/seed_spread.py {version} {current_name}` "
            "whether it is larger than what retraining with another seed moves. "
            "Use --force --reason TEXT to promote anyway.",
            code="F215",
        )
    if worse and not (reason or "").strip():
        raise ModelError(
            f"Promoting {version} over a held-out F1 loss needs a reason: add --reason TEXT (why the loss is "
            "accepted). It is recorded in promoted.json with the losses.",
            code="F221",
        )
    record: dict[str, object] = {"version": version, "promoted_at": datetime.now(UTC).isoformat(timespec="seconds")}
    if previous:
        record["previous"] = previous
    if worse:
        record["accepted_losses"] = worse
    if reason and reason.strip():
        record["reason"] = reason.strip()
    tmp = root / (PROMOTED_FILE + ".tmp")
    tmp.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", "utf-8")
    tmp.replace(root / PROMOTED_FILE)  # atomic: a crash never leaves a half-written file
    return record


def load_promoted(root: Path | None = None):
    """The promoted :class:`~factcheck.model.classifier.CheckworthinessModel`, or None."""
    version = promoted_version(root)
    if version is None:
        return None
    from factcheck.model.classifier import CheckworthinessModel

    return CheckworthinessModel(version_dir(version, root))


def load_version(version: str, root: Path | None = None, *, encoder=None):
    """A version's :class:`~factcheck.model.classifier.CheckworthinessModel` (on ``encoder``,
    default the process's shared one)."""
    from factcheck.model.classifier import CheckworthinessModel

    return CheckworthinessModel(version_dir(version, root), encoder=encoder)


# --- the model a command scores with, and extraction with it --------------------------


def load_scorer(version: str | None, root: Path | None = None):
    """The model that extraction scores claims with (``factcheck extract --model``).

    :param version: a version name, None for the promoted one, or ``"none"`` for the
        rules alone.
    :param root: the models folder (default :func:`models_dir`).
    :returns: a :class:`~factcheck.model.classifier.CheckworthinessModel`, or None for
        ``"none"`` or when no version is promoted.
    :raises ModelError: F213 for an unknown version, F214 for a damaged ``promoted.json``.
    """
    if version == "none":
        return None
    return load_version(version, root) if version else load_promoted(root)


def scorer_version(version: str | None, root: Path | None = None) -> str | None:
    """The name of the version :func:`load_scorer` would load, without loading it (what a
    parallel run sends its workers): None for ``"none"`` or when nothing is promoted.

    :raises ModelError: F213 for an unknown version, F214 for a damaged ``promoted.json``.
    """
    if version == "none":
        return None
    name = version or promoted_version(root)
    if name is not None:
        version_dir(name, root)
    return name


def require_model(version: str | None, root: Path | None = None):
    """The model a command cannot do without (``classify``, ``evaluate``, ``push --rescore``).

    :param version: a version name, or None for the promoted one.
    :param root: the models folder (default :func:`models_dir`).
    :returns: a :class:`~factcheck.model.classifier.CheckworthinessModel`.
    :raises ModelError: F216 when ``version`` is None (or ``"none"``) and nothing is
        promoted; F213 for an unknown version.
    """
    model = load_scorer(version, root)
    if model is None:
        raise ModelError("No promoted model: train one with `factcheck train ... --promote` (or `make train-model`, "
                         "then `factcheck models promote VERSION`), or name a version with --model "
                         "(`factcheck models list` shows them).", code="F216")
    return model


def classify_lines(lines: Iterable[str], *, version: str | None = None, batch_size: int = 32,
                   chunk: int = 256) -> Iterator[dict]:
    """Check-worthiness of sentences given one per line (``factcheck classify``).

    The model is loaded (:func:`require_model`) before any line is read; empty lines are
    skipped.

    :param lines: the input lines (trailing newlines are dropped).
    :param version: a version name, or None for the promoted one.
    :param batch_size: sentences per encoder batch.
    :param chunk: lines scored per call of the model.
    :returns: an iterator of the model's rows (text, score, label, lang, model_version),
        each with ``line``, its 1-based input line number.
    """
    model = require_model(version)
    texts = [line.rstrip("\n") for line in lines]
    for start in range(0, len(texts), chunk):
        numbered = [(n, text) for n, text in enumerate(texts[start : start + chunk], start + 1) if text.strip()]
        rows = model.classify([text for _, text in numbered], batch_size=batch_size)
        for (number, _), row in zip(numbered, rows):
            yield {**row, "line": number}
