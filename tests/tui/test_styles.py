"""Status colours come from app.tcss: Python picks a component class, never a colour."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from rich.text import Text

import opsplanner
from opsplanner.tui.widgets.checklist import Checklist
from opsplanner.tui.widgets.timeline import Timeline
from tests.tui.conftest import settle
from tests.tui.test_snapshots import demo_app, loaded

PACKAGE = Path(opsplanner.__file__).parent
STYLED = [
    "tui/widgets/checklist.py",
    "tui/widgets/timeline.py",
    "tui/screens/week.py",
    "tui/screens/history.py",
    "tui/screens/help.py",
]


@pytest.mark.parametrize("module", STYLED)
def test_no_style_literals_in_python(module: str) -> None:
    source = (PACKAGE / module).read_text(encoding="utf-8")
    assert not re.findall(r"style=f?['\"]", source), "styles belong in app.tcss"
    assert not re.findall(r"\[/?(?:b|i|dim|bold|red|green|yellow|cyan)\]|\[/\]", source), (
        "no markup: text is built as rich.text.Text"
    )


def test_every_status_variable_is_declared_once() -> None:
    tcss = (PACKAGE / "tui/styles/app.tcss").read_text(encoding="utf-8")
    declared = re.findall(r"^\$(status-[a-z-]+):", tcss, flags=re.MULTILINE)
    assert len(declared) == len(set(declared))
    for name in ("done", "skipped", "carried", "missed", "overdue", "now", "chronic"):
        assert f"status-{name}" in declared


def line_styles(text: Text) -> list[str]:
    return [str(text.style), *(str(span.style) for span in text.spans)]


async def test_a_theme_switch_restyles_built_lines(tmp_path: Path) -> None:
    app = demo_app(tmp_path, "taobao-operator.yaml")
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        app.go_to(date(2026, 11, 20))  # a past day: done and skipped tasks
        await settle(pilot)
        checklist = app.screen.query_one(Checklist)
        timeline = app.screen.query_one(Timeline)
        done = checklist.get_component_rich_style("checklist--done", partial=True)
        assert done.color is not None  # $status-done reaches the widget
        first = checklist.get_option_at_index(0).prompt
        assert isinstance(first, Text) and first.style == done
        before = [line_styles(o.prompt) for o in timeline.options if isinstance(o.prompt, Text)]

        app.theme = "textual-light"
        await settle(pilot)
        light = checklist.get_component_rich_style("checklist--done", partial=True)
        assert light.color is not None and light.color != done.color
        first = checklist.get_option_at_index(0).prompt
        assert isinstance(first, Text) and first.style == light
        after = [line_styles(o.prompt) for o in timeline.options if isinstance(o.prompt, Text)]
        assert after != before
