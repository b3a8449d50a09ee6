"""The live book (xlwings): the workbook in front of the user in Excel, behind the same interface as the file adapter.

xlwings is imported only when the caller is fetched, so that importing this module does nothing (and works on Linux,
where the tests drive the adapter over a minimal fake of xlwings' object model).
"""
from __future__ import annotations

import os
import sys
import webbrowser
from pathlib import Path
from typing import Sequence

from engine.errors import Refused
from workbooks.file_book import HINTS_SHEET, HINTS_WIDTHS, UNSAVED

TITLE = "客户经理工作法"
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls")


def _trimmed(rows: list[list[object]]) -> list[list[object]]:
    """Rows without the trailing all-empty ones (Excel's used range may reach past the values)."""
    while rows and all(v is None for v in rows[-1]):
        rows.pop()
    return rows


class XlwingsBook:
    """An open xlwings Book (or anything with its few attributes) as the book interface sees it."""

    def __init__(self, book):
        self._book = book

    @classmethod
    def caller(cls) -> "XlwingsBook":
        """The workbook whose ribbon button was clicked (RunPython passes it on the command line)."""
        import xlwings as xw

        return cls(xw.Book.caller())

    @property
    def name(self) -> str:
        """The workbook's name as Excel shows it."""
        return self._book.name

    def sheet_names(self) -> list[str]:
        """Every sheet, very hidden ones included (COM lists them)."""
        return [sheet.name for sheet in self._book.sheets]

    def values(self, sheet: str) -> list[list[object]]:
        """The sheet's values from A1 to the last cell of its used range."""
        if sheet not in self.sheet_names():
            return []
        target = self._book.sheets[sheet]
        last = target.used_range.last_cell
        rows = target.range((1, 1), (last.row, last.column)).options(ndim=2).value
        return _trimmed([list(row) for row in rows or []])

    def selection(self) -> tuple[str, int] | None:
        """The active sheet and the first row of the selection."""
        selected = self._book.selection
        if selected is None:
            return None
        return selected.sheet.name, selected.row

    def path(self) -> Path | None:
        """The saved file; None for a new workbook or one opened from a web address (OneDrive, SharePoint)."""
        full = str(self._book.fullname or "")
        if "://" in full or not any(sep in full for sep in ("\\", "/")):
            return None
        return Path(full)

    def content(self) -> bytes:
        """Save the workbook in place, then its bytes."""
        path = self.path()
        if path is None:
            raise Refused(UNSAVED)
        self._book.save()
        return path.read_bytes()

    def _delete_hints(self) -> None:
        app = self._book.app
        quiet = app.display_alerts
        app.display_alerts = False  # deleting a sheet asks for confirmation otherwise
        try:
            self._book.sheets[HINTS_SHEET].delete()
        finally:
            app.display_alerts = quiet

    def write_hints(self, rows: Sequence[Sequence[object]]) -> None:
        """Replace the 提示 sheet (first, activated) with rows; '=' texts become Excel formulas (the links)."""
        if HINTS_SHEET in self.sheet_names():
            self._delete_hints()
        sheet = self._book.sheets.add(HINTS_SHEET, before=self._book.sheets[0])
        sheet.range("A1").value = [list(row) for row in rows]
        for letter, width in zip("ABC", HINTS_WIDTHS):
            sheet.range(f"{letter}:{letter}").column_width = width
        sheet.activate()

    def clear_hints(self) -> None:
        """Remove the 提示 sheet, when there is one."""
        if HINTS_SHEET in self.sheet_names():
            self._delete_hints()

    def alert(self, text: str, *, ok: bool) -> None:
        """A message box owned by Excel's window (Unicode, so the Chinese text shows as is)."""
        self._book.app.alert(text, title=TITLE, mode="info" if ok else "critical")

    def status(self, text: str | None) -> None:
        """Excel's status bar says what is running (None: Excel's own text again), so a long action does not look
        frozen."""
        self._book.app.status_bar = text if text else False

    def show_file(self, path: Path) -> None:
        """A workbook opens in this Excel; any other file in its program (browser, PDF reader)."""
        if Path(path).suffix.lower() in WORKBOOK_SUFFIXES:
            self._book.app.books.open(str(path))
        elif sys.platform == "win32":
            os.startfile(str(path))  # noqa: S606 - the file we just wrote, opened in its program
        else:
            webbrowser.open(Path(path).resolve().as_uri())

    def export_pdf(self, target: Path) -> Path:
        """Excel's own PDF export of the visible sheets (the 提示 sheet left out)."""
        exclude = [HINTS_SHEET] if HINTS_SHEET in self.sheet_names() else None
        Path(target).parent.mkdir(parents=True, exist_ok=True)  # Excel's export does not make folders
        self._book.to_pdf(str(target), exclude=exclude)
        return Path(target)
