"""The help lists the bindings of the screen it was opened from, whatever they are."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any, ClassVar

from rich.console import Console
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Static

from opsplanner.tui.screens.help import HelpScreen, KeyHelp, key_help
from opsplanner.tui.screens.week import WeekScreen
from tests.tui.conftest import settle
from tests.tui.test_snapshots import demo_app, loaded


def shown(help_screen: HelpScreen) -> str:
    """The help as the operator reads it (plain text, as wide as the modal)."""
    out = io.StringIO()
    Console(file=out, width=72, color_system=None, legacy_windows=False).print(
        help_screen.document()
    )
    return out.getvalue()


def listed(entries: list[KeyHelp]) -> dict[str, tuple[str, ...]]:
    return {entry.description: entry.keys for entry in entries}


async def open_help(pilot: Pilot[Any]) -> HelpScreen:
    await pilot.press("question_mark")
    await settle(pilot, lambda: isinstance(pilot.app.screen, HelpScreen))
    assert isinstance(pilot.app.screen, HelpScreen)
    return pilot.app.screen


async def test_help_from_today_lists_week_and_history(tmp_path: Path) -> None:
    app = demo_app(tmp_path, "taobao-operator.yaml")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        help_screen = await open_help(pilot)
        on_screen, everywhere = key_help(help_screen.origin)
        assert listed(on_screen)["Week view"] == ("w",)
        assert listed(on_screen)["History"] == ("h",)
        assert listed(everywhere)["Help"] == ("?",)
        text = shown(help_screen)
        assert "Keys on the Today screen" in text
        assert any(line.split()[:3] == ["w", "Week", "view"] for line in text.splitlines())
        assert any(line.split()[:2] == ["h", "History"] for line in text.splitlines())
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


async def test_help_from_week_lists_every_binding_of_the_week(tmp_path: Path) -> None:
    app = demo_app(tmp_path, "taobao-operator.yaml")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("w")
        await settle(pilot, lambda: isinstance(app.screen, WeekScreen))
        help_screen = await open_help(pilot)
        assert isinstance(help_screen.origin, WeekScreen)
        on_screen, _everywhere = key_help(help_screen.origin)
        text = shown(help_screen)
        assert "Keys on the Week view screen" in text
        by_description = {entry.description: entry for entry in on_screen}
        for binding in Binding.make_bindings(WeekScreen.BINDINGS):
            # left/right are listed although the focused scroll area has them first: it
            # passes them on when it has nothing to scroll
            entry = by_description[binding.description]
            assert app.get_key_display(binding) in entry.keys
            assert binding.tooltip and entry.tooltip == binding.tooltip
            assert binding.tooltip in " ".join(text.split())
        assert [e.description for e in on_screen] == ["Back", "Previous week", "Next week"]


class TinyScreen(Screen[None]):
    """A screen of the test's own: tuple and comma bindings, markup-like text, a scroll area
    that takes `left` first."""

    BINDINGS: ClassVar[list[BindingType]] = [
        ("a", "bell", "Apples [b]not bold[/b]"),
        Binding("left,j", "bell", "Back a page", tooltip="Go back one page.", id="tiny.back"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static("page")


class TinyApp(App[None]):
    """An app of the test's own, with a binding that is not the help's."""

    BINDINGS = [Binding("x", "bell", "Ring", tooltip="Ring the bell.", id="tiny.ring")]

    def on_mount(self) -> None:
        self.push_screen(TinyScreen())

    def action_help(self) -> None:
        self.push_screen(HelpScreen())


async def test_help_works_for_any_screen() -> None:
    app = TinyApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TinyScreen)
        assert isinstance(app.screen.focused, VerticalScroll)
        app.action_help()
        await settle(pilot, lambda: isinstance(app.screen, HelpScreen))
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        assert isinstance(help_screen.origin, TinyScreen)
        on_screen, everywhere = key_help(help_screen.origin)
        assert on_screen == [
            KeyHelp(("a",), "Apples [b]not bold[/b]"),
            KeyHelp(("←", "j"), "Back a page", "Go back one page."),
        ]
        assert everywhere == [KeyHelp(("x",), "Ring", "Ring the bell.")]  # not ^c, not tab
        text = shown(help_screen)
        assert "Keys on the Tiny screen" in text
        assert "Apples [b]not bold[/b]" in text  # text, never markup
        assert "Ring  Ring the bell." in text
