"""The weekly sales ladder: a target that grows by a fixed rate each week until it saturates.

- Weeks run Monday..Sunday. Week 1 is the week containing ``target.start`` (so a target that
  starts on a Wednesday still has a whole Monday..Sunday week 1); there is nothing before it.
- A week can be *paused* (``pause:`` in the template): ``holidays`` pauses a week in which
  the schedule's calendar gives at least 3 days off (``holidays >= N``: at least N) on days
  the weekly pattern would work — public holidays such as the Spring Festival week, and the
  template's own ``holidays`` — and a date or range (``2027-02-08..2027-02-21``) pauses every
  week holding one of its days. A paused week has no target (its sales are still summed and
  shown) and is not a growth step: the week after it asks what the week before it would
  have grown to, so the ladder resumes where it left off.
- The target of the ``n``-th week that is not paused (its *step*) is
  ``min(base * (1 + growth) ** (n - 1), cap)``. It is computed in
  decimal arithmetic from the numbers as written and rounded once, so the ladder reads
  1000, 1100, 1210, 1331, 1464.1 rather than collecting binary rounding noise, and so
  successive weeks can never step backwards through rounding (float ``pow`` does not
  promise that).
- The actual of a week is the sum of the metric over its Monday..Sunday, each day read with
  :func:`~opsplanner.planner.metrics.metric_value` (so a derived metric is computed per day and
  then summed); days without a value are skipped, and a week with no value at all has no
  actual rather than an actual of 0.
"""

from __future__ import annotations

import decimal
import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final, Literal

from opsplanner.i18n import _, ngettext
from opsplanner.planner.metrics import MetricHistory, metric_value
from opsplanner.schedule.models import Calendar, Schedule, Target

__all__ = [
    "LadderWeek",
    "PauseReason",
    "ladder",
    "pause_text",
    "paused",
    "week_monday",
    "week_of",
    "weekly_target",
]

PauseReason = Literal["holidays", "dates"]
"""Why a week has no target: enough days off in it, or a date the template pauses."""

_PRECISION: Final = 40
"""Decimal digits for the compounding: far beyond a float's 17, so rounding happens once."""


@dataclass(frozen=True, slots=True)
class LadderWeek:
    """One Monday..Sunday rung of the ladder: what was asked, what was sold."""

    number: int  # 1 for the week containing target.start
    start: date  # Monday
    end: date  # Sunday
    target: float | None  # min(base * (1 + growth) ** (step - 1), cap); None when paused
    actual: float | None  # sum over Monday..Sunday; None when no day has a value
    percent: float | None  # actual / target * 100; None without an actual or a target > 0
    capped: bool  # this week's target is at the cap
    cap_reached_here: bool  # the first week whose target reaches the cap
    days_with_data: int
    step: int = 0  # the growth step: how many weeks up to this one are not paused
    paused: PauseReason | None = None
    days_off: int = 0  # days off on would-be workdays (what `pause: holidays` counts)


def week_monday(target: Target) -> date:
    """The Monday of week 1: the Monday..Sunday week containing the target's start."""
    return target.start - timedelta(days=target.start.weekday())


def week_of(target: Target, day: date) -> int | None:
    """The ladder week number containing ``day``; None before the target starts."""
    if day < target.start:
        return None
    return (day - week_monday(target)).days // 7 + 1


def paused(target: Target, calendar: Calendar, monday: date) -> PauseReason | None:
    """Why the Monday..Sunday week from `monday` has no target, if it has none."""
    week = [monday + timedelta(days=n) for n in range(7)]
    if target.pause_dates and any(day in target.pause_dates for day in week):
        return "dates"
    if (
        target.pause_holidays is not None
        and calendar.days_off_on_workdays(monday) >= target.pause_holidays
    ):
        return "holidays"
    return None


def pause_text(week: LadderWeek) -> str:
    """Why a week has no target, for reports and screens ("" when it has one)."""
    if week.paused == "holidays":
        return ngettext(
            "paused: {count} day off for holidays",
            "paused: {count} days off for holidays",
            week.days_off,
        ).format(count=week.days_off)
    if week.paused == "dates":
        return _("paused: the template pauses this week")
    return ""


def weekly_target(target: Target, week_number: int) -> float:
    """The target of growth step ``week_number`` (1-based: the n-th week that is not
    paused), compounded and held at the cap."""
    if week_number < 1:
        raise ValueError(f"ladder weeks start at 1, not {week_number}")
    with decimal.localcontext() as context:
        context.prec = _PRECISION
        context.Emax = decimal.MAX_EMAX
        context.Emin = decimal.MIN_EMIN
        context.traps[decimal.Overflow] = False  # a runaway ladder becomes inf, then the cap
        context.traps[decimal.Underflow] = False
        # repr: the decimal the operator wrote ("10%" is 0.1, not 0.1000000000000000055...)
        factor = (1 + decimal.Decimal(repr(target.growth))) ** (week_number - 1)
        value = float(decimal.Decimal(repr(target.base)) * factor)
    if target.cap is not None:
        value = min(value, target.cap)
    return value


def _is_capped(target: Target, value: float) -> bool:
    return target.cap is not None and value >= target.cap


def ladder(
    schedule: Schedule, target: Target, history: MetricHistory, *, until: date
) -> tuple[LadderWeek, ...]:
    """Every week from the target's start to the week containing ``until``, inclusive.

    Empty when ``until`` is before the start. The last week may be in progress: its actual
    is whatever the history holds for its Monday..Sunday so far.
    """
    last = week_of(target, until)
    if last is None:
        return ()
    weeks: list[LadderWeek] = []
    monday = week_monday(target)
    previous_capped = False
    step = 0
    for number in range(1, last + 1):
        start = monday + timedelta(weeks=number - 1)
        end = start + timedelta(days=6)
        reason = paused(target, schedule.calendar, start)
        step += reason is None
        goal = None if reason is not None else weekly_target(target, step)
        values = [
            value
            for offset in range(7)
            if (
                value := metric_value(
                    schedule, target.metric, start + timedelta(days=offset), history
                )
            )
            is not None
        ]
        actual = math.fsum(values) if values else None
        percent = (
            actual / goal * 100 if actual is not None and goal is not None and goal > 0 else None
        )
        capped = goal is not None and _is_capped(target, goal)
        weeks.append(
            LadderWeek(
                number=number,
                start=start,
                end=end,
                target=goal,
                actual=actual,
                percent=percent,
                capped=capped,
                cap_reached_here=capped and not previous_capped,
                days_with_data=len(values),
                step=step,
                paused=reason,
                days_off=schedule.calendar.days_off_on_workdays(start),
            )
        )
        previous_capped = previous_capped or capped
    return tuple(weeks)
