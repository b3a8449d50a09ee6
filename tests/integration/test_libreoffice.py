"""Every kind of generated workbook opens in LibreOffice headless and prints its Chinese text; its native
Excel features (validation, protection, frozen panes, print setup, very-hidden _meta) are in the file.

LibreOffice exits 0 even when it cannot load a file, so the PDF's text is what is checked. The tests
need one database only (they test the file): they make their own SQLite one. Without soffice or
pdftotext they skip, unless CMW_REQUIRE_LIBREOFFICE=1 (CI), where they fail.
"""
from __future__ import annotations

import importlib
import os
import pkgutil
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import pytest
from openpyxl import load_workbook

import workbooks
from addin.app import App
from addin.handlers import export_stores
from addin.handlers.capability import capability_layout_of, export_capability
from addin.handlers.district import export_district
from addin.handlers.plans import export_plan
from addin.handlers.review import export_review
from addin.handlers.submission import SUBMITTABLE
from engine.operating_analysis import compute_effect
from engine.ports import StoreFilter
from engine.stores import WEEKDAYS
from storage.database import make_engine, session_factory, upgrade
from tests.factories import make_company, make_orders
from tests.integration.test_big_table_workbook import move, planned
from workbooks import big_table as plan_book, review as review_book
from workbooks.layout import BookLayout, column_letter
from workbooks.meta import META_SHEET
from workbooks.reader import read_meta
from workbooks.registry import LAYOUTS
from workbooks.stores import LAYOUT as STORE_LAYOUT, SHEET as STORE_SHEET

pytestmark = pytest.mark.libreoffice

CONVERT_TIMEOUT = 120
MONTH = "2026-11"
FOOTER = re.compile(r"第\s*1\s*页")


@dataclass(frozen=True)
class Sample:
    """A generated workbook, the layout it was declared with (None for a read-only report), and text its printout shows."""

    path: Path
    layout: BookLayout | None
    texts: tuple[str, ...]
    owner: str = "cm001"


def _store_list(app: App, folder: Path) -> Sample:
    """§2: cm001's store list."""
    path = folder / "客户信息维护.xlsx"
    export_stores(app, app.actor("cm001"), StoreFilter(), path)
    return Sample(path, STORE_LAYOUT, ("示例市烟草公司", "客户信息维护", "张三", "cm001的第1家烟酒店", "周一"))


def _capability_scores(app: App, folder: Path) -> Sample:
    """§10: cm001's capability-scoring workbook for MONTH (its effect is computed by the fixture)."""
    path = folder / "经营能力评分.xlsx"
    export_capability(app, app.actor("cm001"), MONTH, path)
    layout = capability_layout_of(app, read_meta(path.read_bytes()))
    return Sample(path, layout, ("示例市烟草公司", "经营能力评分表", "张三", "cm001的第1家烟酒店", MONTH))


def _district_report(app: App, folder: Path) -> Sample:
    """§10: cm001's district statistics for MONTH (read-only report with charts)."""
    path = folder / "片区统计.xlsx"
    export_district(app, app.actor("cm001"), "cm001", MONTH, path)
    return Sample(path, None, ("示例市烟草公司", "片区统计", "张三", MONTH, "经营效果得分分布", "潜在需求占比"))


def _planned_once(app: App, cm: str) -> str:
    """The CM's big table for MONTH, generated on first use (producers run once per test); its state."""
    with app.uow() as uow:
        doc = uow.documents.get(plan_book.MODULE, cm, MONTH)
    if doc is None:
        planned(app, cm)
    with app.uow() as uow:
        return uow.documents.get(plan_book.MODULE, cm, MONTH).state


def _big_table(app: App, folder: Path) -> Sample:
    """§3: cm002's big table for MONTH, being planned (cm001's analysis stays unscored for the producers above)."""
    path = folder / "任务执行标注表.xlsx"
    state = _planned_once(app, "cm002")
    export_plan(app, app.actor("cm002"), MONTH, path)
    return Sample(path, plan_book.plan_layout(plan_book.DEFAULT_ACTIONS, state),
                  ("示例市烟草公司", "客户经理任务执行标注表", "李四", "cm002的第1家烟酒店", MONTH, "合计 ☆", "本次操作"), "cm002")


def _review(app: App, folder: Path) -> Sample:
    """§3: mm02's review workbook, with cm003's submitted plan (cm003 is of mm02's department)."""
    path = folder / "任务执行标注表审核.xlsx"
    if _planned_once(app, "cm003") == "draft":
        move(app, "cm003", "cm003", "submit_plan")
    export_review(app, app.actor("mm02"), MONTH, path)
    sheet = plan_book.plan_sheet(plan_book.DEFAULT_ACTIONS, "submitted", name=review_book.cm_sheet_name("cm003", "周五"),
                                 editable=False)
    return Sample(path, review_book.review_layout((sheet,)),
                  ("示例市烟草公司", "任务执行标注表审核", "赵经理", "客户经理 周五（cm003）", "cm003的第1家烟酒店"), "mm02")


#: One producer per module code a generated workbook can carry (see _workbook_modules): a new module adds one here.
PRODUCERS: dict[str, Callable[[App, Path], Sample]] = {
    "stores": _store_list,
    "capability": _capability_scores,
    "district": _district_report,
    "bigtable": _big_table,
    "review": _review,
}


def _workbook_modules() -> set[str]:
    """Registered layouts, submittable modules, and the MODULE code of every workbooks.* module."""
    codes = set(LAYOUTS) | set(SUBMITTABLE)
    for info in pkgutil.iter_modules(workbooks.__path__, "workbooks."):
        code = getattr(importlib.import_module(info.name), "MODULE", None)
        if isinstance(code, str):
            codes.add(code)
    return codes


@pytest.fixture(scope="module")
def app(tmp_path_factory) -> Iterator[App]:
    """The test company on a fresh SQLite database, with last month's orders and cm001's effect for MONTH."""
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('libreoffice-db') / 'cmw.sqlite3'}")
    upgrade(engine)
    sessions = session_factory(engine)
    make_company(sessions)
    make_orders(sessions, "2026-10")
    app = App(engine, sessions)
    compute_effect(app.uow(), app.actor("cm001"), month=MONTH)
    yield app
    engine.dispose()


@pytest.fixture(scope="module")
def profile(tmp_path_factory) -> Path:
    """A LibreOffice user profile of our own, so no other soffice (or user setting) interferes."""
    return tmp_path_factory.mktemp("libreoffice-profile")


def _require_tools() -> None:
    missing = [tool for tool in ("soffice", "pdftotext") if shutil.which(tool) is None]
    if not missing:
        return
    message = f"{' and '.join(missing)} not installed (apt-get install libreoffice-calc poppler-utils fonts-noto-cjk)"
    if os.environ.get("CMW_REQUIRE_LIBREOFFICE") == "1":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def _to_pdf(workbook: Path, profile: Path, outdir: Path) -> Path:
    """Convert with LibreOffice headless; the PDF must exist (soffice exits 0 even when loading failed)."""
    result = subprocess.run(
        ["soffice", "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
         "--convert-to", "pdf", "--outdir", str(outdir), str(workbook)],
        capture_output=True, text=True, timeout=CONVERT_TIMEOUT,
    )
    pdf = outdir / f"{workbook.stem}.pdf"
    assert result.returncode == 0, f"soffice failed ({result.returncode}): {result.stdout}{result.stderr}"
    assert pdf.is_file() and pdf.stat().st_size > 0, f"no PDF from soffice: {result.stdout}{result.stderr}"
    return pdf


def _pdf_text(pdf: Path) -> str:
    result = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, timeout=60,
                            check=True)
    return result.stdout


def test_every_kind_of_workbook_has_a_producer():
    """A module that registers a layout, takes submissions or names a MODULE in workbooks/ must have a producer."""
    modules = _workbook_modules()
    assert {"stores", "capability"} <= modules
    assert modules - set(PRODUCERS) == set(), "add a producer to PRODUCERS for each new module"
    assert set(PRODUCERS) - modules == set(), "PRODUCERS names a module that generates no workbook"


@pytest.mark.parametrize("module", sorted(PRODUCERS))
def test_libreoffice_prints_the_workbook(module, app, profile, tmp_path):
    """LibreOffice opens the generated workbook and its PDF shows title, headers, data and page footer."""
    _require_tools()
    sample = PRODUCERS[module](app, tmp_path)
    text = _pdf_text(_to_pdf(sample.path, profile, tmp_path / "pdf"))
    absent = [t for t in sample.texts if t not in text]
    assert not absent, f"the PDF of {module} lacks {absent}; its text was:\n{text}"
    headers = [c.header for sheet in (sample.layout.sheets if sample.layout else ()) for c in sheet.columns]
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
    sheet = load_workbook(_store_list(app, tmp_path).path)[STORE_SHEET]
    header = {cell.value: cell.column_letter for cell in sheet[layout.header_row]}
    lists = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation if v.type == "list"}
    start = f"{header['拜访日']}{layout.first_data_row}:"
    assert [formula for ref, formula in lists.items() if ref.startswith(start)] == [f'"{",".join(WEEKDAYS)}"']
    assert WEEKDAYS == ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
