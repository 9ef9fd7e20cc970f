"""The command line's grammar (argparse, standard library only, so `--help` is instant).

Root options (`--db`, `--schedule`, `--operator`, `--date`) mean the same before or after
the command: `opsplanner --db x.sqlite3 done store-data` and `opsplanner done store-data
--db x.sqlite3` are one command. Given twice with different values, they are refused.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from opsplanner import i18n
from opsplanner.cells import width, wrap
from opsplanner.clock import EARLIEST_DATE, LATEST_DATE
from opsplanner.i18n import N_, _
from opsplanner.settings import DEFAULT_SCHEDULE

PROG = "opsplanner"
ROOT_OPTIONS = ("db", "schedule", "operator", "date", "lang")
GIVEN = "given:"

# argparse writes its own words ("usage:", "options", "the following arguments are
# required"...) through the gettext module's `_`, which knows nothing of our catalogue: point
# its module-level `_` and `ngettext` at ours, so `--help` and usage errors speak the language
# chosen for this process. The texts it looks up are listed here, to be in our catalogue.
argparse._ = i18n._  # type: ignore[attr-defined]
argparse.ngettext = i18n.ngettext  # type: ignore[attr-defined]
ARGPARSE_TEXTS = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("unrecognized arguments: %s"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("not allowed with argument %s"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("ignored explicit argument %r"),
)


class CliError(Exception):
    """A message for the user; status 2 for bad input, 1 for a refused action."""

    def __init__(self, message: str, status: int = 2) -> None:
        super().__init__(message)
        self.status = status


class _Formatter(argparse.HelpFormatter):
    """argparse's help, wrapped by terminal cells when a text holds Chinese (argparse counts
    characters, and a Chinese character takes two columns); English is wrapped as before."""

    def _split_lines(self, text: str, width_: int) -> list[str]:
        if width(text) == len(text):
            return super()._split_lines(text, width_)
        return wrap(text, width_)

    def _fill_text(self, text: str, width_: int, indent: str) -> str:
        if width(text) == len(text):
            return super()._fill_text(text, width_, indent)
        return "\n".join(indent + line for line in wrap(text, width_ - len(indent)))

    def _format_usage(
        self, usage: str | None, actions: Any, groups: Any, prefix: str | None
    ) -> str:
        """argparse lays the usage out by the prefix's length in characters: lay it out with
        an ASCII stand-in as wide as the translated "usage: ", then put the prefix back."""
        shown = _("usage: ") if prefix is None else prefix
        stand_in = "u" * width(shown)
        text: str = super()._format_usage(usage, actions, groups, stand_in)
        return text.replace(stand_in, shown, 1)


class _RootFormatter(_Formatter):
    """The root's help: a line that fits (an example in the epilog) is kept as it is
    written, a longer one is wrapped by cells."""

    def _fill_text(self, text: str, width_: int, indent: str) -> str:
        lines = []
        for line in text.splitlines():
            if width(indent + line) <= width_:
                lines.append(indent + line)
                continue
            own = indent + line[: len(line) - len(line.lstrip())]
            lines += [own + part for part in wrap(line, width_ - width(own))]
        return "\n".join(lines)


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage problem in one line (plus where to get help), and
    wraps its help by terminal cells."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        raise CliError(
            _("{message} (see `{command} --help`)").format(message=message, command=self.prog)
        )

    def _get_values(self, action: argparse.Action, arg_strings: list[str]) -> Any:
        """A value that is "--" itself (`note TASK -- --`, `--reason=--`): Python 3.11's
        argparse takes it for the separator and hands over an empty list."""
        if action.nargs is None and arg_strings == ["--"]:
            return self._get_value(action, "--")
        return super()._get_values(action, arg_strings)


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
        raise argparse.ArgumentTypeError(
            _("expected a date like 2026-11-23, not {text!r}").format(text=text)
        ) from None
    if not EARLIEST_DATE <= day <= LATEST_DATE:  # weeks, months and history windows around it
        raise argparse.ArgumentTypeError(
            _("expected a date from {first} to {last}, not {text!r}").format(
                first=EARLIEST_DATE, last=LATEST_DATE, text=text
            )
        )
    return day


def positive_days(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("expected a whole number, not {text!r}").format(text=text)
        ) from None
    if not 1 <= value <= 3660:
        raise argparse.ArgumentTypeError(
            _("expected a number of days from {first} to {last}").format(first=1, last=3660)
        )
    return value


def _root_options(
    parser: argparse.ArgumentParser, names: Sequence[str] = ROOT_OPTIONS, *, date_help: str = ""
) -> None:
    """The root options, accepted here too (each parser of the tree gets them)."""
    helps = {
        "db": _(
            "SQLite file or SQLAlchemy URL, e.g. postgresql+psycopg://me@localhost/ops "
            "(default: $OPSPLANNER_DB, else opsplanner.sqlite3 in your data folder)"
        ),
        "schedule": _(
            "schedule template: a file, or a bundled one by name "
            "(default: $OPSPLANNER_SCHEDULE, else {schedule})"
        ).format(schedule=DEFAULT_SCHEDULE),
        "operator": _("whose day this is (default: $OPSPLANNER_OPERATOR, else your login name)"),
        "date": date_help or _("the day to work on (default: today in the schedule's timezone)"),
        "lang": _(
            "the language opsplanner writes in, en or zh_CN (default: the schedule's "
            "`language:`, else your locale)"
        ),
    }
    metavars = {
        "db": "PATH_OR_URL",
        "schedule": "PATH",
        "operator": "NAME",
        "date": "YYYY-MM-DD",
        "lang": "LANG",
    }
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
        name, help=help_text, description=_("{sentence}.").format(sentence=help_text)
    )
    parser.set_defaults(verb=name)
    _root_options(parser, date_help=date_help)
    if json_flag:
        parser.add_argument("--json", action="store_true", help=_("machine-readable output"))
    return parser


def _task_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "task", metavar="TASK", help=_("task id (see `opsplanner today`), or CAMPAIGN/TASK")
    )


EXAMPLE_COLUMN = 40
"""Where an example's explanation starts, in terminal cells."""


def _epilog() -> str:
    """The root's examples (what to type, in the current language's sample words) and the
    rules every command shares."""
    examples = (
        ("opsplanner today", _("today's blocks, tasks and checks")),
        (_("opsplanner done store-data --note 'UV down, promo ended'"), ""),
        (_("opsplanner skip content-publish --reason 'no time'"), ""),
        ("opsplanner metric set visitors 1.2万", _("(store data describes yesterday)")),
        (_("opsplanner explain visitors --cause 'promotion ended'"), ""),
        (_("opsplanner review --close --carry-rest 'no time' --tomorrow 'call supplier'"), ""),
        ("opsplanner check my-shop.yaml", _("validate a template")),
    )
    lines = [_("Examples:")]
    for command, meaning in examples:
        line = f"  {command}"
        if meaning:
            line += " " * max(2, EXAMPLE_COLUMN - width(line)) + meaning
        lines.append(line)
    lines += [
        "",
        _("Tasks are addressed by id (see `opsplanner today`), campaign tasks as CAMPAIGN/TASK."),
        _("Options such as --db and --date go before or after the command."),
        _("Exit status: 0 ok, 1 refused (e.g. undecided items), 2 bad input."),
    ]
    return "\n".join(lines)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description=_(
            "The e-commerce operator's daily routine, in the terminal. With no command, opens "
            "the TUI on today (prints today's agenda when not in a terminal)."
        ),
        epilog=_epilog(),
        formatter_class=_RootFormatter,
    )
    from opsplanner import __version__

    parser.add_argument(
        "--version",
        action="version",
        version=f"%(prog)s {__version__}",
        help=_("show program's version number and exit"),
    )
    _root_options(parser)
    parser.set_defaults(verb="default")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    demo = commands.add_parser(
        "demo",
        help=_("open the TUI on 30 days of generated history (a throwaway database)"),
        description=_(
            "Open the TUI on a temporary database filled with 30 generated days of "
            "plausible history: ticks, skips with reasons, carried items, metric "
            "values with a few anomalies. Nothing touches your own data."
        ),
    )
    demo.set_defaults(verb="demo")
    _root_options(demo, ("schedule",))
    demo.add_argument(
        "--print", action="store_true", help=_("print today's agenda instead of opening the TUI")
    )

    check = commands.add_parser(
        "check",
        help=_("validate schedule templates"),
        description=_(
            "Validate schedule templates (files, or bundled ones by name). Prints "
            "`ok: N blocks, M tasks` per file, or every problem as FILE:LINE:COL: message. "
            "Exit 0 when all are valid, 1 when not."
        ),
    )
    check.set_defaults(verb="check")
    check.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help=_("templates (default: the configured schedule)"),
    )
    _root_options(check, ("schedule",))

    _verb(
        commands,
        "today",
        _(
            "Print the day's blocks and tasks in time order, with statuses and check results "
            "(a day not opened yet is shown as a preview)"
        ),
        json_flag=True,
    )
    _verb(commands, "tui", _("Open the terminal UI (also what no command does in a terminal)"))

    done = _verb(commands, "done", _("Mark a task done (its failed checks explained first)"))
    _task_argument(done)
    done.add_argument("--note", metavar="TEXT", help=_("a note to keep with it"))

    undone = _verb(commands, "undone", _("Set a task back to not done"))
    _task_argument(undone)

    undo = _verb(
        commands, "undo", _("Undo the latest change to a task (repeat to go further back)")
    )
    _task_argument(undo)

    for name, help_text in (
        ("skip", _("Skip a task today, saying why")),
        ("carry", _("Carry a task to the next workday, saying why")),
    ):
        verb = _verb(commands, name, help_text)
        _task_argument(verb)
        verb.add_argument(
            "--reason",
            metavar="TEXT",
            required=True,
            help=_("why (e.g. 'no time', 'waiting on others', 'platform issue')"),
        )

    note = _verb(commands, "note", _("Attach, change or clear (with '') a task's note"))
    _task_argument(note)
    note.add_argument("text", metavar="TEXT", help=_("the note ('' clears it)"))

    metric = commands.add_parser(
        "metric",
        help=_("record and show metric values"),
        description=_("Record and show metric values."),
    )
    _root_options(metric)
    metric_verbs = metric.add_subparsers(
        dest="metric_command", metavar="COMMAND", parser_class=_Parser, required=True
    )
    metric_set = _verb(
        metric_verbs,
        "set",
        _("Record a metric value"),
        date_help=_(
            "the day you are working on (default: today); the value describes the date "
            "its task reads, e.g. yesterday for store data, unless --for says otherwise"
        ),
    )
    metric_set.set_defaults(verb="metric set")
    metric_set.add_argument("key", metavar="KEY", help=_("metric id, e.g. visitors"))
    metric_set.add_argument(
        "value",
        metavar="VALUE",
        help=_("as you read it: 1234, 1,234, ¥1,234.50, 1.2k, 1.2万, 3亿, 3.5%%, １２３４"),
    )
    metric_set.add_argument(
        "--for",
        dest="data_date",
        metavar="YYYY-MM-DD",
        type=parse_date,
        help=_("the date the value describes (default: by the template's rule)"),
    )
    metric_show = _verb(
        metric_verbs,
        "show",
        _("Show recent metric values"),
        date_help=_("the last data date to show (default: today)"),
        json_flag=True,
    )
    metric_show.set_defaults(verb="metric show")
    metric_show.add_argument("key", metavar="KEY", nargs="?", help=_("one metric (default: all)"))
    metric_show.add_argument(
        "--days",
        metavar="N",
        type=positive_days,
        default=7,
        help=_("how many data dates up to --date (default: 7)"),
    )

    explain = _verb(
        commands,
        "explain",
        _("Give failed checks their disposition: the cause, or a follow-up task"),
        date_help=_(
            "the day whose checks failed (default: today; the data date follows the "
            "task, e.g. yesterday's store data)"
        ),
    )
    explain.add_argument(
        "target",
        metavar="METRIC_OR_TASK",
        help=_("a metric whose check failed (e.g. visitors), or a task (e.g. store-data)"),
    )
    what = explain.add_mutually_exclusive_group(required=True)
    what.add_argument(
        "--cause",
        metavar="TEXT",
        help=_(
            "why: 'promotion ended', 'traffic source dropped', 'price change', "
            "'out of stock', 'platform issue', 'unknown', or your own"
        ),
    )
    what.add_argument("--follow-up", metavar="TITLE", help=_("a task to do about it"))
    explain.add_argument(
        "--tomorrow",
        action="store_true",
        help=_("with --follow-up: add the task to the next workday instead of this day"),
    )

    imported = _verb(
        commands,
        "import",
        _("Import figures from 生意参谋 exports or your own daily sheet (CSV, XLSX, XLS)"),
        json_flag=True,
    )
    imported.add_argument(
        "files",
        metavar="FILE",
        nargs="+",
        type=Path,
        help=_(
            "a CSV (UTF-8 or GB18030), XLSX or XLS file with a date column (日期, 统计日期) "
            "and columns named as the template's metrics or its `import: columns:` map"
        ),
    )
    imported.add_argument(
        "--dry-run", action="store_true", help=_("show what would change; store nothing")
    )
    imported.add_argument(
        "--overwrite",
        action="store_true",
        help=_("replace stored figures the file gives differently (default: keep them)"),
    )

    report = _verb(
        commands,
        "report",
        _(
            "Print the daily report, the weekly summary or the monthly evaluation (Markdown "
            "for a chat, CSV for Excel, or JSON)"
        ),
        date_help=_(
            "a day of the period (default: today); a week runs Monday..Sunday, a month "
            "covers the whole weeks overlapping it"
        ),
    )
    report.add_argument(
        "period",
        choices=("day", "week", "month"),
        help=_(
            "day: one recorded day; week: the week containing --date; month: the month "
            "containing --date"
        ),
    )
    report.add_argument(
        "--format",
        choices=("md", "csv", "json", "xlsx"),
        default="md",
        help=_(
            "md (default), csv (UTF-8 with BOM), json, or xlsx (an Excel workbook, a sheet "
            "per section; needs -o FILE)"
        ),
    )
    report.add_argument("--output", "-o", metavar="FILE", help=_("write here instead of stdout"))

    export = commands.add_parser(
        "export",
        help=_("export the routine to other tools"),
        description=_("Export the routine to other tools."),
    )
    _root_options(export, ("schedule", "date"))
    export_verbs = export.add_subparsers(
        dest="export_command", metavar="FORMAT", parser_class=_Parser, required=True
    )
    ics = export_verbs.add_parser(
        "ics",
        help=_("the coming days' blocks as an iCalendar file"),
        description=_(
            "Write the coming days' blocks as iCalendar events (in the schedule's "
            "timezone), for any calendar app."
        ),
    )
    ics.set_defaults(verb="export ics")
    _root_options(ics, ("schedule", "date"), date_help=_("the first day (default: today)"))
    ics.add_argument(
        "--days",
        metavar="N",
        type=positive_days,
        default=14,
        help=_("how many days (default: 14, at most 366)"),
    )
    ics.add_argument("--output", "-o", metavar="FILE", help=_("write here instead of stdout"))

    review = _verb(
        commands,
        "review",
        _("List the day's unfinished items; close or reopen the day"),
        json_flag=True,
    )
    review.add_argument(
        "--close",
        action="store_true",
        help=_("close the day (every unfinished item needs a decision)"),
    )
    review.add_argument(
        "--carry-rest",
        metavar="REASON",
        help=_("with --close: carry every undecided item, with this reason"),
    )
    review.add_argument(
        "--tomorrow",
        metavar="TEXT",
        help=_("notes for the next day (saved now; shown on the next morning's today)"),
    )
    review.add_argument("--reopen", action="store_true", help=_("reopen a closed day"))
    return parser


def peek(argv: Sequence[str], name: str) -> str | None:
    """A root option's last value, before parsing: the language must be chosen before
    `--help` or a usage error is written."""
    found = None
    for number, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == f"--{name}" and number + 1 < len(argv):
            found = argv[number + 1]
        elif arg.startswith(f"--{name}="):
            found = arg.partition("=")[2]
    return found


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
            raise CliError(
                _("{option} is given twice with different values ({values})").format(
                    option=f"--{name}",
                    values=_(" and ").join(repr(str(v)) for v in distinct),
                )
            )
        setattr(args, name, distinct[0] if distinct else None)
    return args
