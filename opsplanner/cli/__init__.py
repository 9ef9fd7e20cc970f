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

from opsplanner.cli.parser import PROG, CliError, build_parser, parse
from opsplanner.cli.text import one_line

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
                    f'argument "{one_line(arg)[:80]}" is not valid text '
                    "(bytes that are not UTF-8, or a NUL character)"
                )
        args = parse(args_list)
        from opsplanner.cli.verbs import run

        status = run(args)
        sys.stdout.flush()  # here, not at exit: a full disk is reported like any error
        return status
    except CliError as error:
        print(f"{PROG}: error: {one_line(str(error))}", file=sys.stderr)
        return error.status
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
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


def prepare_tui(args: Any) -> dict[str, Any]:
    """What `make_app` gets from a parsed command line (see `verbs.prepare_tui`)."""
    from opsplanner.cli.verbs import prepare_tui as prepare

    return prepare(args)
