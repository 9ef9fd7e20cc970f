"""Check thresholds written as formulas: parameters, metrics of the same data date and
``days_to_next_workday``, evaluated against the schedule's calendar without I/O."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opsplanner import i18n
from opsplanner.planner.day import occurrences
from opsplanner.planner.metrics import MetricHistory, checks_by_date, evaluate_check
from opsplanner.schedule.checks import parse_check
from opsplanner.schedule.loader import load_schedule, load_schedule_text
from opsplanner.schedule.models import Schedule
from opsplanner.schedule.paths import bundled_dir

BUNDLED = {
    "en": load_schedule(bundled_dir() / "taobao-operator.yaml"),
    "zh": load_schedule(bundled_dir() / "taobao-operator.zh.yaml"),
}
SATURDAY = date(2026, 11, 21)
TUESDAY = date(2026, 11, 24)


def task_results(
    schedule: Schedule, task_id: str, day: date, history: MetricHistory
) -> dict[str, tuple[str, str]]:
    (task,) = [t for t in occurrences(schedule, day).tasks() if t.key == task_id]
    (dated,) = checks_by_date(task, schedule, day, history)  # one data date in these tasks
    return {r.expr: (r.status, r.message) for r in dated.results}


@pytest.mark.parametrize(("roi", "status"), [(2.4, "fail"), (2.6, "ok")])
def test_break_even_roi_follows_the_gross_margin(roi: float, status: str) -> None:
    yesterday = TUESDAY - timedelta(days=1)
    history = {"ad_spend": {yesterday: 1000.0}, "ad_sales": {yesterday: 1000.0 * roi}}
    results = task_results(BUNDLED["en"], "ad-store-report", TUESDAY, history)
    result_status, message = results["ad_roi < 1 / gross_margin"]
    assert result_status == status
    relation = "is below" if status == "fail" else "is not below"
    assert message.endswith(f" {roi} {relation} 2.5")  # the threshold shown like the metric


def test_break_even_roi_message_in_chinese() -> None:
    i18n.use("zh_CN")
    yesterday = TUESDAY - timedelta(days=1)
    history = {"ad_spend": {yesterday: 1000.0}, "ad_sales": {yesterday: 2100.0}}
    results = task_results(BUNDLED["zh"], "ad-store-report", TUESDAY, history)
    status, message = results["ad_roi < 1 / gross_margin"]
    assert status == "fail"
    assert message.endswith("2.1，低于 2.5")


@pytest.mark.parametrize(
    ("day", "status", "threshold"), [(SATURDAY, "fail", "2"), (TUESDAY, "ok", "1")]
)
def test_ad_balance_must_last_until_the_next_workday(
    day: date, status: str, threshold: str
) -> None:
    # Mon–Sat workdays: on Saturday the next look is Monday, two days away.
    history = {"ad_balance": {day: 1500.0}, "ad_daily_budget": {day: 1000.0}}
    results = task_results(BUNDLED["en"], "ad-balance", day, history)
    result_status, message = results["ad_days_left < days_to_next_workday"]
    assert result_status == status
    assert message.endswith(f"1.5 is {'below' if status == 'fail' else 'not below'} {threshold}")


def test_days_to_next_workday_spans_a_public_holiday() -> None:
    # 2026-09-30 (Wed) is the last workday before 国庆: the calendar says when work resumes.
    schedule = BUNDLED["en"]
    day = date(2026, 9, 30)
    following = schedule.calendar.next_workday(day)
    assert following is not None and following > date(2026, 10, 7)
    history = {"ad_balance": {day: 5000.0}, "ad_daily_budget": {day: 1000.0}}
    result = evaluate_check(
        parse_check("ad_days_left < days_to_next_workday"), schedule, day, history
    )
    assert result.status == "fail"
    assert result.message.endswith(f"is below {(following - day).days}")


YAML = """
schedule: shop
title: Shop
calendar: {workdays: [mon, tue, wed, thu, fri]}
parameters: {gross_margin: 40%, buffer: 1}
metrics:
  spend: {label: Spend, unit: money, currency: CNY}
  budget: {label: Budget, unit: money, currency: CNY}
  sales: {label: Sales, unit: money, currency: CNY}
  margin_sales: {label: Margin on sales, unit: money, currency: CNY, formula: sales * gross_margin}
blocks:
  - id: data
    title: Data
    start: "08:30"
    end: "10:30"
"""
SHOP = load_schedule_text(YAML)
D = date(2026, 11, 20)  # a Friday


def test_parameters_are_fractions_and_feed_formulas() -> None:
    assert [(p.id, p.value) for p in SHOP.parameters] == [("gross_margin", 0.4), ("buffer", 1.0)]
    result = evaluate_check(parse_check("margin_sales < 100"), SHOP, D, {"sales": {D: 200.0}})
    assert (result.status, result.message) == ("fail", "Margin on sales ¥80.00 is below ¥100.00")


def test_a_metric_in_the_threshold_is_read_for_the_same_data_date() -> None:
    history = {"spend": {D: 130.0, D - timedelta(days=1): 1.0}, "budget": {D: 100.0}}
    result = evaluate_check(parse_check("spend > budget * (1 + buffer / 5)"), SHOP, D, history)
    assert (result.status, result.message) == ("fail", "Spend ¥130.00 is above ¥120.00")


@pytest.mark.parametrize(
    ("text", "history", "message"),
    [
        (
            "spend > budget * 1.2",
            {"spend": {D: 130.0}},
            "the threshold budget * 1.2 cannot be computed: no value for Budget on 2026-11-20",
        ),
        (
            "spend > 1 / (buffer - 1)",
            {"spend": {D: 130.0}},
            "the threshold 1 / (buffer - 1) cannot be computed: it divides by zero or overflows",
        ),
        ("spend > budget", {"budget": {D: 1.0}}, "no value for Spend on 2026-11-20"),
    ],
)
def test_a_threshold_that_cannot_be_computed_is_unknown(
    text: str, history: MetricHistory, message: str
) -> None:
    result = evaluate_check(parse_check(text), SHOP, D, history)
    assert (result.status, result.message) == ("unknown", message)


def test_days_to_next_workday_counts_from_the_plan_day() -> None:
    history = {"spend": {D: 2.0}}
    friday = evaluate_check(parse_check("spend < days_to_next_workday"), SHOP, D, history)
    assert friday.status == "fail"  # Friday → Monday: 3 days
    thursday = evaluate_check(
        parse_check("spend < days_to_next_workday"), SHOP, D, history, day=D - timedelta(days=1)
    )
    assert thursday.status == "ok"  # the same figure, read on Thursday: 1 day


def test_a_calendar_without_workdays_gives_no_threshold() -> None:
    closed = load_schedule_text(
        YAML.replace("workdays: [mon, tue, wed, thu, fri]", "holidays: [2026-11-21..2027-01-31]")
    )
    result = evaluate_check(
        parse_check("spend < days_to_next_workday"), closed, D, {"spend": {D: 1.0}}
    )
    assert result.status == "unknown"
    assert "no workday in the 60 days after 2026-11-20" in result.message


# ----------------------------------------------------------------------------- properties

values = st.one_of(st.none(), st.floats(-1e6, 1e6, allow_nan=False))
margins = st.floats(0.01, 0.99, allow_nan=False)
OPS = {"<": float.__lt__, "<=": float.__le__, ">": float.__gt__, ">=": float.__ge__}


@settings(max_examples=200, deadline=None)
@given(
    spend=values,
    budget=values,
    margin=margins,
    factor=st.integers(-400, 400).map(lambda n: n / 4),
    op=st.sampled_from(sorted(OPS)),
    weekday=st.integers(0, 6),
)
def test_threshold_formulas_match_a_direct_computation(
    spend: float | None,
    budget: float | None,
    margin: float,
    factor: float,
    op: str,
    weekday: int,
) -> None:
    """Never raises on missing data; when everything is there, the status is the direct
    comparison with the threshold computed by hand."""
    schedule = load_schedule_text(YAML.replace("40%", repr(margin)))
    day = date(2026, 11, 16) + timedelta(days=weekday)  # Monday + weekday
    history: MetricHistory = {
        name: {day: value}
        for name, value in (("spend", spend), ("budget", budget))
        if value is not None
    }
    text = f"spend {op} budget / gross_margin * {factor!r} + days_to_next_workday"
    result = evaluate_check(parse_check(text), schedule, day, history)
    if spend is None or budget is None:
        assert result.status == "unknown"
        return
    days = {4: 3, 5: 2}.get(weekday, 1)  # Friday and Saturday reach Monday
    threshold = budget / margin * factor + days
    expected = "fail" if OPS[op](spend, threshold) else "ok"
    assert result.status == expected
    assert result.expr == text
