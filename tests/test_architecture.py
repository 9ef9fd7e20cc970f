"""The layers point one way; the headless packages never pay for Textual or SQL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("textual", "sqlalchemy", "sqlmodel", "alembic", "pydantic")


def loaded_modules(*modules: str) -> set[str]:
    code = (
        "import importlib, json, sys\n"
        f"for name in {list(modules)!r}: importlib.import_module(name)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout
    return set(json.loads(out))


@pytest.mark.parametrize(
    "module",
    [
        "opsplanner.schedule.loader",
        "opsplanner.planner.day",
        "opsplanner.planner.values",
        "opsplanner.cli",
        "opsplanner.store.reader",  # read-only verbs stay clear of the ORM's import bill
        "opsplanner.store.queries",  # the SQL both drivers run, importable without either
        "opsplanner.store.errors",
        "opsplanner.service",  # the use-case layer opens the full store only when needed
        "opsplanner.cli.verbs",
    ],
)
def test_headless_modules_import_no_textual_or_sql(module: str) -> None:
    loaded = loaded_modules(module)
    assert not {m for m in loaded if m.split(".")[0] in HEAVY}


def test_package_root_is_light() -> None:
    loaded = loaded_modules("opsplanner")
    assert not {m for m in loaded if m.split(".")[0] in (*HEAVY, "yaml", "dateutil")}


def test_store_imports_no_textual() -> None:
    loaded = loaded_modules("opsplanner.store.store", "opsplanner.store.generate")
    assert not {m for m in loaded if m.split(".")[0] == "textual"}


def test_the_tui_draws_without_waiting_for_the_database_layer() -> None:
    """The first frame comes from the template; SQLModel loads in a worker afterwards."""
    loaded = loaded_modules(
        "opsplanner.tui.app", "opsplanner.tui.screens.today", "opsplanner.tui.commands"
    )
    assert "textual" in {m.split(".")[0] for m in loaded}
    assert not {m for m in loaded if m.split(".")[0] in ("sqlalchemy", "sqlmodel", "alembic")}


def test_a_warm_today_neither_parses_yaml_nor_imports_the_orm(tmp_path: Path) -> None:
    """The second `today` of a day reads the compiled schedule and the SQLite file directly:
    the start-up bill of PyYAML and SQLAlchemy is paid once, by the run that opened the day."""
    env = {
        **os.environ,
        "OPSPLANNER_DATA_DIR": str(tmp_path / "data"),
        "OPSPLANNER_NOW": "2026-11-23T02:00:00+00:00",
        "OPSPLANNER_OPERATOR": "ana",
    }
    argv = ["today", "--json", "--db", str(tmp_path / "ops.sqlite3")]
    probe = (
        "import json, sys\n"
        "from opsplanner.cli import main\n"
        f"assert main({argv!r}) == 0\n"
        "print(json.dumps(sorted(m for m in ('yaml', 'sqlalchemy', 'sqlmodel', 'pydantic') "
        "if m in sys.modules)))\n"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", probe], env=env, check=True, capture_output=True, text=True
        ).stdout.splitlines()[-1]
        for _ in range(2)
    ]
    assert json.loads(runs[0]) == ["pydantic", "sqlalchemy", "sqlmodel", "yaml"]
    assert json.loads(runs[1]) == []
