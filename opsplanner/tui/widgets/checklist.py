"""The selected block's tasks with their status; keys act on the highlighted one."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.widgets import OptionList

from opsplanner.planner.record import TaskEntry
from opsplanner.tui.widgets.timeline import show_options

MARKS = {
    "pending": ("○", ""),
    "done": ("✓", "green"),
    "skipped": ("–", "yellow"),
    "carried": ("→", "cyan"),
    "missed": ("✗", "red"),
}


class Checklist(OptionList):
    """Tasks of one block."""

    async def _on_click(self, event: events.Click) -> None:
        """A click selects a task and never changes its status (space or Enter does)."""
        event.prevent_default()  # OptionList's own handler would select (and so tick)
        clicked = event.style.meta.get("option")
        if clicked is not None:
            self.highlighted = clicked
            self.focus()

    def show(self, entries: tuple[TaskEntry, ...], keep: str | None = None) -> None:
        show_options(self, [(e.key, self.prompt(e)) for e in entries], keep)

    @staticmethod
    def prompt(entry: TaskEntry) -> Text:
        mark, style = MARKS.get(entry.status, ("?", ""))
        text = Text(f"{mark} ", style=style or "bold")
        text.append(entry.task.title, style="dim" if entry.status in ("done", "skipped") else "")
        if entry.carried_from:
            chronic = entry.carried_count >= 3
            text.append(
                f"  ⟲{entry.carried_count} since {entry.carried_from:%m-%d}",
                style="bold red" if chronic else "cyan",
            )
        if entry.reason:
            text.append(f"  ({entry.reason})", style="dim italic")
        return text
