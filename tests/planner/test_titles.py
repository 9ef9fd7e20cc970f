"""A stored day in the current schedule's words (#12 item 6): the titles follow the schedule's
language, the plan (ids, times, checks, states) stays as it was stored."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from opsplanner.planner.day import CAMPAIGNS_BLOCK, FOLLOW_UP_BLOCK, DayPlan, occurrences
from opsplanner.planner.record import TaskEntry
from opsplanner.planner.titles import Words
from opsplanner.planner.view import preview_record
from opsplanner.schedule.loader import load_schedule
from opsplanner.schedule.models import Schedule
from opsplanner.schedule.paths import bundled_dir

NOW = datetime(2026, 11, 23, 2, tzinfo=UTC)


@pytest.fixture(scope="module")
def bundled() -> dict[str, Schedule]:
    return {
        "en": load_schedule(bundled_dir() / "taobao-operator.yaml"),
        "zh": load_schedule(bundled_dir() / "taobao-operator.zh.yaml"),
    }


YEAR = [date(2026, 10, 1) + timedelta(days=n) for n in range(366)]
"""A year of days, with every campaign season in it."""


@pytest.mark.parametrize(("stored", "current"), [("en", "zh"), ("zh", "en")])
def test_a_day_planned_in_one_language_reads_as_planned_in_the_other(
    bundled: dict[str, Schedule], stored: str, current: str
) -> None:
    """Every day of a year: the stored plan relabelled is the plan the current schedule makes,
    save the schedule it was opened with; the all-day campaign block is among them."""
    words = Words(bundled[current])
    campaign_days = 0
    for day in YEAR:
        plan = occurrences(bundled[stored], day)
        expected = replace(occurrences(bundled[current], day), schedule_id=plan.schedule_id)
        assert words.plan(plan) == expected, day
        campaign_days += any(b.id == CAMPAIGNS_BLOCK for b in plan.blocks)
    assert campaign_days > 0


def test_the_record_keeps_its_tasks_and_states(bundled: dict[str, Schedule]) -> None:
    plan = occurrences(bundled["en"], date(2026, 11, 23))
    record = preview_record(plan, "ana", NOW)
    first, *rest = record.entries
    record = replace(record, entries=(replace(first, status="skipped", reason="no time"), *rest))
    shown = Words(bundled["zh"]).record(record)
    assert [e.key for e in shown.entries] == [e.key for e in record.entries]
    assert [e.state for e in shown.entries] == [e.state for e in record.entries]
    assert [e.task.checks for e in shown.entries] == [e.task.checks for e in record.entries]
    zh_titles = {t.id: t.title for t in bundled["zh"].tasks()}
    assert [e.task.title for e in shown.entries] == [zh_titles[e.key] for e in record.entries]
    assert shown.entries[0].reason == "no time"  # typed text is never translated


def test_what_the_schedule_no_longer_has_keeps_its_stored_title(
    bundled: dict[str, Schedule],
) -> None:
    plan = occurrences(bundled["en"], date(2026, 11, 23))
    block = plan.blocks[-1]
    gone = replace(block.tasks[0], key="retired-task", title="A task since removed")
    follow_up = replace(
        block.tasks[0], key="store-data", block_id=FOLLOW_UP_BLOCK, title="Call the supplier"
    )
    lost_block = replace(block, id="retired-block", title="A block since removed", tasks=(gone,))
    stored = DayPlan(plan.day, plan.schedule_id, plan.workday, (lost_block,))
    shown = Words(bundled["zh"]).plan(stored)
    assert shown.blocks[0].title == "A block since removed"
    assert shown.blocks[0].tasks[0].title == "A task since removed"
    words = Words(bundled["zh"])
    kept = TaskEntry(task=follow_up)
    assert words.entry(kept) is kept  # the operator's follow-up, whatever its key


def test_a_campaign_gone_keeps_its_piece_of_the_block_title(
    bundled: dict[str, Schedule],
) -> None:
    en, zh = bundled["en"], bundled["zh"]
    day = next(d for d in YEAR if any(b.id == CAMPAIGNS_BLOCK for b in occurrences(en, d).blocks))
    plan = occurrences(en, day)
    block = next(b for b in plan.blocks if b.id == CAMPAIGNS_BLOCK)
    stranger = replace(block.tasks[0], key="old-fair/prep", campaign_id="old-fair")
    two = replace(block, title=f"{block.title} · Old fair", tasks=(*block.tasks, stranger))
    shown = Words(zh).block(two)
    zh_block = next(b for b in occurrences(zh, day).blocks if b.id == CAMPAIGNS_BLOCK)
    assert shown.title == f"{zh_block.title} · Old fair"
    assert shown.tasks[-1].title == stranger.title
