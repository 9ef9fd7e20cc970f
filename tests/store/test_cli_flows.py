"""Tick, note, skip, carry, undo and close through the CLI; read back with `today --json`.
Runs on SQLite and on PostgreSQL, on a clock fixed on Tuesday 2026-11-24 09:00 in Shanghai
(Monday is yesterday: opened by the first action on it)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from opsplanner.cli import main

MONDAY = "2026-11-23"
TUESDAY = "2026-11-24"
NOW = "2026-11-24T09:00:00+08:00"


class Cli:
    """Runs `opsplanner` in-process against one database and schedule."""

    def __init__(self, capsys: pytest.CaptureFixture[str], db: str, schedule: Path) -> None:
        self.capsys = capsys
        self.common = ["--db", db, "--schedule", str(schedule), "--operator", "ana"]

    def __call__(self, *argv: str) -> tuple[int, str, str]:
        status = main([*argv, *self.common])
        out, err = self.capsys.readouterr()
        return status, out, err

    def ok(self, *argv: str) -> str:
        status, out, err = self(*argv)
        assert status == 0, err
        return out

    def today(self, day: str) -> dict[str, Any]:
        return json.loads(self.ok("today", "--date", day, "--json"))

    def task(self, day: str, key: str) -> dict[str, Any]:
        data = self.today(day)
        return next(t for b in data["blocks"] for t in b["tasks"] if t["id"] == key)


@pytest.fixture
def cli(
    capsys: pytest.CaptureFixture[str],
    db_url: str,
    fixtures_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Cli:
    monkeypatch.setenv("OPSPLANNER_NOW", NOW)
    return Cli(capsys, db_url, fixtures_dir / "office.yaml")


def enter_store_data(cli: Cli, day: str = MONDAY, visitors: str = "1000") -> None:
    """Store data (read for the day before) so that `visitors required` passes."""
    cli.ok("metric", "set", "visitors", visitors, "--date", day)


def test_today_json_shape(cli: Cli) -> None:
    data = cli.today(MONDAY)
    assert set(data) == {
        "date",
        "schedule",
        "operator",
        "closed",
        "preview",
        "now_block",
        "notes_for_today",
        "blocks",
    }
    assert (data["date"], data["schedule"], data["operator"], data["closed"]) == (
        MONDAY,
        "office",
        "ana",
        False,
    )
    assert data["preview"] is True  # nobody opened Monday: looking does not open it
    block = data["blocks"][0]
    assert set(block) == {"id", "title", "start", "end", "tasks"}
    task = block["tasks"][0]
    assert set(task) == {
        "id",
        "title",
        "status",
        "note",
        "reason",
        "carried_from",
        "carried_count",
        "metrics",
        "checks",
    }
    assert task["status"] == "pending"
    assert {c["expr"]: c["status"] for c in task["checks"]} == {
        "conversion_rate < 1.0": "unknown",
        "visitors drops 30% vs yesterday": "unknown",
        "visitors required": "fail",
    }


def test_tick_note_skip_undo_persist(cli: Cli) -> None:
    enter_store_data(cli)
    assert "done: store-data" in cli.ok("done", "store-data", "--date", MONDAY, "--note", "UV ok")
    cli.ok("skip", "weekday-only", "--date", MONDAY, "--reason", "warehouse closed")
    cli.ok("note", "plan-tomorrow", "call the supplier", "--date", MONDAY)
    store_data = cli.task(MONDAY, "store-data")
    assert (store_data["status"], store_data["note"]) == ("done", "UV ok")
    skipped = cli.task(MONDAY, "weekday-only")
    assert (skipped["status"], skipped["reason"]) == ("skipped", "warehouse closed")
    assert cli.task(MONDAY, "plan-tomorrow")["note"] == "call the supplier"
    assert "note cleared" in cli.ok("note", "plan-tomorrow", "", "--date", MONDAY)
    assert cli.task(MONDAY, "plan-tomorrow")["note"] is None

    assert "undid skip" in cli.ok("undo", "weekday-only", "--date", MONDAY)
    assert cli.task(MONDAY, "weekday-only")["status"] == "pending"
    status, _, err = cli("undo", "weekday-only", "--date", MONDAY)
    assert status == 1 and "nothing to undo" in err


def test_skip_and_carry_need_a_reason(cli: Cli) -> None:
    status, _, err = cli("skip", "store-data", "--date", MONDAY, "--reason", "  ")
    assert status == 2 and err.startswith("opsplanner: error: ")
    status, _, err = cli("carry", "store-data", "--date", MONDAY)
    assert status == 2 and "--reason" in err


def test_carry_appears_tomorrow_with_its_origin(cli: Cli) -> None:
    cli.ok("carry", "weekly-target", "--date", MONDAY, "--reason", "waiting on boss")
    carried = cli.task(TUESDAY, "weekly-target")
    assert (carried["status"], carried["carried_from"], carried["carried_count"]) == (
        "pending",
        MONDAY,
        1,
    )
    tuesday = cli.today(TUESDAY)
    assert tuesday["blocks"][0]["id"] == "carried"


def test_carry_onto_an_already_open_day_and_undo_it(cli: Cli) -> None:
    cli.today(TUESDAY)  # Tuesday is already open when Monday's item is carried
    cli.ok("carry", "weekly-target", "--date", MONDAY, "--reason", "no time")
    assert cli.task(TUESDAY, "weekly-target")["carried_from"] == MONDAY
    cli.ok("undo", "weekly-target", "--date", MONDAY)
    ids = [t["id"] for b in cli.today(TUESDAY)["blocks"] for t in b["tasks"]]
    assert "weekly-target" not in ids
    assert cli.task(MONDAY, "weekly-target")["status"] == "pending"


def test_carried_item_merges_into_the_same_task(cli: Cli) -> None:
    cli.ok("carry", "store-data", "--date", MONDAY, "--reason", "system down")
    tuesday = cli.today(TUESDAY)
    matches = [t for b in tuesday["blocks"] for t in b["tasks"] if t["id"] == "store-data"]
    assert len(matches) == 1
    assert matches[0]["carried_from"] == MONDAY
    assert tuesday["blocks"][0]["id"] == "morning"


def test_closing_needs_a_decision_for_everything(cli: Cli) -> None:
    status, _, err = cli("review", "--close", "--date", MONDAY)
    assert status == 1 and "undecided" in err
    review = json.loads(cli.ok("review", "--date", MONDAY, "--json"))
    assert review["preview"] is True and len(review["unfinished"]) == 6
    enter_store_data(cli)
    for key in ("store-data", "weekly-target", "weekday-only"):
        cli.ok("done", key, "--date", MONDAY)
    review = json.loads(cli.ok("review", "--date", MONDAY, "--json"))
    assert review["preview"] is False
    assert "double-12/register" in [i["id"] for i in review["unfinished"]]  # overdue
    out = cli.ok(
        "review", "--close", "--date", MONDAY, "--carry-rest", "no time", "--tomorrow", "restock"
    )
    assert out == f"closed {MONDAY}: 3/7 done\n"
    data = cli.today(MONDAY)
    assert data["closed"] is True
    status, _, err = cli("done", "plan-tomorrow", "--date", MONDAY)
    assert status == 1 and "closed" in err
    assert cli.task(TUESDAY, "product-review")["carried_from"] == MONDAY
    cli.ok("review", "--reopen", "--date", MONDAY)
    assert cli.today(MONDAY)["closed"] is False


def test_late_review_of_yesterday(cli: Cli) -> None:
    cli.ok("note", "weekday-only", "busy line", "--date", MONDAY)  # Monday is opened
    cli.today(TUESDAY)  # the next morning, Monday still open
    out = cli.ok("review", "--close", "--date", MONDAY, "--carry-rest", "ran out of time")
    assert out.startswith(f"closed {MONDAY}")
    assert cli.task(TUESDAY, "weekly-target")["carried_from"] == MONDAY


def test_metrics_set_show_and_checks(cli: Cli) -> None:
    out = cli.ok("metric", "set", "visitors", "1.2万", "--date", MONDAY)  # read for yesterday
    assert out == "visitors = 12,000 for 2026-11-22\n"
    cli.ok("metric", "set", "orders", "60", "--for", "2026-11-22")
    cli.ok("metric", "set", "visitors", "２００００", "--for", "2026-11-21")
    shown = json.loads(cli.ok("metric", "show", "--days", "2", "--date", "2026-11-22", "--json"))[
        "metrics"
    ]
    assert shown["visitors"] == [
        {"date": "2026-11-21", "value": 20000.0},
        {"date": "2026-11-22", "value": 12000.0},
    ]
    assert shown["conversion_rate"][1]["value"] == pytest.approx(0.5)
    task = cli.task(MONDAY, "store-data")  # metrics_for: yesterday → 2026-11-22
    assert task["metrics"]["visitors"] == 12000.0
    checks = {c["expr"]: c for c in task["checks"]}
    assert checks["conversion_rate < 1.0"]["status"] == "fail"
    assert checks["visitors drops 30% vs yesterday"]["status"] == "fail"
    assert "40% below yesterday" in checks["visitors drops 30% vs yesterday"]["message"]
    assert checks["visitors required"]["status"] == "ok"


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["metric", "set", "visitors", "abc"], 'visitors: "abc" is not a number'),
        (["metric", "set", "visitors", "-5"], "cannot be negative"),
        (["metric", "set", "conversion_rate", "3%"], "computed from its formula"),
        (["metric", "set", "vistors", "5"], "did you mean 'visitors'"),
        (["done", "stor-data", "--date", MONDAY], "did you mean 'store-data'"),
        (["done", "weekly-summary", "--date", MONDAY], "does not occur on Mon 2026-11-23"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(cli: Cli, argv: list[str], fragment: str) -> None:
    status, out, err = cli(*argv)
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and fragment in err
    shown = json.loads(cli.ok("metric", "show", "--json"))["metrics"]
    assert all(point["value"] is None for series in shown.values() for point in series)


def test_campaign_task_by_its_campaign_id(cli: Cli) -> None:
    cli.ok("done", "double-12/register", "--date", "2026-11-21")
    assert cli.task("2026-11-21", "double-12/register")["status"] == "done"


def test_overdue_campaign_tasks_show_today_until_decided(cli: Cli) -> None:
    tuesday = cli.today(TUESDAY)  # first day ever; `register` was due on Sat 11-21
    carried = tuesday["blocks"][0]
    assert carried["id"] == "carried"
    register = carried["tasks"][0]
    assert (register["id"], register["carried_from"]) == ("double-12/register", "2026-11-21")
    cli.ok("skip", "double-12/register", "--reason", "not taking part")
    assert cli.task(TUESDAY, "double-12/register")["status"] == "skipped"


def test_operators_keep_separate_days(cli: Cli, capsys: pytest.CaptureFixture[str]) -> None:
    cli.ok("done", "weekly-target", "--date", MONDAY)
    other = Cli(capsys, cli.common[1], Path(cli.common[3]))
    other.common[-1] = "bo"
    assert other.task(MONDAY, "weekly-target")["status"] == "pending"
    assert date.fromisoformat(MONDAY).weekday() == 0


def test_failed_check_gets_a_cause_or_a_follow_up(cli: Cli) -> None:
    status, _, err = cli("explain", "orders", "--cause", "promotion ended", "--date", MONDAY)
    assert status == 1 and "no unexplained failed check on orders" in err
    cli.ok("metric", "set", "visitors", "12000", "--for", "2026-11-21")
    cli.ok("metric", "set", "visitors", "6000", "--for", "2026-11-22")
    cli.ok("metric", "set", "orders", "600", "--for", "2026-11-22")
    out = cli.ok("explain", "visitors", "--cause", "promotion ended", "--date", MONDAY)
    assert out == "visitors drops 30% vs yesterday (2026-11-22): promotion ended\n"
    status, _, err = cli("explain", "visitors", "--follow-up", "Ask CS", "--date", MONDAY)
    assert status == 1 and "no unexplained failed check on visitors" in err
    cli.ok("metric", "set", "orders", "30", "--for", "2026-11-22")  # now conversion fails
    out = cli.ok(
        "explain",
        "store-data",
        "--follow-up",
        "Ask CS about traffic",
        "--tomorrow",
        "--date",
        MONDAY,
    )
    assert out == f"follow-up on {TUESDAY} for conversion_rate < 1.0: Ask CS about traffic\n"
    tuesday = {b["id"]: b for b in cli.today(TUESDAY)["blocks"]}
    follow_up = tuesday["follow-ups"]["tasks"][0]
    assert follow_up["title"] == "Ask CS about traffic"
    cli.ok("done", follow_up["id"], "--date", TUESDAY)
    assert cli.task(TUESDAY, follow_up["id"])["status"] == "done"


def test_export_ics(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "office.ics"
    status = main(
        [
            "export",
            "ics",
            "--schedule",
            cli.common[3],
            "--date",
            MONDAY,
            "--days",
            "3",
            "--output",
            str(target),
        ]
    )
    assert status == 0
    text = target.read_text(encoding="utf-8")
    assert text.count("BEGIN:VEVENT") == 9 and "TZID=Asia/Shanghai" in text


# ---------------------------------------------------------------- the day's rules (issue #10)


def dump(db_url: str) -> dict[str, list[tuple[object, ...]]]:
    """Every stored row of every table, to prove that looking wrote nothing."""
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(db_url if "://" in db_url else f"sqlite:///{db_url}")
    try:
        with engine.connect() as connection:
            return {
                table: [tuple(row) for row in connection.execute(text(f"SELECT * FROM {table}"))]
                for table in sorted(inspect(connection).get_table_names())
            }
    finally:
        engine.dispose()


def test_looking_at_the_future_writes_nothing(cli: Cli, db_url: str) -> None:
    cli.ok("done", "weekly-target", "--date", MONDAY)
    before = dump(db_url)
    future = cli.today("2026-12-01")
    assert future["preview"] is True
    assert all(t["status"] == "pending" for b in future["blocks"] for t in b["tasks"])
    assert "preview" in cli.ok("today", "--date", "2026-12-01")
    json.loads(cli.ok("review", "--date", "2026-12-01", "--json"))
    assert dump(db_url) == before
    status, _, err = cli("done", "weekday-only", "--date", "2026-12-01")
    assert status == 1 and "has not come yet" in err
    assert dump(db_url) == before
    cli.ok("done", "weekday-only", "--date", TUESDAY)  # today is untouched by the look ahead


def test_carry_then_done_leaves_no_open_copy(cli: Cli) -> None:
    cli.today(TUESDAY)
    cli.ok("carry", "weekly-target", "--date", MONDAY, "--reason", "waiting on boss")
    assert cli.task(TUESDAY, "weekly-target")["carried_from"] == MONDAY
    cli.ok("done", "weekly-target", "--date", MONDAY)  # done after all, late in the evening
    ids = [t["id"] for b in cli.today(TUESDAY)["blocks"] for t in b["tasks"]]
    assert "weekly-target" not in ids
    cli.ok("carry", "weekday-only", "--date", MONDAY, "--reason", "no time")
    cli.ok("undone", "weekday-only", "--date", MONDAY)  # untick: back to pending on Monday
    tuesday = cli.task(TUESDAY, "weekday-only")  # Tuesday's own instance forgets the carry
    assert (tuesday["carried_from"], tuesday["carried_count"]) == (None, 0)
    assert cli.task(MONDAY, "weekday-only")["status"] == "pending"


def test_carry_acted_on_the_next_day_stays(cli: Cli) -> None:
    cli.today(TUESDAY)
    cli.ok("carry", "weekly-target", "--date", MONDAY, "--reason", "waiting on boss")
    cli.ok("done", "weekly-target", "--date", TUESDAY)
    cli.ok("done", "weekly-target", "--date", MONDAY)
    assert cli.task(TUESDAY, "weekly-target")["status"] == "done"


def test_done_refuses_an_unexplained_failed_check(cli: Cli) -> None:
    status, _, err = cli("done", "store-data", "--date", MONDAY)
    assert status == 1 and "opsplanner metric set visitors VALUE" in err  # required figure
    cli.ok("metric", "set", "visitors", "12000", "--for", "2026-11-21")
    cli.ok("metric", "set", "visitors", "6000", "--for", "2026-11-22")
    cli.ok("metric", "set", "orders", "600", "--for", "2026-11-22")
    status, _, err = cli("done", "store-data", "--date", MONDAY)
    assert status == 1 and err.count("\n") == 1
    assert "Visitors" in err and "opsplanner explain store-data --cause TEXT" in err
    assert cli.task(MONDAY, "store-data")["status"] == "pending"
    cli.ok("explain", "visitors", "--cause", "promotion ended", "--date", MONDAY)
    assert "done: store-data" in cli.ok("done", "store-data", "--date", MONDAY)


def test_saturday_follow_up_for_tomorrow_arrives_monday(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    saturday, monday = "2026-11-28", "2026-11-30"
    monkeypatch.setenv("OPSPLANNER_NOW", f"{saturday}T09:00:00+08:00")
    cli.ok("metric", "set", "visitors", "12000", "--for", "2026-11-26")
    cli.ok("metric", "set", "visitors", "6000", "--for", "2026-11-27")
    out = cli.ok("explain", "visitors", "--follow-up", "Ask CS about traffic", "--tomorrow")
    assert out.startswith(f"follow-up on {monday} ")  # Sunday is a day off in this schedule
    monkeypatch.setenv("OPSPLANNER_NOW", f"{monday}T09:00:00+08:00")
    blocks = {b["id"]: b for b in cli.today(monday)["blocks"]}
    assert blocks["follow-ups"]["tasks"][0]["title"] == "Ask CS about traffic"


def test_follow_up_due_on_an_unopened_day_lands_on_the_next_opened_one(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli.ok("metric", "set", "visitors", "12000", "--for", "2026-11-22")
    cli.ok("metric", "set", "visitors", "6000", "--for", "2026-11-23")
    cli.ok("explain", "visitors", "--follow-up", "Call the agency", "--tomorrow")  # for Wed
    monkeypatch.setenv("OPSPLANNER_NOW", "2026-11-26T09:00:00+08:00")  # Wednesday unopened
    blocks = {b["id"]: b for b in cli.today("2026-11-26")["blocks"]}
    task = blocks["follow-ups"]["tasks"][0]
    assert (task["title"], task["carried_from"]) == ("Call the agency", "2026-11-25")


def test_root_options_before_or_after_the_verb(
    capsys: pytest.CaptureFixture[str],
    db_url: str,
    fixtures_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("OPSPLANNER_NOW", NOW)
    monkeypatch.setenv("OPSPLANNER_DB", str(tmp_path / "default.sqlite3"))
    schedule = str(fixtures_dir / "office.yaml")
    before = ["--db", db_url, "--operator", "alice", "--schedule", schedule, "--date", MONDAY]
    assert main([*before, "done", "weekly-target"]) == 0
    capsys.readouterr()
    assert main(["today", "--json", *before]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["date"], data["operator"], data["schedule"]) == (MONDAY, "alice", "office")
    assert {t["id"]: t["status"] for b in data["blocks"] for t in b["tasks"]}[
        "weekly-target"
    ] == "done"
    assert not (tmp_path / "default.sqlite3").exists()
    status = main(["--date", MONDAY, "today", "--date", TUESDAY, "--db", db_url])
    err = capsys.readouterr().err
    assert status == 2 and "--date is given twice" in err and err.count("\n") == 1
    assert main(["--date", MONDAY, "today", "--date", MONDAY, *before]) == 0
