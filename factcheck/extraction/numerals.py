"""Chinese numerals and script normalisation for the quantity finder.

``zh_value(s)`` reads a Chinese numeral, Arabic digits mixed with Chinese scales, or
both (二百五十万, 四亿五千六百四十二万零一十五, 5万4千6百, 1,100万, 2.3万, 两千四百五,
九万四, 千三, 一百零十万, 四万万, 一万五千亿, 五兆六十二亿, 十五点七, 两千万点五五四四).
Spaces inside a numeral are ignored (三千 八百 九十六 万). Strings of bare digits
(三四, 二〇一九) are vague numbers or years and give None.

``script_table()`` is a ``str.translate`` table that maps each character, one for one,
to the form the finder matches: Traditional to Simplified (OpenCC's ``t2s``, applied a
character at a time so offsets never move: 萬→万, 億→亿, 個→个, 點→点, 兩→两, 負→负,
幾→几) and the financial digits 壹贰叁肆柒捌玖 (大写) to 一二三四五六七八九. The 大写
digits that are also common words (陆 as in 大陆, 伍 队伍, 拾 拾起, 佰, 仟) are mapped by
``fix_financial`` only next to another numeral character.
"""

from __future__ import annotations

import re
from decimal import Decimal

__all__ = ["zh_value", "script_table", "fix_financial", "ZH_DIGITS", "ZH_SMALL", "ZH_BIG"]

ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
             "八": 8, "九": 9}
ZH_SMALL = {"十": 10, "百": 100, "千": 1000}
ZH_BIG = {"万": 10**4, "亿": 10**8, "兆": 10**12}

# Financial (大写) digits that are never anything else in running text.
_FINANCIAL_ALWAYS = {"壹": "一", "贰": "二", "貳": "二", "叁": "三", "叄": "三", "參": "三", "肆": "四", "柒": "七",
                     "捌": "八", "玖": "九", "弍": "二", "廿": "廿", "卅": "卅"}
# Financial digits that are also words (大陆, 队伍, 拾起): mapped only beside a numeral.
_FINANCIAL_WORDS = {"陆": "六", "陸": "六", "伍": "五", "拾": "十", "佰": "百", "仟": "千"}
_NUMERAL_CHARS = "零〇一二两三四五六七八九十百千万亿点0-9"
_FIN = "".join(_FINANCIAL_WORDS)
_FIN_WORD_RE = re.compile(f"[{_FIN}](?=[ ]?[{_NUMERAL_CHARS}])|(?<=[{_NUMERAL_CHARS}])[ ]?[{_FIN}]")

_TOKEN_RE = re.compile(r"[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?|[零〇一二两三四五六七八九十百千万亿兆廿卅]")


class _ScriptTable(dict):
    """Each character to its Simplified, one-character form (filled lazily, like NFKC)."""

    def __init__(self, converter) -> None:
        super().__init__()
        self._convert = converter

    def __missing__(self, code: int) -> int:
        ch = chr(code)
        mapped = _FINANCIAL_ALWAYS.get(ch)
        if mapped is None and self._convert is not None and "\u3400" <= ch <= "\u9fff":
            out = self._convert(ch)
            mapped = out if len(out) == 1 else ch
        mapped = mapped or ch
        self[code] = ord(mapped)
        return self[code]


_TABLE: _ScriptTable | None = None


def script_table() -> _ScriptTable:
    """The Traditional→Simplified + 大写 table (OpenCC t2s; identity for Traditional if
    OpenCC is not installed)."""
    global _TABLE
    if _TABLE is None:
        try:
            import opencc

            converter = opencc.OpenCC("t2s").convert
        except Exception:  # pragma: no cover - opencc is a dependency
            converter = None
        _TABLE = _ScriptTable(converter)
    return _TABLE


def fix_financial(s: str) -> str:
    """陆伍拾佰仟 → 六五十百千 where they stand next to a numeral (拾六万, 陆 点 五); same length."""
    if not any(c in s for c in _FINANCIAL_WORDS):
        return s
    for _ in range(2):  # 伍拾四: 拾 beside 四 first, then 伍 beside 十; 队伍拾起 stays
        s = _FIN_WORD_RE.sub(lambda m: m.group().replace(m.group().strip(), _FINANCIAL_WORDS[m.group().strip()]), s)
    return s


def zh_value(s: str) -> Decimal | None:
    """Value of a Chinese (or mixed) numeral; None when it is not a well-formed number."""
    s = s.replace(" ", "").replace("\t", "").replace("\u3000", "")
    if not s:
        return None
    negative = s[0] in "负-"
    if negative:
        s = s[1:]
    if "点" in s:
        whole, _, frac = s.partition("点")
        if not frac or any(c not in ZH_DIGITS for c in frac):
            return None
        w = zh_value(whole) if whole else Decimal(0)
        if w is None:
            return None
        value = w + Decimal("0." + "".join(str(ZH_DIGITS[c]) for c in frac))
        return -value if negative else value
    tokens = _TOKEN_RE.findall(s)
    if "".join(tokens) != s.replace(",", "") and "".join(tokens).replace(",", "") != s.replace(",", ""):
        return None
    read = _read(tokens)
    if read is None:
        return None
    return -read if negative else read


def _read(tokens: list[str]) -> Decimal | None:
    total = Decimal(0)
    section = Decimal(0)
    number: Decimal | None = None
    last_small: int | None = None  # the last 十/百/千, for 两千四百五 (= 2450)
    last_big: int | None = None
    zero = False  # a 零 since the last unit: 五亿零六 is 500000006, not 五亿六 (= 560000000)
    digits_in_row = 0
    for t in tokens:
        if t in ZH_DIGITS or t[0].isdigit():
            if t in ("零", "〇") and number is None:
                zero = True
                continue
            if number is not None:
                return None  # 三四, 二〇一九: a string of digits
            number = Decimal(ZH_DIGITS[t]) if t in ZH_DIGITS else Decimal(t.replace(",", ""))
            digits_in_row += 1
        elif t in ("廿", "卅"):
            if number is not None:
                return None
            section += 20 if t == "廿" else 30
            last_small = 10
        elif t in ZH_SMALL:
            unit = ZH_SMALL[t]
            if last_small is not None and unit >= last_small and number is None:
                return None  # 十百
            section += (number if number is not None else Decimal(1)) * unit
            number, last_small, zero = None, unit, False
        else:  # 万 亿 兆
            big = ZH_BIG[t]
            if number is not None:
                section += number
            number = None
            if section == 0:
                total = (total or Decimal(1)) * big  # 四万万, 万亿, 万
            elif last_big is not None and big >= last_big:
                total = (total + section) * big  # 一万五千亿, 三十万亿
            else:
                total += section * big
            section, last_small, last_big, zero = Decimal(0), None, big, False
    if number is not None:
        if not zero and (last_small is not None or (last_big is not None and section == 0)):
            # 两千四百五 → 2450, 九万四 → 94000, 千三 → 1300: the digit counts in the next unit down.
            down = last_small if last_small is not None else last_big
            assert down is not None
            if number >= 10 or number != number.to_integral_value():
                return None
            number *= Decimal(down) / 10
        section += number
    return total + section
