"""The footer of every screen: its keys, then the app's (q, ?), then the command palette."""

from __future__ import annotations

from textual import events
from textual.widgets import Footer

WIDE = 100
"""Columns from which the keys get their full spacing; below, they are packed so that
q Quit and ? Help stay in view next to a screen's own keys."""


class KeysFooter(Footer):
    """Textual's footer, compact on a narrow terminal."""

    def on_resize(self, event: events.Resize) -> None:
        self.compact = event.size.width < WIDE
