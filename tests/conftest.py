"""Deterministic tests: no user config, schedule or database is ever discovered."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path_factory: pytest.TempPathFactory,
                         monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    data = tmp_path_factory.mktemp("data")
    for name in ("OPSPLANNER_SCHEDULE", "OPSPLANNER_DB", "OPSPLANNER_OPERATOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OPSPLANNER_DATA_DIR", str(data))
    monkeypatch.setenv("TEXTUAL_ANIMATION", "none")
    yield


@pytest.fixture
def fixtures_dir() -> Path:
    return Path(__file__).parent / "fixtures"
