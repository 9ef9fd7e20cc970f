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
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

if TYPE_CHECKING:
    from opsplanner.clock import Clock
    from opsplanner.planner.record import DayRecord, Status, TaskEntry
    from opsplanner.schedule.models import Metric, Schedule
    from opsplanner.store.reader import Reader, SqliteReader
    from opsplanner.store.store import Store

T = TypeVar("T")

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
        "--schedule",
        metavar="PATH",
        help="schedule template (default: $OPSPLANNER_SCHEDULE, else the bundled "
        f"{DEFAULT_SCHEDULE})",
    )
    parser.add_argument(
        "--date",
        metavar="YYYY-MM-DD",
        type=_parse_date,
        help=date_help or "the day to work on (default: today in the schedule's timezone)",
    )


EARLIEST_DATE, LATEST_DATE = date(1900, 1, 1), date(2999, 12, 31)  # years of room both ways


def _parse_date(text: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date like 2026-11-23, not {text!r}") from None
    if not EARLIEST_DATE <= day <= LATEST_DATE:  # weeks, months and history windows around it
        raise argparse.ArgumentTypeError(
            f"expected a date from {EARLIEST_DATE} to {LATEST_DATE}, not {text!r}"
        )
    return day


def _add_store_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        help="SQLite file or SQLAlchemy URL, e.g. postgresql+psycopg://me@localhost/ops "
        "(default: $OPSPLANNER_DB, else opsplanner.sqlite3 in your data folder)",
    )
    parser.add_argument(
        "--operator",
        metavar="NAME",
        help="whose day this is (default: $OPSPLANNER_OPERATOR, else your login name)",
    )


def _verb(
    commands: Any,
    name: str,
    help_text: str,
    handler: Callable[[argparse.Namespace], int],
    *,
    date_help: str | None = None,
    json_flag: bool = False,
) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = commands.add_parser(
        name, help=help_text, description=help_text + "."
    )
    _add_common(parser, date_help=date_help)
    _add_store_options(parser)
    if json_flag:
        parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.set_defaults(handler=handler)
    return parser


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="The e-commerce operator's daily routine, in the terminal. With no command, "
        "opens the TUI on today (prints today's agenda when not in a terminal).",
        epilog="Examples:\n"
        "  opsplanner today                      today's blocks, tasks and checks\n"
        "  opsplanner done store-data --note 'UV down, promo ended'\n"
        "  opsplanner skip content-publish --reason 'no time'\n"
        "  opsplanner metric set visitors 1.2万   (values for yesterday's data)\n"
        "  opsplanner review --close --carry-rest 'no time' --tomorrow 'call supplier'\n"
        "  opsplanner check my-shop.yaml         validate a template\n"
        "\nTasks are addressed by id (see `opsplanner today`), campaign tasks as "
        "CAMPAIGN/TASK.\nExit status: 0 ok, 1 refused (e.g. undecided items), 2 bad input.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    from opsplanner import __version__

    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _add_common(parser)
    _add_store_options(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    demo = commands.add_parser(
        "demo",
        help="open the TUI on 30 days of generated history (a throwaway database)",
        description="Open the TUI on a temporary database filled with 30 generated days of "
        "plausible history: ticks, skips with reasons, carried items, metric "
        "values with a few anomalies. Nothing touches your own data.",
    )
    demo.add_argument("--schedule", metavar="PATH", help="schedule template (default: bundled)")
    demo.add_argument(
        "--print", action="store_true", help="print today's agenda instead of opening the TUI"
    )
    demo.set_defaults(handler=_cmd_demo)

    check = commands.add_parser(
        "check",
        help="validate schedule templates",
        description="Validate schedule templates. Prints `ok: N blocks, M tasks` per file, or "
        "every problem as FILE:LINE:COL: message. Exit 0 when all are valid, "
        "1 when not.",
    )
    check.add_argument(
        "paths", nargs="*", metavar="PATH", help="template files (default: the configured schedule)"
    )
    check.add_argument("--schedule", metavar="PATH", help=argparse.SUPPRESS)
    check.set_defaults(handler=_cmd_check)

    _verb(
        commands,
        "today",
        "Print the day's blocks and tasks in time order, with statuses and check results",
        _cmd_today,
        json_flag=True,
    )

    done = _verb(commands, "done", "Mark a task done", _cmd_done)
    done.add_argument("task", metavar="TASK", help="task id, or CAMPAIGN/TASK")
    done.add_argument("--note", metavar="TEXT", help="a note to keep with it")

    undo = _verb(
        commands, "undo", "Undo the latest change to a task (repeat to go further back)", _cmd_undo
    )
    undo.add_argument("task", metavar="TASK", help="task id, or CAMPAIGN/TASK")

    for name, help_text, handler in (
        ("skip", "Skip a task today, saying why", _cmd_skip),
        ("carry", "Carry a task to the next day, saying why", _cmd_carry),
    ):
        verb = _verb(commands, name, help_text, handler)
        verb.add_argument("task", metavar="TASK", help="task id, or CAMPAIGN/TASK")
        verb.add_argument(
            "--reason",
            metavar="TEXT",
            required=True,
            help="why (e.g. 'no time', 'waiting on others', 'platform issue')",
        )

    note = _verb(commands, "note", "Attach a note to a task", _cmd_note)
    note.add_argument("task", metavar="TASK", help="task id, or CAMPAIGN/TASK")
    note.add_argument("text", metavar="TEXT", help="the note")

    metric = commands.add_parser(
        "metric", help="record and show metric values", description="Record and show metric values."
    )
    metric_verbs = metric.add_subparsers(
        dest="metric_command", metavar="COMMAND", parser_class=_Parser, required=True
    )
    metric_set = _verb(
        metric_verbs,
        "set",
        "Record a metric value",
        _cmd_metric_set,
        date_help="the date the value describes (default: yesterday for metrics read "
        "for yesterday, e.g. store data; else today)",
    )
    metric_set.add_argument("key", metavar="KEY", help="metric id, e.g. visitors")
    metric_set.add_argument(
        "value",
        metavar="VALUE",
        help="as you read it: 1234, 1,234, ¥1,234.50, 1.2k, 1.2万, 3亿, 3.5%%, １２３４",
    )
    metric_show = _verb(
        metric_verbs,
        "show",
        "Show recent metric values",
        _cmd_metric_show,
        date_help="the last data date to show (default: today)",
        json_flag=True,
    )
    metric_show.add_argument("key", metavar="KEY", nargs="?", help="one metric (default: all)")
    metric_show.add_argument(
        "--days",
        metavar="N",
        type=_positive_int,
        default=7,
        help="how many data dates up to --date (default: 7)",
    )

    explain = _verb(
        commands,
        "explain",
        "Give a failed check its disposition: the cause, or a follow-up task",
        _cmd_explain,
        date_help="the day whose checks failed (default: today; the data date follows the "
        "task, e.g. yesterday's store data)",
    )
    explain.add_argument("metric", metavar="METRIC", help="the metric whose check failed")
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
        help="with --follow-up: add the task to the next day instead of today",
    )

    report = _verb(
        commands,
        "report",
        "Print the daily report, the weekly summary or the monthly "
        "evaluation (Markdown for a chat, CSV for Excel, or JSON)",
        _cmd_report,
        date_help="a day of the period (default: today); a week runs Monday..Sunday, a month "
        "covers the whole weeks overlapping it",
    )
    report.add_argument(
        "period",
        choices=("day", "week", "month"),
        help="day: one recorded day; week: the week containing --date; "
        "month: the month containing --date",
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
    export_verbs = export.add_subparsers(
        dest="export_command", metavar="FORMAT", parser_class=_Parser, required=True
    )
    ics = export_verbs.add_parser(
        "ics",
        help="the coming days' blocks as an iCalendar file",
        description="Write the coming days' blocks as iCalendar events (in the schedule's "
        "timezone), for any calendar app.",
    )
    _add_common(ics, date_help="the first day (default: today)")
    ics.add_argument(
        "--days",
        metavar="N",
        type=_positive_int,
        default=14,
        help="how many days (default: 14, at most 366)",
    )
    ics.add_argument("--output", "-o", metavar="FILE", help="write here instead of stdout")
    ics.set_defaults(handler=_cmd_export_ics)

    review = _verb(
        commands,
        "review",
        "List the day's unfinished items; close or reopen the day",
        _cmd_review,
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
    review.add_argument("--tomorrow", metavar="TEXT", help="with --close: notes for tomorrow")
    review.add_argument("--reopen", action="store_true", help="reopen a closed day")
    return parser


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
    if not 1 <= value <= 3660:
        raise argparse.ArgumentTypeError("expected a number of days from 1 to 3660")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return the exit status (never raise for the user's mistakes)."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        for arg in args_list:  # bytes that are not UTF-8 arrive as lone surrogates
            if "\x00" in arg or any("\ud800" <= ch <= "\udfff" for ch in arg):
                raise CliError(
                    f'argument "{_one_line(arg)[:80]}" is not valid text '
                    "(bytes that are not UTF-8, or a NUL character)"
                )
        parser = build_parser()
        args = parser.parse_args(args_list)
        handler: Callable[[argparse.Namespace], int] = getattr(args, "handler", _cmd_default)
        return handler(args)
    except CliError as error:
        print(f"{PROG}: error: {_one_line(str(error))}", file=sys.stderr)
        return error.status
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


# ---------------------------------------------------------------- shared plumbing


def _one_line(text: str) -> str:
    """Escape line breaks and other unprintable characters: an error is one line."""
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)


def _schedule_path(args: argparse.Namespace) -> Path:
    from opsplanner.schedule.paths import resolve_schedule_path

    chosen = (
        getattr(args, "schedule", None) or os.environ.get("OPSPLANNER_SCHEDULE") or DEFAULT_SCHEDULE
    )
    return resolve_schedule_path(chosen)


def _load(args: argparse.Namespace) -> Schedule:
    """The validated template; a warm start reads the compiled copy (no YAML parsing)."""
    from opsplanner.schedule.cache import load_schedule_cached
    from opsplanner.schedule.errors import ScheduleError

    path = _schedule_path(args)
    try:
        return load_schedule_cached(path)
    except ScheduleError as error:
        first = error.problems[0]
        more = len(error.problems) - 1
        suffix = f" (and {more} more; run `opsplanner check {path}`)" if more else ""
        raise CliError(f"{first}{suffix}") from None


def _clock() -> Clock:
    from opsplanner.clock import clock_from_env

    try:
        clock = clock_from_env()
    except ValueError as error:
        raise CliError(str(error)) from None
    if not EARLIEST_DATE <= clock.now().date() <= LATEST_DATE:  # a fixed OPSPLANNER_NOW
        raise CliError(
            f"OPSPLANNER_NOW={os.environ.get('OPSPLANNER_NOW')!r} is not from "
            f"{EARLIEST_DATE} to {LATEST_DATE}"
        )
    return clock


def _today(schedule: Schedule) -> date:
    from opsplanner.clock import local_today

    return local_today(_clock(), schedule.zone())


def _day(args: argparse.Namespace, schedule: Schedule) -> date:
    chosen: date | None = getattr(args, "date", None)
    return chosen if chosen is not None else _today(schedule)


def _operator(args: argparse.Namespace) -> str:
    chosen = getattr(args, "operator", None) or os.environ.get("OPSPLANNER_OPERATOR")
    if chosen:
        return str(chosen).strip()
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "operator"


def _store(args: argparse.Namespace) -> Store:
    from opsplanner.store.engine import make_engine
    from opsplanner.store.errors import StoreError
    from opsplanner.store.store import Store

    try:
        return Store(
            make_engine(getattr(args, "db", None)), operator=_operator(args), clock=_clock()
        )
    except StoreError as error:
        raise CliError(str(error), status=1) from None


def _sqlite_reader(args: argparse.Namespace) -> SqliteReader | None:
    from opsplanner.store.reader import open_sqlite_reader

    return open_sqlite_reader(getattr(args, "db", None), operator=_operator(args), clock=_clock())


def _reader(args: argparse.Namespace) -> Reader:
    """For verbs that only read: a SQLite file is read with the standard library alone (no
    SQLAlchemy import, ≈ 0.3 s saved); anything else goes through the full store."""
    return _sqlite_reader(args) or _store(args)


def _open_day(args: argparse.Namespace, schedule: Schedule, day: date) -> tuple[Reader, DayRecord]:
    """The day's record for a read-only verb; a day never opened is materialised first,
    which writes, so that one case takes the full store."""
    reader = _sqlite_reader(args)
    if reader is not None:
        record = _store_call(lambda: reader.existing_day(day))
        if record is not None:
            return reader, record
        reader.close()
    store = _store(args)
    return store, _store_call(lambda: store.day(schedule, day))


def _store_call(action: Callable[[], T]) -> T:
    """Run a store action, turning its refusals and errors into one-line messages."""
    from opsplanner.store.errors import Refused, StoreError, UnknownTask

    try:
        return action()
    except UnknownTask as error:
        raise CliError(str(error), status=2) from None
    except (Refused, StoreError) as error:
        raise CliError(str(error), status=1) from None


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _width(text: str) -> int:
    """Columns a string takes in a terminal (CJK characters take two)."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


STATUS_MARKS = {
    "pending": "[ ]",
    "done": "[x]",
    "skipped": "[-]",
    "carried": "[>]",
    "missed": "[!]",
}


# ---------------------------------------------------------------- commands


def _cmd_default(args: argparse.Namespace) -> int:
    """No command: the TUI in a terminal, today's agenda when piped."""
    if sys.stdin.isatty() and sys.stdout.isatty():
        return _cmd_tui(args)
    args.json = False
    return _cmd_today(args)


def _cmd_tui(args: argparse.Namespace) -> int:
    arguments = prepare_tui(args)
    from opsplanner.tui.app import make_app

    make_app(**arguments).run()
    return 0


def _collect_and_freeze() -> None:
    import gc

    gc.collect()
    gc.freeze()
    gc.enable()


def prepare_tui(args: argparse.Namespace) -> dict[str, Any]:
    """What `make_app` gets from the command line (bench/_frame_probe.py starts the same
    way). The store and its reader are opened later, in the app's worker.

    Start-up allocates a lot and frees little: the cyclic garbage collector's passes over
    Textual's freshly imported objects cost 20-45 ms before the first frame. So it is off
    from here (call this before importing the TUI) until the day is on screen; then what
    start-up built is frozen as permanent, and later passes, during the day's ticks, skip it.
    """
    import gc

    gc.disable()
    return {
        "schedule": _load(args),
        "open_store": lambda: _store(args),
        "open_reader": lambda: _sqlite_reader(args),
        "clock": _clock(),
        "day": getattr(args, "date", None),
        "when_started": _collect_and_freeze,
    }


def _cmd_demo(args: argparse.Namespace) -> int:
    import tempfile

    from opsplanner.store.engine import make_engine
    from opsplanner.store.generate import generate_history

    schedule = _load(args)
    folder = tempfile.mkdtemp(prefix="opsplanner-demo-")
    args.db = str(Path(folder) / "demo.sqlite3")
    args.operator = "demo"
    generate_history(
        make_engine(args.db), schedule, days=30, end=_today(schedule), operator="demo", seed=11
    )
    if args.print:
        print(f"demo database: {args.db}")
        args.json = False
        return _cmd_today(args)
    return _cmd_tui(args)


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
    if not ok:
        raise CliError(
            "the template has problems (listed above)"
            if len(paths) == 1
            else "some templates have problems (listed above)",
            status=1,
        )
    return 0


def _cmd_today(args: argparse.Namespace) -> int:
    from opsplanner.clock import local_now
    from opsplanner.planner.agenda import agenda_json, now_block_id

    schedule = _load(args)
    day = _day(args, schedule)
    store, record = _open_day(args, schedule, day)
    history = _store_call(lambda: store.history_for_checks(schedule, record))
    now = local_now(_clock(), schedule.zone())
    data = agenda_json(record, schedule, history, now_block_id(record, now.date(), now.time()))
    if args.json:
        _print_json(data)
        return 0
    done, total = record.progress()
    state = "closed" if record.closed else f"{done}/{total} done"
    print(f"{day:%a %Y-%m-%d} · {schedule.title} · {record.operator} · {state}")
    if not data["blocks"]:
        print("  nothing scheduled (not a workday)")
    for block in data["blocks"]:
        span = f"{block['start']}-{block['end']}" if block["start"] else "all day    "
        marker = "  ◀ now" if block["id"] == data["now_block"] else ""
        print(f"\n{span}  {block['title']}{marker}")
        for task in block["tasks"]:
            title = task["title"]
            pad = " " * max(1, 52 - _width(title))
            print(f"  {STATUS_MARKS.get(task['status'], '[?]')} {title}{pad}{task['id']}")
            extras = []
            if task["carried_from"]:
                extras.append(f"carried from {task['carried_from']} ×{task['carried_count']}")
            if task["reason"]:
                extras.append(f"reason: {task['reason']}")
            if task["note"]:
                extras.append(f"note: {task['note']}")
            for line in extras:
                print(f"      {line}")
            for check in task["checks"]:
                if check["status"] != "ok":
                    mark = "✗" if check["status"] == "fail" else "?"
                    print(f"      {mark} {check['message']}")
    previous = _store_call(lambda: store.last_day_before(day))
    if previous is not None and not previous.closed and previous.unfinished():
        print(
            f"\n{previous.day.isoformat()} is not closed: {len(previous.unfinished())} "
            f"item(s) undecided (opsplanner review --date {previous.day.isoformat()})"
        )
    return 0


def _task_line(verb: str, entry: TaskEntry, day: date) -> str:
    return f"{verb}: {entry.key} — {entry.task.title} ({day.isoformat()})"


def _cmd_done(args: argparse.Namespace) -> int:
    schedule = _load(args)
    day = _day(args, schedule)
    store = _store(args)
    entry = _store_call(lambda: store.set_status(schedule, day, args.task, "done", note=args.note))
    print(_task_line("done", entry, day))
    return 0


def _cmd_skip(args: argparse.Namespace) -> int:
    return _decide(args, "skipped")


def _cmd_carry(args: argparse.Namespace) -> int:
    return _decide(args, "carried")


def _decide(args: argparse.Namespace, status: Status) -> int:
    if not args.reason.strip():
        raise CliError("--reason must not be empty")
    schedule = _load(args)
    day = _day(args, schedule)
    store = _store(args)
    entry = _store_call(
        lambda: store.set_status(schedule, day, args.task, status, reason=args.reason)
    )
    print(_task_line(status, entry, day) + f": {entry.reason}")
    return 0


def _cmd_undo(args: argparse.Namespace) -> int:
    schedule = _load(args)
    day = _day(args, schedule)
    store = _store(args)
    entry, action = _store_call(lambda: store.undo(schedule, day, args.task))
    print(_task_line(f"undid {action}", entry, day) + f"; now {entry.status}")
    return 0


def _cmd_note(args: argparse.Namespace) -> int:
    schedule = _load(args)
    day = _day(args, schedule)
    store = _store(args)
    entry = _store_call(lambda: store.note(schedule, day, args.task, args.text))
    print(_task_line("noted", entry, day))
    return 0


def _metric_or_error(schedule: Schedule, key: str) -> Metric:
    import difflib

    metric = schedule.metric(key)
    if metric is None:
        ids = [m.id for m in schedule.metrics]
        close = difflib.get_close_matches(key, ids, n=3, cutoff=0.5)
        hint = (
            f"; did you mean {', '.join(repr(c) for c in close)}?"
            if close
            else f"; known metrics: {', '.join(ids)}"
        )
        raise CliError(f"unknown metric {key!r}{hint}")
    return metric


def _cmd_metric_set(args: argparse.Namespace) -> int:
    from datetime import timedelta

    from opsplanner.planner.metrics import format_value
    from opsplanner.planner.values import MetricValueError, parse_metric_value

    schedule = _load(args)
    metric = _metric_or_error(schedule, args.key)
    if metric.derived:
        raise CliError(
            f"{metric.id} is computed from its formula ({metric.formula.source}); "
            "set its inputs instead"
            if metric.formula
            else ""
        )
    try:
        value = parse_metric_value(args.value, unit=metric.unit, metric=metric.id)
    except MetricValueError as error:
        raise CliError(str(error)) from None
    data_date = args.date
    if data_date is None:
        today = _today(schedule)
        for_yesterday = any(
            metric.id in t.metrics and t.metrics_for == "yesterday" for t in schedule.tasks()
        )
        data_date = today - timedelta(days=1) if for_yesterday else today
    store = _store(args)
    _store_call(lambda: store.set_metric(metric=metric.id, data_date=data_date, value=value))
    print(f"{metric.id} = {format_value(schedule, metric.id, value)} for {data_date.isoformat()}")
    return 0


def _cmd_metric_show(args: argparse.Namespace) -> int:
    from datetime import timedelta

    from opsplanner.planner.metrics import format_value, metric_value

    schedule = _load(args)
    keys = (
        [_metric_or_error(schedule, args.key).id] if args.key else [m.id for m in schedule.metrics]
    )
    end = _day(args, schedule)
    start = end - timedelta(days=args.days - 1)
    typed = [m.id for m in schedule.metrics if not m.derived]
    store = _reader(args)
    history = _store_call(lambda: store.metric_history(typed, start, end))
    dates = [start + timedelta(days=n) for n in range(args.days)]
    series = {
        key: [
            {"date": d.isoformat(), "value": metric_value(schedule, key, d, history)} for d in dates
        ]
        for key in keys
    }
    if args.json:
        _print_json({"metrics": series})
        return 0
    for key in keys:
        metric = schedule.metric(key)
        label = metric.label if metric else key
        print(f"{label} ({key})")
        for point in series[key]:
            shown = "—" if point["value"] is None else format_value(schedule, key, point["value"])
            print(f"  {point['date']}  {shown}")
    return 0


def _cmd_explain(args: argparse.Namespace) -> int:
    from datetime import timedelta

    from opsplanner.planner.metrics import data_date, evaluate_task_checks

    schedule = _load(args)
    metric = _metric_or_error(schedule, args.metric)
    day = _day(args, schedule)
    store = _store(args)
    record = _store_call(lambda: store.day(schedule, day))
    history = _store_call(lambda: store.history_for_checks(schedule, record))
    failing: list[str] = []
    on = day
    for entry in record.entries:
        checks = [c for c in entry.task.checks if c.metric == metric.id]
        if not checks:
            continue
        on = data_date(entry.task, day)
        results = evaluate_task_checks(entry.task, schedule, day, history)
        failing += [
            r.expr
            for r in results
            if r.status == "fail" and any(c.source == r.expr for c in checks)
        ]
    if not failing:
        raise CliError(
            f"no failing check on {metric.id} for {day.isoformat()}; nothing to explain", status=1
        )
    follow_day = day + timedelta(days=1) if args.tomorrow else day
    disposition = _store_call(
        lambda: store.add_disposition(
            metric=metric.id,
            data_date=on,
            checks=failing,
            cause=args.cause,
            follow_up=args.follow_up,
            follow_up_day=follow_day,
        )
    )
    if disposition.follow_up:
        print(f"follow-up for {metric.id} on {follow_day.isoformat()}: {disposition.follow_up}")
    else:
        print(f"{metric.id} ({on.isoformat()}): {disposition.cause}")
    return 0


def _cmd_export_ics(args: argparse.Namespace) -> int:
    from opsplanner.planner.ics import calendar_for

    schedule = _load(args)
    if args.days > 366:
        raise CliError("--days for an iCalendar export is at most 366")
    data = calendar_for(schedule, _day(args, schedule), args.days, stamp=_clock().now())
    _write_output(data, args.output, f"{args.days} days of {schedule.id}")
    return 0


def _write_output(data: bytes, output: str | None, what: str) -> None:
    """Write to a file (and say so), or the bytes as they are to stdout."""
    if output:
        try:
            Path(output).write_bytes(data)
        except OSError as error:
            raise CliError(f"cannot write {output}: {error.strerror}", status=1) from None
        print(f"wrote {what} to {output}")
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()


def _cmd_review(args: argparse.Namespace) -> int:
    schedule = _load(args)
    day = _day(args, schedule)
    if args.reopen or args.close:
        return _close_or_reopen(args, schedule, day)
    if args.carry_rest or args.tomorrow:
        raise CliError("--carry-rest and --tomorrow go with --close")
    _, record = _open_day(args, schedule, day)
    unfinished = record.unfinished()
    if args.json:
        _print_json(
            {
                "date": day.isoformat(),
                "closed": record.closed,
                "tomorrow": record.tomorrow,
                "unfinished": [
                    {
                        "id": e.key,
                        "title": e.task.title,
                        "block": e.task.block_id,
                        "carried_from": e.carried_from.isoformat() if e.carried_from else None,
                        "carried_count": e.carried_count,
                    }
                    for e in unfinished
                ],
            }
        )
        return 0
    if record.closed:
        print(f"{day.isoformat()} is closed.")
    if not unfinished:
        print(f"nothing unfinished on {day.isoformat()}")
        return 0
    print(f"{len(unfinished)} unfinished on {day.isoformat()}:")
    for entry in unfinished:
        print(f"  [ ] {entry.task.title}  ({entry.key})")
    print(
        "decide each: opsplanner done|skip|carry TASK --reason TEXT; "
        "or: opsplanner review --close --carry-rest REASON"
    )
    return 0


def _close_or_reopen(args: argparse.Namespace, schedule: Schedule, day: date) -> int:
    store = _store(args)
    if args.reopen:
        _store_call(lambda: store.reopen_day(schedule, day))
        print(f"reopened {day.isoformat()}")
        return 0
    record = _store_call(
        lambda: store.close_day(schedule, day, carry_rest=args.carry_rest, tomorrow=args.tomorrow)
    )
    done, total = record.progress()
    print(f"closed {day.isoformat()}: {done}/{total} done")
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    """Reports only read: a day nobody opened is reported as missing, never created (creating
    it would also mark the days before it as missed)."""
    from datetime import timedelta

    from opsplanner.planner import reports

    schedule = _load(args)
    today = _today(schedule)
    day: date = args.date or today
    store = _reader(args)
    built: reports.DayReport | reports.WeekReport | reports.MonthReport
    if args.period == "day":
        record = _store_call(lambda: store.existing_day(day))
        if record is None:
            raise CliError(
                f"no record for {day.isoformat()}; open it first with "
                f"`opsplanner today --date {day.isoformat()}`",
                status=1,
            )
        history = _store_call(
            lambda: store.metric_history(
                reports.metrics_to_load(schedule, [record]), reports.day_history_start(day), day
            )
        )
        dispositions = _store_call(lambda: store.dispositions(day - timedelta(days=1), day))
        built = reports.day_report(schedule, record, history, dispositions)
        what = f"day report for {day.isoformat()}"
    else:
        from opsplanner.store.periods import load_period_report

        built = _store_call(lambda: load_period_report(store, schedule, args.period, day, today))
        span = reports.week_range(day) if args.period == "week" else reports.month_range(day)
        what = f"{args.period} report for {span.start.isoformat()}..{span.end.isoformat()}"
    if args.format == "csv":
        data = reports.render_csv(built)
    elif args.format == "json":
        data = (
            json.dumps(reports.render_json(built), ensure_ascii=False, indent=2) + "\n"
        ).encode()
    else:
        data = reports.render_markdown(built).encode()
    _write_output(data, args.output, f"the {what}")
    return 0
