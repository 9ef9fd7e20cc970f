"""Tests for opsplanner.planner.values: what operators type must parse, typos must not."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opsplanner import i18n
from opsplanner.planner.values import (
    RANGES,
    UNITS,
    MetricValueError,
    format_metric_value,
    parse_metric_value,
)

ACCEPTED: list[tuple[str, str, float]] = [
    # --- count: plain, grouped, signed, whitespace ---
    ("count", "1234", 1234),
    ("count", "0", 0),
    ("count", "-0", 0),
    ("count", "+12", 12),
    ("count", "  42  ", 42),
    ("count", "\t42\n", 42),
    ("count", "1,234", 1234),
    ("count", "1,234,567", 1_234_567),
    ("count", "1 234", 1234),
    ("count", "1 234 567", 1_234_567),
    ("count", "1\u2009234", 1234),  # thin space
    ("count", "1\u202f234", 1234),  # narrow no-break space
    ("count", "1\u00a0234", 1234),  # no-break space
    ("count", "12.0", 12),
    ("count", "12.", 12),
    ("count", "1,234.", 1234),
    # --- count: magnitudes ---
    ("count", "1.2k", 1200),
    ("count", "1.2K", 1200),
    ("count", "3m", 3_000_000),
    ("count", "3M", 3_000_000),
    ("count", "1.2w", 12_000),
    ("count", "1.2W", 12_000),
    ("count", "1.2万", 12_000),
    ("count", "1.2 万", 12_000),
    ("count", "1.2萬", 12_000),
    ("count", "3亿", 300_000_000),
    ("count", "3億", 300_000_000),
    ("count", "5千", 5000),
    ("count", "2百万", 2_000_000),
    ("count", "2千万", 20_000_000),
    ("count", "1.25k", 1250),
    ("count", "1.001k", 1001),  # exact: binary floats would make this 1000.999...
    ("count", ".5k", 500),
    ("count", "1,234k", 1_234_000),
    # --- count: full-width ---
    ("count", "１２３４", 1234),
    ("count", "１，２３４", 1234),
    ("count", "＋１２", 12),
    ("count", "１．２万", 12_000),
    ("count", "１。２万", 12_000),  # ideographic full stop
    ("count", "１．２ｋ", 1200),
    ("count", "\u3000１２\u3000", 12),  # ideographic spaces around
    # --- money ---
    ("money", "1234", 1234),
    ("money", "12.5", 12.5),
    ("money", ".5", 0.5),
    ("money", "1,234,567.5", 1_234_567.5),
    ("money", "1 234.50", 1234.5),
    ("money", "¥1,234.50", 1234.5),
    ("money", "¥ 1,234.50", 1234.5),
    ("money", "￥1234", 1234),
    ("money", "$12", 12),
    ("money", "＄12", 12),
    ("money", "€12", 12),
    ("money", "£12", 12),
    ("money", "￡12", 12),
    ("money", "1234元", 1234),
    ("money", "1234 元", 1234),
    ("money", "1234块", 1234),
    ("money", "CNY 1234", 1234),
    ("money", "cny 1234", 1234),
    ("money", "CNY1234", 1234),
    ("money", "RMB1234", 1234),
    ("money", "rmb1234", 1234),
    ("money", "Rmb 1,234.5", 1234.5),
    ("money", "1234 CNY", 1234),
    ("money", "USD 12.00", 12),
    ("money", "¥1.2万", 12_000),
    ("money", "1.2万元", 12_000),
    ("money", "$1.2k", 1200),
    ("money", "¥3亿", 300_000_000),
    ("money", "1.2w", 12_000),
    ("money", "-12.5", -12.5),
    ("money", "-¥12", -12),
    ("money", "¥-12", -12),
    ("money", "+$12", 12),
    ("money", "１２３４．５", 1234.5),
    ("money", "￥１，２３４．５０", 1234.5),
    ("money", "－￥１２", -12),
    ("money", "\u221212", -12),  # minus sign
    # --- percent ---
    ("percent", "3.5%", 3.5),
    ("percent", "3.5", 3.5),
    ("percent", "3.5 %", 3.5),
    ("percent", ".5%", 0.5),
    ("percent", "+12%", 12),
    ("percent", "-1.2%", -1.2),
    ("percent", "-1.2", -1.2),
    ("percent", "0%", 0),
    ("percent", "1,250%", 1250),
    ("percent", "３．５％", 3.5),
    ("percent", "３．５", 3.5),
    ("percent", "－３．５％", -3.5),
    ("percent", "\u22123.5%", -3.5),
    # --- number ---
    ("number", "12.5", 12.5),
    ("number", "1,234.5", 1234.5),
    ("number", "1 234.5", 1234.5),
    ("number", ".5", 0.5),
    ("number", "+12", 12),
    ("number", "-3", -3),
    ("number", "-0.25", -0.25),
    ("number", "1.2k", 1200),
    ("number", "1.2w", 12_000),
    ("number", "1.2万", 12_000),
    ("number", "１２．５", 12.5),
]


@pytest.mark.parametrize(("unit", "text", "expected"), ACCEPTED)
def test_accepted_forms(unit: str, text: str, expected: float) -> None:
    value = parse_metric_value(text, unit=unit, metric="visitors")
    assert type(value) is float
    assert value == pytest.approx(expected, rel=1e-12, abs=1e-12)
    assert math.copysign(1.0, value) == math.copysign(1.0, expected) or expected == 0


def test_negative_zero_is_plain_zero() -> None:
    assert math.copysign(1.0, parse_metric_value("-0", unit="money", metric="m")) == 1.0


REJECTED: list[tuple[str, str, str]] = [
    # (unit, text, a fragment the message must contain)
    ("count", "", "no value"),
    ("count", "   ", "no value"),
    ("count", "\u3000", "no value"),
    ("count", "abc", "not a number"),
    ("count", "NaN", "not a number"),
    ("number", "nan", "not a number"),
    ("number", "inf", "not a number"),
    ("number", "-inf", "not a number"),
    ("number", "Infinity", "not a number"),
    ("number", "1e400", "exponent"),
    ("number", "1e3", "exponent"),
    ("money", "1.5E-3", "exponent"),
    ("count", "1,23", "threes"),
    ("count", "12,34,567", "threes"),
    ("count", "1234,5", "threes"),
    ("count", "1,234 567", "threes"),
    ("count", "12 34", "threes"),
    ("count", "１，２３", "threes"),
    ("money", "1.234,5", "threes"),
    ("count", "1,", "threes"),
    ("count", "1.2.3", "decimal point"),
    ("money", "1..5", "decimal point"),
    ("count", "1.2.3万", "decimal point"),
    ("count", "-5", "cannot be negative"),
    ("count", "－５", "cannot be negative"),
    ("count", "-1.2k", "cannot be negative"),
    ("count", "12.5", "whole"),
    ("count", "１２．５", "whole"),
    ("count", "1.2345k", "whole"),
    ("count", "¥12", "currency"),
    ("count", "12元", "currency"),
    ("percent", "$3", "currency"),
    ("number", "CNY 3", "currency"),
    ("count", "3.5%", "%"),
    ("money", "12%", "%"),
    ("number", "12％", "%"),
    ("money", "¥12元", "currency"),
    ("money", "$12 USD", "currency"),
    ("count", "+-5", "sign"),
    ("money", "-¥-5", "sign"),
    ("count", "--5", "sign"),
    ("count", "1" * 101, "too long"),
    ("count", "1" * 10_000, "too long"),
    ("count", "k", "not a number"),
    ("count", "万", "not a number"),
    ("money", "¥", "not a number"),
    ("percent", "%", "not a number"),
    ("count", ".", "not a number"),
    ("count", "-", "not a number"),
    ("count", "12\n34", "not a number"),
    ("count", "1²", "not a number"),  # NFKC would make this "12"
    ("count", "①", "not a number"),
    ("count", "١٢", "not a number"),  # Arabic-Indic digits: float() takes them, we don't
    ("count", "12kk", "not a number"),
    ("count", "0x10", "not a number"),
    ("count", "1_000", "not a number"),
]


@pytest.mark.parametrize(("unit", "text", "fragment"), REJECTED)
def test_rejected_inputs(unit: str, text: str, fragment: str) -> None:
    with pytest.raises(MetricValueError) as info:
        parse_metric_value(text, unit=unit, metric="daily_visitors")
    message = str(info.value)
    assert message.startswith("daily_visitors: ")
    assert fragment in message
    assert "accepted forms: " in message
    assert len(message.splitlines()) == 1
    assert len(message) < 250


def test_error_examples_are_tailored_to_the_unit() -> None:
    def message(unit: str) -> str:
        with pytest.raises(MetricValueError) as info:
            parse_metric_value("abc", unit=unit, metric="m")
        return str(info.value)

    assert '"abc" is not a number' in message("count")
    assert "¥1,234.50" in message("money")
    assert "¥" not in message("count")
    assert "3.5%" in message("percent")
    assert "%" not in message("count")


def test_unknown_unit_is_a_metric_value_error() -> None:
    with pytest.raises(MetricValueError, match="unknown unit") as info:
        parse_metric_value("12", unit="kilograms", metric="weight")
    assert isinstance(info.value, ValueError)
    assert str(info.value).startswith("weight: ")
    with pytest.raises(MetricValueError, match="unknown unit"):
        format_metric_value(12, unit="kilograms")


@pytest.mark.parametrize(
    ("unit", "text", "message"),
    [
        (
            "count",
            "abc",
            "访客数：“abc”不是数字；可以这样填：1234, 1,234, 1 234, 1.2k, 1.2w, 1.2万",
        ),
        ("count", "-3", "访客数：“-3”是负数；计数不能为负；可以这样填："),
        ("count", "2.5", "访客数：“2.5”不是整数；计数必须是整数；可以这样填："),
        ("count", "¥12", "访客数：“¥12”带了货币符号，但这项指标不是金额；可以这样填："),
        (
            "money",
            "1,23",
            "访客数：“1,23”分隔符位置不对；数字须每三位一组（1,234,567）；可以这样填：",
        ),
        ("percent", "", "访客数：没有填写数值；可以这样填：3.5, 3.5%, -1.2%, ３．５％"),
    ],
)
def test_errors_in_chinese_name_the_metric_and_the_forms(
    unit: str, text: str, message: str
) -> None:
    i18n.use(i18n.CHINESE)
    with pytest.raises(MetricValueError) as info:
        parse_metric_value(text, unit=unit, metric="访客数")
    assert str(info.value).startswith(message)
    assert len(str(info.value).splitlines()) == 1


FORMATTED: list[tuple[float, str, str | None, str]] = [
    (12345, "count", None, "12,345"),
    (0, "count", None, "0"),
    (1_234_567, "count", None, "1,234,567"),
    (12.0, "count", None, "12"),
    (1234.5, "money", "CNY", "¥1,234.50"),
    (1234.5, "money", "cny", "¥1,234.50"),
    (12, "money", "USD", "$12.00"),
    (12, "money", "EUR", "€12.00"),
    (12, "money", "XYZ", "XYZ 12.00"),
    (1234.5, "money", None, "1,234.50"),
    (-1234.5, "money", "CNY", "-¥1,234.50"),
    (-0.001, "money", "CNY", "¥0.00"),
    (0.005001, "money", "USD", "$0.01"),
    (3.5, "percent", None, "3.50%"),
    (-1.234, "percent", None, "-1.23%"),
    (0, "percent", None, "0.00%"),
    (12.5, "number", None, "12.5"),
    (12.0, "number", None, "12"),
    (100.0, "number", None, "100"),
    (1234.567, "number", None, "1,234.57"),
    (0.1, "number", None, "0.1"),
    (-0.001, "number", None, "0"),
    (-3.25, "number", None, "-3.25"),
]


@pytest.mark.parametrize(("value", "unit", "currency", "expected"), FORMATTED)
def test_format(value: float, unit: str, currency: str | None, expected: str) -> None:
    assert format_metric_value(value, unit=unit, currency=currency) == expected


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_format_rejects_non_finite(bad: float) -> None:
    with pytest.raises(ValueError, match="non-finite"):
        format_metric_value(bad, unit="number")


# --- properties -------------------------------------------------------------------------

# Characters the parser cares about, so generated text reaches the deep branches too.
_RELEVANT = st.sampled_from(
    list("0123456789., \u2009%¥$€£kKmMwW万萬亿千百元块+-eE%")
    + ["１", "２", "．", "，", "％", "－", "cny"]
)
_TEXT = st.one_of(
    st.text(max_size=30),
    st.lists(_RELEVANT, max_size=20).map("".join),
    st.text(min_size=95, max_size=110),
)


def _assert_parse_is_total(text: str, unit: str) -> None:
    try:
        value = parse_metric_value(text, unit=unit, metric="m")
    except MetricValueError as err:
        message = str(err)
        assert message.startswith("m: ")
        assert len(message.splitlines()) == 1
    else:
        assert type(value) is float
        assert math.isfinite(value)
        if unit == "count":
            assert value >= 0
            assert value == int(value)


@settings(max_examples=150)
@given(text=_TEXT, unit=st.sampled_from(UNITS))
def test_parse_only_raises_metric_value_error(text: str, unit: str) -> None:
    _assert_parse_is_total(text, unit)


@settings(max_examples=150)
@given(
    parts=st.lists(
        st.sampled_from(["1", "12", "123", ",", " ", ".", "-", "k", "万", "%", "¥", "元", "１"]),
        max_size=12,
    ),
    unit=st.sampled_from(UNITS),
)
def test_parse_structured_noise(parts: list[str], unit: str) -> None:
    _assert_parse_is_total("".join(parts), unit)


@given(st.integers(min_value=0, max_value=10**12))
def test_round_trip_count(value: int) -> None:
    assert (
        parse_metric_value(
            format_metric_value(value, unit="count"), unit="count", metric="visitors"
        )
        == value
    )


@given(
    value=st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False),
    currency=st.sampled_from([None, "CNY", "USD", "EUR", "GBP", "RMB", "HKD"]),
)
def test_round_trip_money(value: float, currency: str | None) -> None:
    text = format_metric_value(value, unit="money", currency=currency)
    assert abs(parse_metric_value(text, unit="money", metric="sales") - value) <= 0.005 + 1e-6


@given(st.floats(min_value=-1000, max_value=1000, allow_nan=False, allow_infinity=False))
def test_round_trip_percent(value: float) -> None:
    text = format_metric_value(value, unit="percent")
    assert abs(parse_metric_value(text, unit="percent", metric="cr") - value) <= 0.005 + 1e-9


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False))
def test_round_trip_number(value: float) -> None:
    text = format_metric_value(value, unit="number")
    assert abs(parse_metric_value(text, unit="number", metric="aov") - value) <= 0.005 + 1e-6


@pytest.mark.parametrize(
    ("unit", "inside", "outside"),
    [
        ("count", "9007199254740992", "9007199254740993"),
        ("count", "0", "9,007,199,254,741k"),
        ("money", "-10,000,000,000,000", "10,000,000,000,000.01"),
        ("percent", "1000000%", "-1000000.5%"),
        ("number", "1,000,000,000,000,000", "1,000,000,000,000,001"),
    ],
)
def test_each_unit_has_a_range_and_says_it(unit: str, inside: str, outside: str) -> None:
    """Beyond the range a value is refused, not rounded: 2^53 + 1 would be stored as 2^53."""
    low, high = RANGES[unit]
    assert low <= parse_metric_value(inside, unit=unit, metric="m") <= high
    with pytest.raises(MetricValueError, match=f"from {low:,} to {high:,}"):
        parse_metric_value(outside, unit=unit, metric="m")
