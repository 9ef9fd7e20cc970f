"""The day's blocks in time order: past, now and upcoming, with done/total per block."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from opsplanner.planner.day import PlannedBlock
from opsplanner.planner.record import TaskEntry


@dataclass(frozen=True, slots=True)
class BlockRow:
    """What the timeline shows of one block."""

    block: PlannedBlock
    entries: tuple[TaskEntry, ...]
    phase: str  # "past" | "now" | "upcoming" | "allday"

    @property
    def done(self) -> int:
        return sum(e.status == "done" for e in self.entries)

    @property
    def overdue(self) -> bool:
        return self.phase == "past" and any(e.open for e in self.entries)


def phase_of(block: PlannedBlock, moment: time | None) -> str:
    """Where a block stands against the clock (None: a day that is not today)."""
    if block.start is None or block.end is None:
        return "allday"
    if moment is None:
        return "upcoming"
    if moment >= block.end:
        return "past"
    return "now" if moment >= block.start else "upcoming"


class Timeline(OptionList):
    """Blocks of the day; highlighting one shows its checklist."""

    def show(self, rows: list[BlockRow], keep: str | None = None) -> None:
        highlighted = keep or (self.highlighted_option.id if self.highlighted_option else None)
        self.set_options([Option(self._prompt(row), id=row.block.id) for row in rows])
        ids = [row.block.id for row in rows]
        if highlighted in ids:
            self.highlighted = ids.index(highlighted)
        elif rows:
            self.highlighted = 0

    @staticmethod
    def _prompt(row: BlockRow) -> Text:
        block = row.block
        span = f"{block.start:%H:%M}" if block.start else "all day"
        marker = {"now": "▶ ", "past": "  ", "upcoming": "  ", "allday": "  "}[row.phase]
        style = {"past": "dim", "now": "bold", "upcoming": "", "allday": "italic"}[row.phase]
        text = Text(marker, style="bold green")
        text.append(f"{span:<7} ", style=style)
        text.append(block.title, style=style)
        total = len(row.entries)
        count = f"  {row.done}/{total}"
        text.append(count, style="green" if total and row.done == total else "")
        if row.overdue:
            text.append("  !", style="bold red")
        return text
