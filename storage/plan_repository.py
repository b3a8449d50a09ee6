"""§3 repository: the cells of big tables."""
from __future__ import annotations

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from engine.ports import PlanCell
from storage.repositories import now
from storage.schema import AuditEntry, PlanCellRow, StoreRow


class SqlPlans:
    """engine.ports.Plans over SQLAlchemy."""

    def __init__(self, session: Session):
        self.session = session

    def cells(self, document_id: int) -> dict[tuple[str, str], PlanCell]:
        rows = self.session.execute(select(PlanCellRow, StoreRow.code).join(StoreRow, StoreRow.id == PlanCellRow.store_id)
                                    .where(PlanCellRow.document_id == document_id, PlanCellRow.mark != "")).all()
        return {(code, r.action): PlanCell(code, r.action, r.mark, r.carried, r.reason) for r, code in rows}

    def put(self, document_id, store_id, action, mark, *, version, carried=False, reason="") -> None:
        row = self.session.scalar(select(PlanCellRow).where(
            PlanCellRow.document_id == document_id, PlanCellRow.store_id == store_id, PlanCellRow.action == action))
        if row is None:
            row = PlanCellRow(document_id=document_id, store_id=store_id, action=action, carried=carried, reason=reason)
            self.session.add(row)
        row.mark, row.changed_in, row.updated_at = mark, version, now()
        self.session.flush()

    def add_many(self, document_id: int, cells: list[tuple[int, str, str, bool, str]], *, version: int) -> None:
        """Insert the cells (store id, action, mark, carried, reason) of a newly generated table in bulk."""
        if cells:
            at = now()
            self.session.execute(insert(PlanCellRow), [
                {"document_id": document_id, "store_id": sid, "action": action, "mark": mark, "carried": carried,
                 "reason": reason, "changed_in": version, "updated_at": at} for sid, action, mark, carried, reason in cells])

    def changes_since_decision(self, document_id: int, key: str) -> int:
        """Mark audits of the table after the latest approve/reject audit (key is 'cm/month')."""
        decided = self.session.scalar(select(func.max(AuditEntry.id)).where(
            AuditEntry.entity == "bigtable", AuditEntry.entity_key == key,
            AuditEntry.action.in_(("approve_plan", "reject_plan", "approve_results", "reject_results"))))
        query = select(func.count()).where(AuditEntry.entity == "bigtable", AuditEntry.action == "mark",
                                           AuditEntry.entity_key.startswith(f"{key}/"))
        return self.session.scalar(query.where(AuditEntry.id > decided) if decided else query)
