"""The week at a glance: duties and their status, a day × block grid, the sales ladder,
campaign countdowns. Built from the same weekly report the CLI prints."""

from __future__ import annotations

from datetime import date, timedelta
from functools import partial

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Footer, Static

from opsplanner.planner.metrics import format_value
from opsplanner.planner.record import DayRecord
from opsplanner.planner.reports import WeekReport
from opsplanner.service import OpsService
from opsplanner.tui.screens.base import DayScreen
from opsplanner.tui.widgets.checklist import MARKS


def grid_cell(done: int, total: int) -> Text:
    """A block on a day: blank when it did not occur, else done/total coloured by share."""
    if total == 0:
        return Text("·", style="dim")
    style = "green" if done == total else ("yellow" if done * 2 >= total else "red")
    return Text(f"{done}/{total}", style=style)


class WeekScreen(DayScreen):
    """Monday to Sunday of the week being viewed."""

    BINDINGS = [
        Binding("escape,w", "back", "Back", id="week.back"),
        Binding("left", "previous_week", "Previous week", id="week.previous"),
        Binding("right", "next_week", "Next week", id="week.next"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(id="week-header")
        with VerticalScroll(id="week-body"):
            yield DataTable(id="week-grid", cursor_type="none", zebra_stripes=True)
            yield Static(id="week-ladder")
            yield Static(id="week-duties")
            yield Static(id="week-campaigns")
        yield Footer()

    def on_mount(self) -> None:
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
        table.add_column("Block", key="block")
        for day in days:
            table.add_column(f"{day:%a %d}", key=day.isoformat())
        by_day = {record.day: record for record in records}
        blocks: dict[str, str] = {}
        for record in records:
            for block, _entries in record.blocks():
                blocks.setdefault(block.id, block.title)
        for block_id, title in blocks.items():
            cells: list[Text | str] = [title]
            for day in days:
                record = by_day.get(day)
                entries = (
                    next((e for b, e in record.blocks() if b.id == block_id), ()) if record else ()
                )
                cells.append(grid_cell(sum(e.status == "done" for e in entries), len(entries)))
            table.add_row(*cells, key=block_id)

    def render_ladder(self, report: WeekReport) -> None:
        lines = ["[b]Sales ladder[/b]"]
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
                lines.append(
                    f"  week {week.number} ({week.start:%m-%d}): target {goal}, "
                    f"actual {actual}{share}{cap}"
                )
        if len(lines) == 1:
            lines.append("  no weekly target in this schedule")
        self.query_one("#week-ladder", Static).update("\n".join(lines))

    def render_duties(self, records: list[DayRecord]) -> None:
        """Everything rarer than daily that fell in the week, and what became of it."""
        lines = ["[b]This week's duties[/b]"]
        for record in records:
            for entry in record.entries:
                if entry.task.on_miss != "carry" or entry.task.is_campaign:
                    continue
                mark, style = MARKS.get(entry.status, ("?", ""))
                colour = f"[{style}]{mark}[/]" if style else mark
                reason = f" ({entry.reason})" if entry.reason else ""
                lines.append(f"  {colour} {record.day:%a} {entry.task.title}{reason}")
        if len(lines) == 1:
            lines.append("  none")
        self.query_one("#week-duties", Static).update("\n".join(lines))

    def render_campaigns(self, report: WeekReport) -> None:
        lines = ["[b]Campaigns[/b]"]
        for campaign in report.period.campaigns:
            when = (
                f"in {campaign.days_until} days"
                if campaign.days_until > 0
                else "today"
                if campaign.days_until == 0
                else f"{-campaign.days_until} days ago"
            )
            lines.append(
                f"  {campaign.title} · {campaign.date:%Y-%m-%d} ({when}) · "
                f"{campaign.done}/{campaign.total} preparations done"
                + (f" · [red]{len(campaign.late)} late[/]" if campaign.late else "")
            )
            for item in campaign.upcoming[:3]:
                lines.append(f"    next: {item.due:%m-%d} {item.title}")
        if len(lines) == 1:
            lines.append("  none running")
        self.query_one("#week-campaigns", Static).update("\n".join(lines))

    def action_previous_week(self) -> None:
        self.day -= timedelta(days=7)
        self.show_week()

    def action_next_week(self) -> None:
        self.day += timedelta(days=7)
        self.show_week()

    def action_back(self) -> None:
        self.dismiss()
