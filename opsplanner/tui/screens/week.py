"""The week at a glance: duties and their status, a day × block grid, the sales ladder,
campaign countdowns. Built from the same weekly report the CLI prints."""

from __future__ import annotations

from datetime import date, timedelta
from functools import partial
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from opsplanner.planner.metrics import format_value
from opsplanner.planner.record import DayRecord
from opsplanner.planner.reports import WeekReport
from opsplanner.safe_text import one_line
from opsplanner.service import OpsService
from opsplanner.tui.screens.base import DayScreen
from opsplanner.tui.widgets.checklist import MARKS
from opsplanner.tui.widgets.keys import KeyBar
from opsplanner.tui.widgets.styled import ComponentStyled


def grid_part(done: int, total: int) -> str:
    """How a block went on a day, named as the part that styles its cell: not-due (it did
    not occur), complete, partial (at least half done) or behind."""
    if total == 0:
        return "not-due"
    if done == total:
        return "complete"
    return "partial" if done * 2 >= total else "behind"


class WeekScreen(DayScreen, ComponentStyled):
    """Monday to Sunday of the week being viewed."""

    BINDINGS = [
        Binding(
            "escape,w",
            "back",
            "Back",
            tooltip="Close the week and return to the day.",
            id="week.back",
        ),
        Binding(
            "left",
            "previous_week",
            "Previous week",
            tooltip="Show the week before this one.",
            id="week.previous",
            priority=True,  # before the grid's own arrows, which have nothing to scroll
        ),
        Binding(
            "right",
            "next_week",
            "Next week",
            tooltip="Show the week after this one.",
            id="week.next",
            priority=True,  # before the grid's own arrows, which have nothing to scroll
        ),
    ]

    COMPONENT_PREFIX = "week"
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        *(f"week--{status}" for status in MARKS),
        "week--complete",
        "week--partial",
        "week--behind",
        "week--not-due",
        "week--late",
        "week--heading",
    }
    """
    | Class | Description |
    | :- | :- |
    | `week--<status>` | The mark of a duty, by status (pending, done, skipped, carried, missed). |
    | `week--complete` | A grid cell with everything done. |
    | `week--partial`, `week--behind` | A grid cell half done or more; less than half. |
    | `week--not-due` | The dot of a grid cell whose block did not occur that day. |
    | `week--late` | The count of late campaign preparations. |
    | `week--heading` | Section headings. |
    """

    def compose(self) -> ComposeResult:
        yield Static(id="week-header")
        with VerticalScroll(id="week-body"):
            yield DataTable(id="week-grid", cursor_type="none", zebra_stripes=True)
            yield Static(id="week-ladder")
            yield Static(id="week-duties")
            yield Static(id="week-campaigns")
        yield KeyBar()

    def on_mount(self) -> None:
        self.show_week()

    def restyle(self) -> None:
        self.show_week()

    def show_week(self) -> None:
        day = self.day
        start = day - timedelta(days=day.weekday())

        def load(service: OpsService) -> tuple[list[DayRecord], WeekReport]:
            report = service.period_report("week", day)
            assert isinstance(report, WeekReport)
            return service.days_between(start, start + timedelta(days=6)), report

        self.ops.submit(load, then=partial(self.render_week, start), reload=False)

    def render_week(self, start: date, loaded: tuple[list[DayRecord], WeekReport]) -> None:
        records, report = loaded
        self.render_header(report)
        self.render_grid(start, records)
        self.render_ladder(report)
        self.render_duties(records)
        self.render_campaigns(report)

    def render_header(self, report: WeekReport) -> None:
        period = report.period
        share = f"{period.done * 100 // period.total}%" if period.total else "—"
        self.query_one("#week-header", Static).update(
            f"Week {report.week}  ·  {period.start:%m-%d} – {period.end:%m-%d}  ·  "
            f"{period.done}/{period.total} done ({share})"
            + ("  ·  in progress" if period.in_progress else "")
        )

    def render_grid(self, start: date, records: list[DayRecord]) -> None:
        table = self.query_one("#week-grid", DataTable)
        table.clear(columns=True)
        days = [start + timedelta(days=n) for n in range(7)]
        table.add_column("Block", key="block", width=min(18, max(10, self.size.width - 62)))
        for day in days:
            table.add_column(f"{day:%a %d}", key=day.isoformat())
        by_day = {record.day: record for record in records}
        blocks: dict[str, str] = {}
        for record in records:
            for block, _entries in record.blocks():
                blocks.setdefault(block.id, block.title)
        for block_id, title in blocks.items():
            # the title gives way to the days: all seven fit in 80 columns
            cells = [Text(one_line(title), overflow="ellipsis", no_wrap=True)]
            for day in days:
                on_day = by_day.get(day)
                entries = (
                    next((e for b, e in on_day.blocks() if b.id == block_id), ()) if on_day else ()
                )
                done = sum(e.status == "done" for e in entries)
                cells.append(
                    Text(
                        f"{done}/{len(entries)}" if entries else "·",
                        style=self.part(grid_part(done, len(entries))),
                    )
                )
            table.add_row(*cells, key=block_id)

    def render_ladder(self, report: WeekReport) -> None:
        text = Text()
        text.append("Sales ladder", style=self.part("heading"))
        weeks = 0
        for target in report.period.targets:
            for week in (target.previous, *target.weeks):
                if week is None:
                    continue
                actual = (
                    "—"
                    if week.actual is None
                    else format_value(self.ops.schedule, target.metric, week.actual)
                )
                share = "" if week.percent is None else f"  {week.percent:.0f}%"
                cap = "  (cap reached)" if week.cap_reached_here else ""
                goal = format_value(self.ops.schedule, target.metric, week.target)
                weeks += 1
                text.append(
                    f"\n  week {week.number} ({week.start:%m-%d}): target {goal}, "
                    f"actual {actual}{share}{cap}"
                )
        if not weeks:
            text.append("\n  no weekly target in this schedule")
        self.query_one("#week-ladder", Static).update(text)

    def render_duties(self, records: list[DayRecord]) -> None:
        """Everything rarer than daily that fell in the week, and what became of it."""
        text = Text()
        text.append("This week's duties", style=self.part("heading"))
        duties = 0
        for record in records:
            for entry in record.entries:
                if entry.task.on_miss != "carry" or entry.task.is_campaign:
                    continue
                duties += 1
                text.append("\n  ")
                text.append(MARKS.get(entry.status, "?"), style=self.part(entry.status))
                text.append(f" {record.day:%a} {one_line(entry.task.title)}")
                if entry.reason:
                    text.append(f" ({one_line(entry.reason)})")
        if not duties:
            text.append("\n  none")
        self.query_one("#week-duties", Static).update(text)

    def render_campaigns(self, report: WeekReport) -> None:
        text = Text()
        text.append("Campaigns", style=self.part("heading"))
        for campaign in report.period.campaigns:
            when = (
                f"in {campaign.days_until} days"
                if campaign.days_until > 0
                else "today"
                if campaign.days_until == 0
                else f"{-campaign.days_until} days ago"
            )
            text.append(
                f"\n  {one_line(campaign.title)} · {campaign.date:%Y-%m-%d} ({when}) · "
                f"{campaign.done}/{campaign.total} preparations done"
            )
            if campaign.late:
                text.append(" · ")
                text.append(f"{len(campaign.late)} late", style=self.part("late"))
            for item in campaign.upcoming[:3]:
                text.append(f"\n    next: {item.due:%m-%d} {one_line(item.title)}")
        if not report.period.campaigns:
            text.append("\n  none running")
        self.query_one("#week-campaigns", Static).update(text)

    def action_previous_week(self) -> None:
        self.day -= timedelta(days=7)
        self.show_week()

    def action_next_week(self) -> None:
        self.day += timedelta(days=7)
        self.show_week()

    def action_back(self) -> None:
        self.dismiss()
