"""Evaluate a check-worthiness model on labelled data.

Metrics are those of the positive class (a check-worthy claim): precision, recall, F1
at the model's per-language threshold, plus the threshold-free ROC-AUC, overall and
per language. ``write_report`` adds a precision–recall curve and a confusion matrix as
PNG, and the metrics as JSON. ``compare_models`` sets one version against another on the
same data, with a paired bootstrap interval for the difference in F1.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from factcheck import settings
from factcheck.model.datasets import Example

log = logging.getLogger(__name__)


def metrics_for(probs: np.ndarray, labels: np.ndarray, predictions: np.ndarray) -> dict:
    from sklearn.metrics import confusion_matrix, precision_recall_fscore_support, roc_auc_score

    precision, recall, f1, _ = precision_recall_fscore_support(
        labels, predictions, average="binary", pos_label=1, zero_division=0
    )
    auc = float(roc_auc_score(labels, probs)) if 0 < labels.sum() < len(labels) else float("nan")
    tn, fp, fn, tp = confusion_matrix(labels, predictions, labels=[0, 1]).ravel()
    return {
        "n": int(len(labels)), "positives": int(labels.sum()),
        "precision": round(float(precision), 4), "recall": round(float(recall), 4), "f1": round(float(f1), 4),
        "roc_auc": round(auc, 4), "confusion": {"tn": int(tn), "fp": int(fp), "fn": int(fn), "tp": int(tp)},
    }


def predictions(probs: np.ndarray, examples: Sequence[Example], thresholds) -> np.ndarray:
    """1 where a probability reaches its example's language threshold, else 0."""
    return (probs >= np.array([thresholds.for_lang(e.lang) for e in examples])).astype(int)


def evaluate_probs(probs: np.ndarray, examples: Sequence[Example], thresholds) -> dict:
    """Metrics overall and per language; ``thresholds`` is a :class:`~factcheck.extraction.score.Thresholds`."""
    labels = np.array([e.label for e in examples])
    langs = np.array([e.lang for e in examples])
    predicted = predictions(probs, examples, thresholds)
    result = metrics_for(probs, labels, predicted)
    result["per_lang"] = {
        lang: metrics_for(probs[langs == lang], labels[langs == lang], predicted[langs == lang])
        for lang in sorted(set(langs))
    }
    return result


def positive_probabilities(model, texts: Sequence[str], cache=None) -> np.ndarray:
    """Probability of "claim" for each text. With ``cache`` (the training embedding cache,
    :func:`factcheck.model.train.embedding_cache_for`) a frozen-head model reads the vectors
    training stored, so its figures are the card's and no sentence is embedded twice."""
    if cache is None or model.tuned_top is not None:
        return np.array(model.score(list(texts)), dtype=np.float32)
    return model.head.claim_probabilities(cache.embed(model.encoder, list(texts))).astype(np.float32)


def evaluate(model, examples: Sequence[Example], cache=None) -> tuple[dict, np.ndarray]:
    """Score ``examples`` with ``model`` (a CheckworthinessModel); returns (metrics, probabilities)."""
    probs = positive_probabilities(model, [e.text for e in examples], cache)
    return evaluate_probs(probs, examples, model.thresholds), probs




def f1_difference(
    labels: np.ndarray, pred_a: np.ndarray, pred_b: np.ndarray, *, rounds: int = 2000, seed: int = 0,
    level: float = 0.95,
) -> dict:
    """F1 of B minus F1 of A on the same examples, with a paired bootstrap interval.

    Each round resamples the examples with replacement and scores both models on the
    same sample, so what the two get right or wrong together cancels out: the interval
    shows whether a difference is larger than what another draw of the test set would
    give. A held-out set of 140 tweets moves F1 by several points between draws; one of
    7,000 sentences by less than one.
    """
    y = np.asarray(labels).astype(bool)
    a, b = np.asarray(pred_a).astype(bool), np.asarray(pred_b).astype(bool)
    n = len(y)
    # Per example: does it add to tp / fp / fn of each model. A resample's counts are
    # then its multiplicities (how often each example was drawn) times these columns.
    parts = np.stack([y & a, ~y & a, y & ~a, y & b, ~y & b, y & ~b], axis=1).astype(np.float64)

    def f1(tp, fp, fn):
        denominator = 2 * tp + fp + fn
        return np.divide(2 * tp, denominator, out=np.zeros_like(denominator, dtype=np.float64), where=denominator > 0)

    whole = parts.sum(axis=0)
    difference = float(f1(*whole[3:]) - f1(*whole[:3]))
    rng = np.random.default_rng(seed)
    diffs = []
    for start in range(0, rounds, 200):  # 200 rounds at a time bounds memory for large sets
        k = min(200, rounds - start)
        counts = rng.multinomial(n, np.full(n, 1.0 / n), size=k) if n else np.zeros((k, 0))
        totals = counts @ parts
        diffs.append(f1(*totals[:, 3:].T) - f1(*totals[:, :3].T))
    diffs = np.concatenate(diffs)
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(diffs, [tail, 100 - tail]) if n else (0.0, 0.0)
    return {"f1_a": round(float(f1(*whole[:3])), 4), "f1_b": round(float(f1(*whole[3:])), 4),
            "difference": round(difference, 4), "low": round(float(low), 4), "high": round(float(high), 4),
            "level": level, "rounds": rounds, "n": n}


def reading(comparison: dict) -> str:
    """"loss" / "gain" when the whole interval is below / above zero, else "within noise"."""
    if comparison["high"] < 0:
        return "loss"
    if comparison["low"] > 0:
        return "gain"
    return "within noise"


def compare_models(
    model_a, model_b, examples: Sequence[Example], cache=None, *, probs_b: np.ndarray | None = None,
) -> dict:
    """F1 of ``model_b`` against ``model_a`` on ``examples``, each at its own thresholds.
    ``probs_b``: ``model_b``'s probabilities when the caller has them already."""
    texts = [e.text for e in examples]
    labels = np.array([e.label for e in examples])
    if probs_b is None:
        probs_b = positive_probabilities(model_b, texts, cache)
    pred_a = predictions(positive_probabilities(model_a, texts, cache), examples, model_a.thresholds)
    pred_b = predictions(probs_b, examples, model_b.thresholds)
    result = f1_difference(labels, pred_a, pred_b)
    result["reading"] = reading(result)
    return result


def write_report(out_dir: Path, name: str, metrics: dict, probs: np.ndarray, examples: Sequence[Example],
                 thresholds=None) -> list[Path]:
    """PR curve and confusion matrix PNGs plus the metrics JSON; returns the paths.

    With ``thresholds`` (the model's :class:`~factcheck.extraction.score.Thresholds`) each
    curve marks the point the model operates at: a curve shows what any threshold would
    give, the marker what ``classify`` gives."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import precision_recall_curve

    out_dir.mkdir(parents=True, exist_ok=True)
    labels = np.array([e.label for e in examples])
    langs = np.array([e.lang for e in examples])
    paths = []

    fig, ax = plt.subplots(figsize=(5, 4))
    for lang in ["all", *sorted(set(langs))]:
        mask = np.ones(len(labels), bool) if lang == "all" else langs == lang
        if labels[mask].min() == labels[mask].max():
            continue
        precision, recall, _ = precision_recall_curve(labels[mask], probs[mask])
        (line,) = ax.plot(recall, precision, label=f"{lang} (n={mask.sum()})")
        if thresholds is not None:
            at = metrics if lang == "all" else metrics["per_lang"][lang]
            cut = "per language" if lang == "all" else f"{thresholds.for_lang(lang):.2f}"
            ax.plot([at["recall"]], [at["precision"]], "o", color=line.get_color(), markeredgecolor="black",
                    label=f"{lang} at threshold {cut}")
    ax.set(xlabel="recall", ylabel="precision", title=f"{name}: F1 {metrics['f1']:.3f}, AUC {metrics['roc_auc']:.3f}",
           xlim=(0, 1), ylim=(0, 1.02))
    ax.legend(loc="lower left")
    fig.tight_layout()
    paths.append(out_dir / f"{name}.pr.png")
    fig.savefig(paths[-1], dpi=110)
    plt.close(fig)

    c = metrics["confusion"]
    matrix = np.array([[c["tn"], c["fp"]], [c["fn"], c["tp"]]])
    fig, ax = plt.subplots(figsize=(3.6, 3.2))
    ax.imshow(matrix, cmap="Blues")
    for (i, j), v in np.ndenumerate(matrix):
        ax.text(j, i, str(v), ha="center", va="center", color="black" if v < matrix.max() / 2 else "white")
    ax.set(xticks=[0, 1], yticks=[0, 1], xticklabels=["not claim", "claim"], yticklabels=["not claim", "claim"],
           xlabel="predicted", ylabel="labelled", title=name)
    fig.tight_layout()
    paths.append(out_dir / f"{name}.confusion.png")
    fig.savefig(paths[-1], dpi=110)
    plt.close(fig)

    paths.append(out_dir / f"{name}.metrics.json")
    paths[-1].write_text(json.dumps(metrics, indent=2) + "\n", "utf-8")
    return paths


def project_data_specs() -> list[str]:
    """The project's labelled sentences, Chinese and English, in the annotations folder
    (:func:`factcheck.settings.annotations_dir`): what :func:`diff_versions` compares on,
    and what :func:`factcheck.model.retrain.retrain` trains on when no version is promoted."""
    folder = settings.annotations_dir()
    return [str(folder / "zh_checkworthy.jsonl"), str(folder / "en_checkworthy.jsonl")]


@dataclass
class VersionDiff:
    """The sentences whose predicted label differs between two versions
    (``factcheck models diff``). Each row of ``flips`` has the sentence (``text``,
    ``lang``), its ``gold`` label, each version's probability under the version's name,
    the new label (``now``: ``claim`` or ``not_claim``) and whether the new label is the
    gold one (``fixed``)."""

    version_a: str
    version_b: str
    compared: int  # sentences compared: those neither version trained or stopped on
    flips: list[dict]
    left_out: int = 0  # sentences left out because one of the versions trained or stopped on them

    @property
    def fixed(self) -> int:
        """Flips that now agree with the gold label."""
        return sum(row["fixed"] for row in self.flips)


def diff_versions(version_a: str, version_b: str, data_specs: Sequence[str] | None = None) -> VersionDiff:
    """Where two versions label the same sentences differently, each at its own thresholds.

    Only sentences neither version trained or stopped on are compared (:func:`seen_texts`);
    ``left_out`` counts the others.

    :param version_a: the version before (its labels are the old ones).
    :param version_b: the version after.
    :param data_specs: labelled sentences (``FORMAT:PATH`` or ``PATH``); default
        :func:`project_data_specs`.
    :returns: a :class:`VersionDiff` with the flipped sentences in data order.
    :raises ModelError: for an unknown version; AnnotationError for unreadable data.
    """
    from factcheck.embed.cache import embedding_cache_for
    from factcheck.model.datasets import load
    from factcheck.model.registry import load_version

    a, b = load_version(version_a), load_version(version_b)
    seen = seen_texts(a.card) | seen_texts(b.card)
    loaded = [e for spec in (data_specs or project_data_specs()) for e in load(spec)]
    examples = [e for e in loaded if e.text not in seen]
    texts = [e.text for e in examples]
    cache = embedding_cache_for(a.encoder)
    scores_a = positive_probabilities(a, texts, cache).tolist()
    scores_b = positive_probabilities(b, texts, cache).tolist()
    flips = []
    for example, sa, sb in zip(examples, scores_a, scores_b):
        la, lb = sa >= a.thresholds.for_lang(example.lang), sb >= b.thresholds.for_lang(example.lang)
        if la != lb:
            flips.append({"text": example.text, "lang": example.lang, "gold": example.label,
                          version_a: round(sa, 3), version_b: round(sb, 3),
                          "now": "claim" if lb else "not_claim", "fixed": int(lb) == example.label})
    return VersionDiff(version_a, version_b, len(examples), flips, len(loaded) - len(examples))


def _resolve(spec: str) -> str:
    """A training spec of a card (``FORMAT:PATH`` or ``PATH``, relative to where training
    ran, usually the checkout) with a path that exists from here when it can."""
    from factcheck.model.registry import models_dir

    fmt, sep, rest = spec.partition(":")
    prefix, path = (f"{fmt}:", rest) if sep and len(fmt) > 1 and not Path(spec).exists() else ("", spec)
    for base in (Path.cwd(), models_dir().resolve().parent):
        if (base / path).exists():
            return prefix + str(base / path)
    return spec


@lru_cache(maxsize=8)
def _seen_texts(card_json: str) -> frozenset[str]:
    from factcheck.model.datasets import load

    card = json.loads(card_json)
    # train and dev together do not depend on the seed: every row of a training source but
    # the test rows and (cards since the held-out sets win) the texts of the --eval sets
    rows = [e for spec in card.get("data", {}) for e in load(_resolve(spec))]
    held = {e.text for e in rows if e.split == "test"}
    if "withheld_for_heldout" in card.get("split", {}):
        held |= {e.text for spec in card.get("eval_sources", []) for e in load(_resolve(spec))}
    return frozenset(e.text for e in rows if e.split != "test" and e.text not in held)


def seen_texts(card: dict) -> frozenset[str]:
    """The texts a version trained on or stopped on (its train and dev splits), rebuilt
    from the recipe on its card. ``evaluate`` and ``models diff`` leave them out, so a
    figure on the project's files is a held-out figure. A card whose sources cannot be
    read here gives an empty set, with a warning in the log."""
    from factcheck.errors import AnnotationError

    try:
        return _seen_texts(json.dumps(card, sort_keys=True))
    except AnnotationError as exc:
        log.warning("cannot tell which rows %s trained on (%s); its figures may include them",
                    card.get("version"), exc)
        return frozenset()


@dataclass
class EvaluationReport:
    """What ``factcheck evaluate`` measured: each set's metrics for ``version``, and with
    ``against`` each set's F1 comparison of ``version`` against that version."""

    version: str
    metrics: dict[str, dict]
    against: str | None = None
    comparisons: dict[str, dict] | None = None


def evaluate_versions(data_specs: Sequence[str], out_dir: str | Path, *, version: str | None = None,
                      against: str | None = None) -> EvaluationReport:
    """Evaluate a model version on labelled sets, writing each set's report and plots.

    :param data_specs: labelled sets (``FORMAT:PATH`` or ``PATH``), each scored apart.
    :param out_dir: where the per-set metrics and plots go (and ``comparison.json``).
    :param version: the version to evaluate (default: the promoted one).
    :param against: another version to compare with, set by set (paired bootstrap).
    :returns: an :class:`EvaluationReport`.
    """
    from factcheck.embed.cache import embedding_cache_for
    from factcheck.model.datasets import heldout_name, load
    from factcheck.model.registry import require_model

    model = require_model(version)
    other = require_model(against) if against else None
    cache = embedding_cache_for(model.encoder)  # the vectors training stored: the cards' figures
    seen = seen_texts(model.card) | (seen_texts(other.card) if other is not None else set())
    out = Path(out_dir)
    results: dict[str, dict] = {}
    comparisons: dict[str, dict] = {}
    for spec in data_specs:
        loaded = load(spec)
        examples = [e for e in loaded if e.text not in seen]
        name = heldout_name(loaded[0])
        left_out = len(loaded) - len(examples)
        if left_out:
            log.warning("%s: %d of its %d rows were trained on (or stopped on) by %s; scoring the %d held-out rows "
                        "only", name, left_out, len(loaded), " or ".join(m.version for m in (model, other) if m),
                        len(examples))
            name = f"{name} (held-out {len(examples)} of {len(loaded)})"
        if not examples:
            continue
        metrics, probs = evaluate(model, examples, cache)
        metrics["trained_rows_left_out"] = left_out
        results[name] = metrics
        write_report(out, name.split(" ")[0], metrics, probs, examples, model.thresholds)
        if other is not None:
            comparisons[name] = compare_models(other, model, examples, cache, probs_b=probs)
    if other is None:
        return EvaluationReport(model.version, results)
    (out / "comparison.json").write_text(
        json.dumps({"a": other.version, "b": model.version, "sets": comparisons}, indent=2) + "\n", "utf-8")
    return EvaluationReport(model.version, results, other.version, comparisons)
