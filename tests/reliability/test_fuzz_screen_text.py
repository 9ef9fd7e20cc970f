"""Screen-text fuzzer: notes, reasons, notes for tomorrow and task titles made of markup and
control-sequence pieces, shown by the TUI.

Every case opens the app and visits today, week, history and review: no crash, the exact text
(escaped the documented way, `opsplanner/safe_text.py`) readable on each screen, and no raw
control character sent. A title the loader refuses (it holds a control character) is refused
with one FILE:LINE:COL line; one it accepts is shown as written.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from opsplanner.schedule.errors import ScheduleError
from opsplanner.schedule.loader import load_schedule
from tests.conftest import harness_log
from tests.reliability.hostile import (
    CARRIED_TITLE,
    HOSTILE_TEXT,
    has_controls,
    has_markup,
    shown_on_every_screen,
)

CASES: Counter[str] = Counter()
SIZE = (240, 48)  # room for the longest case on one line


@pytest.fixture(scope="module", autouse=True)
def report_case_counts() -> Iterator[None]:
    yield
    harness_log(
        f"screen-text fuzzer: {CASES['case']} cases on {CASES['screens']} screens "
        f"({CASES['markup']} with markup, {CASES['control']} with control sequences; "
        f"{CASES['title refused']} titles refused by the loader): {CASES['crash']} crashes, "
        f"{CASES['raw']} raw escapes"
    )


@settings(
    deadline=None,
    max_examples=15,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=HOSTILE_TEXT, title=HOSTILE_TEXT)
def test_hostile_text_on_every_screen(
    tmp_path_factory: pytest.TempPathFactory, fixtures_dir: Path, text: str, title: str
) -> None:
    folder = tmp_path_factory.mktemp("screen-text")
    office = (fixtures_dir / "office.yaml").read_text(encoding="utf-8")
    template = folder / "office.yaml"
    template.write_text(
        office.replace(f"title: {CARRIED_TITLE}", f"title: {json.dumps(title)}"), encoding="utf-8"
    )
    try:
        schedule = load_schedule(template)
    except ScheduleError as error:
        assert has_controls(title.strip()), f"{title!r} refused: {error}"
        (problem,) = error.problems
        assert "control character" in str(problem) and str(problem).isprintable(), problem
        CASES["title refused"] += 1
        template.write_text(office, encoding="utf-8")
        schedule = load_schedule(template)
    try:
        CASES["screens"] += asyncio.run(
            shown_on_every_screen(schedule, str(folder / "ops.sqlite3"), text, size=SIZE)
        )
    except AssertionError as error:
        CASES["raw"] += "raw control" in str(error)
        raise
    except Exception:
        CASES["crash"] += 1
        raise
    CASES["case"] += 1
    CASES["markup"] += has_markup(text) or has_markup(title)
    CASES["control"] += has_controls(text)
