"""The one source of time: the system clock in production, a controllable one in tests."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Protocol

from opsplanner.i18n import _

EARLIEST_DATE, LATEST_DATE = date(1900, 1, 1), date(2999, 12, 31)
"""The dates opsplanner plans for: years of room both ways, and far enough from the ends of
`datetime` (years 1 and 9999) that a week, a month or a history window around any of them
can still be computed."""


class Clock(Protocol):
    """Anything that can tell the current instant (timezone-aware, UTC)."""

    def now(self) -> datetime: ...


class SystemClock:
    """The real clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that only moves when told to: deterministic tests of time-dependent code."""

    def __init__(self, instant: datetime) -> None:
        if instant.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware datetime")
        self._instant = instant

    def now(self) -> datetime:
        return self._instant

    def set(self, instant: datetime) -> None:
        if instant.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware datetime")
        self._instant = instant

    def advance(self, delta: timedelta) -> None:
        self._instant += delta


def local_now(clock: Clock, zone: tzinfo) -> datetime:
    """The clock's instant as wall time in the schedule's zone."""
    return clock.now().astimezone(zone)


def local_today(clock: Clock, zone: tzinfo) -> date:
    """Today's date in the schedule's zone (not the machine's)."""
    return local_now(clock, zone).date()


def clock_from_env() -> Clock:
    """The system clock, or a fixed instant from ``OPSPLANNER_NOW`` (scripts, demos, tests)."""
    import os

    fixed = os.environ.get("OPSPLANNER_NOW")
    if not fixed:
        return SystemClock()
    try:
        instant = datetime.fromisoformat(fixed)
    except ValueError:
        raise ValueError(
            _("OPSPLANNER_NOW={value!r} is not an ISO date-time").format(value=fixed)
        ) from None
    if instant.tzinfo is None:
        raise ValueError(
            _("OPSPLANNER_NOW={value!r} needs a UTC offset, e.g. +08:00").format(value=fixed)
        )
    return FixedClock(instant)
