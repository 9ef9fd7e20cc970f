"""Habits over the last weeks: one row per recurring task, one mark per day, and what is
carried most (the steps that keep slipping, and why)."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from functools import partial

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Static

from opsplanner.planner.record import DayRecord
from opsplanner.tui.screens.base import DayScreen
from opsplanner.tui.widgets.checklist import MARKS

WEEKS = 8


def habit_rows(records: list[DayRecord], days: list[date]) -> list[tuple[str, Text, int, int]]:
    """(title, marks, done, occurrences) per recurring task, most irregular first."""
    marks: dict[str, dict[date, str]] = {}
    titles: dict[str, str] = {}
    for record in records:
        for entry in record.entries:
            if entry.task.is_campaign or entry.key.startswith("follow-up-"):
                continue
            titles.setdefault(entry.key, entry.task.title)
            marks.setdefault(entry.key, {})[record.day] = entry.status
    rows = []
    for key, by_day in marks.items():
        line = Text()
        for day in days:
            status = by_day.get(day)
            if status is None:
                line.append("·", style="dim")
            else:
                mark, style = MARKS.get(status, ("?", ""))
                line.append(mark, style=style or "bold")
        done = sum(status == "done" for status in by_day.values())
        rows.append((titles[key], line, done, len(by_day)))
    rows.sort(key=lambda row: (row[2] / row[3] if row[3] else 1.0, row[0]))
    return rows


class HistoryScreen(DayScreen):
    """Consistency of each recurring task over the last weeks."""

    BINDINGS = [Binding("escape,h", "back", "Back", id="history.back")]

    def compose(self) -> ComposeResult:
        yield Static(id="history-header")
        with VerticalScroll(id="history-body"):
            yield Static(id="history-grid")
            yield Static(id="history-carried")
        yield Footer()

    def on_mount(self) -> None:
        start, end = self.day - timedelta(days=self.day.weekday() + 7 * (WEEKS - 1)), self.day
        self.ops.submit(
            lambda s: s.days_between(start, end), then=partial(self.show, start), reload=False
        )

    def show(self, start: date, records: list[DayRecord]) -> None:
        days = [start + timedelta(days=n) for n in range((self.day - start).days + 1)]
        self.query_one("#history-header", Static).update(
            f"Habits since {start:%a %Y-%m-%d}  ·  ✓ done  – skipped  → carried  ✗ missed"
            "  · not due"
        )
        grid = Text()
        width = max((len(t) for t, *_ in habit_rows(records, days)), default=10)
        width = min(width, 34)
        for title, marks, done, total in habit_rows(records, days):
            grid.append(f"{title[:width]:<{width}} ")
            grid.append_text(marks)
            grid.append(f"  {done}/{total}\n", style="dim")
        self.query_one("#history-grid", Static).update(grid or "no history yet")
        self.query_one("#history-carried", Static).update(self.most_carried(records))

    @staticmethod
    def most_carried(records: list[DayRecord]) -> str:
        counts: Counter[str] = Counter()
        reasons: dict[str, Counter[str]] = {}
        titles: dict[str, str] = {}
        for record in records:
            for entry in record.entries:
                if entry.status == "carried":
                    counts[entry.key] += 1
                    titles[entry.key] = entry.task.title
                    reasons.setdefault(entry.key, Counter())[entry.reason or "no reason"] += 1
        lines = ["\n[b]Carried most[/b]"]
        for key, count in counts.most_common(5):
            why = ", ".join(f"{r} ×{n}" for r, n in reasons[key].most_common(2))
            lines.append(f"  {count}×  {titles[key]}  ({why})")
        if len(lines) == 1:
            lines.append("  nothing carried")
        return "\n".join(lines)

    def action_back(self) -> None:
        self.dismiss()
