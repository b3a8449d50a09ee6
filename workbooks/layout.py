"""A workbook declared once: sheets of typed columns; addresses come only from here."""
from __future__ import annotations

from dataclasses import dataclass, field


def column_letter(index: int) -> str:
    """0-based column index to Excel letters (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass(frozen=True)
class Column:
    """One column: the field it carries, its Chinese header, and what a user may type into it."""

    key: str
    header: str
    width: float = 12
    editable: bool = False
    choices: tuple[str, ...] = ()
    max_length: int | None = None
    hint: str = ""
    numeric: bool = False


@dataclass(frozen=True)
class SheetLayout:
    """A data sheet: title row, header row, then one row per record."""

    name: str
    columns: tuple[Column, ...]
    title_row: int = 1
    header_row: int = 2
    frozen_columns: int = 2
    landscape: bool = True

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

    @property
    def last_column(self) -> str:
        """Letter of the last column."""
        return column_letter(len(self.columns) - 1)


@dataclass(frozen=True)
class BookLayout:
    """A function's workbook: module code, Chinese title, template version, its sheets."""

    module: str
    title: str
    template_version: int
    sheets: tuple[SheetLayout, ...] = field(default_factory=tuple)

    def sheet(self, name: str) -> SheetLayout:
        """The declared sheet called name."""
        for sheet in self.sheets:
            if sheet.name == name:
                return sheet
        raise KeyError(name)
