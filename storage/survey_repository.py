"""§8/§9 repository: the questionnaire version of each month, the stores' answers."""
from __future__ import annotations

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from engine.ports import AnswerRow, SurveyStore
from engine.surveys import CONFIRMED, DRAFT, Answer
from storage.repositories import now
from storage.schema import StoreRow, SurveyAnswerRow, SurveyMonthRow, User

_CHUNK = 5000


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

    def cm_id(self, cm_code: str) -> int | None:
        return self.session.scalar(select(User.id).where(User.code == cm_code))

    def stores_by_code(self, codes: list[str]) -> dict[str, tuple[int, str, str, int | None, str]]:
        found = {}
        for start in range(0, len(codes), _CHUNK):
            query = (select(StoreRow.code, StoreRow.id, StoreRow.name, StoreRow.status, StoreRow.cm_id, User.code)
                     .outerjoin(User, User.id == StoreRow.cm_id).where(StoreRow.code.in_(codes[start:start + _CHUNK])))
            for code, sid, name, status, cm_id, cm_code in self.session.execute(query):
                found[code] = (sid, name, status, cm_id, cm_code or "")
        return found

    def answers(self, month: str, cm_codes: list[str] | None) -> dict[str, Answer]:
        a = SurveyAnswerRow
        query = (select(StoreRow.code, a.store_id, StoreRow.name, User.code, a.channel, a.answered_on, a.items,
                        a.urgent1, a.urgent2, a.urgent3, a.suggestion, a.state, a.entered_at)
                 .join(StoreRow, StoreRow.id == a.store_id).join(User, User.id == a.cm_id).where(a.month == month))
        if cm_codes is not None:
            query = query.where(User.code.in_(cm_codes))
        return {code: Answer(sid, code, name, cm, channel, day, tuple(i for i in items.split(",") if i),
                             tuple(u for u in (u1, u2, u3) if u), suggestion or "", state, entered)
                for code, sid, name, cm, channel, day, items, u1, u2, u3, suggestion, state, entered
                in self.session.execute(query)}

    def put_many(self, month: str, rows: list[AnswerRow], *, actor: str, submission_id: int | None) -> None:
        if not rows:
            return
        at = now()
        a = SurveyAnswerRow
        existing: set[int] = set()
        ids = [r.store_id for r in rows]
        for start in range(0, len(ids), _CHUNK):
            existing.update(self.session.scalars(select(a.store_id).where(a.month == month,
                                                                          a.store_id.in_(ids[start:start + _CHUNK]))))

        def values(r: AnswerRow) -> dict:
            urgent = (*r.urgent, "", "", "")[:3]
            return dict(cm_id=r.cm_id, channel=r.channel, answered_on=r.answered_on, items=",".join(r.items),
                        urgent1=urgent[0], urgent2=urgent[1], urgent3=urgent[2], suggestion=r.suggestion,
                        state=DRAFT, updated_at=at, submission_id=submission_id)

        new = [{"month": month, "store_id": r.store_id, "entered_at": at, "entered_by": actor, **values(r)}
               for r in rows if r.store_id not in existing]
        if new:
            self.session.execute(insert(a), new)
        changed = [{"b_store": r.store_id, **{f"b_{k}": v for k, v in values(r).items()}}
                   for r in rows if r.store_id in existing]
        if changed:
            columns = list(values(rows[0]))
            statement = (update(a.__table__).where(a.__table__.c.month == month,
                                                   a.__table__.c.store_id == bindparam("b_store"))
                         .values({c: bindparam(f"b_{c}") for c in columns}))
            self.session.connection().execute(statement, changed)

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
