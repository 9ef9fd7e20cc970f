"""`metrics_for: since_last_workday`: Monday's store data asks for Saturday's and Sunday's
figures, each checked on its own date, so a week's sum sees all seven days."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from opsplanner.planner.day import occurrences
from opsplanner.planner.failures import task_failures
from opsplanner.planner.metrics import (
    LAST_WORKDAY_SEARCH_DAYS,
    MetricHistory,
    checks_by_date,
    data_date,
    data_dates,
    metric_data_date,
)
from opsplanner.planner.record import Disposition
from opsplanner.schedule.loader import load_schedule_text

TEMPLATE = """
schedule: six-day-week
title: Six-day week
timezone: Asia/Shanghai
calendar:
  workdays: [mon, tue, wed, thu, fri, sat]
  holidays: [2026-10-01, 2026-10-02, 2026-10-05, 2026-10-06, 2026-10-07]
metrics:
  visitors: {label: Visitors, unit: count}
  orders: {label: Orders, unit: count}
blocks:
  - id: data
    title: Data
    start: "08:30"
    end: "10:30"
    tasks:
      - id: store-data
        title: Record the store's figures
        metrics: [visitors, orders]
        metrics_for: since_last_workday
        checks:
          - visitors required
          - orders < 5
      - id: refunds
        title: Refunds
        metrics: [orders]
        metrics_for: yesterday
      - id: ads
        title: Ads
        metrics: [visitors]
"""
SCHEDULE = load_schedule_text(TEMPLATE)
MONDAY = date(2026, 11, 30)
SATURDAY, SUNDAY = date(2026, 11, 28), date(2026, 11, 29)


def task(key: str, day: date = MONDAY):  # type: ignore[no-untyped-def]
    found = occurrences(SCHEDULE, day).task(key)
    assert found is not None
    return found


def test_monday_reads_saturday_and_sunday_tuesday_reads_monday() -> None:
    assert data_dates(task("store-data"), SCHEDULE, MONDAY) == (SATURDAY, SUNDAY)
    tuesday = MONDAY + timedelta(days=1)
    assert data_dates(task("store-data", tuesday), SCHEDULE, tuesday) == (MONDAY,)
    # The latest date is the one a figure typed without a date describes.
    assert data_date(task("store-data"), SCHEDULE, MONDAY) == SUNDAY
    assert metric_data_date(SCHEDULE, "visitors", MONDAY) == SUNDAY


def test_the_other_rules_are_unchanged() -> None:
    assert data_dates(task("refunds"), SCHEDULE, MONDAY) == (SUNDAY,)
    assert data_dates(task("ads"), SCHEDULE, MONDAY) == (MONDAY,)


def test_after_the_national_day_break_every_day_off_is_asked_for() -> None:
    thursday_8th = date(2026, 10, 8)
    # Oct 1, 2, 5, 6, 7 are holidays and Sunday the 4th is off; Saturday the 3rd is worked.
    assert data_dates(task("store-data", thursday_8th), SCHEDULE, thursday_8th) == tuple(
        date(2026, 10, d) for d in (3, 4, 5, 6, 7)
    )


def test_each_date_is_checked_on_its_own_figures() -> None:
    history: MetricHistory = {
        "visitors": {SATURDAY: 900, SUNDAY: 1100},
        "orders": {SATURDAY: 3, SUNDAY: 12},
    }
    by_date = checks_by_date(task("store-data"), SCHEDULE, MONDAY, history)
    assert [d.data_date for d in by_date] == [SATURDAY, SUNDAY]
    assert [[r.status for r in d.results] for d in by_date] == [["ok", "fail"], ["ok", "ok"]]


def test_a_missing_sunday_blocks_until_entered_or_said_to_be_missing() -> None:
    history: MetricHistory = {"visitors": {SATURDAY: 900}, "orders": {SATURDAY: 9}}
    store_data = task("store-data")
    failures = task_failures(store_data, SCHEDULE, MONDAY, history, ())
    assert [(f.check.source, f.data_date) for f in failures.required] == [
        ("visitors required", SUNDAY)
    ]
    assert failures.required[0].message.startswith("Sun 11-29: ")
    no_data = Disposition(
        metric="visitors",
        data_date=SUNDAY,
        checks="visitors required",
        cause="the platform shows no data for Sunday",
        follow_up=None,
        follow_up_day=None,
        decided_at=datetime(2026, 11, 30, 1, 0, tzinfo=UTC),
    )
    assert not task_failures(store_data, SCHEDULE, MONDAY, history, (no_data,)).blocking
    # Saying so for Saturday does not stand in for Sunday.
    saturday_only = replace(no_data, data_date=SATURDAY)
    assert task_failures(store_data, SCHEDULE, MONDAY, history, (saturday_only,)).blocking


@settings(deadline=None, max_examples=300)
@given(
    day=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)),
    workdays=st.sets(st.integers(0, 6)),
)
def test_data_dates_run_from_the_last_workday_to_yesterday(day: date, workdays: set[int]) -> None:
    names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    listed = ", ".join(names[n] for n in sorted(workdays))
    schedule = load_schedule_text(
        TEMPLATE.replace(
            "workdays: [mon, tue, wed, thu, fri, sat]", f"workdays: [{listed}]"
        ).replace("  holidays: [2026-10-01, 2026-10-02, 2026-10-05, 2026-10-06, 2026-10-07]\n", "")
    )
    store_data = next(t for t in schedule.tasks() if t.id == "store-data")
    dates = data_dates(store_data, schedule, day)
    # Consecutive, ending yesterday, never longer than the search.
    assert dates[-1] == day - timedelta(days=1)
    assert all(b - a == timedelta(days=1) for a, b in zip(dates, dates[1:], strict=False))
    assert 1 <= len(dates) <= LAST_WORKDAY_SEARCH_DAYS
    if workdays:
        # It starts on a workday, and no day after it (before `day`) is one.
        assert dates[0].weekday() in workdays
        assert all(d.weekday() not in workdays for d in dates[1:])
    else:
        assert dates == (day - timedelta(days=1),)
