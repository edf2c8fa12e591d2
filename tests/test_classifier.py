"""The check-worthiness classifier: training, versions, promotion, serving.

These tests load the real rebuilt e5 encoder (built by `make setup` / `factcheck
models prepare`) and train real heads on small slices of the project's annotations.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch
from click.testing import CliRunner

from factcheck.cli import cli
from factcheck.embed.encoder import shared_encoder
from factcheck.errors import AnnotationError, ModelError
from factcheck.model import registry
from factcheck.model.classifier import CheckworthinessModel, Head
from factcheck.model.datasets import Example
from factcheck.model.train import (
    TrainingArguments,
    average_heads,
    example_weights,
    extractor_thresholds,
    train_model,
)

from .conftest import SEEDS

pytestmark = pytest.mark.model  # real model weights (the e5 encoder built by `factcheck models prepare`)

REPO = Path(__file__).resolve().parent.parent
ANNOTATIONS = REPO / "annotations"
FAST = TrainingArguments(seed=7, hidden=32, max_epochs=30, patience=5)


def write_slice(path: Path, per_lang: int = 120) -> Path:
    """A balanced slice of the project's annotations, train/dev rows plus a few test rows."""
    rows = []
    for name in ("zh_checkworthy.jsonl", "en_checkworthy.jsonl"):
        lines = [json.loads(line) for line in (ANNOTATIONS / name).read_text("utf-8").splitlines()]
        for split, n in (("train", per_lang), ("test", per_lang // 4)):
            for label in (0, 1):
                rows += [r for r in lines if r["split"] == split and r["label"] == label][: n // 2]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", "utf-8")
    return path


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    root = tmp_path_factory.mktemp("models")
    data = write_slice(tmp_path_factory.mktemp("data") / "slice.jsonl")
    path, card = train_model([str(data)], args=FAST, root=root)
    return root, data, path, card


def test_a_version_folder_has_a_small_head_and_a_full_card(trained):
    root, _, path, card = trained
    assert (path / "head.safetensors").stat().st_size < 200_000  # the base never goes into models/
    for key in ("version", "created", "base", "data", "split", "hyperparameters", "metrics", "thresholds",
                "extract_thresholds"):
        assert key in card
    assert card["base"]["source_sha256"]
    assert card["split"]["train"]["fingerprint"] and card["split"]["train"]["n"] > 100
    assert "project_jsonl:slice:test" in card["metrics"]
    assert card["split"]["withheld_for_heldout"] == {}
    timing = card["timing"]  # the card records how long training took, and where
    assert timing["total"] >= timing["encoding"] >= 0 and timing["training"] > 0 and timing["cpus"] >= 1
    # torch's thread count changes a seed's head, so the card says what a rerun must match
    assert timing["threads"] == torch.get_num_threads()
    assert f"{timing['threads']} torch threads" in (path / "README.md").read_text("utf-8")
    assert "- Training time: " in (path / "README.md").read_text("utf-8")
    assert "| project_jsonl:slice:test |" in (path / "README.md").read_text("utf-8")


def test_held_out_rows_are_never_trained_on(trained):
    _, data, _, card = trained
    test_rows = [json.loads(line) for line in data.read_text("utf-8").splitlines() if '"split": "test"' in line]
    assert card["split"]["heldout"]["project_jsonl:slice:test"]["n"] == len(test_rows)


def test_an_eval_set_keeps_every_row_and_its_texts_leave_training(tmp_path):
    """ClaimBuster's test.json lies inside CLEF 2024's training file: the held-out set wins."""
    from factcheck.model.train import prepare_data

    train_rows = [{"text": f"Exports fell {i}% in {2000 + i}.", "label": 1, "lang": "en"} for i in range(15)]
    train_rows += [{"text": f"I think plan {i} is wonderful.", "label": 0, "lang": "en"} for i in range(15)]
    pool = tmp_path / "pool.jsonl"
    pool.write_text("".join(json.dumps(r) + "\n" for r in train_rows), "utf-8")
    evaluated = tmp_path / "held.jsonl"
    evaluated.write_text("".join(json.dumps(r) + "\n" for r in train_rows[:3] + train_rows[-2:]), "utf-8")
    data = prepare_data([str(pool)], [str(evaluated)], args=FAST)
    assert len(data.heldout["project_jsonl:held"]) == 5
    assert not {e.text for e in data.train + data.dev} & {r["text"] for r in train_rows[:3] + train_rows[-2:]}
    assert data.withheld == {"project_jsonl:held": 5}
    assert len(data.train) + len(data.dev) == 25


def test_the_model_separates_claims_from_opinions(trained):
    _, _, path, card = trained
    model = CheckworthinessModel(path)
    scores = model.score([
        "国家统计局数据显示，2024年全国粮食产量为7.06亿吨。",
        "我觉得这件事根本不值得讨论。",
        "The company reported revenue of $4.2 billion in the third quarter.",
        "What a wonderful day it is!",
    ])
    assert scores[0] > scores[1] and scores[2] > scores[3]
    assert card["metrics"]["project_jsonl:slice:test"]["roc_auc"] > 0.8


def assert_same_head(path_a: Path, path_b: Path) -> None:
    """The two versions' heads agree up to rounding. Almost every run gives the same bytes,
    but now and then a process's first training differs by up to ~3e-4 (README,
    "Reproducibility"; cause not found). Another seed moves some weight by 0.5 or more."""
    a, b = Head.load(path_a / "head.safetensors"), Head.load(path_b / "head.safetensors")
    diff = max(float(np.abs(x - y).max()) for la, lb in zip(a.layers, b.layers) for x, y in zip(la, lb))
    assert diff < 5e-3, f"weights differ by up to {diff:.3g}"


def test_same_data_and_seed_give_the_same_model(trained, tmp_path):
    _, data, path, card = trained
    path2, card2 = train_model([str(data)], args=FAST, root=tmp_path)
    assert card2["metrics"] == card["metrics"]
    assert_same_head(path, path2)


def test_another_seed_gives_another_model(trained, tmp_path):
    _, data, path, _ = trained
    other, _ = train_model([str(data)], args=TrainingArguments(**{**FAST.__dict__, "seed": 8}), root=tmp_path)
    with pytest.raises(AssertionError, match="weights differ"):
        assert_same_head(path, other)


def test_two_runs_embedding_at_once_train_on_the_vector_stored_first(tmp_path):
    # A text's vector moves in its last bits with the batch it is embedded in. Another
    # run stores its vector of the same text after this run looked it up and before it
    # writes: both must go on with the stored one, or the same seed gives two heads.
    from factcheck.embed.cache import EmbeddingCache

    encoder = shared_encoder()
    path = tmp_path / "emb.sqlite"
    text = "The reservoir held 1.2 billion cubic metres of water in May."
    other_run = np.full(encoder.dim, 0.05, dtype=np.float32)

    class Interleaved:
        dim = encoder.dim

        def embed(self, texts, progress=None):
            EmbeddingCache(path, encoder.dim).store_first("emb", "vec",
                                                          [(EmbeddingCache.key(text), other_run.tobytes())])
            return encoder.embed(texts, progress=progress)

    cache = EmbeddingCache(path, encoder.dim)
    vectors = cache.embed(Interleaved(), [text, "Exports fell to 130,000 barrels a day."])
    assert np.array_equal(vectors[0], other_run)
    assert np.array_equal(cache.embed(encoder, [text, "Exports fell to 130,000 barrels a day."]), vectors)
    assert not np.array_equal(vectors[1], other_run) and abs(np.linalg.norm(vectors[1]) - 1) < 1e-5


def test_training_runs_where_it_is_told_and_the_card_says_where(trained, monkeypatch):
    import torch

    from factcheck.model.train import training_device

    _, _, _, card = trained
    assert card["device"] == training_device()
    monkeypatch.setenv("FACTCHECK_DEVICE", "cpu")
    assert training_device() == "cpu"
    assert training_device("cpu") == "cpu"
    with pytest.raises(ModelError, match="cpu, cuda or cuda:N") as info:
        training_device("tpu")
    assert info.value.code == "F220"
    if not torch.cuda.is_available():
        monkeypatch.delenv("FACTCHECK_DEVICE")
        assert training_device() == "cpu"  # the default without a GPU
        with pytest.raises(ModelError, match="--device cpu") as info:
            training_device("cuda")
        assert info.value.code == "F220"


def test_averaged_heads_score_the_mean_of_their_logits(trained, tmp_path):
    _, data, path, _ = trained
    averaged, card = train_model([str(data)], args=TrainingArguments(**{**FAST.__dict__, "heads": 2}), root=tmp_path)
    assert card["hyperparameters"]["heads"] == 2
    assert "(2 averaged heads: " in (averaged / "README.md").read_text("utf-8")
    single, merged = Head.load(path / "head.safetensors"), Head.load(averaged / "head.safetensors")
    # the two members side by side; the first is the single head of the same seed and split
    assert merged.layers[0][0].shape == (2 * FAST.hidden, 384)
    np.testing.assert_array_equal(merged.layers[0][0][: FAST.hidden], single.layers[0][0])
    x = np.random.default_rng(0).normal(size=(50, 384)).astype(np.float32)
    other = Head([(w + 0.1, b - 0.1) for w, b in single.layers], single.labels)
    np.testing.assert_allclose(average_heads([single, other]).logits(x), (single.logits(x) + other.logits(x)) / 2,
                               rtol=1e-5, atol=1e-5)


def test_heads_that_cannot_be_averaged_are_refused_before_any_data_is_read(tmp_path):
    for knobs in ({"heads": 2, "hidden": 0}, {"heads": 2, "tune_layers": 2}, {"heads": 0}):
        with pytest.raises(ModelError, match="--heads") as caught:
            train_model([str(tmp_path / "not-read.jsonl")], args=TrainingArguments(**knobs), root=tmp_path)
        assert caught.value.code == "F223"


def test_train_cli_refuses_a_gpu_it_does_not_have(tmp_path):
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has a CUDA GPU")
    data = write_slice(tmp_path / "slice.jsonl", per_lang=40)
    result = CliRunner().invoke(cli, ["train", str(data), "--device", "cuda"])
    assert result.exit_code == 1
    assert "F220" in result.output and "--device cpu" in result.output


def test_too_few_examples_of_a_class_is_refused(tmp_path):
    data = tmp_path / "tiny.jsonl"
    rows = [{"text": f"第{i}条新闻报道了具体数字{i}万。", "label": 1, "lang": "zh"} for i in range(30)]
    rows += [{"text": "真是太好了！", "label": 0, "lang": "zh"}]
    data.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), "utf-8")
    with pytest.raises(AnnotationError, match="Too few examples"):
        train_model([str(data)], args=FAST, root=tmp_path / "models")
    assert not (tmp_path / "models").exists() or not any((tmp_path / "models").iterdir())


def test_source_weights_scale_the_loss_of_their_examples():
    def example(label, source):
        return Example("t", label, "en", source, None, None, {})

    examples = [example(1, "clef2022_1b:CT22_english_1B_claim_dev.tsv"), example(0, "claimbuster:test.json"),
                example(0, "claimbuster:test.json"), example(0, "claimbuster:test.json")]
    balanced = example_weights(examples, TrainingArguments())
    assert np.allclose(balanced, [2, 2 / 3, 2 / 3, 2 / 3])  # each class weighs the same in total
    by_format = example_weights(examples, TrainingArguments(source_weights={"clef2022_1b": 3}))
    by_file = example_weights(examples, TrainingArguments(source_weights={"CT22_english_1B_claim_dev.tsv": 3}))
    assert np.allclose(by_format, [6, 2 / 3, 2 / 3, 2 / 3]) and np.array_equal(by_format, by_file)
    assert example_weights(examples, TrainingArguments(balance_classes=False)).tolist() == [1, 1, 1, 1]


def test_a_weight_that_names_no_source_is_refused(trained, tmp_path):
    _, data, _, _ = trained
    with pytest.raises(AnnotationError,
                       match="names no training source; use one of project_jsonl, slice.jsonl") as info:
        train_model([str(data)], args=TrainingArguments(source_weights={"clef2022-1b": 3}), root=tmp_path)
    assert info.value.code == "F517"
    with pytest.raises(AnnotationError, match="must be above 0"):
        train_model([str(data)], args=TrainingArguments(source_weights={"project_jsonl": 0}), root=tmp_path)
    out = CliRunner().invoke(cli, ["train", str(data), "--weight", "clef2022_1b"])
    assert out.exit_code == 2 and "not FORMAT=WEIGHT" in out.output


def test_source_weights_are_recorded_and_kept_by_retrain(trained, tmp_path):
    _, data, path, _ = trained
    args = TrainingArguments(**{**FAST.__dict__, "source_weights": {"project_jsonl": 2.0}})
    path2, card2 = train_model([str(data)], args=args, root=tmp_path)
    assert card2["hyperparameters"]["source_weights"] == {"project_jsonl": 2.0}
    assert_same_head(path, path2)  # weighing the only source changes nothing: the loss is a weighted mean
    assert TrainingArguments.like(card2).source_weights == {"project_jsonl": 2.0}  # retrain keeps them


def test_extractor_thresholds_keep_claims_where_dev_is_small_or_easy():
    """The extractor's cut keeps 97% of dev claims, is never stricter than classify's,
    and a language with few dev claims falls back to the cut tuned on every language."""
    rng = np.random.default_rng(0)
    # English: 300 claims, 300 others, overlapping scores. Chinese: 40 claims, all
    # scored far above its 40 others, the perfectly separated dev of a small set.
    en_y = np.r_[np.ones(300), np.zeros(300)].astype(int)
    en_p = np.r_[rng.uniform(0.2, 1.0, 300), rng.uniform(0.0, 0.6, 300)]
    zh_y = np.r_[np.ones(40), np.zeros(40)].astype(int)
    zh_p = np.r_[rng.uniform(0.8, 1.0, 40), rng.uniform(0.0, 0.1, 40)]
    probs, labels = np.r_[en_p, zh_p], np.r_[en_y, zh_y]
    langs = ["en"] * 600 + ["zh"] * 80
    f1_cuts = {"default": 0.45, "en": 0.45, "zh": 0.5}
    cuts = extractor_thresholds(probs, labels, langs, f1_cuts)
    assert "zh" not in cuts  # 40 claims: its 97% point would be its second-lowest claim's score
    assert (en_p[en_y == 1] >= cuts["en"]).mean() >= 0.97
    assert cuts["en"] <= f1_cuts["en"] and cuts["default"] <= f1_cuts["default"]
    strict = extractor_thresholds(probs, labels, langs, {"default": 0.1, "en": 0.1})
    assert strict["en"] == 0.1  # never above classify's threshold


def test_each_language_gets_an_extractor_threshold_from_the_pools_out_of_fold_scores(tmp_path):
    """Dev holds about a dozen claims per language here, too few to place a 97%-recall
    cut; the training pool's out-of-fold scores give each language its own, and that
    cut keeps the held-out claims."""
    data = write_slice(tmp_path / "slice.jsonl", per_lang=240)
    path, card = train_model([str(data)], args=FAST, root=tmp_path / "models")
    assert card["split"]["dev"]["positives"] < 100
    cuts, f1_cuts = card["extract_thresholds"], card["thresholds"]
    assert {"zh", "en"} <= set(cuts)
    assert all(cuts[lang] <= f1_cuts[lang] for lang in ("zh", "en"))
    model = CheckworthinessModel(path, encoder=shared_encoder())
    rows = [json.loads(line) for line in data.read_text("utf-8").splitlines()]
    claims = [r for r in rows if r["split"] == "test" and r["label"] == 1]
    scores = model.score([r["text"] for r in claims])
    kept = [s >= model.extract_thresholds.for_lang(r["lang"]) for s, r in zip(scores, claims)]
    assert sum(kept) >= 0.9 * len(claims)
    assert "out-of-fold" in (path / "README.md").read_text("utf-8")


def _card(root: Path, version: str, f1: float, head_from: Path) -> None:
    folder = root / version
    folder.mkdir(parents=True)
    (folder / "head.safetensors").write_bytes((head_from / "head.safetensors").read_bytes())
    (folder / "card.json").write_text(json.dumps({
        "version": version, "created": version, "metrics": {"own:test": {"f1": f1, "n": 10}},
        "thresholds": {"default": 0.5},
    }), "utf-8")


def test_promotion_is_refused_when_held_out_f1_drops(trained, tmp_path):
    _, _, path, _ = trained
    _card(tmp_path, "v1", 0.90, path)
    _card(tmp_path, "v2", 0.85, path)
    _card(tmp_path, "v3", 0.91, path)
    registry.promote("v1", root=tmp_path)
    with pytest.raises(ModelError, match="loses F1.*0.850 < 0.900") as refused:
        registry.promote("v2", root=tmp_path)
    assert "factcheck evaluate --model v2 --against v1" in str(refused.value)
    assert registry.promoted_version(tmp_path) == "v1"
    registry.promote("v3", root=tmp_path)
    assert registry.promoted_version(tmp_path) == "v3"
    with pytest.raises(ModelError, match="needs a reason") as no_reason:  # --force alone is not enough
        registry.promote("v2", root=tmp_path, force=True)
    assert no_reason.value.code == "F221"
    assert registry.promoted_version(tmp_path) == "v3"
    registry.promote("v2", root=tmp_path, force=True, reason="own:test is a debate set we no longer serve")
    assert registry.promoted_version(tmp_path) == "v2"
    assert [c["version"] for c in registry.list_versions(tmp_path) if c["promoted"]] == ["v2"]
    record = registry.promotion_record(tmp_path)  # the override stays visible to the next person
    assert record["previous"] == "v3" and record["reason"] == "own:test is a debate set we no longer serve"
    assert record["accepted_losses"] == [{"set": "own:test", "previous_f1": 0.91, "f1": 0.85}]


def test_forced_promotion_is_listed_with_its_losses_and_reason(trained, tmp_path, monkeypatch):
    _, _, path, _ = trained
    _card(tmp_path, "v1", 0.90, path)
    _card(tmp_path, "v2", 0.85, path)
    monkeypatch.setenv("FACTCHECK_MODELS", str(tmp_path))
    runner = CliRunner()
    assert runner.invoke(cli, ["models", "promote", "v1"]).exit_code == 0
    refused = runner.invoke(cli, ["models", "promote", "v2", "--force"])
    assert refused.exit_code != 0 and "--reason" in refused.output
    done = runner.invoke(cli, ["models", "promote", "v2", "--force", "--reason", "gains elsewhere"])
    assert done.exit_code == 0, done.output
    assert "accepted loss on own:test: F1 0.850 < 0.900" in done.output
    listed = runner.invoke(cli, ["models", "list"]).output
    assert "promoted over v1 accepting lower F1 (own:test: F1 0.850 < 0.900): gains elsewhere" in listed


def test_unknown_version_lists_the_known_ones(tmp_path, trained):
    _, _, path, _ = trained
    _card(tmp_path, "v1", 0.9, path)
    with pytest.raises(ModelError, match="Known versions: v1"):
        registry.version_dir("nope", tmp_path)


def test_a_damaged_head_names_the_fix(trained, tmp_path):
    _, _, path, _ = trained
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "card.json").write_text((path / "card.json").read_text("utf-8"), "utf-8")
    (broken / "head.safetensors").write_bytes((path / "head.safetensors").read_bytes()[:100])
    with pytest.raises(ModelError, match="factcheck train"):
        CheckworthinessModel(broken)


def test_classify_cli_writes_jsonl_and_handles_bad_lines(trained, monkeypatch):
    root, _, path, card = trained
    monkeypatch.setenv("FACTCHECK_MODELS", str(root))
    text = ("2024年全国发电量增长5.8%。\n\nI love this song.\n" + "数据" * 60_000
            + "\nA\x07 bell\x1b[0m and 12% growth\n")
    result = CliRunner().invoke(cli, ["classify", "-", "--model", card["version"]], input=text)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 4  # the empty line is skipped, and each row says which input line it scores
    assert [r["line"] for r in rows] == [1, 3, 4, 5]
    assert {"text", "score", "label", "lang", "model_version"} <= set(rows[0])
    assert rows[0]["lang"] == "zh" and rows[1]["lang"] == "en"
    assert rows[2].get("truncated") is True
    assert all(0.0 <= r["score"] <= 1.0 and r["model_version"] == card["version"] for r in rows)
    # The Python call gives the same rows for the same texts.
    api = CheckworthinessModel(path, encoder=shared_encoder()).classify([r["text"] for r in rows])
    assert api == [{k: v for k, v in r.items() if k != "line"} for r in rows]


def test_evaluate_cli_writes_plots_and_metrics(trained, tmp_path, monkeypatch):
    root, data, _, card = trained
    monkeypatch.setenv("FACTCHECK_MODELS", str(root))
    out = tmp_path / "eval"
    result = CliRunner().invoke(cli, ["evaluate", "--model", card["version"], "--data", str(data), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "project_jsonl:slice.pr.png").read_bytes()[:4] == b"\x89PNG"
    assert (out / "project_jsonl:slice.confusion.png").exists()
    metrics = json.loads((out / "project_jsonl:slice.metrics.json").read_text())
    assert {"precision", "recall", "f1", "roc_auc", "per_lang"} <= set(metrics)
    assert set(metrics["per_lang"]) == {"zh", "en"}
    # only the rows the version never trained or stopped on are scored, and the table says so
    rows = [json.loads(line) for line in data.read_text("utf-8").splitlines()]
    held_out = sum(r["split"] == "test" for r in rows)
    assert (metrics["n"], metrics["trained_rows_left_out"]) == (held_out, len(rows) - held_out)
    assert f"(held-out {held_out} of {len(rows)})" in result.stdout.replace("\n", "")
    assert metrics["f1"] == card["metrics"]["project_jsonl:slice:test"]["f1"]


def test_evaluation_reads_trainings_vectors_and_gives_the_cards_figures(trained):
    from factcheck.embed.cache import embedding_cache_for
    from factcheck.model.datasets import load
    from factcheck.model.evaluate import evaluate

    _, data, path, card = trained
    model = CheckworthinessModel(path, encoder=shared_encoder())
    held_out = [e for e in load(str(data)) if e.split == "test"]
    metrics, _ = evaluate(model, held_out, embedding_cache_for(model.encoder))
    trained_with = card["metrics"]["project_jsonl:slice:test"]
    assert (metrics["f1"], metrics["roc_auc"], metrics["confusion"]) == (
        trained_with["f1"], trained_with["roc_auc"], trained_with["confusion"])


def test_f1_difference_interval_says_loss_gain_or_noise():
    from factcheck.model.evaluate import f1_difference, reading

    rng = np.random.default_rng(3)
    labels = rng.integers(0, 2, 800)
    a = np.where(rng.random(800) < 0.80, labels, 1 - labels)
    b = np.where(rng.random(800) < 0.92, labels, 1 - labels)
    same = f1_difference(labels, a, a)
    assert (same["difference"], same["low"], same["high"]) == (0.0, 0.0, 0.0)
    better = f1_difference(labels, a, b)
    assert better["difference"] > 0 and reading(better) == "gain"
    assert reading(f1_difference(labels, b, a)) == "loss"
    assert f1_difference(labels, a, b) == better  # seeded: the same interval every run
    # 40 examples, two models as good as each other: no verdict either way.
    small = f1_difference(labels[:40], a[:40], np.where(rng.random(40) < 0.80, labels[:40], 1 - labels[:40]))
    assert small["low"] < 0 < small["high"] and reading(small) == "within noise"


def test_evaluate_against_another_version(trained, tmp_path, monkeypatch):
    root, data, _, card = trained
    monkeypatch.setenv("FACTCHECK_MODELS", str(root))
    out = tmp_path / "eval"
    result = CliRunner().invoke(cli, ["evaluate", "--model", card["version"], "--against", card["version"],
                                      "--data", str(data), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "within noise" in result.stdout
    comparison = json.loads((out / "comparison.json").read_text())
    assert comparison["a"] == comparison["b"] == card["version"]
    (row,) = comparison["sets"].values()
    assert row["difference"] == 0.0 and row["reading"] == "within noise"
    unknown = CliRunner().invoke(cli, ["evaluate", "--model", card["version"], "--against", "cw-nope",
                                       "--data", str(data), "--out", str(out)])
    assert unknown.exit_code == 1 and "[F213]" in unknown.output and card["version"] in unknown.output


def test_extractor_scores_candidates_with_a_model(trained):
    from factcheck import extract

    _, _, path, card = trained
    model = CheckworthinessModel(path, encoder=shared_encoder())
    claims = extract("截至2024年底，全国光伏装机容量达到8.9亿千瓦。我认为这很了不起。", scorer=model,
                     include_rejected=True)
    assert all(c.checkworthiness is not None and c.model_version == card["version"] for c in claims)
    assert claims[0].is_claim and not claims[-1].is_claim


def test_promoted_model_in_the_extractor_keeps_the_labelled_claims():
    """The committed, promoted model on the hand-labelled examples: it may drop a few
    soft claims (quotes), never a numeric or dated one, and it rejects a hard negative
    that the rules alone accept."""
    from factcheck.extraction import pipeline

    from . import oracle

    model = registry.load_promoted()
    assert model is not None, "models/promoted.json should name a committed version"
    missing, total, accepted = [], 0, set()
    original = oracle.extract_article
    oracle.extract_article = lambda article: pipeline.extract_article(article, scorer=model)
    try:
        for name, spec in oracle.load_expectations().items():
            report = oracle.evaluate(name, spec)
            total += report.n_claims
            missing += [(name, *m) for m in report.missing_claims]
            accepted |= {item[0] for item in report.accepted_rejects}
    finally:
        oracle.extract_article = original
    kinds = {item["contains"]: item["kind"] for spec in oracle.load_expectations().values() for item in spec["claims"]}
    assert not [m for m in missing if kinds[m[1]] in ("numeric", "temporal")]
    assert len(missing) <= 0.03 * total
    assert "消费信心的修复远比数据反弹来得缓慢" not in accepted


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds not present")
def test_promoted_model_on_the_seed_articles_keeps_dated_and_numeric_claims_only_among_facts():
    """Issue 3's extractor goal, with the committed model: opinions, predictions,
    questions and meta sentences of the seed articles are rejected, while every
    candidate with a number or a date is kept, the key facts among them."""
    from factcheck.extraction import pipeline
    from factcheck.extraction.ingest import read_article

    model = registry.load_promoted()
    candidates = []
    for path in sorted(SEEDS.glob("*.txt")):
        candidates += pipeline.extract_article(read_article(path)[0], scorer=model)
    accepted = [c for c in candidates if c.is_claim]
    assert not [c.text for c in accepted if c.kind in ("opinion", "prediction", "question", "meta")]
    assert all(c.is_claim for c in candidates if c.kind in ("numeric", "temporal"))
    assert sum(c.kind == "opinion" for c in candidates) > 100  # the seeds are mostly commentary
    quantities = [q for c in accepted for q in c.quantities]
    assert any(q.value == 130000 and q.comparator == "<" and q.per == "day" for q in quantities)
    assert any(q.low == 150 and q.high == 500 and q.unit == "meter" for q in quantities)
    assert any(q.value == 3.67 and q.unit == "percent" for q in quantities)


def test_commands_that_need_a_model_say_how_to_get_one(tmp_path, monkeypatch):
    monkeypatch.setenv("FACTCHECK_MODELS", str(tmp_path))
    result = CliRunner().invoke(cli, ["classify", "-"], input="2024年发电量增长5.8%。\n")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: [F216]") and "factcheck train" in result.stderr


# --- an adapted encoder (LoRA on the top layers) ---------------------------------------------

TUNED = TrainingArguments(seed=7, tune_layers=1, lora_rank=4, tune_epochs=2, tune_batch_size=16)


@pytest.fixture(scope="module")
def tuned(tmp_path_factory):
    root = tmp_path_factory.mktemp("tuned-models")
    data = write_slice(tmp_path_factory.mktemp("tuned-data") / "slice.jsonl", per_lang=60)
    path, card = train_model([str(data)], args=TUNED, root=root)
    return root, data, path, card


def test_a_tuned_version_commits_a_small_adapter_not_the_encoder(tuned):
    _, _, path, card = tuned
    assert card["base"]["frozen"] is False and card["base"]["tuned_layers"] == 1
    assert card["base"]["adapter"] == {"method": "LoRA (peft)", "rank": 4, "file": "adapter.safetensors"}
    assert (path / "adapter.safetensors").stat().st_size < 200_000  # one layer at rank 4, never the base
    assert "top 1 layers adapted with LoRA rank 4" in (path / "README.md").read_text("utf-8")


def test_a_loaded_tuned_version_reproduces_its_training_scores(tuned):
    """Serving (merged adapter, fp32 states) agrees with training-time evaluation
    (peft layers, cached fp16 states): the same held-out metrics come out."""
    from factcheck.model.datasets import load
    from factcheck.model.evaluate import evaluate

    _, data, path, card = tuned
    model = CheckworthinessModel(path, encoder=shared_encoder())
    held_out = [e for e in load(str(data)) if e.split == "test"]
    metrics, probs = evaluate(model, held_out)
    trained_with = card["metrics"]["project_jsonl:slice:test"]
    assert metrics["roc_auc"] == pytest.approx(trained_with["roc_auc"], abs=0.01)
    assert metrics["f1"] == pytest.approx(trained_with["f1"], abs=0.03)
    # The base vectors for claim matching come out of the same pass and are unchanged.
    text = "2024年全国发电量增长5.8%。"
    model.score([text])
    assert np.allclose(shared_encoder().embed([text])[0], shared_encoder().embed([text], tap=11)[0][0], atol=1e-5)


def test_a_tuned_model_is_deterministic(tuned, tmp_path):
    _, data, _, card = tuned
    _, card2 = train_model([str(data)], args=TUNED, root=tmp_path)
    assert card2["metrics"] == card["metrics"]


def test_a_damaged_adapter_names_the_fix(tuned, tmp_path):
    _, _, path, _ = tuned
    broken = tmp_path / "broken"
    broken.mkdir()
    for name in ("card.json", "head.safetensors"):
        (broken / name).write_bytes((path / name).read_bytes())
    (broken / "adapter.safetensors").write_bytes((path / "adapter.safetensors").read_bytes()[:300])
    with pytest.raises(ModelError, match=r"\[F217\].*adapter.*factcheck train"):
        CheckworthinessModel(broken)


def test_retrain_keeps_the_promoted_recipe(tuned):
    _, _, _, card = tuned
    args = TrainingArguments.like(card, seed=99)
    assert (args.tune_layers, args.lora_rank, args.seed) == (1, 4, 99)
