"""Every kind of generated workbook opens in LibreOffice headless and prints its Chinese text; its native
Excel features (validation, protection, frozen panes, print setup, very-hidden _meta) are in the file.

LibreOffice exits 0 even when it cannot load a file, so the PDF's text is what is checked. The tests
need one database only (they test the file): they make their own SQLite one. Without soffice or
pdftotext they skip, unless CMW_REQUIRE_LIBREOFFICE=1 (CI), where they fail.
"""
from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from typing import Iterator

import pytest
from openpyxl import load_workbook

import workbooks
from addin.app import App
from addin.handlers.submission import submittable
from engine.operating_analysis import compute_effect
from engine.stores import WEEKDAYS
from tests.analysis_helpers import MONTH
from tests.integration.libreoffice_pdf import FOOTER, pdf_text, require_tools, to_pdf
from tests.integration.workbook_samples import PRODUCERS, company_app
from workbooks.layout import BookLayout, column_letter
from workbooks.meta import META_SHEET
from workbooks.reader import read_meta
from workbooks.registry import LAYOUTS
from workbooks.stores import LAYOUT as STORE_LAYOUT, SHEET as STORE_SHEET

pytestmark = pytest.mark.libreoffice


def _workbook_modules() -> set[str]:
    """Registered layouts, submittable modules, and the MODULE code of every workbooks.* module."""
    codes = set(LAYOUTS) | set(submittable())
    for info in pkgutil.iter_modules(workbooks.__path__, "workbooks."):
        code = getattr(importlib.import_module(info.name), "MODULE", None)
        if isinstance(code, str):
            codes.add(code)
    return codes


@pytest.fixture(scope="module")
def app(tmp_path_factory) -> Iterator[App]:
    """The test company on a fresh SQLite database, with last month's orders and cm001's effect for MONTH."""
    app = company_app(tmp_path_factory.mktemp("libreoffice-db"))
    compute_effect(app.uow(), app.actor("cm001"), month=MONTH)
    yield app
    app.engine.dispose()


@pytest.fixture(scope="module")
def profile(tmp_path_factory) -> Path:
    """A LibreOffice user profile of our own, so no other soffice (or user setting) interferes."""
    return tmp_path_factory.mktemp("libreoffice-profile")


def test_every_kind_of_workbook_has_a_producer():
    """A module that registers a layout, takes submissions or names a MODULE in workbooks/ must have a producer."""
    modules = _workbook_modules()
    assert {"stores", "capability"} <= modules
    assert modules - set(PRODUCERS) == set(), "add a producer to workbook_samples.PRODUCERS for each new module"
    assert set(PRODUCERS) - modules == set(), "PRODUCERS names a module that generates no workbook"


@pytest.mark.parametrize("module", sorted(PRODUCERS))
def test_libreoffice_prints_the_workbook(module, app, profile, tmp_path):
    """LibreOffice opens the generated workbook and its PDF shows title, headers, data and page footer."""
    require_tools()
    sample = PRODUCERS[module](app, tmp_path)
    text = pdf_text(to_pdf(sample.path, profile, tmp_path / "pdf"))
    absent = [t for t in sample.texts if t not in text]
    assert not absent, f"the PDF of {module} lacks {absent}; its text was:\n{text}"
    headers = [c.header for sheet in (sample.layout.sheets if sample.layout else ()) for c in sheet.columns
               if not c.hidden]  # a hidden helper column neither shows nor prints
    assert [h for h in headers if h not in text] == [], f"headers missing from the PDF:\n{text}"
    assert FOOTER.search(text), f"no page footer 第 1 页 in the PDF:\n{text}"


def _check_printing(book) -> None:
    """Every visible sheet prints on A4, all columns on the page width, with page numbers in the footer."""
    for sheet in book.worksheets:
        if sheet.sheet_state != "visible":
            continue
        setup = sheet.page_setup
        assert setup.paperSize == 9, f"{sheet.title}: not A4"
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, f"{sheet.title}: not fit to page"
        # an absent fitToWidth means 1 (the OOXML default), which XlsxWriter leaves out
        assert (setup.fitToWidth or 1) == 1 and setup.fitToHeight == 0, f"{sheet.title}: not one page wide"
        assert "&P" in sheet.oddFooter.center.text, f"{sheet.title}: no page number"


def _check_layout_sheets(book, layout: BookLayout) -> None:
    """Protection, frozen panes, orientation, repeated header, locked cells and list validations of each sheet."""
    for sheet_layout in layout.sheets:
        sheet = book[sheet_layout.name]
        first = sheet_layout.first_data_row
        assert sheet.protection.sheet, f"{sheet_layout.name} is not protected"
        if not sheet_layout.columns:  # a form sheet: a label, a value and a hint per field, no table
            for field in sheet_layout.inputs:
                assert sheet[f"A{field.row}"].value == field.label, f"{field.label} is not on row {field.row}"
            continue
        assert sheet.freeze_panes == f"{column_letter(sheet_layout.frozen_columns)}{first}"
        assert sheet.page_setup.orientation == ("landscape" if sheet_layout.landscape else "portrait")
        top = sheet_layout.group_row or sheet_layout.header_row  # a group row above the header repeats with it
        assert sheet.print_title_rows == f"${top}:${sheet_layout.header_row}"
        lists = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation if v.type == "list"}
        for column in sheet_layout.columns:
            cell = sheet.cell(first, sheet_layout.index(column.key) + 1)
            assert cell.protection.locked is not column.editable, f"{column.header} ({cell.coordinate}) lock is wrong"
            if column.choices:
                choices = f'"{",".join(column.choices)}"'
                assert any(ref.split(":")[0] == f"{cell.column_letter}{first}" and formula == choices
                           for ref, formula in lists.items()), f"no list {choices} on {column.header}"


@pytest.mark.parametrize("module", sorted(PRODUCERS))
def test_workbook_carries_native_excel_features(module, app, tmp_path):
    """The saved file has print setup, protection, frozen panes and validation lists, and a very-hidden _meta."""
    sample = PRODUCERS[module](app, tmp_path)
    book = load_workbook(sample.path)
    _check_printing(book)
    if sample.layout:
        _check_layout_sheets(book, sample.layout)
    assert book[META_SHEET].sheet_state == "veryHidden"
    assert book[META_SHEET].protection.sheet
    meta = read_meta(sample.path.read_bytes())
    assert meta.module == module and meta.owner == sample.owner


def test_store_list_offers_the_weekdays_on_visit_day(app, tmp_path):
    """§2: 拜访日 is a drop-down of 周一..周日 (so the generic check above is not vacuous)."""
    layout = STORE_LAYOUT.sheet(STORE_SHEET)
    sheet = load_workbook(PRODUCERS["stores"](app, tmp_path).path)[STORE_SHEET]
    header = {cell.value: cell.column_letter for cell in sheet[layout.header_row]}
    lists = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation if v.type == "list"}
    start = f"{header['拜访日']}{layout.first_data_row}:"
    assert [formula for ref, formula in lists.items() if ref.startswith(start)] == [f'"{",".join(WEEKDAYS)}"']
    assert WEEKDAYS == ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


@pytest.mark.parametrize("module", sorted(PRODUCERS))
def test_a_workbook_read_back_as_made_has_nothing_the_user_added(module, app, tmp_path):
    """What we write (titles, notes, hints, hidden sheets) is never taken for a column or sheet the user added."""
    from workbooks.reader import read_book

    sample = PRODUCERS[module](app, tmp_path)
    if sample.layout is None:  # a report: nothing comes back
        return
    assert read_book(sample.path.read_bytes(), sample.layout).ignored == []
