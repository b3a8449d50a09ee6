"""What the print-outs and generated files look like to someone who reads them without cmw: formulas that carry
their values (a viewer that does not recalculate shows the totals), visit lists usable as paper, a CM's table in a
market manager's workbook that says whose it is on every page, and big-table headings that never break inside a
word. One SQLite database is enough (the files, not the storage, are under test)."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Iterator

import pandas as pd
import pytest
from openpyxl import load_workbook
from openpyxl.utils import range_boundaries

from addin.app import App
from engine.strategies import ACTIONS
from tests.analysis_helpers import MONTH
from tests.integration.test_printing import _require, pdf_text
from tests.integration.workbook_samples import MONDAY, WORKBOOKS, sqlite_app
from workbooks import big_table as plan_book

FORMULA = re.compile(r'=(COUNTIF|SUM)\(([A-Z]+\d+:[A-Z]+\d+)(?:,"(.)")?\)')
LOOKUP = re.compile(r'=IFERROR\(VLOOKUP\(([A-Z]+\d+),')
PICK = re.compile(r'=IF\(([A-Z]+\d+)="✓","([^"]*)",""\)')  # §8: an item's name on its row when it is ticked


@pytest.fixture(scope="module")
def app(tmp_path_factory) -> Iterator[App]:
    app = sqlite_app(tmp_path_factory.mktemp("paper-db"))
    yield app
    app.engine.dispose()


# --- 20: formulas carry their values ------------------------------------------------------------------------------

def _expected(values, formula: str):
    """What a COUNTIF or SUM over the sheet's cached values comes to."""
    function, span, mark = FORMULA.fullmatch(formula).groups()
    left, top, right, bottom = range_boundaries(span)
    cells = [c.value for row in values.iter_rows(min_row=top, max_row=bottom, min_col=left, max_col=right) for c in row]
    if function == "COUNTIF":
        return sum(value == mark for value in cells)
    return sum(value for value in cells if isinstance(value, (int, float)))


@pytest.mark.parametrize("kind", sorted(WORKBOOKS))
def test_every_formula_is_written_with_its_value(kind, app, tmp_path):
    """A viewer that does not recalculate (a preview, a phone, pandas/openpyxl) shows what Excel would."""
    path = WORKBOOKS[kind](app, tmp_path).path
    formulas, values = load_workbook(path), load_workbook(path, data_only=True)
    checked = 0
    for sheet in formulas.worksheets:
        for row in sheet.iter_rows():
            for cell in (c for c in row if isinstance(c.value, str) and c.value.startswith("=")):
                cached = values[sheet.title][cell.coordinate].value
                if FORMULA.fullmatch(cell.value):
                    assert cached == _expected(values[sheet.title], cell.value), f"{kind} {sheet.title}!{cell.coordinate}"
                elif PICK.fullmatch(cell.value):
                    item, name = PICK.fullmatch(cell.value).groups()
                    ticked = values[sheet.title][item].value == "✓"
                    assert (cached or "") == (name if ticked else ""), f"{kind} {sheet.title}!{cell.coordinate}"
                else:  # a rubric lookup beside an item: shows the item's range once one is picked, else nothing
                    item = LOOKUP.match(cell.value).group(1)
                    assert (cached not in (None, "")) == (values[sheet.title][item].value not in (None, "")), cell.coordinate
                checked += 1
    if kind in ("bigtable", "review", "survey"):
        assert checked > 0


def test_pandas_reads_the_big_table_totals(app, tmp_path):
    path = WORKBOOKS["bigtable"](app, tmp_path).path
    layout = plan_book.plan_layout(plan_book.DEFAULT_ACTIONS, "draft").sheets[0]
    frame = pd.read_excel(path, sheet_name=plan_book.SHEET, header=layout.header_row - 1)
    stars = (frame.iloc[:, 5:5 + len(plan_book.DEFAULT_ACTIONS)] == "☆").to_numpy().sum()
    total = frame[frame.iloc[:, 0] == "合计 ☆"]
    assert stars > 0 and int(total[plan_book.COUNT_HEADERS[plan_book.Mark.PLANNED]].iloc[0]) == stars


# --- 21: visit lists as paper --------------------------------------------------------------------------------------

class _Cells(HTMLParser):
    """Headings, the report tables' column widths, and the text of each cell of class "write"."""

    def __init__(self):
        super().__init__()
        self.headings, self.widths, self.written, self._in = [], [], [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("h1", "h2"):
            self._in, self.headings = tag, [*self.headings, ""]
        elif tag == "col":
            self.widths.append(float(re.search(r"width: ([\d.]+)%", attrs["style"]).group(1)))
        elif tag == "td" and attrs.get("class") == "write":
            self._in, self.written = "write", [*self.written, ""]

    def handle_endtag(self, tag):
        self._in = None if tag in ("h1", "h2", "td") else self._in

    def handle_data(self, data):
        if self._in in ("h1", "h2"):
            self.headings[-1] += data
        elif self._in == "write":
            self.written[-1] += data


@pytest.mark.parametrize("kind, argv", [("day", ("--date", f"{MONDAY}")), ("week", ("--week-start", f"{MONDAY}"))])
def test_visit_lists_print_as_usable_paper(kind, argv, cmw, tmp_path):
    """The title once, fixed column widths that wrap long text inside the table, an empty handwriting column taking
    about a quarter of the page."""
    code, _, err = cmw("print", kind, "--as", "cm002", *argv, "-o", tmp_path / "list.html")
    assert code == 0, err
    html = (tmp_path / "list.html").read_text(encoding="utf-8")
    cells = _Cells()
    cells.feed(html)
    title = {"day": "日拜访记录表", "week": "周工作安排表"}[kind]
    assert cells.headings.count(title) == 1, cells.headings
    assert "table-layout: fixed" in html and "overflow-wrap: anywhere" in html
    assert cells.widths and cells.widths[-1] >= 20 and len(cells.widths) % 8 == 0
    assert cells.written and all(text.strip() == "" for text in cells.written)


def test_the_visit_list_prints_its_title_once(cmw, tmp_path):
    _require("pdftotext")
    code, _, err = cmw("print", "day", "--as", "cm002", "--date", f"{MONDAY}", "-o", tmp_path / "day.pdf")
    assert code == 0, err
    first = pdf_text(tmp_path / "day.pdf").split("\f")[0]
    assert first.count("日拜访记录表") == 1 and "拜访情况（手写）" in first, first


def test_the_visit_list_workbook_leaves_room_to_write(app, tmp_path):
    path = WORKBOOKS["visits_day"](app, tmp_path).path
    sheet = load_workbook(path).worksheets[0]
    header = next(row for row in sheet.iter_rows() if row[-1].value == "拜访情况（手写）")
    column = header[-1].column_letter
    below = [sheet[f"{column}{r}"].value for r in range(header[0].row + 1, sheet.max_row + 1)]
    assert sheet.column_dimensions[column].width >= 25 and all(v in (None, "") for v in below)
    assert not sheet["A1"].value.startswith("日拜访记录表：日拜访记录表")
    first = header[0].row + 1
    assert sheet.cell(first, 6).alignment.wrap_text and sheet.row_dimensions[first].height >= 30


# --- 22: whose table, on every page ---------------------------------------------------------------------------------

def test_each_cm_sheet_of_the_review_workbook_names_the_cm_on_every_page(app, tmp_path):
    book = load_workbook(WORKBOOKS["review"](app, tmp_path).path)
    sheet = next(s for s in book.worksheets if s.title.startswith("cm003"))
    assert "周五（cm003）" in sheet.oddHeader.center.text and MONTH in sheet.oddHeader.center.text


# --- 23: big-table headings whole ------------------------------------------------------------------------------------

def test_big_table_headings_never_break_inside_a_word(cmw, tmp_path):
    _require("pdftotext")
    code, _, err = cmw("print", "bigtable", "--as", "cm002", "--month", MONTH, "-o", tmp_path / "big.pdf")
    assert code == 0, err
    text = pdf_text(tmp_path / "big.pdf")
    lines = text.splitlines()
    for heading in {a.group for a in ACTIONS} | {a.printed for a in ACTIONS} | {"本行合计", "拜访频次", "档位"}:
        assert any(heading in line for line in lines), f"“{heading}” is broken across lines:\n{text}"
    assert "结构提升＝结构提升（一二类烟推荐）" in re.sub(r"\s+", "", text)
    code, _, _ = cmw("print", "bigtable", "--as", "cm002", "--month", MONTH, "-o", tmp_path / "big.html")
    assert "white-space: nowrap" in (tmp_path / "big.html").read_text(encoding="utf-8")


def test_a_layout_s_counts_and_totals_get_values_even_when_the_caller_gives_none(tmp_path):
    """The builder works out our COUNTIF and SUM formulas itself when a workbook's data leaves them out."""
    from datetime import date

    from workbooks.builder import Heading, SheetData, build_workbook
    from workbooks.meta import Meta

    actions = plan_book.DEFAULT_ACTIONS
    book = plan_book.plan_layout(actions, "draft")
    layout = book.sheets[0]
    rows = [{"code": f"42010110000{n}", "name": f"店{n}", actions[0]: "☆", actions[1]: "☆" if n % 2 else "★"}
            for n in range(1, 6)]
    meta = Meta(module=book.module, template_version=book.template_version, owner="cm001", owner_name="张三",
                period=MONTH, document_id=1, document_version=1, exported_by="cm001", exported_at="2026-11-30 08:00:00")
    path = tmp_path / "counts.xlsx"
    build_workbook(path, book, meta, Heading("示例", plan_book.TITLE, "客户经理 张三", MONTH, date.today()),
                   {layout.name: SheetData(rows)})
    values = load_workbook(path, data_only=True)[layout.name]
    planned = plan_book.count_field(plan_book.Mark.PLANNED)
    first, last = layout.first_data_row, layout.first_data_row + len(rows) - 1
    assert [values[layout.cell(planned, r)].value for r in range(first, last + 1)] == [2, 1, 2, 1, 2]
    assert values[layout.cell(planned, last + 1)].value == 8  # 合计 ☆ of the ☆ counts
    assert values[layout.cell(actions[1], last + 2)].value == 2  # 合计 ★ down the second action


def test_the_big_table_workbook_breaks_group_captions_between_words(app, tmp_path):
    """Printed from Excel or LibreOffice, a one-column group caption reads 订货/服务, never 订货服/务."""
    book = load_workbook(WORKBOOKS["bigtable"](app, tmp_path).path)
    layout = plan_book.plan_layout(plan_book.DEFAULT_ACTIONS, "draft").sheets[0]
    captions = [c.value for c in book[plan_book.SHEET][layout.group_row] if c.value]
    assert "订货\n服务" in captions and "规范\n经营" in captions and "信息化" in captions
    assert all(len(line) % 2 == 0 for c in captions if "\n" in c for line in c.split("\n"))
