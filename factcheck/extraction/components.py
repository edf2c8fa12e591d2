"""spaCy components that factcheck adds to its pipelines, registered by name.

``factcheck_zh_entities`` gives the Chinese pipeline (``spacy.blank("zh")`` with the
jieba segmenter, which has no trained NER on the registry) named entities and coarse
POS tags:

* the tokenizer cuts jieba's words with jieba-rs where the two agree (``JiebaSegmenter``);
* each token's tag comes from jieba's dictionary (a table lookup, no HMM tagging),
  kept with the token's offset in ``doc.user_data[LIGHT_TOKENS]``, and the entities
  are kept as plain records too (``doc.user_data[LIGHT_ENTS]``, read by ``span_ents``);
* names from ``data/zh_gazetteer.tsv`` are added to jieba's dictionary at load time,
  so they come out as single tokens with a known label;
* dictionary tags map to labels (ns → GPE, nt → ORG, nr/nrt → PERSON);
* patterns catch what the dictionary cannot: a transliterated name after a title
  (外长阿拉格齐), names joined by "·", organisation suffixes (…机构, …委员会),
  a country in front of an organisation (美国 + 国务院), 《titles》 and Latin acronyms.
"""

from __future__ import annotations

import operator
import re
from bisect import bisect_left
from functools import lru_cache, partial
from itertools import accumulate, compress
from operator import attrgetter
from typing import NamedTuple, cast

from factcheck.extraction import spacy_without_torch  # noqa: F401  (first: spaCy without thinc's torch import)

# isort: split
import numpy
from spacy.attrs import ENT_IOB, ENT_TYPE, IDX, LENGTH
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc, Span
from spacy.util import filter_spans, get_words_and_spaces

from factcheck.extraction.gazetteer import SEGMENTER_FREQ, segmenter_words, teach_jieba, zh_gazetteer
from factcheck.extraction.numerals import script_table

ENTITY_LABELS = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "LAW", "EVENT", "PRODUCT", "WORK_OF_ART")

_TAG_LABELS = {"ns": "GPE", "nt": "ORG", "nr": "PERSON", "nrt": "PERSON", "nrfg": "PERSON"}
# Titles that precede a person's name in news Chinese.
_TITLES = frozenset(
    "外长 外交部长 外交大臣 总统 副总统 总理 首相 国务卿 部长 副部长 司令 司令员 指挥官 特使 "
    "总干事 秘书长 发言人 主席 议长 大使 国王 王储 最高领袖 总书记 局长 署长 行长 主任 将军 "
    "代表 参议员 众议员 顾问 教授 记者 分析师 研究员 院长 首席执行官 CEO".split()
)
_ORG_SUFFIXES = (
    "机构", "组织", "委员会", "理事会", "银行", "公司", "集团", "大学", "研究院", "研究所",
    "议会", "政府", "法院", "协会", "联盟", "国务院", "外交部", "国防部", "卫生部", "能源部",
    "商务部", "财政部", "统计局", "司令部", "通讯社", "电视台", "中心", "局", "厅", "委", "署", "办",
)
_LATIN_LABELS = {
    "JCPOA": "LAW", "NPT": "LAW", "IAEA": "ORG", "IRGC": "ORG", "UN": "ORG", "NATO": "ORG",
    "OPEC": "ORG", "WHO": "ORG", "IMF": "ORG", "EU": "ORG", "WTO": "ORG", "CNN": "ORG",
    "BBC": "ORG", "CDC": "ORG", "FDA": "ORG", "IEA": "ORG",
}
# Upper-case tokens that are measures or common nouns, not names.
_LATIN_STOP = {"GDP", "CPI", "PPI", "PMI", "AI", "GW", "MW", "KW", "KWH", "KM", "KG", "CEO", "PM", "AM",
               "USD", "CNY", "EUR", "HIV", "VS", "OK", "IT", "TV", "APP", "ID", "Q"}
# 2-6 capitals not inside a longer word. The lookbehind comes after the first capital,
# so the regex engine can skip to capitals instead of trying every position.
_LATIN_ACRONYM = re.compile(r"[A-Z](?<![A-Za-z][A-Z])[A-Z]{1,5}(?![A-Za-z])")
_NAME_DOTS = "·•‧・"
_DOT_NAME = re.compile(rf"[\u4e00-\u9fff]{{1,6}}(?:[{_NAME_DOTS}][\u4e00-\u9fff]{{1,8}})+")
_BOOK_TITLE = re.compile(r"《[^《》\n]{1,40}》")
_COUNTRY_PAIR = re.compile(r"[中美俄英法德日韩朝伊以欧印巴沙土乌叙]{2}")
_BEFORE_NAME = set("年月日的在于和与及是为被将对向从自后前时由")
_AFTER_NAME = set("说称表示在于和与的了是曾将等也都对向就已又")
_LAW_WORDS = ("法", "条约", "协议", "协定", "计划", "法案", "决议", "公约", "宪章")
_HAN_NAME = re.compile(r"[\u4e00-\u9fff·]+")


LIGHT_TOKENS = "factcheck.light_tokens"
LIGHT_ENTS = "factcheck.light_ents"
SOURCE_TEXT = "factcheck.source_text"
SOURCE_WORDS = "factcheck.source_words"
_WHITESPACE = re.compile(r"\s")


class LightToken(NamedTuple):
    idx: int
    text: str
    tag_: str
    is_punct: bool
    is_space: bool


# Builds a LightToken from a tuple without a Python-level __new__ call per token.
_light = partial(tuple.__new__, LightToken)


class LightTokens:
    """A doc's tokens as LightTokens, built when read: an index gives one token, a
    slice a list. The entity rules read a few tokens per sentence and the clause
    splitter none of a one-segment sentence's (half of them), so building every
    token up front cost more than all of their reads (a third of the component)."""

    __slots__ = ("_idx", "_words", "_entries")

    def __init__(self, idx: list[int], words: list[str], entries: list[tuple]) -> None:
        self._idx, self._words, self._entries = idx, words, entries  # entries: (tag, is_punct, is_space)

    def __len__(self) -> int:
        return len(self._words)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return list(map(_light, map(operator.add, zip(self._idx[i], self._words[i]), self._entries[i])))
        return _light((self._idx[i], self._words[i]) + self._entries[i])

    def offsets(self, start: int, end: int) -> list[int]:
        """The ``idx`` of tokens ``start`` to ``end`` (without building the tokens)."""
        return self._idx[start:end]

    def __iter__(self):
        return iter(self[:])


class LightEnt(NamedTuple):
    """An entity as plain values, with the attribute names of a spaCy Span."""

    start: int
    end: int
    start_char: int
    end_char: int
    label_: str
    text: str


_ENT_START = attrgetter("start")
_IOB_COLUMNS = [ENT_IOB, ENT_TYPE]
_IOB_INSIDE, _IOB_OUTSIDE, _IOB_BEGIN = 1, 2, 3  # spaCy's codes for token.ent_iob


def span_ents(span: Span) -> list:
    """The entities inside ``span``, like ``span.ents``.

    For a doc from the Chinese pipeline these are the component's LightEnts: ``span.ents``
    rebuilds a Span for every entity of the whole doc on each call.
    """
    ents = span.doc.user_data.get(LIGHT_ENTS)
    if ents is None:
        return list(span.ents)
    out = []
    for i in range(bisect_left(ents, span.start, key=_ENT_START), len(ents)):
        if ents[i].end > span.end:
            break
        out.append(ents[i])
    return out


class KeepText:
    """Tokenizer wrapper that keeps the input text in ``doc.user_data[SOURCE_TEXT]``:
    ``doc.text`` rebuilds it from Token objects.

    For jieba it also builds the Doc itself, from :class:`JiebaSegmenter`'s words (the
    words spaCy's tokenizer gets from jieba, cut faster). In a text without whitespace
    (most Chinese paragraphs) they cover the text exactly, so spaCy's alignment of words
    to whitespace (``get_words_and_spaces``) has nothing to do, and they are kept in
    ``doc.user_data[SOURCE_WORDS]`` for the entity component; in one with whitespace
    they are aligned as spaCy's tokenizer aligns them.
    """

    def __init__(self, tokenizer) -> None:
        self.tokenizer = tokenizer
        jieba = getattr(tokenizer, "jieba_seg", None)
        self.segmenter = JiebaSegmenter(jieba) if jieba is not None else None

    def __call__(self, text: str) -> Doc:
        if self.segmenter is None:
            doc = self.tokenizer(text)
        elif _WHITESPACE.search(text):
            # What spaCy's jieba tokenizer does, with the faster segmenter's (identical) words:
            # spaCy's own jieba took 40% of this call on the seeds, for the 5% of blocks with a space.
            words, spaces = get_words_and_spaces(self.segmenter.cut(text), text)
            doc = Doc(self.tokenizer.vocab, words=words, spaces=spaces)
        else:
            words = self.segmenter.cut(text)
            if "".join(words) == text:
                doc = Doc(self.tokenizer.vocab, words=words, spaces=[False] * len(words))
                doc.user_data[SOURCE_WORDS] = words
            else:
                doc = self.tokenizer(text)  # never seen; spaCy's tokenizer will say what is wrong
        doc.user_data[SOURCE_TEXT] = text
        return doc


# Runs where jieba-rs and jieba may disagree: jieba-rs keeps low-enriched, U.S, 10_000, 3.5m
# and 2012.05.20 whole. Han with plain decimals and percentages (净利润277.5亿, 下降15%), the
# commonest runs with a symbol in news, they cut alike (checked on 7,000 runs of real posts).
_JIEBA_ONLY = re.compile(r"[-._%+#&]")
_CUT_ALIKE = re.compile(r"(?:[^\x00-\x7f]|\d+(?:\.\d+)?(?![.\d])%?)+")


class JiebaSegmenter:
    """jieba's words, cut by jieba-rs (``rjieba``) wherever the two agree.

    jieba-rs runs jieba's algorithm (same dictionary, DAG and HMM) in Rust, about 20×
    faster, but keeps a Latin word with ``-`` or ``.`` whole (low-enriched, U.S) where
    jieba splits it. jieba cuts each run of Han, Latin, digits and ``+#&._%-`` on its own,
    so the runs with one of those symbols go to jieba and the rest to jieba-rs.
    tests/test_segment.py checks the words against jieba's on every text of examples/,
    the seeds, annotations/ and the tests. On random character soup the HMM of the two
    can still part (3 strings in 20,000): then the words differ, never the text.
    """

    def __init__(self, jieba) -> None:
        import rjieba

        teach_jieba()  # both learn the names once: the same frequencies, the same cuts
        self.jieba = jieba
        # jieba's own pattern for the runs it cuts one by one (Han, Latin, digits, +#&._%-)
        self.runs = jieba.re_han_default
        self.fast = rjieba.Jieba()
        for name in segmenter_words():
            self.fast.add_word(name, SEGMENTER_FREQ, None)

    def cut(self, text: str) -> list[str]:
        words: list[str] = []
        # split() gives the text between runs at even indices, the runs at odd ones.
        for i, piece in enumerate(self.runs.split(text)):
            if i % 2 and (not _JIEBA_ONLY.search(piece) or _CUT_ALIKE.fullmatch(piece)):
                words += self.fast.cut(piece, True)
            elif i % 2 or _WHITESPACE.search(piece):
                words += self.jieba.cut(piece, cut_all=False)
            else:
                words += piece  # between runs jieba gives one word per character
        return [w for w in words if w]


@lru_cache(maxsize=1)
def _jieba_tags() -> dict[str, str]:
    """jieba's word → POS table, with the gazetteer's names (loaded and taught once)."""
    import jieba.posseg

    teach_jieba()
    tags = jieba.posseg.dt.word_tag_tab
    for name in segmenter_words():
        tags[name] = "nz"
    return tags


def _char_span(doc: Doc, start: int, end: int, label: str) -> Span | None:
    return doc.char_span(start, end, label=label, alignment_mode="expand")


@Language.factory("factcheck_sentencizer")
def make_sentencizer(nlp: Language, name: str) -> FastSentencizer:
    return FastSentencizer(nlp.vocab, name)


_WORD, _END, _OTHER_PUNCT = 0, 1, 2  # what a token is to the sentencizer's rule


class FastSentencizer(Sentencizer):
    """spaCy's ``sentencizer``: the same rule, the same sentences, without a Token object
    per token (spaCy's loop took a tenth of the Chinese pipeline on the seed articles).
    Each token is a word, a sentence end (one of ``punct_chars``) or other punctuation,
    kept per word; the words come from :class:`KeepText` where it cut them, else from
    one ``to_array`` call."""

    def __init__(self, vocab, name: str = "sentencizer") -> None:
        super().__init__(name)
        self.vocab = vocab
        self._kinds: dict[str, int] = {}
        self._kinds_of: tuple[int, int] = (0, 0)  # id and size of the punct_chars the table was built for

    def _kind(self, word: str) -> int:
        kind = _END if word in self.punct_chars else _OTHER_PUNCT if self.vocab[word].is_punct else _WORD
        if len(self._kinds) < 500_000:  # a bound for long runs over odd tokens
            self._kinds[word] = kind
        return kind

    def predict(self, docs):
        key = (id(self.punct_chars), len(self.punct_chars))
        if key != self._kinds_of:  # punct_chars is replaced when a pipeline is loaded from disk
            self._kinds, self._kinds_of = {}, key
        known, learn = self._kinds.get, self._kind
        guesses = []
        for doc in docs:
            if not len(doc):
                guesses.append([])
                continue
            words = doc.user_data.get(SOURCE_WORDS)
            if words is None:
                words = [t.text for t in doc]
            starts = [False] * len(words)
            starts[0] = True
            seen_end = False
            for i, word in enumerate(words):
                kind = known(word)
                if kind is None:
                    kind = learn(word)
                if kind == _END:
                    seen_end = True
                elif seen_end and kind == _WORD:  # the first word after a sentence end starts one
                    starts[i] = True
                    seen_end = False
            guesses.append(starts)
        return guesses


@Language.factory("factcheck_zh_entities")
def make_zh_entities(nlp: Language, name: str) -> ChineseEntities:
    return ChineseEntities(nlp.vocab)


class ChineseEntities:
    """Set ``doc.ents`` from the rules above; jieba's dictionary tags go to
    ``doc.user_data[LIGHT_TOKENS]``."""

    def __init__(self, vocab) -> None:
        self.vocab = vocab
        self.tags = _jieba_tags()
        self.gazetteer = zh_gazetteer()
        import jieba

        self.freq = jieba.dt.FREQ
        # word → ((tag, is_punct, is_space), may it start a name), for the words seen so
        # far: a small table, where lookups stay in the CPU cache that jieba's big ones
        # crowd out. All four depend on the word alone (is_punct and is_space are lexeme
        # attributes), so a token is its offset and word plus this entry.
        self._words: dict[str, tuple[tuple[str, bool, bool], bool]] = {}

    def _learn(self, word: str) -> tuple[tuple[str, bool, bool], bool]:
        """The word's entry in ``_words``. Its tag is jieba's, or "x" for punctuation
        jieba does not list, else "". It may start a name unless every rule in __call__
        would pass it by: no label from the gazetteer or from its tag (a word missing from
        jieba's table gets "x" or "", which have none), not two country characters, no
        organisation suffix, not a title. Kept per word: jieba's table, the gazetteer and
        the lexemes do not change once loaded."""
        tag = self.tags.get(word)
        if tag is None and "\u4e00" <= word[:1] <= "\u9fff":
            # A Traditional word (大麥, 別稱) has no entry of its own: its Simplified form's
            # tag, so that the clause splitter finds its nouns and verbs in CFEVER's Chinese.
            tag = self.tags.get(word.translate(script_table()))
        lexeme = self.vocab[word]
        punct, space = lexeme.is_punct, lexeme.is_space
        may = bool(
            self.gazetteer.get(word)
            or _TAG_LABELS.get(tag or "")
            or (len(word) == 2 and _COUNTRY_PAIR.fullmatch(word))
            or (len(word) >= 3 and word.endswith(_ORG_SUFFIXES))
            or word in _TITLES
        )
        entry = ((tag if tag is not None else "x" if punct else "", punct, space), may)
        if len(self._words) < 500_000:  # a bound for long runs over odd tokens
            self._words[word] = entry
        return entry

    def __call__(self, doc: Doc) -> Doc:
        text = doc.user_data.get(SOURCE_TEXT)
        if text is None:
            text = doc.text
        # Plain tuples with jieba's tags, for these rules and for the clause splitter,
        # which scans a sentence's tokens many times: iterating a Doc builds new Token
        # objects on every pass, and interning tags into token.tag_ costs as much again.
        # Offsets come from the tokenizer's words, or from one to_array call; the rest of
        # each token from the per-word table, not from Tokens.
        words = doc.user_data.get(SOURCE_WORDS)
        if words is None:
            # spaCy's stub types to_array as a float array; IDX and LENGTH come back as uint64.
            idx, length = cast("list[list[int]]", doc.to_array([IDX, LENGTH]).T.tolist())
            words = [text[i : i + n] for i, n in zip(idx, length)]
        else:  # no whitespace: the words tile the text
            length = list(map(len, words))
            idx = [0, *accumulate(length)][:-1]
        cached = list(map(self._words.get, words))
        if None in cached:
            known = [self._learn(w) if k is None else k for w, k in zip(words, cached)]
        else:
            known = cast("list[tuple[tuple[str, bool, bool], bool]]", cached)  # no None in it
        tokens = LightTokens(idx, words, [k[0] for k in known])
        doc.user_data[LIGHT_TOKENS] = tokens
        gazetteer, freq = self.gazetteer, self.freq
        # Only tokens whose word may start a name are looked at; the others (most of them)
        # would fall through every rule below.
        flags = [k[1] for k in known]
        found: list[tuple[int, int, str]] = []
        n = len(tokens)
        resume = 0  # tokens before this are inside a name found already
        for i in compress(range(n), flags):
            if i < resume:
                continue
            token = tokens[i]
            word, tag = token.text, token.tag_
            listed = gazetteer.get(word)
            label = listed or _TAG_LABELS.get(tag)
            if label == "PERSON" and listed is None:
                if not self._looks_like_name(tokens, i) or freq.get(word, 0) >= 300:
                    label = None  # frequent words that jieba also lists as names: 高峰, 文明, 向东
            if (
                label is None
                and len(word) == 2
                and tag in ("j", "", "nz", "ns")
                and _COUNTRY_PAIR.fullmatch(word)
            ):
                label = "GPE"  # 美欧, 中美, 美伊: two countries abbreviated to one character each
            if label is None and len(word) >= 3 and word.endswith(_ORG_SUFFIXES):
                label = "ORG"
            if word in _TITLES and i + 1 < n:
                end = self._name_after_title(tokens, i + 1)
                if end > i + 1:
                    found.append((i + 1, end, "PERSON"))
                    resume = end
                    continue
            if label:
                end = i + 1
                # 美国 + 国务院, 伊朗 + 伊斯兰革命卫队: a place in front of an organisation.
                if label == "GPE" and end < n:
                    nxt = tokens[end]
                    nxt_label = gazetteer.get(nxt.text) or _TAG_LABELS.get(nxt.tag_)
                    if nxt_label == "ORG" or nxt.text.endswith(_ORG_SUFFIXES):
                        end, label = end + 1, "ORG"
                if label == "PERSON":  # transliterated names come out in pieces: 阿拉/格齐
                    while end < n and tokens[end].tag_ in ("nr", "nrt", "nrfg"):
                        end += 1
                found.append((i, end, label))
                resume = end
        spans = []
        # _DOT_NAME backtracks at every Chinese character: run it only where a dot is.
        dotted = any(dot in text for dot in _NAME_DOTS)
        for pattern, label in ((_DOT_NAME, "PERSON"), (_BOOK_TITLE, None)):
            if label == "PERSON" and not dotted:
                continue
            for m in pattern.finditer(text):
                span_label = label or ("LAW" if any(w in m.group() for w in _LAW_WORDS) else "WORK_OF_ART")
                start, end = m.start(), m.end()
                if label == "PERSON":  # the regex cannot tell where a name starts or ends: 年马苏德, 威特科夫说
                    while end > start and text[end - 1] in _AFTER_NAME:
                        end -= 1
                    while start < end and text[start] in _BEFORE_NAME:
                        start += 1
                span = _char_span(doc, start, end, span_label)
                if span is not None:
                    spans.append(span)
        for m in _LATIN_ACRONYM.finditer(text):
            word = m.group()
            if word in _LATIN_STOP:
                continue
            span = _char_span(doc, m.start(), m.end(), _LATIN_LABELS.get(word, "ORG"))
            if span is not None:
                spans.append(span)
        if spans:
            # Longest span wins where rules overlap (a 《title》 over the country inside it);
            # between equal spans, the first: the token loop's.
            spans = [Span(doc, start, end, label=label) for start, end, label in found] + spans
            found = [(e.start, e.end, e.label_) for e in filter_spans(spans)]
        # else the token loop's spans are in order and apart already: nothing to filter.
        # One array write instead of a Span per entity through the doc.ents setter (same
        # result: B/I on the entities, O everywhere else).
        iob_type = numpy.zeros((len(tokens), 2), dtype="uint64")
        iob_type[:, 0] = _IOB_OUTSIDE
        for start, end, label in found:
            iob_type[start, 0], iob_type[start + 1 : end, 0] = _IOB_BEGIN, _IOB_INSIDE
            iob_type[start:end, 1] = self.vocab.strings.add(label)
        doc.from_array(_IOB_COLUMNS, iob_type)  # type: ignore[arg-type]  # stub wants thinc's Ints2d
        light_ents = []
        for start, end, label in found:  # character offsets from the columns: Span.start_char builds Tokens
            start_char, end_char = idx[start], idx[end - 1] + length[end - 1]
            light_ents.append(LightEnt(start, end, start_char, end_char, label, text[start_char:end_char]))
        doc.user_data[LIGHT_ENTS] = light_ents
        return doc

    @staticmethod
    def _looks_like_name(tokens: LightTokens, i: int) -> bool:
        """jieba tags many common words nr (高达, 大同): trust it only where a name fits,
        i.e. before a verb, a conjunction or punctuation, or as a transliteration run."""
        if i + 1 >= len(tokens):
            return True
        nxt = tokens[i + 1]
        if nxt.tag_ in ("nr", "nrt", "nrfg"):
            return True
        return nxt.is_punct or nxt.text in ("和", "与", "及", "等", "本人", "称", "说", "表示") or (
            nxt.tag_.startswith("v") and not nxt.text[0].isdigit()
        )

    def _name_after_title(self, tokens: LightTokens, i: int) -> int:
        """End index of a person's name starting at ``i`` (after a title), or ``i``."""
        end, chars = i, 0
        while end < len(tokens):
            token = tokens[end]
            if token.is_punct or token.is_space or not _HAN_NAME.fullmatch(token.text):
                break
            known = self.gazetteer.get(token.text)
            if known and known != "PERSON":
                break
            # Dictionary words other than names (verbs, nouns) end the name.
            if token.tag_ and token.tag_ not in ("nr", "nrt", "nrfg", "nz") and len(token.text) > 1:
                break
            if token.tag_ in ("v", "p", "c", "d", "u", "r", "uj", "ul", "f"):
                break
            chars += len(token.text)
            end += 1
            if chars >= 5:
                break
        return end if chars >= 2 else i
