"""Ask for a line of text (a reason, a note), offering presets: returns the text or None."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option


class TextPrompt(ModalScreen[str | None]):
    """A small dialog: pick a preset with ↑/↓ + Enter, or type your own; Esc cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="prompt.cancel")]

    def __init__(self, title: str, *, presets: tuple[str, ...] = (), value: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.presets = presets
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt"):
            yield Label(self.title_text, id="prompt-title")
            if self.presets:
                yield OptionList(*(Option(p, id=p) for p in self.presets), id="prompt-presets")
            yield Input(value=self.value, placeholder="type and press Enter", id="prompt-input")

    def on_mount(self) -> None:
        self.query_one("#prompt-input", Input).focus()

    @on(OptionList.OptionSelected, "#prompt-presets")
    def _preset(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(str(event.option.id))

    @on(Input.Submitted, "#prompt-input")
    def _typed(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if text:
            self.dismiss(text)
        else:
            self.notify("Type something, or press Esc to cancel", severity="warning")

    def action_cancel(self) -> None:
        self.dismiss(None)
