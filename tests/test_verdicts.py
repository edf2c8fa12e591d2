"""The final-verdict rule (factcheck.store.verdicts): one rule, the same answer in Python and SQL."""

from __future__ import annotations

import random

from factcheck.records import VERDICTS
from factcheck.store.db import open_db
from factcheck.store.verdicts import FINAL_VERDICT_SQL, final_verdict, final_verdicts


def test_final_verdict_majority_and_tie():
    rows = [{"annotation_id": 1, "annotator": "a", "verdict": "refuted", "updated_at": "2024-01-01"},
            {"annotation_id": 2, "annotator": "b", "verdict": "supported", "updated_at": "2024-01-03"},
            {"annotation_id": 3, "annotator": "c", "verdict": "refuted", "updated_at": "2024-01-02"}]
    assert final_verdict(rows) == ("refuted", {"refuted": 2, "supported": 1})
    assert final_verdict(rows[:2])[0] == "supported"  # tie → most recent
    assert final_verdict([{**rows[0], "deleted_at": "x"}]) == (None, {})
    # an annotator's later annotation replaces their earlier one
    assert final_verdict(rows[:2] + [{"annotation_id": 4, "annotator": "b", "verdict": "refuted",
                                      "updated_at": "2024-01-04"}])[0] == "refuted"


def test_python_and_sql_give_the_same_final_verdict(tmp_path):
    """Random verdict histories (several annotators, edits, deletions, ties, missing
    stamps and annotators): the SQL rule that search and Datasette use agrees with the
    Python rule that exports and stats use, claim by claim."""
    db = open_db(tmp_path / "v.db")
    rng = random.Random(15)
    claims = [f"c{i:03d}" for i in range(300)]
    db["claims"].insert_all([{"id": c, "text": "x", "lang": "zh", "kind": "numeric", "is_claim": 1} for c in claims])
    rows, annotation_id = [], 0
    for claim in claims:
        for _ in range(rng.randint(0, 6)):
            annotation_id += 1
            day = rng.choice(["", "2024-01-01", "2024-01-02", "2024-01-03"])
            rows.append({
                "annotation_id": annotation_id, "claim_id": claim, "project_id": 1, "task_id": 1,
                "annotator": rng.choice(["a@x", "b@x", "c@x", "", None]),
                "verdict": rng.choice([*VERDICTS, ""]),
                "updated_at": day or None, "created_at": rng.choice(["", "2023-12-31"]) or None,
                "pulled_at": "2024-02-01" if rng.random() < 0.3 else None,
                "deleted_at": "2024-03-01" if rng.random() < 0.15 else None,
            })
    db["verdicts"].insert_all(rows)
    in_sql = dict(db.execute(f"select c.id, {FINAL_VERDICT_SQL} from claims c").fetchall())
    by_claim: dict[str, list] = {}
    for row in rows:
        by_claim.setdefault(row["claim_id"], []).append(row)
    in_python = {claim: final_verdict(by_claim.get(claim, []))[0] for claim in claims}
    assert in_sql == in_python
    assert sum(v is not None for v in in_python.values()) > 150  # the histories exercised the rule
    assert final_verdicts(db, claims) == {c: v for c, v in in_python.items() if v}
