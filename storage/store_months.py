"""Per-store monthly order totals (`store_months`), rebuilt for the months an orders import touches.

§10 compares a month's stores; aggregating ~4M order lines at analysis time cost seconds on every
run, so the orders importer pays it once, in its own transaction, and analyses read 30,000 rows.
"""
from __future__ import annotations

from sqlalchemy import case, delete, func, insert, literal, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from engine.periods import month_days, months_between
from storage.schema import OrderLineRow, OrderRow, ProductRow, StoreMonthRow


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


def refresh_all(session: Session | Connection) -> list[str]:
    """Rebuild every month that has orders (after an upgrade that added the table); return the months."""
    first, last = session.execute(select(func.min(OrderRow.order_date), func.max(OrderRow.order_date))).one()
    months = months_between(first, last) if first else []
    refresh_store_months(session, months)
    return months
