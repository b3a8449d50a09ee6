"""§10 operating analysis on a test database, as the use cases see it: the acting user, a filled-in capability row,
a capability submission for MONTH, and the per-store totals of order lines the SQL aggregation is checked against."""
from __future__ import annotations

import pandas as pd

from engine.capability import DEFAULT_CAPABILITY_RUBRIC as RUBRIC
from engine.capability_scoring import NEW_STORE, NEW_STORE_STAGE, item_field, score_field, submit_capability
from engine.records import Record

MONTH = "2026-11"


def actor(db, code):
    """The user as an actor."""
    with db.uow() as uow:
        return uow.users.actor(code)


def filled(code: str, number: int, **overrides) -> Record:
    """A store's capability row (sheet row `number`), every indicator on its second item; overrides by field."""
    values = {"code": code}
    for indicator in RUBRIC.indicators:
        values[item_field(indicator.code)] = indicator.items[1].label
        values[score_field(indicator.code)] = str(indicator.items[1].low)
    values[NEW_STORE], values[NEW_STORE_STAGE] = "否", None
    values.update(overrides)
    return Record("经营能力评分", number, values, {key: f"X{number}:{key}" for key in values})


def submit(db, records, user="cm001", owner="cm001"):
    """Submit capability rows for the owner's MONTH, as the user, from an archived (empty) file."""
    with db.uow() as uow:
        from storage.repositories import SqlSubmissions
        sid = SqlSubmissions(uow.session).archive(actor_code=user, filename="cap.xlsx", content=b"x", sha256="0" * 64)
        uow.commit()
    return submit_capability(db.uow(), actor(db, user), owner_code=owner, month=MONTH, rubric_version=1,
                             records=records, shape_findings=[], submission_id=sid)


def totals_from_lines(lines: pd.DataFrame) -> pd.DataFrame:
    """The reference the SQL aggregation is checked against: per-store totals from order lines (store, order, product, qty, amount, price_class, is_key); unordered lines don't count."""
    ordered = lines[lines["qty"] > 0]
    grouped = ordered.groupby("store")
    return pd.DataFrame({
        "volume": grouped["qty"].sum(),
        "amount": grouped["amount"].sum(),
        "class12": ordered[ordered["price_class"].isin([1, 2])].groupby("store")["qty"].sum(),
        "key": ordered[ordered["is_key"].astype(bool)].groupby("store")["qty"].sum(),
        "order_count": grouped["order"].nunique(),
        "sku_count": grouped["product"].nunique(),
    }).fillna(0.0)
