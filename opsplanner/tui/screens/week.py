"""The week at a glance: duties and their status, a day × block grid, the sales ladder,
campaign countdowns. Built from the same weekly report the CLI prints."""

from __future__ import annotations

from datetime import date, timedelta
from functools import partial
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from opsplanner.i18n import N_, _, weekday
from opsplanner.planner.campaigns import countdown_text
from opsplanner.planner.metrics import format_value
from opsplanner.planner.record import DayRecord
from opsplanner.planner.reports import WeekReport
from opsplanner.planner.targets import pause_text
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

    HELP_NAME = N_("Week view")

    BINDINGS = [
        Binding(
            "escape,w",
            "back",
            N_("Back"),
            tooltip=N_("Close the week and return to the day."),
            id="week.back",
        ),
        Binding(
            "left",
            "previous_week",
            N_("Previous week"),
            tooltip=N_("Show the week before this one."),
            id="week.previous",
            priority=True,  # before the grid's own arrows, which have nothing to scroll
        ),
        Binding(
            "right",
            "next_week",
            N_("Next week"),
            tooltip=N_("Show the week after this one."),
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
        iso = period.start.isocalendar()
        parts = [
            _("Week {year}-W{number:02d}").format(year=iso.year, number=iso.week),
            f"{period.start:%m-%d} – {period.end:%m-%d}",
            _("{done}/{total} done ({share})").format(
                done=period.done, total=period.total, share=share
            ),
        ]
        if period.in_progress:
            parts.append(_("in progress"))
        self.query_one("#week-header", Static).update("  ·  ".join(parts))

    def render_grid(self, start: date, records: list[DayRecord]) -> None:
        table = self.query_one("#week-grid", DataTable)
        table.clear(columns=True)
        days = [start + timedelta(days=n) for n in range(7)]
        headings = [f"{weekday(day)} {day:%d}" for day in days]
        # the block column gets what the days leave (each column is padded by a cell a side;
        # the body's padding and scrollbar take four more)
        room = self.size.width - sum(cell_len(heading) + 2 for heading in headings) - 6
        table.add_column(_("Block"), key="block", width=min(18, max(10, room)))
        for day, heading in zip(days, headings, strict=True):
            table.add_column(heading, key=day.isoformat())
        by_day = {record.day: record for record in records}
        blocks: dict[str, str] = {}
        for record in records:
            for block, _entries in record.blocks():
                blocks.setdefault(block.id, block.shown_title)
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
        text.append(_("Sales ladder"), style=self.part("heading"))
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
                cap = _("  (cap reached)") if week.cap_reached_here else ""
                weeks += 1
                start = f"{week.start:%m-%d}"
                if week.target is None:
                    line = _("week {number} ({start}): {pause}, actual {actual}").format(
                        number=week.number, start=start, pause=pause_text(week), actual=actual
                    )
                else:
                    goal = format_value(self.ops.schedule, target.metric, week.target)
                    line = _("week {number} ({start}): target {goal}, actual {actual}").format(
                        number=week.number, start=start, goal=goal, actual=actual
                    )
                text.append(f"\n  {line}{share}{cap}")
        if not weeks:
            text.append("\n  " + _("no weekly target in this schedule"))
        self.query_one("#week-ladder", Static).update(text)

    def render_duties(self, records: list[DayRecord]) -> None:
        """Everything rarer than daily that fell in the week, and what became of it."""
        text = Text()
        text.append(_("This week's duties"), style=self.part("heading"))
        duties = 0
        for record in records:
            for entry in record.entries:
                if entry.task.on_miss != "carry" or entry.task.is_campaign:
                    continue
                duties += 1
                text.append("\n  ")
                text.append(MARKS.get(entry.status, "?"), style=self.part(entry.status))
                text.append(f" {weekday(record.day)} {one_line(entry.task.title)}")
                if entry.reason:
                    text.append(" " + _("({reason})").format(reason=one_line(entry.reason)))
        if not duties:
            text.append("\n  " + _("none"))
        self.query_one("#week-duties", Static).update(text)

    def render_campaigns(self, report: WeekReport) -> None:
        text = Text()
        text.append(_("Campaigns"), style=self.part("heading"))
        for campaign in report.period.campaigns:
            line = _("{campaign} · {date} ({when}) · {done}/{total} preparations done").format(
                campaign=one_line(campaign.title),
                date=f"{campaign.date:%Y-%m-%d}",
                when=countdown_text(campaign.days_until),
                done=campaign.done,
                total=campaign.total,
            )
            text.append(f"\n  {line}")
            if campaign.late:
                text.append(" · ")
                late = len(campaign.late)
                text.append(_("{count} late").format(count=late), style=self.part("late"))
            for item in campaign.upcoming[:3]:
                upcoming = _("next: {due} {task}").format(
                    due=f"{item.due:%m-%d}", task=one_line(item.title)
                )
                text.append(f"\n    {upcoming}")
        if not report.period.campaigns:
            text.append("\n  " + _("none running"))
        self.query_one("#week-campaigns", Static).update(text)

    def action_previous_week(self) -> None:
        self.day -= timedelta(days=7)
        self.show_week()

    def action_next_week(self) -> None:
        self.day += timedelta(days=7)
        self.show_week()

    def action_back(self) -> None:
        self.dismiss()
