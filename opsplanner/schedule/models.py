"""The validated, immutable form of a schedule template: nothing past the loader sees raw YAML."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from opsplanner.schedule.checks import Check, Formula
from opsplanner.schedule.recurrence import DAILY, Recurrence

Unit = Literal["count", "money", "percent", "number"]
OnMiss = Literal["expire", "carry"]
MetricsFor = Literal["today", "yesterday", "since_last_workday"]
OnDayOff = Literal["keep", "before", "after"]

WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

DAYS_TO_NEXT_WORKDAY = "days_to_next_workday"
"""A built-in name for check thresholds: calendar days from the task's day to the next
workday (the ad balance must last until the operator next looks)."""
BUILT_IN_NAMES = frozenset({DAYS_TO_NEXT_WORKDAY})

NEXT_WORKDAY_SEARCH_DAYS = 60
"""How far ahead the next workday is looked for: a calendar with no workday in two months
gives no value rather than a search without end."""


@dataclass(frozen=True, slots=True)
class Metric:
    """A number the operator reads; derived when it has a formula (computed, never typed in)."""

    id: str
    label: str
    unit: Unit = "number"
    currency: str | None = None
    formula: Formula | None = None

    @property
    def derived(self) -> bool:
        return self.formula is not None


@dataclass(frozen=True, slots=True)
class Task:
    """One step of a block; it occurs when its block occurs and its own repeat matches."""

    id: str
    title: str
    block_id: str
    detail: str = ""
    repeat: Recurrence | None = None
    on_miss: OnMiss = "expire"
    metrics: tuple[str, ...] = ()
    metrics_for: MetricsFor = "today"
    checks: tuple[Check, ...] = ()


@dataclass(frozen=True, slots=True)
class Block:
    """A slice of the working day with a fixed local time range."""

    id: str
    title: str
    start: time
    end: time
    repeat: Recurrence = DAILY
    tasks: tuple[Task, ...] = ()


@dataclass(frozen=True, slots=True)
class Calendar:
    """Which days the routine runs: weekdays 0=Mon..6=Sun, the country's public holidays and
    in-lieu working days (调休), then the template's own dates, which override both."""

    workdays: frozenset[int] = frozenset(range(7))
    holidays: frozenset[date] = frozenset()
    working_dates: frozenset[date] = frozenset()  # the template's: worked whatever else says
    country: CountryDays | None = None

    def is_workday(self, day: date) -> bool:
        if day in self.working_dates:
            return True
        if day in self.holidays:
            return False
        if self.country is not None:
            answer = self.country.is_workday(day)
            if answer is not None:
                return answer
        return day.weekday() in self.workdays

    def next_workday(self, day: date, within: int = NEXT_WORKDAY_SEARCH_DAYS) -> date | None:
        """The first workday after `day`, looking at most `within` days ahead."""
        for ahead in range(1, within + 1):
            candidate = day + timedelta(days=ahead)
            if self.is_workday(candidate):
                return candidate
        return None

    def days_off_on_workdays(self, monday: date) -> int:
        """Days of the Monday..Sunday week from `monday` that the weekly pattern would work
        but the calendar gives off: public holidays and the template's own days off."""
        week = (monday + timedelta(days=n) for n in range(7))
        return sum(d.weekday() in self.workdays and not self.is_workday(d) for d in week)


@dataclass(frozen=True, slots=True)
class CountryDays:
    """A country's public holidays and in-lieu working days, read from the `holidays` library
    when the schedule is loaded, for `years` (first, last): kept in the schedule (and its
    cache), so asking costs a set lookup. A date outside those years asks the library."""

    code: str
    years: tuple[int, int]
    days_off: frozenset[date] = frozenset()
    days_on: frozenset[date] = frozenset()  # weekend days worked in lieu of a holiday

    def is_workday(self, day: date) -> bool | None:
        """True for an in-lieu working day, False for a public holiday, else None."""
        if self.years[0] <= day.year <= self.years[1]:
            days_off, days_on = self.days_off, self.days_on
        else:
            from opsplanner.schedule.country import country_days

            days_off, days_on = country_days(self.code, day.year)
        if day in days_on:
            return True
        return False if day in days_off else None


@dataclass(frozen=True, slots=True)
class Parameter:
    """A number the template names once (``gross_margin: 40%``) and uses in formulas and
    check thresholds; a percentage is kept as its fraction (0.4)."""

    id: str
    value: float


@dataclass(frozen=True, slots=True)
class Target:
    """A weekly target that grows by a fixed rate each week until it reaches its cap;
    paused weeks (holiday weeks, the template's own dates) have none and do not grow it."""

    id: str
    metric: str
    start: date
    base: float
    growth: float  # fraction per week: 0.2 for "20%"
    cap: float | None = None
    pause_holidays: int | None = None  # pause a week with at least this many days off
    pause_dates: frozenset[date] = frozenset()  # pause every week holding one of these


@dataclass(frozen=True, slots=True)
class Phase:
    """A named period of a multi-day event (pre-sale, main), as days from the campaign date."""

    id: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class CampaignTask:
    """A preparation step placed relative to the campaign date, or to the first (or last)
    day of one of its phases; negative: before."""

    id: str
    title: str
    offset_days: int
    block_id: str | None = None
    detail: str = ""
    phase: str | None = None
    from_phase_end: bool = False
    on_day_off: OnDayOff | None = None  # None: the campaign's


@dataclass(frozen=True, slots=True)
class Campaign:
    """A platform event (Double 11, 618) with its countdown of preparations; `year` None
    means it comes every year on the same month and day."""

    id: str
    title: str
    month: int
    day: int
    year: int | None = None
    tasks: tuple[CampaignTask, ...] = ()
    phases: tuple[Phase, ...] = ()
    on_day_off: OnDayOff = "keep"
    grace_days: int = 7  # first use: preparations due longer before are not shown as late

    @property
    def yearly(self) -> bool:
        return self.year is None

    def phase(self, phase_id: str) -> Phase | None:
        return next((p for p in self.phases if p.id == phase_id), None)

    def offset(self, task: CampaignTask) -> int:
        """Days from the campaign date to the task's nominal due date (before any move off
        a day off)."""
        phase = self.phase(task.phase) if task.phase else None
        if phase is None:
            return task.offset_days
        return (phase.end if task.from_phase_end else phase.start) + task.offset_days

    def date_in(self, year: int) -> date | None:
        """The event's date in `year`, if it happens then."""
        if self.year is not None and self.year != year:
            return None
        return date(year, self.month, self.day)


@dataclass(frozen=True, slots=True)
class Schedule:
    """A whole template, after `extends` has been applied and everything validated."""

    id: str
    title: str
    source: str
    timezone: str | None = None
    language: str | None = None  # the language its titles are written in ("zh_CN")
    since: date | None = None
    calendar: Calendar = field(default_factory=Calendar)
    metrics: tuple[Metric, ...] = ()
    blocks: tuple[Block, ...] = ()
    targets: tuple[Target, ...] = ()
    campaigns: tuple[Campaign, ...] = ()
    import_columns: tuple[tuple[str, str], ...] = ()  # a file's column header → metric id
    parameters: tuple[Parameter, ...] = ()

    def zone(self) -> ZoneInfo:
        """The schedule's zone, else the machine's (``TZ`` or /etc/localtime); an unknown
        ``TZ`` raises UnknownZoneError rather than silently meaning UTC."""
        if self.timezone:
            return ZoneInfo(self.timezone)
        return _machine_zone()

    def metric(self, metric_id: str) -> Metric | None:
        for metric in self.metrics:
            if metric.id == metric_id:
                return metric
        return None

    def parameter(self, name: str) -> float | None:
        for parameter in self.parameters:
            if parameter.id == name:
                return parameter.value
        return None

    def block(self, block_id: str) -> Block | None:
        for block in self.blocks:
            if block.id == block_id:
                return block
        return None

    def tasks(self) -> tuple[Task, ...]:
        return tuple(task for block in self.blocks for task in block.tasks)

    def task_ids(self) -> tuple[str, ...]:
        """Every address a task can be given by: routine ids and CAMPAIGN/TASK ids (a yearly
        campaign's tasks also answer to CAMPAIGN@YEAR/TASK, on the day they are due)."""
        routine = tuple(task.id for task in self.tasks())
        campaign = tuple(f"{c.id}/{t.id}" for c in self.campaigns for t in c.tasks)
        return routine + campaign


class UnknownZoneError(ValueError):
    """`TZ` names no zone and the schedule names none: the day's dates would be guesses."""


def _machine_zone() -> ZoneInfo:
    import os

    name = os.environ.get("TZ", "").lstrip(":")
    if name:
        return _zone_from_tz(name)
    try:
        link = os.readlink("/etc/localtime")
        marker = "zoneinfo/"
        if marker in link:
            return ZoneInfo(link.split(marker, 1)[1])
    except OSError:
        pass
    return ZoneInfo("UTC")


def _zone_from_tz(name: str) -> ZoneInfo:
    """`TZ` as an IANA name (``Asia/Shanghai``) or a file in a zoneinfo folder."""
    marker = "zoneinfo/"
    key = name.split(marker, 1)[1] if name.startswith("/") and marker in name else name
    try:
        return ZoneInfo(key)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise UnknownZoneError(
            f"TZ={name!r} is not a time zone opsplanner knows; set TZ to a name such as "
            "Asia/Shanghai, or give the template a `timezone:`"
        ) from None
