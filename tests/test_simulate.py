"""The simulated annotation loop (factcheck.model.simulate).

Uses real e5 embeddings (through the embedding cache) of a small slice of the
project's annotations, and a few short rounds, so the whole module runs in seconds.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from factcheck.model.simulate import (
    SIMULATION_ARGS,
    aggregate,
    annotations_needed,
    dev_slice,
    embed_texts,
    seed_set,
    select,
    simulate,
)

REPO = Path(__file__).resolve().parent.parent
ANNOTATIONS = REPO / "annotations"


@pytest.fixture(scope="module")
def small():
    """Pool: 80 zh + 80 en train rows (balanced); test: 30 + 30 test rows."""
    pool, test = [], []
    for name in ("zh_checkworthy.jsonl", "en_checkworthy.jsonl"):
        rows = [json.loads(line) for line in (ANNOTATIONS / name).read_text("utf-8").splitlines()]
        for label in (0, 1):
            pool += [r for r in rows if r["split"] == "train" and r["label"] == label][:40]
            test += [r for r in rows if r["split"] == "test" and r["label"] == label][:15]
    pool_x = embed_texts([r["text"] for r in pool])
    test_x = embed_texts([r["text"] for r in test])
    return pool_x, np.array([r["label"] for r in pool]), test_x, np.array([r["label"] for r in test])


KW = dict(seed_size=10, batch_size=8, rounds=4)


# -- selection -------------------------------------------------------------------------


def test_uncertainty_picks_the_probabilities_nearest_one_half():
    probs = np.array([0.99, 0.52, 0.10, 0.47, 0.70, 0.5, 0.31, 0.05])
    picked = select(probs, 3, "uncertainty", np.random.default_rng(0))
    assert list(picked) == [5, 1, 3]  # |p - 0.5| = 0, 0.02, 0.03
    assert list(select(probs, 8, "uncertainty", np.random.default_rng(0))) == [5, 1, 3, 6, 4, 2, 7, 0]


def test_uncertainty_ties_keep_pool_order_and_ignore_the_rng():
    probs = np.array([0.4, 0.6, 0.9, 0.4, 0.6])
    for seed in (0, 1, 2):
        assert list(select(probs, 4, "uncertainty", np.random.default_rng(seed))) == [0, 1, 3, 4]


def test_random_selection_is_a_seeded_draw_without_repeats():
    probs = np.linspace(0, 1, 50)
    a = select(probs, 10, "random", np.random.default_rng(3))
    b = select(probs, 10, "random", np.random.default_rng(3))
    c = select(probs, 10, "random", np.random.default_rng(4))
    assert list(a) == list(b) and list(a) != list(c)
    assert len(set(a.tolist())) == 10 and all(0 <= i < 50 for i in a)


def test_select_caps_k_and_rejects_unknown_strategies():
    assert len(select(np.array([0.2, 0.8]), 5, "uncertainty", np.random.default_rng(0))) == 2
    assert len(select(np.array([0.2, 0.8]), 0, "random", np.random.default_rng(0))) == 0
    with pytest.raises(ValueError):
        select(np.array([0.5]), 1, "margin", np.random.default_rng(0))


def test_seed_set_is_balanced_and_the_dev_slice_is_deterministic():
    labels = np.array([0] * 30 + [1] * 10)
    chosen = seed_set(labels, 10, np.random.default_rng(0))
    assert len(chosen) == 10 and int(labels[chosen].sum()) == 5
    assert chosen == seed_set(labels, 10, np.random.default_rng(0))
    train, dev = dev_slice(list(range(40)), labels, fraction=0.2, seed=1)
    assert (train, dev) == dev_slice(list(range(40)), labels, fraction=0.2, seed=1)
    assert sorted(train + dev) == list(range(40)) and not set(train) & set(dev)
    assert int(labels[dev].sum()) == 2 and len(dev) == 8  # 20% of each class
    _, tiny = dev_slice([0, 1, 30, 31], labels, fraction=0.1, seed=1)
    assert sorted(labels[tiny]) == [0, 1]  # one per class even when 10% rounds to 0


# -- simulation ------------------------------------------------------------------------


@pytest.mark.parametrize("strategy", ["uncertainty", "random"])
def test_curves_have_one_row_per_round_with_growing_annotations(small, strategy):
    rows = simulate(*small, strategy=strategy, seed=0, **KW)
    assert [r["n_annotations"] for r in rows] == [10, 18, 26, 34]
    assert [r["round"] for r in rows] == [0, 1, 2, 3]
    for row in rows:
        assert 0.0 <= row["f1"] <= 1.0 and 0.0 <= row["roc_auc"] <= 1.0
        assert 0 <= row["positives"] <= row["n_annotations"]
    assert rows[0]["positives"] == 5


def test_a_seed_gives_the_same_curve_and_both_orderings_share_round_zero(small):
    a = simulate(*small, strategy="uncertainty", seed=1, **KW)
    assert a == simulate(*small, strategy="uncertainty", seed=1, **KW)
    r = simulate(*small, strategy="random", seed=1, **KW)
    assert r == simulate(*small, strategy="random", seed=1, **KW)
    assert a[0] == r[0]  # same seed set, dev slice and initialisation before any choice
    assert simulate(*small, strategy="random", seed=2, **KW) != r


def test_a_pool_too_small_for_the_rounds_is_refused(small):
    with pytest.raises(ValueError, match="pool"):
        simulate(*small, strategy="random", seed=0, seed_size=10, batch_size=100, rounds=3)
    with pytest.raises(ValueError):
        simulate(*small, strategy="entropy", seed=0, **KW)


def test_simulation_args_are_fast():
    assert SIMULATION_ARGS.hidden == 0 and SIMULATION_ARGS.max_epochs <= 60


def test_aggregate_gives_mean_and_std_per_round():
    runs = [
        [{"n_annotations": 10, "f1": 0.5, "roc_auc": 0.6, "positives": 5},
         {"n_annotations": 20, "f1": 0.7, "roc_auc": 0.8, "positives": 9}],
        [{"n_annotations": 10, "f1": 0.7, "roc_auc": 0.6, "positives": 5},
         {"n_annotations": 20, "f1": 0.9, "roc_auc": 0.8, "positives": 11}],
    ]
    curve = aggregate(runs)
    assert [r["n_annotations"] for r in curve] == [10, 20]
    assert curve[0]["f1"] == pytest.approx(0.6) and curve[1]["f1"] == pytest.approx(0.8)
    assert curve[0]["f1_std"] == pytest.approx(0.1414, abs=1e-4) and curve[0]["roc_auc_std"] == 0.0
    assert curve[1]["positives"] == pytest.approx(10)
    with pytest.raises(ValueError):
        aggregate([runs[0], [dict(runs[1][0], n_annotations=11), runs[1][1]]])


# -- annotations_needed ----------------------------------------------------------------


def curve(points):
    return [{"n_annotations": n, "f1": f} for n, f in points]


def test_annotations_needed_finds_the_first_n_reaching_random_final_f1():
    random = curve([(20, 0.70), (40, 0.80), (60, 0.85), (80, 0.88), (100, 0.90)])
    uncertainty = curve([(20, 0.70), (40, 0.86), (60, 0.91), (80, 0.89), (100, 0.93)])
    out = annotations_needed(uncertainty, random)
    assert out["target_f1"] == 0.90 and out["random_final_n"] == 100 and out["random_n"] == 100
    assert out["uncertainty_n"] == 60 and out["saved"] == 40 and out["saving_pct"] == 40.0
    assert out["uncertainty_final_f1"] == 0.93


def test_annotations_needed_uses_random_first_reach_and_handles_never_and_worse():
    random = curve([(20, 0.70), (40, 0.90), (60, 0.88), (80, 0.90)])  # already at 0.90 at 40
    assert annotations_needed(curve([(20, 0.7), (40, 0.8), (60, 0.95), (80, 0.95)]), random)["saving_pct"] == -50.0
    never = annotations_needed(curve([(20, 0.7), (40, 0.8), (60, 0.85), (80, 0.89)]), random)
    assert never["uncertainty_n"] is None and never["saved"] is None and never["saving_pct"] is None
    same = annotations_needed(random, random)
    assert same["saved"] == 0 and same["saving_pct"] == 0.0
    with pytest.raises(ValueError):
        annotations_needed([], random)
