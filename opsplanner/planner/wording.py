"""How phrases are strung together in the current language: "a, b and c" in English,
"a、b和c" in Chinese. Check messages and reports list labels, reasons and states this way."""

from __future__ import annotations

from collections.abc import Sequence

from opsplanner.i18n import _


def listed(items: Sequence[str]) -> str:
    """ "a, b, c" / "a、b、c"."""
    if not items:
        return ""
    text = items[0]
    for item in items[1:]:
        text = _("{list}, {item}").format(list=text, item=item)
    return text


def and_listed(items: Sequence[str]) -> str:
    """ "a, b and c" / "a、b和c"."""
    if len(items) <= 1:
        return listed(items)
    return _("{list} and {item}").format(list=listed(items[:-1]), item=items[-1])


def clauses(items: Sequence[str]) -> str:
    """ "a; b" / "a；b": separate remarks about one thing (a reason, how long it was carried)."""
    if not items:
        return ""
    text = items[0]
    for item in items[1:]:
        text = _("{first}; {second}").format(first=text, second=item)
    return text
