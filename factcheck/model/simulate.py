"""Simulated annotation: does uncertainty ordering save annotations?

A labelled set plays the annotators. Starting from a small seed of labelled examples,
each round trains a head on what is labelled so far, scores the rest of the pool,
"annotates" the next ``batch_size`` examples (their gold labels are revealed) and
measures F1 on a fixed held-out test set. Two orderings are compared:

* ``uncertainty``: the examples whose claim probability is nearest 0.5 first, the
  order ``factcheck push --order uncertainty`` sends claims to Label Studio in
  (``abs(p - 0.5)`` ascending; ties keep pool order);
* ``random``: a seeded shuffle of the unlabelled pool.

Everything works on precomputed embeddings (see :func:`embed_texts`, which goes
through the on-disk embedding cache), so a round is one small ``fit_head`` call and
takes milliseconds to a fraction of a second. Both strategies see the same seed set,
the same head initialisation and the same dev rule for a given ``seed``; the only
difference is which examples get annotated. Nothing here prints.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Sequence

import numpy as np

from factcheck.model.train import TrainingArguments, fit_head

STRATEGIES = ("uncertainty", "random")

#: Fast head settings for simulations: a linear head, short early-stopped training.
SIMULATION_ARGS = TrainingArguments(
    hidden=0, dropout=0.0, learning_rate=1e-2, weight_decay=1e-4, batch_size=64, max_epochs=60, patience=10,
    dev_fraction=0.2,
)


def select(probs: np.ndarray, k: int, strategy: str, rng: np.random.Generator) -> np.ndarray:
    """Indices (into ``probs``) of the ``k`` examples to annotate next.

    ``uncertainty``: ascending ``abs(p - 0.5)``, a stable sort, so ties keep their order.
    ``random``: the first ``k`` of a permutation drawn from ``rng``.
    """
    probs = np.asarray(probs, dtype=np.float64)
    k = max(0, min(int(k), len(probs)))
    if strategy == "uncertainty":
        order = np.argsort(np.abs(probs - 0.5), kind="stable")
    elif strategy == "random":
        order = rng.permutation(len(probs))
    else:
        raise ValueError(f"strategy must be one of {STRATEGIES}, got {strategy!r}")
    return order[:k]


def _rank_key(seed: int, index: int) -> bytes:
    return hashlib.sha256(f"{seed}:{index}".encode()).digest()


def dev_slice(
    labelled: Sequence[int], labels: np.ndarray, *, fraction: float, seed: int
) -> tuple[list[int], list[int]]:
    """Split labelled pool indices into (train, dev) for early stopping.

    Per class, the indices are ordered by ``sha256(f"{seed}:{index}")`` and the first
    ``round(fraction * n)`` (at least one when the class has two or more) go to dev.
    Deterministic, and an index keeps its rank key as the labelled set grows.
    """
    dev: list[int] = []
    for label in (0, 1):
        members = sorted((i for i in labelled if labels[i] == label), key=lambda i: _rank_key(seed, i))
        cut = int(np.floor(fraction * len(members) + 0.5))
        if len(members) >= 2:
            cut = max(cut, 1)
        cut = min(cut, len(members) - 1) if members else 0
        dev += members[:cut]
    chosen = set(dev)
    return [i for i in labelled if i not in chosen], [i for i in labelled if i in chosen]


def seed_set(labels: np.ndarray, size: int, rng: np.random.Generator) -> list[int]:
    """A random seed set of ``size`` pool indices, half of each class where possible."""
    by_class = {c: rng.permutation(np.nonzero(labels == c)[0]) for c in (0, 1)}
    want = {1: min(size // 2, len(by_class[1]))}
    want[0] = min(size - want[1], len(by_class[0]))
    want[1] = min(size - want[0], len(by_class[1]))
    chosen = np.concatenate([by_class[c][: want[c]] for c in (0, 1)])
    return sorted(int(i) for i in chosen)


def _f1_auc(probs: np.ndarray, labels: np.ndarray, threshold: float) -> tuple[float, float]:
    from factcheck.model.evaluate import metrics_for

    m = metrics_for(probs, labels, (probs >= threshold).astype(int))
    return m["f1"], m["roc_auc"]


def simulate(
    pool_x: np.ndarray, pool_y: np.ndarray, test_x: np.ndarray, test_y: np.ndarray, *,
    strategy: str, seed_size: int, batch_size: int, rounds: int, seed: int,
    args: TrainingArguments = SIMULATION_ARGS, threshold: float = 0.5,
) -> list[dict]:
    """One simulated annotation run; one row per round.

    Round ``r`` (0-based) trains on ``seed_size + r * batch_size`` annotations and
    reports ``{"round", "n_annotations", "positives", "f1", "roc_auc", "best_epoch"}``
    on the test set (F1 of the positive class at ``threshold``). After each round but
    the last, the next ``batch_size`` pool examples are chosen by ``strategy``.
    ``args.seed`` is replaced by ``seed``; ``args.dev_fraction`` sizes the dev slice
    carved from the labelled examples for early stopping.
    """
    if strategy not in STRATEGIES:
        raise ValueError(f"strategy must be one of {STRATEGIES}, got {strategy!r}")
    if rounds < 1 or batch_size < 1 or seed_size < 2:
        raise ValueError("rounds and batch_size must be >= 1 and seed_size >= 2")
    pool_x = np.asarray(pool_x, dtype=np.float32)
    pool_y = np.asarray(pool_y, dtype=np.int64)
    test_x = np.asarray(test_x, dtype=np.float32)
    test_y = np.asarray(test_y, dtype=np.int64)
    needed = seed_size + (rounds - 1) * batch_size
    if needed > len(pool_y):
        raise ValueError(f"{rounds} rounds of {batch_size} after a seed of {seed_size} need {needed} pool "
                         f"examples; the pool has {len(pool_y)}")
    args = dataclasses.replace(args, seed=seed)
    rng = np.random.default_rng(seed)
    labelled = seed_set(pool_y, seed_size, rng)
    is_labelled = np.zeros(len(pool_y), dtype=bool)
    is_labelled[labelled] = True
    pick_rng = np.random.default_rng([seed, 1])  # random ordering's own stream
    rows: list[dict] = []
    for r in range(rounds):
        train, dev = dev_slice(labelled, pool_y, fraction=args.dev_fraction, seed=seed)
        head, _, best_epoch = fit_head(pool_x[train], pool_y[train], pool_x[dev], pool_y[dev], args)
        f1, auc = _f1_auc(head.claim_probabilities(test_x), test_y, threshold)
        rows.append({
            "round": r, "n_annotations": len(labelled), "positives": int(pool_y[labelled].sum()),
            "f1": f1, "roc_auc": auc, "best_epoch": best_epoch,
        })
        if r == rounds - 1:
            break
        unlabelled = np.nonzero(~is_labelled)[0]
        probs = head.claim_probabilities(pool_x[unlabelled])
        picked = unlabelled[select(probs, batch_size, strategy, pick_rng)]
        is_labelled[picked] = True
        labelled = sorted(labelled + [int(i) for i in picked])
    return rows


def aggregate(runs: Sequence[Sequence[dict]]) -> list[dict]:
    """Mean and sample std (0 for a single run) per round over several runs of the same shape."""
    if not runs:
        return []
    out = []
    for r, rows in enumerate(zip(*runs)):
        ns = {row["n_annotations"] for row in rows}
        if len(ns) != 1:
            raise ValueError(f"round {r}: runs disagree on n_annotations {sorted(ns)}")
        row = {"round": r, "n_annotations": ns.pop(), "runs": len(rows)}
        for key in ("f1", "roc_auc", "positives"):
            values = np.array([x[key] for x in rows], dtype=np.float64)
            row[key] = round(float(values.mean()), 4)
            row[f"{key}_std"] = round(float(values.std(ddof=1)) if len(values) > 1 else 0.0, 4)
        out.append(row)
    return out


def full_pool(
    pool_x: np.ndarray, pool_y: np.ndarray, test_x: np.ndarray, test_y: np.ndarray, *, seed: int,
    args: TrainingArguments = SIMULATION_ARGS, threshold: float = 0.5,
) -> dict:
    """The reference point: the same head trained on the whole pool (same dev rule)."""
    pool_y = np.asarray(pool_y, dtype=np.int64)
    args = dataclasses.replace(args, seed=seed)
    train, dev = dev_slice(list(range(len(pool_y))), pool_y, fraction=args.dev_fraction, seed=seed)
    x = np.asarray(pool_x, dtype=np.float32)
    head, _, best_epoch = fit_head(x[train], pool_y[train], x[dev], pool_y[dev], args)
    f1, auc = _f1_auc(head.claim_probabilities(np.asarray(test_x, dtype=np.float32)), np.asarray(test_y), threshold)
    return {"n_annotations": len(pool_y), "f1": f1, "roc_auc": auc, "best_epoch": best_epoch}


def simulate_seeds(
    pool_x: np.ndarray, pool_y: np.ndarray, test_x: np.ndarray, test_y: np.ndarray, *,
    strategy: str, seeds: Sequence[int], **kwargs,
) -> tuple[list[dict], list[list[dict]]]:
    """:func:`simulate` for each seed; returns (mean ± std curve, the per-seed runs)."""
    runs = [simulate(pool_x, pool_y, test_x, test_y, strategy=strategy, seed=s, **kwargs) for s in seeds]
    return aggregate(runs), runs


def annotations_needed(curve_u: Sequence[dict], curve_r: Sequence[dict], *, key: str = "f1") -> dict:
    """How many annotations uncertainty ordering needs to reach random ordering's final F1.

    ``target`` is the random curve's last ``key``. ``random_n`` is the first
    ``n_annotations`` at which the random curve itself reaches ``target`` (its last
    point, unless it got there earlier: the conservative reference);
    ``uncertainty_n`` is the first at which the uncertainty curve does (None if never).
    ``saved`` and ``saving_pct`` compare the two (None if uncertainty never gets there;
    negative if it needs more).
    """
    if not curve_u or not curve_r:
        raise ValueError("both curves need at least one point")

    def first(curve, target):
        return next((row["n_annotations"] for row in curve if row[key] >= target), None)

    target = curve_r[-1][key]
    random_n = first(curve_r, target)
    uncertainty_n = first(curve_u, target)
    saved = None if uncertainty_n is None else random_n - uncertainty_n
    return {
        "target_f1": target,
        "random_final_n": curve_r[-1]["n_annotations"],
        "random_n": random_n,
        "uncertainty_n": uncertainty_n,
        "uncertainty_final_f1": curve_u[-1][key],
        "saved": saved,
        "saving_pct": None if saved is None else round(100.0 * saved / random_n, 1),
    }


def embed_texts(texts: Sequence[str], encoder=None, progress=None) -> np.ndarray:
    """Embeddings of ``texts`` from the project's frozen encoder, through the on-disk cache."""
    from factcheck.embed.cache import embedding_cache_for
    from factcheck.embed.encoder import shared_encoder

    encoder = encoder or shared_encoder()
    return embedding_cache_for(encoder).embed(encoder, list(texts), progress=progress)
