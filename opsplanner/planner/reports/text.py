"""How numbers, percentages, dates and decisions read in a report, shared by the renderers so
the Markdown and the CSV notes say the same thing the same way, in the current language."""

from __future__ import annotations

import math
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from opsplanner.i18n import _, long_day
from opsplanner.planner.reports.model import DispositionView
from opsplanner.planner.values import UNITS, format_metric_value


def value_text(value: float | None, unit: str, currency: str | None) -> str:
    """A value in its unit and currency, the way the operator reads it; "—" when missing."""
    if value is None or not math.isfinite(value):
        return "—"
    return format_metric_value(value, unit=unit if unit in UNITS else "number", currency=currency)


def percent_text(part: float, whole: float) -> str:
    """``part`` as a whole percentage of ``whole``, rounded half up; "—" unless ``whole`` > 0."""
    if whole <= 0:
        return "—"
    shown = (Decimal(repr(part)) * 100 / Decimal(repr(whole))).quantize(
        Decimal(1), rounding=ROUND_HALF_UP
    )
    return f"{shown}%"


def change_text(value: float | None) -> str:
    """A change in percent with its sign and one decimal ("+4.2%", "±0.0%"); "—" when none."""
    if value is None:
        return "—"
    shown = Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return "±0.0%" if shown == 0 else f"{shown:+}%"


def day_name(day: date) -> str:
    """The weekday in the report's language (never the locale's %a), then the ISO date:
    "Mon 2026-11-23" / "周一 2026-11-23"."""
    return long_day(day)


def span_text(start: date, end: date) -> str:
    """A date range as "2026-11-16 – 2026-11-22"."""
    return f"{start.isoformat()} – {end.isoformat()}"


def carry_text(carried_from: date | None, carried_count: int) -> str:
    """How long an item has been carried forward; "" for an item never carried."""
    if carried_from is None:
        return ""
    return _("carried ×{count} since {day}").format(
        count=carried_count, day=carried_from.isoformat()
    )


def done_of(done: int, total: int) -> str:
    """ "3 of 4" / "3/4": a count of a whole, in tables and notes."""
    return _("{done} of {total}").format(done=done, total=total)


def disposition_text(d: DispositionView) -> str:
    """A disposition in one phrase: its follow-up (and day) if any, else its cause."""
    if d.follow_up and d.follow_up_day:
        return _("follow-up: {task} ({day})").format(
            task=d.follow_up, day=d.follow_up_day.isoformat()
        )
    if d.follow_up:
        return _("follow-up: {task}").format(task=d.follow_up)
    return _("cause: {cause}").format(cause=d.cause or "—")
