"""Styles read from component classes, so status colours are chosen in app.tcss alone."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

PartStyle = Callable[[str], Style]
"""The style of a named part (`"done"`, `"reason"`…): how text builders ask for styles."""


class ComponentStyled(Widget):
    """A widget or screen that builds Rich text from the styles of its COMPONENT_CLASSES
    (`<prefix>--<part>`), and rebuilds it when the stylesheet changes them (a theme switch):
    text already built keeps the colours it was built with. List it after the Textual base
    (`class Checklist(OptionList, ComponentStyled)`): Textual takes CSS, component classes
    and bindings along the first bases only."""

    COMPONENT_PREFIX: ClassVar[str] = ""
    """The part of the component class names before `--` (e.g. "checklist")."""

    _parts_used: dict[str, Style] | None = None

    def part(self, name: str) -> Style:
        """The style of one part, e.g. `part("done")` is `.checklist--done` in app.tcss; only
        what that rule sets (partial), so highlights and backgrounds show through."""
        style = self.get_component_rich_style(f"{self.COMPONENT_PREFIX}--{name}", partial=True)
        if self._parts_used is None:
            self._parts_used = {}
        self._parts_used[name] = style
        return style

    def restyle(self) -> None:
        """Draw again with the current styles (each subclass redraws what it shows)."""

    def notify_style_update(self) -> None:
        super().notify_style_update()
        # component styles are applied after this hook runs: compare them once they are
        self.call_after_refresh(self._restyle_if_changed)

    def _restyle_if_changed(self) -> None:
        used = self._parts_used
        if not used or not self.is_mounted or not self.is_attached:  # removed meanwhile
            return
        prefix = self.COMPONENT_PREFIX
        current = {
            name: self.get_component_rich_style(f"{prefix}--{name}", partial=True) for name in used
        }
        if current != used:
            self._parts_used = None
            self.restyle()


def same_text(shown: object, new: object) -> bool:
    """Whether what a widget shows is already `new`: Rich compares texts by characters and
    spans only, so a line's own style (a theme switch changes nothing else) counts too."""
    if type(shown) is not type(new) or shown != new:
        return False
    return not isinstance(new, Text) or getattr(shown, "style", None) == new.style
