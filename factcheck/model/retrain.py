"""Close the loop: annotators' verdicts become training data for a new model version.

    verdicts in the store → labelled snapshot in annotations/snapshots/ (dated, hashed)
    → train (the promoted version's sources + the snapshot, same held-out sets)
    → compare with the promoted version → promote only if no held-out F1 drops

Labels from a claim's latest live annotation: an explicit check-worthiness choice
wins; else the verdict "not a claim" is 0 and any other verdict (the claim was worth
checking) is 1. Snapshots with conflicting labels for one text, or too few of a class,
are refused before anything is trained.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from factcheck import settings
from factcheck.errors import AnnotationError, ModelError
from factcheck.model.datasets import Example, conflicts
from factcheck.review.labelstudio import DEFAULT_TITLE


def labels_from_verdicts(db: sqlite_utils.Database) -> list[dict]:
    """One labelled row per claim that has a live annotation, deterministic order."""
    rows = db.query(
        """select v.claim_id, v.verdict, v.checkworthy, v.updated_at, v.annotation_id, c.text, c.lang
           from verdicts v join claims c on c.id = v.claim_id
           where v.deleted_at is null and v.source = 'labelstudio'  -- imported verdicts carry no check-worthiness label
           order by v.claim_id, coalesce(v.updated_at, ''), v.annotation_id"""
    )
    latest: dict[str, dict] = {}
    for row in rows:
        if row["checkworthy"] is None and row["verdict"] is None:
            continue
        latest[row["claim_id"]] = row  # ordered by time: the last one wins
    out = []
    for claim_id, row in sorted(latest.items()):
        label = row["checkworthy"] if row["checkworthy"] is not None else int(row["verdict"] != "not a claim")
        out.append({"text": row["text"], "label": int(label), "lang": row["lang"], "source": "labelstudio",
                    "claim_id": claim_id, "verdict": row["verdict"]})
    return out


def write_snapshot(rows: list[dict], folder: Path | None = None, *, min_per_class: int = 5) -> Path:
    """Write the rows as project JSONL named by date and content hash; refuse bad snapshots."""
    folder = folder or settings.annotations_dir() / "snapshots"
    clashes = conflicts([Example(r["text"], r["label"], r["lang"], "labelstudio") for r in rows])
    if clashes:
        shown = "; ".join(f"{text[:40]!r}: {sorted(labels)}" for text, labels in clashes[:3])
        raise AnnotationError(
            f"The annotations give {len(clashes)} text(s) conflicting labels ({shown}). "
            "Adjudicate them (`factcheck review disagreements`) and pull again.", code="F515")
    counts = {label: sum(r["label"] == label for r in rows) for label in (0, 1)}
    if min(counts.values()) < min_per_class:
        raise AnnotationError(
            f"Too few annotated examples of a class for a snapshot: {counts[1]} check-worthy and {counts[0]} not "
            f"(at least {min_per_class} of each). Annotate more claims first.", code="F516")
    body = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows)
    digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
    existing = sorted(folder.glob(f"*-{digest[:12]}.jsonl")) if folder.exists() else []
    if existing:
        return existing[0]  # same annotations, same snapshot: reproducible retraining
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"ls-{datetime.now(UTC):%Y%m%d-%H%M%S}-{digest[:12]}.jsonl"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(body, "utf-8")
    tmp.replace(path)
    return path


def side_by_side(current: dict | None, candidate: dict) -> list[tuple[str, float | None, float]]:
    rows = []
    for name, metrics in candidate["metrics"].items():
        if name == "dev":
            continue
        old = current["metrics"].get(name, {}).get("f1") if current else None
        rows.append((name, old, metrics["f1"]))
    return rows


def plot_comparison(rows: list[tuple[str, float | None, float]], current: str | None, candidate: str,
                    path: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    names = [r[0].split(":", 1)[-1] for r in rows]
    x = np.arange(len(rows))
    fig, ax = plt.subplots(figsize=(max(5, 1.2 * len(rows)), 3.6))
    if current:
        ax.bar(x - 0.2, [r[1] or 0 for r in rows], 0.4, label=f"promoted {current}")
    ax.bar(x + 0.2, [r[2] for r in rows], 0.4, label=f"candidate {candidate}")
    ax.set(xticks=x, ylabel="F1 (positive class)", ylim=(0, 1), title="Held-out F1")
    ax.set_xticklabels(names, rotation=20, ha="right", fontsize=8)
    ax.legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path




def corrections_from_verdicts(db: sqlite_utils.Database) -> list[dict]:
    """Annotators' fixes to the extractor: corrected claim texts and quantity/time/claim spans.

    One row per annotation that corrected something, with the sentence it applies to,
    so ``tests/test_annotator_corrections.py`` can replay it against the extractor.
    """
    rows = db.query(
        """select v.annotation_id, v.claim_id, v.corrected_claim, v.span_corrections, v.annotator,
                  c.lang, c.text as claim, s.text as sentence
           from verdicts v join claims c on c.id = v.claim_id join sentences s on s.id = c.sentence_id
           where v.deleted_at is null and (v.corrected_claim is not null or v.span_corrections not in ('[]', ''))
           order by v.claim_id, v.annotation_id"""
    )
    out = []
    for row in rows:
        spans = json.loads(row["span_corrections"] or "[]")
        out.append({"claim_id": row["claim_id"], "annotation_id": row["annotation_id"], "lang": row["lang"],
                    "sentence": row["sentence"], "claim": row["claim"], "corrected_claim": row["corrected_claim"],
                    "spans": spans})
    return out


def write_corrections(rows: list[dict], folder: Path | None = None) -> Path | None:
    """Write the corrections as a content-addressed JSONL next to the snapshots (None if empty)."""
    if not rows:
        return None
    folder = folder or settings.annotations_dir() / "corrections"
    body = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows)
    digest = hashlib.sha256(body.encode("utf-8")).hexdigest()[:12]
    existing = sorted(folder.glob(f"*-{digest}.jsonl")) if folder.exists() else []
    if existing:
        return existing[0]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"ls-{datetime.now(UTC):%Y%m%d-%H%M%S}-{digest}.jsonl"
    path.write_text(body, "utf-8")
    return path


@dataclass
class RetrainReport:
    """What :func:`retrain` did, step by step (a step not reached leaves its fields empty)."""

    pulled: int | None = None  # new or edited verdicts pulled from Label Studio; None: not pulled
    project_id: int | None = None  # the Label Studio project pulled from
    snapshot: Path | None = None  # the labelled snapshot trained on
    corrections: Path | None = None  # annotators' extractor corrections, None when there are none
    current: str | None = None  # the version promoted before, None when none was
    candidate: dict | None = None  # the new version's model card
    path: Path | None = None  # the new version's folder
    rows: list[tuple[str, float | None, float]] = field(default_factory=list)  # (held-out set, old F1, new F1)
    plot: Path | None = None  # the comparison bar chart (PNG)
    promoted: bool = False
    refusal: str | None = None  # why the candidate was not promoted

    @property
    def version(self) -> str | None:
        """The new version's name."""
        return self.candidate["version"] if self.candidate else None


def retrain(
    db: sqlite_utils.Database, *, title: str = DEFAULT_TITLE, pull: bool = True, base_specs: Sequence[str] = (),
    eval_specs: Sequence[str] = (), seed: int = 13, progress=None,
    on_step: Callable[[str, RetrainReport], None] | None = None, ls=None,
) -> RetrainReport:
    """Close the loop (``factcheck retrain``): pull, snapshot, train, compare, promote if not worse.

    Pulls the project's new annotations (unless ``pull`` is False), writes the labelled
    snapshot and the annotators' extractor corrections, trains a version on the base data
    plus the snapshot with the promoted version's recipe and this ``seed``, compares its
    held-out F1 with the promoted version's (table rows and a PNG in the version folder)
    and promotes it unless :func:`factcheck.model.registry.promote` refuses.

    :param db: the store holding the verdicts.
    :param title: the Label Studio project to pull from.
    :param pull: pull first; False uses the verdicts already in the store.
    :param base_specs: training sources besides the snapshot; default the promoted
        version's, or the project's labelled sentences
        (:func:`factcheck.model.evaluate.project_data_specs`) when none is promoted.
    :param eval_specs: held-out sets; default the promoted version's.
    :param seed: the training seed.
    :param progress: ``progress(stage, total) -> advance`` for the training stages.
    :param on_step: called as ``on_step(step, report)`` after ``"pulled"`` and ``"snapshot"``,
        before ``"training"`` and after ``"trained"``.
    :param ls: a label-studio-sdk client (default: the configured server).
    :returns: a :class:`RetrainReport`; ``promoted`` is False with ``refusal`` set when the
        candidate loses held-out F1.
    :raises AnnotationError: F515/F516 when the annotations make no usable snapshot.
    """
    from factcheck.model.evaluate import project_data_specs
    from factcheck.model.registry import promote, promoted_version, show
    from factcheck.model.train import TrainingArguments, train_model

    report = RetrainReport()

    def step(name: str) -> None:
        if on_step is not None:
            on_step(name, report)

    if pull:
        from factcheck.review.labelstudio import pull_project

        report.project_id, pulled = pull_project(db, ls, title=title)
        report.pulled = pulled.verdicts
        step("pulled")
    report.snapshot = write_snapshot(labels_from_verdicts(db))
    # replayed against the extractor by tests/test_annotator_corrections.py
    report.corrections = write_corrections(corrections_from_verdicts(db))
    step("snapshot")
    report.current = promoted_version()
    current = show(report.current) if report.current else None
    base = list(base_specs) or (list(current["data"]) if current else project_data_specs())
    evals = list(eval_specs) or (current.get("eval_sources", []) if current else [])
    # The promoted version's recipe (head size, adapted layers…) with this run's seed.
    args = TrainingArguments.like(current, seed=seed) if current else TrainingArguments(seed=seed)
    step("training")
    report.path, report.candidate = train_model([*base, str(report.snapshot)], evals, args=args, progress=progress)
    step("trained")
    report.rows = side_by_side(current, report.candidate)
    report.plot = plot_comparison(report.rows, report.current, report.candidate["version"],
                                  report.path / "comparison.png")
    try:
        promote(report.candidate["version"])
        report.promoted = True
    except ModelError as exc:
        report.refusal = str(exc)
    return report
