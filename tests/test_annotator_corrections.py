"""Annotators' span corrections (annotations/corrections/*.jsonl) replayed against the extractor."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import factcheck
from factcheck.model.retrain import corrections_from_verdicts, write_corrections
from factcheck.review.labelstudio import import_export

CORRECTIONS = Path(__file__).resolve().parent.parent / "annotations" / "corrections"
ROWS = [json.loads(line) for path in sorted(CORRECTIONS.glob("*.jsonl"))
        for line in path.read_text("utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r['claim_id']}-{r['annotation_id']}")
def test_corrected_spans_are_extracted(row):
    candidates = factcheck.extract(row["sentence"], lang=row["lang"], include_rejected=True)
    found = {"quantity": {q.text for c in candidates for q in c.quantities},
             "time": {t.text for c in candidates for t in c.times}}
    for span in row["spans"]:
        if span["label"] in found:
            assert span["text"] in found[span["label"]], span


def test_corrections_are_collected_from_verdicts(tmp_path):
    from factcheck.extraction.ingest import parse_text
    from factcheck.extraction.pipeline import extract_article
    from factcheck.store.db import open_db, save_extraction

    db = open_db(tmp_path / "s.db")
    article = parse_text("去年该市新开了300家便利店。", "a.txt", "txt")
    claim = extract_article(article)[0]
    save_extraction(db, article, [claim])
    sentence = claim.sentence
    at = sentence.index("300家")
    import_export(db, [{"id": 1, "project": 1, "data": {"claim_id": claim.claim_id, "sentence": sentence},
                        "annotations": [{"id": 7, "result": [
                            {"from_name": "verdict", "value": {"choices": ["supported"]}},
                            {"from_name": "corrected_claim", "value": {"text": ["2024年该市新开了300家便利店"]}},
                            {"from_name": "span", "value": {"start": at, "end": at + 4, "labels": ["quantity"]}}]}]}])
    rows = corrections_from_verdicts(db)
    assert rows == [{"claim_id": claim.claim_id, "annotation_id": 7, "lang": "zh", "sentence": sentence,
                     "claim": claim.text, "corrected_claim": "2024年该市新开了300家便利店",
                     "spans": [{"label": "quantity", "start": at, "end": at + 4, "text": "300家"}]}]
    path = write_corrections(rows, tmp_path / "corr")
    assert write_corrections(rows, tmp_path / "corr") == path
    test_corrected_spans_are_extracted(rows[0])  # the replay passes for a span the extractor gets right
