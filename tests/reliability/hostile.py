"""Hostile text shared by the hostile-text tests and the fuzzers: markup-looking and
control-sequence cases, a strategy mixing them, and what a terminal would be sent."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from typing import Any

from hypothesis import strategies as st
from rich.console import Console

from opsplanner.clock import FixedClock
from opsplanner.safe_text import UNSAFE, one_line
from opsplanner.schedule.models import Schedule
from opsplanner.service import OpsService

MARKUP_CASES = [
    "[urgent] call supplier",
    "[/] later",
    "see [/path]",
    "price [/red] fixed",
    "[@click=app.quit]x",
    "[b]bold[/b] and [link=https://x.test]link[/link]",
    "\\[escaped] and \\",
    ":warning: [red",
]
CONTROL_CASES = {
    "retitle and clear": "a\x1b]2;PWNED\x07\x1b[2Jb",
    "clipboard (OSC 52)": "c\x1b]52;c;cm0gLXJmIH4=\x07d",
    "colour (CSI)": "\x1b[31mred\x1b[0m",
    "device control (DCS)": "\x1bP1$r\x1b\\q",
    "8-bit CSI (C1)": "x\x9b2Jy",
    "carriage return": "paid\rUNPAID",
    "backspace": "yes\x08\x08\x08no",
    "bidi override": "abc\u202edcba\u202c.txt",
    "bidi isolate": "\u2067RTL\u2069 after",
    "line break": "first\nsecond",
}

_PIECES = [
    *MARKUP_CASES,
    *CONTROL_CASES.values(),
    "[",
    "]",
    "[/",
    "[@click=",
    "\\",
    "\x1b",
    "\x1b[",
    "\x1b]",
    "\x9b",
    "\x9d",
    "\x07",
    "\x08",
    "\r",
    "\n",
    "\t",
    "\x7f",
    "\u202e",
    "\u2066",
    "\u200f",
    "\u2028",
    "中文",
    "👨\u200d👩\u200d👧",
    "\u3000",
    "=",
    "@",
    "-",
    "|",
    "#",
    "ok",
    " ",
]
HOSTILE_TEXT = (
    st.lists(st.sampled_from(_PIECES), min_size=1, max_size=6)
    .map("".join)
    .filter(lambda text: bool(text.strip()))
)
"""Typed text made of markup-looking and control-sequence pieces (no NUL: the CLI refuses
it as an argument, and that refusal is tested elsewhere)."""


def has_markup(text: str) -> bool:
    return "[" in text


def has_controls(text: str) -> bool:
    return UNSAFE.search(text) is not None


def raw_controls(text: str) -> list[str]:
    """Characters a terminal would act on in `text` (a line break between lines, or a CSV's
    CRLF, is fine)."""
    return sorted({ch for ch in text.replace("\r\n", "\n") if UNSAFE.match(ch) and ch != "\n"})


def screen_text(app: Any) -> str:
    """What the terminal would show, as text: the characters of the app's screenshot."""
    console = Console(
        width=app.size.width,
        height=app.size.height,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    )
    return console.export_text(styles=False)


# ---------------------------------------------------------------- a day full of it (office.yaml)

MONDAY = date(2026, 11, 23)
SATURDAY = MONDAY - timedelta(days=2)
NINE = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai
CARRIED_TITLE = "Set this week's sales target"

SCREENS: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = [
    # (screen, keys from the previous one, where {text} and {title} are shown there)
    ("today", (), ("From Sat 11-21: {text}", "{title}  ({text})", "note: {text}")),
    ("today, the carried task", ("down",), ("{title}  weekly-target", "reason: {text}")),
    ("week", ("w",), ("Mon {title} ({text})",)),
    ("history", ("escape", "h"), ("{title}  ({text} ×1)",)),
    ("review", ("escape", "r"), ("Tomorrow: {text}",)),
]


def seed(schedule: Schedule, db: str, text: str) -> None:
    """`text` as a note, a carry reason and notes for tomorrow (Saturday's and Monday's)."""
    service = OpsService.for_database(schedule, FixedClock(NINE), db=db, operator="ana")
    service.set_tomorrow(SATURDAY, text)
    service.note(MONDAY, "store-data", text)
    service.decide(MONDAY, "weekly-target", "carried", text)
    service.set_tomorrow(MONDAY, text)
    service.release()


async def shown_on_every_screen(
    schedule: Schedule, db: str, text: str, size: tuple[int, int] = (160, 48)
) -> int:
    """Seed `text`, open the app at nine on Monday and visit today, week, history and
    review: each shows the text escaped (as stored: trimmed) and sends no raw control
    character. The number of screens checked; AssertionError says where it went wrong."""
    from textual.pilot import Pilot

    from opsplanner.tui.app import make_app
    from tests.tui.conftest import settle

    seed(schedule, db, text)
    app = make_app(
        service=OpsService.for_database(schedule, FixedClock(NINE), db=db, operator="ana")
    )
    expected = one_line(text.strip())
    title = one_line(next(t.title for t in schedule.tasks() if t.id == "weekly-target"))
    checked = 0
    async with app.run_test(size=size) as pilot:
        assert isinstance(pilot, Pilot)
        await settle(pilot)
        for name, keys, places in SCREENS:
            await pilot.press(*keys)
            await settle(pilot)
            shot = screen_text(app)
            found = raw_controls(shot)
            assert not found, f"raw control characters {found!r} on the {name} screen"
            for place in places:
                wanted = place.format(text=expected, title=title)
                assert wanted in shot, f"{text!r} is not shown as {wanted!r} on {name}:\n{shot}"
            checked += 1
    assert app.return_code in (None, 0), f"the app ended with {app.return_code}"
    return checked
