"""PostgreSQL's binary COPY format, rendered a block of rows at a time by numpy: no Python object per cell.

The CSV text that COPY reads costs both sides: the client builds a string per cell and per row (GIL-bound Python),
the server parses every digit back. In binary each value travels as the server keeps it (a date as days since
2000-01-01, an integer as 4 or 8 big-endian bytes, a numeric as base-10000 digits), so a block of rows is a few
array operations here and a memcpy per field there (a city month of order lines: the client's part of the COPY
went from seconds to a fraction of one, the server's from ~3.3 s to ~2.7 s, benchmarks/import_orders.py).

Format (PostgreSQL documentation, "COPY … File Formats … Binary Format"): a signature, flags and header extension
(both 0); per row a 16-bit field count, then per field a 32-bit length (-1: NULL) and the value's bytes; a 16-bit -1
at the end. A numeric is sent with a fixed number of digits (leading and trailing zero digits are allowed: the
server strips them), which keeps every numeric field the same width.

encoder() says None when a column's server type or values are not among those rendered here (timestamps, JSON, a
value of the wrong kind): the caller sends that table as CSV, as before.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Callable, Mapping

import numpy as np
import pandas as pd

SIGNATURE = b"PGCOPY\n\xff\r\n\x00" + bytes(8)
TRAILER = b"\xff\xff"
_EPOCH = date(2000, 1, 1).toordinal()
_INTEGERS = {"int2": ">i2", "int4": ">i4", "int8": ">i8"}
_TEXTS = {"varchar", "text", "bpchar"}
#: base-10000 digits before the decimal point: whole values below 10^16 (numeric(14, 2) stops below 10^12)
_WHOLE_DIGITS = 4
_NULL = np.frombuffer(b"\xff\xff\xff\xff", dtype=np.uint8)


@dataclass(frozen=True)
class Field:
    """One column's rows in a slice as bytes: a fixed width (a numpy record per row) or ragged (bytes + lengths)."""

    fixed: np.ndarray | None = None  # structured array: per row its length prefix and value
    data: np.ndarray | None = None  # ragged: every row's length prefix and bytes, one after the other (uint8)
    lengths: np.ndarray | None = None  # ragged: per row, its bytes (prefix included)


Render = Callable[[slice], Field]


def column_types(session: Any, name: str) -> dict[str, str]:
    """The table's columns and their server type names (int4, numeric, varchar, …), asked once per connection."""
    from sqlalchemy import text

    known = session.connection().info.setdefault("cmw_column_types", {})
    if name not in known:
        known[name] = dict(session.execute(text(
            "SELECT a.attname, t.typname FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid "
            "WHERE a.attrelid = to_regclass(:name) AND a.attnum > 0 AND NOT a.attisdropped"), {"name": name}).all())
    return known[name]


def encoder(types: Mapping[str, str], columns: Mapping[str, Any]) -> Callable[[slice], bytes] | None:
    """A function from a slice of rows to their binary COPY rows (no signature), or None when a column cannot be
    rendered here. A decimal column comes as whole units of 10^-places (bulk.Fixed: .units and .places)."""
    renders = []
    for name, values in columns.items():
        render = _render(types.get(name, ""), values)
        if render is None:
            return None
        renders.append(render)
    count = np.array([len(renders)], dtype=">i2")

    def rows(part: slice) -> bytes:
        fields = [render(part) for render in renders]
        if all(f.fixed is not None for f in fields):
            return _fixed_rows(count, fields)
        return _ragged_rows(count, fields)
    return rows


def _render(kind: str, values: Any) -> Render | None:
    if isinstance(values, pd.Categorical):  # a few distinct values over many rows (a line's order date)
        return _coded(kind, values.codes, list(values.categories)) if kind in _TEXTS | {"date"} else None
    units = getattr(values, "units", None)
    if units is not None:
        return _numeric(units, values.places) if kind == "numeric" else None
    array = np.asarray(values)
    if kind in _INTEGERS or kind == "bool":
        if array.dtype.kind not in "iub":
            return None
        return _fixed(array, _INTEGERS.get(kind, "u1"))
    if kind == "numeric" and array.dtype.kind in "iu":
        return _numeric(array.astype(np.int64), 0)
    if array.dtype != object or kind not in _TEXTS | {"date"}:
        return None
    codes, uniques = pd.factorize(array)  # None → -1
    return _coded(kind, codes, uniques)


def _coded(kind: str, codes: np.ndarray, uniques: Any) -> Render | None:
    """A text or date column given as codes into its distinct values (-1: NULL)."""
    if kind == "date":
        if not all(type(u) is date for u in uniques):
            return None
        days = [u.toordinal() - _EPOCH for u in uniques]
        if (codes < 0).any():
            return _ragged(codes, [day.to_bytes(4, "big", signed=True) for day in days])
        return _fixed(np.array(days, dtype=np.int64)[codes] if days else np.zeros(0, np.int64), ">i4")
    if not all(isinstance(u, str) for u in uniques):
        return None
    return _ragged(codes, [u.encode("utf-8") for u in uniques])


def _fixed(array: np.ndarray, dtype: str) -> Render:
    kind = np.dtype([("length", ">i4"), ("value", dtype)])
    width = kind["value"].itemsize

    def render(part: slice) -> Field:
        rows = array[part]
        out = np.empty(len(rows), dtype=kind)
        out["length"] = width
        out["value"] = rows
        return Field(fixed=out)
    return render


def _numeric(units: np.ndarray, places: int) -> Render | None:
    """Whole units of 10^-places as numeric: ndigits, weight, sign, dscale, then base-10000 digits (fixed count)."""
    fraction_digits = -(-places // 4)
    digits = _WHOLE_DIGITS + fraction_digits
    kind = np.dtype([("length", ">i4"), ("ndigits", ">i2"), ("weight", ">i2"), ("sign", ">u2"), ("dscale", ">i2"),
                     ("digits", ">i2", (digits,))])

    def render(part: slice) -> Field:
        rows = units[part]
        magnitude = np.abs(rows)
        whole, fraction = np.divmod(magnitude, 10 ** places)
        fraction = fraction * 10 ** (4 * fraction_digits - places)  # 0.05 at 2 places: the digit 0500
        out = np.empty(len(rows), dtype=kind)
        out["length"] = kind.itemsize - 4
        out["ndigits"], out["weight"], out["dscale"] = digits, _WHOLE_DIGITS - 1, places
        out["sign"] = np.where(rows < 0, 0x4000, 0)
        for n in range(_WHOLE_DIGITS):
            out["digits"][:, n] = whole // 10_000 ** (_WHOLE_DIGITS - 1 - n) % 10_000
        for n in range(fraction_digits):
            out["digits"][:, _WHOLE_DIGITS + n] = fraction // 10_000 ** (fraction_digits - 1 - n) % 10_000
        return Field(fixed=out)
    if len(units) and int(np.abs(units).max()) // 10 ** places >= 10_000 ** _WHOLE_DIGITS:
        return None  # beyond any numeric column of ours: the server's own error, from the CSV path
    return render


def _ragged(codes: np.ndarray, uniques: list[bytes]) -> Render:
    """Rows whose bytes are one of a few distinct values (texts, dates with blanks): code -1 is NULL."""
    encoded = [len(u).to_bytes(4, "big") + u for u in uniques] + [_NULL.tobytes()]
    table = np.frombuffer(b"".join(encoded), dtype=np.uint8)
    sizes = np.array([len(e) for e in encoded], dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    codes = np.where(codes < 0, len(uniques), codes)

    def render(part: slice) -> Field:
        rows = codes[part]
        lengths = sizes[rows]
        return Field(data=table[_spans(starts[rows], lengths)], lengths=lengths)
    return render


def _spans(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The positions starts[i] … starts[i] + lengths[i] - 1 for every i, one after the other."""
    ends = np.cumsum(lengths)
    return np.arange(int(ends[-1]) if len(ends) else 0) - np.repeat(ends - lengths - starts, lengths)


def _fixed_rows(count: np.ndarray, fields: list[Field]) -> bytes:
    arrays = [f.fixed for f in fields if f.fixed is not None]
    kind = np.dtype([("count", ">i2")] + [(f"f{n}", a.dtype) for n, a in enumerate(arrays)])
    out = np.empty(len(arrays[0]), dtype=kind)
    out["count"] = count[0]
    for n, array in enumerate(arrays):
        out[f"f{n}"] = array
    return out.tobytes()


def _ragged_rows(count: np.ndarray, fields: list[Field]) -> bytes:
    """Rows of fields of any widths, assembled by positions: each field's bytes land after the ones before it."""
    pieces: list[tuple[np.ndarray, np.ndarray]] = []
    for field in fields:
        if field.fixed is not None:
            width = field.fixed.dtype.itemsize
            pieces.append((field.fixed.view(np.uint8).reshape(-1), np.full(len(field.fixed), width, np.int64)))
        elif field.data is not None and field.lengths is not None:
            pieces.append((field.data, field.lengths))
    row_lengths = np.full(len(pieces[0][1]), 2, np.int64)
    for _, lengths in pieces:
        row_lengths += lengths
    row_starts = np.cumsum(row_lengths) - row_lengths
    out = np.empty(int(row_lengths.sum()), dtype=np.uint8)
    head = count.view(np.uint8)
    out[row_starts], out[row_starts + 1] = head[0], head[1]
    at = row_starts + 2
    for data, lengths in pieces:
        out[_spans(at, lengths)] = data
        at = at + lengths
    return out.tobytes()
