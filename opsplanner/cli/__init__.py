"""The `opsplanner` command: argparse sub-commands over the use-case layer (`service`).

Start-up stays lean: the parser needs only the standard library, and each command imports
what it needs (the TUI only for the TUI, the database only when it reads or writes it).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

from opsplanner.cli.parser import PROG, CliError, build_parser, parse
from opsplanner.safe_text import one_line

__all__ = ["CliError", "build_parser", "main", "parse", "prepare_tui"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return the exit status (never raise for the user's mistakes)."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        for arg in args_list:  # bytes that are not UTF-8 arrive as lone surrogates
            if "\x00" in arg or any("\ud800" <= ch <= "\udfff" for ch in arg):
                raise CliError(
                    f'argument "{one_line(arg)[:80]}" is not valid text '
                    "(bytes that are not UTF-8, or a NUL character)"
                )
        args = parse(args_list)
        from opsplanner.cli.verbs import run

        return run(args)
    except CliError as error:
        print(f"{PROG}: error: {one_line(str(error))}", file=sys.stderr)
        return error.status
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def prepare_tui(args: Any) -> dict[str, Any]:
    """What `make_app` gets from a parsed command line (see `verbs.prepare_tui`)."""
    from opsplanner.cli.verbs import prepare_tui as prepare

    return prepare(args)
