"""factcheck.embed.onnx_export: the encoder exported to ONNX gives torch's vectors, loads
without torch, and a missing or damaged export is named with its fix.

These tests use the default cache that `make setup` (`factcheck models prepare`)
builds, like tests/test_classifier.py.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from factcheck.embed import base as encoder
from factcheck.embed import onnx_export as encoder_onnx
from factcheck.embed.encoder import MAX_TOKENS, Encoder
from factcheck.errors import ModelError

pytestmark = pytest.mark.model  # real model weights (the e5 encoder built by `factcheck models prepare`)

REPO = Path(__file__).resolve().parent.parent

# Varied on purpose: both languages, full-width forms, a sentence far over
# MAX_TOKENS (truncated), an empty one, control characters, one word.
TEXTS = [
    "海关数据显示，前十个月原油进口量为4.6亿吨，同比下降2.1%。",
    "ＷＨＯ称，该地区疟疾病例较上年增加了１２％。",
    "The ministry said wheat output rose 3.4% to 137 million tonnes in 2024.",
    "Officials expect the pipeline to carry 10 billion cubic metres a year.",
    "核电站 " * 200,
    "",
    "bell\x07 and\x00null",
    "Yes.",
]


@pytest.fixture(scope="module")
def encoders():
    return Encoder(backend="onnx"), Encoder(backend="torch")


def test_models_prepare_built_a_verified_export():
    manifest = encoder_onnx.verify_onnx(base=encoder.base_path())
    assert manifest["verification"]["min_cosine"] >= encoder_onnx.MIN_COSINE
    assert set(manifest["verification"]["cosines"]) == set(encoder.VERIFY_SENTENCES)
    # The weights sit beside the graph, so ONNX Runtime maps them instead of copying.
    assert manifest["files"]["model.onnx"]["size"] < 5_000_000
    assert manifest["files"]["model.onnx.data"]["size"] > 400_000_000


def test_onnx_vectors_equal_torch_vectors(encoders):
    onnx, torch_ = encoders
    assert (onnx.backend, torch_.backend) == ("onnx", "torch")
    a, b = onnx.embed(TEXTS), torch_.embed(TEXTS)
    assert a.shape == b.shape == (len(TEXTS), 384)
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
    assert np.abs(a - b).max() < 1e-5
    # Batches of one (no padding) give the same vectors as the padded batch.
    alone = np.stack([onnx.embed([t])[0] for t in TEXTS])
    assert np.abs(alone - a).max() < 1e-5


def test_truncation_is_counted_the_same_way(encoders):
    onnx, torch_ = encoders
    before = onnx.truncated, torch_.truncated
    onnx.embed(TEXTS)
    torch_.embed(TEXTS)
    assert onnx.truncated - before[0] == torch_.truncated - before[1] == 1  # the repeated sentence
    ids = onnx._onnx.tokenizer.encode(TEXTS[4]).ids
    assert len(ids) == MAX_TOKENS and ids[-1] == 2  # cut, and still closed by </s>


def test_scoring_loads_without_torch_or_transformers():
    # The reason the export exists: a fresh process reaches its first score without
    # importing torch and transformers (seconds each on a small machine).
    snippet = (
        "import sys\n"
        "from factcheck.model.registry import load_promoted\n"
        "model = load_promoted()\n"
        "score = model.score(['The plant produced 4.2 million tonnes of steel in 2023.'])[0]\n"
        "print(model.encoder.backend, 0.0 <= score <= 1.0, 'torch' in sys.modules, 'transformers' in sys.modules)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "FACTCHECK_ENCODER_BACKEND"}
    out = subprocess.run([sys.executable, "-c", snippet], capture_output=True, text=True, cwd=REPO, env=env,
                         check=True).stdout.split()
    assert out == ["onnx", "True", "False", "False"]


def test_unknown_backend_is_refused(monkeypatch):
    monkeypatch.setenv("FACTCHECK_ENCODER_BACKEND", "tensorflow")
    with pytest.raises(ModelError, match="auto, onnx, torch") as info:
        Encoder()
    assert info.value.code == "F210"


# ------------------------------------------------------------ damaged exports


@pytest.fixture
def cache_copy(tmp_path, monkeypatch) -> Path:
    """A cache that hard-links the real build's files, so each test can damage its own copy."""
    real = encoder.cache_dir()
    for part in ("base", "onnx"):
        source = real / part / encoder.MODEL_NAME
        dest = tmp_path / part / encoder.MODEL_NAME
        dest.mkdir(parents=True)
        for file in source.iterdir():
            if file.stat().st_size > 32 << 20:
                os.link(file, dest / file.name)
            else:
                (dest / file.name).write_bytes(file.read_bytes())
    monkeypatch.setenv("FACTCHECK_CACHE", str(tmp_path))
    return tmp_path


def _truncate_weights(cache: Path) -> None:
    weights = cache / "onnx" / encoder.MODEL_NAME / "model.onnx.data"
    with weights.open("rb") as fh:
        head = fh.read(1 << 20)
    weights.unlink()  # break the hard link before writing
    weights.write_bytes(head)


def _edit_graph(cache: Path) -> None:
    graph = cache / "onnx" / encoder.MODEL_NAME / "model.onnx"
    data = bytearray(graph.read_bytes())
    data[200] ^= 0x20
    graph.write_bytes(bytes(data))


def _remove_manifest(cache: Path) -> None:
    (cache / "onnx" / encoder.MODEL_NAME / "manifest.json").unlink()


def _rebuilt_base(cache: Path) -> None:
    # A later base build: its manifest (and so its fingerprint) changes.
    path = cache / "base" / encoder.MODEL_NAME / "manifest.json"
    manifest = json.loads(path.read_text("utf-8"))
    manifest["built_at"] = "2099-01-01T00:00:00+00:00"
    path.write_text(json.dumps(manifest), "utf-8")


@pytest.mark.parametrize("damage", [_truncate_weights, _edit_graph, _remove_manifest, _rebuilt_base])
def test_damaged_export_names_the_rebuild_command(cache_copy, damage):
    base = encoder.base_path()
    encoder_onnx.load_onnx(base)  # the intact copy loads
    damage(cache_copy)
    with pytest.raises(ModelError, match="factcheck models prepare") as info:
        encoder_onnx.load_onnx(base)
    assert info.value.code == "F219"
    with pytest.raises(ModelError, match="factcheck models prepare"):
        Encoder(backend="onnx")


def test_without_a_usable_export_scoring_falls_back_to_torch(cache_copy, caplog, encoders):
    _remove_manifest(cache_copy)
    with caplog.at_level(logging.WARNING):
        fallback = Encoder()
    assert fallback.backend == "torch"
    assert "factcheck models prepare" in caplog.text and "torch" in caplog.text
    assert np.abs(fallback.embed(TEXTS[:3]) - encoders[0].embed(TEXTS[:3])).max() < 1e-5


def test_prepare_onnx_is_a_no_op_when_current():
    path = encoder_onnx.onnx_path()
    weights = path / "model.onnx.data"
    before = weights.stat().st_mtime_ns
    assert encoder_onnx.prepare_onnx() == path
    assert weights.stat().st_mtime_ns == before


def test_prepare_onnx_rebuilds_a_stale_export(cache_copy):
    # Slow (an export, ~30-45 s on 2 cores) but it is the path every cache upgrade takes.
    _rebuilt_base(cache_copy)
    with pytest.raises(ModelError):
        encoder_onnx.load_onnx(encoder.base_path())
    path = encoder_onnx.prepare_onnx()
    assert path == cache_copy / "onnx" / encoder.MODEL_NAME
    encoder_onnx.load_onnx(encoder.base_path())
    assert not [p for p in path.parent.iterdir() if ".build-" in p.name or ".old-" in p.name]  # no leftovers


# ------------------------------------------------------------ int8


def test_int8_encoder_gives_close_vectors_kept_apart_from_fp32(encoders):
    from factcheck.embed.cache import base_tag
    from factcheck.store.matching import encoder_model_id

    int8, fp32 = Encoder(precision="int8"), encoders[0]
    assert int8.backend == "onnx"
    texts = [t for t in TEXTS if t.strip()]
    cosines = np.einsum("ij,ij->i", int8.embed(texts), fp32.embed(texts))
    assert cosines.min() >= encoder_onnx.INT8_MIN_COSINE
    assert cosines.max() < 0.99999  # really another graph: scores move, thresholds must follow
    # Vectors of one precision never land in the other's embedding cache or claim index.
    assert base_tag(int8) != base_tag(fp32) and encoder_model_id(int8) != encoder_model_id(fp32)
    manifest = json.loads((encoder_onnx.onnx_path("int8") / "manifest.json").read_text("utf-8"))
    assert manifest["files"]["model.onnx"]["size"] < 150_000_000  # int8 weights: about a quarter of fp32's


def test_precision_comes_from_the_environment_and_is_checked(monkeypatch):
    monkeypatch.setenv("FACTCHECK_ENCODER_PRECISION", "int8")
    assert Encoder().precision == "int8"
    monkeypatch.setenv("FACTCHECK_ENCODER_PRECISION", "int4")
    with pytest.raises(ModelError, match="fp32, int8") as info:
        Encoder()
    assert info.value.code == "F210"
    with pytest.raises(ModelError, match="ONNX Runtime"):
        Encoder(precision="int8", backend="torch")
