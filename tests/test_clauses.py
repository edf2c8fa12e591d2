"""Atomic clause splitting, on real spaCy docs."""

from __future__ import annotations

import re

from factcheck.extraction import clauses
from factcheck.extraction.clauses import split_clauses, strip_leading_conjunction
from factcheck.extraction.segment import detect_lang, iter_sentence_spans
from factcheck.records import Block

from .test_times import gate_corpus


def clauses_of(text: str):
    out = []
    for sentence, span, base in iter_sentence_spans(text, [Block(0, len(text), "body")]):
        out.extend(split_clauses(sentence, span, base))
    return [(text[c.start : c.end], c) for c in out]


def test_chinese_chain_is_split_and_time_anchor_stays_with_first_clause():
    got = clauses_of("截至去年年底，沙特原油日产量从1000万桶降至900万桶，财政赤字扩大到GDP的6%。")
    assert [t for t, _ in got] == [
        "截至去年年底，沙特原油日产量从1000万桶降至900万桶",
        "财政赤字扩大到GDP的6%",
    ]
    assert got[1][1].subject == "沙特"


def test_chinese_clause_with_own_subject_carries_nothing():
    got = clauses_of("美国财政部宣布新一轮制裁，欧盟则表示暂不跟进。")
    assert [t for t, _ in got] == ["美国财政部宣布新一轮制裁", "欧盟则表示暂不跟进"]
    assert got[1][1].subject is None


def test_ascii_commas_in_chinese_split_but_not_inside_numbers():
    got = clauses_of("该国日出口原油130,000桶,比上月减少一成。")
    assert [t for t, _ in got] == ["该国日出口原油130,000桶", "比上月减少一成"]


def test_chinese_connective_fragment_merges_forward():
    got = clauses_of("此外，卫生部门新建方舱医院3座，床位共计4500张。")
    assert got[0][0] == "此外，卫生部门新建方舱医院3座"


def test_chinese_attributed_sentence_is_one_quote_clause():
    got = clauses_of("世卫组织发言人周二表示，全球病例已连续三周下降，但仍需警惕。")
    assert len(got) == 1
    assert got[0][1].attributed


def test_brackets_are_not_split_points():
    got = clauses_of("伊朗拆除了大部分离心机（从19000台减少至6000台，降幅约三分之二），并接受核查。")
    assert got[0][0] == "伊朗拆除了大部分离心机（从19000台减少至6000台，降幅约三分之二）"


def test_english_coordinated_clauses_split_with_subject_carried():
    got = clauses_of("The ministry approved 12 new reactors and cancelled three older projects.")
    assert [t for t, _ in got] == ["The ministry approved 12 new reactors", "cancelled three older projects"]
    assert got[1][1].subject == "The ministry"


def test_english_clauses_with_own_subjects():
    got = clauses_of("Exports fell to 300,000 barrels a day, and inflation climbed above 40%.")
    assert [t for t, _ in got] == ["Exports fell to 300,000 barrels a day", "inflation climbed above 40%"]
    assert got[1][1].subject is None


def test_english_reported_speech_is_not_split():
    got = clauses_of("The agency said stocks rose by 5% and prices fell.")
    assert len(got) == 1 and got[0][1].attributed


def test_strip_leading_conjunction():
    assert strip_leading_conjunction("并改造两座反应堆") == "改造两座反应堆"
    assert strip_leading_conjunction("改造两座反应堆") == "改造两座反应堆"


def test_say_verb_gate_never_changes_the_split(monkeypatch):
    texts = [t for t in dict.fromkeys(gate_corpus()) if detect_lang(t) == "zh" and len(t) < 5000]
    spans = [x for t in texts for x in iter_sentence_spans(t, [Block(0, len(t), "body")])]

    def split():
        return [split_clauses(sentence, span, base) for sentence, span, base in spans]

    gated = split()
    assert any(c.attributed for cs in gated for c in cs)
    monkeypatch.setattr(clauses, "_ZH_SAY_ANY", re.compile(""))  # matches every text
    assert split() == gated
