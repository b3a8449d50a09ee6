"""The visit plan (客户拜访计划) of a month, materialised into `visit_plans` in bulk.

Each active store with a CM is due on the days engine.visits.visit_dates gives for its visit cycle and
weekday. Suspended and closed stores get no visits planned. Re-planning a month replaces that month's rows.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from engine.actors import Actor
from engine.errors import Refused
from engine.periods import month_days
from engine.policy import require
from engine.visits import visit_dates, visit_phase
from storage.importers import bulk
from storage.repositories import SqlAuditLog
from storage.schema import StoreRow, VisitPlanRow


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


def planned_visits(stores: list[tuple[int, str, int, int]], month: str) -> dict[str, np.ndarray]:
    """Columns store_id and visit_date of the visits due, for stores given as (id, code, cycle weeks, weekday)."""
    # visit_dates depends on the store only through its phase, so one call per (cycle, weekday, phase) suffices.
    by_pattern: dict[tuple[int, int, int], list] = {}
    store_ids, days = [], []
    for store_id, code, cycle, weekday in stores:
        pattern = (cycle, weekday, visit_phase(code, cycle))
        if pattern not in by_pattern:
            by_pattern[pattern] = visit_dates(code, cycle, weekday, month)
        store_ids.extend([store_id] * len(by_pattern[pattern]))
        days.extend(by_pattern[pattern])
    visit_date = np.empty(len(days), dtype=object)
    visit_date[:] = days
    return {"store_id": np.array(store_ids, dtype=np.int64), "visit_date": visit_date}


def plan_visits(session: Session, month: str, actor: Actor) -> VisitPlanReport:
    """Replace the month's visit plan in the caller's transaction, with one audit row; admins only."""
    require(actor, "visits.plan")
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
    columns = planned_visits([(store_id, code, cycle, weekday) for store_id, code, cycle, weekday in stores], month)
    in_month = VisitPlanRow.visit_date.between(days[0], days[-1])
    replaced = session.execute(delete(VisitPlanRow).where(in_month)).rowcount or 0  # type: ignore[attr-defined]  # a DELETE gives a CursorResult
    # the importers' bulk path: COPY on PostgreSQL, raw executemany on SQLite, multi-row INSERT on MariaDB
    bulk.load(session, VisitPlanRow.__table__, columns)
    visits = len(columns["store_id"])
    report = VisitPlanReport(month, len(stores), visits, replaced, round(time.perf_counter() - started, 3))
    SqlAuditLog(session).record(actor=actor.code, action="plan_visits", entity="visit_plans", key=month,
                                new=" ".join(report.lines()))
    session.flush()
    return report
