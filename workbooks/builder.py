"""Write a declared workbook with XlsxWriter: styled, validated, protected, print-ready, with _meta.

XlsxWriter, not openpyxl, writes: the issues' floors put it ~5× faster for styled sheets, and it
writes every text as text (write_string), so user text starting with = + - @ never becomes a formula.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from functools import cache
from datetime import date
import io
from itertools import groupby
from pathlib import Path
from typing import BinaryIO, Callable

import xlsxwriter
from xlsxwriter.worksheet import Worksheet
from xlsxwriter.utility import quote_sheetname, xl_range_abs

from workbooks.formula_values import row_value, total_value
from workbooks.layout import PLACEHOLDER, BookLayout, Column, Input, SheetLayout, column_letter
from workbooks.meta import META_SHEET, Meta
from workbooks.text_width import column_units

EDITABLE_FILL = "#FFF2CC"
HEADER_FILL = "#DDEBF7"
ALERT_FILL = "#FFC7CE"


@dataclass(frozen=True)
class Heading:
    """What the title row and the printed page header say."""

    company: str
    title: str
    owner_label: str
    period: str
    printed_on: date


@dataclass(frozen=True)
class Tinted:
    """A value shown on a fill of its own, with an optional cell comment saying why (in a record or as a note);
    locked: the cell is locked even in an editable column (a row its owner may no longer change)."""

    value: object
    fill: str = ""
    note: str = ""
    locked: bool = False


@dataclass(frozen=True)
class SheetData:
    """One sheet's records and what else it shows: its own title line (instead of the book's), notes under the
    title (layout.note_row on; a Tinted note is highlighted), input values, and the values the totals rows show
    until the spreadsheet recalculates (one dict per layout total, by column key)."""

    rows: list[dict]
    title: str = ""
    notes: tuple[str | Tinted, ...] = ()
    inputs: dict[str, object] = field(default_factory=dict)
    totals: tuple[dict, ...] = ()
    charts: tuple = ()  # workbooks.charts.SheetChart: native charts under the table
    pictures: tuple[RowPictures, ...] = ()  # thumbnails in a record's cell (a store's photos on its row)


@dataclass(frozen=True)
class RowPictures:
    """JPEG thumbnails shown side by side in one cell of a record (its row made tall enough): the record's index in
    SheetData.rows and the column's key."""

    record: int
    key: str
    images: tuple[bytes, ...]


class _Sheet(Worksheet):
    """XlsxWriter's worksheet, taking the formulas of our own column templates as they are.

    XlsxWriter runs about 30 regular-expression substitutions over every formula to prefix Excel 365's dynamic-array
    functions with _xlfn.; a big table has some 800 COUNTIF/SUM formulas, a third of its writing time. Formulas
    made only of those classic functions over plain cell ranges come out of that unchanged (but for the leading
    "="), so this skips it for them. Workbook.add_worksheet(name, worksheet_class) is XlsxWriter's own subclassing
    hook (its inheritance examples); the method overridden is not public, so fast_formulas() checks that XlsxWriter
    still treats our formulas that way and otherwise leaves its own step in place (slower, never different).
    """

    def _prepare_formula(self, formula, *args, **kwargs):
        if not args and not kwargs and formula.startswith(_CLASSIC) and formula.endswith(")") \
                and formula.count("(") == 1:  # one call, to COUNTIF or SUM: nothing for XlsxWriter to prefix
            return formula[1:]
        return super()._prepare_formula(formula, *args, **kwargs)


#: The functions of our per-row and per-column counts, which XlsxWriter passes through as they are.
_CLASSIC = ("=COUNTIF(", "=SUM(")


@cache
def fast_formulas() -> bool:
    """Whether XlsxWriter still passes our COUNTIF/SUM formulas through unchanged (checked once, on first use)."""
    probes = ('=COUNTIF(F7:AB7,"☆")', '=COUNTIF(F207:F406,"▲")', "=SUM(AC7:AC206)")
    try:
        return all(Worksheet()._prepare_formula(p) == p[1:] == _Sheet()._prepare_formula(p) for p in probes)
    except Exception:  # noqa: BLE001 — XlsxWriter changed: keep its own path
        return False



def _escape_header(text: str) -> str:
    """Page header/footer text: '&' starts a code there, so a literal one is doubled."""
    return text.replace("&", "&&")


class _Styles:
    def __init__(self, book: xlsxwriter.Workbook, font_size: int = 10, header_rotation: int = 0):
        self.book = book
        base = {"font_name": "等线", "font_size": font_size, "border": 1, "valign": "vcenter"}
        self.props = {
            "header": {**base, "bold": True, "bg_color": HEADER_FILL, "text_wrap": True, "align": "center"},
            "locked": {**base, "num_format": "@"},
            "locked_number": base,
            "editable": {**base, "locked": False, "bg_color": EDITABLE_FILL, "num_format": "@"},
            "editable_number": {**base, "locked": False, "bg_color": EDITABLE_FILL},
            "computed": {**base, "align": "center"},
            "note": {"font_name": "等线", "font_size": font_size, "valign": "vcenter"},
        }
        self.title = book.add_format({"font_name": "等线", "bold": True, "font_size": 14})
        self.header = book.add_format({**self.props["header"],
                                       **({"rotation": header_rotation} if header_rotation else {})})
        for kind in ("locked", "locked_number", "editable", "editable_number", "computed"):
            setattr(self, kind, book.add_format(self.props[kind]))
        self.alert = book.add_format({"bg_color": ALERT_FILL, "font_color": "#9C0006"})
        self._variants: dict[tuple, object] = {}

    def variant(self, kind: str, **extra):
        """A style of kind (a key of props) with extra properties; made once, on first use."""
        key = (kind, tuple(sorted(extra.items())))
        if key not in self._variants:
            self._variants[key] = self.book.add_format({**self.props[kind], **extra})
        return self._variants[key]

    @staticmethod
    def _kind(column: Column) -> str:
        if column.formula:
            return "computed"
        if column.editable:
            return "editable_number" if column.numeric else "editable"
        return "locked_number" if column.numeric else "locked"

    def cell(self, column: Column, fill: str = "", locked: bool = False):
        extra = {key: value for key, value in (("num_format", column.number_format), ("bg_color", fill),
                                                ("align", "center" if column.center else ""),
                                                ("text_wrap", column.wrap)) if value}
        kind = self._kind(column)
        if locked and column.editable and not column.formula:
            kind = "locked_number" if column.numeric else "locked"
        return self.variant(kind, **extra) if extra else getattr(self, kind)


def _write(sheet, row: int, col: int, value, style) -> None:
    if value is None or value == "":
        sheet.write_blank(row, col, None, style)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        sheet.write_number(row, col, value, style)
    else:
        sheet.write_string(row, col, str(value), style)


def _formula_rule(layout: SheetLayout, rule, row: int, label: str) -> dict:
    """A formula-based validation, its {key} cells taken on row (1-based; Excel shifts them on the rows below)."""
    if rule.kind == "custom":
        spec = {"validate": "custom", "value": layout.render(rule.formula, row)}
    elif rule.kind == "list":  # a defined name, or cells of the row ({key}) that Excel shifts on the rows below
        spec = {"validate": "list", "source": layout.render(rule.formula, row)}
    elif rule.kind == "date":
        spec = {"validate": "date", "criteria": ">=", "value": date(1990, 1, 1)}
    else:
        spec = {"validate": rule.kind, "criteria": "between", "minimum": layout.render(rule.minimum, row),
                "maximum": layout.render(rule.maximum, row)}
    return {**spec, "error_message": rule.message[:255] or f"“{label}”填写有误"}


def _validate(sheet, layout: SheetLayout, col: int, column: Column, first: int, last: int) -> None:
    if column.rule:
        rule = _formula_rule(layout, column.rule, first + 1, column.header)
    elif column.choices:
        rule = {"validate": "list", "source": list(column.choices),
                "error_message": f"请从下拉列表选择：{'、'.join(column.choices)}"}
    elif column.max_length:
        rule = {"validate": "length", "criteria": "<=", "value": column.max_length,
                "error_message": f"“{column.header}”不能超过 {column.max_length} 个字符"}
    else:
        return
    rule.update({"error_title": "输入有误", "error_type": "stop"})
    if column.hint:
        rule.update({"input_title": column.header[:32], "input_message": column.hint[:255]})
    sheet.data_validation(first, col, last, col, rule)


def _per_row(layout: SheetLayout, template: str) -> Callable[[int], str]:
    """layout.render(template, row) with the column letters looked up once: a sheet renders it on every row."""
    parts = PLACEHOLDER.split(template)  # literal, key, literal, key, …, literal
    escaped = [part.replace("{", "{{").replace("}", "}}") for part in parts[0::2]]
    cells = [column_letter(layout.index(key)) + "{0}" for key in parts[1::2]]
    return "".join(text + cell for text, cell in zip(escaped, [*cells, ""])).format


class _Records:
    """Writes a sheet's record rows: each column's style and formula worked out once, not on every cell."""

    _NOTE = {"font_name": "等线", "font_size": 9, "x_scale": 1.5}

    def __init__(self, sheet, layout: SheetLayout, styles: _Styles):
        self.sheet, self.styles, self.columns = sheet, styles, layout.columns
        self.plain = [styles.cell(column) for column in layout.columns]
        self.formulas = [_per_row(layout, column.formula) if column.formula else None for column in layout.columns]
        self.values = [row_value(layout, column.formula) if column.formula else None for column in layout.columns]
        self._tinted: dict[tuple[int, str, bool], object] = {}

    def style(self, col: int, fill: str, locked: bool = False):
        """The column's style, on fill when there is one, locked when asked."""
        if not fill and not locked:
            return self.plain[col]
        if (col, fill, locked) not in self._tinted:
            self._tinted[col, fill, locked] = self.styles.cell(self.columns[col], fill, locked)
        return self._tinted[col, fill, locked]

    def write(self, row: int, record: dict) -> None:
        """One record on a 0-based row."""
        sheet, get = self.sheet, record.get
        for col, column in enumerate(self.columns):
            value = get(column.key)
            if isinstance(value, Tinted):
                note, style, value = value.note, self.style(col, value.fill, value.locked), value.value
            else:
                note, style = "", self.plain[col]
            formula = self.formulas[col]
            if formula is not None:  # ours, with the value it shows until Excel recalculates
                if value is None and self.values[col] is not None:
                    value = self.values[col](record)
                sheet.write_formula(row, col, formula(row + 1), style, "" if value is None else value)
            else:
                _write(sheet, row, col, value, style)
            if note:
                sheet.write_comment(row, col, note, self._NOTE)
        wrapped = [column_units(str(get(c.key) or ""), ambiguous_wide=True) / max(c.width - 1, 1)
                   for c in self.columns if c.wrap]
        if wrapped and max(wrapped) > 1:  # XlsxWriter cannot measure it, and LibreOffice keeps the height written
            sheet.set_row(row, 15 * math.ceil(max(wrapped)))


def _top(sheet, styles: _Styles, layout: SheetLayout, data: SheetData, heading: Heading) -> None:
    """The title line, the notes under it (each across the sheet's width) and the inputs with their hints."""
    title = data.title or f"{heading.title} — {heading.owner_label} — {heading.period}"
    sheet.write_string(layout.title_row - 1, 0, title, styles.title)
    for offset, note in enumerate(data.notes if layout.note_row else ()):
        text, fill = (note.value, note.fill) if isinstance(note, Tinted) else (note, "")
        look = styles.variant("note", bg_color=fill, bold=True) if fill else styles.variant("note")
        row = layout.note_row - 1 + offset
        sheet.merge_range(row, 0, row, len(layout.columns) - 1, "", look)
        sheet.write_string(row, 0, str(text), look)  # user text (a reason typed by a manager) stays text
    for field_ in layout.inputs:
        _input(sheet, styles, layout, field_, data.inputs.get(field_.key))


def _input(sheet, styles: _Styles, layout: SheetLayout, field_: Input, value) -> None:
    """The label in column A, the value (editable, with its validation, or locked) in B, the hint beside it."""
    row = field_.row - 1
    sheet.write_string(row, 0, field_.label, styles.variant("header"))
    kind = ("editable" if field_.editable else "locked") + ("_number" if field_.numeric else "")
    extra = {"align": "center"} if field_.lines == 1 and not layout.value_width else {}
    if field_.number_format:
        extra["num_format"] = field_.number_format
    if field_.lines > 1:
        extra.update(text_wrap=True, valign="top")
        sheet.set_row(row, 15 * field_.lines)
    _write(sheet, row, 1, value, styles.variant(kind, **extra))
    rule = None
    if field_.editable and field_.rule:
        rule = _formula_rule(layout, field_.rule, field_.row, field_.label)
    elif field_.editable and field_.choices:
        rule = {"validate": "list", "source": list(field_.choices),
                "error_message": f"请从下拉列表选择：{'、'.join(field_.choices)}"}
    elif field_.editable and field_.max_length:
        rule = {"validate": "length", "criteria": "<=", "value": field_.max_length,
                "error_message": f"“{field_.label}”不能超过 {field_.max_length} 个字"}
    if rule:
        rule.update({"error_type": "stop", "error_title": "输入有误"})
        if field_.hint:
            rule.update({"input_title": field_.label[:32], "input_message": field_.hint[:255]})
        sheet.data_validation(row, 1, row, 1, rule)
    if field_.hint:
        sheet.write_string(row, 2, field_.hint, styles.variant("note", text_wrap=True, valign="top"))


def _headers(sheet, styles: _Styles, layout: SheetLayout) -> None:
    """Column widths, the group captions (one merged cell per run of equal groups) and the header row."""
    header_row = layout.header_row - 1
    for col, column in enumerate(layout.columns):
        sheet.set_column(col, col, column.width, None, {"hidden": True} if column.hidden else None)
        look = styles.variant("header") if column.upright else styles.header
        sheet.write_string(header_row, col, column.header, look)
    if layout.header_height:
        sheet.set_row(header_row, layout.header_height)
    if layout.group_row is None:
        return
    if layout.group_height:
        sheet.set_row(layout.group_row - 1, layout.group_height)
    row, col, look = layout.group_row - 1, 0, styles.variant("header")
    for group, run in groupby(layout.columns, key=lambda column: column.group):
        columns = list(run)
        width = len(columns)
        if group and width > 1:
            sheet.merge_range(row, col, row, col + width - 1, "", look)
        if group:
            sheet.write_string(row, col, _caption(group, sum(c.width for c in columns)), look)
        col += width


def _caption(group: str, width: float) -> str:
    """A group caption too wide for its columns, broken at its spaces (a SKU's code and name) or else between its
    two-character words (订货/服务, 规范/经营) rather than wherever the spreadsheet wraps it (订货服/务); an odd-length
    one without a space is left whole, as it is one word."""
    if column_units(group) > width - 1 and " " in group.strip():
        return "\n".join(group.split())
    if column_units(group) <= width - 1 or len(group) % 2 or len(group) < 4:
        return group
    half = len(group) // 2 if len(group) // 2 % 2 == 0 else len(group) // 2 + 1
    return f"{group[:half]}\n{group[half:]}"


def _checks(sheet, styles: _Styles, layout: SheetLayout, first: int, last: int) -> None:
    """Validations of the editable columns and the alerts, over the record rows first..last (0-based)."""
    for col, column in enumerate(layout.columns):
        if column.editable:
            _validate(sheet, layout, col, column, first, last)
        if column.alert:
            sheet.conditional_format(first, col, last, col, {"type": "formula", "format": styles.alert,
                                                             "criteria": layout.render(column.alert, first + 1)})


def _column_values(layout: SheetLayout, column: Column, rows: list[dict]) -> list:
    """A column's values down the records, a per-row formula's worked out where the record does not give it."""
    worked_out = row_value(layout, column.formula) if column.formula else None
    return [record.get(column.key) if record.get(column.key) is not None or worked_out is None else worked_out(record)
            for record in rows]


def _totals(sheet, styles: _Styles, layout: SheetLayout, data: SheetData, first: int, last: int) -> None:
    """The totals rows under the records: a label, then each declared formula over its column's records."""
    look = styles.variant("computed", bold=True, bg_color=HEADER_FILL)
    for offset, total in enumerate(layout.totals):
        row, shown = last + 1 + offset, data.totals[offset] if offset < len(data.totals) else {}
        formulas = dict(total.formulas)
        for col, column in enumerate(layout.columns):
            if column.key in formulas:
                formula = formulas[column.key].replace("{range}", layout.span(column.key, first + 1, last + 1))
                value = shown[column.key] if column.key in shown else \
                    total_value(formulas[column.key], _column_values(layout, column, data.rows))
                sheet.write_formula(row, col, formula, look, value)
            else:
                sheet.write_blank(row, col, None, look)
        sheet.write_string(row, 0, total.label, look)


def _form_sheet(book, styles: _Styles, layout: SheetLayout, data: SheetData, heading: Heading) -> None:
    """A sheet of single fields (no table): a label, a value and a hint per row, under the title and notes."""
    sheet = book.add_worksheet(layout.name)
    sheet.set_column(0, 0, 26)
    sheet.set_column(1, 1, layout.value_width or 40)
    sheet.set_column(2, 2, 34)
    title = data.title or f"{heading.title} — {heading.owner_label} — {heading.period}"
    sheet.write_string(layout.title_row - 1, 0, title, styles.title)
    for offset, note in enumerate(data.notes if layout.note_row else ()):
        text, fill = (note.value, note.fill) if isinstance(note, Tinted) else (note, "")
        look = styles.variant("note", bg_color=fill, bold=True, text_wrap=True) if fill else \
            styles.variant("note", text_wrap=True)
        row = layout.note_row - 1 + offset
        sheet.merge_range(row, 0, row, 2, "", look)
        sheet.write_string(row, 0, str(text), look)
        sheet.set_row(row, 30)
    for field_ in layout.inputs:
        _input(sheet, styles, layout, field_, data.inputs.get(field_.key))
    sheet.protect("", {"format_columns": True, "format_rows": True})
    _print_setup(sheet, layout, heading, layout.title_row - 1)


#: A row showing thumbnails is this many points tall; each picture is scaled to it (at most PICTURES_SHOWN a row).
PICTURE_ROW_HEIGHT = 48
PICTURES_SHOWN = 3


def _insert_pictures(sheet, layout: SheetLayout, row: int, pictures: RowPictures) -> None:
    """A record's thumbnails in its cell, scaled to a row made PICTURE_ROW_HEIGHT tall, left to right, moving and
    sizing with their cells (a sorted or filtered sheet keeps them on their row)."""
    from PIL import Image

    sheet.set_row(row, PICTURE_ROW_HEIGHT)
    col, x = layout.index(pictures.key), 2
    tall = PICTURE_ROW_HEIGHT * 4 / 3 - 4  # pixels
    for n, image in enumerate(pictures.images[:PICTURES_SHOWN]):
        with Image.open(io.BytesIO(image)) as picture:
            width, height = picture.size
        scale = tall / height
        sheet.insert_image(row, col, f"photo-{row}-{n}.jpg", {
            "image_data": io.BytesIO(image), "x_scale": scale, "y_scale": scale, "x_offset": x, "y_offset": 2,
            "object_position": 1})
        x += int(width * scale) + 2


def _data_sheet(book, styles: _Styles, layout: SheetLayout, data: SheetData, heading: Heading) -> None:
    if not layout.columns:
        _form_sheet(book, styles, layout, data, heading)
        return
    sheet = book.add_worksheet(layout.name, worksheet_class=_Sheet if fast_formulas() else None)
    header_row, first = layout.header_row - 1, layout.first_data_row - 1
    _top(sheet, styles, layout, data, heading)
    _headers(sheet, styles, layout)
    records = _Records(sheet, layout, styles)
    for offset, record in enumerate(data.rows):
        records.write(first + offset, record)
    last = first + max(len(data.rows), 1) - 1
    for pictures in data.pictures:
        _insert_pictures(sheet, layout, first + pictures.record, pictures)
    _checks(sheet, styles, layout, first, last)
    _totals(sheet, styles, layout, data, first, last)
    if data.charts:
        from workbooks.charts import insert_charts

        insert_charts(book, sheet, layout.name, data.charts, last + len(layout.totals) + 2,
                      int(min(max(sum(c.width for c in layout.columns) * 7, 480), 900)))
    sheet.freeze_panes(first, layout.frozen_columns)
    sheet.autofilter(header_row, 0, last, len(layout.columns) - 1)
    sheet.protect("", {"autofilter": True, "format_columns": True, "format_rows": True})
    top = layout.group_row - 1 if layout.group_row else header_row
    _print_setup(sheet, layout, heading, header_row, repeat_from=top, title=data.title)


def _print_setup(sheet, layout: SheetLayout, heading: Heading, header_row: int, repeat_from: int | None = None,
                 title: str = "") -> None:
    """A4, one page wide, header rows repeated, the page header and footer. A sheet with a title of its own (one
    CM's table in a market manager's workbook) prints that title on every page, so each page says whose it is."""
    sheet.set_paper(9)  # A4
    if layout.landscape:
        sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(header_row if repeat_from is None else repeat_from, header_row)
    sheet.set_margins(left=0.8, right=0.4, top=0.8, bottom=0.7)  # the wide left margin is the binder's
    sheet.set_header(
        f"&L{_escape_header(heading.company)}&C&\"-,Bold\"{_escape_header(title or heading.title)}"
        f"&R{_escape_header(heading.owner_label)}  {heading.period}"
    )
    sheet.set_footer(f"&L打印日期：{heading.printed_on:%Y-%m-%d}&C第 &P 页 / 共 &N 页")


def _lookup_sheet(book, layout: BookLayout) -> None:
    """The very-hidden sheet of lookup tables, each under its defined name (validations need names, not sheets)."""
    sheet = book.add_worksheet(layout.lookup_sheet)
    row = 0
    for table in layout.lookups:
        sheet.write_string(row, 0, table.title)
        for col, text in enumerate(table.header):
            sheet.write_string(row + 1, col, text)
        first = row + 2
        for offset, values in enumerate(table.rows):
            for col, value in enumerate(values):
                _write(sheet, first + offset, col, value, None)
        last = first + max(len(table.rows), 1) - 1
        cells = xl_range_abs(first, 0, last, len(table.header) - 1)
        book.define_name(table.name, f"={quote_sheetname(layout.lookup_sheet)}!{cells}")
        row = last + 2
    sheet.protect()
    sheet.very_hidden()


def _meta_sheet(book, meta: Meta) -> None:
    sheet = book.add_worksheet(META_SHEET)
    for row, (key, value) in enumerate(meta.pairs()):
        sheet.write_string(row, 0, key)
        sheet.write_string(row, 1, value)
    sheet.protect()
    sheet.very_hidden()


def build_workbook(target: Path | BinaryIO, layout: BookLayout, meta: Meta, heading: Heading,
                   rows: dict[str, list[dict] | SheetData]) -> None:
    """Write the workbook of layout with the given rows (or SheetData) per sheet to a path or a binary stream."""
    book = xlsxwriter.Workbook(target if not isinstance(target, Path) else str(target),
                               {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    styles: dict[tuple[int, int], _Styles] = {}
    for sheet_layout in layout.sheets:
        look = (sheet_layout.font_size, sheet_layout.header_rotation)
        if look not in styles:
            styles[look] = _Styles(book, *look)
        data = rows.get(sheet_layout.name, [])
        _data_sheet(book, styles[look], sheet_layout, data if isinstance(data, SheetData) else SheetData(data), heading)
    if layout.lookups:
        _lookup_sheet(book, layout)
    made = [s.name for s in layout.sheets] + ([layout.lookup_sheet] if layout.lookups else [])
    _meta_sheet(book, replace(meta, sheets="|".join(made)))
    book.set_properties({"title": heading.title, "author": heading.owner_label, "company": heading.company})
    book.close()
