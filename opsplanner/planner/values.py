"""Parse and format the metric values an operator types each morning.

Operators read numbers off dashboards (Taobao, JD, Shopify, ...) and type them fast, in
whatever form the dashboard shows or the keyboard produces: ``1,234``, ``1.2万``, ``¥1.2k``,
full-width ``３．５％``. Being lenient about *form* saves them retyping; being strict about
*meaning* (grouping in threes, one decimal point, whole non-negative counts, finite values)
keeps a typo from silently becoming a wrong number in the plan.

Values are computed with :class:`decimal.Decimal` so that ``1.001k`` is exactly 1001 (binary
floats would give 1000.9999...), then returned as ``float``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import Decimal

from opsplanner.i18n import _
from opsplanner.safe_text import one_line

__all__ = [
    "RANGES",
    "UNITS",
    "MetricValueError",
    "format_metric_value",
    "parse_metric_value",
]

UNITS = ("count", "money", "percent", "number")

MAX_INPUT_LENGTH = 100
"""Longer input is rejected outright: nobody types that by hand, and it bounds the work."""

RANGES: dict[str, tuple[Decimal, Decimal]] = {
    "count": (Decimal(0), Decimal(2) ** 53),
    "money": (-(Decimal(10) ** 13), Decimal(10) ** 13),
    "percent": (-(Decimal(10) ** 6), Decimal(10) ** 6),
    "number": (-(Decimal(10) ** 15), Decimal(10) ** 15),
}
"""What a figure of each unit can be. Counts up to 2^53 are exact as stored (a float); money
keeps its cents exact up to ¥10 trillion, beyond any shop's dashboard; a percentage beyond
a million is a typo. A value outside is refused with its range, never rounded or stored."""


class MetricValueError(ValueError):
    """str(err) is ONE line naming the metric and showing accepted forms.

    One line because the TUI shows it in a single-line status/validation area.
    """


# Examples shown in error messages, tailored per unit so the hint is one the user can copy.
_EXAMPLES: dict[str, str] = {
    "count": "1234, 1,234, 1 234, 1.2k, 1.2w, 1.2万",
    "money": "1234.50, 1,234.50, ¥1,234.50, $12, 1234元, CNY 1234, ¥1.2万",
    "percent": "3.5, 3.5%, -1.2%, ３．５％",
    "number": "12.5, 1,234.5, -3, 1.2k, 1.2万",
}

# Multipliers: Western shorthand (k, m), pinyin shorthand w(an) for 万, and Chinese units in
# simplified and traditional script.
_MAGNITUDES: dict[str, Decimal] = {
    "k": Decimal(10) ** 3,
    "m": Decimal(10) ** 6,
    "w": Decimal(10) ** 4,
    "千": Decimal(10) ** 3,
    "万": Decimal(10) ** 4,
    "萬": Decimal(10) ** 4,
    "百万": Decimal(10) ** 6,
    "千万": Decimal(10) ** 7,
    "亿": Decimal(10) ** 8,
    "億": Decimal(10) ** 8,
}

_CURRENCY_CODES = "cny|rmb|usd|eur|gbp|hkd"

# Overall shape; the number body is checked separately so errors can say what is wrong.
# NFKC has already turned full-width forms (and thin/no-break spaces) into ASCII.
_SHAPE = re.compile(
    rf"""
    (?P<sign>[+-])? [ ]*
    (?P<pre>[¥$€£]|{_CURRENCY_CODES})? [ ]*
    (?P<sign2>[+-])? [ ]*
    (?P<body>[0-9.][0-9., ]*)
    (?P<mag>百万|千万|[kmw千万萬亿億])? [ ]*
    (?P<post>元|块|塊|{_CURRENCY_CODES}|%)?
    """,
    re.IGNORECASE | re.VERBOSE,
)
_GROUPED = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+|[0-9]{1,3}(?: [0-9]{3})+")
_EXPONENT = re.compile(r"[0-9.]e[+-]?[0-9]", re.IGNORECASE)

# Characters NFKC leaves alone but people still type for "." and "-".
_EXTRA_FOLDS = str.maketrans({"。": ".", "\u2212": "-"})

_SYMBOLS = {"CNY": "¥", "RMB": "¥", "USD": "$", "EUR": "€", "GBP": "£"}


def _shown(text: str) -> str:
    """The user's input as quoted in a message: escaped and cut short."""
    text = one_line(text)
    return text if len(text) <= 40 else text[:39] + "…"


def _check_unit(unit: str, metric: str) -> None:
    if unit not in UNITS:
        raise MetricValueError(
            _("{metric}: unknown unit {unit}; expected one of {units}").format(
                metric=one_line(metric), unit=one_line(repr(unit)), units=", ".join(UNITS)
            )
        )


def parse_metric_value(text: str, *, unit: str, metric: str) -> float:
    """Turn what the operator typed into the stored float for ``unit``.

    Raises MetricValueError (a ValueError) with a one-line message naming ``metric``.
    Percent values are stored as the percentage number: ``3.5%`` -> 3.5.
    """
    _check_unit(unit, metric)

    def fail(reason: str) -> MetricValueError:
        return MetricValueError(
            _("{metric}: {reason}; accepted forms: {examples}").format(
                metric=one_line(metric), reason=reason, examples=_EXAMPLES[unit]
            )
        )

    def bad(reason: str) -> MetricValueError:
        """`reason` is a translated sentence about `{value}`, what was typed."""
        return fail(reason.format(value=_shown(raw)))

    raw = text.strip()
    if not raw:
        raise fail(_("no value given"))
    if len(raw) > MAX_INPUT_LENGTH:
        raise fail(
            _("value is too long ({length} characters, at most {limit})").format(
                length=len(raw), limit=MAX_INPUT_LENGTH
            )
        )
    # NFKC would turn superscripts, fractions and circled digits into plain digits
    # ("1²" -> "12"); those are never intended, so refuse them first.
    not_a_number = _('"{value}" is not a number')
    if any(unicodedata.category(ch) == "No" for ch in raw):
        raise bad(not_a_number)
    s = unicodedata.normalize("NFKC", raw).translate(_EXTRA_FOLDS).strip()
    if len(s) > MAX_INPUT_LENGTH:
        raise fail(
            _("value is too long (at most {limit} characters)").format(limit=MAX_INPUT_LENGTH)
        )

    m = _SHAPE.fullmatch(s)
    if m is None:
        if _EXPONENT.search(s):
            raise bad(_('"{value}" uses exponent notation, which is not accepted'))
        raise bad(not_a_number)
    sign, pre, sign2, body, mag, post = m.group("sign", "pre", "sign2", "body", "mag", "post")
    if sign and sign2:
        raise bad(_('"{value}" has more than one sign'))
    percent = post == "%"
    currencies = [c for c in (pre, post) if c and c != "%"]
    if len(currencies) > 1:
        raise bad(_('"{value}" has more than one currency mark'))
    if currencies and unit != "money":
        raise bad(_('"{value}" has a currency, but this metric is not money'))
    if percent and unit != "percent":
        raise bad(_('"{value}" has %, but this metric is not a percentage'))

    body = body.strip()
    if body.count(".") > 1:
        raise bad(_('"{value}" has more than one decimal point'))
    int_part, __, frac_part = body.partition(".")
    if not any(ch.isdigit() for ch in body):
        raise bad(not_a_number)
    if not frac_part.isdigit() and frac_part:
        raise bad(
            _('"{value}" has separators after the decimal point; digits must be grouped in threes')
        )
    if not int_part.isdigit() and int_part:
        if not _GROUPED.fullmatch(int_part):
            raise bad(
                _(
                    '"{value}" has misplaced separators; digits must be grouped in threes '
                    "(1,234,567)"
                )
            )
        int_part = int_part.replace(",", "").replace(" ", "")

    value = Decimal(f"{int_part or '0'}.{frac_part or '0'}")
    if mag:
        value *= _MAGNITUDES[mag.lower()]
    if (sign or sign2) == "-":
        value = -value

    if unit == "count":
        if value < 0:
            raise bad(_('"{value}" is negative; a count cannot be negative'))
        if value != value.to_integral_value():
            raise bad(_('"{value}" is not whole; a count must be a whole number'))

    low, high = RANGES[unit]
    if not low <= value <= high:
        raise bad(
            _('"{{value}}" is out of range: it must be from {low} to {high}').format(
                low=f"{low:,}", high=f"{high:,}"
            )
        )
    return float(value) + 0.0  # "+ 0.0" turns -0.0 into 0.0


def format_metric_value(value: float, *, unit: str, currency: str | None = None) -> str:
    """Show a stored value the way operators read it; parse_metric_value reads it back.

    ``currency`` (an ISO code) only matters for money: CNY/USD/EUR/GBP get their symbol,
    other codes are written as a prefix (``XYZ 12.00``), None gives a bare amount.
    """
    _check_unit(unit, "value")
    if not math.isfinite(value):
        raise ValueError(f"cannot format a non-finite value: {value!r}")

    if unit == "count":
        return f"{round(value):,}"

    rounded = round(value, 2)  # a -0.0 here has no "-": the sign test is "< 0"
    sign = "-" if rounded < 0 else ""
    digits = f"{abs(rounded):,.2f}"
    if unit == "money":
        if currency is None:
            return f"{sign}{digits}"
        code = currency.strip().upper()
        symbol = _SYMBOLS.get(code)
        return f"{sign}{symbol}{digits}" if symbol else f"{sign}{code} {digits}"
    if unit == "percent":
        return f"{sign}{digits}%"
    return f"{sign}{digits.rstrip('0').rstrip('.')}"
