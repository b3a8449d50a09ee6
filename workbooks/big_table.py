"""§3 客户经理任务执行标注表 (the big table) workbook: a row per store, a mark column per marketing action.

The columns follow the actions the export showed (kept in its snapshot, so a file reads back even after
the catalogue changes); what is editable follows the table's state (the steps of engine.kinds.bigtable),
and the 本次操作 cell says whether handing the file back only saves or also submits. Counts are native
COUNTIF formulas, per row and, in the totals rows, per column.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from engine.marks import MARK_CHOICES, Mark
from engine.document_types import SAVE, SUBMIT
from engine.kinds.bigtable import EDITABLE, REJECTED, TYPE
from engine.big_table import ACTION_NAMES, KIND, SUBMIT_TRANSITION
from engine.ports import Decision, PlanCell, ScopeStore
from engine.strategies import ACTIONS
from engine.workflows import BIG_TABLE
from workbooks.builder import ALERT_FILL, SheetData, Tinted
from workbooks.layout import BookLayout, Column, Input, SheetLayout, Total
from workbooks.text_width import column_units

MODULE = KIND
SHEET = "任务执行标注表"
TITLE = "客户经理任务执行标注表"
TEMPLATE_VERSION = 1
OPERATION = "operation"
WHY = "why"
CARRIED_FILL = "#F8CBAD"
FONT_SIZE = 9
MARKS = tuple(m for m in Mark if m is not Mark.BLANK)
#: Action codes in catalogue order, each action group's columns side by side (groups in order of first appearance).
_GROUP_ORDER = list(dict.fromkeys(a.group for a in ACTIONS))
DEFAULT_ACTIONS = tuple(a.code for a in sorted(ACTIONS, key=lambda a: _GROUP_ORDER.index(a.group)))
_GROUPS = {a.code: a.group for a in ACTIONS}
COUNT_HEADERS = {Mark.PLANNED: "☆计划", Mark.DONE: "★已完成", Mark.TEMPORARY: "△临时任务",
                  Mark.TEMPORARY_DONE: "▲临时已完成"}
_CONTEXT = (("code", "客户编码", 13), ("name", "客户名称", 22), ("tier", "档位", 4), ("category", "综合分类", 5),
            ("visit", "拜访频次", 7))
#: The guidance each state shows (the declaration's steps).
GUIDE = {state: step.guide for state, step in TYPE.steps.items()}
VIEW_ONLY = "仅供查看：大表由客户经理本人填写和提交。"
#: What a table in the market manager's review workbook shows (plan_sheet's review).
REVIEWED = "审核用：只列有标记的 {marked} 户客户（共 {stores} 户），每户的客户编码、名称、各项标记和提示；档位、综合分类、拜访频次见客户经理的大表。"
LEGEND = "橙色底的标记是上月未完成、自动结转的任务（☆ 仍为计划，△ 仍为临时任务；批注说明来由）；“提示”列列出每行标记的来由。"


def count_field(mark: Mark) -> str:
    """The computed column counting a mark on a store's row."""
    return f"count.{mark.name.lower()}"


def _mark_column(code: str, state: str, editable: bool) -> Column:
    step = TYPE.steps.get(state)
    hint = f"☆ 计划　★ 已完成　△ 临时任务　▲ 临时任务已完成；清空 = 无。{step.hint if step else ''}"
    return Column(code, ACTION_NAMES.get(code, code), 4.5, editable=editable, choices=MARK_CHOICES if editable else (),
                  hint=hint, group=_GROUPS.get(code, "其他"), center=True)


def _count_columns(actions: tuple[str, ...]) -> tuple[Column, ...]:
    span = "{" + actions[0] + "}:{" + actions[-1] + "}"
    return tuple(Column(count_field(m), COUNT_HEADERS[m], 4.5, numeric=True, group="本行合计",
                        formula=f'=COUNTIF({span},"{m.value}")') for m in MARKS)


def _totals(actions: tuple[str, ...], counts: bool = True) -> tuple[Total, ...]:
    return tuple(Total(f"合计 {m.value}", (*((code, f'=COUNTIF({{range}},"{m.value}")') for code in actions),
                                          *(((count_field(m), "=SUM({range})"),) if counts else ())))
                 for m in MARKS)


#: The store columns of a table in the market manager's review workbook: which store (what the decision needs).
_REVIEWED = ("code", "name")


def plan_sheet(actions: tuple[str, ...], state: str = "draft", *, name: str = SHEET, editable: bool = True,
               review: bool = False) -> SheetLayout:
    """The big-table sheet: marks (and 本次操作) editable when editable and the state lets the CM change them. In the
    market manager's review workbook (review): read-only and only what deciding on the plan or results needs — the
    store's code and name, its marks under every action, where they come from, and each column's totals (the row
    counts are the summary's, the CM's planning context — tier, category, visits — the CM's own workbook's)."""
    open_ = editable and state in EDITABLE and not review
    columns = (*(Column(key, header, width, numeric=key == "tier", group="客户", upright=True)
                 for key, header, width in _CONTEXT if not review or key in _REVIEWED),
               *(_mark_column(code, state, open_) for code in actions), *(() if review else _count_columns(actions)),
               Column(WHY, "提示", 30, upright=True))
    move = BIG_TABLE.transition(SUBMIT_TRANSITION[state]).label if open_ else ""
    inputs = (Input(OPERATION, "本次操作", 4, (SAVE, SUBMIT),
                    hint=f"“{SAVE}”只保存修改；“{SUBMIT}”保存并{move}（提交后等待市场经理审核，不能再修改）"),) if open_ else ()
    tallest = max(column_units(c.header) for c in columns if not c.upright)
    return SheetLayout(name, columns, title_row=1, note_row=2, group_row=5, group_height=2.6 * FONT_SIZE * 1.4,
                       header_row=6, frozen_columns=2, font_size=FONT_SIZE, header_rotation=90,
                       header_height=round(tallest * FONT_SIZE * 0.6 + 8), inputs=inputs,
                       totals=_totals(actions, counts=not review))


def plan_layout(actions: tuple[str, ...] = DEFAULT_ACTIONS, state: str = "draft", *, editable: bool = True) -> BookLayout:
    """The CM's big-table workbook for these action columns in this state."""
    return BookLayout(module=MODULE, title=TITLE, template_version=TEMPLATE_VERSION,
                      sheets=(plan_sheet(actions, state, editable=editable),))


#: The layout of the default catalogue in a state that takes edits (registry, LibreOffice test).
LAYOUT = plan_layout()


@dataclass(frozen=True)
class PlanView:
    """One CM's big table as a sheet shows it: whose, which month, where it stands, its stores and cells."""

    cm_label: str
    cm_name: str
    month: str
    state: str
    version: int
    stores: tuple[ScopeStore, ...]
    visits: dict[str, str]
    cells: dict[tuple[str, str], PlanCell]
    rejection: Decision | None = None
    rejected_by: str = ""
    editable: bool = True


def _why(cells: list[PlanCell]) -> str:
    """Where a row's marks come from: how many were carried over (shaded), triggered by strategies, or temporary;
    which the CM added themself (nothing else tells those apart on the sheet)."""
    if not cells:
        return ""
    kinds: dict[str, list[str]] = {"上月结转": [], "策略触发": [], "自行增加": [], "临时任务": []}
    for cell in cells:
        kind = ("上月结转" if cell.carried else "临时任务" if cell.mark in ("△", "▲")
                else "策略触发" if cell.reason else "自行增加")
        kinds[kind].append(ACTION_NAMES.get(cell.action, cell.action))
    return "；".join(f"{kind}：{'、'.join(names)}" if kind == "自行增加" else f"{kind} {len(names)} 项"
                    for kind, names in kinds.items() if names)


#: Each mark's count column (a sheet writes it on every row).
_COUNTED = {m.value: count_field(m) for m in MARKS}


def _row(store: ScopeStore, view: PlanView, cells: list[PlanCell]) -> dict:
    """A store's record: its context, its marks (cells, in column order), their counts and where they come from."""
    row = {"code": store.code, "name": store.name, "tier": store.tier, "category": store.category,
           "visit": view.visits.get(store.code, ""), **dict.fromkeys(_COUNTED.values(), 0)}
    for cell in cells:
        row[cell.action] = Tinted(cell.mark, CARRIED_FILL, cell.reason) if cell.carried else cell.mark
        if cell.mark in _COUNTED:
            row[_COUNTED[cell.mark]] += 1
    row[WHY] = _why(cells)
    return row


def _status(view: PlanView) -> str | Tinted:
    text = f"状态：{BIG_TABLE.states[view.state]}（第 {view.version} 版）"
    if view.rejection is None or view.state not in REJECTED:
        return text
    when = f"{view.rejection.at:%Y-%m-%d %H:%M}"
    return Tinted(f"{text}　驳回理由：{view.rejection.reason}（{view.rejected_by}，{when}）", ALERT_FILL)


def plan_data(view: PlanView, actions: tuple[str, ...], *, title: str = "", review: bool = False) -> SheetData:
    """What the big-table sheet shows for view: rows, state and rejection, guidance, 本次操作, column totals; in the
    market manager's review workbook (review), only the stores with a mark (a store without one has nothing to
    decide on) and the note saying so."""
    order = {code: n for n, code in enumerate(actions)}
    by_store: dict[str, list[PlanCell]] = {store.code: [] for store in view.stores}
    for cell in view.cells.values():
        if cell.action in order and cell.store_code in by_store:
            by_store[cell.store_code].append(cell)
    for cells in by_store.values():
        cells.sort(key=lambda cell: order[cell.action])
    rows = [_row(store, view, by_store[store.code]) for store in view.stores if by_store[store.code] or not review]
    guide = GUIDE[view.state] if view.editable else VIEW_ONLY
    if review:
        guide = f"{REVIEWED.format(marked=len(rows), stores=len(view.stores))}{VIEW_ONLY}"
    counted = Counter((c.mark, c.action) for cells in by_store.values() for c in cells)
    totals = tuple({**{code: counted[m.value, code] for code in actions},
                    count_field(m): sum(counted[m.value, code] for code in actions)} for m in MARKS)
    return SheetData(rows, title=title, notes=(_status(view), f"{guide}{LEGEND}"), inputs={OPERATION: SAVE},
                     totals=totals)
