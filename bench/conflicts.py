"""Measure ``factcheck conflicts``' rule against the rule it replaced, on the same pairs in the same run.

    .venv/bin/python bench/conflicts.py [--pairs tests/data/conflicts.jsonl] [--no-store] [--verbose]

Two measurements:

1. **The labelled pairs** (``tests/data/conflicts.jsonl``: hand-written pairs labelled
   ``conflict``, ``agree`` or ``unrelated``; zh, en and across). ``split`` says when a pair
   was written: ``design`` pairs while the rules were made (in-sample), ``fresh`` pairs
   on other topics after the rules were frozen (the rules were not changed after
   measuring them). Each pair's sides are read
   as the store reads a claim (:func:`factcheck.store.matching.sentence_facts`) and
   embedded by the project's e5 encoder; then

   * factcheck: :func:`factcheck.store.conflicts.conflict_between` (outcome ``conflict``);
   * anchor: the rule ``factcheck conflicts`` used before issue 18, matching's
     :func:`factcheck.store.matching.compare` (outcome ``conflict``: a close neighbour
     that agrees on everything but a number of the same dimension).

   Precision and recall of "conflict", overall and by language combination.
2. **The example store** (unless ``--no-store``): ``examples/`` extracted into a
   temporary store; conflicting pairs by each rule over the same neighbours. Every
   example article tells a different story, so every pair listed there is a false conflict.

Targets (issue 18): precision ≥ 0.9 and recall ≥ 0.8 on the pairs, zero on the examples.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from factcheck.store.conflicts import conflict_between  # noqa: E402
from factcheck.store.matching import compare, sentence_facts  # noqa: E402

RULES = {"factcheck (issue 18)": conflict_between, "anchor: matching.compare": compare}


def score(rows: list[tuple[str, bool]]) -> dict:
    tp = sum(label == "conflict" and said for label, said in rows)
    fp = sum(label != "conflict" and said for label, said in rows)
    fn = sum(label == "conflict" and not said for label, said in rows)
    return {"pairs": len(rows), "tp": tp, "fp": fp, "fn": fn,
            "precision": tp / (tp + fp) if tp + fp else float("nan"),
            "recall": tp / (tp + fn) if tp + fn else float("nan")}


def judge_pairs(pairs: list[dict]) -> dict[str, list[tuple[dict, str, str]]]:
    """rule → [(pair, outcome, reason)] on the same facts and similarities."""
    from factcheck.embed.encoder import shared_encoder

    encoder = shared_encoder()
    a = np.asarray(encoder.embed([p["a"]["text"] for p in pairs]))
    b = np.asarray(encoder.embed([p["b"]["text"] for p in pairs]))
    sims = (a * b).sum(axis=1)
    facts = [(sentence_facts(p["a"]["text"]), sentence_facts(p["b"]["text"])) for p in pairs]
    out: dict[str, list] = {}
    for name, rule in RULES.items():
        judged = [rule(x, y, float(s)) for (x, y), s in zip(facts, sims)]
        out[name] = [(p, c.outcome, f"{c.reason} (sim {s:.2f})") for p, c, s in zip(pairs, judged, sims)]
    return out


def example_store_counts() -> dict[str, int]:
    """Conflicting pairs on a store of ``examples/`` by each rule, over the same neighbours."""
    from factcheck.extraction.ingest import iter_articles
    from factcheck.extraction.pipeline import extract_articles
    from factcheck.store.conflicts import find_conflicts
    from factcheck.store.db import open_db, save_extraction
    from factcheck.store.matching import ClaimIndex, _vectors_of, judge, load_facts

    with tempfile.TemporaryDirectory() as tmp:
        db = open_db(Path(tmp) / "examples.db")
        for article, claims in extract_articles(iter_articles([str(REPO / "examples")])):
            save_extraction(db, article, claims)
        index = ClaimIndex(db)
        index.sync()
        ids = [r[0] for r in db.execute("select id from claims c where is_claim = 1 and exists "
                                        "(select 1 from quantities q where q.claim_id = c.id)")]
        arts = dict(db.execute("select id, article_id from claims").fetchall())
        facts = load_facts(db, ids)
        found = judge(index, [facts[i] for i in ids], _vectors_of(index, ids), exclude_articles=[arts[i] for i in ids])
        old = {tuple(sorted((cid, f.other_id))) for cid, row in zip(ids, found) for f in row
               if f.comparison.outcome == "conflict"}
        return {"factcheck (issue 18)": len(find_conflicts(db, index=index)), "anchor: matching.compare": len(old)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=Path, default=REPO / "tests" / "data" / "conflicts.jsonl")
    parser.add_argument("--no-store", action="store_true", help="skip the example store")
    parser.add_argument("--verbose", action="store_true", help="list every pair a rule gets wrong")
    args = parser.parse_args(argv)
    pairs = [json.loads(line) for line in args.pairs.read_text("utf-8").splitlines() if line.strip()]
    judged = judge_pairs(pairs)
    console = Console(width=120)
    table = Table(title=f"Conflicts on {len(pairs)} labelled pairs ({args.pairs.name})")
    for col in ("rule", "pairs", "precision", "recall", "false conflicts", "missed"):
        table.add_column(col, justify="left" if col in ("rule",) else "right")
    for name, rows in judged.items():
        groups: dict[str, list] = defaultdict(list)
        for pair, outcome, _ in rows:
            said = outcome == "conflict"
            groups["all"].append((pair["label"], said))
            groups["same language" if pair["a"]["lang"] == pair["b"]["lang"] else "across languages"].append(
                (pair["label"], said))
            groups[f"{pair.get('split', 'design')} pairs"].append((pair["label"], said))
        for group, items in groups.items():
            s = score(items)
            table.add_row(f"{name}, {group}", str(s["pairs"]), f"{s['precision']:.3f}", f"{s['recall']:.3f}",
                          str(s["fp"]), str(s["fn"]))
        if args.verbose:
            for pair, outcome, reason in rows:
                if (outcome == "conflict") != (pair["label"] == "conflict"):
                    console.print(f"[{name}] {pair['id']} {pair['label']} → {outcome}: {pair['a']['text']} | "
                                  f"{pair['b']['text']} — {reason}", markup=False)
    console.print(table)
    if not args.no_store:
        counts = example_store_counts()
        console.print("Conflicting pairs on the example store (all false): "
                      + ", ".join(f"{name}: {n}" for name, n in counts.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
