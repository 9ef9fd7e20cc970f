"""Where templates are: a path as given or a bundled one by name (no YAML needed to know).

Kept apart from the loader so that finding a template, and the schedule cache, never pay
for PyYAML's import.
"""

from __future__ import annotations

from pathlib import Path


def bundled_dir() -> Path:
    """The default schedules: shipped inside the wheel, or beside the package in a checkout."""
    here = Path(__file__).resolve().parent.parent
    installed = here / "bundled"
    return installed if installed.is_dir() else here.parent / "schedules"


def resolve_schedule_path(
    name_or_path: str, relative_to: Path | None = None, missed: list[Path] | None = None
) -> Path:
    """A path as given, else a bundled schedule by name (``taobao-operator``, ``…zh``).

    `missed` collects the places tried and found empty: a file appearing there would change
    the answer, so the schedule cache checks them."""
    tried = missed if missed is not None else []
    candidate = Path(name_or_path).expanduser()
    if relative_to is not None and not candidate.is_absolute():
        candidate = relative_to / candidate
    if path_exists(candidate):
        return candidate
    tried.append(candidate)
    for name in (name_or_path, f"{name_or_path}.yaml"):
        bundled = bundled_dir() / name
        if path_exists(bundled) and bundled.is_file():
            return bundled
        tried.append(bundled)
    return candidate


def path_exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:  # e.g. a name too long for the file system: no such file either
        return False
