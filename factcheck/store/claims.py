"""Claims read back from the store as :class:`~factcheck.records.Claim` records.

The store keeps a claim in several tables (``claims``, its ``sentences`` row, and the
``quantities``, ``times`` and ``entities`` rows); this module is the one place that puts
them together again, for Label Studio tasks, verdict imports and exports alike.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable

from factcheck import records
from factcheck.records import Claim

_PART_TABLES = {"quantities": "Quantity", "times": "TimeExpr", "entities": "Entity"}


def load_parts(db, claim_ids: Iterable[str]) -> dict[str, dict[str, list]]:
    """claim_id → {"quantities": [...], "times": [...], "entities": [...]}, one query per table."""
    ids = list(dict.fromkeys(claim_ids))
    out: dict[str, dict[str, list]] = {cid: {t: [] for t in _PART_TABLES} for cid in ids}
    for table, cls_name in _PART_TABLES.items():
        cls = getattr(records, cls_name)
        names = [f.name for f in dataclasses.fields(cls)]
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            sql = f"select * from [{table}] where claim_id in ({','.join('?' * len(chunk))}) order by claim_id, idx"
            for r in db.query(sql, chunk):
                values = {k: r[k] for k in names}
                for flag in ("approximate", "relative", "resolved"):
                    if flag in values and values[flag] is not None:
                        values[flag] = bool(values[flag])
                out[r["claim_id"]][table].append(cls(**values))
    return out


def claim_from_row(db, row: dict, parts: dict[str, list] | None = None) -> Claim:
    """Rebuild a :class:`~factcheck.records.Claim` from a claims row joined with its
    sentence (``sentence_text``, ``sentence_start``, ``sentence_end``)."""
    if "sentence_text" not in row:
        sentence = db["sentences"].get(row["sentence_id"])
        row = {**row, "sentence_text": sentence["text"], "sentence_start": sentence["start"],
               "sentence_end": sentence["end"]}
    parts = parts if parts is not None else load_parts(db, [row["id"]])[row["id"]]
    return Claim(
        claim_id=row["id"], article_id=row["article_id"], lang=row["lang"], text=row["text"],
        sentence=row["sentence_text"], start=row["start"], end=row["end"], kind=row["kind"],
        is_claim=bool(row["is_claim"]), checkworthiness=row["checkworthiness"], model_version=row["model_version"],
        quantities=parts["quantities"], times=parts["times"], entities=parts["entities"],
        sentence_start=row["sentence_start"], sentence_end=row["sentence_end"], context=row["context"] or "",
        antecedent=row.get("antecedent") or "", is_caption=bool(row["is_caption"]),
        carried=json.loads(row["carried"] or "{}"),
    )
