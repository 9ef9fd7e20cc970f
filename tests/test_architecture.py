"""The layers point one way; the headless packages never pay for Textual or SQL."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("textual", "sqlalchemy", "sqlmodel", "alembic", "pydantic")


def loaded_modules(*modules: str) -> set[str]:
    code = (
        "import importlib, json, sys\n"
        f"for name in {list(modules)!r}: importlib.import_module(name)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True).stdout
    return set(json.loads(out))


@pytest.mark.parametrize("module", [
    "opsplanner.schedule.loader",
    "opsplanner.planner.day",
    "opsplanner.planner.values",
    "opsplanner.cli",
    "opsplanner.store.reader",  # read-only verbs stay clear of the ORM's import bill
    "opsplanner.store.periods",
    "opsplanner.store.errors",
])
def test_headless_modules_import_no_textual_or_sql(module: str) -> None:
    loaded = loaded_modules(module)
    assert not {m for m in loaded if m.split(".")[0] in HEAVY}


def test_package_root_is_light() -> None:
    loaded = loaded_modules("opsplanner")
    assert not {m for m in loaded if m.split(".")[0] in (*HEAVY, "yaml", "dateutil")}


def test_store_imports_no_textual() -> None:
    loaded = loaded_modules("opsplanner.store.store", "opsplanner.store.periods",
                            "opsplanner.store.generate")
    assert not {m for m in loaded if m.split(".")[0] == "textual"}


def test_the_tui_draws_without_waiting_for_the_database_layer() -> None:
    """The first frame comes from the template; SQLModel loads in a worker afterwards."""
    loaded = loaded_modules("opsplanner.tui.app", "opsplanner.tui.screens.today",
                            "opsplanner.tui.commands")
    assert "textual" in {m.split(".")[0] for m in loaded}
    assert not {m for m in loaded if m.split(".")[0] in ("sqlalchemy", "sqlmodel", "alembic")}
