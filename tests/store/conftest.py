"""The store's tests run on a SQLite file and, when OPSPLANNER_TEST_PG_URL is set, on a real
PostgreSQL server (CI starts one). A set URL whose server is unreachable fails the tests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

PG_URL = os.environ.get("OPSPLANNER_TEST_PG_URL")


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
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database of each kind."""
    if request.param == "sqlite":
        yield str(tmp_path / "ops.sqlite3")
        return
    if not PG_URL:
        pytest.skip("OPSPLANNER_TEST_PG_URL is not set (CI sets it)")
    _reset_postgres(PG_URL)
    yield PG_URL
