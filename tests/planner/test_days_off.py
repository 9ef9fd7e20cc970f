"""A rarer-than-daily duty whose date is a day off comes on the next workday, once."""

from __future__ import annotations

from datetime import date, timedelta

from opsplanner.planner.day import occurrences
from opsplanner.schedule.loader import load_schedule_text

YAML = """
schedule: shop
title: Shop
since: 2027-04-05
calendar:
  workdays: [mon, tue, wed, thu, fri]
  holidays: [2027-05-03, 2027-05-04]
blocks:
  - id: office
    title: Office
    start: "09:00"
    end: "17:00"
    tasks:
      - id: month-review
        title: Review last month
        repeat: monthly on 1
      - id: weekly-report
        title: Weekly report
        repeat: weekly on mon
      - id: first-day-check
        title: A check that only makes sense on the 1st
        repeat: monthly on 1
        on_miss: expire
"""
SCHEDULE = load_schedule_text(YAML)


def days_of(task_id: str, start: date, end: date) -> list[date]:
    days = (start + timedelta(days=n) for n in range((end - start).days + 1))
    return [d for d in days if occurrences(SCHEDULE, d).task(task_id) is not None]


def test_a_carry_duty_on_a_day_off_comes_on_the_next_workday_once() -> None:
    # 2027-05-01 is a Saturday, 05-02 a Sunday, 05-03 and 05-04 holidays.
    assert days_of("month-review", date(2027, 4, 26), date(2027, 5, 31)) == [date(2027, 5, 5)]
    assert days_of("weekly-report", date(2027, 5, 1), date(2027, 5, 16)) == [
        date(2027, 5, 5),  # Monday 05-03 was a holiday
        date(2027, 5, 10),
    ]


def test_an_expire_duty_on_a_day_off_is_not_moved() -> None:
    assert days_of("first-day-check", date(2027, 4, 26), date(2027, 5, 31)) == []
    assert days_of("first-day-check", date(2027, 6, 1), date(2027, 6, 30)) == [date(2027, 6, 1)]


def test_nothing_comes_forward_from_before_the_schedule_starts() -> None:
    """since: 2027-04-05; the 1st of April and the Sunday before are not its days."""
    assert days_of("month-review", date(2027, 4, 5), date(2027, 4, 30)) == []
    assert days_of("weekly-report", date(2027, 4, 5), date(2027, 4, 6)) == [date(2027, 4, 5)]
