"""The book interface's contract: the file adapter (openpyxl) and the live adapter (xlwings) behave alike for every
call the ribbon's handlers make.

No Excel runs here, so the xlwings adapter is driven over a minimal fake of the part of xlwings' object model it
uses (Book, Sheets, Sheet, Range, App), kept in an openpyxl workbook. What this cannot show is Excel's own
behaviour behind those calls (see docs/addin.md, "What only Excel can show").
"""
from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils import range_boundaries

from addin.book import book_meta, hint_rows, selected_values
from addin.xlwings_book import XlwingsBook
from engine.errors import Finding, Refused
from workbooks.builder import Heading, build_workbook
from workbooks.file_book import HINTS_SHEET, UNSAVED, FileBook
from workbooks.meta import Meta
from workbooks.reader import read_meta
from workbooks.stores import LAYOUT, SHEET

META = Meta(module="stores", template_version=1, owner="cm001", owner_name="张三", period="2026-11", document_id=7,
            document_version=1, exported_by="cm001", exported_at="2026-11-02 09:00:00", company="示例市烟草公司")
#: What the file says about itself: the builder adds the sheets it was made with.
WRITTEN = replace(META, sheets=SHEET)
ROW = {"code": "440101000001", "name": "幸福烟酒店", "licence": "440100000001", "address": "示例路1号", "tier": 12}


class FakeRange:
    """A cell or block of a FakeSheet, as xlwings' Range exposes it."""

    def __init__(self, sheet, ref):
        self.sheet, self.ref = sheet, ref
        self.row = range_boundaries(ref)[1] if isinstance(ref, str) and ":" not in ref else None

    def options(self, ndim):
        return self

    @property
    def value(self):
        (r1, c1), (r2, c2) = self.ref
        return [[self.sheet.cells.cell(r, c).value for c in range(c1, c2 + 1)] for r in range(r1, r2 + 1)]

    @value.setter
    def value(self, rows):
        start = self.sheet.cells[self.ref]
        for i, row in enumerate(rows):
            for j, v in enumerate(row):
                self.sheet.cells.cell(start.row + i, start.column + j, v)

    @property
    def column_width(self):
        return self.sheet.cells.column_dimensions[self.ref.split(":")[0]].width

    @column_width.setter
    def column_width(self, width):
        self.sheet.cells.column_dimensions[self.ref.split(":")[0]].width = width


class FakeSheet:
    def __init__(self, book, cells):
        self.book, self.cells = book, cells

    @property
    def name(self):
        return self.cells.title

    @property
    def used_range(self):
        last = type("Cell", (), {"row": self.cells.max_row, "column": self.cells.max_column})
        return type("Used", (), {"last_cell": last})

    def range(self, first, last=None):
        return FakeRange(self, (first, last) if last else first)

    def delete(self):
        assert not self.book.app.display_alerts, "Excel asks before deleting a sheet unless alerts are off"
        self.book.cells.remove(self.cells)

    def activate(self):
        self.book.cells.active = self.book.cells.worksheets.index(self.cells)


class FakeSheets:
    def __init__(self, book):
        self.book = book

    def __iter__(self):
        return iter([FakeSheet(self.book, s) for s in self.book.cells.worksheets])

    def __getitem__(self, key):
        cells = self.book.cells.worksheets[key] if isinstance(key, int) else self.book.cells[key]
        return FakeSheet(self.book, cells)

    def add(self, name, before):
        return FakeSheet(self.book, self.book.cells.create_sheet(name, self.book.cells.worksheets.index(before.cells)))


class FakeApp:
    def __init__(self):
        self.display_alerts, self.alerts, self.opened, self.statuses = True, [], [], []
        self.books = type("Books", (), {"open": lambda _, path: self.opened.append(Path(path))})()

    def alert(self, prompt, title=None, buttons="ok", mode=None, callback=None):
        self.alerts.append((prompt, title, mode))

    @property
    def status_bar(self):
        return self.statuses[-1] if self.statuses else False

    @status_bar.setter
    def status_bar(self, value):
        self.statuses.append(value)


class FakeBook:
    """What XlwingsBook uses of xlwings.Book, over an openpyxl workbook."""

    def __init__(self, path: Path | None):
        self.fullname = str(path) if path else "工作簿1"
        self.name = path.name if path else "工作簿1"
        self.cells = load_workbook(path) if path else Workbook()
        self.app, self.sheets, self.pdf = FakeApp(), FakeSheets(self), None

    @property
    def selection(self):
        sheet = self.cells.active
        return FakeRange(FakeSheet(self, sheet), sheet.active_cell.split(":")[0])

    def save(self):
        self.cells.save(self.fullname)

    def to_pdf(self, path, exclude=None):
        self.pdf = (path, exclude)
        Path(path).write_bytes(b"%PDF-1.7 fake")


def _stored(book) -> list[list[object]]:
    """What the adapter wrote into the 提示 sheet (formulas as text), read from where it keeps the workbook."""
    cells = book._book.cells if isinstance(book, XlwingsBook) else load_workbook(book.path())
    return [list(r) for r in cells[HINTS_SHEET].iter_rows(values_only=True)]


@pytest.fixture
def workbook(tmp_path) -> Path:
    """A generated store-list workbook, saved with the cursor on the first store's name."""
    path = tmp_path / "客户信息维护.xlsx"
    build_workbook(path, LAYOUT, META, Heading("示例市烟草公司", LAYOUT.title, "张三", "2026-11", date(2026, 11, 2)),
                   {SHEET: [ROW]})
    book = load_workbook(path)
    first = LAYOUT.sheet(SHEET).cell("name", LAYOUT.sheet(SHEET).first_data_row)
    book[SHEET].sheet_view.selection[0].activeCell = book[SHEET].sheet_view.selection[0].sqref = first
    book.save(path)
    return path


@pytest.fixture(params=["file", "xlwings"])
def book(request, workbook):
    """The same workbook behind each adapter."""
    return FileBook(workbook) if request.param == "file" else XlwingsBook(FakeBook(workbook))


def test_reading(book, workbook):
    assert book.name == workbook.name and book.path() == workbook
    assert book.sheet_names() == [SHEET, "_meta"]
    assert book_meta(book) == WRITTEN
    layout = LAYOUT.sheet(SHEET)
    header = book.values(SHEET)[layout.header_row - 1]
    assert header == [c.header for c in layout.columns]
    assert book.selection() == (SHEET, layout.first_data_row)
    picked, row = selected_values(book, SHEET, layout.header_row)
    assert row == layout.first_data_row and picked["客户编码"] == ROW["code"] and picked["档位"] == 12
    assert book.values("no such sheet") == []


def test_content_is_the_saved_workbook(book):
    assert read_meta(book.content()) == WRITTEN


def test_hints_sheet_written_first_and_cleared(book):
    findings = [Finding("X", "档位不能修改", sheet=SHEET, cell="I3", value=30), Finding("Y", "整表的问题")]
    rows = hint_rows("客户信息表有 2 处问题", findings)
    book.write_hints(rows)
    assert book.sheet_names()[0] == HINTS_SHEET and _stored(book) == rows
    assert rows[2][0] == f'=HYPERLINK("#\'{SHEET}\'!I3","{SHEET}!I3")' and rows[3][0] is None
    book.write_hints(rows[:2])  # again: replaced, not a second sheet
    assert book.sheet_names().count(HINTS_SHEET) == 1 and len(_stored(book)) == 2
    book.clear_hints()
    assert HINTS_SHEET not in book.sheet_names() and book_meta(book) == WRITTEN


def test_messages_and_files(book, tmp_path, monkeypatch):
    opened_pages = []
    monkeypatch.setattr("webbrowser.open", opened_pages.append)
    book.alert("已保存", ok=True)
    book.show_file(tmp_path / "新表.xlsx")
    book.show_file(tmp_path / "明细.html")
    if isinstance(book, XlwingsBook):
        assert book._book.app.alerts == [("已保存", "客户经理工作法", "info")]
        assert book._book.app.opened == [tmp_path / "新表.xlsx"] and opened_pages[0].endswith(".html")
    else:
        assert book.messages == [(True, "已保存")] and book.opened == [tmp_path / "新表.xlsx", tmp_path / "明细.html"]


def test_pdf(book, tmp_path):
    if isinstance(book, FileBook) and not shutil.which("soffice"):
        pytest.skip("the file adapter prints through LibreOffice (soffice), not installed here")
    book.write_hints(hint_rows("问题", []))
    made = book.export_pdf(tmp_path / "out" / "客户信息维护.pdf")
    assert made.read_bytes().startswith(b"%PDF")
    if isinstance(book, XlwingsBook):
        assert book._book.pdf[1] == [HINTS_SHEET]


@pytest.mark.parametrize("adapter", ["file", "xlwings"])
def test_a_blank_workbook(adapter):
    book = FileBook(None) if adapter == "file" else XlwingsBook(FakeBook(None))
    assert book.path() is None and book_meta(book) is None and book.selection() in (None, ("Sheet", 1))
    with pytest.raises(Refused) as refused:
        book.content()
    assert refused.value.message == UNSAVED


def test_the_status_bar_says_what_runs_while_a_button_works(workbook, monkeypatch):
    """Excel's status bar names the running button during the action and is handed back after (issue 17, item 7)."""
    from addin import dispatch as dispatcher

    live = FakeBook(workbook)
    seen = []
    monkeypatch.setattr(XlwingsBook, "caller", classmethod(lambda cls: cls(live)))
    monkeypatch.setattr(dispatcher, "dispatch", lambda tag, book: seen.append(live.app.status_bar)
                        or dispatcher.Reply(True, ("已保存",)))
    dispatcher.run_from_excel("submit")
    assert seen == ["客户经理工作法：正在运行“提交”，请稍候……"] and live.app.statuses[-1] is False
    assert live.app.alerts == [("已保存", "客户经理工作法", "info")]
