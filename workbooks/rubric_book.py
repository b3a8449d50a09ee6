"""评分标准 as a workbook the administrator edits and prints: the column names on row 1 (the import reads them
there), numbers as numbers, text as text (never a formula), and the print setup every workbook of ours has."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from types import SimpleNamespace

import xlsxwriter

from workbooks.builder import HEADER_FILL, Heading, _print_setup
from workbooks.text_width import column_units

PORTRAIT_WIDTH = 95  # column units an A4 portrait page holds at 100 %; wider tables print landscape


def _number(text: str) -> int | float | None:
    """A rubric figure as a number (3, 0.5); None when the cell is blank or not a figure."""
    try:
        figure = Decimal(text.strip())
    except (InvalidOperation, AttributeError):
        return None
    return int(figure) if figure == figure.to_integral_value() else float(figure)


def write_rubric_book(target: Path, sheet_name: str, rows: list[dict[str, str]], numeric: frozenset[str],
                      heading: Heading) -> None:
    """Write the rubric's rows (column name → text) to target; the columns named in numeric hold numbers."""
    headers = list(rows[0]) if rows else []
    book = xlsxwriter.Workbook(str(target), {"strings_to_formulas": False, "strings_to_urls": False})
    base = {"font_name": "等线", "font_size": 10, "border": 1, "valign": "vcenter"}
    looks = {"header": book.add_format({**base, "bold": True, "bg_color": HEADER_FILL, "align": "center"}),
             "text": book.add_format({**base, "num_format": "@"}), "number": book.add_format({**base, "num_format": "General"})}
    sheet = book.add_worksheet(sheet_name[:31])
    widths = []
    for col, header in enumerate(headers):
        sheet.write_string(0, col, header, looks["header"])
        widths.append(max([column_units(header), *(column_units(row[header] or "") for row in rows)]) + 2)
        sheet.set_column(col, col, min(widths[-1], 45))
    for number, row in enumerate(rows, start=1):
        for col, header in enumerate(headers):
            text = row[header] or ""
            figure = _number(text) if header in numeric else None
            if figure is not None:
                sheet.write_number(number, col, figure, looks["number"])
            elif text:
                sheet.write_string(number, col, text, looks["text"])
            else:
                sheet.write_blank(number, col, None, looks["text"])
    sheet.freeze_panes(1, 0)
    _print_setup(sheet, SimpleNamespace(landscape=sum(widths) > PORTRAIT_WIDTH), heading, 0)
    book.set_properties({"title": heading.title, "author": heading.owner_label, "company": heading.company})
    book.close()
