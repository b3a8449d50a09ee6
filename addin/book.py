"""The small book interface the ribbon's handlers see: the workbook in front of the user, live (xlwings) or a file (openpyxl)."""
from __future__ import annotations

from pathlib import Path
from typing import Protocol, Sequence

from engine.errors import Finding, Refused
from engine.records import Outcome
from workbooks.file_book import HINTS_HEADER, HINTS_SHEET
from workbooks.meta import META_SHEET, Meta

__all__ = ["Book", "HINTS_SHEET", "book_meta", "hint_rows", "print_workbook", "selected_values"]


class Book(Protocol):
    """What a handler may do with the workbook in front of the user; both adapters behave alike (contract-tested)."""

    @property
    def name(self) -> str:
        """The workbook's file name (e.g. 客户信息维护.xlsx), or its caption when never saved."""

    def sheet_names(self) -> list[str]:
        """Every sheet's name, hidden ones included, in workbook order."""

    def values(self, sheet: str) -> list[list[object]]:
        """The sheet's values from A1 to its last used cell, row by row (formulas as their text)."""

    def selection(self) -> tuple[str, int] | None:
        """The active sheet's name and the 1-based row of its active cell."""

    def path(self) -> Path | None:
        """Where the workbook is saved, or None when it never was."""

    def content(self) -> bytes:
        """The workbook's bytes as saved (the live adapter saves first); Refused when it has no file yet."""

    def write_hints(self, rows: Sequence[Sequence[object]]) -> None:
        """Replace the 提示 sheet with these rows (header first) and bring it to the front."""

    def clear_hints(self) -> None:
        """Remove the 提示 sheet, if there is one."""

    def alert(self, text: str, *, ok: bool) -> None:
        """Show a message to the user (a message box in Excel)."""

    def show_file(self, path: Path) -> None:
        """Open a file the action wrote (a workbook in Excel, a page or PDF in its program)."""

    def export_pdf(self, target: Path) -> Path:
        """Write the workbook's visible sheets as a PDF (print preview); Refused where that cannot be done."""


def book_meta(book: Book) -> Meta | None:
    """The workbook's _meta, None for a blank or foreign workbook; Refused when ours but damaged."""
    if META_SHEET not in book.sheet_names():
        return None
    pairs = {row[0]: (row[1] if len(row) > 1 else None) for row in book.values(META_SHEET) if row and row[0]}
    try:
        return Meta.from_pairs(pairs)
    except ValueError as exc:
        raise Refused(f"当前工作簿的 _meta 表已损坏（{exc}）。请重新导出。") from exc


def _link(finding: Finding) -> object:
    """A HYPERLINK formula to the finding's cell (same text in Excel and in a file), or its plain place."""
    if not (finding.sheet and finding.cell):
        return finding.where() or None
    sheet = finding.sheet.replace("'", "''").replace('"', '""')
    return f'=HYPERLINK("#\'{sheet}\'!{finding.cell}","{sheet}!{finding.cell}")'


def hint_rows(message: str, findings: Sequence[Finding]) -> list[list[object]]:
    """The 提示 sheet: the summary, then one row per finding with a link to its cell."""
    rows: list[list[object]] = [[message, None, None], list(HINTS_HEADER)]  # None, not "": an empty cell either way
    for finding in findings:
        shown = None if finding.value in (None, "") else str(finding.value)
        rows.append([_link(finding), finding.message, shown])
    return rows


def selected_values(book: Book, sheet: str, header_row: int) -> tuple[dict[str, object], int] | None:
    """The row under the active cell on sheet, as header → value, with its row number; None elsewhere."""
    where = book.selection()
    if where is None or where[0] != sheet or where[1] <= header_row:
        return None
    rows = book.values(sheet)
    if len(rows) < where[1]:
        return None
    header = [str(v or "") for v in rows[header_row - 1]]
    return dict(zip(header, rows[where[1] - 1])), where[1]


def print_workbook(book: Book, folder: Path) -> Outcome:
    """打印: the workbook in front as a PDF in the output folder, opened for printing."""
    stem = Path(book.name).stem or "工作簿"
    target = folder / f"{stem}.pdf"
    folder.mkdir(parents=True, exist_ok=True)
    written = book.export_pdf(target)
    book.show_file(written)
    return Outcome(f"已生成打印文件：{written}", ("已用 PDF 阅读器打开，请在其中选择打印机打印（A4）。",))
