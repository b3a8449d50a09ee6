"""The visit plan (客户拜访计划) of a month, materialised into `visit_plans` in bulk.

Each active store with a CM is due on the days engine.visits.visit_dates gives for its visit cycle and
weekday. Suspended and closed stores get no visits planned. Re-planning a month replaces that month's rows.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from engine.actors import Actor, Role
from engine.errors import Refused
from engine.visits import month_days, visit_dates, visit_phase
from storage.repositories import SqlAuditLog
from storage.schema import StoreRow, VisitPlanRow

_BATCH = 20_000


@dataclass(frozen=True)
class VisitPlanReport:
    """What planning a month did."""

    month: str
    stores: int
    visits: int
    replaced: int
    seconds: float

    def lines(self) -> list[str]:
        """The summary in Chinese."""
        again = f"（替换了原有的 {self.replaced} 条）" if self.replaced else ""
        return [f"{self.month} 拜访计划：{self.stores} 户有效客户，共安排 {self.visits} 次拜访{again}，"
                f"用时 {self.seconds:.1f} 秒。"]


def planned_visits(stores: list[tuple[int, str, int, int]], month: str) -> list[dict]:
    """Rows (store_id, visit_date) for stores given as (id, code, cycle weeks, weekday)."""
    # visit_dates depends on the store only through its phase, so one call per (cycle, weekday, phase) suffices.
    by_pattern: dict[tuple[int, int, int], list] = {}
    rows = []
    for store_id, code, cycle, weekday in stores:
        pattern = (cycle, weekday, visit_phase(code, cycle))
        if pattern not in by_pattern:
            by_pattern[pattern] = visit_dates(code, cycle, weekday, month)
        rows.extend({"store_id": store_id, "visit_date": day} for day in by_pattern[pattern])
    return rows


def plan_visits(session: Session, month: str, actor: Actor) -> VisitPlanReport:
    """Replace the month's visit plan in the caller's transaction, with one audit row; admins only."""
    if actor.role is not Role.ADMIN:
        raise Refused(f"拜访计划由管理员统一生成；{actor.label}无权生成。请用 --as 指定管理员账号。")
    try:
        days = month_days(month)
    except ValueError as exc:
        raise Refused(str(exc)) from None
    month = f"{days[0]:%Y-%m}"
    started = time.perf_counter()
    stores = session.execute(
        select(StoreRow.id, StoreRow.code, StoreRow.visit_cycle, StoreRow.visit_weekday)
        .where(StoreRow.status == "active", StoreRow.cm_id.is_not(None)).order_by(StoreRow.code)
    ).all()
    rows = planned_visits([tuple(s) for s in stores], month)
    in_month = VisitPlanRow.visit_date.between(days[0], days[-1])
    replaced = session.execute(delete(VisitPlanRow).where(in_month)).rowcount or 0
    for start in range(0, len(rows), _BATCH):
        session.execute(insert(VisitPlanRow), rows[start:start + _BATCH])
    report = VisitPlanReport(month, len(stores), len(rows), replaced, round(time.perf_counter() - started, 3))
    SqlAuditLog(session).record(actor=actor.code, action="plan_visits", entity="visit_plans", key=month,
                                new=" ".join(report.lines()))
    session.flush()
    return report
