"""Which failed checks stand between a task and its tick: the one rule both front-ends obey.

Decisions, so the CLI and the TUI can rely on them:

- A failing ``required`` check means a figure is missing: it must be entered first, unless
  the operator says why there is none for that date (a disposition on the check: "the
  platform shows no data for Sunday"); an explicit "no data" then stands in for the figure.
- Any other failing check needs a *disposition* first: the operator's cause, or a follow-up
  task. A disposition covers the check expressions it lists, on its data date (the date the
  figures describe, e.g. yesterday for the morning's store data). A check that starts failing
  later (the figure was corrected) needs its own.
- A task whose figures describe several dates (``since_last_workday``: Saturday's and
  Sunday's on a Monday) is checked on each of them; each failure is explained on its date.
- Checks that are ok or unknown (figures not typed yet) never block.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from opsplanner.planner.metrics import (
    CheckResult,
    MetricHistory,
    ReadsFigures,
    checks_by_date,
    with_date,
)
from opsplanner.planner.record import Disposition
from opsplanner.schedule.checks import Check
from opsplanner.schedule.models import Schedule


@dataclass(frozen=True, slots=True)
class Failure:
    """A failing check with what the operator is told about it."""

    check: Check
    result: CheckResult
    data_date: date
    message: str  # the result's, with its date when the task reads several


@dataclass(frozen=True, slots=True)
class Failures:
    """What blocks a task's tick: missing figures and failures, nobody having said why."""

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
    task: ReadsFigures,
    schedule: Schedule,
    day: date,
    history: MetricHistory,
    dispositions: Iterable[Disposition],
) -> Failures:
    """The failures that block ticking `task` on `day`, on every date its figures describe."""
    if not task.checks:
        return Failures()
    given = tuple(dispositions)
    required: list[Failure] = []
    unexplained: list[Failure] = []
    by_date = checks_by_date(task, schedule, day, history)
    for dated in by_date:
        on = dated.data_date
        for check, result in zip(task.checks, dated.results, strict=True):
            if result.status != "fail":
                continue
            if any(covers(d, check, on) for d in given):
                continue
            failure = Failure(check, result, on, with_date(result.message, on, by_date))
            (required if check.kind == "required" else unexplained).append(failure)
    return Failures(tuple(required), tuple(unexplained))
