"""A task's metrics: an input per typed metric, derived ones computed live, a 14-day sparkline,
and the task's checks re-evaluated as soon as a value is typed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Label, Sparkline, Static

from opsplanner.planner.day import PlannedTask
from opsplanner.planner.metrics import (
    CheckResult,
    MetricHistory,
    data_date,
    evaluate_task_checks,
    format_value,
    metric_value,
)
from opsplanner.planner.values import MetricValueError, parse_metric_value
from opsplanner.schedule.models import Schedule

CHECK_MARKS = {"ok": "[green]✓[/]", "fail": "[red]✗[/]", "unknown": "[yellow]?[/]"}
SPARK_DAYS = 14


class MetricPanel(Vertical):
    """Inputs for one task's metrics; posts `ValueEntered` for each valid value on Enter."""

    @dataclass
    class ValueEntered(Message):
        """A typed value parsed cleanly and should be stored."""

        metric: str
        data_date: date
        value: float

    def __init__(
        self, schedule: Schedule, task: PlannedTask, day: date, history: MetricHistory
    ) -> None:
        super().__init__(classes="metric-panel")
        self.schedule = schedule
        self.planned = task
        self.for_day = day
        self.on_date = data_date(task, day)
        self.stored = history
        self.typed: dict[str, float] = {}

    def compose(self) -> ComposeResult:
        yield Label(f"figures for {self.on_date:%a %m-%d}", classes="metric-caption")
        for metric_id in self.planned.metrics:
            metric = self.schedule.metric(metric_id)
            if metric is None:
                continue
            with Horizontal(classes="metric-row"):
                yield Label(metric.label, classes="metric-label")
                if metric.derived:
                    yield Static("", id=f"derived-{metric_id}", classes="metric-derived")
                else:
                    current = self.stored.get(metric_id, {}).get(self.on_date)
                    yield Input(
                        value=""
                        if current is None
                        else format_value(self.schedule, metric_id, current),
                        placeholder="e.g. 1.2万",
                        id=f"metric-{metric_id}",
                        classes="metric-input",
                    )
                yield Sparkline(self.spark(metric_id), classes="metric-spark")
            yield Static("", id=f"error-{metric_id}", classes="metric-error")
        yield Static("", id="checks")

    def on_mount(self) -> None:
        self.refresh_live()

    def spark(self, metric_id: str) -> list[float]:
        days = [self.on_date - timedelta(days=n) for n in range(SPARK_DAYS - 1, -1, -1)]
        values = [metric_value(self.schedule, metric_id, d, self.stored) for d in days]
        return [v for v in values if v is not None]

    def live_history(self) -> MetricHistory:
        """The stored history with what is typed right now laid over it."""
        merged = {metric: dict(values) for metric, values in self.stored.items()}
        for metric, value in self.typed.items():
            merged.setdefault(metric, {})[self.on_date] = value
        return merged

    def results(self) -> tuple[CheckResult, ...]:
        return evaluate_task_checks(self.planned, self.schedule, self.for_day, self.live_history())

    def refresh_live(self) -> None:
        history = self.live_history()
        for metric_id in self.planned.metrics:
            metric = self.schedule.metric(metric_id)
            if metric is not None and metric.derived:
                value = metric_value(self.schedule, metric_id, self.on_date, history)
                shown = "—" if value is None else format_value(self.schedule, metric_id, value)
                self.query_one(f"#derived-{metric_id}", Static).update(shown)
        lines = [f"{CHECK_MARKS[r.status]} {r.message}" for r in self.results()]
        self.query_one("#checks", Static).update("\n".join(lines))

    def parse(self, metric_id: str, text: str) -> float | None:
        """The typed value, or None with the error shown inline (nothing is stored)."""
        metric = self.schedule.metric(metric_id)
        error = self.query_one(f"#error-{metric_id}", Static)
        field = self.query_one(f"#metric-{metric_id}", Input)
        if metric is None or not text.strip():
            error.update("")
            field.remove_class("-invalid")
            return None
        try:
            value = parse_metric_value(text, unit=metric.unit, metric=metric.id)
        except MetricValueError as problem:
            error.update(f"[red]{problem}[/]")
            field.add_class("-invalid")
            return None
        error.update("")
        field.remove_class("-invalid")
        return value

    @on(Input.Changed, ".metric-input")
    def _changed(self, event: Input.Changed) -> None:
        metric_id = (event.input.id or "").removeprefix("metric-")
        value = self.parse(metric_id, event.value)
        if value is None:
            self.typed.pop(metric_id, None)
        else:
            self.typed[metric_id] = value
        self.refresh_live()

    @on(Input.Submitted, ".metric-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        metric_id = (event.input.id or "").removeprefix("metric-")
        value = self.parse(metric_id, event.value)
        if value is not None:
            self.post_message(self.ValueEntered(metric_id, self.on_date, value))
