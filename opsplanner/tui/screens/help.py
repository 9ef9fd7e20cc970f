"""The keys, explained: `?` from anywhere."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

HELP = """\
# opsplanner — keys

| key | what it does |
|---|---|
| ↑ ↓ | move in the list |
| tab | switch between the timeline and the checklist |
| space | tick / untick the task |
| n | add a note to the task |
| s | skip the task, with a reason |
| c | carry the task to the next workday, with a reason |
| u | undo the last change to the task |
| r | end-of-day review: decide every unfinished item, then close the day |
| ctrl+p | command palette: jump to a block, review, go to a date |
| ? | this help |
| q | quit (everything is already saved) |

Blocks follow the clock: ▶ marks the block you are in, `!` a past block with
unfinished items. Carried items show ⟲ with how often and since when; three
times or more stands out in red.
"""


class HelpScreen(ModalScreen[None]):
    """Keys and markers."""

    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close", id="help.close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Markdown(HELP)

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)
