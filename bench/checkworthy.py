"""Check-worthiness candidates against the promoted model, on the issue-21 target sets, in one run.

    .venv/bin/python bench/checkworthy.py VERSION [VERSION ...] [--anchor VERSION] [--out FILE]

Each version, and the anchor (by default the promoted one), is scored on the same
sentences in the same run, at the thresholds its card fixed on its dev split (nothing
is tuned here):

* CLEF 2024 CheckThat! task 1 English dev-test (318 debate sentences; target F1 >= 0.85),
* CLEF 2022 task 1B dev_test (911 tweets, verifiable claims; target >= 0.80),
* the project's own Chinese and English test splits (``split: test`` of
  ``annotations/*_checkworthy.jsonl``; Chinese target >= 0.90),
* the real-Chinese test split (``annotations/zh_real_*.jsonl``, ``split: test``) when
  that file exists (target >= 0.85), and its rows by source data set (Weibo, CFEVER, seeds).

CT24 dev-test is the held-out figure of the issue: run this once per candidate, never
to choose between settings (tune on CT24 dev). Public data is read from
``../shared/datasets``; embeddings come from training's cache, so a frozen-encoder
version costs seconds once it has been trained. Prints a Markdown table (precision,
recall, F1 per set and version, and each version's F1 difference from the anchor with
a paired bootstrap 95% interval) and writes the figures as JSON with ``--out``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

DATA = REPO.parent / "shared" / "datasets"
TARGETS = {"CT24 dev-test": 0.85, "CLEF 2022 1B dev_test": 0.80, "own Chinese test": 0.90,
           "real Chinese test": 0.85}


def target_sets() -> dict[str, list]:
    """Set name -> its examples (only the held-out rows of the project's files)."""
    from factcheck.model.datasets import load

    sets = {
        "CT24 dev-test": load(f"clef2024:{DATA}/clef2024-checkthat-task1-en/CT24_checkworthy_english_dev-test.tsv"),
        "CLEF 2022 1B dev_test": load(f"clef2022_1b:{DATA}/clef2022-checkthat-task1-en/"
                                      "CT22_english_1B_claim_dev_test.tsv"),
        "own Chinese test": [e for e in load(str(REPO / "annotations" / "zh_checkworthy.jsonl"))
                             if e.split == "test"],
        "own English test": [e for e in load(str(REPO / "annotations" / "en_checkworthy.jsonl"))
                             if e.split == "test"],
    }
    real = [e for path in sorted((REPO / "annotations").glob("zh_real_*.jsonl")) for e in load(str(path))
            if e.split == "test"]
    if real:
        sets["real Chinese test"] = real
        # by source too: CFEVER's claims are nearly all check-worthy and come in near-twins
        # (one word changed) that the text hash splits across train and test, so its share is easy
        def dataset(example) -> str:
            return (example.meta or {}).get("dataset", example.source)

        for source in sorted({dataset(e) for e in real}):
            sets[f"real Chinese test: {source}"] = [e for e in real if dataset(e) == source]
    return sets


def main(argv: list[str] | None = None) -> None:
    from factcheck.embed.cache import embedding_cache_for
    from factcheck.model.evaluate import compare_models, evaluate, reading
    from factcheck.model.registry import load_version, promoted_version

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("versions", nargs="+", help="candidate versions (folders in models/)")
    parser.add_argument("--anchor", help="the version to compare with (default: the promoted one)")
    parser.add_argument("--out", type=Path, help="write the figures as JSON here")
    options = parser.parse_args(argv)

    anchor = options.anchor or promoted_version()
    if anchor is None:
        parser.error("no promoted version: name the anchor with --anchor VERSION")
    names = [anchor, *[v for v in options.versions if v != anchor]]
    models = {name: load_version(name) for name in names}
    cache = embedding_cache_for(models[anchor].encoder)
    sets = target_sets()
    results: dict[str, dict] = {}
    for set_name, examples in sets.items():
        results[set_name] = {}
        anchor_metrics, _ = evaluate(models[anchor], examples, cache)
        results[set_name][anchor] = {"metrics": anchor_metrics}
        for name in names[1:]:
            metrics, probs = evaluate(models[name], examples, cache)
            comparison = compare_models(models[anchor], models[name], examples, cache, probs_b=probs)
            results[set_name][name] = {"metrics": metrics, "against_anchor": comparison}

    print(f"anchor (promoted): {anchor}; thresholds fixed on each version's dev split\n")
    print("| set | n | version | precision | recall | F1 | ROC-AUC | F1 − anchor (95% interval) | target |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for set_name, by_version in results.items():
        target = TARGETS.get(set_name)
        for name, result in by_version.items():
            m = result["metrics"]
            versus = result.get("against_anchor")
            diff = "anchor" if versus is None else (
                f"{versus['difference']:+.3f} ({versus['low']:+.3f} … {versus['high']:+.3f}, {reading(versus)})")
            goal = "" if target is None else f"≥ {target:.2f} {'✓' if m['f1'] >= target else '✗'}"
            print(f"| {set_name} | {m['n']} | {name} | {m['precision']:.3f} | {m['recall']:.3f} | **{m['f1']:.3f}** "
                  f"| {m['roc_auc']:.3f} | {diff} | {goal} |")
    if options.out:
        options.out.write_text(json.dumps({"anchor": anchor, "sets": results}, indent=2) + "\n", "utf-8")


if __name__ == "__main__":
    main()
