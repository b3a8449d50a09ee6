"""§12/§13 reading the visit plan: the stores of a CM due on given days."""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from engine.actors import Actor
from engine.visit_lists import DueVisit
from storage.schema import StoreRow, User, VisitPlanRow

if TYPE_CHECKING:
    from storage.visit_plans import VisitPlanReport


class SqlVisits:
    """The visit plan as the lists read it."""

    def __init__(self, session: Session):
        self.session = session

    def due(self, cm_code: str, start: date, end: date) -> list[DueVisit]:
        """Active stores of the CM planned for a visit between start and end (inclusive), by day and code."""
        rows = self.session.execute(
            select(VisitPlanRow.visit_date, StoreRow.code, StoreRow.name, StoreRow.address, StoreRow.phone)
            .join(StoreRow, StoreRow.id == VisitPlanRow.store_id).join(User, User.id == StoreRow.cm_id)
            .where(User.code == cm_code, StoreRow.status == "active", VisitPlanRow.visit_date.between(start, end))
            .order_by(VisitPlanRow.visit_date, StoreRow.code)).all()
        return [DueVisit(*row) for row in rows]

    def counts(self, cm_codes: list[str], start: date, end: date) -> dict[str, tuple[int, int]]:
        rows = self.session.execute(
            select(User.code, func.count(), func.count(distinct(VisitPlanRow.store_id)))
            .join(StoreRow, StoreRow.id == VisitPlanRow.store_id).join(User, User.id == StoreRow.cm_id)
            .where(User.code.in_(cm_codes), StoreRow.status == "active", VisitPlanRow.visit_date.between(start, end))
            .group_by(User.code))
        return {code: (visits, stores) for code, visits, stores in rows}

    def plan(self, month: str, actor: Actor) -> VisitPlanReport:
        """Replace the month's visit plan (storage.visit_plans) in the unit of work's session."""
        from storage.visit_plans import plan_visits  # numpy and the bulk loader only for the one command that plans

        return plan_visits(self.session, month, actor)
