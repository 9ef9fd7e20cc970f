"""Hostile text: whatever is typed or written in a template is shown as typed, never acted on.

Markup-looking text (`[/] later`, `[@click=app.quit]x`) displays exactly as typed on every TUI
screen, in notifications and in the command palette; control sequences (ESC, OSC 52, C1,
CR, bidi overrides) never reach a terminal, a CSV or a Markdown report: they are shown
escaped (see `opsplanner/safe_text.py`). The loader refuses them in templates; CSV cells
cannot start a formula; Markdown text cannot add headings or table rows.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from opsplanner.cli import main
from opsplanner.clock import FixedClock
from opsplanner.safe_text import one_line, shown
from opsplanner.schedule.errors import ScheduleError
from opsplanner.schedule.loader import load_schedule, load_schedule_text
from opsplanner.schedule.models import Schedule
from opsplanner.service import OpsService
from opsplanner.tui.app import make_app
from tests.conftest import harness_log
from tests.reliability.hostile import (
    CONTROL_CASES,
    MARKUP_CASES,
    MONDAY,
    NINE,
    raw_controls,
    screen_text,
    seed,
    shown_on_every_screen,
)
from tests.tui.conftest import settle

SIZE = (160, 48)

COUNTS: Counter[str] = Counter()


@pytest.fixture(scope="module", autouse=True)
def report_counts() -> Iterator[None]:
    yield
    harness_log(
        f"hostile text: {COUNTS['markup']} markup cases, {COUNTS['control']} control-sequence "
        f"cases checked on screens and outputs ({COUNTS['screens']} screens, "
        f"{COUNTS['outputs']} CLI/report outputs): {COUNTS['crash']} crashes, "
        f"{COUNTS['raw']} raw escapes"
    )


def no_raw_controls(text: str, where: str) -> None:
    found = raw_controls(text)
    COUNTS["raw"] += bool(found)
    assert not found, f"{where}: raw control characters {found!r} in {text!r:.2000}"


# ---------------------------------------------------------------- the sanitiser


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("plain 中文 text", "plain 中文 text"),
        ("a\x1b[2Jb", "a\\x1b[2Jb"),
        ("\x1b]52;c;eA==\x07", "\\x1b]52;c;eA==\\x07"),
        ("x\x9b2J", "x\\x9b2J"),
        ("a\nb\r\nc\rd", "a⏎b⏎c\\rd"),
        ("tab\there", "tab\\there"),
        ("\x00\x7f", "\\x00\\x7f"),
        ("abc\u202edcba", "abc\\u202edcba"),
        ("\u2066x\u2069\u200f", "\\u2066x\\u2069\\u200f"),
        ("line\u2028sep", "line⏎sep"),
        ("lone \udcff", "lone \\udcff"),
        ("工作\u3000完成 👨\u200d👩\u200d👧 e\u0301", "工作\u3000完成 👨\u200d👩\u200d👧 e\u0301"),
        ("[/] later", "[/] later"),
    ],
)
def test_one_line_shows_controls_escaped(typed: str, expected: str) -> None:
    assert one_line(typed) == expected


def test_shown_keeps_line_breaks_of_a_text_block() -> None:
    assert shown("a\r\nb\nc\x1b[2J") == "a\nb\nc\\x1b[2J"


# ---------------------------------------------------------------- the TUI


async def visit(pilot: Pilot[Any], keys: tuple[str, ...]) -> str:
    await pilot.press(*keys)
    await settle(pilot)
    return screen_text(pilot.app)


async def check_screens(schedule: Schedule, db: str, text: str, kind: str) -> None:
    try:
        COUNTS["screens"] += await shown_on_every_screen(schedule, db, text)
    except AssertionError as error:
        COUNTS["raw" if "raw control" in str(error) else "wrong"] += 1
        raise
    except Exception:
        COUNTS["crash"] += 1
        raise


@pytest.mark.parametrize("text", MARKUP_CASES)
async def test_markup_shows_as_typed_on_every_screen(office: Schedule, db: str, text: str) -> None:
    await check_screens(office, db, text, "markup")
    COUNTS["markup"] += 1


@pytest.mark.parametrize("text", CONTROL_CASES.values(), ids=CONTROL_CASES.keys())
async def test_control_sequences_never_reach_the_screen(
    office: Schedule, db: str, text: str
) -> None:
    await check_screens(office, db, text, "control")
    COUNTS["control"] += 1


async def test_editing_a_hostile_note_shows_it_escaped_and_keeps_it(
    office: Schedule, db: str
) -> None:
    """The note's prompt shows the text escaped; Enter on it unchanged keeps the note exactly
    as it was typed (the escape is for display only)."""
    text = CONTROL_CASES["retitle and clear"] + " [/] later"
    seed(office, db, text)
    service = OpsService.for_database(office, FixedClock(NINE), db=db, operator="ana")
    app = make_app(service=service)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shot = await visit(pilot, ("n",))
        no_raw_controls(shot, "the note's prompt")
        assert one_line(text) in shot, shot
        await visit(pilot, ("enter",))
        assert app.view is not None
        assert app.view.record.entry("store-data").note == text  # type: ignore[union-attr]
        COUNTS["screens"] += 1


MARKED_TEMPLATE = """\
schedule: marked
title: "Shop [b]A[/b] ops"
timezone: Asia/Shanghai
metrics:
  visitors: {label: "UV [/] count", unit: count}
blocks:
  - id: morning
    title: "Data [/red] check"
    start: "08:30"
    end: "10:30"
    tasks:
      - id: store-data
        title: "[urgent] call supplier"
        detail: "see [/path]"
        metrics: [visitors]
        checks: [visitors required]
      - id: weekly
        title: "[@click=app.quit]x"
        repeat: weekly on mon
campaigns:
  - id: sale
    title: "price [/red] fixed"
    date: 2026-11-30
    tasks:
      - {id: prep, title: "[/] later", when: -3d, block: morning}
"""


async def test_template_text_with_markup_shows_as_written(tmp_path: Path, db: str) -> None:
    """Titles, details, metric labels, campaign titles: on the day, in a notification, in
    the command palette and on the week."""
    template = tmp_path / "marked.yaml"
    template.write_text(MARKED_TEMPLATE, encoding="utf-8")
    schedule = load_schedule(template)
    app = make_app(
        service=OpsService.for_database(schedule, FixedClock(NINE), db=db, operator="ana")
    )
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        shot = screen_text(app)
        for written in (
            "Shop [b]A[/b] ops",
            "Data [/red] check: 90 min left",
            "▶ 08:30-10:30 0/2 Data [/red] check",
            "○ [urgent] call supplier",
            "○ [@click=app.quit]x",
            "see [/path]",
            "UV [/] count",
        ):
            assert written in shot, f"{written!r} is not on the today screen:\n{shot}"
        shot = await visit(pilot, ("space",))  # a required figure is missing: the prompt says
        assert "Missing: UV [/] count is required" in shot, shot
        shot = await visit(pilot, ("escape", "down", "s"))  # the skip prompt names the task
        assert "Why skip “[@click=app.quit]x”?" in shot, shot
        shot = await visit(pilot, ("escape", "ctrl+p"))
        for letter in "jump":
            shot = await visit(pilot, (letter,))
        assert "Jump to block: Data [/red] check" in shot, shot
        shot = await visit(pilot, ("escape", "w"))
        for written in ("Data [/red] check", "price [/red] fixed", "next: 11-27 [/] later"):
            assert written in shot, f"{written!r} is not on the week screen:\n{shot}"
        COUNTS["screens"] += 3
    assert app.return_code in (None, 0)


# ---------------------------------------------------------------- the CLI


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    no_raw_controls(out, f"stdout of {argv!r}")
    no_raw_controls(err, f"stderr of {argv!r}")
    COUNTS["outputs"] += 1
    return status, out, err


@pytest.fixture
def at_nine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPSPLANNER_NOW", NINE.isoformat())


@pytest.mark.parametrize("text", CONTROL_CASES.values(), ids=CONTROL_CASES.keys())
@pytest.mark.usefixtures("at_nine")
def test_cli_prints_typed_text_escaped(
    capsys: pytest.CaptureFixture[str], fixtures_dir: Path, db: str, text: str
) -> None:
    base = ["--db", db, "--schedule", str(fixtures_dir / "office.yaml")]
    expected = one_line(text)
    status, out, _ = cli(capsys, "note", "store-data", text, *base)
    assert status == 0
    status, out, _ = cli(capsys, "carry", "weekly-target", "--reason", text, *base)
    assert status == 0 and out.rstrip("\n").endswith(f": {expected}"), out
    status, out, _ = cli(capsys, "skip", "weekday-only", "--reason", text, *base)
    assert status == 0 and out.rstrip("\n").endswith(f": {expected}"), out
    status, out, _ = cli(capsys, "explain", "visitors", "--cause", text, *base)
    cli(capsys, "review", "--tomorrow", text, *base)
    status, out, _ = cli(capsys, "today", *base)
    assert status == 0
    assert f"      note: {expected}\n" in out and f"      reason: {expected}\n" in out, out
    status, out, _ = cli(capsys, "today", "--json", *base)
    note = next(
        t for b in json.loads(out)["blocks"] for t in b["tasks"] if t["task_id"] == "store-data"
    )
    assert note["note"] == text, "JSON keeps the text exactly (escaped the JSON way)"
    for form in ("md", "csv", "json"):
        status, out, _ = cli(capsys, "report", "day", "--format", form, *base)
        assert status == 0, out
    cli(capsys, "review", *base)
    status, out, err = cli(capsys, "today", "--operator", text, *base)
    assert status in (0, 2), err  # an operator name with controls may be refused: one line
    COUNTS["control"] += 1


@pytest.mark.usefixtures("at_nine")
def test_errors_quoting_input_are_escaped(
    capsys: pytest.CaptureFixture[str], fixtures_dir: Path, db: str
) -> None:
    base = ["--db", db, "--schedule", str(fixtures_dir / "office.yaml")]
    for text in CONTROL_CASES.values():
        status, _, err = cli(capsys, "done", f"task{text}", *base)
        assert status == 2 and err.count("\n") == 1, err
        status, _, err = cli(capsys, "metric", "set", "visitors", text, *base)
        assert status == 2 and err.count("\n") == 1, err
        status, out, err = cli(capsys, "check", str(fixtures_dir / f"no{text}.yaml"))
        assert status in (1, 2), err
        COUNTS["control"] += 1


def test_agenda_escapes_template_text_stored_before_the_loader_refused_it(
    office: Schedule,
) -> None:
    """A day stored from an older template keeps its titles: the CLI still escapes them.
    (Operator names with control characters are refused up front: test_planted_files.)"""
    from dataclasses import replace

    from opsplanner.cli.text import agenda_lines

    schedule = replace(office, title="Office\x1b]2;PWNED\x07")
    service = OpsService.for_database(schedule, FixedClock(NINE), db=":memory:", operator="ana")
    lines = "\n".join(agenda_lines(service.sketch(MONDAY), NINE))
    no_raw_controls(lines, "today's agenda")
    assert "Office\\x1b]2;PWNED\\x07 · ana" in lines


# ---------------------------------------------------------------- the loader


@pytest.mark.parametrize(
    ("value", "shown_as"),
    [
        ('"\\e[2J clear"', "\\x1b"),
        ('"\\x9b2J"', "\\x9b"),
        ('"a\\rb"', "\\r"),
        ('"two\\nlines"', "\\n"),
        ('"tab\\there"', "\\t"),
        ('"\\u202eevil"', "\\u202e"),
        ("evil\u2067 isolate", "\\u2067"),
    ],
)
def test_loader_refuses_control_characters_in_titles(
    tmp_path: Path, value: str, shown_as: str
) -> None:
    source = tmp_path / "hostile.yaml"
    source.write_text(
        "schedule: x\ntitle: ok\nblocks:\n  - id: a\n    title: A\n    start: '08:00'\n"
        f"    end: '09:00'\n    tasks:\n      - id: t\n        title: {value}\n",
        encoding="utf-8",
    )
    with pytest.raises(ScheduleError) as caught:
        load_schedule(source)
    (problem,) = caught.value.problems
    assert str(problem).startswith(f"{source}:10:16: task 't' `title` has a control character ")
    assert shown_as in str(problem) and str(problem).isprintable()


@pytest.mark.parametrize(
    "template",
    [
        'schedule: x\ntitle: "ok\\e[2J"\nblocks: []\n',
        'schedule: "x\\e"\ntitle: ok\nblocks: []\n',
        'schedule: x\ntitle: ok\nmetrics: {m: {label: "UV\\e[31m", unit: count}}\nblocks: []\n',
        'schedule: x\ntitle: ok\nblocks:\n  - {id: a, title: "A\\x9b"}\n',
    ],
)
def test_loader_refuses_control_characters_anywhere_as_text(template: str) -> None:
    with pytest.raises(ScheduleError) as caught:
        load_schedule_text(template, "hostile.yaml")
    assert any("control character" in str(p) for p in caught.value.problems), caught.value


def test_a_multi_line_detail_is_still_fine() -> None:
    schedule = load_schedule_text(
        "schedule: x\ntitle: ok\nblocks:\n  - id: a\n    title: A\n    start: '08:00'\n"
        "    end: '09:00'\n    tasks:\n      - id: t\n        title: T\n        detail: |\n"
        "          one\n          two\n",
        "fine.yaml",
    )
    assert schedule.blocks[0].tasks[0].detail == "one\ntwo"


# ---------------------------------------------------------------- CSV and Markdown

FORMULAS = ['=HYPERLINK("http://x.test","x")', "+1+cmd", "-2+3", "@SUM(A1)", "\t=cmd", "\rx"]


@pytest.mark.usefixtures("at_nine")
def test_csv_cells_cannot_start_a_formula(
    capsys: pytest.CaptureFixture[str], fixtures_dir: Path, db: str
) -> None:
    base = ["--db", db, "--schedule", str(fixtures_dir / "office.yaml")]
    tasks = ["store-data", "weekly-target", "weekday-only", "plan-tomorrow", "product-check"]
    for task, formula in zip(tasks, FORMULAS[:5], strict=True):
        assert cli(capsys, "note", *base, task, "--", formula)[0] == 0
    cli(capsys, "carry", "weekday-only", "--reason", FORMULAS[5], *base)
    cli(capsys, "review", "--tomorrow", "=1+1", *base)
    status, out, _ = cli(capsys, "report", "day", "--format", "csv", *base)
    assert status == 0
    rows = list(csv.reader(io.StringIO(out.lstrip("\ufeff"))))
    cells = [cell for row in rows for cell in row]
    dangerous = [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert all(re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", c) for c in dangerous), dangerous
    notes = {row[3]: row[7] for row in rows if row[0] == "note"}
    assert notes == {
        "store-data": '\'=HYPERLINK("http://x.test","x")',
        "weekly-target": "'+1+cmd",
        "weekday-only": "'-2+3",
        "plan-tomorrow": "'@SUM(A1)",
        "product-check": "'=cmd",  # the leading tab is trimmed, as typed text is
    }
    assert next(row[7] for row in rows if row[0] == "tomorrow") == "'=1+1"


def test_negative_numbers_stay_numbers_in_csv() -> None:
    from opsplanner.planner.reports.to_csv import csv_cell

    assert csv_cell("-3.5") == "-3.5"
    assert csv_cell("-12") == "-12"
    assert csv_cell("-12 units") == "'-12 units"
    assert csv_cell("-") == "'-"


@pytest.mark.usefixtures("at_nine")
def test_markdown_text_cannot_add_headings_or_rows(
    capsys: pytest.CaptureFixture[str], fixtures_dir: Path, db: str
) -> None:
    base = ["--db", db, "--schedule", str(fixtures_dir / "office.yaml")]
    reason = "late\n# FIRED\n| forged | row |"
    cli(capsys, "carry", "weekday-only", "--reason", reason, *base)
    cli(capsys, "note", "store-data", "| a | b |", *base)
    cli(capsys, "review", "--tomorrow", "# Boss says\n---\n> quote\n1. one", *base)
    status, out, _ = cli(capsys, "report", "day", *base)
    assert status == 0
    headings = [line for line in out.splitlines() if line.startswith("#")]
    assert not any("FIRED" in h or "Boss" in h for h in headings), headings
    assert not any(line.startswith("| forged") for line in out.splitlines())
    assert "---" not in out.splitlines()
    assert not any(line.startswith(("> quote", "1. one")) for line in out.splitlines())
    assert "\\# Boss says" in out
    COUNTS["outputs"] += 1
