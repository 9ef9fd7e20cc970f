"""The check engine: a check names the problem, so its condition holding is a failure."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from opsplanner import i18n
from opsplanner.planner.day import occurrences
from opsplanner.planner.metrics import (
    AVG7_DAYS,
    CheckResult,
    MetricHistory,
    checks_by_date,
    data_date,
    evaluate_check,
    format_value,
    history_days_needed,
    metric_value,
)
from opsplanner.schedule.checks import parse_check
from opsplanner.schedule.loader import load_schedule_text
from opsplanner.schedule.models import Schedule

YAML = """
schedule: shop
title: Shop
metrics:
  visitors: {label: Visitors (UV), unit: count}
  orders: {label: Paid orders, unit: count}
  sales: {label: Sales, unit: money, currency: CNY}
  refunds: {label: Refunds, unit: count}
  profit: {label: Profit, unit: money, currency: CNY}
  conversion_rate:
    label: Conversion rate
    unit: percent
    formula: orders / visitors * 100
  aov: {label: Average order value, unit: money, currency: CNY, formula: sales / orders}
  sales_per_visitor:
    label: Sales per visitor
    unit: money
    currency: CNY
    formula: aov * conversion_rate / 100
blocks:
  - id: data
    title: Data diagnosis
    start: "08:30"
    end: "10:30"
    tasks:
      - id: store-data
        title: Record yesterday's store data
        metrics: [visitors, orders, sales, conversion_rate]
        metrics_for: yesterday
        checks:
          - conversion_rate < 1.0
          - visitors drops 30% vs yesterday
          - visitors required
      - id: ad-balance
        title: Check today's figures
        metrics: [visitors]
        checks: [visitors required]
"""

SCHEDULE: Schedule = load_schedule_text(YAML)
D = date(2026, 11, 22)


def ago(days: int) -> date:
    return D - timedelta(days=days)


def check(text: str, history: MetricHistory, on: date = D) -> CheckResult:
    return evaluate_check(parse_check(text), SCHEDULE, on, history)


# ----------------------------------------------------------------------------- values


@pytest.mark.parametrize(
    ("metric", "history", "expected"),
    [
        ("visitors", {"visitors": {D: 812}}, 812.0),
        ("visitors", {"visitors": {ago(1): 812}}, None),
        ("visitors", {}, None),
        ("conversion_rate", {"orders": {D: 8}, "visitors": {D: 400}}, 2.0),
        # Inputs from different dates never mix.
        ("conversion_rate", {"orders": {D: 8}, "visitors": {ago(1): 400}}, None),
        ("conversion_rate", {"orders": {D: 8}, "visitors": {D: 0}}, None),
        ("conversion_rate", {"orders": {D: 0}, "visitors": {D: 400}}, 0.0),
        # Derived of derived: aov * conversion_rate / 100 == sales / visitors.
        ("sales_per_visitor", {"sales": {D: 1000}, "orders": {D: 10}, "visitors": {D: 400}}, 2.5),
        ("sales_per_visitor", {"sales": {D: 1000}, "orders": {D: 0}, "visitors": {D: 400}}, None),
        # The platform's own figure, imported for a derived metric, is shown over the formula.
        (
            "conversion_rate",
            {"conversion_rate": {D: 2.8}, "orders": {D: 8}, "visitors": {D: 400}},
            2.8,
        ),  # fmt: skip
        (
            "conversion_rate",
            {"conversion_rate": {ago(1): 2.8}, "orders": {D: 8}, "visitors": {D: 400}},
            2.0,
        ),  # fmt: skip
        ("visitors", {"visitors": {D: float("nan")}}, None),
    ],
)
def test_metric_value(metric: str, history: MetricHistory, expected: float | None) -> None:
    assert metric_value(SCHEDULE, metric, D, history) == expected


def test_format_value_uses_unit_and_currency() -> None:
    assert format_value(SCHEDULE, "visitors", 1230) == "1,230"
    assert format_value(SCHEDULE, "sales", 5333.333) == "¥5,333.33"
    assert format_value(SCHEDULE, "conversion_rate", 0.8) == "0.80%"
    assert format_value(SCHEDULE, "not_a_metric", 1234.5) == "1,234.5"


def test_history_days_needed_covers_every_baseline() -> None:
    assert history_days_needed() >= 7
    assert history_days_needed() == 60


# ----------------------------------------------------------------------------- checks

FULL = {"orders": {D: 4}, "visitors": {D: 500}}

CASES: list[tuple[str, MetricHistory, str, str | None]] = [
    # --- compare ---
    ("conversion_rate < 1.0", FULL, "fail", "Conversion rate 0.80% is below 1.00%"),
    (
        "conversion_rate < 1.0",
        {"orders": {D: 10}, "visitors": {D: 400}},
        "ok",
        "Conversion rate 2.50% is not below 1.00%",
    ),
    ("conversion_rate <= 0.8", FULL, "fail", "Conversion rate 0.80% is at or below 0.80%"),
    ("conversion_rate <= 0.5", FULL, "ok", "Conversion rate 0.80% is above 0.50%"),
    ("refunds > 10", {"refunds": {D: 12}}, "fail", "Refunds 12 is above 10"),
    ("refunds > 10", {"refunds": {D: 10}}, "ok", "Refunds 10 is not above 10"),
    ("refunds >= 10", {"refunds": {D: 10}}, "fail", "Refunds 10 is at or above 10"),
    ("refunds >= 10.5", {"refunds": {D: 10}}, "ok", "Refunds 10 is below 10.5"),
    ("profit < -100", {"profit": {D: -250}}, "fail", "Profit -¥250.00 is below -¥100.00"),
    ("visitors < 100", {}, "unknown", "no value for Visitors (UV) on 2026-11-22"),
    (
        "conversion_rate < 1",
        {"orders": {D: 4}},
        "unknown",
        "Conversion rate cannot be computed for 2026-11-22: no value for Visitors (UV)",
    ),
    (
        "conversion_rate < 1",
        {},
        "unknown",
        "Conversion rate cannot be computed for 2026-11-22: "
        "no value for Visitors (UV) and Paid orders",
    ),
    (
        "conversion_rate < 1",
        {"orders": {D: 4}, "visitors": {D: 0}},
        "unknown",
        "Conversion rate cannot be computed for 2026-11-22: "
        "Conversion rate = orders / visitors * 100 divides by zero (Visitors (UV) is 0)",
    ),
    (
        "sales_per_visitor < 1",
        {"sales": {D: 0}, "orders": {D: 0}, "visitors": {D: 9}},
        "unknown",
        "Sales per visitor cannot be computed for 2026-11-22: Average order value = sales / orders "
        "divides by zero (Paid orders is 0)",
    ),
    (
        "sales_per_visitor < 1",
        {"sales": {D: 300}, "orders": {D: 3}},
        "unknown",
        "Sales per visitor cannot be computed for 2026-11-22: no value for Visitors (UV)",
    ),
    (
        "sales_per_visitor < 3",
        {"sales": {D: 1000}, "orders": {D: 10}, "visitors": {D: 400}},
        "fail",
        "Sales per visitor ¥2.50 is below ¥3.00",
    ),
    # --- change vs yesterday ---
    (
        "visitors drops 30% vs yesterday",
        {"visitors": {D: 812, ago(1): 1230}},
        "fail",
        "Visitors (UV) 812 is 34% below yesterday (1,230)",
    ),
    (
        "visitors drops 30% vs yesterday",
        {"visitors": {D: 1200, ago(1): 1230}},
        "ok",
        "Visitors (UV) 1,200 is 2% below yesterday (1,230)",
    ),
    (
        "visitors drops 30% vs yesterday",
        {"visitors": {D: 1300, ago(1): 1230}},
        "ok",
        "Visitors (UV) 1,300 is 6% above yesterday (1,230)",
    ),
    (
        "visitors drops 30% vs yesterday",
        {"visitors": {D: 1230, ago(1): 1230}},
        "ok",
        "Visitors (UV) 1,230 is the same as yesterday (1,230)",
    ),
    # The boundary counts: exactly 30 % down fails.
    (
        "visitors drops 30% vs yesterday",
        {"visitors": {D: 700, ago(1): 1000}},
        "fail",
        "Visitors (UV) 700 is 30% below yesterday (1,000)",
    ),
    # Rounding never makes an ok result look like it reached the threshold.
    (
        "visitors drops 30% vs yesterday",
        {"visitors": {D: 704, ago(1): 1000}},
        "ok",
        "Visitors (UV) 704 is 29.6% below yesterday (1,000)",
    ),
    (
        "visitors drops 30% vs yesterday",
        {"visitors": {D: 1001, ago(1): 1000}},
        "ok",
        "Visitors (UV) 1,001 is less than 1% above yesterday (1,000)",
    ),
    (
        "refunds rises 50% vs yesterday",
        {"refunds": {D: 15, ago(1): 10}},
        "fail",
        "Refunds 15 is 50% above yesterday (10)",
    ),
    (
        "refunds rises 50% vs yesterday",
        {"refunds": {D: 14, ago(1): 10}},
        "ok",
        "Refunds 14 is 40% above yesterday (10)",
    ),
    (
        "refunds rises 50% vs yesterday",
        {"refunds": {D: 1000, ago(1): 10}},
        "fail",
        "Refunds 1,000 is 9,900% above yesterday (10)",
    ),
    (
        "visitors drops 30% vs yesterday",
        {"visitors": {D: 812}},
        "unknown",
        "cannot compare with yesterday: no value for Visitors (UV) on 2026-11-21",
    ),
    (
        "visitors drops 30% vs yesterday",
        {"visitors": {ago(1): 812}},
        "unknown",
        "no value for Visitors (UV) on 2026-11-22",
    ),
    ("visitors drops 30% vs yesterday", {}, "unknown", "no value for Visitors (UV) on 2026-11-22"),
    # A zero baseline: any move in the watched direction fails, none or the other way is ok.
    (
        "refunds rises 50% vs yesterday",
        {"refunds": {D: 5, ago(1): 0}},
        "fail",
        "Refunds 5 is above yesterday (0)",
    ),
    (
        "refunds rises 50% vs yesterday",
        {"refunds": {D: 0, ago(1): 0}},
        "ok",
        "Refunds 0 is the same as yesterday (0)",
    ),
    (
        "visitors drops 30% vs yesterday",
        {"visitors": {D: 40, ago(1): 0}},
        "ok",
        "Visitors (UV) 40 is above yesterday (0)",
    ),
    (
        "profit drops 30% vs yesterday",
        {"profit": {D: -5, ago(1): 0}},
        "fail",
        "Profit -¥5.00 is below yesterday (¥0.00)",
    ),
    # A negative baseline: "drops" still means "goes down".
    (
        "profit drops 50% vs yesterday",
        {"profit": {D: -160, ago(1): -100}},
        "fail",
        "Profit -¥160.00 is 60% below yesterday (-¥100.00)",
    ),
    (
        "profit drops 50% vs yesterday",
        {"profit": {D: -60, ago(1): -100}},
        "ok",
        "Profit -¥60.00 is 40% above yesterday (-¥100.00)",
    ),
    # Derived metric baseline: computed on the baseline date from that date's inputs.
    (
        "conversion_rate drops 50% vs yesterday",
        {"orders": {D: 4, ago(1): 10}, "visitors": {D: 500, ago(1): 500}},
        "fail",
        "Conversion rate 0.80% is 60% below yesterday (2.00%)",
    ),
    (
        "conversion_rate drops 50% vs yesterday",
        {"orders": {D: 4, ago(1): 10}, "visitors": {D: 500, ago(1): 0}},
        "unknown",
        "cannot compare with yesterday: Conversion rate cannot be computed for 2026-11-21: "
        "Conversion rate = orders / visitors * 100 divides by zero (Visitors (UV) is 0)",
    ),
    # --- change vs last_week ---
    (
        "sales drops 20% vs last_week",
        {"sales": {D: 4000, ago(7): 5333.33, ago(1): 4000}},
        "fail",
        "Sales ¥4,000.00 is 25% below last week (¥5,333.33)",
    ),
    (
        "sales drops 20% vs last_week",
        {"sales": {D: 4000, ago(7): 4100, ago(1): 9000}},
        "ok",
        "Sales ¥4,000.00 is 2% below last week (¥4,100.00)",
    ),
    (
        "sales drops 20% vs last_week",
        {"sales": {D: 4000, ago(1): 5333.33}},
        "unknown",
        "cannot compare with last week: no value for Sales on 2026-11-15",
    ),
    # --- change vs avg7 ---
    (
        "refunds rises 50% vs avg7",
        {"refunds": {D: 30, **{ago(n): 20 for n in range(1, 8)}}},
        "fail",
        "Refunds 30 is 50% above the 7-day average (20)",
    ),
    (
        "refunds rises 50% vs avg7",
        {"refunds": {D: 25, **{ago(n): 20 for n in range(1, 8)}}},
        "ok",
        "Refunds 25 is 25% above the 7-day average (20)",
    ),
    (
        "refunds rises 50% vs avg7",
        {"refunds": {D: 30, ago(1): 20, ago(3): 20, ago(9): 20, ago(20): 20}},
        "unknown",
        "cannot compare with the 7-day average: only 4 of 7 earlier values for "
        "Refunds in the 60 days before 2026-11-22",
    ),
    (
        "refunds rises 50% vs avg7",
        {"refunds": {D: 30}},
        "unknown",
        "cannot compare with the 7-day average: only 0 of 7 earlier values for "
        "Refunds in the 60 days before 2026-11-22",
    ),
    # --- required ---
    (
        "visitors required",
        {"visitors": {D: 1230}},
        "ok",
        "Visitors (UV) 1,230 is entered for 2026-11-22",
    ),
    ("visitors required", {"visitors": {D: 0}}, "ok", "Visitors (UV) 0 is entered for 2026-11-22"),
    (
        "visitors required",
        {"visitors": {ago(1): 1230}},
        "fail",
        "Visitors (UV) is required: no value entered for 2026-11-22",
    ),
    ("visitors required", {}, "fail", "Visitors (UV) is required: no value entered for 2026-11-22"),
    (
        "conversion_rate required",
        {"orders": {D: 4}},
        "fail",
        "Conversion rate is required: no value entered for Visitors (UV) on 2026-11-22",
    ),
    ("conversion_rate required", FULL, "ok", "Conversion rate 0.80% is entered for 2026-11-22"),
    ("conversion_rate required", {"orders": {D: 4}, "visitors": {D: 0}}, "unknown", None),
]


@pytest.mark.parametrize(("text", "history", "status", "message"), CASES)
def test_evaluate_check(
    text: str, history: MetricHistory, status: str, message: str | None
) -> None:
    result = check(text, history)
    assert result.expr == text
    assert (result.status, result.message if message is not None else None) == (status, message)
    assert "\n" not in result.message and result.message


def test_check_source_is_kept_as_written() -> None:
    result = check("visitors   DROPS 30%  vs  Yesterday", {"visitors": {D: 1, ago(1): 100}})
    assert result == CheckResult(
        "visitors   DROPS 30%  vs  Yesterday",
        "fail",
        "Visitors (UV) 1 is 99% below yesterday (100)",
    )


# ----------------------------------------------------------------------------- avg7


def test_avg7_skips_gaps_and_takes_the_seven_most_recent_earlier_values() -> None:
    # Values on non-consecutive dates; the eighth-most-recent (and older) must be ignored,
    # and so must anything on or after the data date.
    earlier = {
        ago(1): 10,
        ago(2): 20,
        ago(4): 30,
        ago(5): 40,
        ago(8): 50,
        ago(9): 60,
        ago(13): 70,
        ago(14): 1000,
        ago(30): 1000,
    }
    history: MetricHistory = {"refunds": {D: 80, D + timedelta(days=1): 1000, **earlier}}
    assert check("refunds rises 100% vs avg7", history) == CheckResult(
        "refunds rises 100% vs avg7", "fail", "Refunds 80 is 100% above the 7-day average (40)"
    )
    assert check("refunds rises 101% vs avg7", history).status == "ok"


def test_avg7_looks_back_at_most_history_days_needed() -> None:
    limit = history_days_needed()
    inside = {ago(n): 20 for n in range(limit - AVG7_DAYS + 1, limit + 1)}
    assert check("refunds rises 50% vs avg7", {"refunds": {D: 30, **inside}}).status == "fail"
    outside = {ago(n): 20 for n in range(limit - AVG7_DAYS + 2, limit + 2)}
    result = check("refunds rises 50% vs avg7", {"refunds": {D: 30, **outside}})
    assert result.status == "unknown"
    assert "only 6 of 7" in result.message


def test_avg7_of_a_derived_metric_skips_days_it_cannot_be_computed() -> None:
    orders = {ago(n): 10 for n in range(1, 10)}
    visitors = {ago(n): 500 for n in range(1, 10)} | {ago(3): 0, ago(6): 0}  # two gaps
    history: MetricHistory = {"orders": {D: 5, **orders}, "visitors": {D: 500, **visitors}}
    result = check("conversion_rate drops 40% vs avg7", history)
    assert result == CheckResult(
        "conversion_rate drops 40% vs avg7",
        "fail",
        "Conversion rate 1.00% is 50% below the 7-day average (2.00%)",
    )


# ----------------------------------------------------------------------------- tasks


def test_metrics_for_yesterday_reads_the_day_before() -> None:
    plan = occurrences(SCHEDULE, D)
    store_data = plan.task("store-data")
    today_task = plan.task("ad-balance")
    assert store_data is not None and today_task is not None
    assert data_date(store_data, SCHEDULE, D) == ago(1)
    assert data_date(today_task, SCHEDULE, D) == D

    history: MetricHistory = {
        "visitors": {ago(1): 812, ago(2): 1230, D: 5000},
        "orders": {ago(1): 4, D: 500},
    }
    (results,) = checks_by_date(store_data, SCHEDULE, D, history)
    assert results.data_date == ago(1)
    assert results.results == (
        CheckResult("conversion_rate < 1.0", "fail", "Conversion rate 0.49% is below 1.00%"),
        CheckResult(
            "visitors drops 30% vs yesterday",
            "fail",
            "Visitors (UV) 812 is 34% below yesterday (1,230)",
        ),
        CheckResult("visitors required", "ok", "Visitors (UV) 812 is entered for 2026-11-21"),
    )
    (today_results,) = checks_by_date(today_task, SCHEDULE, D, {"visitors": {ago(1): 812}})
    assert today_results.results == (
        CheckResult(
            "visitors required",
            "fail",
            "Visitors (UV) is required: no value entered for 2026-11-22",
        ),
    )


def test_no_history_at_all_is_unknown_or_required_never_an_exception() -> None:
    results = [check(c.source, {}) for t in SCHEDULE.tasks() for c in t.checks]
    assert [r.status for r in results] == ["unknown", "unknown", "fail", "fail"]


# ----------------------------------------------------------------------------- edge cases


def test_a_divisor_that_is_zero_without_a_zero_input_is_still_explained() -> None:
    schedule = load_schedule_text("""
schedule: s
title: S
metrics:
  a: {label: A}
  b: {label: B}
  ratio: {label: Ratio, formula: a / (a - b)}
blocks:
  - {id: day, title: Day, start: "09:00", end: "10:00"}
""")
    result = evaluate_check(parse_check("ratio > 1"), schedule, D, {"a": {D: 5}, "b": {D: 5}})
    assert result == CheckResult(
        "ratio > 1",
        "unknown",
        "Ratio cannot be computed for 2026-11-22: Ratio = a / (a - b) divides by zero or overflows",
    )


def test_a_hand_built_cycle_is_unknown_not_a_recursion_error() -> None:
    from dataclasses import replace

    from opsplanner.schedule.checks import parse_formula
    from opsplanner.schedule.models import Metric

    looped = replace(
        SCHEDULE,
        metrics=(
            Metric("x", "X", formula=parse_formula("y + 1")),
            Metric("y", "Y", formula=parse_formula("x * 2")),
        ),
    )
    assert metric_value(looped, "x", D, {}) is None
    result = evaluate_check(parse_check("x < 1"), looped, D, {})
    assert result.status == "unknown"
    assert "depends on itself" in result.message


def test_a_check_on_a_metric_the_schedule_no_longer_has_reads_the_history() -> None:
    result = check("gone < 5", {"gone": {D: 3}})
    assert result == CheckResult("gone < 5", "fail", "gone 3 is below 5")


def test_the_engine_imports_no_textual_or_sql() -> None:
    import json
    import subprocess
    import sys

    code = (
        "import json, sys, opsplanner.planner.metrics\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout
    assert not {"textual", "sqlalchemy", "sqlmodel", "alembic"} & set(json.loads(out))


# ----------------------------------------------------------------------------- in Chinese

ZH = load_schedule_text("""
schedule: zh-shop
title: 小店
metrics:
  visitors: {label: 访客数, unit: count}
  orders: {label: 支付订单数, unit: count}
  sales: {label: 销售额, unit: money, currency: CNY}
  refunds: {label: 退款申请数, unit: count}
  conversion_rate: {label: 支付转化率, unit: percent, formula: orders / visitors * 100}
blocks:
  - {id: data, title: 数据诊断, start: "08:30", end: "10:30"}
""")

ZH_CASES: list[tuple[str, MetricHistory, str, str]] = [
    # compare, each operator, failing and ok
    ("conversion_rate < 1.0", FULL, "fail", "支付转化率为 0.80%，低于 1.00%"),
    ("conversion_rate < 0.5", FULL, "ok", "支付转化率为 0.80%，不低于 0.50%"),
    ("refunds <= 5", {"refunds": {D: 5}}, "fail", "退款申请数为 5，不高于 5"),
    ("refunds <= 5", {"refunds": {D: 6}}, "ok", "退款申请数为 6，高于 5"),
    ("refunds > 0", {"refunds": {D: 1}}, "fail", "退款申请数为 1，高于 0"),
    ("refunds > 10", {"refunds": {D: 10}}, "ok", "退款申请数为 10，不高于 10"),
    ("refunds >= 10", {"refunds": {D: 10}}, "fail", "退款申请数为 10，不低于 10"),
    ("refunds >= 10.5", {"refunds": {D: 10}}, "ok", "退款申请数为 10，低于 10.5"),
    # change against each baseline
    (
        "visitors drops 30% vs yesterday",
        {"visitors": {D: 812, ago(1): 1230}},
        "fail",
        "访客数为 812，比昨日（1,230）低 34%",
    ),
    (
        "visitors drops 30% vs yesterday",
        {"visitors": {D: 1230, ago(1): 1230}},
        "ok",
        "访客数为 1,230，与昨日（1,230）持平",
    ),
    (
        "visitors drops 30% vs yesterday",
        {"visitors": {D: 1001, ago(1): 1000}},
        "ok",
        "访客数为 1,001，比昨日（1,000）高不到 1%",
    ),
    (
        "refunds rises 50% vs yesterday",
        {"refunds": {D: 5, ago(1): 0}},
        "fail",
        "退款申请数为 5，高于昨日（0）",
    ),
    (
        "sales drops 20% vs last_week",
        {"sales": {D: 4000, ago(7): 5333.33}},
        "fail",
        "销售额为 ¥4,000.00，比上周同日（¥5,333.33）低 25%",
    ),
    (
        "refunds rises 50% vs avg7",
        {"refunds": {D: 30, **{ago(n): 20 for n in range(1, 8)}}},
        "fail",
        "退款申请数为 30，比近 7 日均值（20）高 50%",
    ),
    # figures missing: unknown, never an error
    (
        "refunds rises 50% vs avg7",
        {"refunds": {D: 30, ago(1): 20, ago(3): 20, ago(9): 20, ago(20): 20}},
        "unknown",
        "无法与近 7 日均值比较：2026-11-22 之前 60 天内退款申请数只有 4 天有数据，需要 7 天",
    ),
    (
        "visitors drops 30% vs yesterday",
        {"visitors": {D: 812}},
        "unknown",
        "无法与昨日比较：2026-11-21 没有访客数的数据",
    ),
    (
        "conversion_rate < 1",
        {},
        "unknown",
        "2026-11-22 的支付转化率无法计算：没有访客数和支付订单数的数据",
    ),
    (
        "conversion_rate < 1",
        {"orders": {D: 4}, "visitors": {D: 0}},
        "unknown",
        "2026-11-22 的支付转化率无法计算："
        "支付转化率 = orders / visitors * 100 除数为零（访客数为 0）",
    ),
    # required
    ("visitors required", {"visitors": {D: 1230}}, "ok", "2026-11-22 的访客数已填写：1,230"),
    ("visitors required", {}, "fail", "访客数必须填写：2026-11-22 还没有填写"),
    (
        "conversion_rate required",
        {"orders": {D: 4}},
        "fail",
        "支付转化率必须填写：2026-11-22 的访客数还没有填写",
    ),
]


@pytest.mark.parametrize(("text", "history", "status", "message"), ZH_CASES)
def test_check_messages_in_chinese(
    text: str, history: MetricHistory, status: str, message: str
) -> None:
    i18n.use(i18n.CHINESE)
    result = evaluate_check(parse_check(text), ZH, D, history)
    assert (result.status, result.message) == (status, message)
