"""Evaluate a check-worthiness model on labelled data.

Metrics are those of the positive class (a check-worthy claim): precision, recall, F1
at the model's per-language threshold, plus the threshold-free ROC-AUC, overall and
per language. ``write_report`` adds a precision–recall curve and a confusion matrix as
PNG, and the metrics as JSON.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .datasets import Example


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


def evaluate_probs(probs: np.ndarray, examples: Sequence[Example], thresholds) -> dict:
    """Metrics overall and per language; ``thresholds`` is a :class:`~factcheck.score.Thresholds`."""
    labels = np.array([e.label for e in examples])
    langs = np.array([e.lang for e in examples])
    cut = np.array([thresholds.for_lang(lang) for lang in langs])
    predictions = (probs >= cut).astype(int)
    result = metrics_for(probs, labels, predictions)
    result["per_lang"] = {
        lang: metrics_for(probs[langs == lang], labels[langs == lang], predictions[langs == lang])
        for lang in sorted(set(langs))
    }
    return result


def evaluate(model, examples: Sequence[Example]) -> tuple[dict, np.ndarray]:
    """Score ``examples`` with ``model`` (a CheckworthinessModel); returns (metrics, probabilities)."""
    probs = np.array(model.score([e.text for e in examples]), dtype=np.float32)
    return evaluate_probs(probs, examples, model.thresholds), probs


def write_report(out_dir: Path, name: str, metrics: dict, probs: np.ndarray, examples: Sequence[Example]) -> list[Path]:
    """PR curve and confusion matrix PNGs plus the metrics JSON; returns the paths."""
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
        ax.plot(recall, precision, label=f"{lang} (n={mask.sum()})")
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
