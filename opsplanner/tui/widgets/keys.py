"""The key bar at the bottom of every screen: its keys, then the app's (q, ?), then the
command palette, on one line that is redrawn, never rebuilt.

Textual's `Footer` mounts one widget per key and mounts them all again whenever the
bindings change (the focus moves, a screen opens): at start-up that was a fifth of the
first frame. This bar is one widget that renders the same keys as one line of text. Descriptions are
translated as the line is drawn (bindings mark them with `N_`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.screen import Screen

from opsplanner.i18n import N_, _
from opsplanner.tui.widgets.styled import ComponentStyled

WIDE = 100
"""Columns from which keys are spaced by three cells; below, two."""

KEEP_PALETTE, KEEP_SCREEN, KEEP_APP = 0, 1, 2
"""Which keys stay longest on a short line: the app's (quit, help), then the screen's; the
palette's goes first (ctrl+p is the same everywhere)."""

PALETTE = N_("palette")
"""What the bar calls the command palette's key (Textual's own binding says it in English)."""


@dataclass(frozen=True, slots=True)
class Key:
    """One key as the bar shows it."""

    key: str  # what `simulate_key` presses when the key is clicked
    display: str  # "space", "?", "^p"
    description: str
    enabled: bool
    keep: int  # when the line is short, lower goes first: the screen's keys, the palette, q/?


class KeyBar(ComponentStyled):
    """The keys the focused widget, its screen and the app answer to (those shown)."""

    COMPONENT_PREFIX = "keybar"
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "keybar--key",
        "keybar--description",
        "keybar--disabled",
    }
    """
    | Class | Description |
    | :- | :- |
    | `keybar--key` | The key itself ("space", "q"). |
    | `keybar--description` | What it does ("Done", "Quit"). |
    | `keybar--disabled` | A key that does nothing here and now. |
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def _bindings_changed(self, _screen: Screen[object]) -> None:
        self.refresh()

    def restyle(self) -> None:
        self.refresh()

    def keys(self) -> list[Key]:
        """The keys shown, one per action, in Textual's order (focus, screen, app), the
        command palette last."""
        app = self.app
        palette_key = app.COMMAND_PALETTE_BINDING if app.ENABLE_COMMAND_PALETTE else None
        seen: set[str] = set()
        keys: list[Key] = []
        palette: Key | None = None
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if key == palette_key:
                palette = Key(
                    key,
                    app.get_key_display(binding),
                    _(PALETTE),
                    active.enabled,
                    KEEP_PALETTE,
                )
                continue
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            keys.append(
                Key(
                    key,
                    app.get_key_display(binding),
                    _(binding.description),
                    active.enabled,
                    KEEP_APP if active.node is app else KEEP_SCREEN,
                )
            )
        return [*keys, palette] if palette is not None else keys

    def render(self) -> Text:
        return self.line(self.keys(), self.size.width)

    def line(self, keys: list[Key], width: int) -> Text:
        """The keys that fit in `width` cells: on a short line the palette's goes first,
        then the screen's from the last; the app's own (quit, help) stay."""
        gap = 3 if width >= WIDE else 2
        kept = list(keys)
        while kept and self._width(kept, gap) > width:
            del kept[max(range(len(kept)), key=lambda n: (-kept[n].keep, n))]
        text = Text(no_wrap=True, overflow="crop", end="")
        for number, key in enumerate(kept):
            if number:
                text.append(" " * gap)
            clicked = Style(meta={"key": key.key})
            muted = self.part("disabled") if not key.enabled else Style.null()
            text.append(key.display, style=self.part("key") + muted + clicked)
            text.append(f" {key.description}", style=self.part("description") + muted + clicked)
        return text

    @staticmethod
    def _width(keys: list[Key], gap: int) -> int:
        cells = sum(Text(f"{k.display} {k.description}").cell_len for k in keys)
        return cells + gap * (len(keys) - 1)

    def on_click(self, event: events.Click) -> None:
        key = event.style.meta.get("key")
        if key is not None:
            event.stop()
            self.app.simulate_key(key)
