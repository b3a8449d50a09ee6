"""A report as data: pages of titled tables whose cells say how their numbers read.

workbooks/report.py writes it as a workbook and the print templates as HTML, so that both show
the same figures; a kind (share, money, ...) becomes an Excel number format there and a text here.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

#: How a number reads: count 1,234 · number 1,234.50 · money 1,234.50 · share 45.0% · points 12.50 · score 7.5;
#: "write" is a column left blank on paper for the user to write in by hand.
KINDS = ("text", "count", "number", "money", "share", "points", "score", "write")
MISSING = "—"


@dataclass(frozen=True)
class Measure:
    """A cell whose number reads differently from its column (e.g. averages of indicators of mixed units)."""

    value: float | None
    kind: str


@dataclass(frozen=True)
class Link:
    """A cell that opens a file: the workbook writes it as a hyperlink (target relative to the workbook's folder),
    paper shows its text."""

    text: str
    target: str


@dataclass(frozen=True)
class Field:
    """A column of a table: its Chinese header, how its numbers read, and its width on paper in column units
    (0: as wide as its content; a table whose fields all have one keeps them, wrapping long text inside)."""

    header: str
    kind: str = "text"
    width: float = 0.0


@dataclass(frozen=True)
class Chart:
    """A picture of one column against the first: "column" (upright bars) or "bar" (lying bars)."""

    kind: str
    value: int
    title: str


@dataclass(frozen=True)
class Table:
    """A titled table; a note explains how its figures were reached."""

    title: str
    fields: tuple[Field, ...]
    rows: tuple[tuple, ...]
    chart: Chart | None = None
    note: str = ""

    def bars(self) -> list[float]:
        """Bar lengths 0-100 of the charted column: shares as percentages, other figures against the largest."""
        if self.chart is None:
            return []
        values = [number(row[self.chart.value]) or 0.0 for row in self.rows]
        if self.fields[self.chart.value].kind == "share":
            return [min(max(v * 100, 0.0), 100.0) for v in values]
        top = max(values, default=0.0)
        return [v / top * 100 if top > 0 else 0.0 for v in values]


@dataclass(frozen=True)
class Page:
    """A sheet of the workbook and a section of the HTML; frozen_columns stay in view when scrolling."""

    name: str
    tables: tuple[Table, ...]
    frozen_columns: int = 0


def kind_of(cell: object, column: Field) -> str:
    """How a cell's number reads: its own kind when it is a Measure, else its column's."""
    return cell.kind if isinstance(cell, Measure) else column.kind


def number(cell: object) -> float | None:
    """The cell's number, or None when it holds text or nothing (NaN counts as nothing)."""
    if isinstance(cell, Link):
        return None
    value = cell.value if isinstance(cell, Measure) else cell
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return None if math.isnan(value) else float(value)


def plain(cell: object) -> object:
    """What a cell holds: a number, a text, or None."""
    if isinstance(cell, Link):
        return cell.text
    value = cell.value if isinstance(cell, Measure) else cell
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def shown(cell: object, kind: str) -> str:
    """The cell as text, read as kind (or a Measure's own kind) says, e.g. 45.0%, 1,234.50; nothing shows as —."""
    kind = cell.kind if isinstance(cell, Measure) else kind
    if kind == "write":  # blank on paper, whatever it holds: the user writes there
        return ""
    value = plain(cell)
    if value is None or value == "":
        return MISSING
    figure = number(cell)
    if figure is None:
        return str(value)
    formats = {"count": "{:,.0f}", "number": "{:,.2f}", "money": "{:,.2f}", "share": "{:.1%}",
               "points": "{:.2f}", "score": "{:.1f}"}
    return formats.get(kind, "{:g}").format(figure)
