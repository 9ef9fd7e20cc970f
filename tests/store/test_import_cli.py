"""`opsplanner import` as an operator runs it on 生意参谋 exports and a hand-kept sheet: a dry
run that leaves the database byte-identical, a second import that changes nothing, a changed
figure kept unless --overwrite, rejected cells with their place and the rest imported, the
platform's own conversion rate kept and reported when it differs from the formula."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.store.test_cli_flows import NOW, Cli

SCHEDULE = """
schedule: shop
title: Shop
timezone: Asia/Shanghai
metrics:
  visitors: {label: 访客数（UV）, unit: count}
  buyers: {label: 支付买家数, unit: count}
  sales: {label: 销售额（支付金额）, unit: money, currency: CNY}
  conversion_rate: {label: 支付转化率, unit: percent, formula: buyers / visitors * 100}
blocks:
  - id: data
    title: Data
    start: "08:30"
    end: "10:30"
    tasks:
      - {id: store-data, title: Store data, metrics: [visitors, buyers, sales, conversion_rate],
         metrics_for: yesterday}
import:
  columns:
    支付金额: sales
"""
EXPORT = [
    ["【生意参谋平台】经营概况"],
    ["统计时间：2026-11-20 ~ 2026-11-22"],
    ["统计日期", "访客数", "支付金额", "支付买家数", "支付转化率", "加购人数"],
    ["2026-11-20", "1,000", "¥5,000.00", "25", "2.50%", "40"],
    ["2026-11-21", "1,200", "¥6,000.00", "30", "2.80%", "41"],
    ["2026-11-22", "-", "¥7,000.00", "abc", "-", "42"],
    ["合计", "2,200", "¥18,000.00", "55", "-", "123"],
]


@pytest.fixture
def cli(
    capsys: pytest.CaptureFixture[str],
    db_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Cli:
    monkeypatch.setenv("OPSPLANNER_NOW", NOW)
    schedule = tmp_path / "shop.yaml"
    schedule.write_text(SCHEDULE, encoding="utf-8")
    return Cli(capsys, db_url, schedule)


def write_csv(path: Path, rows: list[list[str]], encoding: str) -> Path:
    path.write_text("\n".join(",".join(f'"{c}"' for c in row) for row in rows), encoding=encoding)
    return path


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "经营概况"
    for row in rows:
        sheet.append(row)
    sheet.merge_cells("A1:F1")  # the export's merged title row
    book.save(path)
    return path


def _settled_bytes(database: Path) -> bytes:
    """The SQLite file's bytes once its write-ahead log is folded in: what a write would
    change, whichever process happened to checkpoint last."""
    import sqlite3

    connection = sqlite3.connect(database)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()
    return database.read_bytes()


def imported(cli: Cli, *argv: str) -> dict[str, object]:
    status, out, err = cli("import", *argv, "--json")
    data = json.loads(out)
    data["status"], data["stderr"] = status, err
    return data


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_a_csv_export_is_imported_the_rest_placed(cli: Cli, tmp_path: Path, encoding: str) -> None:
    export = write_csv(tmp_path / "sycm.csv", EXPORT, encoding)
    data = imported(cli, str(export))
    assert data["status"] == 1  # one cell was rejected: a script notices
    assert data["stderr"].strip().startswith(f"{export}:6:D: buyers")  # type: ignore[union-attr]
    assert data["stored"] == 9  # two days × 4 figures, and Sunday's sales
    assert data["ignored_columns"] == ["加购人数"]
    shown = cli.ok("metric", "show", "sales", "--date", "2026-11-22", "--days", "3")
    assert all(value in shown for value in ("¥5,000.00", "¥6,000.00", "¥7,000.00"))


def test_dry_run_stores_nothing_and_a_second_import_changes_nothing(
    cli: Cli, tmp_path: Path, db_url: str
) -> None:
    export = write_xlsx(tmp_path / "sycm.xlsx", [r[:5] for r in EXPORT[:5]])
    cli.ok("today")  # the database exists before the dry run
    database = Path(db_url)
    before = _settled_bytes(database) if database.exists() else None
    dry = imported(cli, str(export), "--dry-run")
    assert dry["stored"] == 0 and len(dry["changes"]) == 8  # type: ignore[arg-type]
    if before is not None:
        assert _settled_bytes(database) == before
    first = imported(cli, str(export))
    assert (first["status"], first["stored"]) == (0, 8)
    again = imported(cli, str(export))
    assert (again["status"], again["stored"]) == (0, 0)
    assert {c["change"] for c in again["changes"]} == {"same"}  # type: ignore[union-attr, index]


def test_a_changed_figure_needs_overwrite(cli: Cli, tmp_path: Path) -> None:
    cli.ok("metric", "set", "visitors", "999", "--for", "2026-11-20")
    export = write_csv(tmp_path / "sycm.csv", EXPORT[2:4], "utf-8")
    kept = imported(cli, str(export))
    assert kept["status"] == 1
    changes = {c["metric"]: c for c in kept["changes"]}  # type: ignore[union-attr, index]
    assert (changes["visitors"]["change"], changes["visitors"]["stored_value"]) == (
        "different",
        999,
    )
    out = cli.ok("metric", "show", "visitors", "--date", "2026-11-20", "--days", "1")
    assert "999" in out
    replaced = imported(cli, str(export), "--overwrite")
    assert replaced["status"] == 0
    assert "1,000" in cli.ok("metric", "show", "visitors", "--date", "2026-11-20", "--days", "1")


def test_the_platforms_conversion_rate_is_kept_and_the_difference_reported(
    cli: Cli, tmp_path: Path
) -> None:
    export = write_csv(tmp_path / "sycm.csv", EXPORT[2:5], "utf-8")
    status, out, err = cli("import", str(export))
    assert status == 0, err
    # 2.80 % given, 30 / 1,200 = 2.50 % by the formula: reported, the platform's kept.
    assert "2026-11-21 conversion_rate: 2.80%" in out and "2.50% by the formula" in out
    shown = cli.ok("metric", "show", "conversion_rate", "--date", "2026-11-21", "--days", "1")
    assert "2.80%" in shown


def test_an_unreadable_file_is_one_line(cli: Cli, tmp_path: Path) -> None:
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip at all")
    status, _, err = cli("import", str(broken))
    assert status == 2 and len(err.strip().splitlines()) == 1 and "broken.xlsx" in err
    status, _, err = cli("import", str(tmp_path / "missing.csv"))
    assert status == 2 and "missing.csv" in err


def test_the_summary_table_lines_up_in_chinese(cli: Cli, tmp_path: Path) -> None:
    from opsplanner.cells import width

    export = write_csv(tmp_path / "sycm.csv", EXPORT[2:5], "utf-8")
    out = cli.ok("import", str(export), "--dry-run", "--lang", "zh_CN")
    table = out.split("\n\n")[0].splitlines()
    assert table[0].split() == ["指标", "新增", "相同", "不同"]
    assert len({width(line) for line in table}) == 1  # right edges aligned, by cells
    assert out.rstrip().endswith("试运行：将保存 8 项数据，实际未保存")
