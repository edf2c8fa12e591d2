"""The unit table: canonical names, pint validity, surface lookups."""

from __future__ import annotations

import pytest

from factcheck.extraction.units import (
    CLASSIFIERS,
    COMPOUND_UNITS,
    CURRENCY_PREFIXES,
    CURRENCY_UNITS,
    DURATION_UNITS,
    PER_PREFIXES,
    PER_SUFFIXES,
    PHYSICAL_UNITS,
    SCALED_CURRENCIES,
    SCALED_UNITS,
    UNIT_KINDS,
    UNITS,
    canonical_unit,
    registry,
    to_pint,
)

PER_VALUES = {"day", "week", "month", "year", "hour"}


@pytest.fixture(scope="module")
def ureg():
    return registry()  # pint's defaults plus mu, jin, liang


@pytest.mark.parametrize("name", sorted(PHYSICAL_UNITS | DURATION_UNITS))
def test_physical_and_duration_names_are_pint_units(ureg, name):
    # The canonical names are pint's; square_/cubic_ names go through to_pint.
    ureg.parse_units(to_pint(name))


def test_pint_names_are_used_verbatim_where_pint_has_them(ureg):
    for name in PHYSICAL_UNITS:
        if not name.startswith(("square_", "cubic_")):
            assert to_pint(name) == name
            assert str(ureg.parse_units(name)) == name


def test_square_and_cubic_units_have_the_right_dimension(ureg):
    assert ureg.parse_units(to_pint("square_kilometer")) == ureg.kilometer**2
    assert ureg.parse_units(to_pint("cubic_meter")) == ureg.meter**3


def test_non_physical_units_have_no_pint_expression():
    for name in ("percent", "percentage_point", "times", "fraction", "USD", "person", "count"):
        assert to_pint(name) is None


def test_every_canonical_name_has_a_kind():
    assert set(UNITS.values()) <= set(UNIT_KINDS)
    assert set(UNIT_KINDS.values()) == {
        "physical",
        "duration",
        "percent",
        "multiplier",
        "fraction",
        "currency",
        "count",
    }


def test_currencies_are_iso_codes():
    assert CURRENCY_UNITS >= {"USD", "CNY", "EUR", "GBP", "JPY", "IRR"}
    for code in CURRENCY_UNITS:
        assert len(code) == 3 and code.isupper()
    assert set(CURRENCY_PREFIXES.values()) <= CURRENCY_UNITS


def test_rate_words_map_to_time_units():
    assert set(PER_SUFFIXES.values()) <= PER_VALUES
    assert set(PER_PREFIXES.values()) <= PER_VALUES
    for unit, per in COMPOUND_UNITS.values():
        assert unit in PHYSICAL_UNITS and per in PER_VALUES


def test_classifiers_are_units():
    assert set(CLASSIFIERS.values()) == {"person", "count"}
    for surface, unit in CLASSIFIERS.items():
        assert UNITS[surface] == unit
    for required in "台枚座架艘辆个家所项次颗部套处名位":
        assert required in CLASSIFIERS


@pytest.mark.parametrize(
    "surface, expected",
    [
        ("米", "meter"),
        ("公里", "kilometer"),
        ("千米", "kilometer"),
        ("公斤", "kilogram"),
        ("千克", "kilogram"),
        ("吨", "metric_ton"),
        ("桶", "oil_barrel"),
        ("兆瓦", "megawatt"),
        ("平方公里", "square_kilometer"),
        ("立方米", "cubic_meter"),
        ("km", "kilometer"),
        ("kg", "kilogram"),
        ("tonnes", "metric_ton"),
        ("barrels", "oil_barrel"),
        ("Barrels", "oil_barrel"),
        ("metres", "meter"),
        ("meters", "meter"),
        ("MW", "megawatt"),
        ("GW", "gigawatt"),
        ("mw", None),  # abbreviations are case-sensitive
        ("℃", "degree_Celsius"),
        ("摄氏度", "degree_Celsius"),
        ("％", "percent"),  # full width
        ("per cent", "percent"),
        ("个百分点", "percentage_point"),
        ("percentage points", "percentage_point"),
        ("倍", "times"),
        ("fold", "times"),
        ("美元", "USD"),
        ("$", "USD"),
        ("US$", "USD"),
        ("dollars", "USD"),
        ("元", "CNY"),
        ("人民币", "CNY"),
        ("yuan", "CNY"),
        ("欧元", "EUR"),
        ("€", "EUR"),
        ("英镑", "GBP"),
        ("日元", "JPY"),
        ("里亚尔", "IRR"),
        ("rials", "IRR"),
        ("岁", "year"),
        ("年", "year"),
        ("个月", "month"),
        ("weeks", "week"),
        ("天", "day"),
        ("小时", "hour"),
        ("人", "person"),
        ("名", "person"),
        ("位", "person"),
        ("people", "person"),
        ("台", "count"),
        ("艘", "count"),
        ("  km ", "kilometer"),
        ("widgets", None),
        ("", None),
    ],
)
def test_canonical_unit(surface, expected):
    assert canonical_unit(surface) == expected


def test_currency_signs_named_after_one_currency():
    # Unicode names the sign after the currency (COLON SIGN, KIP SIGN, TURKISH LIRA SIGN)
    assert {UNITS[s] for s in "₡₭₦₴฿₺"} == {"CRC", "LAK", "NGN", "UAH", "THB", "TRY"}
    assert CURRENCY_PREFIXES["₭"] == "LAK"
    # shared names (RUPEE SIGN, PESO SIGN) are left out; the bare LIRA SIGN gives way to ₺
    assert "₨" not in UNITS and "₤" not in UNITS
    assert UNITS["$"] == "USD" and UNITS["£"] == "GBP"  # the hand table keeps its signs


def test_scaled_currency_codes():
    assert SCALED_CURRENCIES["MEUR"] == ("EUR", 10**6)
    assert SCALED_CURRENCIES["kUSD"] == ("USD", 10**3)
    assert UNITS["MSEK"] == "SEK" and CURRENCY_PREFIXES["MAUD"] == "AUD"


def test_scaled_units_are_parts_or_multiples_of_a_unit():
    for surface, (unit, factor) in SCALED_UNITS.items():
        assert UNITS[surface] == unit and factor > 0 and factor != 1
    assert SCALED_UNITS["basis points"] == ("percentage_point", 0.01)
    assert SCALED_UNITS["mb/d"] == ("oil_barrel", 10**6) and COMPOUND_UNITS["mb/d"] == ("oil_barrel", "day")
    assert SCALED_UNITS["‰"] == ("percent", 0.1)
