"""The rules inform, the model judges: a marker inside reported speech or an accusation does
not veto the claim it is reported with; a statement that is wholly an opinion, a prediction
or a question stays rejected (issue 21)."""

from __future__ import annotations

import pytest

import factcheck
from factcheck.extraction.kinds import NO_MARKER, find_report
from factcheck.extraction.score import judge
from factcheck.records import Claim

# The issue's three sentences, rejected before for a marker inside what is reported.
ISSUE_EXAMPLES = [
    ("2002年,伊朗纳坦兹和阿拉克的秘密核设施曝光,国际社会指责伊朗可能秘密研发核武器,"
     "伊朗则坚称其核计划仅用于发电和医疗等和平目的。", "zh", "可能"),
    ("时任美国总统特朗普以协议未能充分解决伊朗弹道导弹计划、地区影响力以及部分核限制将在未来逐步解除的"
     "“日落条款”等问题为由,单方面宣布美国退出JCPOA。", "zh", "未来"),
    ("Trade estimates suggest that Iran's crude sales have actually dropped by 40-60 percent since the "
     "president announced in May that he would restore the sanctions.", "en", "would"),
]


def _candidate(text: str, lang: str, marker: str) -> Claim:
    return next(c for c in factcheck.extract(text, lang=lang, include_rejected=True) if marker in c.text)


@pytest.mark.parametrize("text, lang, marker", ISSUE_EXAMPLES)
def test_a_marker_inside_reported_speech_is_a_quote_not_a_veto(text, lang, marker):
    claim = _candidate(text, lang, marker)
    assert claim.is_claim and claim.kind == "quote"
    # The reasons say who reports it and which marker the rules saw inside.
    assert claim.reasons[0].startswith("attributed: ")
    assert repr(marker) in claim.reasons[1] and "inside the reported part" in claim.reasons[1]


@pytest.mark.parametrize(
    "text, lang",
    [
        ("外交部发言人称,美方可能在下周恢复对话。", "zh"),
        ("据新华社报道,两国预计将在年底前签署协议。", "zh"),
        ("伊朗认为,这些调查是基于过时甚至虚假情报,具有政治动机。", "zh"),
        ("沙特王储在2024年表示,若伊朗继续发展核武器,沙特将寻求发展自己的核计划。", "zh"),
        ("The central bank said inflation would ease to 3% by June.", "en"),
        ("According to the ministry, exports could fall by a third this year.", "en"),
        ("Officials warned that the talks might collapse.", "en"),
    ],
)
def test_named_speakers_turn_forecasts_and_views_into_quotes(text, lang):
    candidates = factcheck.extract(text, lang=lang, include_rejected=True)
    assert any(c.is_claim and c.kind == "quote" for c in candidates), [(c.kind, c.reasons) for c in candidates]


@pytest.mark.parametrize(
    "text, lang, kind",
    [
        # No speaker, or an anonymous one, or the author: the content is judged alone.
        ("到2030年这一比例很可能翻番。", "zh", "prediction"),
        ("有分析认为,伊朗可能试图利用地区动荡作为筹码。", "zh", "prediction"),
        ("部分分析家甚至认为,以色列的军事威胁是驱动伊朗参与谈判的主要动力之一。", "zh", "opinion"),
        ("我认为美国可能会让步。", "zh", "prediction"),
        ("外交声明可以模糊,撤侨公告骗不了人。", "zh", "opinion"),
        ("Some analysts say Iran could yield within weeks.", "en", "prediction"),
        ("By 2035, hydrogen trucks could well dominate long-haul freight.", "en", "prediction"),
        ("I think the sanctions will fail.", "en", "prediction"),
        # "这本身就说明了问题": 说明 is no say-verb and 这 no speaker.
        ("谈判说得好听,撤侨却在同步推进,这两件事放在一起本身就已经说明了问题。", "zh", "opinion"),
    ],
)
def test_whole_opinions_and_predictions_stay_rejected(text, lang, kind):
    candidates = factcheck.extract(text, lang=lang, include_rejected=True)
    assert not any(c.is_claim for c in candidates), [(c.kind, c.reasons) for c in candidates]
    assert kind in {c.kind for c in candidates}


def test_a_fact_stated_before_a_question_is_kept_and_the_question_is_not():
    text = "看到一个数据:我国独居人口已超过1.25亿,你是其中之一吗?"
    candidates = factcheck.extract(text, lang="zh", include_rejected=True)
    kinds = {c.text: (c.is_claim, c.kind) for c in candidates}
    assert any(is_claim and kind == "numeric" for is_claim, kind in kinds.values()), kinds
    assert any(kind == "question" and not is_claim for is_claim, kind in kinds.values()), kinds


@pytest.mark.parametrize(
    "text",
    ["问题在于,谈判真的如伊方所说那么顺利吗?", "连撤侨通知都发出来了,谁还会相信谈判一帆风顺?",
     "Why would anyone believe these numbers?"],
)
def test_rhetorical_questions_stay_rejected(text):
    assert factcheck.extract(text) == []


@pytest.mark.parametrize(
    "text, speaker",
    [
        ("国际社会指责伊朗可能秘密研发核武器", "国际社会"),
        ("据路透社报道,伊朗可能恢复谈判", "路透社"),
        ("Trade estimates suggest that sales dropped", "Trade estimates"),
        ("According to the IMF, growth could slow", "the IMF"),
    ],
)
def test_find_report_names_the_speaker(text, speaker):
    report = find_report(text, "zh" if text[0] > "\u3000" else "en")
    assert report is not None and report.speaker == speaker


@pytest.mark.parametrize("text", ["有专家认为伊朗可能让步", "据说伊朗可能让步", "我们认为伊朗可能让步", "这说明了问题",
                                  "Some analysts said Iran could yield", "It is said that prices would rise"])
def test_find_report_ignores_anonymous_speakers_and_the_author(text):
    assert find_report(text, "zh" if text[0] > "\u3000" else "en") is None


def _claim(kind: str, is_claim: bool, reasons: list[str]) -> Claim:
    return Claim(claim_id="c", article_id="a", lang="zh", text="t", sentence="t", start=0, end=1, kind=kind,
                 is_claim=is_claim, reasons=reasons)


def test_judge_keeps_numbers_and_dates_whatever_the_score():
    claim = _claim("numeric", True, ["has a quantity"])
    judge(claim, 0.01, 0.5)
    assert claim.is_claim


def test_judge_filters_the_soft_kinds_on_the_score():
    low, high = _claim("quote", True, ["attributed statement"]), _claim("quote", True, ["attributed statement"])
    judge(low, 0.2, 0.5)
    judge(high, 0.8, 0.5)
    assert (low.is_claim, high.is_claim) == (False, True)
    assert "below threshold" in low.reasons[-1]


def test_judge_lets_the_model_keep_what_no_rule_marked():
    claim = _claim("opinion", False, [NO_MARKER])
    judge(claim, 0.9, 0.5)
    assert (claim.is_claim, claim.kind) == (True, "event")
    assert "no rule marked it" in claim.reasons[-1]
    unsure = _claim("opinion", False, [NO_MARKER])
    judge(unsure, 0.3, 0.5)
    assert (unsure.is_claim, unsure.kind) == (False, "opinion")


@pytest.mark.parametrize("kind, reason", [("prediction", "prediction marker '可能'"),
                                          ("opinion", "opinion marker '显然'"), ("question", "ends as a question"),
                                          ("meta", "heading or text about the article itself")])
def test_judge_never_overrules_a_marker(kind, reason):
    claim = _claim(kind, False, [reason])
    judge(claim, 0.99, 0.5)
    assert (claim.is_claim, claim.kind) == (False, kind)


@pytest.mark.model
def test_the_promoted_model_keeps_an_unmarked_rumour_and_drops_an_unmarked_musing():
    from factcheck.model.registry import load_promoted

    model = load_promoted()
    assert model is not None
    # A Weibo rumour with no number, date or named actor the rules can see (CED, label 1) and
    # a literary line (label 0): the rules say nothing about either, the model tells them apart.
    rumour = factcheck.extract("小龙虾是二战时期日本军队输入中国用来处理尸体的！", lang="zh", scorer=model,
                               include_rejected=True)
    musing = factcheck.extract("可是真正在一起以后，就忘记了小心翼翼的疼爱。", lang="zh", scorer=model,
                               include_rejected=True)
    assert any(c.is_claim for c in rumour), [(c.kind, c.checkworthiness, c.reasons) for c in rumour]
    assert not any(c.is_claim for c in musing), [(c.kind, c.checkworthiness, c.reasons) for c in musing]


@pytest.mark.parametrize(
    "text, lang",
    [
        ("届时,联合国安理会第2231号决议规定的限制将到期。", "zh"),
        ("新规将于明年1月1日起施行。", "zh"),
        ("The new tariffs will take effect on 1 June.", "en"),
    ],
)
def test_a_fixed_schedule_is_a_claim_not_a_forecast(text, lang):
    candidates = factcheck.extract(text, lang=lang, include_rejected=True)
    assert any(c.is_claim for c in candidates), [(c.kind, c.reasons) for c in candidates]


@pytest.mark.parametrize("text, lang", [("新规可能将于明年起施行。", "zh"), ("如果谈判破裂,制裁将于下月生效。", "zh"),
                                        ("The new tariffs could take effect in June.", "en")])
def test_a_hedged_schedule_stays_a_prediction(text, lang):
    candidates = factcheck.extract(text, lang=lang, include_rejected=True)
    assert not any(c.is_claim for c in candidates), [(c.kind, c.reasons) for c in candidates]


@pytest.mark.parametrize("text", ["许多分析家也认为此举将使谈判复杂化至难以达成任何协议的程度。",
                                  "一些官员称,谈判可能破裂。"])
def test_generic_speakers_are_anonymous(text):
    candidates = factcheck.extract(text, lang="zh", include_rejected=True)
    assert not any(c.kind == "quote" or c.is_claim for c in candidates), [(c.kind, c.reasons) for c in candidates]
