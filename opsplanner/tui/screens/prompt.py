"""Ask for a line of text (a reason, a note), offering presets: returns the text or None.

Presets are shown, and returned when picked, in the operator's language: a reason is kept as
the operator read it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

if TYPE_CHECKING:
    from textual.suggester import Suggester

from opsplanner.i18n import N_, _
from opsplanner.safe_text import one_line

REASON_PRESETS = (N_("no time"), N_("waiting on others"), N_("platform issue"), N_("deprioritised"))
CAUSE_PRESETS = (
    N_("promotion ended"),
    N_("traffic source dropped"),
    N_("price change"),
    N_("out of stock"),
    N_("platform issue"),
    N_("unknown"),
)
NO_FIGURE_PRESETS = (N_("no data for that day"), N_("platform issue"))
FOLLOW_UP_CHOICE = N_("＋ add a follow-up task instead…")


class TextPrompt(ModalScreen[str | None]):
    """A small dialog: pick a preset with ↑/↓ + Enter, or type your own; Esc cancels
    (or, with `keep_on_escape`, keeps what was typed: notes are saved as typed).

    The title and the text to edit are shown with control characters escaped; a text left
    as shown is returned as it was given, so editing a note never rewrites what is kept."""

    BINDINGS = [
        Binding("escape", "cancel", N_("Cancel"), id="prompt.cancel"),
        Binding("down", "presets", N_("Presets"), show=False, id="prompt.presets"),
    ]

    def __init__(
        self,
        title: str,
        *,
        presets: tuple[str, ...] = (),  # marked with N_: translated here
        value: str = "",
        allow_empty: bool = False,
        keep_on_escape: bool = False,
        suggester: Suggester | None = None,  # completes as typed (a file path)
    ) -> None:
        super().__init__()
        self.suggester = suggester
        self.title_text = title
        self.presets = presets
        self.value = value
        self.allow_empty = allow_empty
        self.keep_on_escape = keep_on_escape

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt"):
            yield Label(one_line(self.title_text), id="prompt-title", markup=False)
            yield Input(
                value=one_line(self.value),
                placeholder=_("type and press Enter"),
                id="prompt-input",
                suggester=self.suggester,
            )
            if self.presets:  # Tab or ↓ from the field: pick one with ↑/↓ and Enter
                shown = dict.fromkeys(_(preset) for preset in self.presets)
                yield OptionList(*(Option(p, id=p) for p in shown), id="prompt-presets")

    def on_mount(self) -> None:
        self.query_one("#prompt-input", Input).focus()

    @on(OptionList.OptionSelected, "#prompt-presets")
    def _preset(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(str(event.option.id))

    def _as_typed(self, text: str) -> str:
        """The field's text, stripped; the given value itself if it was left as shown."""
        text = text.strip()
        return self.value.strip() if text == one_line(self.value).strip() else text

    @on(Input.Submitted, "#prompt-input")
    def _typed(self, event: Input.Submitted) -> None:
        text = self._as_typed(event.value)
        if text or self.allow_empty:
            self.dismiss(text)
        else:
            self.notify(_("Type something, or press Esc to cancel"), severity="warning")

    def action_presets(self) -> None:
        presets = self.query("#prompt-presets")
        if presets:
            presets.first().focus()

    def action_cancel(self) -> None:
        if self.keep_on_escape:
            self.dismiss(self._as_typed(self.query_one("#prompt-input", Input).value))
        else:
            self.dismiss(None)


class ConfirmPrompt(ModalScreen[bool]):
    """A yes/no question: y or Enter says yes, n or Esc says no."""

    BINDINGS = [
        Binding("y,enter", "answer(True)", N_("Yes"), id="confirm.yes"),
        Binding("n,escape", "answer(False)", N_("No"), id="confirm.no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt"):
            yield Label(one_line(self.question), id="prompt-title", markup=False)
            yield Label(_("y: yes   n: no"), id="prompt-keys")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
