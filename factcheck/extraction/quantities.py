"""Find quantities (numbers with units, rates, comparators and ranges) in a sentence.

``find_quantities(text, lang)`` is a pure, regex-based scanner. It returns
``Quantity`` records with offsets into ``text`` (``text[q.start:q.end] == q.text``),
sorted and non-overlapping. Both scripts are read whatever ``lang`` says; the only
use of ``lang`` is to read ¥ as JPY in English text (CNY otherwise).

How a quantity is read
======================

The text is first normalised with NFKC one character at a time (full-width
``３．６７％`` → ``3.67%``); characters whose NFKC form is longer (℃, ½) are kept,
so offsets stay valid. Then, for each number found left to right:

1. **Number.** Arabic numerals with thousands commas and decimals (130,000, 3.67),
   Chinese numerals and mixes (二百五十万, 250万, 1.2亿, 5千万, 1万2千; read with
   ``cn2an``), English number words (two, twenty-five, a hundred, a million),
   百分之X (percent), X分之Y and proper fractions a/b with b ≤ 10 (fraction),
   "tenfold" and "two-thirds". A scale may follow: 万/亿/千万, thousand, million,
   billion, trillion, bn/mn/tn; m/b/k only right after a currency sign ($3.5m),
   because "3m" is three metres (10k, 1.2b and 1m people aside); capital M and B beside
   money, a plural noun or on a decimal (€10M, 2.4M euros, 1.2B). Also: thousands grouped
   by spaces (40 000), scientific notation and powers (2e5, 1.3x10^6,
   1.1^23), .25, vulgar fractions (¾, 2½), fraction words (a hundredth, three twenty-firsts,
   half a million, three quarters billion), "point" decimals (two hundred point seventy-one),
   lakh/crore, 几 and 多 before a scale (二十几万, 十几万多亿: ">" and approximate), 打 (a
   dozen), 五五折, 对折, 半成, 两 after a number as liang, 半 after a unit (一吨半, 三个半月), and
   mixed numbers (三又三分之一, one and a half days, 3 million and a half).
2. **Prefixes** (read leftwards, any order, no digits in between): a currency sign
   ($, US$, €, £, ¥, RMB, 人民币), a rate (日均, 每年, 时速 → ``per``),
   comparators and approximations (``PREFIX_WORDS``: 不足/under → "<", 超过/逾/more
   than → ">", 至少/at least → ">=", 上限为/capped at/up to → "<=", 约/about →
   approximate; 逾 is not approximate). 上限/capped at/限制在 up to four
   characters before the number still set "<=" but are not put into the span.
3. **Unit** from ``factcheck.extraction.units.UNITS`` (longest surface wins), then for a 量词 the
   counted noun as ``item`` (below), then a rate suffix (桶/日, 每天, a day, per year,
   annually), then postfix words (以上 ">", 以下 "<", 以内 "<=", 左右/上下/or so →
   approximate, or more ">="). 多/余 right after the number (100多人, 3000多万,
   300余人) mean approximate and ">".
4. **Ranges and changes.** Two neighbouring numbers joined by 到/至/~/-/–/to, or by
   and/和/与 after between/介于, become one range: ``low``/``high``, ``value`` None,
   never a midpoint. One amount in two units is one quantity: four dollars and twenty cents,
   12 dollars 99, 两美元又三美分, 50元6角三分, 3块5毛 (``_join_money``). A missing unit, rate
   or scale on the first number is taken from the second (30亿至50亿美元, 3-5%, 2 to 3 million); a currency sign on the
   first also covers the second ($3-5 billion). Ranges need low < high and
   compatible units. Two numbers joined by a change verb (降至, 增加到, 减少至...) or by
   "to" after "<change verb> ... from" are a change: two quantities, and the first
   takes the unit and rate of the second when it has none, and its scale when both
   mantissas are within a factor of ten ("rose from 3 to 5 million" → 3e6, "grew
   from 500 to 2 million" → 500). "from X to Y" without
   such a verb is a range. The span of a range includes "between"/"介于" and "之间",
   never "from"/"从".

Counted items
=============

After a 量词 (``units.CLASSIFIERS``: 台, 枚, 座, 名, 个, ...) ``item`` is the run of
Chinese characters that follows, cut at the first function word (的, 和, 与, 在, 了...);
a run longer than six characters gives no item. ``item`` is not part of the span.
国 is a count with no item (10国支持). In English a number followed by a plural noun
is a count and the noun is the ``item``, not part of the span ("19,000 centrifuges" →
"19,000"; no rate is read after the noun); so are both numbers of "<plural noun> from
X to Y" ("centrifuges from about 19,000 to 6,104"). One adjective between the number
and the noun is not handled.

What is not a quantity
======================

* Calendar years and dates: a four-digit 1000–2100 number before 年, or bare
  (before a plural noun only from 1900: 1500 residents are counted);
  N月, N日, N号, N时, N点, N分 (a month, day or clock time); 20世纪, 50年代, 1950s;
  2025-05-22, 2025/5/22, 4/12, 9/11, 24/7; "April 12", "12 April"; 3 p.m.; 12:30.
* Ordinals and names: 第三轮, 3rd, twenty-first; G7, F-35, COVID-19, 5G, P5+1,
  9·11; version numbers (3.5.1); Three Mile Island, the 29km Road, 《17 Carat》, 60
  Minutes (a capitalised place noun after a length, a unit capitalised as in a title;
  not in a headline, where every word is capitalised).
* Numbering: a number alone on its line ("01"), list markers (1. 2、 (3) [4]).
* Bare numbers with a leading zero or with seven or more digits (phone numbers).
* Vague numbers: 十几, 几十, 数百, 三四年, 一两天.
* Chinese numerals and English number words with no unit (一些, one of); 一 and
  "one" with a 量词 or "people", which act as articles (一名官员, one official).
* "N-year" compounds are durations ("a five-year plan" → 5 year).

Bare Arabic numbers without a unit are reported with ``unit`` None ("增长3.5").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Literal

from factcheck.extraction.numerals import fix_financial, script_table, zh_value
from factcheck.extraction.times import case_variants
from factcheck.extraction.units import (
    CLASSIFIERS,
    COMPOUND_UNITS,
    CURRENCY_PREFIXES,
    CURRENCY_SUBUNITS,
    CURRENCY_UNITS,
    DURATION_UNITS,
    PER_PREFIXES,
    PER_SUFFIXES,
    SCALED_CURRENCIES,
    SCALED_UNITS,
    UNIT_KINDS,
    UNITS,
    registry,
    to_pint,
)
from factcheck.records import Quantity

__all__ = ["PREFIX_WORDS", "POSTFIX_WORDS", "find_quantities"]

# --- word tables ---------------------------------------------------------------------


def _table(groups: dict[tuple[str | None, bool], str]) -> dict[str, tuple[str | None, bool]]:
    """{(comparator, approximate): "word|word"} → {word: (comparator, approximate)}."""
    return {word: info for info, words in groups.items() for word in words.split("|")}


#: Words before a number → (comparator, approximate).
PREFIX_WORDS: dict[str, tuple[str | None, bool]] = _table(
    {
        ("<", False): (
            "不足|低于|少于|小于|不到|未满|不及|未达|未及|under|below|less than|fewer than|lower than"
            "|smaller than|<"
        ),
        (">", False): (
            "超过|高于|多于|大于|超|逾|more than|over|above|exceeding|in excess of|greater than|higher than"
            "|bigger than|larger than"
            "|upwards of|>"
        ),
        (">=", False): (
            "至少|不少于|不低于|不小于|最少|起码|大于等于|大于或等于|大于或者等于|at least|no less than"
            "|not less than|no fewer than|a minimum of|greater than or equal to|more than or equal to"
            "|greater or equal to|greater or equal than|bigger or equal to|bigger or equal than|>=|=>|≥|⩾"
        ),
        ("<=", False): (
            "不超过|不高于|不多于|不大于|最多|至多|不得超过|小于等于|小于或等于|小于或者等于|less than or equal to"
            "|less or equal to|less or equal than|smaller or equal to|smaller or equal than"
            "|上限|上限为|上限是|上限设为|上限定为|上限设定为|限制在"
            "|限定在|控制在|at most|up to|no more than|not more than|a maximum of|capped at|limited to"
            "|a cap of|<=|=<|≤|⩽"
        ),
        (None, True): (
            "约|大约|约为|约合|大概|大致|近|将近|接近|几近|差不多|about|around|roughly|approximately"
            "|nearly|almost|some|circa|an estimated|estimated|~"
        ),
    }
)

#: Words after the unit (or rate) → (comparator, approximate). 3.67%上限: the figure is a cap.
POSTFIX_WORDS: dict[str, tuple[str | None, bool]] = _table(
    {
        (">", False): "以上",
        ("<", False): "以下",
        ("<=", False): "以内|之内|上限|or less|or fewer",
        (">=", False): "下限|or more|or above|and above",
        (None, True): "左右|上下|or so|more or less",
    }
)

# Verbs that make "from X to Y" a change rather than a range.
_CHANGE_VERBS = frozenset(
    """fell fall falls falling fallen dropped drop drops dropping declined decline declines declining
    decreased decrease decreases decreasing increased increase increases increasing grew grow grows
    growing grown rose rise rises rising risen cut cuts cutting reduced reduce reduces reducing
    climbed climb climbs climbing jumped jump jumps jumping plunged plunge plunges plunging slid slide
    slides sliding went go goes going gone surged surge surges soared soar soars tumbled tumble
    slumped slump shrank shrink shrinks shrunk expanded expand expands raised raise raises lowered
    lower lowers boosted boost boosts doubled halved dipped dip dips swelled swell""".split()
)

_CJK = "\u4e00-\u9fff"
_CJK_RE = re.compile(f"[{_CJK}]")
_ZH_DIGIT_VALUES = dict(zip("零〇一二两三四五六七八九十", (0, 0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9, 10)))
_ZH_SCALES = {"十": 10, "百": 100, "千": 1000, "万": 10**4, "亿": 10**8, "兆": 10**12}
_EN_VALUES = dict(
    zip(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen"
        " sixteen seventeen eighteen nineteen".split(),
        range(20),
    )
)
_EN_VALUES |= {
    w: 10 * i for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)
}
_EN_VALUES |= {"a": 1, "an": 1}
_EN_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_EN_SCALES |= {"k": 10**3, "m": 10**6, "mn": 10**6, "b": 10**9, "bn": 10**9, "tn": 10**12}
_EN_SCALES |= {"doz": 12, "dozs": 12}
_EN_SCALES |= {"hundred": 100, "dozen": 12, "dozens": 12, "mil": 10**6, "mln": 10**6, "bln": 10**9, "tln": 10**12}
_EN_SCALES |= {"lakh": 10**5, "lakhs": 10**5, "crore": 10**7, "crores": 10**7}  # Indian English
_EN_ORDINALS = dict(
    zip(
        "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth"
        " fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth".split(),
        range(1, 20),
    )
)
_EN_ORDINALS |= {
    w: 10 * i
    for i, w in enumerate("twentieth thirtieth fortieth fiftieth sixtieth seventieth eightieth ninetieth".split(), 2)
}
_EN_ORDINALS |= {"hundredth": 100, "thousandth": 10**3, "millionth": 10**6, "billionth": 10**9,
                 "trillionth": 10**12}
#: Denominator words (singular) → value: half, quarter, and every ordinal from third up.
_EN_DENOMINATORS = {"half": 2, "halve": 2, "quarter": 4} | {
    w: v for w, v in _EN_ORDINALS.items() if w not in ("first", "second")
}
_EN_VALUES |= {"nought": 0, "naught": 0, "oh": 0}

# Plural-looking words that are not counted nouns, and plurals that do not end in -s.
_NOT_PLURAL = frozenset(
    "was has is as this its his hers ours yours theirs us yes does thus plus less unless across "
    "whereas always perhaps besides towards afterwards sometimes news series means says goes gets "
    "makes takes comes seems remains".split()
)
_IRREGULAR_PLURALS = frozenset("children men women aircraft personnel staff police livestock".split())

# Function words that end a counted item (19000台离心机和… → 离心机), and verbs whose
# second character is one of them, which end it one character earlier (志愿者参与 → 志愿者).
_ITEM_STOPS = frozenset("的和与及或在了被将是也都就等并而但于为从对向把让已又还再这那其")
_ITEM_STOP_WORDS = frozenset(
    "参与 涉及 以及 位于 属于 处于 由于 对于 等于 关于 至于 在于 终于 作为 成为 因为 认为 称为 存在 现在 "
    "正在 为了 除了 即将 就是 还是 但是 缓和 遭到 受到".split()
)

# --- compiled patterns ---------------------------------------------------------------


def _alt(words) -> str:
    """Alternation of literal words as a trie, the longest first (个百分点 beats 个).

    ``re`` tries the branches of ``a|b|c`` one after the other at each position; with
    hundreds of unit and currency names that dominated the scan. A trie reads each
    character once: ``k(?:m|g|ilo(?:gram)?)``, and its greedy ``?`` prefers the longer word.
    """
    root: dict = {}
    for word in set(words):
        node = root
        for c in word:
            node = node.setdefault(c, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [re.escape(c) + build(child) for c, child in sorted(node.items()) if c]
        if not branches:
            return ""
        if "" in node:
            return "(?:" + "|".join(branches) + ")?"
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return build(root)


def _is_cjk(s: str) -> bool:
    """Surfaces matched without a word boundary after them (Chinese, and ℃ ℉)."""
    return any("\u4e00" <= c <= "\u9fff" or c in "℃℉" for c in s)


_AR = r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?"
# 2e5, 12.32e+14, 1.1^23, 2^-1, 1.3x10^6, and .25 (no digit before the point).
_AR_POWER = r"(?:[eE][+-]?[0-9]{1,3}|\^[+-]{0,2}[0-9]{1,3}|[ ]?[x×][ ]?10\^[+-]?[0-9]{1,3})(?![0-9A-Za-z])"
# Thousands grouped by spaces (40 000, 1 250 000.5; a narrow or no-break space is a space after NFKC):
# groups of exactly three, and no digit group of another length after them (a phone's 555 123 4567).
_AR_SPACED = r"(?<![0-9.,][ ])(?<![0-9.,])[0-9]{1,3}(?:[ ][0-9]{3})+(?![0-9]|[ ][0-9]|,[0-9])(?:\.[0-9]+)?"
_AR_HEAD = rf"{_AR_SPACED}|(?:{_AR})(?:{_AR_POWER})?|(?<![0-9A-Za-z.])\.[0-9]+"
_ZH_NUMERAL = (
    r"(?:[一二两三四五六七八九十廿卅]|(?<=[逾近约超])[百千万]|零(?=[ ]?点)"  # 逾千人, 近百年, 零点五
    rf"|(?<![{_CJK}])[百千](?=[一二三四五六七八九](?![{_CJK}])))"  # 千三
    r"(?:[ ]?(?:[零〇一二三四五六七八九十百万亿廿卅]|两(?=[ ]?[十百千万亿])|千(?![米克瓦赫字比])"
    r"|兆(?![瓦赫字比帕焦])))*"
    r"(?:[ ]?点[ ]?[零〇一二两三四五六七八九](?:[ ]?[零〇一二两三四五六七八九])*)?"
)
_ZH_OR_AR = r"[0-9]+(?:\.[0-9]+)?|[零〇一二两三四五六七八九十百千万点]+"
# After 百分之 a numeral may have spaces inside, as it may elsewhere: 百分之五 十, 百分之一 点五.
_ZH_OR_AR_SPACED = (
    r"[0-9]+(?:\.[0-9]+)?|[零〇一二两三四五六七八九十百千万点](?:[ ]?[零〇一二两三四五六七八九十百千万点])*"
)


def _cap(words: str) -> str:
    """ "one|two" → "[Oo]ne|[Tt]wo": lower case or capitalised, much faster than (?i)."""
    return "|".join(f"[{w[0].upper()}{w[0]}]{w[1:]}" for w in words.split("|"))


_EN_ONES = "one|two|three|four|five|six|seven|eight|nine"
_EN_TEENS = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
_EN_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_EN_BELOW_100 = rf"(?:(?:{_EN_TENS})(?:(?:[ ]?-[ ]?|[ ]+)(?:{_EN_ONES}))?|{_EN_TEENS}|{_EN_ONES})"
_EN_FIRST_BELOW_100 = (
    rf"(?:(?:{_cap(_EN_TENS)})(?:(?:[ ]?-[ ]?|[ ]+)(?:{_EN_ONES}))?|{_cap(_EN_TEENS)}|{_cap(_EN_ONES)})"
)
# "a"/"an" before a metric unit spelled out is one of it: "a metric ton is 2,204.62 pounds", "a litre
# costs". Not the units English uses in idioms (by a mile, an inch, a foot in the door, an ounce of
# sense, over a barrel, a parking meter, to a degree), nor plurals, nor a rate's "a": $80 a barrel.
_ONE_UNIT_IDIOMS = ("meter", "foot", "feet", "inch", "mile", "pound", "ounce", "knot", "degree", "deg ", "celsius",
                    "celcius", "centigrade", "fahrenheit", "barrel", "kbit")
# Units one measure may be written in two of (5 feet and 2 inches); not temperatures (an offset).
_MEASURE_UNITS = frozenset(
    v for v in UNITS.values() if UNIT_KINDS.get(v) in ("physical", "duration") and not v.startswith("degree")
)
_ONE_UNIT_NAMES = frozenset(v for k, v in UNITS.items() if UNIT_KINDS.get(v) == "physical")
# Nor the imperial, electrical and other units of idioms and pub talk: a light year away, a stone's throw,
# a pint, not a quart of oil, a calorie.
_NO_ARTICLE_UNITS = frozenset(
    "yard light_year pint quart fluid_ounce stone carat square_foot square_mile square_inch square_yard cubic_inch"
    " cubic_yard cubic_centimeter joule calorie kilocalorie horsepower pound_force_per_square_inch volt kilovolt"
    " ampere ohm decibel kelvin".split()
)
_ONE_UNIT_WORDS = [
    k for k, v in UNITS.items()
    if UNIT_KINDS.get(v) == "physical" and k.isascii() and k.islower() and len(k) >= 4 and not k.endswith("s")
    and not any(w in k for w in _ONE_UNIT_IDIOMS) and v not in _NO_ARTICLE_UNITS
]
# "point" decimals after a number in words: two hundred point seventy-one, nine point nought four.
_EN_DIGIT_WORDS = "zero|oh|nought|naught|one|two|three|four|five|six|seven|eight|nine"
_EN_POINT_RE = re.compile(
    rf"[ \t]+point[ \t]+(?P<digits>(?:(?:{_EN_DIGIT_WORDS})(?![A-Za-z-])(?:[ \t]+(?=[a-z]))?)+"
    rf"|{_EN_BELOW_100})(?![A-Za-z])"
)
# Denominators: "thirds", "a quarter", "hundredths", "twenty-firsts" (tens-ordinal compounds).
_EN_DENOMINATOR_STEM = (
    rf"(?:(?:{_EN_TENS})-(?:first|second|{_alt(w for w in _EN_DENOMINATORS if _EN_DENOMINATORS[w] < 10)})"
    rf"|{_alt(w for w in _EN_DENOMINATORS if w != 'halve')}|halve)"
)
_EN_DENOMINATOR_WORDS = _EN_DENOMINATOR_STEM + "s?"
# A plural denominator after a number in words makes it a numerator: one hundred thirty-two fifths,
# a hundred thousand trillionths. After "and" the fraction is one of its own, as in "two and a half":
# two hundred and fifty-four hundredths = 200.54, so the hundred does not take "and fifty-four".
_EN_PLURAL_DENOMINATOR = rf"{_EN_DENOMINATOR_STEM}s(?![A-Za-z])"
_EN_DENOMINATOR_AFTER_RE = re.compile(rf"(?:[ \t]+|[ \t]?-[ \t]?)(?P<den>{_EN_PLURAL_DENOMINATOR})")
_EN_FRACTION_FOLLOWS = rf"(?![ \t-]*(?:(?:{_EN_ONES})[ \t-]+)?{_EN_PLURAL_DENOMINATOR})"
_EN_NUMBER = (
    rf"(?:(?:{_EN_FIRST_BELOW_100}|[Aa])[ \t]+hundred"
    rf"(?:[ \t]+and[ \t]+{_EN_BELOW_100}(?<=[a-z]){_EN_FRACTION_FOLLOWS}|[ \t]+{_EN_BELOW_100})?"
    rf"|{_EN_FIRST_BELOW_100}|[Aa]n?(?=[ \t]+(?:thousand|million|billion|trillion|dozen)(?![A-Za-z]))"
    r"|[Hh]undred(?=[ \t]+(?:thousand|million|billion|trillion)(?![A-Za-z]))"
    rf"|[Aa]n?(?=[ \t]+(?:{_alt(_ONE_UNIT_WORDS)})(?![A-Za-z]))"
    r"|[Zz]ero|[Nn]ought(?![A-Za-z])|[Nn]aught(?=[ \t]+point(?![A-Za-z])))"  # "for naught" is not 0
)

# Every head starts with one of these; the lookahead lets the scan skip other characters fast.
# Vulgar fractions, which NFKC would spread over three characters (½ → 1⁄2): read as they are.
_VULGAR = "¼½¾⅐⅑⅒⅓⅔⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞"
_HEAD_LETTERS = "AaEeFfHhNnOoQqSsTtZz"
# Every head that starts with a letter starts with one of these words, or "a"/"an".
_EN_HEAD_WORDS = f"{_EN_ONES}|{_EN_TEENS}|{_EN_TENS}|hundred|half|quarter|zero|nought|naught".split("|")
_EN_HEAD_STARTS = _cap("|".join(sorted({w[:3] for w in _EN_HEAD_WORDS})))
_HEAD_FIRST = f"0-9零一二两三四五六七八九十百千万{_VULGAR}{_HEAD_LETTERS}"
# Heads that start with a common character only in these pairs: .25, 打对折, 半成.
_HEAD_PAIRS = r"\.[0-9]|对折|半成"
_HEAD_ALTERNATIVES = "|".join(
    (
        rf"(?P<pct>百分之(?P<pct_n>{_AR}|{_ZH_OR_AR_SPACED})(?P<pct_k>k(?![A-Za-z]))?)",
        r"(?P<fzh>(?P<fzh_d>[0-9]+|[一二两三四五六七八九十百千万][零〇一二两三四五六七八九十百千万]*)"
        r"[ ]*分[ ]*之[ ]*"
        rf"(?P<fzh_neg>负[ ]?)?(?P<fzh_n>{_ZH_OR_AR}))",
        r"(?P<slash>(?P<sl_a>[0-9]+)/(?P<sl_b>[0-9]+)(?P<sl_c>/[0-9]+)?)",
        rf"(?P<fold>(?<![A-Za-z])(?P<fold_w>{_cap(_EN_TEENS)}|{_cap(_EN_TENS)}|{_cap(_EN_ONES)}|[Hh]undred)"
        r"fold(?![A-Za-z]))",
        rf"(?P<fen>(?<![A-Za-z])(?P<fen_n>{_EN_FIRST_BELOW_100}|[Aa]n?)(?:[ ]?-[ ]?|[ ])"
        rf"(?P<fen_d>{_EN_DENOMINATOR_WORDS})(?![A-Za-z]))",
        r"(?P<hscale>(?<![A-Za-z])(?:[Aa][ \t]+)?(?P<hs_w>[Hh]alf|[Qq]uarter)(?:[ \t]+a)?"
        r"(?=[ \t]+(?:thousand|million|billion|trillion)(?![A-Za-z])))",
        rf"(?P<ar>{_AR_HEAD})",
        rf"(?P<vulgar>[{_VULGAR}])",
        r"(?P<halfoff>(?<=打)对折|半成(?![品功为本]))",  # 打对折 = 50%, 半成 = 5%
        rf"(?P<zh>{_ZH_NUMERAL})",
        rf"(?P<en>(?<![A-Za-z]){_EN_NUMBER}(?![A-Za-z]))",
    )
)
# A head that starts with a letter starts a word, with the first three letters of a number word or
# "a"/"an": the lookahead turns away every other position of an English text before the alternatives
# are tried (a third of the finder's time on English).
_HEAD_GATE = (
    f"(?=[{_HEAD_FIRST}]|{_HEAD_PAIRS})"  # one character class first: most characters fail it at once
    f"(?=[0-9零一二两三四五六七八九十百千万{_VULGAR}]|(?<![A-Za-z])(?:{_EN_HEAD_STARTS}|[Aa]n?[ \t-])|{_HEAD_PAIRS})"
)
_HEAD_RE = re.compile(f"{_HEAD_GATE}(?:{_HEAD_ALTERNATIVES})")

_ZH_TAIL_RE = re.compile(
    r"(?P<duo>[ ]?[多余])?"
    r"(?P<scale>[十百千](?![米克瓦])(?:万亿|万万|[万亿])?|[ ]*(?:万亿|万万|[万亿]|兆(?![瓦赫字比帕焦])))"
)
# 1万2千, 5亿1万4千6百, 1千零1, 2千零30万
_ZH_CONT_RE = re.compile(r"(?:[ ]?零?[0-9]{1,4}[ ]?(?:[千百十](?![米克瓦])|[万亿]))+|零[0-9]{1,3}(?![0-9.])")
# 二十几万, 一百零几万, 十几万多亿: 几 before a scale is "some": more than the round number.
_JI_SCALE_RE = re.compile(r"[ ]?几[ ]?(?P<s1>[万亿]*)(?:[ ]?多(?P<s2>[万亿]+))?")
_EN_SCALE_RE = re.compile(
    r"(?P<word>[ \t]*(?i:thousand|million|billion|trillion|hundred|dozens?|dozs?|lakhs?|crores?))(?![A-Za-z])"
    r"|[ \t]?(?P<abbr>bn|mn|tn|bln|mln|tln|mil)(?![A-Za-z])"
    r"|(?P<cur>[mbkKMB])(?![A-Za-z])"
    r"|[ \t](?P<kilo>k)(?![A-Za-z])"
)

_CURRENCY_AFTER_RE = re.compile(
    rf"[ \t]*(?:{_alt(k for k, v in UNITS.items() if v in CURRENCY_UNITS and k.isascii() and len(k) >= 3)})"
    r"(?![A-Za-z])",
    re.I,
)
# "3m" is three metres unless a plural count noun follows: 1m people, 5m barrels, 2m tonnes are millions.
_M_BEFORE_PLURAL_RE = re.compile(
    r"[ \t]+(?!(?:is|was|has|does|as|its|his|this|thus|us|plus|minus|less|across|versus|always|perhaps|unless"
    r"|whereas|towards|upwards|downwards|afterwards|besides|sometimes|hers|ours|yours|theirs)(?![A-Za-z]))"
    r"(?:[a-z]{2,}s|people|children|men|women|staff|cattle|livestock)(?![A-Za-z'’])"
)

_SUFFIX_UNITS = {k: v for k, v in UNITS.items() if k != "分之"}
_CJK_UNITS = [k for k in _SUFFIX_UNITS if _is_cjk(k)]
_WORD_UNITS = [k for k in _SUFFIX_UNITS if k.isascii() and len(k) >= 3 and k.islower()]
_OTHER_UNITS = [k for k in _SUFFIX_UNITS if k not in set(_CJK_UNITS) | set(_WORD_UNITS)] + list(
    COMPOUND_UNITS
)
_UNIT_RE = re.compile(
    rf"(?P<sep>[ \t\u3000]*|-)(?:(?P<cjk>{_alt(_CJK_UNITS)})"
    rf"|(?P<word>(?i:{_alt(_WORD_UNITS)}))(?![A-Za-z0-9])"
    rf"|(?P<abbr>{_alt(_OTHER_UNITS)})(?![A-Za-z0-9]))"
)
_UNITS_FOLDED = {k.lower(): v for k, v in _SUFFIX_UNITS.items() if k in set(_WORD_UNITS)}

_slash_rates = [k for k in PER_SUFFIXES if k.startswith("/")]
_cjk_rates = [k for k in PER_SUFFIXES if not k.startswith("/") and _is_cjk(k)]
_word_rates = [k for k in PER_SUFFIXES if not k.startswith("/") and not _is_cjk(k)]
_PER_SUFFIX_RE = re.compile(
    rf"[ \t]*/[ \t]*(?P<slash>{_alt(k[1:] for k in _slash_rates)})(?![A-Za-z])"
    rf"|[ \t]*(?P<cjk>{_alt(_cjk_rates)})"
    rf"|[ \t]+(?P<word>(?i:{_alt(_word_rates)}))(?![A-Za-z])"
)
_UNIT_COMPARATIVE_RE = re.compile(r"[ \t]+(?:fewer|more|less|additional|extra|further)(?=[ \t])")
_OF_OIL_RE = re.compile(r"[ \t]+of[ \t]+(?:crude[ \t]+)?(?:oil|crude)(?![A-Za-z])", re.I)

_cjk_post = [k for k in POSTFIX_WORDS if _is_cjk(k)]
_POSTFIX_RE = re.compile(
    rf"[ \t]*(?P<cjk>{_alt(_cjk_post)})"
    rf"|[ \t]+(?P<word>(?i:{_alt(k for k in POSTFIX_WORDS if k not in _cjk_post)}))(?![A-Za-z])"
)

_cjk_pre = [k for k in PREFIX_WORDS if _is_cjk(k) and k != "近"]
_sym_pre = [k for k in PREFIX_WORDS if not _is_cjk(k) and not k[0].isalpha()]  # ~, <, >=, ≤: after any character
_en_pre = [k for k in PREFIX_WORDS if not _is_cjk(k) and k not in _sym_pre]
_iso_cur = [k for k in CURRENCY_PREFIXES if k.isascii() and k.isalpha()]
_ISO_GLUED_RE = re.compile(rf"(?<![A-Za-z])(?:{_alt(k for k in _iso_cur if k.isupper())})\Z")  # USD115
_PREFIX_RE = re.compile(
    rf"(?:(?P<cur>(?<![A-Za-z])(?:{_alt(_iso_cur)})|{_alt(k for k in CURRENCY_PREFIXES if k not in _iso_cur)})"
    rf"|(?P<rate>{_alt(PER_PREFIXES)})"
    rf"|(?P<neg>零下|负|(?i:(?<![A-Za-z])(?:minus|negative)))"
    rf"|(?P<temp>华氏(?:温度)?|摄氏(?:温度)?)"
    rf"|(?P<cmp>{_alt(_cjk_pre)}|(?<![最附临靠])近|{_alt(_sym_pre)}|(?i:(?<![A-Za-z])(?:{_alt(_en_pre)})))"
    r")[ \t]*\Z"
)

# A _PREFIX_RE match is one of these words (each character matched by one character,
# whatever the case) and then spaces or tabs. So it ends, before the spaces, with a key of
# _PREFIX_LONGEST_BY_LAST and starts at most that key's value of characters earlier (at most
# _PREFIX_LONGEST): 4 before a "$", 2 before "约", 27 before an "o" (greater or equal to).
_prefix_words = (*CURRENCY_PREFIXES, *PER_PREFIXES, "零下", "负", "minus", "negative",
                 "华氏温度", "摄氏温度", "华氏", "摄氏", *PREFIX_WORDS)
_PREFIX_LONGEST = max(map(len, _prefix_words))


def _longest_by_last(words) -> dict[str, int] | None:
    longest: dict[str, int] = {}
    for word in words:
        variants = case_variants(word[-1])
        if variants is None:
            return None  # a cased character outside ASCII: no table, the search looks everywhere
        for c in variants:
            longest[c] = max(longest.get(c, 0), len(word))
    return longest


_PREFIX_LONGEST_BY_LAST = _longest_by_last(_prefix_words)
_CAP_GAP_RE = re.compile(
    r"(?:上限|限制在|限定在|控制在|不得超过|(?i:capped at|limited to|a cap of))[^0-9\n，。；;,!?！？%]{0,4}\Z"
)
_BETWEEN_RE = re.compile(r"(?:(?i:(?<![A-Za-z])between)[ \t]+|介于[ \t]*)\Z")
_FROM_RE = re.compile(r"(?:(?i:(?<![A-Za-z])from)[ \t]+)\Z")
_BETWEEN_END_RE = re.compile(r"[ \t]*之间")

_RANGE_GAP_RE = re.compile(r"[ \t]*(?:到|至|~|〜|-|–|—|(?i:to))[ \t]*|[ \t]+(?i:through|thru)[ \t]+")  # 20 through 100
# 成 and 折 after a number up to ten are tenths (三成 = 30%, 九折 = 90%), except in words
# that start with 成 (成为, 成本, 成立...) and 一成不变.
# A number joined by a hyphen to the ends of a would-be range (three-nought-four; not 2-3-million).
_CHAIN_DIGIT_WORDS = r"(?i:zero|nought|oh|one|two|three|four|five|six|seven|eight|nine)"
_CHAIN_BEFORE_RE = re.compile(rf"(?:[0-9]|(?<![A-Za-z]){_CHAIN_DIGIT_WORDS})[-–—]\Z")
_CHAIN_AFTER_RE = re.compile(rf"[-–—](?:[0-9]|{_CHAIN_DIGIT_WORDS}(?![A-Za-z]))")
_TENTHS_RE = re.compile(
    r"[ ]?(?:成(?![为功本立员交果绩长都熟年型效品分就全千百万亿倍像])|折(?![合算旧腾扣叠射]))"
    r"(?:[ ]?(?P<digit>[一二三四五六七八九1-9])(?![0-9一二三四五六七八九十百千万亿点.]))?"
)
# Two one-sided bounds that make one range: 大于10且小于20, 1000以上，1500以下.
_BOUNDS_GAP_RE = re.compile(r"[ \t]*(?:且|并且?|而且|而|但|的同时|同时|,|，|、|(?i:and|but))?[ \t]*")
_MIXED_FRACTION_RE = re.compile(r"[ \t]+([0-9]{1,2})/([0-9]{1,3})(?![0-9/.])")
_AND_GAP_RE = re.compile(r"[ \t]*(?:和|与|(?i:and))[ \t]*")
_ZH_CHANGE_GAP_RE = re.compile(
    r"[ \t]*(?:大幅|逐步|逐渐|持续|进一步|急剧|骤|猛|锐|大|暴)?"
    r"(?:下降|下跌|下滑|下调|上升|上涨|上调|增长|增加|减少|降低|提高|提升|扩大|缩小|缩减|削减|攀升|回落|跌|涨|降|增|减|升|提)"
    r"了?(?:至|到|为)[ \t]*"
    r"|[ \t]*(?:变为|变成|改为)[ \t]*"
)

# After 打, these make it the verb (三打白骨精 stays; 五打一, 三打两胜): not a dozen.
_NOT_DOZEN_AFTER = frozenset("败击了过赢算破开入进出工折车的一二两三四五六七八九十白")
# Characters right after a number that make it a date, a clock time or a name.
_NOT_AFTER_RE = re.compile(r"[月日号时点分]|世纪|届|代|期|版|周年|·[0-9]|[.:][0-9]")
_YEAR_AFTER_RE = re.compile(r"代|级|[初底末度]|[0-9]{1,2}月")
_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
    "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
_MONTH_BEFORE_RE = re.compile(rf"(?<![A-Za-z])(?:{_MONTHS})\.?[ \t]+\Z")
_MONTH_AFTER_RE = re.compile(rf"(?:st|nd|rd|th)?[ \t]+(?:of[ \t]+)?(?:{_MONTHS})(?![A-Za-z])")
_CLOCK_RE = re.compile(r"[ \t]*(?:[ap]\.m\.|(?i:[ap]m)(?![A-Za-z]))")
# 半 after a unit adds a half (一吨半, 两米半, 三个半月); not 半价, 半决赛, 半岛.
_HALF_AFTER_UNIT_RE = re.compile(
    rf"(?<=个)半(?P<unit>月|小时|钟头|星期|礼拜)|(?<!个)半(?![{_CJK}])|(?<!个)半(?=[的左多以])"
)
_OF_RE = re.compile(r"[ \t]+of(?![A-Za-z])")
_THE_BEFORE_RE = re.compile(r"(?<![A-Za-z])[Tt]he[ \t]+\Z")
_WORD_AFTER_RE = re.compile(r"[ \t]*[A-Za-z]")
_PLAIN_NUMBER_RE = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_ZH_DIGIT_STRING_RE = re.compile(r"[零〇一二两三四五六七八九]{2,}")
_ZH_TRAILING_SCALE_RE = re.compile(r"(.+?)[ ]*([万亿兆]+)")
_EN_SPLIT_RE = re.compile(r"[\s-]+")
_SENTENCE_END_RE = re.compile(r"[.;!?\n。；！？]\s")
# A lone digit that stands as a number: 答案不是四而是五, 这不是五这是…: after 是, before 而/这/the end.
_LONE_DIGIT_RE = re.compile(r"是[二三四五六七八九](?:[而这，。,.；;！？!?\s]|\Z)|是[二三四五六七八九]\Z")
_NOT_A_MEASURE_RE = re.compile(r"0[0-9]+|1[3-9][0-9]{9}")  # 01, 007, a Chinese mobile number
# A long unformatted digit string is an id or phone number only when something says so; otherwise
# it is a number (a census's 1411778724, a debt's -123456789101231). Formatted phone numbers
# (555-123-4567, +98 21 …) never reach here: _BLOCKED_RE takes them whole.
_EQUALS_BEFORE_RE = re.compile(r"(?:等于|(?i:(?<![A-Za-z])equal(?:s|ing|ling|led|ed)?(?:[ \t]+to)?)|=)[ \t]*\Z")
_LONG_DIGITS_RE = re.compile(r"[0-9]{7,}")
_ID_CUE_RE = re.compile(
    r"(?i:(?<![A-Za-z])(?:phone|tel|telephone|call|fax|mobile|cell|hotline|whatsapp|number|no|nr|id|code|account"
    r"|card|isbn|issn|imei|iban|zip|postcode|serial|order|ticket|case|tracking|reference|ref|pin)s?)"
    r"[ \t]*(?:[.:#：]|is|was|of|at|on)?[ \t]*[.:#：]?[ \t]*\Z"
    r"|(?:电话|手机|热线|号码|编号|账号|帐号|卡号|代码|邮编|证号|单号|传真|拨打|致电|尾号|号)[ \t]*[:：为是]?[ \t]*\Z"
    r"|[#№]\Z"
)
_PLACE_UNITS = frozenset(("mile", "kilometer", "meter", "foot", "nautical_mile"))
_PLACE_NOUN_RE = re.compile(
    r"[ \t]+(?:Road|Rd|Street|Avenue|Lane|Drive|Highway|Island|Creek|River|Beach|Bridge|Lake|Bay|Point|Run|Hill"
    r"|Reef|Camp|Station|Canyon|Pond|Corner)(?![A-Za-z])"
)
_CAPITALISED_WORD_RE = re.compile(r"[ \t]*-?[ \t]*(?P<word>[A-Z][a-z]{2,})(?![A-Za-z])")
_SENTENCE_BOUNDARY_RE = re.compile(r"[.!?](?=[ \t]+[A-Z\"'“‘])|[。！？\n]")  # not the dot of U.S. in
_LONG_WORD_RE = re.compile(r"(?<![A-Za-z])[A-Za-z]{4,}(?![A-Za-z])")
_NEXT_WORD_RE = re.compile(r"[ \t]+[A-Za-z]+")
_PLURAL_RE = re.compile(r"[ \t]+(?P<noun>[a-z][a-z-]*[a-z])(?![A-Za-z])")
_ITEM_RE = re.compile(rf"[{_CJK}]+")
# A change verb right after the classifier is not an item (从19000台减少至6000台).
_ZH_CHANGE_VERB_RE = re.compile(
    r"下降|下跌|下滑|下调|上升|上涨|上调|增长|增加|减少|降低|提高|提升|扩大|缩小|缩减|削减|攀升|回落|[跌涨降增减升]至"
)
# Dates and phone numbers whose parts would otherwise read as numbers: 2025-05-22,
# 2025/5/22, 2025.05.22, 5/22/2025, 2025-05, +98 21 1234 5678, 010-12345678, 555-123-4567.
_BLOCKED_RE = re.compile(
    r"(?=[0-9+])(?<![0-9])(?:[0-9]{4}[-/.][0-9]{1,2}[-/.][0-9]{1,2}|[0-9]{1,2}/[0-9]{1,2}/[0-9]{2,4}"
    r"|(?:1[0-9]|20)[0-9]{2}-[0-9]{2}(?![0-9%])"
    r"|\+[0-9]{1,3}(?:[ -]?\(?[0-9]{1,4}\)?){2,}"
    r"|[0-9]{3,4}-[0-9]{7,8}|[0-9]{3}-[0-9]{3}-[0-9]{4})(?![0-9])"
)


# Every _HEAD_RE match starts with one of _HEAD_FIRST. Characters outside ASCII and CJK
# ideographs may normalise into one (full-width digits and letters); the common Chinese
# punctuation does not. A sentence with neither (about half of Chinese sentences) has no
# quantity, and is passed over without normalising and scanning it.
_MAY_HOLD_NUMBER = re.compile(f"{_HEAD_PAIRS}|對摺|對折|[{_HEAD_FIRST}壹贰貳叁叄參肆伍陆陸柒捌玖拾佰仟萬億兩廿卅零〇]"
                              "|[^\\x00-\\x7f\u4e00-\u9fff，。：；（）？！“”‘’《》、—…·]")


# --- normalisation and numeral parsing --------------------------------------------


class _NFKCTable(dict):
    """``str.translate`` table: each character to its NFKC form when that is one character.

    Filled lazily, so translate runs in C and Python is called once per new character.
    """

    def __missing__(self, code: int) -> int:
        mapped = unicodedata.normalize("NFKC", chr(code))
        one = ord(mapped) if len(mapped) == 1 else code  # ℃ → °C would move offsets
        self[code] = script_table()[one]  # 萬 → 万, 壹 → 一 (numerals.script_table)
        return self[code]


# The full-width comma stays: 20，300 is two numbers in Chinese text, not 20,300.
_NFKC = _NFKCTable({0x2212: ord("-"), 0x2010: ord("-"), 0x2011: ord("-"), 0x3000: ord(" "), 0xFF0C: 0xFF0C})


# A full-width comma between full-width digits, three after it: a thousands separator (４，５６５),
# not the list comma of 3，5，7 in half-width digits.
_FULL_WIDTH_GROUP_RE = re.compile("(?<=[０-９])，(?=[０-９]{3}(?![０-９]))")


def _normalise(text: str) -> str:
    """NFKC one character at a time, so offsets into the result are offsets into ``text``."""
    if text.isascii():
        return text
    norm = fix_financial(text.translate(_NFKC))
    if "，" in norm and _FULL_WIDTH_GROUP_RE.search(text):
        norm = "".join("," if m else c for c, m in zip(norm, _full_width_groups(text)))
    return norm


def _full_width_groups(text: str) -> list[bool]:
    marks = [False] * len(text)
    for m in _FULL_WIDTH_GROUP_RE.finditer(text):
        marks[m.start()] = True
    return marks


@lru_cache(maxsize=8192)
def _cn(s: str) -> Decimal | None:
    """Value of a Chinese (or mixed) numeral, or None if it is not a well-formed number."""
    if s in _ZH_DIGIT_VALUES:
        return Decimal(_ZH_DIGIT_VALUES[s])
    if s in _ZH_SCALES:  # 百分之百, 千分之五
        return Decimal(_ZH_SCALES[s])
    if _PLAIN_NUMBER_RE.fullmatch(s):
        return Decimal(s)
    # 三四, 一两, 二〇一九: strings of digits are vague or years, not numbers.
    if _ZH_DIGIT_STRING_RE.fullmatch(s.replace(" ", "")):
        return None
    return zh_value(s)


def _split_zh(s: str) -> tuple[Decimal | None, Decimal]:
    """二百五十万 → (250, 10000): mantissa and trailing 万/亿 scale (for ranges: 两到三万)."""
    m = _ZH_TRAILING_SCALE_RE.fullmatch(s)
    # 四十五亿零四百零四万 is one numeral: its 万 is not a scale over the 亿 before it.
    if m and not any(_ZH_SCALES[c] >= _zh_scale(m.group(2)) for c in m.group(1) if c in "万亿兆"):
        mantissa = _cn(m.group(1))
        if mantissa is not None:
            return mantissa, _zh_scale(m.group(2))
    return _cn(s), Decimal(1)


def _zh_scale(s: str) -> Decimal:
    scale = Decimal(1)
    for c in s:
        if c in _ZH_SCALES:
            scale *= _ZH_SCALES[c]
    return scale


def _en_value(s: str) -> Decimal:
    total = 0
    for token in _EN_SPLIT_RE.split(s.lower()):
        if not token:
            continue
        if token == "hundred":
            total = (total or 1) * 100
        elif token != "and":
            total += _EN_VALUES[token]
    return Decimal(total)


_POWER_RE = re.compile(r"(?P<base>[^e^x×]+)(?:[eE](?P<exp>[+-]?[0-9]+)|\^(?P<sign>[+-]*)(?P<pow>[0-9]+)"
                       r"|[ ]?[x×][ ]?10\^(?P<exp10>[+-]?[0-9]+))")


_SPACED_RE = re.compile(_AR_SPACED)


def _ar_value(s: str) -> Decimal:
    """130,000 → 130000; 2e5, 1.3x10^6 (scientific notation) and 1.1^23 (a power) computed."""
    s = s.replace(",", "").strip()
    if " " in s and _SPACED_RE.fullmatch(s):
        s = s.replace(" ", "")  # 40 000
    m = _POWER_RE.fullmatch(s)
    if m is None:
        return Decimal(s)
    base = Decimal(m.group("base").strip())
    if m.group("pow") is not None:  # 2^-1; RT-style "^--23" is a plain exponent
        exponent = int(m.group("pow")) * (-1 if m.group("sign") == "-" else 1)
        return Decimal(repr(float(base) ** exponent))
    return base.scaleb(int(m.group("exp") or m.group("exp10")))


# --- atoms: one number with everything attached to it -----------------------------


@dataclass(slots=True)
class _Atom:
    start: int  # span start, prefixes included
    end: int  # span end, unit, rate and postfix words included
    num_start: int
    num_end: int
    source: str  # "ar", "zh", "en", or "fixed" (percent/fraction forms with their own unit)
    mantissa: Decimal | None = None
    scale: Decimal = Decimal(1)
    fixed: float | None = None  # value of a fraction (2/3 must be exactly 2/3 as a float)
    unit: str | None = None
    currency_prefix: bool = False
    per: str | None = None
    comparator: str | None = None
    approximate: bool = False
    item: str | None = None
    plural_count: bool = False  # English "19,000 centrifuges"
    article_one: bool = False  # 一 / one, which with a 量词 is an article, not a count
    temperature: str | None = None  # 华氏温度98.6度: the scale said before the number
    mixed: bool = False  # digits with Chinese scales (1千零1), never a year
    grouped: bool = False  # digits grouped by commas (1,500), never a year
    subunit: bool = False  # cents, pence, 美分: hundredths of the currency in ``unit``

    @property
    def value(self) -> float | None:
        if self.fixed is not None:
            return self.fixed
        if self.mantissa is None:
            return None
        return float(self.mantissa * self.scale)

    @property
    def year_like(self) -> bool:
        return (
            self.source == "ar"
            and self.scale == 1
            and not self.mixed
            and not self.grouped
            and self.mantissa is not None
            and self.mantissa == self.mantissa.to_integral_value()
            and 1000 <= self.mantissa <= 2100
        )


def _set_comparator(atom: _Atom, info: tuple[str | None, bool]) -> None:
    comparator, approximate = info
    if comparator and not atom.comparator:
        atom.comparator = comparator
    atom.approximate = atom.approximate or approximate


def _at(s: str, i: int) -> str:
    """The character at ``i``, or a space outside the string (so ``in`` tests stay safe)."""
    return s[i] if 0 <= i < len(s) else " "


def _denominator_value(denominator: str) -> int:
    """fifths → 5, twenty-firsts → 21, hundredth → 100."""
    parts = denominator.split("-")
    if len(parts) == 2:  # twenty-first
        return _EN_VALUES[parts[0]] + _EN_ORDINALS[parts[1].removesuffix("s")]
    return _EN_DENOMINATORS[denominator if denominator in _EN_DENOMINATORS else denominator[:-1]]


def _read_head(norm: str, m: re.Match) -> _Atom | None:
    """The number itself; None when the head is a name, date part or vague numeral."""
    kind = m.lastgroup
    s, e = m.span()
    prev, prev2 = _at(norm, s - 1), _at(norm, s - 2)
    atom = _Atom(s, e, s, e, "fixed")
    if kind == "pct":
        atom.mantissa = _cn(m.group("pct_n").replace(",", ""))
        if atom.mantissa is None:
            return None
        if m.group("pct_k"):
            atom.mantissa *= 1000  # 百分之3.2k
        atom.unit = "percent"
    elif kind == "fzh":
        num, den = _cn(m.group("fzh_n")), _cn(m.group("fzh_d"))
        if num is None or not den:
            return None
        if m.group("fzh_neg"):
            num = -num  # 三分之负一
        if den >= 100 and all(c in "十百千万亿" for c in m.group("fzh_d")):
            atom.fixed, atom.unit = float(num) / float(den) * 100, "percent"  # 千分之五 = 0.5%, 百 分 之2.4
        else:
            atom.fixed, atom.unit = float(num) / float(den), "fraction"
    elif kind == "slash":
        a, b = int(m.group("sl_a")), int(m.group("sl_b"))
        # Only proper fractions with small denominators: 9/11, 4/12, 24/7 are dates or names.
        if m.group("sl_c") or not (0 < a < b <= 10) or (prev.isascii() and prev.isalnum()) or prev in "/.":
            return None
        if e < len(norm) and (norm[e].isascii() and norm[e].isalnum() or norm[e] in "/."):
            return None
        atom.fixed, atom.unit = a / b, "fraction"
    elif kind == "fold":
        atom.mantissa = _en_value(m.group("fold_w"))
        atom.unit = "times"
    elif kind == "fen":
        numerator, denominator = m.group("fen_n").lower(), m.group("fen_d").lower()
        if _THE_BEFORE_RE.search(norm, max(0, s - 5), s):
            return None  # "the one hundredth", "the twenty third"
        if numerator in ("a", "an", "one") and not (
            _OF_RE.match(norm, e)  # a third of
            or norm[max(0, s - 4) : s].lower() == "and "  # two and a half
            or _EN_SCALE_RE.match(norm, e)  # a quarter million
            or not _WORD_AFTER_RE.match(norm, e)  # "a half", at the end of a clause
        ):
            return None  # "a third round", "one fifth grader": an ordinal
        parts_value = _denominator_value(denominator)
        scale_after = _EN_SCALE_RE.match(norm, e)
        if scale_after and not scale_after.group("cur"):
            atom.source = "en"  # three quarters billion
            atom.mantissa = _en_value(numerator) / Decimal(parts_value)
        else:
            atom.fixed, atom.unit = float(_en_value(numerator)) / parts_value, "fraction"
    elif kind == "vulgar":  # ½ teaspoon: a number that takes a unit
        atom.fixed = unicodedata.numeric(m.group())
    elif kind == "halfoff":
        atom.mantissa, atom.unit = Decimal(50 if m.group().startswith("对") else 5), "percent"
    elif kind == "hscale":  # half a million, quarter million
        atom.source = "en"
        atom.mantissa = Decimal("0.5") if m.group("hs_w").lower() == "half" else Decimal("0.25")
    elif kind == "ar":
        if prev.isascii() and (prev.isalpha() or prev == "_") and not _ISO_GLUED_RE.search(norm, max(0, s - 4), s):
            return None  # G7, A380; but USD115 is money
        if (
            prev in "-+"
            and prev2.isascii()
            and (prev2.isalpha() or (prev == "+" and prev2.isalnum()))
            and not (prev2 in "kKmMbB" and _at(norm, s - 3).isdigit())  # 5k-20k
        ):
            return None  # F-35, COVID-19, P5+1
        if prev in ".:·" and prev2.isdigit():
            return None  # 3.5.1, 12:30, 9·11
        if prev == "第":
            return None
        atom.source, atom.mantissa = "ar", _ar_value(m.group())
        digits = m.group()
        atom.grouped = "," in digits or (" " in digits and bool(_SPACED_RE.fullmatch(digits)))
        if prev == "-" and prev2 in " \t\n(（:：,，、":
            atom.mantissa, atom.start, atom.num_start = -atom.mantissa, s - 1, s - 1
    elif kind == "zh":
        text = m.group()
        if prev in "第这那每同哪周几数" or norm[max(0, s - 2) : s] in ("星期", "礼拜"):
            return None
        if prev in "一二两三四五六七八九" and len(text) == 1:
            return None  # 一两天, 三四年: a string of digits is vague
        ji = _JI_SCALE_RE.match(norm, e) if _at(norm, e) == "几" else None
        if ji and not (text[-1] in "十百千零" and ji.group("s1")):
            return None  # 十几: vague; 二十几万 is read (_read_scale)
        atom.source = "zh"
        atom.mantissa, atom.scale = _split_zh(text)
        if atom.mantissa is None and _at(norm, e) == "折" and re.fullmatch("[一二三四五六七八九]{2}", text):
            atom.mantissa = Decimal(f"{_ZH_DIGIT_VALUES[text[0]]}.{_ZH_DIGIT_VALUES[text[1]]}")  # 五五折 = 5.5折
        if atom.mantissa is None:
            return None
        atom.article_one = text == "一"
    else:  # en
        atom.source = "en"
        atom.mantissa = _en_value(m.group())
        atom.article_one = m.group().lower() in ("one", "a", "an")
    return atom


def _prefix_before(norm: str, lower: int, start: int) -> re.Match | None:
    """``_PREFIX_RE.search(norm, max(lower, start - 32), start)``, searching only where a
    prefix word can be: the search tries every alternative at every position."""
    window = max(lower, start - 32)
    before = norm[window:start].rstrip(" \t")
    if not before:
        return None
    if _PREFIX_LONGEST_BY_LAST is None:
        longest = _PREFIX_LONGEST
    elif (longest := _PREFIX_LONGEST_BY_LAST.get(before[-1], 0)) == 0:
        return None
    return _PREFIX_RE.search(norm, max(window, window + len(before) - longest), start)


def _read_prefixes(norm: str, atom: _Atom, lower: int, lang: str) -> None:
    """Extend ``atom`` leftwards over currency signs, rate words, comparators and approximations."""
    start = atom.start
    seen_currency = False
    while start > lower:
        m = _prefix_before(norm, lower, start)
        if not m:
            break
        group = m.lastgroup
        assert group is not None  # every alternative of _PREFIX_RE is a named group
        word = m.group(group).strip()
        if group == "cur":
            if seen_currency:
                break
            seen_currency = True
            if atom.unit is None:  # not over 百分之 or a fraction
                atom.unit, atom.currency_prefix = CURRENCY_PREFIXES[word], True
                if word in SCALED_CURRENCIES:
                    atom.scale *= SCALED_CURRENCIES[word][1]  # MAUD 60
                if word == "¥" and lang == "en":
                    atom.unit = "JPY"
        elif m.lastgroup == "rate":
            atom.per = atom.per or PER_PREFIXES[word]
        elif m.lastgroup == "temp":
            atom.temperature = "degree_Fahrenheit" if word.startswith("华") else "degree_Celsius"
        elif m.lastgroup == "neg":
            atom.article_one = False  # negative one
            if atom.mantissa is not None:
                atom.mantissa = -abs(atom.mantissa)
            elif atom.fixed is not None:
                atom.fixed = -atom.fixed  # 负二分之一; 负三分之负一 is positive
        else:
            # "150~500": a tilde right after the previous number is a range sign, not "about".
            if word == "~" and lower > 0 and not norm[lower : m.start()].strip():
                break
            _set_comparator(atom, PREFIX_WORDS[word.lower()])
        start = m.start()
    atom.start = start
    if atom.comparator is None:
        gap = _CAP_GAP_RE.search(norm, max(lower, start - 20), start)
        if gap:  # 上限仍为3.67%: the cap is two characters away
            atom.comparator = "<="


def _read_scale(norm: str, atom: _Atom, pos: int) -> int:
    """Chinese 万/亿 tails and English million/bn (m/b/k after a currency sign only)."""
    if atom.source == "ar" and atom.mantissa is not None and atom.mantissa == atom.mantissa.to_integral_value():
        if _at(norm, pos) in _VULGAR:  # 2½ cups
            sign = -1 if atom.mantissa < 0 else 1
            atom.mantissa += sign * Decimal(repr(unicodedata.numeric(norm[pos])))
            return pos + 1
        mixed = _MIXED_FRACTION_RE.match(norm, pos)
        if mixed and 0 < int(mixed.group(1)) < int(mixed.group(2)) <= 100:
            sign = -1 if atom.mantissa < 0 else 1  # 10 1/2 miles
            atom.mantissa += sign * Decimal(mixed.group(1)) / Decimal(mixed.group(2))
            return mixed.end()
    if atom.source == "zh" and _at(norm, pos) in "几 ":
        ji = _JI_SCALE_RE.match(norm, pos)
        if ji and (ji.group("s1") or ji.group("s2")):
            _set_comparator(atom, (">", True))
            atom.scale *= _zh_scale(ji.group("s1")) * _zh_scale(ji.group("s2") or "")
            return ji.end()
    if atom.source in ("ar", "zh"):
        m = _ZH_TAIL_RE.match(norm, pos)
        if m:
            if m.group("duo"):
                _set_comparator(atom, (">", True))
            if atom.source == "ar" and m.group("scale")[-1] in "万亿千百":
                cont = _ZH_CONT_RE.match(norm, m.end())
                if cont and not m.group("duo"):  # 1万2千, 1亿2000万
                    whole = _cn(norm[atom.num_start : cont.end()].replace(",", ""))
                    if whole is not None:
                        atom.mantissa, atom.scale, atom.mixed = whole, Decimal(1), True
                        return cont.end()
            atom.scale *= _zh_scale(m.group("scale"))
            return m.end()
    if atom.source == "en" and atom.mantissa is not None:
        point = _EN_POINT_RE.match(norm, pos)
        if point:
            digits = "".join(str(_en_value(w)) for w in point.group("digits").split())
            atom.mantissa += Decimal("0." + digits) * (-1 if atom.mantissa < 0 else 1)
            atom.article_one = False
            return point.end()
    if atom.source in ("ar", "en"):
        m = _EN_SCALE_RE.match(norm, pos)
        cur = m.group("cur") if m else None
        million_m = (
            m is not None and cur == "m" and atom.source == "ar" and bool(_M_BEFORE_PLURAL_RE.match(norm, m.end()))
        )
        # €10M, 2.4M euros, 1.2B, 5M people: capital M and B are millions and billions after a currency
        # sign, before a currency or a plural noun, or on a decimal; not the 3M company or a 5B pencil.
        capital = m is not None and cur in ("M", "B") and atom.source == "ar" and (
            atom.currency_prefix
            or _CURRENCY_AFTER_RE.match(norm, m.end()) is not None
            or "." in norm[atom.num_start : pos]
            or (_M_BEFORE_PLURAL_RE.match(norm, m.end()) is not None and norm[atom.num_start : m.end()] != "3M")
        )
        if m and (
            (cur is None or atom.currency_prefix or (atom.source == "ar" and cur in "kKb") or million_m)
            and cur not in ("M", "B") or capital
        ):
            # $3.5m; 10k and 1.2b without a sign; 1m people; but 3m stays three metres
            word = (m.group("word") or m.group("abbr") or cur or m.group("kilo")).strip().lower()
            atom.scale *= _EN_SCALES[word]
            pos = m.end()
            while m.group("word") and (m := _EN_SCALE_RE.match(norm, pos)) and m.group("word"):
                atom.scale *= _EN_SCALES[m.group("word").strip().lower()]  # three lakh crore
                pos = m.end()
            return pos
    return pos


def _read_item(norm: str, pos: int) -> str | None:
    m = _ITEM_RE.match(norm, pos)
    if not m:
        return None
    run = m.group()
    for i, c in enumerate(run):
        if c in _ITEM_STOPS:
            run = run[: i - 1] if i and run[i - 1 : i + 1] in _ITEM_STOP_WORDS else run[:i]
            break
    verb = _ZH_CHANGE_VERB_RE.search(run)
    if verb:
        run = run[: verb.start()]
    return run if 1 <= len(run) <= 6 else None


def _read_unit(norm: str, atom: _Atom, pos: int, lang: str) -> int | None:
    """Unit, counted item, rate and postfix words; returns the span end, or None to drop."""
    n = len(norm)
    if pos < n and norm[pos] in "多余" and norm[pos + 1 : pos + 2] != "少":
        _set_comparator(atom, (">", True))  # 100多人, 300余人
        pos += 1
    if atom.unit is None and atom.source in ("ar", "zh") and atom.scale == 1 and atom.mantissa is not None:
        tenths = _TENTHS_RE.match(norm, pos)
        if tenths and 0 < atom.mantissa <= 10:  # 三成 = 30%, 八五折 = 85%, 七成六 = 76%
            atom.mantissa *= 10
            if tenths.group("digit"):
                atom.mantissa += _cn(tenths.group("digit")) or 0
            atom.unit = "percent"
            return tenths.end()
    if (
        atom.unit is None
        and _at(norm, pos) == "两"
        and (_at(norm, pos - 1) in "十百千万亿0123456789" or any(c in "十百千万亿" for c in norm[atom.num_start : pos]))
    ):
        atom.unit = "liang"  # 三十两, 十二两, 1234两, 两万两: 两 after a number is the weight (50 g)
        return pos + 1
    if atom.unit is None and atom.source in ("zh", "ar") and atom.scale == 1 and atom.mantissa is not None:
        if atom.source == "zh" and _at(norm, pos) == "打" and _at(norm, pos + 1) not in _NOT_DOZEN_AFTER:
            atom.mantissa *= 12  # 十打苹果: ten dozen
            atom.unit, atom.article_one = "count", False
            atom.item = _read_item(norm, pos + 1)
            return pos + 1
        if _at(norm, pos) == "块" and not _is_cjk(_at(norm, pos + 1)):
            atom.unit = "CNY"  # 花了三块。: 块 alone after a number is yuan; 三块石头 is a count
            return pos + 1
    if atom.temperature and _at(norm, pos) == "度":
        atom.unit = atom.temperature  # 华氏温度98.6度
        pos += 1
    m = _UNIT_RE.match(norm, pos)
    if atom.unit is None and atom.source in ("ar", "en") and _at(norm, pos) in " \t" and not (m and m.end() > pos):
        comparative = _UNIT_COMPARATIVE_RE.match(norm, pos)  # 300,000 fewer barrels per day, two more years
        if comparative:
            unit_after = _UNIT_RE.match(norm, comparative.end())
            if unit_after and (unit_after.group("word") or unit_after.group("abbr")) and unit_after.group("sep"):
                m = unit_after
    unit_m = m if m and (m.group("cjk") or m.group("word") or m.group("abbr")) else None
    if unit_m and unit_m.group("sep") == "-" and unit_m.group("cjk"):
        unit_m = None
    if unit_m:
        surface = unit_m.group("cjk") or unit_m.group("word") or unit_m.group("abbr")
        after = unit_m.end()
        if surface in COMPOUND_UNITS:
            unit, per = COMPOUND_UNITS[surface]
        else:
            unit, per = _SUFFIX_UNITS.get(surface) or _UNITS_FOLDED[surface.lower()], None
        if surface == "个" and norm[after : after + 1] == "多":  # 5个多月: 个月 with 多 inside
            longer = _UNIT_RE.match("个" + norm[after + 1 : after + 4])
            if longer and longer.group("cjk") not in (None, "个"):
                surface, unit = longer.group("cjk"), _SUFFIX_UNITS[longer.group("cjk")]
                after += longer.end()
                _set_comparator(atom, (">", True))
        half = _HALF_AFTER_UNIT_RE.match(norm, after)
        if half and atom.scale == 1 and atom.mantissa is not None and atom.mantissa == int(atom.mantissa):
            if half.group("unit"):  # 三个半月, 2个半小时
                surface = "个" + half.group("unit")
                unit = _SUFFIX_UNITS[surface]
            atom.mantissa += Decimal("0.5") if atom.mantissa >= 0 else Decimal("-0.5")  # 一吨半, 两米半
            after = half.end()
        if surface == "年":
            if _YEAR_AFTER_RE.match(norm, after) or atom.year_like:
                return None  # 2019年, 50年代, 25年4月, 3年级
        if surface == "周" and norm[after : after + 1] == "年":
            return None  # 70周年
        if atom.currency_prefix:
            # 人民币500亿元: the suffix repeats the currency; $30 a barrel: keep the sign's unit.
            if unit in CURRENCY_UNITS:
                atom.unit = unit
                pos = after
        elif atom.unit is None:
            if unit == "pound" and atom.scale > 1:
                unit = "GBP"  # "3 billion pounds"
            if unit == "CNY" and surface == "¥" and lang == "en":
                unit = "JPY"
            sub = CURRENCY_SUBUNITS.get(surface) or CURRENCY_SUBUNITS.get(surface.lower())
            if sub:  # 470 pence = 4.70 GBP
                atom.scale *= Decimal(repr(sub[1]))
                atom.subunit = True
            if surface in SCALED_CURRENCIES:
                atom.scale *= SCALED_CURRENCIES[surface][1]  # 120 MEUR
            scaled = SCALED_UNITS.get(surface) or SCALED_UNITS.get(surface.lower())
            if scaled:  # 25 basis points = 0.25 percentage_point
                atom.scale *= Decimal(repr(scaled[1]))
            atom.unit = unit
            atom.per = atom.per or per
            pos = after
            if unit in CURRENCY_UNITS and atom.scale == 1:
                late_scale = _EN_SCALE_RE.match(norm, pos)
                if late_scale and late_scale.group("word"):  # 75 USD million
                    atom.scale *= _EN_SCALES[late_scale.group("word").strip().lower()]
                    pos = late_scale.end()
            if surface in CLASSIFIERS:
                atom.item = _read_item(norm, pos)
    elif atom.unit is None and atom.source in ("ar", "zh", "en"):
        den = _EN_DENOMINATOR_AFTER_RE.match(norm, pos) if atom.source == "en" else None
        if den and atom.mantissa:  # one hundred thirty-two fifths, a hundred thousand trillionths
            atom.fixed = float(atom.mantissa * atom.scale) / _denominator_value(den.group("den").lower())
            atom.unit, atom.article_one, atom.source, atom.scale = "fraction", False, "fixed", Decimal(1)
            return den.end()
        if pos < n and norm[pos].isascii() and norm[pos].isalpha():
            return None  # 5G, 737MAX, 3rd, 1950s, 10am
        if _NOT_AFTER_RE.match(norm, pos):
            return None  # 9月, 12日, 10时, 21世纪, 3.5.1, 12:30
        if (
            atom.source == "ar"
            and norm[pos : pos + 1] == "后"
            and atom.num_end - atom.num_start == 2
            and norm[atom.num_end - 1] == "0"
        ):
            return None  # 90后 (a generation)
        if atom.source != "zh" and not atom.currency_prefix:
            plural = _PLURAL_RE.match(norm, pos)
            if plural and _is_plural(plural.group("noun")):
                # "19,000 centrifuges": a count; the noun is the item, not part of the span.
                atom.unit, atom.item, atom.plural_count = "count", plural.group("noun"), True
                return pos
    # Rate.
    if atom.unit == "oil_barrel":
        of_oil = _OF_OIL_RE.match(norm, pos)
        if of_oil and _PER_SUFFIX_RE.match(norm, of_oil.end()):
            pos = of_oil.end()
    rate = _PER_SUFFIX_RE.match(norm, pos)
    if rate:
        if rate.group("slash"):
            atom.per = PER_SUFFIXES["/" + rate.group("slash")]
        else:
            word = rate.group("cjk") or rate.group("word")
            atom.per = PER_SUFFIXES.get(word) or PER_SUFFIXES[word.lower()]
        pos = rate.end()
    # Postfix comparators and approximations.
    if atom.unit in DURATION_UNITS and _at(norm, pos) == "多" and _at(norm, pos + 1) not in "少样种次数久":
        _set_comparator(atom, (">", True))  # 两年多
        pos += 1
    post = _POSTFIX_RE.match(norm, pos)
    if post:
        word = post.group("cjk") or post.group("word")
        if not (word == "上下" and _at(norm, post.end()) in "班楼课车山级文"):
            _set_comparator(atom, POSTFIX_WORDS[word.lower()])
            pos = post.end()
    return pos


def _is_plural(noun: str) -> bool:
    if noun in _IRREGULAR_PLURALS:
        return True
    return (
        len(noun) >= 3
        and noun.endswith("s")
        and not noun.endswith(("ss", "us", "is"))
        and noun not in _NOT_PLURAL
    )


def _measure_follows(norm: str, pos: int) -> bool:
    """A physical or time unit right after ``pos``."""
    u = _UNIT_RE.match(norm, pos)
    if not u or not (u.group("cjk") or u.group("word") or u.group("abbr")):
        return False
    name = u.group("cjk") or u.group("abbr") or u.group("word")
    canonical = _SUFFIX_UNITS.get(name) or _UNITS_FOLDED.get(name.lower())
    return UNIT_KINDS.get(canonical or "") in ("physical", "duration")


def _scan(norm: str, lang: str) -> list[_Atom]:
    atoms: list[_Atom] = []
    dates = None  # found with the first number: most sentences have none
    pos = lower = 0
    while True:
        m = _HEAD_RE.search(norm, pos)
        if not m:
            return atoms
        if dates is None:
            dates = [d.span() for d in _BLOCKED_RE.finditer(norm)]
        while dates and dates[0][1] <= m.start():
            dates.pop(0)
        if dates and dates[0][0] <= m.start():
            pos = dates[0][1]
            continue
        atom = _read_head(norm, m)
        if atom is None:
            pos = m.end()
            continue
        _read_prefixes(norm, atom, lower, lang)
        end = _read_scale(norm, atom, m.end())
        if m.lastgroup == "slash" and _measure_follows(norm, end):
            atom.unit = None  # a 1/4 mile oval, 3/4 cup: the fraction of a unit
        atom.num_end = end
        unit_end = _read_unit(norm, atom, end, lang)
        if unit_end is None:
            pos = m.end()
            continue
        atom.end = unit_end
        atoms.append(atom)
        pos = lower = unit_end


# --- ranges, changes and output ------------------------------------------------------


@dataclass(slots=True)
class _Range:
    start: int
    end: int
    low: _Atom
    high: _Atom
    low_value: float
    high_value: float
    unit: str | None
    per: str | None
    comparator: str | None
    approximate: bool
    item: str | None


_NOUN_FROM_RE = re.compile(r"(?<![A-Za-z])(?P<noun>[a-z][a-z-]*[a-z])[ \t]+from[ \t]+\Z")


def _counted_noun(norm: str, a: _Atom, lower: int) -> str | None:
    """The plural noun in "centrifuges from 19,000 to 6,104", which makes both numbers counts."""
    m = _NOUN_FROM_RE.search(norm, max(lower, a.start - 40), a.start)
    return m.group("noun") if m and _is_plural(m.group("noun")) else None


def _is_change_from(norm: str, a: _Atom, lower: int) -> bool:
    """True for "<change verb> ... from X to Y" (fell from 2.5 million to 130,000)."""
    m = _FROM_RE.search(norm, max(lower, a.start - 8), a.start)
    if not m:
        return False
    window = norm[max(0, m.start() - 80) : m.start()]
    window = _SENTENCE_END_RE.split(window)[-1]
    words = [w.strip(",").lower() for w in window.split()[-6:]]
    return any(w in _CHANGE_VERBS for w in words)


def _bounds(a: _Atom, b: _Atom) -> tuple[float, float] | None:
    """(low, high) when a and b are a lower and an upper bound, in either order: more than 10 and
    less than 20; at most 100 and at least 20."""
    if a.value is None or b.value is None:
        return None
    if a.comparator in (">", ">=") and b.comparator in ("<", "<=") and a.value < b.value:
        return a.value, b.value
    if a.comparator in ("<", "<=") and b.comparator in (">", ">=") and b.value < a.value:
        return b.value, a.value
    return None


def _try_range(norm: str, a: _Atom, b: _Atom, lower: int) -> _Range | Literal["drop"] | None:
    """A range from a and b, "drop" for a year range, or None when they are not a range."""
    gap = norm[a.end : b.start]
    between = None
    bounds = _bounds(a, b)
    if bounds and (a.unit == b.unit or a.unit is None or b.unit is None) and _BOUNDS_GAP_RE.fullmatch(gap):
        return _Range(a.start, b.end, a, b, *bounds, unit=a.unit or b.unit, per=b.per or a.per,
                      comparator=None, approximate=a.approximate or b.approximate, item=b.item or a.item)
    if _RANGE_GAP_RE.fullmatch(gap):
        if gap.strip().lower() == "to" and _is_change_from(norm, a, lower):
            return None
        if gap.strip().lower() in ("through", "thru") and b.year_like and not a.year_like:
            return None  # 5 through 2020 is a number and a year
        if gap.strip() in "-–—" and (
            _CHAIN_BEFORE_RE.search(norm, max(0, a.start - 8), a.start) or _CHAIN_AFTER_RE.match(norm, b.end)
        ):
            return None  # three-nought-four, 1-2-3: a chain of hyphens is a sequence, a range has two ends
    elif _AND_GAP_RE.fullmatch(gap):
        between = _BETWEEN_RE.search(norm, max(lower, a.start - 10), a.start)
        if not between and not _BETWEEN_END_RE.match(norm, b.end):
            return None
    else:
        return None
    if a.value is None or b.value is None:
        return None
    if a.unit is None and b.unit is None and a.year_like and (b.year_like or b.num_end - b.num_start == 2):
        return "drop"  # 2015-2019, 2019-20
    if not (a.unit == b.unit or a.unit is None or (b.unit is None and a.currency_prefix)):
        return None
    low = a.value
    if (
        a.scale == 1
        and b.scale > 1
        and a.fixed is None
        and a.mantissa is not None
        and b.mantissa is not None
        and a.mantissa <= b.mantissa
    ):
        low = float(a.mantissa * b.scale)  # 30至50亿, 2 to 3 million
    high = b.value
    if not low < high:
        return None
    start, end = a.start, b.end
    if between:
        start = between.start()
    tail = _BETWEEN_END_RE.match(norm, end)
    if tail:
        end = tail.end()
    return _Range(
        start,
        end,
        a,
        b,
        low,
        high,
        unit=a.unit or b.unit,
        per=b.per or a.per,
        comparator=a.comparator or b.comparator,
        approximate=a.approximate or b.approximate,
        item=b.item or a.item,
    )


def _inherit(a: _Atom, b: _Atom) -> None:
    """The first number of a change takes the unit, rate and scale of the second.

    The scale only when both mantissas are of one order of magnitude: "rose from 3 to
    5 million" is 3 million, "grew from 500 to 2 million" is 500.
    """
    if a.unit is None and b.unit is not None:
        a.unit, a.item = b.unit, b.item
        a.per = a.per or b.per
    elif a.unit == b.unit and a.per is None:
        a.per = b.per
    if (
        a.scale == 1
        and b.scale > 1
        and a.fixed is None
        and a.mantissa
        and b.mantissa
        and not a.year_like
        and Decimal("0.1") <= a.mantissa / b.mantissa <= 10
    ):
        a.scale = b.scale


_MIXED_GAP_RE = re.compile(r"[ \t]*又[ \t]*|[ \t]+(?i:and)[ \t]+")


_OUT_OF_RE = re.compile(r"[ \t]+(?i:out[ \t]+of)[ \t]+")
_IN_RE = re.compile(r"[ \t]+in[ \t]+|[ \t]*-in-[ \t]*")
_SCALE_WORD_END_RE = re.compile(r"(?i:hundred|thousand|million|billion|trillion|lakhs?|crores?)\Z")
_SCALE_GAP_RE = re.compile(r"[ \t]+(?:(?P<and>and)[ \t]+)?")


def _join_scales(norm: str, atoms: list[_Atom]) -> list[_Atom]:
    """English numbers said in parts: three thousand nine hundred and sixty five, one million two
    hundred thousand people, 4 thousand 3 hundred and 21. Each part is smaller than the scale
    before it; a part with a unit of its own joins only after "and" or with a scale (3 million 2
    years stays two quantities)."""
    out: list[_Atom] = []
    limit = Decimal(0)  # the scale the last joined part ended on: the next must be smaller
    limit_end = -1  # where the last joined number ends
    for atom in atoms:
        whole = out[-1] if out else None
        gap = _SCALE_GAP_RE.fullmatch(norm, whole.end, atom.start) if whole is not None else None
        if (
            whole is not None
            and gap
            and whole.source in ("en", "ar")
            and atom.source in ("en", "ar")
            and (whole.unit is None or whole.currency_prefix)  # $5 million 300 thousand
            and whole.fixed is None
            and atom.fixed is None
            and whole.mantissa is not None
            and atom.mantissa is not None
            and atom.start == atom.num_start  # no comparator or sign of its own
            and 0 < atom.mantissa * atom.scale < (limit if whole.end == limit_end else whole.scale)
            and (whole.end == limit_end or _SCALE_WORD_END_RE.search(norm, whole.num_start, whole.num_end))
            and (atom.unit is None or atom.scale > 1 or atom.source == "en" or gap.group("and"))
        ):
            whole.mantissa = whole.mantissa * whole.scale + atom.mantissa * atom.scale
            limit, whole.scale = atom.scale, Decimal(1)
            whole.num_end, whole.end = atom.num_end, atom.end
            whole.unit, whole.per, whole.item = atom.unit or whole.unit, atom.per, atom.item
            whole.plural_count, whole.currency_prefix = atom.plural_count, whole.currency_prefix or atom.currency_prefix
            whole.comparator = whole.comparator or atom.comparator
            whole.approximate = whole.approximate or atom.approximate
            whole.mixed, whole.article_one = True, False
            limit_end = whole.end
            continue
        limit_end = -1
        out.append(atom)
    return out


def _join_mixed(norm: str, atoms: list[_Atom], lang: str) -> list[_Atom]:
    """A whole number and a fraction: 三又三分之一, one and a half, 3 million and a half."""
    out: list[_Atom] = []
    for atom in atoms:
        whole = out[-1] if out else None
        if (
            whole is not None
            and atom.unit == "fraction"
            and atom.fixed is not None
            and 0 < atom.fixed < 1
            and whole.unit is None
            and whole.fixed is None
            and whole.mantissa is not None
            and whole.mantissa == whole.mantissa.to_integral_value()
            and _MIXED_GAP_RE.fullmatch(norm, whole.end, atom.start)
            and not _BETWEEN_RE.search(norm, max(0, whole.start - 10), whole.start)  # between 1 and 1/2
        ):
            sign = -1 if whole.mantissa < 0 else 1
            whole.fixed = sign * (abs(float(whole.mantissa)) + atom.fixed) * float(whole.scale)
            whole.end = whole.num_end = atom.end
            whole.comparator, whole.approximate = whole.comparator or atom.comparator, whole.approximate
            whole.source, whole.article_one = "fixed", False
            whole.end = _read_unit(norm, whole, whole.end, lang) or whole.end  # one and a half days
            continue
        if (
            whole is not None
            and whole.unit is None
            and atom.unit in (None, "count", "person")
            and whole.value is not None
            and atom.value
            and 0 <= whole.value <= atom.value
            and atom.start == atom.num_start
            and (
                _OUT_OF_RE.fullmatch(norm, whole.end, atom.start)
                or (
                    _IN_RE.fullmatch(norm, whole.end, atom.start)  # 1 in 5, one in a million
                    and whole.value == int(whole.value)
                    and 1 <= whole.value < 100
                    and whole.value < atom.value
                    and not atom.year_like  # 5 in 2019
                )
            )
        ):
            whole.fixed = whole.value / atom.value  # one out of three, 3 out of 10 people: a fraction
            whole.end = whole.num_end = atom.end
            whole.unit, whole.source, whole.article_one, whole.scale = "fraction", "fixed", False, Decimal(1)
            whole.item = atom.item
            continue
        if (
            whole is not None
            and whole.unit is None
            and atom.unit is None
            and whole.value is not None
            and atom.value
            and atom.comparator == ">"
            and norm[atom.start : atom.num_start].strip().lower() == "over"
            and not norm[whole.end : atom.start].strip()
        ):
            whole.fixed = whole.value / atom.value  # one over twenty, 2000 over 3: a fraction
            whole.end = whole.num_end = atom.end
            whole.unit, whole.source, whole.article_one, whole.scale = "fraction", "fixed", False, Decimal(1)
            continue
        out.append(atom)
    return out


_MONEY_GAP_RE = re.compile(r"[ \t]*(?:(?i:and)|又|零)?[ \t]*")
_CENTS_GAP_RE = re.compile(r"[ \t]+")
# 50元6角三分, 3块5毛: 角/毛 (tenths) and 分 (hundredths) right after an amount in yuan.
_JIAO_FEN_RE = re.compile(r"(?P<j>[0-9]|[一二两三四五六七八九])[角毛](?:(?P<f>[0-9]|[一二两三四五六七八九])分?)?")


def _join_money(norm: str, atoms: list[_Atom]) -> list[_Atom]:
    """One amount written in two units: thirteen dollars and forty-five cents, 两美元又三美分,
    15 dollars 50, 50元6角三分."""
    out: list[_Atom] = []
    for atom in atoms:
        whole = out[-1] if out else None
        if (
            whole is not None
            and whole.unit in CURRENCY_UNITS
            and not whole.subunit
            and whole.value is not None
            and whole.comparator is None
            and atom.value is not None
            and 0 < atom.value < 1
            and atom.subunit
            and atom.unit == whole.unit
            and _MONEY_GAP_RE.fullmatch(norm, whole.end, atom.start)
        ):
            whole.fixed, whole.end = whole.value + atom.value, atom.end  # 2 dollars and 3 cents
            continue
        if (
            whole is not None
            and whole.unit in CURRENCY_UNITS
            and not whole.currency_prefix
            and whole.scale == 1
            and whole.value is not None
            and atom.unit is None
            and atom.source in ("ar", "en")
            and atom.scale == 1
            and atom.mantissa is not None
            and atom.mantissa == int(atom.mantissa)
            and 1 <= atom.mantissa <= 99
            and _CENTS_GAP_RE.fullmatch(norm, whole.end, atom.start)
            and (atom.source == "en" or atom.num_end - atom.num_start == 2)  # 15 dollars 50, not 15 dollars 5
            and not _at(norm, atom.end).isalnum()
        ):
            whole.fixed, whole.end = whole.value + float(atom.mantissa) / 100, atom.end  # 15 dollars 50
            continue
        out.append(atom)
    joined: list[_Atom] = []
    for atom in out:
        if joined and atom.start < joined[-1].end:
            continue  # inside 50元6角三分
        if atom.unit == "CNY" and atom.scale == 1 and atom.value is not None and atom.value == int(atom.value):
            jf = _JIAO_FEN_RE.match(norm, atom.end)
            if jf:
                jiao = _cn(jf.group("j")) or 0
                fen = (_cn(jf.group("f")) or 0) if jf.group("f") else 0
                atom.fixed, atom.end = atom.value + float(jiao) / 10 + float(fen) / 100, jf.end()
        joined.append(atom)
    return joined


# "in" as inches, after the feet of one height: 5 ft 2 in, 6 feet 1 in tall; not "2 in the morning".
_INCHES_AFTER_RE = re.compile(r"[ \t]*in\.?(?=[ \t]*(?:[,.;:!?)\]]|\Z|(?:tall|long|wide|high|deep)(?![A-Za-z])))")
_MEASURE_GAP_RE = re.compile(r"[ \t]+(?:(?i:and)[ \t]+)?")
_AGED_BEFORE_RE = re.compile(r"(?<![A-Za-z])(?i:aged?)[ \t]+\Z")


@lru_cache(maxsize=256)
def _unit_factor(larger: str, smaller: str) -> float | None:
    """How many ``larger`` one ``smaller`` is (inch → foot: 1/12), by pint; None across dimensions."""
    import pint  # only when two units meet: pint takes ~0.3 s to load

    a, b = to_pint(larger), to_pint(smaller)
    if a is None or b is None:
        return None
    try:
        return float(registry().Quantity(1, b).to(a).magnitude)
    except pint.errors.DimensionalityError:
        return None


def _join_measures(norm: str, atoms: list[_Atom]) -> list[_Atom]:
    """One measure written in two units, the second smaller than one of the first: 5 feet and 2
    inches (5.1667 feet), 2 hours 30 minutes, 3 km and 500 m."""
    out: list[_Atom] = []
    for atom in atoms:
        whole = out[-1] if out else None
        if (
            whole is not None
            and whole.unit == "foot"
            and whole.value
            and whole.per is None
            and atom.unit is None
            and atom.start == atom.num_start
            and atom.value is not None
            and atom.value == int(atom.value)
            and 0 < atom.value < 12
            and _CENTS_GAP_RE.fullmatch(norm, whole.end, atom.start)
            and (inches := _INCHES_AFTER_RE.match(norm, atom.end))
        ):
            whole.fixed, whole.end = whole.value + atom.value / 12, inches.end()  # 5 ft 2 in: "in" only here
            continue
        if (
            whole is not None
            and whole.unit in _MEASURE_UNITS
            and atom.unit in _MEASURE_UNITS
            and whole.unit != atom.unit
            and whole.per is None
            and atom.per is None
            and atom.comparator is None
            and atom.start == atom.num_start
            and whole.value is not None
            and atom.value is not None
            and whole.value > 0
            and atom.value > 0
            and _MEASURE_GAP_RE.fullmatch(norm, whole.end, atom.start)
            and not _BETWEEN_RE.search(norm, max(0, whole.start - 10), whole.start)
        ):
            factor = _unit_factor(whole.unit, atom.unit)
            if factor is not None and 0 < atom.value * factor < 1:
                whole.fixed, whole.end = whole.value + atom.value * factor, atom.end
                continue
        out.append(atom)
    return out


def _is_age(norm: str, g: _Atom | _Range) -> bool:
    """A number or range of whole years after "age"/"aged": a man aged 87, workers aged 18-65."""
    if g.unit is not None or not _AGED_BEFORE_RE.search(norm, max(0, g.start - 8), g.start):
        return False
    values = [g.low_value, g.high_value] if isinstance(g, _Range) else [g.value]
    return all(v is not None and v == int(v) and 0 < v <= 130 for v in values)


def _group(norm: str, atoms: list[_Atom]) -> list[_Atom | _Range]:
    out: list[_Atom | _Range] = []
    lower = 0
    i = 0
    while i < len(atoms):
        a = atoms[i]
        b = atoms[i + 1] if i + 1 < len(atoms) else None
        if b is not None:
            r = _try_range(norm, a, b, lower)
            if r == "drop":
                i += 2
                continue
            if r is not None:
                if r.unit is None and a.source != "zh" and b.source != "zh":
                    noun = _counted_noun(norm, a, lower)
                    if noun:
                        r.unit, r.item = "count", noun
                out.append(r)
                lower = r.end
                i += 2
                continue
            gap = norm[a.end : b.start]
            is_change = _ZH_CHANGE_GAP_RE.fullmatch(gap) or (
                gap.strip().lower() == "to" and _is_change_from(norm, a, lower)
            )
            if is_change and a.unit is None and b.unit is None and a.source != "zh" and b.source != "zh":
                noun = _counted_noun(norm, a, lower)
                if noun:
                    for x in (a, b):
                        x.unit, x.item = "count", noun
            if is_change:
                _inherit(a, b)
        out.append(a)
        lower = a.end
        i += 1
    return out


def _is_numbering(norm: str, a: _Atom) -> bool:
    """01 alone on a line, 1. / 2、 / (3) / [4] list markers."""
    line_start = norm.rfind("\n", 0, a.num_start) + 1
    before = norm[line_start : a.num_start].strip()
    line_end = norm.find("\n", a.num_end)
    after = norm[a.num_end : line_end if line_end >= 0 else len(norm)]
    if not before and not after.strip():
        return bool(re.fullmatch(r"[0-9]{1,2}", norm[a.num_start : a.num_end]))  # 01 alone, not 192
    if (
        before in ("", "(", "[", "【")
        and a.num_end - a.num_start <= 2  # 1. and 12、 are list markers, 192. is a number
        and after[:1] in (".", "、", ")", "]", "】")
        and not (after[:1] == "." and after[1:2].isdigit())
    ):
        return True
    return norm[a.num_start - 1 : a.num_start] == "[" and after[:1] == "]"


def _is_name(norm: str, a: _Atom) -> bool:
    """A measure that is part of a name. Three Mile Island, the 29km Road: a length before a
    capitalised place noun. 《17 Carat》, 28 Days Later, 500 Miles: a unit word capitalised as in
    a title (units are written in lower case; Celsius and Fahrenheit are names anyway). Not in a
    headline, where every word is capitalised ("Crews Finish 29km Road", "Heat Hits 40 Degrees")."""
    if a.unit in _PLACE_UNITS and _PLACE_NOUN_RE.match(norm, a.end):
        pass
    elif UNIT_KINDS.get(a.unit or "") in ("physical", "duration") and not (a.unit or "").startswith("degree_"):
        word = _CAPITALISED_WORD_RE.match(norm, a.num_end)
        if not (word and word.group("word").lower() in _UNITS_FOLDED and word.group("word") not in UNITS):
            return False
    else:
        return False
    return not _in_headline(norm, a)


def _in_headline(norm: str, a: _Atom) -> bool:
    """Most words of four letters or more around ``a`` (its own and the next left out) are capitalised:
    "22 Countries Invaded by the U.S. in 20 Years", not "He starred in 28 Days Later"."""
    ends = [m.end() for m in _SENTENCE_BOUNDARY_RE.finditer(norm, max(0, a.start - 150), a.start)]
    left = ends[-1] if ends else max(0, a.start - 150)
    end = _SENTENCE_BOUNDARY_RE.search(norm, a.end, a.end + 150)
    right = end.start() if end else a.end + 150
    after = _NEXT_WORD_RE.match(norm, a.end)
    words = _LONG_WORD_RE.findall(norm, left, a.start) + _LONG_WORD_RE.findall(norm, after.end() if after else a.end,
                                                                               right)
    titled = sum(1 for w in words if w[0].isupper() and not w.isupper())
    return len(words) >= 2 and titled >= 0.75 * len(words)


def _reportable(norm: str, a: _Atom) -> bool:
    if _is_name(norm, a):
        return False
    if a.unit is None or a.plural_count:
        if a.source == "en" and a.unit is None and a.article_one and a.scale == 1:
            return False  # one of
        numeral = norm[a.num_start : a.num_end]
        if (
            a.source == "zh"
            and a.unit is None
            and not any(c in "百千万亿兆点" for c in numeral)
            and len(numeral.replace(" ", "")) < 2
            and (_is_cjk(_at(norm, a.num_start - 1)) or _is_cjk(_at(norm, a.num_end)))
            and not _LONE_DIGIT_RE.fullmatch(norm, max(0, a.num_start - 1), min(len(norm), a.num_end + 1))
        ):
            return False  # 一些, 统一: a lone digit inside Chinese words is not a number
        digits = norm[a.num_start : a.num_end].lstrip("-")
        equals = _EQUALS_BEFORE_RE.search(norm, max(0, a.num_start - 12), a.num_start)
        if a.year_like and not a.comparator and not equals and not (a.plural_count and (a.value or 0) < 1900):
            # in 2015, September 2019, the 2015 elections; not "more than 1535", "等于1535". Before a plural
            # noun a modern year is a year (the 2010 elections) and 1000-1899 a count (1500 residents).
            return False
        if a.unit is None:
            if _NOT_A_MEASURE_RE.fullmatch(digits):
                return False  # 01, 007, a mobile number
            if _LONG_DIGITS_RE.fullmatch(digits) and _ID_CUE_RE.search(norm, max(0, a.num_start - 24), a.num_start):
                return False  # phone number 5551234567, 订单号2024051234
            if _is_numbering(norm, a):
                return False
            if (
                a.mantissa is not None
                and a.mantissa <= 31
                and (
                    _MONTH_BEFORE_RE.search(norm, max(0, a.start - 12), a.start)
                    or _MONTH_AFTER_RE.match(norm, a.end)
                )
            ):
                return False  # April 12, 12 April
            if _CLOCK_RE.match(norm, a.end):
                return False  # 3 p.m.
    if (
        a.unit in DURATION_UNITS
        and norm[a.num_start : a.num_end] in ("一", "1")
        and _at(norm, a.num_start - 1) in "前上下后同"
        and a.value == 1  # not 前一年半
    ):
        return False  # 前一年, 上一个月, 后一天: the year (month, day) before or after, a time, not a span
    if a.article_one and a.scale == 1 and a.unit in ("count", "person"):
        return False  # 一名官员, one official
    return True


def _quantity(text: str, g: _Atom | _Range, norm: str | None = None) -> Quantity:
    value: float | None = None
    low: float | None = None
    high: float | None = None
    if isinstance(g, _Range):
        low, high = g.low_value, g.high_value
    else:
        value = g.value
    item = g.item
    if item and norm is not None and norm is not text:
        at = norm.find(item, g.end)  # the item as written (貨物), not as normalised (货物)
        if at >= 0:
            item = text[at : at + len(item)]
    return Quantity(
        text[g.start : g.end], g.start, g.end, value=value, low=low, high=high,
        unit=g.unit, per=g.per, comparator=g.comparator, approximate=g.approximate, item=item,
    )


def find_quantities(text: str, lang: str | None = None) -> list[Quantity]:
    """Quantities in ``text``, sorted by start, non-overlapping, offsets into ``text``.

    ``lang`` ("zh" or "en") is a hint: both scripts are read either way. Without it,
    text with a Chinese character is "zh" (which only decides that ¥ is CNY).
    """
    if lang is None:
        lang = "zh" if _CJK_RE.search(text or "") else "en"
    if not text or not _MAY_HOLD_NUMBER.search(text):
        return []
    norm = _normalise(text)
    out = []
    previous_end: int | None = None
    atoms = _join_mixed(norm, _join_scales(norm, _scan(norm, lang)), lang)
    for g in _group(norm, _join_measures(norm, _join_money(norm, atoms))):
        if _is_age(norm, g):
            g.unit = "year"
        after_previous = previous_end is not None and not norm[previous_end : g.start].strip()
        previous_end = g.end
        if isinstance(g, _Atom) and g.article_one and g.unit in _ONE_UNIT_NAMES and after_previous:
            continue  # $80 a barrel, 5 yuan a kilogram: the "a" of a rate, not one unit
        if isinstance(g, _Range):
            if (
                g.unit is None
                and g.low.source == "zh"
                and g.high.source == "zh"
                and not (g.low.comparator and g.high.comparator)  # 大于二十且小于三十
                and g.low.scale == g.high.scale == 1
                and not any(c in "十百千万亿点" for c in norm[g.low.num_start : g.high.num_end])
            ):
                continue  # 三到五: vague
            out.append(_quantity(text, g, norm))
        elif _reportable(norm, g):
            out.append(_quantity(text, g, norm))
    return out
