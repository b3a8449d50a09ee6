"""A workbook declared once: sheets of typed columns; addresses come only from here."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

#: A cell reference in a declared formula: {column key}.
PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


def column_letter(index: int) -> str:
    """0-based column index to Excel letters (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass(frozen=True)
class Rule:
    """A native validation given by formulas, where {key} stands for that column's cell on the same row.

    kind "integer"/"decimal": between minimum and maximum; kind "custom": formula must be TRUE; kind "list": one of
    the cells formula names (e.g. =brands, a defined name of the book's lookup sheet, or ={a}:{b}, cells of the same
    row); kind "date": a date.
    """

    kind: str
    minimum: str = ""
    maximum: str = ""
    formula: str = ""
    message: str = ""


@dataclass(frozen=True)
class Column:
    """One column: the field it carries, its Chinese header, and what a user may type into it.

    formula: a computed, locked column of ours ({key} = that column's cell on the row); rule: a
    formula-based validation; alert: a formula that, when TRUE, tints the cell as wrong; group: a
    caption shared by neighbouring columns, shown above their headers on the sheet's group row;
    number_format: how its numbers read (an Excel format, e.g. 0.0%); center: centred in its cell;
    upright: its header stays horizontal on a sheet whose headers are rotated; hidden: a helper column of ours
    that formulas and validations read (it neither shows nor prints); wrap: a long text wraps within the column's
    width, its row as tall as it needs.
    """

    key: str
    header: str
    width: float = 12
    editable: bool = False
    choices: tuple[str, ...] = ()
    max_length: int | None = None
    hint: str = ""
    numeric: bool = False
    formula: str = ""
    rule: Rule | None = None
    alert: str = ""
    group: str = ""
    number_format: str = ""
    center: bool = False
    upright: bool = False
    hidden: bool = False
    wrap: bool = False


@dataclass(frozen=True)
class Input:
    """A single input above the table (e.g. 本次操作), or a field of a form sheet: its label in column A of row,
    the value beside it (in a locked cell when not editable), its hint in column C. rule, max_length and choices
    are its native validation; lines: how many lines of text its cell shows."""

    key: str
    label: str
    row: int
    choices: tuple[str, ...] = ()
    hint: str = ""
    editable: bool = True
    numeric: bool = False
    rule: Rule | None = None
    max_length: int | None = None
    number_format: str = ""
    lines: int = 1

    @property
    def cell(self) -> str:
        """The A1 address of the value cell."""
        return f"B{self.row}"


@dataclass(frozen=True)
class Total:
    """A row under the records: a label in the first column, and per column key a formula template where
    {range} stands for that column's record cells (e.g. COUNTIF({range},"☆"))."""

    label: str
    formulas: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class SheetLayout:
    """A data sheet: title row, header row, then one row per record."""

    name: str
    columns: tuple[Column, ...]
    title_row: int = 1
    header_row: int = 2
    frozen_columns: int = 2
    landscape: bool = True
    font_size: int = 10
    header_rotation: int = 0  # 90: headers read bottom-up, so that a wide sheet of narrow columns fits a page
    header_height: float | None = None
    note_row: int | None = None  # first of the rows of free text (state, instructions) under the title
    group_row: int | None = None  # the row of column-group captions, right above the header row
    group_height: float | None = None
    inputs: tuple[Input, ...] = ()
    totals: tuple[Total, ...] = ()
    value_width: float = 0  # a form sheet (no columns, only inputs): the width of its value column B
    @property
    def first_data_row(self) -> int:
        """The first row (1-based) that holds a record."""
        return self.header_row + 1

    def index(self, key: str) -> int:
        """0-based position of the column carrying key."""
        for i, column in enumerate(self.columns):
            if column.key == key:
                return i
        raise KeyError(key)

    def cell(self, key: str, row: int) -> str:
        """The A1 address of key's cell on a 1-based row."""
        return f"{column_letter(self.index(key))}{row}"

    def span(self, key: str, first: int, last: int) -> str:
        """The A1 range of key's cells from row first to row last (1-based)."""
        return f"{self.cell(key, first)}:{self.cell(key, last)}"

    def render(self, template: str, row: int) -> str:
        """A formula template with each {key} replaced by that column's cell on a 1-based row."""
        return PLACEHOLDER.sub(lambda match: self.cell(match.group(1), row), template)



@dataclass(frozen=True)
class LookupTable:
    """A block of rows on the book's very-hidden lookup sheet, under a defined name that formulas use."""

    name: str
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]


@dataclass(frozen=True)
class BookLayout:
    """A function's workbook: module code, Chinese title, template version, its sheets (and lookup tables)."""

    module: str
    title: str
    template_version: int
    sheets: tuple[SheetLayout, ...] = field(default_factory=tuple)
    lookups: tuple[LookupTable, ...] = ()
    lookup_sheet: str = "_lookups"

    def sheet(self, name: str) -> SheetLayout:
        """The declared sheet called name."""
        for sheet in self.sheets:
            if sheet.name == name:
                return sheet
        raise KeyError(name)
