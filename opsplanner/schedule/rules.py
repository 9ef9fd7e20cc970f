"""The rules every Schedule obeys, whoever built it. The loader reports a broken rule at its
FILE:LINE:COL; the schedule cache refuses an entry that breaks one, so a planted or damaged
entry can never hand the planner a schedule the loader would not have returned.

No YAML here: the cache checks a warm start's schedule without importing PyYAML.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from typing import get_args

from opsplanner.clock import EARLIEST_DATE, LATEST_DATE
from opsplanner.safe_text import first_unsafe
from opsplanner.schedule.checks import Formula
from opsplanner.schedule.models import (
    BUILT_IN_NAMES,
    Block,
    Calendar,
    MetricsFor,
    OnMiss,
    Schedule,
    Unit,
)

MAX_FORMULA_CHAIN = 50  # the planner resolves a formula's inputs recursively
RESERVED_BLOCK_IDS = frozenset({"carried", "campaigns", "follow-ups"})
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
METRIC_ID_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
UNITS: tuple[Unit, ...] = get_args(Unit)
OVERLAP_DAYS = 2 * 366  # blocks that share time are compared on two years of days
MAX_CAMPAIGN_OFFSET_DAYS = 366  # a campaign's tasks fall within a year of its date


def reaches(target: str, current: str, formulas: dict[str, Formula], seen: set[str]) -> bool:
    """Whether `current`'s formula uses `target`, directly or through other formulas."""
    pending = [current]  # a loop, not recursion: a chain of formulas may be thousands long
    while pending:
        formula = formulas.get(pending.pop())
        if formula is None:
            continue
        for name in formula.names:
            if name == target:
                return True
            if name not in seen:
                seen.add(name)
                pending.append(name)
    return False


def formula_depths(formulas: dict[str, Formula]) -> dict[str, int]:
    """How many formulas each derived metric stacks up (1: built on typed metrics only);
    a loop, not recursion. Cycles (reported separately) count as ending where they close."""
    depths: dict[str, int] = {}
    for metric_id in formulas:
        pending = [metric_id]
        while pending:
            current = pending[-1]
            inputs = [n for n in formulas[current].names if n in formulas]
            fresh = [n for n in inputs if n not in depths and n not in pending]
            if fresh:
                pending.extend(fresh)
                continue
            pending.pop()
            depths[current] = 1 + max((depths.get(n, 0) for n in inputs), default=0)
    return depths


def overlaps(
    blocks: tuple[Block, ...], since: date | None, calendar: Calendar
) -> Iterator[tuple[Block, Block, date]]:
    """Each block that shares time with an earlier one on a day both occur, with the first
    such block and day. Two blocks may share time only if no day has both (weekdays vs
    weekends); each block is given once: a thousand copies of a block give a thousand."""
    anchor = since or date(2026, 1, 5)
    days = [anchor + timedelta(days=n) for n in range(OVERLAP_DAYS)]
    days = [d for d in days if calendar.is_workday(d)]
    masks: dict[int, int] = {}  # block index → bit n set when it occurs on days[n]

    def mask(index: int) -> int:
        if index not in masks:
            repeat = blocks[index].repeat
            masks[index] = sum(
                1 << n for n, d in enumerate(days) if repeat.occurs_on(d, anchor=anchor)
            )
        return masks[index]

    for index, second in enumerate(blocks):
        for earlier, first in enumerate(blocks[:index]):
            if second.start < first.end and (both := mask(earlier) & mask(index)):
                yield first, second, days[(both & -both).bit_length() - 1]
                break


def broken_rule(schedule: Schedule) -> str | None:
    """The first rule `schedule` breaks, or None: what the loader checks, on the model."""
    return next(_broken(schedule), None)


def _broken(s: Schedule) -> Iterator[str]:
    metric_ids = [m.id for m in s.metrics]
    block_ids = [b.id for b in s.blocks]
    tasks = s.tasks()
    known = set(metric_ids)
    parameter_ids = [p.id for p in s.parameters]
    named = known | set(parameter_ids)
    yield from _bad_ids([s.id, *block_ids, *(t.id for t in tasks)], ID_PATTERN)
    yield from _bad_ids([*(t.id for t in s.targets), *(c.id for c in s.campaigns)], ID_PATTERN)
    yield from _bad_ids([t.id for c in s.campaigns for t in c.tasks], ID_PATTERN)
    yield from _bad_ids([*metric_ids, *parameter_ids], METRIC_ID_PATTERN)
    if (
        len(set(parameter_ids)) != len(parameter_ids)
        or named & BUILT_IN_NAMES
        or known & set(parameter_ids)
        or not all(math.isfinite(p.value) for p in s.parameters)
    ):
        yield "a duplicate, clashing or non-finite parameter"
    for ids in (metric_ids, block_ids, [t.id for t in tasks], [c.id for c in s.campaigns]):
        if len(set(ids)) != len(ids):
            yield "duplicate ids"
    if set(block_ids) & RESERVED_BLOCK_IDS:
        yield "a reserved block id"
    texts = [s.title, *(m.label for m in s.metrics), *(b.title for b in s.blocks)]
    texts += [t.title for t in tasks] + [c.title for c in s.campaigns]
    texts += [t.title for c in s.campaigns for t in c.tasks]
    if any(not text or text != text.strip() for text in texts):
        yield "an empty or untrimmed title"
    details = [t.detail for t in tasks] + [t.detail for c in s.campaigns for t in c.tasks]
    if any(first_unsafe(text) for text in texts) or any(
        first_unsafe(text, line_breaks=True) for text in details
    ):
        yield "a control character in a title, label or detail"
    if not s.calendar.workdays <= set(range(7)):
        yield "a workday that is not a weekday"
    yield from _bad_metrics(s, named)
    for block in s.blocks:
        if not block.start < block.end or block.repeat.after_done:
            yield f"block {block.id!r}: bad times or repeat"
        for task in block.tasks:
            if (
                task.block_id != block.id
                or not set(task.metrics) <= known
                or not {c.metric for c in task.checks} <= known
                or not all(c.names <= named | BUILT_IN_NAMES for c in task.checks)
                or task.on_miss not in get_args(OnMiss)
                or task.metrics_for not in get_args(MetricsFor)
            ):
                yield f"task {task.id!r}: unknown metric, block or choice"
    if list(s.blocks) != sorted(s.blocks, key=lambda b: (b.start, b.end)):
        yield "blocks out of order"
    for header, metric in s.import_columns:
        if metric not in known or not header.strip() or first_unsafe(header) is not None:
            yield f"import column {header!r}: unknown metric or unsafe header"
    for target in s.targets:
        numbers = (target.base, target.growth, target.cap or 0.0)
        if target.metric not in known or not all(math.isfinite(n) for n in numbers):
            yield f"target {target.id!r}: unknown metric or not a finite number"
        elif target.pause_holidays is not None and not 1 <= target.pause_holidays <= 7:
            yield f"target {target.id!r}: a holiday pause outside 1..7 days"
        elif target.cap is not None and target.cap < target.base:
            yield f"target {target.id!r}: cap below base"
    days = [*s.calendar.holidays, *s.calendar.working_dates, *([s.since] if s.since else [])]
    days += [day for target in s.targets for day in target.pause_dates]
    years = [c.year for c in s.campaigns if c.year is not None]
    if not all(EARLIEST_DATE <= day <= LATEST_DATE for day in days) or not all(
        EARLIEST_DATE.year <= year <= LATEST_DATE.year for year in years
    ):
        yield f"a date outside {EARLIEST_DATE}..{LATEST_DATE}"
    for campaign in s.campaigns:
        if any(abs(t.offset_days) > MAX_CAMPAIGN_OFFSET_DAYS for t in campaign.tasks):
            yield f"campaign {campaign.id!r}: a task more than a year from its date"
        task_ids = [t.id for t in campaign.tasks]
        if len(set(task_ids)) != len(task_ids) or any(
            t.block_id is not None and t.block_id not in block_ids for t in campaign.tasks
        ):
            yield f"campaign {campaign.id!r}: duplicate task or unknown block"
    if next(overlaps(s.blocks, s.since, s.calendar), None):
        yield "overlapping blocks"


def _bad_ids(ids: Iterable[str], pattern: re.Pattern[str]) -> Iterator[str]:
    for value in ids:
        if not pattern.fullmatch(value):
            yield f"id {value!r} breaks its pattern"


def _bad_metrics(s: Schedule, known: set[str]) -> Iterator[str]:
    formulas = {m.id: m.formula for m in s.metrics if m.formula}
    if any(m.unit not in UNITS for m in s.metrics):
        yield "an unknown unit"
    for metric_id, formula in formulas.items():
        if not formula.names <= known or reaches(metric_id, metric_id, formulas, set()):
            yield f"metric {metric_id!r}: unknown input or a loop"
    if any(depth > MAX_FORMULA_CHAIN for depth in formula_depths(formulas).values()):
        yield "a chain of formulas that is too long"
