"""§10 repositories: the analysis scope, monthly order totals (aggregated in SQL), scores, strategies, rubrics."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from engine.effect import TOTAL_COLUMNS
from engine.ports import Analysis, DocumentState, ScopeStore
from storage.document_repository import document_listing
from storage.repositories import now
from storage.schema import (
    AnalysisRow, CapabilityScoreRow, DocumentRow, EffectScoreRow, RubricRow,
    StoreMonthRow, StoreRow, StrategyRow, User,
)


def read_frame(session: Session, query, columns: list[str]) -> pd.DataFrame:
    """A query's rows as a DataFrame, fetched by the driver's own cursor and built column by column.

    For the city's month (~250,000 capability scores or strategies) pandas' row-wise constructor over SQLAlchemy
    rows took ~1.5 s, SQLAlchemy's result rows alone ~0.45 s more than the driver's tuples (0.2 s). Only for
    plain columns: no SQLAlchemy type processing happens here.
    """
    session.flush()  # the driver's cursor does not autoflush as session.execute does
    compiled = query.compile(dialect=session.get_bind().dialect, compile_kwargs={"render_postcompile": True})
    params = [compiled.params[name] for name in compiled.positiontup] if compiled.positional else compiled.params
    cursor = session.connection().connection.cursor()
    try:
        cursor.execute(str(compiled), params)
        data = list(zip(*cursor.fetchall())) or [()] * len(columns)
    finally:
        cursor.close()
    return pd.DataFrame({name: list(values) for name, values in zip(columns, data)}, columns=columns)


class SqlAnalyses:
    """engine.ports.Analyses over SQLAlchemy."""

    def __init__(self, session: Session):
        self.session = session

    def scope(self, cm_codes: list[str]) -> list[ScopeStore]:
        query = (select(StoreRow.id, StoreRow.code, StoreRow.name, User.code, StoreRow.tier, StoreRow.market,
                        StoreRow.format, StoreRow.scale, StoreRow.status)
                 .join(User, StoreRow.cm_id == User.id)
                 .where(User.code.in_(cm_codes), StoreRow.status.in_(("active", "suspended")))
                 .order_by(User.code, StoreRow.code))
        # columns, not row objects: a city's 30,000 ORM instances cost a second here
        return [ScopeStore(sid, code, name, cm, tier, f"{market}{fmt}{scale}", status)
                for sid, code, name, cm, tier, market, fmt, scale, status in self.session.execute(query)]

    def _months(self, cm_codes: list[str], month: str, *columns):
        """The query of store_months of the CMs' stores for the month (YYYY-MM)."""
        return (select(StoreMonthRow.store_id, *columns).join(StoreRow, StoreRow.id == StoreMonthRow.store_id)
                .join(User, User.id == StoreRow.cm_id)
                .where(User.code.in_(cm_codes), StoreMonthRow.month == month))

    def totals(self, cm_codes: list[str], month: str) -> pd.DataFrame:
        """Per-store totals of the month for the CMs' stores, from the importer's monthly totals."""
        query = self._months(cm_codes, month, *(getattr(StoreMonthRow, c) for c in TOTAL_COLUMNS))
        return read_frame(self.session, query, ["store", *TOTAL_COLUMNS]).set_index("store").astype(float)

    def volumes(self, cm_codes: list[str], month: str) -> pd.Series:
        """条 ordered per store in the month (the month-on-month base)."""
        return read_frame(self.session, self._months(cm_codes, month, StoreMonthRow.volume),
                          ["store", "volume"]).set_index("store")["volume"].astype(float)

    def cm_totals(self, cm_codes: list[str], month: str) -> dict[str, tuple[int, float]]:
        query = (select(User.code, func.sum(StoreMonthRow.volume), func.sum(StoreMonthRow.amount))
                 .join(StoreRow, StoreRow.id == StoreMonthRow.store_id).join(User, User.id == StoreRow.cm_id)
                 .where(User.code.in_(cm_codes), StoreMonthRow.month == month).group_by(User.code))
        return {code: (int(volume or 0), float(amount or 0)) for code, volume, amount in self.session.execute(query)}

    def ordering_stores(self, month: str) -> int:
        """How many stores of the whole company ordered in the month (from the importer's monthly totals)."""
        return self.session.scalar(select(func.count()).select_from(StoreMonthRow)
                                   .where(StoreMonthRow.month == month, StoreMonthRow.volume > 0)) or 0

    def get(self, document_id: int) -> Analysis | None:
        return self.of_documents([document_id]).get(document_id)

    def of_documents(self, document_ids: list[int]) -> dict[int, Analysis]:
        found = self.session.execute(
            select(AnalysisRow, DocumentRow, User.code).join(DocumentRow, DocumentRow.id == AnalysisRow.document_id)
            .join(User, User.id == DocumentRow.owner_id).where(AnalysisRow.document_id.in_(document_ids))).all()
        return {doc.id: Analysis(row.id, DocumentState(doc.id, doc.kind, owner, doc.period, doc.state, doc.version),
                                 row.effect_rubric_version, row.capability_rubric_version, json.loads(row.effect_averages))
                for row, doc, owner in found}

    def create_many(self, document_ids, effect_version, capability_version, averages, actor) -> list[int]:
        at = now()
        self.session.execute(insert(AnalysisRow), [
            {"document_id": doc_id, "effect_rubric_version": effect_version,
             "capability_rubric_version": capability_version, "effect_averages": json.dumps(mine),
             "computed_at": at, "computed_by": actor} for doc_id, mine in zip(document_ids, averages)])
        ids = dict(self.session.execute(select(AnalysisRow.document_id, AnalysisRow.id)
                                        .where(AnalysisRow.document_id.in_(document_ids))).all())
        return [ids[doc_id] for doc_id in document_ids]

    def save_effect(self, analysis_ids, store_ids, totals, details) -> None:
        """Every store's effect score in one bulk load (COPY on PostgreSQL), whatever CM it belongs to."""
        from storage.importers import bulk

        bulk.load(self.session, EffectScoreRow.__table__, {
            "analysis_id": np.asarray(analysis_ids, dtype=np.int64),
            "store_id": np.asarray(store_ids, dtype=np.int64),
            "total": bulk.Fixed.of(totals, 2),
            "details": np.array([json.dumps(d, separators=(",", ":")) for d in details], dtype=object),
        })

    def effect(self, analysis_id: int) -> pd.DataFrame:
        return self.effect_of([analysis_id]).drop(columns="analysis_id")

    def effect_of(self, analysis_ids: list[int]) -> pd.DataFrame:
        """Effect values of many analyses: index store_id; analysis_id, the indicator codes, total."""
        rows = self.session.execute(select(EffectScoreRow.analysis_id, EffectScoreRow.store_id, EffectScoreRow.total,
                                           EffectScoreRow.details)
                                    .where(EffectScoreRow.analysis_id.in_(analysis_ids))).all()
        records = [{"analysis_id": aid, "store_id": sid, **{k: v[0] for k, v in json.loads(d).items()},
                    "total": float(t)} for aid, sid, t, d in rows]
        return (pd.DataFrame.from_records(records, index="store_id") if records
                else pd.DataFrame(columns=["analysis_id", "total"]))

    def effect_total(self, analysis_id: int, store_code: str) -> float | None:
        total = self.session.scalar(select(EffectScoreRow.total).join(StoreRow, StoreRow.id == EffectScoreRow.store_id)
                                    .where(EffectScoreRow.analysis_id == analysis_id, StoreRow.code == store_code))
        return None if total is None else float(total)

    def effect_points(self, analysis_id: int) -> pd.DataFrame:
        """Points per indicator per store (for the district statistics)."""
        rows = self.session.execute(select(EffectScoreRow.store_id, EffectScoreRow.details)
                                    .where(EffectScoreRow.analysis_id == analysis_id)).all()
        return pd.DataFrame.from_records([{"store_id": sid, **{k: v[1] for k, v in json.loads(d).items()}}
                                          for sid, d in rows], index="store_id")

    def capability(self, analysis_id: int) -> pd.DataFrame:
        return self.capability_of([analysis_id]).drop(columns="analysis_id")

    def capability_of(self, analysis_ids: list[int]) -> pd.DataFrame:
        """Capability scores of many analyses, long: analysis_id, store_id, indicator, item, score."""
        return read_frame(self.session, select(
            CapabilityScoreRow.analysis_id, CapabilityScoreRow.store_id, CapabilityScoreRow.indicator,
            CapabilityScoreRow.item, CapabilityScoreRow.score).where(CapabilityScoreRow.analysis_id.in_(analysis_ids)),
            ["analysis_id", "store_id", "indicator", "item", "score"])

    def save_capability(self, analysis_id, scores, submission_id) -> int:
        """Insert or change many (store_id, indicator, item, score) at once; return how many differed."""
        existing = {(r.store_id, r.indicator): r for r in self.session.scalars(
            select(CapabilityScoreRow).where(CapabilityScoreRow.analysis_id == analysis_id))}
        at, fresh, changed = now(), [], 0
        for store_id, indicator, item, score in scores:
            row = existing.get((store_id, indicator))
            if row is None:
                fresh.append({"analysis_id": analysis_id, "store_id": store_id, "indicator": indicator, "item": item,
                              "score": score, "updated_at": at, "submission_id": submission_id})
            elif row.item != item or row.score != score:
                row.item, row.score, row.updated_at, row.submission_id = item, score, at, submission_id
            else:
                continue
            changed += 1
        if fresh:
            self.session.execute(insert(CapabilityScoreRow), fresh)
        self.session.flush()
        return changed

    def save_strategies(self, rows: pd.DataFrame) -> None:
        """Replace the strategies of the analyses in rows (analysis_id, store, kind, indicator, value, average), in bulk."""
        from storage.importers import bulk

        analysis_ids = [int(a) for a in rows["analysis_id"].unique()]
        self.session.execute(delete(StrategyRow).where(StrategyRow.analysis_id.in_(analysis_ids)))
        bulk.load(self.session, StrategyRow.__table__, {
            "analysis_id": rows["analysis_id"].to_numpy(dtype=np.int64),
            "store_id": rows["store"].to_numpy(dtype=np.int64),
            "kind": rows["kind"].to_numpy(dtype=object), "indicator": rows["indicator"].to_numpy(dtype=object),
            "value": bulk.Fixed.of(rows["value"], 4), "average": bulk.Fixed.of(rows["average"], 4)})

    def remove(self, analysis_id: int) -> int:
        """Delete a computed analysis (reopened) and its effect scores; return how many scores."""
        removed = self.session.execute(delete(EffectScoreRow).where(EffectScoreRow.analysis_id == analysis_id)).rowcount  # type: ignore[attr-defined]  # a DELETE gives a CursorResult
        self.session.execute(delete(AnalysisRow).where(AnalysisRow.id == analysis_id))
        return removed

    def remove_strategies(self, analysis_id: int) -> int:
        """Delete the strategies of an analysis (reopened); return how many."""
        return self.session.execute(delete(StrategyRow).where(StrategyRow.analysis_id == analysis_id)).rowcount  # type: ignore[attr-defined]  # a DELETE gives a CursorResult

    def listing(self, cm_codes: list[str], *, month: str | None, state: str | None) -> list[dict]:
        """One row per analysis of these CMs: CM, month, state and how far it got."""
        rows = self.session.execute(_listing_query(cm_codes, month, state)).all()
        return [dict(row._mapping) for row in rows]

    def strategies(self, analysis_id: int) -> pd.DataFrame:
        return self.strategies_of([analysis_id]).drop(columns="analysis_id")

    def indicators_to_improve(self, analysis_ids: list[int]) -> dict[int, list[str]]:
        """Per store id, the indicators its strategies name: all the big table's ☆ need (two columns of ~240,000
        rows a city month; reading all six of strategies_of took seconds through PyMySQL)."""
        rows = read_frame(self.session, select(StrategyRow.store_id, StrategyRow.indicator)
                          .where(StrategyRow.analysis_id.in_(analysis_ids)), ["store_id", "indicator"])
        weak: dict[int, list[str]] = {}
        for store, indicator in zip(rows["store_id"].tolist(), rows["indicator"].tolist()):
            weak.setdefault(int(store), []).append(indicator)
        return weak

    def store_indicators(self, analysis_id: int, store_code: str) -> list[str]:
        return list(self.session.scalars(select(StrategyRow.indicator)
                                         .join(StoreRow, StoreRow.id == StrategyRow.store_id)
                                         .where(StrategyRow.analysis_id == analysis_id, StoreRow.code == store_code)
                                         .order_by(StrategyRow.id)))

    def strategies_of(self, analysis_ids: list[int]) -> pd.DataFrame:
        """Strategies of many analyses: analysis_id, store_id, kind, indicator, value, average."""
        return read_frame(self.session, select(
            StrategyRow.analysis_id, StrategyRow.store_id, StrategyRow.kind, StrategyRow.indicator, StrategyRow.value,
            StrategyRow.average).where(StrategyRow.analysis_id.in_(analysis_ids)),
            ["analysis_id", "store_id", "kind", "indicator", "value", "average"])


def _listing_query(cm_codes: list[str], month: str | None, state: str | None):
    counted = {
        "stores": select(func.count()).where(EffectScoreRow.analysis_id == AnalysisRow.id),
        "scored": select(func.count(func.distinct(CapabilityScoreRow.store_id)))
        .where(CapabilityScoreRow.analysis_id == AnalysisRow.id),
        "strategies": select(func.count()).where(StrategyRow.analysis_id == AnalysisRow.id),
    }
    return (document_listing("analysis", cm_codes, month, state,
                             *(q.scalar_subquery().label(name) for name, q in counted.items()))
            .outerjoin(AnalysisRow, AnalysisRow.document_id == DocumentRow.id))


class SqlRubrics:
    """engine.ports.Rubrics: versions of each rubric kind, never changed once stored."""

    def __init__(self, session: Session):
        self.session = session

    def get(self, kind: str, version: int | None = None) -> dict | None:
        query = select(RubricRow.body).where(RubricRow.kind == kind)
        query = query.where(RubricRow.version == version) if version else query.order_by(RubricRow.version.desc())
        body = self.session.scalars(query.limit(1)).first()
        return None if body is None else json.loads(body)

    def add(self, kind: str, body: dict, actor: str) -> int:
        latest = self.session.scalar(select(func.max(RubricRow.version)).where(RubricRow.kind == kind)) or 0
        version = latest + 1
        self.session.add(RubricRow(kind=kind, version=version, body=json.dumps({**body, "version": version},
                                                                              ensure_ascii=False),
                                   created_at=now(), actor_code=actor))
        self.session.flush()
        return version
