"""Days opened under the English schedule, shown by the TUI under the Chinese one (#12 item 6):
the titles are the Chinese schedule's, the tasks and their states are what was recorded; and
the history grid lines its marks up by terminal cells at 80 columns."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import OptionList

from opsplanner.clock import FixedClock
from opsplanner.schedule.loader import load_schedule, load_schedule_text
from opsplanner.schedule.paths import bundled_dir
from opsplanner.service import OpsService
from opsplanner.settings import choose_language
from opsplanner.store.engine import make_engine
from opsplanner.store.generate import generate_history
from opsplanner.tui.app import OpsPlannerApp, make_app
from opsplanner.tui.screens.history import HistoryScreen
from opsplanner.tui.screens.review import ReviewScreen
from opsplanner.tui.widgets.checklist import MARKS
from opsplanner.tui.widgets.timeline import Timeline
from tests.tui.conftest import has_metric_panel, screen_lines, settle
from tests.tui.test_chinese import english
from tests.tui.test_snapshots import NOW

MONDAY = date(2026, 11, 23)
COUNT = re.compile(r"  \d+/\d+$")
"""The end of a history grid row: done/occurrences."""


def switched_app(tmp_path: Path) -> OpsPlannerApp:
    """Two weeks generated and today worked on under the English schedule, then the app
    opened on the Chinese one, as `opsplanner --schedule taobao-operator.zh` would."""
    english_schedule = load_schedule(bundled_dir() / "taobao-operator.yaml")
    db = str(tmp_path / "ops.sqlite3")
    end = MONDAY - timedelta(days=1)
    generate_history(make_engine(db), english_schedule, days=14, end=end, operator="ana", seed=5)
    seed = OpsService.for_database(english_schedule, FixedClock(NOW), db=db, operator="ana")
    seed.decide(MONDAY, "competitor-data", "skipped", "no time")
    seed.tick(MONDAY, "list-day-work")
    seed.release()
    schedule = load_schedule(bundled_dir() / "taobao-operator.zh.yaml")
    choose_language(None, schedule.language)
    service = OpsService.for_database(schedule, FixedClock(NOW), db=db, operator="ana")
    return make_app(service=service)


async def opened(pilot: Pilot[Any]) -> None:
    await settle(pilot, has_metric_panel(pilot))
    pilot.app.clear_notifications()
    await pilot.pause()


def grid_rows(lines: list[str]) -> list[tuple[str, str]]:
    """The history grid's rows as (title column, marks): the marks are the run of status
    marks before done/occurrences."""
    rows = []
    for line in lines:
        line = line.rstrip(" ▁▂▃▄▅▆▇█▎▊┃│")  # the scrollbar, if any
        found = COUNT.search(line)
        if found is None:
            continue
        before = line[: found.start()]
        marks = re.search(f"[{re.escape(''.join(MARKS.values()))}·]+$", before)
        assert marks is not None, line
        rows.append((before[: marks.start()], marks.group()))
    return rows


async def test_the_day_and_its_review_read_in_chinese(tmp_path: Path) -> None:
    app = switched_app(tmp_path)
    zh = {task.id: task.title for task in app.schedule.tasks()}
    english_schedule = load_schedule(bundled_dir() / "taobao-operator.yaml")
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        lines = screen_lines(app)
        shown = "\n".join(lines)
        assert "数据诊断" in shown and "Data diagnosis" not in shown
        assert english(lines, app.schedule, {"time"}) == set(), shown  # "no time": typed
        view = OpsService(  # the app's own service reads in its store thread
            app.schedule, FixedClock(NOW), operator="ana", open_store=app.service.store
        ).view(MONDAY)
        states = {e.key: e.status for e in view.record.entries}
        assert states["competitor-data"] == "skipped" and states["list-day-work"] == "done"
        assert view.record.entry("competitor-data").reason == "no time"  # as typed
        routine = [e for e in view.record.entries if e.key in zh]
        assert routine and all(e.task.title == zh[e.key] for e in routine)
        assert not {t.title for t in english_schedule.tasks()} & {
            e.task.title for e in view.record.entries
        }
        await pilot.press("r")
        await settle(pilot, lambda: isinstance(app.screen, ReviewScreen))
        await settle(
            pilot, lambda: app.screen.query_one("#review-items", OptionList).option_count > 0
        )
        lines = screen_lines(app)
        assert zh["platform-notices"] in "\n".join(lines)
        assert english(lines, app.schedule, {"carried"}) == set(), "\n".join(lines)  # a block id


async def test_the_history_grid_is_chinese_and_aligned_at_80_columns(tmp_path: Path) -> None:
    app = switched_app(tmp_path)
    zh = [task.title for task in app.schedule.tasks()]
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot)
        await pilot.press("h")
        await settle(pilot, lambda: isinstance(app.screen, HistoryScreen))
        rows = grid_rows(screen_lines(app))
        assert len(rows) > 5
        # every row: the title column in the same cells, then as many marks, then the count
        assert len({cell_len(title) for title, _marks in rows}) == 1
        assert len({len(marks) for _title, marks in rows}) == 1
        for title, _marks in rows:
            shown = title.strip()
            full = next((t for t in zh if t.startswith(shown.removesuffix("…"))), None)
            assert full is not None, f"{shown!r} is not a Chinese title"
            assert shown == full or (shown.endswith("…") and cell_len(shown) >= cell_len(title) - 3)
        assert any(title.strip().endswith("…") for title, _marks in rows)


TEN_AND_THREE = (
    """\
schedule: ten-and-three
title: 十项与三项
language: zh_CN
timezone: Asia/Shanghai
blocks:
  - id: morning
    title: 上午的十件事
    start: "08:00"
    end: "12:00"
    tasks:
"""
    + "".join(f"      - {{id: t{n}, title: 第{n}件事}}\n" for n in range(10))
    + """\
  - id: afternoon
    title: 下午的三件事
    start: "13:00"
    end: "18:00"
    tasks:
      - {id: a1, title: 一}
      - {id: a2, title: 二}
      - {id: a3, title: 三}
"""
)


async def test_the_timeline_lines_titles_up_past_ten_tasks(tmp_path: Path) -> None:
    """A block of ten tasks and one of three: 0/10 and 0/3 take the same cells, so both
    Chinese titles start in the same column at 80×24."""
    schedule = load_schedule_text(TEN_AND_THREE, "ten-and-three.yaml")
    choose_language(None, schedule.language)
    service = OpsService.for_database(
        schedule, FixedClock(NOW), db=str(tmp_path / "ops.sqlite3"), operator="ana"
    )
    app = make_app(service=service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        timeline = app.screen.query_one(Timeline)
        prompts = [timeline.get_option_at_index(n).prompt for n in range(timeline.option_count)]
        plain = [p.plain if isinstance(p, Text) else str(p) for p in prompts]
        assert plain == ["▶ 08:00  0/10 上午的十件事", "  13:00   0/3 下午的三件事"]
