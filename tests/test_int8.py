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
def test_the_promoted_model_on_the_int8_encoder_scores_with_its_recalibrated_thresholds():
    import json

    from factcheck.embed.encoder import Encoder
    from factcheck.embed.onnx_export import read_int8_thresholds
    from factcheck.errors import ModelError
    from factcheck.model.int8 import calibrate_version
    from factcheck.model.registry import load_version, promoted_version

    with pytest.raises(ModelError, match="factcheck models calibrate-int8 --model cw-none") as info:
        read_int8_thresholds("cw-none")
    assert info.value.code == "F222"

    tuned = json.loads(calibrate_version().read_text("utf-8"))
    fp32_model = load_version(tuned["version"], encoder=Encoder(precision="fp32"))
    # calibrated on the card's own dev rows, rebuilt as they were when the card was trained
    assert tuned["version"] == promoted_version() and tuned["dev_rows"] == fp32_model.card["split"]["dev"]["n"]
    int8_model = load_version(tuned["version"], encoder=Encoder(precision="int8"))
    assert fp32_model.thresholds.default == fp32_model.card["thresholds"]["default"]
    assert int8_model.thresholds.default == tuned["thresholds"]["default"] != fp32_model.thresholds.default
    assert int8_model.extract_thresholds.for_lang("zh") == tuned["extract_thresholds"]["zh"]
