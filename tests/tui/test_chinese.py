"""With the Chinese schedule, started as the CLI starts it, the TUI speaks Chinese: every
screen, prompt, key and notification, and no English word of ours is left on screen."""

from __future__ import annotations

import re
from collections.abc import Iterable, Set
from datetime import date
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from opsplanner.clock import FixedClock
from opsplanner.i18n import CHINESE, language
from opsplanner.planner.day import CARRIED_BLOCK
from opsplanner.schedule.loader import load_schedule
from opsplanner.schedule.models import Schedule
from opsplanner.schedule.paths import bundled_dir
from opsplanner.service import OpsService
from opsplanner.settings import choose_language
from opsplanner.tui.app import OpsPlannerApp, make_app
from opsplanner.tui.commands import OpsCommands
from opsplanner.tui.screens.help import HelpScreen
from opsplanner.tui.screens.history import HistoryScreen
from opsplanner.tui.screens.prompt import ConfirmPrompt, TextPrompt
from opsplanner.tui.screens.review import ReviewScreen
from opsplanner.tui.screens.today import TodayScreen
from opsplanner.tui.screens.week import WeekScreen
from tests.tui.conftest import has_metric_panel, screen_lines, settle
from tests.tui.test_snapshots import NOW

SATURDAY, SUNDAY, MONDAY = date(2026, 11, 21), date(2026, 11, 22), date(2026, 11, 23)
SIZE = (120, 40)
WORD = re.compile(r"[A-Za-z]{3,}")
KEY_NAMES = {"space", "esc", "tab", "shift", "ctrl", "enter"}
FILE_FORMATS = frozenset({"CSV", "XLSX", "XLS"})  # spelled as they are, in any language


def schedule_words(schedule: Schedule) -> set[str]:
    """Words the template writes itself (ids, and titles or labels that are English there):
    they are shown as the template has them."""
    texts: list[str] = [schedule.id, schedule.title]
    for metric in schedule.metrics:
        texts += [metric.id, metric.label]
    for block in schedule.blocks:
        texts += [block.id, block.title]
        for task in block.tasks:
            texts += [task.id, task.title, task.detail]
    for campaign in schedule.campaigns:
        texts += [campaign.id, campaign.title]
        for step in campaign.tasks:
            texts += [step.id, step.title, step.detail]
    return {word for text in texts for word in WORD.findall(text)}


def english(lines: Iterable[str], schedule: Schedule, besides: Set[str] = frozenset()) -> set[str]:
    """English words on screen that are neither key names, the template's own, nor
    `besides`, nor a part of one of those (a modal cuts what it covers)."""
    words = {word for line in lines for word in WORD.findall(line)}
    theirs = KEY_NAMES | schedule_words(schedule) | besides
    return {word for word in words if not any(word in other for other in theirs)}


def sunday_field(app: OpsPlannerApp, metric: str) -> Input:
    """Monday asks for Saturday's figures and Sunday's: the field of Sunday's panel."""
    from opsplanner.tui.widgets.metric_panel import MetricPanel

    (panel,) = [p for p in app.screen.query(MetricPanel) if p.on_date == SUNDAY]
    return panel.query_one(f"#metric-{metric}", Input)


def chinese_app(tmp_path: Path) -> OpsPlannerApp:
    """The zh schedule as `opsplanner --schedule taobao-operator.zh` opens it, on a Monday
    after a Saturday that left a carried duty, a skipped step, notes for Monday and figures,
    all written in Chinese as the operator would."""
    schedule = load_schedule(bundled_dir() / "taobao-operator.zh.yaml")
    choose_language(None, schedule.language)  # what the CLI does once the schedule is read
    db = str(tmp_path / "zh.sqlite3")
    clock = FixedClock(NOW)
    seed = OpsService.for_database(schedule, clock, db=db, operator="ana")
    seed.decide(SATURDAY, "live-prep", "carried", "主播请假")
    seed.decide(SATURDAY, "product-review", "skipped", "没时间")
    seed.set_tomorrow(SATURDAY, "联系供应商补货")
    seed.note(MONDAY, "store-data", "访客下降，已问客服")
    seed.set_metric("visitors", "5000", on=SATURDAY)  # Saturday's figures are all in
    seed.set_metric("sales", "5500", on=SATURDAY)
    seed.set_metric("buyers", "55", on=SATURDAY)
    seed.set_metric("sales", "6000", on=SUNDAY)  # Sunday's visitors: the check that fails
    seed.set_metric("buyers", "60", on=SUNDAY)
    seed.release()
    return make_app(service=OpsService.for_database(schedule, clock, db=db, operator="ana"))


async def opened(pilot: Pilot[Any]) -> None:
    await settle(pilot, has_metric_panel(pilot))
    pilot.app.clear_notifications()
    await pilot.pause()


def assert_chinese(pilot: Pilot[Any], *expected: str) -> list[str]:
    """The screen shows each expected text and no English word of ours."""
    app = pilot.app
    assert isinstance(app, OpsPlannerApp)
    lines = screen_lines(app)
    text = "\n".join(lines)
    for wanted in expected:
        assert wanted in text, f"{wanted!r} not on screen:\n{text}"
    assert english(lines, app.schedule) == set(), text
    return lines


async def press_until(pilot: Pilot[Any], keys: tuple[str, ...], shown: type) -> None:
    await pilot.press(*keys)
    await settle(pilot, lambda: isinstance(pilot.app.screen, shown))
    assert isinstance(pilot.app.screen, shown)


async def test_the_day_and_its_details_are_chinese(tmp_path: Path) -> None:
    app = chinese_app(tmp_path)
    assert language() == CHINESE
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await opened(pilot)
        assert_chinese(
            pilot,
            "周一 2026-11-23 · 09:40 · 已完成 0/",
            "数据诊断：还剩 50 分钟",
            "周六 11-21 记下的明日事项：联系供应商补货",
            "全天",
            "备注：访客下降，已问客服",
            "周日 11-22 的数据",
            "space 完成",
            "n 备注",
            "s 跳过",
            "c 顺延",
            "r 复盘",
            "q 退出",
            "? 帮助",
        )
        app.jump_to(CARRIED_BLOCK)
        await pilot.press("enter")
        await settle(pilot)
        assert_chinese(pilot, "⟲1 自 11-21", "自 周六 11-21 起已顺延 1 次")
        app.go_to(SATURDAY)
        await settle(pilot)
        app.jump_to("content-marketing")
        await pilot.press("enter", "home", "down")  # live-prep, between publishing and replies
        await settle(pilot)
        assert_chinese(pilot, "周六 2026-11-21", "（主播请假）", "原因：主播请假")
        app.go_to(date(2026, 11, 24))
        await settle(pilot)
        assert_chinese(pilot, "周二 2026-11-24", "预览：尚未开始，不会保存")


async def test_review_week_and_history_are_chinese(tmp_path: Path) -> None:
    app = chinese_app(tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await opened(pilot)
        await press_until(pilot, ("r",), ReviewScreen)
        await settle(
            pilot, lambda: app.screen.query_one("#review-items", OptionList).option_count > 0
        )
        assert_chinese(
            pilot,
            "周一 2026-11-23 复盘 · 已完成 0/",
            "项未处理",
            "明日事项：（按 t 填写）",
            "x 结束当天",
            "esc 返回",
        )
        await pilot.press("x")  # items are undecided: refused, in Chinese
        await pilot.pause()
        assert_chinese(pilot, "请先逐项完成、跳过或顺延")
        app.clear_notifications()
        await pilot.press("escape", "w")
        await settle(pilot, lambda: isinstance(app.screen, WeekScreen))
        assert_chinese(
            pilot,
            "2026 年第 48 周",
            "时段",
            "周一 23",
            "周日 29",
            "销售目标阶梯",
            "第 4 周（11-23）：目标 ¥9,317.00，实际 —",
            "本周周期任务",
            "大促活动",
            "← 上一周",
        )
        await pilot.press("left")
        await settle(pilot)
        assert_chinese(pilot, "2026 年第 47 周", "– 周六", "（没时间）")
        await pilot.press("escape", "h")
        await settle(pilot, lambda: isinstance(app.screen, HistoryScreen))
        assert_chinese(pilot, "esc 返回")
        app.screen.query_one("#history-body").scroll_end(animate=False)
        await settle(pilot)
        assert_chinese(
            pilot,
            "以来的执行情况 · ✓ 完成 – 跳过 → 顺延 ✗ 错过 · 无需执行",
            "顺延最多",
            "主播请假 ×1",
        )


async def test_the_help_of_every_screen_is_chinese(tmp_path: Path) -> None:
    app = chinese_app(tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await opened(pilot)
        for keys, name in [((), "今日"), (("r",), "复盘"), (("w",), "周视图"), (("h",), "历史")]:
            if keys:
                await pilot.press(*keys)
                await settle(pilot, lambda: not isinstance(app.screen, TodayScreen))
            await press_until(pilot, ("question_mark",), HelpScreen)
            assert_chinese(
                pilot, f"{name}页的按键", "全局按键", "标记说明", "退出（输入的内容都会保存）"
            )
            await pilot.press("escape")
            await settle(pilot, lambda: not isinstance(app.screen, HelpScreen))
            if keys:
                await pilot.press("escape")
                await settle(pilot, lambda: isinstance(app.screen, TodayScreen))


async def test_every_prompt_is_chinese(tmp_path: Path) -> None:
    app = chinese_app(tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await opened(pilot)
        asked = [
            (("s",), "为什么跳过“", ("没时间", "等待他人", "平台问题", "优先级调低")),
            (("c",), "为什么顺延“", ("没时间",)),
            (("n",), "的备注（留空即清除）", ()),
        ]
        for keys, question, presets in asked:
            await press_until(pilot, keys, TextPrompt)
            assert_chinese(pilot, question, *presets)
            await pilot.press("escape")
            await settle(pilot, lambda: isinstance(app.screen, TodayScreen))
        app.ask_date()
        await settle(pilot, lambda: isinstance(app.screen, TextPrompt))
        assert_chinese(pilot, "跳转到日期（格式如 2026-11-30）")
        await pilot.press("ctrl+u", *"11-30", "enter")
        await settle(pilot, lambda: isinstance(app.screen, TodayScreen))
        assert_chinese(pilot, "'11-30' 不是日期，格式如 2026-11-30")
        app.clear_notifications()

        field = sunday_field(app, "visitors")
        field.focus()
        field.value = "100"  # far below Saturday's: the check fails
        await pilot.press("escape")
        await settle(pilot)
        await press_until(pilot, ("space",), TextPrompt)
        assert_chinese(pilot, "未通过：", "。原因是什么？", "流量来源下滑", "＋ 改为添加跟进任务…")
        await pilot.press("down", *["down"] * 6, "enter")  # the follow-up choice, last
        await settle(pilot, lambda: "跟进任务" in "".join(screen_lines(app)))
        assert_chinese(pilot, "周一 11-23 的跟进任务")
        await pilot.press("escape")
        await settle(pilot, lambda: isinstance(app.screen, TodayScreen))

        field = app.screen.query_one("#metric-visitors", Input)
        field.focus()
        field.value = "很多"  # not a figure: quitting asks first
        await pilot.press("escape", "q")
        await settle(pilot, lambda: isinstance(app.screen, ConfirmPrompt))
        assert_chinese(pilot, "未保存：", "。仍要退出吗？", "y：是   n：否")
        await pilot.press("n")


async def test_notifications_and_the_palette_are_chinese(tmp_path: Path) -> None:
    app = chinese_app(tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await opened(pilot)
        await pilot.press("down", "space")  # traffic-sources: no figures, no checks
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot, lambda: bool(app._notifications))
        assert_chinese(pilot, "已撤销勾选完成：")
        entries = OpsCommands(app.screen).commands()
        palette = [f"{name} {help_text}" for name, _action, help_text in entries]
        assert "打开下班前复盘 逐项处理未完成事项，然后结束当天" in palette
        assert "跳到时段：数据诊断 08:30 · 8 项任务" in palette
        assert english(palette, app.schedule, FILE_FORMATS) == set()
