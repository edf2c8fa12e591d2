"""Does uncertainty ordering save annotations? A simulated annotation loop, measured.

    .venv/bin/python bench/active_learning.py [--seeds 5] [--seed-size 20] [--batch-size 20] [--rounds 21]
        [--data POOL_SPEC TEST_SPEC ...] [--data-batch-size 100] [--data-rounds 16]
        [--no-project] [--out docs/active_learning.png] [--json results.json]

A labelled set plays the annotators (``factcheck.model.simulate``). From a small seed
(half claims, half non-claims), each round trains a linear head on the frozen e5
embeddings of what is labelled so far, scores the rest of the pool, "annotates" the
next batch (gold labels revealed), and measures F1 (claim class, threshold 0.5) on a
fixed held-out test set. The batch is either the examples whose probability is
nearest 0.5 (``uncertainty``, the order ``factcheck push --order uncertainty`` uses)
or a seeded random draw (``random``). Each curve is the mean ± std over ``--seeds``
runs; a run's seed fixes the seed set, the dev slice and the head's initialisation,
identical for both orderings.

Data sets:

* the project's zh + en annotations: pool = the ``train`` split, test = the ``test``
  split (``--seed-size``, ``--batch-size``, ``--rounds``);
* each ``--data POOL_SPEC TEST_SPEC`` (``FORMAT:PATH`` as for ``factcheck train``),
  e.g. ``--data claimbuster:../shared/datasets/claimbuster/2.5xNCS.sample3000.json
  claimbuster:../shared/datasets/claimbuster/test.json`` (``--seed-size``,
  ``--data-batch-size``, ``--data-rounds``).

Pools are de-duplicated; pool texts that also occur in the test set, or that carry
conflicting labels, are dropped. Embeddings go through the on-disk embedding cache,
so only the first run embeds.

Prints, per data set, the table per round, the head trained on the whole pool (the
ceiling), and the summary: random ordering's final F1, the first number of
annotations at which uncertainty ordering reaches it, and the saving. Writes the
F1-vs-annotations plot (one panel per data set, ± std bands) to ``--out``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402

from factcheck.model.datasets import Example, conflicts, dedupe, load  # noqa: E402
from factcheck.model.simulate import (  # noqa: E402
    SIMULATION_ARGS,
    STRATEGIES,
    annotations_needed,
    embed_texts,
    full_pool,
    simulate_seeds,
)

PROJECT = [REPO / "annotations" / "zh_checkworthy.jsonl", REPO / "annotations" / "en_checkworthy.jsonl"]


def clean_pool(pool: list[Example], test: list[Example]) -> list[Example]:
    test_texts = {e.text for e in test}
    clashing = {text for text, _ in conflicts(pool)}
    return [e for e in dedupe(pool) if e.text not in test_texts and e.text not in clashing]


def project_sets() -> tuple[list[Example], list[Example]]:
    examples = [e for path in PROJECT for e in load(f"project_jsonl:{path}")]
    return [e for e in examples if e.split == "train"], [e for e in examples if e.split == "test"]


def spec_name(spec: str) -> str:
    fmt, _, path = spec.rpartition(":")
    return f"{fmt}:{Path(path).name}" if fmt else Path(path).name


def run_set(name: str, pool: list[Example], test: list[Example], *, seeds: list[int], seed_size: int,
            batch_size: int, rounds: int) -> dict:
    pool = clean_pool(pool, test)
    started = time.perf_counter()
    pool_x = embed_texts([e.text for e in pool])
    test_x = embed_texts([e.text for e in test])
    embed_s = time.perf_counter() - started
    pool_y = np.array([e.label for e in pool])
    test_y = np.array([e.label for e in test])
    kwargs = dict(seed_size=seed_size, batch_size=batch_size, rounds=rounds, args=SIMULATION_ARGS)
    curves, runs, timing = {}, {}, {}
    for strategy in STRATEGIES:
        started = time.perf_counter()
        curves[strategy], runs[strategy] = simulate_seeds(
            pool_x, pool_y, test_x, test_y, strategy=strategy, seeds=seeds, **kwargs
        )
        timing[strategy] = time.perf_counter() - started
    full = [full_pool(pool_x, pool_y, test_x, test_y, seed=s, args=SIMULATION_ARGS) for s in seeds]
    f1s = np.array([r["f1"] for r in full])
    return {
        "name": name, "pool": {"n": len(pool), "positives": int(pool_y.sum())},
        "test": {"n": len(test), "positives": int(test_y.sum())},
        "settings": {"seeds": seeds, **{k: v for k, v in kwargs.items() if k != "args"}},
        "curves": curves, "runs": runs,
        "summary": annotations_needed(curves["uncertainty"], curves["random"]),
        "summary_auc": annotations_needed(curves["uncertainty"], curves["random"], key="roc_auc"),
        "per_seed": [annotations_needed(u, r) for u, r in zip(runs["uncertainty"], runs["random"])],
        "full_pool": {"n": len(pool), "f1": round(float(f1s.mean()), 4),
                      "f1_std": round(float(f1s.std(ddof=1)) if len(f1s) > 1 else 0.0, 4)},
        "seconds": {"embed": round(embed_s, 1), **{k: round(v, 1) for k, v in timing.items()}},
        "fits": len(seeds) * rounds,
    }


def report(result: dict) -> None:
    pool, test, settings = result["pool"], result["test"], result["settings"]
    print(f"\n## {result['name']}")
    print(f"pool {pool['n']} ({pool['positives']} claims), test {test['n']} ({test['positives']} claims); "
          f"seed {settings['seed_size']}, batch {settings['batch_size']}, {settings['rounds']} rounds, "
          f"{len(settings['seeds'])} seeds; F1 of the claim class at 0.5, mean ± std over seeds\n")
    print("| round | annotations | uncertainty F1 | random F1 | uncertainty AUC | random AUC | claims picked (u / r) |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for u, r in zip(result["curves"]["uncertainty"], result["curves"]["random"]):
        print(f"| {u['round']} | {u['n_annotations']} | {u['f1']:.3f} ± {u['f1_std']:.3f} | "
              f"{r['f1']:.3f} ± {r['f1_std']:.3f} | {u['roc_auc']:.3f} | {r['roc_auc']:.3f} | "
              f"{u['positives']:.0f} / {r['positives']:.0f} |")
    full = result["full_pool"]
    print(f"\nwhole pool ({full['n']} annotations): F1 {full['f1']:.3f} ± {full['f1_std']:.3f}")
    s = result["summary"]
    if s["uncertainty_n"] is None:
        verdict = "uncertainty ordering never reaches it"
    else:
        verdict = (f"uncertainty ordering reaches it at {s['uncertainty_n']} annotations vs {s['random_n']} "
                   f"for random ordering: {s['saved']} fewer ({s['saving_pct']:.1f}%)")
    print(f"summary: random ordering's final F1 {s['target_f1']:.3f} (at {s['random_final_n']} annotations, "
          f"first reached at {s['random_n']}); {verdict}; uncertainty's final F1 {s['uncertainty_final_f1']:.3f}")
    a = result["summary_auc"]
    print(f"same on ROC-AUC (threshold-free): random's final {a['target_f1']:.3f} first reached at {a['random_n']}; "
          f"uncertainty reaches it at {a['uncertainty_n']}"
          + ("" if a["saving_pct"] is None else f" ({a['saving_pct']:.1f}% fewer)"))
    per_seed = [f"{p['uncertainty_n']}/{p['random_n']}" for p in result["per_seed"]]
    print(f"per seed (uncertainty n / random n to reach that seed's random final F1): {', '.join(per_seed)}")
    sec = result["seconds"]
    print(f"time: embedding {sec['embed']} s (cached after the first run); simulation "
          f"{sec['uncertainty']} s uncertainty + {sec['random']} s random for {result['fits']} head fits each")


def plot(results: list[dict], out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(results), figsize=(6.4 * len(results), 4.6), squeeze=False)
    colours = {"uncertainty": "tab:blue", "random": "tab:orange"}
    for ax, result in zip(axes[0], results):
        for strategy in STRATEGIES:
            curve = result["curves"][strategy]
            n = np.array([r["n_annotations"] for r in curve])
            mean = np.array([r["f1"] for r in curve])
            std = np.array([r["f1_std"] for r in curve])
            ax.plot(n, mean, marker="o", markersize=3, color=colours[strategy], label=f"{strategy} ordering")
            ax.fill_between(n, mean - std, mean + std, color=colours[strategy], alpha=0.2, linewidth=0)
        s = result["summary"]
        ax.axhline(s["target_f1"], color="grey", linestyle="--", linewidth=1,
                   label=f"random's final F1 ({s['target_f1']:.3f})")
        full = result["full_pool"]
        ax.axhline(full["f1"], color="black", linestyle=":", linewidth=1,
                   label=f"whole pool, {full['n']} annotations ({full['f1']:.3f})")
        if s["uncertainty_n"] is not None:
            ax.axvline(s["uncertainty_n"], color=colours["uncertainty"], linestyle=":", linewidth=1)
            ax.axvline(s["random_n"], color=colours["random"], linestyle=":", linewidth=1)
            saving = f"{s['saving_pct']:.0f}% fewer" if s["saved"] > 0 else "no saving"
            ax.annotate(f"random's final F1 reached with\n{s['uncertainty_n']} (uncertainty) vs {s['random_n']} "
                        f"(random) annotations:\n{saving}",
                        xy=(s["uncertainty_n"], s["target_f1"]), xytext=(0.3, 0.42), textcoords="axes fraction",
                        arrowprops={"arrowstyle": "->", "color": "grey"}, fontsize=9)
        settings = result["settings"]
        ax.set(xlabel="annotations (seed + batches)", ylabel="test F1 (claim class)",
               title=f"{result['name']}\npool {result['pool']['n']}, test {result['test']['n']}, "
                     f"batch {settings['batch_size']}, mean ± std of {len(settings['seeds'])} seeds")
        low = min(min(r["f1"] - r["f1_std"] for r in result["curves"][k]) for k in STRATEGIES)
        ax.set_ylim(max(0.0, low - 0.02), min(1.0, max(full["f1"], s["target_f1"]) + 0.03))
        ax.grid(alpha=0.3)
        ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=120)
    plt.close(fig)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=5, help="runs per ordering (seeds 0..N-1)")
    parser.add_argument("--seed-size", type=int, default=20, help="labelled examples before the first round")
    parser.add_argument("--batch-size", type=int, default=20, help="annotations per round (project set)")
    parser.add_argument("--rounds", type=int, default=21, help="rounds, the seed's included (project set)")
    parser.add_argument("--data", nargs=2, action="append", default=[], metavar=("POOL_SPEC", "TEST_SPEC"),
                        help="a public set: pool and test as FORMAT:PATH (repeatable)")
    parser.add_argument("--data-batch-size", type=int, default=100, help="annotations per round (--data sets)")
    parser.add_argument("--data-rounds", type=int, default=16, help="rounds (--data sets)")
    parser.add_argument("--no-project", action="store_true", help="skip the project's annotations")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "active_learning.png")
    parser.add_argument("--json", type=Path, help="also write the curves and summaries as JSON")
    args = parser.parse_args()

    seeds = list(range(args.seeds))
    print(f"head: {json.dumps({k: v for k, v in vars(SIMULATION_ARGS).items() if k != 'seed'})}")
    results = []
    if not args.no_project:
        pool, test = project_sets()
        results.append(run_set("project annotations zh+en", pool, test, seeds=seeds, seed_size=args.seed_size,
                               batch_size=args.batch_size, rounds=args.rounds))
        report(results[-1])
    for pool_spec, test_spec in args.data:
        results.append(run_set(spec_name(pool_spec), load(pool_spec), load(test_spec), seeds=seeds,
                               seed_size=args.seed_size, batch_size=args.data_batch_size, rounds=args.data_rounds))
        report(results[-1])
    if not results:
        parser.error("nothing to simulate: give --data or drop --no-project")
    plot(results, args.out)
    print(f"\nplot: {args.out}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
