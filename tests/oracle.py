"""Compare the extractor with the hand-labelled expectations in tests/data/."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from factcheck.extraction.ingest import read_article
from factcheck.extraction.pipeline import extract_article

DATA = Path(__file__).parent / "data" / "expected_examples.json"
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
QUANTITY_FIELDS = ("value", "low", "high", "unit", "per", "comparator", "approximate")


def load_expectations() -> dict:
    return json.loads(DATA.read_text("utf-8"))


def _norm(q: dict) -> tuple:
    out = []
    for name in QUANTITY_FIELDS:
        v = q.get(name)
        out.append(round(v, 6) if isinstance(v, float) or (isinstance(v, int) and not isinstance(v, bool)) else v)
    return tuple(out)


@dataclass
class Report:
    missing_claims: list = field(default_factory=list)
    wrong_kind: list = field(default_factory=list)
    wrong_quantities: list = field(default_factory=list)
    wrong_times: list = field(default_factory=list)
    accepted_rejects: list = field(default_factory=list)
    boilerplate_claims: list = field(default_factory=list)
    n_claims: int = 0
    n_rejected: int = 0


def evaluate(name: str, spec: dict) -> Report:
    article = read_article(EXAMPLES / name)[0]
    candidates = extract_article(article)
    text = article.text
    report = Report()

    def covering(substring):
        at = text.index(substring)
        return [c for c in candidates if c.start < at + len(substring) and at < c.end]

    for item in spec["claims"]:
        report.n_claims += 1
        found = [c for c in covering(item["contains"]) if c.is_claim]
        if not found:
            kinds = [c.kind for c in covering(item["contains"])]
            report.missing_claims.append((item["contains"], kinds))
            continue
        claim = found[0]
        if claim.kind != item["kind"]:
            report.wrong_kind.append((item["contains"], item["kind"], claim.kind))
        got = sorted(_norm(q.__dict__ if hasattr(q, "__dict__") else _asdict(q)) for q in claim.quantities)
        want = sorted(_norm(q) for q in item["quantities"])
        if got != want:
            report.wrong_quantities.append((item["contains"], want, got))
        got_t = sorted(t.value for t in claim.times if t.value)
        want_t = sorted(t["value"] for t in item["times"])
        if not set(want_t) <= set(got_t):
            report.wrong_times.append((item["contains"], want_t, got_t))
    for item in spec["rejected"]:
        report.n_rejected += 1
        bad = [c for c in covering(item["contains"]) if c.is_claim]
        if bad:
            report.accepted_rejects.append((item["contains"], item["kind"], [c.kind for c in bad]))
    for boiler in spec.get("not_claims", []):
        if boiler in text:
            bad = [c for c in covering(boiler) if c.is_claim and boiler in c.text]
            if bad:
                report.boilerplate_claims.append(boiler)
    return report


def _asdict(q):
    import dataclasses

    return dataclasses.asdict(q)
