"""How much of a difference between two versions is the luck of one training run?

    .venv/bin/python bench/seed_spread.py VERSION [VERSION ...] [--seeds 13,14,15,16,17]
        [--dev-only VERSION=FORMAT] [--out DIR]

For each version (frozen-encoder versions only: a LoRA run takes minutes per seed) it
retrains the version's own recipe, read from its card (training sources, held-out
sets, hyper-parameters, source weights), once per seed: the seed moves the train/dev
split, the head's initialisation and the batch order. It prints, for every held-out
set, the F1 the card reports next to the lowest, mean and highest F1 of the seeds,
and draws the same as a strip plot (``seed_spread.png`` in ``--out``). Every version
gets the same seeds, so the recipes are compared seed for seed; a version's own seed
(13 by default) reproduces its card when its data and embeddings are unchanged.

``evaluate --against`` measures the noise of the test sample (a paired bootstrap over
sentences) for two fixed models; this measures the other noise a promotion decision
meets, that of training itself. ``--dev-only VERSION=FORMAT`` keeps a format's rows
out of that version's training and in its dev split (early stopping and thresholds
only): how upstream dev files were used before they were trained on (the versions
of November 2026).

Embeddings come from training's cache, so after one `factcheck train` on the same
data a seed takes about 10 s on 2 cores.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402


def spread(card: dict, seeds: list[int], dev_only: str | None, evals: list[str]) -> dict[str, list[float]]:
    """Held-out set -> F1 of each seed, for the recipe of the version ``card`` describes,
    judged on ``evals``."""
    from factcheck.embed.encoder import shared_encoder
    from factcheck.model.train import (
        TrainingArguments,
        TrainingData,
        embedding_cache_for,
        fit_frozen,
        prepare_data,
        tuned_metrics,
    )

    version = card["version"]
    if card["hyperparameters"].get("tune_layers"):
        sys.exit(f"{version} adapts encoder layers (LoRA); this bench retrains frozen-encoder versions only")
    encoder = shared_encoder()
    cache = embedding_cache_for(encoder)
    scores: dict[str, list[float]] = {}
    for seed in seeds:
        args = TrainingArguments.like(card, seed=seed)
        data = prepare_data(list(card["data"]), evals, args=args)
        if dev_only:
            held_back = [e for e in data.train if e.source.split(":", 1)[0] == dev_only]
            if not held_back:
                sys.exit(f"--dev-only {version}={dev_only}: no training example of that format in its recipe")
            kept = [e for e in data.train if e.source.split(":", 1)[0] != dev_only]
            data = TrainingData(kept, data.dev + held_back, data.heldout, data.sources)
            args.source_weights.pop(dev_only, None)
        vectors = cache.embed(encoder, data.texts())
        head, _, _ = fit_frozen(vectors, data, args)
        # tuned_metrics calls the lambda before it returns, so the loop variables are this seed's
        _, _, metrics = tuned_metrics(lambda lo, hi: head.claim_probabilities(vectors[lo:hi]), data)  # noqa: B023
        for name, figures in metrics.items():
            if name != "dev":
                scores.setdefault(name, []).append(figures["f1"])
        print(f"  {version} seed {seed}: " + ", ".join(f"{label(n)} {f['f1']:.3f}"
                                                        for n, f in metrics.items() if n != "dev"), flush=True)
    return scores


def label(name: str) -> str:
    """``claimbuster:test`` stays; ``project_jsonl:zh_checkworthy:test`` becomes ``zh_checkworthy``."""
    parts = name.split(":")[:2]
    return ":".join(parts[1:] if parts[0] == "project_jsonl" else parts)


def plot(results: dict[str, tuple[dict, dict]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = sorted({n for card_f1, _ in results.values() for n in card_f1})
    fig, ax = plt.subplots(figsize=(9, 0.55 * len(names) + 1.5))
    for k, (version, (card_f1, seeds)) in enumerate(results.items()):
        offset = (k - (len(results) - 1) / 2) * 0.25
        colour = f"C{k}"
        for row, name in enumerate(names):
            if name in seeds:
                ax.scatter(seeds[name], [row + offset] * len(seeds[name]), color=colour, alpha=0.5, s=18)
            if name in card_f1:
                ax.scatter([card_f1[name]], [row + offset], color=colour, marker="D", s=40, edgecolor="black",
                           label=version if row == 0 else None)
    ax.set_yticks(range(len(names)), [label(n) for n in names])
    ax.set_xlabel("F1 of the claim class (dots: retrained seeds; diamond: the version's card)")
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=len(results), fontsize=8, frameon=False)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=120)


def main() -> None:
    from rich.console import Console
    from rich.table import Table

    from factcheck.model.registry import show

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("versions", nargs="+")
    parser.add_argument("--seeds", default="13,14,15,16,17", help="comma-separated seeds")
    parser.add_argument("--dev-only", metavar="VERSION=FORMAT", action="append", default=[],
                        help="keep this format's rows in the version's dev split, out of its training")
    parser.add_argument("--out", type=Path, default=Path("bench-out"))
    opts = parser.parse_args()
    seeds = [int(s) for s in opts.seeds.split(",")]
    dev_only = dict(item.split("=", 1) for item in opts.dev_only)
    cards = {version: show(version) for version in opts.versions}
    # Cards older than 2026-12 did not record their --eval sets; they are judged on the
    # first listed card's, and their own card then has figures for those sets.
    shared_evals = next((c["eval_sources"] for c in cards.values() if c.get("eval_sources")), [])
    results = {}
    for version, card in cards.items():
        card_f1 = {n: m["f1"] for n, m in card["metrics"].items() if n != "dev"}
        results[version] = (card_f1, spread(card, seeds, dev_only.get(version),
                                            card.get("eval_sources") or shared_evals))
    table = Table(title=f"F1 on each held-out set: the card's run against {len(seeds)} retrained seeds")
    for column in ("set", "version", "card", "seeds min", "mean", "max", "card's rank"):
        table.add_column(column, justify="left" if column in ("set", "version") else "right")
    for name in sorted({n for card_f1, _ in results.values() for n in card_f1}):
        for version, (card_f1, seed_f1) in results.items():
            if name not in card_f1 or name not in seed_f1:
                continue
            f1s = seed_f1[name]
            rank = 1 + sum(f > card_f1[name] for f in f1s)  # 1 = the card beats every seed
            table.add_row(label(name), version, f"{card_f1[name]:.3f}", f"{min(f1s):.3f}",
                          f"{np.mean(f1s):.3f}", f"{max(f1s):.3f}", f"{rank} of {len(f1s) + 1}")
    Console(width=200).print(table)
    opts.out.mkdir(parents=True, exist_ok=True)
    plot(results, opts.out / "seed_spread.png")
    print(f"plot: {opts.out / 'seed_spread.png'}")


if __name__ == "__main__":
    main()
