"""Where templates are: a path as given or a bundled one by name (no YAML needed to know).

Kept apart from the loader so that finding a template, and the schedule cache, never pay
for PyYAML's import.
"""

from __future__ import annotations

import os
from pathlib import Path


def bundled_dir() -> Path:
    """The default schedules: shipped inside the wheel, or beside the package in a checkout."""
    here = Path(__file__).resolve().parent.parent
    installed = here / "bundled"
    return installed if installed.is_dir() else here.parent / "schedules"


def resolve_schedule_path(
    name_or_path: str, relative_to: Path | None = None, missed: list[Path] | None = None
) -> Path:
    """A bundled schedule by its bare name (``taobao-operator``, ``…zh``), else a path.

    A bare name of a bundled schedule always means that one: a file or folder of the same
    name in the working folder never replaces (or breaks) it; say ``./taobao-operator`` for
    that. Other names are paths; a missing ``NAME.yaml`` falls back to a bundled one.
    `missed` collects the places tried and found empty: a file appearing there would change
    the answer, so the schedule cache checks them."""
    tried = missed if missed is not None else []
    bare = _is_bare_name(name_or_path)
    if bare and (found := _bundled((name_or_path, f"{name_or_path}.yaml"), tried)):
        return found
    candidate = Path(name_or_path).expanduser()
    if relative_to is not None and not candidate.is_absolute():
        candidate = relative_to / candidate
    if path_exists(candidate):
        return candidate
    tried.append(candidate)
    if not bare and _is_bare_name(name_or_path.removesuffix(".yaml")):
        return _bundled((name_or_path,), tried) or candidate
    return candidate


def _bundled(names: tuple[str, ...], tried: list[Path]) -> Path | None:
    for name in names:
        bundled = bundled_dir() / name
        if path_exists(bundled) and bundled.is_file():
            return bundled
        tried.append(bundled)
    return None


def _is_bare_name(text: str) -> bool:
    """A name, not a path: no folder part, not `.`-relative or `~`, no `.yaml`/`.yml`."""
    return (
        bool(text)
        and "/" not in text
        and os.sep not in text
        and not text.startswith((".", "~"))
        and not text.endswith((".yaml", ".yml"))
    )


def path_exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:  # e.g. a name too long for the file system: no such file either
        return False
