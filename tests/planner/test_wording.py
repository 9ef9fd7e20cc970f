"""What opsplanner writes into a day's record itself (its all-day blocks' titles, "not opened")
is shown in the current language; what the template or the operator wrote is shown as written.
Lists read the language's way."""

from __future__ import annotations

from datetime import UTC, date, datetime

from opsplanner import i18n
from opsplanner.planner.day import (
    CAMPAIGNS_BLOCK,
    CARRIED_BLOCK,
    FOLLOW_UP_BLOCK,
    PlannedBlock,
    PlannedTask,
    block_title,
    occurrences,
)
from opsplanner.planner.record import NOT_OPENED, DayRecord, TaskEntry, shown_remark
from opsplanner.planner.wording import and_listed, clauses, listed
from opsplanner.schedule.loader import load_schedule_text

SCHEDULE = load_schedule_text("""
schedule: shop
title: Shop
blocks:
  - id: morning
    title: Campaigns
    start: "09:00"
    end: "10:00"
    tasks:
      - {id: data, title: Record data}
campaigns:
  - id: d11
    title: Double 11
    date: 2026-11-11
    tasks:
      - {id: register, title: Register, when: -3d}
""")
DAY = date(2026, 11, 8)


def test_the_built_in_blocks_are_titled_in_the_current_language() -> None:
    (campaigns,) = [b for b in occurrences(SCHEDULE, DAY).blocks if b.id == CAMPAIGNS_BLOCK]
    i18n.use(i18n.CHINESE)
    assert campaigns.shown_title == "Double 11"  # titled by its campaign, as written
    stored = PlannedBlock(CAMPAIGNS_BLOCK, "Campaigns", None, None, ())  # an older day's
    assert stored.shown_title == "大促活动"
    assert block_title(CARRIED_BLOCK, "Carried over") == "顺延事项"
    assert block_title(FOLLOW_UP_BLOCK, "Follow-ups") == "跟进事项"
    # a template's block is shown as written, even with the same words
    assert block_title("morning", "Campaigns") == "Campaigns"
    assert block_title(CARRIED_BLOCK, "Brought forward") == "Brought forward"


def test_a_records_carried_block_is_shown_in_the_current_language() -> None:
    carried = PlannedTask(key="data", title="Record data", block_id=CARRIED_BLOCK)
    record = DayRecord(
        day=DAY,
        operator="ana",
        schedule_id="shop",
        plan=occurrences(SCHEDULE, DAY),
        entries=(TaskEntry(task=carried, status="carried", reason=NOT_OPENED),),
        opened_at=datetime(2026, 11, 8, 1, tzinfo=UTC),
    )
    i18n.use(i18n.CHINESE)
    block, entries = record.blocks()[0]
    assert isinstance(block, PlannedBlock) and block.shown_title == "顺延事项"
    assert shown_remark(entries[0].reason) == "未打开"
    assert shown_remark("no time") == "no time"  # typed by the operator
    assert shown_remark(None) is None


def test_lists_read_the_languages_way() -> None:
    assert (listed(["a", "b", "c"]), and_listed(["a", "b", "c"])) == ("a, b, c", "a, b and c")
    assert (and_listed(["a"]), clauses(["a", "b"]), listed([])) == ("a", "a; b", "")
    i18n.use(i18n.CHINESE)
    assert (listed(["甲", "乙", "丙"]), and_listed(["甲", "乙", "丙"])) == (
        "甲、乙、丙",
        "甲、乙和丙",
    )
    assert clauses(["没时间", "已顺延"]) == "没时间；已顺延"
