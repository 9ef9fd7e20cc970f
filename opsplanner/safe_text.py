"""Text from templates and from what anyone typed, made safe to show: the one sanitiser for
everything the CLI prints, the TUI draws and the reports write.

A terminal acts on some characters instead of showing them: C0 controls (ESC starts the CSI,
OSC — a new window title, OSC 52 the clipboard —, DCS… sequences; CR and backspace
overwrite what is shown), DEL, C1 controls (U+009B is an 8-bit CSI), and the bidi
overrides, embeddings, isolates and marks that reorder a line. Shown here, each becomes a
visible escape in Python's notation: ESC → ``\\x1b``, U+009B → ``\\x9b``, tab → ``\\t``,
CR → ``\\r``, RLO → ``\\u202e``, a lone surrogate (bytes that were not UTF-8) → ``\\udcff``.
Line breaks (LF, CRLF, NEL, U+2028, U+2029) become ``⏎`` in a one-line field and stay line
breaks in a block of text. Everything else — Chinese, emoji with their joiners, the
ideographic space, brackets that look like markup — is shown as typed.

The escape is for display only: what is stored stays as typed (JSON output keeps it exact).
"""

from __future__ import annotations

import re
from typing import Final

LINE_BREAK_MARK: Final = "⏎"
"""What a line break looks like in a one-line field."""

UNSAFE: Final = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]"
)
"""A character a terminal would act on, or that reorders or breaks a line."""

_LEFT_RAW_BY_JSON: Final = re.compile(
    "[\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]"
)  # UNSAFE less C0: json.dumps escapes C0 in strings, and its own line breaks are layout
_LINE_BREAKS: Final = re.compile("\r\n|[\n\x85\u2028\u2029]")
_NAMED: Final = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def escape_char(ch: str) -> str:
    """The visible form of one unsafe character (``\\x1b``, ``\\u202e``…)."""
    code = ord(ch)
    return _NAMED.get(ch) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def _escape(match: re.Match[str]) -> str:
    return escape_char(match.group())


def one_line(text: str) -> str:
    """`text` for a one-line field (a title, a reason, an error): line breaks as ⏎, every
    other unsafe character escaped."""
    return UNSAFE.sub(_escape, _LINE_BREAKS.sub(LINE_BREAK_MARK, text))


def shown(text: str) -> str:
    """`text` for a block of lines (a detail, notes for tomorrow): line breaks kept (as
    ``\\n``), every other unsafe character escaped."""
    return "\n".join(UNSAFE.sub(_escape, line) for line in _LINE_BREAKS.split(text))


def first_unsafe(text: str, *, line_breaks: bool = False) -> str | None:
    """The first unsafe character of `text`, escaped (``\\x1b``), or None; with
    `line_breaks`, a plain ``\\n`` is allowed (a multi-line detail)."""
    for match in UNSAFE.finditer(text):
        if not (line_breaks and match.group() == "\n"):
            return escape_char(match.group())
    return None


def json_safe(dumped: str) -> str:
    """JSON text (as `json.dumps(..., ensure_ascii=False)` writes it) with the unsafe
    characters it leaves raw — C1 controls, bidi controls, U+2028/9, lone surrogates —
    written as ``\\uXXXX`` escapes: the same data, safe to print."""
    return _LEFT_RAW_BY_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)
