"""Read a file the operator names into sheets of cells: CSV (UTF-8 with or without BOM, else
GB18030, as Excel saves it on a Chinese Windows), XLSX and XLS (python-calamine: one fast,
maintained reader for both, imported only here, so no other command pays for it)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from opsplanner.i18n import _
from opsplanner.imports.table import Cell
from opsplanner.safe_text import one_line

__all__ = ["MAX_FILE_BYTES", "Sheet", "SheetError", "read_sheets"]

MAX_FILE_BYTES: Final = 50 * 1024 * 1024
"""Ten years of daily rows are well under 1 MB; a file this big is not an export."""
_SPREADSHEETS: Final = (".xlsx", ".xlsm", ".xls", ".ods")


class SheetError(ValueError):
    """A file that cannot be read at all (one line, naming the file)."""


@dataclass(frozen=True, slots=True)
class Sheet:
    name: str | None  # None for a CSV file
    rows: list[list[Cell]]


def read_sheets(path: Path) -> list[Sheet]:
    """Every sheet of the file, its cells as the reader gives them."""
    shown = one_line(str(path))
    try:
        size = path.stat().st_size
    except OSError as error:
        raise SheetError(
            _("{file}: cannot read it: {reason}").format(file=shown, reason=error.strerror)
        ) from None
    if size > MAX_FILE_BYTES:
        raise SheetError(
            _("{file}: {size} MB is too big for an export (at most {limit} MB)").format(
                file=shown, size=size // (1024 * 1024), limit=MAX_FILE_BYTES // (1024 * 1024)
            )
        )
    if path.suffix.lower() in _SPREADSHEETS:
        return _workbook(path, shown)
    return [Sheet(None, _csv(path, shown))]


def _workbook(path: Path, shown: str) -> list[Sheet]:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        return [
            Sheet(name, [list(row) for row in book.get_sheet_by_name(name).to_python()])
            for name in book.sheet_names
        ]
    except (CalamineError, OSError, ValueError) as error:
        raise SheetError(
            _("{file}: not a spreadsheet opsplanner can read ({reason})").format(
                file=shown, reason=one_line(str(error))[:120]
            )
        ) from None


def _csv(path: Path, shown: str) -> list[list[Cell]]:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SheetError(
            _("{file}: cannot read it: {reason}").format(file=shown, reason=error.strerror)
        ) from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # GB18030 decodes any byte sequence; kept for a reader that would not
        raise SheetError(_("{file}: neither UTF-8 nor GB18030 text").format(file=shown))
    if "\x00" in text:
        raise SheetError(_("{file}: not a text file (a CSV export is text)").format(file=shown))
    sample = text[:4096]
    delimiter = max((",", "\t", ";"), key=sample.count)
    return [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
