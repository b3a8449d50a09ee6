"""Orders: one flat file of order lines (the header repeated on each line), loaded through staging tables.

Validation is per column on distinct values (a city month repeats a few hundred SKUs, prices and
quantities over millions of lines); the load is COPY-class bulk into temporary tables and then
set-based SQL: re-imported orders lose their old lines, headers are upserted, lines inserted by join.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Column, Date, Integer, MetaData, Numeric, String, Table, delete, func, insert, select, update
from sqlalchemy.orm import Session

from storage.importers import bulk
from storage.importers.columns import ORDERS, locate
from storage.importers.reading import Table as FileTable
from storage.store_months import refresh_months
from storage.importers.validation import Parsed, Problems, first_rows, money, order_date, parse_column, text, whole_number
from storage.schema import OrderLineRow, OrderRow, ProductRow, StoreRow

WHAT = "订单"

_STAGE = MetaData()
#: Temporary tables; on MariaDB/MySQL MyISAM, which takes multi-row INSERTs about twice as fast as
#: InnoDB and needs no transaction of its own (the rows are read once, then the table is dropped).
#: info.staging tells bulk.load to gather statistics after the load (autovacuum never sees temporary tables).
_STAGING: dict[str, Any] = {"prefixes": ["TEMPORARY"], "mysql_engine": "MyISAM", "info": {"staging": True}}
STAGE_ORDERS = Table(
    "cmw_stage_orders", _STAGE,
    Column("seq", Integer, primary_key=True, autoincrement=False), Column("order_no", String(32)),
    Column("store_id", Integer), Column("order_date", Date), **_STAGING,
)
STAGE_LINES = Table(
    "cmw_stage_order_lines", _STAGE,
    Column("seq", Integer), Column("product_id", Integer), Column("qty_demanded", Integer),
    Column("qty_allowed", Integer), Column("qty_ordered", Integer), Column("price", Numeric(12, 2)),
    Column("amount", Numeric(12, 2)), **_STAGING,
)
_QUANTITIES = ("qty_demanded", "qty_allowed", "qty_ordered")
#: Columns compared between lines (one code per value, however written: 20240506 and 2024-05-06 agree).
_KEYS = ("order_no", "store_code", "order_date", "sku")


@dataclass(frozen=True)
class OrderLines:
    """The file's lines, checked: per line its order's position and the numbers; per order its header."""

    seq: np.ndarray
    columns: dict[str, np.ndarray | bulk.Fixed]
    orders: dict[str, np.ndarray]


def import_orders(session: Session, table: FileTable) -> tuple[int, int, str]:
    """Check the whole file, then replace or add its orders; return (inserted, updated, detail)."""
    headers = locate(table, ORDERS, WHAT)
    lines = read_lines(session, table, headers)
    with bulk.staging(session, STAGE_ORDERS, STAGE_LINES):
        bulk.load(session, STAGE_ORDERS, lines.orders)
        bulk.load(session, STAGE_LINES, {"seq": lines.seq, **lines.columns})
        updated = replace_orders(session)
    refresh_months(session, sorted({f"{day:%Y-%m}" for day in set(lines.orders["order_date"].tolist())}))
    total = len(lines.orders["seq"])
    return total - updated, updated, f"共 {total} 张订单、{len(lines.seq)} 行明细"


def _known(ids: dict[str, int], message: str):
    def parse(value: str) -> int:
        if not value:
            raise ValueError("不能为空")
        if value not in ids:
            raise ValueError(message)
        return ids[value]
    return parse


def _required(parse):
    def required(value: str):
        if not value:
            raise ValueError("不能为空")
        return parse(value)
    return required


def read_lines(session: Session, table: FileTable, headers: dict[str, str]) -> OrderLines:
    """Parse and check every line; Refused with a finding per bad cell, or the lines ready to load."""
    frame, problems = table.frame, Problems(table, headers)
    stores = dict(session.execute(select(StoreRow.code, StoreRow.id)).all())
    products = dict(session.execute(select(ProductRow.sku, ProductRow.id)).all())
    parsers = {
        "order_no": text(32, required=True),
        "store_code": _known(stores, "客户编码在系统中不存在，请先导入客户（cmw import stores）或改正编码"),
        "order_date": _required(order_date),
        "sku": _known(products, "卷烟编码在系统中不存在，请先导入卷烟规格（cmw import products）或改正编码"),
        "qty_demanded": whole_number, "qty_allowed": whole_number, "qty_ordered": _required(whole_number),
        "price": _required(money), "amount": money,
    }
    parsed: dict[str, Parsed] = {}
    for field, parse in parsers.items():
        if field in headers:
            parsed[field] = parse_column(frame[headers[field]], parse, key=field in _KEYS)
            problems.check(field, parsed[field], f"bad_{field}")
    order = parsed["order_no"]
    problems.check_agree("order_no", order, "store_code", parsed["store_code"], "订单")
    problems.check_agree("order_no", order, "order_date", parsed["order_date"], "订单")
    _check_repeated_lines(problems, order, parsed["sku"])
    problems.raise_if_any(WHAT)
    return _lines(parsed)


def _check_repeated_lines(problems: Problems, order: Parsed, sku: Parsed) -> None:
    """One SKU appears once per order."""
    key = order.codes * (len(sku.values) + 1) + sku.codes
    repeated = pd.Series(key).duplicated().to_numpy() & ~order.bad & ~sku.bad
    if not repeated.any():
        return
    line = pd.factorize(key)[0]
    first = first_rows(line)[line]
    problems.flag("sku", repeated, "repeated_line", lambda p: (
        f"订单 {problems.value_at('order_no', p)} 中这个卷烟编码已在第 {problems.row_at(first[p])} 行出现；"
        "同一订单每个规格只能有一行，请合并数量"))


def _numbers(parsed: Parsed, blank: int = -1) -> np.ndarray:
    """Per row, the parsed whole number (cents for money), blank as -1."""
    per_value = [blank if v is None else int(v * 100) if isinstance(v, Decimal) else v for v in parsed.values]
    return np.asarray(per_value, dtype=np.int64)[parsed.codes]


def _lines(parsed: dict[str, Parsed]) -> OrderLines:
    """Fill blanks (需求量 ← 订购量, 限量 ← 需求量, 金额 ← 订购量 × 单价) and shape lines and headers for loading."""
    ordered = _numbers(parsed["qty_ordered"])
    demanded = _numbers(parsed["qty_demanded"]) if "qty_demanded" in parsed else np.full_like(ordered, -1)
    demanded = np.where(demanded < 0, ordered, demanded)
    allowed = _numbers(parsed["qty_allowed"]) if "qty_allowed" in parsed else np.full_like(ordered, -1)
    allowed = np.where(allowed < 0, demanded, allowed)
    price = _numbers(parsed["price"])
    amount = _numbers(parsed["amount"]) if "amount" in parsed else np.full_like(ordered, -1)
    amount = np.where(amount < 0, ordered * price, amount)
    order = parsed["order_no"]
    first = first_rows(order.codes)
    return OrderLines(
        seq=order.codes,
        columns={"product_id": parsed["sku"].rows().astype(np.int64), "qty_demanded": demanded,
                 "qty_allowed": allowed, "qty_ordered": ordered, "price": bulk.Fixed(price),
                 "amount": bulk.Fixed(amount)},
        orders={"seq": np.arange(len(first), dtype=np.int64), "order_no": order.values,
                "store_id": parsed["store_code"].rows()[first].astype(np.int64),
                "order_date": parsed["order_date"].rows()[first]},
    )


def replace_orders(session: Session) -> int:
    """From the staging tables: drop old lines of re-imported orders, upsert headers, insert lines; return re-imported count."""
    orders, lines, stage, staged_lines = OrderRow.__table__, OrderLineRow.__table__, STAGE_ORDERS, STAGE_LINES
    matched = orders.c.order_no == stage.c.order_no
    existing = session.scalar(select(func.count()).select_from(stage.join(orders, matched)))
    if existing:
        session.execute(_delete_old_lines(session, lines, orders, matched))
        session.execute(update(orders).where(matched).values(store_id=stage.c.store_id, order_date=stage.c.order_date))
    new = select(stage.c.order_no, stage.c.store_id, stage.c.order_date).select_from(
        stage.outerjoin(orders, matched)).where(orders.c.id.is_(None))
    session.execute(insert(orders).from_select(["order_no", "store_id", "order_date"], new))
    quantities = [staged_lines.c[q] for q in _QUANTITIES]
    source = select(orders.c.id, staged_lines.c.product_id, *quantities, staged_lines.c.price, staged_lines.c.amount
                    ).select_from(staged_lines.join(stage, stage.c.seq == staged_lines.c.seq).join(orders, matched))
    session.execute(insert(lines).from_select(
        ["order_id", "product_id", *_QUANTITIES, "price", "amount"], source))
    return int(existing or 0)


def _delete_old_lines(session: Session, lines: Table, orders: Table, matched):
    """DELETE of the lines of re-imported orders: a join where the database has one, IN elsewhere."""
    if bulk.dialect(session) == "mysql":
        # MariaDB runs `IN (subquery)` of a DELETE as a dependent subquery per line: minutes, not seconds
        return delete(lines).where(lines.c.order_id == orders.c.id, matched)
    return delete(lines).where(lines.c.order_id.in_(select(orders.c.id).join(STAGE_ORDERS, matched)))
