"""Habits over the last weeks: one row per recurring task, one mark per day, and what is
carried most (the steps that keep slipping, and why)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from opsplanner.i18n import N_, _, long_day
from opsplanner.planner.record import DayRecord
from opsplanner.planner.wording import listed
from opsplanner.safe_text import one_line
from opsplanner.tui.screens.base import DayScreen
from opsplanner.tui.widgets.checklist import MARKS
from opsplanner.tui.widgets.keys import KeyBar
from opsplanner.tui.widgets.styled import ComponentStyled

WEEKS = 8
TITLE_WIDTH = 34
"""The widest a task title gets in the grid (in cells), so the marks line up."""
MIN_TITLE_WIDTH = 24
"""On a narrow terminal titles shrink to this before older days are left out."""


@dataclass(frozen=True, slots=True)
class HabitRow:
    """One recurring task over the days shown: its status on each day (None: not due)."""

    title: str  # as shown: control characters escaped
    statuses: tuple[str | None, ...]
    done: int
    occurrences: int


def habit_rows(records: list[DayRecord], days: list[date]) -> list[HabitRow]:
    """A row per recurring task, most irregular first."""
    marks: dict[str, dict[date, str]] = {}
    titles: dict[str, str] = {}
    for record in records:
        for entry in record.entries:
            if entry.task.is_campaign or entry.key.startswith("follow-up-"):
                continue
            titles.setdefault(entry.key, one_line(entry.task.title))
            marks.setdefault(entry.key, {})[record.day] = entry.status
    rows = [
        HabitRow(
            title=titles[key],
            statuses=tuple(by_day.get(day) for day in days),
            done=sum(status == "done" for status in by_day.values()),
            occurrences=len(by_day),
        )
        for key, by_day in marks.items()
    ]
    rows.sort(key=lambda row: (row.done / row.occurrences if row.occurrences else 1.0, row.title))
    return rows


def shortened(title: str, width: int) -> Text:
    """A title in exactly `width` cells: cut before the character that would cross the edge
    (a Chinese one is two cells wide), "…" after it, spaces to fill."""
    if cell_len(title) > width:
        while title and cell_len(title) > width - 1:
            title = title[:-1]
        title += "…"
    text = Text(title)
    text.truncate(width, pad=True)
    return text


class HistoryScreen(DayScreen, ComponentStyled):
    """Consistency of each recurring task over the last weeks."""

    _shown: tuple[date, list[DayRecord]] | None = None

    HELP_NAME = N_("History")

    BINDINGS = [
        Binding(
            "escape,h",
            "back",
            N_("Back"),
            tooltip=N_("Close the history and return to the day."),
            id="history.back",
        )
    ]

    COMPONENT_PREFIX = "history"
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        *(f"history--{status}" for status in MARKS),
        "history--not-due",
        "history--count",
        "history--heading",
    }
    """
    | Class | Description |
    | :- | :- |
    | `history--<status>` | A day's mark, by status (pending, done, skipped, carried, missed). |
    | `history--not-due` | The dot of a day the task was not due. |
    | `history--count` | The done/occurrences after each row. |
    | `history--heading` | Section headings. |
    """

    def compose(self) -> ComposeResult:
        yield Static(id="history-header")
        with VerticalScroll(id="history-body"):
            yield Static(id="history-grid")
            yield Static(id="history-carried")
        yield KeyBar()

    def on_mount(self) -> None:
        start, end = self.day - timedelta(days=self.day.weekday() + 7 * (WEEKS - 1)), self.day
        self.ops.submit(
            lambda s: s.days_between(start, end), then=partial(self.show, start), reload=False
        )

    def restyle(self) -> None:
        if self._shown is not None:
            self.show(*self._shown)

    def on_resize(self) -> None:
        self.restyle()

    def show(self, start: date, records: list[DayRecord]) -> None:
        self._shown = (start, records)
        days = [start + timedelta(days=n) for n in range((self.day - start).days + 1)]
        rows = habit_rows(records, days)
        title_width, shown = self.fit_grid(rows, len(days))
        first = len(days) - shown
        while days[first].weekday() != 0:  # whole weeks, as the header's date says
            first += 1
        days = days[first:]
        rows = habit_rows([r for r in records if r.day >= days[0]], days)
        self.query_one("#history-header", Static).update(
            Text(
                _("Habits since {day} · ✓ done – skipped → carried ✗ missed · not due").format(
                    day=long_day(days[0])
                )
            )
        )
        self.query_one("#history-grid", Static).update(self.grid(rows, title_width))
        self.query_one("#history-carried", Static).update(self.most_carried(records))

    def fit_grid(self, rows: list[HabitRow], days: int) -> tuple[int, int]:
        """(title width, days shown): a line per task in the screen's width, the titles
        given way to down to MIN_TITLE_WIDTH, then the oldest days."""
        room = self.size.width - 4  # the body's padding and its scrollbar
        count = max((cell_len(f"  {r.done}/{r.occurrences}") for r in rows), default=0)
        longest = max((cell_len(r.title) for r in rows), default=0)
        title = min(longest, TITLE_WIDTH, max(MIN_TITLE_WIDTH, room - 1 - count - days))
        return title, max(7, min(days, room - title - 1 - count))

    def grid(self, rows: list[HabitRow], title_width: int) -> Text:
        """Title, a mark per day, done/occurrences: one line per task."""
        if not rows:
            return Text(_("no history yet"))
        grid = Text()
        for row in rows:
            grid.append_text(shortened(row.title, title_width))
            grid.append(" ")
            for status in row.statuses:
                if status is None:
                    grid.append("·", style=self.part("not-due"))
                else:
                    grid.append(MARKS.get(status, "?"), style=self.part(status))
            grid.append(f"  {row.done}/{row.occurrences}\n", style=self.part("count"))
        return grid

    def most_carried(self, records: list[DayRecord]) -> Text:
        """The five tasks carried most, with their two commonest reasons."""
        counts: Counter[str] = Counter()
        reasons: dict[str, Counter[str]] = {}
        titles: dict[str, str] = {}
        for record in records:
            for entry in record.entries:
                if entry.status == "carried":
                    counts[entry.key] += 1
                    titles[entry.key] = one_line(entry.task.title)
                    reason = one_line(entry.reason) if entry.reason else _("no reason")
                    reasons.setdefault(entry.key, Counter())[reason] += 1
        text = Text("\n")
        text.append(_("Carried most"), style=self.part("heading"))
        for key, count in counts.most_common(5):
            why = listed([f"{r} ×{n}" for r, n in reasons[key].most_common(2)])
            text.append(f"\n  {count}×  {titles[key]}  " + _("({reason})").format(reason=why))
        if not counts:
            text.append("\n  " + _("nothing carried"))
        return text

    def action_back(self) -> None:
        self.dismiss()
