"""Find calendar time expressions in Chinese and English text.

``find_times(text, lang, published)`` returns :class:`~factcheck.records.TimeExpr`
records with offsets into ``text``, sorted and non-overlapping. It is a pure function
built on regular expressions compiled at import (no models), so it is cheap enough to
run on every sentence of a large corpus. ``lang`` is only a hint: both scripts are
always handled, because Chinese articles quote English dates and vice versa.

Values are ISO 8601 partial dates or EDTF-style strings:

==========  =====================  ==========================================
kind        value                  examples
==========  =====================  ==========================================
date        ``2025-04-12``         2025年4月12日, 2025年4月12号, 2019/9/1, 2019-09-01,
                                   April 12, 2025, 12 April 2025, 昨天, yesterday
month       ``2019-09``            2019年9月, 2019.9, 2019-09, September 2019, Sept. 2019
quarter     ``2024-Q3``            2024年第三季度, 2024年三季度, Q3 2024, 2024 Q3,
                                   the third quarter of 2024
year        ``2015``               2015年, 二〇一九年, in 2015, the 2015 deal, 去年
week        ``2025-W20``           上周, 本周, last week (ISO week of the publication date)
decade      ``195X``               20世纪50年代, 上世纪80年代, 1950年代, 50年代, the 1950s
century     ``20XX``               21世纪, 二十一世纪, the 21st century, 本世纪
==========  =====================  ==========================================

Intervals use EDTF ``/``: 2015-2018, 2015年至2018年, from 2015 to 2018, between 2015
and 2018 give ONE expression of kind "year" with value ``2015/2018``; 2019年9月至12月
gives ``2019-09/2019-12`` (the right end inherits the year), 4月12日至14日 and
April 12-14, 2025 give ``2025-04-12/2025-04-14``. Both ends must have the same kind
or no interval is formed. Openers (从, 自, from, between) are part of the span.

``qualifier`` is "start" (年初, 月初, 上旬, 初, early, the start/beginning of), "mid"
(年中, 中旬, 中叶, mid-, the middle of), "end" (年底, 年末, 月底, 下旬, 末, late, the end
of), "first_half" (上半年, 上半叶, the first half of, H1) or "second_half". "earlier
this year" / "later this year" have no qualifier. An interval has no qualifier, except
the days an English early / mid / late year, month or week is read as (Recognizers-Text's
convention: late 2023 = 2023-09-01/2023-12-31, mid-November = the 10th-20th, early next
week = Monday-Wednesday) and 上旬 / 中旬 / 下旬 (the 1st-10th, 11th-20th, 21st-end); a
bound (by the end of 2023, after the beginning of March) and Chinese 年底 / 3月初 keep
the whole period.

``relation`` comes from a trigger that is included in the span, so the span can be
prefixed to another clause to carry the time anchor:

* "by": 截至, 截止(到/至), 到 (到2030年, 计划到2030年), …为止, as of, as at, by
* "until": 直到, 一直到, 直至, 至 (延长至2026年), 推迟到/延长到/持续到, until, till,
  up until, up to, through. 到/至 after a verb of change (上升到2018年的水平,
  追溯至20世纪) and 甚至 carry no relation.
* "since": 自/自从…(起/以来), 从…起/以来/开始, …以来, …起, …开始, …至今, since,
  starting in, beginning in, from … on(wards), … onwards
* "before": …之前/以前/前 (not 前三季度, 前后, 前夕), before, prior to, ahead of
* "after": …之后/以后/后 (not 后三个月, 后半), after, following

Relative expressions are resolved against ``published`` (an ISO date; anything after
the first ten characters, such as a time, is ignored; an unparseable value counts as
missing): 去年, 前年, 今年, 明年, 上年, 本年, 后年 (each also with 年初/年底/上半年/
季度/月/日 tails: 今年3月底, 去年10月), 上(个)月, 本月, 这个月, 下(个)月 (with 初/中旬/
底/日 tails), 昨天/昨日, 今天/今日, 前天, 明天/明日, 后天, 上周, 本周, 下周,
上季度, 本季度, 三年前/3年前, 两个月前, 半年前, 三天前, 两周前, 上世纪, 本世纪;
last/this/next year/month/week/quarter/century, last September, this March,
early/late/earlier/later this year, the end of last year, yesterday, today, tomorrow,
three years ago, a decade ago. Expressions without a year (9月12日, 9月, 12日,
第三季度, 上半年, 年底, 月底, April 12, in March, Q3) take the year (and for a bare
day 12日, the month) from ``published`` and are marked relative too. A bare day
later in the month than the publication day is read as the previous month (news
reports mostly look back). ``relative=True`` for all of these; without ``published``
their ``value`` is None and ``resolved`` False; today's date is never used.

A bare four-digit number 1900-2100 is a year unless it reads as a quantity: followed
by a unit or a plural noun (2015 barrels, 2000 people, 2000 Americans, 2000%,
2000-year-old), preceded by a quantity word (about, nearly, more than, No., page, $),
or followed by a Chinese character (2000人). After in/since/during/until/before/
after/through it is always a year. Plural nouns that usually follow a year
(elections, Olympics, talks, levels...) do not make it a quantity.

Read exactly or left open (issue 17; docs/times.md): impossible dates (2019年2月29日, Feb 30),
lunar dates (农历…, 正月初一, months of an imperial reign year), holidays other than those on
a fixed day and Easter, fiscal and school years, parts of a period other than a week or the
first/last n days, weeks or months (weeks of a month), comparisons other than more than / less
than after a day (at least 2 weeks before today), a weekday beside a date it does not read or
that contradicts its date (Monday 21 alone is the 21st nearest publication that is a Monday; Friday
7/6 is read when month/day falls on a Friday and day/month does not), a date whose
year hangs on a range end not read (from the 27th to the third of April), and ranges with
qualified ends are returned with their whole span and ``resolved=False``; a range whose end
precedes its start likewise. Also read: weekdays (周三 and on Tuesday: the
last one on or before ``published``; next/last/this Monday: that day of the next/previous/
current ISO week), 上上周/下下周, 大前天/大后天, the day after tomorrow, week 10 (of 2026),
the first/last/n-th week of a year or month (an ISO week), arithmetic on a day (three weeks
from tomorrow), in two days / in a week, month names in any case and month-name numeric
forms (05-Aug-2016, Dec-2018), q3 2024 / 2019-h2, Chinese-numeral days (二零零四年八月十五),
two-digit years with a leading zero or a month (08年, 98年3月, April of 87: the publication
date's century, or the one before when that is more than ten years ahead), 民国/民國 N年
(1911+N) and Qing reign years; Traditional characters are read as Simplified. Since the
second round: the n units after or up to publication as an interval (the next three days,
the past 3 months, the 10 previous weeks, the last 2 quarters), the next/previous/coming
quarter, the first/last n days, weeks or months of a year or month (去年的前10天, 今年的最后3周,
the first 3 months of 2020), 2021年的第二周, 明年第九个月, fixed-day holidays (Christmas Eve,
New Year's Day, Halloween, May Day) and Easter (dateutil), years in words (nineteen ninety
six, August two thousand and fifteen), days in words (the second of August, January first),
a lone day after on/by/until (on the 18th), day ranges with to/through (9 to 12 of June),
unambiguous numeric month-days (22/04, 11/20), 12-2022, X和Y之间, 前半年/后半年, and the relation
words later than / no later than / starting on / or later. Third round: the n-th day, month or
week of a period (the 15th day of next month, the 9th month of next year, the 3rd week of Jan:
weeks counted from the ISO week holding the 1st), the last / n-th weekday of a month
(四月的最后一个星期一), a weekday of a week beside it (Tuesday of last week, next week Mon), range
ends that are a period's bound (from 2007 to the end of 2008, 从2018年到2020年底) and ends of
different kinds that both give their year (2014 through May 2nd 2018), later/earlier this
week/month/year and the rest of the week/month/year (publication to the period's end, or its
start to publication), this working week (Monday to Friday), now / the current date as a
range end, w/c Feb 4 and the week starting on a day (seven days), n days/weeks starting a day,
day ranges in words (April ninth through seventeenth, between 3 and 12 of Sept), month pairs
(Jan-Feb 2017, Nov-Feb 5th, 2017), from Sep to Nov, Jan/3, numeric day ranges when one
convention (month/day or day/month) fits both ends (10/13-11/2/2017), numeric two-digit years
(03/18/40), CY18, years to 2199 after in/by/until. Fifth round: holidays a rule fixes, with a
year or last/next/this (Thanksgiving 2018 and Black Friday, Cyber Monday, Memorial Day, Labor
Day, Mother's Day as the US has them; Canadian Thanksgiving; Mothering Sunday; Chinese New
Year), 春节/元宵节/端午节/七夕/中秋节/重阳节 with a year (lunardate: 2024年中秋节 = 2024-09-17), business days when
no public holiday of six English-speaking countries falls in them (the next 4 business days,
3 business days from today; the ``holidays`` package), fortnights as two weeks in arithmetic
(in a fortnight, a fortnight ago). Found and left open: anaphora (the next day,
the day before, the same week, 3 weeks later, a fortnight later), the next fortnight, business
days over a public holiday, a couple of weeks,
the next decade, the end of the month/week/year, the n-th day of the month, otd, Chinese holidays
without a year (国庆节期间, 春节期间; with one: 2017年国庆节, 民國35年聖誕節), 除夕 (2023年除夕 is
written for both 2023-01-21 and 2024-02-09), holidays of another calendar or whose day depends
on the country (Eid al-Fitr, Labour Day, Father's Day), a rule holiday before its rule (Thanksgiving
1930), ambiguous numeric dates with a year (4/5/2025, 11/12/35,
10/1/2018-10/7/2018, from 10/1 to 11/7), 前1周/后1年 ("the previous week" or "the past 7 days").

Not returned: durations (两年, 20个月, 近2000年, two years, for three decades),
numbers with units, ordinals (第三轮), vague words (近日, 日前, 目前, 当前, 现在,
近年来, 几年前, a few years ago, recently), anaphora in Chinese and by year (同年, 当年, 次年,
the next year, the previous year), times of day (10点, 10:30 are ignored; a date before them
is still found), recurring weekdays (每周一, every Friday), seasons (2019年夏天, summer
2019), bare two-digit years (19年), "20年代" without a century, ambiguous all-numeric
dates without a year (4/5; 22/04 and 11/20 are read), BC years, "in two months / in 16 years"
(news mostly looks back: "the highest in 16 years").
"""

from __future__ import annotations

import bisect
import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from re import _constants as _sre  # type: ignore[attr-defined]  # private, no stubs
from re import _parser as _sre_parse  # type: ignore[attr-defined]  # private, no stubs

from factcheck.records import TimeExpr

__all__ = ["find_times"]

# --------------------------------------------------------------------------- helpers

# Same-length replacements only, so offsets into the normalised text are offsets into
# the original text.
_NORM = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        "／": "/",
        "－": "-",
        "．": ".",
        "○": "〇",
        "Ｑ": "Q",
        "\u3000": " ",
        # Traditional characters the grammar reads, read as their Simplified forms.
        **dict(zip("週個禮後這兩開為來國號紀農曆從當於間際歲慶豐緒統與節誕聖婦兒師軍黨萬勞動陽",
                   "周个礼后这两开为来国号纪农历从当于间际岁庆丰绪统与节诞圣妇儿师军党万劳动阳")),
    }
)
# Most text has none of those: finding that is cheaper than translating.
_NORM_ANY = re.compile("[" + re.escape("".join(map(chr, _NORM))) + "]")

_CJK = re.compile(r"[\u3400-\u9fff]")
_ZH_DIGITS = {
    "〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3,
    "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}
_EN_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
}
_EN_ORDINALS = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
    "eighteenth": 18, "nineteenth": 19, "twentieth": 20, "twenty-first": 21,
    "twenty first": 21,
}
_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3,
    "april": 4, "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7,
    "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9, "october": 10,
    "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
_FULL_MONTHS = {name for name in _MONTHS if len(name) > 4 or name in ("may", "june", "july")}

# Qualifier words, checked in order (下旬 must not be read as 下半).
_QUALIFIER_RULES = (
    (("first half", "上半", "前半", "h1"), "first_half"),
    (("second half", "下半", "后半", "h2"), "second_half"),
    (("early", "start", "beginning", "初", "上旬"), "start"),
    (("mid", "middle", "中"), "mid"),
    (("late", "end", "底", "末", "下旬"), "end"),
)


def _qualifier(token: str | None) -> str | None:
    if not token:
        return None
    t = token.lower()
    if t.startswith(("earlier", "later")):
        return None
    for keys, name in _QUALIFIER_RULES:
        if any(k in t for k in keys):
            return name
    return None


def _zh_int(s: str) -> int | None:
    """Arabic digits or a Chinese numeral up to the hundreds (十二, 二十三, 一百)."""
    if s.isascii() and s.isdigit():
        return int(s)
    total = current = 0
    for ch in s:
        if ch in _ZH_DIGITS:
            current = _ZH_DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


def _zh_year(s: str) -> int:
    """2019 or 二〇一九 (read digit by digit)."""
    if s.isascii():
        return int(s)
    return int("".join(str(_ZH_DIGITS[ch]) for ch in s))


@lru_cache(maxsize=256)
def _parse_published(published: str | None) -> date | None:
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", published or "")
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def _add_months(year: int, month: int, n: int) -> tuple[int, int]:
    t = year * 12 + month - 1 + n
    return t // 12, t % 12 + 1


def _iso_week(d: date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def _valid_day(y: int | None, m: int, d: int) -> bool:
    # Without a year, allow 29 February.
    return 1 <= d <= calendar.monthrange(y if y is not None else 2000, m)[1]


# ----------------------------------------------------------------------------- hits


@dataclass(slots=True)
class _Hit:
    """A candidate before relation triggers are attached.

    Components are kept (rather than a value string) so that an interval's right end
    can inherit the year and month of its left end (2019年9月至12月).
    """

    start: int
    end: int
    kind: str
    y: int | None = None
    m: int | None = None
    d: int | None = None
    d2: int | None = None  # last day of a day range (April 12-14)
    q: int | None = None
    fixed: str | None = None  # value of a week/decade/century
    relative: bool = False
    inferred: bool = False  # relative only because the year/month came from `published`
    year_given: bool = True
    month_given: bool = True
    qualifier: str | None = None
    relation: str | None = None
    interval: tuple[_Hit, _Hit] | None = None
    invalid: bool = False  # read, but no exact value (an impossible date, a lunar date, arithmetic)
    weekday: bool = False  # a weekday: never the end of an interval, absorbed by a date beside it
    wd: int | None = None  # the weekday (0 = Monday) of a weekday
    now: bool = False  # "now" as a range end: kept only inside a range (between Jan 2019 and now)
    holiday: bool = False  # a Chinese holiday without a year: takes one written just before it (民國35年聖誕節)
    holiday_name: str | None = None  # the Chinese holiday's name, to find its day in that year


def _value(h: _Hit) -> str | None:
    if h.invalid:
        return None
    if h.interval:
        a, b = (_value(x) for x in h.interval)
        return f"{a}/{b}" if a is not None and b is not None else None
    if h.kind in ("week", "decade", "century"):
        return h.fixed
    if h.y is None:
        return None
    if h.kind == "year":
        return f"{h.y:04d}"
    if h.kind == "quarter":
        return f"{h.y:04d}-Q{h.q}"
    if h.m is None:
        return None
    if h.kind == "month":
        return f"{h.y:04d}-{h.m:02d}"
    if h.d is None:
        return None
    first = f"{h.y:04d}-{h.m:02d}-{h.d:02d}"
    return f"{first}/{h.y:04d}-{h.m:02d}-{h.d2:02d}" if h.d2 else first


@dataclass(slots=True)
class _Ctx:
    text: str  # normalised text
    anchor: date | None


def _ymd(m: re.Match, cx: _Ctx, y: int | None, year_given: bool = True) -> _Hit | None:
    """Shared tail handling: year qualifier, quarter, or month (+ day / qualifier)."""
    gd = m.groupdict()
    hit = _Hit(m.start(), m.end(), "year", y=y, year_given=year_given)
    if gd.get("yq") or gd.get("h"):
        hit.qualifier = _qualifier(gd.get("yq") or gd.get("h"))
    elif gd.get("qt"):
        hit.kind, hit.q = "quarter", _zh_int(gd["qt"].strip("第季度 Qq"))
    elif gd.get("m"):
        month = _zh_int(gd["m"])
        if not month or not 1 <= month <= 12:
            return None
        hit.kind, hit.m = "month", month
        if gd.get("d"):
            day = _zh_int(gd["d"])
            if day is None or not 1 <= day <= 31:
                return None
            hit.kind, hit.d = "date", day
            if not _valid_day(y, month, day):
                hit.invalid = True  # 2019年2月29日, 4月31日: read, never moved to a real date
            if gd.get("d2"):
                day2 = _zh_int(gd["d2"])
                if day2 is None or not 1 <= day2 <= 31:
                    return None
                if day2 <= day or not _valid_day(y, month, day2):
                    hit.invalid = True
                hit.d2 = day2
        elif gd.get("mq"):
            hit.qualifier = _qualifier(gd["mq"])
    return hit


def _inferred(hit: _Hit, cx: _Ctx) -> _Hit:
    """Mark a hit whose year comes from the publication date.

    29 February without a year is the most recent one on or before the publication date.
    """
    hit.y = cx.anchor.year if cx.anchor else None
    hit.relative = hit.inferred = True
    hit.year_given = False
    if hit.y is not None and hit.m == 2 and hit.d == 29 and cx.anchor:
        y = hit.y if date(hit.y, 3, 1) <= cx.anchor else hit.y - 1
        while not calendar.isleap(y):
            y -= 1
        hit.y = y
    return hit


# -------------------------------------------------------------------- quantity checks

_NEXT_TOKEN = re.compile(r"[ \t]*(?:-[ \t]*)?(?P<w>[A-Za-z]+|%)")
_UNIT_WORDS = frozenset(
    """people persons person men women children kids troops soldiers police staff
    workers barrel barrels bpd ton tons tonne tonnes km kilometres kilometers mile
    miles m metres meters feet ft acres hectares dollars euros yuan yen pounds rupees
    usd rmb eur gbp mw gw kw kwh mwh gwh twh kg kilograms g grams mg lb lbs hour hours
    hrs h minutes mins seconds day days week weeks month months year years decades
    times units pieces copies votes cases deaths gmt utc bc bce million billion
    thousand trillion percent per of""".split()
)
# Plural nouns that usually follow a year used as a modifier ("the 2020 elections").
_YEAR_PLURALS = frozenset(
    """elections games midterms primaries talks negotiations protests riots attacks
    floods wildfires fires sanctions accords agreements levels figures results rules
    standards guidelines statistics data accounts earnings sales revenues profits
    forecasts estimates projections prices rates targets goals plans reforms laws
    regulations championships finals playoffs awards rankings summits events
    hearings reports filings polls surveys""".split()
)
# Words ending in -s that are not plural nouns ("2019 marks the anniversary").
_NOT_PLURAL = frozenset(
    """always perhaps towards afterwards onwards besides nevertheless nonetheless whereas unless
    sometimes marks sees brings looks remains becomes begins ends starts shows means
    gives takes makes comes goes says seems feels promises represents continues
    proves follows sets opens closes""".split()
)
_QTY_BEFORE = re.compile(
    r"(?<![A-Za-z0-9_-])(?i:more\s+than|less\s+than|fewer\s+than|nearly|almost|approximately"
    r"|roughly|some|about|over|at\s+least|at\s+most|no\.?|number|page|pp?\.|room|flight"
    r"|route|model|version|article|resolution|chapter|section)\s*$|[#$£€¥]\s*$"
)
_YEAR_PREP = re.compile(
    r"(?<![A-Za-z0-9_-])(?i:in|since|during|until|till|before|after|through|throughout|circa)\s+$"
)


def _quantity_after(text: str, pos: int) -> bool:
    m = _NEXT_TOKEN.match(text, pos)
    if not m:
        return False
    word = m["w"]
    if word == "%":
        return True
    low = word.lower()
    if low in _UNIT_WORDS:
        return True
    plural = (
        len(low) >= 4
        and low.endswith("s")
        and not low.endswith(("ss", "us", "is", "ics"))
        and not word.isupper()  # acronyms: 2003 SARS
    )
    return plural and low not in _YEAR_PLURALS and low not in _NOT_PLURAL


def _quantity_before(text: str, pos: int) -> bool:
    return _QTY_BEFORE.search(text, max(0, pos - 20), pos) is not None


# ------------------------------------------------------------------ Chinese patterns

_ZD = "〇零一二三四五六七八九"
_Y4 = rf"(?:(?<!\d)(?:1[5-9]|2[01])\d\d(?!\d)|(?<![{_ZD}十])[一二][{_ZD}]{{3}})"
_ZMON = r"(?:(?<!\d)(?:1[0-2]|0?[1-9])(?!\d)|十[一二]?|[一二三四五六七八九])"
_ZDAY = (
    r"(?:(?:3[01]|[12]\d|0?[1-9])(?!\d)|三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?"
    r"|[一二三四五六七八九])"
)
# 中 is mid-month/mid-year only before punctuation or a trigger: 2019年中国 is not.
_MID = r"中(?=[\s，。、；：！？,.;:!?）)」』”]|$|以|前|后|之|起|至|到)"
_YQ = rf"(?P<yq>年?(?:初期?|中期|{_MID}|底|末期?)|[上下前后]半年)"
_QTR = r"(?P<qt>第?[一二三四1-4]\s?季度|[Qq][1-4](?!\d))"
_MQ = rf"(?P<mq>上旬|中旬|下旬|初|{_MID}|底|末)"
_MDTAIL = (
    rf"(?P<m>{_ZMON})\s?月份?(?:\s?(?P<d>{_ZDAY})(?:\s?[日号]?\s?[-–~至到]\s?(?P<d2>{_ZDAY}))?\s?[日号]|{_MQ})?"
)
_ZH_DURATION_BEFORE = re.compile(r"(?:近|约|逾|超过|多达|长达|历时|持续|用了|花了|过去)\s?$")

# A leading lookahead lists the characters a match can start with, where the pattern opens
# with a lookbehind or a group the regex engine cannot skip to by itself.
_ZH_ABS = re.compile(rf"(?=[12一二])(?P<y>{_Y4})\s?年(?:\s?(?:{_QTR}|{_MDTAIL})|{_YQ})?")
# 二零零四年八月十五: a Chinese-numeral day without 日, only after a written year and month.
_ZH_ABS_CNDAY = re.compile(
    rf"(?=[12一二])(?P<y>{_Y4})\s?年(?P<m>{_ZMON})\s?月(?P<d>三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?"
    rf"|[一二三四五六七八九])(?![日号{_ZD}十])"
)
# 08年, 07年以后, 98年3月: a two-digit year, with a leading zero or a month after it.
_ZH_YY = re.compile(
    rf"(?=\d)(?<![\d.\-/])(?P<yy>\d\d)\s?年(?!代|前|来|内|间|多|度|级|龄|薪)(?:\s?(?:{_QTR}|{_MDTAIL})|{_YQ})?"
)
# 民国/民國113年 (Republic of China, Taiwan today), 康熙三年: era years. Imperial months are lunar.
_ERAS = {"民国": 1911, "康熙": 1661, "雍正": 1722, "乾隆": 1735, "嘉庆": 1795, "道光": 1820,
         "咸丰": 1850, "同治": 1861, "光绪": 1874, "宣统": 1908}
_ZH_ERA = re.compile(
    rf"(?P<era>{'|'.join(_ERAS)})(?P<n>元|\d{{1,3}}|[一二两三四五六七八九十百〇零]+)\s?年"
    rf"(?:\s?(?:{_QTR}|{_MDTAIL})|{_YQ})?"
)
# 正月初一, 腊月二十三: lunar dates, read and left open.
_ZH_LUNAR = re.compile(
    r"(?:正|腊|冬)月(?:初[一二三四五六七八九十]|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|廿[一二三四五六七八九]?|三十)?"
)
_ZH_REL_YEAR = re.compile(
    r"(?=[去前今明后上本])(?P<ry>去年|(?<![此之以其提目当年])前年|今年|明年|(?<![先此之以其然最前])后年"
    rf"|(?<![以之向往])上年(?!纪)|本年)(?:{_YQ}|{_QTR}|{_MDTAIL})?"
)
_ZH_MD = re.compile(rf"(?=[0-9一二三四五六七八九十])(?<![\d{_ZD}十两第个每年]){_MDTAIL}")
_ZH_MONTH_NEXT = re.compile(rf"\s?(?:和|与|至|到|-)\s?{_ZMON}月")
# 上半月 / 下半月: the 1st to the 15th / the 16th to the end of the publication month;
# 上个半年 / 下个半年: the half-year before / after publication's.
_ZH_HALF_MONTH = re.compile(r"(?<![月\d])(?P<w>[上下])半月")
_ZH_REL_HALF = re.compile(r"(?P<w>[上下])个半年")
_ZH_DAY = re.compile(
    rf"(?=[0-9])(?<![\d{_ZD}十两第月号每前后近头这.\-/])(?P<d>3[01]|[12]\d|0?[1-9])日(?!元|内|以内|之内|间)"
)
_ZH_REL_MONTH = re.compile(
    rf"(?P<rm>(?<![以之])上个?月|本月|这个?月|(?<![以之])下个?月)(?:(?P<d>{_ZDAY})\s?[日号]|{_MQ})?"
)
_ZH_REL_DAY = re.compile(
    r"大前天|大后天|前天|昨天|昨日|今天|今日(?!俄罗斯|美国|头条|说法)|明天|明日(?!之后)|(?<!先)后天(?!性)"
)
_ZH_REL_WEEK = re.compile(
    r"(?<![以之])(?P<w>上上个?|上个?|本|这个?|下下个?|下个?)(?:(?P<we>周末)|周|星期|礼拜)(?!年|期|边|围)"
)
_ZH_WEEKDAY = re.compile(
    r"(?<![以之每逢])(?P<w>上上个?|上个?|本|这个?|下下个?|下个?)?(?:周|星期|礼拜)(?P<wd>[一二三四五六日天])(?![一二三四五六七八九十])"
)
_ZH_REL_QTR = re.compile(r"(?<![以之])(?P<w>上个?|本|下个?)一?季度")
_ZH_AGO = re.compile(
    r"(?=[\d一二两三四五六七八九十百半])"  # the characters it can start with: the engine skips to them
    rf"(?<![\d{_ZD}十两百几多数第近])(?:(?P<n>\d{{1,3}}|[一二两三四五六七八九十百]+)\s?(?P<u>年|个月|个?星期|周|天)"
    rf"|(?P<zn>[一二两三四五六七八九十]+)(?P<zu>日)|(?P<half>半)(?P<hu>年|个月))前(?![后夕])"
)
_ZH_OPEN_SPAN = re.compile(
    rf"(?=[前后])(?<![\d{_ZD}十两百几多数第之以的年月日提超向往])[前后]\s?(?:\d{{1,3}}|[一二两三四五六七八九十]+)\s?个?\s?(?:周|星期|礼拜|年|月)"
    r"(?![\d一二三四五六七八九十底初末中])"
)
_ZH_DECADE = re.compile(
    r"(?=[\d一二三四五六七八九十上本])"  # the characters it can start with: the engine skips to them
    rf"(?:(?P<c>(?<!\d)\d{{1,2}}|(?<![{_ZD}十])(?:二十一|二十|十[一二三四五六七八九]?|[一二三四五六七八九]))世纪"
    r"|(?P<cr>上个?|本)世纪)?"
    rf"(?:(?P<d4>(?<!\d)(?:1[5-9]|20)\d0)|(?P<d2>(?<!\d)[0-9]0|(?<![{_ZD}十])[一二三四五六七八九]十))"
    r"年代(?P<dq>初期?|中期|末期?)?"
)
_ZH_CENTURY = re.compile(
    rf"(?:(?P<c>(?<!\d)\d{{1,2}}|(?<![{_ZD}十])(?:二十一|二十|十[一二三四五六七八九]?|[一二三四五六七八九]))"
    r"|(?P<cr>上个?|本))世纪(?P<cq>初期?|初叶|中期|中叶|末期?|末叶|上半叶|下半叶|前半叶|后半叶)?"
)
_ZH_QTR = re.compile(
    rf"(?:第(?P<q1>[一二三四1-4])|(?<![\d{_ZD}十第前后])(?P<q2>[一二三四1-4]))\s?季度"
)
# Holidays on a fixed day (2017年国庆节, 今年的元旦, 明年圣诞节): that day of the year named; alone
# (国庆节期间) left open, as Christmas is: it may be any year's.
_ZH_HOLIDAYS = {
    "元旦": (1, 1), "情人节": (2, 14), "妇女节": (3, 8), "愚人节": (4, 1), "劳动节": (5, 1), "青年节": (5, 4),
    "儿童节": (6, 1), "建党节": (7, 1), "建军节": (8, 1), "教师节": (9, 10), "国庆节": (10, 1), "万圣节": (10, 31),
    "平安夜": (12, 24), "圣诞节": (12, 25),
}
# Holidays of the Chinese calendar (lunardate): month and day of the lunar year, which starts
# in the Gregorian year of the same number, so 2024年中秋节 is 2024-09-17. 除夕 is left open: the
# last day of lunar 2023 fell on 2024-02-09, and "2023年除夕" is written for both.
_ZH_LUNAR_HOLIDAYS = {
    "春节": (1, 1), "元宵节": (1, 15), "端午": (5, 5), "七夕": (7, 7), "中秋": (8, 15), "重阳": (9, 9), "除夕": (0, 0),
}  # 元宵 alone is also the dumpling
_ZH_HOLIDAY = re.compile(
    # the characters a match can start with, so the engine skips to them (a quarter of the time)
    "(?=[\\d一二去今明前后本上五三六国" + "".join({name[0]: "" for name in [*_ZH_HOLIDAYS, *_ZH_LUNAR_HOLIDAYS]}) + "])"
    rf"(?:(?:(?P<y>{_Y4})\s?年|(?P<ry>去年|今年|明年|前年|后年|本年|上年))的?\s?)?(?:五一|三八|六一|国际)?"
    r"(?P<h>" + "|".join([*_ZH_HOLIDAYS, *_ZH_LUNAR_HOLIDAYS]) + r")节?(?!联欢|晚会)"
)
_ZH_HALF = re.compile(r"(?<![年\d])(?P<h>上半年|下半年)")
_ZH_BARE_YQ = re.compile(rf"(?=年)(?<![\d{_ZD}十两今去明前后本上来当同每半年个])(?P<t>年初|年{_MID}|年底|年末)")
_ZH_BARE_MQ = re.compile(rf"(?=月)(?<![\d{_ZD}十两个上下本这当每半正腊冬])(?P<t>月初|月{_MID}|月底|月末)")


def _h_zh_abs(m: re.Match, cx: _Ctx) -> _Hit | None:
    if _ZH_DURATION_BEFORE.search(cx.text, max(0, m.start() - 3), m.start()):
        return None  # 近2000年: a duration
    return _ymd(m, cx, _zh_year(m["y"]))


_REL_YEAR_DELTA = {"去年": -1, "上年": -1, "前年": -2, "今年": 0, "本年": 0, "明年": 1, "后年": 2}


def _h_zh_yy(m: re.Match, cx: _Ctx) -> _Hit | None:
    if not (m["yy"].startswith("0") or m["m"]):
        return None  # 19年, 30年: as often a duration as a year
    y = _two_digit_year(int(m["yy"]), cx)
    hit = _ymd(m, cx, y)
    if hit:
        hit.relative = True  # the century comes from the publication date
    return hit


def _h_zh_era(m: re.Match, cx: _Ctx) -> _Hit | None:
    n = 1 if m["n"] == "元" else _zh_int(m["n"])
    if not n:
        return None
    hit = _ymd(m, cx, _ERAS[m["era"]] + n)
    if hit and m["era"] != "民国" and hit.kind != "year":
        hit.invalid = True  # imperial months and days are lunar
    return hit


def _h_zh_lunar(m: re.Match, cx: _Ctx) -> _Hit:
    return _Hit(m.start(), m.end(), "date", invalid=True)


def _h_zh_rel_year(m: re.Match, cx: _Ctx) -> _Hit | None:
    y = cx.anchor.year + _REL_YEAR_DELTA[m["ry"]] if cx.anchor else None
    hit = _ymd(m, cx, y)
    if hit:
        hit.relative = True
    return hit


def _h_zh_md(m: re.Match, cx: _Ctx) -> _Hit | None:
    before = cx.text[m.start() - 1] if m.start() else ""
    if (
        not m["m"].isascii()
        and not m["d"]
        and _CJK.match(before)
        and before not in "在于至到从自和与"
        and not _ZH_MONTH_NEXT.match(cx.text, m.end())
    ):
        return None  # 统一月票: a Chinese-numeral month alone must stand apart (三月和九月之间 does)
    hit = _ymd(m, cx, None)
    return _inferred(hit, cx) if hit else None


def _h_zh_half_month(m: re.Match, cx: _Ctx) -> _Hit:
    hit = _Hit(m.start(), m.end(), "date", relative=True)
    a = cx.anchor
    if a:
        last = calendar.monthrange(a.year, a.month)[1]
        d1, d2 = (1, 15) if m["w"] == "上" else (16, last)
        hit.interval = (_Hit(m.start(), m.end(), "date", y=a.year, m=a.month, d=d1),
                        _Hit(m.start(), m.end(), "date", y=a.year, m=a.month, d=d2))
    return hit


def _h_zh_rel_half(m: re.Match, cx: _Ctx) -> _Hit:
    hit = _Hit(m.start(), m.end(), "year", relative=True)
    a = cx.anchor
    if a:
        half = a.year * 2 + (a.month - 1) // 6 + (-1 if m["w"] == "上" else 1)
        hit.y, hit.qualifier = half // 2, "first_half" if half % 2 == 0 else "second_half"
    return hit


def _h_zh_day(m: re.Match, cx: _Ctx) -> _Hit | None:
    day = int(m["d"])
    hit = _Hit(m.start(), m.end(), "date", d=day, relative=True, inferred=True,
               year_given=False, month_given=False)
    if cx.anchor:
        y, mo = cx.anchor.year, cx.anchor.month
        if day > cx.anchor.day:
            y, mo = _add_months(y, mo, -1)
        while not _valid_day(y, mo, day):  # 30日 in March: the last month that has one
            y, mo = _add_months(y, mo, -1)
        hit.y, hit.m = y, mo
    return hit


def _rel_month(m: re.Match, cx: _Ctx, delta: int) -> _Hit | None:
    hit = _Hit(m.start(), m.end(), "month", relative=True)
    if cx.anchor:
        hit.y, hit.m = _add_months(cx.anchor.year, cx.anchor.month, delta)
    if m.groupdict().get("d"):
        day = _zh_int(m["d"])
        if day is None or (hit.m and not _valid_day(hit.y, hit.m, day)):
            return None
        hit.kind, hit.d = "date", day
    elif m.groupdict().get("mq"):
        hit.qualifier = _qualifier(m["mq"])
    return hit


def _h_zh_rel_month(m: re.Match, cx: _Ctx) -> _Hit | None:
    rm = m["rm"]
    return _rel_month(m, cx, -1 if rm[0] == "上" else 1 if rm[0] == "下" else 0)


_REL_DAY_DELTA = {"大前天": -3, "大后天": 3, "前天": -2, "昨天": -1, "昨日": -1, "今天": 0, "今日": 0,
                  "明天": 1, "明日": 1, "后天": 2}


def _rel_day(m: re.Match, cx: _Ctx, delta: int) -> _Hit:
    hit = _Hit(m.start(), m.end(), "date", relative=True)
    if cx.anchor:
        d = cx.anchor + timedelta(days=delta)
        hit.y, hit.m, hit.d = d.year, d.month, d.day
    return hit


def _h_zh_rel_day(m: re.Match, cx: _Ctx) -> _Hit:
    return _rel_day(m, cx, _REL_DAY_DELTA[m[0]])


def _rel_week(m: re.Match, cx: _Ctx, delta: int) -> _Hit:
    fixed = _iso_week(cx.anchor + timedelta(weeks=delta)) if cx.anchor else None
    return _Hit(m.start(), m.end(), "week", fixed=fixed, relative=True)


def _direction(word: str) -> int:
    w = word.lower()
    return -1 if w[0] in "上l" else 1 if w[0] in "下n" else 0


def _week_steps(word: str | None) -> int:
    """上上个 → -2, 下个 → 1, 本/这 → 0."""
    if not word:
        return 0
    return -word.count("上") or word.count("下")


def _h_zh_rel_week(m: re.Match, cx: _Ctx) -> _Hit:
    hit = _rel_week(m, cx, _week_steps(m["w"]))
    if m["we"] and hit.fixed:  # 这个周末, 下周末: that week's Saturday and Sunday, as "this weekend"
        y, w = map(int, hit.fixed.split("-W"))
        sat, sun = date.fromisocalendar(y, w, 6), date.fromisocalendar(y, w, 7)
        hit.kind, hit.fixed = "date", None
        hit.interval = (_Hit(m.start(), m.end(), "date", y=sat.year, m=sat.month, d=sat.day),
                        _Hit(m.start(), m.end(), "date", y=sun.year, m=sun.month, d=sun.day))
    return hit


def _weekday_hit(m: re.Match, cx: _Ctx, wd: int, steps: int | None) -> _Hit:
    """Weekday ``wd`` (0 = Monday) of the week ``steps`` from publication's; with no
    modifier (None), the most recent one on or before the publication date."""
    hit = _Hit(m.start(), m.end(), "date", relative=True, weekday=True, wd=wd, inferred=steps is None)
    a = cx.anchor
    if a:
        if steps is None:
            d = a - timedelta(days=(a.weekday() - wd) % 7)
        else:
            d = a - timedelta(days=a.weekday()) + timedelta(weeks=steps, days=wd)
        hit.y, hit.m, hit.d = d.year, d.month, d.day
    return hit


def _h_zh_weekday(m: re.Match, cx: _Ctx) -> _Hit:
    wd = "一二三四五六日".find(m["wd"]) if m["wd"] != "天" else 6
    return _weekday_hit(m, cx, wd, _week_steps(m["w"]) if m["w"] else None)


def _rel_quarter(m: re.Match, cx: _Ctx, delta: int) -> _Hit:
    hit = _Hit(m.start(), m.end(), "quarter", relative=True)
    if cx.anchor:
        t = cx.anchor.year * 4 + (cx.anchor.month - 1) // 3 + delta
        hit.y, hit.q = t // 4, t % 4 + 1
    return hit


def _h_zh_rel_qtr(m: re.Match, cx: _Ctx) -> _Hit:
    return _rel_quarter(m, cx, _direction(m["w"]))


def _ago(m: re.Match, cx: _Ctx, n: int, unit: str) -> _Hit | None:
    """n units before the publication date; unit is year, month, week or day."""
    if n <= 0:
        return None
    kind = {"year": "year", "month": "month", "week": "week", "day": "date"}[unit]
    hit = _Hit(m.start(), m.end(), kind, relative=True)
    a = cx.anchor
    if a is None:
        return hit
    if unit == "year":
        hit.y = a.year - n
    elif unit == "month":
        hit.y, hit.m = _add_months(a.year, a.month, -n)
    elif unit == "week":
        hit.fixed = _iso_week(a - timedelta(weeks=n))
    else:
        d = a - timedelta(days=n)
        hit.y, hit.m, hit.d = d.year, d.month, d.day
    return hit


def _h_zh_open_span(m: re.Match, cx: _Ctx) -> _Hit:
    kind = "year" if m[0].endswith("年") else "month" if m[0].endswith("月") else "week"
    return _Hit(m.start(), m.end(), kind, relative=True, invalid=True)


def _h_zh_ago(m: re.Match, cx: _Ctx) -> _Hit | None:
    if m["half"]:  # 半年前 = six months ago, 半个月前 = 15 days ago
        return _ago(m, cx, 6, "month") if m["hu"] == "年" else _ago(m, cx, 15, "day")
    if m["zn"]:
        n = _zh_int(m["zn"])
        return _ago(m, cx, n, "day") if n else None
    n = _zh_int(m["n"])
    unit = {"年": "year", "个月": "month", "天": "day"}.get(m["u"], "week")
    return _ago(m, cx, n, unit) if n else None


def _century_base(m: re.Match, cx: _Ctx) -> tuple[int | None, bool]:
    """First year of the century named by groups c/cr (20世纪 -> 1900), and relative."""
    if m["c"]:
        n = _zh_int(m["c"])
        return ((n - 1) * 100 if n else None), False
    if m["cr"]:
        if not cx.anchor:
            return None, True
        base = cx.anchor.year // 100 * 100
        return (base - 100 if m["cr"].startswith("上") else base), True
    return None, False


def _h_zh_decade(m: re.Match, cx: _Ctx) -> _Hit | None:
    hit = _Hit(m.start(), m.end(), "decade", qualifier=_qualifier(m["dq"]))
    if m["d4"]:
        hit.fixed = m["d4"][:3] + "X"
        return hit
    tens = _zh_int(m["d2"])
    if tens is None:
        return None
    if m["c"] or m["cr"]:
        base, hit.relative = _century_base(m, cx)
        hit.fixed = f"{(base + tens) // 10:03d}X" if base is not None else None
        return hit
    # A bare 50年代 means the 1950s; 00/10年代 the 2000s/2010s; 20年代 is ambiguous.
    if tens == 20:
        return None
    hit.fixed = f"{(2000 if tens < 20 else 1900) + tens}"[:3] + "X"
    return hit


def _h_zh_century(m: re.Match, cx: _Ctx) -> _Hit | None:
    base, relative = _century_base(m, cx)
    if base is None and not relative:
        return None
    fixed = f"{base // 100:02d}XX" if base is not None else None
    return _Hit(m.start(), m.end(), "century", fixed=fixed, relative=relative,
                qualifier=_qualifier(m["cq"]))


def _h_zh_holiday(m: re.Match, cx: _Ctx) -> _Hit:
    hit = _Hit(m.start(), m.end(), "date", holiday_name=m["h"])
    if m["y"]:
        _set_day(hit, _zh_holiday_day(m["h"], _zh_year(m["y"])))
        return hit
    hit.relative = True
    if m["ry"] and cx.anchor:
        _set_day(hit, _zh_holiday_day(m["h"], cx.anchor.year + _REL_YEAR_DELTA[m["ry"]]))
    else:
        hit.invalid = hit.holiday = True
    return hit


def _zh_holiday_day(name: str, y: int | None) -> date | None:
    """The day of a Chinese holiday (a _ZH_HOLIDAYS or _ZH_LUNAR_HOLIDAYS key) in year y."""
    if y is None or name == "除夕":
        return None
    if name in _ZH_LUNAR_HOLIDAYS:
        return _lunar_day(y, *_ZH_LUNAR_HOLIDAYS[name]) if 1900 <= y <= 2099 else None
    return date(y, *_ZH_HOLIDAYS[name])


def _h_zh_qtr(m: re.Match, cx: _Ctx) -> _Hit:
    q = _zh_int(m["q1"] or m["q2"])
    return _inferred(_Hit(m.start(), m.end(), "quarter", q=q), cx)


def _h_zh_bare_qual(m: re.Match, cx: _Ctx) -> _Hit:
    t = m["h"] if "h" in m.groupdict() else m["t"]
    hit = _Hit(m.start(), m.end(), "year", qualifier=_qualifier(t))
    _inferred(hit, cx)
    if t.startswith("月"):
        hit.kind = "month"
        hit.m = cx.anchor.month if cx.anchor else None
        hit.month_given = False
    return hit


# ----------------------------------------------------------- patterns in both scripts

_NUM_DATE = re.compile(
    r"(?=[12])(?<![\d./])(?<!\d-)(?P<y>(?:1[5-9]|2[01])\d\d)(?P<s>[-/.])(?P<m>1[0-2]|0?[1-9])"
    r"(?:(?P=s)(?P<d>3[01]|[12]\d|0?[1-9]))?(?!\d)"
)
# 22/04, 11/20, 2/29: a day and a month without a year, read only when one number cannot be a
# month (13-31); 4/5 stays ambiguous, 24/7 is an idiom, 11/20 points or 1/15 of a score.
_MD_NUM = re.compile(
    r"(?=[0-9])(?<![\d/.\-$£€¥#:])(?P<a>3[01]|[12]\d|0?[1-9])/(?P<b>3[01]|[12]\d|0?[1-9])"
    r"(?![\d/%]|[.:]\d|\s*(?:[A-Za-z]|[\u3400-\u9fff]))"
)
# 12-2015, 03/2019: a two-digit month before a year.
_MONTH_YEAR = re.compile(r"(?<![\d.\-/])(?P<m>1[0-2]|0[1-9])(?P<s>[-/])(?P<y>(?:19|20)\d\d)(?![\d\-/%]|\.\d)")
_DECIMAL_UNIT = re.compile(r"\s*(?:[万亿千百元%‰倍]|[A-Za-z])")
_YEAR_RANGE = re.compile(
    r"(?=[12])(?<![A-Za-z0-9_$£€¥#.,/\-])(?P<a>(?:1[5-9]|20|21)\d\d)\s?(?:年\s?)?"
    r"(?P<s>[-–—~～/]|至|到)\s?(?P<b>(?:1[5-9]|20|21)\d\d|\d\d)(?!\d)(?P<n>\s?年)?"
)
_YEAR_RANGE_TAIL = re.compile(r"年?(?:初|中|底|末|[上下前后]半|第|[一二三四1-4]季|\d|[一二三四五六七八九十]+月)")
_BARE_YEAR = re.compile(
    r"(?=[12])(?<![A-Za-z0-9_$£€¥#@.,/:\-])(?P<y>19\d\d|20\d\d|21\d\d)(?![A-Za-z0-9_%]|[.,:]\d|[\-/]\d)"
)
_DIGIT_DATE = re.compile(
    r"(?=\d)(?<![\d./\-])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?:(?P<y>(?:1[5-9]|20|21)\d\d)|(?P<yy>\d\d))(?![\d/])"
    r"(?![.:]\d)"
)
# Numeric day ranges: 10/1/2018-10/7/2018, 10-1-2018-10-7-2018, 10/1-11/2/2017, 5/1-5/7, 2020,
# from 10/1 to 11/7. Read when one convention (month/day or day/month) fits both ends.
_DIGIT_RANGE = re.compile(
    r"(?:(?=\d)(?<![\d./\-])|(?=[FfBb]))(?:(?P<a1>\d{1,2})(?P<s>[/-])(?P<b1>\d{1,2})(?P=s)(?P<y1>(?:19|20)\d\d)\s*[-–]\s*"
    r"(?P<a2>\d{1,2})(?P=s)(?P<b2>\d{1,2})(?P=s)(?P<y2>(?:19|20)\d\d)"
    r"|(?P<a3>\d{1,2})/(?P<b3>\d{1,2})\s*[-–]\s*(?P<a4>\d{1,2})/(?P<b4>\d{1,2})(?:/|,\s*)(?P<y4>(?:19|20)\d\d)"
    r"|(?P<o>(?i:from|between))\s+(?P<a5>\d{1,2})/(?P<b5>\d{1,2})\s+(?i:to|and|through|till|until)\s+"
    r"(?P<a6>\d{1,2})/(?P<b6>\d{1,2}))(?![\d/]|[.:]\d)"
)


def _h_num_date(m: re.Match, cx: _Ctx) -> _Hit | None:
    y, mo = int(m["y"]), int(m["m"])
    if m["d"]:
        d = int(m["d"])
        if not _valid_day(y, mo, d):
            return None
        return _Hit(m.start(), m.end(), "date", y=y, m=mo, d=d)
    if m["s"] == "/":
        return None  # 2019/9 could be a season or a ratio
    if m["s"] == "." and _DECIMAL_UNIT.match(cx.text, m.end()):
        return None  # 2019.9亿元, 2019.5 million
    if re.match(r"[.\-/]\d", cx.text[m.end():m.end() + 2]):
        return None
    if m["s"] == "-" and len(m["m"]) == 2 and mo == (y + 1) % 100:
        return None  # 2008-09 is left open by _h_year_range
    return _Hit(m.start(), m.end(), "month", y=y, m=mo)


def _h_md_num(m: re.Match, cx: _Ctx) -> _Hit | None:
    a, b = int(m["a"]), int(m["b"])
    if (a, b) == (24, 7):
        return None  # 24/7
    if a > 12 and b <= 12:
        day, mo = a, b  # 22/04
    elif b > 12 and a <= 12:
        day, mo = b, a  # 11/20
    else:
        return None
    if not _valid_day(None, mo, day):
        return None
    hit = _Hit(m.start(), m.end(), "date", m=mo, d=day)
    return _inferred(hit, cx)


def _h_month_year(m: re.Match, cx: _Ctx) -> _Hit | None:
    if _quantity_after(cx.text, m.end()):
        return None
    return _Hit(m.start(), m.end(), "month", y=int(m["y"]), m=int(m["m"]))


def _h_digit_date(m: re.Match, cx: _Ctx) -> _Hit | None:
    a, b = int(m["a"]), int(m["b"])
    y = int(m["y"]) if m["y"] else _two_digit_year(int(m["yy"]), cx)  # 03/18/40
    if not (1 <= a <= 31 and 1 <= b <= 31) or (a > 12 and b > 12):
        return None
    hit = _Hit(m.start(), m.end(), "date", y=y, relative=y is None)
    if a > 12 and 1 <= b <= 12:
        day, mo = a, b  # 13/4/2025
    elif b > 12 and 1 <= a <= 12:
        day, mo = b, a  # 4/13/2025
    elif a == b and 1 <= a <= 12:
        day = mo = a  # 1/1/2016 reads the same either way
    else:
        hit.invalid = True  # 4/5/2025: a date, but which? Found and left open
        return hit
    if not _valid_day(y, mo, day):
        return None
    hit.m, hit.d = mo, day
    hit.invalid = y is None
    return hit


def _h_digit_range(m: re.Match, cx: _Ctx) -> _Hit:
    """A range of two numeric days: read when exactly one convention (month/day or day/month)
    makes both ends valid days in order; else found and left open."""
    g = m.groupdict()
    if g["a1"]:
        ends = [(int(g["a1"]), int(g["b1"]), int(g["y1"])), (int(g["a2"]), int(g["b2"]), int(g["y2"]))]
    elif g["a3"]:
        y = int(g["y4"])
        ends = [(int(g["a3"]), int(g["b3"]), y), (int(g["a4"]), int(g["b4"]), y)]
    else:
        y0 = cx.anchor.year if cx.anchor else 0
        ends = [(int(g["a5"]), int(g["b5"]), y0), (int(g["a6"]), int(g["b6"]), y0)]
    hit = _Hit(m.start(), m.end(), "date", relative=not (g["a1"] or g["a3"]), invalid=True)
    readings = []
    for month_first in (True, False):
        try:
            days = [date(y, a, b) if month_first else date(y, b, a) for a, b, y in ends]
        except ValueError:
            continue
        if days[0] <= days[1]:
            readings.append(days)
    if len({tuple(r) for r in readings}) == 1 and (g["a1"] or g["a3"] or cx.anchor):
        first, last = readings[0]
        hit.invalid = False
        hit.interval = (_Hit(m.start(), m.end(), "date", y=first.year, m=first.month, d=first.day),
                        _Hit(m.start(), m.end(), "date", y=last.year, m=last.month, d=last.day))
    if g["o"]:
        hit.start = m.start("a5")  # the opener is attached later, like any range's
    return hit


def _h_year_range(m: re.Match, cx: _Ctx) -> _Hit | None:
    a = int(m["a"])
    b_text = m["b"]
    if len(b_text) == 2:
        b = a // 100 * 100 + int(b_text)
        if int(b_text) == (a + 1) % 100 <= 12 and m["s"] == "-" and not m["n"]:
            return _Hit(m.start(), m.end(), "year", invalid=True)  # 2008-09: September, or a school year?
        if int(b_text) <= 12:
            return None  # 2011-08 reads as a month
    else:
        b = int(b_text)
    if b <= a:
        return None
    end = m.end()
    if m["n"] and _YEAR_RANGE_TAIL.match(cx.text, end):
        return None  # 2018年到2020年底: the two years are read apart, the second with its qualifier
    if not m["n"]:
        nxt = cx.text[end:end + 2]
        if re.match(r"[A-Za-z0-9_%\u3400-\u9fff]|[.,:/\-]\d", nxt) or _quantity_after(cx.text, end):
            return None
        if m["s"] in "至到" and not m.group(0).count("年"):
            return None  # 2015到2018 without 年 is as likely a count
    if re.search(r"[#$£€¥]\s*$", cx.text[max(0, m.start() - 2):m.start()]):
        return None  # "over 2015-2018" is a period, "$1990-2000" is not
    left = _Hit(m.start(), m.start() + 4, "year", y=a)
    right = _Hit(end - len(b_text), end, "year", y=b)
    return _Hit(m.start(), end, "year", interval=(left, right))


def _h_bare_year(m: re.Match, cx: _Ctx) -> _Hit | None:
    s, e = m.span()
    if e < len(cx.text) and _CJK.match(cx.text, e):
        return None  # 2000人, 2019年 (the latter is found by the Chinese pattern)
    if not _YEAR_PREP.search(cx.text, max(0, s - 15), s):
        if int(m["y"]) > 2100 or _quantity_after(cx.text, e) or _quantity_before(cx.text, s):
            return None  # 2101-2199 only after in/by/until...: "end in 2150"
    elif int(m["y"]) > 2100 and _quantity_after(cx.text, e):
        return None  # "in 2150 households"
    return _Hit(s, e, "year", y=int(m["y"]))


# ------------------------------------------------------------------ English patterns

def _lead(letters: str) -> str:
    """A lookahead on the characters a pattern can start with ("0" for any digit; letters in
    any case, with the non-ASCII characters re.IGNORECASE folds onto them). The regex engine
    then skips to those instead of testing the pattern's lookbehinds at every position: a
    third less time on English news text, the same matches."""
    chars = {v for c in letters.replace("0", "") for v in (c.lower(), c.upper())}
    chars |= {f for f in "\u0130\u0131\u017f\u212a" for c in letters if re.fullmatch(f, c, re.IGNORECASE)}
    return "(?=[" + ("\\d" if "0" in letters else "") + re.escape("".join(sorted(chars))) + "])"


# Word boundaries are ASCII-only so that English dates inside Chinese text are found
# (该协议于March 3, 2020签署).

# The dot belongs to abbreviations only, so "in May." does not swallow the full stop.
_MON = (
    r"(?P<mon>(?i:January|February|March|April|May|June|July|August|September|October"
    r"|November|December)(?:\b|(?=\d))|(?i:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)(?:\b\.?|(?=\d)))"
)
# A year after a month: 2019, of 2019, in 2019, or a two-digit year after "of" (April of 87).
_MYEAR = r"(?:(?:\s?,)?\s+(?:(?i:of|in)\s+)?(?P<y>(?:1[5-9]|20|21)\d\d(?!\d))|\s+(?i:of)\s+(?P<yy>\d\d)(?![\d:]))"
_EY = r"(?:1[5-9]|20|21)\d\d(?!\d)"
_ORD = r"(?:st|nd|rd|th)?"
_EN_QUAL = (
    r"(?i:earlier|later|early|mid-?|late|(?:the\s+)?(?:end|start|beginning|middle)\s+of"
    r"|(?:the\s+)?(?:first|second)\s+half\s+of)"
)
# Day ranges inside a month: April 12-14, April 9 through 17, 9 to 12 of June.
_DAY_TO = r"(?:\s*[-–]\s*|\s+(?i:to|through|till|until)\s+(?:(?i:the)\s+)?)"
# ... and, after "between", with "and": between 3 and 12 of Sept (checked in _en_date).
_BETWEEN = r"(?:(?P<btw>(?i:between))\s+)?"
_DAY_TO_AND = rf"(?:{_DAY_TO}|(?(btw)\s+(?i:and)\s+(?:(?i:the)\s+)?|(?!)))"
_EN_MDY = re.compile(
    _lead("jfmasond") +
    rf"(?<![A-Za-z0-9_]){_MON}\s*(?P<d>\d{{1,2}}){_ORD}(?!\d)"
    rf"(?:{_DAY_TO}(?:(?P<d2>\d{{1,2}}){_ORD}(?!\d)|(?P<dw2>(?i:{{DAY_WORD}}))(?![A-Za-z-])))?(?:{_MYEAR})?"
    r"(?![A-Za-z0-9_%])"
)
_EN_DMY = re.compile(
    _lead("b0") +
    rf"(?<![A-Za-z0-9_.,$£€¥#-]){_BETWEEN}(?P<d>\d{{1,2}}){_ORD}(?:{_DAY_TO_AND}(?P<d2>\d{{1,2}}){_ORD})?\s+"
    rf"(?:(?i:of)\s+)?{_MON}(?:{_MYEAR})?(?![A-Za-z0-9_%])"
)
# Days in words: April ninth, January first 2000, the second of Aug, the twenty third day of September.
_DAY_WORDS = {
    w: i
    for i, w in enumerate(
        "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth"
        " fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split(),
        1,
    )
}
_DAY_WORDS |= {f"twenty-{w}": 20 + i for w, i in list(_DAY_WORDS.items())[:9]}
_DAY_WORDS |= {"thirtieth": 30, "thirty-first": 31}
_DAY_WORD = "|".join(sorted((w.replace("-", r"[\s-]") for w in _DAY_WORDS), key=len, reverse=True))
_EN_MDY = re.compile(_EN_MDY.pattern.replace("{DAY_WORD}", _DAY_WORD))
_EN_MDY_WORD = re.compile(
    _lead("jfmasond") +
    rf"(?<![A-Za-z0-9_]){_MON}\s+(?:(?i:the)\s+)?(?P<dw>(?i:{_DAY_WORD}))"
    rf"(?:{_DAY_TO}(?P<dw2>(?i:{_DAY_WORD})|\d{{1,2}}{_ORD}(?!\d)))?(?:{_MYEAR})?(?![A-Za-z0-9_-])"
    r"(?!\s+(?i:quarter|half|week|time|round|place|day|person|people|man|woman|half)\b)"
)
_EN_DMY_WORD = re.compile(
    _lead("btfsen") +
    rf"(?<![A-Za-z0-9_-]){_BETWEEN}(?:(?i:the)\s+)?(?P<dw>(?i:{_DAY_WORD}))(?:{_DAY_TO_AND}(?P<dw2>(?i:{_DAY_WORD})))?"
    rf"\s+(?:(?i:day)\s+)?(?i:of)\s+{_MON}"
    rf"(?:{_MYEAR})?(?![A-Za-z0-9_%])"
)
# A day of the month alone after a preposition: on the 18th, by the 3rd, on 29th (not the 18th
# floor, the 21st century: a word after it makes it an ordinal).
_EN_BARE_DAY = re.compile(
    _lead("obuts") +
    r"(?<![A-Za-z0-9_-])(?P<p>(?i:on|by|until|till|since))\s+(?P<day>(?:(?i:the)\s+)?(?P<d>3[01]|[12]\d|[1-9])"
    r"(?:st|nd|rd|th))(?![A-Za-z0-9_-])(?!\s+(?:of\b|[A-Za-z]))"
)
_EN_MONTH = re.compile(
    _lead("elmtsbfnjado") +
    rf"(?<![A-Za-z0-9_-])(?:(?P<q>{_EN_QUAL})[\s-]*)?(?:(?P<w>(?i:last|this|next))\s+)?{_MON}"
    rf"(?:{_MYEAR})?(?![A-Za-z0-9_-])"
)
# 05-Aug-2016, 23/sep/2020, sep-23-2020, 2019-aug-1, 2019/aug/01, 2020/23/sep, Dec-2018.
_EN_NUMMON = re.compile(
    _lead("jfmasond0") +
    rf"(?<![A-Za-z0-9_-])(?:(?P<d>\d{{1,2}})(?P<s>[-/]){_MON}(?P=s)(?P<y>{_EY})"
    rf"|(?P<mon2>(?i:January|February|March|April|May|June|July|August|September|October|November|December"
    rf"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec))-(?:(?P<d2>\d{{1,2}})-)?(?P<y2>{_EY})"
    rf"|(?P<y3>{_EY})(?P<s3>[-/])(?:(?P<mon3>(?i:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)"
    rf"[a-z]*)(?P=s3)(?P<d3>\d{{1,2}})|(?P<d4>\d{{1,2}})(?P=s3)(?P<mon4>(?i:Jan|Feb|Mar|Apr|May|Jun|Jul"
    rf"|Aug|Sept|Sep|Oct|Nov|Dec)[a-z]*)))(?![A-Za-z0-9_])"
)
# Jan-Feb 2017, Nov-Feb 5th, 2017, Sept.-Dec.: two months joined by a dash.
_MON_NAME = (
    r"(?i:january|february|march|april|may|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)"
)
_EN_MONTH_PAIR = re.compile(
    rf"(?=[JjFfMmAaSsOoNnDd])(?<![A-Za-z0-9_-])(?P<m1>{_MON_NAME})\.?\s?[-–]\s?(?P<m2>{_MON_NAME})"
    rf"(?:\s+(?P<d>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?!\d))?(?:\s?,?\s+(?P<y>{_EY}))?(?![A-Za-z0-9_-])"
)


def _h_en_month_pair(m: re.Match, cx: _Ctx) -> _Hit | None:
    m1, m2 = _month_number(m["m1"]), _month_number(m["m2"])
    if not m["y"] and not m["d"] and m["m1"].islower():
        return None  # a lowercase pair without a day or year: "mar-may" is not worth the risk
    given = bool(m["y"])
    y2 = int(m["y"]) if given else cx.anchor.year if cx.anchor else None
    hit = _Hit(m.start(), m.end(), "month", relative=not given, invalid=y2 is None)
    if y2 is None:
        return hit
    b = _Hit(m.start(), m.end(), "month", y=y2, m=m2)
    if m["d"]:
        b.kind, b.d = "date", int(m["d"])
    y1 = y2 - 1 if (m1, 1) > (m2, b.d or 31) else y2  # Nov-Feb 5th, 2017 starts in 2016
    if not given and y1 < y2:
        y1, b.y = y2, y2 + 1  # without a year the pair starts in the publication's year
    if not _valid_day(b.y, m2, b.d or 1):
        hit.invalid = True
        return hit
    hit.interval = (_Hit(m.start(), m.end(), "month", y=y1, m=m1), b)
    return hit


# Jan/3, sept/30: a month name and a day.
_EN_MON_SLASH_DAY = re.compile(
    rf"(?=[JjFfMmAaSsOoNnDd])(?<![A-Za-z0-9_/-]){_MON}/(?P<d>3[01]|[12]\d|0?[1-9])(?![\d/A-Za-z])"
)
_EN_QYEAR = re.compile(
    _lead("elmtsbf") + rf"(?<![A-Za-z0-9_-])(?P<q>{_EN_QUAL})[\s-]*(?P<y>{_EY})(?![A-Za-z0-9_%])"
)
_EN_HALF = re.compile(
    _lead("h0") +
    rf"(?<![A-Za-z0-9_])(?:[Hh](?P<h>[12])[\s-]*(?P<y>{_EY})|(?P<y2>{_EY})[\s-]*[Hh](?P<h2>[12]))(?![A-Za-z0-9_-])"
)
_EN_QUARTER = re.compile(
    _lead("tfsq0") +
    r"(?<![A-Za-z0-9_-])(?:(?:(?i:the)\s+)?(?P<qn>(?i:first|second|third|fourth|1st|2nd|3rd|4th))"
    rf"[\s-]+(?i:quarter)(?:\s+(?:of\s+)?(?:(?P<y>{_EY})|(?P<w>(?i:this|last|next))\s+(?i:year)))?"
    rf"|[Qq](?P<qd>[1-4])(?:[\s,-]+(?:of\s+)?(?P<y2>{_EY}))?|(?P<y3>{_EY})[\s-]*[Qq](?P<qd2>[1-4]))(?![A-Za-z0-9_-])"
)
_EN_DECADE = re.compile(
    _lead("teml0") +
    r"(?<![A-Za-z0-9_-])(?:(?i:the)\s+)?(?:(?P<q>(?i:early|mid-?|late))[\s-]*)?"
    r"(?P<d>(?:1[5-9]|20)\d0)(?:'?s| s(?=[.,;:!?)]|\s*$))(?![A-Za-z0-9_])"
)
_EN_CENTURY = re.compile(
    _lead("temln0") +
    r"(?<![A-Za-z0-9_-])(?:(?i:the)\s+)?(?:(?P<q>(?i:early|mid-?|late))[\s-]*)?"
    r"(?:(?P<n>\d{1,2})(?:st|nd|rd|th)|(?P<w>(?i:eighteenth|nineteenth|twentieth|twenty[\s-]first)))"
    r"[\s-]+(?i:century)(?![A-Za-z0-9_])"
)
# "the last year" / "the next year" are a duration and an anaphor, not calendar times.
_EN_REL = re.compile(
    _lead("elmtsbfn") +
    rf"(?<![A-Za-z0-9_-])(?<!the\s)(?<!The\s)(?:(?P<q>{_EN_QUAL})\s+)?(?P<w>(?i:last|this|next))\s+"
    r"(?:(?i:calendar)\s+(?=[Yy]))?(?P<u>(?i:year|month|week|quarter|century))(?![A-Za-z0-9_-])"
)
_WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
_EN_WEEKDAY = re.compile(
    _lead("nltucpfmws") +
    r"(?<![A-Za-z0-9_-])(?<!(?i:every) )(?<!(?i:each) )"
    r"(?:(?P<w>(?i:next|last|this\s+upcoming|this\s+coming|this|upcoming|coming|previous|following))"
    r"\s+(?:(?i:week)\s+(?:(?i:on)\s+)?)?)?"
    r"(?P<wd>(?i:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
    r"|(?<=[Ww]eek )(?i:mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)"
    r"|(?i:mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)(?=\s*\d|\s+(?i:the)\b))(?![A-Za-z0-9_-])"
)
_EN_WEEKNUM = re.compile(
    r"(?<![A-Za-z0-9_-])(?i:week)\s+(?P<n>[1-9]|[1-4]\d|5[0-3])(?:\s+(?i:of)\s+(?P<y>(?:19|20)\d\d))?(?![\d])"
)
_EN_IN_UNITS = re.compile(
    _lead("i") +
    r"(?<![A-Za-z0-9_-])(?i:in)\s+(?P<n>\d{1,3}|(?i:an?|one|two|three|four|five|six|seven|eight|nine|ten"
    r"|eleven|twelve|fifteen|twenty|thirty))\s+(?P<u>(?i:days?|weeks?|fortnights?|(?:business|working)\s+days?))"
    r"(?![A-Za-z0-9_-])"
    r"(?!\s+(?i:from|after|before|since|of|time)\b)"
)
_EN_DAY_AFTER = re.compile(
    r"(?<![A-Za-z0-9_-])(?i:the\s+day\s+(?P<x>after\s+tomorrow|before\s+yesterday)"
    r"|the\s+week\s+(?P<y>after\s+next|before\s+last))(?![A-Za-z0-9_-])"
)
_EN_DAYWORD = re.compile(
    _lead("yt") + r"(?<![A-Za-z0-9_-])(?<!USA\s)(?P<w>(?i:yesterday|today|tomorrow))(?![A-Za-z0-9_-])"
)
_EN_AGO = re.compile(
    _lead("aotfsen0") +
    r"(?<![A-Za-z0-9_-])(?P<n>\d{1,3}|(?i:an?|one|two|three|four|five|six|seven|eight|nine|ten"
    r"|eleven|twelve|fifteen|twenty|thirty|forty|fifty))\s+"
    r"(?P<u>(?i:years?|months?|weeks?|fortnights?|days?|decades?))\s+(?i:ago)(?![A-Za-z0-9_])"
)
_EN_NUM_WORD_OPEN = (
    r"\d{1,3}|(?i:an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty)"
)
_EN_COUNT = (
    r"\d{1,3}|(?i:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty)"
)
# The N units after, or up to, the publication date: the next two days, the past 3 months,
# the 10 previous weeks, the last 2 quarters. Not "the last 3 weeks of this year" (a part of
# another period, left to _guard) nor "the next 3 days after the vote" (anaphora).
_EN_SPAN = re.compile(
    _lead("nlpcutfse0") +
    rf"(?<![A-Za-z0-9_-])(?:(?P<w>(?i:next|last|past|previous|coming|upcoming))\s+(?P<n>{_EN_COUNT})"
    rf"|(?P<n2>{_EN_COUNT})\s+(?P<w2>(?i:next|previous|upcoming|coming|past)))\s+"
    r"(?P<u>(?i:days|weeks|months|years|quarters))(?![A-Za-z0-9_-])"
    r"(?!\s+(?i:of|after|before|from|since|following|preceding)\b)"
)
# The quarter before or after publication's: the next quarter, the coming quarter, previous quarter.
_EN_REL_QUARTER = re.compile(
    _lead("tnpcu") +
    r"(?<![A-Za-z0-9_-])(?:(?i:the)\s+)?(?P<w>(?i:next|previous|coming|upcoming|past))\s+(?i:quarter)"
    r"(?![A-Za-z0-9_-])(?!\s+(?i:of|after|before)\b)"
)
# Holidays on a fixed day of the Gregorian calendar; those a rule fixes are in _RULE_HOLIDAYS.
_FIXED_HOLIDAYS = {
    "christmas eve": (12, 24), "christmas day": (12, 25), "christmas": (12, 25), "boxing day": (12, 26),
    "new year's eve": (12, 31), "new year's day": (1, 1), "valentine's day": (2, 14), "halloween": (10, 31),
    "may day": (5, 1), "international workers' day": (5, 1),
}
_EN_HOLIDAY = re.compile(
    _lead("ltncpfbvhmi") +
    r"(?<![A-Za-z0-9_-])(?:(?P<w>(?i:last|this|next|coming|previous|following))\s+)?(?P<h>(?i:christmas(?:\s+(?:eve|day))?|boxing\s+day|new\s+year['’]s\s+(?:eve|day)"
    r"|valentine['’]s\s+day|halloween|may\s+day|international\s+workers['’]\s+day"
    r"|(?:canadian\s+)?thanksgiving(?:\s+day)?|memorial\s+day|labor\s+day"
    r"|mother['’]?s\s+day|mothering\s+sunday|black\s+friday|cyber\s+monday|chinese\s+new\s+year))"
    rf"(?:,?\s+(?P<y>{_EY}))?(?![A-Za-z0-9_-])"
)


def _weekday_in_month(y: int, month: int, weekday: int, n: int) -> date:
    """The n-th weekday (0 = Monday) of a month; n = -1 for the last one."""
    if n > 0:
        first = date(y, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = date(y, month, calendar.monthrange(y, month)[1])
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _lunar_day(y: int, month: int, day: int) -> date | None:
    """The Gregorian day of a day of the Chinese calendar's year y (lunardate: 1900-2099)."""
    from lunardate import LunarDate

    try:
        return LunarDate(y, month, day).to_solar_date()
    except ValueError:
        return None


def _easter(y: int) -> date:
    from dateutil.easter import easter

    return easter(y)


# Holidays whose day a rule fixes, each from the year the rule took effect (before it: open).
# The names are read with the day the United States gives them (Canada's Thanksgiving when
# the text says so); other countries' days under the same name are the documented risk.
_RULE_HOLIDAYS: dict[str, tuple[int, Callable[[int], date | None]]] = {
    "thanksgiving": (1942, lambda y: _weekday_in_month(y, 11, 3, 4)),  # fourth Thursday of November
    "canadian thanksgiving": (1957, lambda y: _weekday_in_month(y, 10, 0, 2)),  # second Monday of October
    "black friday": (1942, lambda y: _weekday_in_month(y, 11, 3, 4) + timedelta(days=1)),
    "cyber monday": (2005, lambda y: _weekday_in_month(y, 11, 3, 4) + timedelta(days=4)),
    "memorial day": (1971, lambda y: _weekday_in_month(y, 5, 0, -1)),  # last Monday of May
    "labor day": (1894, lambda y: _weekday_in_month(y, 9, 0, 1)),  # first Monday of September
    "mothers day": (1914, lambda y: _weekday_in_month(y, 5, 6, 2)),  # second Sunday of May
    "mothering sunday": (1583, lambda y: _easter(y) - timedelta(days=21)),  # fourth Sunday of Lent
    "chinese new year": (1900, lambda y: _lunar_day(y, 1, 1)),
}


def _holiday_day(name: str, y: int) -> date | None:
    """The day of a named holiday (a _FIXED_HOLIDAYS or _RULE_HOLIDAYS key) in year y."""
    if name in _FIXED_HOLIDAYS:
        mo, d = _FIXED_HOLIDAYS[name]
        return date(y, mo, d)
    key = name.replace("'", "")
    since, rule = _RULE_HOLIDAYS[key.removesuffix(" day") if "thanksgiving" in key else key]
    return rule(y) if since <= y <= 2099 else None
# Years in words: nineteen ninety six, nineteen oh five, two thousand and fifteen, twenty twenty.
_W_ONES = "one|two|three|four|five|six|seven|eight|nine"
_W_TEENS = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
_W_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_W_BELOW_100 = rf"(?:(?:{_W_TENS})(?:[\s-]+(?:{_W_ONES}))?|{_W_TEENS}|{_W_ONES})"
_WORD_YEAR = (
    rf"(?i:(?P<wc>eighteen|nineteen|twenty)[\s-]+(?:(?P<wt>{_W_BELOW_100})|oh[\s-]+(?P<wo>{_W_ONES}))"
    rf"|two\s+thousand(?:(?:\s+and)?[\s-]+(?P<wk>{_W_BELOW_100}))?)(?![A-Za-z-])"
)
_WORD_YEAR_AFTER = re.compile(rf",?\s+(?:(?i:of|in)\s+)?{_WORD_YEAR}")
_EN_WORD_YEAR = re.compile(
    rf"(?<![A-Za-z0-9_-])(?P<p>(?i:in|since|by|until|till|before|after|during))\s+(?P<year>{_WORD_YEAR})"
)
_W_VALUES = {w: i for i, w in enumerate(f"{_W_ONES}|{_W_TEENS}".split("|"), 1)} | {
    w: 10 * i for i, w in enumerate(_W_TENS.split("|"), 2)
}


# A day in cardinal words before a month that has its year, after a preposition: "on twenty
# five January nineteen eighty six", "on five January 1986" (not "two January 2019 meetings").
_CARDINAL_DAY_BEFORE = re.compile(
    rf"(?<![A-Za-z0-9_-])(?i:on|from|since|until|till|by|before|after|between|and|to)\s+"
    rf"(?P<dw>(?i:{_W_BELOW_100}))\s+(?:(?i:of)\s+)?$"
)


def _cardinal_day(h: _Hit, text: str, window: int) -> None:
    """Widen a month with its year to the day in cardinal words before it (see above)."""
    m = _CARDINAL_DAY_BEFORE.search(text, window, h.start)
    day = _words_value(m["dw"]) if m else 0
    if m and h.y is not None and h.m is not None and 1 <= day <= 31:
        h.start, h.kind, h.d = m.start("dw"), "date", day
        h.invalid = not _valid_day(h.y, h.m, day)


def _words_value(words: str) -> int:
    return sum(_W_VALUES[w] for w in re.split(r"[\s-]+", words.lower()) if w)


def _word_year(m: re.Match) -> int | None:
    """The year of a _WORD_YEAR match (1996 for nineteen ninety six); None for 2000 + 100 or more."""
    if m["wc"]:
        century = _W_VALUES[m["wc"].lower()]
        rest = _words_value(m["wt"]) if m["wt"] else _W_VALUES[m["wo"].lower()]
        return century * 100 + rest if rest >= 1 else None
    return 2000 + (_words_value(m["wk"]) if m["wk"] else 0)


def _h_en_word_year(m: re.Match, cx: _Ctx) -> _Hit | None:
    y = _word_year(m)
    return _Hit(m.start("year"), m.end(), "year", y=y) if y else None


# Easter moves: its date comes from dateutil (the Gregorian computus). Easter 2018, last Easter,
# the following Easter, this Easter; Easter alone may be any year's and is left open.
_EN_EASTER = re.compile(
    _lead("ltnfcpe") +
    r"(?<![A-Za-z0-9_-])(?:(?P<w>(?i:last|this|next|following|coming|previous))\s+)?"
    rf"(?P<e>(?i:easter)(?:\s+(?i:sunday|day))?)(?:,?\s+(?P<y>{_EY}))?(?![A-Za-z0-9_-])"
    r"(?!\s+(?:[A-Z][a-z]|(?i:eggs?|bunny|island|rising|monday)\b))"  # the Easter Rising, Easter eggs
)


def _h_en_easter(m: re.Match, cx: _Ctx) -> _Hit | None:
    from dateutil.easter import easter

    hit = _Hit(m.start(), m.end(), "date")
    w = (m["w"] or "").lower()
    if m["y"]:
        if w:
            return None  # "last Easter 2018": which one?
        d = easter(int(m["y"]))
    else:
        hit.relative = True
        if cx.anchor is None:
            return hit
        a = cx.anchor
        if w in ("last", "previous"):
            d = easter(a.year) if easter(a.year) < a else easter(a.year - 1)
        elif w in ("next", "following", "coming"):
            d = easter(a.year) if easter(a.year) > a else easter(a.year + 1)
        elif w == "this":
            d = easter(a.year)
        else:  # Easter alone: any year's
            hit.invalid = True
            return hit
    hit.y, hit.m, hit.d = d.year, d.month, d.day
    return hit


# Found and left open: anaphora (the next day, the same week, 3 weeks later: after what?),
# fortnights and business days (which ones, which holidays?), "a couple of weeks", the next
# decade. Not "in two months / in 16 years": news mostly looks back ("the highest in 16 years").
_EN_OPEN_RELATIVE = re.compile(
    r"(?<![A-Za-z0-9_-])(?:"
    r"(?P<a>(?i:the|that)\s+(?i:next|following|previous|preceding)\s+(?i:day|week|fortnight))"
    r"|(?P<b>(?:(?i:the|that)\s+)?(?i:same)\s+(?i:day|week|month|year))"
    r"|(?P<c>(?i:the\s+day\s+(?:before|after))(?!\s+(?i:yesterday|tomorrow)\b))"
    rf"|(?P<d>(?:{_EN_NUM_WORD_OPEN})\s+(?i:days?|weeks?|fortnights?|months?|years?)\s+(?i:later|earlier))"
    r"(?!\s+(?i:than)\b)"
    r"|(?P<e>(?:(?i:the|this|next|last|past|coming)\s+)fortnight)"
    rf"|(?P<f>(?:(?i:the)\s+)?(?i:next|previous|past|last|coming)\s+(?:{_EN_NUM_WORD_OPEN})\s+"
    r"(?i:business|working)\s+days)"
    r"|(?P<g>(?:(?i:the)\s+)?(?i:next|past|last|coming)\s+(?i:couple)\s+(?:(?i:of)\s+)?(?i:days|weeks|months|years))"
    r"|(?P<i>(?i:the)\s+(?i:next|coming)\s+(?i:decade))"
    r"|(?P<j>(?:(?i:the)\s+)?(?i:end|beginning|start|middle)\s+(?i:of)\s+(?:(?i:the)\s+)?(?i:month|week|year))(?!\s*,?\s*\d|\s+(?i:of|in)\b)"
    rf"|(?P<k>(?i:the)\s+(?:(?i:{_DAY_WORD})|\d{{1,2}}(?:st|nd|rd|th))\s+(?i:day)\s+(?i:of)\s+(?i:the)\s+(?i:month)))"
    r"(?![A-Za-z0-9_-])"
)


# Found and left open: "otd" / "on this day" (the publication's day in which year?) and holidays
# whose day moves with another calendar or depends on the country (Eid al-Fitr, Labour Day,
# Father's Day: June in the US and Britain, September in Australia, 8 August in Taiwan).
_EN_OPEN_NAMED = re.compile(
    r"[OoEeLlRrDdHhPpFf](?<![A-Za-z0-9_-].)(?:(?<=[Oo])(?:td|TD|(?i:n\s+this\s+day))"
    r"|(?<=[Ee])(?i:id\s+(?:al|ul|el)[\s-]+(?:fitr|adha))"
    r"|(?<=[Ll])(?i:abour\s+day)|(?<=[Ff])(?i:ather['’]?s\s+day)"
    r"|(?<=[Rr])(?i:amadan)|(?<=[Dd])(?i:iwali)|(?<=[Hh])(?i:anukkah)"
    r"|(?<=[Pp])(?i:assover))(?![A-Za-z0-9_-])"
)
# CY18, cy 2018: a calendar year.
_EN_CY = re.compile(r"[Cc](?<![A-Za-z0-9_-].)[Yy]\s?(?:(?P<y>(?:19|20)\d\d)|(?P<yy>\d\d))(?![A-Za-z0-9_-])")


def _h_en_open_named(m: re.Match, cx: _Ctx) -> _Hit:
    return _Hit(m.start(), m.end(), "date", relative=True, invalid=True)


def _h_en_cy(m: re.Match, cx: _Ctx) -> _Hit:
    y = int(m["y"]) if m["y"] else _two_digit_year(int(m["yy"]), cx)
    return _Hit(m.start(), m.end(), "year", y=y, relative=y is None, invalid=y is None)


# _EN_OPEN_RELATIVE is tried only around one of its unit words (cheaper than at every position).
_EN_OPEN_TRIGGER = re.compile(
    r"[DdWwFfMmYy](?<![A-Za-z0-9_-].)(?i:ays?|eeks?|ortnights?|onths?|ears?|ecade)(?![A-Za-z0-9_-])"
)


def _h_en_open_relative(trigger: re.Match, cx: _Ctx) -> _Hit | None:
    lo, hi = max(0, trigger.start() - 48), min(len(cx.text), trigger.end() + 12)
    m = next((x for x in _EN_OPEN_RELATIVE.finditer(cx.text, lo, hi)
              if x.start() <= trigger.start() and trigger.end() <= x.end()), None)
    if m is None:
        return None
    if m["f"] and cx.anchor is not None:  # the next 4 business days
        when, count = m["f"].split()[-4:-2]
        days = _business_days(cx.anchor, _count(count), -1 if when.lower() in ("previous", "past", "last") else 1)
        if days:
            first, last = min(days), max(days)
            return _Hit(m.start(), m.end(), "date", relative=True,
                        interval=(_Hit(m.start(), m.end(), "date", y=first.year, m=first.month, d=first.day),
                                  _Hit(m.start(), m.end(), "date", y=last.year, m=last.month, d=last.day)))
    word = m[0].lower()
    kind = next((k for k in ("decade", "year", "month", "week", "fortnight") if k in word), "date")
    return _Hit(m.start(), m.end(), "week" if kind == "fortnight" else kind, relative=True, invalid=True)


# This/next/last weekend: the Saturday and Sunday of that ISO week. "That weekend", "the weekend"
# and a bare "weekend" are returned open.
_EN_WEEKEND = re.compile(
    r"(?<![A-Za-z0-9_-])(?:(?P<w>(?i:this|next|last|coming|past|previous|that|the))\s+)?(?i:weekend)(?![A-Za-z0-9_-])"
)
# Seasons, fiscal and school years: found (so a claim keeps its time anchor) but never given a
# value: when a season starts, and which fiscal year, depend on the country and the body.
_EN_OPEN_PERIOD = re.compile(
    _lead("tnlcpswaf") +
    r"(?<![A-Za-z0-9_-])(?:(?P<w>(?i:this|next|last|coming|past|previous|the\s+whole|the))\s+)?"
    r"(?P<p>(?i:summer|winter|spring|autumn|(?:fiscal|financial|school|academic)\s+year))"
    rf"(?:\s+(?:(?i:of)\s+)?(?P<y>{_EY}))?(?![A-Za-z0-9_-])"
)
# "to date" and "year to date": up to publication (not "up to date").
_EN_TO_DATE = re.compile(
    _lead("ty") +
    r"(?<![A-Za-z0-9_-])(?<!up\s)(?P<ytd>(?i:(?:the\s+)?year\s+to\s+date)|(?i:to\s+date))(?![A-Za-z0-9_-])"
)


def _h_en_weekend(m: re.Match, cx: _Ctx) -> _Hit:
    hit = _Hit(m.start(), m.end(), "date", relative=True)
    w = (m["w"] or "").lower()
    steps = {"this": 0, "coming": 0, "next": 1, "last": -1, "past": -1, "previous": -1}.get(w)
    if steps is None or cx.anchor is None:
        hit.invalid = True
        return hit
    monday = cx.anchor - timedelta(days=cx.anchor.weekday()) + timedelta(weeks=steps)
    sat, sun = monday + timedelta(days=5), monday + timedelta(days=6)
    hit.interval = (_Hit(m.start(), m.end(), "date", y=sat.year, m=sat.month, d=sat.day),
                    _Hit(m.start(), m.end(), "date", y=sun.year, m=sun.month, d=sun.day))
    return hit


def _h_en_open_period(m: re.Match, cx: _Ctx) -> _Hit | None:
    if not (m["w"] or m["y"]) and not m["p"].lower().endswith("year"):
        if not _EN_MONTH_PREP.search(cx.text, max(0, m.start() - 12), m.start()):
            return None  # "summer" alone only after in/during/...: not "summer camp"
    hit = _Hit(m.start(), m.end(), "year", relative=not m["y"])
    hit.invalid = True
    return hit


def _h_en_to_date(m: re.Match, cx: _Ctx) -> _Hit:
    hit = _Hit(m.start(), m.end(), "date", relative=True)
    a = cx.anchor
    if a is None:
        return hit
    if m["ytd"].lower().replace(" ", "").endswith("yeartodate"):
        hit.interval = (_Hit(m.start(), m.end(), "date", y=a.year, m=1, d=1),
                        _Hit(m.start(), m.end(), "date", y=a.year, m=a.month, d=a.day))
    else:
        hit.y, hit.m, hit.d, hit.relation = a.year, a.month, a.day, "by"
    return hit


# A month name alone is a time only after one of these ("in May", not "May I").
_EN_MONTH_PREP = re.compile(
    r"(?<![A-Za-z0-9_-])(?i:in|since|by|until|till|before|after|from|during|through|throughout|between)\s+$"
)
# ... or after a part of it: the last week of July (the part is read by _guard).
_EN_PART_OF = re.compile(r"(?<![A-Za-z])(?i:week|weeks|days|half|end|middle|beginning|start)\s+(?i:of)\s+$")
# An abbreviated month is a month after these (not after "from", where "Jan" is often a person).
_EN_ABBR_PREP = re.compile(r"(?<![A-Za-z0-9_-])(?i:in|since|by|until|before|after|during)\s+$")
# ... or after another month and a connector: from August to October, between May and July.
_EN_MONTH_CONNECTOR = re.compile(
    r"(?<![A-Za-z0-9_-])(?i:january|february|march|april|may|june|july|august|september|october|november"
    r"|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?(?:\s+(?i:to|through|till|until|and)\s+|\s?[-–]\s?)$"
)
# ... or before a connector and another month: Jan-Feb 2017, from Sep to Nov, Nov-Feb 5th, 2017.
_EN_MONTH_RANGE_NEXT = re.compile(
    r"(?:\s+(?i:to|through|till|until)\s+)(?i:january|february|march|april|may|june|july|august"
    r"|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)(?![A-Za-z])"
)


def _two_digit_year(yy: int, cx: _Ctx) -> int | None:
    """08年, April of 87: the century is the publication date's, or the one before when
    that would put the year more than ten years after publication; None without one."""
    if cx.anchor is None:
        return None
    y = cx.anchor.year // 100 * 100 + yy
    return y - 100 if y > cx.anchor.year + 10 else y


def _en_year(m: re.Match, cx: _Ctx) -> int | None:
    gd = m.groupdict()
    if gd.get("y"):
        return int(gd["y"])
    if gd.get("yy"):
        return _two_digit_year(int(gd["yy"]), cx)
    return None


def _month_number(name: str) -> int:
    return _MONTHS[name.rstrip(".").lower()]


def _en_date(m: re.Match, cx: _Ctx) -> _Hit | None:
    mo = _month_number(m["mon"])
    gd = m.groupdict()
    if gd.get("dw"):
        if m["mon"] in ("march", "may"):
            return None  # "they march first", "it may second"
        d = _DAY_WORDS[re.sub(r"\s+", "-", m["dw"].lower())]
    else:
        d = int(m["d"])
    y = _en_year(m, cx)
    if not 1 <= d <= 31:
        return None
    if y is None and not m.groupdict().get("yy"):
        if _quantity_after(cx.text, m.end()):
            return None  # May 12 times, 3 March people
        if m["mon"] == "may" and not re.search(r"\d(?:st|nd|rd|th)", m[0]):
            return None  # "they may 12 ...": lowercase may needs a year or an ordinal
    hit = _Hit(m.start(), m.end(), "date", y=y, m=mo, d=d)
    if y is None and m.groupdict().get("yy"):
        hit.relative = True  # a two-digit year without a publication date
    if not _valid_day(y, mo, d):
        hit.invalid = True  # feb 30: read, left open
    if gd.get("btw") and not (gd.get("d2") or gd.get("dw2")):
        hit.start += re.match(r"(?i:between)\s+", m[0]).end()  # type: ignore[union-attr]  # the opener
    if gd.get("d2") or gd.get("dw2"):
        w2 = (gd.get("dw2") or "").strip().lower()
        d2 = int(m["d2"]) if gd.get("d2") else int(w2[:-2]) if w2[:1].isdigit() else _DAY_WORDS[
            re.sub(r"\s+", "-", w2)]
        if d2 <= d or not _valid_day(y, mo, d2):
            hit.invalid = True
        hit.d2 = d2
    return hit if y is not None or m.groupdict().get("yy") else _inferred(hit, cx)


def _h_en_bare_day(m: re.Match, cx: _Ctx) -> _Hit | None:
    hit = _h_zh_day(m, cx)  # the same inference as 12日: this month, or the last one that had the day
    if hit is not None:
        hit.start = m.start("day")  # the preposition is a relation trigger (by, until) or nothing (on)
    return hit


def _h_en_nummon(m: re.Match, cx: _Ctx) -> _Hit | None:
    d: int | None
    if m["y"]:
        y, name, d = int(m["y"]), m["mon"], int(m["d"])
    elif m["y2"]:
        y, name, d = int(m["y2"]), m["mon2"], int(m["d2"]) if m["d2"] else None
    else:
        y, name, d = int(m["y3"]), m["mon3"] or m["mon4"], int(m["d3"] or m["d4"])
    key = name.rstrip(".").lower()
    mo = _MONTHS.get(key) or _MONTHS.get(key[:3])
    if mo is None or (key not in _MONTHS and not any(full.startswith(key) for full in _MONTHS)):
        return None
    if d is None:
        return _Hit(m.start(), m.end(), "month", y=y, m=mo)
    hit = _Hit(m.start(), m.end(), "date", y=y, m=mo, d=d)
    if not 1 <= d <= 31:
        return None
    hit.invalid = not _valid_day(y, mo, d)
    return hit


def _h_en_month(m: re.Match, cx: _Ctx) -> _Hit | None:
    name = m["mon"].rstrip(".")
    mo = _month_number(name)
    hit = _Hit(m.start(), m.end(), "month", m=mo, qualifier=_qualifier(m["q"]))
    if m["y"] or m["yy"]:
        if m["w"]:
            return None
        hit.y = _en_year(m, cx)
        hit.relative = hit.y is None
        return hit
    if name.islower() and name in ("may", "march"):
        return None  # "they may", "they march" (lowercase names need a day or a year)
    before = _EN_MONTH_CONNECTOR.search(cx.text, max(0, m.start() - 20), m.start())
    if before and before[0].rstrip().lower().endswith(" and") and name.lower() not in _FULL_MONTHS:
        before = None  # "Jan and Feb": names as often as months
    in_range = _EN_MONTH_RANGE_NEXT.match(cx.text, m.end()) or (name.lower() != "may" and before)
    if (
        name.lower() not in _FULL_MONTHS
        and not m["q"]
        and not m["w"]
        and not in_range
        and not (_EN_PART_OF.search(cx.text, max(0, m.start() - 16), m.start()) and not re.match(r"['’]", cx.text[
            m.end():m.end() + 1]))  # the 3rd week of Jan (not "the end of Jan's term")
        and (name.lower() in ("mar", "jan") or not _EN_ABBR_PREP.search(cx.text, max(0, m.start() - 10), m.start()))
    ):
        return None  # "Mar", "Jan" alone are too often names; "after Feb", "in Dec" are months
    if m["w"]:
        hit.relative = True
        if cx.anchor:
            a, w = cx.anchor, m["w"].lower()
            if w == "last":
                hit.y = a.year if mo < a.month else a.year - 1
            elif w == "next":
                hit.y = a.year if mo > a.month else a.year + 1
            else:
                hit.y = a.year
        return hit
    if not (
        m["q"]
        or _EN_MONTH_PREP.search(cx.text, max(0, m.start() - 12), m.start())
        or _EN_PART_OF.search(cx.text, max(0, m.start() - 16), m.start())
        or (name.lower() in _FULL_MONTHS and _WORD_YEAR_AFTER.match(cx.text, m.end()))  # August two thousand
        or (in_range and name.lower() != "may")
    ):
        return None
    return _inferred(hit, cx)


def _h_en_qyear(m: re.Match, cx: _Ctx) -> _Hit:
    return _Hit(m.start(), m.end(), "year", y=int(m["y"]), qualifier=_qualifier(m["q"]))


def _h_en_half(m: re.Match, cx: _Ctx) -> _Hit:
    h = m["h"] or m["h2"]
    return _Hit(m.start(), m.end(), "year", y=int(m["y"] or m["y2"]),
                qualifier="first_half" if h == "1" else "second_half")


def _h_en_quarter(m: re.Match, cx: _Ctx) -> _Hit:
    if m["qn"]:
        q = _EN_ORDINALS[m["qn"].lower()]
        year = m["y"]
    else:
        q = int(m["qd"] or m["qd2"])
        year = m["y2"] or m["y3"]
    hit = _Hit(m.start(), m.end(), "quarter", q=q)
    if year:
        hit.y = int(year)
    elif m["w"]:
        hit.relative = True
        if cx.anchor:
            hit.y = cx.anchor.year + _direction(m["w"])
    else:
        _inferred(hit, cx)
    return hit


def _h_en_decade(m: re.Match, cx: _Ctx) -> _Hit:
    return _Hit(m.start(), m.end(), "decade", fixed=m["d"][:3] + "X",
                qualifier=_qualifier(m["q"]))


def _h_en_century(m: re.Match, cx: _Ctx) -> _Hit | None:
    n = int(m["n"]) if m["n"] else _EN_ORDINALS[re.sub(r"[\s-]+", "-", m["w"].lower())]
    if not 1 <= n <= 22:
        return None
    return _Hit(m.start(), m.end(), "century", fixed=f"{n - 1:02d}XX",
                qualifier=_qualifier(m["q"]))


def _h_en_rel(m: re.Match, cx: _Ctx) -> _Hit | None:
    delta = _direction(m["w"])
    unit = m["u"].lower()
    hit: _Hit | None
    if unit == "week":
        hit = _rel_week(m, cx, delta)
    elif unit == "quarter":
        hit = _rel_quarter(m, cx, delta)
    elif unit == "month":
        hit = _rel_month(m, cx, delta)
        if hit is None:  # only for a day past the month's end; _EN_REL has no day
            return None
    elif unit == "century":
        hit = _Hit(m.start(), m.end(), "century", relative=True)
        if cx.anchor:
            hit.fixed = f"{cx.anchor.year // 100 + delta:02d}XX"
    else:
        hit = _Hit(m.start(), m.end(), "year", relative=True)
        if cx.anchor:
            hit.y = cx.anchor.year + delta
    hit.qualifier = _qualifier(m["q"])
    q = (m["q"] or "").lower()
    if q in ("later", "earlier") and m["w"].lower() == "this" and unit in ("week", "month", "year") and cx.anchor:
        _rest_of(hit, cx.anchor, unit, q == "later")
    return hit


def _period_of(a: date, unit: str) -> tuple[date, date]:
    """First and last day of the week (ISO), month or year holding ``a``."""
    if unit == "week":
        monday = a - timedelta(days=a.weekday())
        return monday, monday + timedelta(days=6)
    if unit == "month":
        return a.replace(day=1), a.replace(day=calendar.monthrange(a.year, a.month)[1])
    return date(a.year, 1, 1), date(a.year, 12, 31)


def _rest_of(hit: _Hit, a: date, unit: str, later: bool) -> None:
    """later this month = publication to the month's last day; earlier this week = the week's
    Monday to publication (both ends kept: "later today" is later this month)."""
    first, last = _period_of(a, unit)
    lo, hi = (a, last) if later else (first, a)
    hit.kind, hit.fixed, hit.qualifier = "date", None, None
    hit.interval = (_Hit(hit.start, hit.end, "date", y=lo.year, m=lo.month, d=lo.day),
                    _Hit(hit.start, hit.end, "date", y=hi.year, m=hi.month, d=hi.day))


# "Now" as the end of a range: between now and May 21, from Jan 2019 till the current date.
# Each starts with its first letter as a character class, so the regex engine skips ahead
# to candidates instead of trying the lookbehind at every position.
_EN_NOW = re.compile(
    r"[NnTtCc](?<![A-Za-z0-9_-].)(?:(?<=[Nn])(?i:ow)|(?<=[Tt])(?i:he\s+(?:present|current\s+date))"
    r"|(?<=[Cc])(?i:urrent\s+date))(?![A-Za-z0-9_-])"
)
_NOW_START = re.compile(r"(?<![A-Za-z0-9_-])(?i:between|from)\s+$")
_NOW_START_NEXT = re.compile(r"\s+(?i:and|to|till|until|through)\s")
_NOW_END = re.compile(r"(?<![A-Za-z0-9_-])(?i:and|to|till|until|through)\s+$")


def _h_en_now(m: re.Match, cx: _Ctx) -> _Hit | None:
    """Now, the present, the current date: kept only as a range end (dropped after merging)."""
    if cx.anchor is None:
        return None
    lo = max(0, m.start() - 10)
    starts = m[0].lower() == "now" and _NOW_START.search(cx.text, lo, m.start()) and _NOW_START_NEXT.match(
        cx.text, m.end())
    if not (starts or _NOW_END.search(cx.text, lo, m.start())):
        return None
    hit = _Hit(m.start(), m.end(), "date", relative=True, now=True)
    _set_day(hit, cx.anchor)
    return hit


# The rest of the week / month / year, this working week: from publication or its Monday.
_EN_REST_OF = re.compile(
    r"(?=[TtRr])(?<![A-Za-z0-9_-])(?:(?P<r>(?i:the\s+)?(?i:rest|remainder|remaining)\s+(?i:of)\s+(?i:the|this)\s+"
    r"(?P<u>(?i:week|month|year)))|(?P<ww>(?i:this)\s+(?i:working|work|business)\s+week))(?![A-Za-z0-9_-])"
)


def _h_en_rest_of(m: re.Match, cx: _Ctx) -> _Hit:
    hit = _Hit(m.start(), m.end(), "date", relative=True)
    a = cx.anchor
    if a is None:
        return hit
    if m["u"]:
        _rest_of(hit, a, m["u"].lower(), True)
    else:  # Monday to Friday of the publication's week
        monday = a - timedelta(days=a.weekday())
        friday = monday + timedelta(days=4)
        hit.interval = (_Hit(hit.start, hit.end, "date", y=monday.year, m=monday.month, d=monday.day),
                        _Hit(hit.start, hit.end, "date", y=friday.year, m=friday.month, d=friday.day))
    return hit


def _h_en_dayword(m: re.Match, cx: _Ctx) -> _Hit:
    w = m["w"].lower()
    return _rel_day(m, cx, -1 if w == "yesterday" else 1 if w == "tomorrow" else 0)


def _h_en_weekday(m: re.Match, cx: _Ctx) -> _Hit:
    wd = _WEEKDAYS[m["wd"][:3].lower()]
    w = re.sub(r"\s+", " ", (m["w"] or "").lower())
    if w.endswith(("upcoming", "coming")):  # the next one after publication
        hit = _weekday_hit(m, cx, wd, None)
        hit.inferred = False
        if cx.anchor:
            d = cx.anchor + timedelta(days=(wd - cx.anchor.weekday()) % 7 or 7)
            hit.y, hit.m, hit.d = d.year, d.month, d.day
        return hit
    steps = None if not w else -1 if w in ("last", "previous") else 0 if w == "this" else 1
    hit = _weekday_hit(m, cx, wd, steps)
    hit.invalid = w == "following"  # the Friday following what?
    return hit


def _h_en_weeknum(m: re.Match, cx: _Ctx) -> _Hit | None:
    hit = _Hit(m.start(), m.end(), "week", relative=not m["y"])
    y = int(m["y"]) if m["y"] else cx.anchor.year if cx.anchor else None
    if y is not None:
        if int(m["n"]) > date(y, 12, 28).isocalendar()[1]:
            return None
        hit.fixed = f"{y:04d}-W{int(m['n']):02d}"
    return hit


def _shift(d: date, n: int, unit: str) -> date | None:
    """``d`` moved by n days, business days, weeks, fortnights, months or years; None when the
    day does not exist or a holiday makes the business days uncertain."""
    if unit.split()[0] in ("business", "working"):
        days = _business_days(d, abs(n), 1 if n > 0 else -1)
        return days[-1] if days else None
    try:
        if unit == "day":
            return d + timedelta(days=n)
        if unit == "week":
            return d + timedelta(weeks=n)
        if unit == "fortnight":
            return d + timedelta(weeks=2 * n)
        if unit == "month":
            y, mo = _add_months(d.year, d.month, n)
            return date(y, mo, d.day)
        return date(d.year + n, d.month, d.day)
    except (ValueError, OverflowError):
        return None


# Business days are Monday to Friday, less public holidays: of which country, a text rarely
# says. So they are read only when none of these countries has a national public holiday on a
# weekday from the publication date to the last day counted (then every reading agrees).
_BUSINESS_DAY_COUNTRIES = ("US", "GB", "CA", "AU", "NZ", "IE")


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> frozenset[date]:
    import holidays

    return frozenset(day for country in _BUSINESS_DAY_COUNTRIES
                     for day in holidays.country_holidays(country, years=year))


def _business_days(start: date, n: int, step: int) -> list[date] | None:
    """The n business days after (step 1) or before (step -1) ``start``; None when a public
    holiday in the span could change them (see _BUSINESS_DAY_COUNTRIES) or n is not 1-60."""
    if not 1 <= n <= 60:
        return None
    days: list[date] = []
    day = start
    while len(days) < n:
        day += timedelta(days=step)
        if day.weekday() < 5:
            days.append(day)
    lo, hi = min(start, day), max(start, day)
    off = {d for y in range(lo.year, hi.year + 1) for d in _public_holidays(y)}
    return None if any(lo <= d <= hi and d.weekday() < 5 for d in off) else days


def _count(word: str) -> int:
    w = word.lower()
    return int(w) if w.isdigit() else _EN_NUMBERS.get(w, 0)


def _h_en_in_units(m: re.Match, cx: _Ctx) -> _Hit | None:
    n = _count(m["n"])
    if n <= 0:
        return None
    hit = _Hit(m.start(), m.end(), "date", relative=True)
    d = _shift(cx.anchor, n, m["u"].lower().rstrip("s")) if cx.anchor else None
    if cx.anchor and d is None:
        hit.invalid = True
    if d:
        hit.y, hit.m, hit.d = d.year, d.month, d.day
    return hit


def _h_en_day_after(m: re.Match, cx: _Ctx) -> _Hit:
    if m["x"]:
        return _rel_day(m, cx, 2 if m["x"].lower().startswith("after") else -2)
    return _rel_week(m, cx, 2 if m["y"].lower().startswith("after") else -2)


def _h_en_span(m: re.Match, cx: _Ctx) -> _Hit | None:
    n = _count(m["n"] or m["n2"])
    if n <= 0:
        return None
    forward = (m["w"] or m["w2"]).lower() in ("next", "coming", "upcoming")
    unit = m["u"].lower()[:-1]
    a = cx.anchor
    if unit == "quarter":
        hit = _Hit(m.start(), m.end(), "quarter", relative=True)
        if a:
            now = a.year * 4 + (a.month - 1) // 3
            lo, hi = (now + 1, now + n) if forward else (now - n, now - 1)
            ends = [_Hit(m.start(), m.end(), "quarter", y=t // 4, q=t % 4 + 1) for t in (lo, hi)]
            hit.interval = (ends[0], ends[1])
        return hit
    hit = _Hit(m.start(), m.end(), "date", relative=True)
    if a:
        first: date | None
        last: date | None
        if forward:  # the days after publication, up to the same day n units on
            first, last = a + timedelta(days=1), _shift(a, n, unit)
        else:  # the n units up to the day before publication
            first, last = _shift(a, -n, unit), a - timedelta(days=1)
        if first is None or last is None:
            hit.invalid = True
            return hit
        ends = [_Hit(m.start(), m.end(), "date", y=d.year, m=d.month, d=d.day) for d in (first, last)]
        hit.interval = (ends[0], ends[1])
    return hit


def _h_en_rel_quarter(m: re.Match, cx: _Ctx) -> _Hit:
    return _rel_quarter(m, cx, 1 if m["w"].lower() in ("next", "coming", "upcoming") else -1)


def _h_en_holiday(m: re.Match, cx: _Ctx) -> _Hit | None:
    """Christmas 2015, last Christmas, next New Year's Day, Thanksgiving 2018, Chinese New Year
    2024. Without a year or a modifier the holiday is left open: "spent Christmas with the
    Obamas" may be any year's."""
    name = re.sub(r"\s+", " ", m["h"].lower()).replace("’", "'")
    hit = _Hit(m.start(), m.end(), "date")
    w = (m["w"] or "").lower()
    if name == "may day" and not m["h"][0].isupper():
        return None  # "it may day..." is not a holiday
    if m["y"]:
        if w:
            return None  # "last Christmas 2015": which one?
        _set_day(hit, _holiday_day(name, int(m["y"])))
        return hit
    hit.relative = True
    if not w or cx.anchor is None:
        hit.invalid = True
        return hit
    a = cx.anchor
    this_year = _holiday_day(name, a.year)
    if this_year is None:
        day = None
    elif w in ("last", "previous"):
        day = this_year if this_year < a else _holiday_day(name, a.year - 1)
    elif w in ("next", "coming", "following"):
        day = this_year if this_year > a else _holiday_day(name, a.year + 1)
    else:
        day = this_year
    _set_day(hit, day)
    return hit


def _h_en_ago(m: re.Match, cx: _Ctx) -> _Hit | None:
    raw = m["n"].lower()
    n = int(raw) if raw.isdigit() else _EN_NUMBERS[raw]
    unit = m["u"].lower().rstrip("s")
    if unit == "decade":
        n, unit = n * 10, "year"
    elif unit == "fortnight":
        n, unit = n * 2, "week"
    return _ago(m, cx, n, unit)


# --------------------------------------------------------------- pattern registries

_Handler = Callable[[re.Match, _Ctx], "_Hit | None"]

_COMMON: tuple[tuple[re.Pattern, _Handler], ...] = (
    (_NUM_DATE, _h_num_date),
    (_DIGIT_DATE, _h_digit_date),
    (_DIGIT_RANGE, _h_digit_range),
    (_YEAR_RANGE, _h_year_range),
    (_BARE_YEAR, _h_bare_year),
    (_MONTH_YEAR, _h_month_year),
    (_MD_NUM, _h_md_num),
)
_CHINESE: tuple[tuple[re.Pattern, _Handler], ...] = (
    (_ZH_ABS, _h_zh_abs),
    (_ZH_REL_YEAR, _h_zh_rel_year),
    (_ZH_ABS_CNDAY, _h_zh_abs),
    (_ZH_YY, _h_zh_yy),
    (_ZH_ERA, _h_zh_era),
    (_ZH_LUNAR, _h_zh_lunar),
    (_ZH_MD, _h_zh_md),
    (_ZH_DAY, _h_zh_day),
    (_ZH_HALF_MONTH, _h_zh_half_month),
    (_ZH_REL_HALF, _h_zh_rel_half),
    (_ZH_REL_MONTH, _h_zh_rel_month),
    (_ZH_REL_DAY, _h_zh_rel_day),
    (_ZH_REL_WEEK, _h_zh_rel_week),
    (_ZH_WEEKDAY, _h_zh_weekday),
    (_ZH_REL_QTR, _h_zh_rel_qtr),
    (_ZH_AGO, _h_zh_ago),
    (_ZH_OPEN_SPAN, _h_zh_open_span),
    (_ZH_DECADE, _h_zh_decade),
    (_ZH_CENTURY, _h_zh_century),
    (_ZH_QTR, _h_zh_qtr),
    (_ZH_HALF, _h_zh_bare_qual),
    (_ZH_BARE_YQ, _h_zh_bare_qual),
    (_ZH_BARE_MQ, _h_zh_bare_qual),
    (_ZH_HOLIDAY, _h_zh_holiday),
)
_ENGLISH: tuple[tuple[re.Pattern, _Handler], ...] = (
    (_EN_MDY, _en_date),
    (_EN_DMY, _en_date),
    (_EN_MDY_WORD, _en_date),
    (_EN_BARE_DAY, _h_en_bare_day),
    (_EN_DMY_WORD, _en_date),
    (_EN_MONTH, _h_en_month),
    (_EN_NUMMON, _h_en_nummon),
    (_EN_MON_SLASH_DAY, _en_date),
    (_EN_MONTH_PAIR, _h_en_month_pair),
    (_EN_QYEAR, _h_en_qyear),
    (_EN_HALF, _h_en_half),
    (_EN_QUARTER, _h_en_quarter),
    (_EN_DECADE, _h_en_decade),
    (_EN_CENTURY, _h_en_century),
    (_EN_REL, _h_en_rel),
    (_EN_DAYWORD, _h_en_dayword),
    (_EN_WEEKDAY, _h_en_weekday),
    (_EN_WEEKNUM, _h_en_weeknum),
    (_EN_IN_UNITS, _h_en_in_units),
    (_EN_DAY_AFTER, _h_en_day_after),
    (_EN_AGO, _h_en_ago),
    (_EN_SPAN, _h_en_span),
    (_EN_REL_QUARTER, _h_en_rel_quarter),
    (_EN_HOLIDAY, _h_en_holiday),
    (_EN_WORD_YEAR, _h_en_word_year),
    (_EN_EASTER, _h_en_easter),
    (_EN_WEEKEND, _h_en_weekend),
    (_EN_OPEN_PERIOD, _h_en_open_period),
    (_EN_TO_DATE, _h_en_to_date),
    (_EN_OPEN_TRIGGER, _h_en_open_relative),
    (_EN_OPEN_NAMED, _h_en_open_named),
    (_EN_CY, _h_en_cy),
    (_EN_REST_OF, _h_en_rest_of),
    (_EN_NOW, _h_en_now),
)
_LATIN = re.compile(r"[A-Za-z]")
# Patterns that cannot match without a month name (_MON, or its spelled-out kin), and the
# stems every month name holds: in a Chinese sentence with a Latin acronym their gate
# characters are all there, and the seven of them took a third of find_times on the seeds.
_NEEDS_MONTH = frozenset(
    (_EN_MDY, _EN_DMY, _EN_MDY_WORD, _EN_DMY_WORD, _EN_MONTH, _EN_NUMMON, _EN_MON_SLASH_DAY)
)
_MONTH_STEM = re.compile("jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec", re.I)

# --------------------------------------------------------------------- pre-gates


def required_chars(pattern: re.Pattern) -> tuple[frozenset[str], ...]:
    """Character sets such that every match of ``pattern`` holds a character of each.

    Read off the parsed pattern: a literal (or a small character class) outside any
    optional part is required; a branch requires what all its alternatives require,
    or the union of one requirement per alternative. Anything this cannot read
    (categories such as \\d, lookarounds, back-references) requires nothing, so the
    sets only ever skip a pattern that cannot match. Case-insensitive letters stand
    for every character the engine matches them with (k: k, K and the Kelvin sign).
    """
    try:
        tree = _sre_parse.parse(pattern.pattern, pattern.flags)
    except Exception:  # a private module: if it changes, do without the gate
        return ()
    found = _required(tree, bool(pattern.flags & re.IGNORECASE))
    # Smallest first, supersets of another requirement dropped: they add nothing.
    out: list[frozenset[str]] = []
    for need in sorted(set(found), key=lambda s: (len(s), sorted(s))):
        if not any(have <= need for have in out):
            out.append(need)
    return tuple(out[:4])


# The only non-ASCII characters that re.IGNORECASE matches with an ASCII letter
# (İ ı ſ K); a test checks this against every code point.
_ASCII_FOLDS = "\u0130\u0131\u017f\u212a"
#: An ASCII letter or a character re.IGNORECASE matches with one: a text without any
#: cannot match a case-insensitive English word.
LATIN_LETTER = re.compile(f"[A-Za-z{_ASCII_FOLDS}]")


def case_variants(c: str) -> frozenset[str] | None:
    """Every character that ``re.IGNORECASE`` matches with the character ``c``.

    None for a non-ASCII cased character, whose variants are not listed here.
    """
    if c.lower() == c == c.upper():
        return frozenset(c)  # uncased (CJK, digits, most symbols): the engine matches it alone
    if not c.isascii():
        return None
    variants = {c.lower(), c.upper(), *_ASCII_FOLDS}
    return frozenset(v for v in variants if re.fullmatch(re.escape(c), v, re.IGNORECASE))


def _literal(code: int, icase: bool) -> frozenset[str] | None:
    """The characters a literal matches; None when that cannot be listed here."""
    return case_variants(chr(code)) if icase else frozenset(chr(code))


def _required(items, icase: bool) -> list[frozenset[str]]:
    out: list[frozenset[str]] = []
    for op, av in items:
        if op is _sre.LITERAL:
            lit_chars = _literal(av, icase)
            if lit_chars is not None:
                out.append(lit_chars)
        elif op is _sre.IN:
            chars: set[str] = set()
            for item_op, item_av in av:
                lit = _literal(item_av, icase) if item_op is _sre.LITERAL else None
                if lit is not None:
                    chars.update(lit)
                elif item_op is _sre.RANGE and not icase and item_av[1] - item_av[0] < 256:
                    chars.update(map(chr, range(item_av[0], item_av[1] + 1)))
                else:  # NEGATE, CATEGORY, a wide range
                    break
            else:
                out.append(frozenset(chars))
        elif op is _sre.SUBPATTERN:
            _, add_flags, del_flags, sub = av
            sub_icase = (icase or bool(add_flags & re.IGNORECASE)) and not del_flags & re.IGNORECASE
            out.extend(_required(sub, sub_icase))
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT) and av[0] >= 1:
            out.extend(_required(av[2], icase))
        elif op is _sre.ATOMIC_GROUP:
            out.extend(_required(av, icase))
        elif op is _sre.BRANCH:
            alternatives = [_required(alt, icase) for alt in av[1]]
            if all(alternatives):
                first, rest = alternatives[0], alternatives[1:]
                out.extend(s for s in first if all(any(t <= s for t in alt) for alt in rest))
                out.append(frozenset().union(*(min(alt, key=len) for alt in alternatives)))
                out.append(frozenset().union(*(alt[-1] for alt in alternatives)))  # 昨天|今日: 天 or 日
        # Anything else (lookarounds, anchors, categories, back-references) requires nothing.
    return out


def _gated(
    registry: tuple[tuple[re.Pattern, _Handler], ...]
) -> tuple[tuple[re.Pattern, _Handler, tuple[frozenset[str], ...]], ...]:
    return tuple((pattern, handler, required_chars(pattern)) for pattern, handler in registry)


_COMMON_GATED = _gated(_COMMON)
_CHINESE_GATED = _gated(_CHINESE)
_ENGLISH_GATED = _gated(_ENGLISH)

# The gates as bits: each distinct required set gets a bit, and each character the bits of
# the sets it is in, so one pass over a sentence's gate characters tells every pattern
# whether it can match, instead of testing its sets one by one.
_NEED_BITS: dict[frozenset[str], int] = {}
_CHAR_BITS: dict[str, int] = {}
_GATE_CHARS: set[str] = set()
_BITS: dict[int, tuple] = {}  # id(registry) → (registry, its rows with the bits they need)


def _with_bits(gated: tuple) -> tuple[tuple[re.Pattern, _Handler, int], ...]:
    """``gated``'s rows with their required sets as one bit mask (built once per registry)."""
    entry = _BITS.get(id(gated))
    if entry is None or entry[0] is not gated:
        rows = []
        for pattern, handler, required in gated:
            needed = 0
            for need in required:
                if need not in _NEED_BITS:
                    _NEED_BITS[need] = bit = 1 << len(_NEED_BITS)
                    for c in need:
                        _CHAR_BITS[c] = _CHAR_BITS.get(c, 0) | bit
                    _GATE_CHARS.update(need)
                needed |= _NEED_BITS[need]
            rows.append((pattern, handler, needed))
        entry = _BITS[id(gated)] = (gated, tuple(rows))
    return entry[1]

_RUNNABLE: dict[tuple[int, bool, bool], list[tuple[re.Pattern, _Handler]]] = {}
_RUNNABLE_FROM: list = [None, None, None]  # the registries _RUNNABLE was built from


def _sync_runnable() -> None:
    """Give every registry's gates their bits (before any text's bits are read), and
    forget the kept pattern lists when a registry was swapped (tests do)."""
    registries = (_COMMON_GATED, _CHINESE_GATED, _ENGLISH_GATED)
    if any(a is not b for a, b in zip(registries, _RUNNABLE_FROM)):
        for gated in registries:
            _with_bits(gated)
        _RUNNABLE.clear()
        _RUNNABLE_FROM[:] = registries


def _runnable(present: int, chinese: bool, english: bool) -> list[tuple[re.Pattern, _Handler]]:
    """The patterns whose gates ``present`` (a text's gate bits) opens, in registry
    order, for a text with Chinese and / or Latin letters. Kept per distinct key: a few
    hundred in practice, and far cheaper than testing every pattern's gate per sentence."""
    key = (present, chinese, english)
    rows = _RUNNABLE.get(key)
    if rows is None:
        gated = _with_bits(_COMMON_GATED)
        if chinese:
            gated += _with_bits(_CHINESE_GATED)
        if english:
            gated += _with_bits(_ENGLISH_GATED)
        rows = [(pattern, handler) for pattern, handler, needed in gated if needed & present == needed]
        if len(_RUNNABLE) < 65_536:  # a bound for long runs over odd texts
            _RUNNABLE[key] = rows
    return rows


# ------------------------------------------------------------ intervals, relations

_CONNECTOR = re.compile(
    r"\s?(?:至|到|-|–|—|~|～|〜|和|与)\s?|\s*(?i:-|–|—|to|through|until|till|and)\s*(?:(?i:the)\s+)?"
)
# The qualifier of a range end that is a bound, not a vague part: from the beginning of 2007,
# to the end of 2008, 到2020年底 (but from early 2007, to late 2008 stay open).
_EXACT_START = re.compile(r"(?i:(?:the\s+)?(?:beginning|start)\s+of)\s|.*年初$")
_EXACT_END = re.compile(r"(?i:(?:the\s+)?end\s+of)\s|.*[底末]$")
_BETWEEN_AFTER = re.compile(r"\s?之?间")  # 2015年和2018年之间
_OPENER = re.compile(r"(?:(?P<zh>从|自|由)\s?|(?<![A-Za-z0-9_-])(?P<en>(?i:from|between))\s+(?:(?i:the)\s+)?)$")


_UNREAD_START = re.compile(r"(?<![A-Za-z])(?i:from|between)\s+\S.*?\s(?i:to|through|till|until|and)\s+\Z")


def _merge_intervals(text: str, hits: list[_Hit]) -> list[_Hit]:
    """Join 2015年至2018年 / from 2015 to 2018 / 9月12日至14日 into one interval."""
    out: list[_Hit] = []
    i = 0
    while i < len(hits):
        a = hits[i]
        if i + 1 < len(hits):
            b = hits[i + 1]
            merged = _try_merge(text, a, b, out[-1].end if out else 0)
            if merged:
                out.append(merged)
                i += 2
                continue
        out.append(a)
        i += 1
    return out


def _try_merge(text: str, a: _Hit, b: _Hit, lower: int) -> _Hit | None:
    if a.interval or b.interval or a.kind == "week" or a.d2 or b.d2:
        return None
    conn = _CONNECTOR.fullmatch(text, a.end, b.start)
    if not conn:
        return None
    opener = _OPENER.search(text, max(lower, a.start - 14), a.start)
    joiner = re.sub(r"\s+the$", "", conn[0].strip().lower())  # "and the 1st of November" joins as "and"
    if joiner == "and" and not (opener and opener["en"] and opener["en"].lower() == "between"):
        return None
    between_end = _BETWEEN_AFTER.match(text, b.end) if joiner in ("和", "与") else None
    if joiner in ("和", "与"):
        if not between_end or _later(a, b):
            return None  # 2015年和2018年 are two years; 10月和5月间 could cross either year end
    if (a.weekday and a.inferred) or (b.weekday and b.inferred):
        return None  # from Monday to Friday: which week? (from next Friday to Oct 1st 2020 is read)
    if a.qualifier == "start" and _EXACT_START.match(text, a.start, a.end) and not a.interval:
        a.qualifier = None  # from the beginning of 2007: the range starts when 2007 does
    if b.qualifier == "end" and _EXACT_END.match(text, b.start, b.end) and not b.interval:
        b.qualifier = None  # to the end of 2008, 到2020年底: the range ends when 2008 does
    if a.qualifier or b.qualifier:  # between the end of 2007 and the end of 2008: ends not exact
        out = _Hit(a.start, b.end, a.kind, relative=a.relative or b.relative, interval=(a, b))
        out.invalid = True
        return out
    exact_kinds = {"year", "quarter", "month", "date"}
    if a.kind != b.kind and {a.kind, b.kind} != {"month", "date"} and not (
        a.year_given and b.year_given and {a.kind, b.kind} <= exact_kinds  # 2014 through May 2nd 2018
    ):
        return None
    if not b.year_given and a.y is not None:
        b.y = a.y
        if not b.month_given:
            b.m = a.m
        if b.inferred:
            b.relative = a.relative
        if _later(a, b):  # 8月至2月, Nov 18 - Feb 3: the right end is in the next year
            if b.month_given:
                b.y = a.y + 1
            elif a.m is not None:
                b.y, b.m = _add_months(a.y, a.m, 1)  # the 27th to the 3rd
    elif not a.year_given and b.year_given and b.y is not None:
        a.y = b.y  # Nov 18 - Dec 19, 2015; from May to Oct 2020: the left end shares the right's year
        a.relative = a.inferred = False
        a.year_given = True
        if _later(a, b):
            a.y = b.y - 1  # Nov - Feb 5th, 2017
    out = _Hit(a.start, between_end.end() if between_end else b.end, a.kind, relative=a.relative or b.relative,
               interval=(a, b))
    if _later(a, b):
        out.invalid = True  # an end before its start is never emitted
    return out


def _key(h: _Hit, last: bool) -> tuple[int, int, int] | None:
    """(year, month, day) of a hit's first or last day, for ordering; None if unknown."""
    if h.y is None or h.invalid or h.kind not in ("year", "month", "date", "quarter"):
        return None
    if h.kind == "year":
        return (h.y, 12, 31) if last else (h.y, 1, 1)
    if h.kind == "quarter":
        return (h.y, 3 * (h.q or 1), 31) if last else (h.y, 3 * (h.q or 1) - 2, 1)
    if h.m is None:
        return None
    if h.kind == "month":
        return (h.y, h.m, 31) if last else (h.y, h.m, 1)
    d = (h.d2 or h.d) if last else h.d
    return (h.y, h.m, d or 1)


def _later(a: _Hit, b: _Hit) -> bool:
    """True when interval end ``b`` ends before start ``a`` begins."""
    ka, kb = _key(a, False), _key(b, True)
    return ka is not None and kb is not None and kb < ka


# Also >= and <= (> = 2019, ≤ 2019): one regex here is cheaper than a second search per hit.
_ZH_PREFIX = re.compile(r"(?P<t>截至到?|截止到?|截止至|一直到|直到|直至|到|至|自从|自|从|[><]\s?=|[≥≤])\s?$")
_ZH_SUFFIX = re.compile(
    r"\s?(?P<t>[或及](?:之前|以前|之后|以后)|以来|之前|以前|之后|以后|开始|至今|迄今|为止|起(?![诉草义飞火床身来])"
    r"|前(?![一二两三四五六七八九十\d几半后夕期年])|后(?![一二两三四五六七八九十\d几半期年来]))"
)
_EN_PREFIX = re.compile(
    r"(?<![A-Za-z0-9_-])(?P<t>(?i:since|as\s+of|as\s+at|by|until|till|up\s+until|up\s+to|through"
    r"|before|prior\s+to|ahead\s+of|after|following|starting\s+(?:in|from|on)|beginning\s+(?:in|on|from)"
    r"|no\s+later\s+than|not\s+later\s+than|later\s+than|no\s+earlier\s+than|earlier\s+than"
    r"|starting|beginning|from))\s+(?:(?i:the\s+year)\s+)?$"
)
# "2012 or later", "1/1/2016 and later", "May 3 or earlier": at the end of a clause only
# ("2012 or before the war" is a comparison with something else).
_EN_SUFFIX = re.compile(
    r"\s+(?P<t>(?i:onwards?|on)|(?i:(?:or|and)\s+(?:later|after)|or\s+(?:earlier|before))"
    r"(?!\s+[A-Za-z0-9]))(?![A-Za-z0-9_-])"
)

# 到/至 after these verbs points at a level or origin (上升到2018年的水平, 追溯至), not a deadline.
_CHANGE_VERBS = frozenset("升降增减涨跌达提扩缩回看听得受遇来走高低少多退溯")

_PREFIX_RELATION = {
    "截至": "by", "截至到": "by", "截止": "by", "截止到": "by", "截止至": "by", "到": "by",
    "一直到": "until", "直到": "until", "直至": "until", "至": "until",
    "自从": "since", "自": "since", "从": None,
    "since": "since", "as of": "by", "as at": "by", "by": "by",
    "until": "until", "till": "until", "up until": "until", "up to": "until",
    "through": "until", "before": "before", "prior to": "before", "ahead of": "before",
    "after": "after", "following": "after", "starting in": "since",
    "starting from": "since", "beginning in": "since", "from": None,
    "starting on": "since", "beginning on": "since", "beginning from": "since",
    "later than": "after", "no later than": "by", "not later than": "by", "earlier than": "before",
    "no earlier than": "since", "starting": "since", "beginning": "since",
    ">=": "since", "≥": "since", "<=": "until", "≤": "until",
}
_SUFFIX_RELATION = {
    "以来": "since", "开始": "since", "至今": "since", "迄今": "since", "起": "since",
    "之前": "before", "以前": "before", "前": "before",
    "之后": "after", "以后": "after", "后": "after", "为止": "by",
    "onward": "since", "onwards": "since", "on": "since",
    "or later": "since", "and later": "since", "or after": "since", "and after": "since",
    "or earlier": "by", "or before": "by",
    "或之前": "by", "或以前": "by", "及之前": "by", "及以前": "by",  # on or before
    "或之后": "since", "或以后": "since", "及之后": "since", "及以后": "since",  # on or after
}


def _prefix(text: str, h: _Hit, lower: int) -> tuple[int, str] | None:
    """(start, trigger) of a relation trigger just before the hit."""
    lo = max(lower, h.start - 16)
    m = _ZH_PREFIX.search(text, lo, h.start) or _EN_PREFIX.search(text, lo, h.start)
    if not m:
        return None
    t = re.sub(r"\s+", "", m["t"]) if m.re is _ZH_PREFIX else re.sub(r"\s+", " ", m["t"].lower())
    before = text[m.start() - 1] if m.start() > 0 else ""
    if t in ("到", "至") and before:
        if before in _CHANGE_VERBS:
            return None  # 上升到2018年的水平: the level of a year, not "by 2018"
        if before in "迟长续":
            return m.start(), "直到"  # 推迟到, 延长至, 持续到: "until"
    if t == "至" and before and before in "甚乃以及":
        return None  # 甚至 "even"
    if t in ("自", "自从") and before and before in "来各独亲擅":
        return None  # 来自 "from (a place)"
    return m.start(), t


def _attach_relations(text: str, hits: list[_Hit]) -> None:
    for i, h in enumerate(hits):
        lower = hits[i - 1].end if i else 0
        if h.interval and h.interval[0].start != h.interval[1].start:
            opener = _OPENER.search(text, max(lower, h.start - 14), h.start)
            if opener:
                h.start = opener.start()  # 从2015年到2018年, between 2015 and 2018
            continue
        upper = hits[i + 1].start if i + 1 < len(hits) else len(text)
        pre = _prefix(text, h, lower)
        pre_rel = _PREFIX_RELATION[pre[1]] if pre else None
        suf = _ZH_SUFFIX.match(text, h.end) or _EN_SUFFIX.match(text, h.end)
        if suf and suf.end() > upper:
            suf = None
        suf_word = re.sub(r"\s+", " ", suf["t"].lower()) if suf else None
        if suf_word == "on" and not (pre and pre[1] == "from"):
            suf = suf_word = None  # "in 2019 on the border"
        suf_rel = _SUFFIX_RELATION[suf_word] if suf_word else None
        if pre and pre_rel is None and suf_rel != "since":
            pre = None  # 从/from alone only opens "since" (从2006年起, from 2019 onwards)
        if pre and pre_rel is None:
            pre_rel = "since"
        relation = pre_rel or suf_rel
        if pre and suf and not (suf_rel == pre_rel or (suf_word == "为止" and pre_rel in ("by", "until"))):
            suf = None  # 到2020年前: keep the prefix only
        if pre:
            h.start = pre[0]
        if suf:
            h.end = suf.end()
        h.relation = relation or h.relation  # "to date" carries its own


# ------------------------------------------------------------------- context guards

_EN_NUM_WORD = (
    r"\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty"
)
# "three weeks from tomorrow", "2 weeks before May 13 1999", "more than 2 weeks before today".
_ARITH_BEFORE = re.compile(
    rf"(?<![A-Za-z0-9_-])(?P<cmp>(?i:more\s+than|less\s+than|at\s+least|at\s+most|over|under)\s+)?"
    rf"(?P<n>(?i:{_EN_NUM_WORD}))\s+(?P<u>(?i:days?|weeks?|fortnights?|months?|years?|(?:business|working)\s+days?))\s+"
    r"(?P<op>(?i:from|after|before|since|later\s+than|earlier\s+than))\s+$"
)
# The days from a day on: "w/c Feb 4" and "the week starting on February 4" (seven days),
# "3 days starting from next Monday", "2 weeks starting May 20th", "for 3 days, from today".
_DAYS_STARTING_BEFORE = re.compile(
    rf"(?<![A-Za-z0-9_-])(?:(?P<wc>(?i:w/c)|(?:(?i:the)\s+)?(?i:week)\s+(?i:commencing|beginning|starting))"
    rf"|(?i:for)\s+(?P<n1>(?i:{_EN_NUM_WORD}))\s+(?P<u1>(?i:days?|weeks?))\s*,\s*(?i:from|starting|beginning)"
    rf"|(?P<n2>(?i:{_EN_NUM_WORD}))\s+(?P<u2>(?i:days?|weeks?))\s+(?i:starting|beginning))"
    r"(?:\s+(?i:on|from))?\s+$"
)
# "the last week of 2016", "first ten days of", "the 9th month of", "the second week of".
_OF_BEFORE = re.compile(
    r"(?<![A-Za-z0-9_-])(?:(?i:the)\s+)?(?P<o>(?i:first|last|final|second|third|fourth|fifth|next|\d{1,2}(?:st|nd|rd|th)))"
    r"\s+(?:(?P<k>[A-Za-z0-9]+)\s+)?(?P<u>(?i:weeks?|days?|months?|weekends?|quarters?|half))\s+(?i:of)\s+$"
)
_ORD_NUM = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5}
# Words that make the following expression a holiday or a fiscal period, never read here.
_SPECIAL_BEFORE = re.compile(
    r"(?<![A-Za-z0-9_-])(?i:black|cyber|good|school\s+year|fiscal\s+year|financial\s+year|academic\s+year|fy)\s+$"
)
# Number words after a month: "13 Sept nineteen seventy two", "October two thousand".
_NUMWORDS_AFTER = re.compile(
    r"(?:\s+(?:and\s+)?(?i:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
    r"|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
    r"|hundred|thousand)(?![A-Za-z]))+"
)
# 四月的最后一个星期一, 2021年的第二周, 明年第九个月, 今年的最后 3 周, 去年的前10天: a part of the period.
_ZH_PART_AFTER = re.compile(
    r"的?\s?(?P<o>最后|最初|第|前|后|头)\s?(?P<n>[\d一二三四五六七八九十两]*)\s?个?\s?"
    r"(?P<u>周|星期[一二三四五六日天]?|礼拜[一二三四五六日天]?|天|日|个月|月)"
)
_ZH_LUNAR_BEFORE = re.compile(r"(?:农历|阴历|夏历|旧历)\s?$")
_WEEKDAY_DAY_AFTER = re.compile(
    r"\s*,?\s*(?:(?i:the)\s+)?(?:(?P<d>\d{1,2})(?:st|nd|rd|th)?(?![\d/\-]|\.\d)(?!\s+(?i:days?|weeks?|months?|years?)\b)"
    r"|(?P<dw>(?i:first|second|third|[a-z]+(?:th|st|nd|rd)))\b)"
)


def _compared(h: _Hit, day: date, m: re.Match) -> None:
    """more than 2 weeks before today = before the day two weeks back; less than 3 days after
    tomorrow = tomorrow and the two days after it; other comparisons are left open."""
    word, op = m["cmp"].split()[0].lower(), m["op"].lower()
    unit, n = m["u"].lower().rstrip("s"), _count(m["n"])
    h.relative = True
    if word in ("more", "over") and op in ("before", "after", "from"):
        sign = -1 if op == "before" else 1
        _set_day(h, _shift(day, sign * n, unit))
        h.relation = "before" if sign < 0 else "after"
        return
    last = _shift(day, n, unit) if word in ("less", "under") and op in ("after", "from") and n > 0 else None
    if last is None:
        h.invalid = True
        return
    last -= timedelta(days=1)
    h.kind, h.fixed, h.qualifier = "date", None, None
    h.interval = (_Hit(h.start, h.end, "date", y=day.year, m=day.month, d=day.day),
                  _Hit(h.start, h.end, "date", y=last.year, m=last.month, d=last.day))


def _weekday_numeric(h: _Hit, m: re.Match, anchor: date | None) -> bool:
    """Friday 7/6, Friday 20.6: the numeric date (in its year, else the publication's) when it
    falls on the weekday and reads one way only (20.6), or month/day fits and day/month does
    not. Weekdays beside dates are often wrong (the suite's "this Friday 7.6" for Saturday 6
    July), so a day/month reading that only the weekday picks stays open (Thu 10/11)."""
    year = int(m["y"]) if m["y"] else anchor.year if anchor else None
    if year is None or h.wd is None:
        return False
    a, b = int(m["a"]), int(m["b"])
    readings = [date(year, mo, d) for mo, d in ((a, b), (b, a)) if 1 <= mo <= 12 and _valid_day(year, mo, d)]
    if not readings or readings[0].weekday() != h.wd or (len(readings) > 1 and readings[1].weekday() == h.wd):
        return False
    h.end = m.end()
    _set_day(h, readings[0])
    h.weekday, h.inferred, h.relative = False, False, not m["y"]
    return True


def _weekday_and_day(h: _Hit, m: re.Match, cx_anchor: date | None) -> None:
    """Monday 21, tue 13th, tuesday the eleventh: the day of the month that falls on that weekday
    nearest to publication, within six months either way; else left open."""
    word = re.sub(r"\s+", "-", (m["dw"] or "").lower())
    day = int(m["d"]) if m["d"] else _DAY_WORDS.get(word)
    if day is None or h.wd is None or cx_anchor is None or not 1 <= day <= 31:
        h.invalid = True
        return
    a = cx_anchor
    found = []
    for step in range(-6, 7):
        y, mo = _add_months(a.year, a.month, step)
        if _valid_day(y, mo, day) and date(y, mo, day).weekday() == h.wd:
            found.append(date(y, mo, day))
    if not found:
        h.invalid = True
        return
    best = min(found, key=lambda d: (abs((d - a).days), d > a))
    _set_day(h, best)
    h.weekday = h.inferred = False  # now a date: absorbed by nothing, an end like any other
_ISO_WEEK_VALUE = re.compile(r"(\d{4})-W(\d{2})")
_WEEKDAY_OF_WEEK = re.compile(r"\s+(?:(?i:of)\s+)?")  # Tuesday of last week, Friday next week (not "Thursday, week 23")
_WEEKDAY_NUMBER_AFTER = re.compile(r"[\s,(（]*(?:\d|[A-Za-z]{3}-\d)")
# Friday 7/6, Friday 6.7.2018: a numeric date after a bare weekday (read in _weekday_numeric).
_WEEKDAY_NUMERIC = re.compile(
    r"[\s,]*(?P<a>\d{1,2})(?P<s>[/.])(?P<b>\d{1,2})(?:(?P=s)(?P<y>(?:19|20)\d\d))?(?![\d/]|\.\d)"
)
_WEEKDAY_GAP = re.compile(r"[\s,，、(（]*(?:(?i:on|of)\s+)?")


def _to_day(h: _Hit) -> date | None:
    if h.interval or h.invalid or h.d2 or h.kind != "date" or None in (h.y, h.m, h.d):
        return None
    try:
        return date(h.y, h.m, h.d)  # type: ignore[arg-type]
    except ValueError:
        return None


def _set_day(h: _Hit, d: date | None) -> None:
    h.kind, h.fixed, h.d2, h.qualifier = "date", None, None, None
    if d is None:
        h.invalid = True
    else:
        h.y, h.m, h.d = d.year, d.month, d.day


def _first_or_last(h: _Hit, first: bool, n: int, unit: str) -> bool:
    """The first or last n days, weeks (ISO weeks of a year) or months (of a year) of ``h``,
    as an interval; False when that is not exact (weeks of a month, more units than it has)."""
    if n <= 0 or h.interval or h.y is None or h.kind not in ("year", "month") or (h.kind == "month" and not h.m):
        return False
    y = h.y
    if unit == "day":
        if h.m is not None:  # of a month
            lo, hi = date(y, h.m, 1), date(y, h.m, calendar.monthrange(y, h.m)[1])
        else:
            lo, hi = date(y, 1, 1), date(y, 12, 31)
        if n > (hi - lo).days + 1:
            return False
        a, b = (lo, lo + timedelta(days=n - 1)) if first else (hi - timedelta(days=n - 1), hi)
        if n == 1:  # 去年的最后一天: one day
            h.kind, h.y, h.m, h.d, h.qualifier = "date", a.year, a.month, a.day, None
            return True
        ends = (_Hit(h.start, h.end, "date", y=a.year, m=a.month, d=a.day),
                _Hit(h.start, h.end, "date", y=b.year, m=b.month, d=b.day))
    elif unit == "week" and h.kind == "year":
        last = date(y, 12, 28).isocalendar()[1]
        if n > last:
            return False
        w1, w2 = (1, n) if first else (last - n + 1, last)
        ends = (_Hit(h.start, h.end, "week", fixed=f"{y:04d}-W{w1:02d}"),
                _Hit(h.start, h.end, "week", fixed=f"{y:04d}-W{w2:02d}"))
    elif unit == "month" and h.kind == "year" and n <= 12:
        m1, m2 = (1, n) if first else (13 - n, 12)
        ends = (_Hit(h.start, h.end, "month", y=y, m=m1), _Hit(h.start, h.end, "month", y=y, m=m2))
    else:
        return False
    h.kind, h.interval, h.qualifier = ends[0].kind, ends, None
    return True


def _zh_part_of(h: _Hit, m: re.Match) -> None:
    """去年的前10天, 今年的最后3周, 2021年的第二周, 明年第九个月: exact parts, else left open."""
    h.end = m.end()
    o, raw, u = m["o"], m["n"], m["u"]
    unit = {"天": "day", "日": "day", "周": "week", "个月": "month", "月": "month"}.get(u)
    n = (int(raw) if raw.isdigit() else _zh_int(raw)) if raw else None
    if unit and n and o == "第" and h.kind == "year" and not h.interval and h.y is not None and not h.qualifier:
        if unit == "week" and n <= date(h.y, 12, 28).isocalendar()[1]:
            h.kind, h.fixed = "week", f"{h.y:04d}-W{n:02d}"  # 2021年的第二周: ISO week 2
            return
        if unit == "month" and n <= 12 and "个" in m[0]:
            h.kind, h.m = "month", n  # 明年第九个月
            return
    if unit and n and o in ("前", "头", "最初", "最后", "后") and not h.qualifier:
        if _first_or_last(h, o in ("前", "头", "最初"), n, unit):
            return
    wd = "一二三四五六日天".find(u[-1]) if u[:2] in ("星期", "礼拜") and len(u) == 3 else -1
    if wd >= 0 and o in ("最后", "第") and raw in ("", "一", "1") or (wd >= 0 and o == "第" and n and n <= 5):
        if _nth_weekday(h, min(wd, 6), -1 if o == "最后" else n or 1):
            return  # 四月的最后一个星期一, 五月的第二个星期日
    h.invalid = True


def _nth_weekday(h: _Hit, wd: int, n: int) -> bool:
    """The n-th (or, for -1, the last) weekday ``wd`` of the month ``h``; False if none."""
    if h.kind != "month" or h.interval or h.y is None or h.m is None or h.qualifier:
        return False
    last = calendar.monthrange(h.y, h.m)[1]
    days = [d for d in range(1, last + 1) if date(h.y, h.m, d).weekday() == wd]
    if not (n == -1 or 1 <= n <= len(days)):
        return False
    _set_day(h, date(h.y, h.m, days[-1] if n == -1 else days[n - 1]))
    return True


def _week_of(h: _Hit, text: str, m: re.Match) -> None:
    """The first / last / n-th week of a year or a month, as an ISO week; the first / last
    n days, weeks or months of a year or month as an interval; else left open."""
    o, u = m["o"].lower(), m["u"].lower()
    h.start = m.start()
    if m["k"] and o in ("first", "last") and u.endswith("s") and not h.qualifier:
        n = _count(m["k"])
        if _first_or_last(h, o == "first", n, u.rstrip("s")):
            return  # the first ten days of last year, the last 3 weeks of this year
    n_th = 0 if o in ("last", "final") else _ORD_NUM.get(o) or (int(o[:-2]) if o[:-2].isdigit() else 0)
    if not m["k"] and u in ("day", "month") and not h.interval and not h.qualifier and h.y is not None:
        _nth_of(h, n_th, o in ("last", "final"), u)  # the 15th day of next month, the 9th month of 2027
        return
    if m["k"] or u != "week" or h.interval or h.y is None or h.kind not in ("year", "month"):
        h.invalid = True
        return
    if h.kind == "year":
        n = 53 if o in ("last", "final") else _ORD_NUM.get(o) or (int(o[:-2]) if o[:-2].isdigit() else 0)
        last = date(h.y, 12, 28).isocalendar()[1]
        if n == 53:
            n = last
        if not 1 <= n <= last:
            h.invalid = True
            return
        h.kind, h.fixed = "week", f"{h.y:04d}-W{n:02d}"
    elif o in ("last", "final") and h.m:
        h.kind, h.fixed = "week", _iso_week(date(h.y, h.m, calendar.monthrange(h.y, h.m)[1]))
    elif h.m and 1 <= n_th <= 6:
        # The n-th week of a month counts from the ISO week that holds its 1st (the first week of
        # March 2021), and must still hold a day of the month (the 3rd week of Jan 2019 = W03).
        first = date(h.y, h.m, 1)
        monday = first - timedelta(days=first.weekday()) + timedelta(weeks=n_th - 1)
        if monday > date(h.y, h.m, calendar.monthrange(h.y, h.m)[1]):
            h.invalid = True
            return
        h.kind, h.fixed = "week", _iso_week(monday)
    else:
        h.invalid = True


def _nth_of(h: _Hit, n: int, last: bool, unit: str) -> None:
    """The n-th (or last) day of a month or year, the n-th month of a year; else left open."""
    y = h.y
    assert y is not None
    if unit == "day" and h.kind == "month" and h.m:
        n = calendar.monthrange(y, h.m)[1] if last else n
        if 1 <= n and _valid_day(y, h.m, n):
            h.kind, h.d = "date", n
            return
    elif unit == "day" and h.kind == "year":
        first = date(y, 1, 1)
        n = (date(y, 12, 31) - first).days + 1 if last else n
        if 1 <= n <= (date(y, 12, 31) - first).days + 1:
            _set_day(h, first + timedelta(days=n - 1))
            return
    elif unit == "month" and h.kind == "year" and (last or 1 <= n <= 12):
        h.kind, h.m = "month", 12 if last else n
        return
    h.invalid = True


def _guard(text: str, hits: list[_Hit], anchor: date | None = None) -> list[_Hit]:
    """Read what sits around each candidate: arithmetic on it, a part of it, a holiday
    name, a lunar calendar, a weekday beside a date. What can be computed exactly is;
    the rest widens the span and leaves the value open. Never a nearby word read alone."""
    for i, h in enumerate(hits):
        window = max(0, h.start - 40)
        m = _DAYS_STARTING_BEFORE.search(text, window, h.start)
        if m and m["wc"] and h.kind in ("week", "month", "quarter", "year"):
            m = None  # every week starting next week: "starting" is the relation of "next week"
        if m:  # w/c Feb 4, the week starting on May 5, 3 days starting from next Monday
            h.start = m.start()
            day = _to_day(h)
            n = 7 if m["wc"] else _count(m["n1"] or m["n2"]) * (7 if (m["u1"] or m["u2"]).lower()[0] == "w" else 1)
            if day is None or n <= 0 or (h.weekday and h.inferred):
                h.invalid = True
                continue
            last = day + timedelta(days=n - 1)
            h.interval = (_Hit(h.start, h.end, "date", y=day.year, m=day.month, d=day.day),
                          _Hit(h.start, h.end, "date", y=last.year, m=last.month, d=last.day))
            h.weekday = h.inferred = False
            continue
        m = _ARITH_BEFORE.search(text, window, h.start)
        if m:
            h.start = m.start()
            day = _to_day(h)
            if m["cmp"] and day is not None and not (h.weekday and h.inferred):
                _compared(h, day, m)
                continue
            if m["cmp"] or day is None or m["op"].lower() == "since" or (h.weekday and h.inferred):
                h.invalid = True
                continue
            n = _count(m["n"])
            sign = -1 if m["op"].lower().startswith(("before", "earlier")) else 1
            _set_day(h, _shift(day, sign * n, m["u"].lower().rstrip("s")))
            h.relative = True
            continue
        m = _OF_BEFORE.search(text, window, h.start)
        if m:
            _week_of(h, text, m)
            continue
        m = _SPECIAL_BEFORE.search(text, window, h.start) or _ZH_LUNAR_BEFORE.search(text, window, h.start)
        if m:
            h.start, h.invalid = m.start(), True
            continue
        prev = hits[i - 1] if i else None
        if (h.holiday and prev is not None and prev.kind == "year" and prev.y is not None
                and not (prev.invalid or prev.interval or prev.qualifier) and text[prev.end:h.start] in ("", "的")
                and text[prev.start:prev.start + 2] not in _ERAS.keys() - {"民国"}):  # a Qing year is lunar
            h.start, h.relative = prev.start, prev.relative  # 民國35年聖誕節
            _set_day(h, _zh_holiday_day(h.holiday_name or "", prev.y))
            h.invalid = h.y is None
        if text[max(0, h.start - 3):h.start].endswith(("'s ", "’s ")) and h.inferred:
            if (prev is not None and prev.end == h.start - 3 and prev.kind == "year" and prev.y is not None
                    and not (prev.invalid or prev.interval or prev.qualifier) and h.kind in ("quarter", "month")):
                h.start, h.y, h.relative = prev.start, prev.y, prev.relative  # next year's first quarter
                h.inferred, h.year_given = False, True
            else:
                h.invalid = True  # the year is another expression's
        hi = hits[i + 1].start if i + 1 < len(hits) else len(text)
        if h.kind == "month" and h.year_given and not (h.inferred or h.interval or h.qualifier or h.invalid):
            _cardinal_day(h, text, window)  # on five January 1986
        if h.kind in ("date", "month") and h.inferred and not h.interval:
            m = _WORD_YEAR_AFTER.match(text, h.end)
            year = _word_year(m) if m else None
            if m and year and not _NUMWORDS_AFTER.match(text, m.end()):
                h.end, h.y = m.end(), year  # August two thousand and fifteen
                h.relative = h.inferred = False
                h.year_given = True
                h.invalid = h.m is not None and h.d is not None and not _valid_day(year, h.m, h.d)
                if h.kind == "month":
                    _cardinal_day(h, text, window)
                continue
            m = _NUMWORDS_AFTER.match(text, h.end)
            if m:
                h.end, h.invalid = m.end(), True
                continue
        m = _ZH_PART_AFTER.match(text, h.end)
        if m and not h.weekday:
            _zh_part_of(h, m)
            continue
        if h.weekday:
            m = _WEEKDAY_DAY_AFTER.match(text, h.end)
            if m and m.end() <= hi:
                h.end = m.end()  # tuesday the eleventh, Sunday 31
                if h.inferred and not h.invalid:  # a bare weekday; "next Friday 13" stays open
                    _weekday_and_day(h, m, anchor)
                else:
                    h.invalid = True
            elif _WEEKDAY_NUMBER_AFTER.match(text, h.end):
                m = _WEEKDAY_NUMERIC.match(text, h.end)
                if m and i + 1 < len(hits) and hits[i + 1].start < m.end() < hits[i + 1].end:
                    m = None  # the number belongs to a longer expression
                if not (m and h.inferred and not h.invalid and _weekday_numeric(h, m, anchor)):
                    h.invalid = True  # friday 5/12, this Friday (jun-15): a date it does not read
    # A weekday beside a date is part of it (10月12号，星期一; friday 5/12); beside any other
    # expression it is left open (tuesday of last week, in 3 days on friday).
    out: list[_Hit] = []
    for h in hits:
        while out and h.start < out[-1].end and out[-1].start >= h.start:
            out.pop()  # the last week of 2016: "last week" is inside the widened span
        if out and h.start < out[-1].end < h.end and out[-1].start < h.start:
            h.start = out[-1].end
        if out and out[-1].end > h.start:  # swallowed by a widened neighbour
            if h.end <= out[-1].end:
                continue
            h.start = out[-1].end
        if out and (out[-1].weekday or h.weekday) and _WEEKDAY_GAP.fullmatch(text, out[-1].end, h.start):
            prev = out[-1]
            wk, other = (prev, h) if prev.weekday else (h, prev)
            day = _to_day(other)
            if not other.weekday and day is not None:
                other.start, other.end = prev.start, h.end
                if wk.wd is not None and day.weekday() != wk.wd:
                    other.invalid = True  # the weekday and the date disagree: neither is kept
                out[-1] = other
                continue
            week = _ISO_WEEK_VALUE.fullmatch(other.fixed or "") if other.kind == "week" else None
            if (week and wk is prev and wk.inferred and wk.wd is not None and not (other.invalid or other.interval)
                    and _WEEKDAY_OF_WEEK.fullmatch(text, prev.end, h.start)):
                # Tuesday of last week: that weekday of the week read beside it
                other.start, other.end = prev.start, h.end
                _set_day(other, date.fromisocalendar(int(week[1]), int(week[2]), wk.wd + 1))
                out[-1] = other
                continue
            if not other.weekday:  # a list of weekdays (on Wednesday, Thursday or Friday) keeps each
                wk.invalid = True
        out.append(h)
    return out


# Parts of a period that no bound fixes (issue 17, fourth round): early / mid / late read as
# Recognizers-Text reads them (a year's thirds; a month's 1st-15th, 10th-20th and 16th-end; a
# week's Monday-Wednesday, Tuesday-Friday and Thursday-Sunday). 上旬 / 中旬 / 下旬 are exact by
# definition (the 1st-10th, 11th-20th, 21st-end). The qualifier stays on the record, so a
# reader can tell a convention from days the text names. "By the end of", "since the
# beginning of" are a period's bound, not a part, and Chinese 年初 / 年底 / 3月初 mostly mean
# "as at" the period's start or end: all left as they were.
_PART_OF_YEAR = {"start": (1, 4), "mid": (5, 8), "end": (9, 12)}  # first and last month
_PART_OF_MONTH = {"start": (1, 15), "mid": (10, 20), "end": (16, 31)}
_TEN_DAYS = {"上旬": (1, 10), "中旬": (11, 20), "下旬": (21, 31)}
_PART_OF_WEEK = {"start": (0, 2), "mid": (1, 4), "end": (3, 6)}  # first and last weekday
_BOUND_WORDS = re.compile(r"(?i:\b(?:end|beginning|start)\s+of\b)")


def _part_of_period(h: _Hit, text: str) -> None:
    """Turn a qualified year, month or week into the days its part covers (see above)."""
    q = h.qualifier or ""
    if h.invalid or h.interval or h.kind not in ("year", "month", "week"):
        return
    span = text[h.start:h.end]
    ten_days = next((v for k, v in _TEN_DAYS.items() if k in span), None)
    if ten_days is None and _CJK.search(span):
        return  # 年底, 3月初: in news mostly "as at" the period's end or start, kept whole
    if h.relation and _BOUND_WORDS.search(span):
        return
    if h.kind == "week":
        week = _ISO_WEEK_VALUE.fullmatch(h.fixed or "")
        if not week:
            return
        monday = date.fromisocalendar(int(week[1]), int(week[2]), 1)
        lo, hi = (monday + timedelta(days=n) for n in _PART_OF_WEEK[q])
    elif h.y is None:
        return
    elif h.kind == "year":
        first, last = _PART_OF_YEAR[q]
        lo, hi = date(h.y, first, 1), date(h.y, last, calendar.monthrange(h.y, last)[1])
    elif h.m is None:
        return
    else:
        first, last = ten_days or _PART_OF_MONTH[q]
        lo, hi = date(h.y, h.m, first), date(h.y, h.m, min(last, calendar.monthrange(h.y, h.m)[1]))
    h.kind, h.fixed = "date", None
    h.interval = (_Hit(h.start, h.end, "date", y=lo.year, m=lo.month, d=lo.day),
                  _Hit(h.start, h.end, "date", y=hi.year, m=hi.month, d=hi.day))


# --------------------------------------------------------------------------- public


def _select(hits: list[_Hit]) -> list[_Hit]:
    """Keep the longest candidates that do not overlap (ties: the earlier one)."""
    hits.sort(key=lambda h: (h.start - h.end, h.start))
    chosen: list[_Hit] = []
    starts: list[int] = []
    for h in hits:
        i = bisect.bisect_left(starts, h.start)
        if i > 0 and chosen[i - 1].end > h.start:
            continue
        if i < len(chosen) and chosen[i].start < h.end:
            continue
        chosen.insert(i, h)
        starts.insert(i, h.start)
    return chosen


def find_times(text: str, lang: str | None = None, published: str | None = None) -> list[TimeExpr]:
    """Find calendar time expressions in ``text``.

    ``lang`` ("zh" or "en") is a hint only; both scripts are handled. ``published``
    is the article's ISO publication date, used to resolve relative expressions
    (去年, last year, 9月12日 without a year); without it they get ``value=None`` and
    ``resolved=False``. Returns records sorted by offset, non-overlapping, with
    ``text[t.start:t.end] == t.text``; see the module docstring for the forms.
    """
    if not text:
        return []
    norm = text.translate(_NORM) if _NORM_ANY.search(text) else text
    _sync_runnable()
    present = 0
    for c in _GATE_CHARS.intersection(norm):
        present |= _CHAR_BITS[c]
    candidates: list[_Hit] = []
    cx = None
    month: bool | None = None  # whether norm names a month, looked up when a pattern needs one
    for pattern, handler in _runnable(present, bool(_CJK.search(norm)), bool(_LATIN.search(norm))):
        if pattern in _NEEDS_MONTH:
            if month is None:
                month = bool(_MONTH_STEM.search(norm))
            if not month:
                continue
        if cx is None:  # most sentences get here for no pattern
            cx = _Ctx(norm, _parse_published(published))
        for m in pattern.finditer(norm):
            hit = handler(m, cx)
            if hit is not None:
                candidates.append(hit)
    if not candidates:
        return []
    hits = _merge_intervals(norm, _guard(norm, _select(candidates), cx.anchor if cx else None))
    hits = [h for h in hits if not h.now]  # "now" outside a range is not a date here
    for h in hits:
        if h.inferred and not h.interval and _UNREAD_START.search(norm, max(0, h.start - 40), h.start):
            h.invalid = True  # from the 27th to the third of April: its year hangs on an end not read
    _attach_relations(norm, hits)
    for h in hits:
        if h.qualifier in _PART_OF_MONTH:
            _part_of_period(h, norm)
    out = []
    for h in hits:
        value = _value(h)
        out.append(
            TimeExpr(
                text=text[h.start:h.end],
                start=h.start,
                end=h.end,
                value=value,
                kind=h.kind,
                relative=h.relative,
                resolved=value is not None,
                relation=h.relation,
                qualifier=h.qualifier,
            )
        )
    return out
