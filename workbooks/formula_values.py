"""The values our own formulas come to, worked out from the records the builder writes, for a formula whose value
its caller did not give: a file viewer that does not recalculate (a preview, a phone, pandas) shows the cached
value, so every formula is written with one.

Only the shapes our layouts declare are worked out: COUNTIF of a mark across a row's columns ({a}:{b}), and
COUNTIF or SUM down a column ({range}) for the totals rows. Any other formula must come with its value.
"""
from __future__ import annotations

import re
from typing import Callable

from workbooks.layout import SheetLayout

_ROW_COUNT = re.compile(r'=COUNTIF\(\{([^{}]+)\}:\{([^{}]+)\},"([^"]*)"\)')
_COLUMN = re.compile(r'=(COUNTIF|SUM)\(\{range\}(?:,"([^"]*)")?\)')


def _plain(value):
    return getattr(value, "value", value)  # a Tinted value shows its value


def row_value(layout: SheetLayout, template: str) -> Callable[[dict], object] | None:
    """For a per-row formula template, a function from a record to the formula's value (None: not ours to work out)."""
    match = _ROW_COUNT.fullmatch(template)
    if match is None:
        return None
    first, last, mark = layout.index(match.group(1)), layout.index(match.group(2)), match.group(3)
    keys = [column.key for column in layout.columns[first:last + 1]]
    return lambda record: sum(_plain(record.get(key)) == mark for key in keys)


def total_value(template: str, column_values: list) -> object:
    """A totals-row formula's value over a column's values ("" when the formula is not one we work out)."""
    match = _COLUMN.fullmatch(template)
    if match is None:
        return ""
    values = [_plain(value) for value in column_values]
    if match.group(1) == "COUNTIF":
        return sum(value == match.group(2) for value in values)
    return sum(value for value in values if isinstance(value, (int, float)) and not isinstance(value, bool))
