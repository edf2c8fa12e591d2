"""find_quantities: exact normalisation of numbers, units, rates, comparators and ranges."""

from __future__ import annotations

import pytest

from factcheck.extraction import quantities
from factcheck.extraction.quantities import find_quantities

from .test_times import gate_corpus

FIELDS = ("text", "value", "low", "high", "unit", "per", "comparator", "approximate", "item")


def Q(text, value=None, unit=None, *, low=None, high=None, per=None, cmp=None, approx=False, item=None):
    """An expected quantity; every field not given must be None/False."""
    return {
        "text": text,
        "value": value,
        "low": low,
        "high": high,
        "unit": unit,
        "per": per,
        "comparator": cmp,
        "approximate": approx,
        "item": item,
    }


def R(text, low, high, unit=None, **kw):
    return Q(text, None, unit, low=low, high=high, **kw)


def found(sentence, lang):
    quantities = find_quantities(sentence, lang)
    for q in quantities:
        assert sentence[q.start : q.end] == q.text
    return [{f: getattr(q, f) for f in FIELDS} for q in quantities]


NUMERALS = [
    ("zh", "今年新建保障房二百五十万套。", [Q("二百五十万套", 2_500_000, "count")]),
    ("zh", "全市常住人口约为二百五十万", [Q("约为二百五十万", 2_500_000, approx=True)]),
    ("zh", "该油田的日产量达到250万桶", [Q("250万桶", 2_500_000, "oil_barrel")]),
    ("zh", "新校区建设耗资1.2亿元", [Q("1.2亿元", 120_000_000, "CNY")]),
    ("zh", "公司拿出5千万美元用于研发", [Q("5千万美元", 50_000_000, "USD")]),
    ("zh", "两千名志愿者参与了搜救", [Q("两千名", 2000, "person", item="志愿者")]),
    ("zh", "统计显示受灾人口达1,000万", [Q("1,000万", 10_000_000)]),
    ("zh", "断电的共有1,000万户家庭。", [Q("1,000万户", 10_000_000, "count", item="家庭")]),
    ("zh", "工程共动用1亿2000万人次", [Q("1亿2000万人次", 120_000_000, "count")]),
    ("zh", "全年营收同比增长3.5", [Q("3.5", 3.5)]),
    ("zh", "百分之六十的受访者支持该方案", [Q("百分之六十", 60, "percent")]),
    ("zh", "测量误差不超过百分之三点六七", [Q("不超过百分之三点六七", 3.67, "percent", cmp="<=")]),
    ("zh", "三分之二的议员投了赞成票", [Q("三分之二", 2 / 3, "fraction")]),
    ("zh", "仓库里约2/3的货物已经运走", [Q("约2/3", 2 / 3, "fraction", approx=True)]),
    ("zh", "样品丰度达到３．６７％。", [Q("３．６７％", 3.67, "percent")]),
    ("zh", "当天最高气温达到40℃", [Q("40℃", 40, "degree_Celsius")]),
    ("zh", "夜间气温降到零下5摄氏度", [Q("零下5摄氏度", -5, "degree_Celsius")]),
    ("en", "Roughly 2/3 of voters backed the measure.", [Q("Roughly 2/3", 2 / 3, "fraction", approx=True)]),
    ("en", "Two-thirds of the reactors are offline.", [Q("Two-thirds", 2 / 3, "fraction")]),
    ("en", "The fund now holds 2.5 million shares.", [Q("2.5 million", 2_500_000, "count", item="shares")]),
    ("en", "Public debt reached 3 billion last year.", [Q("3 billion", 3_000_000_000)]),
    ("en", "It unveiled a 1.2 trillion stimulus.", [Q("1.2 trillion", 1_200_000_000_000)]),
    ("en", "Two thousand soldiers were redeployed.", [Q("Two thousand", 2000, "count", item="soldiers")]),
    ("en", "The airline ordered a hundred jets.", [Q("a hundred", 100, "count", item="jets")]),
    ("en", "Losses came to 3bn in the first half.", [Q("3bn", 3_000_000_000)]),
]

MONEY = [
    ("en", "The startup raised $3bn from investors.", [Q("$3bn", 3_000_000_000, "USD")]),
    ("en", "The lab won a $3.5m grant.", [Q("$3.5m", 3_500_000, "USD")]),
    ("en", "Brussels approved a €2 billion loan.", [Q("€2 billion", 2_000_000_000, "EUR")]),
    ("en", "Washington pledged US$500 million in aid.", [Q("US$500 million", 500_000_000, "USD")]),
    ("en", "The deal is worth 3 billion dollars.", [Q("3 billion dollars", 3_000_000_000, "USD")]),
    ("en", "The bank set aside £3bn.", [Q("£3bn", 3_000_000_000, "GBP")]),
    ("en", "The club was sold for 3 billion pounds.", [Q("3 billion pounds", 3_000_000_000, "GBP")]),
    ("en", "The bridge cost 1.2 trillion yen.", [Q("1.2 trillion yen", 1_200_000_000_000, "JPY")]),
    ("en", "A bowl of ramen costs ¥900 in Osaka.", [Q("¥900", 900, "JPY")]),
    ("en", "The rial fell to 5 million rials per euro.", [Q("5 million rials", 5_000_000, "IRR")]),
    ("zh", "一碗面卖¥25", [Q("¥25", 25, "CNY")]),
    ("zh", "政府拨付人民币500亿元用于重建", [Q("人民币500亿元", 50_000_000_000, "CNY")]),
    ("zh", "财政追加投入500亿元", [Q("500亿元", 50_000_000_000, "CNY")]),
    ("zh", "双方签署了30亿美元的合同", [Q("30亿美元", 3_000_000_000, "USD")]),
    ("zh", "欧盟提供3000万欧元援助", [Q("3000万欧元", 30_000_000, "EUR")]),
    ("zh", "该项目预算为100亿里亚尔", [Q("100亿里亚尔", 10_000_000_000, "IRR")]),
    ("zh", "人均收入为1.2万美元", [Q("1.2万美元", 12_000, "USD")]),
]

MULTIPLIERS_AND_DURATIONS = [
    ("zh", "新型号的效率是旧型号的10倍", [Q("10倍", 10, "times")]),
    ("zh", "产能提高了 10 倍", [Q("10 倍", 10, "times")]),
    ("zh", "出口额增加了1.2倍", [Q("1.2倍", 1.2, "times")]),
    ("en", "Demand grew tenfold in a decade.", [Q("tenfold", 10, "times")]),
    ("en", "It was a 3-fold increase.", [Q("3-fold", 3, "times")]),
    ("en", "Prices are three times higher.", [Q("three times", 3, "times")]),
    ("zh", "这场旱灾持续了两年", [Q("两年", 2, "year")]),
    ("zh", "工程用了3年时间才完工", [Q("3年", 3, "year")]),
    ("zh", "双方断断续续谈了20个月", [Q("20个月", 20, "month")]),
    ("zh", "施工拖了5个多月", [Q("5个多月", 5, "month", cmp=">", approx=True)]),
    ("zh", "他在狱中度过了十多年", [Q("十多年", 10, "year", cmp=">", approx=True)]),
    ("zh", "封控持续了两周", [Q("两周", 2, "week")]),
    ("zh", "救援队连续工作48小时", [Q("48小时", 48, "hour")]),
    ("zh", "新任部长今年52岁", [Q("52岁", 52, "year")]),
    ("en", "The drought lasted two years.", [Q("two years", 2, "year")]),
    ("en", "The ceasefire held for 36 hours.", [Q("36 hours", 36, "hour")]),
    ("en", "The meeting ran forty-five minutes.", [Q("forty-five minutes", 45, "minute")]),
    ("en", "They waited twenty days.", [Q("twenty days", 20, "day")]),
    ("en", "She was 30 years old.", [Q("30 years", 30, "year")]),
    ("en", "They adopted a five-year plan.", [Q("five-year", 5, "year")]),
    ("en", "It agreed a 30-day truce.", [Q("30-day", 30, "day")]),
]

RANGES = [
    ("zh", "桩基深入地下150到500米", [R("150到500米", 150, 500, "meter")]),
    ("zh", "隧道埋深150至500米", [R("150至500米", 150, 500, "meter")]),
    ("zh", "覆盖层厚150~500米", [R("150~500米", 150, 500, "meter")]),
    ("zh", "覆盖层厚150～500米", [R("150～500米", 150, 500, "meter")]),
    ("zh", "钻井深度150-500米不等", [R("150-500米", 150, 500, "meter")]),
    ("zh", "钻井深度从150到500米不等", [R("150到500米", 150, 500, "meter")]),
    ("zh", "伤亡人数在300至500人之间", [R("300至500人之间", 300, 500, "person")]),
    ("zh", "通胀率介于3%和5%之间", [R("介于3%和5%之间", 3, 5, "percent")]),
    ("zh", "整个工期预计两到三年", [R("两到三年", 2, 3, "year")]),
    ("zh", "外资规模在30亿至50亿美元", [R("30亿至50亿美元", 3e9, 5e9, "USD")]),
    ("zh", "集会人数达3至5万人", [R("3至5万人", 30_000, 50_000, "person")]),
    ("zh", "年增速3%-5%", [R("3%-5%", 3, 5, "percent")]),
    ("zh", "约150到500米", [R("约150到500米", 150, 500, "meter", approx=True)]),
    ("en", "The shafts run 150–500 m deep.", [R("150–500 m", 150, 500, "meter")]),
    ("en", "The shafts run 150 to 500 metres deep.", [R("150 to 500 metres", 150, 500, "meter")]),
    ("en", "Depths vary from 150 to 500 meters.", [R("150 to 500 meters", 150, 500, "meter")]),
    ("en", "Growth will be between 3 and 5 percent.", [R("between 3 and 5 percent", 3, 5, "percent")]),
    ("en", "Growth will be 3%-5% this year.", [R("3%-5%", 3, 5, "percent")]),
    ("en", "The rebuild could cost $3-5 billion.", [R("$3-5 billion", 3e9, 5e9, "USD")]),
    ("en", "They pump 2 to 3 million barrels.", [R("2 to 3 million barrels", 2e6, 3e6, "oil_barrel")]),
    ("en", "The talks could take two to three years.", [R("two to three years", 2, 3, "year")]),
    ("en", "Workers aged 18-65 were surveyed.", [R("18-65", 18, 65, "year")]),  # an age range
]

CHANGES = [
    (
        "zh",
        "石油出口量由250万桶/日骤降至不足13万桶/日。",
        [
            Q("250万桶/日", 2_500_000, "oil_barrel", per="day"),
            Q("不足13万桶/日", 130_000, "oil_barrel", per="day", cmp="<"),
        ],
    ),
    (
        "zh",
        "日出口量从250万降至不足13万桶/日",
        [
            Q("250万", 2_500_000, "oil_barrel", per="day"),
            Q("不足13万桶/日", 130_000, "oil_barrel", per="day", cmp="<"),
        ],
    ),
    (
        "zh",
        "产量从300万锐减至80万吨",
        [Q("300万", 3_000_000, "metric_ton"), Q("80万吨", 800_000, "metric_ton")],
    ),
    ("zh", "离心机从19000台减少至6000台", [Q("19000台", 19000, "count"), Q("6000台", 6000, "count")]),
    ("zh", "失业率从5%提高到7%", [Q("5%", 5, "percent"), Q("7%", 7, "percent")]),
    (
        "en",
        "Crude shipments fell from 2.5 million to under 130,000 barrels a day.",
        [
            Q("2.5 million", 2_500_000, "oil_barrel", per="day"),
            Q("under 130,000 barrels a day", 130_000, "oil_barrel", per="day", cmp="<"),
        ],
    ),
    (
        "en",
        "Membership grew from 200 to 300 people.",
        [Q("200", 200, "person"), Q("300 people", 300, "person")],
    ),
    ("en", "Prices rose sharply from $50 to $80.", [Q("$50", 50, "USD"), Q("$80", 80, "USD")]),
    ("en", "Imports declined from 40% to 25%.", [Q("40%", 40, "percent"), Q("25%", 25, "percent")]),
    (
        "en",
        "Output jumped from 3 to 5 million tonnes.",
        [Q("3", 3e6, "metric_ton"), Q("5 million tonnes", 5e6, "metric_ton")],
    ),
    ("en", "Users grew from 500 to 2 million.", [Q("500", 500), Q("2 million", 2e6)]),
    ("zh", "库存从3增至5万吨", [Q("3", 30_000, "metric_ton"), Q("5万吨", 50_000, "metric_ton")]),
    ("zh", "税率由10%提高到12%", [Q("10%", 10, "percent"), Q("12%", 12, "percent")]),
]

RATES = [
    ("zh", "该国日均300万桶的产量", [Q("日均300万桶", 3_000_000, "oil_barrel", per="day")]),
    ("zh", "每年约100亿美元流入", [Q("每年约100亿美元", 1e10, "USD", per="year", approx=True)]),
    ("zh", "列车时速300公里", [Q("时速300公里", 300, "kilometer", per="hour")]),
    ("zh", "口岸每天200人次通关", [Q("每天200人次", 200, "count", per="day")]),
    ("zh", "管道输送能力为300万桶每天", [Q("300万桶每天", 3_000_000, "oil_barrel", per="day")]),
    ("zh", "年均增长1.5万吨", [Q("1.5万吨", 15_000, "metric_ton")]),  # 年均 must touch the number
    ("zh", "年均1.5万吨", [Q("年均1.5万吨", 15_000, "metric_ton", per="year")]),
    ("zh", "车速为120公里/小时", [Q("120公里/小时", 120, "kilometer", per="hour")]),
    ("zh", "处理能力为500吨/天", [Q("500吨/天", 500, "metric_ton", per="day")]),
    ("zh", "气田产气800万立方米/年", [Q("800万立方米/年", 8e6, "cubic_meter", per="year")]),
    ("zh", "每日约5000人次入境", [Q("每日约5000人次", 5000, "count", per="day", approx=True)]),
    (
        "en",
        "The refinery burns 40,000 tonnes a year.",
        [Q("40,000 tonnes a year", 40_000, "metric_ton", per="year")],
    ),
    (
        "en",
        "The pipeline carries 3 billion cubic metres per year.",
        [Q("3 billion cubic metres per year", 3e9, "cubic_meter", per="year")],
    ),
    (
        "en",
        "The field yields 2 million barrels per day.",
        [Q("2 million barrels per day", 2e6, "oil_barrel", per="day")],
    ),
    ("en", "Output hit 2.5 million bpd.", [Q("2.5 million bpd", 2.5e6, "oil_barrel", per="day")]),
    (
        "en",
        "They export 5 million barrels of oil a day.",
        [Q("5 million barrels of oil a day", 5e6, "oil_barrel", per="day")],
    ),
    (
        "en",
        "The mine ships 1 million tonnes annually.",
        [Q("1 million tonnes annually", 1e6, "metric_ton", per="year")],
    ),
    (
        "en",
        "Some 400 people a week cross here.",
        [Q("Some 400 people a week", 400, "person", per="week", approx=True)],
    ),
    ("en", "Interns earn $5,000 per month.", [Q("$5,000 per month", 5000, "USD", per="month")]),
    ("en", "Gusts reached 90 km/h.", [Q("90 km/h", 90, "kilometer", per="hour")]),
    ("en", "Trains run at 60 miles per hour.", [Q("60 miles per hour", 60, "mile", per="hour")]),
    ("en", "The pumps move 300 litres an hour.", [Q("300 litres an hour", 300, "liter", per="hour")]),
    ("en", "Clinics see 60 people daily.", [Q("60 people daily", 60, "person", per="day")]),
]

COMPARATORS = [
    ("zh", "该地区贫困率低于20%", [Q("低于20%", 20, "percent", cmp="<")]),
    ("zh", "参会代表少于10人", [Q("少于10人", 10, "person", cmp="<")]),
    ("zh", "公司成立不到3年", [Q("不到3年", 3, "year", cmp="<")]),
    ("zh", "未满18岁不得入内", [Q("未满18岁", 18, "year", cmp="<")]),
    ("zh", "今年已有超过5000人报名", [Q("超过5000人", 5000, "person", cmp=">")]),
    ("zh", "至少3座桥梁被冲毁", [Q("至少3座", 3, "count", cmp=">=", item="桥梁")]),
    ("zh", "每班不少于100人", [Q("不少于100人", 100, "person", cmp=">=")]),
    ("zh", "每车最多5名乘客", [Q("最多5名", 5, "person", cmp="<=", item="乘客")]),
    ("zh", "每队至多8人", [Q("至多8人", 8, "person", cmp="<=")]),
    ("zh", "收益率不低于4%", [Q("不低于4%", 4, "percent", cmp=">=")]),
    (
        "zh",
        "水位高于2米，流量多于300吨",
        [Q("高于2米", 2, "meter", cmp=">"), Q("多于300吨", 300, "metric_ton", cmp=">")],
    ),
    ("zh", "产量不及50万桶", [Q("不及50万桶", 500_000, "oil_barrel", cmp="<")]),
    ("zh", "配额上限为5000吨", [Q("上限为5000吨", 5000, "metric_ton", cmp="<=")]),
    ("zh", "赔偿上限是200万元", [Q("上限是200万元", 2_000_000, "CNY", cmp="<=")]),
    ("zh", "学校在3公里以内", [Q("3公里以内", 3, "kilometer", cmp="<=")]),
    ("zh", "入学率达到50%以上", [Q("50%以上", 50, "percent", cmp=">")]),
    ("zh", "18岁以下的人口", [Q("18岁以下", 18, "year", cmp="<")]),
    ("zh", "储备的上限设为300公斤", [Q("上限设为300公斤", 300, "kilogram", cmp="<=")]),
    ("zh", "浓度上限仍为3.67%", [Q("3.67%", 3.67, "percent", cmp="<=")]),
    ("zh", "浓度被限制在3.67%", [Q("限制在3.67%", 3.67, "percent", cmp="<=")]),
    ("zh", "远超规定的3.67%上限", [Q("3.67%上限", 3.67, "percent", cmp="<=")]),
    ("en", "Children under 12 years ride free.", [Q("under 12 years", 12, "year", cmp="<")]),
    ("en", "Unemployment is below 5%.", [Q("below 5%", 5, "percent", cmp="<")]),
    ("en", "The site is less than 10 km away.", [Q("less than 10 km", 10, "kilometer", cmp="<")]),
    ("en", "Fewer than 100 people came.", [Q("Fewer than 100 people", 100, "person", cmp="<")]),
    ("en", "More than 5,000 people marched.", [Q("More than 5,000 people", 5000, "person", cmp=">")]),
    ("en", "It weighs over 300 kg.", [Q("over 300 kg", 300, "kilogram", cmp=">")]),
    ("en", "Support stayed above 60%.", [Q("above 60%", 60, "percent", cmp=">")]),
    ("en", "Each voter may cast at most 3 ballots.", [Q("at most 3", 3, "count", cmp="<=", item="ballots")]),
    (
        "en",
        "Exports are limited to 2 million barrels.",
        [Q("limited to 2 million barrels", 2e6, "oil_barrel", cmp="<=")],
    ),
    ("en", "Claims exceeding $1 billion were filed.", [Q("exceeding $1 billion", 1e9, "USD", cmp=">")]),
    (
        "en",
        "Exports in excess of 3 million tonnes.",
        [Q("in excess of 3 million tonnes", 3e6, "metric_ton", cmp=">")],
    ),
    ("en", "The term is at least 10 years.", [Q("at least 10 years", 10, "year", cmp=">=")]),
    ("en", "Inflation of no less than 5%.", [Q("no less than 5%", 5, "percent", cmp=">=")]),
    ("en", "Missiles with a range of up to 2,000 km.", [Q("up to 2,000 km", 2000, "kilometer", cmp="<=")]),
    ("en", "Rooms hold no more than 5 people.", [Q("no more than 5 people", 5, "person", cmp="<=")]),
    ("en", "Bags may weigh a maximum of 23 kg.", [Q("a maximum of 23 kg", 23, "kilogram", cmp="<=")]),
    ("en", "Enrichment is capped at 3.67%.", [Q("capped at 3.67%", 3.67, "percent", cmp="<=")]),
    ("en", "Applicants aged 65 or more may apply.", [Q("65 or more", 65, "year", cmp=">=")]),
]

APPROXIMATIONS = [
    ("zh", "现场约300人", [Q("约300人", 300, "person", approx=True)]),
    ("zh", "大约40公斤", [Q("大约40公斤", 40, "kilogram", approx=True)]),
    ("zh", "工程近两年才完工", [Q("近两年", 2, "year", approx=True)]),
    ("zh", "将近600公里", [Q("将近600公里", 600, "kilometer", approx=True)]),
    ("zh", "最近3年的数据", [Q("3年", 3, "year")]),
    ("zh", "将近一半", []),
    ("zh", "接近2000亿元", [Q("接近2000亿元", 2e11, "CNY", approx=True)]),
    ("zh", "逾千人受伤", [Q("逾千人", 1000, "person", cmp=">")]),
    ("zh", "累计接种逾3亿剂", [Q("逾3亿剂", 300_000_000, "count", cmp=">")]),
    ("zh", "广场上有300人左右", [Q("300人左右", 300, "person", approx=True)]),
    ("zh", "患者年龄在50岁上下", [Q("50岁上下", 50, "year", approx=True)]),
    ("zh", "大概200吨", [Q("大概200吨", 200, "metric_ton", approx=True)]),
    ("zh", "100多人滞留机场", [Q("100多人", 100, "person", cmp=">", approx=True)]),
    ("zh", "300余人获救", [Q("300余人", 300, "person", cmp=">", approx=True)]),
    ("zh", "1万余名士兵已换防", [Q("1万余名", 10_000, "person", cmp=">", approx=True, item="士兵")]),
    ("zh", "总投资3000多万元", [Q("3000多万元", 30_000_000, "CNY", cmp=">", approx=True)]),
    ("en", "About 3 percent of the vote.", [Q("About 3 percent", 3, "percent", approx=True)]),
    ("en", "A pipeline around 500 km long.", [Q("around 500 km", 500, "kilometer", approx=True)]),
    (
        "en",
        "Sales worth roughly $50bn a year.",
        [Q("roughly $50bn a year", 5e10, "USD", per="year", approx=True)],
    ),
    ("en", "Approximately 12 MW of capacity.", [Q("Approximately 12 MW", 12, "megawatt", approx=True)]),
    ("en", "Nearly 300 people died.", [Q("Nearly 300 people", 300, "person", approx=True)]),
    ("en", "Turnout was almost 40%.", [Q("almost 40%", 40, "percent", approx=True)]),
    ("en", "Some 300 troops arrived.", [Q("Some 300", 300, "count", approx=True, item="troops")]),
    ("en", "The plant is ~300 km away.", [Q("~300 km", 300, "kilometer", approx=True)]),
    ("en", "It took 300 people more or less.", [Q("300 people more or less", 300, "person", approx=True)]),
]

UNITS_AND_COUNTS = [
    ("zh", "工厂里有19000台离心机。", [Q("19000台", 19000, "count", item="离心机")]),
    (
        "zh",
        "部署了300枚导弹和2座设施",
        [Q("300枚", 300, "count", item="导弹"), Q("2座", 2, "count", item="设施")],
    ),
    ("zh", "事故造成1200人受伤", [Q("1200人", 1200, "person")]),
    ("zh", "成交量下降2.3个百分点", [Q("2.3个百分点", 2.3, "percentage_point")]),
    (
        "zh",
        "大坝高185米，水库面积1084平方公里",
        [Q("185米", 185, "meter"), Q("1084平方公里", 1084, "square_kilometer")],
    ),
    ("zh", "全长1200公里，另一段长30千米", [Q("1200公里", 1200, "kilometer"), Q("30千米", 30, "kilometer")]),
    ("zh", "运走25吨物资和40千克药品", [Q("25吨", 25, "metric_ton"), Q("40千克", 40, "kilogram")]),
    ("zh", "装机容量为600兆瓦", [Q("600兆瓦", 600, "megawatt")]),
    ("en", "Iran ran 19,000 centrifuges.", [Q("19,000", 19000, "count", item="centrifuges")]),
    ("en", "After 3 rounds of talks.", [Q("3", 3, "count", item="rounds")]),
    ("en", "They have held four rounds.", [Q("four", 4, "count", item="rounds")]),
    (
        "en",
        "The utility cut its turbines from about 120 to 85.",
        [Q("about 120", 120, "count", approx=True, item="turbines"), Q("85", 85, "count", item="turbines")],
    ),
    ("zh", "决议获得15国赞成", [Q("15国", 15, "count")]),
    ("zh", "医院新增病床300张", [Q("300张", 300, "count")]),
    (
        "en",
        "A 12 km tunnel, a 40 kg load and 3 tonnes of grain.",
        [Q("12 km", 12, "kilometer"), Q("40 kg", 40, "kilogram"), Q("3 tonnes", 3, "metric_ton")],
    ),
    ("en", "It stored 800 barrels.", [Q("800 barrels", 800, "oil_barrel")]),
    ("en", "A 100m sprint and a 400 metre relay.", [Q("100m", 100, "meter"), Q("400 metre", 400, "meter")]),
    ("en", "A 500 MW plant beside a 2 GW one.", [Q("500 MW", 500, "megawatt"), Q("2 GW", 2, "gigawatt")]),
    (
        "en",
        "Inflation hit 40.2%, up 3.1 percentage points.",
        [Q("40.2%", 40.2, "percent"), Q("3.1 percentage points", 3.1, "percentage_point")],
    ),
    (
        "en",
        "Unemployment was 9 pct, or 9 per cent.",
        [Q("9 pct", 9, "percent"), Q("9 per cent", 9, "percent")],
    ),
    ("en", "A 5 mile walk across 200 hectares.", [Q("5 mile", 5, "mile"), Q("200 hectares", 200, "hectare")]),
    (
        "en",
        "They sold 3 tons for 500 yuan and 5 million euros.",
        [Q("3 tons", 3, "metric_ton"), Q("500 yuan", 500, "CNY"), Q("5 million euros", 5e6, "EUR")],
    ),
    (
        "zh",
        "占地3.5平方公里，储量800万立方米",
        [Q("3.5平方公里", 3.5, "square_kilometer"), Q("800万立方米", 8e6, "cubic_meter")],
    ),
]

# Things that are not quantities.
NEGATIVES = [
    ("zh", "该协议于2019年签署"),
    ("zh", "2019年9月双方恢复对话"),
    ("zh", "2025年4月12日举行首轮会谈"),
    ("zh", "早在20世纪50年代就已起步"),
    ("zh", "这是21世纪最大的挑战"),
    ("zh", "第三轮谈判结束"),
    ("zh", "第3次会议"),
    ("zh", "现场聚集了十几个人"),
    ("zh", "项目拖了三四年"),
    ("zh", "一名官员透露"),
    ("zh", "这一年发生了很多事"),
    ("zh", "两岸关系一度紧张"),
    ("zh", "请拨打13812345678咨询"),
    ("zh", "晚上8点开始，10时30分结束"),
    ("zh", "他是典型的90后"),
    ("zh", "今天是建国70周年"),
    ("zh", "F-35战机和IR-6型离心机"),
    ("zh", "纪念9·11事件"),
    ("zh", "发布时间:2025-05-22"),
    ("zh", "01"),
    ("en", "The 1950s saw rapid growth."),
    ("en", "Talks resumed in September 2019."),
    ("en", "The deal was struck in 2015."),
    ("en", "They met on April 12 and again on 3 May."),
    ("en", "It was the third round of talks."),
    ("en", "Leaders of the G7 discussed F-35 sales and COVID-19."),
    ("en", "The P5+1 and the 5G rollout."),
    ("en", "Firmware 3.5.1 ships at 3 p.m. or at 10:30."),
    ("en", "Remember 9/11 and 24/7 news."),
    ("en", "One of the officials said so."),
    ("en", "From 2015 to 2019 nothing changed."),
    ("en", "The 2019-20 season was cancelled."),
    ("en", "Call +98 21 1234 5678 now."),
    ("en", "The 21st century and the 2nd round."),
    ("en", "It was a third attempt in the one hundredth year."),
    ("en", "He is a fifth grader."),
    ("en", "A twenty-first century idea."),
    ("zh", "学生们十几人一组"),
    ("zh", "半成品堆满仓库"),
    ("zh", "五角大楼发表声明"),
    ("zh", "他一两天就回来"),
    ("zh", "三打白骨精的故事"),
    ("zh", "原因是三方面的"),
    ("zh", "院子里有三块石头"),
    ("zh", "学生分成三到五"),
    ("en", "Leaders of the AUSD115 group met."),
    ("zh", "球队打进了半决赛"),
    ("en", "Call 5551234567 today."),
    ("en", "Order number 20240512345 shipped."),
    ("zh", "订单号2024051234已发货"),
    ("zh", "訂單號2024051234已發貨"),
    ("en", "He won by a mile and would not give an inch."),
    ("en", "All for naught: a parking meter and a dram of whisky."),
]


@pytest.mark.parametrize(
    "lang, sentence, expected",
    NUMERALS
    + MONEY
    + MULTIPLIERS_AND_DURATIONS
    + RANGES
    + CHANGES
    + RATES
    + COMPARATORS
    + APPROXIMATIONS
    + UNITS_AND_COUNTS,
)
def test_quantities(lang, sentence, expected):
    assert found(sentence, lang) == expected


@pytest.mark.parametrize("lang, sentence", NEGATIVES)
def test_not_quantities(lang, sentence):
    assert found(sentence, lang) == []


def test_fractions_are_exact():
    (zh,) = find_quantities("三分之二", "zh")
    (en,) = find_quantities("2/3", "en")
    assert zh.value == en.value == 0.6666666666666666


def test_ranges_never_have_a_midpoint():
    for lang, sentence, _expected in RANGES:
        for q in find_quantities(sentence, lang):
            assert q.value is None and q.low < q.high


def test_lang_is_only_a_hint():
    sentence = "The plant makes 300万桶/日, or 3 million barrels a day, 约5%。"
    zh = found(sentence, "zh")
    assert zh == found(sentence, "en")
    assert zh == [
        Q("300万桶/日", 3e6, "oil_barrel", per="day"),
        Q("3 million barrels a day", 3e6, "oil_barrel", per="day"),
        Q("约5%", 5, "percent", approx=True),
    ]


def test_numbering_lines_are_skipped_but_body_numbers_kept():
    text = "01\n\n历史沿革\n\n1. 早期阶段\n(2) 后来扩建到300米\n[3]"
    assert found(text, "zh") == [Q("300米", 300, "meter")]


def test_spans_are_sorted_and_disjoint_on_a_long_text():
    text = " ".join(s for _, s, _ in NUMERALS + MONEY + RANGES + CHANGES + RATES + COMPARATORS)
    quantities = find_quantities(text, "zh")
    assert len(quantities) >= 100
    for q, nxt in zip(quantities, quantities[1:]):
        assert q.start < q.end <= nxt.start
    for q in quantities:
        assert text[q.start : q.end] == q.text


def test_empty_and_numberless_text():
    assert find_quantities("", "zh") == []
    assert find_quantities("外交声明可以模糊，但撤侨公告不会。", "zh") == []
    assert find_quantities("Nothing to count here.", "en") == []


def test_invariants_on_random_fragments():
    import random

    pieces = list(
        "0123456789,.%/-~ 约不足逾多余万亿千百十一二两三五零分之到至从降桶日人台年月个倍米每天元$€第几\n"
    ) + [
        " million",
        " barrels",
        " a day",
        "US$",
        "百分之",
        "三分之二",
        "people",
        " from ",
        " to ",
        "between ",
        "fell ",
        "2019年",
        "two ",
        "hundred ",
        "tenfold",
        "-fold",
        "℃",
        "３％",
        "上限为",
        "capped at ",
    ]
    rng = random.Random(7)
    for _ in range(3000):
        s = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 20)))
        end = 0
        for q in find_quantities(s, rng.choice(("zh", "en"))):
            assert s[q.start : q.end] == q.text and end <= q.start < q.end
            assert (q.value is None) == (q.low is not None) == (q.high is not None)
            assert q.low is None or q.low < q.high
            assert q.comparator in (None, "<", "<=", ">", ">=")
            end = q.end


# Prefix words in every case re.IGNORECASE matches (ſ is s, K is k), before and after spaces.
PREFIX_TRICKS = [
    "MORE THAN 300 people", "ſome 30 people", "Approximately  \t5%", "UP TO 3 MW", "US$5bn", "usd 5",
    "Minus 5 degrees", "a maximum of 5 tons", "约 300公斤", "不少于\t20人", "人民币500亿元", "~5%",
]


def test_prefix_search_is_skipped_only_where_nothing_can_match():
    texts = gate_corpus() + PREFIX_TRICKS
    checked = 0
    for text in texts[:4000] + PREFIX_TRICKS:  # every position: this is the slow part
        norm = quantities._normalise(text)
        for start in range(1, len(norm) + 1):
            for lower in {0, max(0, start - 3)}:
                full = quantities._PREFIX_RE.search(norm, max(lower, start - 32), start)
                fast = quantities._prefix_before(norm, lower, start)
                assert (full and (full.span(), full.lastgroup)) == (fast and (fast.span(), fast.lastgroup))
                checked += bool(full)
    assert checked > 100


HEAD_TRICKS = [
    "a-third", "An eighth", "a  half million", "A\thundred", "Twenty-first", "NINETY", "Zero", "naught point five",
    "quarter million", "Hundredfold", "fifty   two", "x.25", "打对折", "半成", "seventy-two", "one - fourth",
]


def test_head_gate_never_turns_away_a_number():
    # The lookahead before the head alternatives only skips positions where none of them matches.
    import re

    ungated = re.compile(f"(?:{quantities._HEAD_ALTERNATIVES})")
    checked = 0
    for text in gate_corpus()[:4000] + HEAD_TRICKS + [q["text"] for _, qs in EN_FORMS for q in qs]:
        norm = quantities._normalise(text)
        for i in range(len(norm)):
            full = ungated.match(norm, i)
            fast = quantities._HEAD_RE.match(norm, i)
            assert (full and (full.span(), full.lastgroup)) == (fast and (fast.span(), fast.lastgroup)), (text, i)
            checked += bool(full)
    assert checked > 1000


def test_prefix_precheck_never_changes_what_is_found(monkeypatch):
    texts = gate_corpus() + PREFIX_TRICKS

    def run():
        return [find_quantities(t, lang) for t in texts for lang in ("zh", "en")]

    fast = run()
    monkeypatch.setattr(quantities, "_PREFIX_LONGEST_BY_LAST", None)
    monkeypatch.setattr(quantities, "_PREFIX_LONGEST", 10**9)
    assert run() == fast


# --- issue 16: every common numeral form, both Chinese scripts -------------------------


def _t(s: str) -> str:
    import opencc

    return opencc.OpenCC("s2t").convert(s)


ZH_FORMS = [
    ("去年该省粮食播种面积为四万五千六百二十二公顷", [Q("四万五千六百二十二公顷", 45622, "hectare")]),
    ("仓库存放了七十八万五百零六件货物", [Q("七十八万五百零六件", 780506, "count", item="货物")]),
    ("账户余额为壹万贰仟叁佰元", [Q("壹万贰仟叁佰元", 12300, "CNY")]),
    ("这座水库能灌溉两千四百五亩农田", [Q("两千四百五亩", 2450, "mu")]),
    ("小麦种植面积达387万亩", [Q("387万亩", 3_870_000, "mu")]),
    ("该国人口约为四万万", [Q("约为四万万", 400_000_000, approx=True)]),
    ("当地居民约三成支持该计划", [Q("约三成", 30, "percent", approx=True)]),
    ("商场全场商品打八点五折", [Q("八点五折", 85, "percent")]),
    ("一季度出口同比负增长，降幅为负3.9%", [Q("负3.9%", -3.9, "percent")]),
    ("事故率约为千分之三", [Q("约为千分之三", 0.3, "percent", approx=True)]),
    ("失业率上升了六个百分点", [Q("六个百分点", 6, "percentage_point")]),
    ("病人体温为华氏温度101.2度", [Q("华氏温度101.2度", 101.2, "degree_Fahrenheit")]),
    ("参赛者的年龄大于18且小于30", [R("大于18且小于30", 18, 30)]),
    ("报名人数在100以上，500以下", [R("100以上，500以下", 100, 500)]),
    ("这袋大米重二十斤", [Q("二十斤", 20, "jin")]),
    ("央行宣布加息25个基点", [Q("25个基点", 0.25, "percentage_point")]),
    ("该地区出生率为5‰", [Q("5‰", 0.5, "percent")]),
    ("中位数≥50万元的公司", [Q("≥50万元", 500_000, "CNY", cmp=">=")]),
    ("利润增长了百分之五 十", [Q("百分之五 十", 50, "percent")]),
    ("成本下降百分之一 点五", [Q("百分之一 点五", 1.5, "percent")]),
    ("该团体于2015年发行专辑《17 Carat》出道", []),
    ("轨道倾角为153 °", [Q("153 °", 153, "degree")]),
    ("这台发动机有三百马力", [Q("三百马力", 300, "horsepower")]),
    ("这颗钻石重两克拉", [Q("两克拉", 2, "carat")]),
    ("他的身高是180公分", [Q("180公分", 180, "centimeter")]),
    ("研发投入约为十五点七亿元", [Q("约为十五点七亿元", 1_570_000_000, "CNY", approx=True)]),
    ("营收达到5万4千6百元", [Q("5万4千6百元", 54600, "CNY")]),
    ("央行发行了5306亿新台币的定存单", [Q("5306亿新台币", 530_600_000_000, "TWD")]),
    # issue 16, second round
    ("该省财政赤字为负四十五亿零四百零四万元", [Q("负四十五亿零四百零四万元", -4_504_040_000, "CNY")]),
    ("测得浓度为零点五", [Q("零点五", 0.5)]),
    ("受灾群众有二十几万", [Q("二十几万", 200_000, cmp=">", approx=True)]),
    ("这家公司估值一百零几万元", [Q("一百零几万元", 1_000_000, "CNY", cmp=">", approx=True)]),
    ("全国投资规模达十几万多亿元", [Q("十几万多亿元", 10**13, "CNY", cmp=">", approx=True)]),
    ("这批煤重一吨半", [Q("一吨半", 1.5, "metric_ton")]),
    ("他跳了两米半，打破纪录", [Q("两米半", 2.5, "meter")]),
    ("工程拖延了三个半月才完工", [Q("三个半月", 3.5, "month")]),
    ("会议开了两个半小时", [Q("两个半小时", 2.5, "hour")]),
    ("今天的菜十元半价", [Q("十元", 10, "CNY")]),
    ("他闯进了100米半决赛", [Q("100米", 100, "meter")]),
    ("工期是三又三分之一年", [Q("三又三分之一年", 3 + 1 / 3, "year")]),
    ("账面亏损负一又二分之一", [Q("负一又二分之一", -1.5)]),
    ("合格率只有五 分之 一", [Q("五 分之 一", 0.2, "fraction")]),
    ("收益率为负三分之一", [Q("负三分之一", -1 / 3, "fraction")]),
    ("价格在两到三万元之间", [R("两到三万元之间", 20_000, 30_000, "CNY")]),
    ("这个数大于二十的同时小于等于三十五", [R("大于二十的同时小于等于三十五", 20, 35)]),
    ("她一共捐了1千零1元", [Q("1千零1元", 1001, "CNY")]),
    ("公司投入2千零30万元", [Q("2千零30万元", 20_300_000, "CNY")]),
    ("增幅为百分之1,200", [Q("百分之1,200", 1200, "percent")]),
    ("两款手机分别卖$20，300美元", [Q("$20", 20, "USD"), Q("300美元", 300, "USD")]),
    ("测得数值为两百点两", [Q("两百点两", 200.2)]),
    ("他买了十打鸡蛋", [Q("十打", 120, "count", item="鸡蛋")]),
    ("店里还剩三双皮鞋", [Q("三双", 3, "count", item="皮鞋")]),
    ("这季商品一律五五折", [Q("五五折", 55, "percent")]),
    ("冬装全场打对折", [Q("对折", 50, "percent")]),
    ("今年利润下降了半成", [Q("半成", 5, "percent")]),
    ("那杯咖啡花了我三块。", [Q("三块", 3, "CNY")]),
    ("正确答案不是四而是五", [Q("四", 4), Q("五", 5)]),
    ("一本练习册卖50元6角三分", [Q("50元6角三分", 50.63, "CNY")]),
    ("一瓶水卖3块5毛", [Q("3块5毛", 3.5, "CNY")]),
    ("这支笔两美元又三美分", [Q("两美元又三美分", 2.03, "USD")]),
    ("一张门票卖四十土耳其里拉", [Q("四十土耳其里拉", 40, "TRY")]),
    ("这锭银子重三十两", [Q("三十两", 30, "liang")]),
    ("库存白银两万两", [Q("两万两", 20_000, "liang")]),
    ("新硬盘容量为五千字节", [Q("五千字节", 5000, "byte")]),
    ("这颗芯片主频3兆赫兹", [Q("3兆赫兹", 3, "megahertz")]),
    # issue 16, third round: a long digit string is a number unless a word calls it an id
    ("全国总人口为1411778724", [Q("1411778724", 1_411_778_724)]),
    # a year-like number after a comparator or "equals" is a number, not a year
    ("滚动负荷量等于1535的信息", [Q("1535", 1535)]),
    ("参会人数超过1535", [Q("超过1535", 1535, cmp=">")]),
    # 前一年 / 上一个月 / 后一天 point at the year (month, day) before or after: a time, not a span
    ("出口较前一年减少9.8%", [Q("9.8%", 9.8, "percent")]),
    ("销量比上一个月增长了5%", [Q("5%", 5, "percent")]),
    ("订单在后一天全部发出", []),
    # a span of two or more, compared against or not, is a duration: its length is part of the claim
    ("出口比前两年的平均水平高", [Q("两年", 2, "year")]),
    ("与过去三年相比，利润增长了20%", [Q("三年", 3, "year"), Q("20%", 20, "percent")]),
    ("今年前十个月销量增长", [Q("十个月", 10, "month")]),
    # a full-width comma between full-width digits groups thousands; between half-width ones it lists
    ("报名人数为１，２３４，５６７人", [Q("１，２３４，５６７人", 1_234_567, "person")]),
    ("三组的得分分别为3，5，7", [Q("3", 3), Q("5", 5), Q("7", 7)]),
    ("该市新增1,500个岗位", [Q("1,500个", 1500, "count", item="岗位")]),
    # 百分之 with spaces inside is still a percentage
    ("这种啤酒的酒精含量为百 分 之2.4", [Q("百 分 之2.4", 2.4, "percent")]),
]


@pytest.mark.parametrize("script", ["simplified", "traditional"])
@pytest.mark.parametrize("sentence,expected", ZH_FORMS, ids=[s for s, _ in ZH_FORMS])
def test_chinese_numeral_forms_in_both_scripts(sentence, expected, script):
    if script == "traditional":
        sentence = _t(sentence)
        expected = [dict(e, text=_t(e["text"]), item=_t(e["item"]) if e["item"] else None) for e in expected]
    assert found(sentence, "zh") == expected


def test_traditional_conversion_keeps_offsets():
    sentence = "據統計，臺灣去年新增四萬五千六百二十二個就業機會，增幅為六個百分點。"
    quantities = find_quantities(sentence, "zh")
    assert [(q.text, q.value, q.unit) for q in quantities] == [
        ("四萬五千六百二十二個", 45622, "count"),
        ("六個百分點", 6, "percentage_point"),
    ]
    for q in quantities:
        assert sentence[q.start : q.end] == q.text


def test_financial_digits_that_are_words_stay_words():
    assert find_quantities("大陆的队伍拾起了旗帜", "zh") == []


EN_FORMS = [
    (
        "The fund holds one hundred and sixteen properties.",
        [Q("one hundred and sixteen", 116, "count", item="properties")],
    ),
    ("The startup is valued at 10k.", [Q("10k", 10_000)]),
    ("Output reached 1.2b last year.", [Q("1.2b", 1_200_000_000)]),
    ("They sold three dozen eggs.", [Q("three dozen", 36, "count", item="eggs")]),
    ("The cable is 10 1/2 miles long.", [Q("10 1/2 miles", 10.5, "mile")]),
    ("The water was 30 degrees celsius.", [Q("30 degrees celsius", 30, "degree_Celsius")]),
    ("Each tablet holds 150 micrograms of iodine.", [Q("150 micrograms", 150, "microgram")]),
    ("Take 50 mg twice a day.", [Q("50 mg", 50, "milligram")]),
    ("Pour 75ml of water.", [Q("75ml", 75, "milliliter")]),
    ("It raised HK$ 10.05 billion.", [Q("HK$ 10.05 billion", 10_050_000_000, "HKD")]),
    ("The bid values it at 528 million francs.", [Q("528 million francs", 528_000_000, "CHF")]),
    ("The temperature fell to minus five degrees celsius.", [Q("minus five degrees celsius", -5, "degree_Celsius")]),
    ("The score is greater than or equal to 20.", [Q("greater than or equal to 20", 20, cmp=">=")]),
    # issue 16, second round
    ("Avogadro wrote 6.02e23 on the board.", [Q("6.02e23", 6.02e23)]),
    ("The error was 1.3x10^-4 at most.", [Q("1.3x10^-4", 1.3e-4)]),
    ("Fill a .25 litre cup.", [Q(".25 litre", 0.25, "liter")]),
    ("She drank a half of the bottle.", [Q("a half", 0.5, "fraction")]),
    ("The tax is a hundredth of the price.", [Q("a hundredth", 0.01, "fraction")]),
    ("Three twenty-fifths of the seats are vacant.", [Q("Three twenty-fifths", 3 / 25, "fraction")]),
    ("The hike took one and a half days.", [Q("one and a half days", 1.5, "day")]),
    ("The bill came to twenty and three fifths.", [Q("twenty and three fifths", 20.6)]),
    ("The town grew to 3 million and a half.", [Q("3 million and a half", 3_500_000)]),
    ("Half a million people marched.", [Q("Half a million people", 500_000, "person")]),
    ("They owe three quarters billion dollars.", [Q("three quarters billion dollars", 750_000_000, "USD")]),
    ("The reading was minus five point five.", [Q("minus five point five", -5.5)]),
    ("Pi is three point one four.", [Q("three point one four", 3.14)]),
    ("The loan is 35 lakh rupees.", [Q("35 lakh rupees", 3_500_000, "INR")]),
    ("Spending reached three lakh crore.", [Q("three lakh crore", 3 * 10**12)]),
    ("The tally was fifty   two.", [Q("fifty   two", 52)]),
    ("The answer is negative one.", [Q("negative one", -1)]),
    ("The budget grew from 5k-20k.", [R("5k-20k", 5000, 20000)]),
    ("Readings ranged between negative ten and fifteen.", [R("between negative ten and fifteen", -10, 15)]),
    ("The fee is USD115 a year.", [Q("USD115 a year", 115, "USD", per="year")]),
    ("Add ¾ of the flour.", [Q("¾", 0.75)]),
    ("Pour 2½ litres of water.", [Q("2½ litres", 2.5, "liter")]),
    # currencies from CLDR (babel), sub-units, amounts in two units
    ("The ticket cost 40 turkish lira.", [Q("40 turkish lira", 40, "TRY")]),
    ("Rent is 9,000 ₹ a month.", [Q("9,000 ₹ a month", 9000, "INR", per="month")]),
    ("The fund sold R$ 2 billion of bonds.", [Q("R$ 2 billion", 2_000_000_000, "BRL")]),
    ("They raised cad$ 15 million.", [Q("cad$ 15 million", 15_000_000, "CAD")]),
    ("Shares closed at 212 pence.", [Q("212 pence", 2.12, "GBP")]),
    ("A coffee costs four dollars and twenty cents.", [Q("four dollars and twenty cents", 4.20, "USD")]),
    ("The book sells for 12 dollars 99.", [Q("12 dollars 99", 12.99, "USD")]),
    ("The deal is worth 75 USD million.", [Q("75 USD million", 75_000_000, "USD")]),
    ("They swapped 10 rmb for 2 usd.", [Q("10 rmb", 10, "CNY"), Q("2 usd", 2, "USD")]),
    # data sizes, spelled metric prefixes, degrees without a scale
    ("The leak exposed 40 GB of records.", [Q("40 GB", 40, "gigabyte")]),
    ("The probe is 3 picometres wide.", [Q("3 picometres", 3, "picometer")]),
    ("Add 2 decilitres of milk.", [Q("2 decilitres", 2, "deciliter")]),
    ("It reached 98 degrees on Friday.", [Q("98 degrees", 98, "degree")]),
    ("The sample held 120 μg of lead.", [Q("120 μg", 120, "microgram")]),
    ("Add ½ teaspoon of salt.", [Q("½ teaspoon", 0.5, "teaspoon")]),
    ("The odds are one over twenty.", [Q("one over twenty", 0.05, "fraction")]),
    ("Turnout grew over 3 years.", [Q("over 3 years", 3, "year", cmp=">")]),
    # issue 16, third round
    ("The census counted 1411778724 residents.", [Q("1411778724", 1_411_778_724, "count", item="residents")]),
    ("The ledger shows a balance of -123456789101231.", [Q("-123456789101231", -123_456_789_101_231)]),
    ("The final score was two nought.", [Q("two", 2), Q("nought", 0)]),
    ("More than 1535 people signed.", [Q("More than 1535 people", 1535, "person", cmp=">")]),
    ("The total is equal to 2000.", [Q("2000", 2000)]),
    (
        "A metric ton is equal to 2,204.62 pounds.",
        [Q("A metric ton", 1, "metric_ton"), Q("2,204.62 pounds", 2204.62, "pound")],
    ),
    ("A hectare of farmland sold for 5,000 euros.", [Q("A hectare", 1, "hectare"), Q("5,000 euros", 5000, "EUR")]),
    ("Oil traded at $80 a barrel.", [Q("$80", 80, "USD")]),
    ("The plane banked at 0.8 rad.", [Q("0.8 rad", 0.8, "radian")]),
    # "m" after a bare number: metres, unless a plural count noun follows (then millions)
    ("Some 1m people fled the city.", [Q("Some 1m people", 1_000_000, "person", approx=True)]),
    ("Exports reached 5m barrels a day.", [Q("5m barrels a day", 5_000_000, "oil_barrel", per="day")]),
    ("They sold 3m copies.", [Q("3m", 3_000_000, "count", item="copies")]),
    ("The wall is 2m high.", [Q("2m", 2, "meter")]),
    ("He swam 100m across the bay.", [Q("100m", 100, "meter")]),
    # a chain of hyphens is a sequence of numbers, not a range (a range has two ends)
    ("They were playing three-nought-four.", [Q("three", 3), Q("nought", 0), Q("four", 4)]),
    ("Prices rose 3-5% last year.", [R("3-5%", 3, 5, "percent")]),
    ("A 3-2-1 vote passed.", [Q("3", 3), Q("2", 2), Q("1", 1)]),
    ("The central bank printed 5 billion naira.", [Q("5 billion naira", 5_000_000_000, "NGN")]),
    ("A loaf cost 300 drachmas in 1990.", [Q("300 drachmas", 300, "GRD")]),
    ("The fare is 15 zlotys.", [Q("15 zlotys", 15, "PLN")]),
    # a span of time units is a duration, in decades and centuries too
    (
        "It averaged 2.5 million barrels a day over the previous two decades.",
        [Q("2.5 million barrels a day", 2_500_000, "oil_barrel", per="day"), Q("two decades", 2, "decade")],
    ),
    ("Prices rose over the past two years.", [Q("two years", 2, "year")]),
    ("The empire lasted two centuries.", [Q("two centuries", 2, "century")]),
    # numbers said in parts, each smaller than the scale before it
    (
        "The hall seats three thousand nine hundred and sixty five.",
        [Q("three thousand nine hundred and sixty five", 3965)],
    ),
    (
        "One million two hundred thousand people voted.",
        [Q("One million two hundred thousand people", 1_200_000, "person")],
    ),
    ("The total was 4 thousand 3 hundred and 21.", [Q("4 thousand 3 hundred and 21", 4321)]),
    ("It raised $5 million 300 thousand.", [Q("$5 million 300 thousand", 5_300_000, "USD")]),
    ("They won 3 million 2 years ago.", [Q("3 million", 3_000_000), Q("2 years", 2, "year")]),
    (
        "It is bigger or equal than two thousand and five.",
        [Q("bigger or equal than two thousand and five", 2005, cmp=">=")],
    ),
    # "X out of Y" is a fraction; a slash fraction before a unit is that much of the unit
    ("One out of three adults smokes.", [Q("One out of three", 1 / 3, "fraction", item="adults")]),
    ("3 out of 10 people agreed.", [Q("3 out of 10 people", 0.3, "fraction")]),
    ("1 in 5 children received benefits.", [Q("1 in 5", 0.2, "fraction", item="children")]),
    ("The odds are one in a million.", [Q("one in a million", 1e-6, "fraction")]),
    ("It rose to 5 in 2019.", [Q("5", 5)]),
    ("It is a 1/4 mile oval.", [Q("1/4 mile", 0.25, "mile")]),
    ("Roughly 2/3 of voters backed it.", [Q("Roughly 2/3", 2 / 3, "fraction", approx=True)]),
    # one measure in two units, the second smaller than one of the first
    ("He is 5 feet and 2 inches tall.", [Q("5 feet and 2 inches", 5 + 2 / 12, "foot")]),
    ("The flight took 2 hours 30 minutes.", [Q("2 hours 30 minutes", 2.5, "hour")]),
    ("He served 2 years and 3 months.", [Q("2 years and 3 months", 2.25, "year")]),
    ("They bought 10 kg and 5000 g of it.", [Q("10 kg", 10, "kilogram"), Q("5000 g", 5000, "gram")]),
    # a number grouped by commas is never a year
    ("They created 1,500 jobs in 2015.", [Q("1,500", 1500, "count", item="jobs")]),
    # ranges: bounds the other way round, "through"
    (
        "There are at most 100 and at least 20 apples.",
        [R("at most 100 and at least 20", 20, 100, "count", item="apples")],
    ),
    ("Kids aged 5 through 12 may enter.", [R("5 through 12", 5, 12, "year")]),
    ("Sales grew 5% through 2020.", [Q("5%", 5, "percent")]),
    # ages
    ("A woman aged 45 was arrested.", [Q("45", 45, "year")]),
    ("The patient is a 87 yo man.", [Q("87 yo", 87, "year")]),
    # issue 16, fourth round: thousands grouped by spaces (a narrow no-break space too)
    ("A crowd of 15 000 people gathered.", [Q("15 000 people", 15_000, "person")]),
    ("The fund holds 1\u202f250\u202f000.50 euros.", [Q("1\u202f250\u202f000.50 euros", 1_250_000.5, "EUR")]),
    ("In 2019 120 people were hired.", [Q("120 people", 120, "person")]),
    # before a plural noun, 1000-1899 is a count and a modern year a year
    ("Some 1500 residents fled.", [Q("Some 1500", 1500, "count", approx=True, item="residents")]),
    ("The 2010 elections were close.", []),
    # a length before a capitalised place noun is a name, except in a headline
    ("A leak at Three Mile Island was feared.", []),
    ("Traffic on Eight Mile Road stopped.", []),
    ("They paved a 29km road.", [Q("29km", 29, "kilometer")]),
    ("Crews Finish 29km Road To Village", [Q("29km", 29, "kilometer")]),
    # a unit word capitalised as in a title is part of a name, except in a headline
    ("He starred in 28 Days Later and spoke on 60 Minutes.", []),
    ("22 Countries Invaded by the U.S. in 20 Years.", [Q("22", 22), Q("20 Years", 20, "year")]),
    ("It was 30 Celsius at noon.", [Q("30 Celsius", 30, "degree_Celsius")]),
    # capital M and B: millions and billions beside money, a plural noun or a decimal
    ("The club paid €10M for him.", [Q("€10M", 10_000_000, "EUR")]),
    ("It cost 2.4M euros.", [Q("2.4M euros", 2_400_000, "EUR")]),
    ("Profit hit 1.2B last year.", [Q("1.2B", 1_200_000_000)]),
    ("They sold 5M copies.", [Q("5M", 5_000_000, "count", item="copies")]),
    ("3M shares rose; he bought a 5B pencil.", []),
    # oil in millions and thousands of barrels a day; a comparative between the number and its unit
    ("Output was 1.1 mb/d, exports 500 kb/d.",
     [Q("1.1 mb/d", 1_100_000, "oil_barrel", per="day"), Q("500 kb/d", 500_000, "oil_barrel", per="day")]),
    (
        "They pumped 300,000 fewer barrels per day.",
        [Q("300,000 fewer barrels per day", 300_000, "oil_barrel", per="day")],
    ),
    ("We cannot afford four more years.", [Q("four more years", 4, "year")]),
    # "in" as inches only after the feet of one height; the prime signs
    (
        "She is 5 ft 4 in; he is 6 feet 1 in tall.",
        [Q("5 ft 4 in", 5 + 4 / 12, "foot"), Q("6 feet 1 in", 6 + 1 / 12, "foot")],
    ),
    ("We met at 5 ft 2 in the hall.", [Q("5 ft", 5, "foot"), Q("2", 2)]),
    ("A 10″ pizza; he is 5′ 6″.", [Q("10″", 10, "inch"), Q("5′ 6″", 5.5, "foot")]),
    # the degree sign
    ("Water boils at 100° Celsius; turn it 30°.", [Q("100° Celsius", 100, "degree_Celsius"), Q("30°", 30, "degree")]),
    # millions and thousands of a currency on its code; signs of currencies named after them
    ("Revenue reached 120 MEUR last year.", [Q("120 MEUR", 120_000_000, "EUR")]),
    ("Orders worth MSEK 45 came in.", [Q("MSEK 45", 45_000_000, "SEK")]),
    ("The study cost 300 kEUR.", [Q("300 kEUR", 300_000, "EUR")]),
    ("She paid ₡5,000 for it.", [Q("₡5,000", 5000, "CRC")]),
    ("Rent is ₴200 a month.", [Q("₴200 a month", 200, "UAH", per="month")]),
    ("The fare is 100 ฿.", [Q("100 ฿", 100, "THB")]),
    # imperial, electrical and other units; basis points and per mille as parts of their unit
    ("The end zone is 10 yards deep.", [Q("10 yards", 10, "yard")]),
    ("He weighs 15 stone; she threw 5 stones.", [Q("15 stone", 15, "stone"), Q("5", 5, "count", item="stones")]),
    ("The star is 4.2 light years away.", [Q("4.2 light years", 4.2, "light_year")]),
    ("Add 8 fl oz of milk and 2 pints of cream.", [Q("8 fl oz", 8, "fluid_ounce"), Q("2 pints", 2, "pint")]),
    ("The flat has 850 sq ft and the park 5 square miles.",
     [Q("850 sq ft", 850, "square_foot"), Q("5 square miles", 5, "square_mile")]),
    ("A 125cc scooter with 11 hp.", [Q("125cc", 125, "cubic_centimeter"), Q("11 hp", 11, "horsepower")]),
    ("Tyres at 32 psi, a 12 volts battery, 85 dB of noise.",
     [Q("32 psi", 32, "pound_force_per_square_inch"), Q("12 volts", 12, "volt"), Q("85 dB", 85, "decibel")]),
    ("It has not produced a quart of oil, a stone's throw away.", []),
    ("The Fed raised rates by 25 basis points.", [Q("25 basis points", 0.25, "percentage_point")]),
    ("Spreads widened 40bp.", [Q("40bp", 0.4, "percentage_point")]),
    ("The rate is 5‰.", [Q("5‰", 0.5, "percent")]),
    # "a dozen" is twelve, as "a hundred" is a hundred
    ("More than a dozen clubs closed.", [Q("More than a dozen", 12, "count", cmp=">", item="clubs")]),
    (
        "Buy 2 doz eggs and five dozs rolls.",
        [Q("2 doz", 24, "count", item="eggs"), Q("five dozs", 60, "count", item="rolls")],
    ),
    # comparison signs, after any character
    (
        "The risk is <5% and the yield ≥ 20 tonnes.",
        [Q("<5%", 5, "percent", cmp="<"), Q("≥ 20 tonnes", 20, "metric_ton", cmp=">=")],
    ),
    ("Keep x>10, y<=20 and z=>3.", [Q(">10", 10, cmp=">"), Q("<=20", 20, cmp="<="), Q("=>3", 3, cmp=">=")]),
    # a plural denominator after any number in words; after "and" a fraction of its own
    ("The share is one hundred forty-one sixths.", [Q("one hundred forty-one sixths", 141 / 6, "fraction")]),
    ("The dose is a hundred thousand billionths.", [Q("a hundred thousand billionths", 1e-4, "fraction")]),
    ("It measured three hundred and twelve thousandths.", [Q("three hundred and twelve thousandths", 300.012)]),
    ("Three hundred and twelve voters came.", [Q("Three hundred and twelve", 312, "count", item="voters")]),
    ("He waited five hundred seconds.", [Q("five hundred seconds", 500, "second")]),
]


@pytest.mark.parametrize("sentence,expected", EN_FORMS, ids=[s for s, _ in EN_FORMS])
def test_english_forms(sentence, expected):
    assert found(sentence, "en") == expected
