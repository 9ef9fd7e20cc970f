"""Monday's store data after a Saturday worked and a Sunday off: the CLI asks for both days'
figures, checks each, takes an explicit "no data" for a day, and the reports show both."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.store.test_cli_flows import MONDAY, NOW, Cli

SATURDAY, SUNDAY = "2026-11-21", "2026-11-22"


@pytest.fixture
def cli(
    capsys: pytest.CaptureFixture[str],
    db_url: str,
    fixtures_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Cli:
    monkeypatch.setenv("OPSPLANNER_NOW", NOW)
    template = (fixtures_dir / "office.yaml").read_text(encoding="utf-8")
    assert "metrics_for: yesterday" in template
    schedule = tmp_path / "office.yaml"
    schedule.write_text(
        template.replace("metrics_for: yesterday", "metrics_for: since_last_workday"),
        encoding="utf-8",
    )
    return Cli(capsys, db_url, schedule)


def store_data(cli: Cli) -> dict[str, object]:
    return cli.task(MONDAY, "store-data")


def test_monday_asks_for_saturday_and_sunday(cli: Cli) -> None:
    task = store_data(cli)
    assert task["data_dates"] == [SATURDAY, SUNDAY]
    checks = task["checks"]
    assert isinstance(checks, list)
    required = {c["data_date"]: c["status"] for c in checks if c["expr"] == "visitors required"}
    assert required == {SATURDAY: "fail", SUNDAY: "fail"}

    # A figure typed without a date is the latest one's; --for names Saturday.
    assert SUNDAY in cli.ok("metric", "set", "visitors", "1000", "--date", MONDAY)
    cli.ok("metric", "set", "visitors", "800", "--for", SATURDAY, "--date", MONDAY)
    cli.ok("metric", "set", "orders", "2", "--for", SATURDAY, "--date", MONDAY)
    task = store_data(cli)
    figures = {(f["data_date"], f["metric"]): f["value"] for f in task["figures"]}
    assert figures == {
        (SATURDAY, "visitors"): 800, (SATURDAY, "orders"): 2, (SATURDAY, "sales"): None,
        (SATURDAY, "conversion_rate"): 0.25,
        (SUNDAY, "visitors"): 1000, (SUNDAY, "orders"): None, (SUNDAY, "sales"): None,
        (SUNDAY, "conversion_rate"): None,
    }  # fmt: skip
    statuses = {(c["data_date"], c["expr"]): c["status"] for c in task["checks"]}  # type: ignore[union-attr]
    assert statuses[(SATURDAY, "conversion_rate < 1.0")] == "fail"
    assert statuses[(SUNDAY, "visitors drops 30% vs yesterday")] == "ok"  # vs Saturday's 800


def test_a_missing_day_blocks_the_tick_until_it_is_entered_or_said_to_be_missing(
    cli: Cli,
) -> None:
    cli.ok("metric", "set", "visitors", "800", "--for", SATURDAY, "--date", MONDAY)
    cli.ok("metric", "set", "orders", "20", "--for", SATURDAY, "--date", MONDAY)
    status, _, err = cli("done", "store-data", "--date", MONDAY)
    assert status == 1
    # It names the day that is missing and both ways on.
    assert "Sun 11-22: Visitors is required" in err
    assert f"metric set visitors VALUE --for {SUNDAY} --date {MONDAY}" in err
    assert f"explain store-data --cause TEXT --date {MONDAY}" in err

    cli.ok("explain", "store-data", "--cause", "no data on the platform", "--date", MONDAY)
    assert "done: store-data" in cli.ok("done", "store-data", "--date", MONDAY)

    report = json.loads(cli.ok("report", "day", "--date", MONDAY, "--format", "json"))
    text = json.dumps(report, ensure_ascii=False)
    assert "no data on the platform" in text
    groups = [(g["task"], g["data_date"]) for g in report["metrics"] if g["task"] == "store-data"]
    assert groups == [("store-data", SATURDAY), ("store-data", SUNDAY)]


def test_the_week_after_reads_one_day(cli: Cli) -> None:
    assert cli.task("2026-11-24", "store-data")["data_dates"] == [MONDAY]
