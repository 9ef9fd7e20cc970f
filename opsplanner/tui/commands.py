"""Command palette entries: jump to a block, open the review, week or history, go to a date.

Entries name blocks by their titles: they are shown as `Content` (plain text), never parsed
as markup the way Textual treats a string prompt."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher

from opsplanner.i18n import _, ngettext
from opsplanner.safe_text import one_line
from opsplanner.tui.app import OpsPlannerApp


class OpsCommands(Provider):
    """Everything the keys do, and the rest, by name."""

    def commands(self) -> list[tuple[str, Callable[[], object], str]]:
        app = self.app
        assert isinstance(app, OpsPlannerApp)
        entries: list[tuple[str, Callable[[], object], str]] = [
            (
                _("Open the end-of-day review"),
                partial(app.open_screen, "review"),
                _("decide every unfinished item, then close the day"),
            ),
            (
                _("Open the week"),
                partial(app.open_screen, "week"),
                _("duties, the day × block grid, the sales ladder, campaigns"),
            ),
            (
                _("Open the history"),
                partial(app.open_screen, "history"),
                _("habits over the last weeks, and what is carried most"),
            ),
            (_("Go to today"), partial(app.go_to, app.now().date()), _("follow the clock again")),
            (_("Go to the previous day"), partial(app.go_by, -1), ""),
            (
                _("Go to the next day"),
                partial(app.go_by, 1),
                _("a day to come shows as a preview"),
            ),
            (_("Go to a date…"), app.ask_date, _("type a date like 2026-11-30")),
            (
                _("Import figures from a file…"),
                app.import_figures,
                _("生意参谋 exports or your own sheet: CSV, XLSX, XLS"),
            ),
        ]
        plan = (app.view or app.service.sketch(app.day)).record.plan
        for block in plan.blocks:
            span = f"{block.start:%H:%M}" if block.start else _("all day")
            count = len(block.tasks)
            entries.append(
                (
                    _("Jump to block: {block}").format(block=one_line(block.title)),
                    partial(app.jump_to, block.id),
                    ngettext("{span} · {count} task", "{span} · {count} tasks", count).format(
                        span=span, count=count
                    ),
                )
            )
        return entries

    async def discover(self) -> Hits:
        for name, action, help_text in self.commands():
            yield DiscoveryHit(Content(name), action, text=name, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, action, help_text in self.commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, highlighted(matcher, name), action, text=name, help=help_text)


def highlighted(matcher: Matcher, name: str) -> Content:
    """`name` as plain text with the letters the query matched styled (Textual's own
    `Matcher.highlight` parses the name as markup)."""
    content = Content(name)
    _score, offsets = matcher.fuzzy_search.match(matcher.query, name)
    for offset in offsets:
        content = content.stylize(matcher.match_style, offset, offset + 1)
    return content
