"""Engines for SQLite (default, durable, two writers at once) and PostgreSQL, and schema upkeep.

SQLite is opened in WAL mode with `synchronous=FULL`, so a committed write is on disk before
the call returns and survives `kill -9` (and a power cut); writers take the lock up front
(`BEGIN IMMEDIATE`) so SQLite's busy timeout applies instead of failing mid-transaction.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from opsplanner.i18n import _
from opsplanner.locations import ensure_private_dir, special_file
from opsplanner.store.config import (
    BUSY_TIMEOUT_MS,
    SCHEMA_HEAD,
    SCHEMA_REVISIONS,
    chosen_database,
    database_url,
)
from opsplanner.store.errors import StoreError

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def make_engine(path_or_url: str | None = None) -> Engine:
    """An engine for the chosen database; a new SQLite file is created private (0600).

    A SQLite file is looked at before SQLite may write to it (see `_check_sqlite_file`)."""
    url_text = database_url(path_or_url)
    try:
        url = make_url(url_text)
    except ArgumentError:
        raise StoreError(_("not a database path or URL: {url!r}").format(url=url_text)) from None
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(url_text, url.database, default=chosen_database(path_or_url) is None)
    try:
        return create_engine(url_text, pool_pre_ping=True)
    except ModuleNotFoundError as error:
        raise StoreError(
            _(
                "the driver for {driver} is not installed ({module}); "
                "for PostgreSQL: pip install 'opsplanner[postgres]'"
            ).format(driver=url.drivername, module=error.name)
        ) from None
    except ArgumentError as error:
        raise StoreError(
            _("cannot use database URL {url!r}: {error}").format(url=url_text, error=error)
        ) from None


def _sqlite_engine(url_text: str, database: str | None, *, default: bool) -> Engine:
    if database and database != ":memory:" and not database.startswith("file:"):
        _check_sqlite_file(Path(database), make_folder=default)
    engine = create_engine(url_text, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        _switch_to_wal(cursor)
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        writing = connection.get_execution_options().get("opsplanner_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")

    return engine


def _switch_to_wal(cursor: Any) -> None:
    """Switching a new file to WAL ignores the busy timeout; wait for the other opener."""
    import sqlite3
    import time

    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _check_sqlite_file(path: Path, *, make_folder: bool) -> None:
    """Refuse, before SQLite writes a byte (the switch to WAL rewrites the header), a file
    that cannot be an opsplanner database here: a device, a pipe or a folder, a folder that
    does not exist (only the default data folder is made), one we may not write, a file of
    another kind or program, a newer schema. A refused file is left exactly as it was; a new
    one is created private (0600)."""
    folder = path.parent
    _check_folder(folder, path, make=make_folder)
    try:
        with contextlib.suppress(FileExistsError):  # one that is there is looked at below
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        info = os.stat(path)
    except OSError as error:
        raise StoreError(
            _("cannot use the database {path}: {reason}").format(path=path, reason=error.strerror)
        ) from None
    kind = special_file(info)
    if kind is not None:
        raise StoreError(_("{path} is {kind}, not a database file").format(path=path, kind=_(kind)))
    if not os.access(folder, os.W_OK):  # SQLite makes its -wal and -shm files beside it
        raise StoreError(
            _("cannot save to the database {path}: {folder} is read-only").format(
                path=path, folder=folder
            )
        )
    if not os.access(path, os.W_OK):
        raise StoreError(
            _("cannot save to the database {path}: the file is read-only").format(path=path)
        )
    refusal = _inspect_sqlite_file(path) if info.st_size else None
    if refusal is not None:
        raise StoreError(refusal)


def _check_folder(folder: Path, path: Path, *, make: bool) -> None:
    """The database's folder is there (the default data folder is made on first use; a
    folder in a mistyped `--db` is not), and is a folder."""
    try:
        info = os.stat(folder)
    except FileNotFoundError:
        if not make:
            raise StoreError(
                _("cannot use the database {path}: {folder} does not exist").format(
                    path=path, folder=folder
                )
            ) from None
        try:
            ensure_private_dir(folder)
        except OSError as error:
            raise StoreError(
                _("cannot make the data folder {folder}: {reason}").format(
                    folder=folder, reason=error.strerror
                )
            ) from None
        return
    except OSError as error:
        raise StoreError(
            _("cannot use the database {path}: {folder}: {reason}").format(
                path=path, folder=folder, reason=error.strerror
            )
        ) from None
    if not stat.S_ISDIR(info.st_mode):
        raise StoreError(
            _("cannot use the database {path}: {folder} is not a folder").format(
                path=path, folder=folder
            )
        )


def _inspect_sqlite_file(path: Path) -> str | None:
    """Why an existing file must not be opened for writing, read without writing to it.
    Only through SQLite: closing a file descriptor of our own on the database would drop
    every POSIX lock this process holds on it, under the other connections' feet."""
    import sqlite3

    try:
        connection = sqlite3.connect(
            f"file:{quote(str(path))}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000
        )
        try:
            tables = {
                name
                for (name,) in connection.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table'"
                )
            }
            row = (
                connection.execute("SELECT version_num FROM alembic_version").fetchone()
                if "alembic_version" in tables
                else None
            )
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        if "not a database" in str(error):
            return _(
                "{path} is not a SQLite database (is it the right file?); it was left untouched"
            ).format(path=path)
        return _damaged(path, error)
    except sqlite3.Error as error:
        return _damaged(path, error)
    return _refusal(str(row[0]) if row else None, bool(tables), str(path))


def _damaged(path: Path, error: BaseException) -> str:
    return _("the database {path} is damaged ({reason}); it was left untouched").format(
        path=path, reason=_first_line(error)
    )


def _refusal(revision: str | None, has_tables: bool, location: str) -> str | None:
    """Why a database must be left alone: a newer opsplanner's, or another program's."""
    if revision is not None and revision not in SCHEMA_REVISIONS:
        return _(
            "the database {database} has schema {revision}, newer than this "
            "opsplanner understands (up to {head}); upgrade opsplanner to open it"
        ).format(database=location, revision=revision, head=SCHEMA_HEAD)
    if revision is None and has_tables:
        return _("{database} is not an opsplanner database; it was left untouched").format(
            database=location
        )
    return None


def _first_line(error: BaseException) -> str:
    """A driver's message, first line only (SQLAlchemy adds SQL and a link below it)."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def describe(engine: Engine) -> str:
    """Where the data is, for messages (no password)."""
    url = engine.url
    if url.get_backend_name() == "sqlite":
        return str(url.database)
    return url.render_as_string(hide_password=True)


def current_revision(engine: Engine) -> str | None:
    """The schema revision recorded in the database, None for an empty one."""
    try:
        with engine.connect() as connection:
            row = connection.execute(text("SELECT version_num FROM alembic_version")).first()
            return str(row[0]) if row else None
    except DBAPIError as error:
        message = str(error.orig).lower()
        missing = "no such table" in message or "does not exist" in message
        if missing and "alembic_version" in message:
            return None
        reason = _first_line(error.orig if error.orig else error)
        raise StoreError(
            _("cannot open the database {database}: {reason}").format(
                database=describe(engine), reason=reason
            )
        ) from None


def prepare_schema(engine: Engine) -> None:
    """Bring the schema to head: create it, or back up (SQLite) and upgrade in place.

    A database written by a newer opsplanner is refused, never touched. Alembic is imported
    only when there is something to do, so opening an up-to-date database stays cheap.
    """
    if current_revision(engine) == SCHEMA_HEAD:
        return
    try:
        with _schema_lock(engine):
            _prepare_locked(engine)
    except DBAPIError as error:
        reason = _first_line(error.orig if error.orig else error)
        raise StoreError(
            _("cannot prepare the database {database}: {reason}").format(
                database=describe(engine), reason=reason
            )
        ) from None
    except OSError as error:  # the lock or the backup beside a SQLite file
        raise StoreError(
            f"cannot prepare the database {describe(engine)}: {error.strerror} ({error.filename})"
        ) from None


def _prepare_locked(engine: Engine) -> None:
    revision = current_revision(engine)  # again: another process may have just done it
    if revision == SCHEMA_HEAD:
        return
    refusal = _refusal(revision, revision is None and _has_tables(engine), describe(engine))
    if refusal is not None:
        raise StoreError(refusal)
    if revision is not None:
        backup_sqlite(engine, revision)
    migrate(engine, "head")


@contextmanager
def _schema_lock(engine: Engine) -> Iterator[None]:
    """One process at a time creates or upgrades the schema (two may open a new file at once).

    SQLite: an advisory lock on a file beside the database; PostgreSQL: an advisory lock.
    """
    if (
        engine.url.get_backend_name() == "sqlite"
        and engine.url.database
        and not engine.url.database.startswith("file:")
        and engine.url.database != ":memory:"
    ):
        import fcntl

        lock_path = Path(f"{engine.url.database}.lock")
        descriptor = os.open(lock_path, os.O_CREAT | os.O_RDWR, 0o600)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            yield
        finally:
            os.close(descriptor)
    elif engine.url.get_backend_name() == "postgresql":
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(4242001)"))
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(4242001)"))
                connection.commit()
    else:
        yield


def _has_tables(engine: Engine) -> bool:
    from sqlalchemy import inspect

    with engine.connect() as connection:
        return bool(inspect(connection).get_table_names())


def backup_sqlite(engine: Engine, revision: str) -> Path | None:
    """Copy a SQLite file aside before upgrading it (consistent, through SQLite's backup API).

    The copy goes to a name that did not exist, created 0600 from the start: a file (or a
    symlink) someone else put at `<db>.schema-NNNN.bak` is never written to, and only moves
    the backup to the next free name (`<db>.schema-NNNN.1.bak`, …)."""
    if engine.url.get_backend_name() != "sqlite" or not engine.url.database:
        return None
    source = Path(engine.url.database)
    target = _fresh_private_file(source, f"schema-{revision}")
    import sqlite3

    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return target


def _fresh_private_file(beside: Path, label: str) -> Path:
    """Create `<file>.<label>.bak`, or the first free `<file>.<label>.N.bak`, as a new empty
    0600 file (O_EXCL: never an existing file, never through a symlink)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    for number in range(1000):
        suffix = f".{number}" if number else ""
        target = beside.with_name(f"{beside.name}.{label}{suffix}.bak")
        try:
            descriptor = os.open(target, flags, 0o600)
        except FileExistsError:
            continue
        try:
            os.fchmod(descriptor, 0o600)  # whatever the umask: SQLite must be able to write it
        finally:
            os.close(descriptor)
        return target
    raise StoreError(
        _(
            "cannot back up {database} before upgrading it: {name} and 999 "
            "numbered names beside it are taken; move some away"
        ).format(database=beside, name=f"{beside.name}.{label}.bak")
    )


def migrate(engine: Engine, revision: str) -> None:
    """Run Alembic's upgrade to `revision` on this engine (used on open and by tests)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.connect() as connection:
        connection = connection.execution_options(opsplanner_write=True)
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        connection.commit()
