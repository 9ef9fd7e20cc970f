"""Evaluate a task's checks against the metric values typed in so far.

A check names the *problem* to watch for (``conversion_rate < 1.0`` flags a conversion rate
under 1 %), so a check whose condition holds is a ``fail`` and one whose condition does not
hold is ``ok``. When the numbers needed are not there — not typed in yet, a derived figure
whose formula divides by zero, too few earlier days for a 7-day average — the result is
``unknown`` with a message saying what is missing: the operator is mid-morning and half the
figures are still on the dashboard, so missing data is normal and never raises.

Pure: no I/O, no Textual, no SQL. The store hands in a :data:`MetricHistory` holding the
typed values from ``history_days_needed()`` days before the data date up to that date.

Decisions, so screens and reports can rely on them:

- Derived metrics are computed from the values of the *same* data date, recursively (a
  derived metric may use other derived metrics). A stored reading of a derived metric (the
  platform's own 支付转化率, imported from its export) is shown instead: the platform's
  number is never silently replaced by the formula's.
- ``drops N% vs B`` fails when ``value <= B - |B| * N/100``, ``rises N% vs B`` when
  ``value >= B + |B| * N/100`` (the boundary counts). Using ``|B|`` keeps "drops" meaning
  "goes down" when the baseline is negative (a loss-making day).
- A baseline of 0: any move in the watched direction is an unbounded percentage change, so
  it fails (refunds 0 → 5 "rises 50%"); no move, or a move the other way, is ok.
- ``avg7`` is the mean of the seven most recent data dates *before* the data date that have
  a value, skipping gaps, looking back at most :func:`history_days_needed` days. Fewer than
  seven such values is ``unknown`` ("only 4 of 7 earlier values ..."): an average of two
  days is too noisy to alarm on.
- A threshold that is a formula (``ad_roi < 1 / gross_margin``) is computed for each check:
  parameters are the template's numbers, metrics are read for the same data date as the
  checked metric, and ``days_to_next_workday`` counts calendar days from the *plan* day (the
  day the task is on) to the schedule calendar's next workday (looking at most
  ``NEXT_WORKDAY_SEARCH_DAYS`` ahead). A threshold that cannot be computed makes the check
  ``unknown`` and says why; the message shows the computed threshold like the metric.
- ``required`` on a derived metric fails when one of its typed inputs is missing (that is
  what the operator must enter) and is unknown when all inputs are there but the formula
  cannot be computed (division by zero).
- Messages use the metric's label (falling back to its id) and format numbers with the
  metric's unit and currency; percentages of change are whole numbers unless rounding would
  make an ok result look like it reached the threshold (or a failing one like it fell short).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal
from typing import Final, Literal, Protocol

from opsplanner.i18n import N_, _, short_day
from opsplanner.planner.values import format_metric_value
from opsplanner.planner.wording import and_listed
from opsplanner.schedule.checks import Check
from opsplanner.schedule.models import (
    DAYS_TO_NEXT_WORKDAY,
    NEXT_WORKDAY_SEARCH_DAYS,
    MetricsFor,
    Schedule,
)

__all__ = [
    "AVG7_DAYS",
    "LAST_WORKDAY_SEARCH_DAYS",
    "LOOKBACK_DAYS",
    "CheckResult",
    "CheckStatus",
    "DatedChecks",
    "MetricHistory",
    "ReadsFigures",
    "checks_by_date",
    "with_date",
    "data_date",
    "data_dates",
    "earliest_data_date",
    "evaluate_check",
    "format_value",
    "history_days_needed",
    "metric_data_date",
    "metric_value",
]

MetricHistory = Mapping[str, Mapping[date, float]]
"""Stored values: metric id -> data date -> value. A derived metric is in it only where the
platform's figure was imported."""

CheckStatus = Literal["ok", "fail", "unknown"]

AVG7_DAYS: Final = 7
"""How many earlier values ``avg7`` averages."""

LAST_WORKDAY_SEARCH_DAYS: Final = 31
"""How far back ``since_last_workday`` looks for the last workday: the longest break in a
Chinese calendar (Spring Festival with its weekends) is about ten days; without a workday in
a month the figures are yesterday's."""

LOOKBACK_DAYS: Final = 60
"""How far back ``avg7`` searches for its seven values: about two months of gaps (days off,
forgotten entries) is plenty, and it bounds what the store must load."""

_BASELINE_PHRASES: Final = {
    "yesterday": N_("yesterday"),
    "avg7": N_("the 7-day average"),
    "last_week": N_("last week"),
}
_BELOW: Final = N_("{label} {value} is below {threshold}")
_ABOVE: Final = N_("{label} {value} is above {threshold}")
_COMPARE_FAIL: Final = {
    "<": _BELOW,
    "<=": N_("{label} {value} is at or below {threshold}"),
    ">": _ABOVE,
    ">=": N_("{label} {value} is at or above {threshold}"),
}
# When the condition does not hold, say what is true instead of "not at or below".
_COMPARE_OK: Final = {
    "<": N_("{label} {value} is not below {threshold}"),
    "<=": _ABOVE,
    ">": N_("{label} {value} is not above {threshold}"),
    ">=": _BELOW,
}
_EPSILON: Final = 1e-9


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The outcome of one check on one data date, with a sentence for the operator."""

    expr: str  # the check as written in the template (Check.source)
    status: CheckStatus
    message: str


# --------------------------------------------------------------------------- values


@dataclass(frozen=True, slots=True)
class _Reading:
    """A metric's value on a date, or why there is none (so messages can say what to enter)."""

    value: float | None
    missing: tuple[str, ...] = ()  # typed metric ids without a value (leaves of formulas)
    broken: str | None = None  # why a formula gave nothing although its inputs are there


def history_days_needed() -> int:
    """Days before a data date the store must load: avg7 looks back at most this far.

    ``yesterday`` (1 day) and ``last_week`` (7 days) fall well inside it.
    """
    return LOOKBACK_DAYS


class ReadsFigures(Protocol):
    """A task as planned for a day or as the template has it: both say which dates their
    figures describe."""

    @property
    def metrics_for(self) -> MetricsFor: ...

    @property
    def checks(self) -> tuple[Check, ...]: ...


def data_dates(task: ReadsFigures, schedule: Schedule, day: date) -> tuple[date, ...]:
    """The dates a task's figures describe on `day`, oldest first: `day` itself, the day
    before, or (``since_last_workday``) each day from the last workday up to yesterday, so
    Monday's store data asks for Saturday's and Sunday's and a week's sum misses no day."""
    if task.metrics_for == "today":
        return (day,)
    if task.metrics_for == "since_last_workday":
        for back in range(1, LAST_WORKDAY_SEARCH_DAYS + 1):
            if schedule.calendar.is_workday(day - timedelta(days=back)):
                return tuple(day - timedelta(days=n) for n in range(back, 0, -1))
    return (day - timedelta(days=1),)


def data_date(task: ReadsFigures, schedule: Schedule, day: date) -> date:
    """The latest date a task's figures describe: the one a figure typed without a date is for."""
    return data_dates(task, schedule, day)[-1]


def earliest_data_date(schedule: Schedule, tasks: Iterable[ReadsFigures], day: date) -> date:
    """The oldest date any of these tasks reads figures for on `day` (at most `day`)."""
    return min((data_dates(task, schedule, day)[0] for task in tasks), default=day)


def metric_data_date(schedule: Schedule, metric_id: str, day: date) -> date:
    """The date a figure typed on `day` describes when no date is named: the latest date of
    the template's first task that shows it (store data: yesterday), else `day`."""
    for task in schedule.tasks():
        if metric_id in task.metrics:
            return data_date(task, schedule, day)
    return day


def metric_value(
    schedule: Schedule, metric_id: str, on: date, history: MetricHistory
) -> float | None:
    """The typed value, or a derived metric computed from the same date; None when absent."""
    return _read(schedule, metric_id, on, history, {}, frozenset()).value


def format_value(schedule: Schedule, metric_id: str, value: float) -> str:
    """Show a value the way the operator reads it: the metric's unit and currency."""
    metric = schedule.metric(metric_id)
    if not math.isfinite(value):
        return str(value)
    if metric is None:
        return format_metric_value(value, unit="number")
    return format_metric_value(value, unit=metric.unit, currency=metric.currency)


def _label(schedule: Schedule, metric_id: str) -> str:
    metric = schedule.metric(metric_id)
    return (metric.label if metric is not None else "") or metric_id


def _read(
    schedule: Schedule,
    metric_id: str,
    on: date,
    history: MetricHistory,
    memo: dict[str, _Reading],
    visiting: frozenset[str],
) -> _Reading:
    """Resolve one metric on one date; ``memo`` shares work across a formula's inputs."""
    if metric_id in memo:
        return memo[metric_id]
    metric = schedule.metric(metric_id)
    if metric is None and (parameter := schedule.parameter(metric_id)) is not None:
        return _Reading(parameter)
    raw = history.get(metric_id, {}).get(on)
    if metric is None or metric.formula is None or raw is not None:
        value = float(raw) if raw is not None else None
        if value is None or not math.isfinite(value):
            reading = _Reading(None, missing=(metric_id,))
        else:
            reading = _Reading(value)
        memo[metric_id] = reading
        return reading
    if metric_id in visiting:  # the loader rejects cycles; a hand-built schedule might not
        return _Reading(
            None, broken=_("{label} depends on itself").format(label=_label(schedule, metric_id))
        )

    formula = metric.formula
    inner = visiting | {metric_id}
    order = {m.id: i for i, m in enumerate(schedule.metrics)}
    names = sorted(formula.names, key=lambda n: (order.get(n, len(order)), n))
    inputs = {name: _read(schedule, name, on, history, memo, inner) for name in names}

    missing: list[str] = []
    for reading in inputs.values():
        missing.extend(m for m in reading.missing if m not in missing)
    if missing:
        missing.sort(key=lambda n: (order.get(n, len(order)), n))
        result = _Reading(None, missing=tuple(missing))
    elif broken := next((r.broken for r in inputs.values() if r.broken), None):
        result = _Reading(None, broken=broken)
    else:
        values = {name: reading.value for name, reading in inputs.items()}
        value = formula.evaluate(values)
        if value is None:
            result = _Reading(None, broken=_why_broken(schedule, metric_id, values))
        else:
            result = _Reading(value)
    memo[metric_id] = result
    return result


def _why_broken(schedule: Schedule, metric_id: str, values: Mapping[str, float | None]) -> str:
    """Explain a formula that has all its inputs and still no value."""
    metric = schedule.metric(metric_id)
    if metric is None or metric.formula is None:
        return _("{label} has no value").format(label=_label(schedule, metric_id))
    formula = metric.formula
    # The inputs at 0 whose change alone would make the formula computable are the divisors
    # (a zero numerator is harmless and would only confuse the operator).
    zeros = [
        name
        for name, value in values.items()
        if value == 0 and formula.evaluate({**values, name: 1.0}) is not None
    ]
    where = f"{_label(schedule, metric_id)} = {formula.source}"
    if zeros:
        parts = [
            _("{label} is {value}").format(
                label=_label(schedule, name), value=format_value(schedule, name, 0.0)
            )
            for name in zeros
        ]
        return _("{formula} divides by zero ({zeros})").format(
            formula=where, zeros=and_listed(parts)
        )
    return _("{formula} divides by zero or overflows").format(formula=where)


def _problem(schedule: Schedule, metric_id: str, on: date, reading: _Reading) -> str:
    """Why a metric has no value on a date, in words: what to enter, or what went wrong."""
    label = _label(schedule, metric_id)
    metric = schedule.metric(metric_id)
    if metric is None or metric.formula is None:
        return _("no value for {label} on {day}").format(label=label, day=on.isoformat())
    if reading.missing:
        names = and_listed([_label(schedule, name) for name in reading.missing])
        return _("{label} cannot be computed for {day}: no value for {names}").format(
            label=label, day=on.isoformat(), names=names
        )
    return _("{label} cannot be computed for {day}: {why}").format(
        label=label, day=on.isoformat(), why=reading.broken
    )


# --------------------------------------------------------------------------- checks


@dataclass(frozen=True, slots=True)
class DatedChecks:
    """A task's checks on one of the dates its figures describe, in the task's order."""

    data_date: date
    results: tuple[CheckResult, ...]


def with_date(message: str, on: date, several: tuple[DatedChecks, ...]) -> str:
    """A check's sentence, with the date it is about when the task reads several dates."""
    if len(several) < 2:
        return message
    return _("{day}: {message}").format(day=short_day(on), message=message)


def checks_by_date(
    task: ReadsFigures, schedule: Schedule, day: date, history: MetricHistory
) -> tuple[DatedChecks, ...]:
    """Every check of a task on the plan day `day`, for each date its figures describe."""
    return tuple(
        DatedChecks(
            on, tuple(evaluate_check(c, schedule, on, history, day=day) for c in task.checks)
        )
        for on in data_dates(task, schedule, day)
    )


def evaluate_check(
    check: Check, schedule: Schedule, on: date, history: MetricHistory, *, day: date | None = None
) -> CheckResult:
    """One check against the figures of data date ``on``; never raises for missing data.

    ``day`` is the plan day the task is on (``days_to_next_workday`` counts from it); it is
    ``on`` unless given."""
    memo: dict[str, _Reading] = {}
    reading = _read(schedule, check.metric, on, history, memo, frozenset())
    if check.kind == "required":
        return _required(check, schedule, on, reading)
    if reading.value is None:
        return CheckResult(check.source, "unknown", _problem(schedule, check.metric, on, reading))
    if check.kind == "compare":
        threshold, why = _threshold(check, schedule, on, day or on, history, memo)
        if threshold is None:
            return CheckResult(check.source, "unknown", why)
        return _compare(check, schedule, reading.value, threshold)
    return _change(check, schedule, on, history, reading.value)


def _threshold(
    check: Check,
    schedule: Schedule,
    on: date,
    day: date,
    history: MetricHistory,
    memo: dict[str, _Reading],
) -> tuple[float | None, str]:
    """A compare check's threshold: the number written, or its formula computed for this
    data date and plan day; None and a sentence when it cannot be computed."""
    if check.limit is None:
        return (check.threshold if check.threshold is not None else 0.0), ""
    formula = check.limit.source
    values: dict[str, float | None] = {}
    for name in sorted(check.limit.names):
        if name == DAYS_TO_NEXT_WORKDAY:
            following = schedule.calendar.next_workday(day)
            if following is None:
                return None, _(
                    "the threshold {formula} cannot be computed: no workday in the {days} "
                    "days after {day}"
                ).format(formula=formula, days=NEXT_WORKDAY_SEARCH_DAYS, day=day.isoformat())
            values[name] = float((following - day).days)
            continue
        reading = _read(schedule, name, on, history, memo, frozenset())
        if reading.value is None:
            return None, _("the threshold {formula} cannot be computed: {why}").format(
                formula=formula, why=_problem(schedule, name, on, reading)
            )
        values[name] = reading.value
    value = check.limit.evaluate(values)
    if value is None:
        return None, _(
            "the threshold {formula} cannot be computed: it divides by zero or overflows"
        ).format(formula=formula)
    return value, ""


def _required(check: Check, schedule: Schedule, on: date, reading: _Reading) -> CheckResult:
    label = _label(schedule, check.metric)
    day = on.isoformat()
    if reading.value is not None:
        shown = format_value(schedule, check.metric, reading.value)
        message = _("{label} {value} is entered for {day}")
        return CheckResult(check.source, "ok", message.format(label=label, value=shown, day=day))
    metric = schedule.metric(check.metric)
    if metric is None or metric.formula is None:
        message = _("{label} is required: no value entered for {day}")
        return CheckResult(check.source, "fail", message.format(label=label, day=day))
    if reading.missing:
        names = and_listed([_label(schedule, name) for name in reading.missing])
        message = _("{label} is required: no value entered for {names} on {day}")
        return CheckResult(check.source, "fail", message.format(label=label, names=names, day=day))
    return CheckResult(check.source, "unknown", _problem(schedule, check.metric, on, reading))


def _threshold_text(schedule: Schedule, metric_id: str, threshold: float) -> str:
    """The threshold in the metric's unit; a fractional count is not rounded away."""
    metric = schedule.metric(metric_id)
    if metric is not None and metric.unit == "count" and threshold != round(threshold):
        return format_metric_value(threshold, unit="number")
    return format_value(schedule, metric_id, threshold)


def _compare(check: Check, schedule: Schedule, value: float, threshold: float) -> CheckResult:
    op = check.op or "<"
    holds = {
        "<": value < threshold,
        "<=": value <= threshold,
        ">": value > threshold,
        ">=": value >= threshold,
    }[op]
    message = _(_COMPARE_FAIL[op] if holds else _COMPARE_OK[op]).format(
        label=_label(schedule, check.metric),
        value=format_value(schedule, check.metric, value),
        threshold=_threshold_text(schedule, check.metric, threshold),
    )
    return CheckResult(check.source, "fail" if holds else "ok", message)


def _baseline(
    check: Check, schedule: Schedule, on: date, history: MetricHistory
) -> tuple[float | None, str]:
    """The value to compare with, or None and a sentence saying what is missing."""
    phrase = _(_BASELINE_PHRASES[check.baseline or "yesterday"])
    if check.baseline in ("yesterday", "last_week"):
        then = on - timedelta(days=1 if check.baseline == "yesterday" else 7)
        reading = _read(schedule, check.metric, then, history, {}, frozenset())
        if reading.value is None:
            why = _problem(schedule, check.metric, then, reading)
            return None, _("cannot compare with {baseline}: {why}").format(baseline=phrase, why=why)
        return reading.value, ""

    found: list[float] = []
    for back in range(1, history_days_needed() + 1):
        value = metric_value(schedule, check.metric, on - timedelta(days=back), history)
        if value is not None:
            found.append(value)
            if len(found) == AVG7_DAYS:
                return math.fsum(found) / AVG7_DAYS, ""
    return None, _(
        "cannot compare with {baseline}: only {found} of {needed} earlier values for {label} "
        "in the {days} days before {day}"
    ).format(
        baseline=phrase,
        found=len(found),
        needed=AVG7_DAYS,
        label=_label(schedule, check.metric),
        days=history_days_needed(),
        day=on.isoformat(),
    )


def _change(
    check: Check, schedule: Schedule, on: date, history: MetricHistory, value: float
) -> CheckResult:
    base, why = _baseline(check, schedule, on, history)
    if base is None:
        return CheckResult(check.source, "unknown", why)

    percent = check.percent if check.percent is not None else 0.0
    drops = check.direction == "drops"
    tolerance = _EPSILON * max(abs(base), abs(value), 1.0)
    if base == 0:
        failed = value < -tolerance if drops else value > tolerance
    else:
        step = abs(base) * percent / 100
        failed = value <= base - step + tolerance if drops else value >= base + step - tolerance

    below = value < base
    shown: str | None = None
    if abs(value - base) <= tolerance:
        message = _("{label} {value} is the same as {baseline} ({base})")
    elif base == 0:
        message = (
            _("{label} {value} is below {baseline} ({base})")
            if below
            else _("{label} {value} is above {baseline} ({base})")
        )
    elif (shown := _percent_text(abs(value - base) / abs(base) * 100, percent, failed)) is None:
        message = (
            _("{label} {value} is less than 1% below {baseline} ({base})")
            if below
            else _("{label} {value} is less than 1% above {baseline} ({base})")
        )
    else:
        message = (
            _("{label} {value} is {percent} below {baseline} ({base})")
            if below
            else _("{label} {value} is {percent} above {baseline} ({base})")
        )
    status: CheckStatus = "fail" if failed else "ok"
    return CheckResult(
        check.source,
        status,
        message.format(
            label=_label(schedule, check.metric),
            value=format_value(schedule, check.metric, value),
            baseline=_(_BASELINE_PHRASES[check.baseline or "yesterday"]),
            base=format_value(schedule, check.metric, base),
            percent=shown,
        ),
    )


def _percent_text(change: float, threshold: float, failed: bool) -> str | None:
    """A change in percent, whole when possible, never seeming to contradict the status.

    An ok 29.6 % drop against a 30 % check reads "29.6%", not "30%"; a tiny change is None
    (the message says "less than 1%" rather than "0%").
    """
    exact = Decimal(repr(round(change, 9)))
    limit = Decimal(repr(threshold))
    shown = exact
    for places in ("1", "0.1", "0.01"):
        shown = exact.quantize(Decimal(places), rounding=ROUND_HALF_UP)
        if (shown >= limit) == failed:
            break
    else:
        shown = exact.quantize(Decimal("0.01"), rounding=ROUND_UP if failed else ROUND_DOWN)
    if shown == 0:
        return None
    return f"{shown:,}%"
