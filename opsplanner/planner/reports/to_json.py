"""Renders a report as JSON-ready data for scripts: the report's own fields, nothing formatted."""

from __future__ import annotations

import math
from dataclasses import fields, is_dataclass
from datetime import date
from typing import Any

from opsplanner.planner.reports.model import DayReport, Report, WeekReport


def render_json(report: Report) -> dict[str, Any]:
    """The report as JSON-ready data: dates as ISO strings, raw numbers with their unit.

    A week or month report's period fields sit at the top level, next to ``kind``.
    """
    if isinstance(report, DayReport):
        return {"kind": "day", **_jsonable(report)}
    data = _jsonable(report)
    period = data.pop("period")
    kind = "week" if isinstance(report, WeekReport) else "month"
    return {"kind": kind, **data, **period}


def _jsonable(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_jsonable(item) for item in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
