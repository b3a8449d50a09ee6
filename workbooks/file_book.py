"""The file-backed book (openpyxl): the workbook in front of the user when it is a file, for the command line and the tests.

It behaves like the live Excel adapter (addin/xlwings_book.py) for every call the ribbon's handlers make; where
Excel would show something (a message box, a new workbook), this one records it for the caller to print.
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Callable, Sequence

from openpyxl import load_workbook
from openpyxl.utils.cell import coordinate_from_string

from engine.errors import Refused

HINTS_SHEET = "提示"
HINTS_HEADER = ("位置（点击跳转）", "问题", "填写的值")
HINTS_WIDTHS = (22, 90, 24)
PDF_TIMEOUT = 180


NO_LIBREOFFICE = ("在文件上生成 PDF 需要 LibreOffice（soffice），本机没有找到。请在 Excel 或 WPS 中打开这个工作簿直接打印"
                  "（或“另存为/输出为 PDF”），或安装 LibreOffice 后重试。")
BLANK_NAME = "工作簿1"
UNSAVED = "当前工作簿还没有保存到本机文件夹（或保存在网盘地址上）。请先“另存为”到本机文件夹（.xlsx），再点按钮。"


class FileBook:
    """A saved .xlsx workbook as the book interface sees it; with no path, a new blank workbook that was never saved."""

    def __init__(self, path: Path | None, *, say: Callable[[str], None] | None = None):
        self._path = Path(path) if path is not None else None
        self._say = say
        self._values = None
        self.messages: list[tuple[bool, str]] = []
        self.opened: list[Path] = []

    @property
    def name(self) -> str:
        """The file's name."""
        return self._path.name if self._path else BLANK_NAME

    def _read(self):
        if self._path is None:
            raise Refused(UNSAVED)
        if self._values is None:
            if not self._path.is_file():
                raise Refused(f"找不到文件 {self._path}。")
            try:
                self._values = load_workbook(self._path, data_only=True)
            except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
                raise Refused(f"文件 {self._path.name} 不是 Excel 工作簿（.xlsx），或已损坏。") from exc
        return self._values

    def sheet_names(self) -> list[str]:
        """Every sheet, hidden ones included."""
        return list(self._read().sheetnames) if self._path else ["Sheet1"]

    def values(self, sheet: str) -> list[list[object]]:
        """The sheet's cached values from A1 to its last used cell."""
        if self._path is None:
            return []
        book = self._read()
        if sheet not in book.sheetnames:
            return []
        rows = [list(row) for row in book[sheet].iter_rows(values_only=True)]
        while rows and all(v is None for v in rows[-1]):  # formatted but empty rows, as Excel's used range trims them
            rows.pop()
        return rows

    def selection(self) -> tuple[str, int] | None:
        """The active sheet and the row of its active cell, as saved in the file."""
        if self._path is None:
            return None
        sheet = self._read().active
        if sheet is None or not sheet.active_cell:
            return None
        _, row = coordinate_from_string(sheet.active_cell.split(":")[0])
        return sheet.title, row

    def path(self) -> Path | None:
        """The file."""
        return self._path

    def content(self) -> bytes:
        """The file's bytes."""
        if self._path is None:
            raise Refused(UNSAVED)
        if not self._path.is_file():
            raise Refused(f"找不到文件 {self._path}。")
        return self._path.read_bytes()

    def _rewrite(self, change: Callable) -> None:
        """Apply change to the workbook with its formulas kept, and save it in place (a blank one has no file)."""
        if self._path is None:
            return
        book = load_workbook(self._path)
        change(book)
        book.save(self._path)
        self._values = None

    def write_hints(self, rows: Sequence[Sequence[object]]) -> None:
        """Replace the 提示 sheet (first, active) with rows, and save the file."""
        def change(book) -> None:
            if HINTS_SHEET in book.sheetnames:
                del book[HINTS_SHEET]
            sheet = book.create_sheet(HINTS_SHEET, 0)
            for row in rows:
                sheet.append(list(row))
            for letter, width in zip("ABC", HINTS_WIDTHS):
                sheet.column_dimensions[letter].width = width
            for other in book.worksheets:
                other.sheet_view.tabSelected = other is sheet
            book.active = 0
        self._rewrite(change)

    def clear_hints(self) -> None:
        """Remove the 提示 sheet and save, when there is one."""
        if self._path is None or HINTS_SHEET not in self.sheet_names():
            return

        def change(book) -> None:
            del book[HINTS_SHEET]
            shown = next(i for i, s in enumerate(book.worksheets) if s.sheet_state == "visible")
            book.active = shown
        self._rewrite(change)

    def alert(self, text: str, *, ok: bool) -> None:
        """Record the message (and print it when a printer was given)."""
        self.messages.append((ok, text))
        if self._say:
            self._say(text)

    def show_file(self, path: Path) -> None:
        """Record a file the action wrote."""
        self.opened.append(Path(path))

    def export_pdf(self, target: Path) -> Path:
        """The workbook as a PDF, converted by LibreOffice headless; Refused without it."""
        if self._path is None:
            raise Refused(UNSAVED)
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        if soffice is None:
            raise Refused(NO_LIBREOFFICE)
        with tempfile.TemporaryDirectory() as work:
            profile = Path(work, "profile").as_uri()
            command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                       "--outdir", work, str(self._path)]
            subprocess.run(command, capture_output=True, timeout=PDF_TIMEOUT, check=False)
            made = Path(work, self._path.with_suffix(".pdf").name)
            if not made.is_file():
                raise Refused(f"LibreOffice 没能把 {self._path.name} 转成 PDF。请在 Excel 中打开后打印。")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(made), target)
        return target
