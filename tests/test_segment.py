from __future__ import annotations

import re

import pytest
from spacy.tokens import Span

from factcheck.extraction import components
from factcheck.extraction.components import LIGHT_TOKENS, span_ents
from factcheck.extraction.segment import chunk_block, detect_lang, iter_sentence_spans
from factcheck.extraction.times import required_chars
from factcheck.records import Block

from .test_times import gate_corpus


@pytest.mark.parametrize(
    "text, lang",
    [
        ("伊朗同意把浓缩丰度压在3.67%以内。", "zh"),
        ("The IAEA counted 19,000 centrifuges.", "en"),
        ("国际原子能机构(IAEA)的核查人员周二抵达。", "zh"),  # a Latin acronym stays Chinese
        ("Officials met in Muscat (马斯喀特) on Saturday.", "en"),
        ("2025-04-12", "en"),
    ],
)
def test_detect_lang_by_script(text, lang):
    assert detect_lang(text) == lang


def test_sentences_keep_exact_offsets_in_mixed_article():
    text = ("卫生部门周一通报，新增病例约1200例。全年接种疫苗1.2亿剂！\n"
            "The ministry said 40% of adults were vaccinated. Cases fell.")
    blocks = [Block(0, text.index("\n"), "body"), Block(text.index("\n") + 1, len(text), "body")]
    sentences = [s for s, _, _ in iter_sentence_spans(text, blocks)]
    assert [s.lang for s in sentences] == ["zh", "zh", "en", "en"]
    for s in sentences:
        assert text[s.start : s.end] == s.text
    assert sentences[1].text == "全年接种疫苗1.2亿剂！"


def test_english_sentence_inside_chinese_paragraph_gets_english_entities():
    text = "发言人当天表示欢迎。Iran's foreign minister met Rafael Grossi in Vienna."
    sentences = list(iter_sentence_spans(text, [Block(0, len(text), "body")]))
    sent, span, base = sentences[-1]
    assert sent.lang == "en"
    labels = {(e.text, e.label_) for e in span.ents}
    assert ("Vienna", "GPE") in labels
    for ent in span.ents:
        assert text[base + ent.start_char : base + ent.end_char] == ent.text


def test_chinese_entities_from_dictionary_titles_and_suffixes(nlp_zh):
    doc = nlp_zh("伊朗外长阿拉格齐周六在马斯喀特会见阿曼外交大臣，国际原子能机构随后发表声明。")
    ents = {(e.text, e.label_) for e in doc.ents}
    assert ("伊朗", "GPE") in ents
    assert ("阿拉格齐", "PERSON") in ents
    assert ("国际原子能机构", "ORG") in ents
    assert ("马斯喀特", "GPE") in ents


def test_chinese_common_words_tagged_as_names_are_not_people(nlp_zh):
    doc = nlp_zh("通货膨胀率一度高达50%以上。")
    assert not [e for e in doc.ents if e.label_ == "PERSON"]


def test_chinese_book_title_and_dot_name(nlp_zh):
    doc = nlp_zh("史蒂夫·威特科夫说，《核不扩散条约》仍然有效。")
    ents = {(e.text, e.label_) for e in doc.ents}
    assert ("史蒂夫·威特科夫", "PERSON") in ents
    assert ("《核不扩散条约》", "LAW") in ents


def test_over_long_block_is_cut_at_sentence_punctuation():
    text = "这是一个句子。" * 5000
    pieces = chunk_block(text, Block(0, len(text), "body"), limit=1000)
    assert len(pieces) > 30
    assert pieces[0].start == 0 and pieces[-1].end == len(text)
    assert all(text[p.start : p.end].endswith("。") for p in pieces)
    assert all(a.end == b.start for a, b in zip(pieces, pieces[1:]))



def test_a_run_on_line_without_sentence_punctuation_is_cut_between_clauses_not_inside_words():
    text = "the plant made 120 tons of steel and the port shipped 40 containers and " * 100
    pieces = chunk_block(text, Block(0, len(text), "body"), limit=1000)
    assert all(a.end == b.start for a, b in zip(pieces, pieces[1:]))
    # Each piece after the first opens with the conjunction that joined two clauses.
    assert all(text[p.start : p.end].startswith("and the") for p in pieces[1:])
    # A comma, where there is one, is where a Chinese run-on line is cut.
    zh = "该厂产钢120吨，港口发货40箱" * 100
    pieces = chunk_block(zh, Block(0, len(zh), "body"), limit=1000)
    assert all(zh[p.start - 1] == "，" for p in pieces[1:])

# --- the shortcuts in the Chinese pipeline give what the plain spaCy calls give ---------


@pytest.fixture(scope="module")
def zh_texts():
    return [t for t in dict.fromkeys(gate_corpus()) if detect_lang(t) == "zh" and len(t) < 5000]


def test_detect_lang_without_latin_letters_is_the_full_count():
    cjk, latin = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]"), re.compile(r"[A-Za-z]")
    quoted = re.compile(r"“[^”]*”|\"[^\"]*\"|「[^」]*」")

    def counted(text):
        n = len(cjk.findall(text))
        if not n:
            return "en"
        frame = quoted.sub("", text)
        if cjk.search(frame):
            text, n = frame, len(cjk.findall(frame))
        return "zh" if n * 3 >= len(latin.findall(text)) else "en"

    for text in gate_corpus():
        assert detect_lang(text) == counted(text), text


def test_light_tokens_and_entities_are_the_docs_own(nlp_zh, zh_texts):
    tags = nlp_zh.get_pipe("factcheck_zh_entities").tags
    for doc in nlp_zh.pipe(zh_texts[:1500]):
        own = [(t.idx, t.text, tags.get(t.text, "x" if t.is_punct else ""), t.is_punct, t.is_space) for t in doc]
        light = doc.user_data[LIGHT_TOKENS]  # built when read: by slice, by index, by iteration
        assert light[:] == list(light) == [light[i] for i in range(len(light))] == own
        assert light[2:5] == own[2:5] and light[-1:] == own[-1:]
        for sent in doc.sents:
            assert [(e.start, e.end, e.start_char, e.end_char, e.label_, e.text) for e in span_ents(sent)] == [
                (e.start, e.end, e.start_char, e.end_char, e.label_, e.text) for e in sent.ents
            ]


# Runs jieba-rs would cut otherwise than jieba (Latin words with - or .), and their kin.
SEGMENTER_TRICKS = [
    "伊朗的IR-6和IR-9型离心机效率是IR-1型的10倍。",
    "U.S.能源部称，low-enriched铀的丰度上限为3.67%。",
    "PM2.5浓度下降了12.5%，C++与C#开发者、R&D投入增长。",
    "阿巴斯·阿拉格齐在2025年4月12日称，第1轮会谈“建设性”。",
]


def test_segmenter_gives_jiebas_words(nlp_zh):
    import jieba

    from factcheck.store import fts

    segmenter = nlp_zh.tokenizer.segmenter  # built with the pipeline: the gazetteer is in both
    # The search index teaches jieba the gazetteer too; a second lesson once changed
    # jieba's total frequency, and with it how jieba cut the seeds.
    fts.words("伊朗外长称谈判取得进展")
    texts = [*gate_corpus(), *SEGMENTER_TRICKS, "伊朗 外长\u3000称\r\n谈判", ""]
    for text in texts:
        assert segmenter.cut(text) == [w for w in jieba.cut(text, cut_all=False) if w], text


def test_chinese_tokenizer_shortcut_builds_spacys_own_doc(nlp_zh, zh_texts):
    # Texts without whitespace skip spaCy's word alignment; with it they go through spaCy.
    stock = nlp_zh.tokenizer.tokenizer
    texts = [*zh_texts, *SEGMENTER_TRICKS, "伊朗 外长阿拉格齐称，谈判\u3000取得进展。", "IAEA\n报告 显示"]
    assert any(re.search(r"\s", t) for t in texts) and any(not re.search(r"\s", t) for t in texts)
    for text in texts:
        ours, spacys = nlp_zh.make_doc(text), stock(text)
        assert [(t.text, t.whitespace_, t.idx) for t in ours] == [(t.text, t.whitespace_, t.idx) for t in spacys]
        assert ours.text == text


def test_entity_component_marks_tokens_like_spacys_ents_setter(nlp_zh, zh_texts):
    for doc in nlp_zh.pipe(zh_texts[:1500]):
        reference = nlp_zh.make_doc(doc.user_data["factcheck.source_text"])
        reference.ents = [Span(reference, e.start, e.end, label=e.label_) for e in doc.ents]
        assert [(t.ent_iob_, t.ent_type_) for t in doc] == [(t.ent_iob_, t.ent_type_) for t in reference]


def test_entity_rules_skip_only_tokens_no_rule_would_take(nlp_zh, zh_texts, monkeypatch):
    def ents():
        return [[(e.start, e.end, e.label_) for e in doc.ents] for doc in nlp_zh.pipe(zh_texts)]

    fast = ents()
    component = nlp_zh.get_pipe("factcheck_zh_entities")
    monkeypatch.setattr(component, "_words", {})  # nothing kept: every word is learnt anew...
    learn = component._learn
    monkeypatch.setattr(component, "_learn", lambda word: (learn(word)[0], True))  # ...as a start
    assert ents() == fast


def test_entity_pattern_shortcuts():
    # The dotted-name pattern needs one of the dots the gate looks for.
    assert required_chars(components._DOT_NAME) == (frozenset(components._NAME_DOTS),)
    # The acronym pattern, its lookbehind moved behind the first capital, finds what it did.
    before = re.compile(r"(?<![A-Za-z])[A-Z]{2,6}(?![A-Za-z])")
    for text in gate_corpus() + ["IAEA", "aIAEA", "NATO-led", "ABCDEFG", "xA", "A", "UN, EU和NATO"]:
        assert [m.span() for m in components._LATIN_ACRONYM.finditer(text)] == [m.span() for m in before.finditer(text)]
