"""The `opsplanner` command: argparse sub-commands over the planner and the store.

Start-up stays lean: each verb imports only what it needs (the TUI only for the TUI, the
database only for verbs that read or write it).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    from opsplanner.schedule.models import Schedule

PROG = "opsplanner"
DEFAULT_SCHEDULE = "taobao-operator"


class CliError(Exception):
    """A message for the user; status 2 for bad input, 1 for a refused action."""

    def __init__(self, message: str, status: int = 2) -> None:
        super().__init__(message)
        self.status = status


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage problem in one line (plus where to get help)."""

    def error(self, message: str) -> NoReturn:
        raise CliError(f"{message} (see `{self.prog} --help`)")


def _add_common(parser: argparse.ArgumentParser, *, date_help: str | None = None) -> None:
    parser.add_argument(
        "--schedule", metavar="PATH",
        help="schedule template (default: $OPSPLANNER_SCHEDULE, else the bundled "
             f"{DEFAULT_SCHEDULE})",
    )
    parser.add_argument(
        "--date", metavar="YYYY-MM-DD", type=_parse_date,
        help=date_help or "the day to work on (default: today in the schedule's timezone)",
    )


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date like 2026-11-23, not {text!r}") from None


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="The e-commerce operator's daily routine, in the terminal. With no command, "
                    "prints today's agenda.",
        epilog="Examples:\n"
               "  opsplanner today                  today's blocks and tasks\n"
               "  opsplanner today --date 2026-11-30 --json\n"
               "  opsplanner check my-shop.yaml     validate a template\n",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    from opsplanner import __version__

    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    check = commands.add_parser(
        "check", help="validate schedule templates",
        description="Validate schedule templates. Prints `ok: N blocks, M tasks` per file, or "
                    "every problem as FILE:LINE:COL: message. Exit 0 when all are valid, "
                    "1 when not.",
    )
    check.add_argument("paths", nargs="*", metavar="PATH",
                       help="template files (default: the configured schedule)")
    check.add_argument("--schedule", metavar="PATH", help=argparse.SUPPRESS)
    check.set_defaults(handler=_cmd_check)

    today = commands.add_parser(
        "today", help="print the day's blocks and tasks in time order",
        description="Print the day's blocks and tasks in time order.",
    )
    _add_common(today)
    today.add_argument("--json", action="store_true", help="machine-readable output")
    today.set_defaults(handler=_cmd_today)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return the exit status (never raise for the user's mistakes)."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        parser = build_parser()
        args = parser.parse_args(args_list)
        handler: Callable[[argparse.Namespace], int] = getattr(args, "handler", _cmd_default)
        return handler(args)
    except CliError as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return error.status
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


# ---------------------------------------------------------------- shared plumbing


def _schedule_path(args: argparse.Namespace) -> Path:
    from opsplanner.schedule.loader import resolve_schedule_path

    chosen = getattr(args, "schedule", None) or os.environ.get("OPSPLANNER_SCHEDULE") \
        or DEFAULT_SCHEDULE
    return resolve_schedule_path(chosen)


def _load(args: argparse.Namespace) -> Schedule:
    from opsplanner.schedule.errors import ScheduleError
    from opsplanner.schedule.loader import load_schedule

    path = _schedule_path(args)
    try:
        return load_schedule(path)
    except ScheduleError as error:
        first = error.problems[0]
        more = len(error.problems) - 1
        suffix = f" (and {more} more; run `opsplanner check {path}`)" if more else ""
        raise CliError(f"{first}{suffix}") from None


def _day(args: argparse.Namespace, schedule: Schedule) -> date:
    chosen: date | None = getattr(args, "date", None)
    if chosen is not None:
        return chosen
    from opsplanner.clock import SystemClock, local_today

    return local_today(SystemClock(), schedule.zone())


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


# ---------------------------------------------------------------- commands


def _cmd_default(args: argparse.Namespace) -> int:
    args.json = False
    args.date = None
    args.schedule = None
    return _cmd_today(args)


def _cmd_check(args: argparse.Namespace) -> int:
    from opsplanner.schedule.loader import iter_problems

    paths = [Path(p) for p in args.paths] or [_schedule_path(args)]
    ok = True
    for _path, schedule, problems in iter_problems(paths):
        if schedule is not None:
            tasks = len(schedule.tasks())
            campaign = sum(len(c.tasks) for c in schedule.campaigns)
            extra = f", {campaign} campaign tasks" if campaign else ""
            print(f"ok: {schedule.source}: {len(schedule.blocks)} blocks, {tasks} tasks{extra}")
        else:
            ok = False
            for problem in problems:
                print(problem)
    return 0 if ok else 1


def _cmd_today(args: argparse.Namespace) -> int:
    from opsplanner.planner.day import occurrences

    schedule = _load(args)
    day = _day(args, schedule)
    plan = occurrences(schedule, day)
    if args.json:
        _print_json({
            "date": day.isoformat(),
            "schedule": schedule.id,
            "blocks": [
                {
                    "id": block.id, "title": block.title,
                    "start": block.start.strftime("%H:%M") if block.start else None,
                    "end": block.end.strftime("%H:%M") if block.end else None,
                    "tasks": [{"id": t.key, "title": t.title, "status": "pending"}
                              for t in block.tasks],
                }
                for block in plan.blocks
            ],
        })
        return 0
    print(f"{day:%a %Y-%m-%d} · {schedule.title}")
    if not plan.blocks:
        print("  nothing scheduled (not a workday)")
    for block in plan.blocks:
        span = (f"{block.start:%H:%M}-{block.end:%H:%M}" if block.start and block.end
                else "all day    ")
        print(f"\n{span}  {block.title}")
        for task in block.tasks:
            print(f"  [ ] {task.title}  ({task.key})")
    return 0
