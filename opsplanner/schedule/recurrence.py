"""The `repeat:` grammar of schedule templates: parse it once, then ask cheap date questions.

A schedule is evaluated for every day the operator looks at (today, the week view, the
catch-up of days the app was closed), often with a `since:` anchor years in the past, so
`occurs_on` answers arithmetically for the plain-language forms and only falls back to
dateutil for `RRULE:` text. Working calendars and holidays are the planner's business.
"""

from __future__ import annotations

import calendar
import re
import warnings
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Final, Literal

from dateutil.rrule import (
    DAILY as _DU_DAILY,
)
from dateutil.rrule import (
    FR,
    MO,
    MONTHLY,
    SA,
    SU,
    TH,
    TU,
    WE,
    WEEKLY,
    rrule,
    rrulestr,
)

from opsplanner.i18n import N_, _

__all__ = ["DAILY", "Recurrence", "RepeatError", "parse_repeat"]

EXPECTED: Final = N_(
    "expected daily, weekdays, weekends, weekly on mon,thu, every 3 days, "
    "every 3 days after done, every 2 weeks on fri, monthly on 1, monthly on last fri, "
    "or RRULE:..."
)
_DAY_NAMES_HINT: Final = N_("expected mon, tue, wed, thu, fri, sat, sun (or full names)")
_MAX_DAYS: Final = 3660  # ten years: anything longer is not a routine
_MAX_WEEKS: Final = 520

_Kind = Literal[
    "weekdays", "every_days", "after_done", "every_weeks", "month_day", "month_nth", "rrule"
]

_WORKWEEK: Final = frozenset(range(5))
_ALL_DAYS: Final = frozenset(range(7))
_DU_WEEKDAYS: Final = (MO, TU, WE, TH, FR, SA, SU)
_RFC_DAYS: Final = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")

_DAY_NUMBERS: Final[dict[str, int]] = {
    "mon": 0, "monday": 0,
    "tue": 1, "tues": 1, "tuesday": 1,
    "wed": 2, "weds": 2, "wednesday": 2,
    "thu": 3, "thur": 3, "thurs": 3, "thursday": 3,
    "fri": 4, "friday": 4,
    "sat": 5, "saturday": 5,
    "sun": 6, "sunday": 6,
}  # fmt: skip
_ORDINALS: Final[dict[str, int]] = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3,
    "fourth": 4, "4th": 4, "last": -1,
}  # fmt: skip

_EVERY_DAYS = re.compile(r"every (?:(?P<n>[+-]?\d+) days?|day)(?P<after> after done)?")
_EVERY_WEEKS = re.compile(r"every (?:(?P<n>[+-]?\d+) weeks?|week)(?: on (?P<days>.+))?")
_WEEKLY = re.compile(r"weekly(?: on (?P<days>.+))?")
_MONTHLY = re.compile(r"monthly(?: on (?P<what>.+))?")
_MONTH_DAY = re.compile(r"(?P<n>[+-]?\d+)(?:st|nd|rd|th)?|last day")
_MONTH_NTH = re.compile(r"(?P<ord>\S+) (?P<day>\S+)")
_UNTIL_UTC = re.compile(r"(UNTIL=\d{8}(?:T\d{6})?)Z")
# Parts a date-level planner can honour; sub-day parts (BYHOUR...) would only duplicate a day.
_RRULE_KEYS: Final = frozenset(
    {
        "FREQ",
        "INTERVAL",
        "COUNT",
        "UNTIL",
        "WKST",
        "BYDAY",
        "BYMONTH",
        "BYMONTHDAY",
        "BYYEARDAY",
        "BYWEEKNO",
        "BYSETPOS",
        "BYEASTER",
    }
)
_RRULE_HINT: Final = N_("expected RFC 5545, e.g. RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=FR")


class RepeatError(ValueError):
    """A `repeat:` text that is not in the grammar; the message says what was expected.

    A ValueError so that template loading can treat it like any other bad value and add
    the file, line and column.
    """


@dataclass(frozen=True, slots=True)
class Recurrence:
    """A parsed `repeat:` rule. Build it with `parse_repeat`, not directly."""

    text: str
    _kind: _Kind = field(default="weekdays", repr=False)
    _days: frozenset[int] = field(default=_ALL_DAYS, repr=False)  # 0 = Monday
    _interval: int = field(default=1, repr=False)
    _monthday: int = field(default=0, repr=False)  # 1..31, or -1 for the last day
    _nth: int = field(default=0, repr=False)  # 1..4, or -1 for the last such weekday
    _rrule: str = field(default="", repr=False)  # canonical "RRULE:..." text
    _daily: bool = field(default=False, repr=False)

    @property
    def after_done(self) -> bool:
        """Counted from the last completion, so it stays due until done."""
        return self._kind == "after_done"

    @property
    def is_daily(self) -> bool:
        """Recurs every working day: a missed occurrence is replaced by the next one."""
        return self._daily

    @property
    def anchored(self) -> bool:
        """The answer depends on the anchor date (the schedule's `since:`)."""
        return self._kind in ("every_days", "after_done", "every_weeks", "rrule")

    def occurs_on(self, day: date, *, anchor: date, last_done: date | None = None) -> bool:
        """Whether the rule has an occurrence on `day`; O(1) except for RRULE text."""
        match self._kind:
            case "weekdays":
                return day.weekday() in self._days
            case "every_days":
                return day >= anchor and (day - anchor).days % self._interval == 0
            case "after_done":
                return day >= self._due_from(anchor, last_done)
            case "every_weeks":
                return (
                    day >= anchor
                    and day.weekday() in self._days
                    and _weeks_between(anchor, day) % self._interval == 0
                )
            case "month_day":
                return day.day == _month_day(day.year, day.month, self._monthday)
            case "month_nth":
                return day.weekday() in self._days and day == _nth_weekday(
                    day.year, day.month, next(iter(self._days)), self._nth
                )
            case "rrule":
                return day >= anchor and self.next_on_or_after(day, anchor=anchor) == day

    def next_on_or_after(
        self, day: date, *, anchor: date, last_done: date | None = None
    ) -> date | None:
        """The first occurrence on or after `day`, or None when there is none (RRULE
        COUNT/UNTIL exhausted, or past the end of the calendar)."""
        try:
            return self._next(day, anchor, last_done)
        except OverflowError:
            return None

    def to_rrule(self, anchor: date) -> rrule:
        """The rule as a dateutil rrule starting at `anchor`, for export and cross-checks.

        `after done` cannot be expressed in RFC 5545; it becomes every N days from anchor.
        """
        start = _midnight(anchor)
        days = sorted(self._days)
        match self._kind:
            case "weekdays":
                if self._days == _ALL_DAYS:
                    return rrule(_DU_DAILY, dtstart=start)
                return rrule(_DU_DAILY, dtstart=start, byweekday=days)
            case "every_days" | "after_done":
                return rrule(_DU_DAILY, dtstart=start, interval=self._interval)
            case "every_weeks":
                return rrule(
                    WEEKLY, dtstart=start, interval=self._interval, byweekday=days, wkst=MO
                )
            case "month_day":
                return rrule(MONTHLY, dtstart=start, bymonthday=self._monthday)
            case "month_nth":
                return rrule(MONTHLY, dtstart=start, byweekday=_DU_WEEKDAYS[days[0]](self._nth))
            case "rrule":
                return _compiled(self._rrule, anchor)

    # -- internals ---------------------------------------------------------------------

    def _due_from(self, anchor: date, last_done: date | None) -> date:
        """First due day of an `after done` rule; never before the anchor (the schedule
        did not exist yet), even if the last completion predates it."""
        if last_done is None:
            return anchor
        try:
            return max(anchor, last_done + timedelta(days=self._interval))
        except OverflowError:
            return date.max

    def _next(self, day: date, anchor: date, last_done: date | None) -> date | None:
        match self._kind:
            case "weekdays":
                for offset in range(7):
                    candidate = day + timedelta(days=offset)
                    if candidate.weekday() in self._days:
                        return candidate
                raise AssertionError("a weekday rule names at least one day")  # pragma: no cover
            case "every_days":
                if day <= anchor:
                    return anchor
                steps = -(-(day - anchor).days // self._interval)  # ceiling division
                return anchor + timedelta(days=steps * self._interval)
            case "after_done":
                return max(day, self._due_from(anchor, last_done))
            case "every_weeks":
                return self._next_weekly(max(day, anchor), anchor)
            case "month_day" | "month_nth":
                return self._next_monthly(day)
            case "rrule":
                if _never(self._rrule, anchor):
                    return None
                found = _compiled(self._rrule, anchor).after(_midnight(day), inc=True)
                return None if found is None else found.date()

    def _next_weekly(self, start: date, anchor: date) -> date:
        """Jump straight to the first week in the cycle; at most two weeks are examined."""
        monday = start - timedelta(days=start.weekday())
        lag = _weeks_between(anchor, start) % self._interval
        if lag:
            monday += timedelta(weeks=self._interval - lag)
            start = monday
        for offset in range(start.weekday(), 7):
            if offset in self._days:
                return monday + timedelta(days=offset)
        following = monday + timedelta(weeks=self._interval)
        return following + timedelta(days=min(self._days))

    def _next_monthly(self, day: date) -> date | None:
        """Walk month by month; day 31 appears at least every other month, so this is short."""
        year, month = day.year, day.month
        for __ in range(13):
            if self._kind == "month_day":
                number = _month_day(year, month, self._monthday)
                found = None if number is None else date(year, month, number)
            else:
                found = _nth_weekday(year, month, next(iter(self._days)), self._nth)
            if found is not None and found >= day:
                return found
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return None  # pragma: no cover - every month-day form occurs within a year


def parse_repeat(text: str) -> Recurrence:
    """Parse a `repeat:` value; raise RepeatError saying what was expected."""
    written = " ".join(str(text).split())
    if not written:
        raise RepeatError(_("empty repeat; {expected}").format(expected=_(EXPECTED)))
    if written[:6].upper() == "RRULE:":
        return _parse_rrule(written)
    low = written.lower()
    if low in ("daily", "every day", "every 1 day", "every 1 days"):
        return Recurrence(written, "weekdays", _ALL_DAYS, _daily=True)
    if low == "weekdays":
        return Recurrence(written, "weekdays", _WORKWEEK, _daily=True)
    if low == "weekends":
        return Recurrence(written, "weekdays", frozenset({5, 6}))
    if m := _WEEKLY.fullmatch(low):
        if m["days"] is None:
            raise RepeatError(
                _('repeat "{written}" needs the days, e.g. "weekly on mon,thu"').format(
                    written=written
                )
            )
        return _weekday_set(written, _parse_days(m["days"], written))
    if m := _EVERY_DAYS.fullmatch(low):
        n = _parse_interval(m["n"], written, _MAX_DAYS)
        if m["after"]:
            return Recurrence(written, "after_done", _interval=n)
        return Recurrence(written, "every_days", _interval=n)
    if m := _EVERY_WEEKS.fullmatch(low):
        n = _parse_interval(m["n"], written, _MAX_WEEKS)
        if m["days"] is None:
            raise RepeatError(
                _('repeat "{written}" needs the days, e.g. "every {n} weeks on fri"').format(
                    written=written, n=max(n, 2)
                )
            )
        days = _parse_days(m["days"], written)
        if n == 1:
            return _weekday_set(written, days)
        return Recurrence(written, "every_weeks", days, _interval=n)
    if m := _MONTHLY.fullmatch(low):
        if m["what"] is None:
            raise RepeatError(
                _(
                    'repeat "{written}" needs the day, e.g. "monthly on 1", '
                    '"monthly on last day" or "monthly on last fri"'
                ).format(written=written)
            )
        return _parse_monthly(m["what"], written)
    raise RepeatError(
        _('unknown repeat "{written}"; {expected}').format(written=written, expected=_(EXPECTED))
    )


DAILY: Final[Recurrence] = parse_repeat("daily")


# -- helpers -------------------------------------------------------------------------------


def _midnight(day: date) -> datetime:
    """dateutil works on naive datetimes; schedule dates are naive local dates by design."""
    return datetime.combine(day, time())


def _weeks_between(anchor: date, day: date) -> int:
    """Whole Monday-started weeks from the anchor's week to the day's week."""
    return (day.toordinal() - day.weekday() - anchor.toordinal() + anchor.weekday()) // 7


def _month_day(year: int, month: int, monthday: int) -> int | None:
    """The day number `monthday` means in that month, None if the month is too short."""
    length = calendar.monthrange(year, month)[1]
    if monthday < 0:
        return length
    return monthday if monthday <= length else None


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> date:
    """The nth (1..4) or last (-1) given weekday of a month; always exists."""
    if nth > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))
    last = date(year, month, calendar.monthrange(year, month)[1])
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _weekday_set(written: str, days: frozenset[int]) -> Recurrence:
    """A rule that is just a set of weekdays; Mon-Fri or more counts as daily."""
    return Recurrence(written, "weekdays", days, _daily=days >= _WORKWEEK)


def _parse_days(spec: str, written: str) -> frozenset[int]:
    words = [w for w in re.split(r"[\s,]+", spec) if w and w != "and"]
    days = set()
    for word in words:
        number = _DAY_NUMBERS.get(word)
        if number is None and word.endswith("s"):  # "mondays"
            number = _DAY_NUMBERS.get(word[:-1]) if len(word) > 4 else None
        if number is None:
            raise RepeatError(
                _('unknown weekday "{word}" in "{written}"; {hint}').format(
                    word=word, written=written, hint=_(_DAY_NAMES_HINT)
                )
            )
        days.add(number)
    if not days:
        raise RepeatError(
            _('repeat "{written}" names no weekday; {hint}').format(
                written=written, hint=_(_DAY_NAMES_HINT)
            )
        )
    return frozenset(days)


def _parse_interval(number: str | None, written: str, limit: int) -> int:
    n = 1 if number is None else int(number)
    if not 1 <= n <= limit:
        raise RepeatError(
            _('repeat "{written}": the interval must be between 1 and {limit}').format(
                written=written, limit=limit
            )
        )
    return n


def _parse_monthly(what: str, written: str) -> Recurrence:
    if m := _MONTH_DAY.fullmatch(what):
        n = -1 if m["n"] is None else int(m["n"])
        if n == 0 or not -1 <= n <= 31:
            raise RepeatError(
                _(
                    'day of month {n} out of range in "{written}"; expected 1..31, -1 or "last day"'
                ).format(n=m["n"], written=written)
            )
        return Recurrence(written, "month_day", _monthday=n)
    if m := _MONTH_NTH.fullmatch(what):
        nth = _ORDINALS.get(m["ord"])
        if nth is None:
            raise RepeatError(
                _(
                    'unknown position "{position}" in "{written}"; '
                    "expected first, second, third, fourth (1st..4th) or last"
                ).format(position=m["ord"], written=written)
            )
        day = _parse_days(m["day"], written)
        if len(day) != 1:
            raise RepeatError(
                _('repeat "{written}" needs exactly one weekday, e.g. "last fri"').format(
                    written=written
                )
            )
        return Recurrence(written, "month_nth", day, _nth=nth)
    raise RepeatError(
        _(
            'unknown monthly day "{day}" in "{written}"; expected a day like "monthly on 1", '
            '"monthly on last day" or a weekday like "monthly on last fri"'
        ).format(day=what, written=written)
    )


def _parse_rrule(written: str) -> Recurrence:
    """Validate RRULE text up front, so a bad template fails at load time, not mid-day."""
    body = "".join(written.split()).upper()[6:]
    if "DTSTART" in body:
        raise RepeatError(
            _(
                '"{written}" must not contain DTSTART: the start is the schedule\'s since: date'
            ).format(written=written)
        )
    body = _UNTIL_UTC.sub(r"\1", body)  # naive local dates throughout; UTC "Z" would clash
    parts: dict[str, str] = {}
    for part in filter(None, body.split(";")):
        key, sep, value = part.partition("=")
        if not sep:
            raise RepeatError(
                _('invalid RRULE "{written}": "{part}" is not NAME=VALUE; {hint}').format(
                    written=written, part=part, hint=_(_RRULE_HINT)
                )
            )
        if key in ("BYHOUR", "BYMINUTE", "BYSECOND"):
            raise RepeatError(
                _(
                    'invalid RRULE "{written}": {key} is not supported (times of day belong to '
                    "the block's start/end); {hint}"
                ).format(written=written, key=key, hint=_(_RRULE_HINT))
            )
        if key not in _RRULE_KEYS:
            raise RepeatError(
                _('invalid RRULE "{written}": unknown parameter "{key}"; {hint}').format(
                    written=written, key=key, hint=_(_RRULE_HINT)
                )
            )
        parts[key] = value
    if "FREQ" not in parts:
        raise RepeatError(
            _('invalid RRULE "{written}": FREQ is required; {hint}').format(
                written=written, hint=_(_RRULE_HINT)
            )
        )
    if parts["FREQ"] in ("HOURLY", "MINUTELY", "SECONDLY"):
        raise RepeatError(
            _(
                'invalid RRULE "{written}": FREQ={freq} is finer than a day; '
                "expected FREQ=DAILY, WEEKLY, MONTHLY or YEARLY"
            ).format(written=written, freq=parts["FREQ"])
        )
    if "INTERVAL" in parts and not (parts["INTERVAL"].isdigit() and int(parts["INTERVAL"]) > 0):
        raise RepeatError(
            _(
                'invalid RRULE "{written}": INTERVAL must be a whole number of at least 1; {hint}'
            ).format(written=written, hint=_(_RRULE_HINT))
        )
    canonical = "RRULE:" + ";".join(f"{k}={v}" for k, v in parts.items())
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # dateutil deprecates COUNT with UNTIL
            rule = rrulestr(canonical, dtstart=_midnight(date(2000, 1, 1)))
    except (ValueError, TypeError, KeyError, IndexError, OverflowError, Warning) as exc:
        reason = " ".join(str(exc).split()).rstrip(".") or type(exc).__name__
        raise RepeatError(
            _('invalid RRULE "{written}": {reason}; {hint}').format(
                written=written, reason=reason, hint=_(_RRULE_HINT)
            )
        ) from exc
    if not isinstance(rule, rrule):  # pragma: no cover - one RRULE line never yields a set
        raise RepeatError(
            _('invalid RRULE "{written}": expected a single rule').format(written=written)
        )
    return Recurrence(written, "rrule", _rrule=canonical, _daily=_rrule_is_daily(parts))


def _rrule_is_daily(parts: dict[str, str]) -> bool:
    """FREQ=DAILY every day (optionally limited to a superset of Mon-Fri) is daily."""
    if parts.get("FREQ") != "DAILY" or parts.get("INTERVAL", "1") != "1":
        return False
    if set(parts) - {"FREQ", "INTERVAL", "COUNT", "UNTIL", "WKST", "BYDAY"}:
        return False
    if "BYDAY" not in parts:
        return True
    names = set(parts["BYDAY"].split(","))
    return names <= set(_RFC_DAYS) and names >= set(_RFC_DAYS[:5])


@lru_cache(maxsize=1024)
def _compiled(canonical: str, anchor: date) -> rrule:
    """One memoising rrule per (rule, anchor): repeated day queries reuse its occurrences."""
    rule = rrulestr(canonical, dtstart=_midnight(anchor), cache=True)
    assert isinstance(rule, rrule)  # validated by _parse_rrule
    return rule


@lru_cache(maxsize=1024)
def _never(canonical: str, anchor: date) -> bool:
    """Whether no date can ever match: dateutil searches such a rule (FREQ=DAILY;BYMONTH=2;
    BYMONTHDAY=30) day by day up to the year 9999, seconds of work on every query.

    The calendar repeats every 400 years, so a copy of the rule that keeps every period (no
    INTERVAL, COUNT or UNTIL), started at the same point of the cycle 400 to 800 years before
    9999, meets every date pattern the rule can produce; the rule only keeps some of them.
    (Easter does not follow the 400-year cycle: BYEASTER rules are never called empty.)"""
    if "BYEASTER" in canonical:
        return False
    start = anchor.replace(year=9200 + (anchor.year - 9200) % 400)  # a leap year stays leap
    probe = _compiled(canonical, anchor).replace(
        dtstart=_midnight(start), interval=1, count=None, until=None, cache=False
    )
    return probe.after(_midnight(start), inc=True) is None
