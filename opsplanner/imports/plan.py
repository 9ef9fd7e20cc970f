"""What an import would change, decided before anything is written: each reading is new, the
same as what is stored, or different (kept only with --overwrite); a figure the template
computes is compared with its formula on the same date.

Decisions:

- **Same** means equal to the stored float; importing a file twice changes nothing.
- **A computed figure** (支付转化率 = buyers / visitors, 客单价 = sales / buyers) that the file
  also gives is compared with the formula over the file's and the stored inputs of that date.
  Within rounding (0.01, or 0.5 % of the value, whichever is larger: the platform shows two
  decimals) it agrees; otherwise it is reported, because the platform's definition differs,
  and the imported value is still kept as that date's reading: the platform's own number is
  never silently replaced by ours (see `planner.metrics`: a stored reading of a computed
  metric is shown instead of the formula).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from opsplanner.imports.table import Reading, Where
from opsplanner.planner.metrics import MetricHistory, metric_value
from opsplanner.schedule.models import Schedule

__all__ = ["Change", "ImportPlan", "Mismatch", "plan_import"]

ChangeKind = Literal["new", "same", "different"]


@dataclass(frozen=True, slots=True)
class Change:
    reading: Reading
    kind: ChangeKind
    stored: float | None  # what the database holds now


@dataclass(frozen=True, slots=True)
class Mismatch:
    """A computed metric the file gives differently from the template's formula."""

    metric: str
    data_date: date
    imported: float
    computed: float
    where: Where


@dataclass(slots=True)
class ImportPlan:
    changes: list[Change] = field(default_factory=list)
    mismatches: list[Mismatch] = field(default_factory=list)

    def count(self, kind: ChangeKind) -> int:
        return sum(1 for change in self.changes if change.kind == kind)

    def to_write(self, overwrite: bool) -> list[Reading]:
        """New readings, and different ones when the operator said --overwrite."""
        wanted = ("new", "different") if overwrite else ("new",)
        return [c.reading for c in self.changes if c.kind in wanted]

    def span(self) -> tuple[date, date] | None:
        dates = [c.reading.data_date for c in self.changes]
        return (min(dates), max(dates)) if dates else None


def agrees(imported: float, computed: float) -> bool:
    return abs(imported - computed) <= max(0.01, abs(computed) * 0.005)


def plan_import(
    schedule: Schedule, readings: Iterable[Reading], stored: MetricHistory
) -> ImportPlan:
    """Compare the file's readings with what is stored (`stored`: every metric they name,
    and the inputs of the computed ones, over their dates)."""
    listed = list(readings)
    plan = ImportPlan()
    for reading in listed:
        before = stored.get(reading.metric, {}).get(reading.data_date)
        kind: ChangeKind = (
            "new" if before is None else "same" if before == reading.value else "different"
        )
        plan.changes.append(Change(reading, kind, before))
    typed: dict[str, dict[date, float]] = {
        metric: dict(values)
        for metric, values in stored.items()
        if (spec := schedule.metric(metric)) is None or not spec.derived
    }
    for reading in listed:
        spec = schedule.metric(reading.metric)
        if spec is None or not spec.derived:
            typed.setdefault(reading.metric, {})[reading.data_date] = reading.value
    for reading in listed:
        spec = schedule.metric(reading.metric)
        if spec is None or not spec.derived:
            continue
        computed = metric_value(schedule, reading.metric, reading.data_date, typed)
        if computed is not None and not agrees(reading.value, computed):
            plan.mismatches.append(
                Mismatch(reading.metric, reading.data_date, reading.value, computed, reading.where)
            )
    return plan
