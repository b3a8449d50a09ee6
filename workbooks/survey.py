"""§8 客户需求调查表 as the CM's entry workbook for a month: a sheet of the offline stores (线下问卷, one row per
store: the visit date, a ✓ drop-down per demand item of the month's questionnaire under its group, the three most
urgent demands, the suggestion, 确认) and a sheet of the answers imported from the ordering platform (网上问卷,
read-only but for 确认). A confirmed row is locked. The three urgent drop-downs offer the items ticked on their row
(hidden helper columns list them, a blank where an item is not ticked); the take-back checks it all again.
"""
from __future__ import annotations

from engine.document_types import SAVE
from engine.questionnaire import Questionnaire
from engine.surveys import (CONFIRMED, DATE, SUGGESTION, SUGGESTION_LIMIT, TICK, URGENT, URGENT_LABELS, Answer,
                            item_key)
from workbooks.builder import SheetData, Tinted
from workbooks.layout import BookLayout, Column, Input, Rule, SheetLayout
from workbooks.text_width import column_units

MODULE = "survey"
TITLE = "客户需求调查表"
OFFLINE_SHEET, ONLINE_SHEET = "线下问卷", "网上问卷"
OPERATION = "operation"
CONFIRM = "确认"
CODE, NAME, STATE = "code", "name", "state"
CONFIRMING = "confirm"
LOCKED_FILL = "#EDEDED"
_STATE_LABELS = {"draft": "待确认", CONFIRMED: "已确认"}


def _pick(code: str) -> str:
    return f"pick_{code}"


def _columns(questionnaire: Questionnaire, month: str, offline: bool) -> tuple[Column, ...]:
    items = questionnaire.of_month(month)
    columns = [Column(CODE, "客户编码", 13, group="客户", upright=True),
               Column(NAME, "客户名称", 20, group="客户", upright=True),
               Column(STATE, "状态", 7, center=True, group="客户", upright=True),
               Column(DATE, "调查日期" if offline else "答卷日期", 11, editable=offline, center=True, upright=True,
                      hint="拜访调查的日期，例如 2026-11-05（本月内）",
                      rule=Rule("date", message="调查日期应为本月内的日期，例如 2026-11-05") if offline else None)]
    columns += [Column(item_key(i.code), i.name, 4.5, editable=offline, choices=(TICK,) if offline else (),
                       hint=f"{i.code} {i.name}：有这项需求选“{TICK}”，没有留空" if offline else "", group=i.group,
                       center=True) for i in items]
    span = f"${{{_pick(items[0].code)}}}:${{{_pick(items[-1].code)}}}" if items else ""
    columns += [Column(key, label, 12, editable=offline, upright=True,
                       hint=f"从本行勾选“{TICK}”的项目中选；三项不能重复" if offline else "",
                       rule=Rule("list", formula=f"={span}", message=f"“{label}”只能从本行勾选“{TICK}”的项目中选")
                       if offline and items else None, group="最急需的三项需求")
                for key, label in zip(URGENT, URGENT_LABELS)]
    columns += [Column(SUGGESTION, "建议意见", 26, editable=offline, max_length=SUGGESTION_LIMIT if offline else None,
                       hint=f"零售户的建议和意见，最多 {SUGGESTION_LIMIT} 个字" if offline else "", upright=True),
                Column(CONFIRMING, "确认", 6, editable=True, choices=(CONFIRM,), center=True, upright=True,
                       hint="核对无误后选“确认”：确认后锁定，不能再修改")]
    if offline:  # what the urgent drop-downs offer on each row: the ticked items' names
        columns += [Column(_pick(i.code), f"可选{i.code}", 4, formula=f'IF({{{item_key(i.code)}}}="{TICK}","{i.name}","")',
                           hidden=True) for i in items]
    return tuple(columns)


def survey_layout(questionnaire: Questionnaire, month: str) -> BookLayout:
    """The entry workbook of a month surveyed with this questionnaire."""
    tallest = max((column_units(i.name) for i in questionnaire.of_month(month)), default=8)
    common = dict(note_row=2, group_row=5, header_row=6, frozen_columns=2, landscape=True, header_rotation=90,
                  header_height=round(tallest * 10 * 0.6 + 8))
    offline = SheetLayout(OFFLINE_SHEET, _columns(questionnaire, month, True),
                          inputs=(Input(OPERATION, "本次操作", 4, (SAVE, CONFIRM),
                                        hint=f"“{SAVE}”保存为待确认；“{CONFIRM}”保存并确认全部已填写的问卷（确认后锁定）"),),
                          **common)
    online = SheetLayout(ONLINE_SHEET, _columns(questionnaire, month, False), **common)
    return BookLayout(module=MODULE, title=TITLE, template_version=1, sheets=(offline, online))


def _row(code: str, name: str, state: str, cells: dict[str, str], questionnaire: Questionnaire, month: str) -> dict:
    row = {CODE: code, NAME: name, STATE: _STATE_LABELS.get(state, "未调查"), **cells}
    for item in questionnaire.of_month(month):
        row[_pick(item.code)] = item.name if cells.get(item_key(item.code)) == TICK else ""
    if state == CONFIRMED:  # locked, on grey
        row = {key: Tinted(value, LOCKED_FILL, locked=True) for key, value in row.items()}
        row[CONFIRMING] = Tinted(CONFIRM, LOCKED_FILL, locked=True)
    return row


def survey_data(questionnaire: Questionnaire, month: str, offline: list[tuple[str, str, Answer | None]],
                online: list[Answer], guide: tuple[str, str]) -> dict[str, SheetData]:
    """What each sheet shows: offline (store code, name, its answer or None) and the imported online answers."""
    blank = {DATE: "", SUGGESTION: ""}
    offline_rows = [_row(code, name, a.state if a else "", a.cells(questionnaire, month) if a else blank,
                         questionnaire, month) for code, name, a in offline]
    online_rows = [_row(a.store_code, a.store_name, a.state, a.cells(questionnaire, month), questionnaire, month)
                   for a in online]
    return {OFFLINE_SHEET: SheetData(offline_rows, notes=guide, inputs={OPERATION: SAVE}),
            ONLINE_SHEET: SheetData(online_rows, notes=("网上订货客户在网上订货平台填写的问卷（已导入）：只能确认，不能修改。",
                                                       guide[1]))}
