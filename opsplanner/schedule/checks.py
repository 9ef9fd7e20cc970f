"""Safe parsers for metric formulas and task checks: a tokenizer and recursive descent, no eval.

Templates come from users' files, so these expressions are data, never code. The grammar
admits only metric names, numbers and a handful of operators, and every rejection carries a
0-based offset and says what was expected, so the loader can point at a line and column.

Formula::

    expr   := term (("+" | "-") term)*
    term   := factor (("*" | "/") factor)*
    factor := NUMBER | NAME | "(" expr ")" | "-" factor

Check::

    METRIC ("<" | "<=" | ">" | ">=") ["-"] NUMBER ["%"]
    METRIC ("<" | "<=" | ">" | ">=") expr
    METRIC ("drops" | "rises") NUMBER "%" "vs" ("yesterday" | "avg7" | "last_week")
    METRIC "required"

A threshold that is more than a number is a formula (``ad_roi < 1 / gross_margin``): its names
may be the template's parameters, metrics (read for the same data date) or built-ins such as
``days_to_next_workday``; the loader checks which names exist, the planner evaluates them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Final, Literal, cast

from opsplanner.i18n import N_, _

__all__ = [
    "MAX_DEPTH",
    "Check",
    "ExpressionError",
    "Formula",
    "name_offset",
    "parse_check",
    "parse_formula",
]

MAX_DEPTH: Final = 50
"""Deepest nesting of parentheses / unary minus: keeps the parser far from RecursionError."""

_FORMULA_ALLOWED: Final = N_(
    "a formula may only use metric names, numbers, + - * / and parentheses"
)
_AFTER_METRIC: Final = N_('"<", "<=", ">", ">=", "drops", "rises" or "required"')
_BASELINES: Final = ("yesterday", "avg7", "last_week")


class ExpressionError(ValueError):
    """A rejected formula or check; the offset lets the loader report the exact column."""

    message: str
    offset: int

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset

    def __reduce__(self) -> tuple[type[ExpressionError], tuple[str, int]]:
        # Two constructor arguments: tell pickle about both (multiprocessing, caches).
        return (type(self), (self.message, self.offset))


# --------------------------------------------------------------------------- tokens

_NAME_RE: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_DIGITS: Final = r"[0-9]+(?:_[0-9]+)*"
_NUMBER_RE: Final = re.compile(rf"{_DIGITS}(?:\.(?:{_DIGITS})?)?|\.{_DIGITS}")
# What a careless number runs into (1e5, 1.2.3, 12abc, 1__0): reported as one bad number.
_NUMBER_TAIL_RE: Final = re.compile(r"[A-Za-z0-9_.]*")
_SINGLE_OPS: Final = frozenset("+-*/()<>%")

_Kind = Literal["name", "number", "op", "bad", "end"]


@dataclass(frozen=True, slots=True)
class _Token:
    kind: _Kind
    text: str
    offset: int
    value: float = 0.0


def _show(text: str) -> str:
    """Quote a token for a one-line message, whatever characters it holds."""
    if len(text) == 1 and not text.isprintable():
        return f"U+{ord(text):04X}"
    if len(text) > 40:
        text = text[:40] + "…"
    if not text.isprintable():
        text = "".join(c if c.isprintable() else f"U+{ord(c):04X}" for c in text)
    return f"'{text}'" if '"' in text else f'"{text}"'


def _tokenize(text: str) -> list[_Token]:
    """Split into tokens; unknown characters become "bad" tokens so the parser can say why."""
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        if m := _NAME_RE.match(text, i):
            tokens.append(_Token("name", m.group(), i))
            i = m.end()
            continue
        if m := _NUMBER_RE.match(text, i):
            end = m.end()
            tail = cast(re.Match[str], _NUMBER_TAIL_RE.match(text, end)).end()
            if tail > end:
                raise ExpressionError(
                    _("malformed number {number}; write numbers like 12, 1.5, .5 or 1_000").format(
                        number=_show(text[i:tail])
                    ),
                    i,
                )
            value = float(m.group().replace("_", ""))
            if not math.isfinite(value):
                raise ExpressionError(
                    _("number {number} is too large").format(number=_show(m.group())), i
                )
            tokens.append(_Token("number", m.group(), i, value))
            i = end
            continue
        if text.startswith(("<=", ">="), i):
            tokens.append(_Token("op", text[i : i + 2], i))
            i += 2
            continue
        tokens.append(_Token("op" if ch in _SINGLE_OPS else "bad", ch, i))
        i += 1
    tokens.append(_Token("end", "", len(text.rstrip())))
    return tokens


def _is_op(token: _Token, *ops: str) -> bool:
    return token.kind == "op" and token.text in ops


# --------------------------------------------------------------------------- formulas

# A compiled formula is a postfix program: evaluation is a loop, so even a formula of
# thousands of terms (a left-deep tree) cannot exhaust the Python stack.
_Step = tuple[str, float | str]  # ("num", value) | ("var", name) | (operator, "") | ("neg", "")


class _FormulaParser:
    """Recursive descent over the token list, emitting a postfix program."""

    def __init__(self, text: str, tokens: list[_Token] | None = None, start: int = 0) -> None:
        self.tokens = _tokenize(text) if tokens is None else tokens
        self.pos = start
        self.in_check = tokens is not None  # a check's threshold: "the end of the check"
        self.depth = 0
        self.steps: list[_Step] = []
        self.names: set[str] = set()

    def parse(self) -> tuple[tuple[_Step, ...], frozenset[str]]:
        if self.tokens[self.pos].kind == "end" and not self.in_check:
            raise ExpressionError(
                _("empty formula; {allowed}").format(allowed=_(_FORMULA_ALLOWED)), 0
            )
        self.expr()
        token = self.tokens[self.pos]
        if token.kind != "end":
            self.fail_after_operand(token, in_parens=False)
        return tuple(self.steps), frozenset(self.names)

    def after(self) -> str:
        if self.pos == 0:
            return _("at the start of the formula")
        return _("after {token}").format(token=_show(self.tokens[self.pos - 1].text))

    def expr(self) -> None:
        self.term()
        while _is_op(token := self.tokens[self.pos], "+", "-"):
            self.pos += 1
            self.term()
            self.steps.append((token.text, ""))

    def term(self) -> None:
        self.factor()
        while _is_op(token := self.tokens[self.pos], "*", "/"):
            self.pos += 1
            self.factor()
            self.steps.append((token.text, ""))

    def factor(self) -> None:
        token = self.tokens[self.pos]
        if token.kind == "number":
            self.pos += 1
            self.steps.append(("num", token.value))
        elif token.kind == "name":
            self.pos += 1
            self.steps.append(("var", token.text))
            self.names.add(token.text)
        elif _is_op(token, "(", "-"):
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise ExpressionError(
                    _(
                        "formula nests too deeply; at most {count} levels of "
                        "parentheses and minus signs"
                    ).format(count=MAX_DEPTH),
                    token.offset,
                )
            self.pos += 1
            if token.text == "-":
                self.factor()
                self.steps.append(("neg", ""))
            else:
                self.expr()
                closing = self.tokens[self.pos]
                if closing.kind == "end":
                    raise ExpressionError(
                        _('unclosed "("; expected ")" before the end of the check')
                        if self.in_check
                        else _('unclosed "("; expected ")" before the end of the formula'),
                        token.offset,
                    )
                if not _is_op(closing, ")"):
                    self.fail_after_operand(closing, in_parens=True)
                self.pos += 1
            self.depth -= 1
        else:
            self.fail_operand(token)

    def fail_operand(self, token: _Token) -> None:
        """Where a metric name, number, "(" or "-" must come, something else did."""
        if token.kind == "end":
            ends = (
                _('the check ends {where}; expected a number, a name or "("')
                if self.in_check
                else _('formula ends {where}; expected a metric name, a number or "("')
            )
            raise ExpressionError(ends.format(where=self.after()), token.offset)
        previous = self.tokens[self.pos - 1] if self.pos else None
        if (
            _is_op(token, "*")
            and previous is not None
            and _is_op(previous, "*")
            and previous.offset + 1 == token.offset
        ):
            raise ExpressionError(
                _('unexpected "**" (powers are not supported); {allowed}').format(
                    allowed=_(_FORMULA_ALLOWED)
                ),
                previous.offset,
            )
        if token.kind == "bad":
            hint = _(_FORMULA_ALLOWED)
        else:
            hint = _('expected a metric name, a number, "(" or "-"')
        raise ExpressionError(
            _("unexpected {token} {where}; {hint}").format(
                token=_show(token.text), where=self.after(), hint=hint
            ),
            token.offset,
        )

    def fail_after_operand(self, token: _Token, *, in_parens: bool) -> None:
        """After a complete operand, something other than an operator or the end came."""
        previous = self.tokens[self.pos - 1]
        unexpected = _("unexpected {token} after {previous}").format(
            token=_show(token.text), previous=_show(previous.text)
        )
        if token.kind == "bad" or (_is_op(token, "(") and previous.kind == "name"):
            # Also function calls: __import__('os'), f(x).
            hint = _(_FORMULA_ALLOWED)
        elif _is_op(token, ")") and not in_parens:
            hint = _('there is no "(" to close')
        elif in_parens:
            hint = _('expected + - * / or ")"')
        elif self.in_check:
            hint = _("expected + - * / or the end of the check")
        else:
            hint = _("expected + - * / or the end of the formula")
        raise ExpressionError(
            _("{unexpected}; {hint}").format(unexpected=unexpected, hint=hint), token.offset
        )


@lru_cache(maxsize=1024)
def _parse_program(text: str) -> tuple[tuple[_Step, ...], frozenset[str]]:
    """Parse once per distinct text: formulas are evaluated for every day in a report."""
    return _FormulaParser(text).parse()


@dataclass(frozen=True, slots=True)
class Formula:
    """A derived metric, e.g. ``orders / visitors * 100``: computed, never typed in."""

    source: str
    names: frozenset[str]

    def evaluate(self, values: Mapping[str, float | None]) -> float | None:
        """The value, or None when an input is missing, a divisor is zero or it overflows.

        A derived figure that cannot be computed is simply absent, like an untyped one.
        """
        steps, __ = _parse_program(self.source)
        stack: list[float] = []
        for kind, arg in steps:
            if kind == "num":
                stack.append(cast(float, arg))
                continue
            if kind == "var":
                raw = values.get(cast(str, arg))
                if raw is None:
                    return None
                result = float(raw)
            elif kind == "neg":
                result = -stack.pop()
            else:
                right = stack.pop()
                left = stack.pop()
                if kind == "+":
                    result = left + right
                elif kind == "-":
                    result = left - right
                elif kind == "*":
                    result = left * right
                elif right == 0:
                    return None
                else:
                    result = left / right
            if not math.isfinite(result):
                return None
            stack.append(result)
        return stack[-1]


def name_offset(text: str, name: str) -> int:
    """Where `name` is first used in a formula or a check, for a problem's column; 0 when
    it is not there."""
    try:
        tokens = _tokenize(text)
    except ExpressionError:
        return 0
    return next((t.offset for t in tokens if t.kind == "name" and t.text == name), 0)


def parse_formula(text: str) -> Formula:
    """Parse a metric formula; raises ExpressionError with an offset for anything else."""
    __, names = _parse_program(text)
    return Formula(source=text, names=names)


# --------------------------------------------------------------------------- checks

CompareOp = Literal["<", "<=", ">", ">="]
Direction = Literal["drops", "rises"]
Baseline = Literal["yesterday", "avg7", "last_week"]


def _format_number(value: float | None) -> str:
    """Plain decimal notation (no exponent), so a described check parses back the same."""
    if value is None:
        return "?"
    if value == 0:
        return "0"
    text = format(Decimal(repr(value)), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


@dataclass(frozen=True, slots=True)
class Check:
    """One parsed task check: a threshold, a change against a baseline, or a required figure."""

    source: str
    metric: str
    kind: Literal["compare", "change", "required"]
    op: CompareOp | None = None
    threshold: float | None = None  # a plain number; None when the threshold is a formula
    direction: Direction | None = None
    percent: float | None = None
    baseline: Baseline | None = None
    limit: Formula | None = None  # the threshold as a formula (ad_roi < 1 / gross_margin)

    @property
    def names(self) -> frozenset[str]:
        """The names the threshold formula uses (none for a plain number)."""
        return self.limit.names if self.limit is not None else frozenset()

    def describe(self) -> str:
        """Normalised text for reports, whatever spacing or case the user wrote."""
        if self.kind == "compare" and self.limit is not None:
            return f"{self.metric} {self.op} {self.limit.source}"
        if self.kind == "compare":
            return f"{self.metric} {self.op} {_format_number(self.threshold)}"
        if self.kind == "change":
            return (
                f"{self.metric} {self.direction} {_format_number(self.percent)}% vs {self.baseline}"
            )
        return f"{self.metric} required"


def _expect_end(token: _Token, previous: str) -> None:
    if token.kind != "end":
        raise ExpressionError(
            _("unexpected {token} after {previous}; expected the end of the check").format(
                token=_show(token.text), previous=previous
            ),
            token.offset,
        )


def _compare(text: str, tokens: list[_Token], metric: str, op: CompareOp) -> Check:
    """``METRIC < [-]NUMBER[%]`` as always; any other threshold is parsed as a formula."""
    i = 2
    sign = 1.0
    if _is_op(tokens[i], "-"):
        sign, i = -1.0, i + 1
    number = tokens[i]
    if tokens[2].kind == "end":
        raise ExpressionError(
            _("expected a number or a formula after {token}").format(token=_show(tokens[1].text)),
            tokens[2].offset,
        )
    if number.kind == "number" and (tokens[i + 1].kind == "end" or _is_op(tokens[i + 1], "%")):
        i += 1
        if _is_op(tokens[i], "%"):  # "conversion_rate < 1.0%": the unit is already percent
            i += 1
        _expect_end(tokens[i], _show(tokens[i - 1].text))
        return Check(
            source=text, metric=metric, kind="compare", op=op, threshold=sign * number.value
        )
    __, names = _FormulaParser(text, tokens, start=2).parse()
    limit = Formula(source=text[tokens[2].offset : tokens[-1].offset], names=names)
    return Check(source=text, metric=metric, kind="compare", op=op, limit=limit)


def parse_check(text: str) -> Check:
    """Parse a task check; raises ExpressionError saying what was expected, and where."""
    tokens = _tokenize(text)
    metric = tokens[0]
    if metric.kind == "end":
        raise ExpressionError(
            _("empty check; expected a metric name followed by {after}").format(
                after=_(_AFTER_METRIC)
            ),
            0,
        )
    if metric.kind != "name":
        raise ExpressionError(
            _("expected a metric name at the start of the check, not {token}").format(
                token=_show(metric.text)
            ),
            metric.offset,
        )
    verb = tokens[1]
    keyword = verb.text.lower() if verb.kind == "name" else ""

    if _is_op(verb, "<", "<=", ">", ">="):
        return _compare(text, tokens, metric.text, cast(CompareOp, verb.text))

    if keyword in ("drops", "rises"):
        number = tokens[2]
        if number.kind != "number" or not _is_op(tokens[3], "%"):
            raise ExpressionError(
                _('expected a percentage like "30%" after {token}').format(token=_show(verb.text)),
                number.offset,
            )
        if number.value <= 0:
            raise ExpressionError(
                _("the percentage after {token} must be greater than 0").format(
                    token=_show(verb.text)
                ),
                number.offset,
            )
        vs = tokens[4]
        if vs.kind != "name" or vs.text.lower() != "vs":
            raise ExpressionError(
                _('expected "vs" after {token}').format(token=f'"{number.text}%"'), vs.offset
            )
        baseline = tokens[5]
        if baseline.kind != "name" or baseline.text.lower() not in _BASELINES:
            raise ExpressionError(
                _('expected "yesterday", "avg7" or "last_week" after {token}').format(
                    token=_show(vs.text)
                ),
                baseline.offset,
            )
        _expect_end(tokens[6], _show(baseline.text))
        return Check(
            source=text,
            metric=metric.text,
            kind="change",
            direction=cast(Direction, keyword),
            percent=number.value,
            baseline=cast(Baseline, baseline.text.lower()),
        )

    if keyword == "required":
        _expect_end(tokens[2], _show(verb.text))
        return Check(source=text, metric=metric.text, kind="required")

    raise ExpressionError(
        _("expected {after} after {token}").format(
            after=_(_AFTER_METRIC), token=_show(metric.text)
        ),
        verb.offset,
    )
