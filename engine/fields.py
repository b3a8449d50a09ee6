"""Typed fields of a declared document: what a cell may hold, how a typed value is read and how it is shown.

Every field reads a cell value with `parse` (a value, or ValueError with a Chinese sentence that says what is
allowed) and turns a value into what a workbook or a print shows with `show`. Values are kept as text
(`store`/`load`) so that one table holds every kind's fields. Nothing here knows a workbook or a database.
"""
from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Callable

from engine.numbers import Percent, read_number
from engine.periods import nearest_year, parse_month, period_months

#: Full-width digits and signs that a Chinese keyboard types, folded in numbers (and said so).
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．－＋，％", "0123456789.-+,%")


@dataclass(frozen=True)
class Field:
    """A single value of a document: its key, its Chinese label, a hint, and whether 提交 needs it filled."""

    key: str
    label: str
    hint: str = ""
    required: bool = False
    width: float = 14

    #: Filled by the program from data (read-only for every user).
    computed = False

    def parse(self, raw: object, *, period: str = "") -> object:
        """The value a user typed or picked; ValueError (Chinese) says what is allowed. period is the document's
        (2026-12, a week's Monday, 2026Q4, 2026-12/CX2612; "" when there is none), for a value read by it: a date
        typed without its year (Day)."""
        return _text(raw)

    def show(self, value: object) -> object:
        """What a cell or a print shows for a value."""
        return "" if value is None else value

    def store(self, value: object) -> str:
        """The value as kept in the database."""
        return "" if value is None else str(value)

    def load(self, text: str) -> object:
        """A kept value back as a value."""
        return text or None

    def allowed(self) -> str:
        """What the field takes, in a few Chinese words (for hints and refusals)."""
        return ""


def _text(raw: object) -> str | None:
    if raw is None:
        return None
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = str(raw).strip()
    return text or None


@dataclass(frozen=True)
class Text(Field):
    """Free text up to max_length characters, stored exactly as typed (only the outer spaces trimmed)."""

    max_length: int = 200
    lines: int = 1  # how many lines its cell shows

    def parse(self, raw: object, *, period: str = "") -> str | None:
        text = _text(raw)
        if text is not None and len(text) > self.max_length:
            raise ValueError(f"“{self.label}”最多 {self.max_length} 个字，现有 {len(text)} 个字，请删减")
        return text

    def allowed(self) -> str:
        return f"不超过 {self.max_length} 个字"


@dataclass(frozen=True)
class Number(Field):
    """A number from low to high in steps of step (step 1: a whole number); a bound may name another field of the
    same line or document (e.g. a score at most its line's weight), checked by the document's take-back."""

    low: float | None = 0
    high: float | None = None
    step: float = 1
    unit: str = ""
    high_field: str = ""
    percent: bool = False  # reads percent points (95 表示 95%): a cell shown as 95% or the text 95% is 95, as typed

    def parse(self, raw: object, *, period: str = "") -> int | float | None:
        points = self.percent or self.unit == "%"
        if points and isinstance(raw, Percent):  # Excel keeps 95% typed as 0.95 shown as a percentage
            raw = raw.points()
        elif isinstance(raw, str) or not isinstance(raw, (int, float)):
            text = _text(raw)
            if text is None:
                return None
            raw = text.translate(_FULL_WIDTH).replace(",", "").removesuffix(self.unit).strip()
            raw = raw.removesuffix("%").strip() if points else raw
        try:  # the one parser of numbers from a file: finite, not absurdly large, never Python's own error
            number = read_number(raw, f"“{self.label}”")
        except ValueError:
            raise ValueError(f"“{self.label}”应为数字（{self.allowed()}）") from None
        if (self.low is not None and number < Decimal(str(self.low))) or \
                (self.high is not None and number > Decimal(str(self.high))):
            raise ValueError(f"“{self.label}”应为 {self.allowed()}")
        steps = number / Decimal(str(self.step))
        if steps != steps.to_integral_value():
            raise ValueError(f"“{self.label}”应为 {self.allowed()}")
        return int(number) if self.step >= 1 and number == number.to_integral_value() else float(number)

    def allowed(self) -> str:
        low = "" if self.low is None else _plain(self.low)
        high = "" if self.high is None else _plain(self.high)
        whole = "整数" if self.step == 1 else f"{_plain(self.step)} 的倍数"
        span = f"{low} 到 {high} 的{whole}" if low and high else (f"不小于 {low} 的{whole}" if low else whole)
        return f"{span}{'（' + self.unit + '）' if self.unit else ''}"

    def store(self, value: object) -> str:
        return "" if value is None else _plain(value)

    def load(self, text: str) -> int | float | None:
        if not text:
            return None
        number = Decimal(text)
        return int(number) if number == number.to_integral_value() and self.step >= 1 else float(number)


def _plain(number: object) -> str:
    """A number without a trailing .0 or exponent: 12, 12.5, 0.25."""
    text = format(Decimal(str(number)).normalize(), "f")
    return text


@dataclass(frozen=True)
class Choice(Field):
    """One of a list: options given here, or the reference data named by source (e.g. the key brands, the CM's
    stores), which the document type supplies when it is exported and taken back."""

    options: tuple[str, ...] = ()
    source: str = ""

    def choices(self, references: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
        """The options this field offers, given the document's reference data."""
        return references.get(self.source, ()) if self.source else self.options

    def check(self, value: object, references: dict[str, tuple[str, ...]]) -> None:
        """ValueError when value is not one of the options."""
        options = self.choices(references)
        if value is not None and value not in options:
            shown = "、".join(options[:12]) + ("……" if len(options) > 12 else "")
            raise ValueError(f"“{self.label}”只能从下拉列表选择（{shown or '暂无可选项'}）")

    def allowed(self) -> str:
        return "从下拉列表选择"


@dataclass(frozen=True)
class Day(Field):
    """A date: a cell formatted as a date, or typed 2026-12-01 / 2026/12/1 / 2026年12月1日, or without its year —
    12月5日 / 12月5号 / 12-5 / 12/5 — in a document, whose period gives the year (nearest_year); full-width digits
    and signs (１２月５日, １２／５) and spaces are read as their plain forms."""

    def parse(self, raw: object, *, period: str = "") -> date | None:
        if isinstance(raw, datetime):
            return raw.date()
        if isinstance(raw, date):
            return raw
        text = _text(raw)
        if text is None:
            return None
        text = "".join(unicodedata.normalize("NFKC", text).split())
        parts = text.replace("年", "-").replace("月", "-").removesuffix("日").removesuffix("号").replace("/", "-")\
            .split("-")
        no_year = len(parts) == 2 and all(part.isascii() and part.isdigit() for part in parts)  # a month and a day
        if no_year and not period:
            raise ValueError(f"“{self.label}”请写上年份，例如 2026-12-05")
        try:
            if no_year:
                return nearest_year(int(parts[0]), int(parts[1]), period)
            return date.fromisoformat("-".join(part.zfill(2) for part in parts))
        except ValueError:
            pass
        raise ValueError(f"“{self.label}”应为日期，例如 {_example(period)}，请改为这一天的日期")

    def show(self, value: object) -> object:
        return value.isoformat() if isinstance(value, date) else ("" if value is None else value)

    def store(self, value: object) -> str:
        return value.isoformat() if isinstance(value, date) else ""

    def load(self, text: str) -> date | None:
        return date.fromisoformat(text) if text else None

    def allowed(self) -> str:
        return "日期，例如 2026-12-01 或 12月1日"


def _example(period: str) -> str:
    """A date to show in a refusal: the 5th of the document's first month both ways (2026-12-05 或 12月5日)."""
    if not period:
        return "2026-12-05"
    year, month = parse_month(period_months(period)[0])
    return f"{year}-{month:02d}-05 或 {month}月5日"


@dataclass(frozen=True)
class Figure(Field):
    """Filled by the program from data when the document is exported (read-only): a number or a short text. Its
    value is the one the figures of the document type give under key; number_format says how a number reads."""

    number_format: str = ""
    computed = True

    def parse(self, raw: object, *, period: str = "") -> object:
        return raw

    def text(self, value: object) -> str | None:
        """A number as its number_format reads (62.5%, 1,234, 81.50), for a print; None: no format of its own."""
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not self.number_format:
            return None
        if self.number_format.endswith("%"):
            digits = len(self.number_format.rstrip("%").partition(".")[2])
            return f"{value:.{digits}%}"
        digits = len(self.number_format.partition(".")[2])
        return f"{value:,.{digits}f}" if "," in self.number_format else f"{value:.{digits}f}"

    def store(self, value: object) -> str:
        if isinstance(value, float) and math.isfinite(value):
            return _plain(round(value, 4))
        return "" if value is None else str(value)

    def load(self, text: str) -> object:
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            return text
        found = int(number) if number == number.to_integral_value() else float(number)
        return found if self.store(found) == text else text  # a figure's text stays as the figures wrote it (76.00)


@dataclass(frozen=True)
class Lookup(Figure):
    """A read-only column of a table whose value follows another column of the same line (source): values maps
    what that column holds to what this one shows — a constant (the unit of an indicator), or, with figure, the
    key of a single Figure of the document whose value is shown (an indicator's actual from the data). A line whose
    source holds nothing in values shows nothing."""

    source: str = ""
    values: tuple[tuple[str, object], ...] = ()
    figure: bool = False

    def follow(self, chosen: object, single: dict[str, object]) -> object:
        """The value shown on a line whose source column holds chosen, given the document's single values."""
        options: dict[object, object] = dict(self.values)
        found = options.get(chosen) if chosen is not None else None
        return single.get(str(found)) if self.figure and found is not None else found  # figure: a field key


@dataclass(frozen=True)
class Across:
    """A table whose sheet has columns made per document from its lines (§14: a column group per SKU of the
    campaign): a sheet row per value of the column row (a store), for each value of the column group (a SKU) a group
    of the columns each — those its lines offer (offers(line) → the keys of each the line asks for; None: all) —, and
    the columns shared once per row, their value the same on every line of the row. Columns named in none of these
    (what a line asks, which its group's columns say) are left off the sheet. The document keeps its lines: the
    take-back, its checks, the review and the print see lines as ever; only the sheet is arranged."""

    row: str
    group: str
    each: tuple[str, ...]
    shared: tuple[str, ...] = ()
    offers: Callable[[dict], tuple[str, ...]] | None = None
    #: the header of a last column showing each row's thumbnails (the kind's Draft.pictures whose caption is the
    #: row's value: a store's photos on its row); "": none
    pictures: str = ""

    def arrange(self, lines: dict[int, dict[str, object]]) -> Arranged:
        """The sheet's rows and column groups of these lines (a document's, as its workbook showed them)."""
        rows: dict[object, dict[object, int]] = {}
        offered: dict[object, set[str]] = {}
        for number in sorted(lines):
            line = lines[number]
            rows.setdefault(line.get(self.row), {})[line.get(self.group)] = number
            offered.setdefault(line.get(self.group), set()).update(self.offers(line) if self.offers else self.each)
        return Arranged(tuple(rows.items()),
                        tuple((group, tuple(k for k in self.each if k in keys)) for group, keys in offered.items()))


@dataclass(frozen=True)
class Arranged:
    """A table's lines as its sheet arranges them (Across): rows — (the row's value, its lines by group value) —
    and groups — (the group's value, the keys of the columns it shows) —, both in line order."""

    rows: tuple[tuple[object, dict[object, int]], ...]
    groups: tuple[tuple[object, tuple[str, ...]], ...]

    def cells(self, row: int) -> list[tuple[str, int, str]]:
        """The grouped cells of the sheet's row (1-based): (field key, its line, the sheet column's key)."""
        lines = self.rows[row - 1][1]
        return [(key, lines[group], grouped_key(key, n)) for n, (group, keys) in enumerate(self.groups, start=1)
                if group in lines for key in keys]

    def lines(self, row: int) -> list[int]:
        """The lines of the sheet's row (1-based), in order."""
        return sorted(self.rows[row - 1][1].values())


def grouped_key(field_key: str, group: int) -> str:
    """The key of a field's column in the group-th column group (1-based) of an arranged sheet."""
    return f"{field_key}~{group}"


@dataclass(frozen=True)
class Lines:
    """A table inside the document: its columns are fields, its lines numbered 1, 2, … (the number is the line's
    identity, so a user may sort the sheet). min_lines must be filled on 提交; max_lines are offered.

    When figures fill some columns (e.g. the weeks of the month), the program gives the lines and the user fills the
    rest on the same lines."""

    key: str
    label: str
    fields: tuple[Field, ...]
    min_lines: int = 0
    max_lines: int = 10
    hint: str = ""
    unique: tuple[str, ...] = ()  # columns whose values together may appear on one line only (a brand once)
    #: a drop-down column whose options the workbook offers filled in, one per option not on a line yet, on the blank
    #: lines (the month's brands: nobody picks them one by one); such a line handed back with nothing else filled is
    #: no line (offered_only)
    offered: str = ""
    across: Across | None = None  # a sheet with columns made per document from the lines (a group per SKU)

    def field(self, key: str) -> Field:
        """The column called key."""
        for f in self.fields:
            if f.key == key:
                return f
        raise KeyError(key)

    @property
    def computed(self) -> bool:
        """Every column comes from data: the user fills nothing in this table."""
        return all(f.computed for f in self.fields)

    def offers(self, kept: dict[int, dict], numbers: Iterable[int], references: dict) -> dict[int, str]:
        """What the workbook fills in on its blank lines (line → option): the offered column's options that no kept
        line has, in their order, on the blank lines among numbers."""
        if not self.offered:
            return {}
        taken = {line.get(self.offered) for line in kept.values()}
        left = (o for o in references.get(getattr(self.field(self.offered), "source", ""), ()) if o not in taken)
        blank = (n for n in numbers if all(v in (None, "") for v in kept.get(n, {}).values()))
        return dict(zip(blank, left))

    def offered_only(self, texts: dict[tuple[str, int], str]) -> list[tuple[str, int]]:
        """The keys of the offered column on lines where nothing else is filled (texts: a file's input values by
        (table.field, line)): lines left as the workbook offered them, which are no lines."""
        if not self.offered:
            return []
        others = [f"{self.key}.{f.key}" for f in self.fields if not f.computed and f.key != self.offered]
        column = f"{self.key}.{self.offered}"
        return [(key, line) for key, line in texts if key == column and texts[(key, line)]
                and not any(texts.get((other, line)) for other in others)]


#: A document's parts in their order: single fields and tables.
Part = Field | Lines


def value_key(field_key: str, line: int = 0) -> str:
    """The key of one value in a snapshot: the field, or table.field#line."""
    return f"{field_key}#{line}" if line else field_key


@dataclass(frozen=True)
class Values:
    """A document's values: single fields by key, and each table's lines by number then field key."""

    single: dict[str, object] = field(default_factory=dict)
    lines: dict[str, dict[int, dict[str, object]]] = field(default_factory=dict)

    def flat(self) -> dict[tuple[str, int], object]:
        """Every value by (field key — table.field for a line —, line number; 0 for a single field)."""
        flat: dict[tuple[str, int], object] = {(k, 0): v for k, v in self.single.items()}
        for table, lines in self.lines.items():
            for number, row in lines.items():
                flat.update({(f"{table}.{k}", number): v for k, v in row.items()})
        return flat
