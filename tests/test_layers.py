"""The direction of the layers, read from the source (no import is run):

    cli, tui  →  service  →  store, planner  →  schedule

`schedule` and `planner` import nothing of `store`, `service`, `cli` or `tui`; the store
imports no `service`, `cli` or `tui`; the front-ends reach the store only through the
service (its error types excepted: they are what the service raises)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "opsplanner"
FRONT_ENDS_MAY_IMPORT_FROM_STORE = {"opsplanner.store.errors"}

FORBIDDEN = {
    "schedule": (
        "opsplanner.planner",
        "opsplanner.store",
        "opsplanner.service",
        "opsplanner.cli",
        "opsplanner.tui",
    ),
    "planner": ("opsplanner.store", "opsplanner.service", "opsplanner.cli", "opsplanner.tui"),
    "store": ("opsplanner.service", "opsplanner.cli", "opsplanner.tui"),
    "service.py": ("opsplanner.cli", "opsplanner.tui"),
    "cli": ("opsplanner.tui.",),  # the TUI is launched through its app module only
    "tui": ("opsplanner.cli",),
}


def imports_of(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside functions (lazy imports count)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def files_of(layer: str) -> list[Path]:
    target = PACKAGE / layer
    return [target] if target.is_file() else sorted(target.rglob("*.py"))


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_a_layer_imports_nothing_above_it(layer: str) -> None:
    wrong = {
        f"{path.relative_to(PACKAGE)}: {module}"
        for path in files_of(layer)
        for module in imports_of(path)
        if module.startswith(FORBIDDEN[layer])
        and not (layer == "cli" and module in ("opsplanner.tui.app", "opsplanner.tui.app.make_app"))
    }
    assert not wrong


@pytest.mark.parametrize("front_end", ["cli", "tui"])
def test_front_ends_reach_the_store_only_through_the_service(front_end: str) -> None:
    wrong = set()
    for path in files_of(front_end):
        for module in imports_of(path):
            if not module.startswith("opsplanner.store"):
                continue
            if any(module.startswith(allowed) for allowed in FRONT_ENDS_MAY_IMPORT_FROM_STORE):
                continue
            wrong.add(f"{path.relative_to(PACKAGE)}: {module}")
    assert not wrong


def test_the_checker_sees_lazy_imports(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text("def f():\n    from opsplanner.store.store import Store\n", encoding="utf-8")
    assert "opsplanner.store.store.Store" in imports_of(probe)
