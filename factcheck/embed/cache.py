"""On-disk caches of encoder outputs, so training and evaluation never embed the same
sentence twice: sentence vectors (:class:`EmbeddingCache`) and, for versions that adapt
the encoder's top layers, the hidden states entering them (:class:`HiddenStateCache`).
One SQLite file per base build (:func:`base_tag`), under ``$FACTCHECK_CACHE``.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from factcheck.embed.encoder import MAX_TOKENS, Encoder
from factcheck.settings import cache_dir


class EmbeddingCache:
    """sqlite table text-hash → embedding, per base model, so re-training and
    evaluation never embed the same sentence twice."""

    SCHEMA = "create table if not exists emb (key text primary key, vec blob)"

    def __init__(self, path: Path, dim: int):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(path)
        self.conn.execute(self.SCHEMA)
        self.dim = dim

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha1(text.encode("utf-8")).hexdigest()

    def rows(self, table: str, columns: str, keys: Sequence[str]):
        """The stored rows of ``keys`` (in chunks: SQLite caps the number of parameters)."""
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            marks = ",".join("?" * len(chunk))
            yield from self.conn.execute(f"select key, {columns} from {table} where key in ({marks})", chunk)

    def store_first(self, table: str, columns: str, rows: Sequence[tuple]) -> dict[str, tuple]:
        """Insert ``rows`` (key first) where their key is not stored yet, and return what
        is stored for those keys. A text's vector moves in its last bits with the batch it
        was embedded in; when two runs embed it at once, the first one stored wins and
        both train on the same bits."""
        with self.conn:
            self.conn.executemany(f"insert or ignore into {table} values ({','.join('?' * len(rows[0]))})", rows)
        return {key: rest for key, *rest in self.rows(table, columns, [row[0] for row in rows])}

    def embed(
        self, encoder: Encoder, texts: Sequence[str], progress: Callable[[int], None] | None = None
    ) -> np.ndarray:
        keys = [self.key(t) for t in texts]
        found = {key: np.frombuffer(blob, dtype=np.float32) for key, blob in self.rows("emb", "vec", keys)}
        missing = sorted({k: t for k, t in zip(keys, texts) if k not in found}.items())
        if progress:
            progress(len(texts) - len(missing))
        if missing:
            vectors = encoder.embed([t for _, t in missing], progress=progress)
            stored = self.store_first("emb", "vec",
                                      [(k, v.astype(np.float32).tobytes()) for (k, _), v in zip(missing, vectors)])
            found.update({k: np.frombuffer(blob, dtype=np.float32) for k, (blob,) in stored.items()})
        return np.stack([found[k] for k in keys]) if keys else np.zeros((0, self.dim), np.float32)


def base_tag(encoder: Encoder) -> str:
    """Short id of the encoder build, from its manifest: caches of another build are not
    reused, nor those of another precision (int8 vectors are not fp32 ones)."""
    manifest = Path(encoder.path) / "manifest.json"
    tag = hashlib.sha1(manifest.read_bytes()).hexdigest()[:12] if manifest.exists() else "unknown"
    precision = getattr(encoder, "precision", "fp32")
    return tag if precision == "fp32" else f"{tag}-{precision}"


def embedding_cache_for(encoder: Encoder) -> EmbeddingCache:
    return EmbeddingCache(cache_dir() / "embeddings" / f"{base_tag(encoder)}.sqlite", encoder.dim)


class HiddenStateCache(EmbeddingCache):
    """sqlite table text-hash → hidden states entering one layer (fp16, unpadded).

    One file per base model, layer and token limit, so re-training never runs the
    lower layers over the same sentence twice.
    """

    SCHEMA = "create table if not exists states (key text primary key, n integer, data blob)"

    def states(self, encoder, texts: Sequence[str], layer: int,
               progress: Callable[[int], None] | None = None) -> list:
        """Hidden states entering ``layer`` for each text (torch fp16 tensors [n_i, d])."""
        import torch

        keys = [self.key(t) for t in texts]
        found = {key: self._tensor(n, blob) for key, n, blob in self.rows("states", "n, data", keys)}
        missing = sorted({k: t for k, t in zip(keys, texts) if k not in found}.items())
        if progress:
            progress(len(texts) - len(missing))
        for start in range(0, len(missing), 256):  # commit as we go: an interrupted run keeps its work
            part = missing[start : start + 256]
            _, taps = encoder.embed([t for _, t in part], tap=layer, progress=progress)
            rows = [(k, len(s), s.to(torch.float16).numpy().tobytes()) for (k, _), s in zip(part, taps)]
            stored = self.store_first("states", "n, data", rows)
            found.update({k: self._tensor(n, blob) for k, (n, blob) in stored.items()})
        return [found[k] for k in keys]

    def _tensor(self, n: int, blob: bytes):
        import torch

        return torch.from_numpy(np.frombuffer(blob, dtype=np.float16).reshape(n, self.dim).copy())


def hidden_state_cache_for(encoder, layer: int) -> HiddenStateCache:
    name = f"{base_tag(encoder)}-layer{layer}-{MAX_TOKENS}.sqlite"
    return HiddenStateCache(cache_dir() / "hidden" / name, encoder.dim)
