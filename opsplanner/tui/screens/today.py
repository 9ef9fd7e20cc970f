"""The day: a header, the timeline of blocks, the selected block's checklist, the task detail."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, OptionList, Static

from opsplanner.planner.day import PlannedBlock
from opsplanner.planner.record import CAUSE_PRESETS, TaskEntry
from opsplanner.tui.app import OpsPlannerApp
from opsplanner.tui.screens.base import OpsScreen
from opsplanner.tui.widgets.checklist import Checklist
from opsplanner.tui.widgets.timeline import BlockRow, Timeline, phase_of

if TYPE_CHECKING:  # the metric inputs (and the prompts) load when first used: they are not
    # on the first frame, which should not wait for Input and Sparkline
    from opsplanner.tui.widgets.metric_panel import MetricPanel

FOLLOW_UP_CHOICE = "＋ not explained yet: add a follow-up task for today…"


class TodayScreen(OpsScreen):
    """Where the operator spends the day."""

    BINDINGS = [
        Binding("space", "toggle", "Done", id="today.toggle"),
        Binding("n", "note", "Note", id="today.note"),
        Binding("s", "skip", "Skip", id="today.skip"),
        Binding("c", "carry", "Carry", id="today.carry"),
        Binding("u", "undo", "Undo", id="today.undo"),
        Binding("r", "review", "Review", id="today.review"),
        Binding("w", "week", "Week", id="today.week"),
        Binding("h", "history", "History", id="today.history"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(id="day-header")
        with Horizontal(id="main"):
            yield Timeline(id="timeline")
            with Vertical(id="right"):
                yield Checklist(id="checklist")
                with VerticalScroll(id="detail", can_focus=False):
                    yield Static(id="detail-text")
        yield Footer()

    _metrics_for: tuple[object, ...] | None = None
    _metrics_pending = False
    _drawn_minute: str | None = None

    AUTO_FOCUS = "#checklist"

    def on_mount(self) -> None:
        self.render_day()

    # -------------------------------------------------------------- rendering

    def rows(self) -> list[BlockRow]:
        app = self.ops
        now = app.now()
        moment = now.time() if now.date() == app.day else None
        if app.record is not None:
            pairs = app.record.blocks()
        else:  # first frame: the template alone, every task pending
            pairs = tuple((b, tuple(TaskEntry(task=t) for t in b.tasks)) for b in app.plan().blocks)
        return [BlockRow(block, entries, phase_of(block, moment)) for block, entries in pairs]

    def render_day(self, keep_block: str | None = None) -> None:
        rows = self.rows()
        timeline = self.query_one(Timeline)
        if keep_block is None and timeline.highlighted_option is None:
            keep_block = self.ops.now_block
        timeline.show(rows, keep=keep_block)
        self.render_header()
        self.render_checklist()

    def render_header(self, now: datetime | None = None) -> None:
        app = self.ops
        now = now or app.now()
        record = app.record
        if record is None:
            progress = "loading…"
        else:
            done, total = record.progress()
            share = f"{done * 100 // total}%" if total else "—"
            progress = f"{done}/{total} done ({share})" + ("  · closed" if record.closed else "")
        left = ""
        block = self.current_block()
        if block is not None and block.end is not None and now.date() == app.day:
            minutes = (block.end.hour * 60 + block.end.minute) - (now.hour * 60 + now.minute)
            left = f"  · {block.title}: {minutes} min left"
        self.query_one("#day-header", Static).update(
            f"{app.day:%a %Y-%m-%d}  ·  {app.schedule.title}  ·  {now:%H:%M}  ·  {progress}{left}"
        )

    def current_block(self) -> PlannedBlock | None:
        app = self.ops
        if app.now_block is None:
            return None
        return next((r.block for r in self.rows() if r.block.id == app.now_block), None)

    def selected_row(self) -> BlockRow | None:
        timeline = self.query_one(Timeline)
        option = timeline.highlighted_option
        if option is None:
            return None
        return next((r for r in self.rows() if r.block.id == option.id), None)

    def render_checklist(self) -> None:
        row = self.selected_row()
        self.query_one(Checklist).show(row.entries if row else ())
        self.render_detail()

    def selected_entry(self) -> TaskEntry | None:
        option = self.query_one(Checklist).highlighted_option
        row = self.selected_row()
        if option is None or row is None:
            return None
        return next((e for e in row.entries if e.key == option.id), None)

    def render_detail(self) -> None:
        entry = self.selected_entry()
        text = self.query_one("#detail-text", Static)
        self.render_metrics()
        if entry is None:
            text.update("")
            return
        lines = [f"[b]{entry.task.title}[/b]  [dim]{entry.key}[/dim]"]
        if entry.task.detail:
            lines.append(entry.task.detail)
        if entry.carried_from:
            lines.append(f"carried {entry.carried_count}× since {entry.carried_from:%a %m-%d}")
        if entry.reason:
            lines.append(f"reason: {entry.reason}")
        if entry.note:
            lines.append(f"note: {entry.note}")
        text.update("\n".join(lines))

    def render_metrics(self) -> None:
        """Mount the selected task's metric inputs once the selection has settled (lists
        pass through empty highlights while they are rebuilt)."""
        if not self._metrics_pending:
            self._metrics_pending = True
            self.call_after_refresh(self._sync_metrics)

    def _sync_metrics(self) -> None:
        self._metrics_pending = False
        app = self.ops
        entry = self.selected_entry()
        wanted = entry is not None and bool(entry.task.metrics) and app.record is not None
        key = (entry.key, app.day, app.history_version) if entry and wanted else None
        if key == self._metrics_for:
            return
        self._metrics_for = key
        for panel in self.query("MetricPanel"):
            panel.remove()
        if entry is not None and key is not None:
            from opsplanner.tui.widgets.metric_panel import MetricPanel

            self.query_one("#detail").mount(
                MetricPanel(app.schedule, entry.task, app.day, app.history)
            )

    def on_metric_panel_value_entered(self, event: MetricPanel.ValueEntered) -> None:
        self.ops.set_metric(event.metric, event.data_date, event.value)

    # -------------------------------------------------------------- events

    @on(OpsPlannerApp.DayLoaded)
    def _day_loaded(self, _event: OpsPlannerApp.DayLoaded) -> None:
        self.render_day()

    @on(OpsPlannerApp.ClockTick)
    def _clock(self, event: OpsPlannerApp.ClockTick) -> None:
        """Redraw only when the minute changes: phases and "min left" move by the minute."""
        minute = event.now.strftime("%Y-%m-%d %H:%M")
        if minute == self._drawn_minute:
            return
        self._drawn_minute = minute
        row = self.selected_row()
        self.query_one(Timeline).show(self.rows(), keep=row.block.id if row else None)
        self.render_header(event.now)

    @on(OptionList.OptionHighlighted, "#timeline")
    def _block_highlighted(self, _event: OptionList.OptionHighlighted) -> None:
        self.render_checklist()

    @on(OptionList.OptionHighlighted, "#checklist")
    def _task_highlighted(self, _event: OptionList.OptionHighlighted) -> None:
        self.render_detail()

    @on(OptionList.OptionSelected, "#timeline")
    def _block_selected(self, _event: OptionList.OptionSelected) -> None:
        self.query_one(Checklist).focus()

    @on(OptionList.OptionSelected, "#checklist")
    def _task_selected(self, _event: OptionList.OptionSelected) -> None:
        self.action_toggle()

    # -------------------------------------------------------------- actions

    def action_toggle(self) -> None:
        entry = self.selected_entry()
        if entry is None:
            return
        if entry.status == "done":
            self.ops.set_status(entry.key, "pending")
            return
        required, unexplained = self.ops.undisposed_failures(entry.task)
        if required:
            self.notify(required[0].message, title="Cannot tick yet", severity="warning")
            return
        if not unexplained:
            self.ops.set_status(entry.key, "done")
            return
        from opsplanner.tui.screens.prompt import TextPrompt

        def explained(cause: str | None) -> None:
            if cause == FOLLOW_UP_CHOICE:
                self.app.push_screen(TextPrompt("Follow-up task for today"), followed_up)
            elif cause is not None and self.ops.explain(entry.task, unexplained, cause=cause):
                self.ops.set_status(entry.key, "done")

        def followed_up(title: str | None) -> None:
            if title is not None and self.ops.explain(entry.task, unexplained, follow_up=title):
                self.ops.set_status(entry.key, "done")

        failing = "; ".join(r.message for r in unexplained)
        self.app.push_screen(
            TextPrompt(
                f"Failed: {failing}. What caused it?", presets=(*CAUSE_PRESETS, FOLLOW_UP_CHOICE)
            ),
            explained,
        )

    def action_undo(self) -> None:
        entry = self.selected_entry()
        if entry is not None:
            self.ops.undo(entry.key)

    def action_note(self) -> None:
        entry = self.selected_entry()
        if entry is None:
            return

        def save(text: str | None) -> None:
            if text is not None:
                self.ops.note(entry.key, text)

        from opsplanner.tui.screens.prompt import TextPrompt

        self.app.push_screen(
            TextPrompt(f"Note for “{entry.task.title}”", value=entry.note or ""), save
        )

    def action_skip(self) -> None:
        if entry := self.selected_entry():
            self.ops.decide_with_reason(entry, "skipped")

    def action_carry(self) -> None:
        if entry := self.selected_entry():
            self.ops.decide_with_reason(entry, "carried")

    def action_week(self) -> None:
        self.ops.open_screen("week")

    def action_history(self) -> None:
        self.ops.open_screen("history")

    def action_review(self) -> None:
        self.ops.open_screen("review")
