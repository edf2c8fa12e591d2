"""The base encoder exported to ONNX and served by ONNX Runtime.

Why: a process that scores sentences spends most of its start-up importing torch and
transformers (2026-12-05 on the 2-core dev machine: 13-27 s to the first score, of
which importing transformers' BERT module alone took 12 s). ONNX Runtime and the
``tokenizers`` library load in a fraction of a second, and the graph runs about 10%
faster than torch on the same CPU, with the same vectors (cosine >= 0.99999).

``prepare_onnx()`` (run by ``factcheck models prepare`` after the base is built)
exports the verified base of :mod:`factcheck.embed.base` once, with mean pooling and
the L2 norm inside the graph, into ``cache_dir()/onnx/multilingual-e5-small/``:

- ``model.onnx``: the graph (~0.2 MB);
- ``model.onnx.data``: the weights (~470 MB), kept outside the graph so ONNX
  Runtime maps the file instead of parsing and copying it (0.2-0.4 s against
  1.5-2.4 s for a single-file model);
- ``manifest.json``: the hash of the base's manifest it was exported from, file
  hashes, and the cosine with the torch model for each fixed sentence.

Like the base, it is built in a temporary directory, checked, then renamed into
place, so an interrupted export never leaves a cache that looks valid. A rebuilt
base makes the export stale (its manifest hash changes), and ``load_onnx`` says so.

Only the frozen encoder runs here. Versions that adapt the top layers
(``factcheck train --tune-layers``) need the hidden states inside the encoder and
stay on torch (:class:`factcheck.model.classifier.Encoder` picks the backend).
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import tempfile
import time
import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from factcheck.embed.base import (
    MANIFEST,
    MODEL_NAME,
    REBUILD_HINT,
    VERIFY_SENTENCES,
    Progress,
    _build_lock,
    _built_in_place,
    _verified_manifest,
    _write_manifest,
    base_path,
    cache_dir,
    load_base,
)
from factcheck.errors import ModelError

log = logging.getLogger(__name__)

#: Bump when the export changes, so older exports are rebuilt.
EXPORT_VERSION = 1
#: The export must give the torch model's vectors, up to float rounding.
MIN_COSINE = 0.99999
GRAPH = "model.onnx"
WEIGHTS = "model.onnx.data"
_OPSET = 17


#: Encoder precisions: "fp32" (the export) or "int8" (its dynamic int8 quantisation).
PRECISIONS = ("fp32", "int8")
#: The int8 graph's vectors stay this close to the fp32 ones (measured: >= 0.98 on news text).
INT8_MIN_COSINE = 0.97
#: Bump when the quantisation changes, so older int8 graphs are rebuilt.
INT8_VERSION = 1


def onnx_path(precision: str = "fp32") -> Path:
    """Where ``prepare_onnx()`` (fp32) or ``prepare_int8()`` puts the exported encoder."""
    return cache_dir() / "onnx" / (MODEL_NAME if precision == "fp32" else f"{MODEL_NAME}-{precision}")


def _base_fingerprint(base: Path) -> str:
    """The base build an export belongs to: the hash of the base's manifest."""
    return hashlib.sha256((base / MANIFEST).read_bytes()).hexdigest()


# ------------------------------------------------------------------ export


def _export(base: Path, out: Path) -> tuple:
    """Write ``GRAPH`` and ``WEIGHTS`` for the base model into ``out``; return the
    loaded ``(tokenizer, model)`` for the check against torch."""
    import onnx
    import torch

    from factcheck.embed.base import _load_hf, pool

    tokenizer, model = _load_hf(base)

    class Pooled(torch.nn.Module):
        """The base with the classifier's pooling: mean over real tokens, L2 norm."""

        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask):
            return pool(self.inner(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state,
                        attention_mask)

    # eval() on the wrapper itself: the exporter sets the wrapper's mode on the model inside.
    wrapper = Pooled(model).eval()
    sample = tokenizer(["query: 样例句子", "query: a longer sample sentence"], padding=True, return_tensors="pt")
    axes = {0: "batch", 1: "tokens"}
    with tempfile.TemporaryDirectory(dir=out) as scratch, warnings.catch_warnings():
        # The tracer's notes on shape checks it freezes: masks are always given and
        # as long as the input, which the verification's padded batch exercises.
        warnings.simplefilter("ignore")
        single = Path(scratch) / GRAPH
        torch.onnx.export(
            wrapper,
            (sample["input_ids"], sample["attention_mask"]),
            str(single),
            input_names=["input_ids", "attention_mask"],
            output_names=["embedding"],
            dynamic_axes={"input_ids": axes, "attention_mask": axes, "embedding": {0: "batch"}},
            opset_version=_OPSET,
            dynamo=False,  # the TorchScript exporter: no onnxscript needed, a fixed, simple graph
        )
        graph = onnx.load(str(single))
    onnx.save_model(graph, str(out / GRAPH), save_as_external_data=True, all_tensors_to_one_file=True,
                    location=WEIGHTS, size_threshold=1024)
    return tokenizer, model


def _verify_export(out: Path, base: Path, tokenizer, model) -> dict[str, float]:
    """Cosine of each fixed sentence's vector from the export with the torch model's."""
    from factcheck.embed.base import _mean_pool

    texts = ["query: " + s for s in VERIFY_SENTENCES]
    theirs = _mean_pool(model, tokenizer, texts)
    ours = OnnxEncoder(out, base)(texts)[0]
    cosines = {s: round(float(a @ b), 7) for s, a, b in zip(VERIFY_SENTENCES, ours, theirs)}
    worst = min(cosines, key=cosines.__getitem__)
    if cosines[worst] < MIN_COSINE:
        raise ModelError(
            f"the ONNX export's vector of {worst!r} has cosine {cosines[worst]:.6f} with the torch model's "
            f"(need >= {MIN_COSINE}); nothing was installed. Report this with your torch and onnx versions.",
            code="F218",
        )
    return cosines


def _is_current(target: Path, fingerprint: str) -> bool:
    try:
        manifest = verify_onnx(target)
    except ModelError:
        return False
    return manifest.get("export_version") == EXPORT_VERSION and manifest.get("base_manifest_sha256") == fingerprint


def prepare_onnx(force: bool = False, progress: Progress | None = None) -> Path:
    """Export the verified base (``factcheck models prepare`` builds it first) to ONNX.

    Idempotent: returns at once when a verified export of the current base exists
    (unless ``force``). Raises ``ModelError`` when the base is missing or corrupt, or
    the export's vectors differ from the torch model's.
    """

    def say(message: str) -> None:
        log.info(message)
        if progress:
            progress(message)

    base = load_base()
    fingerprint = _base_fingerprint(base)
    target = onnx_path()
    if not force and _is_current(target, fingerprint):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with _build_lock(target.parent):
        if not force and _is_current(target, fingerprint):  # exported while we waited
            return target
        started = time.perf_counter()
        with _built_in_place(target) as tmp:
            say("exporting the encoder to ONNX (once; about half a minute)")
            tokenizer, model = _export(base, tmp)
            say("checking the export against the torch model")
            cosines = _verify_export(tmp, base, tokenizer, model)
            del tokenizer, model
            fields = {
                "model": MODEL_NAME,
                "export_version": EXPORT_VERSION,
                "base": str(base),
                "base_manifest_sha256": fingerprint,
                "opset": _OPSET,
            }
            _write_manifest(tmp, fields, cosines, MIN_COSINE, started)
    say(f"exported {target} in {time.perf_counter() - started:.1f} s (min cosine {min(cosines.values()):.6f})")
    return target


def _export_fingerprint(export: Path) -> str:
    """The fp32 export an int8 graph was quantised from: the hash of its manifest."""
    return hashlib.sha256((export / MANIFEST).read_bytes()).hexdigest()


def _int8_is_current(target: Path, fingerprint: str) -> bool:
    try:
        manifest = _verified_manifest(target, frozenset({GRAPH}), absent="", absent_code="F219", code="F219")
    except ModelError:
        return False
    return manifest.get("int8_version") == INT8_VERSION and manifest.get("export_manifest_sha256") == fingerprint


def prepare_int8(force: bool = False, progress: Progress | None = None) -> Path:
    """Quantise the fp32 export (``prepare_onnx``) to dynamic int8 with ONNX Runtime's
    quantiser: int8 weights for the matrix products and the embedding table, activations
    quantised per batch at run time. About 1.7x faster on a CPU with AVX2/VNNI; the vectors
    move (cosine >= 0.98 with fp32), so a model's thresholds must be recalibrated on int8
    scores before its decisions mean the same (:mod:`factcheck.model.int8`).

    Idempotent like ``prepare_onnx``; builds the fp32 export first when it is missing.
    About 10 s and 120 MB. Raises ``ModelError`` (F219) when the result's vectors are
    further than :data:`INT8_MIN_COSINE` from the fp32 ones.
    """
    from onnxruntime.quantization import QuantType, quantize_dynamic

    def say(message: str) -> None:
        log.info(message)
        if progress:
            progress(message)

    export = prepare_onnx(progress=progress)
    fingerprint = _export_fingerprint(export)
    target = onnx_path("int8")
    if not force and _int8_is_current(target, fingerprint):
        return target
    with _build_lock(target.parent):
        if not force and _int8_is_current(target, fingerprint):
            return target
        started = time.perf_counter()
        with _built_in_place(target) as tmp:
            say("quantising the encoder to int8 (once; about 10 s)")
            with tempfile.TemporaryDirectory(dir=tmp) as scratch:
                # A copy: onnx refuses external data with several hard links (caches shared by links).
                for name in (GRAPH, WEIGHTS):
                    shutil.copyfile(export / name, Path(scratch) / name)
                root = logging.getLogger()
                quiet = root.disabled
                root.disabled = True  # the quantiser logs a hint about pre-processing on the root logger
                try:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        quantize_dynamic(Path(scratch) / GRAPH, tmp / GRAPH, weight_type=QuantType.QInt8)
                finally:
                    root.disabled = quiet
            base = load_base()
            texts = ["query: " + s for s in VERIFY_SENTENCES]
            theirs = OnnxEncoder(export, base)(texts)[0]
            ours = OnnxEncoder(tmp, base)(texts)[0]
            cosines = {s: round(float(a @ b), 7) for s, a, b in zip(VERIFY_SENTENCES, ours, theirs)}
            worst = min(cosines.values())
            if worst < INT8_MIN_COSINE:
                raise ModelError(f"the int8 encoder's vectors are too far from fp32 (cosine {worst:.4f}, "
                                 f"need >= {INT8_MIN_COSINE}); nothing was installed. Use the fp32 encoder "
                                 "(FACTCHECK_ENCODER_PRECISION=fp32).", code="F219")
            fields = {"model": MODEL_NAME, "int8_version": INT8_VERSION, "export_manifest_sha256": fingerprint,
                      "quantisation": "onnxruntime quantize_dynamic, QInt8 weights"}
            _write_manifest(tmp, fields, cosines, INT8_MIN_COSINE, started)
    say(f"quantised {target} in {time.perf_counter() - started:.1f} s (min cosine {min(cosines.values()):.4f})")
    return target


# ------------------------------------------------------------------ loading


def verify_onnx(path: str | Path | None = None, *, base: str | Path | None = None) -> dict:
    """Check an export against its manifest (sizes; hashes, sampled for the weights)
    and, with ``base``, that it was exported from that base build. Returns the
    manifest; raises ``ModelError`` (F219) naming the command that rebuilds it."""
    path = Path(path) if path is not None else onnx_path()
    manifest = _verified_manifest(path, frozenset({GRAPH, WEIGHTS}), absent="the ONNX export of the encoder is missing",
                                  absent_code="F219", code="F219")
    if base is not None and manifest.get("base_manifest_sha256") != _base_fingerprint(Path(base)):
        raise ModelError(f"the ONNX export in {path} belongs to an earlier build of the base encoder. {REBUILD_HINT}",
                         code="F219")
    return manifest


class OnnxEncoder:
    """ONNX Runtime session plus the base's tokenizer: prefixed, cleaned texts →
    unit vectors. Neither torch nor transformers is imported."""

    def __init__(self, path: str | Path | None = None, base: str | Path | None = None, *,
                 num_threads: int | None = None, max_tokens: int = 512):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.path = Path(path) if path is not None else onnx_path()
        base = Path(base) if base is not None else base_path()
        specials = json.loads((base / "tokenizer_config.json").read_text("utf-8"))
        self.tokenizer = Tokenizer.from_file(str(base / "tokenizer.json"))
        pad = specials.get("pad_token", "<pad>")
        self.tokenizer.enable_padding(pad_id=self.tokenizer.token_to_id(pad), pad_token=pad)
        self.tokenizer.enable_truncation(max_length=max_tokens)
        self.max_tokens = max_tokens
        options = ort.SessionOptions()
        if num_threads:
            options.intra_op_num_threads = num_threads
        options.log_severity_level = 3  # errors only: no notes about unused initializers
        try:
            self.session = ort.InferenceSession(str(self.path / GRAPH), options, providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own exception types for a bad file
            raise ModelError(f"ONNX Runtime could not load {self.path / GRAPH}: {exc}. {REBUILD_HINT}",
                             code="F219") from exc

    def __call__(self, texts: Sequence[str]) -> tuple[np.ndarray, int]:
        """Vectors for one batch (float32, unit rows), and how many texts were cut at
        ``max_tokens``."""
        encodings = self.tokenizer.encode_batch(list(texts))
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        vectors = self.session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
        return vectors.astype(np.float32, copy=False), int((mask.sum(1) >= self.max_tokens).sum())


def load_onnx(base: str | Path, *, num_threads: int | None = None, max_tokens: int = 512,
              precision: str = "fp32") -> OnnxEncoder:
    """The verified export of ``base`` in a session (``precision="int8"``: its int8
    quantisation, built on first use). Raises ``ModelError`` (F219)."""
    path = onnx_path()
    verify_onnx(path, base=base)
    if precision == "int8":
        path = prepare_int8()
    return OnnxEncoder(path, base, num_threads=num_threads, max_tokens=max_tokens)


#: Bump when the calibration of thresholds on int8 scores changes (factcheck.model.int8).
CALIBRATION_VERSION = 1


def int8_thresholds_path(version: str) -> Path:
    """Where a model version's thresholds for int8 scores are cached, per int8 graph
    (``factcheck models calibrate-int8`` writes them: factcheck.model.int8)."""
    fingerprint = hashlib.sha256((prepare_int8() / MANIFEST).read_bytes()).hexdigest()[:12]
    return cache_dir() / "int8-thresholds" / f"{version}-{fingerprint}-v{CALIBRATION_VERSION}.json"


def read_int8_thresholds(version: str) -> dict:
    """``{"thresholds": {...}, "extract_thresholds": {...}}`` of ``version`` for int8 scores.

    :raises ModelError: F222 when they are not calibrated yet, with the command that does it.
    """
    path = int8_thresholds_path(version)
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        raise ModelError(f"{version}'s thresholds are not calibrated for the int8 encoder yet: run `factcheck models "
                         f"calibrate-int8 --model {version}` (about a minute), or unset FACTCHECK_ENCODER_PRECISION "
                         "to score with fp32.", code="F222") from None
