"""One short handler per command: settings → one service call → text. No rule lives here."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from opsplanner.cli import documents, text
from opsplanner.cli.parser import CliError
from opsplanner.i18n import N_, _, ngettext
from opsplanner.planner.record import TaskEntry
from opsplanner.safe_text import one_line
from opsplanner.schedule.models import Schedule
from opsplanner.service import BadInput, NeedsExplanation, OpsService
from opsplanner.settings import Settings, SettingsError, choose_language
from opsplanner.store.errors import Refused, StoreError, UnknownTask, status_name

if TYPE_CHECKING:
    from opsplanner.planner.reports import Report

Handler = Callable[[argparse.Namespace], int]


def _settings(args: argparse.Namespace) -> Settings:
    try:
        return Settings.resolve(schedule=args.schedule, db=args.db, operator=args.operator)
    except SettingsError as error:
        raise CliError(str(error)) from None


def load_schedule(path: Path) -> Schedule:
    """The validated template; a warm start reads the compiled copy (no YAML parsing)."""
    from opsplanner.schedule.cache import load_schedule_cached
    from opsplanner.schedule.errors import ScheduleError

    try:
        return load_schedule_cached(path)
    except ScheduleError as error:
        first = str(error.problems[0])
        more = len(error.problems) - 1
        if not more:
            raise CliError(first) from None
        raise CliError(
            _("{problem} (and {count} more; run `opsplanner check {path}`)").format(
                problem=first, count=more, path=path
            )
        ) from None


def service_for(args: argparse.Namespace) -> OpsService:
    settings = _settings(args)
    schedule = load_schedule(settings.schedule)
    speak(args, schedule)
    return OpsService.for_database(
        schedule, settings.clock, db=settings.db, operator=settings.operator
    )


def speak(args: argparse.Namespace, schedule: Schedule) -> None:
    """From here on, write in `--lang`, else the schedule's language, else the locale's."""
    try:
        choose_language(args.lang, schedule.language)
    except SettingsError as error:
        raise CliError(str(error)) from None


def _day(args: argparse.Namespace, service: OpsService) -> date:
    chosen: date | None = args.date
    return chosen if chosen is not None else service.today()


def _print(lines: Iterable[str]) -> None:
    for line in lines:
        print(line)


UNDONE = {
    "done": N_("undid done"),
    "skip": N_("undid skip"),
    "carry": N_("undid carry"),
    "reopen": N_("undid reopen"),
    "note": N_("undid note"),
}
"""What `undo` took back, by the change's action as the store logs it."""


def _task_line(what: str, entry: TaskEntry, day: date) -> str:
    """A confirmation: what happened (already in the current language), to which task."""
    return _("{what}: {task} — {title} ({day})").format(
        what=what, task=entry.key, title=one_line(entry.task.title), day=day.isoformat()
    )


def _write_output(data: bytes, output: str | None, wrote: str, **fields: object) -> None:
    """Write to a file (and say so with `wrote`, a text whose {path} is the file), or the
    bytes as they are to stdout."""
    if output and output != "-":
        try:
            Path(output).write_bytes(data)
        except OSError as error:
            raise CliError(
                _("cannot write {path}: {reason}").format(
                    path=one_line(output), reason=error.strerror
                ),
                status=1,
            ) from None
        print(wrote.format(path=one_line(output), **fields))
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()


def explain_hint(error: NeedsExplanation) -> str:
    """What to type next, for a tick the rule refused."""
    when = "" if error.on_today else f" --date {error.day.isoformat()}"
    if error.failures.required:
        missing = error.failures.required[0]
        return _(
            "{error}: opsplanner metric set {metric} VALUE --for {on}{when} "
            "(if there is no figure for that date: opsplanner explain {task} --cause TEXT{when})"
        ).format(
            error=error,
            metric=missing.check.metric,
            on=missing.data_date.isoformat(),
            task=error.entry.key,
            when=when,
        )
    return _("{error}: opsplanner explain {task} --cause TEXT{when} (or --follow-up TITLE)").format(
        error=error, task=error.entry.key, when=when
    )


# ------------------------------------------------------------------ the day


def cmd_today(args: argparse.Namespace) -> int:
    service = service_for(args)
    view = service.view(_day(args, service))
    now = service.now()
    if args.json:
        print(text.json_text(documents.today_document(view, now)))
    else:
        _print(text.agenda_lines(view, now))
    return 0


def cmd_done(args: argparse.Namespace) -> int:
    service = service_for(args)
    day = _day(args, service)
    entry = service.tick(day, args.task, note=args.note)
    print(_task_line(status_name("done"), entry, day))
    return 0


def cmd_undone(args: argparse.Namespace) -> int:
    service = service_for(args)
    day = _day(args, service)
    entry = service.untick(day, args.task)
    print(_task_line(_("not done"), entry, day))
    return 0


def _decide(args: argparse.Namespace, status: str) -> int:
    service = service_for(args)
    day = _day(args, service)
    entry = service.decide(
        day, args.task, "skipped" if status == "skip" else "carried", args.reason
    )
    line = _task_line(status_name(entry.status), entry, day)
    print(_("{line}: {reason}").format(line=line, reason=one_line(entry.reason or "")))
    return 0


def cmd_skip(args: argparse.Namespace) -> int:
    return _decide(args, "skip")


def cmd_carry(args: argparse.Namespace) -> int:
    return _decide(args, "carry")


def cmd_undo(args: argparse.Namespace) -> int:
    service = service_for(args)
    day = _day(args, service)
    entry, action = service.undo(day, args.task)
    line = _task_line(_(UNDONE.get(action, action)), entry, day)
    print(_("{line}; now {status}").format(line=line, status=status_name(entry.status)))
    return 0


def cmd_note(args: argparse.Namespace) -> int:
    service = service_for(args)
    day = _day(args, service)
    entry = service.note(day, args.task, args.text)
    print(_task_line(_("noted") if entry.note else _("note cleared"), entry, day))
    return 0


# ------------------------------------------------------------------ figures and checks


def cmd_import(args: argparse.Namespace) -> int:
    """Rejected cells go to stderr with their place; the status is 1 when any cell was
    rejected or a different figure was kept, so a script notices."""
    service = service_for(args)
    result = service.import_files(args.files, dry_run=args.dry_run, overwrite=args.overwrite)
    if args.json:
        print(text.json_text(documents.import_document(result, service.schedule)))
    else:
        _print(text.import_lines(result, service.schedule))
    for rejection in result.parsed.rejections:
        print(one_line(str(rejection)), file=sys.stderr)
    return 1 if result.parsed.rejections or result.held_back else 0


def cmd_metric_set(args: argparse.Namespace) -> int:
    from opsplanner.planner.metrics import format_value

    service = service_for(args)
    stored = service.set_metric(args.key, args.value, day=_day(args, service), on=args.data_date)
    shown = format_value(service.schedule, stored.metric.id, stored.value)
    print(
        _("{metric} = {value} for {day}").format(
            metric=stored.metric.id, value=shown, day=stored.data_date.isoformat()
        )
    )
    return 0


def cmd_metric_show(args: argparse.Namespace) -> int:
    service = service_for(args)
    keys = [service.metric(args.key).id] if args.key else [m.id for m in service.schedule.metrics]
    series = service.metric_series(keys, _day(args, service), args.days)
    if args.json:
        print(text.json_text(documents.metrics_document(service.schedule, series)))
    else:
        _print(text.series_lines(service.schedule, series))
    return 0


def cmd_explain(args: argparse.Namespace) -> int:
    service = service_for(args)
    day = _day(args, service)
    is_metric = service.schedule.metric(args.target) is not None
    given = service.explain(
        day,
        metric_id=args.target if is_metric else None,
        task_key=None if is_metric else args.target,
        cause=args.cause,
        follow_up=args.follow_up,
        tomorrow=args.tomorrow,
    )
    for disposition in given:
        checks = one_line(disposition.checks)
        if disposition.follow_up and disposition.follow_up_day:
            print(
                _("follow-up on {day} for {checks}: {task}").format(
                    day=disposition.follow_up_day.isoformat(),
                    checks=checks,
                    task=one_line(disposition.follow_up),
                )
            )
        else:
            print(
                _("{checks} ({day}): {cause}").format(
                    checks=checks,
                    day=disposition.data_date.isoformat(),
                    cause=one_line(disposition.cause or ""),
                )
            )
    return 0


# ------------------------------------------------------------------ the day's end


def cmd_review(args: argparse.Namespace) -> int:
    service = service_for(args)
    day = _day(args, service)
    if args.reopen and (args.close or args.carry_rest):
        raise CliError(_("--reopen goes alone (or with --tomorrow)"))
    if args.carry_rest and not args.close:
        raise CliError(_("--carry-rest goes with --close"))
    if args.tomorrow is not None:
        service.set_tomorrow(day, args.tomorrow)
        if not (args.close or args.reopen):
            print(_("notes for the day after {day} saved").format(day=day.isoformat()))
    if args.reopen:
        service.reopen_day(day)
        print(_("reopened {day}").format(day=day.isoformat()))
        return 0
    if args.close:
        record = service.close_day(day, carry_rest=args.carry_rest)
        done, total = record.progress()
        print(
            _("closed {day}: {done}/{total} done").format(
                day=day.isoformat(), done=done, total=total
            )
        )
        return 0
    if args.tomorrow is not None:
        return 0
    view = service.view(day)
    if args.json:
        print(text.json_text(documents.review_document(view)))
    else:
        _print(text.review_lines(view))
    return 0


# ------------------------------------------------------------------ reports and export


def cmd_report(args: argparse.Namespace) -> int:
    """Reports only read: a day nobody opened has no report."""
    from opsplanner.planner import reports

    if args.format == "xlsx" and args.output in (None, "-"):
        raise CliError(
            _("an xlsx workbook is a file, not text for the terminal: add -o FILE.xlsx"),
            status=2,
        )
    service = service_for(args)
    day = _day(args, service)
    built: Report
    if args.period == "day":
        built = service.day_report(day)
        first = last = day
        wrote = _("wrote the day report for {first} to {path}")
    else:
        built = service.period_report(args.period, day)
        span = reports.week_range(day) if args.period == "week" else reports.month_range(day)
        first, last = span.start, span.end
        wrote = (
            _("wrote the week report for {first}..{last} to {path}")
            if args.period == "week"
            else _("wrote the month report for {first}..{last} to {path}")
        )
    if args.format == "csv":
        data = reports.render_csv(built)
    elif args.format == "json":
        data = (text.json_text(reports.render_json(built)) + "\n").encode()
    elif args.format == "xlsx":
        from opsplanner.planner.reports.to_xlsx import render_xlsx

        data = render_xlsx(built)
    else:
        data = reports.render_markdown(built).encode()
    _write_output(data, args.output, wrote, first=first.isoformat(), last=last.isoformat())
    return 0


def cmd_export_ics(args: argparse.Namespace) -> int:
    service = service_for(args)
    if args.days > 366:
        raise CliError(_("--days for an iCalendar export is at most {limit}").format(limit=366))
    data = service.calendar(_day(args, service), args.days)
    wrote = ngettext(
        "wrote {count} day of {schedule} to {path}",
        "wrote {count} days of {schedule} to {path}",
        args.days,
    )
    _write_output(data, args.output, wrote, count=args.days, schedule=service.schedule.id)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from opsplanner.schedule.loader import iter_problems
    from opsplanner.schedule.paths import resolve_schedule_path

    paths = [resolve_schedule_path(p) for p in args.paths] or [_settings(args).schedule]
    ok = True
    for __, schedule, problems in iter_problems(paths):
        if schedule is not None:
            blocks, tasks = len(schedule.blocks), len(schedule.tasks())
            campaign = sum(len(c.tasks) for c in schedule.campaigns)
            counts = {
                "path": one_line(str(schedule.source)),
                "blocks": ngettext("{count} block", "{count} blocks", blocks).format(count=blocks),
                "tasks": ngettext("{count} task", "{count} tasks", tasks).format(count=tasks),
                "campaign": ngettext(
                    "{count} campaign task", "{count} campaign tasks", campaign
                ).format(count=campaign),
            }
            if campaign:
                print(_("ok: {path}: {blocks}, {tasks}, {campaign}").format(**counts))
            else:
                print(_("ok: {path}: {blocks}, {tasks}").format(**counts))
        else:
            ok = False
            for problem in problems:
                print(one_line(str(problem)))
    if not ok:
        raise CliError(
            _("the template has problems (listed above)")
            if len(paths) == 1
            else _("some templates have problems (listed above)"),
            status=1,
        )
    return 0


# ------------------------------------------------------------------ the TUI


def cmd_default(args: argparse.Namespace) -> int:
    """No command: the TUI in a terminal, today's agenda when piped."""
    if sys.stdin.isatty() and sys.stdout.isatty():
        return cmd_tui(args)
    args.json = False
    return cmd_today(args)


def cmd_tui(args: argparse.Namespace) -> int:
    arguments = prepare_tui(args)
    from opsplanner.tui.app import make_app

    app = make_app(**arguments)
    app.run()
    return app.return_code or 0  # 1 after a crash: Textual restored the terminal, said why


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
    return {"service": service_for(args), "day": args.date, "when_started": _collect_and_freeze}


def cmd_demo(args: argparse.Namespace) -> int:
    """The TUI (or today's agenda) on generated history; the throwaway files go at the end."""
    settings = _settings(args)
    with OpsService.demo(load_schedule(settings.schedule), settings.clock) as (__, args.db):
        args.operator = "demo"
        if args.print:
            print(_("demo database: {path} (deleted on exit)").format(path=args.db))
            args.json = False
            return cmd_today(args)
        return cmd_tui(args)


HANDLERS: dict[str, Handler] = {
    "default": cmd_default,
    "tui": cmd_tui,
    "demo": cmd_demo,
    "check": cmd_check,
    "today": cmd_today,
    "done": cmd_done,
    "undone": cmd_undone,
    "skip": cmd_skip,
    "carry": cmd_carry,
    "undo": cmd_undo,
    "note": cmd_note,
    "import": cmd_import,
    "metric set": cmd_metric_set,
    "metric show": cmd_metric_show,
    "explain": cmd_explain,
    "review": cmd_review,
    "report": cmd_report,
    "export ics": cmd_export_ics,
}


def run(args: argparse.Namespace) -> int:
    """Run the chosen handler; the service's refusals become one-line messages."""
    try:
        return HANDLERS[args.verb](args)
    except NeedsExplanation as error:
        raise CliError(explain_hint(error), status=1) from None
    except (BadInput, UnknownTask, SettingsError) as error:
        raise CliError(str(error), status=2) from None
    except (Refused, StoreError) as error:
        raise CliError(str(error), status=1) from None
