"""Label Studio export records for tests that store verdicts without a server."""

from __future__ import annotations


def annotation(i, who, verdict, when, links=()):
    """One annotation as Label Studio exports it: a verdict and evidence lines."""
    return {"id": i, "completed_by": {"email": who}, "updated_at": when, "created_at": when, "result": [
        {"from_name": "verdict", "to_name": "claim", "type": "choices", "value": {"choices": [verdict]}},
        {"from_name": "evidence", "to_name": "claim", "type": "textarea", "value": {"text": list(links)}}]}


def task(tid, claim, *annotations):
    """One exported task of ``claim`` with its annotations."""
    return {"id": tid, "project": 1, "data": {"claim_id": claim.claim_id, "sentence": claim.sentence},
            "annotations": list(annotations)}
