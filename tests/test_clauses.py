"""Atomic clause splitting, on real spaCy docs."""

from __future__ import annotations

import re
from collections import Counter

import pytest

import factcheck
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


# --- issue 22: standalone claims that say what the source says ------------------------


def claims_of(text: str):
    return factcheck.extract(text, include_rejected=True)


def clause_texts(text: str) -> list[str]:
    return [text[c.start : c.end] for c in claims_of(text)]


def test_a_source_lead_is_the_source_once_and_never_the_subject():
    claims = claims_of("据路透社报道，沙特阿美第三季度净利润为277亿美元，同比下降15%。")
    assert claims[1].text == "据路透社报道，沙特阿美第三季度净利润同比下降15%"
    assert claims[1].carried == {"subject": "沙特阿美第三季度净利润", "source": "据路透社报道"}
    assert all(c.text.count("路透社") == 1 for c in claims)


def test_the_measured_thing_is_carried_with_its_modifiers():
    claims = claims_of("根据经济部统计，台湾2023年出口总额达4,324亿美元，较前一年减少9.8%。")
    assert claims[1].text == "根据经济部统计，台湾2023年出口总额较前一年减少9.8%"


def test_the_year_before_is_not_a_quantity():
    claims = claims_of("根据经济部统计，台湾2023年出口总额达4,324亿美元，较前一年减少9.8%。")
    assert [(q.value, q.unit) for q in claims[1].quantities] == [(9.8, "percent")]


def test_the_actor_is_carried_not_a_noun_of_the_clause():
    text = "时任美国总统特朗普以协议未能解决弹道导弹等问题为由，单方面宣布美国退出JCPOA，并重启乃至追加了对伊朗的制裁。"
    claims = claims_of(text)
    # 以…为由 is the reason of the announcement: one claim with its actor, not a fragment.
    assert clause_texts(text)[0] == "时任美国总统特朗普以协议未能解决弹道导弹等问题为由，单方面宣布美国退出JCPOA"
    assert claims[1].text == "时任美国总统特朗普重启乃至追加了对伊朗的制裁"


def test_a_time_anchor_dates_its_event_chain_but_not_a_turn_with_ze():
    claims = claims_of(
        "2002年，伊朗纳坦兹和阿拉克的秘密核设施曝光，国际社会指责伊朗可能秘密研发核武器，"
        "伊朗则坚称其核计划仅用于发电和医疗等和平目的。"
    )
    assert [c.text for c in claims] == [
        "2002年，伊朗纳坦兹和阿拉克的秘密核设施曝光",
        "2002年，国际社会指责伊朗可能秘密研发核武器",
        "伊朗则坚称其核计划仅用于发电和医疗等和平目的",
    ]


def test_a_time_in_a_subordinate_clause_stays_in_its_clause():
    claims = claims_of("2023年10月哈马斯袭击以色列后，以色列对伊朗采取更强硬立场，摩萨德被指可能实施暗杀行动。")
    assert claims[0].text == "2023年10月哈马斯袭击以色列后，以色列对伊朗采取更强硬立场"
    assert "time" not in claims[1].carried and not claims[1].times


def test_bare_times_frames_and_conditions_are_never_claims_of_their_own():
    for text in [
        "2003年至2012年，伊朗与欧盟三国展开多轮谈判。",
        "至2022年中后期，维也纳谈判最终陷入停滞。",
        "当地时间3日，美国国务院宣布新一轮制裁。",
        "与上月相比，全国汽车销量增长12%。",
        "两件事放在一起，信号不可能更明显。",
    ]:
        assert clause_texts(text) == [text.rstrip("。")], text
    texts = clause_texts("2025年初，伊朗议会通过一项决议，并威胁若制裁未解除，将进一步提高铀浓缩水平至90%。")
    assert texts[1] == "并威胁若制裁未解除，将进一步提高铀浓缩水平至90%"


def test_a_purpose_or_an_elaboration_joins_the_clause_before_it():
    text = "伊朗会寻求更为坚实的保证机制，以确保制裁松绑的实际效果，并防止美国轻易推翻协议。"
    assert clause_texts(text)[0] == "伊朗会寻求更为坚实的保证机制，以确保制裁松绑的实际效果"
    text = "伊朗坚持要求美国解除所有制裁，不仅包括核领域制裁，还包括非核领域制裁。"
    assert clause_texts(text) == [text.rstrip("。")]  # no 伊朗不仅包括核领域制裁


def test_a_change_names_what_changed():
    claims = claims_of("截至今年3月底全市老年人流感疫苗接种率达到百分之六十二，同比提高9个百分点。")
    assert claims[1].text == "截至今年3月底，全市老年人流感疫苗接种率同比提高9个百分点"


def test_a_bare_measure_borrows_the_name_its_chain_is_about():
    claims = claims_of("截至去年年底，沙特原油日产量从1000万桶降至900万桶，财政赤字扩大到GDP的6%。")
    assert claims[1].text == "截至去年年底，沙特财政赤字扩大到GDP的6%"


def test_a_clause_with_its_own_attribution_gets_no_second_source():
    claims = claims_of("据国家卫健委发布的监测数据，本周新增病例300例，据卫健委发布死亡12例。")
    assert [c.text for c in claims] == ["据国家卫健委发布的监测数据，本周新增病例300例", "据卫健委发布死亡12例"]
    assert "source" not in claims[1].carried


def test_an_english_relative_clause_with_its_own_number_is_its_own_claim():
    text = (
        "Over the past five months, roughly the span of the government's fiscal year, Iran's crude exports "
        "averaged 986,000 barrels a day, which is more than 60 percent below the 2.5 million barrels a day "
        "it averaged over the previous two decades."
    )
    claims = claims_of(text)
    assert clause_texts(text)[0].endswith("Iran's crude exports averaged 986,000 barrels a day")
    assert claims[1].text == (
        "Iran's crude exports (986,000 barrels a day) is more than 60 percent below the 2.5 million barrels "
        "a day it averaged over the previous two decades"
    )
    # A restrictive relative clause (no comma) stays inside its noun phrase.
    assert len(claims_of("The ministry approved the 12 reactors that cost $3 billion.")) == 1


def test_english_relative_clauses_name_their_antecedent_and_whereas_ends_the_time_chain():
    claims = claims_of(
        "The United States has had two black presidents: Barack Obama, who served two terms from 2009 to 2017, "
        "and Donald Trump, who served one term from 2017 to 2021."
    )
    assert [c.text for c in claims[1:]] == [
        "Barack Obama served two terms from 2009 to 2017", "Donald Trump served one term from 2017 to 2021",
    ]
    claims = claims_of("In 2020, exports fell to 300,000 barrels a day, whereas imports rose by 5%.")
    assert [c.text for c in claims] == ["In 2020, exports fell to 300,000 barrels a day", "Imports rose by 5%"]


def test_according_to_is_the_source_of_every_english_clause():
    claims = claims_of("According to the ministry, exports fell by 12% and imports rose to 40,000 tons.")
    assert [c.text for c in claims] == [
        "According to the ministry, exports fell by 12%", "According to the ministry, imports rose to 40,000 tons",
    ]
    assert claims[1].carried["source"] == "According to the ministry"


def test_a_claim_that_leaves_its_subject_to_the_sentence_before_carries_that_sentence():
    text = "特斯拉适用的税率为7.8%。\n比亚迪为30.1%，吉利为18.8%。\n欧盟的关税于10月30日正式生效。"
    claims = {c.text: c for c in claims_of(text)}
    # 18.8% of what? The line before says: the tax rate.
    assert claims["吉利为18.8%"].antecedent == "特斯拉适用的税率为7.8%。"
    assert claims["欧盟的关税于10月30日正式生效"].antecedent == ""
    english = claims_of("The U-boat was launched in 1914. It sank 42 ships and was sunk in 1915.")
    before = "The U-boat was launched in 1914."
    assert [c.antecedent for c in english] == ["", before, before]


def test_a_relative_of_the_topic_is_said_of_the_topic():
    claims = claims_of("一位82岁的老人，老伴去年去世，儿子在外地工作，两个孙子在读大学。")
    assert [c.text for c in claims[1:]] == ["老人儿子在外地工作", "老人两个孙子在读大学"]


def test_a_change_after_a_dated_figure_says_whose_change_it_is():
    claims = claims_of("今年第一季度全市累计报告流感确诊病例2.1万例，其中3月报告8627例，环比下降41.2%。")
    # Not 今年第一季度，环比下降41.2% (what fell?): March's reported cases did.
    assert claims[2].carried["subject"] == "3月报告"
    assert claims[2].text.endswith("3月报告环比下降41.2%")


def test_a_dated_event_name_is_a_topic_not_a_claim():
    texts = clause_texts("2021年河南暴雨，腾讯捐款1亿元，阿里捐款1.5亿元。")
    assert "2021年河南暴雨" not in texts
    assert texts[0] == "2021年河南暴雨，腾讯捐款1亿元"


def test_a_time_clause_that_jieba_glues_to_its_verb_is_no_claim():
    # jieba cuts 佩泽什基安上台后 as 安上/v 台后/s: the 后 still ends a time clause.
    texts = clause_texts("2024年马苏德·佩泽什基安上台后,承诺通过外交缓解经济压力。")
    assert texts == ["2024年马苏德·佩泽什基安上台后,承诺通过外交缓解经济压力"]


def test_he_or_she_later_in_the_sentence_is_the_person_it_named():
    claims = claims_of("一位76岁的老大爷，老伴早逝，他每天靠捡废品为生，每天捡到晚上9点。")
    # 每天 (jieba: a pronoun) is when, not who: the last clause is the old man's too.
    assert [c.text for c in claims[1:]] == ["老大爷他每天靠捡废品为生", "老大爷每天捡到晚上9点"]
    # A country is no 他: the pronoun stays the clause's own subject.
    assert claims_of("沙特今年财政赤字扩大，他表示不会增税。")[1].text == "他表示不会增税"


def test_traditional_words_take_their_simplified_tags():
    # 大麥 is not in jieba's dictionary, 大麦/n is: the clause after it is about 大麥.
    assert claims_of("大麥是一種植物，有別稱三月黃。")[1].text == "大麥有別稱三月黃"


def test_a_clause_opening_with_a_partner_joins_the_chains_subject():
    assert claims_of("西亞是一個地理名詞，和中東有很大部份的重合。")[1].text == "西亞和中東有很大部份的重合"


def test_a_property_with_an_adjective_is_a_claim_about_its_holder():
    claims = claims_of("这种清洁剂的酒精浓度达60%；且燃点低。")
    assert claims[1].text == "这种清洁剂燃点低"
    assert claims[1].carried == {"subject": "这种清洁剂"}


def test_a_head_count_is_part_of_the_subject():
    claims = claims_of("本期彩票开出20注一等奖，其中上海2人独揽8注，获得3000万元。")
    assert claims[-1].text == "上海2人获得3000万元"


def test_time_gone_by_and_a_denial_are_no_claims_of_their_own():
    texts = clause_texts("20多年过去了，警方一直在追查此案。")
    assert texts == ["20多年过去了，警方一直在追查此案"]
    texts = clause_texts("经核实，该商户实际收款3200元，而非网传的13200元。")
    assert "而非网传的13200元" not in texts
    assert any(t.endswith("实际收款3200元，而非网传的13200元") for t in texts)


def test_an_analysis_that_says_something_is_its_source():
    claims = claims_of("去年的一些研究指出,由于气温上升,北极海冰面积可能在2030年前减少一半。")
    assert len(claims) == 1 and claims[0].text.startswith("去年的一些研究指出")


def test_a_programme_title_leading_the_sentence_is_the_source():
    claims = claims_of("央视《新闻调查》，该厂去年排放污水3万吨，今年又增加了一倍。")
    assert all(c.text.count("《新闻调查》") == 1 for c in claims)
    assert all(c.carried.get("subject") != "央视《新闻调查》" for c in claims)
    assert "央视《新闻调查》" not in [c.text for c in claims]


def test_a_clause_opening_with_an_idiom_or_a_bare_figure_continues_the_chain():
    claims = claims_of("2023年底,该市议会通过一项预算,并警告若补贴未到位,将进一步提高水价至每吨5元。")
    # 进一步提高 is one of jieba's idioms (i): the predicate, not the subject.
    assert claims[-1].carried["subject"] == "该市议会"
    claims = claims_of("这种涂料的挥发物浓度达30%；且燃点低，一般40℃就能燃烧。")
    # 40℃ says how hot, not what burns.
    assert claims[-1].carried["subject"] == "这种涂料燃点"


def test_a_turn_that_goes_on_about_the_same_event_keeps_its_time():
    claims = claims_of("2015年至2018年,两家公司进行多轮并购谈判,但因估值分歧,进展缓慢。")
    assert claims[1].carried.get("time") == "2015年至2018年"
    # 随后 moves the clause off the anchor even without a subject of its own.
    claims = claims_of("2019年该市人口增长5%,但随后下降了2%。")
    assert "time" not in claims[1].carried


def test_an_event_named_with_its_date_is_carried_into_the_clauses_about_it():
    claims = claims_of("2021年河南暴雨，腾讯捐款1亿元，阿里捐款1.5亿元。")
    assert claims[1].text.endswith("河南暴雨阿里捐款1.5亿元")
    assert claims[1].carried == {"time": "2021年", "subject": "河南暴雨"}
    # A bare period is no event: 第三季度 is when, and nothing is carried for it.
    claims = claims_of("2023年第三季度，该公司净利润为27亿元，营收为310亿元。")
    assert "第三季度营收" not in claims[1].text


def test_a_cap_or_a_quota_is_a_measure_of_the_chains_name():
    claims = claims_of("沙特同意将日产量限制在900万桶,出口配额设为每日600万桶。")
    assert claims[1].text == "沙特出口配额设为每日600万桶"


@pytest.mark.slow  # 200,000 characters through the whole pipeline
def test_a_huge_single_line_of_coordinated_clauses_gives_each_its_claim():
    unit = "the plant made 120 tons of steel and the port shipped 40 containers and "
    text = "Last year " + unit * 2800 + "the mill closed."
    assert len(text) > 200_000
    claims = factcheck.extract(text)
    said = Counter(re.sub(r"^last year,? ", "", c.text.lower()) for c in claims)
    # Every clause is one whole claim, the cuts between spaCy's chunks included.
    assert said == {"the plant made 120 tons of steel": 2800, "the port shipped 40 containers": 2800}


# --- issue 22, third round: families of the misses on the held-out third, each with sentences of our own ---


def test_a_count_and_a_person_noun_are_part_of_who():
    claims = claims_of("苏州工业园区一位25岁出头小伙参加抽奖，中了200万，税后160万。")
    assert [c.carried.get("subject") for c in claims[1:]] == ["苏州工业园区一位25岁出头小伙"] * 2
    claims = claims_of("台北一位30歲男子買彩票，中了500萬，稅後400萬。")
    assert claims[2].text == "台北一位30歲男子稅後400萬"
    # 图中是X: the picture only presents who the clauses are about.
    claims = claims_of("图中是杭州一男子因欠下巨额赌债，在桥上跳河，经抢救无效死亡。")
    assert claims[1].text == "杭州一男子在桥上跳河，经抢救无效死亡"


def test_chain_connectives_that_jieba_calls_nouns_name_no_subject():
    # 原本/n, 故/n: the clauses go on about who the heading names.
    claims = claims_of("【央行宣布暂缓降息】原本打算本周降息0.25%，考虑到通胀回升，故推迟降息。")
    assert [c.carried.get("subject") for c in claims[1:]] == ["央行", "央行"]


def test_an_unknown_degree_adjective_is_the_predicate_and_a_bare_time_keeps_the_chain_dated():
    claims = claims_of("2010年以来，该市房价过高、涨幅过快，提高了生活成本。")
    assert claims[1].text == "2010年以来，该市房价提高了生活成本"
    assert claims[1].carried == {"time": "2010年以来", "subject": "该市房价"}


def test_listed_topics_are_one_subject_and_a_figure_inside_a_noun_is_no_claim():
    claims = claims_of("日本进口的甲牌饼干，法国进口的乙牌70%黑巧克力，均检出霉菌超标，被下架处理。")
    assert claims[0].text == "日本进口的甲牌饼干，法国进口的乙牌70%黑巧克力，均检出霉菌超标"
    assert claims[1].carried["subject"] == "日本进口的甲牌饼干、法国进口的乙牌70%黑巧克力"


def test_a_cause_with_its_own_result_is_a_claim_and_a_when_clause_leans_on_the_next():
    claims = claims_of("3名被告都是大学同学，因为创业而相识，当他们站在法庭上的时候，仍然神情轻松。")
    assert [c.text for c in claims] == [
        "3名被告都是大学同学", "3名被告因为创业而相识", "当他们站在法庭上的时候，仍然神情轻松",
    ]


def test_a_clause_with_a_time_clause_of_its_own_and_a_time_inside_a_subject_date_nothing_else():
    claims = claims_of("2022年3月，张三当选市长，谈判在其上任后中断三个月。")
    assert claims[1].carried == {}  # 谈判 is its own subject, 在其上任后 its own time
    claims = claims_of("2016年该国撕毁协议的做法使邻国极度不信任，邻国总理多次强调对方需以行动证明诚意。")
    assert "time" not in claims[1].carried
    # A period named by its event (谈判后期) is when the clause holds, not a claim.
    period = "谈判后期，双方在关税问题上的分歧成为主要障碍"
    assert clause_texts(period + "。") == [period]


def test_what_the_actor_said_and_a_list_that_goes_on_join_the_clause_before():
    assert len(claims_of("该方案遭到工会强烈反对，称其违反劳动法。")) == 1
    claims = claims_of("新款手机的售价没有变化，合约价64GB（299美元）128GB（399美元），256GB（499美元）。")
    assert claims[1].text == "新款手机合约价64GB（299美元）128GB（399美元），256GB（499美元）"
    # The writer's advice is one piece, and the time before the turn does not date it.
    claims = claims_of("2015年以来房价上涨过快；建议开征房产税，并实行累进税率。")
    assert claims[1].text == "建议开征房产税，并实行累进税率" and claims[1].carried == {}


def test_the_head_of_a_relative_clause_names_the_chain():
    claims = claims_of("湖南卫视与某影视公司联合出品的电视剧《山海》脱颖而出，收视率一路上升。")
    assert claims[1].text == "《山海》收视率一路上升"


def test_a_topic_set_off_by_an_interjection_and_the_object_of_a_cause_act_next():
    claims = claims_of("詹姆斯啊，拿下40分后状态起伏，接着在赛后采访中爆粗口。")
    assert claims[-1].carried["subject"] == "詹姆斯"
    claims = claims_of("2021年以来，该国限制核查并提高浓缩水平，促使欧盟保留了对该国的制裁，并警告可能恢复联合国制裁。")
    assert claims[-1].carried["subject"] == "欧盟"
    # After a request, the one who asked goes on (要求政府…，并威胁…).
    claims = claims_of("2024年底，该市议会通过一项决议，要求政府确保供水，并威胁若补贴未到位，将提高水价至每吨5元。")
    assert claims[-1].carried["subject"] == "该市议会"
    # A condition names its own subject (若年内油价暴跌): the clause after it is still the chain's.
    claims = claims_of("【央行宣布暂缓降息】另经研究，若年内油价暴跌，预计通胀将回落，为此决定年内少降息一次。")
    assert claims[-1].carried["subject"] == "央行"


def test_a_gapped_clause_borrows_the_verb_of_the_one_before():
    claims = claims_of("2021年河南暴雨，腾讯捐款1亿元，阿里1.5亿元，百度5000万元。")
    assert [c.text for c in claims[1:]] == ["2021年，河南暴雨阿里捐款1.5亿元", "2021年，河南暴雨百度捐款5000万元"]
    assert claims[2].carried["verb"] == "捐款"
    assert claims_of("該公司捐贈300萬元，其子公司100萬元。")[1].text == "其子公司捐贈100萬元"
    # A noun before the figure is no verb to lend (收入 is what, not what was done).
    assert "verb" not in claims_of("该公司去年收入5亿元，利润1亿元。")[1].carried


def test_a_source_named_by_a_noun_phrase_is_a_source_lead_not_a_claim():
    lead = "据国家卫健委发布的全国法定传染病疫情概况"
    claims = claims_of(lead + "，3月全国报告死亡12例，环比下降5%。")
    assert lead not in [c.text for c in claims]
    assert claims[1].carried["source"] == lead and claims[1].text.count(lead) == 1
    # A second attribution of its own: the sentence's source is not carried again.
    claims = claims_of("据国家卫健委发布的全国疫情概况，据其发布，3月全国报告死亡12例。")
    assert len(claims) == 1 and "source" not in claims[0].carried


def test_every_english_non_restrictive_relative_clause_is_a_claim_about_its_antecedent():
    # A fact-checker checks "Vexor makes batteries for buses" apart from the purchase, number or not.
    claims = claims_of("The city council bought the depot from Vexor, which makes batteries for electric buses.")
    assert [c.text for c in claims] == [
        "The city council bought the depot from Vexor", "Vexor makes batteries for electric buses",
    ]
    # A year inside a name is no measure: the relative is said of the conference, not of the chair.
    claims = claims_of(
        "Mina Park chaired the 2021 Annual Meeting of the Coastal Society (ACS), which drew delegates from 40 states."
    )
    assert claims[0].text.endswith("(ACS)")
    assert claims[1].carried["subject"] == "the 2021 Annual Meeting of the Coastal Society (ACS)"


def test_english_clauses_that_stand_side_by_side_are_split_and_they_names_its_plural():
    claims = claims_of("Although grain exports rose in March, they fell by 8% in April.")
    assert [c.text for c in claims] == ["Grain exports rose in March", "Grain exports fell by 8% in April"]
    assert claims[1].carried["subject"] == "grain exports"
    assert not claims[1].antecedent  # resolved inside the sentence: the one before is not needed
    claims = claims_of("The bridge has been closed since 2019, so the ferry carries 4,000 passengers a day.")
    assert [c.text for c in claims] == [
        "The bridge has been closed since 2019", "The ferry carries 4,000 passengers a day",
    ]
    # "it" is left alone: it as often means a situation as the noun before it.
    claims = claims_of("Although the plan costs $2 billion, it was approved in May 2024.")
    assert claims[1].text == "It was approved in May 2024"


@pytest.mark.parametrize("text, first, second", [
    ("卫生部认为该疫苗安全有效，并坚持要求各地在6月前完成接种。",
     "卫生部认为该疫苗安全有效", "卫生部坚持要求各地在6月前完成接种"),
    ("衛生部認為該疫苗安全有效，並堅持要求各地在6月前完成接種。",
     "衛生部認為該疫苗安全有效", "衛生部堅持要求各地在6月前完成接種"),
])
def test_a_speaker_going_on_to_a_second_statement_makes_two_quotes(text, first, second):
    claims = claims_of(text)
    assert [c.text for c in claims] == [first, second]
    assert [c.kind for c in claims] == ["quote", "quote"]
    assert claims[1].carried["subject"] == first[:3]


def test_the_narrator_turning_from_a_quote_to_someone_named_ends_the_quote():
    claims = claims_of("北京市政府在2024年3月表示将降低地铁票价，但随后交通局宣布票价上涨10%。")
    assert [c.text for c in claims] == ["北京市政府在2024年3月表示将降低地铁票价", "但随后交通局宣布票价上涨10%"]
    assert claims[0].kind == "quote"
    assert "subject" not in claims[1].carried  # 交通局 is its own subject, not the mayor
    # What the speaker goes on to say without a statement verb of its own stays in the quote.
    claims = claims_of("外交部发言人表示，中方坚决反对单边制裁，并将采取必要措施。")
    assert [c.text for c in claims] == ["外交部发言人表示，中方坚决反对单边制裁，并将采取必要措施"]


def test_the_traditional_word_lists_are_what_opencc_writes():
    opencc = pytest.importorskip("opencc")
    converters = [opencc.OpenCC("s2t").convert, opencc.OpenCC("s2tw").convert]
    for simplified, traditional in [
        (clauses._ZH_SAY_SIMPLIFIED, clauses._ZH_SAY_TRADITIONAL),
        (clauses._ZH_DEMAND_SIMPLIFIED, clauses._ZH_DEMAND_TRADITIONAL),
        (clauses._ZH_GOES_ON_SIMPLIFIED, clauses._ZH_GOES_ON_TRADITIONAL),
        (clauses._ZH_TURNS_SIMPLIFIED, clauses._ZH_TURNS_TRADITIONAL),
    ]:
        written = {convert(word) for word in simplified for convert in converters} - set(simplified)
        assert written == set(traditional)
