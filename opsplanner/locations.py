"""Where opsplanner keeps its data; nothing is created until it is first needed."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from opsplanner.i18n import N_, _

APP_NAME = "opsplanner"


def data_dir() -> Path:
    """The per-user data folder (``OPSPLANNER_DATA_DIR`` overrides platformdirs)."""
    override = os.environ.get("OPSPLANNER_DATA_DIR")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def cache_dir() -> Path:
    """Derived files safe to delete (compiled schedules): ``OPSPLANNER_CACHE_DIR``, else beside
    an overridden data folder (so tests and sandboxes stay self-contained), else platformdirs."""
    override = os.environ.get("OPSPLANNER_CACHE_DIR")
    if override:
        return Path(override).expanduser()
    data = os.environ.get("OPSPLANNER_DATA_DIR")
    if data:
        return Path(data).expanduser() / "cache"
    from platformdirs import user_cache_path

    return user_cache_path(APP_NAME, appauthor=False)


def default_database_path() -> Path:
    """The SQLite file used when neither ``--db`` nor ``OPSPLANNER_DB`` names one."""
    return data_dir() / "opsplanner.sqlite3"


def ensure_private_dir(path: Path) -> Path:
    """Create a folder on first use, and every missing parent (``~/.cache``, ``~/.local``…),
    as 0700 whatever the umask: a parent others can write lets them swap the folder."""
    missing: list[Path] = []
    for folder in (path, *path.parents):
        if folder.is_dir():
            break
        missing.append(folder)
    for folder in reversed(missing):
        try:
            os.mkdir(folder, 0o700)  # never wider than 0700, whatever the umask
        except FileExistsError:
            if not folder.is_dir():
                raise
            continue  # made meanwhile by another process: not ours to change
        os.chmod(folder, 0o700)  # nor narrower (umask 0777 would leave 0000)
    return path


def shared_with_others(info: os.stat_result) -> str | None:
    """Why a folder or file another local user could change is not to be trusted, or None.

    Ours or root's, and writable by nobody else (a sticky bit does not help: others can
    still add files to it)."""
    if os.name != "posix":
        return None
    if info.st_uid not in (os.geteuid(), 0):
        return _("belongs to another user (uid {uid})").format(uid=info.st_uid)
    if info.st_mode & 0o022:
        return _("can be written by other users (mode {mode})").format(
            mode=f"{stat.S_IMODE(info.st_mode):04o}"
        )
    return None


def special_file(info: os.stat_result) -> str | None:
    """What a path is when it is not a regular file ("a named pipe", "a folder", …; in English:
    `_()` it where it is shown), else None: such a path is refused before it is opened
    (opening a FIFO blocks, a device never ends)."""
    for test, kind in (
        (stat.S_ISREG, None),
        (stat.S_ISDIR, N_("a folder")),
        (stat.S_ISFIFO, N_("a named pipe")),
        (stat.S_ISCHR, N_("a character device")),
        (stat.S_ISBLK, N_("a block device")),
        (stat.S_ISSOCK, N_("a socket")),
    ):
        if test(info.st_mode):
            return kind
    return N_("not a regular file")


def unsafe_folder(path: Path) -> str | None:
    """A one-line reason why an existing folder cannot hold the user's data, or None (also
    for a folder that does not exist yet: it will be made private)."""
    try:
        reason = shared_with_others(os.stat(path))
    except OSError:
        return None
    if reason is None:
        return None
    return _(
        "{path} {reason}; other users could plant or swap files there: "
        "use a private folder (chmod 700)"
    ).format(path=path, reason=reason)
