"""Adapting the encoder's top layers to check-worthiness: LoRA on cached hidden states.

A frozen encoder with a head separates claims from opinions well in edited prose but
barely beats the all-positive baseline on tweets. Letting the top of the encoder
adapt helps, and stays affordable on a 2-core CPU because only the top ``N`` layers
ever run during training:

    sentences → base encoder up to layer 12 − N, once (cached on disk, fp16)
              → N trainable copies of the top layers with LoRA adapters (peft)
              → mean pooling, L2 norm → linear head

What goes into git is the adapter (the LoRA matrices, ~0.4 MB for 2 layers of rank 8)
and the head, never a copy of the base. Loading merges the adapter into fresh copies
of the base's top layers, so serving costs N extra layers and no LoRA overhead; the
base's own output (used for claim matching) comes from the same forward pass.

The pure parts are :class:`TunedTop` and the batching helpers; the I/O edges are
:class:`HiddenStateCache`, :func:`save_adapter` and :func:`load_tuned_top`.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch

from factcheck.embed.base import pool
from factcheck.errors import ModelError

#: Linear layers of a BERT layer that get LoRA matrices: attention and feed-forward.
LORA_TARGETS = ["query", "key", "value", "attention.output.dense", "intermediate.dense", "output.dense"]
#: Pooled vectors are L2-normalised, then scaled so a linear head can reach confident logits.
POOL_SCALE = 20.0
ADAPTER_FILE = "adapter.safetensors"


class TunedTop(torch.nn.Module):
    """The top ``N`` encoder layers (copies, trainable) plus mean pooling.

    ``forward(hidden, mask)`` takes the hidden states entering layer ``first_layer``
    and returns the pooled, L2-normalised sentence vectors.
    """

    def __init__(self, base_model, n_layers: int):
        super().__init__()
        layers = base_model.encoder.layer
        if not 1 <= n_layers <= len(layers):
            raise ValueError(f"n_layers must be between 1 and {len(layers)}, not {n_layers}")
        self.first_layer = len(layers) - n_layers
        self.layers = torch.nn.ModuleList(copy.deepcopy(layers[i]) for i in range(self.first_layer, len(layers)))

    def forward(self, hidden, mask):
        additive = (1.0 - mask[:, None, None, :].to(hidden.dtype)) * torch.finfo(hidden.dtype).min
        for layer in self.layers:
            out = layer(hidden, attention_mask=additive)
            hidden = out[0] if isinstance(out, tuple) else out
        return pool(hidden, mask)


def pad(states: Sequence) -> tuple:
    """Stack variable-length [n_i, d] tensors into a zero-padded batch and its mask."""
    longest = max(len(s) for s in states)
    dim = states[0].shape[-1]
    x = torch.zeros(len(states), longest, dim)
    mask = torch.zeros(len(states), longest, dtype=torch.long)
    for i, s in enumerate(states):
        x[i, : len(s)] = s.float()
        mask[i, : len(s)] = 1
    return x, mask


def pooled_vectors(top: torch.nn.Module, states: Sequence, batch_size: int = 128) -> np.ndarray:
    """Sentence vectors of the adapted top layers for each text's hidden states."""
    out = np.zeros((len(states), states[0].shape[-1] if states else 0), dtype=np.float32)
    device = next(top.parameters()).device  # a GPU after training there
    with torch.no_grad():
        for idx in length_batches([len(s) for s in states], batch_size):
            x, mask = pad([states[i] for i in idx])
            out[idx] = top(x.to(device), mask.to(device)).cpu().numpy()
    return out


def length_batches(lengths: Sequence[int], batch_size: int, generator=None, *, pool: int = 50) -> list[list[int]]:
    """Batches of similar length (little padding), in a seeded random order.

    Without a generator: input sorted by length, for inference. With one: shuffle,
    sort within pools of ``pool`` batches, then shuffle the batches.
    """
    if generator is None:
        order = sorted(range(len(lengths)), key=lambda i: lengths[i])
        return [order[s : s + batch_size] for s in range(0, len(order), batch_size)]
    order = torch.randperm(len(lengths), generator=generator).tolist()
    span = batch_size * pool
    batches = []
    for s in range(0, len(order), span):
        chunk = sorted(order[s : s + span], key=lambda i: lengths[i])
        batches += [chunk[k : k + batch_size] for k in range(0, len(chunk), batch_size)]
    return [batches[i] for i in torch.randperm(len(batches), generator=generator).tolist()]


def lora_config(rank: int, *, dropout: float = 0.1):
    from peft import LoraConfig

    return LoraConfig(r=rank, lora_alpha=2 * rank, lora_dropout=dropout, target_modules=LORA_TARGETS)


def save_adapter(path: Path, peft_top, *, n_layers: int, rank: int) -> None:
    """Write only the LoRA matrices, with what is needed to rebuild them."""
    from peft import get_peft_model_state_dict
    from safetensors.torch import save_file

    state = {k: v.detach().cpu().contiguous().clone() for k, v in get_peft_model_state_dict(peft_top).items()}
    save_file(state, str(path), metadata={"n_layers": str(n_layers), "rank": str(rank),
                                          "targets": json.dumps(LORA_TARGETS)})


def load_tuned_top(path: Path, base_model) -> TunedTop:
    """Fresh copies of the base's top layers with the saved adapter merged in."""
    from peft import get_peft_model, set_peft_model_state_dict
    from safetensors import safe_open

    try:
        with safe_open(str(path), framework="pt") as f:
            meta = f.metadata() or {}
            state = {k: f.get_tensor(k) for k in f.keys()}
        n_layers, rank = int(meta["n_layers"]), int(meta["rank"])
        top = TunedTop(base_model, n_layers)
        peft_top = get_peft_model(top, lora_config(rank, dropout=0.0))
        result = set_peft_model_state_dict(peft_top, state)
        # peft reports adapter keys it could not place as unexpected: a mismatched file.
        unexpected = getattr(result, "unexpected_keys", None)
        if unexpected:
            raise ValueError(f"{len(unexpected)} tensors do not fit the encoder")
        merged = peft_top.merge_and_unload()
    except Exception as exc:  # safetensors, peft and torch raise several types for a bad file
        raise ModelError(
            f"The encoder adapter {path} is missing or damaged ({exc}). Re-train the version with "
            "`factcheck train` or promote another one with `factcheck models promote`.",
            code="F217",
        ) from exc
    return merged.eval()
