"""End of day: every unfinished item gets done / skip / carry with a reason; then close.
Notes for tomorrow are saved as they are typed and greet the next morning."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static
from textual.widgets.option_list import Option

from opsplanner.i18n import N_, _, long_day, ngettext, short_day
from opsplanner.planner.record import TaskEntry
from opsplanner.planner.view import DayView
from opsplanner.safe_text import one_line
from opsplanner.tui.messages import DayLoaded
from opsplanner.tui.screens.base import DayScreen
from opsplanner.tui.widgets.checklist import Checklist
from opsplanner.tui.widgets.keys import KeyBar


class ReviewScreen(DayScreen):
    """Nothing closes while an item is undecided."""

    HELP_NAME = N_("Review")

    BINDINGS = [
        Binding(
            "space", "done", N_("Done"), id="review.done", tooltip=N_("Tick (failed checks first)")
        ),
        Binding("s", "skip", N_("Skip"), id="review.skip", tooltip=N_("Skip it, saying why")),
        Binding("c", "carry", N_("Carry"), id="review.carry", tooltip=N_("Carry it, saying why")),
        Binding(
            "t", "tomorrow", N_("Tomorrow"), id="review.tomorrow", tooltip=N_("Notes for tomorrow")
        ),
        Binding("x", "close_day", N_("Close"), id="review.close", tooltip=N_("Close the day")),
        Binding("escape", "back", N_("Back"), id="review.back", tooltip=N_("Back to the day")),
    ]

    def __init__(self, day: date) -> None:
        super().__init__(day)
        self.view: DayView | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="review-header", markup=False)
        yield Checklist(id="review-items")
        yield Static(id="review-tomorrow", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.load()
        self.query_one("#review-items", Checklist).focus()

    def load(self) -> None:
        day = self.day
        self.ops.submit(lambda s: s.view(day), then=self.show, reload=False)

    def show(self, view: DayView) -> None:
        self.view = view
        record = view.record
        unfinished = record.unfinished()
        done, total = record.progress()
        if view.preview:
            state = _("not opened yet")
        elif record.closed:
            state = _("closed")
        else:
            state = _("{count} undecided").format(count=len(unfinished))
        self.query_one("#review-header", Static).update(
            _("Review of {day} · {done}/{total} done · {state}").format(
                day=long_day(self.day), done=done, total=total, state=state
            )
        )
        items = self.query_one("#review-items", Checklist)
        keep = items.highlighted
        items.set_options([Option(self._line(items, e), id=e.key) for e in unfinished])
        if unfinished:
            items.highlighted = min(keep or 0, len(unfinished) - 1)
        self.query_one("#review-tomorrow", Static).update(
            _("Tomorrow: {notes}").format(notes=one_line(record.tomorrow))
            if record.tomorrow
            else _("Tomorrow: (t to write notes for tomorrow)")
        )

    @staticmethod
    def _line(items: Checklist, entry: TaskEntry) -> Text:
        """The task as the checklist shows it, and the block it belongs to."""
        text = Checklist.line(entry, items.part)
        text.append(f"   [{entry.task.block_id}]", style=items.part("reason"))
        return text

    def selected(self) -> TaskEntry | None:
        option = self.query_one("#review-items", Checklist).highlighted_option
        if option is None or self.view is None:
            return None
        return self.view.record.entry(str(option.id))

    def action_done(self) -> None:
        if self.view is not None and (entry := self.selected()) is not None:
            self.ops.tick_task(self.view, entry)

    def action_skip(self) -> None:
        if self.view is not None and (entry := self.selected()) is not None:
            self.ops.decide_with_reason(self.view, entry, "skipped")

    def action_carry(self) -> None:
        if self.view is not None and (entry := self.selected()) is not None:
            self.ops.decide_with_reason(self.view, entry, "carried")

    def action_tomorrow(self) -> None:
        from opsplanner.tui.screens.prompt import TextPrompt

        day = self.day
        current = self.view.record.tomorrow if self.view else None

        def save(text: str | None) -> None:
            if text is not None and text != (current or ""):
                self.ops.submit(lambda s: s.set_tomorrow(day, text))

        self.app.push_screen(
            TextPrompt(
                _("Notes for tomorrow (kept as typed, Esc too)"),
                value=current or "",
                allow_empty=True,
                keep_on_escape=True,
            ),
            save,
        )

    def action_close_day(self) -> None:
        if self.view is None:
            return
        undecided = self.view.record.unfinished()
        if undecided:
            self.notify(
                ngettext(
                    "{count} item still undecided: mark it done, skip or carry it first",
                    "{count} items still undecided: mark each done, skip or carry it first",
                    len(undecided),
                ).format(count=len(undecided)),
                severity="warning",
            )
            return
        day = self.day

        def closed(_record: object) -> None:
            self.notify(_("{day} closed").format(day=short_day(day)), title=_("Day closed"))
            self.dismiss()

        self.ops.submit(lambda s: s.close_day(day), then=closed)

    def action_back(self) -> None:
        self.dismiss()

    @on(DayLoaded)
    def _day_loaded(self, event: DayLoaded) -> None:
        if event.view.day == self.day:
            self.show(event.view)
        else:
            self.load()
