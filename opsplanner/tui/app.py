"""The Textual app: follows the clock, owns the store, and hands domain objects to screens.

The first frame is drawn from the template alone; a worker thread then shows the day's
statuses from the plain-sqlite3 reader (milliseconds) and opens the full store (SQLModel's
import, the schema check) that every change goes through.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen

from opsplanner.clock import Clock, local_now
from opsplanner.planner.day import DayPlan, PlannedTask, block_at, occurrences
from opsplanner.planner.metrics import CheckResult, MetricHistory, data_date, evaluate_task_checks
from opsplanner.planner.record import DayRecord, Disposition, Status, TaskEntry
from opsplanner.schedule.models import Schedule

if TYPE_CHECKING:
    from opsplanner.store.reader import Reader, SqliteReader
    from opsplanner.store.store import Store


class OpsPlannerApp(App[None]):
    """The operator's day, block by block."""

    CSS_PATH = "styles/app.tcss"
    TITLE = "opsplanner"
    COMMANDS = App.COMMANDS | {lambda: _commands()}
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("question_mark", "help", "Help", id="app.help"),
    ]

    @dataclass
    class DayLoaded(Message):
        """The store has the day's record (first load, after a change, or a new day)."""

        record: DayRecord

    @dataclass
    class ClockTick(Message):
        """A second passed: the wall time in the schedule's zone."""

        now: datetime

    def __init__(
        self,
        *,
        schedule: Schedule,
        open_store: Callable[[], Store],
        clock: Clock,
        day: date | None = None,
        open_reader: Callable[[], SqliteReader | None] | None = None,
        when_started: Callable[[], None] | None = None,
    ) -> None:
        super().__init__()
        self.schedule = schedule
        self.clock = clock
        self.zone = schedule.zone()
        self._open_store = open_store
        self._open_reader = open_reader
        self._when_started = when_started
        self.store: Store | None = None
        self.follow_today = day is None
        self.day = day or local_now(clock, self.zone).date()
        self.record: DayRecord | None = None
        self.history: MetricHistory = {}
        self.history_version = 0  # bumps whenever `history` is reloaded
        self.dispositions: list[Disposition] = []
        self.now_block: str | None = None
        self._review_offered = False

    # -------------------------------------------------------------- start-up

    def get_default_screen(self) -> Screen[Any]:
        """The today screen is the app's first screen: no blank screen drawn before it."""
        from opsplanner.tui.screens.today import TodayScreen

        return TodayScreen()

    def on_mount(self) -> None:
        self.now_block = self._block_now()
        self.set_interval(1.0, self.tick)
        # the store's imports compete with drawing: start them once the first frame is out
        self.call_after_refresh(self.open_store)

    def plan(self) -> DayPlan:
        """The day from the template alone (what the first frame shows)."""
        return occurrences(self.schedule, self.day)

    def now(self) -> datetime:
        return local_now(self.clock, self.zone)

    @work(thread=True, exclusive=True, group="store", exit_on_error=False)
    def open_store(self) -> None:
        try:
            self._show_what_is_stored()
            self._open_the_store()
        finally:
            if self._when_started is not None:  # once the statuses (or the error) are drawn
                self.call_from_thread(self.call_after_refresh, self._when_started)

    def _open_the_store(self) -> None:
        try:
            store = self._open_store()
            record = store.day(self.schedule, self.day)
            self._load_metrics(store, record)
        except Exception as error:  # the store explains its own errors
            self.call_from_thread(
                self.notify, str(error), title="Cannot open the store", severity="error", timeout=30
            )
            return
        self.call_from_thread(self._store_ready, store, record)

    def _show_what_is_stored(self) -> None:
        """Statuses before the store's imports finish, when the reader can serve the day;
        otherwise (never opened, another database) the store will show them."""
        try:
            reader = self._open_reader() if self._open_reader else None
            if reader is None:
                return
            try:
                record = reader.existing_day(self.day)
                if record is not None:
                    self._load_metrics(reader, record)
            finally:
                reader.close()
        except Exception:  # the store, opened next, reports any real problem
            return
        if record is not None:
            self.call_from_thread(self._publish, record)

    def _store_ready(self, store: Store, record: DayRecord) -> None:
        self.store = store
        self._publish(record)

    def _load_metrics(self, store: Reader, record: DayRecord) -> None:
        """The metric history the day's checks read, and the dispositions already given."""
        self.history = store.history_for_checks(self.schedule, record)
        self.history_version += 1
        self.dispositions = store.dispositions(record.day - timedelta(days=1), record.day)

    def _publish(self, record: DayRecord) -> None:
        self.record = record
        self.screen.post_message(self.DayLoaded(record))
        for screen in self.screen_stack[:-1]:
            screen.post_message(self.DayLoaded(record))

    # -------------------------------------------------------------- the clock

    def tick(self) -> None:
        now = self.now()
        if self.follow_today and now.date() != self.day:
            self.roll_over(now.date())
        block = self._block_now()
        if block != self.now_block:
            self.now_block = block
            self._announce(block)
            self._offer_review(now)
        self.screen.post_message(self.ClockTick(now))

    def _block_now(self) -> str | None:
        now = self.now()
        if now.date() != self.day:
            return None
        plan = self.record.plan if self.record else self.plan()
        found = block_at(plan, now.time())
        return found.id if found else None

    def _announce(self, block_id: str | None) -> None:
        if block_id is None or self.record is None:
            return
        for block, entries in self.record.blocks():
            if block.id == block_id:
                self.notify(
                    f"{len(entries)} tasks until {block.end:%H:%M}", title=f"Now: {block.title}"
                )

    def _offer_review(self, now: datetime) -> None:
        """When the day's last block has ended, remind once that the review is waiting."""
        record = self.record
        if record is None or record.closed or now.date() != record.day or self._review_offered:
            return
        ends = [b.end for b in record.plan.blocks if b.end is not None]
        if ends and now.time() >= max(ends) and record.unfinished():
            self._review_offered = True
            self.notify(
                f"{len(record.unfinished())} item(s) undecided — press r to review "
                "and close the day",
                title="The day's last block has ended",
                timeout=30,
            )

    def roll_over(self, new_day: date) -> None:
        """Midnight while open: move to the new day and offer the review of the old one."""
        previous = self.record
        self.day = new_day
        self.now_block = None
        self._review_offered = False
        if self.store is None:
            return
        record = self.guarded(lambda s: s.day(self.schedule, new_day))
        if record is not None:
            self._publish(record)
        if previous is not None and not previous.closed and previous.unfinished():
            from opsplanner.tui.screens.review import ReviewScreen

            self.notify(f"{previous.day:%a %m-%d} is not closed", title="New day")
            self.push_screen(ReviewScreen(previous.day))

    # -------------------------------------------------------------- store actions

    def guarded(self, action: Callable[[Store], Any]) -> Any:
        """Run a store action; a refusal or a database problem becomes a notification."""
        from opsplanner.store.errors import Refused, StoreError, UnknownTask

        if self.store is None:
            self.notify("Still opening the store…", severity="warning")
            return None
        try:
            return action(self.store)
        except (Refused, UnknownTask, StoreError) as error:
            self.notify(str(error), severity="error", timeout=8)
            return None

    def reload(self, day: date | None = None) -> DayRecord | None:
        record = self.guarded(lambda s: s.day(self.schedule, day or self.day))
        if record is not None and (day is None or day == self.day):
            self.guarded(lambda s: self._load_metrics(s, record))
            self._publish(record)
        return record  # type: ignore[no-any-return]

    def set_metric(self, metric: str, data_date: date, value: float) -> None:
        if (
            self.guarded(lambda s: s.set_metric(metric=metric, data_date=data_date, value=value))
            is not None
        ):
            self.reload()

    def explain(
        self,
        task: PlannedTask,
        failing: list[CheckResult],
        *,
        cause: str | None = None,
        follow_up: str | None = None,
    ) -> bool:
        """Record why a task's checks failed, or the follow-up task they lead to (added to
        today's Follow-ups); one disposition per metric."""
        on = data_date(task, self.day)
        by_metric: dict[str, list[str]] = {}
        for result in failing:
            check = next(c for c in task.checks if c.source == result.expr)
            by_metric.setdefault(check.metric, []).append(result.expr)
        for index, (metric, exprs) in enumerate(by_metric.items()):
            task_title = follow_up if index == 0 else None  # one task, however many failed
            if (
                self.guarded(
                    lambda s, m=metric, e=exprs, t=task_title: s.add_disposition(
                        metric=m,
                        data_date=on,
                        checks=e,
                        cause=cause or (None if t else "see the follow-up task"),
                        follow_up=t,
                        follow_up_day=self.day,
                    )
                )
                is None
            ):
                return False
        record = self.record
        if record is not None:
            self.guarded(lambda s: self._load_metrics(s, record))
        return True

    def undisposed_failures(self, task: PlannedTask) -> tuple[list[CheckResult], list[CheckResult]]:
        """(required checks failing, other failing checks with no disposition yet)."""
        results = evaluate_task_checks(task, self.schedule, self.day, self.history)
        on = data_date(task, self.day)
        explained = {d.metric for d in self.dispositions if d.data_date == on}
        required, other = [], []
        for result in results:
            if result.status != "fail":
                continue
            check = next(c for c in task.checks if c.source == result.expr)
            if check.kind == "required":
                required.append(result)
            elif check.metric not in explained:
                other.append(result)
        return required, other

    def set_status(
        self, key: str, status: Status, *, reason: str | None = None, day: date | None = None
    ) -> TaskEntry | None:
        entry = self.guarded(
            lambda s: s.set_status(self.schedule, day or self.day, key, status, reason=reason)
        )
        if entry is not None:
            self.reload()
        return entry  # type: ignore[no-any-return]

    def decide_with_reason(
        self,
        entry: TaskEntry,
        status: Status,
        *,
        day: date | None = None,
        then: Callable[[], None] | None = None,
    ) -> None:
        """Ask why (presets or free text), then skip or carry; Esc changes nothing."""
        from opsplanner.planner.record import REASON_PRESETS
        from opsplanner.tui.screens.prompt import TextPrompt

        verb = {"skipped": "skip", "carried": "carry"}.get(status, status)

        def save(reason: str | None) -> None:
            if (
                reason is not None
                and self.set_status(entry.key, status, reason=reason, day=day)
                and then is not None
            ):
                then()

        self.push_screen(
            TextPrompt(f"Why {verb} “{entry.task.title}”?", presets=REASON_PRESETS), save
        )

    def note(self, key: str, text: str) -> None:
        if self.guarded(lambda s: s.note(self.schedule, self.day, key, text)) is not None:
            self.reload()

    def undo(self, key: str) -> None:
        result = self.guarded(lambda s: s.undo(self.schedule, self.day, key))
        if result is not None:
            entry, action = result
            self.notify(f"Undid {action}: {entry.task.title}")
            self.reload()

    # -------------------------------------------------------------- navigation

    def go_to(self, day: date) -> None:
        """Show another day; today again means following the clock again."""
        self.day = day
        self.follow_today = day == self.now().date()
        self.now_block = self._block_now()
        self.reload()

    def ask_date(self) -> None:
        from opsplanner.tui.screens.prompt import TextPrompt

        def chosen(text: str | None) -> None:
            if text is None:
                return
            try:
                self.go_to(date.fromisoformat(text.strip()))
            except ValueError:
                self.notify(f"{text!r} is not a date like 2026-11-30", severity="error")

        self.push_screen(TextPrompt("Go to date (YYYY-MM-DD)", value=self.day.isoformat()), chosen)

    def jump_to(self, block_id: str) -> None:
        from opsplanner.tui.widgets.timeline import Timeline

        timeline = self.screen.query(Timeline)
        if timeline:
            ids = [option.id for option in timeline.first().options]
            if block_id in ids:
                timeline.first().highlighted = ids.index(block_id)
                timeline.first().focus()

    def open_screen(self, name: str) -> None:
        if self.store is None:
            self.notify("Still opening the store…", severity="warning")
            return
        from opsplanner.tui.screens.history import HistoryScreen
        from opsplanner.tui.screens.review import ReviewScreen
        from opsplanner.tui.screens.week import WeekScreen

        screens = {"review": ReviewScreen, "week": WeekScreen, "history": HistoryScreen}
        self.push_screen(screens[name](self.day))

    # -------------------------------------------------------------- screens

    def action_help(self) -> None:
        from opsplanner.tui.screens.help import HelpScreen

        self.push_screen(HelpScreen())


def _commands() -> type:
    from opsplanner.tui.commands import OpsCommands

    return OpsCommands


def make_app(
    *,
    schedule: Schedule,
    open_store: Callable[[], Store],
    clock: Clock,
    day: date | None = None,
    open_reader: Callable[[], SqliteReader | None] | None = None,
    when_started: Callable[[], None] | None = None,
) -> OpsPlannerApp:
    """The one way to build the app: used by the CLI and by the tests. `when_started` runs
    once the day's statuses (or the store's error) are on screen."""
    return OpsPlannerApp(
        schedule=schedule,
        open_store=open_store,
        clock=clock,
        day=day,
        open_reader=open_reader,
        when_started=when_started,
    )
