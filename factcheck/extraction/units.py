"""The unit table: surface forms (Chinese and English) → canonical unit names.

``UNITS`` is the one table every stage uses. Keys are surface forms as they appear
after a number (after NFKC normalisation, so full-width ``％`` arrives as ``%``);
values are canonical names of six kinds (``UNIT_KINDS``):

========== ============================================================================
kind       canonical names
========== ============================================================================
physical   pint's own names (meter, kilometer, kilogram, metric_ton, oil_barrel,
           megawatt, degree_Celsius, ...). ``square_*`` and ``cubic_*`` are not pint
           identifiers; ``to_pint`` turns them into expressions pint parses
           ("square kilometer" → kilometer ** 2). A test checks every physical name
           against ``pint.UnitRegistry()``.
duration   year, month, week, day, hour, minute, second (also pint names). 岁 (age)
           is "year".
percent    "percent" (%, 百分之, per cent, pct) and "percentage_point" (个百分点).
multiplier "times" (10倍, three times, tenfold, 3-fold).
fraction   "fraction" (三分之二, 2/3; the value is the ratio, 0.666...).
currency   ISO 4217 codes: USD, CNY, EUR, GBP, JPY, IRR, HKD, RUB.
count      "person" (人, 名, 位, people, persons) and "count" (other 量词 such as
           台, 枚, 座, 个, and 国 as in 10国; English "19,000 centrifuges").
========== ============================================================================

Decisions worth knowing:

* "tons" is read as metric_ton (news usage), not pint's US short ton.
* "pound"/"pounds" is the mass unit; quantities turns it into GBP when a money
  scale (million, bn, ...) precedes it ("3 billion pounds"). £ is always GBP.
* ¥ is CNY here; ``quantities`` reads it as JPY when the text's language is "en".
* 日 after a number is a date (12日), not a duration; a day is 天. 月 alone is a
  calendar month; a duration is 个月.
* 度 alone is too ambiguous (angle, kWh, temperature) and is left out; 摄氏度, ℃ and
  度电 (kWh) are in.

Rates are not units: ``PER_SUFFIXES`` (桶/日, a day, per year, annually) and
``PER_PREFIXES`` (日均, 每年, 时速) map rate words to the canonical time unit stored
in ``Quantity.per``. ``COMPOUND_UNITS`` are single tokens that carry both (bpd, km/h).

``CLASSIFIERS`` lists the 量词 after which the next Chinese noun is read as the
counted item (19000台离心机 → item 离心机).
"""

from __future__ import annotations

import unicodedata

# Each table maps a canonical name to its surface forms, separated by "|".

# --- physical units (canonical names are pint's) -----------------------------------

_PHYSICAL: dict[str, str] = {
    "meter": "米|m|meter|meters|metre|metres",
    "kilometer": "公里|千米|km|kms|kilometer|kilometers|kilometre|kilometres",
    "centimeter": "厘米|公分|cm|centimeter|centimeters|centimetre|centimetres",
    "millimeter": "毫米|mm|millimeter|millimeters|millimetre|millimetres",
    "mile": "英里|mile|miles",
    "nautical_mile": "海里|nmi|nautical mile|nautical miles",
    "foot": "英尺|ft|foot|feet|′",  # the prime signs, not ' and " (quotes)
    "inch": "英寸|inch|inches|″",
    "kilogram": "公斤|千克|kg|kgs|kilogram|kilograms|kilogramme|kilogrammes|kilo|kilos",
    "gram": "克|g|gram|grams|gramme|grammes",
    "milligram": "毫克|mg|milligram|milligrams",
    "microgram": "微克|mcg|µg|μg|microgram|micrograms",
    "jin": "斤|市斤",
    "metric_ton": "吨|公吨|tonne|tonnes|ton|tons|metric ton|metric tons",
    "kiloton": "kiloton|kilotons|kilotonne|kilotonnes",
    "megaton": "megaton|megatons|megatonne|megatonnes",
    "pound": "磅|lb|lbs|pound|pounds",
    "ounce": "盎司|oz|ounce|ounces",
    "oil_barrel": "桶|bbl|barrel|barrels",
    "liter": "升|公升|litre|litres|liter|liters",
    "milliliter": "毫升|ml|mL|millilitre|millilitres|milliliter|milliliters",
    "gallon": "加仑|gallon|gallons",
    "cubic_foot": "立方英尺|cubic foot|cubic feet",
    "cubic_meter": "立方米|m3|m³|cubic meter|cubic meters|cubic metre|cubic metres",
    "square_meter": "平方米|m2|m²|sq m|square meter|square meters|square metre|square metres",
    "square_kilometer": (
        "平方公里|平方千米|km2|km²|sq km|square kilometer|square kilometers|square kilometre"
        "|square kilometres"
    ),
    "hectare": "公顷|ha|hectare|hectares",
    "mu": "亩",
    "acre": "英亩|acre|acres",
    "watt": "瓦|瓦特|W|watt|watts",
    "kilowatt": "千瓦|kW|kilowatt|kilowatts",
    "megawatt": "兆瓦|MW|megawatt|megawatts",
    "gigawatt": "吉瓦|千兆瓦|GW|gigawatt|gigawatts",
    "kilowatt_hour": "千瓦时|度电|kWh|kilowatt-hour|kilowatt-hours|kilowatt hour|kilowatt hours",
    "megawatt_hour": "兆瓦时|MWh|megawatt-hour|megawatt-hours|megawatt hour|megawatt hours",
    "gigawatt_hour": "吉瓦时|GWh|gigawatt-hour|gigawatt-hours|gigawatt hour|gigawatt hours",
    "terawatt_hour": "太瓦时|TWh|terawatt-hour|terawatt-hours|terawatt hour|terawatt hours",
    "degree_Celsius": (
        "摄氏度|℃|°C|° C|°Celsius|° Celsius|° celsius"
        "|degree Celsius|degrees Celsius|degrees C|degree celsius|degrees celsius|deg celsius"
        "|degrees c|degree c|celsius|celcius|centigrade|degrees centigrade"
    ),
    "degree_Fahrenheit": (
        "华氏度|℉|°F|° F|°Fahrenheit|° Fahrenheit|° fahrenheit"
        "|degree Fahrenheit|degrees Fahrenheit|degrees F|degree fahrenheit|degrees fahrenheit"
        "|deg fahrenheit|degrees f|degree f|fahrenheit"
    ),
    "knot": "knot|knots",
    "degree": "°|degree|degrees|deg",  # 98 degrees, rotate 90 degrees: the scale is not said
    "radian": "rad|radian|radians",  # angles: a plane banked at 0.8 rad
    "decimeter": "分米|dm",
    "micrometer": "微米|μm|µm",
    "nanometer": "纳米",
    "picometer": "皮米",
    "bit": "比特|bit|bits",
    "byte": "字节|byte|bytes",
    "kilobyte": "千字节|KB|kB",
    "megabyte": "兆字节|MB",
    "gigabyte": "吉字节|GB",
    "terabyte": "太字节|TB",
    "kilobit": "千比特|kbit|Kb",
    "megabit": "兆比特|Mbit|Mb",
    "gigabit": "吉比特|Gbit|Gb",
    "hertz": "赫兹|赫|Hz",
    "kilohertz": "千赫|千赫兹|kHz",
    "megahertz": "兆赫|兆赫兹|MHz",
    "gigahertz": "吉赫|吉赫兹|GHz",
    "teaspoon": "茶匙|teaspoon|teaspoons|tsp",
    "tablespoon": "汤匙|tablespoon|tablespoons|tbsp",
    # imperial and US measures, areas and volumes in them
    "yard": "yard|yards|yd|yds",  # not 码 alone: 42码 is a shoe size
    "light_year": "光年|light year|light years|light-year|light-years",
    "pint": "品脱|pint|pints",
    "quart": "夸脱|quart|quarts",
    "fluid_ounce": "液量盎司|fluid ounce|fluid ounces|fl oz|fl. oz.",
    "stone": "英石|stone",  # he weighs 15 stone; "5 stones" are counted
    "carat": "克拉|carat|carats",
    "square_foot": "平方英尺|sq ft|sq. ft.|ft²|ft2|square foot|square feet",
    "square_mile": "平方英里|sq mi|square mile|square miles",
    "square_inch": "平方英寸|sq in|square inch|square inches",
    "square_yard": "平方码|sq yd|square yard|square yards",
    "cubic_inch": "立方英寸|cubic inch|cubic inches",
    "cubic_yard": "立方码|cubic yard|cubic yards",
    "cubic_centimeter": "立方厘米|cc|cm3|cm³|cubic centimeter|cubic centimeters|cubic centimetre|cubic centimetres",
    # energy, power, pressure, electricity, sound, temperature in kelvin
    "joule": "焦耳|joule|joules",
    "calorie": "卡路里|calorie|calories",
    "kilocalorie": "千卡|大卡|kcal|kilocalorie|kilocalories",
    "horsepower": "马力|hp|bhp|horsepower",
    "pound_force_per_square_inch": "磅每平方英寸|psi",
    "volt": "伏特|volt|volts",
    "kilovolt": "千伏|kV|kilovolt|kilovolts",
    "ampere": "安培|amp|amps|ampere|amperes",
    "ohm": "欧姆|Ω|ohm|ohms",
    "decibel": "分贝|dB|decibel|decibels",
    "kelvin": "开尔文|kelvin|kelvins",
}

# Metric prefixes on the base units, spelled out: picometer, kilobytes, megahertz, decilitres.
_PREFIXES = "pico nano micro milli centi deci deca hecto kilo mega giga tera".split()
_BASES = {"meter": ("meter", "metre"), "gram": ("gram", "gramme"), "liter": ("liter", "litre"),
          "byte": ("byte",), "bit": ("bit",), "hertz": ("hertz",), "watt": ("watt",), "joule": ("joule",)}
_SPELLED: dict[str, list[str]] = {}
for _prefix in _PREFIXES:
    for _base, _spellings in _BASES.items():
        for _spelling in _spellings:
            _SPELLED.setdefault(_prefix + _base, []).extend(
                [_prefix + _spelling, _prefix + _spelling + ("" if _spelling.endswith("z") else "s")]
            )
for _name, _forms in _SPELLED.items():
    _listed = set(_PHYSICAL.get(_name, "").split("|"))
    _taken = {f for v in _PHYSICAL.values() for f in v.split("|")}
    _fresh = [f for f in dict.fromkeys(_forms) if f not in _listed and f not in _taken]
    if _fresh:
        _PHYSICAL[_name] = "|".join(filter(None, [_PHYSICAL.get(_name, ""), *_fresh]))

_DURATIONS: dict[str, str] = {
    "year": "年|岁|周岁|year|years|yr|yrs|yo|y.o.|y/o",  # 87 yo: an age
    "month": "个月|month|months",
    "week": "周|星期|个星期|礼拜|个礼拜|week|weeks",
    "day": "天|day|days",
    "hour": "小时|个小时|钟头|个钟头|hour|hours|hr|hrs",
    "minute": "分钟|minute|minutes|mins",
    "second": "秒|秒钟|second|seconds|secs",
    "decade": "decade|decades",  # the previous two decades: a span; 十年 is read as ten years
    "century": "century|centuries",  # two centuries; the 21st century is an ordinal, not read
}

_PERCENT: dict[str, str] = {
    "percent": "%|percent|per cent|pct",
    "percentage_point": "个百分点|百分点|percentage point|percentage points|pp|ppt|ppts",
}

_MULTIPLIERS: dict[str, str] = {
    "times": "倍|times|fold",
}

_FRACTIONS: dict[str, str] = {
    "fraction": "分之",
}

_CURRENCIES: dict[str, str] = {
    "USD": "美元|美金|美圆|$|US$|USD|dollar|dollars|US dollar|US dollars|us dollar|us dollars",
    "CNY": "元|人民币|元人民币|人民币元|块钱|¥|CN¥|CNY|RMB|rmb|yuan|renminbi|chinese yuan|Chinese yuan",
    "EUR": "欧元|€|EUR|euro|euros",
    "GBP": "英镑|£|GBP|sterling|pounds sterling",
    "JPY": "日元|JP¥|JPY|yen",
    "IRR": "里亚尔|伊朗里亚尔|IRR|rial|rials",
    "HKD": "港元|港币|HK$|HKD|hk $|HK $|Hong Kong dollar|Hong Kong dollars",
    "TWD": "新台币|台币|新台幣|NT$|TWD|New Taiwan dollar|New Taiwan dollars",
    "CAD": "加元|加拿大元|C$|CAD|Canadian dollar|Canadian dollars",
    "AUD": "澳元|A$|AUD|Australian dollar|Australian dollars",
    "CHF": "瑞士法郎|法郎|CHF|franc|francs|Swiss franc|Swiss francs",
    "KRW": "韩元|KRW|South Korean won",
    "INR": "卢比|INR|rupee|rupees",
    "RUB": "卢布|RUB|rouble|roubles|ruble|rubles",
}

#: 量词 → canonical count unit. The noun after these is read as ``Quantity.item``.
CLASSIFIERS: dict[str, str] = {
    "名": "person",
    "位": "person",
    **{c: "count" for c in "台枚座架艘辆个家所项次颗部套处轮条例场张剂件只头支门户栋间本首篇份批起双"},
}

_COUNTS: dict[str, str] = {
    "person": "人|people|persons",
    "count": "人次|国",  # 10国支持: the noun is the unit, there is no item
}

_KINDS: tuple[tuple[str, dict[str, str]], ...] = (
    ("physical", _PHYSICAL),
    ("duration", _DURATIONS),
    ("percent", _PERCENT),
    ("multiplier", _MULTIPLIERS),
    ("fraction", _FRACTIONS),
    ("currency", _CURRENCIES),
    ("count", _COUNTS),
)


def _build() -> tuple[dict[str, str], dict[str, str]]:
    units: dict[str, str] = {}
    kinds: dict[str, str] = {}
    for kind, table in _KINDS:
        for canonical, surfaces in table.items():
            kinds[canonical] = kind
            for surface in surfaces.split("|"):
                if surface in units:  # a surface must mean one thing
                    raise ValueError(f"unit surface {surface!r} listed twice")
                units[surface] = canonical
    for surface, canonical in CLASSIFIERS.items():
        units[surface] = canonical
    return units, kinds


#: Surface form → canonical unit name (see the module docstring for the kinds).
UNITS: dict[str, str]
#: Canonical unit name → kind ("physical", "duration", "percent", "multiplier",
#: "fraction", "currency", "count").
UNIT_KINDS: dict[str, str]
UNITS, UNIT_KINDS = _build()

# Last words of currency names that are English words (or another unit, or an older name a
# current currency still goes by): never read alone as a currency.
_ENGLISH_WORD_CURRENCIES = frozenset(
    "account rights value silver platinum palladium gold real reals sol soles dram drams liras colones "
    "mvdol mvdols uic-franc uic-francs cupon".split()
)
# ISO codes that are also English words, never read as currencies on their own.
_WORDLIKE_CODES = frozenset("ALL BAM BOB CUP DOP GEL MAD MOP PEN SOS TOP TRY".split())


def _cldr_currencies() -> tuple[dict[str, str], dict[str, str], frozenset[str]]:
    """Every currency in use, from CLDR through babel: (suffix surfaces, prefix surfaces) → ISO
    code, and the codes of dollars and pesos (written with "$").

    Surfaces: the English name, singular and plural, lower-cased (turkish lira, costa rican
    colóns), the Simplified Chinese name (哥斯达黎加科朗; Traditional text is read through
    OpenCC), the English and Chinese symbols (₹, ₩, R$, MX$) and the code itself in capitals.
    A surface already in the hand table keeps its meaning there (dollar, pound, $); a surface
    two currencies share is left out.
    """
    import babel.core
    from babel import Locale
    from babel.numbers import get_currency_name

    in_use = sorted(
        {
            code
            for history in babel.core.get_global("territory_currencies").values()
            for code, _start, end, tender in history
            if end is None and tender
        }
    )
    en, zh = Locale("en"), Locale("zh")
    found: dict[str, set[str]] = {}  # surface → codes; a surface two codes share is left out below
    for sign, code in _unicode_currency_signs({code: get_currency_name(code, locale=en) for code in in_use}).items():
        found[sign] = {code}
    for code in in_use:
        names = {get_currency_name(code, count=n, locale=en).lower() for n in (1, 2)}
        names |= {zh.currencies.get(code, code), en.currency_symbols.get(code, code)}
        names.add(zh.currency_symbols.get(code, code))
        names.add(code)
        if code in _WORDLIKE_CODES:
            names.discard(code)
        for name in names - {code.lower()}:
            found.setdefault(name, set()).add(code)
    # The bare last word of an English name (naira, rand, zloty, drachma), of any currency CLDR
    # knows, past ones included: a name only one currency ends in, and not an English word.
    last_words: dict[str, set[str]] = {}
    for code in map(str, en.currencies):
        for n in (1, 2):
            name = get_currency_name(code, count=n, locale=en).lower()
            if "(" not in name:
                last_words.setdefault(name.split()[-1], set()).add(code)
    for word, codes in last_words.items():
        if len(codes) == 1 and word not in _ENGLISH_WORD_CURRENCIES and word not in found:
            found[word] = set(codes)
    suffixes = {name: codes.pop() for name, codes in found.items() if len(codes) == 1 and name not in UNITS}
    prefixes = {
        name: code
        for name, code in suffixes.items()
        if name == code or not any(c.isalpha() and c.islower() for c in name) and not _has_cjk(name)
    }
    dollars = frozenset(
        code for code in in_use if any(w in get_currency_name(code, locale=en).lower() for w in ("dollar", "peso"))
    )
    return suffixes, prefixes, dollars


# Unicode blocks that hold currency signs: Latin-1, Armenian to Thai, Khmer, Currency Symbols, the rial.
_SIGN_BLOCKS = ((0x00A0, 0x0100), (0x0580, 0x0E80), (0x1780, 0x1800), (0x20A0, 0x20D0), (0xFDFC, 0xFDFD))


def _unicode_currency_signs(english_names: dict[str, str]) -> dict[str, str]:
    """Currency signs CLDR gives only in their home locales (₡, ₭, ₦, ₴, ฿), from their Unicode
    names: a sign is a currency's when its name, less "SIGN", is that currency's English name
    (TURKISH LIRA SIGN, ARMENIAN DRAM SIGN) or the last word of it and of no other currency in
    use (COLON SIGN → Costa Rican colón, KIP SIGN → Lao kip). A bare-word sign gives way to a
    full-name sign of the same currency (₤ LIRA SIGN is the older pound and lira sign; ₺ is
    Turkish lira's); signs of shared names (PESO, RUPEE, RIAL, MANAT, WON) are left out.
    """

    def plain(name: str) -> str:
        decomposed = unicodedata.normalize("NFKD", name.lower())
        return "".join(c for c in decomposed if not unicodedata.combining(c))

    full = {plain(name): code for code, name in english_names.items()}
    last: dict[str, set[str]] = {}
    for code, name in english_names.items():
        last.setdefault(plain(name).split()[-1], set()).add(code)
    by_full: dict[str, str] = {}
    by_word: dict[str, str] = {}
    for low, high in _SIGN_BLOCKS:
        for sign in map(chr, range(low, high)):
            if unicodedata.category(sign) != "Sc":
                continue
            name = plain(unicodedata.name(sign, "")).removesuffix(" sign").split(" symbol ")[-1]
            if name in full:
                by_full[sign] = full[name]
            elif len(last.get(name, ())) == 1:
                by_word[sign] = next(iter(last[name]))
    return by_full | {sign: code for sign, code in by_word.items() if code not in by_full.values()}


def _has_cjk(s: str) -> bool:
    return any("\u3400" <= c <= "\u9fff" for c in s)


_CLDR_SUFFIXES, _CLDR_PREFIXES, _DOLLAR_CODES = _cldr_currencies()
for _surface, _code in _CLDR_SUFFIXES.items():
    UNITS[_surface] = _code
    UNIT_KINDS.setdefault(_code, "currency")

#: Sub-units of a currency → (ISO code, factor): 470 pence = 4.70 GBP, 12 cents = 0.12 USD
#: (cent follows dollar, which is read as USD), 3美分 = 0.03 USD. 角 and 毛 are read only after
#: an amount in yuan (50元6角), never alone (五角大楼).
CURRENCY_SUBUNITS: dict[str, tuple[str, float]] = {
    **{w: ("USD", 0.01) for w in ("cent", "cents", "美分")},
    **{w: ("GBP", 0.01) for w in ("pence", "penny", "pennies", "便士")},
    "欧分": ("EUR", 0.01),
}
# Lower-case codes of the common currencies after a number (20 usd, 10 rmb).
for _code in ("USD", "EUR", "GBP", "JPY", "CNY", "HKD", "TWD", "CAD", "AUD", "CHF", "KRW", "INR", "RUB"):
    UNITS.setdefault(_code.lower(), _code)
for _surface, (_code, _factor) in CURRENCY_SUBUNITS.items():
    UNITS.setdefault(_surface, _code)

#: Units read as a part or a multiple of another → (unit, factor): 25 basis points = 0.25 percentage_point
#: (加息25个基点), 5‰ = 0.5 percent; 1.1 mb/d = 1.1 million barrels a day (``COMPOUND_UNITS`` gives the rate).
SCALED_UNITS: dict[str, tuple[str, float]] = {
    **{w: ("oil_barrel", 10**6) for w in ("mb/d", "mbd", "mbpd", "mmb/d", "mmbd", "mmbpd")},
    **{w: ("oil_barrel", 10**3) for w in ("kb/d", "kbd", "kbpd")},
    **{w: ("percentage_point", 0.01) for w in ("基点", "个基点", "bp", "bps", "basis point", "basis points")},
    **{w: ("percent", 0.1) for w in ("‰", "per mille")},
}
for _surface, (_unit, _factor) in SCALED_UNITS.items():
    UNITS.setdefault(_surface, _unit)

#: Canonical names that are physical units (checked against pint by the tests).
PHYSICAL_UNITS = frozenset(_PHYSICAL)
DURATION_UNITS = frozenset(_DURATIONS)
CURRENCY_UNITS = frozenset(_CURRENCIES) | frozenset(_CLDR_SUFFIXES.values())

#: Surfaces that may stand before the number as a currency sign ($3bn, 人民币500亿元).
CURRENCY_PREFIXES: dict[str, str] = {
    s: UNITS[s]
    for s in (
        "US$|HK$|hk $|HK $|NT$|C$|A$|JP¥|CN¥|$|€|£|¥|USD|CNY|RMB|EUR|GBP|JPY|IRR|HKD|RUB|TWD|CAD|AUD|CHF|人民币"
    ).split("|")
} | _CLDR_PREFIXES
# A code before "$" names the dollar or peso: CAD$ 15, mxn$ 15, Mex$ 10 million, c $ 1.34.
CURRENCY_PREFIXES |= {
    form: code
    for code in sorted(_DOLLAR_CODES - _WORDLIKE_CODES)
    for form in (f"{code}$", f"{code.lower()}$", f"{code.capitalize()}$")
}
CURRENCY_PREFIXES |= {"Mex$": "MXN", "mex$": "MXN", "c $": "CAD", "C $": "CAD"}

#: A currency's code with M (millions) or k (thousands) glued before it, as financial reports write
#: amounts: 120 MEUR, MAUD 60, 500 kEUR, MSEK 3.2 → (ISO code, factor). After or before the number.
SCALED_CURRENCIES: dict[str, tuple[str, int]] = {
    scale + code: (code, factor)
    for code in sorted(c for c in CURRENCY_UNITS if UNITS.get(c) == c)
    for scale, factor in (("M", 10**6), ("k", 10**3), ("K", 10**3))
    if scale + code not in UNITS
}
for _surface, (_code, _factor) in SCALED_CURRENCIES.items():
    UNITS[_surface] = _code
CURRENCY_PREFIXES |= {surface: code for surface, (code, _factor) in SCALED_CURRENCIES.items()}

#: One token carrying a unit and a rate.
COMPOUND_UNITS: dict[str, tuple[str, str]] = {
    "bpd": ("oil_barrel", "day"),
    "b/d": ("oil_barrel", "day"),
    **{w: ("oil_barrel", "day") for w in ("mb/d", "mbd", "mbpd", "mmb/d", "mmbd", "mmbpd", "kb/d", "kbd", "kbpd")},
    "km/h": ("kilometer", "hour"),
    "kph": ("kilometer", "hour"),
    "mph": ("mile", "hour"),
}

#: Rate words written after the unit → canonical ``per``.
PER_SUFFIXES: dict[str, str] = {
    word: per
    for per, words in {
        "day": "/日|/天|/d|/day|每天|每日|a day|per day|each day|every day|daily",
        "week": "/周|/wk|/week|每周|a week|per week|each week|every week|weekly",
        "month": "/月|/mo|/month|每月|a month|per month|each month|every month|monthly",
        "year": "/年|/yr|/year|每年|a year|per year|each year|every year|annually|yearly|per annum",
        "hour": "/小时|/时|/h|/hr|/hour|每小时|an hour|per hour|every hour|hourly",
    }.items()
    for word in words.split("|")
}

#: Rate words written before the number (日均300万桶, 时速300公里) → canonical ``per``.
PER_PREFIXES: dict[str, str] = {
    "每天": "day",
    "每日": "day",
    "日均": "day",
    "日产": "day",
    "每周": "week",
    "周均": "week",
    "每月": "month",
    "月均": "month",
    "每年": "year",
    "年均": "year",
    "年产": "year",
    "每小时": "hour",
    "时速": "hour",
}

# Lower-cased word surfaces, for a case-insensitive fallback ("Barrels", "Percent").
# Short abbreviations stay case-sensitive (MW is not mW, m is not M).
_UNITS_FOLDED = {k.lower(): v for k, v in UNITS.items() if len(k) >= 3 and k.isascii() and k.islower()}


def canonical_unit(surface: str) -> str | None:
    """Canonical unit name for a surface form, or None when it is not a known unit.

    Full-width forms and extra spaces are normalised; words fall back to a
    case-insensitive match (``"Barrels"`` → ``"oil_barrel"``), abbreviations do not.
    """
    s = " ".join(unicodedata.normalize("NFKC", surface).split())
    if s in UNITS:
        return UNITS[s]
    if surface.strip() in UNITS:  # ℃ changes under NFKC
        return UNITS[surface.strip()]
    return _UNITS_FOLDED.get(s.lower())


def to_pint(canonical: str) -> str | None:
    """An expression ``pint.UnitRegistry().parse_units`` accepts for a physical or duration unit.

    Returns None for non-physical units (percent, currencies, counts...).
    """
    if canonical not in PHYSICAL_UNITS and canonical not in DURATION_UNITS:
        return None
    for prefix in ("square_", "cubic_"):
        if canonical.startswith(prefix):  # pint reads "square kilometer" as kilometer ** 2
            return prefix[:-1] + " " + canonical[len(prefix) :]
    return canonical


# --- the project's pint registry ---------------------------------------------------------

#: Units pint lacks, in pint's definition syntax. Chinese market units (市制): 亩 is
#: 666.67 m² (1/15 hectare), 斤 is 500 g, 两 is 50 g (a tenth of a 斤), 公分 is a centimetre.
PINT_DEFINITIONS = (
    "mu = 10000 / 15 * meter ** 2",
    "jin = 500 * gram",
    "liang = 50 * gram",
)

_REGISTRY = None


def registry():
    """The project's one ``pint.UnitRegistry``: pint's defaults plus ``PINT_DEFINITIONS``.

    Every physical and duration name in ``UNITS`` parses here (``to_pint`` first for
    square_/cubic_ names). Built on first use (pint takes ~0.3 s to load).
    """
    global _REGISTRY
    if _REGISTRY is None:
        import pint

        ureg = pint.UnitRegistry()
        for line in PINT_DEFINITIONS:
            ureg.define(line)
        _REGISTRY = ureg
    return _REGISTRY
