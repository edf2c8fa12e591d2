"""factcheck.model.int8: a version's thresholds follow its scores onto the int8 encoder.

The calibration is tested on scores made up for the purpose (what it must do with any
shift of the scores), then on the promoted model itself.
"""

from __future__ import annotations

import numpy as np
import pytest

from factcheck.model.datasets import Example
from factcheck.model.int8 import calibrate, recall_cut


def _dev(labels, langs):
    return [Example(f"row {i}", int(y), str(lang), "made:up") for i, (y, lang) in enumerate(zip(labels, langs))]


def test_recall_cut_keeps_the_share_of_claims_asked_for():
    probs = np.array([0.9, 0.8, 0.7, 0.6, 0.1, 0.2])
    labels = np.array([1, 1, 1, 1, 0, 0])
    assert recall_cut(probs, labels, 1.0) == 0.6
    assert recall_cut(probs, labels, 0.75) == 0.7
    assert recall_cut(probs, labels, 0.5) == 0.8


def test_a_shift_of_the_scores_shifts_the_thresholds_and_keeps_the_extractors_recall():
    rng = np.random.default_rng(0)
    labels = (rng.random(600) < 0.25).astype(int)  # a claim in four, as in the dev rows
    langs = np.where(rng.random(600) < 0.5, "en", "zh")
    fp32 = 0.3 * labels + 0.7 * rng.random(600)  # claims on [0.3, 1), the others on [0, 0.7)
    int8 = fp32 - 0.1  # int8 scores everything a little lower
    dev = _dev(labels, langs)
    card = {"extract_thresholds": {"default": 0.4, "en": 0.45, "zh": 0.35}}  # under the best-F1 cut
    tuned = calibrate(fp32, int8, dev, card)
    assert set(tuned["extract_thresholds"]) == set(card["extract_thresholds"])
    for key, cut in card["extract_thresholds"].items():
        rows = np.ones(600, bool) if key == "default" else langs == key
        claims32, claims8 = fp32[rows & (labels == 1)], int8[rows & (labels == 1)]
        kept = (claims32 >= cut).mean()
        assert (claims8 >= tuned["extract_thresholds"][key]).mean() >= kept  # no claim the fp32 cut kept is lost
        # the cut moves with the scores, and is never stricter than the best-F1 one
        assert tuned["extract_thresholds"][key] == pytest.approx(min(cut - 0.1, tuned["thresholds"][key]), abs=0.02)
    # the best-F1 cut moves down with the scores
    best32 = calibrate(fp32, fp32, dev, {})["thresholds"]
    assert tuned["thresholds"]["default"] == pytest.approx(best32["default"] - 0.1, abs=0.02)


@pytest.mark.model
@pytest.mark.issue(20)
def test_a_model_without_an_int8_head_scores_int8_with_its_recalibrated_thresholds():
    import json

    from factcheck.embed.encoder import Encoder
    from factcheck.embed.onnx_export import read_int8_thresholds
    from factcheck.errors import ModelError
    from factcheck.model.int8 import calibrate_version, int8_head_dir
    from factcheck.model.registry import list_versions, load_version, version_dir

    with pytest.raises(ModelError, match="factcheck models calibrate-int8 --model cw-none") as info:
        read_int8_thresholds("cw-none")
    assert info.value.code == "F222"

    # the newest frozen-encoder version that carries no int8 head (the promoted one has one)
    version = next(c["version"] for c in list_versions() if not c["base"].get("tuned_layers")
                   and int8_head_dir(version_dir(c["version"])) is None)
    tuned = json.loads(calibrate_version(version).read_text("utf-8"))
    fp32_model = load_version(version, encoder=Encoder(precision="fp32"))
    # calibrated on the card's own dev rows, rebuilt as they were when the card was trained
    assert tuned["version"] == version and tuned["dev_rows"] == fp32_model.card["split"]["dev"]["n"]
    int8_model = load_version(version, encoder=Encoder(precision="int8"))
    assert int8_model.head_precision == "fp32"  # its own head, with cuts moved to int8 scores
    assert fp32_model.thresholds.default == fp32_model.card["thresholds"]["default"]
    assert int8_model.thresholds.default == tuned["thresholds"]["default"] != fp32_model.thresholds.default
    assert int8_model.extract_thresholds.for_lang("zh") == tuned["extract_thresholds"]["zh"]


@pytest.mark.model
@pytest.mark.issue(20)
def test_the_int8_encoder_scores_with_the_head_trained_on_int8_vectors_as_its_card_says():
    """A user who sets FACTCHECK_ENCODER_PRECISION=int8 gets the promoted version's int8
    head with its own thresholds (no calibration step), the F1 its card reports, and an
    extractor that keeps the labelled claims the default fp32 one keeps."""
    import json

    from factcheck.embed.encoder import Encoder
    from factcheck.model.evaluate import evaluate_probs
    from factcheck.model.int8 import card_data, int8_graph_sha256, int8_head_dir
    from factcheck.model.registry import load_version, promoted_version

    version = promoted_version()
    fp32_model = load_version(version, encoder=Encoder(precision="fp32"))
    int8_model = load_version(version, encoder=Encoder(precision="int8"))
    folder = int8_head_dir(fp32_model.dir)
    assert folder is not None, f"{version} carries no int8 head (factcheck.model.int8.train_int8_head)"
    head_card = json.loads((folder / "card.json").read_text("utf-8"))
    assert head_card["int8_graph_sha256"] == int8_graph_sha256()  # trained on this very int8 graph
    assert (fp32_model.head_precision, int8_model.head_precision) == ("fp32", "int8")
    assert fp32_model.thresholds.default == fp32_model.card["thresholds"]["default"]
    assert int8_model.thresholds.default == head_card["thresholds"]["default"]
    assert int8_model.extract_thresholds.for_lang("zh") == head_card["extract_thresholds"]["zh"]

    heldout = card_data(fp32_model.card).heldout
    for name in ("project_jsonl:zh_checkworthy:test", "project_jsonl:en_checkworthy:test"):
        items = heldout[name]
        texts = [e.text for e in items]
        int8_scores = np.array(int8_model.score(texts))  # the path the extractor takes, batches and all
        int8_f1 = evaluate_probs(int8_scores, items, int8_model.thresholds)["f1"]
        # the card's figure, up to a sentence or two at the cut: dynamic int8 quantises each batch's
        # activations on their own range, so a sentence's score moves a little with its batch-mates
        assert int8_f1 == pytest.approx(head_card["metrics"][name]["f1"], abs=0.015), name
        # the extractor sits in front of human review: on int8 it keeps the labelled claims as fp32 does
        claims = np.array([e.label == 1 for e in items])
        kept = {precision: (np.array(model.score(texts)) >= [model.extract_thresholds.for_lang(e.lang) for e in items])
                for precision, model in (("fp32", fp32_model), ("int8", int8_model))}
        recall = {precision: keep[claims].mean() for precision, keep in kept.items()}
        assert recall["int8"] >= min(0.97, recall["fp32"] - 0.02), (name, recall)
