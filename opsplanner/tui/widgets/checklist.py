"""The selected block's tasks with their status; keys act on the highlighted one."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from opsplanner.planner.record import TaskEntry

MARKS = {"pending": ("○", ""), "done": ("✓", "green"), "skipped": ("–", "yellow"),
         "carried": ("→", "cyan"), "missed": ("✗", "red")}


class Checklist(OptionList):
    """Tasks of one block."""

    def show(self, entries: tuple[TaskEntry, ...], keep: str | None = None) -> None:
        highlighted = keep or (self.highlighted_option.id if self.highlighted_option else None)
        self.set_options([Option(self._prompt(e), id=e.key) for e in entries])
        keys = [e.key for e in entries]
        if highlighted in keys:
            self.highlighted = keys.index(highlighted)
        elif entries:
            self.highlighted = 0

    @staticmethod
    def _prompt(entry: TaskEntry) -> Text:
        mark, style = MARKS.get(entry.status, ("?", ""))
        text = Text(f"{mark} ", style=style or "bold")
        text.append(entry.task.title, style="dim" if entry.status in ("done", "skipped") else "")
        if entry.carried_from:
            chronic = entry.carried_count >= 3
            text.append(f"  ⟲{entry.carried_count} since {entry.carried_from:%m-%d}",
                        style="bold red" if chronic else "cyan")
        if entry.reason:
            text.append(f"  ({entry.reason})", style="dim italic")
        return text
