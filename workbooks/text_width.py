"""How wide a text is in a spreadsheet's column units: the one estimate every workbook and print page sizes columns by."""
from __future__ import annotations

import unicodedata


def column_units(text: str, *, wide: float = 1.75, narrow: float = 0.95, ambiguous_wide: bool = False) -> float:
    """Column units text takes on one line: an East Asian wide or full-width character counts wide, any other narrow
    (the defaults fit a 9-10 pt font; a bigger font passes its own). A Chinese print font draws the ambiguous ones
    (·, ☆, ①) wide too: ambiguous_wide says so."""
    widths = "WFA" if ambiguous_wide else "WF"
    return sum(wide if unicodedata.east_asian_width(ch) in widths else narrow for ch in text)
