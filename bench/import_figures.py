"""`opsplanner import` of a year of daily rows (365 days × 15 metrics = 5,475 figures) from
an XLSX and a CSV export, into a new SQLite database, against a floor: a plain Python process
that reads the same CSV and stores the same rows with one `executemany` in one transaction.
A second floor is the import of the store's modules alone (SQLAlchemy, SQLModel): what any
command that writes pays before its first row.

    python bench/import_figures.py [--runs 5]

Target (#13): under 2 s for the year, whole process included.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
from datetime import date, timedelta
from pathlib import Path

from common import WORK, environment, opsplanner, print_table, timed

METRICS = [
    ("统计日期", None),
    ("访客数", "visitors"),
    ("浏览量", "page_views"),
    ("支付订单数", "orders"),
    ("支付金额", "sales"),
    ("未处理纠纷与投诉", "disputes"),
    ("待付款订单", "unpaid_orders"),
    ("退款申请数", "refunds"),
    ("退款金额", "refund_amount"),
    ("新增中差评", "bad_reviews"),
    ("推广账户余额", "ad_balance"),
    ("推广日限额", "ad_daily_budget"),
    ("推广花费", "ad_spend"),
    ("推广成交金额", "ad_sales"),
    ("咨询人数", "cs_inquiries"),
    ("平均响应时长（秒）", "cs_response_seconds"),
]
FLOOR = """
import csv, sqlite3, sys
from datetime import date
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig")))
header, body = rows[0], rows[1:]
db = sqlite3.connect(sys.argv[2])
db.execute("create table metric_value (id integer primary key, operator text, metric text,"
           " data_date date, value float, entered_at text, unique (operator, metric, data_date))")
with db:
    db.executemany(
        "insert into metric_value (operator, metric, data_date, value, entered_at)"
        " values ('bench', ?, ?, ?, '2026-11-23')",
        [(name, date.fromisoformat(row[0]).isoformat(), float(row[i].replace(",", "")))
         for row in body for i, name in enumerate(header) if i],
    )
"""


def sheets(folder: Path) -> tuple[Path, Path, Path]:
    """The year as 生意参谋 would export it (Chinese headers), in CSV and XLSX, and the CSV
    the floor reads (metric ids as headers)."""
    from openpyxl import Workbook

    start = date(2025, 11, 23)
    rows = [
        [(start + timedelta(days=n)).isoformat(), *(f"{1000 + n * 7 + i:,}" for i in range(15))]
        for n in range(365)
    ]
    exported, book_path, floor = folder / "year.csv", folder / "year.xlsx", folder / "floor.csv"
    with exported.open("w", encoding="utf-8-sig", newline="") as out:
        csv.writer(out).writerows([[title for title, __ in METRICS], *rows])
    with floor.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows([["date", *(m for __, m in METRICS[1:])], *rows])
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["【生意参谋平台】经营概况"])
    sheet.append([title for title, __ in METRICS])
    for row in rows:
        sheet.append([row[0], *(float(cell.replace(",", "")) for cell in row[1:])])
    book.save(book_path)
    return exported, book_path, floor


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    folder = WORK / "import"
    folder.mkdir(parents=True, exist_ok=True)
    exported, book, floor_csv = sheets(folder)
    env = environment()
    target = folder / "target.sqlite3"
    commands = {
        "floor: csv + executemany": [sys.executable, "-c", FLOOR, str(floor_csv), str(target)],
        "floor: the store's imports": [sys.executable, "-c", "import opsplanner.store.store"],
        "import year.csv": opsplanner(
            "import", str(exported), "--schedule", "taobao-operator.zh", "--db", str(target)
        ),  # fmt: skip
        "import year.xlsx": opsplanner(
            "import", str(book), "--schedule", "taobao-operator.zh", "--db", str(target)
        ),  # fmt: skip
    }
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs + 1):  # the first round warms the caches and is dropped
        for name, command in commands.items():
            for leftover in folder.glob("target.sqlite3*"):
                leftover.unlink()
            samples[name].append(timed(command, env))
    medians = {name: statistics.median(values[1:]) for name, values in samples.items()}
    floor = medians["floor: csv + executemany"]
    rows = [
        (
            name,
            f"{seconds * 1000:.0f} ms",
            f"{seconds / floor:.1f}×",
            "ok" if seconds < 2 else "MISSED",
        )
        for name, seconds in medians.items()
    ]
    print_table(
        f"A year of figures (365 × 15) into a new database, median of {args.runs} runs",
        rows,
        ("command", "time", "vs floor", "< 2 s"),
    )


if __name__ == "__main__":
    main()
