"""The weekly sales ladder: grow the weekly target 10-20 % a week until it saturates."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opsplanner.planner.metrics import MetricHistory
from opsplanner.planner.targets import LadderWeek, ladder, week_monday, week_of, weekly_target
from opsplanner.schedule.loader import load_schedule, load_schedule_text
from opsplanner.schedule.models import Schedule, Target
from opsplanner.schedule.paths import bundled_dir

YAML = """
schedule: shop
title: Shop
metrics:
  sales: {label: Sales, unit: money, currency: CNY}
  refund_amount: {label: Refunds, unit: money, currency: CNY}
  net_sales: {label: Net sales, unit: money, currency: CNY, formula: sales - refund_amount}
blocks:
  - id: data
    title: Data diagnosis
    start: "08:30"
    end: "10:30"
    tasks:
      - id: store-data
        title: Record yesterday's store data
targets:
  weekly-sales:
    metric: sales
    from: 2026-11-02
    base: 1000
    growth: 20%
    cap: 2000
  weekly-net:
    metric: net_sales
    from: 2026-11-04
    base: 1000
    growth: 10%
"""

MONDAY = date(2026, 11, 2)


@pytest.fixture(scope="module")
def schedule() -> Schedule:
    return load_schedule_text(YAML)


@pytest.fixture
def sales(schedule: Schedule) -> Target:
    return schedule.targets[0]


def make(
    base: float = 1000,
    growth: float = 0.2,
    cap: float | None = None,
    start: date = MONDAY,
    metric: str = "sales",
) -> Target:
    return Target("t", metric, start, base, growth, cap)


def targets_of(weeks: tuple[LadderWeek, ...]) -> list[float]:
    return [week.target for week in weeks]


# --------------------------------------------------------------------- weekly_target


def test_template_target_is_loaded_as_fractions(sales: Target) -> None:
    assert (sales.metric, sales.start, sales.base, sales.growth, sales.cap) == (
        "sales",
        MONDAY,
        1000,
        pytest.approx(0.2),
        2000,
    )


def test_twenty_percent_a_week_compounds() -> None:
    target = make(growth=0.2)
    got = [weekly_target(target, n) for n in range(1, 6)]
    assert got == pytest.approx([1000, 1200, 1440, 1728, 2073.6])
    # decimal compounding: no binary noise in what the operator reads
    assert got == [1000.0, 1200.0, 1440.0, 1728.0, 2073.6]


def test_ten_percent_a_week_compounds() -> None:
    target = make(growth=0.1)
    got = [weekly_target(target, n) for n in range(1, 7)]
    assert got == [1000.0, 1100.0, 1210.0, 1331.0, 1464.1, 1610.51]  # exactly as written


def test_cap_holds_the_target_once_saturated() -> None:
    target = make(growth=0.2, cap=2000)
    assert weekly_target(target, 4) == pytest.approx(1728)
    assert weekly_target(target, 5) == 2000
    assert weekly_target(target, 50) == 2000


def test_growth_zero_keeps_the_base() -> None:
    target = make(growth=0.0)
    assert {weekly_target(target, n) for n in range(1, 20)} == {1000}


def test_runaway_ladder_without_cap_does_not_raise() -> None:
    target = make(growth=1.0)
    assert weekly_target(target, 5000) == float("inf")
    assert weekly_target(replace(target, cap=9e9), 5000) == 9e9


@pytest.mark.parametrize("week", [0, -1])
def test_weeks_start_at_one(week: int) -> None:
    with pytest.raises(ValueError, match="start at 1"):
        weekly_target(make(), week)


# --------------------------------------------------------------------- week_of


def test_week_of_monday_start() -> None:
    target = make(start=MONDAY)
    assert week_of(target, MONDAY - timedelta(days=1)) is None
    assert week_of(target, MONDAY) == 1
    assert week_of(target, MONDAY + timedelta(days=6)) == 1
    assert week_of(target, MONDAY + timedelta(days=7)) == 2
    assert week_of(target, MONDAY + timedelta(days=30)) == 5


def test_week_of_wednesday_start() -> None:
    wednesday = MONDAY + timedelta(days=2)
    target = make(start=wednesday)
    assert week_monday(target) == MONDAY
    assert week_of(target, MONDAY) is None  # in week 1's span, but before the start
    assert week_of(target, wednesday) == 1
    assert week_of(target, MONDAY + timedelta(days=6)) == 1  # Sunday
    assert week_of(target, MONDAY + timedelta(days=7)) == 2  # next Monday


# --------------------------------------------------------------------- ladder


def test_ladder_with_cap_twenty_percent(schedule: Schedule, sales: Target) -> None:
    weeks = ladder(schedule, sales, {}, until=MONDAY + timedelta(weeks=6, days=3))
    assert [w.number for w in weeks] == [1, 2, 3, 4, 5, 6, 7]
    assert targets_of(weeks) == pytest.approx([1000, 1200, 1440, 1728, 2000, 2000, 2000])
    assert [w.capped for w in weeks] == [False] * 4 + [True] * 3
    assert [w.number for w in weeks if w.cap_reached_here] == [5]
    assert all(w.start.weekday() == 0 and w.end == w.start + timedelta(days=6) for w in weeks)
    assert weeks[0].start == MONDAY
    assert weeks[-1].start <= MONDAY + timedelta(weeks=6, days=3) <= weeks[-1].end


def test_ladder_with_cap_ten_percent(schedule: Schedule) -> None:
    target = make(growth=0.1, cap=1500)
    weeks = ladder(schedule, target, {}, until=MONDAY + timedelta(weeks=7))
    assert targets_of(weeks)[:6] == pytest.approx([1000, 1100, 1210, 1331, 1464.1, 1500])
    assert [w.number for w in weeks if w.cap_reached_here] == [6]
    assert [w.number for w in weeks if w.capped] == [6, 7, 8]


def test_cap_equal_to_base_is_reached_in_week_one(schedule: Schedule) -> None:
    weeks = ladder(schedule, make(cap=1000), {}, until=MONDAY + timedelta(weeks=2))
    assert targets_of(weeks) == [1000, 1000, 1000]
    assert [w.cap_reached_here for w in weeks] == [True, False, False]


def test_ladder_without_cap_is_never_capped(schedule: Schedule) -> None:
    weeks = ladder(schedule, make(growth=0.2), {}, until=MONDAY + timedelta(weeks=20))
    assert len(weeks) == 21
    assert not any(w.capped or w.cap_reached_here for w in weeks)
    assert weeks[-1].target == pytest.approx(1000 * 1.2**20)


def test_actual_sums_monday_to_sunday_over_gaps(schedule: Schedule) -> None:
    day = lambda n: MONDAY + timedelta(days=n)  # noqa: E731
    history: MetricHistory = {
        "sales": {
            day(-1): 99_999.0,  # the Sunday before: not in week 1
            day(0): 300.0,
            day(2): 250.5,
            day(6): 449.5,  # week 1: Mon, Wed, Sun
            # week 2: nothing at all
            day(14): 1440.0,  # week 3: Monday only
            day(21): float("nan"),  # unreadable: not data
        }
    }
    weeks = ladder(schedule, make(growth=0.2), history, until=day(22))
    assert [w.actual for w in weeks] == [1000.0, None, 1440.0, None]
    assert [w.days_with_data for w in weeks] == [3, 0, 1, 0]
    assert weeks[0].percent == pytest.approx(100.0)
    assert weeks[1].percent is None
    assert weeks[2].percent == pytest.approx(1440 / 1440 * 100)


def test_a_week_of_zeros_has_an_actual_of_zero(schedule: Schedule) -> None:
    history: MetricHistory = {"sales": {MONDAY: 0.0}}
    [week] = ladder(schedule, make(), history, until=MONDAY)
    assert (week.actual, week.percent, week.days_with_data) == (0.0, 0.0, 1)


def test_percent_above_target(schedule: Schedule) -> None:
    history: MetricHistory = {"sales": {MONDAY + timedelta(days=7 + i): 300.0 for i in range(7)}}
    weeks = ladder(schedule, make(growth=0.2), history, until=MONDAY + timedelta(days=7))
    assert weeks[1].actual == 2100.0
    assert weeks[1].percent == pytest.approx(175.0)


def test_derived_metric_target_sums_daily_values(schedule: Schedule) -> None:
    target = schedule.targets[1]  # net_sales = sales - refund_amount, from a Wednesday
    wednesday = MONDAY + timedelta(days=2)
    history: MetricHistory = {
        "sales": {MONDAY: 500.0, wednesday: 800.0, MONDAY + timedelta(days=4): 400.0},
        "refund_amount": {MONDAY: 50.0, wednesday: 100.0},  # Friday has no refunds entered
    }
    weeks = ladder(schedule, target, history, until=wednesday)
    assert len(weeks) == 1
    [week] = weeks
    assert week.start == MONDAY  # the whole Monday..Sunday week containing the start
    assert week.actual == pytest.approx(450.0 + 700.0)
    assert week.days_with_data == 2
    assert week.percent == pytest.approx(115.0)
    assert not week.capped


def test_wednesday_start_runs_monday_to_sunday(schedule: Schedule) -> None:
    wednesday = MONDAY + timedelta(days=2)
    target = make(start=wednesday)
    weeks = ladder(schedule, target, {}, until=MONDAY + timedelta(days=7))
    assert [(w.number, w.start, w.end) for w in weeks] == [
        (1, MONDAY, MONDAY + timedelta(days=6)),
        (2, MONDAY + timedelta(days=7), MONDAY + timedelta(days=13)),
    ]
    # the Tuesday before a Wednesday start has no ladder yet
    assert ladder(schedule, target, {}, until=MONDAY + timedelta(days=1)) == ()


def test_until_before_start_is_empty(schedule: Schedule, sales: Target) -> None:
    assert ladder(schedule, sales, {"sales": {MONDAY: 1.0}}, until=MONDAY - timedelta(days=1)) == ()


def test_until_on_start_is_week_one(schedule: Schedule, sales: Target) -> None:
    [week] = ladder(schedule, sales, {}, until=MONDAY)
    assert (week.number, week.target, week.actual, week.percent) == (1, 1000, None, None)


# --------------------------------------------------------------------- properties


@given(
    base=st.floats(min_value=0.01, max_value=1e9, allow_nan=False),
    growth=st.floats(min_value=0.0, max_value=5.0, allow_nan=False),
    cap_factor=st.one_of(st.none(), st.floats(min_value=1.0, max_value=1e6)),
    weeks=st.integers(min_value=1, max_value=120),
)
def test_targets_never_decrease_and_never_exceed_cap(
    base: float, growth: float, cap_factor: float | None, weeks: int
) -> None:
    cap = None if cap_factor is None else base * cap_factor
    target = make(base=base, growth=growth, cap=cap)
    values = [weekly_target(target, n) for n in range(1, weeks + 1)]
    assert values[0] == pytest.approx(min(base, cap if cap is not None else base))
    assert all(later >= earlier for earlier, later in zip(values, values[1:], strict=False))
    if cap is not None:
        assert all(value <= cap for value in values)
        reached = [n for n, value in enumerate(values, 1) if value >= cap]
        assert reached == list(range(reached[0], weeks + 1)) if reached else True


# --------------------------------------------------------------------- seasonal pause

PAUSED_YAML = """
schedule: festive
title: Festive shop
calendar: {{country: CN, workdays: [mon, tue, wed, thu, fri, sat]}}
metrics:
  sales: {{label: Sales, unit: money, currency: CNY}}
blocks:
  - id: data
    title: Data
    start: "08:30"
    end: "10:30"
targets:
  weekly-sales:
    metric: sales
    from: 2027-01-04
    base: 7000
    growth: 10%
    cap: 50000
    pause: {pause}
"""
SPRING_FESTIVAL_2027 = date(2027, 2, 8)  # Monday of the week whose Mon..Wed are holidays


def paused_ladder(pause: str, until: date = date(2027, 3, 1)) -> tuple[LadderWeek, ...]:
    schedule = load_schedule_text(PAUSED_YAML.format(pause=pause))
    return ladder(schedule, schedule.targets[0], {}, until=until)


def test_spring_festival_week_is_paused_and_the_ladder_resumes_where_it_left_off() -> None:
    weeks = {week.start: week for week in paused_ladder("holidays")}
    before = weeks[SPRING_FESTIVAL_2027 - timedelta(weeks=1)]
    festival = weeks[SPRING_FESTIVAL_2027]
    after = weeks[SPRING_FESTIVAL_2027 + timedelta(weeks=1)]
    assert (festival.target, festival.paused, festival.days_off) == (None, "holidays", 3)
    assert festival.percent is None and not festival.capped
    assert before.target is not None and after.target == pytest.approx(before.target * 1.1)
    assert (before.number, festival.number, after.number) == (5, 6, 7)
    assert (before.step, festival.step, after.step) == (5, 5, 6)


def test_only_weeks_with_enough_days_off_pause() -> None:
    # The week before the festival has two days off (Fri 02-05, Sat 02-06): not enough for
    # the default of 3, enough for `holidays >= 2`.
    default = [w.start for w in paused_ladder("holidays") if w.paused]
    two = [w.start for w in paused_ladder("holidays >= 2") if w.paused]
    assert default == [SPRING_FESTIVAL_2027]
    assert two == [SPRING_FESTIVAL_2027 - timedelta(weeks=1), SPRING_FESTIVAL_2027]


def test_dates_pause_every_week_they_touch() -> None:
    weeks = paused_ladder("[2027-02-10..2027-02-16]")
    paused = [(w.start, w.paused) for w in weeks if w.paused]
    assert paused == [(SPRING_FESTIVAL_2027, "dates"), (date(2027, 2, 15), "dates")]
    assert weeks[-1].target == pytest.approx(weekly_target(make(7000, 0.1, 50000), len(weeks) - 2))


def test_an_empty_pause_leaves_the_ladder_as_it_was() -> None:
    weeks = paused_ladder("[]")
    assert [w.target for w in weeks] == [
        weekly_target(make(7000, 0.1, 50000), w.number) for w in weeks
    ]
    assert all(w.paused is None and w.step == w.number for w in weeks)


def test_the_bundled_ladders_pause_in_the_spring_festival_week() -> None:
    for name in ("taobao-operator.yaml", "taobao-operator.zh.yaml"):
        schedule = load_schedule(bundled_dir() / name)
        (target,) = schedule.targets
        assert (target.base, target.growth, target.cap) == (7000, 0.1, 50000)
        weeks = {w.start: w for w in ladder(schedule, target, {}, until=date(2027, 3, 1))}
        assert weeks[SPRING_FESTIVAL_2027].paused == "holidays"
        after = weeks[SPRING_FESTIVAL_2027 + timedelta(weeks=1)].target
        before = weeks[SPRING_FESTIVAL_2027 - timedelta(weeks=1)].target
        assert before is not None and after == pytest.approx(before * 1.1)
