"""The day's blocks in time order: past, now and upcoming, with done/total per block."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from typing import ClassVar

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from opsplanner.i18n import _
from opsplanner.planner.day import PlannedBlock
from opsplanner.planner.record import TaskEntry
from opsplanner.safe_text import one_line
from opsplanner.tui.widgets.styled import ComponentStyled, same_text


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


def show_options(options: OptionList, items: list[tuple[str, Text]], keep: str | None) -> None:
    """Refresh a list in place when its ids are unchanged (the highlight, and what hangs on
    it, stays put); rebuild it otherwise, keeping `keep` or the current one highlighted."""
    ids = [item_id for item_id, __ in items]
    if ids == [option.id for option in options.options]:
        for index, (__, prompt) in enumerate(items):
            if not same_text(options.options[index].prompt, prompt):  # a replacement redraws all
                options.replace_option_prompt_at_index(index, prompt)
        if keep in ids and options.highlighted != ids.index(keep):
            options.highlighted = ids.index(keep)
        return
    current = keep or (options.highlighted_option.id if options.highlighted_option else None)
    options.set_options([Option(prompt, id=item_id) for item_id, prompt in items])
    if current in ids:
        options.highlighted = ids.index(current)
    elif ids:
        options.highlighted = 0


class Timeline(OptionList, ComponentStyled):
    """Blocks of the day; highlighting one shows its checklist."""

    COMPONENT_PREFIX = "timeline"
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "timeline--past",
        "timeline--now",
        "timeline--upcoming",
        "timeline--allday",
        "timeline--overdue",
        "timeline--marker",
        "timeline--complete",
    }
    """
    | Class | Description |
    | :- | :- |
    | `timeline--<phase>` | A block's whole line, by phase (past, now, upcoming, allday). |
    | `timeline--overdue` | The whole line of a past block with unfinished tasks, instead of past. |
    | `timeline--marker` | The ▶ (now) or ! (overdue) before the time. |
    | `timeline--complete` | The done/total of a block with every task done. |
    """

    _rows: list[BlockRow] = []

    def show(self, rows: list[BlockRow], keep: str | None = None) -> None:
        self._rows = rows
        width = self.scrollable_content_region.width or 40
        counts = 5 if any(len(row.entries) >= 10 for row in rows) else 3  # one column for all
        show_options(self, [(row.block.id, self._prompt(row, width, counts)) for row in rows], keep)

    def on_resize(self) -> None:
        """Time ranges when there is room for them, start times when there is not."""
        if self._rows:
            self.show(self._rows)

    def restyle(self) -> None:
        self.show(self._rows)

    def _prompt(self, row: BlockRow, width: int, counts: int) -> Text:
        """`▶ 11:00 0/4 Paid promotion`: marker (now ▶, overdue !), time, progress (right
        aligned in `counts` cells, the same on every line), title; one line, the title
        shortened rather than wrapped."""
        block = row.block
        wide = width >= 42
        if block.start is None or block.end is None:
            span = _("all day")
        else:
            span = f"{block.start:%H:%M}-{block.end:%H:%M}" if wide else f"{block.start:%H:%M}"
        text = Text(style=self.part("overdue" if row.overdue else row.phase))
        if row.phase == "now":
            text.append("▶ ", style=self.part("marker"))
        elif row.overdue:
            text.append("! ", style=self.part("marker"))
        else:
            text.append("  ")
        text.append(span + " " * max(0, (11 if wide else 5) - cell_len(span)) + " ")
        total = len(row.entries)
        text.append(
            f"{row.done}/{total}".rjust(counts) + " ",
            style=self.part("complete") if total and row.done == total else Style.null(),
        )
        title = one_line(block.shown_title)
        room = width - text.cell_len - 1
        if Text(title).cell_len > room:
            while title and Text(title).cell_len > room - 1:
                title = title[:-1]
            title = title.rstrip() + "…"
        text.append(title)
        return text
