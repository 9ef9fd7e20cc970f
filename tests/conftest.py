"""Deterministic tests: no user config, schedule or database is ever discovered."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from opsplanner import i18n
from opsplanner.i18n import ENGLISH
from opsplanner.schedule.models import Schedule

_HARNESS_COUNTS: list[str] = []
PG_URL = os.environ.get("OPSPLANNER_TEST_PG_URL")


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
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):  # English unless a test says otherwise
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    yield
    i18n.use(ENGLISH)  # the language is the process's: a test that chose one gives it back


@pytest.fixture
def fixtures_dir() -> Path:
    return Path(__file__).parent / "fixtures"


@pytest.fixture
def office(fixtures_dir: Path) -> Schedule:
    """A small schedule exercising every kind of recurrence (tests/fixtures/office.yaml)."""
    from opsplanner.schedule.loader import load_schedule

    return load_schedule(fixtures_dir / "office.yaml")


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A SQLite file nobody has opened yet."""
    return str(tmp_path / "ops.sqlite3")


def _reset_postgres(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database of each kind: a SQLite file and, when OPSPLANNER_TEST_PG_URL
    is set, a real PostgreSQL server (CI starts one) with its public schema emptied. A set
    URL whose server is unreachable fails the test instead of skipping it."""
    if request.param == "sqlite":
        return str(tmp_path / "ops.sqlite3")
    if not PG_URL:
        pytest.skip("OPSPLANNER_TEST_PG_URL is not set (CI sets it)")
    _reset_postgres(PG_URL)
    return PG_URL
