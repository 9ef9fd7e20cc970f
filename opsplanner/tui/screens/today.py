"""The day: a header, the timeline of blocks, the selected block's checklist, the task detail
with its figures. Rendered from the `DayView` the app sends; every change goes through the
app's store thread and comes back as a new view."""

from __future__ import annotations

from datetime import datetime, time
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import OptionList, Static

from opsplanner.i18n import N_, _, long_day, short_day
from opsplanner.planner.day import PlannedBlock
from opsplanner.planner.metrics import data_dates
from opsplanner.planner.record import TaskEntry
from opsplanner.planner.view import DayView
from opsplanner.safe_text import one_line, shown
from opsplanner.tui.messages import ClockTick, DayLoaded
from opsplanner.tui.screens.base import OpsScreen
from opsplanner.tui.widgets.checklist import Checklist
from opsplanner.tui.widgets.keys import KeyBar
from opsplanner.tui.widgets.styled import same_text
from opsplanner.tui.widgets.timeline import BlockRow, Timeline, phase_of

if TYPE_CHECKING:  # the metric inputs (and the prompts) load when first used: they are not
    # on the first frame, which should not wait for Input and Sparkline
    from opsplanner.tui.widgets.metric_panel import MetricPanel


def share(done: int, total: int) -> str:
    """A percentage as the reports round it (half up), so screen and report agree."""
    return f"{(done * 200 + total) // (total * 2)}%" if total else "—"


def fit(parts: list[str], width: int, separator: str = " · ") -> str:
    """Join parts in priority order, dropping the last ones that do not fit (in terminal
    cells: a Chinese title is twice as wide as it is long)."""
    kept: list[str] = []
    for part in parts:
        if cell_len(separator.join([*kept, part])) > width and kept:
            break
        kept.append(part)
    return separator.join(kept)


def show_text(widget: Static, content: str | Text, *, fixed: bool = False) -> None:
    """Update a Static only when its text changes: an update lays the screen out again,
    unless the widget's size is `fixed` by the stylesheet (the header's one line)."""
    if not same_text(widget.content, content):
        widget.update(content, layout=not fixed)


TALL = 30
"""Lines from which the task list keeps its room while figures are typed."""


class TodayScreen(OpsScreen):
    """Where the operator spends the day."""

    HELP_NAME = N_("Today")

    BINDINGS = [
        Binding(
            "space", "tick", N_("Done"), id="today.tick", tooltip=N_("Tick or untick the task")
        ),
        Binding(
            "n", "note", N_("Note"), id="today.note", tooltip=N_("Write, change or clear a note")
        ),
        Binding("s", "skip", N_("Skip"), id="today.skip", tooltip=N_("Skip the task, saying why")),
        Binding(
            "c", "carry", N_("Carry"), id="today.carry", tooltip=N_("Carry it to the next workday")
        ),
        Binding(
            "u",
            "undo",
            N_("Undo"),
            id="today.undo",
            show=False,
            tooltip=N_("Undo the task's last change"),
        ),
        Binding("r", "review", N_("Review"), id="today.review", tooltip=N_("End-of-day review")),
        Binding(
            "i",
            "import",
            N_("Import"),
            id="today.import",
            show=False,
            tooltip=N_("Import figures from an exported file"),
        ),
        Binding(
            "w",
            "week",
            N_("Week view"),
            id="today.week",
            show=False,
            tooltip=N_("The week at a glance"),
        ),
        Binding(
            "h",
            "history",
            N_("History"),
            id="today.history",
            show=False,
            tooltip=N_("Habits and carries"),
        ),
    ]

    AUTO_FOCUS = "#checklist"

    def __init__(self, view: DayView) -> None:
        super().__init__()
        self.view = view
        self.loaded = False  # statuses arrive after the first frame
        self._metrics_for: tuple[object, ...] | None = None
        self._panels: list[MetricPanel] = []  # the selected task's, one per data date
        self._metrics_pending = False
        self._drawn_minute: str | None = None
        self._rows_for: tuple[DayView, time | None] | None = None
        self._rows: list[BlockRow] = []

    def compose(self) -> ComposeResult:
        yield Static(id="day-header", markup=False)
        yield Static(id="notes-today", markup=False)
        with Horizontal(id="main"):
            yield Timeline(id="timeline")
            with Vertical(id="right"):
                yield Checklist(id="checklist")
                with VerticalScroll(id="detail", can_focus=False):
                    yield Static(id="detail-text")
        yield KeyBar()

    def on_mount(self) -> None:
        self.render_day()

    # -------------------------------------------------------------- rendering

    def rows(self) -> list[BlockRow]:
        """The timeline's rows, worked out once per view and minute (every redraw asks)."""
        now = self.ops.now()
        moment = (
            now.time().replace(second=0, microsecond=0) if now.date() == self.view.day else None
        )
        if self._rows_for != (self.view, moment):
            self._rows_for = (self.view, moment)
            self._rows = [
                BlockRow(block, entries, phase_of(block, moment))
                for block, entries in self.view.record.blocks()
            ]
        return self._rows

    def render_day(self, keep_block: str | None = None) -> None:
        timeline = self.query_one(Timeline)
        if keep_block is None and timeline.highlighted_option is None:
            keep_block = self.view.now_block(self.ops.now())
        timeline.show(self.rows(), keep=keep_block)
        self.set_class(self.view.preview and self.loaded, "-preview")
        self.render_header()
        self.render_notes()
        self.render_checklist()

    def render_header(self, now: datetime | None = None) -> None:
        now = now or self.ops.now()
        view, record = self.view, self.view.record
        if not self.loaded:
            progress = _("loading…")
        elif view.preview:
            progress = _("PREVIEW: not opened, nothing stored")
        else:
            done, total = record.progress()
            progress = _("{done}/{total} done ({share})").format(
                done=done, total=total, share=share(done, total)
            ) + (_(" · closed") if record.closed else "")
        parts = [long_day(view.day), f"{now:%H:%M}", progress]
        block = self.current_block()
        if block is not None and block.end is not None and now.date() == view.day:
            minutes = (block.end.hour * 60 + block.end.minute) - (now.hour * 60 + now.minute)
            parts.append(
                _("{block}: {minutes} min left").format(
                    block=one_line(block.shown_title), minutes=minutes
                )
            )
        parts.append(one_line(self.ops.schedule.title))
        show_text(
            self.query_one("#day-header", Static), fit(parts, self.size.width - 2), fixed=True
        )

    def render_notes(self) -> None:
        notes = self.view.notes_for_today()
        line = self.query_one("#notes-today", Static)
        line.display = notes is not None
        if notes is not None:
            show_text(
                line,
                _("From {day}: {notes}").format(day=short_day(notes[0]), notes=one_line(notes[1])),
            )

    def current_block(self) -> PlannedBlock | None:
        now_block = self.view.now_block(self.ops.now())
        return next((b for b, __ in self.view.record.blocks() if b.id == now_block), None)

    def selected_row(self) -> BlockRow | None:
        option = self.query_one(Timeline).highlighted_option
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
        detail = self.query_one("#detail-text", Static)
        self.render_metrics()
        if entry is None:
            show_text(detail, "")
            return
        text = Text()
        text.append(one_line(entry.task.title), style="bold")
        text.append(f"  {entry.key}", style="dim")
        for line in self.detail_lines(entry):
            text.append("\n" + line)
        show_text(detail, text)

    @staticmethod
    def detail_lines(entry: TaskEntry) -> list[str]:
        """The task's detail (its lines kept), then one line each: carried, reason, note."""
        lines = [shown(entry.task.detail)] if entry.task.detail else []
        if entry.carried_from:
            lines.append(
                _("carried {count}× since {day}").format(
                    count=entry.carried_count, day=short_day(entry.carried_from)
                )
            )
        if entry.reason:
            lines.append(_("reason: {reason}").format(reason=one_line(entry.reason)))
        if entry.note:
            lines.append(_("note: {note}").format(note=one_line(entry.note)))
        return lines

    def render_metrics(self) -> None:
        """Mount the selected task's metric inputs once the selection has settled (lists
        pass through empty highlights while they are rebuilt)."""
        if not self._metrics_pending:
            self._metrics_pending = True
            self.call_after_refresh(self._sync_metrics)

    def _sync_metrics(self) -> None:
        from opsplanner.tui.widgets.metric_panel import MetricPanel

        self._metrics_pending = False
        entry = self.selected_entry()
        wanted = entry is not None and bool(entry.task.metrics) and self.loaded
        key = (entry.key, self.view.day) if entry is not None and wanted else None
        if key == self._metrics_for and self._panels:
            for panel in self._panels:
                panel.update_view(self.view)  # same task: new figures, typing kept
            return
        self._metrics_for = key
        for panel in self._panels:
            self.save_figures(panel)
            panel.remove()
        self._panels = []
        self.set_class(key is not None, "-figures")
        if entry is not None and key is not None:
            dates = data_dates(entry.task, self.view.schedule, self.view.day)
            self._panels = [MetricPanel(self.view, entry.task, on) for on in dates]
            self.query_one("#detail").mount_all(self._panels)

    def save_figures(self, panel: MetricPanel) -> None:
        for entered in panel.unsaved():
            self.save_figure(entered)

    def save_figure(self, entered: MetricPanel.ValueEntered) -> None:
        self.ops.submit(
            lambda s: s.set_metric(
                entered.metric, entered.text, on=entered.data_date, seen=entered.seen
            )
        )

    @on(DayLoaded)
    def _day_loaded(self, event: DayLoaded) -> None:
        if event.view.day != self.ops.day and self.loaded:
            return
        self.view = event.view
        self.loaded = True
        self.render_day()

    @on(ClockTick)
    def _clock(self, event: ClockTick) -> None:
        """Redraw only when the minute changes: phases and "min left" move by the minute."""
        minute = event.now.strftime("%Y-%m-%d %H:%M")
        if minute == self._drawn_minute:
            return
        self._drawn_minute = minute
        row = self.selected_row()
        self.query_one(Timeline).show(self.rows(), keep=row.block.id if row else None)
        self.render_header(event.now)

    def on_resize(self) -> None:
        self.set_class(self.size.height < TALL, "-short")
        self.render_header()

    def on_descendant_focus(self) -> None:
        self.follow_focus()

    def on_descendant_blur(self) -> None:
        self.follow_focus()

    def follow_focus(self) -> None:
        """While a figure's field has the focus, a short screen gives the task list's room
        to the figures and their checks; the list keeps its task in view."""
        typing = self.focused is not None and self.focused.has_class("metric-input")
        if typing != self.has_class("-typing"):
            self.set_class(typing, "-typing")
            self.call_after_refresh(self.query_one(Checklist).scroll_to_highlight)

    # -------------------------------------------------------------- events

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
        self.action_tick()  # Enter; a mouse click only selects (see Checklist)

    def on_metric_panel_value_entered(self, event: MetricPanel.ValueEntered) -> None:
        self.save_figure(event)

    def jump_to(self, block_id: str) -> None:
        timeline = self.query_one(Timeline)
        ids = [option.id for option in timeline.options]
        if block_id in ids:
            timeline.highlighted = ids.index(block_id)
            timeline.focus()

    async def before_quit(self) -> bool:
        """Save what is typed; a figure that cannot be read asks before it is lost."""

        for panel in self._panels:
            self.save_figures(panel)
            broken = panel.unreadable()
            if broken:
                from opsplanner.tui.screens.prompt import ConfirmPrompt

                question = ConfirmPrompt(
                    _("Not saved: {figures}. Quit anyway?").format(figures=broken)
                )
                answer: bool = await self.app.push_screen(question, wait_for_dismiss=True)
                return answer
        return True

    # -------------------------------------------------------------- actions

    def action_tick(self) -> None:
        if (entry := self.selected_entry()) is not None:
            self.ops.tick_task(self.view, entry)

    def action_undo(self) -> None:
        if (entry := self.selected_entry()) is not None:
            self.ops.undo(self.view, entry)

    def action_note(self) -> None:
        if (entry := self.selected_entry()) is not None:
            self.ops.edit_note(self.view, entry)

    def action_skip(self) -> None:
        if (entry := self.selected_entry()) is not None:
            self.ops.decide_with_reason(self.view, entry, "skipped")

    def action_carry(self) -> None:
        if (entry := self.selected_entry()) is not None:
            self.ops.decide_with_reason(self.view, entry, "carried")

    def action_import(self) -> None:
        self.ops.import_figures()

    def action_week(self) -> None:
        self.ops.open_screen("week")

    def action_history(self) -> None:
        self.ops.open_screen("history")

    def action_review(self) -> None:
        self.ops.open_screen("review")
