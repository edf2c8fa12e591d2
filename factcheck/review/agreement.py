"""Agreement between annotators, and the tasks they disagree on (pure; :func:`disagreements`
reads them from the store).

Label Studio Community stores several annotations per task but computes no agreement;
this module does, from the ``verdicts`` rows the pull stores:

* per task: how many annotators gave the majority verdict (``agreement`` in [0, 1]);
* per project: Krippendorff's alpha over the nominal verdicts (``krippendorff``
  package), which corrects for chance and tolerates missing annotations;
* disagreements: tasks with two or more annotators and more than one distinct
  verdict, listed for adjudication (``factcheck review disagreements``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from factcheck.records import VERDICTS


@dataclass
class TaskAgreement:
    task_id: int
    claim_id: str
    verdicts: dict[str, str] = field(default_factory=dict)  # annotator → verdict
    majority: str | None = None
    agreement: float = 1.0

    @property
    def disputed(self) -> bool:
        return len(self.verdicts) >= 2 and len(set(self.verdicts.values())) > 1


def per_task(rows: Iterable[dict]) -> list[TaskAgreement]:
    """Group verdict rows (``task_id, claim_id, annotator, verdict``) by task."""
    tasks: dict[int, TaskAgreement] = {}
    for row in rows:
        if not row.get("verdict"):
            continue
        task = tasks.setdefault(row["task_id"], TaskAgreement(row["task_id"], row["claim_id"]))
        task.verdicts[row.get("annotator") or f"annotation {row.get('annotation_id')}"] = row["verdict"]
    for task in tasks.values():
        counts = Counter(task.verdicts.values()).most_common()
        task.majority = counts[0][0] if len(counts) == 1 or counts[0][1] > counts[1][1] else None
        task.agreement = counts[0][1] / len(task.verdicts)
    return sorted(tasks.values(), key=lambda t: t.task_id)


def krippendorff_alpha(tasks: list[TaskAgreement]) -> float | None:
    """Nominal alpha over tasks with at least two annotations; None when undefined."""
    import krippendorff
    import numpy as np

    rated = [t for t in tasks if len(t.verdicts) >= 2]
    if not rated:
        return None
    annotators = sorted({a for t in rated for a in t.verdicts})
    codes = {v: i for i, v in enumerate(VERDICTS)}
    matrix = np.full((len(annotators), len(rated)), np.nan)
    for j, task in enumerate(rated):
        for annotator, verdict in task.verdicts.items():
            matrix[annotators.index(annotator), j] = codes.get(verdict, len(codes))
    if len(np.unique(matrix[~np.isnan(matrix)])) < 2:
        return 1.0  # everyone gave the same single verdict: perfect agreement
    return float(krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal"))


def summary(rows: Iterable[dict]) -> dict:
    tasks = per_task(rows)
    by_count: defaultdict[int, int] = defaultdict(int)
    for task in tasks:
        by_count[len(task.verdicts)] += 1
    return {
        "tasks": len(tasks), "multi_annotated": sum(len(t.verdicts) >= 2 for t in tasks),
        "disputed": sum(t.disputed for t in tasks), "alpha": krippendorff_alpha(tasks),
        "annotations_per_task": dict(sorted(by_count.items())),
    }


@dataclass
class Disagreements:
    """What ``factcheck review disagreements`` lists: the disputed tasks (task order), the
    text of each task's claim, and the store's :func:`summary`."""

    tasks: list[TaskAgreement]
    claims: dict[int, str]  # task id → claim text
    summary: dict

    def rows(self) -> list[dict]:
        """One plain row per disputed task: task and claim ids, claim text, verdicts by
        annotator, agreement (3 decimals)."""
        return [{"task_id": t.task_id, "claim_id": t.claim_id, "claim": self.claims[t.task_id],
                 "verdicts": t.verdicts, "agreement": round(t.agreement, 3)} for t in self.tasks]


def disagreements(db) -> Disagreements:
    """The tasks whose annotators disagree, to adjudicate, and the agreement of the store.

    Reads the live Label Studio verdicts of ``db`` (imported fact-checks have no tasks).

    :param db: the store (a ``sqlite_utils.Database``).
    :returns: :class:`Disagreements`: the disputed tasks with their claim texts, and the
        :func:`summary` of every task (Krippendorff's alpha among it).
    """
    rows = list(db.query(
        "select v.*, c.text as claim from verdicts v join claims c on c.id = v.claim_id "
        "where v.deleted_at is null and v.source = 'labelstudio'"))
    texts = {r["task_id"]: r["claim"] for r in rows}
    return Disagreements([t for t in per_task(rows) if t.disputed], texts, summary(rows))
