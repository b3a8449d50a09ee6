"""§3 repository: the cells of big tables."""
from __future__ import annotations

import numpy as np
from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from engine.marks import Mark
from engine.ports import PlanCell
from storage.document_repository import changed_since, document_listing
from storage.repositories import now
from storage.schema import DocumentRow, PlanCellRow, StoreRow, User


class SqlBigTables:
    """engine.ports.BigTables over SQLAlchemy."""

    def __init__(self, session: Session):
        self.session = session

    def cells(self, document_id: int) -> dict[tuple[str, str], PlanCell]:
        return self.cells_of_many([document_id])[document_id]

    def cells_of_many(self, document_ids: list[int]) -> dict[int, dict[tuple[str, str], PlanCell]]:
        """Every non-blank cell of many tables in one read per 500 tables, by document id.

        Columns, not ORM rows (a table's ~1,500 PlanCellRow instances cost more than the rest of an ingest); each
        store code by its primary key in a correlated subquery, not a join, which PostgreSQL runs as a hash of all
        30,000 stores of a city: one table 2.3 ms instead of 7 ms, a city's 150 tables alike (~0.5 s).
        """
        found: dict[int, dict[tuple[str, str], PlanCell]] = {doc_id: {} for doc_id in document_ids}
        code = select(StoreRow.code).where(StoreRow.id == PlanCellRow.store_id).scalar_subquery()
        for start in range(0, len(document_ids), 500):
            query = (select(PlanCellRow.document_id, code, PlanCellRow.action, PlanCellRow.mark, PlanCellRow.carried,
                            PlanCellRow.reason)
                     .where(PlanCellRow.document_id.in_(document_ids[start:start + 500]), PlanCellRow.mark != ""))
            for doc_id, store, action, mark, carried, reason in self.session.execute(query):
                found[doc_id][(store, action)] = PlanCell(store, action, mark, bool(carried), reason or "")
        return found

    def counts_of_many(self, document_ids: list[int]) -> dict[int, dict[str, int]]:
        found: dict[int, dict[str, int]] = {doc_id: {} for doc_id in document_ids}
        if document_ids:
            rows = self.session.execute(select(PlanCellRow.document_id, PlanCellRow.mark, func.count())
                                        .where(PlanCellRow.document_id.in_(document_ids), PlanCellRow.mark != "")
                                        .group_by(PlanCellRow.document_id, PlanCellRow.mark))
            for doc_id, mark, count in rows:
                found[doc_id][mark] = count
        return found

    def store_visits(self, cm_codes: list[str]) -> dict[str, tuple[int, int]]:
        """The visit cycle and weekday of these CMs' stores (the big table's 拜访频次 column), by store code."""
        rows = self.session.execute(select(StoreRow.code, StoreRow.visit_cycle, StoreRow.visit_weekday)
                                    .join(User, User.id == StoreRow.cm_id).where(User.code.in_(cm_codes)))
        return {code: (cycle, weekday) for code, cycle, weekday in rows}

    def owner_names(self, cm_codes: list[str]) -> dict[str, str]:
        """The names of these big tables' owners (customer managers), by code."""
        return dict(self.session.execute(select(User.code, User.name).where(User.code.in_(cm_codes))).all())

    def put_many(self, document_id: int, cells: list[tuple[int, str, str]], *, version: int, carried: bool = False,
                 reason: str = "") -> None:
        """Set the marks of cells (store id, action, mark) of one table: one read of which rows exist, then one
        UPDATE (executemany) for those and one INSERT for the others — three statements however many cells."""
        if not cells:
            return
        table, at = PlanCellRow.__table__, now()
        existing = {(store_id, action) for store_id, action in self.session.execute(
            select(PlanCellRow.store_id, PlanCellRow.action)
            .where(PlanCellRow.document_id == document_id,
                   PlanCellRow.store_id.in_(sorted({store_id for store_id, _, _ in cells}))))}
        changed = [{"s": store_id, "a": action, "m": mark} for store_id, action, mark in cells
                   if (store_id, action) in existing]
        added = [{"document_id": document_id, "store_id": store_id, "action": action, "mark": mark, "carried": carried,
                  "reason": reason, "changed_in": version, "updated_at": at}
                 for store_id, action, mark in cells if (store_id, action) not in existing]
        if changed:  # the Core table, not the entity: a plain executemany, not the ORM's update-by-primary-key
            self.session.execute(
                update(table).where(table.c.document_id == document_id, table.c.store_id == bindparam("s"),
                                    table.c.action == bindparam("a"))
                .values(mark=bindparam("m"), changed_in=version, updated_at=at), changed)
        if added:
            self.session.execute(insert(table), added)

    def add_many(self, cells: list[tuple[int, int, str, str, bool, str, int]]) -> None:
        """Insert newly generated tables' cells (document id, store id, action, mark, carried, reason, version) in
        one bulk load (COPY on PostgreSQL): a city's month is ~150,000 cells."""
        from storage.importers import bulk

        if not cells:
            return
        document_id, store_id, action, mark, carried, reason, version = zip(*cells)
        bulk.load(self.session, PlanCellRow.__table__, {
            "document_id": np.array(document_id, dtype=np.int64), "store_id": np.array(store_id, dtype=np.int64),
            "action": np.array(action, dtype=object), "mark": np.array(mark, dtype=object),
            "carried": np.array(carried, dtype=bool), "reason": np.array(reason, dtype=object),
            "changed_in": np.array(version, dtype=np.int64),
            "updated_at": np.full(len(cells), now().isoformat(sep=" "), dtype=object)})

    def changed_since(self, since: dict[int, int]) -> dict[int, int]:
        """Cells of each table whose last change came after the document's version."""
        return changed_since(self.session, PlanCellRow, since)

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
