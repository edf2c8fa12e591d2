"""spaCy components that factcheck adds to its pipelines, registered by name.

``factcheck_zh_entities`` gives the Chinese pipeline (``spacy.blank("zh")`` with the
jieba segmenter, which has no trained NER on the registry) named entities and coarse
POS tags:

* each token's tag comes from jieba's dictionary (a table lookup, no HMM tagging),
  kept with the token's offset in ``doc.user_data[LIGHT_TOKENS]``;
* names from ``data/zh_gazetteer.tsv`` are added to jieba's dictionary at load time,
  so they come out as single tokens with a known label;
* dictionary tags map to labels (ns → GPE, nt → ORG, nr/nrt → PERSON);
* patterns catch what the dictionary cannot: a transliterated name after a title
  (外长阿拉格齐), names joined by "·", organisation suffixes (…机构, …委员会),
  a country in front of an organisation (美国 + 国务院), 《titles》 and Latin acronyms.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

ENTITY_LABELS = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "LAW", "EVENT", "PRODUCT", "WORK_OF_ART")

_TAG_LABELS = {"ns": "GPE", "nt": "ORG", "nr": "PERSON", "nrt": "PERSON", "nrfg": "PERSON"}
# Titles that precede a person's name in news Chinese.
_TITLES = (
    "外长 外交部长 外交大臣 总统 副总统 总理 首相 国务卿 部长 副部长 司令 司令员 指挥官 特使 "
    "总干事 秘书长 发言人 主席 议长 大使 国王 王储 最高领袖 总书记 局长 署长 行长 主任 将军 "
    "代表 参议员 众议员 顾问 教授 记者 分析师 研究员 院长 首席执行官 CEO"
).split()
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
_LATIN_ACRONYM = re.compile(r"(?<![A-Za-z])[A-Z]{2,6}(?![A-Za-z])")
_DOT_NAME = re.compile(r"[\u4e00-\u9fff]{1,6}(?:[·•‧・][\u4e00-\u9fff]{1,8})+")
_BOOK_TITLE = re.compile(r"《[^《》\n]{1,40}》")
_COUNTRY_PAIR = re.compile(r"[中美俄英法德日韩朝伊以欧印巴沙土乌叙]{2}")
_BEFORE_NAME = set("年月日的在于和与及是为被将对向从自后前时由")
_AFTER_NAME = set("说称表示在于和与的了是曾将等也都对向就已又")
_LAW_WORDS = ("法", "条约", "协议", "协定", "计划", "法案", "决议", "公约", "宪章")


LIGHT_TOKENS = "factcheck.light_tokens"


class LightToken(NamedTuple):
    idx: int
    text: str
    tag_: str
    is_punct: bool
    is_space: bool


@lru_cache(maxsize=1)
def zh_gazetteer() -> dict[str, str]:
    """Name → label from the packaged gazetteer file."""
    names: dict[str, str] = {}
    text = resources.files("factcheck").joinpath("data/zh_gazetteer.tsv").read_text("utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, label = line.split("\t")
            names[name] = label
    return names


@lru_cache(maxsize=1)
def _jieba_tags() -> dict[str, str]:
    """Load jieba once, teach it the gazetteer, and return its word → POS table."""
    import jieba
    import jieba.posseg

    jieba.setLogLevel(60)  # jieba logs its cache building at INFO
    jieba.initialize()
    tags = jieba.posseg.dt.word_tag_tab
    for name in zh_gazetteer():
        if not name.startswith("《"):
            jieba.add_word(name, freq=200000)
            tags[name] = "nz"
    return tags


def _char_span(doc: Doc, start: int, end: int, label: str) -> Span | None:
    return doc.char_span(start, end, label=label, alignment_mode="expand")


@Language.factory("factcheck_zh_entities")
def make_zh_entities(nlp: Language, name: str) -> "ChineseEntities":
    return ChineseEntities()


class ChineseEntities:
    """Set ``doc.ents`` from the rules above; jieba's dictionary tags go to
    ``doc.user_data[LIGHT_TOKENS]``."""

    def __init__(self) -> None:
        self.tags = _jieba_tags()
        self.gazetteer = zh_gazetteer()
        import jieba

        self.freq = jieba.dt.FREQ

    def __call__(self, doc: Doc) -> Doc:
        spans: list[Span] = []
        # Plain tuples with jieba's tags, for these rules and for the clause splitter,
        # which scans a sentence's tokens many times: iterating a Doc builds new Token
        # objects on every pass, and interning tags into token.tag_ costs as much again.
        tokens = [
            LightToken(t.idx, t.text, self.tags.get(t.text, "x" if t.is_punct else ""), t.is_punct, t.is_space)
            for t in doc
        ]
        doc.user_data[LIGHT_TOKENS] = tokens
        i = 0
        while i < len(tokens):
            token = tokens[i]
            label = self.gazetteer.get(token.text) or _TAG_LABELS.get(token.tag_)
            if label == "PERSON" and token.text not in self.gazetteer and not self._looks_like_name(tokens, i):
                label = None
            if label == "PERSON" and token.text not in self.gazetteer and self.freq.get(token.text, 0) >= 300:
                label = None  # frequent words that jieba also lists as names: 高峰, 文明, 向东
            if label is None and _COUNTRY_PAIR.fullmatch(token.text) and token.tag_ in ("j", "", "nz", "ns"):
                label = "GPE"  # 美欧, 中美, 美伊: two countries abbreviated to one character each
            if label is None and len(token.text) >= 3 and token.text.endswith(_ORG_SUFFIXES):
                label = "ORG"
            if token.text in _TITLES and i + 1 < len(tokens):
                end = self._name_after_title(tokens, i + 1)
                if end > i + 1:
                    spans.append(Span(doc, i + 1, end, label="PERSON"))
                    i = end
                    continue
            if label:
                end = i + 1
                # 美国 + 国务院, 伊朗 + 伊斯兰革命卫队: a place in front of an organisation.
                if label == "GPE" and end < len(tokens):
                    nxt = tokens[end]
                    nxt_label = self.gazetteer.get(nxt.text) or _TAG_LABELS.get(nxt.tag_)
                    if nxt_label == "ORG" or nxt.text.endswith(_ORG_SUFFIXES):
                        end, label = end + 1, "ORG"
                if label == "PERSON":  # transliterated names come out in pieces: 阿拉/格齐
                    while end < len(tokens) and tokens[end].tag_ in ("nr", "nrt", "nrfg"):
                        end += 1
                spans.append(Span(doc, i, end, label=label))
                i = end
                continue
            i += 1
        text = doc.text
        for pattern, label in ((_DOT_NAME, "PERSON"), (_BOOK_TITLE, None)):
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
        # Longest span wins where rules overlap (a 《title》 over the country inside it).
        doc.ents = filter_spans(spans)
        return doc

    @staticmethod
    def _looks_like_name(tokens: list, i: int) -> bool:
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

    def _name_after_title(self, tokens: list, i: int) -> int:
        """End index of a person's name starting at ``i`` (after a title), or ``i``."""
        end, chars = i, 0
        while end < len(tokens):
            token = tokens[end]
            if token.is_punct or token.is_space or not re.fullmatch(r"[\u4e00-\u9fff·]+", token.text):
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
