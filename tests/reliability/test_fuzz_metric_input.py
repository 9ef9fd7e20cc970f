"""Metric-input fuzzer: whatever an operator types, parse_metric_value answers cleanly.

For every unit the result is a finite float (a whole, non-negative one for counts) or a
MetricValueError whose message is one printable line naming the metric; nothing else, and
fast. A value that parses survives format_metric_value → parse_metric_value.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from time import perf_counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opsplanner.planner.values import (
    RANGES,
    UNITS,
    MetricValueError,
    format_metric_value,
    parse_metric_value,
)
from opsplanner.safe_text import UNSAFE
from tests.conftest import harness_log

FUZZ = settings(
    deadline=None,
    max_examples=1_500,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

CASES: Counter[str] = Counter()
OUTCOMES: Counter[str] = Counter()


@pytest.fixture(scope="module", autouse=True)
def report_case_counts() -> Iterator[None]:
    started = perf_counter()
    yield
    detail = ", ".join(f"{kind} {count}" for kind, count in sorted(CASES.items()))
    harness_log(
        f"metric-input fuzzer: {sum(CASES.values())} cases in "
        f"{perf_counter() - started:.1f}s ({detail}); parsed {OUTCOMES['value']}, "
        f"refused {OUTCOMES['error']}"
    )


def check_value(kind: str, text: str, unit: str, metric: str = "visitors") -> float | None:
    """Parse ``text``; hold the outcome to the contract; the value, or None when refused."""
    try:
        value = parse_metric_value(text, unit=unit, metric=metric)
    except MetricValueError as error:
        message = str(error)
        assert not UNSAFE.search(message), f"{message!r} is not one line safe to print"
        assert message.startswith(f"{metric}: ") or UNSAFE.search(metric), message
        assert "accepted forms:" in message or "unknown unit" in message, message
        outcome = None
    except Exception as error:
        pytest.fail(
            f"{kind}: parse_metric_value({text!r}, unit={unit!r}) raised "
            f"{type(error).__name__}: {error}"
        )
    else:
        assert type(value) is float, f"{text!r} ({unit}) gave {value!r}"
        assert math.isfinite(value), f"{text!r} ({unit}) gave {value!r}"
        if unit == "count":
            assert value >= 0 and value.is_integer(), f"{text!r} as a count gave {value!r}"
        low, high = RANGES[unit]
        assert low <= value <= high, f"{text!r} ({unit}) gave {value!r}, out of range"
        outcome = value
    CASES[kind] += 1
    OUTCOMES["error" if outcome is None else "value"] += 1
    return outcome


def check_round_trip(value: float, unit: str) -> None:
    """What the app shows for a value reads back as that value (to the shown precision)."""
    if abs(value) >= 1e15:  # beyond what is shown digit for digit within the input limit
        return
    shown = format_metric_value(value, unit=unit, currency="CNY" if unit == "money" else None)
    again = parse_metric_value(shown, unit=unit, metric="visitors")
    expected = float(round(value)) if unit == "count" else round(value, 2)
    assert again == pytest.approx(expected, rel=1e-12, abs=1e-9), (value, shown, again)


UNIT = st.sampled_from(UNITS)

# Everything: all of Unicode, surrogates included (a terminal's undecodable bytes arrive so).
ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=120)

NUMBERISH = st.from_regex(
    r"[ \t\u3000]*[+\-\u2212－]?[ ]?(?:[¥$€£￥]|CNY |usd|RMB)?[ ]?[+\-]?"
    r"[0-9０-９]{0,4}(?:[,， 　.．。][0-9０-９]{1,4}){0,4}(?:[.．][0-9０-９]{0,3})?"
    r"(?:[eE][+\-]?[0-9]{1,3})?[ ]?(?:k|K|w|W|m|M|千|万|萬|亿|億|百万|千万)?[ ]?"
    r"(?:元|块|%|％|cny|USD|eur)?[ \t\n]*",
    fullmatch=True,
)

PIECES = st.sampled_from(
    [
        "0",
        "1",
        "12",
        "123",
        "1234",
        "9" * 30,
        "007",
        "０",
        "１２３",
        "٣",
        "৩",
        "๓",
        "Ⅻ",
        "½",
        "²",
        "①",
        "⁵",
        ",",
        ".",
        " ",
        "，",
        "．",
        "。",
        "、",
        "\u00a0",
        "\u2009",
        "\u202f",
        "\u3000",
        "'",
        "_",
        "-",
        "+",
        "\u2212",
        "－",
        "＋",
        "¥",
        "￥",
        "$",
        "€",
        "£",
        "₩",
        "元",
        "块",
        "塊",
        "CNY",
        "rmb",
        "USD",
        "k",
        "K",
        "w",
        "W",
        "m",
        "M",
        "千",
        "万",
        "萬",
        "百万",
        "千万",
        "亿",
        "億",
        "兆",
        "%",
        "％",
        "‰",
        "e",
        "E",
        "e5",
        "e-5",
        "e308",
        "e999",
        "inf",
        "nan",
        "Infinity",
        "NaN",
        "0x",
        "1_000",
        "\n",
        "\r",
        "\t",
        "\x00",
        "\u200b",
        "\ufeff",
        "\u202e",
        "\U0001f4b0",
        "\udcff",
    ]
)
MIXTURES = st.lists(PIECES, min_size=1, max_size=12).map("".join)

FULL_WIDTH = str.maketrans("0123456789.,%+-", "０１２３４５６７８９．，％＋－")


MAGNITUDES = {"": 1, "k": 10**3, "w": 10**4, "万": 10**4, "亿": 10**8, "M": 10**6}


@st.composite
def well_formed(draw: st.DrawFn) -> tuple[str, Decimal]:
    """Values as dashboards show them, and what they mean: sign, currency, digits grouped in
    threes, decimals, a magnitude, a suffix; sometimes typed full-width."""
    whole = draw(st.integers(0, 10**12))
    digits = f"{whole:,}" if draw(st.booleans()) else str(whole)
    if draw(st.booleans()):
        digits = digits.replace(",", draw(st.sampled_from([" ", "\u00a0", "\u2009", ","])))
    fraction = ""
    if draw(st.booleans()):
        fraction = str(draw(st.integers(0, 999)))
        digits += "." + fraction
    sign = draw(st.sampled_from(["", "-", "+", "\u2212"]))
    magnitude = draw(st.sampled_from(sorted(MAGNITUDES)))
    text = (
        sign
        + draw(st.sampled_from(["", "", "¥", "$", "CNY ", "€"]))
        + digits
        + magnitude
        + draw(st.sampled_from(["", "", "%", "元", " usd"]))
    )
    meaning = Decimal(f"{whole}.{fraction or 0}") * MAGNITUDES[magnitude]
    if sign in ("-", "\u2212"):
        meaning = -meaning
    return (text.translate(FULL_WIDTH) if draw(st.booleans()) else text), meaning


LARGE = st.one_of(
    st.integers(min_value=10**15, max_value=10**99).map(str),
    st.integers(min_value=1, max_value=10**90).map(lambda n: f"{n:,}"),
    st.integers(min_value=1, max_value=9_999).map(lambda n: f"{n}亿亿亿"),
    st.tuples(st.integers(1, 999), st.sampled_from(["k", "w", "万", "亿", "千万"])).map(
        lambda p: f"{'9' * 95}.{p[0]}{p[1]}"
    ),
)


@settings(FUZZ)
@given(text=ANY_TEXT, unit=UNIT)
def test_any_text(text: str, unit: str) -> None:
    check_value("any-text", text, unit)


@settings(FUZZ)
@given(text=NUMBERISH, unit=UNIT)
def test_number_like_text(text: str, unit: str) -> None:
    value = check_value("number-like", text, unit)
    if value is not None:
        check_round_trip(value, unit)


@settings(FUZZ)
@given(case=well_formed(), unit=UNIT)
def test_well_formed_values(case: tuple[str, Decimal], unit: str) -> None:
    text, meaning = case
    value = check_value("well-formed", text, unit)
    if value is not None:
        assert value == float(meaning), f"{text!r} ({unit}) read as {value!r}, means {meaning}"
        check_round_trip(value, unit)


@settings(FUZZ)
@given(text=MIXTURES, unit=UNIT)
def test_mixtures_of_digits_separators_currencies_and_magnitudes(text: str, unit: str) -> None:
    value = check_value("mixture", text, unit)
    if value is not None:
        check_round_trip(value, unit)


@settings(FUZZ, max_examples=500)
@given(text=LARGE, unit=UNIT)
def test_huge_numbers(text: str, unit: str) -> None:
    check_value("huge", text, unit)


@settings(FUZZ, max_examples=500)
@given(
    text=st.one_of(NUMBERISH, MIXTURES),
    unit=st.one_of(UNIT, st.text(max_size=10)),
    metric=st.text(st.characters(exclude_categories=()), max_size=30),
)
def test_any_metric_name_and_unit(text: str, unit: str, metric: str) -> None:
    check_value("metric-and-unit", text, unit, metric)


@settings(FUZZ)
@given(
    value=st.floats(allow_nan=False, allow_infinity=False, min_value=-1e14, max_value=1e14),
    unit=UNIT,
)
def test_every_shown_value_reads_back(value: float, unit: str) -> None:
    high = float(RANGES[unit][1])
    value = math.copysign(abs(value) % high, value)  # within the unit's range
    if unit == "count":
        value = float(abs(round(value)))
    check_round_trip(value, unit)
    CASES["round-trip"] += 1


@pytest.mark.parametrize("unit", UNITS)
@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "\u3000",
        "1" * 101,
        "１" * 60,
        "1" * 99 + "万",
        "9" * 100,
        "9" * 99 + "亿",
        "1e308",
        "1e309",
        "-1e999",
        "inf",
        "-inf",
        "nan",
        "1.2.3",
        "1,23",
        "1,,234",
        "¥¥1",
        "$-1",
        "-$1",
        "--1",
        "+-1",
        "1%%",
        "%1",
        "1万万",
        "1k%",
        "1.2万元",
        "３．５％",
        "１，２３４",
        "１２３",
        "1²",
        "½",
        "①",
        "٣٤",
        "1\u00a0234",
        "1 234 567",
        "12 34",
        "0.000000000000000000001",
        "-0",
        "-0.0",
        "0e0",
        "\udcff",
        "1\udcff",
        "\x00",
        "1\x00",
        "1\n2",
        "1\r\n",
        "\u202e1",
    ],
)
def test_nasty_values(text: str, unit: str) -> None:
    value = check_value("nasty", text, unit)
    if value is not None:
        check_round_trip(value, unit)
