"""At 80×24, as an operator sees it: the metric panel's checks reachable, labels whole, the
footer's q and ?, every preset of a dialog in reach, the history in one line per task."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from textual import events
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static

from opsplanner.i18n import _
from opsplanner.tui.screens.prompt import FOLLOW_UP_CHOICE, TextPrompt
from opsplanner.tui.screens.today import fit
from opsplanner.tui.widgets.keys import KeyBar
from opsplanner.tui.widgets.metric_panel import MetricPanel
from tests.tui.conftest import has_metric_panel, settle
from tests.tui.test_snapshots import demo_app, loaded

NARROW = (80, 24)
TEMPLATES = pytest.mark.parametrize(
    "template", ["taobao-operator.yaml", "taobao-operator.zh.yaml"], ids=["en", "zh"]
)


def text_of(widget: Widget) -> str:
    """What a widget shows, its lines joined, spaces dropped (wrapping moves them)."""
    lines = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
    return "".join("".join(line.text.split()) for line in lines)


def within(widget: Widget, window: Region) -> bool:
    return widget.region.size.area > 0 and window.contains_region(widget.region)


async def into_last_field(pilot: Pilot[Any]) -> tuple[MetricPanel, Input]:
    """Tab from the store-data task through its fields to the last one."""
    panel = pilot.app.screen.query_one(MetricPanel)
    fields = list(panel.query(".metric-input").results(Input))
    for __ in fields:
        await pilot.press("tab")
    await settle(pilot, lambda: fields[-1].has_focus)
    assert fields[-1].has_focus
    return panel, fields[-1]


@TEMPLATES
async def test_after_the_last_field_the_checks_are_in_view(tmp_path: Path, template: str) -> None:
    async with demo_app(tmp_path, template).run_test(size=NARROW) as pilot:
        await loaded(pilot)
        panel, last = await into_last_field(pilot)
        window = pilot.app.screen.query_one("#detail").scrollable_content_region
        checks = panel.query_one("#checks", Static)
        shown = text_of(checks)
        assert sum(shown.count(mark) for mark in "✓✗?") == 7  # the store-data task's seven
        assert within(last, window) and within(checks, window)
        task_line = pilot.app.screen.query_one("#checklist").region
        assert task_line.height >= 3  # the list still shows the task being filled in


@pytest.mark.parametrize(
    ("block", "task"),
    [("data-diagnosis", "store-data"), ("paid-promotion", "ad-balance")],  # eight; long ones
)
@TEMPLATES
async def test_labels_are_shown_whole(tmp_path: Path, template: str, block: str, task: str) -> None:
    async with demo_app(tmp_path, template).run_test(size=NARROW) as pilot:
        await loaded(pilot)
        pilot.app.screen.jump_to(block)  # type: ignore[attr-defined]
        await pilot.press("enter")  # its first task
        await settle(pilot, has_metric_panel(pilot))
        panel = pilot.app.screen.query_one(MetricPanel)
        assert panel.planned.key == task
        schedule = pilot.app.screen.ops.schedule  # type: ignore[attr-defined]
        labels = list(panel.query(".metric-label"))
        wanted = [schedule.metric(m).label for m in panel.planned.metrics]
        assert [text_of(label) for label in labels] == ["".join(w.split()) for w in wanted]
        assert all(within(label, label.parent.region) for label in labels)  # type: ignore[union-attr]


async def test_the_mouse_wheel_scrolls_the_figures(tmp_path: Path) -> None:
    async with demo_app(tmp_path, "taobao-operator.yaml").run_test(size=NARROW) as pilot:
        await loaded(pilot)
        detail = pilot.app.screen.query_one("#detail")
        field = pilot.app.screen.query_one(".metric-input", Input)
        assert detail.scroll_y == 0 and detail.max_scroll_y > 0
        x, y = field.region.offset
        for __ in range(3):  # over a field: the wheel is the pane's, not the field's
            pilot.app.post_message(
                events.MouseScrollDown(
                    widget=field, x=x, y=y, delta_x=0, delta_y=1, button=0,
                    shift=False, meta=False, ctrl=False, screen_x=x, screen_y=y,
                )
            )  # fmt: skip
        await settle(pilot, lambda: detail.scroll_y > 0)
        assert detail.scroll_y > 0


@pytest.mark.parametrize(
    "keys", [(), ("r",), ("w",), ("h",)], ids=["today", "review", "week", "history"]
)
async def test_the_footer_shows_quit_and_help(tmp_path: Path, keys: tuple[str, ...]) -> None:
    async with demo_app(tmp_path, "taobao-operator.yaml").run_test(size=NARROW) as pilot:
        await loaded(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot, lambda: pilot.app.screen.query(KeyBar).first().region.width > 0)
        bar = pilot.app.screen.query_one(KeyBar)
        shown = str(bar.render())
        assert "q Quit" in " ".join(shown.split()) and "? Help" in " ".join(shown.split())
        assert cell_len(shown) <= NARROW[0]


async def test_a_click_on_a_key_presses_it(tmp_path: Path) -> None:
    async with demo_app(tmp_path, "taobao-operator.yaml").run_test(size=NARROW) as pilot:
        await loaded(pilot)
        bar = pilot.app.screen.query_one(KeyBar)
        shown = str(bar.render())
        await pilot.click(KeyBar, offset=(shown.index("Help"), 0))
        await settle(pilot, lambda: type(pilot.app.screen).__name__ == "HelpScreen")
        assert type(pilot.app.screen).__name__ == "HelpScreen"


@pytest.mark.parametrize("key", ["down", "tab"])
@TEMPLATES
async def test_every_cause_preset_is_in_reach(tmp_path: Path, template: str, key: str) -> None:
    async with demo_app(tmp_path, template).run_test(size=NARROW) as pilot:
        await loaded(pilot)
        field = pilot.app.screen.query_one("#metric-visitors", Input)
        field.focus()
        field.value = "100"  # 98% below the day before: a check fails
        await pilot.press("escape")  # leaving the field stores the figure
        await settle(pilot)
        await pilot.press("space")
        await settle(pilot, lambda: isinstance(pilot.app.screen, TextPrompt))
        prompt = pilot.app.screen
        title = prompt.query_one("#prompt-title", Static)
        opening, question = _("Failed: {checks}. What caused it?").split("{checks}")
        shown = text_of(title)  # in the schedule's language (the zh one speaks Chinese)
        assert shown.startswith("".join(opening.split()))
        assert shown.endswith("".join(question.split()))
        await pilot.press(key)
        await pilot.pause()
        presets = prompt.query_one("#prompt-presets", OptionList)
        assert presets.has_focus
        assert presets.max_scroll_y == 0  # all seven in view, none behind a scroll
        assert within(presets, pilot.app.screen.region)
        last = presets.get_option_at_index(presets.option_count - 1)
        assert last.id == _(FOLLOW_UP_CHOICE)


async def test_the_history_keeps_one_line_per_task(tmp_path: Path) -> None:
    async with demo_app(tmp_path, "taobao-operator.zh.yaml").run_test(size=NARROW) as pilot:
        await loaded(pilot)
        await pilot.press("h")
        await settle(pilot, lambda: pilot.app.screen.__class__.__name__ == "HistoryScreen")
        for part in ("#history-header", "#history-grid"):
            widget = pilot.app.screen.query_one(part, Static)
            lines = str(widget.render()).splitlines()
            assert lines and all(cell_len(line) <= widget.content_size.width for line in lines)
        grid = str(pilot.app.screen.query_one("#history-grid", Static).render())
        assert all(line.rstrip()[-1].isdigit() for line in grid.splitlines())


def test_the_header_fits_in_cells_not_characters() -> None:
    parts = ["Mon 2026-11-23", "09:40", "淘宝运营日程"]  # the title: 6 characters, 12 cells
    assert fit(parts, 35) == "Mon 2026-11-23 · 09:40"
    assert fit(parts, 37) == "Mon 2026-11-23 · 09:40 · 淘宝运营日程"
