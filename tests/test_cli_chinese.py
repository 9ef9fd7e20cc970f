"""The command line in Chinese: `--help`, the agenda, every verb's confirmation and the common
errors, with `--lang zh_CN`, the zh schedule or `LANG=zh_CN.UTF-8`; English unchanged.

What opsplanner writes itself is checked word by word: after taking out what is not ours to
translate (ids, options, metavars, the template's text, the planner's check messages and
block titles), no English word of three letters or more may be left."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from rich.cells import cell_len

from opsplanner.cells import width
from opsplanner.cli import main
from opsplanner.schedule.loader import load_schedule
from opsplanner.schedule.paths import bundled_dir

GOLDEN = Path(__file__).parent / "golden"
MONDAY = "2026-11-23"
SATURDAY = "2026-11-21"
ZH = ("--schedule", "taobao-operator.zh")

OURS_NOT_TO_TRANSLATE = [
    re.compile(r"'[\w@/.-]+'"),  # quoted: an id, a choice, what was typed
    re.compile(r"opsplanner(?: [a-z|]+)*"),  # the command and its sub-commands
    re.compile(r"--[a-z][a-z-]*"),  # option names
    re.compile(r"\b[A-Z][A-Z_]{2,}\b"),  # metavars: TASK, REASON, PATH_OR_URL
]
ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")
TRADE_WORDS = re.compile(r"(?<![A-Za-z])(?:DSR|ROI|FAQ)(?![A-Za-z])")
"""What the trade itself writes in Latin letters, in Chinese too (店铺动态评分 DSR)."""
HELP_NAMES = {"SQLite", "SQLAlchemy", "URL", "JSON", "postgresql+psycopg://me@localhost/ops",
              "opsplanner.sqlite3", "taobao-operator", "`language:`"}  # fmt: skip
"""What `--help` names as it is spelled: tools, formats, a URL, a file, a schedule, a key."""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def ok(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    status, out, err = run(capsys, *argv)
    assert status == 0, err
    return out


def english_left(text: str, not_ours: set[str]) -> list[str]:
    """The English words in `text` once ids, options, metavars and `not_ours` (template text,
    the planner's messages) are taken out."""
    for piece in sorted(not_ours, key=len, reverse=True):
        text = re.sub(rf"(?<![A-Za-z]){re.escape(piece)}(?![A-Za-z])", " ", text)
    for pattern in (*OURS_NOT_TO_TRANSLATE, TRADE_WORDS):
        text = pattern.sub(" ", text)
    return ENGLISH_WORD.findall(text)


def not_ours(capsys: pytest.CaptureFixture[str], *argv: str) -> set[str]:
    """What a day shows that others write: ids, the template's titles and labels, the
    planner's check messages and its own block titles (#12, translated in the planner)."""
    data = json.loads(ok(capsys, "today", "--json", *argv))
    found = {data["schedule_id"], data["operator"]}
    for block in data["blocks"]:
        found |= {block["block_id"], block["block_title"]}
        for task in block["tasks"]:
            found |= {task["task_id"], task["title"], *(f["metric"] for f in task["figures"])}
            found |= {check["message"] for check in task["checks"]}
            found |= {task["task_id"].partition("/")[0], task["task_id"].partition("/")[2]}
    return {piece for piece in found if piece}


@pytest.fixture
def monday(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> tuple[str, ...]:
    """Monday 10:00 in Shanghai, and a new database for one operator: the common arguments."""
    monkeypatch.setenv("OPSPLANNER_NOW", f"{MONDAY}T10:00:00+08:00")
    return ("--db", str(tmp_path / "ops.sqlite3"), "--operator", "小王")


def scripted_monday(capsys: pytest.CaptureFixture[str], common: tuple[str, ...]) -> None:
    """What the goldens show: notes from Saturday, a tick with a note, skips and carries with
    reasons, a note, Saturday left open."""
    saturday = ("--date", SATURDAY, *common)
    ok(capsys, "review", "--tomorrow", "联系供应商，确认补货", *saturday)
    ok(capsys, "skip", "content-publish", "--reason", "没时间", *saturday)
    ok(capsys, "carry", "hero-stock", "--reason", "等待他人", *saturday)
    ok(capsys, "done", "list-day-work", "--note", "已排好", *common)
    ok(capsys, "skip", "competitor-data", "--reason", "平台问题", *common)
    ok(capsys, "note", "follow-up", "记得回电", *common)


def check_golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"{path} is missing; run with UPDATE_GOLDEN=1 and review it"
    assert actual == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"


@pytest.mark.parametrize(("language", "schedule"), [("zh", "taobao-operator.zh"), ("en", None)])
def test_the_agenda_of_monday_golden(
    capsys: pytest.CaptureFixture[str],
    monday: tuple[str, ...],
    language: str,
    schedule: str | None,
) -> None:
    common = (*monday, *(("--schedule", schedule) if schedule else ()))
    scripted_monday(capsys, common)
    out = ok(capsys, "today", "--date", MONDAY, *common)
    check_golden(f"{language}-today-{MONDAY}.txt", out)


def test_the_chinese_agenda_reads_as_the_operator_expects(
    capsys: pytest.CaptureFixture[str], monday: tuple[str, ...]
) -> None:
    common = (*monday, *ZH)
    scripted_monday(capsys, common)
    out = ok(capsys, "today", "--date", MONDAY, *common)
    assert english_left(out, not_ours(capsys, "--date", MONDAY, *common)) == []
    lines = out.splitlines()
    assert lines[0] == "周一 2026-11-23 · 淘宝店铺运营——每日工作流程 · 小王 · 已完成 1/38"
    assert lines[1] == "周六 11-21 记下的明日事项：联系供应商，确认补货"
    assert "08:30-10:30  数据诊断  ◀ 当前" in lines
    assert "      原因：平台问题" in lines and "      备注：记得回电" in lines
    assert "      自 2026-11-21 起已顺延 1 次" in lines
    assert lines[-1] == "2026-11-21 尚未结束：34 项未处理（opsplanner review --date 2026-11-21）"
    # ids line up by terminal cells, whatever the title's width
    rows = [line for line in lines if line.startswith("  [")]
    assert len({width(line[: line.rindex(" ") + 1]) for line in rows}) == 1


def test_an_all_day_block_lines_up_with_the_timed_ones(
    capsys: pytest.CaptureFixture[str], monday: tuple[str, ...]
) -> None:
    """A first day with a campaign task already late: its all-day block comes first."""
    out = ok(capsys, "today", "--date", MONDAY, *monday, *ZH)
    assert english_left(out, not_ours(capsys, "--date", MONDAY, *monday, *ZH)) == []
    lines = out.splitlines()
    all_day = next(line for line in lines if line.startswith("全天"))
    assert re.match(r"全天 {9}\S", all_day)  # 2 + 2 + 9 cells: the title starts at cell 13
    assert all(re.match(r"\d\d:\d\d-\d\d:\d\d  \S", line) for line in lines if line[:1].isdigit())


def test_chinese_help_from_the_flag_and_from_the_schedule(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    with pytest.raises(SystemExit) as exited:
        main(["--lang", "zh_CN", "--help"])
    assert exited.value.code == 0
    root = capsys.readouterr().out
    assert root.startswith("用法：opsplanner [-h]")
    for text in ("位置参数", "选项", "显示帮助信息并退出", "示例：", "退出状态：0 成功"):
        assert text in root
    assert "  opsplanner skip content-publish --reason '没时间'" in root
    assert all(width(line) <= 78 for line in root.splitlines())  # argparse's width at 80

    with pytest.raises(SystemExit):
        main([*ZH, "today", "--help"])
    today = capsys.readouterr().out
    assert today.startswith("用法：opsplanner today [-h] [--db PATH_OR_URL]")
    assert "按时间顺序打印当天的时段和任务" in today and "输出 JSON，供程序读取" in today
    assert all(width(line) <= 78 for line in today.splitlines())
    assert english_left(today, HELP_NAMES) == []


def test_the_locale_speaks_chinese(
    capsys: pytest.CaptureFixture[str], monday: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    out = ok(capsys, "today", *monday)  # the English schedule: its titles stay English
    assert out.startswith("周一 2026-11-23 · ") and "已完成 0/" in out
    assert "08:30-10:30  Data diagnosis  ◀ 当前" in out
    status, __, err = run(capsys, "frobnicate")
    assert status == 2 and err.startswith("opsplanner：错误：参数 COMMAND：无效的选择：")


def test_every_verb_confirms_in_chinese(
    capsys: pytest.CaptureFixture[str], monday: tuple[str, ...], tmp_path: Path
) -> None:
    common = (*monday, *ZH)
    ok(capsys, "metric", "set", "buyers", "150", *common)  # conversion is computed from it
    saturday = ("--for", SATURDAY, *common)  # Monday reads Saturday's figures and Sunday's
    for metric, value in (("buyers", "140"), ("visitors", "1.1万"), ("sales", "¥2,800")):
        ok(capsys, "metric", "set", metric, value, *saturday)
    said = [
        ok(capsys, "metric", "set", "visitors", "1.2万", *common),
        ok(capsys, "metric", "set", "sales", "¥3,000", *common),
        ok(capsys, "done", "store-data", "--note", "访客正常", *common),
        ok(capsys, "skip", "competitor-data", "--reason", "没时间", *common),
        ok(capsys, "carry", "industry-data", "--reason", "等待他人", *common),
        ok(capsys, "note", "follow-up", "记得回电", *common),
        ok(capsys, "note", "follow-up", "", *common),
        ok(capsys, "undo", "competitor-data", *common),
        ok(capsys, "undone", "store-data", *common),
        ok(capsys, "review", "--tomorrow", "联系供应商", *common),
        ok(capsys, "review", *common),
        ok(capsys, "review", "--close", "--carry-rest", "没时间", *common),
        ok(capsys, "review", "--reopen", *common),
        ok(capsys, "report", "week", "-o", str(tmp_path / "week.md"), *common),
        ok(capsys, "export", "ics", "--days", "7", "-o", str(tmp_path / "ops.ics"), *ZH),
    ]
    assert said[0] == "visitors = 12,000（数据日期 2026-11-22）\n"
    assert said[2] == "完成：store-data — 记录昨日店铺数据（周一补填周末）（2026-11-23）\n"
    assert (
        said[3] == "跳过：competitor-data — 查看竞品销量、流量、价格与活动（2026-11-23）：没时间\n"
    )
    assert said[4].startswith("顺延：industry-data — ") and said[4].endswith("：等待他人\n")
    assert said[5].startswith("已备注：follow-up — ")
    assert said[6].startswith("已清除备注：follow-up — ")
    assert said[7].startswith("已撤销跳过：competitor-data — ") and said[7].endswith("；现为待办\n")
    assert said[8].startswith("改回未完成：store-data — ")
    assert said[9] == "明日事项已保存（写于 2026-11-23）\n"
    assert said[10].startswith("2026-11-23 有 ") and "逐项处理：" in said[10]
    assert said[11].startswith("已结束 2026-11-23：完成 ")
    assert said[12] == "已重新打开 2026-11-23\n"
    assert said[13] == f"已将 2026-11-23..2026-11-29 的周报写入 {tmp_path / 'week.md'}\n"
    assert said[14] == f"已将 taobao-operator-zh 的 7 天日程写入 {tmp_path / 'ops.ics'}\n"
    typed = {str(tmp_path / "week.md"), str(tmp_path / "ops.ics")}
    assert english_left("".join(said), not_ours(capsys, *common) | typed) == []


def test_a_day_to_come_is_a_preview_in_chinese(
    capsys: pytest.CaptureFixture[str], monday: tuple[str, ...]
) -> None:
    common = ("--date", "2026-11-25", *monday, *ZH)
    today = ok(capsys, "today", *common)
    assert today.splitlines()[0].endswith(" · 预览（尚未开始，未保存任何内容）")
    review = ok(capsys, "review", *common)
    assert review == "2026-11-25 尚未开始：没有可复盘的内容\n"
    assert english_left(today + review, not_ours(capsys, *common)) == []


@pytest.mark.parametrize(
    ("argv", "status", "expected"),
    [
        (["done", "stor-data"], 2, "2026-11-23 没有任务 'stor-data'；是不是 'store-data'"),
        (
            ["done", "monthly-evaluation"],
            2,
            "任务 'monthly-evaluation' 不在 周一 2026-11-23 的安排中",
        ),
        (["metric", "set", "vistors", "5"], 2, "没有指标 'vistors'；是不是 'visitors'"),
        (["metric", "set", "conversion_rate", "5"], 2, "conversion_rate 由公式计算"),
        (["skip", "store-data", "--reason", " "], 2, "需要填写原因（如 '没时间'、'等待他人'）"),
        (["skip", "store-data"], 2, "缺少必需的参数：--reason（参见 `opsplanner skip --help`）"),
        (["done", "store-data"], 1, "暂时不能勾选 store-data："),
        (["done", "store-data", "--date", "2026-11-24"], 1, "周二 2026-11-24 还没到"),
        (["review", "--close"], 1, "还有 39 项未处理："),
        (["undo", "store-data"], 1, "2026-11-23 的 store-data 没有可撤销的改动"),
        (["explain", "ad_spend", "--cause", "活动结束", "--date", "2026-11-20"], 1, "没有待说明"),
        (["report", "day", "--date", "2026-11-20"], 1, "2026-11-20 没有记录：这一天从未开始"),
        (["review", "--carry-rest", "x"], 2, "--carry-rest 需要与 --close 一起使用"),
        (["today", "--date", "2026-13-01"], 2, "参数 --date：需要形如 2026-11-23 的日期"),
        (["today", "--bogus"], 2, "无法识别的参数：--bogus"),
        (["frobnicate"], 2, "参数 COMMAND：无效的选择：'frobnicate'"),
        (["today", "--date", MONDAY, "--date", "2026-11-22"], 2, "--date 给了两次且值不同"),
        (["report", "week", "--format", "pdf"], 2, "无效的选择：'pdf'"),
        (["explain", "visitors"], 2, "参数 --cause --follow-up 必须给出其中之一"),
    ],
)
def test_errors_are_chinese_and_one_line(
    capsys: pytest.CaptureFixture[str],
    monday: tuple[str, ...],
    argv: list[str],
    status: int,
    expected: str,
) -> None:
    common = (*monday, *ZH)
    shown = not_ours(capsys, *common)
    got, out, err = run(capsys, *argv, *common)
    assert (got, out) == (status, "")
    assert err.startswith("opsplanner：错误：") and err.count("\n") == 1
    assert expected in err
    assert english_left(err, shown) == []


def test_a_closed_day_refuses_in_chinese(
    capsys: pytest.CaptureFixture[str], monday: tuple[str, ...]
) -> None:
    common = (*monday, *ZH)
    ok(capsys, "review", "--close", "--carry-rest", "没时间", *common)
    for argv, expected in (
        (["review", "--close"], "2026-11-23 已经结束"),
        (["skip", "store-data", "--reason", "没时间"], "2026-11-23 已结束；请先重新打开"),
    ):
        status, __, err = run(capsys, *argv, *common)
        assert status == 1 and expected in err


def test_english_stays_english(capsys: pytest.CaptureFixture[str], monday: tuple[str, ...]) -> None:
    """The same commands on the English schedule and the C locale write what they always did."""
    assert ok(capsys, "done", "list-day-work", *monday) == (
        "done: list-day-work — List today's work and put it in order (2026-11-23)\n"
    )
    status, __, err = run(capsys, "review", "--close", *monday)
    assert status == 1
    assert err.startswith("opsplanner: error: 38 items undecided: ")
    assert err.endswith("or close with --carry-rest REASON\n")
    with pytest.raises(SystemExit):
        main(["today", "--help"])
    assert capsys.readouterr().out.startswith("usage: opsplanner today [-h]")


def test_a_day_opened_in_english_reads_in_chinese(
    capsys: pytest.CaptureFixture[str], monday: tuple[str, ...], tmp_path: Path
) -> None:
    """Titles follow the schedule's language, the plan does not change (#12 item 6): Saturday
    and Monday opened and worked under the English schedule read in Chinese under the Chinese
    one, with the same tasks in the same states, and back."""
    saturday = ("--date", SATURDAY, *monday)
    ok(capsys, "carry", "hero-stock", "--reason", "waiting on others", *saturday)
    ok(capsys, "skip", "competitor-data", "--reason", "no time", *monday)
    english = json.loads(ok(capsys, "today", "--json", *monday))
    chinese = json.loads(ok(capsys, "today", "--json", *monday, *ZH))
    assert chinese["schedule_id"] == english["schedule_id"] == "taobao-operator"  # as opened

    def tasks(data: dict[str, object]) -> list[tuple[str, str, str | None]]:
        blocks = data["blocks"]
        assert isinstance(blocks, list)
        return [(t["task_id"], t["status"], t["reason"]) for b in blocks for t in b["tasks"]]

    assert tasks(chinese) == tasks(english)
    zh = load_schedule(bundled_dir() / "taobao-operator.zh.yaml")
    zh_titles = {task.id: task.title for task in zh.tasks()}
    competitor, stock = zh_titles["competitor-data"], zh_titles["hero-stock"]
    diagnosis = next(b.title for b in zh.blocks if b.id == "data-diagnosis")
    titles = {t["task_id"]: t["title"] for b in chinese["blocks"] for t in b["tasks"]}
    assert titles == {key: zh_titles.get(key, title) for key, title in titles.items()}
    assert titles["competitor-data"] == competitor
    block_titles = {b["block_id"]: b["block_title"] for b in chinese["blocks"]}
    assert block_titles["data-diagnosis"] == diagnosis
    shown = [*titles.values(), *(b["block_title"] for b in chinese["blocks"])]
    assert english_left("\n".join(shown), set()) == []

    lines = ok(capsys, "today", *monday, *ZH).splitlines()
    assert any(line.startswith(f"  [-] {competitor} ") for line in lines)
    assert "      原因：no time" in lines
    assert f"08:30-10:30  {diagnosis}  ◀ 当前" in lines
    assert any(line.startswith(f"  [ ] {stock} ") for line in lines)
    assert "      自 2026-11-21 起已顺延 1 次" in lines
    review = ok(capsys, "review", *saturday, *ZH)
    assert f"  [ ] {zh_titles['list-day-work']}  (list-day-work)" in review.splitlines()
    assert "(hero-stock)" not in review  # carried: decided
    report = tmp_path / "day.md"
    ok(capsys, "report", "day", "-o", str(report), *monday, *ZH)
    text = report.read_text(encoding="utf-8")
    assert competitor in text and diagnosis in text and "Check competitors" not in text
    assert "| 访客数（UV） |" in text
    for period in ("week", "month"):
        ok(capsys, "report", period, "-o", str(report), *monday, *ZH)
        text = report.read_text(encoding="utf-8")
        assert competitor in text and "Check competitors" not in text  # the skipped step

    back = json.loads(ok(capsys, "today", "--json", *monday))  # and the other way round
    assert back == english


def test_the_chinese_demo_has_no_english_of_ours(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`opsplanner demo` on the zh schedule: its generated reasons, notes and notes for
    tomorrow are Chinese too (only ids are left in Latin letters)."""
    zh = load_schedule(bundled_dir() / "taobao-operator.zh.yaml")
    ids = {zh.id, "demo", *(m.id for m in zh.metrics), *(b.id for b in zh.blocks)}
    ids |= {t.id for t in zh.tasks()} | {c.id for c in zh.campaigns}
    ids |= {f"{c.id}@{year}/{t.id}" for c in zh.campaigns for t in c.tasks for year in (2026, 2027)}
    monkeypatch.setenv("OPSPLANNER_NOW", "2026-11-24T10:00:00+08:00")
    path_line, *lines = ok(capsys, "demo", "--print", *ZH).splitlines()
    assert path_line.startswith("演示数据库：")
    assert english_left("\n".join(lines), ids) == []
    assert lines[0].startswith("周二 2026-11-24 · 淘宝店铺运营——每日工作流程 · demo")
    # the generated history's own words are checked in tests/store/test_generate.py


@pytest.mark.parametrize(
    "text",
    [
        "数据诊断",
        "ＡＢＣ１２３",
        "ｱｲｳ",
        "e\u0301",
        "零\u200b宽",
        "가나",
        "〜…✓·—",
        "店铺DSR（描述）",
        "👍",
    ],
)
def test_the_cli_measures_text_as_the_tui_does(text: str) -> None:
    """The agenda's columns and the TUI's are counted alike: CJK and full-width characters
    take two cells, combining marks and zero-width characters none."""
    assert width(text) == cell_len(text)
