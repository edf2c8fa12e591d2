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


@pytest.mark.parametrize(
    "text, signals, expected",
    [
        # Characters of a name or a word, not the markers they spell elsewhere.
        ("原来日本人从来都不用三文鱼做刺身", {}, "opinion"),  # nothing marked: left to the model, not "本人"
        ("1915年發現的小行星800是一顆繞著太陽公轉的微型行星", {"has_quantity": True}, "numeric"),
        ("威克島在北太平洋上是美國的無建制領地", {}, "opinion"),
        ("這是香港現在保存最好的客家圍村", {}, "comparative"),
    ],
)
def test_markers_do_not_fire_inside_other_words(text, signals, expected):
    found, reasons = classify_kind(KindSignals(lang="zh", text=text, sentence=text, **signals))
    assert found == expected
    assert not any("marker" in reason for reason in reasons)


@pytest.mark.parametrize("text, marker", [("这个要求实在太高了", "太"), ("你最好别信", "最好"), ("本人不同意", "本人")])
def test_the_markers_themselves_still_fire(text, marker):
    found = classify_kind(KindSignals(lang="zh", text=text, sentence=text))
    assert found == ("opinion", [f"opinion marker {marker!r}"])


def test_a_fact_before_the_question_is_not_the_question():
    sentence = "看到一个数据：我国独居人口已超过1.25亿，你是其中之一吗？"
    assert kind("我国独居人口已超过1.25亿", sentence=sentence, has_quantity=True) == "numeric"
    assert kind("你是其中之一吗", sentence=sentence) == "question"


def test_a_clause_with_nothing_checkable_before_a_question_stays_a_question():
    sentence = "连撤侨通知都发出来了，谁还会相信谈判一帆风顺？"
    assert kind("连撤侨通知都发出来了", sentence=sentence) == "question"


def test_a_marker_in_what_a_named_speaker_reports_makes_a_quote():
    found, reasons = classify_kind(KindSignals(lang="zh", text="国际社会指责伊朗可能秘密研发核武器",
                                               sentence="国际社会指责伊朗可能秘密研发核武器", has_entity=True))
    assert found == "quote"
    assert reasons == ["attributed: '国际社会' 指责", "prediction marker '可能' inside the reported part"]


def test_a_marker_before_the_say_verb_is_the_author_s_own():
    # "可能" governs the announcement itself: an unattributed prediction.
    assert kind("美国可能宣布新的制裁", has_entity=True) == "prediction"
    assert kind("Officials may announce new sanctions", lang="en", has_entity=True) == "prediction"


@pytest.mark.parametrize("text", ["5楼: 请帮忙转发", "请大家转发", "求擴散", "轉發周知！", "麻烦各位扩散一下"])
def test_a_call_to_share_the_post_is_meta_whatever_numbers_it_holds(text):
    assert kind(text, has_quantity=True) == "meta"


@pytest.mark.parametrize("text", ["他的文章在微博上被转发了3万次", "该视频一天内被轉發超过十万次"])
def test_a_post_that_was_shared_is_a_fact_not_a_call_to_share(text):
    assert kind(text, has_quantity=True) == "numeric"


def test_a_clause_that_states_something_besides_a_call_to_share_keeps_its_kind():
    assert kind("【请大家转发】今天有两个人来药店购买了1万多元的药品", has_quantity=True) == "numeric"


def test_a_say_word_after_de_is_a_noun_not_an_attribution():
    # 担忧 here is "concerns": the clause states an event, it does not only name a speaker.
    assert kind("伊朗的秘密核设施引发国际社会对伊朗核计划的担忧", has_entity=True) != "meta"
