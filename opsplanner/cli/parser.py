"""The command line's grammar (argparse, standard library only, so `--help` is instant).

Root options (`--db`, `--schedule`, `--operator`, `--date`) mean the same before or after
the command: `opsplanner --db x.sqlite3 done store-data` and `opsplanner done store-data
--db x.sqlite3` are one command. Given twice with different values, they are refused.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from datetime import date
from typing import Any, NoReturn

from opsplanner.clock import EARLIEST_DATE, LATEST_DATE
from opsplanner.settings import DEFAULT_SCHEDULE

PROG = "opsplanner"
ROOT_OPTIONS = ("db", "schedule", "operator", "date")
GIVEN = "given:"


class CliError(Exception):
    """A message for the user; status 2 for bad input, 1 for a refused action."""

    def __init__(self, message: str, status: int = 2) -> None:
        super().__init__(message)
        self.status = status


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage problem in one line (plus where to get help)."""

    def error(self, message: str) -> NoReturn:
        raise CliError(f"{message} (see `{self.prog} --help`)")


class _RootOption(argparse.Action):
    """Stores a root option per place it was given, so a second, different value is caught
    (argparse would silently keep the last one)."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        # one attribute per parser of the tree: argparse copies a sub-command's namespace
        # over its parent's, which would drop a value given before the command
        slot = f"{GIVEN}{self.dest}:{id(self)}"
        setattr(namespace, slot, [*getattr(namespace, slot, []), values])


def parse_date(text: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date like 2026-11-23, not {text!r}") from None
    if not EARLIEST_DATE <= day <= LATEST_DATE:  # weeks, months and history windows around it
        raise argparse.ArgumentTypeError(
            f"expected a date from {EARLIEST_DATE} to {LATEST_DATE}, not {text!r}"
        )
    return day


def positive_days(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
    if not 1 <= value <= 3660:
        raise argparse.ArgumentTypeError("expected a number of days from 1 to 3660")
    return value


def _root_options(
    parser: argparse.ArgumentParser, names: Sequence[str] = ROOT_OPTIONS, *, date_help: str = ""
) -> None:
    """The root options, accepted here too (each parser of the tree gets them)."""
    helps = {
        "db": "SQLite file or SQLAlchemy URL, e.g. postgresql+psycopg://me@localhost/ops "
        "(default: $OPSPLANNER_DB, else opsplanner.sqlite3 in your data folder)",
        "schedule": "schedule template: a file, or a bundled one by name "
        f"(default: $OPSPLANNER_SCHEDULE, else {DEFAULT_SCHEDULE})",
        "operator": "whose day this is (default: $OPSPLANNER_OPERATOR, else your login name)",
        "date": date_help or "the day to work on (default: today in the schedule's timezone)",
    }
    metavars = {"db": "PATH_OR_URL", "schedule": "PATH", "operator": "NAME", "date": "YYYY-MM-DD"}
    for name in names:
        parser.add_argument(
            f"--{name}",
            dest=name,
            metavar=metavars[name],
            action=_RootOption,
            type=parse_date if name == "date" else str,
            default=argparse.SUPPRESS,
            help=helps[name],
        )


def _verb(
    commands: Any, name: str, help_text: str, *, date_help: str = "", json_flag: bool = False
) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = commands.add_parser(
        name, help=help_text, description=help_text + "."
    )
    parser.set_defaults(verb=name)
    _root_options(parser, date_help=date_help)
    if json_flag:
        parser.add_argument("--json", action="store_true", help="machine-readable output")
    return parser


def _task_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "task", metavar="TASK", help="task id (see `opsplanner today`), or CAMPAIGN/TASK"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="The e-commerce operator's daily routine, in the terminal. With no "
        "command, opens the TUI on today (prints today's agenda when not in a terminal).",
        epilog="Examples:\n"
        "  opsplanner today                      today's blocks, tasks and checks\n"
        "  opsplanner done store-data --note 'UV down, promo ended'\n"
        "  opsplanner skip content-publish --reason 'no time'\n"
        "  opsplanner metric set visitors 1.2万   (store data describes yesterday)\n"
        "  opsplanner explain visitors --cause 'promotion ended'\n"
        "  opsplanner review --close --carry-rest 'no time' --tomorrow 'call supplier'\n"
        "  opsplanner check my-shop.yaml         validate a template\n"
        "\nTasks are addressed by id (see `opsplanner today`), campaign tasks as "
        "CAMPAIGN/TASK.\nOptions such as --db and --date go before or after the command.\n"
        "Exit status: 0 ok, 1 refused (e.g. undecided items), 2 bad input.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    from opsplanner import __version__

    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _root_options(parser)
    parser.set_defaults(verb="default")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    demo = commands.add_parser(
        "demo",
        help="open the TUI on 30 days of generated history (a throwaway database)",
        description="Open the TUI on a temporary database filled with 30 generated days of "
        "plausible history: ticks, skips with reasons, carried items, metric "
        "values with a few anomalies. Nothing touches your own data.",
    )
    demo.set_defaults(verb="demo")
    _root_options(demo, ("schedule",))
    demo.add_argument(
        "--print", action="store_true", help="print today's agenda instead of opening the TUI"
    )

    check = commands.add_parser(
        "check",
        help="validate schedule templates",
        description="Validate schedule templates (files, or bundled ones by name). Prints "
        "`ok: N blocks, M tasks` per file, or every problem as FILE:LINE:COL: message. "
        "Exit 0 when all are valid, 1 when not.",
    )
    check.set_defaults(verb="check")
    check.add_argument(
        "paths", nargs="*", metavar="PATH", help="templates (default: the configured schedule)"
    )
    _root_options(check, ("schedule",))

    _verb(
        commands,
        "today",
        "Print the day's blocks and tasks in time order, with statuses and check results "
        "(a day not opened yet is shown as a preview)",
        json_flag=True,
    )
    _verb(commands, "tui", "Open the terminal UI (also what no command does in a terminal)")

    done = _verb(commands, "done", "Mark a task done (its failed checks explained first)")
    _task_argument(done)
    done.add_argument("--note", metavar="TEXT", help="a note to keep with it")

    undone = _verb(commands, "undone", "Set a task back to not done")
    _task_argument(undone)

    undo = _verb(commands, "undo", "Undo the latest change to a task (repeat to go further back)")
    _task_argument(undo)

    for name, help_text in (
        ("skip", "Skip a task today, saying why"),
        ("carry", "Carry a task to the next workday, saying why"),
    ):
        verb = _verb(commands, name, help_text)
        _task_argument(verb)
        verb.add_argument(
            "--reason",
            metavar="TEXT",
            required=True,
            help="why (e.g. 'no time', 'waiting on others', 'platform issue')",
        )

    note = _verb(commands, "note", "Attach, change or clear (with '') a task's note")
    _task_argument(note)
    note.add_argument("text", metavar="TEXT", help="the note ('' clears it)")

    metric = commands.add_parser(
        "metric", help="record and show metric values", description="Record and show metric values."
    )
    _root_options(metric)
    metric_verbs = metric.add_subparsers(
        dest="metric_command", metavar="COMMAND", parser_class=_Parser, required=True
    )
    metric_set = _verb(
        metric_verbs,
        "set",
        "Record a metric value",
        date_help="the day you are working on (default: today); the value describes the date "
        "its task reads, e.g. yesterday for store data, unless --for says otherwise",
    )
    metric_set.set_defaults(verb="metric set")
    metric_set.add_argument("key", metavar="KEY", help="metric id, e.g. visitors")
    metric_set.add_argument(
        "value",
        metavar="VALUE",
        help="as you read it: 1234, 1,234, ¥1,234.50, 1.2k, 1.2万, 3亿, 3.5%%, １２３４",
    )
    metric_set.add_argument(
        "--for",
        dest="data_date",
        metavar="YYYY-MM-DD",
        type=parse_date,
        help="the date the value describes (default: by the template's rule)",
    )
    metric_show = _verb(
        metric_verbs,
        "show",
        "Show recent metric values",
        date_help="the last data date to show (default: today)",
        json_flag=True,
    )
    metric_show.set_defaults(verb="metric show")
    metric_show.add_argument("key", metavar="KEY", nargs="?", help="one metric (default: all)")
    metric_show.add_argument(
        "--days",
        metavar="N",
        type=positive_days,
        default=7,
        help="how many data dates up to --date (default: 7)",
    )

    explain = _verb(
        commands,
        "explain",
        "Give failed checks their disposition: the cause, or a follow-up task",
        date_help="the day whose checks failed (default: today; the data date follows the "
        "task, e.g. yesterday's store data)",
    )
    explain.add_argument(
        "target",
        metavar="METRIC_OR_TASK",
        help="a metric whose check failed (e.g. visitors), or a task (e.g. store-data)",
    )
    what = explain.add_mutually_exclusive_group(required=True)
    what.add_argument(
        "--cause",
        metavar="TEXT",
        help="why: 'promotion ended', 'traffic source dropped', 'price change', "
        "'out of stock', 'platform issue', 'unknown', or your own",
    )
    what.add_argument("--follow-up", metavar="TITLE", help="a task to do about it")
    explain.add_argument(
        "--tomorrow",
        action="store_true",
        help="with --follow-up: add the task to the next workday instead of this day",
    )

    report = _verb(
        commands,
        "report",
        "Print the daily report, the weekly summary or the monthly evaluation (Markdown for "
        "a chat, CSV for Excel, or JSON)",
        date_help="a day of the period (default: today); a week runs Monday..Sunday, a month "
        "covers the whole weeks overlapping it",
    )
    report.add_argument(
        "period",
        choices=("day", "week", "month"),
        help="day: one recorded day; week: the week containing --date; month: the month "
        "containing --date",
    )
    report.add_argument(
        "--format",
        choices=("md", "csv", "json"),
        default="md",
        help="md (default), csv (UTF-8 with BOM) or json",
    )
    report.add_argument("--output", "-o", metavar="FILE", help="write here instead of stdout")

    export = commands.add_parser(
        "export",
        help="export the routine to other tools",
        description="Export the routine to other tools.",
    )
    _root_options(export, ("schedule", "date"))
    export_verbs = export.add_subparsers(
        dest="export_command", metavar="FORMAT", parser_class=_Parser, required=True
    )
    ics = export_verbs.add_parser(
        "ics",
        help="the coming days' blocks as an iCalendar file",
        description="Write the coming days' blocks as iCalendar events (in the schedule's "
        "timezone), for any calendar app.",
    )
    ics.set_defaults(verb="export ics")
    _root_options(ics, ("schedule", "date"), date_help="the first day (default: today)")
    ics.add_argument(
        "--days",
        metavar="N",
        type=positive_days,
        default=14,
        help="how many days (default: 14, at most 366)",
    )
    ics.add_argument("--output", "-o", metavar="FILE", help="write here instead of stdout")

    review = _verb(
        commands,
        "review",
        "List the day's unfinished items; close or reopen the day",
        json_flag=True,
    )
    review.add_argument(
        "--close",
        action="store_true",
        help="close the day (every unfinished item needs a decision)",
    )
    review.add_argument(
        "--carry-rest",
        metavar="REASON",
        help="with --close: carry every undecided item, with this reason",
    )
    review.add_argument(
        "--tomorrow",
        metavar="TEXT",
        help="notes for the next day (saved now; shown on the next morning's today)",
    )
    review.add_argument("--reopen", action="store_true", help="reopen a closed day")
    return parser


def parse(argv: Sequence[str]) -> argparse.Namespace:
    """Parse a command line; root options given anywhere are resolved to one value each."""
    args = build_parser().parse_args(list(argv))
    given = {key: value for key, value in vars(args).items() if key.startswith(GIVEN)}
    for key in given:
        delattr(args, key)
    for name in ROOT_OPTIONS:
        prefix = f"{GIVEN}{name}:"
        values = [v for key, listed in given.items() if key.startswith(prefix) for v in listed]
        distinct = list(dict.fromkeys(values))
        if len(distinct) > 1:
            shown = " and ".join(repr(str(v)) for v in distinct)
            raise CliError(f"--{name} is given twice with different values ({shown})")
        setattr(args, name, distinct[0] if distinct else None)
    return args
