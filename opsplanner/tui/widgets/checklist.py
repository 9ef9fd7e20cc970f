"""The selected block's tasks with their status; keys act on the highlighted one."""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual._context import active_app
from textual.widgets import OptionList

from opsplanner.i18n import _
from opsplanner.planner.record import TaskEntry
from opsplanner.safe_text import one_line
from opsplanner.tui.widgets.styled import ComponentStyled, PartStyle
from opsplanner.tui.widgets.timeline import show_options

MARKS: dict[str, str] = {
    "pending": "○",
    "done": "✓",
    "skipped": "–",
    "carried": "→",
    "missed": "✗",
}
"""The mark of each status; its colour is the stylesheet's `$status-<status>`."""

CHRONIC = 3
"""Carried this many times or more, a task stands out (`.checklist--chronic`)."""


class Checklist(OptionList, ComponentStyled):
    """Tasks of one block."""

    COMPONENT_PREFIX = "checklist"
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        *(f"checklist--{status}" for status in MARKS),
        "checklist--finished",
        "checklist--chronic",
        "checklist--reason",
    }
    """
    | Class | Description |
    | :- | :- |
    | `checklist--<status>` | A task's line, by status (pending, done, skipped, carried, missed). |
    | `checklist--finished` | The title of a done or skipped task. |
    | `checklist--carried` | Also the "⟲2 since 11-21" of a carried-over task. |
    | `checklist--chronic` | That note once the task was carried three times or more. |
    | `checklist--reason` | The reason given for a skip or a carry. |
    """

    _entries: tuple[TaskEntry, ...] = ()

    async def _on_click(self, event: events.Click) -> None:
        """A click selects a task and never changes its status (space or Enter does)."""
        event.prevent_default()  # OptionList's own handler would select (and so tick)
        clicked = event.style.meta.get("option")
        if clicked is not None:
            self.highlighted = clicked
            self.focus()

    def show(self, entries: tuple[TaskEntry, ...], keep: str | None = None) -> None:
        self._entries = entries
        show_options(self, [(e.key, self.line(e, self.part)) for e in entries], keep)

    def restyle(self) -> None:
        self.show(self._entries)

    @staticmethod
    def line(entry: TaskEntry, part: PartStyle | None = None) -> Text:
        """`○ Title  ⟲2 since 11-21  (reason)`: the line for one task, styled by `part`.
        Without `part` (ReviewScreen calls this on the class) the app's checklist lends its
        styles."""
        part = part or _styles_of_a_checklist()
        status = entry.status if entry.status in MARKS else "pending"
        text = Text(style=part(status))
        text.append(f"{MARKS[status]} ")
        finished = entry.status in ("done", "skipped")
        text.append(
            one_line(entry.task.title), style=part("finished") if finished else Style.null()
        )
        if entry.carried_from:
            chronic = entry.carried_count >= CHRONIC
            since = _("⟲{count} since {day}").format(
                count=entry.carried_count, day=f"{entry.carried_from:%m-%d}"
            )
            text.append(f"  {since}", style=part("chronic" if chronic else "carried"))
        if entry.reason:
            reason = _("({reason})").format(reason=one_line(entry.reason))
            text.append(f"  {reason}", style=part("reason"))
        return text


def _styles_of_a_checklist() -> PartStyle:
    """The styles of a checklist on the app's screens (the today screen has one), for task
    lines shown in a list that is not a Checklist; unstyled when there is none."""
    try:
        app = active_app.get()
    except LookupError:
        return lambda _part: Style.null()
    for screen in reversed(app.screen_stack):
        checklists = screen.query(Checklist)
        if checklists:
            part: PartStyle = checklists.first().part
            return part
    return lambda _part: Style.null()
