"""Tick, note, skip, carry, undo and close through the CLI; read back with `today --json`.
Runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from opsplanner.cli import main

MONDAY = "2026-11-23"
TUESDAY = "2026-11-24"


class Cli:
    """Runs `opsplanner` in-process against one database and schedule."""

    def __init__(self, capsys: pytest.CaptureFixture[str], db: str, schedule: Path) -> None:
        self.capsys = capsys
        self.common = ["--db", db, "--schedule", str(schedule), "--operator", "ana"]

    def __call__(self, *argv: str) -> tuple[int, str, str]:
        verb: list[str] = []
        rest = list(argv)
        while (
            rest
            and not rest[0].startswith("-")
            and len(verb) < 2
            and rest[0]
            in ("today", "done", "undo", "skip", "carry", "note", "review", "metric", "set", "show")
        ):
            verb.append(rest.pop(0))
        status = main([*verb, *rest, *self.common])
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
def cli(capsys: pytest.CaptureFixture[str], db_url: str, fixtures_dir: Path) -> Cli:
    return Cli(capsys, db_url, fixtures_dir / "office.yaml")


def test_today_json_shape(cli: Cli) -> None:
    data = cli.today(MONDAY)
    assert set(data) == {"date", "schedule", "operator", "closed", "now_block", "blocks"}
    assert (data["date"], data["schedule"], data["operator"], data["closed"]) == (
        MONDAY,
        "office",
        "ana",
        False,
    )
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
    assert "done: store-data" in cli.ok("done", "store-data", "--date", MONDAY, "--note", "UV ok")
    cli.ok("skip", "weekday-only", "--date", MONDAY, "--reason", "warehouse closed")
    cli.ok("note", "plan-tomorrow", "call the supplier", "--date", MONDAY)
    store_data = cli.task(MONDAY, "store-data")
    assert (store_data["status"], store_data["note"]) == ("done", "UV ok")
    skipped = cli.task(MONDAY, "weekday-only")
    assert (skipped["status"], skipped["reason"]) == ("skipped", "warehouse closed")
    assert cli.task(MONDAY, "plan-tomorrow")["note"] == "call the supplier"

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
    assert len(review["unfinished"]) == 6
    for key in ("store-data", "weekly-target", "weekday-only"):
        cli.ok("done", key, "--date", MONDAY)
    out = cli.ok(
        "review", "--close", "--date", MONDAY, "--carry-rest", "no time", "--tomorrow", "restock"
    )
    assert out == f"closed {MONDAY}: 3/6 done\n"
    data = cli.today(MONDAY)
    assert data["closed"] is True
    status, _, err = cli("done", "plan-tomorrow", "--date", MONDAY)
    assert status == 1 and "closed" in err
    assert cli.task(TUESDAY, "product-review")["carried_from"] == MONDAY
    cli.ok("review", "--reopen", "--date", MONDAY)
    assert cli.today(MONDAY)["closed"] is False


def test_late_review_of_yesterday(cli: Cli) -> None:
    cli.today(MONDAY)
    cli.today(TUESDAY)  # the next morning, Monday still open
    out = cli.ok("review", "--close", "--date", MONDAY, "--carry-rest", "ran out of time")
    assert out.startswith(f"closed {MONDAY}")
    assert cli.task(TUESDAY, "weekly-target")["carried_from"] == MONDAY


def test_metrics_set_show_and_checks(cli: Cli) -> None:
    cli.ok("metric", "set", "visitors", "1.2万", "--date", "2026-11-22")
    cli.ok("metric", "set", "orders", "60", "--date", "2026-11-22")
    cli.ok("metric", "set", "visitors", "２００００", "--date", "2026-11-21")
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


def test_operators_keep_separate_days(cli: Cli, capsys: pytest.CaptureFixture[str]) -> None:
    cli.ok("done", "store-data", "--date", MONDAY)
    other = Cli(capsys, cli.common[1], Path(cli.common[3]))
    other.common[-1] = "bo"
    assert other.task(MONDAY, "store-data")["status"] == "pending"
    assert date.fromisoformat(MONDAY).weekday() == 0


def test_failed_check_gets_a_cause_or_a_follow_up(cli: Cli) -> None:
    status, _, err = cli("explain", "orders", "--cause", "promotion ended", "--date", MONDAY)
    assert status == 1 and "no failing check on orders" in err
    cli.ok("metric", "set", "visitors", "12000", "--date", "2026-11-21")
    cli.ok("metric", "set", "visitors", "6000", "--date", "2026-11-22")
    out = cli.ok("explain", "visitors", "--cause", "promotion ended", "--date", MONDAY)
    assert out == "visitors (2026-11-22): promotion ended\n"
    out = cli.ok(
        "explain", "visitors", "--follow-up", "Ask CS about traffic", "--tomorrow", "--date", MONDAY
    )
    assert out == f"follow-up for visitors on {TUESDAY}: Ask CS about traffic\n"
    tuesday = cli.today(TUESDAY)
    assert tuesday["blocks"][0]["id"] == "follow-ups"
    follow_up = tuesday["blocks"][0]["tasks"][0]
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
