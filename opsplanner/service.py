"""Every use case of the CLI and the TUI, once: the only caller of the store.

The front-ends parse what the operator typed and render what comes back; the rules live here
(and in the pure planner functions this module calls):

- **Looking never writes.** `view` reads a stored day; a day nobody opened is shown as a
  *preview* computed from the template (nothing stored), except today, which opening the
  app opens. Past days are opened by the first action on them; days to come never are.
- **A failed check is explained before its task is ticked** (`tick` refuses with
  `NeedsExplanation`; `explain` records the cause or the follow-up the operator gave).
- **One data-date rule** for a typed figure (`metrics.data_date` / `metric_data_date`).
- **Titles follow the schedule, the plan does not change**: every day and task handed out is
  in the current schedule's words (`planner/titles.py`), whatever language it was opened in.
- Writes may name the state the caller showed (`seen`); a write based on a view someone else
  has changed since is refused (`Stale`) instead of silently undoing their change.

Importing this module stays light (no SQLAlchemy): the full store is opened on the first
call that needs it, and read-only calls on a SQLite file go through the standard library's
`sqlite3` (see `store/reader.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Literal

from opsplanner.clock import Clock, local_now
from opsplanner.i18n import _
from opsplanner.planner.day import occurrences
from opsplanner.planner.failures import Failure, Failures
from opsplanner.planner.metrics import metric_data_date
from opsplanner.planner.record import (
    NOT_SEEN,
    DayRecord,
    Disposition,
    EntryState,
    NotSeen,
    Status,
    TaskEntry,
)
from opsplanner.planner.titles import Words
from opsplanner.planner.view import (
    DayView,
    data_window,
    history_window,
    metrics_needed,
    preview_record,
)
from opsplanner.schedule.models import Metric, Schedule, UnknownZoneError
from opsplanner.settings import SettingsError, valid_operator
from opsplanner.store.errors import Refused, UnknownTask

if TYPE_CHECKING:
    from pathlib import Path
    from zoneinfo import ZoneInfo

    from opsplanner.imports.plan import ImportPlan
    from opsplanner.imports.table import Parsed
    from opsplanner.planner.reports import DayReport, MonthReport, WeekReport
    from opsplanner.store.reader import Reader
    from opsplanner.store.store import Store
    from opsplanner.store.watch import ChangeWatcher

TOMORROW_SEARCH_DAYS = 14  # a follow-up "for tomorrow" goes to the next workday within this


class BadInput(ValueError):
    """What the operator typed cannot be used (exit status 2), with what was expected."""


class NeedsExplanation(Refused):
    """A task cannot be ticked yet: a figure is missing, or a failed check has no cause or
    follow-up. The front-end asks for it (TUI) or says how to give it (CLI)."""

    def __init__(self, entry: TaskEntry, day: date, failures: Failures, *, on_today: bool) -> None:
        self.entry = entry
        self.day = day
        self.failures = failures
        self.on_today = on_today
        separator = _("; ")
        if failures.required:
            what = separator.join(f.message for f in failures.required)
            message = _("cannot tick {task} yet: {checks}; enter it first")
        else:
            what = separator.join(f.message for f in failures.unexplained)
            message = _("cannot tick {task} yet: {checks}; give the cause or a follow-up first")
        super().__init__(message.format(task=entry.key, checks=what))


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import read, what it would change and what it stored."""

    parsed: Parsed
    plan: ImportPlan
    written: int
    dry_run: bool
    overwrite: bool

    @property
    def held_back(self) -> int:
        """Different values left as stored (no --overwrite)."""
        return 0 if self.overwrite else self.plan.count("different")


@dataclass(frozen=True, slots=True)
class SetMetric:
    """A figure as stored: the metric, the date it describes and the parsed value."""

    metric: Metric
    data_date: date
    value: float


def _check_zone(schedule: Schedule) -> ZoneInfo:
    """The zone the day is counted in, known before any work starts (`TZ=garbage` is refused
    unless the template names its own zone)."""
    try:
        return schedule.zone()
    except UnknownZoneError as error:
        raise SettingsError(str(error)) from None


class OpsService:
    """The operator's day for one schedule, clock and database."""

    def __init__(
        self,
        schedule: Schedule,
        clock: Clock,
        *,
        operator: str,
        open_store: Callable[[], Store],
        open_reader: Callable[[], Reader | None] | None = None,
        open_watcher: Callable[[], ChangeWatcher | None] | None = None,
    ) -> None:
        _check_zone(schedule)
        self.schedule = schedule
        self.words = Words(schedule)
        self._open_watcher = open_watcher
        self.clock = clock
        self.operator = valid_operator(operator)
        self._open_store = open_store
        self._open_reader = open_reader
        self._store: Store | None = None
        self._reader: Reader | None = None
        self._reader_tried = open_reader is None

    @classmethod
    def for_database(
        cls, schedule: Schedule, clock: Clock, *, db: str | None, operator: str
    ) -> OpsService:
        """The service over `--db` (a SQLite path or a URL; None: the default file)."""
        operator = valid_operator(operator)  # before any backend sees it

        def open_store() -> Store:
            from opsplanner.store.engine import make_engine
            from opsplanner.store.store import Store

            return Store(make_engine(db), operator=operator, clock=clock)

        def open_reader() -> Reader | None:
            from opsplanner.store.reader import open_sqlite_reader

            return open_sqlite_reader(db, operator=operator, clock=clock)

        def open_watcher() -> ChangeWatcher | None:
            from opsplanner.store.config import database_url
            from opsplanner.store.watch import watcher_for

            return watcher_for(database_url(db), operator)

        return cls(
            schedule,
            clock,
            operator=operator,
            open_store=open_store,
            open_reader=open_reader,
            open_watcher=open_watcher,
        )

    @classmethod
    @contextmanager
    def demo(
        cls, schedule: Schedule, clock: Clock, *, days: int = 30
    ) -> Iterator[tuple[OpsService, str]]:
        """A service on a throwaway SQLite file holding `days` of generated history (the
        operator's own data is never touched), with the file's path; the file and its
        folder are deleted when the `with` block ends."""
        import tempfile
        from pathlib import Path

        from opsplanner.store.engine import make_engine
        from opsplanner.store.generate import generate_history

        today = local_now(clock, _check_zone(schedule)).date()
        with tempfile.TemporaryDirectory(
            prefix="opsplanner-demo-", ignore_cleanup_errors=True
        ) as folder:
            db = str(Path(folder) / "demo.sqlite3")
            engine = make_engine(db)
            try:
                generate_history(engine, schedule, days=days, end=today, operator="demo", seed=11)
            finally:
                engine.dispose()
            service = cls.for_database(schedule, clock, db=db, operator="demo")
            try:
                yield service, db
            finally:
                service.release()

    # -------------------------------------------------------------- where data comes from

    def store(self) -> Store:
        """The full store (SQLModel), opened on first use: every write goes through it."""
        if self._store is None:
            self._store = self._open_store()
        return self._store

    @property
    def store_is_open(self) -> bool:
        return self._store is not None

    def _source(self) -> Reader:
        """What reads go to: the plain-sqlite3 reader when the database is a SQLite file at
        this version's schema (a third of the store's cost per read), else the store."""
        if not self._reader_tried:
            self._reader_tried = True
            self._reader = self._open_reader() if self._open_reader else None
        return self._reader if self._reader is not None else self.store()

    def release(self) -> None:
        """Let go of the reader's connection (the CLI's process ends anyway; tests reuse)."""
        if self._reader is not None:
            self._reader.release()
            self._reader = None

    def watcher(self) -> ChangeWatcher | None:
        """Something that notices other writers' commits (None: this database cannot say)."""
        return self._open_watcher() if self._open_watcher else None

    # -------------------------------------------------------------- time

    def now(self) -> datetime:
        """The wall time in the schedule's zone."""
        return local_now(self.clock, self.schedule.zone())

    def today(self) -> date:
        return self.now().date()

    # -------------------------------------------------------------- reading

    def sketch(self, day: date) -> DayView:
        """The day from the template alone, without touching the database (a first frame)."""
        record = preview_record(occurrences(self.schedule, day), self.operator, self.now())
        return DayView(self.schedule, record, {}, (), self.today(), preview=True)

    def view(self, day: date | None = None) -> DayView:
        """The day as stored, or a preview when nobody opened it; today is opened."""
        today = self.today()
        day = day or today
        source = self._source()
        record = source.existing_day(day)
        preview = False
        if record is None:
            if day == today:
                record = self.store().day(self.schedule, day)
                source = self.store()
            else:
                record = self._preview(source, day)
                preview = True
        needed = metrics_needed(self.schedule, record)
        history = source.metric_history(needed, *history_window(self.schedule, record))
        dispositions = tuple(source.dispositions(*data_window(self.schedule, record)))
        previous = source.last_day_before(day)
        return DayView(
            self.schedule,
            self.words.record(record),
            history,
            dispositions,
            today,
            preview,
            previous and self.words.record(previous),
        )

    def _preview(self, source: Reader, day: date) -> DayRecord:
        """The day as opening it would plan it: `every N days` counted from the same
        anchor, `after done` tasks from their last completion."""
        keys = [t.id for t in self.schedule.tasks() if t.repeat is not None and t.repeat.after_done]
        past = source.planning(day, keys)
        plan = occurrences(
            self.schedule, day, first_day=past.first_day or day, last_done=past.last_done.get
        )
        return preview_record(plan, self.operator, self.clock.now())

    # -------------------------------------------------------------- tasks

    def tick(
        self, day: date, key: str, *, note: str | None = None, seen: EntryState | None = None
    ) -> TaskEntry:
        """Mark a task done, once its failed checks are explained (else `NeedsExplanation`)."""
        store = self.store()
        record = self.words.record(store.day(self.schedule, day))
        entry = record.find(key)
        if entry is not None and entry.status != "done" and entry.task.checks:
            needed = metrics_needed(self.schedule, record)
            history = store.metric_history(needed, *history_window(self.schedule, record))
            dispositions = store.dispositions(*data_window(self.schedule, record))
            view = DayView(self.schedule, record, history, tuple(dispositions), self.today())
            failures = view.failures(entry)
            if failures.blocking:
                raise NeedsExplanation(entry, day, failures, on_today=day == self.today())
        return self.words.entry(
            store.set_status(self.schedule, day, key, "done", note=note, seen=seen)
        )

    def untick(self, day: date, key: str, *, seen: EntryState | None = None) -> TaskEntry:
        """Back to pending (a carry it had is taken back unless the next day acted on it)."""
        return self.words.entry(
            self.store().set_status(self.schedule, day, key, "pending", seen=seen)
        )

    def decide(
        self,
        day: date,
        key: str,
        status: Literal["skipped", "carried"],
        reason: str,
        *,
        seen: EntryState | None = None,
    ) -> TaskEntry:
        """Skip or carry a task, saying why."""
        if not reason.strip():
            raise BadInput(_("a reason is needed (e.g. 'no time', 'waiting on others')"))
        return self.words.entry(
            self.store().set_status(self.schedule, day, key, status, reason=reason, seen=seen)
        )

    def note(self, day: date, key: str, text: str, *, seen: EntryState | None = None) -> TaskEntry:
        """Attach, change or (empty text) clear a task's note."""
        return self.words.entry(self.store().note(self.schedule, day, key, text, seen=seen))

    def undo(self, day: date, key: str, *, seen: EntryState | None = None) -> tuple[TaskEntry, str]:
        """Revert the latest change to a task; returns the entry and what was undone."""
        entry, undone = self.store().undo(self.schedule, day, key, seen=seen)
        return self.words.entry(entry), undone

    # -------------------------------------------------------------- checks and figures

    def metric(self, key: str) -> Metric:
        """A metric of the template, or `BadInput` naming the closest ones."""
        metric = self.schedule.metric(key)
        if metric is not None:
            return metric
        import difflib

        ids = [m.id for m in self.schedule.metrics]
        close = difflib.get_close_matches(key, ids, n=3, cutoff=0.5)
        if close:
            raise BadInput(
                _("unknown metric {metric!r}; did you mean {close}?").format(
                    metric=key, close=", ".join(repr(c) for c in close)
                )
            )
        raise BadInput(
            _("unknown metric {metric!r}; known metrics: {known}").format(
                metric=key, known=", ".join(ids)
            )
        )

    def set_metric(
        self,
        metric_id: str,
        text: str,
        *,
        day: date | None = None,
        on: date | None = None,
        seen: float | None | NotSeen = NOT_SEEN,
    ) -> SetMetric:
        """Parse and store a figure as typed ("1.2万", "¥1,234.50", "3.5%"). It describes `on`
        when given (the TUI passes its task's data date), else the date the template's rule
        gives for the metric on `day` (store data: yesterday)."""
        from opsplanner.planner.values import MetricValueError, parse_metric_value

        metric = self.metric(metric_id)
        if metric.derived:
            if metric.formula:
                raise BadInput(
                    _("{metric} is computed from its formula ({formula}); set its inputs").format(
                        metric=metric.id, formula=metric.formula.source
                    )
                )
            raise BadInput(
                _("{metric} is computed from its formula; set its inputs").format(metric=metric.id)
            )
        try:
            value = parse_metric_value(text, unit=metric.unit, metric=metric.id)
        except MetricValueError as error:
            raise BadInput(str(error)) from None
        if on is None:
            on = metric_data_date(self.schedule, metric.id, day or self.today())
        self.store().set_metric(metric=metric.id, data_date=on, value=value, seen=seen)
        return SetMetric(metric, on, value)

    def import_files(
        self, paths: Sequence[Path], *, dry_run: bool = False, overwrite: bool = False
    ) -> ImportResult:
        """Read figures from exported or hand-kept sheets and store what is new (and what
        differs, with `overwrite`) in one unit of work; `dry_run` stores nothing. Cells that
        cannot be read are reported with their place; the rest is imported."""
        from opsplanner.imports.plan import plan_import
        from opsplanner.imports.sheets import SheetError, read_sheets
        from opsplanner.imports.table import Parsed, read_table

        parsed = Parsed()
        columns = dict(self.schedule.import_columns)
        for path in paths:
            try:
                sheets = read_sheets(path)
            except SheetError as error:
                raise BadInput(str(error)) from None
            for sheet in sheets:
                name = sheet.name if len(sheets) > 1 else None
                read_table(str(path), name, sheet.rows, self.schedule, columns, parsed)
        dates = [r.data_date for r in parsed.readings]
        stored: dict[str, dict[date, float]] = {}
        if dates:
            names = {r.metric for r in parsed.readings}
            for name in list(names):
                metric = self.schedule.metric(name)
                if metric is not None and metric.formula is not None:
                    names |= metric.formula.names
            history = self._source().metric_history(sorted(names), min(dates), max(dates))
            stored = {metric: dict(values) for metric, values in history.items()}
        plan = plan_import(self.schedule, parsed.readings, stored)
        written = 0
        if not dry_run:
            wanted = plan.to_write(overwrite)
            source = ", ".join(path.name for path in paths)
            rows = [(r.metric, r.data_date, r.value) for r in wanted]
            written = self.store().import_metrics(rows, source=source) if rows else 0
        return ImportResult(parsed, plan, written, dry_run=dry_run, overwrite=overwrite)

    def explain(
        self,
        day: date,
        *,
        task_key: str | None = None,
        metric_id: str | None = None,
        cause: str | None = None,
        follow_up: str | None = None,
        tomorrow: bool = False,
    ) -> tuple[Disposition, ...]:
        """Give the unexplained failed checks of a task (or of a metric, across the day's
        tasks) the operator's cause, or a follow-up task for `day` (or the next workday).
        Nothing is stored but what the operator typed or chose."""
        cause = (cause or "").strip() or None
        follow_up = (follow_up or "").strip() or None
        if (cause is None) == (follow_up is None):
            raise BadInput(_("give either a cause or a follow-up task"))
        view = self.view(day)
        if task_key is not None:
            entry = view.record.find(task_key)
            if entry is None:
                raise UnknownTask(
                    _("no task {task!r} on {day}").format(task=task_key, day=day.isoformat()), []
                )
            entries, wanted, what = [entry], None, task_key
        else:
            entries, wanted = list(view.record.entries), self.metric(metric_id or "").id
            what = wanted
        groups: dict[date, list[Failure]] = {}
        for entry in entries:
            failures = view.failures(entry)
            for failure in (*failures.required, *failures.unexplained):
                if wanted is None or failure.check.metric == wanted:
                    groups.setdefault(failure.data_date, []).append(failure)
        if not groups:
            raise Refused(
                _("no unexplained failed check on {what} for {day}").format(
                    what=what, day=day.isoformat()
                )
            )
        follow_day = self.next_workday(day) if tomorrow else day
        store = self.store()
        given = []
        for on, group in groups.items():
            checks = list(dict.fromkeys(f.check.source for f in group))
            given.append(
                store.add_disposition(
                    metric=group[0].check.metric,
                    data_date=on,
                    checks=checks,
                    cause=cause,
                    follow_up=follow_up,
                    follow_up_day=follow_day if follow_up else None,
                )
            )
        return tuple(given)

    def next_workday(self, day: date) -> date:
        """The first workday after `day` (a follow-up "for tomorrow" on a Saturday of a
        six-day week lands on Monday)."""
        for offset in range(1, TOMORROW_SEARCH_DAYS + 1):
            candidate = day + timedelta(days=offset)
            if self.schedule.calendar.is_workday(candidate):
                return candidate
        return day + timedelta(days=1)

    # -------------------------------------------------------------- the day's end

    def close_day(
        self, day: date, *, carry_rest: str | None = None, tomorrow: str | None = None
    ) -> DayRecord:
        """Close a day: every unfinished item needs a decision, or `carry_rest` as the reason."""
        return self.words.record(
            self.store().close_day(self.schedule, day, carry_rest=carry_rest, tomorrow=tomorrow)
        )

    def reopen_day(self, day: date) -> DayRecord:
        return self.words.record(self.store().reopen_day(self.schedule, day))

    def set_tomorrow(self, day: date, text: str) -> DayRecord:
        """Notes for the next day, kept as typed; the next morning's view shows them."""
        return self.words.record(self.store().set_tomorrow(self.schedule, day, text))

    # -------------------------------------------------------------- reports

    def day_report(self, day: date) -> DayReport:
        """The daily report of a recorded day (a day nobody opened has none)."""
        from opsplanner.planner import reports

        source = self._source()
        record = source.existing_day(day)
        if record is None:
            raise Refused(
                _("nothing is recorded for {day}: the day was never opened").format(
                    day=day.isoformat()
                )
            )
        needed = reports.metrics_to_load(self.schedule, [record])
        history = source.metric_history(needed, *history_window(self.schedule, record))
        dispositions = source.dispositions(*data_window(self.schedule, record))
        return reports.day_report(self.schedule, self.words.record(record), history, dispositions)

    def period_report(
        self, period: Literal["week", "month"], day: date
    ) -> WeekReport | MonthReport:
        """The week or month containing `day`, as of today: only the period, the one before
        it, the checks' look-back and the running campaigns are read, so a report costs the
        same on the thousandth day as on the tenth."""
        from opsplanner.planner import reports

        source = self._source()
        today = self.today()
        span = reports.week_range(day) if period == "week" else reports.month_range(day)
        loaded = self.days_between(span.previous_start, span.end)
        history = source.metric_history(
            reports.metrics_to_load(self.schedule, loaded), span.history_start, span.history_end
        )
        dispositions = source.dispositions(span.dispositions_start, span.end)
        campaign_days: list[DayRecord] = []
        window = reports.campaign_window(self.schedule, min(today, span.end))
        if window is not None:
            first, last = window
            campaign_days = [r for r in loaded if first <= r.day <= last]
            if first < span.previous_start:
                campaign_days += source.days_between(
                    first, min(last, span.previous_start - timedelta(days=1))
                )
        build = reports.week_report if period == "week" else reports.month_report
        return build(
            self.schedule,
            [r for r in loaded if r.day >= span.start],
            [r for r in loaded if r.day < span.start],
            history,
            dispositions,
            day=day,
            today=today,
            status_of=reports.status_from_records(campaign_days),
            started=source.planning(today, ()).first_day,
        )

    def days_between(self, start: date, end: date) -> list[DayRecord]:
        """Every recorded day from `start` to `end` (the week grid, the habit history)."""
        return [self.words.record(record) for record in self._source().days_between(start, end)]

    def metric_series(
        self, keys: Sequence[str], end: date, days: int
    ) -> dict[str, list[tuple[date, float | None]]]:
        """Each metric's value (typed, or computed from its formula) for `days` data dates
        up to `end`."""
        from opsplanner.planner.metrics import metric_value

        start = end - timedelta(days=days - 1)
        stored = [m.id for m in self.schedule.metrics]  # computed ones: imported figures
        history = self._source().metric_history(stored, start, end)
        dates = [start + timedelta(days=n) for n in range(days)]
        return {
            key: [(d, metric_value(self.schedule, key, d, history)) for d in dates] for key in keys
        }

    def calendar(self, start: date, days: int) -> bytes:
        """The coming days' blocks as iCalendar (in the schedule's timezone)."""
        from opsplanner.planner.ics import calendar_for

        return calendar_for(self.schedule, start, days, stamp=self.clock.now())


__all__ = ["BadInput", "DayView", "NeedsExplanation", "OpsService", "SetMetric", "Status"]
