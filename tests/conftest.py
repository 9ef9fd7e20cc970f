"""Deterministic tests: no user config, schedule or database is ever discovered."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

_HARNESS_COUNTS: list[str] = []


def harness_log(line: str) -> None:
    """Record a reliability count (kills, writes, fuzz cases) for the end-of-run summary,
    so the CI log shows the evidence without `-s`."""
    _HARNESS_COUNTS.append(line)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _HARNESS_COUNTS:
        terminalreporter.section("reliability harness")
        for line in _HARNESS_COUNTS:
            terminalreporter.write_line(line.rstrip())


@pytest.fixture(autouse=True)
def isolated_environment(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    data = tmp_path_factory.mktemp("data")
    for name in ("OPSPLANNER_SCHEDULE", "OPSPLANNER_DB", "OPSPLANNER_OPERATOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OPSPLANNER_DATA_DIR", str(data))
    monkeypatch.setenv("TEXTUAL_ANIMATION", "none")
    yield


@pytest.fixture
def fixtures_dir() -> Path:
    return Path(__file__).parent / "fixtures"
