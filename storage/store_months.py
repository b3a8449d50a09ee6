"""Per-store monthly order totals (`store_months`) and per-store per-brand monthly totals (`store_brand_months`),
rebuilt for the months an orders import touches.

§10 compares a month's stores and §4–§7 a month's brands; aggregating ~4M order lines at analysis time cost
seconds on every run, so the orders importer pays it once, in its own transaction, and analyses read the totals.
"""
from __future__ import annotations

from sqlalchemy import case, delete, func, insert, literal, literal_column, select
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
