"""Text a spreadsheet would take for a formula: user text that starts with = + - @ (or a tab or carriage return,
which some programs strip first) is defused with a leading apostrophe before it goes into a CSV file.

Our workbooks write every text as a string cell (XlsxWriter's write_string), which no spreadsheet evaluates;
a CSV has no cell types, so there the text itself is changed (OWASP's advice on CSV injection). Plain
numbers such as -5 or +3.5 stay as they are; restored() undoes defused() when such a file is read back.
"""
from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
APOSTROPHE = "'"
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def formula_like(text: str) -> bool:
    """Whether a spreadsheet would read the text as a formula (a plain signed number is not one)."""
    return text.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(text.strip())


def defused(value: object) -> object:
    """The value, with formula-like text prefixed by an apostrophe (numbers and other values unchanged)."""
    return APOSTROPHE + value if isinstance(value, str) and formula_like(value) else value


def restored(text: str) -> str:
    """The text as it was before defused(): a leading apostrophe before formula-like text is dropped."""
    return text[1:] if text.startswith(APOSTROPHE) and formula_like(text[1:]) else text


def defused_frame(frame):
    """A copy of a pandas DataFrame with every cell defused (its header too)."""
    safe = frame.map(defused)
    safe.columns = [defused(c) for c in frame.columns]
    return safe
