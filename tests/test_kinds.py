"""The kind rules: what is a claim, and what is opinion, prediction, question or meta."""

from __future__ import annotations

import pytest

from factcheck.extraction.kinds import KindSignals, classify_kind


def kind(text, lang="zh", **signals):
    return classify_kind(KindSignals(lang=lang, text=text, sentence=signals.pop("sentence", text), **signals))[0]


@pytest.mark.parametrize(
    "text, signals, expected",
    [
        ("今年一季度全国发电量同比增长3.1%", {"has_quantity": True}, "numeric"),
        ("三个百分点的差距根本不值一提", {"has_quantity": True}, "opinion"),
        ("到2030年这一比例很可能翻番", {"has_quantity": True, "has_absolute_time": True}, "prediction"),
        ("如果谈判破裂，油价将会突破100美元", {"has_quantity": True}, "prediction"),
        ("难道制裁真的有效吗？", {}, "question"),
        ("本文将回顾谈判的历史", {}, "meta"),
        ("1970年伊朗议会批准加入该条约", {"has_absolute_time": True, "has_entity": True}, "temporal"),
        ("该国拥有中东地区储量最大的导弹库", {}, "comparative"),
        ("美国国务院批准使馆非紧急雇员撤离", {"has_entity": True}, "event"),
        ("外交声明可以模糊，撤侨公告骗不了人", {}, "opinion"),
        ("发言人表示谈判取得进展", {"attributed": True, "named_source": True}, "quote"),
        ("有分析认为伊朗可能让步", {"attributed": True, "named_source": True}, "prediction"),
    ],
)
def test_chinese_kinds(text, signals, expected):
    assert kind(text, **signals) == expected


@pytest.mark.parametrize(
    "text, signals, expected",
    [
        ("Exports fell to 130,000 barrels a day", {"has_quantity": True}, "numeric"),
        ("A 3-point gap is frankly nothing to worry about", {"has_quantity": True}, "opinion"),
        ("Prices will probably double by 2030", {"has_quantity": True}, "prediction"),
        ("Why would anyone believe these numbers?", {}, "question"),
        ("Iran is the largest producer in the region", {}, "comparative"),
        ("The treaty entered into force in 1970", {"has_absolute_time": True}, "temporal"),
        ("The ministry announced new sanctions", {"has_entity": True}, "event"),
        ("The IMF expects growth to slow to 3% next year",
         {"attributed": True, "named_source": True, "has_quantity": True}, "quote"),
        ("Washington should rethink its strategy", {"has_entity": True}, "opinion"),
    ],
)
def test_english_kinds(text, signals, expected):
    assert kind(text, lang="en", **signals) == expected


def test_heading_blocks_are_meta():
    assert kind("伊朗核问题的历史沿革", block="heading") == "meta"


def test_question_sentence_rejects_each_of_its_clauses():
    assert kind("谈判真的如此顺利", sentence="问题在于，谈判真的如此顺利吗？") == "question"


def test_reasons_name_the_marker():
    _, reasons = classify_kind(KindSignals(lang="en", text="Oil may hit $120", sentence="Oil may hit $120"))
    assert "may" in reasons[0]
