"""The Textual app: follows the clock, runs every store call off the event loop, and hands
each screen the day as an immutable `DayView` in a message.

The first frame is drawn from the template alone; then one worker thread, owned by the app,
runs every call to the service in order (the day's view, ticks, figures, closing), so the
screen never waits on SQLite or PostgreSQL and two quick key presses are applied in the
order they were made. A second thread watches the database for other writers (a CLI, a
second TUI) and refreshes the view when one commits.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any, Literal, TypeVar

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import Screen

from opsplanner.i18n import N_, _, ngettext, short_day
from opsplanner.planner.record import TaskEntry
from opsplanner.planner.view import DayView
from opsplanner.safe_text import one_line
from opsplanner.service import BadInput, ImportResult, NeedsExplanation, OpsService
from opsplanner.store.errors import Refused, Stale, StoreError, UnknownTask
from opsplanner.tui.messages import ClockTick, DayLoaded

T = TypeVar("T")
WATCH_INTERVAL = 0.25  # seconds between looks at the database's change counter
USER_ERRORS = (Refused, UnknownTask, StoreError, BadInput)
UNDONE = {
    "done": N_("ticking"),
    "skip": N_("skipping"),
    "carry": N_("carrying"),
    "reopen": N_("reopening"),
    "note": N_("the note"),
    "explain": N_("the explanation"),
}
"""What an undo took back, by the store's name for the change."""


class OpsPlannerApp(App[None]):
    """The operator's day, block by block."""

    CSS_PATH = "styles/app.tcss"
    TITLE = "opsplanner"
    COMMANDS = App.COMMANDS | {lambda: _commands()}
    BINDINGS = [
        Binding(
            "q", "quit", N_("Quit"), id="app.quit", tooltip=N_("Quit (everything typed is saved)")
        ),
        Binding("question_mark", "help", N_("Help"), id="app.help", tooltip=N_("Every key")),
    ]

    def __init__(
        self,
        *,
        service: OpsService,
        day: date | None = None,
        when_started: Callable[[], None] | None = None,
    ) -> None:
        super().__init__()
        self.service = service
        self.schedule = service.schedule
        self.follow_today = day is None
        self.day = day or service.today()
        self.view: DayView | None = None  # the latest view published (app-level decisions)
        self.now_block: str | None = None
        self._when_started = when_started
        self._review_offered = False
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="opsplanner-store")
        self._sketch = service.sketch(self.day)  # the first frame's day, from the template

    # -------------------------------------------------------------- start-up

    def get_default_screen(self) -> Screen[Any]:
        """The today screen is the app's first screen: no blank screen drawn before it."""
        from opsplanner.tui.screens.today import TodayScreen

        return TodayScreen(self._sketch)

    def on_mount(self) -> None:
        self.now_block = self._sketch.now_block(self.now())
        self.set_interval(1.0, self.tick)
        # the store's imports compete with drawing: start them once the first frame is out
        self.call_after_refresh(self._start)

    def _start(self) -> None:
        self.run_worker(self._first_load(), group="store", exit_on_error=False)

    async def _first_load(self) -> None:
        try:
            await self.reload()
            await self._in_store_thread(self.service.store)  # the first write needs no wait
        except USER_ERRORS as error:
            self.notify(str(error), title=_("Cannot open the store"), severity="error", timeout=30)
        finally:
            if self._when_started is not None:  # once the statuses (or the error) are drawn
                self.call_after_refresh(self._when_started)
        self.watch_for_changes()

    def now(self) -> datetime:
        return self.service.now()

    async def _in_store_thread(self, action: Callable[[], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._executor, action)

    # -------------------------------------------------------------- views

    async def reload(self) -> None:
        """Read the day again (in the store thread) and hand it to every screen."""
        day = self.day
        view = await self._in_store_thread(partial(self.service.view, day))
        if day == self.day:
            self.publish(view)

    def refresh_view(self) -> None:
        self.run_worker(self._reload_quietly(), group="store", exit_on_error=False)

    async def _reload_quietly(self) -> None:
        try:
            await self.reload()
        except USER_ERRORS as error:
            self.notify(str(error), severity="error", timeout=8)

    def publish(self, view: DayView) -> None:
        if view == self.view:
            return  # our own commit, seen again by the watcher: nothing to redraw
        self.view = view
        self.now_block = view.now_block(self.now())
        for screen in self.screen_stack:
            screen.post_message(DayLoaded(view))

    def show_entry(self, day: date, entry: TaskEntry) -> None:
        """A write on one task returned its new state: repaint from it without reading the
        day again (another writer's changes arrive through the watcher)."""
        view = self.view
        updated = view.with_entry(entry) if view is not None and view.day == day else None
        if updated is None:
            self.refresh_view()
        else:
            self.publish(updated)

    # -------------------------------------------------------------- store calls

    def submit(
        self,
        action: Callable[[OpsService], T],
        *,
        then: Callable[[T], None] | None = None,
        reload: bool = True,
    ) -> None:
        """Run a service call in the store thread; a refusal becomes a notification, a stale
        view is refreshed, and the day is read again after every change."""
        self.run_worker(self._submit(action, then, reload), group="store", exit_on_error=False)

    async def _submit(
        self, action: Callable[[OpsService], T], then: Callable[[T], None] | None, reload: bool
    ) -> None:
        try:
            result = await self._in_store_thread(partial(action, self.service))
        except NeedsExplanation as error:
            self.notify(str(error), title=_("Cannot tick yet"), severity="warning", timeout=8)
            await self._reload_quietly()
            return
        except Stale as error:
            self.notify(
                _("{error} — the view is refreshed").format(error=error),
                severity="warning",
                timeout=8,
            )
            await self._reload_quietly()
            return
        except USER_ERRORS as error:
            self.notify(str(error), severity="error", timeout=8)
            return
        if then is not None:
            then(result)
        if reload:
            await self._reload_quietly()

    async def drain(self) -> None:
        """Wait until every call submitted so far has run (quitting never drops a write)."""
        await self._in_store_thread(lambda: None)

    # -------------------------------------------------------------- other writers

    @work(thread=True, group="watch", exit_on_error=False)
    def watch_for_changes(self) -> None:
        """Another writer's commit (a CLI, a second TUI, another session) shows within a
        second: SQLite's change counter or PostgreSQL's notifications, never a re-read of
        the whole day on a timer."""
        from textual.worker import get_current_worker

        watcher = self.service.watcher()
        if watcher is None:
            return
        worker = get_current_worker()
        try:
            while not worker.is_cancelled:
                if watcher.changed(WATCH_INTERVAL):
                    self.call_from_thread(self.refresh_view)
        except USER_ERRORS:
            return  # the store reports real problems on the next call
        finally:
            watcher.close()

    # -------------------------------------------------------------- the clock

    def tick(self) -> None:
        now = self.now()
        if self.follow_today and now.date() != self.day:
            self.roll_over(now.date())
        block = self.view.now_block(now) if self.view else None
        if block != self.now_block:
            self.now_block = block
            self._announce(block)
            self._offer_review(now)
        self.screen.post_message(ClockTick(now))

    def _announce(self, block_id: str | None) -> None:
        if block_id is None or self.view is None:
            return
        for block, entries in self.view.record.blocks():
            if block.id == block_id and block.end is not None:
                self.notify(
                    ngettext(
                        "{count} task until {time}", "{count} tasks until {time}", len(entries)
                    ).format(count=len(entries), time=f"{block.end:%H:%M}"),
                    title=_("Now: {block}").format(block=block.title),
                )

    def _offer_review(self, now: datetime) -> None:
        """When the day's last block has ended, remind once that the review is waiting."""
        view = self.view
        if view is None or view.preview or self._review_offered:
            return
        record = view.record
        if record.closed or now.date() != record.day:
            return
        ends = [b.end for b in record.plan.blocks if b.end is not None]
        undecided = len(record.unfinished())
        if ends and now.time() >= max(ends) and undecided:
            self._review_offered = True
            self.notify(
                ngettext(
                    "{count} item undecided — press r to review and close the day",
                    "{count} items undecided — press r to review and close the day",
                    undecided,
                ).format(count=undecided),
                title=_("The day's last block has ended"),
                timeout=30,
            )

    def roll_over(self, new_day: date) -> None:
        """Midnight while open: move to the new day and offer the review of the old one."""
        previous = self.view.record if self.view is not None and not self.view.preview else None
        self.day = new_day
        self.now_block = None
        self._review_offered = False
        self.refresh_view()
        if previous is not None and not previous.closed and previous.unfinished():
            self.notify(
                _("{day} is not closed").format(day=short_day(previous.day)), title=_("New day")
            )
            self.open_screen("review", previous.day)

    # -------------------------------------------------------------- task flows

    def tick_task(self, view: DayView, entry: TaskEntry) -> None:
        """Space on a task: untick a done one; tick one whose failed checks are explained,
        else ask for the cause (or a follow-up task) first — the service's rule, asked."""
        day, key, seen = view.day, entry.key, entry.state
        shown = partial(self.show_entry, day)
        if entry.status == "done":
            self.submit(lambda s: s.untick(day, key, seen=seen), then=shown, reload=False)
            return
        failures = view.failures(entry)
        if not failures.blocking:
            self.submit(lambda s: s.tick(day, key, seen=seen), then=shown, reload=False)
            return
        from opsplanner.tui.screens.prompt import (
            CAUSE_PRESETS,
            FOLLOW_UP_CHOICE,
            NO_FIGURE_PRESETS,
            TextPrompt,
        )

        def explain_then_tick(service: OpsService, cause: str | None, title: str | None) -> None:
            service.explain(day, task_key=key, cause=cause, follow_up=title)
            service.tick(day, key, seen=seen)

        def followed_up(title: str | None) -> None:
            if title is not None:
                self.submit(lambda s: explain_then_tick(s, None, title))

        def explained(cause: str | None) -> None:
            if cause == _(FOLLOW_UP_CHOICE):
                title = _("Follow-up task for {day}").format(day=short_day(day))
                self.push_screen(TextPrompt(title), followed_up)
            elif cause is not None:
                self.submit(lambda s: explain_then_tick(s, cause, None))

        if failures.required:
            # Esc goes back to enter the figure; a cause says there is none for that date.
            missing = _("; ").join(f.message for f in failures.required)
            question = _("Missing: {checks}. Esc to enter it, or say why there is none:")
            prompt = TextPrompt(
                question.format(checks=missing), presets=(*NO_FIGURE_PRESETS, FOLLOW_UP_CHOICE)
            )
        else:
            failing = _("; ").join(f.message for f in failures.unexplained)
            prompt = TextPrompt(
                _("Failed: {checks}. What caused it?").format(checks=failing),
                presets=(*CAUSE_PRESETS, FOLLOW_UP_CHOICE),
            )
        self.push_screen(prompt, explained)

    def decide_with_reason(
        self, view: DayView, entry: TaskEntry, status: Literal["skipped", "carried"]
    ) -> None:
        """Ask why (presets or free text), then skip or carry; Esc changes nothing."""
        from opsplanner.tui.screens.prompt import REASON_PRESETS, TextPrompt

        day, key, seen = view.day, entry.key, entry.state
        question = _("Why skip “{title}”?") if status == "skipped" else _("Why carry “{title}”?")

        def save(reason: str | None) -> None:
            if reason is not None:
                self.submit(
                    lambda s: s.decide(day, key, status, reason, seen=seen),
                    then=partial(self.show_entry, day),
                    reload=False,
                )

        self.push_screen(
            TextPrompt(question.format(title=entry.task.title), presets=REASON_PRESETS), save
        )

    def edit_note(self, view: DayView, entry: TaskEntry) -> None:
        """Write, change or (emptied) clear a task's note."""
        from opsplanner.tui.screens.prompt import TextPrompt

        day, key, seen = view.day, entry.key, entry.state

        def save(text: str | None) -> None:
            if text is not None:
                self.submit(
                    lambda s: s.note(day, key, text, seen=seen),
                    then=partial(self.show_entry, day),
                    reload=False,
                )

        self.push_screen(
            TextPrompt(
                _("Note for “{title}” (empty clears it)").format(title=entry.task.title),
                value=entry.note or "",
                allow_empty=True,
            ),
            save,
        )

    def import_figures(self) -> None:
        """Ask for an exported file (the path completes as typed), import it, and say what
        came in: what was stored, what was kept as it was, which cells were left out."""
        from opsplanner.tui.screens.prompt import TextPrompt
        from opsplanner.tui.widgets.path_suggester import PathSuggester

        def chosen(text: str | None) -> None:
            if text:
                path = Path(text).expanduser()
                self.submit(lambda s: s.import_files([path]), then=self.show_import)

        title = _("Import figures from a file (CSV, XLSX, XLS from 生意参谋, or your own sheet)")
        self.push_screen(TextPrompt(title, suggester=PathSuggester()), chosen)

    def show_import(self, result: ImportResult) -> None:
        parts = [
            ngettext("{count} figure stored", "{count} figures stored", result.written).format(
                count=result.written
            )
        ]
        if result.held_back:
            parts.append(
                ngettext(
                    "{count} different figure kept as stored",
                    "{count} different figures kept as stored",
                    result.held_back,
                ).format(count=result.held_back)
            )
        if result.plan.mismatches:
            count = len(result.plan.mismatches)
            parts.append(
                ngettext(
                    "{count} figure the platform computes differently",
                    "{count} figures the platform computes differently",
                    count,
                ).format(count=count)
            )
        rejected = result.parsed.rejections
        if rejected:
            parts.append(
                ngettext(
                    "{count} cell left out, first: {first}",
                    "{count} cells left out, first: {first}",
                    len(rejected),
                ).format(count=len(rejected), first=one_line(str(rejected[0])))
            )
        trouble = bool(rejected or result.held_back or result.parsed.sheets_without_header)
        self.notify(
            _("; ").join(parts),
            title=_("Import"),
            severity="warning" if trouble else "information",
            timeout=12,
        )

    def undo(self, view: DayView, entry: TaskEntry) -> None:
        day, key, seen = view.day, entry.key, entry.state

        def undone(result: tuple[TaskEntry, str]) -> None:
            self.show_entry(day, result[0])
            change = UNDONE.get(result[1])
            self.notify(
                _("Undid {change}: {title}").format(
                    change=_(change) if change else result[1], title=result[0].task.title
                )
            )

        self.submit(lambda s: s.undo(day, key, seen=seen), then=undone, reload=False)

    # -------------------------------------------------------------- navigation

    def go_to(self, day: date) -> None:
        """Show another day; today again means following the clock again."""
        self.day = day
        self.follow_today = day == self.service.today()
        self.refresh_view()

    def go_by(self, days: int) -> None:
        self.go_to(self.day + timedelta(days=days))

    def ask_date(self) -> None:
        from opsplanner.tui.screens.prompt import TextPrompt

        def chosen(text: str | None) -> None:
            if text is None:
                return
            try:
                self.go_to(date.fromisoformat(text.strip()))
            except ValueError:
                self.notify(
                    _("{text!r} is not a date like 2026-11-30").format(text=text),
                    severity="error",
                )

        self.push_screen(
            TextPrompt(_("Go to date (like 2026-11-30)"), value=self.day.isoformat()), chosen
        )

    def jump_to(self, block_id: str) -> None:
        screen = self.screen
        if hasattr(screen, "jump_to"):
            screen.jump_to(block_id)

    def open_screen(self, name: str, day: date | None = None) -> None:
        from opsplanner.tui.screens.history import HistoryScreen
        from opsplanner.tui.screens.review import ReviewScreen
        from opsplanner.tui.screens.week import WeekScreen

        screens = {"review": ReviewScreen, "week": WeekScreen, "history": HistoryScreen}
        self.push_screen(screens[name](day or self.day))

    # -------------------------------------------------------------- leaving

    async def action_quit(self) -> None:
        """Quit once every figure typed is saved; a figure that cannot be read asks first."""
        self.run_worker(self._quit_when_saved(), group="quit", exclusive=True)

    async def _quit_when_saved(self) -> None:
        from opsplanner.tui.screens.today import TodayScreen

        for screen in self.screen_stack:
            if isinstance(screen, TodayScreen) and not await screen.before_quit():
                return
        await self.drain()
        self.exit()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every notification (the screens' too) shows its text as data: messages quote
        titles, labels and what was typed, so never markup (`markup` is accepted, as
        Textual's widgets pass it, and ignored) and control characters escaped."""
        super().notify(
            one_line(message),
            title=one_line(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def action_help(self) -> None:
        from opsplanner.tui.screens.help import HelpScreen

        self.push_screen(HelpScreen())

    def on_unmount(self) -> None:
        self._executor.submit(self.service.release)  # its connections live in that thread
        self._executor.shutdown(wait=True)


def _commands() -> type:
    from opsplanner.tui.commands import OpsCommands

    return OpsCommands


def make_app(
    *,
    service: OpsService,
    day: date | None = None,
    when_started: Callable[[], None] | None = None,
) -> OpsPlannerApp:
    """The one way to build the app: used by the CLI and by the tests. `when_started` runs
    once the day's statuses (or the store's error) are on screen."""
    return OpsPlannerApp(service=service, day=day, when_started=when_started)
