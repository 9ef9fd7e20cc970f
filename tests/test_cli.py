"""The `opsplanner` command as a user meets it: output, exit status, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from opsplanner.cli import main
from opsplanner.schedule.paths import bundled_dir


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def today_ids(capsys: pytest.CaptureFixture[str], schedule: Path, day: str) -> list[str]:
    status, out, err = run(capsys, "today", "--schedule", str(schedule), "--date", day, "--json")
    assert status == 0, err
    data = json.loads(out)
    assert data["date"] == day
    return [task["task_id"] for block in data["blocks"] for task in block["tasks"]]


def test_check_passes_on_both_bundled_templates(capsys: pytest.CaptureFixture[str]) -> None:
    paths = [str(p) for p in sorted(bundled_dir().glob("taobao-operator*.yaml"))]
    status, out, _ = run(capsys, "check", *paths)
    assert status == 0
    lines = out.splitlines()
    assert len(lines) == 2
    assert all(line.startswith("ok: ") and " blocks, " in line for line in lines)


def test_check_defaults_to_the_configured_schedule(
    capsys: pytest.CaptureFixture[str], fixtures_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPSPLANNER_SCHEDULE", str(fixtures_dir / "office.yaml"))
    status, out, _ = run(capsys, "check")
    assert status == 0
    assert out == f"ok: {fixtures_dir / 'office.yaml'}: 3 blocks, 7 tasks, 2 campaign tasks\n"


def test_check_reports_problems_and_fails(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "schedule: x\ntitle: y\nblocks:\n  - id: a\n    title: A\n"
        "    start: '25:00'\n    end: '8.30'\n",
        encoding="utf-8",
    )
    status, out, _ = run(capsys, "check", str(bad))
    assert status == 1
    assert out.splitlines() == [
        f"{bad}:6:12: block 'a' `start` '25:00' is not a time of day: hours run 00-23, "
        "minutes 00-59",
        f"{bad}:7:10: block 'a' `end` should be a time like \"08:30\" (HH:MM), not '8.30'",
    ]


def test_monday_shows_weekly_duty_and_weekday_items(
    capsys: pytest.CaptureFixture[str], fixtures_dir: Path
) -> None:
    ids = today_ids(capsys, fixtures_dir / "office.yaml", "2026-11-23")  # Monday, anchor + 21
    assert "weekly-target" in ids and "weekday-only" in ids
    assert "product-check" in ids  # 21 days after the anchor: every 3 days lands here
    assert "weekly-summary" not in ids


def test_every_three_days_from_the_anchor(
    capsys: pytest.CaptureFixture[str], fixtures_dir: Path
) -> None:
    schedule = fixtures_dir / "office.yaml"
    due = {
        day: "product-check" in today_ids(capsys, schedule, day)
        for day in (
            "2026-11-02",
            "2026-11-03",
            "2026-11-04",
            "2026-11-05",
            "2026-11-25",
            "2026-11-26",
        )
    }
    assert due == {
        "2026-11-02": True,
        "2026-11-03": False,
        "2026-11-04": False,
        "2026-11-05": True,
        "2026-11-25": False,
        "2026-11-26": True,
    }


def test_wednesday_and_saturday(capsys: pytest.CaptureFixture[str], fixtures_dir: Path) -> None:
    schedule = fixtures_dir / "office.yaml"
    wednesday = today_ids(capsys, schedule, "2026-11-25")
    assert "weekly-target" not in wednesday and "weekday-only" in wednesday
    saturday = today_ids(capsys, schedule, "2026-11-28")
    assert "weekly-summary" in saturday
    assert "weekday-only" not in saturday and "weekly-target" not in saturday
    assert today_ids(capsys, schedule, "2026-11-29") == []  # Sunday is not a workday
    assert today_ids(capsys, schedule, "2026-12-31") == []  # a holiday


def test_campaign_registration_shows_21_days_before(
    capsys: pytest.CaptureFixture[str], fixtures_dir: Path
) -> None:
    schedule = fixtures_dir / "office.yaml"
    assert "double-12/register" in today_ids(capsys, schedule, "2026-11-21")
    assert "double-12/register" not in today_ids(capsys, schedule, "2026-11-20")
    eve = today_ids(capsys, schedule, "2026-12-11")
    assert "double-12/brief-cs" in eve


def test_campaign_tasks_show_even_on_days_off(
    capsys: pytest.CaptureFixture[str], fixtures_dir: Path
) -> None:
    status, out, _ = run(
        capsys,
        "today",
        "--schedule",
        str(fixtures_dir / "office.yaml"),
        "--date",
        "2026-11-22",
        "--json",
    )  # a Sunday, Double 12 minus 20
    assert status == 0
    assert json.loads(out)["blocks"] == []
    # Double 12 minus 21 days is a Saturday: the routine and the campaign task both show
    ids = today_ids(capsys, fixtures_dir / "office.yaml", "2026-11-21")
    assert "double-12/register" in ids and "store-data" in ids


def test_bundled_schedule_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "today", "--date", "2026-11-23")
    assert status == 0
    assert out.startswith("Mon 2026-11-23 · ")
    assert "Data diagnosis" in out


def test_chinese_schedule_by_name(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(
        capsys, "today", "--schedule", "taobao-operator.zh", "--date", "2026-11-23"
    )
    assert status == 0
    assert "数据" in out


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["today", "--date", "2026-13-01"], "expected a date like 2026-11-23"),
        (["today", "--schedule", "/nonexistent/x.yaml"], "cannot read the file"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
        (["today", "--bogus"], "unrecognized arguments: --bogus"),
    ],
)
def test_errors_are_one_line_with_status_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], fragment: str
) -> None:
    status, out, err = run(capsys, *argv)
    assert status == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("opsplanner: error: ")
    assert fragment in err


def test_broken_schedule_is_one_line_pointing_at_check(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("schedule: x\ntitle: y\nblocks: 3\ncolour: red\n", encoding="utf-8")
    status, _, err = run(capsys, "today", "--schedule", str(bad))
    assert status == 2
    assert err == (
        f"opsplanner: error: {bad}:3:9: `blocks` should be a list "
        f"(and 1 more; run `opsplanner check {bad}`)\n"
    )


@pytest.mark.parametrize("command", [[], ["check"], ["today"]])
def test_help_on_every_command(capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main([*command, "--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: opsplanner")


def bundled_day(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, day: str
) -> dict[str, dict[str, object]]:
    """`today --json --date DAY` on the Chinese schedule, the clock at 09:00 that day and a
    fresh database (the first day ever used): blocks by id."""
    monkeypatch.setenv("OPSPLANNER_NOW", f"{day}T09:00:00+08:00")
    status, out, err = run(
        capsys, "today", "--schedule", "taobao-operator.zh", "--date", day, "--json"
    )
    assert status == 0, err
    return {block["block_id"]: block for block in json.loads(out)["blocks"]}


def ids(block: dict[str, object]) -> list[str]:
    tasks = block["tasks"]
    assert isinstance(tasks, list)
    return [task["task_id"] for task in tasks]


def test_double_11_2026_preparations_count_from_the_presale(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    blocks = bundled_day(capsys, monkeypatch, "2026-10-21")  # three days before the pre-sale
    assert blocks["campaigns"]["block_title"] == "双十一"  # the schedule's words, not "Campaigns"
    assert ids(blocks["campaigns"]) == ["double-11@2026/d11-risks"]
    assert "carried" not in blocks  # `since: 2026-11-02`: nothing is late before it starts
    assert "store-data" in ids(blocks["data-diagnosis"])


def test_double_11_comes_again_in_2027_and_a_new_user_starts_a_week_behind_at_most(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    blocks = bundled_day(capsys, monkeypatch, "2027-10-21")
    assert ids(blocks["campaigns"]) == ["double-11@2027/d11-risks"]
    # registration (09-19), the offer (10-03) and 618 are long past: only the warm-up, due
    # on Sunday 10-17 and moved to Saturday, is within the campaign's week of grace
    [preheat] = blocks["carried"]["tasks"]
    assert (preheat["task_id"], preheat["carried_from"]) == (
        "double-11@2027/d11-preheat",
        "2027-10-16",
    )


def test_618_balance_day_opens_its_main_phase(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    blocks = bundled_day(capsys, monkeypatch, "2027-06-01")
    assert blocks["campaigns"]["block_title"] == "618年中大促"
    assert ids(blocks["campaigns"]) == ["mid-year-618@2027/m618-balance"]
    carried = blocks["carried"]["tasks"]
    assert isinstance(carried, list)
    assert {task["task_id"].partition("/")[0] for task in carried} == {"mid-year-618@2027"}
    assert min(task["carried_from"] for task in carried) >= "2027-05-25"  # a week's grace


@pytest.mark.parametrize(
    "day",
    ["2027-05-01", "2027-10-05", "2026-11-29"],
    ids=["labour-day-saturday", "national-day", "a-sunday"],
)
def test_public_holidays_and_sundays_are_days_off(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, day: str
) -> None:
    assert bundled_day(capsys, monkeypatch, day) == {}


def test_a_sunday_worked_in_lieu_runs_the_routine(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """2026-09-20 is a 调休 working Sunday in the State Council's 2026 notice.
    (2027-09-26 joins these once the library carries the 2027 notice.)"""
    blocks = bundled_day(capsys, monkeypatch, "2026-09-20")
    assert "store-data" in ids(blocks["data-diagnosis"])
