"""§8/§9 repository: the questionnaire version of each month, the stores' answers."""
from __future__ import annotations

import numpy as np
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from engine.ports import AnswerRow, SurveyStore
from engine.surveys import CONFIRMED, DRAFT, Answer
from storage.importers.bulk import load
from storage.repositories import now
from storage.schema import StoreRow, SurveyAnswerRow, SurveyMonthRow, User

_CHUNK = 5000


def _stamp(value) -> str:
    """A stored time as the bulk path writes it (every database reads 2026-11-02 09:30:00)."""
    return f"{value:%Y-%m-%d %H:%M:%S}" if hasattr(value, "strftime") else str(value)[:19].replace("T", " ")


class SqlSurveys:
    """engine.ports.Surveys over SQLAlchemy."""

    def __init__(self, session: Session):
        self.session = session

    def pinned(self, month: str) -> int | None:
        return self.session.scalar(select(SurveyMonthRow.questionnaire_version).where(SurveyMonthRow.month == month))

    def pin(self, month: str, version: int, actor: str) -> None:
        self.session.add(SurveyMonthRow(month=month, questionnaire_version=version, pinned_at=now(), pinned_by=actor))
        self.session.flush()

    def stores(self, cm_codes: list[str]) -> list[SurveyStore]:
        query = (select(StoreRow.id, StoreRow.code, StoreRow.name, User.code, StoreRow.online_ordering)
                 .join(User, User.id == StoreRow.cm_id)
                 .where(User.code.in_(cm_codes), StoreRow.status == "active").order_by(User.code, StoreRow.code))
        return [SurveyStore(sid, code, name, cm, bool(online)) for sid, code, name, cm, online in self.session.execute(query)]

    def store_counts(self, cm_codes: list[str]) -> dict[str, int]:
        query = (select(User.code, func.count()).join(StoreRow, StoreRow.cm_id == User.id)
                 .where(User.code.in_(cm_codes), StoreRow.status == "active").group_by(User.code))
        return {code: count for code, count in self.session.execute(query)}

    def answered_counts(self, month: str, cm_codes: list[str], state: str) -> dict[str, int]:
        a = SurveyAnswerRow
        query = (select(User.code, func.count()).select_from(a).join(User, User.id == a.cm_id)
                 .where(a.month == month, a.state == state, User.code.in_(cm_codes)).group_by(User.code))
        return {code: count for code, count in self.session.execute(query)}

    def cm_id(self, cm_code: str) -> int | None:
        return self.session.scalar(select(User.id).where(User.code == cm_code))

    def stores_by_code(self, codes: list[str]) -> dict[str, tuple[int, str, str, int | None, str]]:
        wanted = set(codes)
        query = (select(StoreRow.code, StoreRow.id, StoreRow.name, StoreRow.status, StoreRow.cm_id, User.code)
                 .outerjoin(User, User.id == StoreRow.cm_id))
        if len(wanted) <= _CHUNK:
            query = query.where(StoreRow.code.in_(wanted))
        # a city's file names most of its stores: one read of them all beats 20,000 bound parameters
        return {code: (sid, name, status, cm_id, cm_code or "") for code, sid, name, status, cm_id, cm_code
                in self.session.connection().execute(query) if code in wanted}

    def answers(self, month: str, cm_codes: list[str] | None) -> dict[str, Answer]:
        a = SurveyAnswerRow
        query = (select(StoreRow.code, a.store_id, StoreRow.name, User.code, a.channel, a.answered_on, a.items,
                        a.urgent1, a.urgent2, a.urgent3, a.suggestion, a.state, a.entered_at)
                 .join(StoreRow, StoreRow.id == a.store_id).join(User, User.id == a.cm_id).where(a.month == month))
        if cm_codes is not None:
            query = query.where(User.code.in_(cm_codes))
        rows = self.session.connection().execute(query)  # Core rows: a city's 20,000 answers, no ORM loading
        return {code: Answer(sid, code, name, cm, channel, day, tuple(items.split(",")) if items else (),
                             tuple(u for u in (u1, u2, u3) if u), suggestion or "", state, entered)
                for code, sid, name, cm, channel, day, items, u1, u2, u3, suggestion, state, entered in rows}

    def put_many(self, month: str, rows: list[AnswerRow], *, actor: str, submission_id: int | None,
                 existing: set[int] | None = None) -> None:
        if not rows:
            return
        a = SurveyAnswerRow.__table__
        ids = [r.store_id for r in rows]
        first: dict[int, tuple] = {}  # the answers replaced: when and by whom each was first entered, kept
        if existing is None or existing & set(ids):
            for start in range(0, len(ids), _CHUNK):
                chunk = ids[start:start + _CHUNK]
                first.update((sid, (at, by)) for sid, at, by in self.session.connection().execute(
                    select(a.c.store_id, a.c.entered_at, a.c.entered_by)
                    .where(a.c.month == month, a.c.store_id.in_(chunk))))
                self.session.execute(delete(a).where(a.c.month == month, a.c.store_id.in_(chunk)))
        stamp = f"{now():%Y-%m-%d %H:%M:%S}"

        def text(values) -> np.ndarray:
            return np.array(list(values), dtype=object)

        # each database's bulk path (COPY on PostgreSQL): a city's month is ~20,000 answers
        columns = {"month": text(month for _ in rows), "store_id": np.array(ids),
                   "cm_id": np.array([r.cm_id for r in rows]), "channel": text(r.channel for r in rows),
                   "answered_on": text(r.answered_on for r in rows), "items": text(",".join(r.items) for r in rows),
                   **{f"urgent{n + 1}": text((*r.urgent, "", "", "")[n] for r in rows) for n in range(3)},
                   "suggestion": text(r.suggestion for r in rows), "state": text(DRAFT for _ in rows),
                   "entered_at": text(_stamp(first[r.store_id][0]) if r.store_id in first else stamp for r in rows),
                   "entered_by": text(first[r.store_id][1] if r.store_id in first else actor for r in rows),
                   "updated_at": text(stamp for _ in rows)}
        if submission_id is not None:
            columns["submission_id"] = np.array([submission_id] * len(rows))
        self.session.flush()
        load(self.session, a, columns)

    def remove_many(self, month: str, store_ids: list[int]) -> None:
        if store_ids:
            self.session.execute(delete(SurveyAnswerRow).where(SurveyAnswerRow.month == month,
                                                               SurveyAnswerRow.store_id.in_(store_ids)))

    def confirm_many(self, month: str, store_ids: list[int]) -> None:
        for start in range(0, len(store_ids), _CHUNK):
            self.session.execute(update(SurveyAnswerRow)
                                 .where(SurveyAnswerRow.month == month,
                                        SurveyAnswerRow.store_id.in_(store_ids[start:start + _CHUNK]))
                                 .values(state=CONFIRMED, updated_at=now()))
