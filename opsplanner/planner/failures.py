"""Which failed checks stand between a task and its tick: the one rule both front-ends obey.

Decisions, so the CLI and the TUI can rely on them:

- A failing ``required`` check means a figure is missing: no explanation helps, the figure
  must be entered first.
- Any other failing check needs a *disposition* first: the operator's cause, or a follow-up
  task. A disposition covers the check expressions it lists, on its data date (the date the
  figures describe, e.g. yesterday for the morning's store data). A check that starts failing
  later (the figure was corrected) needs its own.
- Checks that are ok or unknown (figures not typed yet) never block.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from opsplanner.planner.day import PlannedTask
from opsplanner.planner.metrics import CheckResult, MetricHistory, data_date, evaluate_task_checks
from opsplanner.planner.record import Disposition
from opsplanner.schedule.checks import Check
from opsplanner.schedule.models import Schedule


@dataclass(frozen=True, slots=True)
class Failure:
    """A failing check with what the operator is told about it."""

    check: Check
    result: CheckResult


@dataclass(frozen=True, slots=True)
class Failures:
    """What blocks a task's tick: missing figures, and failures nobody explained yet."""

    data_date: date
    required: tuple[Failure, ...] = ()
    unexplained: tuple[Failure, ...] = ()

    @property
    def blocking(self) -> bool:
        return bool(self.required or self.unexplained)


def covers(disposition: Disposition, check: Check, on: date) -> bool:
    """Whether a disposition explains this check on this data date."""
    if disposition.data_date != on:
        return False
    listed = [expr.strip() for expr in disposition.checks.split(";") if expr.strip()]
    return check.source in listed if listed else disposition.metric == check.metric


def task_failures(
    task: PlannedTask,
    schedule: Schedule,
    day: date,
    history: MetricHistory,
    dispositions: Iterable[Disposition],
) -> Failures:
    """The failures that block ticking `task` on `day`."""
    on = data_date(task, day)
    if not task.checks:
        return Failures(on)
    given = tuple(dispositions)
    required: list[Failure] = []
    unexplained: list[Failure] = []
    for check, result in zip(
        task.checks, evaluate_task_checks(task, schedule, day, history), strict=True
    ):
        if result.status != "fail":
            continue
        if check.kind == "required":
            required.append(Failure(check, result))
        elif not any(covers(d, check, on) for d in given):
            unexplained.append(Failure(check, result))
    return Failures(on, tuple(required), tuple(unexplained))
