"""Does the same data and seed give the same head, run after run?

    .venv/bin/python bench/determinism.py [--processes 10] [--fits 2] [--seed 13]
        [--hidden 256] [--max-epochs 200] [--patience 15] [SOURCE ...]

It fits the check-worthiness head (frozen encoder; the default hyper-parameters unless
given: the test suite's head is ``--hidden 32 --max-epochs 30 --patience 5``) on the
project's own annotations, or on the training SOURCEs given (``FORMAT:PATH`` or a path,
as ``factcheck train`` takes them), ``--fits`` times in each of ``--processes`` fresh
Python processes, and compares every head with the first one: how many are the same
bytes, the largest weight difference of the others, and whether their dev F1 moved.
A fresh process per run matters: a difference that shows up between processes (thread
pools, kernels picked at start-up) never shows inside one.

Embeddings come from training's cache, so the inputs are the same bytes every time and
only training itself is measured. After one `factcheck train` on the same data a fit
takes a few seconds on 2 cores.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402

DEFAULT_SOURCES = [str(REPO / "annotations" / "zh_checkworthy.jsonl"),
                   str(REPO / "annotations" / "en_checkworthy.jsonl")]


def fit_heads(sources: list[str], args, fits: int, out: Path) -> None:
    """In this process: fit the head ``fits`` times; write each one's weights, best epoch
    and dev probabilities."""
    from factcheck.embed.encoder import shared_encoder
    from factcheck.model.train import embedding_cache_for, fit_frozen, prepare_data

    data = prepare_data(sources, args=args)
    encoder = shared_encoder()
    vectors = embedding_cache_for(encoder).embed(encoder, data.texts())
    n_train, n_dev = len(data.train), len(data.dev)
    for k in range(fits):
        head, _, best_epoch = fit_frozen(vectors, data, args)
        weights = np.concatenate([a.ravel() for layer in head.layers for a in layer])
        np.save(out / f"{k}.npy", weights)
        np.save(out / f"{k}.dev.npy", head.claim_probabilities(vectors[n_train : n_train + n_dev]))
        (out / f"{k}.json").write_text(json.dumps({"best_epoch": best_epoch}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sources", nargs="*", help="training sources (default: the project's annotations)")
    parser.add_argument("--processes", type=int, default=10)
    parser.add_argument("--fits", type=int, default=2, help="fits per process")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--hidden", type=int, help="hidden units of the head (0: linear)")
    parser.add_argument("--max-epochs", type=int)
    parser.add_argument("--patience", type=int)
    parser.add_argument("--child", help=argparse.SUPPRESS)  # the folder a child process writes to
    args = parser.parse_args()
    sources = args.sources or DEFAULT_SOURCES
    knobs = {k: v for k, v in (("hidden", args.hidden), ("max_epochs", args.max_epochs), ("patience", args.patience))
             if v is not None}
    if args.child:
        from factcheck.model.train import TrainingArguments

        fit_heads(sources, TrainingArguments(seed=args.seed, **knobs), args.fits, Path(args.child))
        return

    from rich.progress import MofNCompleteColumn, Progress, SpinnerColumn, TimeElapsedColumn

    runs = []  # (process, fit, weights, dev probabilities, figures)
    with tempfile.TemporaryDirectory() as tmp, Progress(SpinnerColumn(), *Progress.get_default_columns()[:-1],
                                                        MofNCompleteColumn(), TimeElapsedColumn()) as progress:
        task = progress.add_task("processes", total=args.processes)
        for p in range(args.processes):
            out = Path(tmp) / str(p)
            out.mkdir()
            subprocess.run([sys.executable, __file__, *sys.argv[1:], "--child", str(out)], check=True)  # same options
            for k in range(args.fits):
                runs.append((p, k, np.load(out / f"{k}.npy"), np.load(out / f"{k}.dev.npy"),
                             json.loads((out / f"{k}.json").read_text())))
            progress.advance(task)

    _, _, first, first_dev, first_figures = runs[0]
    digests = [hashlib.sha1(w.tobytes()).hexdigest()[:10] for _, _, w, _, _ in runs]
    same = sum(d == digests[0] for d in digests)
    print(f"{len(runs)} fits ({args.processes} processes x {args.fits}), "
          f"seed {args.seed}{f' {knobs}' if knobs else ''}, "
          f"{len(first)} weights: {same} the same bytes as the first, {len(set(digests))} distinct heads")
    for (p, k, weights, dev, figures), digest in zip(runs, digests):
        if digest != digests[0]:
            flips = int(((dev >= 0.5) != (first_dev >= 0.5)).sum())
            print(f"  process {p} fit {k}: head {digest}, weights differ by up to {np.abs(weights - first).max():.3g}, "
                  f"dev probabilities by up to {np.abs(dev - first_dev).max():.3g} ({flips} of {len(dev)} "
                  f"flip at 0.5), best epoch {figures['best_epoch']} (first {first_figures['best_epoch']})")


if __name__ == "__main__":
    main()
