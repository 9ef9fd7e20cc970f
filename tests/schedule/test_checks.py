"""The formula and check grammar: what users' templates may say, and how refusals read."""

from __future__ import annotations

import math
import pickle
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opsplanner.schedule.checks import (
    MAX_DEPTH,
    Check,
    ExpressionError,
    Formula,
    parse_check,
    parse_formula,
)

VALUES: dict[str, float | None] = {"a": 2.0, "b": 3.0, "c": 4.0, "orders": 5, "visitors": 200}
ALLOWED = "a formula may only use metric names, numbers, + - * / and parentheses"


# ----------------------------------------------------------------------------- formulas


@pytest.mark.parametrize(
    ("text", "expected", "names"),
    [
        ("a + b * c", 14.0, {"a", "b", "c"}),
        ("(a+b)/c", 1.25, {"a", "b", "c"}),
        ("a * b + c", 10.0, {"a", "b", "c"}),
        ("a - b - c", -5.0, {"a", "b", "c"}),
        ("a / b / c", 2.0 / 3.0 / 4.0, {"a", "b", "c"}),
        ("-a + b", 1.0, {"a", "b"}),
        ("-(a + b) * c", -20.0, {"a", "b", "c"}),
        ("a - -b", 5.0, {"a", "b"}),
        ("--a", 2.0, {"a"}),
        ("2 * (a + (b - c))", 2.0, {"a", "b", "c"}),
        ("orders / visitors * 100", 2.5, {"orders", "visitors"}),
        ("12", 12.0, set()),
        ("1_000 + .5 + 1.", 1001.5, set()),
        ("  a\t*\n2 ", 4.0, {"a"}),
        ("a+a+a", 6.0, {"a"}),
    ],
)
def test_valid_formulas_evaluate(text: str, expected: float, names: set[str]) -> None:
    formula = parse_formula(text)
    assert formula.source == text
    assert formula.names == frozenset(names)
    assert formula.evaluate(VALUES) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("a / 0", {"a": 1.0}),
        ("a / (b - b)", {"a": 1.0, "b": 3.0}),
        ("a / -0.0", {"a": 1.0}),
        ("orders / visitors * 100", {"orders": 5.0, "visitors": 0}),
        ("orders / visitors * 100", {"orders": 5.0}),
        ("orders / visitors * 100", {"orders": 5.0, "visitors": None}),
        ("0 * missing", {}),
        ("a * a", {"a": 1e200}),
        ("a - a", {"a": math.inf}),
        ("a", {"a": math.nan}),
    ],
)
def test_formula_evaluates_to_none_when_not_computable(
    text: str, values: dict[str, float | None]
) -> None:
    assert parse_formula(text).evaluate(values) is None


def test_long_flat_formula_evaluates_without_recursion() -> None:
    text = " + ".join(["a"] * 20_000)
    assert parse_formula(text).evaluate({"a": 1.0}) == 20_000.0


def test_formula_nesting_up_to_the_limit_is_fine() -> None:
    text = "(" * MAX_DEPTH + "a" + ")" * MAX_DEPTH
    assert parse_formula(text).evaluate({"a": 3.0}) == 3.0


@pytest.mark.parametrize(
    ("text", "offset", "fragment"),
    [
        ("__import__('os')", 10, f'unexpected "(" after "__import__"; {ALLOWED}'),
        ("a ** 2", 2, 'unexpected "**" (powers are not supported)'),
        ("a.b", 1, f'unexpected "." after "a"; {ALLOWED}'),
        ("f(x)", 1, f'unexpected "(" after "f"; {ALLOWED}'),
        ("(a + b", 0, 'unclosed "("; expected ")"'),
        ("a + (b * (c)", 4, 'unclosed "("'),
        ("a +", 3, 'formula ends after "+"; expected a metric name, a number or "("'),
        ("a + ", 3, 'formula ends after "+"'),
        ("(", 1, 'formula ends after "("'),
        ("", 0, f"empty formula; {ALLOWED}"),
        ("   ", 0, "empty formula"),
        ("1 2", 2, 'unexpected "2" after "1"; expected + - * / or the end of the formula'),
        ("a; b", 1, f'unexpected ";" after "a"; {ALLOWED}'),
        ("a)", 1, 'unexpected ")" after "a"; there is no "(" to close'),
        ("()", 1, 'unexpected ")" after "("; expected a metric name, a number, "(" or "-"'),
        ("(a b)", 3, 'unexpected "b" after "a"; expected + - * / or ")"'),
        ("a[0]", 1, f'unexpected "[" after "a"; {ALLOWED}'),
        ("'a'", 0, f'unexpected "\'" at the start of the formula; {ALLOWED}'),
        ('"a"', 0, "unexpected '\"' at the start of the formula"),
        ("a = b", 2, 'unexpected "=" after "a"'),
        ("a < b", 2, 'unexpected "<" after "a"; expected + - * /'),
        ("a * 100%", 7, 'unexpected "%" after "100"'),
        ("a + * b", 4, 'unexpected "*" after "+"; expected a metric name'),
        ("* a", 0, 'unexpected "*" at the start of the formula'),
        ("1e5", 0, 'malformed number "1e5"'),
        ("1.2.3", 0, 'malformed number "1.2.3"'),
        ("1__000", 0, 'malformed number "1__000"'),
        ("visitors × 2", 9, 'unexpected "×" after "visitors"'),
        ("访客 / 2", 0, 'unexpected "访" at the start of the formula'),
        ("a +\x00", 3, "unexpected U+0000 after"),
        ("9" * 400, 0, "is too large"),
        ("(" * 1000 + "a" + ")" * 1000, MAX_DEPTH, "nests too deeply"),
        ("-" * 1000 + "a", MAX_DEPTH, "nests too deeply"),
    ],
)
def test_rejected_formulas(text: str, offset: int, fragment: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        parse_formula(text)
    error = caught.value
    assert error.offset == offset
    assert fragment in error.message
    assert str(error) == error.message
    assert "\n" not in error.message
    assert isinstance(error, ValueError)


def test_expression_error_survives_pickling() -> None:
    error = pickle.loads(pickle.dumps(ExpressionError("bad", 3)))
    assert (error.message, error.offset) == ("bad", 3)


# ----------------------------------------------------------------------------- checks


@pytest.mark.parametrize(
    ("text", "expected", "described"),
    [
        (
            "conversion_rate < 1.0",
            Check("", "conversion_rate", "compare", op="<", threshold=1.0),
            "conversion_rate < 1",
        ),
        (
            "conversion_rate < 1.0%",
            Check("", "conversion_rate", "compare", op="<", threshold=1.0),
            "conversion_rate < 1",
        ),
        (
            "ad_balance<=500",
            Check("", "ad_balance", "compare", op="<=", threshold=500.0),
            "ad_balance <= 500",
        ),
        ("x > -3", Check("", "x", "compare", op=">", threshold=-3.0), "x > -3"),
        ("x >= 1_000.25", Check("", "x", "compare", op=">=", threshold=1000.25), "x >= 1000.25"),
        ("x >= .5 %", Check("", "x", "compare", op=">=", threshold=0.5), "x >= 0.5"),
        (
            "visitors drops 30% vs yesterday",
            Check("", "visitors", "change", direction="drops", percent=30.0, baseline="yesterday"),
            "visitors drops 30% vs yesterday",
        ),
        (
            "sales rises 12.5% vs avg7",
            Check("", "sales", "change", direction="rises", percent=12.5, baseline="avg7"),
            "sales rises 12.5% vs avg7",
        ),
        (
            "  orders   drops 5 %  vs\tlast_week ",
            Check("", "orders", "change", direction="drops", percent=5.0, baseline="last_week"),
            "orders drops 5% vs last_week",
        ),
        (
            "Visitors DROPS 30% VS Yesterday",
            Check("", "Visitors", "change", direction="drops", percent=30.0, baseline="yesterday"),
            "Visitors drops 30% vs yesterday",
        ),
        ("ad_balance required", Check("", "ad_balance", "required"), "ad_balance required"),
        (
            "ad_roi < 1 / gross_margin",
            Check("", "ad_roi", "compare", op="<", limit=parse_formula("1 / gross_margin")),
            "ad_roi < 1 / gross_margin",
        ),
        (
            "ad_days_left<days_to_next_workday ",
            Check(
                "", "ad_days_left", "compare", op="<", limit=parse_formula("days_to_next_workday")
            ),
            "ad_days_left < days_to_next_workday",
        ),
        (
            "x >= -(y + 2)*1.5",
            Check("", "x", "compare", op=">=", limit=parse_formula("-(y + 2)*1.5")),
            "x >= -(y + 2)*1.5",
        ),
        (
            "visitors < abc",
            Check("", "visitors", "compare", op="<", limit=parse_formula("abc")),
            "visitors < abc",
        ),
        ("ad_balance REQUIRED", Check("", "ad_balance", "required"), "ad_balance required"),
    ],
)
def test_valid_checks(text: str, expected: Check, described: str) -> None:
    check = parse_check(text)
    assert check.source == text
    assert _fields(check) == _fields(expected)
    assert check.describe() == described
    assert _fields(parse_check(check.describe())) == _fields(check)


@pytest.mark.parametrize(
    ("text", "offset", "fragment"),
    [
        ("", 0, "empty check; expected a metric name"),
        ("  ", 0, "empty check"),
        (
            "visitors",
            8,
            'expected "<", "<=", ">", ">=", "drops", "rises" or "required" after "visitors"',
        ),
        ("visitors == 5", 9, 'expected "<", "<=", ">", ">=", "drops", "rises" or "required"'),
        ("visitors falls 30% vs yesterday", 9, 'or "required" after "visitors"'),
        ("5 < visitors", 0, 'expected a metric name at the start of the check, not "5"'),
        ("< 5", 0, "expected a metric name"),
        ("visitors <", 10, 'expected a number or a formula after "<"'),
        ("visitors < -", 12, 'the check ends after "-"; expected a number, a name or "("'),
        (
            "visitors < 5 5",
            13,
            'unexpected "5" after "5"; expected + - * / or the end of the check',
        ),
        ("ad_roi < 1 /", 12, 'the check ends after "/"; expected a number, a name or "("'),
        ("ad_roi < (1 / m", 9, 'unclosed "("; expected ")" before the end of the check'),
        ("ad_roi < 1 / m %", 15, 'unexpected "%" after "m"; expected + - * / or the end of the'),
        ("ad_roi < 1 / m)", 14, 'unexpected ")" after "m"; there is no "(" to close'),
        ("ad_roi < f(m)", 10, "a formula may only use metric names, numbers"),
        ("ad_roi < 2 ** m", 11, 'unexpected "**" (powers are not supported)'),
        ("ad_roi < m; 1", 10, "a formula may only use metric names, numbers"),
        ("ad_roi < 1 / m > 2", 15, 'unexpected ">" after "m"'),
        ("visitors < 5% %", 14, 'unexpected "%" after "%"; expected the end of the check'),
        ("visitors < 1e3", 11, 'malformed number "1e3"'),
        ("visitors drops 30 vs yesterday", 15, 'expected a percentage like "30%" after "drops"'),
        ("visitors drops vs yesterday", 15, 'expected a percentage like "30%"'),
        ("visitors drops", 14, 'expected a percentage like "30%"'),
        ("visitors rises -30% vs yesterday", 15, 'expected a percentage like "30%" after "rises"'),
        ("visitors drops 0% vs yesterday", 15, 'the percentage after "drops" must be greater'),
        ("visitors drops 30% yesterday", 19, 'expected "vs" after "30%"'),
        (
            "visitors drops 30% vs lastweek",
            22,
            'expected "yesterday", "avg7" or "last_week" after "vs"',
        ),
        ("visitors drops 30% vs", 21, 'expected "yesterday", "avg7" or "last_week" after "vs"'),
        ("visitors drops 30% vs 7", 22, 'expected "yesterday", "avg7" or "last_week"'),
        ("visitors drops 30% vs avg7 now", 27, 'unexpected "now" after "avg7"; expected the end'),
        ("visitors required now", 18, 'unexpected "now" after "required"; expected the end'),
        ("__import__('os')", 10, 'or "required" after "__import__"'),
        ("访客 required", 0, 'expected a metric name at the start of the check, not "访"'),
    ],
)
def test_rejected_checks(text: str, offset: int, fragment: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        parse_check(text)
    assert caught.value.offset == offset
    assert fragment in caught.value.message
    assert "\n" not in caught.value.message


def _fields(check: Check) -> tuple[object, ...]:
    """Everything but the source text, which legitimately differs between spellings."""
    return (
        check.metric,
        check.kind,
        check.op,
        check.threshold,
        check.direction,
        check.percent,
        check.baseline,
        check.limit,
    )


# ----------------------------------------------------------------------------- properties

GRAMMAR_TEXT = st.lists(
    st.sampled_from(list("ab_09.+-*/()<>=%;'\" \t\n×访") + ["drops ", "vs ", "avg7", "**"]),
    max_size=30,
).map("".join)
ANY_TEXT = st.one_of(st.text(max_size=60), GRAMMAR_TEXT)


def _assert_well_formed(error: ExpressionError, text: str) -> None:
    assert 0 <= error.offset <= len(text)
    assert error.message
    assert "\n" not in error.message


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_random_text_either_parses_or_raises_expression_error(text: str) -> None:
    for parse in (parse_formula, parse_check):
        try:
            parse(text)
        except ExpressionError as error:
            _assert_well_formed(error, text)


@dataclass(frozen=True)
class Num:
    text: str


@dataclass(frozen=True)
class Var:
    name: str


@dataclass(frozen=True)
class Neg:
    operand: Node


@dataclass(frozen=True)
class Bin:
    op: str
    left: Node
    right: Node


Node = Num | Var | Neg | Bin
NAMES = ["a", "b", "visitors", "conversion_rate", "_x1"]
PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2}

numbers = st.one_of(
    st.integers(0, 10**6).map(str),
    st.tuples(st.integers(0, 999), st.integers(0, 999)).map(lambda p: f"{p[0]}.{p[1]}"),
    st.integers(0, 999).map(lambda n: f".{n}"),
    st.integers(1, 999).map(lambda n: f"{n}_000"),
).map(Num)
leaves = st.one_of(numbers, st.sampled_from(NAMES).map(Var))


def _extend(children: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
    return st.one_of(
        children.map(Neg),
        st.builds(Bin, st.sampled_from("+-*/"), children, children),
    )


trees = st.recursive(leaves, _extend, max_leaves=12)


def _precedence(node: Node) -> int:
    return PRECEDENCE[node.op] if isinstance(node, Bin) else 3


def _render(node: Node, draw_bool: Callable[[], bool], space: str) -> str:
    """Print with the parentheses the grammar needs (and random extra ones)."""

    def wrap(child: Node, needed: bool) -> str:
        text = _render(child, draw_bool, space)
        return f"({space}{text}{space})" if needed or draw_bool() else text

    if isinstance(node, Num):
        return node.text
    if isinstance(node, Var):
        return node.name
    if isinstance(node, Neg):
        return "-" + wrap(node.operand, isinstance(node.operand, Bin))
    prec = PRECEDENCE[node.op]
    left = wrap(node.left, _precedence(node.left) < prec)
    # Same precedence on the right needs parentheses: the grammar is left-associative,
    # and float addition is not associative.
    right = wrap(node.right, _precedence(node.right) <= prec)
    return f"{left}{space}{node.op}{space}{right}"


def _reference(node: Node, values: dict[str, float | None]) -> float | None:
    """The tree computed directly, with the documented None rules."""
    if isinstance(node, Num):
        result = float(node.text.replace("_", ""))
    elif isinstance(node, Var):
        raw = values.get(node.name)
        if raw is None:
            return None
        result = float(raw)
    elif isinstance(node, Neg):
        inner = _reference(node.operand, values)
        if inner is None:
            return None
        result = -inner
    else:
        left = _reference(node.left, values)
        right = _reference(node.right, values)
        if left is None or right is None:
            return None
        if node.op == "+":
            result = left + right
        elif node.op == "-":
            result = left - right
        elif node.op == "*":
            result = left * right
        elif right == 0:
            return None
        else:
            result = left / right
    return result if math.isfinite(result) else None


def _names(node: Node) -> set[str]:
    if isinstance(node, Var):
        return {node.name}
    if isinstance(node, Neg):
        return _names(node.operand)
    if isinstance(node, Bin):
        return _names(node.left) | _names(node.right)
    return set()


value_maps = st.dictionaries(
    st.sampled_from(NAMES),
    st.one_of(
        st.none(),
        st.just(0.0),
        st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
        st.floats(allow_nan=False, allow_infinity=False),
    ),
)


@settings(max_examples=300, deadline=None)
@given(trees, value_maps, st.sampled_from(["", " ", "  "]), st.data())
def test_random_formula_trees_evaluate_like_python(
    tree: Node, values: dict[str, float | None], space: str, data: st.DataObject
) -> None:
    text = _render(tree, lambda: data.draw(st.booleans()), space)
    formula = parse_formula(text)
    assert isinstance(formula, Formula)
    assert formula.names == frozenset(_names(tree))
    assert formula.evaluate(values) == _reference(tree, values)


metric_names = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,12}", fullmatch=True)
finite = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12)


def _random_case(word: str, flags: list[bool]) -> str:
    return "".join(c.upper() if up else c for c, up in zip(word, flags, strict=False))


@settings(max_examples=200, deadline=None)
@given(
    metric_names,
    st.sampled_from(["<", "<=", ">", ">="]),
    finite,
    st.sampled_from(["drops", "rises"]),
    finite.filter(lambda x: x > 0),
    st.sampled_from(["yesterday", "avg7", "last_week"]),
    st.lists(st.booleans(), min_size=12, max_size=12),
)
def test_well_formed_checks_round_trip_through_describe(
    metric: str,
    op: str,
    threshold: float,
    direction: str,
    percent: float,
    baseline: str,
    flags: list[bool],
) -> None:
    compare = parse_check(f"{metric} {op} {_number(threshold)}")
    assert (compare.kind, compare.metric, compare.op, compare.threshold) == (
        "compare",
        metric,
        op,
        threshold,
    )
    change = parse_check(
        f"{metric} {_random_case(direction, flags)} {_number(percent)}% "
        f"{_random_case('vs', flags)} {_random_case(baseline, flags)}"
    )
    assert (change.kind, change.direction, change.percent, change.baseline) == (
        "change",
        direction,
        percent,
        baseline,
    )
    for check in (compare, change):
        assert _fields(parse_check(check.describe())) == _fields(check)


def _number(value: float) -> str:
    """The check text for a float: the same plain notation describe() uses."""
    return Check("", "m", "compare", op="<", threshold=value).describe().split(" ", 2)[2]
