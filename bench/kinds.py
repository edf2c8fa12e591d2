"""The kind rules before and after issue 21, with the promoted model, on the same sentences in one run.

    .venv/bin/python bench/kinds.py [--old-rules PATH] [--out FILE] [--limit N]

``--old-rules`` is the ``kinds.py`` to compare with; by default that of a git worktree of
the commit before the change, made once with::

    git worktree add --detach /tmp/kinds-base 38e534f

Both rule sets run in this process through the same pipeline (segmentation, clauses,
finders) and are judged with the same scores of the promoted model (each candidate text
is scored once). The decisions differ only where the rules and the way the model's score
is used differ:

* **old**: a candidate is a claim when its kind is a claim kind; the model then drops an
  event, quote or comparison below its threshold (numbers and dates stay).
* **new**: the new rules, then :func:`factcheck.extraction.score.judge`: as old, and a
  candidate no rule marked either way is kept when the model's score reaches the
  threshold; a marker rejection (question, prediction, opinion, meta) stays.

Figures, per rule set, with the promoted model and with the rules alone:

* sentence decisions (kept when any candidate of the sentence is a claim) against the
  labels of the real-Chinese held-out split (``annotations/zh_real_checkworthy.jsonl``,
  ``split: test``, resolved from ``../shared``; also without the seed articles' sentences,
  which the rules were written looking at) and of CLEF 2024 CheckThat! task 1
  English dev (``CT24_checkworthy_english_dev.tsv``, 1,031 debate sentences; a training
  pool, never the held-out dev-test): precision, recall, F1 and the new-minus-old F1
  difference with a paired bootstrap 95% interval;
* the two seed articles, each extracted whole, read off at their labelled sentences in the
  real-Chinese set (train and test: the rules were written looking at the train split,
  seeds included, so this is no held-out figure): how many dated and numeric sentences
  are kept, how many opinions and predictions rejected;
* ``examples/`` against ``tests/data/expected_examples.json``: labelled claims kept,
  labelled rejections rejected;
* every seed and example candidate whose decision or kind changed, old → new.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import importlib.util
import json
import random
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

SHARED = REPO.parent / "shared"
CT24_DEV = SHARED / "datasets" / "clef2024-checkthat-task1-en" / "CT24_checkworthy_english_dev.tsv"
DEFAULT_OLD = Path("/tmp/kinds-base/factcheck/extraction/kinds.py")
KEEP_WHY = ("dated", "numeric")
REJECT_WHY = ("opinion", "prediction", "hard_negative_number", "hard_negative_date")


def load_old_rules(path: Path) -> Callable:
    """``classify_kind`` of another ``kinds.py``, imported under its own module name."""
    spec = importlib.util.spec_from_file_location("kinds_before_issue21", path)
    if spec is None or spec.loader is None or not path.is_file():
        sys.exit(f"no old kinds.py at {path}: git worktree add --detach /tmp/kinds-base 38e534f")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module.classify_kind


class CachedScores:
    """The promoted model's score of each distinct (text, lang), computed once for both rule sets."""

    def __init__(self, model):
        self.model = model
        self.scores: dict[tuple[str, str], float] = {}

    def fill(self, keys: set[tuple[str, str]]) -> None:
        todo = sorted(k for k in keys if k not in self.scores)
        for start in range(0, len(todo), 256):
            part = todo[start : start + 256]
            for key, score in zip(part, self.model.score([t for t, _ in part], [lang for _, lang in part])):
                self.scores[key] = float(score)


def candidates(texts: Sequence[tuple[str, str]], classify: Callable) -> list[list]:
    """Unscored candidates of each (text, lang) under the rules ``classify``."""
    from factcheck.extraction import pipeline

    saved = pipeline.classify_kind
    pipeline.classify_kind = classify
    try:
        return [pipeline.extract(text, lang=lang, include_rejected=True) for text, lang in texts]
    finally:
        pipeline.classify_kind = saved


def decide(found: list, scores: CachedScores | None, thresholds, new: bool) -> list[tuple[bool, str]]:
    """``(is_claim, kind)`` of each candidate, after the model (``scores``) when given."""
    from factcheck.extraction.pipeline import HARD_KINDS
    from factcheck.extraction.score import judge

    out = []
    for claim in found:
        if scores is None:
            out.append((claim.is_claim, claim.kind))
            continue
        score = scores.scores[(claim.text, claim.lang)]
        threshold = thresholds.for_lang(claim.lang)
        if new:
            copy = dataclasses.replace(claim, reasons=list(claim.reasons))  # judge sets is_claim, kind, reasons
            judge(copy, score, threshold, hard_kinds=HARD_KINDS)
            out.append((copy.is_claim, copy.kind))
        else:
            kept = claim.is_claim and (claim.kind in HARD_KINDS or score >= threshold)
            out.append((kept, claim.kind))
    return out


def prf(gold: Sequence[int], kept: Sequence[bool]) -> dict:
    tp = sum(1 for g, k in zip(gold, kept) if g and k)
    fp = sum(1 for g, k in zip(gold, kept) if not g and k)
    fn = sum(1 for g, k in zip(gold, kept) if g and not k)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / (p + r) if p + r else 0.0, 3),
            "kept": tp + fp, "n": len(gold)}


def bootstrap_f1_gain(gold, old, new, rounds: int = 2000, seed: int = 20261207) -> tuple[float, float]:
    """95% interval of F1(new) - F1(old) over sentences resampled with replacement (paired)."""
    rng = random.Random(seed)
    n = len(gold)
    gains = []
    for _ in range(rounds):
        pick = [rng.randrange(n) for _ in range(n)]
        g = [gold[i] for i in pick]
        gains.append(prf(g, [new[i] for i in pick])["f1"] - prf(g, [old[i] for i in pick])["f1"])
    gains.sort()
    return round(gains[int(0.025 * rounds)], 3), round(gains[int(0.975 * rounds)], 3)


def sentence_sets(limit: int | None) -> dict[str, list[tuple[str, str, int]]]:
    from factcheck.model.real_text import load_real

    held_out = [e for e in load_real(shared=SHARED) if e.split == "test"]
    real = [(e.text, "zh", e.label) for e in held_out]
    # The rules were written looking at the seeds (train and test sentences alike): the
    # Weibo and CFEVER sentences of the held-out split are the figure no rule saw.
    unseen = [(e.text, "zh", e.label) for e in held_out if e.meta and e.meta["dataset"] != "seeds"]
    with CT24_DEV.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    ct24 = [(row["Text"].strip().strip('"').replace('""', '"'), "en", int(row["class_label"].strip() == "Yes"))
            for row in rows]
    return {"real Chinese test": real[:limit], "real Chinese test without the seeds": unseen[:limit],
            "CT24 dev (en)": ct24[:limit]}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--old-rules", type=Path, default=DEFAULT_OLD)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--limit", type=int, help="only the first N sentences of each set (a smoke run)")
    args = parser.parse_args(argv)

    from factcheck.extraction.ingest import read_article
    from factcheck.extraction.kinds import classify_kind
    from factcheck.model.real_text import load_real
    from factcheck.model.registry import load_promoted

    rules = {"old": load_old_rules(args.old_rules), "new": classify_kind}
    model = load_promoted()
    if model is None:
        sys.exit("no promoted model: this bench compares the extractor with the model")
    thresholds = getattr(model, "extract_thresholds", None) or model.thresholds
    scores = CachedScores(model)
    report: dict = {"model": model.version, "old_rules": str(args.old_rules), "sets": {}, "seeds": {},
                    "examples": {}, "changes": []}

    # 1. Sentence decisions against labels.
    for name, rows in sentence_sets(args.limit).items():
        texts = [(t, lang) for t, lang, _ in rows]
        gold = [label for _, _, label in rows]
        found = {which: candidates(texts, classify) for which, classify in rules.items()}
        scores.fill({(c.text, c.lang) for which in found for cs in found[which] for c in cs})
        kept: dict[str, list[bool]] = {}
        figures: dict = {}
        for which in rules:
            for judged_by, scorer in (("rules + model", scores), ("rules alone", None)):
                decisions = [decide(cs, scorer, thresholds, which == "new") for cs in found[which]]
                kept[f"{which}, {judged_by}"] = [any(d for d, _ in ds) for ds in decisions]
                figures[f"{which}, {judged_by}"] = prf(gold, kept[f"{which}, {judged_by}"])
        for judged_by in ("rules + model", "rules alone"):
            figures[f"F1 gain, {judged_by}"] = bootstrap_f1_gain(gold, kept[f"old, {judged_by}"],
                                                                 kept[f"new, {judged_by}"])
        report["sets"][name] = figures

    # 2. Seeds: each whole article through the extractor (headings, context), then the
    #    labelled sentences of the real set (offsets into the same text) read off it.
    seed_rows = [e for e in load_real(shared=SHARED) if e.meta and e.meta["dataset"] == "seeds"]
    seed_files = sorted({e.meta["file"] for e in seed_rows})
    texts = [(read_article(SHARED / "seeds" / name)[0].text, "zh") for name in seed_files]
    found = {which: candidates(texts, classify) for which, classify in rules.items()}
    scores.fill({(c.text, c.lang) for which in found for cs in found[which] for c in cs})
    for which in rules:
        kept_seed = []
        for e in seed_rows:
            index = seed_files.index(e.meta["file"])
            cs = found[which][index]
            decisions = decide(cs, scores, thresholds, which == "new")
            kept_seed.append(any(d for c, (d, _) in zip(cs, decisions)
                                 if c.start < e.meta["end"] and e.meta["start"] < c.end))
        report["seeds"][which] = {
            "dated/numeric kept": f"{sum(k for e, k in zip(seed_rows, kept_seed) if e.meta['why'] in KEEP_WHY)}"
                                  f" of {sum(1 for e in seed_rows if e.meta['why'] in KEEP_WHY)}",
            "opinion/prediction rejected":
                f"{sum(not k for e, k in zip(seed_rows, kept_seed) if e.meta['why'] in REJECT_WHY)}"
                f" of {sum(1 for e in seed_rows if e.meta['why'] in REJECT_WHY)}",
            "all labelled sentences": prf([e.label for e in seed_rows], kept_seed),
            "missed dated/numeric": [e.text[:60] for e, k in zip(seed_rows, kept_seed)
                                     if e.meta["why"] in KEEP_WHY and not k],
        }
    report["changes"] += _changes("seeds", texts, found, scores, thresholds)

    # 3. examples/ against their hand-labelled expectations.
    expectations = json.loads((REPO / "tests" / "data" / "expected_examples.json").read_text(encoding="utf-8"))
    for which, classify in rules.items():
        claims_kept = claims_total = rejects_ok = rejects_total = 0
        for name, spec in sorted(expectations.items()):
            article = read_article(REPO / "examples" / name)[0]
            cs = candidates([(article.text, spec.get("lang"))], classify)[0]
            scores.fill({(c.text, c.lang) for c in cs})
            decisions = decide(cs, scores, thresholds, which == "new")

            def covering(substring, text=article.text, cs=cs, decisions=decisions):
                at = text.index(substring)
                return [d for c, d in zip(cs, decisions) if c.start < at + len(substring) and at < c.end]

            for item in spec.get("claims", []):
                claims_total += 1
                claims_kept += any(d for d, _ in covering(item["contains"]))
            for item in spec.get("rejected", []):
                rejects_total += 1
                rejects_ok += not any(d for d, _ in covering(item["contains"]))
        report["examples"][which] = {"labelled claims kept": f"{claims_kept} of {claims_total}",
                                     "labelled rejections rejected": f"{rejects_ok} of {rejects_total}"}
    example_texts = []
    for name, spec in sorted(expectations.items()):
        article = read_article(REPO / "examples" / name)[0]
        example_texts.append((article.text, spec.get("lang")))
    found = {which: candidates(example_texts, classify) for which, classify in rules.items()}
    report["changes"] += _changes("examples", example_texts, found, scores, thresholds)

    _print(report)
    if args.out:
        args.out.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")


def _changes(where: str, texts, found, scores, thresholds) -> list[dict]:
    """Candidates whose decision or kind differs between the rule sets (same spans)."""
    out = []
    for index in range(len(texts)):
        old = {(c.start, c.end): (c, d) for c, d in zip(found["old"][index],
                                                          decide(found["old"][index], scores, thresholds, False))}
        new = {(c.start, c.end): (c, d) for c, d in zip(found["new"][index],
                                                          decide(found["new"][index], scores, thresholds, True))}
        for span in sorted(old.keys() & new.keys()):
            (claim, before), (after_claim, after) = old[span], new[span]
            if before != after:
                out.append({"where": where, "text": claim.text[:90], "old": list(before), "new": list(after),
                            "score": round(scores.scores[(claim.text, claim.lang)], 3),
                            "why": after_claim.reasons[-1] if after_claim.reasons else ""})
    return out


def _print(report: dict) -> None:
    print(f"model {report['model']}; old rules {report['old_rules']}\n")
    print("| set | rules | judged by | precision | recall | F1 | kept / n |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name, figures in report["sets"].items():
        for key, value in figures.items():
            if key.startswith("F1 gain"):
                continue
            which, judged_by = key.split(", ")
            print(f"| {name} | {which} | {judged_by} | {value['precision']} | {value['recall']} | {value['f1']} | "
                  f"{value['kept']} / {value['n']} |")
        for judged_by in ("rules + model", "rules alone"):
            low, high = figures[f"F1 gain, {judged_by}"]
            print(f"| {name} | new - old | {judged_by} | | | 95% [{low}, {high}] | |")
    print("\nSeed articles (labelled sentences, rules + model):")
    for which, figures in report["seeds"].items():
        print(f"  {which}: dated/numeric kept {figures['dated/numeric kept']}; opinion/prediction rejected "
              f"{figures['opinion/prediction rejected']}; F1 {figures['all labelled sentences']['f1']}; "
              f"missed: {figures['missed dated/numeric']}")
    print("\nexamples/ (tests/data/expected_examples.json, rules + model):")
    for which, figures in report["examples"].items():
        print(f"  {which}: labelled claims kept {figures['labelled claims kept']}; labelled rejections rejected "
              f"{figures['labelled rejections rejected']}")
    print(f"\nChanged candidates on the seeds and examples ({len(report['changes'])}), old -> new:")
    for change in report["changes"]:
        print(f"  [{change['where']}] {tuple(change['old'])} -> {tuple(change['new'])} (score {change['score']}): "
              f"{change['text']}  -- {change['why']}")


if __name__ == "__main__":
    main()
