"""A small, hand-made company for tests: 1 centre, 2 departments, 3 CMs with 6 stores each, a few products."""
from __future__ import annotations

from decimal import Decimal

from engine.products import price_class
from storage.schema import ProductRow, StoreRow, Unit, User

UNITS = [
    ("C01", "示例市烟草公司", "company", None),
    ("Z01", "城区营销中心", "centre", "C01"),
    ("D01", "东区营销部", "department", "Z01"),
    ("D02", "西区营销部", "department", "Z01"),
    ("P001", "东一片区", "district", "D01"),
    ("P002", "东二片区", "district", "D01"),
    ("P003", "西一片区", "district", "D02"),
]
USERS = [
    ("admin", "系统管理员", "admin", "C01"),
    ("bm01", "品牌甲", "bm", "Z01"),
    ("mm01", "王经理", "mm", "D01"),
    ("mm02", "赵经理", "mm", "D02"),
    ("cm001", "张三", "cm", "P001"),
    ("cm002", "李四", "cm", "P002"),
    ("cm003", "周五", "cm", "P003"),
]
STORES_PER_CM = 6


def make_company(sessions) -> None:
    """Insert the test company (org, users, stores, products) in one transaction."""
    with sessions.begin() as session:
        ids: dict[str, int] = {}
        for code, name, kind, parent in UNITS:
            unit = Unit(code=code, name=name, kind=kind, parent_id=ids.get(parent))
            session.add(unit)
            session.flush()
            ids[code] = unit.id
        users = {}
        for code, name, role, unit in USERS:
            user = User(code=code, name=name, role=role, unit_id=ids[unit])
            session.add(user)
            session.flush()
            users[code] = user.id
        for n, cm in enumerate(("cm001", "cm002", "cm003")):
            for i in range(STORES_PER_CM):
                session.add(StoreRow(
                    code=f"4401{n + 1:02d}{i + 1:06d}", name=f"{cm}的第{i + 1}家烟酒店", licence=f"44010{n}{i:07d}",
                    owner=f"店主{i + 1}", contact="", phone=f"1380013{n}{i:03d}", address=f"示例路{i + 1}号",
                    cm_id=users[cm], status="suspended" if i == 5 else "active", online_ordering=i % 2 == 0,
                    market="C" if i < 4 else "X", format="ZBSNYFQ"[i % 7], scale=str(i % 3 + 1),
                    tier=None if i == 4 else 10 + 3 * i, order_weekday=i % 5 + 1, visit_cycle=(1, 2, 4)[i % 3],
                    visit_weekday=i % 5 + 1, notes="", version=1,
                ))
        for k in range(6):
            price = Decimal(str((150, 85, 50, 25, 12, 60)[k]))
            session.add(ProductRow(sku=f"69010{k:08d}", name=f"示例烟{k + 1}", brand=("甲", "乙", "丙")[k % 3],
                                   transfer_price=price, price_class=price_class(price), wholesale_price=price * Decimal("1.13"),
                                   retail_price=price * Decimal("1.25"), is_key=k < 2, is_backbone=k == 2))


def store_code(cm_index: int, store_index: int) -> str:
    """The code of the factory's store (cm 1-3, store 1-6)."""
    return f"4401{cm_index:02d}{store_index:06d}"


def make_orders(sessions, month: str, *, scale: int = 1) -> None:
    """Two weekly orders per store of cm001/cm002 in the month (cm003's stores order nothing); quantities vary by store."""
    from datetime import date as day

    from sqlalchemy import select

    from storage.order_lines import ensure_months
    from storage.schema import OrderLineRow, OrderRow, ProductRow, StoreRow
    from storage.store_months import refresh_months

    year, mon = (int(part) for part in month.split("-"))
    with sessions.begin() as session:
        products = session.scalars(select(ProductRow).order_by(ProductRow.sku)).all()
        stores = session.scalars(select(StoreRow).order_by(StoreRow.code)).all()
        ensure_months(session, [month])  # PostgreSQL keeps a table per month of lines
        for s_index, store in enumerate(stores[: 2 * STORES_PER_CM]):
            for week in range(2):
                order = OrderRow(order_no=f"{month}-{store.code}-{week}", store_id=store.id,
                                 order_date=day(year, mon, 3 + 7 * week))
                session.add(order)
                session.flush()
                for p_index, product in enumerate(products[: 2 + s_index % 4]):
                    qty = (1 + (s_index * 3 + p_index) % 7) * scale
                    price = product.wholesale_price
                    session.add(OrderLineRow(order_id=order.id, order_date=order.order_date, product_id=product.id,
                                             qty_demanded=qty + 1,
                                             qty_allowed=qty, qty_ordered=qty, price=price, amount=price * qty))
        session.flush()
        refresh_months(session, [month])  # as the orders importer does
