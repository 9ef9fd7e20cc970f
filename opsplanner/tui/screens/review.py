"""End of day: every unfinished item gets done / skip / carry with a reason; then close."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from opsplanner.planner.record import DayRecord, TaskEntry
from opsplanner.tui.app import OpsPlannerApp
from opsplanner.tui.screens.base import DayScreen
from opsplanner.tui.screens.prompt import TextPrompt
from opsplanner.tui.widgets.checklist import Checklist


class ReviewScreen(DayScreen):
    """Nothing closes while an item is undecided."""

    BINDINGS = [
        Binding("space", "done", "Done", id="review.done"),
        Binding("s", "skip", "Skip", id="review.skip"),
        Binding("c", "carry", "Carry", id="review.carry"),
        Binding("t", "tomorrow", "Notes for tomorrow", id="review.tomorrow"),
        Binding("x", "close_day", "Close the day", id="review.close"),
        Binding("escape", "back", "Back", id="review.back"),
    ]

    def __init__(self, day: date) -> None:
        super().__init__(day)
        self.record: DayRecord | None = None
        self.tomorrow: str | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="review-header")
        yield OptionList(id="review-items")
        yield Static(id="review-tomorrow")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_items()
        self.query_one("#review-items", OptionList).focus()

    def refresh_items(self) -> None:
        self.record = self.ops.reload(self.day)
        record = self.record
        header = self.query_one("#review-header", Static)
        items = self.query_one("#review-items", OptionList)
        if record is None:
            header.update(f"Review of {self.day:%a %Y-%m-%d}: the store is not open yet")
            return
        self.tomorrow = self.tomorrow if self.tomorrow is not None else record.tomorrow
        unfinished = record.unfinished()
        done, total = record.progress()
        state = "closed" if record.closed else f"{len(unfinished)} undecided"
        header.update(f"Review of {self.day:%a %Y-%m-%d}  ·  {done}/{total} done  ·  {state}")
        keep = items.highlighted
        items.set_options([Option(self._prompt(e), id=e.key) for e in unfinished])
        if unfinished:
            items.highlighted = min(keep or 0, len(unfinished) - 1)
        self.query_one("#review-tomorrow", Static).update(
            f"Tomorrow: {self.tomorrow}"
            if self.tomorrow
            else "Tomorrow: (t to write notes for tomorrow)"
        )

    @staticmethod
    def _prompt(entry: TaskEntry) -> Text:
        text = Checklist._prompt(entry)
        text.append(f"   [{entry.task.block_id}]", style="dim")
        return text

    def selected(self) -> TaskEntry | None:
        option = self.query_one("#review-items", OptionList).highlighted_option
        if option is None or self.record is None:
            return None
        return self.record.entry(str(option.id))

    def action_done(self) -> None:
        entry = self.selected()
        if entry is not None and self.ops.set_status(entry.key, "done", day=self.day):
            self.refresh_items()

    def action_skip(self) -> None:
        if entry := self.selected():
            self.ops.decide_with_reason(entry, "skipped", day=self.day, then=self.refresh_items)

    def action_carry(self) -> None:
        if entry := self.selected():
            self.ops.decide_with_reason(entry, "carried", day=self.day, then=self.refresh_items)

    def action_tomorrow(self) -> None:
        def save(text: str | None) -> None:
            if text is not None:
                self.tomorrow = text
                self.refresh_items()

        self.app.push_screen(TextPrompt("Notes for tomorrow", value=self.tomorrow or ""), save)

    def action_close_day(self) -> None:
        if self.record is None:
            return
        undecided = self.record.unfinished()
        if undecided:
            self.notify(
                f"{len(undecided)} item(s) still undecided: mark each done, skip or carry it first",
                severity="warning",
            )
            return
        closed = self.ops.guarded(
            lambda s: s.close_day(self.ops.schedule, self.day, tomorrow=self.tomorrow)
        )
        if closed is not None:
            self.notify(f"{self.day:%a %m-%d} closed", title="Day closed")
            self.ops.reload()
            self.dismiss()

    def action_back(self) -> None:
        self.ops.reload()
        self.dismiss()

    @on(OpsPlannerApp.DayLoaded)
    def _day_loaded(self, _event: OpsPlannerApp.DayLoaded) -> None:
        if self.record is None:
            self.refresh_items()
