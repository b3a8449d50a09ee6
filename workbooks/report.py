"""Write a report (engine.report pages) as a read-only workbook: formatted tables and native charts, print-ready.

No inputs, so no protection or validation: a reader may sort, filter and copy. The print setup and the
_meta sheet are builder's, so a report prints like every other workbook of ours and `cmw submit` knows it.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import xlsxwriter

from engine.report import Link, Page, Table, kind_of, number, plain, shown
from workbooks.builder import HEADER_FILL, Heading, _meta_sheet, _print_setup
from workbooks.meta import Meta
from workbooks.text_width import column_units

NUMBER_FORMATS = {"text": "@", "count": "#,##0", "number": "#,##0.00", "money": "#,##0.00", "share": "0.0%",
                  "points": "0.00", "score": "0.0"}
FONT = "等线"
BAR_COLOR = "#4472C4"
PORTRAIT_WIDTH = 95  # column-width units an A4 portrait page holds at 100 %; wider pages print landscape
ROW_PIXELS = 20
WRAP_FROM = 8  # headers wider than this wrap onto two lines
HEADER_HEIGHT = 28  # points: two lines, set since XlsxWriter cannot measure wrapped text
LINE_POINTS = 13.5  # a line of wrapped 10 pt text
WRITING_POINTS = 36  # a row's height where a column is left to write in by hand


@dataclass(frozen=True)
class _Shape:
    """What builder's print setup reads from a sheet's layout."""

    landscape: bool


class _Formats:
    def __init__(self, book: xlsxwriter.Workbook):
        base = {"font_name": FONT, "font_size": 10, "border": 1, "valign": "vcenter"}
        self.title = book.add_format({"font_name": FONT, "bold": True, "font_size": 14})
        self.caption = book.add_format({"font_name": FONT, "bold": True, "font_size": 11})
        self.note = book.add_format({"font_name": FONT, "font_size": 9, "font_color": "#555555"})
        self.header = book.add_format({**base, "bold": True, "bg_color": HEADER_FILL, "text_wrap": True,
                                       "align": "center"})
        looks = {kind: {**base, "num_format": fmt, **({"indent": 1} if kind == "text" else {"align": "right"})}
                 for kind, fmt in NUMBER_FORMATS.items()}
        self.cells = {kind: book.add_format(look) for kind, look in looks.items()}
        # in a table of fixed widths, text wraps inside its cell instead of running over the next ones
        self.fixed = {kind: book.add_format({**look, "text_wrap": True, "valign": "top"}) for kind, look in looks.items()}

    def cell(self, kind: str, fixed: bool = False):
        cells = self.fixed if fixed else self.cells
        return cells.get(kind, cells["number"])


def _text_width(text: str) -> float:
    """Width in Excel's column units at the report's font: a Chinese character takes two."""
    return column_units(text, wide=2, narrow=1.1)


def _widths(tables: tuple[Table, ...]) -> list[float]:
    """Each column wide enough for its figures; a long header wraps onto two lines rather than widen it."""
    widths: list[float] = []
    for table in tables:
        for col, column in enumerate(table.fields):
            if column.width:  # declared for paper: kept, long text wraps inside it
                widths.extend([0.0] * (col + 1 - len(widths)))
                widths[col] = max(widths[col], column.width)
                continue
            header = max(_text_width(line) for line in column.header.split("\n"))
            cells = [_text_width(shown(row[col], kind_of(row[col], column))) for row in table.rows]
            need = max(max(cells, default=0), header if header <= WRAP_FROM else max(WRAP_FROM, header / 2 + 1)) + 2
            widths.extend([0.0] * (col + 1 - len(widths)))
            widths[col] = max(widths[col], min(need, 40))
    return widths


def _row_height(cells: tuple, fields: tuple, writes: bool) -> float:
    """Points a row of fixed-width columns needs for its wrapped text (XlsxWriter cannot measure it), and at
    least room for a line of handwriting when the table has a column to write in."""
    lines = max((math.ceil(_text_width(shown(cell, kind_of(cell, field))) / max(field.width - 1, 1))
                 for cell, field in zip(cells, fields) if field.kind != "write"), default=1)
    return max(lines * LINE_POINTS + 4, WRITING_POINTS if writes else 0)


def _write_cell(sheet, row: int, col: int, cell, style) -> None:
    value, figure = plain(cell), number(cell)
    if isinstance(cell, Link):  # a file beside the workbook: opened from the cell
        sheet.write_url(row, col, f"external:{cell.target}", style, string=cell.text, tip="打开这个文件")
    elif value is None or value == "":
        sheet.write_blank(row, col, None, style)
    elif figure is not None:
        sheet.write_number(row, col, figure, style)
    else:
        sheet.write_string(row, col, str(value), style)


def _chart(book, sheet_name: str, table: Table, first: int, last: int, width: int):
    """A native chart of the table's charted column against its first column; returns it and its height."""
    picture, value = table.chart, table.chart.value
    number_format = NUMBER_FORMATS.get(table.fields[value].kind, "General")
    chart = book.add_chart({"type": picture.kind})
    chart.add_series({"name": table.fields[value].header, "categories": [sheet_name, first, 0, last, 0],
                      "values": [sheet_name, first, value, last, value], "fill": {"color": BAR_COLOR},
                      "data_labels": {"value": True, "num_format": number_format, "font": {"name": FONT, "size": 8}}})
    chart.set_title({"name": picture.title, "name_font": {"name": FONT, "size": 12, "bold": True}})
    chart.set_legend({"none": True})
    values = {"num_format": number_format, "min": 0, "num_font": {"name": FONT, "size": 8},
              "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}}
    if table.fields[value].kind == "share":
        values["max"] = 1
    categories = {"num_font": {"name": FONT, "size": 9}}
    if picture.kind == "bar":  # lying bars: list the categories top-down, as the table does
        chart.set_x_axis(values)
        chart.set_y_axis({**categories, "reverse": True, "crossing": "max"})
        height = max(300, 70 + 26 * len(table.rows))
    else:
        chart.set_x_axis(categories)
        chart.set_y_axis(values)
        height = 300
    chart.set_size({"width": width, "height": height})
    return chart, height


def _table(book, sheet, formats: _Formats, page: Page, table: Table, top: int, width: int) -> tuple[int, int]:
    """Write a table (caption, header, rows, note, chart) from row top; return its header row and the next free row."""
    row = top
    if table.title:
        sheet.write_string(row, 0, table.title, formats.caption)
        row += 1
    header = row
    if any("\n" in column.header or _text_width(column.header) > WRAP_FROM for column in table.fields):
        sheet.set_row(header, HEADER_HEIGHT)
    for col, column in enumerate(table.fields):
        sheet.write_string(header, col, column.header, formats.header)
    fixed = all(column.width for column in table.fields)
    for offset, cells in enumerate(table.rows, start=1):
        for col, (cell, column) in enumerate(zip(cells, table.fields)):
            if column.kind == "write":
                sheet.write_blank(header + offset, col, None, formats.cell("text", fixed))
                continue
            _write_cell(sheet, header + offset, col, cell, formats.cell(kind_of(cell, column), fixed))
        if fixed:
            sheet.set_row(header + offset, _row_height(cells, table.fields, writes=any(
                column.kind == "write" for column in table.fields)))
    row = header + len(table.rows) + 1
    if table.note:
        sheet.write_string(row, 0, table.note, formats.note)
        row += 1
    if table.chart is not None and table.rows:
        chart, height = _chart(book, page.name, table, header + 1, header + len(table.rows), width)
        sheet.insert_chart(row + 1, 0, chart, {"x_offset": 2, "y_offset": 4})
        row += math.ceil(height / ROW_PIXELS) + 2
    return header, row + 1


def _page(book, formats: _Formats, page: Page, heading: Heading) -> None:
    sheet = book.add_worksheet(page.name)
    widths = _widths(page.tables)
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    # the page's name only when it says more than the title (a one-page report is named after its title)
    title = heading.title if page.name == heading.title else f"{heading.title}：{page.name}"
    sheet.write_string(0, 0, f"{title} — {heading.owner_label} — {heading.period}", formats.title)
    chart_width = int(min(max(sum(widths) * 7.5, 480), 960))
    row, first_header = 2, None
    for table in page.tables:
        header, row = _table(book, sheet, formats, page, table, row, chart_width)
        first_header = header if first_header is None else first_header
    sheet.freeze_panes(first_header + 1, page.frozen_columns)
    if len(page.tables) == 1 and page.tables[0].rows:
        sheet.autofilter(first_header, 0, first_header + len(page.tables[0].rows), len(page.tables[0].fields) - 1)
    _print_setup(sheet, _Shape(landscape=sum(widths) > PORTRAIT_WIDTH), heading, first_header)


def build_report(target: Path | BinaryIO, pages: tuple[Page, ...], meta: Meta, heading: Heading) -> None:
    """Write the pages as a read-only workbook (one sheet each, then the very-hidden _meta) to a path or stream."""
    book = xlsxwriter.Workbook(target if not isinstance(target, Path) else str(target),
                               {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    formats = _Formats(book)
    for page in pages:
        _page(book, formats, page, heading)
    _meta_sheet(book, meta)
    book.set_properties({"title": heading.title, "author": heading.owner_label, "company": heading.company})
    book.close()
