"""§3 repository: the cells of big tables."""
from __future__ import annotations

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from engine.big_table import Mark
from engine.ports import PlanCell, Rejection
from storage.repositories import document_listing, now
from storage.schema import AuditEntry, DocumentRow, PlanCellRow, StoreRow, User

_REJECTIONS = ("reject_plan", "reject_results")


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

    def last_rejection(self, key: str) -> Rejection | None:
        """The latest 驳回 audit of the table (key is 'cm/month'): who, when, and the reason given."""
        row = self.session.execute(
            select(AuditEntry.actor_code, AuditEntry.at, AuditEntry.note)
            .where(AuditEntry.entity == "bigtable", AuditEntry.entity_key == key, AuditEntry.action.in_(_REJECTIONS))
            .order_by(AuditEntry.id.desc()).limit(1)).first()
        return None if row is None else Rejection(row.actor_code, row.at, row.note or "")

    def listing(self, cm_codes: list[str], *, month: str | None, state: str | None) -> list[dict]:
        """One row per big table of these CMs: code, name, period, state, version, stores in scope, counts by mark."""
        marks = {m.name.lower(): m.value for m in Mark if m is not Mark.BLANK}
        stores = (select(func.count()).where(StoreRow.cm_id == User.id, StoreRow.status.in_(("active", "suspended")))
                  .scalar_subquery().label("stores"))
        counts = [select(func.count()).where(PlanCellRow.document_id == DocumentRow.id, PlanCellRow.mark == mark)
                  .scalar_subquery().label(label) for label, mark in marks.items()]
        query = document_listing("bigtable", cm_codes, month, state, DocumentRow.version, stores, *counts)
        listed = []
        for row in self.session.execute(query):
            data = dict(row._mapping)
            data["counts"] = {mark: data.pop(label) for label, mark in marks.items()}
            listed.append(data)
        return listed
