"""The store: every public method is one unit of work and returns domain objects, never rows.

Life-cycle of a day: the first time a date is touched it is materialised from the schedule
(a snapshot, so later edits of the YAML never rewrite it). Workdays nobody opened are
accounted for by `on_miss` (expire → missed, carry → one item brought forward), and items
carried from earlier days land on it — merged into the same task when it also occurs.
"""

from __future__ import annotations

import hashlib
import json
import time as time_module
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import Engine, and_, or_, text
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlmodel import Session, col, select

from opsplanner.clock import Clock, local_today
from opsplanner.i18n import _, long_day, ngettext
from opsplanner.planner.day import (
    CARRIED_BLOCK,
    FOLLOW_UP_BLOCK,
    DayPlan,
    PlannedTask,
    campaign_address,
    campaign_tasks_due,
    occurrences,
    plan_to_snapshot,
    task_from_snapshot,
    task_to_snapshot,
)
from opsplanner.planner.record import (
    NOT_OPENED,
    NOT_SEEN,
    DayRecord,
    Disposition,
    EntryState,
    NotSeen,
    Status,
    TaskEntry,
    entry_state,
)
from opsplanner.schedule.models import Schedule
from opsplanner.store import queries
from opsplanner.store.engine import describe, prepare_schema
from opsplanner.store.errors import (
    FutureDay,
    Refused,
    Stale,
    StoreError,
    UnknownTask,
    explain,
    status_name,
)
from opsplanner.store.queries import Rows
from opsplanner.store.reader import Reader
from opsplanner.store.records import day_record, disposition, utc
from opsplanner.store.tables import (
    ChangeRow,
    CheckDispositionRow,
    DayRow,
    MetricValueRow,
    TaskEntryRow,
)
from opsplanner.store.watch import CHANNEL

MAX_GAP_DAYS = 400
LOCK_RETRIES = 5
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class MetricReading:
    """A stored reading of a metric for a data date."""

    metric: str
    data_date: date
    value: float
    entered_at: datetime
    task_key: str | None


def _entry_state(row: TaskEntryRow) -> dict[str, Any]:
    return {
        "status": row.status,
        "note": row.note,
        "reason": row.reason,
        "changed_at": row.changed_at.isoformat() if row.changed_at else None,
        "carried_from": row.carried_from.isoformat() if row.carried_from else None,
        "carried_count": row.carried_count,
        "forwarded_to_id": row.forwarded_to_id,
    }


def _restore_state(row: TaskEntryRow, state: dict[str, Any]) -> None:
    row.status = state["status"]
    row.note = state["note"]
    row.reason = state["reason"]
    row.changed_at = datetime.fromisoformat(state["changed_at"]) if state["changed_at"] else None
    row.carried_from = date.fromisoformat(state["carried_from"]) if state["carried_from"] else None
    row.carried_count = state["carried_count"]
    row.forwarded_to_id = state["forwarded_to_id"]


def _check_seen(row: TaskEntryRow, seen: EntryState | None) -> None:
    """Refuse a write made from a view of the entry that is no longer true."""
    if seen is None:
        return
    now = entry_state(row)
    if now != seen:
        raise Stale(
            _("{task} was changed elsewhere meanwhile (now {status}); nothing was saved").format(
                task=row.task_key, status=status_name(row.status)
            )
        )


class Store(Reader):
    """Days, ticks, notes, reasons, carry-over and metric values for one operator."""

    def __init__(
        self, engine: Engine, *, operator: str, clock: Clock, prepare: bool = True
    ) -> None:
        super().__init__(operator=operator, clock=clock)
        self._engine = engine
        self._notify = engine.dialect.name == "postgresql"
        self._dates_as_text = engine.dialect.name == "sqlite"
        if prepare:
            prepare_schema(engine)

    @property
    def location(self) -> str:
        return describe(self._engine)

    # ------------------------------------------------------------ transactions

    @contextmanager
    def _session(self, *, write: bool) -> Iterator[Session]:
        with Session(self._engine, expire_on_commit=False) as session:
            session.connection(execution_options={"opsplanner_write": write})
            yield session
            if write:
                if self._notify:  # other sessions' screens refresh (store/watch.py)
                    session.execute(
                        text("SELECT pg_notify(:channel, :operator)"),
                        {"channel": CHANNEL, "operator": self.operator},
                    )
                session.commit()

    def _run(self, work: Callable[[Session], T], *, write: bool) -> T:
        """One unit of work; a locked database is waited for and retried, never shown."""
        for attempt in range(LOCK_RETRIES):
            try:
                with self._session(write=write) as session:
                    return work(session)
            except IntegrityError:
                if attempt == LOCK_RETRIES - 1:
                    raise
                continue  # another process materialised the same day first: read theirs
            except OperationalError as error:
                message = str(error.orig).lower()
                if ("locked" in message or "busy" in message) and attempt < LOCK_RETRIES - 1:
                    time_module.sleep(0.05 * (attempt + 1))
                    continue
                raise StoreError(self._explain(error)) from None
            except DBAPIError as error:
                raise StoreError(self._explain(error)) from None
        raise AssertionError("unreachable")

    def _explain(self, error: DBAPIError) -> str:
        return explain(error.orig if error.orig else error, self.location)

    def _reading(self, work: Callable[[Rows], T]) -> T:
        return self._run(lambda session: work(self._rows(session)), write=False)

    def _rows(self, session: Session) -> Rows:
        """The shared queries over this session (after a flush: unlike the ORM's own
        queries, a text query does not flush pending changes first)."""

        def execute(sql: str, parameters: dict[str, Any]) -> Sequence[Any]:
            session.flush()
            return session.execute(text(sql), parameters).all()

        return Rows(execute, dates_as_text=self._dates_as_text)

    # ------------------------------------------------------------ days

    def day(self, schedule: Schedule, day: date) -> DayRecord:
        """The recorded day, materialising it (and any unopened workdays before it) first."""
        existing = self.existing_day(day)
        if existing is not None:
            return existing
        return self._run(lambda s: self._record(s, self._materialise(s, schedule, day)), write=True)

    def _day_row(self, session: Session, day: date) -> DayRow | None:
        return session.exec(
            select(DayRow).where(DayRow.operator == self.operator, DayRow.day == day)
        ).first()

    def _record(self, session: Session, row: DayRow) -> DayRecord:
        return self._with_entries(self._rows(session), row)

    def _materialise(self, session: Session, schedule: Schedule, day: date) -> DayRow:
        """Open a day (today, or a past day someone acts on); a day to come is never opened,
        so looking ahead cannot mark the days between as missed."""
        existing = self._day_row(session, day)
        if existing is not None:
            return existing
        today = local_today(self._clock, schedule.zone())
        if day > today:
            raise FutureDay(
                _(
                    "{day} has not come yet: its tasks open on that day "
                    "(looking at it shows a preview)"
                ).format(day=long_day(day))
            )
        previous = session.exec(
            select(DayRow)
            .where(DayRow.operator == self.operator, DayRow.day < day)
            .order_by(col(DayRow.day).desc())
            .limit(1)
        ).first()
        (first,) = self._rows(session)(queries.FIRST_DAY, operator=self.operator)
        first_day = first or day
        if previous is not None:
            self._account_for_gap(session, schedule, previous.day, day, first_day)
        plan = occurrences(
            schedule, day, first_day=first_day, last_done=self._last_done_lookup(session, day)
        )
        row = self._insert_day(session, plan, closed=False)
        if plan.workday:
            self._bring_forward(session, row, plan)
            self._overdue_campaign_tasks(session, schedule, row, first_day)
        self._follow_ups_due(session, row)
        self._log(
            session,
            day=day,
            entity="day",
            key=day.isoformat(),
            action="materialise",
            after={"tasks": len(plan.tasks())},
        )
        return row

    def _insert_day(
        self, session: Session, plan: DayPlan, *, closed: bool, missed: bool = False
    ) -> DayRow:
        snapshot = json.dumps(plan_to_snapshot(plan), ensure_ascii=False, sort_keys=True)
        now = self._now()
        row = DayRow(
            operator=self.operator,
            day=plan.day,
            schedule_id=plan.schedule_id,
            schedule_hash=hashlib.sha256(snapshot.encode()).hexdigest(),
            snapshot=snapshot,
            opened_at=now,
            closed_at=now if closed else None,
            summary=NOT_OPENED if missed else None,
        )
        session.add(row)
        session.flush()
        for task in plan.tasks():
            status: Status = "pending"
            reason = None
            if missed:
                status, reason = (
                    ("missed", NOT_OPENED) if task.on_miss == "expire" else ("carried", NOT_OPENED)
                )
            session.add(
                self._entry_row(
                    row, task, status=status, reason=reason, changed_at=now if missed else None
                )
            )
        session.flush()
        return row

    def _entry_row(self, day_row: DayRow, task: PlannedTask, **fields: Any) -> TaskEntryRow:
        assert day_row.id is not None
        return TaskEntryRow(
            day_id=day_row.id,
            operator=self.operator,
            day=day_row.day,
            task_key=task.key,
            block_id=task.block_id,
            title=task.title,
            **fields,
        )

    def _last_done_lookup(self, session: Session, before: date) -> Callable[[str], date | None]:
        """The query a preview plans with (`Reader.planning`), so opening a day plans the same."""
        rows = self._rows(session)

        def last_done(task_key: str) -> date | None:
            found = rows(queries.LAST_DONE, operator=self.operator, before=before, keys=[task_key])
            return found[0][1] if found else None

        return last_done

    def _open_carry_keys(self, session: Session, before: date) -> set[str]:
        """Tasks that already have an open instance: a new occurrence must not duplicate it."""
        return set(
            session.exec(
                select(TaskEntryRow.task_key).where(
                    TaskEntryRow.operator == self.operator,
                    TaskEntryRow.day < before,
                    col(TaskEntryRow.status).in_(("pending", "carried")),
                    col(TaskEntryRow.forwarded_to_id).is_(None),
                )
            ).all()
        )

    def _account_for_gap(
        self, session: Session, schedule: Schedule, last: date, day: date, first_day: date
    ) -> None:
        """Workdays nobody opened: expire items are recorded missed, carry items come forward
        once (never one copy per missed day)."""
        start = max(last + timedelta(days=1), day - timedelta(days=MAX_GAP_DAYS))
        open_keys = self._open_carry_keys(session, day)
        current = start
        while current < day:
            plan = occurrences(
                schedule,
                current,
                first_day=first_day,
                last_done=self._last_done_lookup(session, current),
            )
            if plan.tasks():
                kept = tuple(
                    replace(
                        block,
                        tasks=tuple(
                            t
                            for t in block.tasks
                            if t.on_miss == "expire" or t.key not in open_keys
                        ),
                    )
                    for block in plan.blocks
                )
                plan = replace(plan, blocks=kept)
                open_keys |= {t.key for t in plan.tasks() if t.on_miss == "carry"}
                self._insert_day(session, plan, closed=True, missed=True)
            current += timedelta(days=1)

    def _bring_forward(self, session: Session, row: DayRow, plan: DayPlan) -> None:
        """Carried items from earlier days, and still-open instances of tasks that occur
        again today, land on this day (merged with today's instance when there is one)."""
        # A pending instance of anything else stays on its own day for that day's (late)
        # review; selecting only what moves keeps this step the same size after years of
        # unreviewed days.
        carry_today = sorted({task.key for task in plan.tasks() if task.on_miss == "carry"})
        sources = session.exec(
            select(TaskEntryRow)
            .where(
                TaskEntryRow.operator == self.operator,
                TaskEntryRow.day < row.day,
                col(TaskEntryRow.forwarded_to_id).is_(None),
                or_(
                    col(TaskEntryRow.status) == "carried",
                    and_(
                        col(TaskEntryRow.status) == "pending",
                        col(TaskEntryRow.task_key).in_(carry_today),
                    ),
                ),
            )
            .order_by(col(TaskEntryRow.day))
        ).all()
        for source in sources:
            if source.status == "pending":
                source.status = "carried"
                source.reason = source.reason or f"still open on {row.day.isoformat()}"
                source.changed_at = self._now()
            self._forward(session, source, row)

    def _overdue_campaign_tasks(
        self, session: Session, schedule: Schedule, row: DayRow, first_day: date
    ) -> None:
        """Campaign preparations that fell due before any day of theirs was opened (the
        app came into use shortly after them) arrive as carried-in items, once: until decided
        they show every day like any other carried item. The first-use rule leaves out those
        due longer than the campaign's grace before the start."""
        since = row.day - timedelta(days=MAX_GAP_DAYS)
        due = {
            task.key: (task, on)
            for task, on in campaign_tasks_due(
                schedule, since, row.day - timedelta(days=1), started=first_day
            )
        }
        if not due:
            return
        known = set(
            session.exec(
                select(TaskEntryRow.task_key).where(
                    TaskEntryRow.operator == self.operator,
                    col(TaskEntryRow.task_key).in_(sorted(due)),
                )
            ).all()
        )
        for key, (task, on) in due.items():
            if key in known:
                continue
            session.add(
                self._entry_row(
                    row,
                    replace(task, block_id=CARRIED_BLOCK),
                    origin="carry",
                    carried_from=on,
                    carried_count=1,
                    spec=json.dumps(task_to_snapshot(task), ensure_ascii=False),
                )
            )
        session.flush()

    def _source_task(self, session: Session, entry: TaskEntryRow) -> PlannedTask:
        if entry.spec:
            return task_from_snapshot(json.loads(entry.spec), entry.block_id)
        day_row = session.get(DayRow, entry.day_id)
        assert day_row is not None
        task = self._plans.plan(day_row).task(entry.task_key)
        return task or PlannedTask(key=entry.task_key, title=entry.title, block_id=entry.block_id)

    def _forward(
        self, session: Session, source: TaskEntryRow, target_day: DayRow
    ) -> dict[str, Any]:
        """Move a carried item onto `target_day`; returns what undo needs to reverse it."""
        origin = source.carried_from or source.day
        target = session.exec(
            select(TaskEntryRow).where(
                TaskEntryRow.day_id == target_day.id, TaskEntryRow.task_key == source.task_key
            )
        ).first()
        if target is not None:
            before = _entry_state(target)
            if target.status == "pending":
                target.carried_from = min(origin, target.carried_from or origin)
                target.carried_count = max(target.carried_count, source.carried_count + 1)
            created = False
        else:
            task = self._source_task(session, source)
            target = self._entry_row(
                target_day,
                PlannedTask(key=task.key, title=task.title, block_id=CARRIED_BLOCK),
                origin="carry",
                carried_from=origin,
                carried_count=source.carried_count + 1,
                spec=json.dumps(task_to_snapshot(task), ensure_ascii=False),
            )
            before = None
            created = True
            session.add(target)
        session.flush()
        source.forwarded_to_id = target.id
        session.flush()
        return {"entry_id": target.id, "created": created, "before": before}

    # ------------------------------------------------------------ tasks

    def set_status(
        self,
        schedule: Schedule,
        day: date,
        key: str,
        status: Status,
        *,
        note: str | None = None,
        reason: str | None = None,
        seen: EntryState | None = None,
    ) -> TaskEntry:
        """Tick (done), skip or carry a task; skip and carry need a reason.

        `seen` is the entry's state the caller showed: if someone else changed it since, the
        write is refused (`Stale`) instead of silently undoing their change. Leaving
        "carried" takes back the copy the carry put on a later day, unless that day already
        acted on it.
        """
        if status in ("skipped", "carried") and not (reason and reason.strip()):
            raise Refused(
                _("a reason is needed to mark a task {status}").format(status=status_name(status))
            )

        def work(session: Session) -> TaskEntry:
            day_row, entry, rows = self._entry_for_write(session, schedule, day, key)
            before = _entry_state(entry)
            action = {
                "done": "done",
                "skipped": "skip",
                "carried": "carry",
                "pending": "reopen",
            }.get(status, status)
            unchanged = note is None or note == entry.note
            if entry.status == status and status != "pending" and unchanged:
                return self._entry(day_row, rows, entry)
            _check_seen(entry, seen)
            if entry.status == "carried" and status != "carried":
                self._retract_forward(session, entry, strict=False)
            entry.status = status
            entry.changed_at = self._now()
            if note is not None:
                entry.note = note
            entry.reason = (
                reason.strip() if reason else (None if status == "done" else entry.reason)
            )
            after: dict[str, Any] = {}
            if status == "carried":
                target = self._next_open_day(session, day)
                if target is not None:
                    after["forward"] = self._forward(session, entry, target)
            session.flush()
            after.update(_entry_state(entry))
            self._log(
                session,
                day=day,
                entity="task",
                key=entry.task_key,
                action=action,
                before=before,
                after=after,
            )
            return self._entry(day_row, rows, entry)

        return self._run(work, write=True)

    def note(
        self, schedule: Schedule, day: date, key: str, text: str, *, seen: EntryState | None = None
    ) -> TaskEntry:
        """Attach, change or (with empty text) clear a task's note; its status stays."""
        cleaned = text.strip() or None

        def work(session: Session) -> TaskEntry:
            day_row, entry, rows = self._entry_for_write(
                session, schedule, day, key, allow_closed=True
            )
            if entry.note == cleaned:
                return self._entry(day_row, rows, entry)
            _check_seen(entry, seen)
            before = _entry_state(entry)
            entry.note = cleaned
            session.flush()
            self._log(
                session,
                day=day,
                entity="task",
                key=entry.task_key,
                action="note",
                before=before,
                after=_entry_state(entry),
            )
            return self._entry(day_row, rows, entry)

        return self._run(work, write=True)

    def undo(
        self, schedule: Schedule, day: date, key: str, *, seen: EntryState | None = None
    ) -> tuple[TaskEntry, str]:
        """Revert the latest change to a task on a day (repeatable, newest first)."""

        def work(session: Session) -> tuple[TaskEntry, str]:
            day_row, entry, rows = self._entry_for_write(session, schedule, day, key)
            _check_seen(entry, seen)
            changes = session.exec(
                select(ChangeRow)
                .where(
                    ChangeRow.operator == self.operator,
                    ChangeRow.day == day,
                    ChangeRow.entity == "task",
                    ChangeRow.key == entry.task_key,
                )
                .order_by(col(ChangeRow.id).desc())
            ).all()
            reverted = {c.reverts for c in changes if c.reverts is not None}
            change = next((c for c in changes if c.action != "undo" and c.id not in reverted), None)
            if change is None or change.before is None:
                raise Refused(
                    _("nothing to undo for {task} on {day}").format(
                        task=entry.task_key, day=day.isoformat()
                    )
                )
            if entry.status == "carried":
                self._retract_forward(session, entry, strict=True)
            before = _entry_state(entry)
            _restore_state(entry, json.loads(change.before))
            if entry.status == "carried":
                self._forward_again(session, entry)
            session.flush()
            self._log(
                session,
                day=day,
                entity="task",
                key=entry.task_key,
                action="undo",
                before=before,
                after=_entry_state(entry),
                reverts=change.id,
            )
            return self._entry(day_row, rows, entry), change.action

        return self._run(work, write=True)

    def _retract_forward(self, session: Session, source: TaskEntryRow, *, strict: bool) -> None:
        """Take back what carrying `source` put on a later day: the copy is removed (or, when
        it merged into that day's own instance, that instance forgets the carry), unless the
        later day already acted on it: then `strict` refuses (undo), else it stays."""
        if source.forwarded_to_id is None:
            return
        target = session.get(TaskEntryRow, source.forwarded_to_id)
        if target is None:
            source.forwarded_to_id = None
            return
        if target.status != "pending" or target.note:
            if strict:
                raise Refused(
                    _(
                        "the carried copy on {day} has been worked on since; undo it there first"
                    ).format(day=target.day.isoformat())
                )
            return
        source.forwarded_to_id = None
        session.flush()
        others = session.exec(
            select(TaskEntryRow).where(TaskEntryRow.forwarded_to_id == target.id)
        ).all()
        if target.origin == "carry" and not others:
            session.delete(target)
        else:  # what the remaining carries say
            target.carried_from = min((o.carried_from or o.day for o in others), default=None)
            target.carried_count = max((o.carried_count + 1 for o in others), default=0)
        session.flush()

    def _forward_again(self, session: Session, entry: TaskEntryRow) -> None:
        """An undo brought back a carry whose copy is gone: forward it again (or leave it to
        come forward when the next workday opens)."""
        if (
            entry.forwarded_to_id is not None
            and session.get(TaskEntryRow, entry.forwarded_to_id) is not None
        ):
            return
        entry.forwarded_to_id = None
        target = self._next_open_day(session, entry.day)
        if target is not None:
            self._forward(session, entry, target)

    def _next_open_day(self, session: Session, day: date) -> DayRow | None:
        """Where an item carried now lands: the first later open workday already
        materialised, if any (otherwise it comes forward when the next workday is)."""
        rows = session.exec(
            select(DayRow)
            .where(
                DayRow.operator == self.operator, DayRow.day > day, col(DayRow.closed_at).is_(None)
            )
            .order_by(col(DayRow.day))
            .limit(14)
        ).all()
        return next((row for row in rows if json.loads(row.snapshot).get("workday")), None)

    def _entry_for_write(
        self,
        session: Session,
        schedule: Schedule,
        day: date,
        key: str,
        *,
        allow_closed: bool = False,
    ) -> tuple[DayRow, TaskEntryRow, Sequence[TaskEntryRow]]:
        """The day, the task's entry, and all the day's entries (the answer is built from
        them once the change is made: one query less per tick)."""
        day_row = self._materialise(session, schedule, day)
        if day_row.closed_at is not None and not allow_closed:
            raise Refused(
                _(
                    "{day} is closed; reopen it first (opsplanner review --reopen --date {day})"
                ).format(day=day.isoformat())
            )
        rows = session.exec(
            select(TaskEntryRow)
            .where(TaskEntryRow.day_id == day_row.id)
            .order_by(col(TaskEntryRow.id))
        ).all()
        entry = resolve_task(key, rows, day, schedule)
        return day_row, entry, rows

    def _entry(self, day_row: DayRow, rows: Sequence[TaskEntryRow], row: TaskEntryRow) -> TaskEntry:
        found = day_record(day_row, rows, self._plans, self._now()).entry(row.task_key)
        assert found is not None
        return found

    # ------------------------------------------------------------ closing

    def close_day(
        self,
        schedule: Schedule,
        day: date,
        *,
        carry_rest: str | None = None,
        tomorrow: str | None = None,
        summary: str | None = None,
    ) -> DayRecord:
        """Close a day; every unfinished item needs a decision (or `carry_rest` with a reason)."""

        def work(session: Session) -> DayRecord:
            day_row = self._materialise(session, schedule, day)
            if day_row.closed_at is not None:
                raise Refused(_("{day} is already closed").format(day=day.isoformat()))
            pending = session.exec(
                select(TaskEntryRow).where(
                    TaskEntryRow.day_id == day_row.id, TaskEntryRow.status == "pending"
                )
            ).all()
            if pending and not (carry_rest and carry_rest.strip()):
                names = ", ".join(row.task_key for row in pending[:5])
                if len(pending) > 5:
                    names = _("{names} and {count} more").format(
                        names=names, count=len(pending) - 5
                    )
                raise Refused(
                    ngettext(
                        "{count} item undecided: {names}; mark it done, skip or carry it "
                        "with a reason, or close with --carry-rest REASON",
                        "{count} items undecided: {names}; mark each done, skip or carry it "
                        "with a reason, or close with --carry-rest REASON",
                        len(pending),
                    ).format(count=len(pending), names=names)
                )
            target = self._next_open_day(session, day)
            for row in pending:
                before = _entry_state(row)
                row.status = "carried"
                row.reason = (carry_rest or "").strip()
                row.changed_at = self._now()
                after: dict[str, Any] = {}
                if target is not None:
                    after["forward"] = self._forward(session, row, target)
                after.update(_entry_state(row))
                self._log(
                    session,
                    day=day,
                    entity="task",
                    key=row.task_key,
                    action="carry",
                    before=before,
                    after=after,
                )
            before_day = {"closed_at": None, "tomorrow": day_row.tomorrow}
            day_row.closed_at = self._now()
            if tomorrow is not None:
                day_row.tomorrow = tomorrow
            if summary is not None:
                day_row.summary = summary
            self._save_day(
                session,
                day_row,
                "close",
                before_day,
                {"tomorrow": day_row.tomorrow, "carried": len(pending)},
            )
            return self._record(session, day_row)

        return self._run(work, write=True)

    def _save_day(
        self,
        session: Session,
        day_row: DayRow,
        action: str,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> None:
        """Write a change to the day itself (closed, reopened, tomorrow's notes) and log it."""
        session.add(day_row)
        session.flush()
        self._log(
            session,
            day=day_row.day,
            entity="day",
            key=day_row.day.isoformat(),
            action=action,
            before=before,
            after=after,
        )

    def reopen_day(self, schedule: Schedule, day: date) -> DayRecord:
        """Open a closed day again (decisions already made stay as they are)."""

        def work(session: Session) -> DayRecord:
            day_row = self._materialise(session, schedule, day)
            if day_row.closed_at is None:
                raise Refused(_("{day} is not closed").format(day=day.isoformat()))
            day_row.closed_at = None
            self._save_day(session, day_row, "reopen")
            return self._record(session, day_row)

        return self._run(work, write=True)

    def set_tomorrow(self, schedule: Schedule, day: date, text: str) -> DayRecord:
        """Keep (or, with empty text, clear) the notes for the next day, as they are typed:
        open or closed, the day keeps them."""
        cleaned = text.strip() or None

        def work(session: Session) -> DayRecord:
            day_row = self._materialise(session, schedule, day)
            if day_row.tomorrow != cleaned:
                before = {"tomorrow": day_row.tomorrow}
                day_row.tomorrow = cleaned
                self._save_day(session, day_row, "tomorrow", before, {"tomorrow": cleaned})
            return self._record(session, day_row)

        return self._run(work, write=True)

    # ------------------------------------------------------------ metrics

    def set_metric(
        self,
        *,
        metric: str,
        data_date: date,
        value: float,
        task_key: str | None = None,
        seen: float | None | NotSeen = NOT_SEEN,
    ) -> MetricReading:
        """Record a typed-in reading (validated and parsed by the caller). `seen` is the value
        the caller showed before it was typed over: if another writer changed it since, the
        reading is refused (`Stale`) rather than overwriting theirs."""

        def work(session: Session) -> MetricReading:
            row = session.exec(
                select(MetricValueRow).where(
                    MetricValueRow.operator == self.operator,
                    MetricValueRow.metric == metric,
                    MetricValueRow.data_date == data_date,
                )
            ).first()
            current = row.value if row else None
            if not isinstance(seen, NotSeen) and current not in (seen, value):
                raise Stale(
                    _(
                        "{metric} for {day} was changed elsewhere meanwhile; nothing was saved"
                    ).format(metric=metric, day=data_date.isoformat())
                )
            before = {"value": row.value} if row else None
            if row is None:
                row = MetricValueRow(
                    operator=self.operator,
                    metric=metric,
                    data_date=data_date,
                    value=value,
                    entered_at=self._now(),
                    task_key=task_key,
                )
            else:
                row.value, row.entered_at = value, self._now()
                row.task_key = task_key or row.task_key
            session.add(row)
            session.flush()
            self._log(
                session,
                day=data_date,
                entity="metric",
                key=metric,
                action="set",
                before=before,
                after={"value": value, "task": task_key},
            )
            return MetricReading(metric, data_date, value, self._now(), row.task_key)

        return self._run(work, write=True)

    def import_metrics(self, readings: Sequence[tuple[str, date, float]], *, source: str) -> int:
        """Store many figures in one unit of work (all or nothing): each replaces the
        reading of its metric and date. The change log names the file they came from.
        Written with bulk statements, not an ORM object per figure: a year of figures is
        thousands of rows."""
        from sqlalchemy import insert, update

        def work(session: Session) -> int:
            if not readings:
                return 0
            metrics = sorted({reading[0] for reading in readings})
            days = [reading[1] for reading in readings]
            existing = {
                (row.metric, row.data_date): row
                for row in session.exec(
                    select(MetricValueRow).where(
                        MetricValueRow.operator == self.operator,
                        col(MetricValueRow.metric).in_(metrics),
                        MetricValueRow.data_date >= min(days),
                        MetricValueRow.data_date <= max(days),
                    )
                )
            }
            now = self._now()
            added, changed, log = [], [], []
            for metric, day, value in readings:
                found = existing.get((metric, day))
                if found is None:
                    added.append(
                        {"operator": self.operator, "metric": metric, "data_date": day,
                         "value": value, "entered_at": now}
                    )  # fmt: skip
                else:
                    changed.append({"id": found.id, "value": value, "entered_at": now})
                log.append(
                    {
                        "at": now, "operator": self.operator, "day": day, "entity": "metric",
                        "key": metric, "action": "import", "reverts": None,
                        "before": json.dumps({"value": found.value}) if found else None,
                        "after": json.dumps({"value": value, "file": source}, ensure_ascii=False),
                    }
                )  # fmt: skip
            if added:  # the ORM's bulk forms: one statement for all, no object per row
                session.execute(insert(MetricValueRow), added)
            if changed:
                session.execute(update(MetricValueRow), changed)
            session.execute(insert(ChangeRow), log)
            return len(readings)

        return self._run(work, write=True)

    # ------------------------------------------------------------ dispositions

    def add_disposition(
        self,
        *,
        metric: str,
        data_date: date,
        checks: list[str],
        cause: str | None = None,
        follow_up: str | None = None,
        follow_up_day: date | None = None,
    ) -> Disposition:
        """Why a failed check failed, or the follow-up task it leads to (added to that day)."""
        if not (cause and cause.strip()) and not (follow_up and follow_up.strip()):
            raise Refused(_("a disposition needs a cause or a follow-up task"))

        def work(session: Session) -> Disposition:
            row = CheckDispositionRow(
                operator=self.operator,
                data_date=data_date,
                metric=metric,
                check_expr="; ".join(checks),
                cause=cause.strip() if cause else None,
                follow_up=follow_up.strip() if follow_up else None,
                follow_up_day=follow_up_day if follow_up else None,
                decided_at=self._now(),
            )
            session.add(row)
            session.flush()
            if row.follow_up and row.follow_up_day is not None:
                landing = self._landing_day(session, row.follow_up_day)
                if landing is not None:
                    self._add_follow_up(session, landing, row)
            self._log(
                session,
                day=data_date,
                entity="metric",
                key=metric,
                action="explain",
                after={
                    "cause": row.cause,
                    "follow_up": row.follow_up,
                    "follow_up_day": str(row.follow_up_day),
                },
            )
            return disposition(row)

        return self._run(work, write=True)

    def _landing_day(self, session: Session, due: date) -> DayRow | None:
        """Where a follow-up due on `due` goes now: that day or the first open day after it
        already opened; None when none is (it lands when the next day opens)."""
        return session.exec(
            select(DayRow)
            .where(
                DayRow.operator == self.operator, DayRow.day >= due, col(DayRow.closed_at).is_(None)
            )
            .order_by(col(DayRow.day))
            .limit(1)
        ).first()

    def _add_follow_up(self, session: Session, day_row: DayRow, row: CheckDispositionRow) -> None:
        """The follow-up as a task of `day_row`; one that arrives after its day (a day off,
        a day nobody opened) keeps the date it was meant for."""
        assert row.id is not None and row.follow_up is not None and row.follow_up_day
        task = PlannedTask(
            key=f"follow-up-{row.id}",
            title=row.follow_up,
            block_id=FOLLOW_UP_BLOCK,
            detail=f"{row.metric}: {row.check_expr}",
        )
        late = row.follow_up_day < day_row.day
        session.add(
            self._entry_row(
                day_row,
                task,
                origin="follow-up",
                spec=json.dumps(task_to_snapshot(task), ensure_ascii=False),
                carried_from=row.follow_up_day if late else None,
                carried_count=1 if late else 0,
            )
        )
        session.flush()

    def _follow_ups_due(self, session: Session, day_row: DayRow) -> None:
        """Follow-ups due on this day or before that have not landed anywhere yet."""
        rows = session.exec(
            select(CheckDispositionRow).where(
                CheckDispositionRow.operator == self.operator,
                col(CheckDispositionRow.follow_up).is_not(None),
                col(CheckDispositionRow.follow_up_day) <= day_row.day,
                col(CheckDispositionRow.follow_up_day)
                >= day_row.day - timedelta(days=MAX_GAP_DAYS),
            )
        ).all()
        if not rows:
            return
        keys = {f"follow-up-{row.id}": row for row in rows}
        landed = set(
            session.exec(
                select(TaskEntryRow.task_key).where(
                    TaskEntryRow.operator == self.operator,
                    col(TaskEntryRow.task_key).in_(sorted(keys)),
                )
            ).all()
        )
        for key, row in keys.items():
            if key not in landed:
                self._add_follow_up(session, day_row, row)

    # ------------------------------------------------------------ audit

    def _log(
        self,
        session: Session,
        *,
        day: date | None,
        entity: str,
        key: str,
        action: str,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
        reverts: int | None = None,
    ) -> None:
        session.add(
            ChangeRow(
                at=self._now(),
                operator=self.operator,
                day=day,
                entity=entity,
                key=key,
                action=action,
                before=json.dumps(before, ensure_ascii=False) if before is not None else None,
                after=json.dumps(after, ensure_ascii=False) if after is not None else None,
                reverts=reverts,
            )
        )

    def changes(self, *, limit: int = 50) -> list[dict[str, Any]]:
        """The newest entries of the audit trail."""

        def work(session: Session) -> list[dict[str, Any]]:
            rows = session.exec(
                select(ChangeRow)
                .where(ChangeRow.operator == self.operator)
                .order_by(col(ChangeRow.id).desc())
                .limit(limit)
            ).all()
            return [
                {
                    "at": utc(r.at),
                    "day": r.day,
                    "entity": r.entity,
                    "key": r.key,
                    "action": r.action,
                    "before": json.loads(r.before) if r.before else None,
                    "after": json.loads(r.after) if r.after else None,
                }
                for r in rows
            ]

        return self._run(work, write=False)


def resolve_task(
    key: str, rows: list[TaskEntryRow] | Any, day: date, schedule: Schedule
) -> TaskEntryRow:
    """Find a task by id, `CAMPAIGN/TASK` or `block-id/task-id`; suggest close ids if absent."""
    by_key = {row.task_key: row for row in rows}
    if key in by_key:
        return by_key[key]
    yearly = next((row for k, row in by_key.items() if campaign_address(k) == key), None)
    if yearly is not None and "/" in key:
        return yearly
    if "/" in key:
        block, __, task = key.partition("/")
        match = by_key.get(task)
        if match is not None and match.block_id == block:
            return match
    import difflib

    if key in schedule.task_ids():
        raise UnknownTask(
            _("task {task!r} does not occur on {day}").format(task=key, day=long_day(day)), []
        )
    known = dict.fromkeys([*by_key, *schedule.task_ids()])
    suggestions = difflib.get_close_matches(key, list(known), n=3, cutoff=0.5)
    if not suggestions:
        raise UnknownTask(
            _("no task {task!r} on {day}").format(task=key, day=day.isoformat()), suggestions
        )
    raise UnknownTask(
        _("no task {task!r} on {day}; did you mean {close}?").format(
            task=key, day=day.isoformat(), close=", ".join(repr(s) for s in suggestions)
        ),
        suggestions,
    )
