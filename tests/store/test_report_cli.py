"""`opsplanner report day|week|month` against a generated database: every format, stdout and
--output, the same bytes as the planner's golden files, and one-line errors."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from opsplanner.cli import main
from tests.planner.test_reports import GOLDEN, build_history

NOW = "2026-11-23T09:00:00+08:00"  # the Monday after the generated fortnight


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One generated database for the module: reports only read, so tests can share it."""
    path = tmp_path_factory.mktemp("reports") / "ops.sqlite3"
    build_history(path, "en")
    return str(path)


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("OPSPLANNER_NOW", NOW)
    yield


def report(
    capsysbinary: pytest.CaptureFixture[bytes], db: str, *argv: str
) -> tuple[int, bytes, str]:
    status = main(
        ["report", *argv, "--db", db, "--schedule", "taobao-operator", "--operator", "ana"]
    )
    out, err = capsysbinary.readouterr()
    return status, out, err.decode()


@pytest.mark.parametrize(
    "period, day", [("day", "2026-11-21"), ("week", "2026-11-18"), ("month", "2026-11-18")]
)
@pytest.mark.parametrize("fmt", ["md", "csv", "json"])
def test_every_report_in_every_format(
    capsysbinary: pytest.CaptureFixture[bytes], db: str, period: str, day: str, fmt: str
) -> None:
    status, out, err = report(capsysbinary, db, period, "--date", day, "--format", fmt)
    assert status == 0, err
    assert err == ""
    if fmt == "md":
        text = out.decode()
        title = {
            "day": "# Daily report · Sat 2026-11-21",
            "week": "# Weekly report · 2026-W47",
            "month": "# Monthly report · 2026-11",
        }[period]
        assert text.startswith(title)
    elif fmt == "csv":
        assert out.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(io.StringIO(out.decode("utf-8-sig"))))
        assert rows[0][:2] == ["section", "date"] and len(rows) > 20
    else:
        data = json.loads(out)
        assert data["kind"] == period
        assert json.loads(json.dumps(data)) == data


@pytest.mark.parametrize(
    "period, day, name",
    [
        ("day", "2026-11-21", "en-day-2026-11-21"),
        ("week", "2026-11-18", "en-week-2026-W47"),
        ("month", "2026-11-18", "en-month-2026-11"),
    ],
)
@pytest.mark.parametrize("fmt", ["md", "csv", "json"])
def test_cli_output_matches_the_golden_files(
    capsysbinary: pytest.CaptureFixture[bytes], db: str, period: str, day: str, name: str, fmt: str
) -> None:
    """The CLI loads exactly what the planner's golden tests load (same range, same bytes)."""
    status, out, err = report(capsysbinary, db, period, "--date", day, "--format", fmt)
    assert status == 0, err
    assert out == (GOLDEN / f"{name}.{fmt}").read_bytes()


@pytest.fixture(scope="module")
def zh_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("reports-zh") / "ops.sqlite3"
    build_history(path, "zh")
    return str(path)


@pytest.mark.parametrize(
    "period, day, name",
    [
        ("day", "2026-11-21", "zh-day-2026-11-21"),
        ("week", "2026-11-18", "zh-week-2026-W47"),
        ("month", "2026-11-18", "zh-month-2026-11"),
    ],
)
@pytest.mark.parametrize("fmt", ["md", "csv"])
def test_the_chinese_schedule_reports_in_chinese(
    capsysbinary: pytest.CaptureFixture[bytes],
    zh_db: str,
    period: str,
    day: str,
    name: str,
    fmt: str,
) -> None:
    """The zh schedule declares zh_CN, so its reports are the Chinese golden files."""
    status = main(
        ["report", period, "--date", day, "--format", fmt, "--db", zh_db]
        + ["--schedule", "taobao-operator.zh", "--operator", "ana"]
    )
    out, err = capsysbinary.readouterr()
    assert status == 0, err.decode()
    assert out == (GOLDEN / f"{name}.{fmt}").read_bytes()


def test_output_file(capsysbinary: pytest.CaptureFixture[bytes], db: str, tmp_path: Path) -> None:
    target = tmp_path / "week.csv"
    status, out, err = report(
        capsysbinary, db, "week", "--date", "2026-11-20", "--format", "csv", "--output", str(target)
    )
    assert status == 0, err
    assert out.decode() == (f"wrote the week report for 2026-11-16..2026-11-22 to {target}\n")
    assert target.read_bytes() == (GOLDEN / "en-week-2026-W47.csv").read_bytes()


def test_week_defaults_to_the_current_week(
    capsysbinary: pytest.CaptureFixture[bytes], db: str
) -> None:
    status, out, _err = report(capsysbinary, db, "week")
    assert status == 0
    text = out.decode()
    assert text.startswith("# Weekly report · 2026-W48 · 2026-11-23 – 2026-11-29")
    assert "as of 2026-11-23, in progress" in text
    assert "| Mon 2026-11-23 | no record |" in text


@pytest.mark.parametrize(
    "argv, message",
    [
        (["year"], "argument period: invalid choice: 'year'"),
        (["week", "--format", "ods"], "argument --format: invalid choice: 'ods'"),
        (["day", "--date", "21/11/2026"], "expected a date like 2026-11-23"),
    ],
)
def test_bad_input_is_one_line_and_status_2(
    capsysbinary: pytest.CaptureFixture[bytes], db: str, argv: list[str], message: str
) -> None:
    status, out, err = report(capsysbinary, db, *argv)
    assert status == 2
    assert out == b""
    assert err.count("\n") == 1 and message in err and "Traceback" not in err


def test_a_day_nobody_opened_is_reported_missing_not_created(
    capsysbinary: pytest.CaptureFixture[bytes], db: str
) -> None:
    status, out, err = report(capsysbinary, db, "day", "--date", "2026-11-30")
    assert (status, out) == (1, b"")
    assert err == (
        "opsplanner: error: nothing is recorded for 2026-11-30: the day was never opened\n"
    )
    status, _out, _err = report(capsysbinary, db, "day", "--date", "2026-11-30")
    assert status == 1  # still missing: the report created nothing
