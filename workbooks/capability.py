"""§10 经营能力评分: the CM's capability-scoring workbook, laid out from a capability rubric.

Per indicator three columns: the detail item (a drop-down), the score (native validation that
looks the picked item's range up on a very-hidden rubric sheet through a defined name, so it
works in Excel without the add-in), and a locked formula showing that range.
"""
from __future__ import annotations

from decimal import Decimal

from engine.capability import DEFAULT_CAPABILITY_RUBRIC, NEW_STORE_ANSWERS, CapabilityIndicator, CapabilityRubric
from engine.capability_scoring import MODULE, NEW_STORE, NEW_STORE_STAGE, item_field, score_field
from engine.ports import ScopeStore
from workbooks.big_table import CARRIED_FILL
from workbooks.builder import Tinted
from workbooks.layout import BookLayout, Column, LookupTable, Rule, SheetLayout
from workbooks.text_width import column_units

SHEET = "经营能力评分"
RUBRIC_SHEET = "_评分标准"
TITLE = "经营能力评分表"
FONT_SIZE = 9
#: Columns of each rubric table: VLOOKUP reads low (2), high (3) and the range text (4) by the item in column 1.
RUBRIC_HEADER = ("明细项目", "最低分", "最高分", "分数范围")
LOW, HIGH, RANGE = 2, 3, 4

_CONTEXT = (("code", "客户编码", 13), ("name", "客户名称", 20), ("tier", "档位", 4), ("category", "综合分类", 6),
            ("effect", "经营效果得分", 7))


def range_field(indicator: str) -> str:
    """The (computed) column showing the score range of the item picked for an indicator."""
    return f"{indicator}.range"


def table_name(position: int) -> str:
    """The defined name of the n-th indicator's rubric table (1-based; codes may not be valid Excel names)."""
    return f"CMW_CAPABILITY_{position}"


def _width(*texts: str) -> float:
    """A column width (Excel units) that shows the longest text on one line at FONT_SIZE."""
    return round(max(column_units(text) for text in texts) + 1.5, 1)


def _number(value: Decimal | float | None) -> int | float | None:
    if value is None or value != value:  # NaN from an empty database column
        return None
    number = float(value)
    return int(number) if number.is_integer() else number


def _ref(key: str) -> str:
    """A layout formula placeholder: the cell of column key on the same row."""
    return "{" + key + "}"


def _lookup(item: str, table: str, column: int) -> str:
    return f"VLOOKUP({_ref(item)},{table},{column},FALSE)"


def _valid(indicator: CapabilityIndicator, table: str) -> str:
    """What a score cell must hold: a number, inside the picked item's range, on the rubric's step."""
    item, score = item_field(indicator.code), _ref(score_field(indicator.code))
    low, high = _lookup(item, table, LOW), _lookup(item, table, HIGH)
    return f"AND(ISNUMBER({score}),{score}>={low},{score}<={high},MOD(ROUND({score}/{indicator.step:g},6),1)=0)"


def _indicator_columns(indicator: CapabilityIndicator, table: str) -> tuple[Column, ...]:
    item, score = item_field(indicator.code), score_field(indicator.code)
    valid = _valid(indicator, table)
    levels = "、".join(f"{i.label} {i.range_text}" for i in indicator.items)
    unit = "整数" if indicator.step == 1 else f"{indicator.step:g} 的倍数"
    message = f"“{indicator.label}”请先选择明细项目，再填写该项目分数范围内的{unit}：{levels}。"
    # whole numbers: Excel's own 'whole number between'; other steps need a custom formula to hold the step
    rule = (Rule("integer", minimum="=" + _lookup(item, table, LOW), maximum="=" + _lookup(item, table, HIGH),
                 message=message) if indicator.step == 1 else Rule("custom", formula="=" + valid, message=message))
    label = indicator.label
    return (
        Column(item, f"{label}明细项目", _width(*(i.label for i in indicator.items)),
               editable=True, choices=tuple(i.label for i in indicator.items), hint=f"可选：{levels}"),
        Column(score, f"{label}分数", _width("10.5"), editable=True, numeric=True, rule=rule,
               alert=f'=AND({_ref(score)}<>"",NOT(IFERROR({valid},FALSE)))',
               hint=f"先选明细项目，再填该项目分数范围内的{unit}（见右侧“分数范围”）"),
        Column(range_field(indicator.code), f"{label}分数范围", _width(*(i.range_text for i in indicator.items)),
               formula=f'=IFERROR({_lookup(item, table, RANGE)},"")'),
    )


def _new_store_columns(rubric: CapabilityRubric) -> tuple[Column, ...]:
    answer, stage = _ref(NEW_STORE), _ref(NEW_STORE_STAGE)
    return (
        Column(NEW_STORE, "是否新增客户", _width("是否"), editable=True, choices=NEW_STORE_ANSWERS,
               hint="新增客户选“是”，并在右侧选择新增阶段；否则选“否”"),
        Column(NEW_STORE_STAGE, "新增阶段", _width(*rubric.new_store_stages), editable=True,
               choices=rubric.new_store_stages, hint="仅新增客户选择；不是新增客户请留空",
               alert=f'=OR(AND({answer}="是",{stage}=""),AND({answer}<>"是",{stage}<>""))'),
    )


def _rubric_table(position: int, indicator: CapabilityIndicator) -> LookupTable:
    rows = tuple((i.label, _number(i.low), _number(i.high), i.range_text) for i in indicator.items)
    return LookupTable(table_name(position), indicator.label, RUBRIC_HEADER, rows)


def capability_layout(rubric: CapabilityRubric) -> BookLayout:
    """The workbook for a rubric version: context columns, three per indicator, then the new-store question."""
    columns = [Column(key, header, width, numeric=key in ("tier", "effect")) for key, header, width in _CONTEXT]
    for position, indicator in enumerate(rubric.indicators, start=1):
        columns.extend(_indicator_columns(indicator, table_name(position)))
    columns.extend(_new_store_columns(rubric))
    return BookLayout(
        module=MODULE, title=TITLE, template_version=1,
        sheets=(SheetLayout(SHEET, tuple(columns), frozen_columns=2, font_size=FONT_SIZE, header_rotation=90,
                            header_height=round(max(_width(c.header) for c in columns) * FONT_SIZE * 0.6)),),
        lookups=tuple(_rubric_table(n, i) for n, i in enumerate(rubric.indicators, start=1)),
        lookup_sheet=RUBRIC_SHEET,
    )


#: The layout of the default rubric (the one the LibreOffice test prints); others come from capability_layout.
LAYOUT = capability_layout(DEFAULT_CAPABILITY_RUBRIC)

Saved = dict[int, dict[str, tuple[str, Decimal | None]]]


def _scored(row: dict, rubric: CapabilityRubric, saved: dict[str, tuple[str, Decimal | None]], carried: str = "") -> None:
    """The saved (or, with carried saying from where, carried-over) items and scores of a store's row."""
    shown = (lambda value: Tinted(value, CARRIED_FILL, carried)) if carried else (lambda value: value)  # noqa: E731
    for indicator in rubric.indicators:
        item, score = saved.get(indicator.code, ("", None))
        detail = indicator.item(item)
        if detail is not None:
            row.update({item_field(indicator.code): shown(item), score_field(indicator.code): shown(_number(score)),
                        range_field(indicator.code): detail.range_text})
    if NEW_STORE in saved:
        stage = saved[NEW_STORE][0]
        answer, stage = ("否", None) if stage == "否" else ("是", stage)
        row[NEW_STORE], row[NEW_STORE_STAGE] = shown(answer), (shown(stage) if stage else None)


def capability_rows(rubric: CapabilityRubric, stores: list[ScopeStore], effect: dict[int, float],
                    saved: Saved, carried: Saved | None = None, carried_from: str = "") -> dict[str, list[dict]]:
    """One row per store in scope: its context, and whatever the CM already saved (store id → indicator → item, score);
    a store not scored yet shows what carried holds (last month's, from carried_from) on the carried fill, with a
    note, for the CM to confirm or change."""
    rows = []
    note = f"沿用 {carried_from} 的评分（橙色底），请确认或修改；提交时按本月评分保存。"
    for store in stores:
        row = {"code": store.code, "name": store.name, "tier": store.tier, "category": store.category,
               "effect": _number(effect.get(store.id))}
        if store.id in saved or not carried or store.id not in carried:
            _scored(row, rubric, saved.get(store.id, {}))
        else:
            _scored(row, rubric, carried[store.id], note)
        rows.append(row)
    return {SHEET: rows}
