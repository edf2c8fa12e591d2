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
import os
from datetime import datetime, timezone
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
    record = {"version": version, "promoted_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
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


def load_version(version: str, root: Path | None = None):
    from factcheck.model.classifier import CheckworthinessModel

    return CheckworthinessModel(version_dir(version, root))
