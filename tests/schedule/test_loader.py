"""The template contract: what loads, and every bad case reported at the right FILE:LINE:COL."""

from __future__ import annotations

import re
import textwrap
from datetime import date, time
from pathlib import Path

import pytest

from opsplanner.cli import main
from opsplanner.schedule import loader
from opsplanner.schedule.errors import ScheduleError
from opsplanner.schedule.loader import load_schedule
from opsplanner.schedule.paths import bundled_dir

VALID = """\
schedule: shop
title: Shop routine
metrics:
  visitors: {label: Visitors, unit: count}
  orders: {label: Orders, unit: count}
  conversion_rate: {label: Conversion, unit: percent, formula: orders / visitors * 100}
blocks:
  - id: morning
    title: Morning
    start: "08:30"
    end: "10:30"
    tasks:
      - id: store-data
        title: Record store data
        metrics: [visitors, orders, conversion_rate]
        checks:
          - conversion_rate < 1.0
  - id: noon
    title: Noon
    start: "11:00"
    end: "12:00"
    tasks:
      - id: ads
        title: Check ads
"""


def write(tmp_path: Path, text: str, name: str = "shop.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems(tmp_path: Path, text: str, name: str = "shop.yaml") -> list[str]:
    path = write(tmp_path, text, name)
    with pytest.raises(ScheduleError) as caught:
        load_schedule(path)
    return [str(p).replace(str(tmp_path) + "/", "") for p in caught.value.problems]


def test_valid_template_loads_into_typed_models(tmp_path: Path) -> None:
    schedule = load_schedule(write(tmp_path, VALID))
    assert schedule.id == "shop"
    assert [b.id for b in schedule.blocks] == ["morning", "noon"]
    morning = schedule.blocks[0]
    assert (morning.start, morning.end) == (time(8, 30), time(10, 30))
    task = morning.tasks[0]
    assert task.metrics == ("visitors", "orders", "conversion_rate")
    assert task.checks[0].metric == "conversion_rate"
    rate = schedule.metric("conversion_rate")
    assert rate is not None and rate.derived
    assert rate.formula is not None and rate.formula.evaluate({"orders": 5, "visitors": 200}) == 2.5


@pytest.mark.parametrize("path", sorted(bundled_dir().glob("*.yaml")), ids=lambda p: p.name)
def test_bundled_templates_are_valid(path: Path) -> None:
    schedule = load_schedule(path)
    assert len(schedule.blocks) >= 8
    assert schedule.targets and schedule.campaigns


def test_both_bundled_templates_share_ids() -> None:
    english = load_schedule(bundled_dir() / "taobao-operator.yaml")
    chinese = load_schedule(bundled_dir() / "taobao-operator.zh.yaml")
    assert english.task_ids() == chinese.task_ids()
    assert [m.id for m in english.metrics] == [m.id for m in chinese.metrics]


def test_unquoted_time_is_not_read_as_sexagesimal(tmp_path: Path) -> None:
    schedule = load_schedule(write(tmp_path, VALID.replace('"08:30"', "8:30")))
    assert schedule.blocks[0].start == time(8, 30)


def test_yaml_syntax_error_has_position(tmp_path: Path) -> None:
    text = VALID.replace("    title: Noon\n", "    title: [Noon\n")
    [line] = problems(tmp_path, text)
    assert line.startswith("shop.yaml:")
    assert "invalid YAML" in line


def test_unknown_key_suggests_the_close_one(tmp_path: Path) -> None:
    text = VALID.replace("    title: Morning", "    titel: Morning")
    found = problems(tmp_path, text)
    assert "shop.yaml:9:5: block: unknown key 'titel'; did you mean 'title'?" in found
    assert "shop.yaml:8:5: block: missing required key 'title'" in found


def test_unknown_top_level_key(tmp_path: Path) -> None:
    found = problems(tmp_path, VALID + "blockz: []\n")
    assert found == ["shop.yaml:25:1: schedule: unknown key 'blockz'; did you mean 'blocks'?"]


def test_missing_required_key(tmp_path: Path) -> None:
    found = problems(tmp_path, VALID.replace('    end: "12:00"\n', ""))
    assert found == ["shop.yaml:18:5: block: missing required key 'end'"]


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ('"25:00"', "block 'noon' `end` '25:00' is not a time of day: hours run 00-23"),
        ("8.30", "block 'noon' `end` should be a time like \"08:30\" (HH:MM), not '8.30'"),
        ('"12:75"', "block 'noon' `end` '12:75' is not a time of day"),
    ],
)
def test_bad_time(tmp_path: Path, bad: str, message: str) -> None:
    [line] = problems(tmp_path, VALID.replace('end: "12:00"', f"end: {bad}"))
    assert line.startswith("shop.yaml:21:10: " + message)


def test_end_before_start(tmp_path: Path) -> None:
    [line] = problems(tmp_path, VALID.replace('end: "12:00"', 'end: "10:45"'))
    assert line == "shop.yaml:21:10: block 'noon' ends at 10:45, not after it starts at 11:00"


def test_overlapping_blocks_on_a_shared_day(tmp_path: Path) -> None:
    [line] = problems(tmp_path, VALID.replace('start: "11:00"', 'start: "10:00"'))
    assert line.startswith(
        "shop.yaml:18:5: block 'noon' (10:00-12:00) overlaps block 'morning' "
        "(08:30-10:30) on days both occur"
    )


def test_blocks_may_share_time_when_they_never_share_a_day(tmp_path: Path) -> None:
    text = VALID.replace('start: "11:00"', 'start: "10:00"\n    repeat: weekends').replace(
        '    end: "10:30"\n', '    end: "10:30"\n    repeat: weekdays\n'
    )
    schedule = load_schedule(write(tmp_path, text))
    assert len(schedule.blocks) == 2


def test_duplicate_ids(tmp_path: Path) -> None:
    text = VALID.replace("- id: noon", "- id: morning").replace("- id: ads", "- id: store-data")
    found = problems(tmp_path, text)
    assert "shop.yaml:18:9: duplicate block id 'morning' (first at line 8)" in found
    assert any(
        line.startswith("shop.yaml:23:13: duplicate task id 'store-data' (first at line 13)")
        for line in found
    )


def test_duplicate_mapping_key(tmp_path: Path) -> None:
    found = problems(
        tmp_path, VALID.replace("    title: Noon\n", "    title: Noon\n    title: X\n")
    )
    assert found == ["shop.yaml:20:5: block: duplicate key 'title'"]


def test_task_metric_and_check_naming_unknown_metrics(tmp_path: Path) -> None:
    text = VALID.replace("metrics: [visitors, orders", "metrics: [visitor, orders").replace(
        "conversion_rate < 1.0", "converson_rate < 1.0"
    )
    found = problems(tmp_path, text)
    assert (
        "shop.yaml:15:19: task 'store-data' names unknown metric 'visitor'; "
        "did you mean 'visitors'?"
    ) in found
    assert (
        "shop.yaml:17:13: task 'store-data' check names unknown metric 'converson_rate'; "
        "did you mean 'conversion_rate'?"
    ) in found


def test_formula_code_is_rejected_never_evaluated(tmp_path: Path) -> None:
    text = VALID.replace("formula: orders / visitors * 100", "formula: \"__import__('os')\"")
    [line] = problems(tmp_path, text)
    assert line == (
        "shop.yaml:6:75: metric 'conversion_rate' `formula`: unexpected \"(\" after "
        '"__import__"; a formula may only use metric names, numbers, + - * / and '
        "parentheses"
    )


def test_formula_naming_unknown_metric_and_cycles(tmp_path: Path) -> None:
    text = VALID.replace("orders / visitors * 100", "orders / vistors * 100").replace(
        "  orders: {label: Orders, unit: count}",
        "  orders: {label: Orders, unit: count}\n  a: {label: A, formula: b + 1}\n"
        "  b: {label: B, formula: a * 2}",
    )
    found = problems(tmp_path, text)
    assert any("names unknown metric 'vistors'; did you mean 'visitors'?" in f for f in found)
    assert any(
        f.startswith("shop.yaml:6:") and "'a' `formula` depends on itself" in f for f in found
    )


def test_check_that_does_not_parse_points_into_the_expression(tmp_path: Path) -> None:
    [line] = problems(tmp_path, VALID.replace("conversion_rate < 1.0", "conversion_rate ~ 1.0"))
    assert line.startswith("shop.yaml:17:29: task 'store-data' check: ")


def test_bad_repeat(tmp_path: Path) -> None:
    text = VALID.replace(
        "        title: Check ads", "        title: Check ads\n        repeat: fortnightly"
    )
    [line] = problems(tmp_path, text)
    assert line.startswith("shop.yaml:25:17: task 'ads' `repeat`: ")
    assert "fortnightly" in line


def test_after_done_is_for_tasks_not_blocks(tmp_path: Path) -> None:
    text = VALID.replace(
        '    end: "12:00"\n', '    end: "12:00"\n    repeat: every 3 days after done\n'
    )
    [line] = problems(tmp_path, text)
    assert "a block is never done" in line


def test_campaign_task_with_unknown_block(tmp_path: Path) -> None:
    text = VALID + textwrap.dedent("""\
        campaigns:
          - id: double-11
            title: Double 11
            date: 2026-11-11
            tasks:
              - {id: register, title: Register, when: -21d, block: mornin}
              - {id: retro, title: Review, when: soon}
        """)
    found = problems(tmp_path, text)
    assert (
        "shop.yaml:30:60: campaign 'double-11' task 'register' names unknown block 'mornin'; "
        "did you mean 'morning'?"
    ) in found
    assert any(
        f.startswith("shop.yaml:31:42: campaign 'double-11' task 'retro' `when`") for f in found
    )


def test_all_problems_reported_at_once(tmp_path: Path) -> None:
    text = (
        VALID.replace('"08:30"', '"8.30"')
        .replace("titel", "x")
        .replace("- id: ads", "- id: ads\n        on_miss: sometimes")
        .replace("schedule: shop", "schedule: shop\ncolour: red")
    )
    found = problems(tmp_path, text)
    assert len(found) == 3, found


def test_extends_overrides_adds_and_removes(tmp_path: Path) -> None:
    write(tmp_path, VALID, "base.yaml")
    child = write(
        tmp_path,
        """\
        extends: base.yaml
        schedule: my-shop
        remove: [ads]
        metrics:
          sales: {label: Sales, unit: money, currency: CNY}
        blocks:
          - id: morning
            start: "09:00"
            tasks:
              - id: store-data
                title: Record yesterday's numbers
              - id: sales-check
                title: Check sales
                metrics: [sales]
          - id: evening
            title: Evening
            start: "17:00"
            end: "17:30"
        """,
        "child.yaml",
    )
    schedule = load_schedule(child)
    assert schedule.id == "my-shop" and schedule.title == "Shop routine"
    assert [b.id for b in schedule.blocks] == ["morning", "noon", "evening"]
    morning = schedule.blocks[0]
    assert morning.start == time(9, 0) and morning.end == time(10, 30)
    assert [t.id for t in morning.tasks] == ["store-data", "sales-check"]
    assert morning.tasks[0].title == "Record yesterday's numbers"
    assert morning.tasks[0].checks, "fields not overridden are inherited"
    assert schedule.blocks[1].tasks == ()
    assert schedule.metric("sales") is not None


def test_extends_a_bundled_schedule_by_name(tmp_path: Path) -> None:
    child = write(
        tmp_path,
        """\
        extends: taobao-operator
        schedule: my-shop
        title: My shop
        """,
    )
    schedule = load_schedule(child)
    assert schedule.title == "My shop" and len(schedule.blocks) >= 8


def test_missing_and_circular_extends(tmp_path: Path) -> None:
    found = problems(tmp_path, "extends: nowhere.yaml\n" + VALID)
    assert found[0].startswith("shop.yaml:1:10: `extends`: no schedule file 'nowhere.yaml'")
    write(tmp_path, "extends: b.yaml\n" + VALID, "a.yaml")
    found = problems(tmp_path, "extends: a.yaml\n" + VALID, "b.yaml")
    assert any("circular `extends`: b.yaml → a.yaml → b.yaml" in f for f in found), found


def test_remove_of_unknown_id(tmp_path: Path) -> None:
    write(tmp_path, VALID, "base.yaml")
    found = problems(tmp_path, "extends: base.yaml\nremove: [adz]\n", "child.yaml")
    assert found == [
        "child.yaml:2:10: `remove`: nothing with id 'adz' is inherited; did you mean 'ads'?"
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "shop.yaml:1:1: the file is empty; expected a schedule"),
        ("- a\n- b\n", "shop.yaml:1:1: expected a mapping with `schedule:`"),
        ("schedule: x\ntitle: y\nblocks: 3\n", "shop.yaml:3:9: `blocks` should be a list"),
    ],
)
def test_wrong_shapes(tmp_path: Path, text: str, message: str) -> None:
    found = problems(tmp_path, text)
    assert found[0].startswith(message), found


def test_calendar_targets_and_campaigns(tmp_path: Path) -> None:
    text = VALID + textwrap.dedent("""\
        timezone: Asia/Shanghai
        since: 2026-11-02
        calendar:
          workdays: [mon, tue, wed, thu, fri, sat]
          holidays: [2027-01-01, 2027-02-16..2027-02-18]
        targets:
          weekly-orders: {metric: orders, from: 2026-11-02, base: 1000, growth: 20%, cap: 5000}
        campaigns:
          - id: double-11
            title: Double 11
            date: 2026-11-11
            tasks:
              - {id: register, title: Register, when: -21d, block: morning}
              - {id: retro, title: Review, when: +2d}
        """)
    schedule = load_schedule(write(tmp_path, text))
    assert schedule.since == date(2026, 11, 2)
    assert not schedule.calendar.is_workday(date(2026, 11, 29))  # a Sunday
    assert not schedule.calendar.is_workday(date(2027, 2, 17))
    assert schedule.targets[0].growth == pytest.approx(0.2)
    assert [t.offset_days for t in schedule.campaigns[0].tasks] == [-21, 2]
    assert str(schedule.zone()) == "Asia/Shanghai"


def test_unknown_timezone(tmp_path: Path) -> None:
    [line] = problems(tmp_path, VALID + "timezone: Mars/Olympus\n")
    assert line.startswith("shop.yaml:25:11: `timezone`: unknown zone 'Mars/Olympus'")


def test_deep_nesting_and_binary_garbage_give_problems(tmp_path: Path) -> None:
    deep = "schedule: " + "[" * 5000 + "]" * 5000 + "\n"
    assert problems(tmp_path, deep)
    path = tmp_path / "garbage.yaml"
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ScheduleError) as caught:
        load_schedule(path)
    assert "not valid UTF-8" in str(caught.value)


BROKEN = """\
schedule: shop
title: Shop routine
metrics:
  visitors: {label: Visitors, unit: count}
  orders: {label: Orders, unit: cnt}
  rate: {label: Rate, formula: orders / (visitors}
blocks:
  - id: morning
    title: Morning
    start: "08:30"
    end: "8.30"
    repeat: weekly on funday
    tasks:
      - id: store-data
        titel: Record store data
        metrics: [visitor]
        checks: [visitors drops 30 vs yesterday]
  - id: noon
    title: Noon
    start: "09:00"
    end: "08:00"
  - id: late
    title: Late
    start: "20:00"
    end: "22:00"
  - id: evening
    title: Evening
    start: "21:00"
    end: "23:00"
campaigns:
  - id: double-11
    title: Double 11
    date: 11-11
    tasks:
      - {id: stock, title: Stock up, when: presale -5w}
"""
QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|`[^`]*`")
"""What a message quotes: ids, keys and values from the template, grammar to type."""
FORMAT_WORDS = {*loader.UNITS, *loader.TOP_KEYS, *loader.BLOCK_KEYS, *loader.TASK_KEYS,
                *loader.METRIC_KEYS, *loader.CAMPAIGN_KEYS, *loader.CAMPAIGN_TASK_KEYS,
                *loader.WEEKDAY_NAMES}  # fmt: skip
"""The template format's keys and values (units, weekdays), listed unquoted as choices."""


def check_lines(capsys: pytest.CaptureFixture[str], path: Path, *lang: str) -> list[str]:
    assert main([*lang, "check", str(path)]) == 1
    return [line for line in capsys.readouterr().out.splitlines() if line]


def test_check_in_chinese_keeps_positions_and_leaves_no_english_of_ours(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, BROKEN)
    english = check_lines(capsys, path)
    chinese = check_lines(capsys, path, "--lang", "zh_CN")
    assert len(chinese) == len(english) >= 10
    positions = [line.split(": ", 1)[0] for line in english]
    assert [line.split(": ", 1)[0] for line in chinese] == positions
    assert (
        f"{path}:16:19: task 'store-data' names unknown metric 'visitor'; did you mean 'visitors'?"
        in english
    )
    assert (
        f"{path}:16:19: 事项 'store-data' 用到了未知指标 'visitor'；是不是 'visitors'？" in chinese
    )
    for line in chinese:
        message = QUOTED.sub(" ", line.split(": ", 1)[1])
        left = [w for w in re.findall(r"[A-Za-z_]{3,}", message) if w not in FORMAT_WORDS]
        assert not left, line
