"""Checking a file a column at a time: each distinct text is parsed once, findings are built for bad rows only."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Callable

import numpy as np
import pandas as pd

from engine.errors import Finding, Refused
from engine.stores import normalize_text

from storage.importers.reading import Table

#: Findings listed in one refusal; the rest are counted.
LIMIT = 200
_CENT = Decimal("0.01")
_MONEY_MAX = Decimal("9999999999.99")
_INT_MAX = 2**31 - 1
#: Full-width digits and letters (and the ideographic space) to their ASCII forms; Chinese punctuation
#: such as （） stays, because names and addresses are written with it.
_WIDTH = {**{0xFF10 + i: 0x30 + i for i in range(10)}, **{0xFF21 + i: 0x41 + i for i in range(26)},
          **{0xFF41 + i: 0x61 + i for i in range(26)}, 0x3000: 0x20}


def fold_width(value: object) -> str:
    """A cell's text trimmed, with full-width digits and letters made plain (ＣＺ１ → CZ1)."""
    if value is None:
        return ""
    text = str(value)
    return (text if text.isascii() else text.translate(_WIDTH)).strip()


def objects(values: list) -> np.ndarray:
    """A 1-d object array of the values (which must not themselves be tuples or lists)."""
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


@dataclass(frozen=True)
class Parsed:
    """A column parsed value by value: `codes` gives each row's position among the distinct values (int32: widen
    before doing arithmetic on them)."""

    codes: np.ndarray
    values: np.ndarray
    errors: np.ndarray

    @cached_property
    def bad(self) -> np.ndarray:
        """Per row: True where the text could not be read."""
        return np.array([e is not None for e in self.errors], dtype=bool)[self.codes]

    def rows(self) -> np.ndarray:
        """Per row: the parsed value (object array)."""
        return self.values[self.codes]

    def rows_of(self, derive: Callable[[object], object]) -> np.ndarray:
        """Per row: derive(parsed value), computed once per distinct value (None stays None)."""
        return objects([None if v is None else derive(v) for v in self.values])[self.codes]


def parse_column(texts: pd.Series, parse: Callable[[str], object], *, key: bool = False) -> Parsed:
    """Parse each distinct text once (width-folded and trimmed first); a ValueError's text becomes the finding.

    With key=True, texts that read as the same value (" A1" and "Ａ1") share one code, as a natural key must.
    """
    # a categorical column (reading.read_table's compact) is factorized on its codes: no string per row
    codes, uniques = pd.factorize(texts if isinstance(texts.dtype, pd.CategoricalDtype) else texts.to_numpy(dtype=object))
    uniques = np.asarray(uniques, dtype=object)
    values: list[object] = []
    errors: list[str | None] = []
    for raw in uniques:
        try:
            values.append(parse(fold_width(raw)))
            errors.append(None)
        except ValueError as exc:
            values.append(None)
            errors.append(str(exc))
    codes = np.asarray(codes, dtype=np.int32)  # per row 4 bytes, not 8: a city month has 9 columns of 4M rows
    if key:
        return _merged(codes, values, errors)
    return Parsed(codes, objects(values), objects(errors))


def _merged(codes: np.ndarray, values: list, errors: list) -> Parsed:
    first: dict[object, int] = {}
    remap = np.empty(len(values), dtype=np.int32)
    kept: list[int] = []
    for i, (value, error) in enumerate(zip(values, errors)):
        slot = first.setdefault(value if error is None else object(), len(first))
        remap[i] = slot
        if slot == len(kept):
            kept.append(i)
    return Parsed(remap[codes], objects([values[i] for i in kept]), objects([errors[i] for i in kept]))


def first_rows(codes: np.ndarray) -> np.ndarray:
    """For each code, the position of the first row that has it."""
    firsts = pd.Series(codes).drop_duplicates()
    first = np.zeros(int(codes.max()) + 1 if len(codes) else 0, dtype=np.int64)
    first[firsts.to_numpy()] = firsts.index.to_numpy()
    return first


class Problems:
    """The findings of one file, gathered column by column and listed by row, the first LIMIT of them."""

    def __init__(self, table: Table, headers: dict[str, str]):
        self.table = table
        self.headers = headers
        self.count = 0
        self._listed: list[tuple[int, int, Finding]] = []

    def flag(self, field: str, mask: np.ndarray, code: str, message: str | np.ndarray | Callable[[int], str]) -> None:
        """Record a finding for every row where mask is True; message: one text, one per row, or f(position)."""
        positions = np.flatnonzero(mask)
        if not len(positions):
            return
        self.count += len(positions)
        header = self.headers.get(field)
        order = self.table.headers.index(header) if header in self.table.headers else -1
        texts = self.table.frame[header].to_numpy(dtype=object) if header else None
        for position, row in zip(positions[:LIMIT], self.table.excel_rows(positions[:LIMIT])):
            said = message if isinstance(message, str) else (
                message(position) if callable(message) else message[position])
            value = str(texts[position]).strip() if texts is not None else None
            self._listed.append((row, order, Finding(code, said, row=row, column=header, value=value)))

    def value_at(self, field: str, position: int) -> str:
        """The text of a field's cell at a row position, as a message may quote it."""
        return fold_width(self.table.frame[self.headers[field]].iat[position])

    def row_at(self, position: int) -> int:
        """The Excel row number of a row position."""
        return int(self.table.frame.index[position]) + 2

    def check(self, field: str, parsed: Parsed, code: str) -> None:
        """Record the rows whose text in this column could not be read."""
        self.flag(field, parsed.bad, code, lambda p: parsed.errors[parsed.codes[p]])

    def check_repeated(self, field: str, key: Parsed, label: str, blank_allowed: bool = False) -> None:
        """A natural key appears once per file: flag its later rows, naming the first."""
        repeated = pd.Series(key.codes).duplicated().to_numpy() & ~key.bad
        if blank_allowed:
            repeated &= key.rows() != None  # noqa: E711 — elementwise over an object array
        if not repeated.any():
            return
        first = first_rows(key.codes)[key.codes]
        self.flag(field, repeated, "repeated_key",
                  lambda p: f"{label}重复：第 {self.row_at(first[p])} 行已有这个{label}，每个{label}只能出现一次")

    def check_agree(self, key_field: str, key: Parsed, field: str, column: Parsed, what: str) -> None:
        """Rows sharing a key (the lines of one order, the rows of one unit) agree on this field (parsed with key=True)."""
        first = first_rows(key.codes)[key.codes]
        differs = (column.codes != column.codes[first]) & ~key.bad
        label = self.headers[field]

        def message(position: int) -> str:
            head = int(first[position])
            return (f"同一{what}（{self.value_at(key_field, position)}）的各行“{label}”应相同，"
                    f"第 {self.row_at(head)} 行是 {self.value_at(field, head) or '（空）'}")
        self.flag(field, differs, f"{field}_differs", message)

    def flag_at(self, field: str, messages: dict[int, str], code: str) -> None:
        """Record findings at given row positions (for checks that loop over a few units, not rows)."""
        mask = np.zeros(len(self.table.frame), dtype=bool)
        mask[list(messages)] = True
        self.flag(field, mask, code, lambda p: messages[p])

    def raise_if_any(self, what: str) -> None:
        """Refuse the whole file when anything was found: every finding (up to LIMIT) by row."""
        if not self.count:
            return
        listed = [f for _, _, f in sorted(self._listed, key=lambda item: (item[0], item[1]))][:LIMIT]
        if self.count > len(listed):
            listed.append(Finding("more_findings", f"另有 {self.count - len(listed)} 处错误未列出。"
                                                   "请先改正以上各处，再导入一次查看其余错误。"))
        raise Refused(f"{what}文件 {self.table.filename} 有 {self.count} 处错误，没有导入任何数据。"
                      "请改正后重新导入整个文件。", listed)


def text(max_length: int, required: bool = False) -> Callable[[str], str]:
    """A free text of at most max_length characters; blank allowed unless required."""
    def parse(value: str) -> str:
        if required and not value:
            raise ValueError("不能为空")
        if len(value) > max_length:
            raise ValueError(f"不能超过 {max_length} 个字（现有 {len(value)} 个）")
        return value
    return parse


def whole_number(value: str) -> int | None:
    """A quantity in 条: an integer from 0; blank is None."""
    value = normalize_text(value)
    if not value:
        return None
    try:
        number = Decimal(value.replace(",", ""))
    except InvalidOperation:
        raise ValueError("应为整数（条），例如 12") from None
    if not number.is_finite():
        raise ValueError("应为整数（条），例如 12")
    if number < 0:
        raise ValueError("不能为负数")
    if number != number.to_integral_value():
        raise ValueError("应为整数（条），不能有小数")
    if number > _INT_MAX:
        raise ValueError("数量过大，请检查")
    return int(number)


def money(value: str) -> Decimal | None:
    """An amount or price in 元 (2 decimals, commas and ¥ tolerated); blank is None."""
    value = normalize_text(value)
    if not value:
        return None
    try:
        number = Decimal(value.replace(",", "").lstrip("¥￥").removesuffix("元"))
    except InvalidOperation:
        raise ValueError("应为金额数字（元），例如 123.50") from None
    if not number.is_finite() or number < 0 or number > _MONEY_MAX:
        raise ValueError("应为 0 到 9999999999.99 之间的金额（元）")
    return number.quantize(_CENT, rounding=ROUND_HALF_UP)


def order_date(value: str) -> date:
    """yyyyMMdd, yyyy-mm-dd, yyyy/m/d or yyyy年m月d日 (a time of day after it is ignored)."""
    day = normalize_text(value).replace("年", "-").replace("月", "-").replace("日", "").split(" ")[0].split("T")[0]
    try:
        if len(day) == 8 and day.isdigit():
            return date(int(day[:4]), int(day[4:6]), int(day[6:]))
        year, month, dom = day.replace("/", "-").replace(".", "-").split("-")
        return date(int(year), int(month), int(dom))
    except ValueError:
        raise ValueError("日期应写成 20240506 或 2024-05-06，且是真实存在的日期") from None
