"""Annotations that could not be read in full, kept in the store until they are fixed.

Label Studio's API stores any result it is given (a ``choices`` value that is a string or
null, a span whose ``"start"`` is ``"x"``), so pull, the webhook and retrain read each
annotation on its own (:func:`factcheck.review.tasks.parse_annotation`): what is valid is
stored as a verdict, and every problem lands here, one row per reason, with the task and
annotation it came from. ``factcheck review problems`` lists them.

The table, ``annotation_problems``, holds the *current* problems: re-reading a task
replaces its rows, so an annotation fixed in Label Studio leaves the list at the next pull.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sqlite_utils

TABLE = "annotation_problems"


@dataclass(frozen=True)
class Problem:
    """One reason why (part of) an annotation was not stored."""

    task_id: int | None
    annotation_id: int | None  # None when the annotation itself is unreadable
    claim_id: str | None
    reason: str
    annotator: str | None = None


def ensure_table(db: sqlite_utils.Database) -> None:
    """Create ``annotation_problems`` in the store if it is not there yet."""
    db.table(TABLE).create(
        {"id": int, "project_id": int, "task_id": int, "annotation_id": int, "claim_id": str, "annotator": str,
         "reason": str, "seen_at": str},
        pk="id", if_not_exists=True,
    )
    db.table(TABLE).create_index(["project_id", "task_id"], if_not_exists=True)


def replace_problems(db: sqlite_utils.Database, project_id: int, task_ids: Iterable[int | None],
                     problems: Sequence[Problem], seen_at: str) -> None:
    """Forget the recorded problems of ``task_ids`` in the project and record ``problems``
    (those found when these tasks were just read). The caller holds the transaction."""
    ensure_table(db)
    db.conn.executemany(f"delete from {TABLE} where project_id = ? and task_id is ?",
                        [(project_id, task_id) for task_id in set(task_ids)])
    db.conn.executemany(
        f"insert into {TABLE} (project_id, task_id, annotation_id, claim_id, annotator, reason, seen_at) "
        "values (?, ?, ?, ?, ?, ?, ?)",
        [(project_id, p.task_id, p.annotation_id, p.claim_id, p.annotator, p.reason, seen_at) for p in problems],
    )


def list_problems(db: sqlite_utils.Database, *, project_id: int | None = None) -> list[dict]:
    """The recorded problems, by project, task and annotation (``[]`` when none were ever seen).

    :param db: the store.
    :param project_id: only this Label Studio project's.
    :returns: dicts with ``project_id, task_id, annotation_id, claim_id, claim, annotator,
        reason, seen_at`` (``claim`` is the claim's text when the store has it).
    """
    if not db.table(TABLE).exists():
        return []
    where, params = ("where p.project_id = ?", [project_id]) if project_id is not None else ("", [])
    return list(db.query(
        f"select p.project_id, p.task_id, p.annotation_id, p.claim_id, c.text as claim, p.annotator, p.reason, "
        f"p.seen_at from {TABLE} p left join claims c on c.id = p.claim_id {where} "
        "order by p.project_id, p.task_id, p.annotation_id, p.id", params))
