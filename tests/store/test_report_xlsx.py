"""`report … --format xlsx -o FILE`: a workbook people open. Read back with openpyxl (the
cells, formats, frozen header, widths) and, where LibreOffice is installed (CI installs it),
converted headless to CSV as a person's spreadsheet would read it: Chinese intact, a
percentage a percentage."""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from opsplanner.cli import main
from tests.planner.test_reports import build_history
from tests.store.test_report_cli import NOW


@pytest.fixture(scope="module")
def zh_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The reports' fixed Chinese fortnight (see tests/planner/test_reports.py)."""
    path = tmp_path_factory.mktemp("xlsx-zh") / "ops.sqlite3"
    build_history(path, "zh")
    return str(path)


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPSPLANNER_NOW", NOW)


def workbook(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path, period: str, day: str
) -> Path:
    target = tmp_path / f"{period}.xlsx"
    status = main(
        ["report", period, "--date", day, "--format", "xlsx", "-o", str(target), "--db", db]
        + ["--schedule", "taobao-operator.zh", "--operator", "ana"]
    )
    out, err = capsys.readouterr()
    assert status == 0, err
    assert str(target) in out
    return target


@pytest.mark.parametrize("period, day", [("day", "2026-11-21"), ("week", "2026-11-18")])
def test_a_sheet_per_section_with_real_numbers(
    capsys: pytest.CaptureFixture[str], zh_db: str, tmp_path: Path, period: str, day: str
) -> None:
    book = load_workbook(workbook(capsys, zh_db, tmp_path, period, day))
    second = "各时段" if period == "day" else "每天"
    assert book.sheetnames == ["数据", second, "未完成", "未通过的检查", "顺延"]
    figures = book["数据"]
    assert figures.freeze_panes == "B2"
    header = [cell.value for cell in figures[1]]
    assert header[0] == "日期" and "访客数（UV）" in header and "支付转化率" in header
    rate = figures.cell(row=2, column=header.index("支付转化率") + 1)
    assert rate.number_format == "0.00%" and 0 < rate.value < 0.2  # a fraction, not 2.69
    sales = figures.cell(row=2, column=header.index("销售额（支付金额）") + 1)
    assert sales.number_format == '"¥"#,##0.00' and sales.value > 1000
    visitors = figures.cell(row=2, column=header.index("访客数（UV）") + 1)
    assert visitors.number_format == "#,##0" and float(visitors.value).is_integer()
    # Chinese headers get two cells a character.
    label = header.index("销售额（支付金额）") + 1
    assert figures.column_dimensions[figures.cell(row=1, column=label).column_letter].width >= 18


def test_typed_text_is_never_a_formula(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = str(tmp_path / "ops.sqlite3")
    common = ["--db", db, "--schedule", "taobao-operator.zh", "--operator", "ana"]
    day = ["--date", "2026-11-20"]
    assert main(["skip", "content-publish", "--reason", '=HYPERLINK("http://x","点我")',
                 *day, *common]) == 0  # fmt: skip
    capsys.readouterr()
    target = tmp_path / "day.xlsx"
    assert main(["report", "day", *day, "--format", "xlsx", "-o", str(target), *common]) == 0
    sheet = load_workbook(target)["未完成"]
    reasons = [row[5] for row in sheet.iter_rows(min_row=2) if row[2].value == "content-publish"]
    assert [(c.value, c.data_type) for c in reasons] == [('=HYPERLINK("http://x","点我")', "s")]


def test_xlsx_needs_a_file(capsys: pytest.CaptureFixture[str], zh_db: str) -> None:
    status = main(["report", "day", "--format", "xlsx", "--db", zh_db])
    assert status == 2
    assert "-o FILE.xlsx" in capsys.readouterr().err


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_it_with_chinese_and_percentages_intact(
    capsys: pytest.CaptureFixture[str], zh_db: str, tmp_path: Path
) -> None:
    book = workbook(capsys, zh_db, tmp_path, "week", "2026-11-18")
    converted = tmp_path / "converted"
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true",
            "--outdir",
            str(converted),
            str(book),
        ],  # fmt: skip
        check=True,
        capture_output=True,
        timeout=300,
    )
    rows = list(csv.reader((converted / "week.csv").open(encoding="utf-8")))
    header = rows[0]
    assert header[0] == "日期" and "支付转化率" in header
    rate = rows[1][header.index("支付转化率")]
    assert rate.endswith("%") and 0 < float(rate.rstrip("%")) < 20  # shown as a percentage
    assert rows[1][header.index("销售额（支付金额）")].startswith("¥")
