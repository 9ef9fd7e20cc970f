"""A task's figures for one date, one line each: label, input (or the computed value), a
"not saved" mark and a 14-day sparkline; below, the task's checks on that date re-evaluated
as the operator types. A task that reads several dates (Monday: Saturday's and Sunday's
store data) shows one panel per date, oldest first; ↑/↓ run through all of them.

A figure is saved when its field loses focus (Tab, arrows, another task or screen), on Enter
and on quit; one that cannot be read stays in its field, marked, with the reason below.
The panel is as tall as its content; the pane holding it scrolls, with the focus (the last
field brings the checks into view) and the mouse wheel.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Label, Sparkline, Static

from opsplanner.i18n import N_, _, short_day
from opsplanner.planner.day import PlannedTask
from opsplanner.planner.metrics import MetricHistory, evaluate_check, format_value, metric_value
from opsplanner.planner.values import MetricValueError, parse_metric_value
from opsplanner.planner.view import DayView
from opsplanner.safe_text import one_line

CHECK_MARKS = {"ok": "✓", "fail": "✗", "unknown": "?"}
SPARK_DAYS = 14


class MetricPanel(Vertical):
    """Inputs for one task's metrics; posts `ValueEntered` for each figure to store."""

    COMPONENT_CLASSES = {
        "metric-panel--ok",
        "metric-panel--fail",
        "metric-panel--unknown",
        "metric-panel--error",
    }
    BINDINGS = [
        Binding("up", "move(-1)", N_("Previous figure"), show=False, id="metrics.up"),
        Binding("down", "move(1)", N_("Next figure"), show=False, id="metrics.down"),
        Binding("escape", "leave", N_("Back to the tasks"), id="metrics.leave"),
    ]

    @dataclass
    class ValueEntered(Message):
        """A typed figure that reads cleanly and differs from what is stored."""

        metric: str
        data_date: date
        text: str
        value: float
        seen: float | None  # what was stored when the field was filled

    def __init__(self, view: DayView, task: PlannedTask, on_date: date) -> None:
        super().__init__(classes="metric-panel")
        self.view = view
        self.schedule = view.schedule
        self.planned = task
        self.on_date = on_date
        self.stored: dict[str, float | None] = {m: self._stored(m) for m in task.metrics}
        self.typed: dict[str, float] = {}  # what reads cleanly in the fields
        self.sent: dict[str, float] = {}  # handed to the store, not confirmed by a view yet
        self.errors: dict[str, str] = {}
        self.ready = False  # mounted with its fields: until then a new view is only kept

    def _stored(self, metric_id: str) -> float | None:
        return self.view.history.get(metric_id, {}).get(self.on_date)

    def _typed_ids(self) -> list[str]:
        return [
            m
            for m in self.planned.metrics
            if (spec := self.schedule.metric(m)) is not None and not spec.derived
        ]

    def compose(self) -> ComposeResult:
        yield Label(
            _("figures for {day} · i: import from a file").format(day=short_day(self.on_date)),
            classes="metric-caption",
            markup=False,
        )
        with Grid(classes="metric-grid"):
            for metric_id in self.planned.metrics:
                metric = self.schedule.metric(metric_id)
                if metric is None:
                    continue
                yield Label(one_line(metric.label), classes="metric-label", markup=False)
                if metric.derived:
                    yield Static("", id=f"derived-{metric_id}", classes="metric-derived")
                else:
                    yield Input(
                        value=self._shown(metric_id),
                        placeholder="1.2万",
                        id=f"metric-{metric_id}",
                        classes="metric-input",
                        select_on_focus=False,
                    )
                yield Static("", id=f"mark-{metric_id}", classes="metric-mark")
                yield Sparkline(self.spark(metric_id), classes="metric-spark")
        yield Static("", id="checks")

    def _shown(self, metric_id: str) -> str:
        current = self.stored.get(metric_id)
        return "" if current is None else format_value(self.schedule, metric_id, current)

    def on_mount(self) -> None:
        self.ready = True
        self.refresh_live()

    def spark(self, metric_id: str) -> list[float]:
        days = [self.on_date - timedelta(days=n) for n in range(SPARK_DAYS - 1, -1, -1)]
        values = [metric_value(self.schedule, metric_id, d, self.view.history) for d in days]
        return [v for v in values if v is not None]

    def live_history(self) -> MetricHistory:
        """The stored history with what is typed right now laid over it."""
        merged = {metric: dict(values) for metric, values in self.view.history.items()}
        for metric, value in self.typed.items():
            merged.setdefault(metric, {})[self.on_date] = value
        return merged

    def refresh_live(self) -> None:
        history = self.live_history()
        for metric_id in self.planned.metrics:
            metric = self.schedule.metric(metric_id)
            if metric is not None and metric.derived:
                value = metric_value(self.schedule, metric_id, self.on_date, history)
                shown = "—" if value is None else format_value(self.schedule, metric_id, value)
                self.query_one(f"#derived-{metric_id}", Static).update(shown)
        lines: list[Text] = [
            Text.assemble(
                ("✗ ", self.get_component_rich_style("metric-panel--error")), one_line(problem)
            )
            + Text(_(" (not saved)"))
            for problem in self.errors.values()
        ]
        for check in self.planned.checks:
            result = evaluate_check(check, self.schedule, self.on_date, history, day=self.view.day)
            style = self.get_component_rich_style(f"metric-panel--{result.status}")
            lines.append(
                Text.assemble((f"{CHECK_MARKS[result.status]} ", style), one_line(result.message))
            )
        self.query_one("#checks", Static).update(Text("\n").join(lines))

    def _dirty(self, metric_id: str) -> bool:
        return metric_id in self.typed and self.typed[metric_id] != self.stored.get(metric_id)

    def _mark(self, metric_id: str) -> None:
        """● a figure typed but not stored yet; ✗ one that cannot be read."""
        dirty = metric_id in self.errors or self._dirty(metric_id)
        mark = self.query_one(f"#mark-{metric_id}", Static)
        mark.update("✗" if metric_id in self.errors else "●" if dirty else "")
        self.query_one(f"#metric-{metric_id}", Input).set_class(
            metric_id in self.errors, "-invalid"
        )

    def read(self, metric_id: str, text: str) -> None:
        """Parse what is in a field; an unreadable figure keeps its text and its reason."""
        metric = self.schedule.metric(metric_id)
        self.errors.pop(metric_id, None)
        self.typed.pop(metric_id, None)
        if metric is not None and text.strip():
            try:
                self.typed[metric_id] = parse_metric_value(text, unit=metric.unit, metric=metric.id)
            except MetricValueError as problem:
                self.errors[metric_id] = str(problem)
        self._mark(metric_id)
        self.refresh_live()

    def take(self, metric_id: str, *, again: bool = False) -> ValueEntered | None:
        """The figure to store, if it reads and differs from what is stored; one already
        handed over is handed again only when asked (Enter, leaving, quitting): the mark
        stays until a view from the store confirms it."""
        value = self.typed.get(metric_id)
        if not self._dirty(metric_id) or value is None:
            return None
        if not again and self.sent.get(metric_id) == value:
            return None
        self.sent[metric_id] = value
        text = self.query_one(f"#metric-{metric_id}", Input).value
        return self.ValueEntered(metric_id, self.on_date, text, value, self.stored.get(metric_id))

    def unsaved(self) -> list[ValueEntered]:
        """Every figure typed and not confirmed stored (leaving the task, quitting)."""
        return [
            entered for m in self._typed_ids() if (entered := self.take(m, again=True)) is not None
        ]

    def unreadable(self) -> str:
        """The labels of the figures that cannot be read, as the operator sees them."""
        return ", ".join(
            spec.label if (spec := self.schedule.metric(m)) is not None else m for m in self.errors
        )

    def update_view(self, view: DayView) -> None:
        """New figures from the store: fields nobody is typing in show them."""
        self.view = view
        if not self.ready:  # it will show this view when mounted
            self.stored = {m: self._stored(m) for m in self.planned.metrics}
            return
        for metric_id in self._typed_ids():
            field = self.query_one(f"#metric-{metric_id}", Input)
            untouched = metric_id not in self.errors and not self._dirty(metric_id)
            self.stored[metric_id] = self._stored(metric_id)
            if (
                untouched
                and not field.has_focus
                and self.typed.get(metric_id) != self.stored[metric_id]
            ):
                field.value = self._shown(metric_id)  # another writer's figure
            self._mark(metric_id)
        self.refresh_live()

    @staticmethod
    def _metric_of(field: Input) -> str:
        return (field.id or "").removeprefix("metric-")

    @on(Input.Changed, ".metric-input")
    def _changed(self, event: Input.Changed) -> None:
        self.read(self._metric_of(event.input), event.value)

    @on(Input.Blurred, ".metric-input")
    def _left(self, event: Input.Blurred) -> None:
        entered = self.take(self._metric_of(event.input))
        if entered is not None:
            self.post_message(entered)

    @on(Input.Submitted, ".metric-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        entered = self.take(self._metric_of(event.input), again=True)
        if entered is not None:
            self.post_message(entered)
        self.action_move(1)

    def _fields(self) -> list[Input]:
        return list(self.query(".metric-input").results(Input))

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        fields = self._fields()
        if fields and event.widget is fields[-1]:
            self.call_after_refresh(self.show_checks)

    def show_checks(self) -> None:
        """Scroll the pane holding the panel so the checks show below the last field (as
        many lines of them as fit, the field kept in view): they answer what was typed."""
        fields, scroller = self._fields(), self.parent
        if not fields or not fields[-1].has_focus or not isinstance(scroller, Widget):
            return
        seen = fields[-1].region.union(self.query_one("#checks").region)
        origin = scroller.scrollable_content_region.offset - scroller.scroll_offset
        scroller.scroll_to_region(seen.translate(-origin), animate=False, immediate=True)

    def action_move(self, step: int) -> None:
        """The next or previous field, across the panels of every date; above the first one,
        back to the tasks."""
        fields = [field for panel in self.screen.query(MetricPanel) for field in panel._fields()]
        focused = next((i for i, f in enumerate(fields) if f.has_focus), None)
        if focused is None:
            return
        target = focused + step
        if 0 <= target < len(fields):
            fields[target].focus()
        elif target < 0:
            self.action_leave()

    def action_leave(self) -> None:
        self.screen.query_one("#checklist").focus()
