"""A model version's thresholds for the int8 encoder, recalibrated on int8 scores.

The dynamic int8 encoder (``FACTCHECK_ENCODER_PRECISION=int8``,
:func:`factcheck.embed.onnx_export.prepare_int8`) is about 1.7x faster, but its vectors
move (cosine >= 0.98 with fp32) and a head's scores move with them (by up to 0.5 on a
sentence near the boundary). A threshold tuned on fp32 scores then no longer sits where
the card says. :func:`int8_thresholds` re-tunes them on the int8 scores of the very dev
rows the card tuned on (rebuilt from its recipe, checked against its fingerprint):

- the best-F1 thresholds (``classify``, ``evaluate``): :func:`~factcheck.model.train.tune_thresholds`
  on the int8 dev scores, as training does on fp32 ones;
- the extractor's recall-first thresholds: for each of the card's cuts, the highest int8
  cut that keeps at least the share of that language's dev claims the fp32 cut keeps on
  fp32 scores (the operating point is a recall, so the recall is what carries over), and
  never above the best-F1 one, like training's.

:func:`calibrate_version` (``factcheck models calibrate-int8 [--model VERSION]``) caches the
result per version and int8 graph under ``$FACTCHECK_CACHE/int8-thresholds``, where the
classifier reads it when the encoder is int8 (a version not calibrated yet is refused with
F222 naming the command). It takes about a minute on 2 cores: the ~1,400 dev rows go through
the int8 encoder once (into training's embedding cache for int8 vectors). A newly promoted
version needs its own run; any version can be calibrated, not only the promoted one.
"""

from __future__ import annotations

import json
import logging
import math
from pathlib import Path

import numpy as np

from factcheck.errors import ModelError
from factcheck.model.classifier import INT8_HEAD_DIR, int8_head_dir  # noqa: F401 - the loader owns the layout

log = logging.getLogger(__name__)


def card_data(card: dict, *, seed: int | None = None):
    """The :class:`~factcheck.model.train.TrainingData` of a version's recipe (train, the dev
    rows it tuned its thresholds on, its held-out sets), rebuilt from the data files as they
    are or, when they changed since (annotations grow), as git holds them at the commit that
    added the card. Checked against the card's dev fingerprint. With ``seed``, the same files
    split with that seed instead of the card's (the split is what a seed draws).

    :raises ModelError: F212 when neither gives the card's dev rows.
    """
    import tempfile

    from factcheck.model.datasets import fingerprint

    want = card.get("split", {}).get("dev", {}).get("fingerprint")
    data = _rebuilt(card, {})
    if not want or fingerprint(data.dev) == want:
        return data if seed is None else _rebuilt(card, {}, seed=seed)
    with tempfile.TemporaryDirectory() as scratch:
        files = _files_at_card_commit(card, Path(scratch))
        if files:
            data = _rebuilt(card, files)  # read while the copies exist
            if fingerprint(data.dev) == want:
                return data if seed is None else _rebuilt(card, files, seed=seed)
    raise ModelError(f"the dev rows of {card['version']} cannot be rebuilt (its training data changed since, and git "
                     "does not hold them as they were), so its thresholds cannot be recalibrated for the int8 "
                     "encoder. Use the fp32 encoder (unset FACTCHECK_ENCODER_PRECISION).", code="F212")


def _rebuilt(card: dict, files: dict[str, str], *, seed: int | None = None):
    """``prepare_data`` for the card's recipe, a spec's file replaced by ``files[spec]``."""
    from factcheck.model.evaluate import _resolve
    from factcheck.model.train import TrainingArguments, prepare_data

    def spec(raw: str) -> str:
        return files.get(raw) or _resolve(raw)

    args = TrainingArguments.like(card, **({} if seed is None else {"seed": seed}))
    return prepare_data([spec(s) for s in card.get("data", {})], [spec(s) for s in card.get("eval_sources", [])],
                        args=args)


def _files_at_card_commit(card: dict, scratch: Path) -> dict[str, str]:
    """Spec → a copy (in ``scratch``) of its file as the commit that added the card holds it,
    for the specs whose files git tracks; empty when there is no such commit."""
    import subprocess

    from factcheck.model.evaluate import _resolve
    from factcheck.model.registry import version_dir

    def git(*args: str, cwd: Path) -> str:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout.strip()

    folder = version_dir(card["version"])
    try:
        top = Path(git("rev-parse", "--show-toplevel", cwd=folder))
        commit = git("log", "--diff-filter=A", "--format=%H", "-1", "--", "card.json", cwd=folder)
    except (OSError, subprocess.CalledProcessError):
        return {}
    files: dict[str, str] = {}
    for raw in [*card.get("data", {}), *card.get("eval_sources", [])]:
        resolved = _resolve(raw)
        fmt, sep, rest = resolved.partition(":")
        formatted = sep and len(fmt) > 1 and not Path(resolved).exists()  # FORMAT:PATH, as _resolve reads it
        prefix, path = (f"{fmt}:", Path(rest)) if formatted else ("", Path(resolved))
        try:
            relative = path.resolve().relative_to(top)
            text = subprocess.run(["git", "show", f"{commit}:{relative.as_posix()}"], cwd=top, capture_output=True,
                                  check=True).stdout
        except (ValueError, OSError, subprocess.CalledProcessError):
            continue  # outside the checkout (../shared) or untracked: as it is
        copy = scratch / str(len(files)) / path.name  # the file's name stays: it names its held-out set
        copy.parent.mkdir(parents=True)
        copy.write_bytes(text)
        files[raw] = prefix + str(copy)
    return files


def _floor(value: float) -> float:
    return math.floor(float(value) * 1e4) / 1e4  # down, as training rounds: the row the cut sits at stays above


def recall_cut(probs: np.ndarray, labels: np.ndarray, recall: float) -> float:
    """The highest threshold that keeps at least ``recall`` of the claims (``labels == 1``)."""
    claims = np.sort(probs[labels == 1])[::-1]
    if not len(claims):
        return 0.5
    keep = max(1, math.ceil(recall * len(claims) - 1e-9))
    return _floor(claims[min(keep, len(claims)) - 1])


def calibrate(fp32_probs: np.ndarray, int8_probs: np.ndarray, dev: list, card: dict) -> dict:
    """Thresholds for int8 scores from the fp32 and int8 scores of the card's dev rows.
    Returns ``{"thresholds": {...}, "extract_thresholds": {...}}`` (the card's keys)."""
    from factcheck.model.train import tune_thresholds

    labels = np.array([e.label for e in dev])
    langs = np.array([e.lang for e in dev])
    thresholds = tune_thresholds(int8_probs, labels, list(langs))
    extract = {}
    for key, cut in (card.get("extract_thresholds") or {}).items():
        rows = np.ones(len(dev), bool) if key == "default" else langs == key
        claims = fp32_probs[rows & (labels == 1)]
        kept = float((claims >= cut).mean()) if len(claims) else 1.0
        extract[key] = min(recall_cut(int8_probs[rows], labels[rows], kept), thresholds.get(key, 1.0))
    return {"thresholds": thresholds, "extract_thresholds": extract}


def calibrate_version(version: str | None = None, *, force: bool = False) -> Path:
    """Calibrate ``version``'s thresholds (default: the promoted one) on int8 scores of its
    dev rows and cache them where the classifier reads them
    (:func:`factcheck.embed.onnx_export.int8_thresholds_path`). Returns that file.

    :raises ModelError: F212 when the card's dev rows cannot be rebuilt; F216 when nothing
        is promoted and no version is named.
    """
    from factcheck.embed.cache import embedding_cache_for
    from factcheck.embed.encoder import Encoder
    from factcheck.embed.onnx_export import int8_thresholds_path
    from factcheck.model.registry import load_version, promoted_version, require_model

    name = version or promoted_version()
    if name is None:
        require_model(None)  # F216, with what to do
    fp32 = Encoder(precision="fp32")  # the card's thresholds belong to fp32 scores
    model = load_version(str(name), encoder=fp32)
    path = int8_thresholds_path(model.version)
    if path.is_file() and not force:
        return path
    if model.tuned_top is not None:
        raise ModelError(f"{model.version} adapts encoder layers, which run on torch in fp32: it needs no int8 "
                         "thresholds.", code="F212")
    int8 = Encoder(precision="int8")
    log.info("calibrating %s's thresholds on int8 scores", model.version)
    dev = card_data(model.card).dev
    texts = [e.text for e in dev]
    fp32_probs = model.head.claim_probabilities(embedding_cache_for(fp32).embed(fp32, texts))
    int8_probs = model.head.claim_probabilities(embedding_cache_for(int8).embed(int8, texts))
    result = {"version": model.version, "dev_rows": len(dev), **calibrate(fp32_probs, int8_probs, dev, model.card)}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(result, indent=1) + "\n", "utf-8")
    tmp.replace(path)
    return path




def fit_recipe(card: dict, encoder, *, seed: int | None = None, extractor: bool = True) -> dict:
    """Train ``card``'s recipe (frozen encoder: same data, split and hyper-parameters) on
    ``encoder``'s vectors, with the card's seed or ``seed``. Returns ``{"head", "thresholds",
    "extract_thresholds", "metrics", "data", "seconds"}``; the extractor's thresholds use the
    training rows' out-of-fold scores as training does, or only dev when ``extractor`` is false
    (five heads fewer, for benches that read the best-F1 figures only).
    """
    import time

    from factcheck.embed.cache import embedding_cache_for
    from factcheck.model.train import (
        TrainingArguments,
        extractor_thresholds,
        fit_frozen,
        out_of_fold_probs,
        tuned_metrics,
    )

    if card.get("hyperparameters", {}).get("tune_layers"):
        raise ModelError(f"{card['version']} adapts encoder layers (LoRA), which run on torch in fp32: only a "
                         "frozen-encoder recipe can be trained on int8 vectors.", code="F212")
    started = time.perf_counter()
    args = TrainingArguments.like(card, **({} if seed is None else {"seed": seed}))
    data = card_data(card, seed=seed)
    vectors = embedding_cache_for(encoder).embed(encoder, data.texts())
    head, _, _ = fit_frozen(vectors, data, args)
    oof = out_of_fold_probs(vectors, data, args) if extractor else None
    thresholds, extract, metrics = tuned_metrics(lambda lo, hi: head.claim_probabilities(vectors[lo:hi]), data, oof)
    if not extractor:
        dev = slice(len(data.train), len(data.train) + len(data.dev))
        extract = extractor_thresholds(head.claim_probabilities(vectors[dev]), data.labels("dev"),
                                       [e.lang for e in data.dev], thresholds)
    return {"head": head, "thresholds": thresholds, "extract_thresholds": extract, "metrics": metrics, "data": data,
            "seconds": round(time.perf_counter() - started, 1)}


def int8_graph_sha256() -> str:
    """The content hash of the int8 graph this machine scores with (built by
    :func:`~factcheck.embed.onnx_export.prepare_int8`), which an int8 head records."""
    from factcheck.embed.onnx_export import MANIFEST, prepare_int8

    manifest = json.loads((prepare_int8() / MANIFEST).read_text("utf-8"))
    return manifest["files"]["model.onnx"]["sha256"]


def train_int8_head(version: str | None = None, *, force: bool = False) -> Path:
    """Train ``version``'s recipe (default: the promoted one) on the int8 encoder's vectors and
    write the head beside the fp32 one, in ``models/<version>/int8/``, where the classifier
    takes it when the encoder is int8. Returns that folder. About 8 minutes on 2 cores (3
    averaged heads and 5 out-of-fold ones), once the int8 vectors are cached.

    :raises ModelError: F212 when the card's data cannot be rebuilt or the version adapts
        encoder layers; F216 when nothing is promoted and no version is named.
    """
    import shutil
    import tempfile
    from datetime import UTC, datetime

    import torch

    from factcheck.embed.encoder import Encoder
    from factcheck.model.registry import promoted_version, require_model, show, version_dir

    name = version or promoted_version()
    if name is None:
        require_model(None)  # F216, with what to do
    folder = version_dir(str(name))
    if int8_head_dir(folder) and not force:
        return folder / INT8_HEAD_DIR
    card = show(str(name))
    encoder = Encoder(precision="int8")
    log.info("training %s's recipe on int8 vectors", name)
    fitted = fit_recipe(card, encoder)
    int8_card = {
        "version": card["version"],
        "precision": "int8",
        "int8_graph_sha256": int8_graph_sha256(),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "recipe": "the version's own (card.json: data, split, hyper-parameters, seed), on int8 vectors",
        "split": {"dev": {"n": len(fitted["data"].dev), "fingerprint": card["split"]["dev"]["fingerprint"]}},
        "threads": torch.get_num_threads(),
        "seconds": fitted["seconds"],
        "thresholds": fitted["thresholds"],
        "extract_thresholds": fitted["extract_thresholds"],
        "metrics": fitted["metrics"],
    }
    tmp = Path(tempfile.mkdtemp(prefix=".int8-", dir=folder))
    try:
        fitted["head"].save(tmp / "head.safetensors")
        (tmp / "card.json").write_text(json.dumps(int8_card, indent=2, ensure_ascii=False) + "\n", "utf-8")
        shutil.rmtree(folder / INT8_HEAD_DIR, ignore_errors=True)
        tmp.rename(folder / INT8_HEAD_DIR)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return folder / INT8_HEAD_DIR
