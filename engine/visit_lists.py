"""§13 日拜访记录表 and §12 周工作安排表: the stores due by the visit plan, each with its actions from the approved big table."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from engine.marks import Mark
from engine.errors import Refused
from engine.kinds.bigtable import APPROVED
from engine.report import Field, Page, Table
from engine.stores import WEEKDAYS
from engine.workflows import BIG_TABLE



@dataclass(frozen=True)
class DueVisit:
    """A store due on a day: what the CM needs on the doorstep."""

    day: date
    code: str
    name: str
    address: str
    phone: str


def require_approved(state: str | None, cm_code: str, month: str) -> None:
    """Refuse a visit list while the month's big table is not approved."""
    if state not in APPROVED:
        now = BIG_TABLE.states.get(state, "未生成") if state else "未生成"
        raise Refused(f"{cm_code} 的 {month} 任务大表当前为“{now}”，审批通过后才能生成拜访记录表。"
                      "请先提交计划，等待市场经理审核。")


def _actions(cells: dict[tuple[str, str], str], code: str, names: dict[str, str], marks: set[Mark]) -> str:
    return "、".join(f"{mark}{names.get(action, action)}" for (store, action), mark in sorted(cells.items())
                    if store == code and Mark(mark) in marks) or "—"


#: Widths on paper: the handwritten column takes about a quarter of a landscape page, room for a sentence or two.
_DAY_FIELDS = (Field("序号", "count", 4), Field("客户编码", width=11.5), Field("客户名称", width=16),
               Field("经营地址", width=14), Field("联系电话", width=10.5), Field("计划动作（☆ 计划 / △ 临时）", width=21),
               Field("已完成（★ / ▲）", width=18), Field("拜访情况（手写）", "write", 29))


def day_table(day: date, visits: list[DueVisit], cells: dict[tuple[str, str], str], names: dict[str, str]) -> Table:
    """The stores due on one day with their open and done actions, numbered in visiting order (by code)."""
    due = sorted((v for v in visits if v.day == day), key=lambda v: v.code)
    rows = tuple((n, v.code, v.name, v.address, v.phone, _actions(cells, v.code, names, {Mark.PLANNED, Mark.TEMPORARY}),
                  _actions(cells, v.code, names, {Mark.DONE, Mark.TEMPORARY_DONE}), "")
                 for n, v in enumerate(due, start=1))
    return Table(f"{day:%Y-%m-%d} {WEEKDAYS[day.isoweekday() - 1]}：{len(rows)} 户", _DAY_FIELDS, rows,
                 note="" if rows else "这一天没有按拜访频次到期的客户。")


def daily_pages(day: date, visits, cells, names) -> tuple[Page, ...]:
    """§13: one page, the day's stores."""
    return (Page("日拜访记录表", (day_table(day, visits, cells, names),), frozen_columns=3),)


def weekly_pages(days: list[date], visits, cells, names) -> tuple[Page, ...]:
    """§12: one page, a table per day of the week."""
    return (Page("周工作安排表", tuple(day_table(day, visits, cells, names) for day in days), frozen_columns=3),)
