"""Per-store monthly order totals (`store_months`) and per-store per-brand monthly totals (`store_brand_months`),
rebuilt for the months an orders import touches.

§10 compares a month's stores and §4–§7 a month's brands; aggregating ~4M order lines at analysis time cost
seconds on every run, so the orders importer pays it once, in its own transaction, and analyses read the totals.
When the file holds every order of its months (a month's file, or its re-import), the importer adds the totals up
from the lines it holds in memory (replace_months_with) — reading a city month back from the tables cost 40 of its
90 seconds; else the months are rebuilt from the tables (refresh_months). Both give the same rows
(tests/integration/test_import_orders.py).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy import case, delete, func, insert, literal, literal_column, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from engine.periods import month_days, months_between
from storage.schema import OrderLineRow, OrderRow, ProductRow, StoreBrandMonthRow, StoreMonthRow


def month_totals(month: str):
    """SELECT store_id, month, volume, amount, class12, key, order_count, sku_count of one month's ordered lines."""
    days = month_days(month)
    qty = OrderLineRow.qty_ordered
    return (select(OrderRow.store_id, literal(month), func.sum(qty), func.sum(OrderLineRow.amount),
                   func.sum(case((ProductRow.price_class.in_((1, 2)), qty), else_=0)),
                   func.sum(case((ProductRow.is_key.is_(True), qty), else_=0)),
                   func.count(func.distinct(OrderRow.id)), func.count(func.distinct(OrderLineRow.product_id)))
            .join(OrderRow, OrderRow.id == OrderLineRow.order_id)
            .join(ProductRow, ProductRow.id == OrderLineRow.product_id)
            .where(OrderRow.order_date.between(days[0], days[-1]), qty > 0)
            .group_by(OrderRow.store_id))


def refresh_store_months(session: Session | Connection, months: list[str]) -> None:
    """Rebuild the totals of these months from the order lines, in the caller's transaction."""
    columns = ["store_id", "month", "volume", "amount", "class12", "key", "order_count", "sku_count"]
    for month in sorted(set(months)):
        session.execute(delete(StoreMonthRow).where(StoreMonthRow.month == month))
        session.execute(insert(StoreMonthRow).from_select(columns, month_totals(month)))


def brand_month_totals(month: str):
    """SELECT month, store_id, brand, price_class, volume, amount of one month's ordered lines, per store, brand and
    price class (0: none): added up per store and SKU first (whole numbers group fast), then per brand, in the
    primary key's order (a sorted insert costs half of an unsorted one on a city month)."""
    days = month_days(month)
    qty = OrderLineRow.qty_ordered
    per_sku = (select(OrderRow.store_id, OrderLineRow.product_id, func.sum(qty).label("volume"),
                      func.sum(OrderLineRow.amount).label("amount"))
               .join(OrderRow, OrderRow.id == OrderLineRow.order_id)
               .where(OrderRow.order_date.between(days[0], days[-1]), qty > 0)
               .group_by(OrderRow.store_id, OrderLineRow.product_id).subquery())
    klass = func.coalesce(ProductRow.price_class, literal_column("0"))  # one expression in SELECT and GROUP BY
    return (select(literal(month), per_sku.c.store_id, ProductRow.brand, klass, func.sum(per_sku.c.volume),
                   func.sum(per_sku.c.amount))
            .join(ProductRow, ProductRow.id == per_sku.c.product_id)
            .group_by(per_sku.c.store_id, ProductRow.brand, klass)
            .order_by(per_sku.c.store_id, ProductRow.brand, klass))


def refresh_brand_months(session: Session | Connection, months: list[str]) -> None:
    """Rebuild the per-brand totals of these months from the order lines, in the caller's transaction."""
    columns = ["month", "store_id", "brand", "price_class", "volume", "amount"]
    for month in sorted(set(months)):
        session.execute(delete(StoreBrandMonthRow).where(StoreBrandMonthRow.month == month))
        session.execute(insert(StoreBrandMonthRow).from_select(columns, brand_month_totals(month)))


def refresh_months(session: Session | Connection, months: list[str]) -> None:
    """Rebuild both kinds of monthly totals of these months (what an orders import does)."""
    refresh_store_months(session, months)
    refresh_brand_months(session, months)


def only_orders_of(session: Session, months: list[str], count: int) -> bool:
    """Whether these months hold count orders in all (those of the file just loaded, and no others)."""
    within = or_(*(OrderRow.order_date.between(month_days(m)[0], month_days(m)[-1]) for m in months))
    return session.scalar(select(func.count()).select_from(OrderRow).where(within)) == count


def replace_months_with(session: Session, lines: pd.DataFrame) -> None:
    """Make both kinds of totals of the lines' months those of these lines (columns month, store, order, product,
    volume, amount in cents), as refresh_months would find them: lines ordering nothing count for nothing."""
    months = sorted(lines["month"].unique())
    for row in (StoreMonthRow, StoreBrandMonthRow):
        session.execute(delete(row).where(row.month.in_(months)))
    ordered = lines[lines["volume"] > 0]
    if ordered.empty:
        return
    products = pd.DataFrame(session.execute(select(ProductRow.id, ProductRow.brand, ProductRow.price_class,
                                                   ProductRow.is_key)).all(),
                            columns=["product", "brand", "price_class", "is_key"]).set_index("product")
    info = products.reindex(ordered["product"].to_numpy())
    klass = info["price_class"].fillna(0).astype(np.int64).to_numpy()
    add_store_months(session, ordered, klass, info["is_key"].fillna(False).astype(bool).to_numpy())
    add_brand_months(session, ordered, klass, info["brand"].fillna("").to_numpy(object))


def add_store_months(session: Session, ordered: pd.DataFrame, klass: np.ndarray, key: np.ndarray) -> None:
    """store_months of the ordered lines, given each line's price class and whether its SKU is a key brand's."""
    from storage.importers import bulk

    volume = ordered["volume"].to_numpy()
    lines = ordered.assign(class12=np.where((klass == 1) | (klass == 2), volume, 0), key=np.where(key, volume, 0))
    per = ["store", "month"]
    stores = lines.groupby(per, sort=True, observed=True)[["volume", "amount", "class12", "key"]].sum()
    stores["order_count"] = lines.drop_duplicates([*per, "order"]).groupby(per, observed=True).size()
    stores["sku_count"] = lines.drop_duplicates([*per, "product"]).groupby(per, observed=True).size()
    stores = stores.reset_index()
    bulk.load(session, StoreMonthRow.__table__, {
        "store_id": stores["store"].to_numpy(np.int64), "month": stores["month"].astype(str).to_numpy(object),
        "volume": stores["volume"].to_numpy(np.int64), "amount": bulk.Fixed(stores["amount"].to_numpy(np.int64)),
        "class12": stores["class12"].to_numpy(np.int64), "key": stores["key"].to_numpy(np.int64),
        "order_count": stores["order_count"].to_numpy(np.int64), "sku_count": stores["sku_count"].to_numpy(np.int64)})


def add_brand_months(session: Session, ordered: pd.DataFrame, klass: np.ndarray, brand: np.ndarray) -> None:
    """store_brand_months of the ordered lines, given each line's price class and brand, in the primary key's order."""
    from storage.importers import bulk

    brands = (ordered.assign(brand=brand, price_class=klass)
              .groupby(["month", "store", "brand", "price_class"], sort=True, observed=True)[["volume", "amount"]]
              .sum().reset_index())
    bulk.load(session, StoreBrandMonthRow.__table__, {
        "month": brands["month"].astype(str).to_numpy(object), "store_id": brands["store"].to_numpy(np.int64),
        "brand": brands["brand"].to_numpy(object), "price_class": brands["price_class"].to_numpy(np.int64),
        "volume": brands["volume"].to_numpy(np.int64), "amount": bulk.Fixed(brands["amount"].to_numpy(np.int64))})


def _order_months(session: Session | Connection) -> list[str]:
    first, last = session.execute(select(func.min(OrderRow.order_date), func.max(OrderRow.order_date))).one()
    return months_between(first, last) if first else []


def refresh_all_brand_months(session: Session | Connection) -> list[str]:
    """Rebuild the per-brand totals of every month that has orders (after the upgrade that added them)."""
    months = _order_months(session)
    refresh_brand_months(session, months)
    return months


def refresh_all(session: Session | Connection) -> list[str]:
    """Rebuild every month that has orders (after an upgrade that added the table); return the months."""
    months = _order_months(session)
    refresh_store_months(session, months)
    return months
