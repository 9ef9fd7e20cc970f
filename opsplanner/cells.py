"""Display columns, not characters: a Chinese character takes two, so `--help`, the agenda
and a spreadsheet's column widths measure and wrap by cells (argparse and textwrap count
characters). Standard library only: `--help` stays instant."""

from __future__ import annotations

import re
import unicodedata

_WIDE = "\u2e80-\ua4cf\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
_PIECES = re.compile(rf"\s+|[^\s{_WIDE}]+|.")
"""Where a line may break: at spaces, and between two CJK characters (a Latin word, a
number or an option such as `--carry-rest` is never split)."""
_NO_LINE_START = set("，。、；：！？）」』》”’")
_NO_LINE_END = set("（「『《“‘")


def width(text: str) -> int:
    """Columns a string takes in a terminal, as Rich counts them for the TUI: CJK and
    full-width characters take two, combining marks and invisible format characters (a
    zero-width space, a joiner) none."""
    return sum(_char_width(ch) for ch in text)


def ljust(text: str, cells: int) -> str:
    """`text` padded on the right to `cells` columns (str.ljust counts characters)."""
    return text + " " * max(0, cells - width(text))


def rjust(text: str, cells: int) -> str:
    """`text` padded on the left to `cells` columns."""
    return " " * max(0, cells - width(text)) + text


def _char_width(ch: str) -> int:
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def _pieces(text: str) -> list[str]:
    """The unbreakable pieces of `text`: closing punctuation stays with what it closes,
    opening punctuation with what it opens (a line never starts with "，" or ends with "（")."""
    pieces: list[str] = []
    opening = ""
    for piece in _PIECES.findall(" ".join(text.split())):
        if piece in _NO_LINE_START and pieces and pieces[-1] != " ":
            pieces[-1] += piece
        elif piece in _NO_LINE_END:
            opening += piece
        else:
            pieces.append(opening + piece if piece != " " else piece)
            opening = "" if piece != " " else opening
    if opening:
        pieces.append(opening)
    return pieces


def wrap(text: str, columns: int) -> list[str]:
    """`text` in lines of at most `columns` cells (a word longer than that gets a line of
    its own); runs of whitespace become one space, as argparse does."""
    lines: list[str] = []
    line = ""
    for piece in _pieces(text):
        if piece == " ":
            if line:
                line += piece
            continue
        if line and width(line.rstrip()) + width(piece) > columns:
            lines.append(line.rstrip())
            line = ""
        line += piece
    if line.strip():
        lines.append(line.rstrip())
    return lines
