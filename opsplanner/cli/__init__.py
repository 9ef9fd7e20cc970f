"""The `opsplanner` command: argparse sub-commands over the use-case layer (`service`).

Start-up stays lean: the parser needs only the standard library, and each command imports
what it needs (the TUI only for the TUI, the database only when it reads or writes it).
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from opsplanner.cli.parser import PROG, CliError, build_parser, parse, peek
from opsplanner.i18n import _
from opsplanner.safe_text import one_line

__all__ = ["CliError", "build_parser", "main", "parse", "prepare_tui"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return the exit status (never raise for the user's mistakes)."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    for stream in (sys.stdout, sys.stderr):
        _replace_what_cannot_be_encoded(stream)
    try:
        for arg in args_list:  # bytes that are not UTF-8 arrive as lone surrogates
            if "\x00" in arg or any("\ud800" <= ch <= "\udfff" for ch in arg):
                raise CliError(
                    _(
                        'argument "{argument}" is not valid text '
                        "(bytes that are not UTF-8, or a NUL character)"
                    ).format(argument=one_line(arg)[:80])
                )
        _speak_early(args_list)
        args = parse(args_list)
        from opsplanner.cli.verbs import run

        status = run(args)
        sys.stdout.flush()  # here, not at exit: a full disk is reported like any error
        return status
    except CliError as error:
        print(
            _("{prog}: error: {message}").format(prog=PROG, message=one_line(str(error))),
            file=sys.stderr,
        )
        return error.status
    except KeyboardInterrupt:
        print(_("{prog}: interrupted").format(prog=PROG), file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader stopped reading (`| head`): not our failure
        _drop_stdout()
        return 0
    except OSError as error:  # the output (a full disk, an I/O error), or a file named here
        reason = error.strerror or type(error).__name__
        if error.filename is None:
            _drop_stdout()
            print(f"{PROG}: error: cannot write the output: {reason}", file=sys.stderr)
        else:
            print(f"{PROG}: error: {one_line(str(error.filename))}: {reason}", file=sys.stderr)
        return 1


def _replace_what_cannot_be_encoded(stream: TextIO) -> None:
    """A terminal or pipe that cannot show a character (`PYTHONIOENCODING=ascii`, the C
    locale, an old code page) gets `?` for it instead of a crash halfway through the output
    (Python's handlers there, strict and surrogateescape, raise on such a character)."""
    if isinstance(stream, io.TextIOWrapper) and stream.errors in ("strict", "surrogateescape"):
        stream.reconfigure(errors="replace")


def _drop_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's last flush of what could not be
    written does not fail once more (and print its own traceback) on the way out."""
    with contextlib.suppress(OSError):
        sys.stdout.flush()
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # no real file behind stdout (tests capture it)
        pass


def _speak_early(argv: list[str]) -> None:
    """Choose the language before parsing, so `--help` and usage errors speak it: `--lang`,
    else the language of a schedule named by `--schedule` or $OPSPLANNER_SCHEDULE (read from
    its compiled copy), else the locale. The command chooses again once it has loaded its
    schedule."""
    import os

    from opsplanner.settings import SettingsError, choose_language

    named = peek(argv, "schedule") or os.environ.get("OPSPLANNER_SCHEDULE")
    try:
        choose_language(peek(argv, "lang"), _language_of(named) if named else None)
    except SettingsError as error:
        raise CliError(str(error)) from None


def _language_of(schedule: str) -> str | None:
    """The language a schedule declares, or None when it cannot be read (the command will
    say why in its own words)."""
    from opsplanner.schedule.cache import load_schedule_cached
    from opsplanner.schedule.paths import resolve_schedule_path

    try:
        return load_schedule_cached(resolve_schedule_path(schedule)).language
    except Exception:  # any problem with it is the command's to report, not this peek's
        return None


def prepare_tui(args: Any) -> dict[str, Any]:
    """What `make_app` gets from a parsed command line (see `verbs.prepare_tui`)."""
    from opsplanner.cli.verbs import prepare_tui as prepare

    return prepare(args)
