"""Orders: one flat file of order lines (the header repeated on each line), loaded in bulk with ids assigned here.

Validation is per column on distinct values (a city month repeats a few hundred SKUs, prices and
quantities over millions of lines). The orders' headers go to a temporary table (a few hundred thousand rows) to
find the orders already kept: their old lines are deleted and their headers updated. New orders and every line are
then bulk-loaded straight into orders and order_lines with ids reserved here (bulk.reserve_ids), each line carrying
its order's id: COPY on PostgreSQL, LOAD DATA on MariaDB, executemany on SQLite — no INSERT … SELECT of the lines.
The months the file touches get their totals rebuilt in the same transaction (storage/store_months.py). The orders'
writing runs beside the lines' check, the lines' beside the totals' adding up (bulk.alongside): two cores, each busy.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd
from sqlalchemy import Column, Date, Integer, MetaData, String, Table, delete, select, update
from sqlalchemy.orm import Session

from storage import order_lines
from storage.importers import bulk
from storage.importers.columns import ORDERS, locate
from storage.importers.reading import Table as FileTable
from storage.store_months import MonthLines, add_up, catalogue, only_orders_of, refresh_months
from storage.store_months import write as write_totals
from storage.importers.validation import Parsed, Problems, first_rows, money, order_date, parse_column, text, whole_number
from storage.schema import OrderLineRow, OrderRow, ProductRow, StoreRow

WHAT = "订单"

_STAGE = MetaData()
#: The file's orders as a temporary table; on MariaDB/MySQL MyISAM, which takes multi-row INSERTs about twice as fast
#: as InnoDB and needs no transaction of its own (the rows are read once, then the table is dropped).
#: info.staging tells bulk.load to gather statistics after the load (autovacuum never sees temporary tables).
STAGE_ORDERS = Table(
    "cmw_stage_orders", _STAGE,
    Column("seq", Integer, primary_key=True, autoincrement=False), Column("order_no", String(32)),
    Column("store_id", Integer), Column("order_date", Date),
    prefixes=["TEMPORARY"], mysql_engine="MyISAM", info={"staging": True},
)
#: Columns compared between lines (one code per value, however written: 20240506 and 2024-05-06 agree).
_KEYS = ("order_no", "store_code", "order_date", "sku")


@dataclass(frozen=True)
class Orders:
    """The file's orders, checked: per order (its seq, a number from 0 in the file's order) its header."""

    seq: np.ndarray
    order_no: np.ndarray
    store_id: np.ndarray
    order_date: np.ndarray

    def columns(self) -> dict[str, np.ndarray]:
        return {"seq": self.seq, "order_no": self.order_no, "store_id": self.store_id, "order_date": self.order_date}


@dataclass(frozen=True)
class OrderLines:
    """The file's lines, checked: per line its order's seq and the numbers."""

    seq: np.ndarray
    columns: dict[str, np.ndarray | bulk.Fixed]


def import_orders(session: Session, table: FileTable) -> tuple[int, int, str]:
    """Check the whole file, then replace or add its orders; return (inserted, updated, detail).

    The database's work and this process's overlap (two cores: the server's and ours): the orders are written while
    the lines' columns are still being checked, the lines while the totals are added up. A refusal still comes before
    the commit, and nothing stays of what was written (the caller rolls the transaction back)."""
    headers = locate(table, ORDERS, WHAT)
    check = _Check(session, table, headers)
    check.parse("order_no", "store_code", "order_date")
    check.problems.check_agree("order_no", check.parsed["order_no"], "store_code", check.parsed["store_code"], "订单")
    check.problems.check_agree("order_no", check.parsed["order_no"], "order_date", check.parsed["order_date"], "订单")
    if check.problems.count:  # the orders cannot be written: every finding of the file, then the refusal
        check.lines()
    orders = check.orders()
    total = len(orders.seq)
    days = orders.order_date.tolist()
    month_of = {day: f"{day:%Y-%m}" for day in set(days)}
    months = sorted(set(month_of.values()))
    position = {month: n for n, month in enumerate(months)}
    month = np.array([position[month_of[day]] for day in days], dtype=np.int64)  # per order, its month's position
    per_month = dict(zip(months, np.bincount(month, minlength=len(months)).tolist()))
    order_lines.restored(session, months, per_month)  # an archived month: only its whole archive brings it back
    products = catalogue(session)
    with bulk.alongside(session, lambda: replace_orders(session, orders, months, month)) as written:
        lines = check.lines()  # meanwhile: the lines' columns checked (refused: the orders' writing awaited first)
    ids, updated = written.result()
    whole = only_orders_of(session, months, total)
    with bulk.alongside(session, lambda: load_lines(session, lines, orders, ids, months, month)):
        totals = add_up(_month_lines(lines, orders, months, month), products) if whole else None
    if totals is not None:
        write_totals(session, totals)
    else:  # other orders of these months are kept: their totals are read back with this file's
        refresh_months(session, months)
    return total - updated, updated, f"共 {total} 张订单、{len(lines.seq)} 行明细"


def _month_lines(lines: OrderLines, orders: Orders, months: list[str], month: np.ndarray) -> MonthLines:
    """The lines that order something, as the monthly totals need them (month: per order, its month's position among
    months): taken once here, not copied again by add_up (a city month's lines, 32 MB an array, beside their COPY)."""
    amount = lines.columns["amount"]
    assert isinstance(amount, bulk.Fixed) and amount.places == 2
    volume, product, cents = np.asarray(lines.columns["qty_ordered"]), np.asarray(lines.columns["product_id"]), amount.units
    seq = lines.seq
    ordered = volume > 0
    if not ordered.all():
        seq, product, volume, cents = seq[ordered], product[ordered], volume[ordered], cents[ordered]
    return MonthLines(months, month[seq], orders.store_id[seq], seq, product, volume, cents)


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


class _Check:
    """Parsing and checking the file's columns, the orders' first (they can be written while the lines' are checked),
    each column once; a finding per bad cell, the refusal when the last column is checked."""

    def __init__(self, session: Session, table: FileTable, headers: dict[str, str]):
        self.table, self.headers = table, headers
        self.problems = Problems(table, headers)
        self.parsed: dict[str, Parsed] = {}
        stores = dict(session.execute(select(StoreRow.code, StoreRow.id)).all())
        products = dict(session.execute(select(ProductRow.sku, ProductRow.id)).all())
        self.parsers = {
            "order_no": text(32, required=True),
            "store_code": _known(stores, "客户编码在系统中不存在，请先导入客户（cmw import stores）或改正编码"),
            "order_date": _required(order_date),
            "sku": _known(products, "卷烟编码在系统中不存在，请先导入卷烟规格（cmw import products）或改正编码"),
            "qty_demanded": whole_number, "qty_allowed": whole_number, "qty_ordered": _required(whole_number),
            "price": _required(money), "amount": money,
        }

    def parse(self, *fields: str) -> None:
        frame = self.table.frame
        for field in fields:
            if field in self.headers:
                self.parsed[field] = parse_column(frame[self.headers[field]], self.parsers[field], key=field in _KEYS)
                self.problems.check(field, self.parsed[field], f"bad_{field}")

    def orders(self) -> Orders:
        """Per order its header (the orders' columns checked without a finding)."""
        order = self.parsed["order_no"]
        first = first_rows(order.codes)
        return Orders(seq=np.arange(len(first), dtype=np.int64), order_no=order.values,
                      store_id=self.parsed["store_code"].rows()[first].astype(np.int64),
                      order_date=self.parsed["order_date"].rows()[first])

    def lines(self) -> OrderLines:
        """The rest of the columns checked, then the refusal (Refused, every finding by row) or the lines."""
        self.parse(*(field for field in self.parsers if field not in self.parsed))
        _check_repeated_lines(self.problems, self.parsed["order_no"], self.parsed["sku"])
        self.problems.raise_if_any(WHAT)
        frame = self.table.frame
        for column in list(frame.columns):  # checked: the file's text is no longer needed (its rows count stays)
            del frame[column]
        lines = _lines(self.parsed)
        self.parsed.clear()  # nor the codes per cell (a city month: 16 MB a column) while the lines are written
        return lines


def _check_repeated_lines(problems: Problems, order: Parsed, sku: Parsed) -> None:
    """One SKU appears once per order."""
    key = order.codes.astype(np.int64) * (len(sku.values) + 1) + sku.codes
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
    """Fill blanks (需求量 ← 订购量, 限量 ← 需求量, 金额 ← 订购量 × 单价) and shape the lines for loading."""
    ordered = _numbers(parsed["qty_ordered"])
    demanded = _numbers(parsed["qty_demanded"]) if "qty_demanded" in parsed else np.full_like(ordered, -1)
    demanded = np.where(demanded < 0, ordered, demanded)
    allowed = _numbers(parsed["qty_allowed"]) if "qty_allowed" in parsed else np.full_like(ordered, -1)
    allowed = np.where(allowed < 0, demanded, allowed)
    price = _numbers(parsed["price"])
    amount = _numbers(parsed["amount"]) if "amount" in parsed else np.full_like(ordered, -1)
    amount = np.where(amount < 0, ordered * price, amount)
    return OrderLines(  # ids and quantities as int32 (they are int columns): 16 MB a column of a city month, not 32
        seq=parsed["order_no"].codes.astype(np.int64),
        columns={"product_id": parsed["sku"].rows().astype(np.int32), "qty_demanded": demanded.astype(np.int32),
                 "qty_allowed": allowed.astype(np.int32), "qty_ordered": ordered.astype(np.int32),
                 "price": bulk.Fixed(price), "amount": bulk.Fixed(amount)},
    )


def replace_orders(session: Session, orders: Orders, months: list[str], month: np.ndarray) -> tuple[np.ndarray, int]:
    """Drop the old lines of re-imported orders and update their headers, add the new orders; return per order of the
    file (its seq) its id, and how many orders were re-imported. months: the file's, sorted; month: per order of
    the file, its month's position among them."""
    table, stage = OrderRow.__table__, STAGE_ORDERS
    matched = table.c.order_no == stage.c.order_no
    ids = np.zeros(len(orders.seq), dtype=np.int64)  # per order of the file (its seq), its id
    with bulk.staging(session, stage):
        bulk.load(session, stage, orders.columns())
        kept = session.execute(select(stage.c.seq, table.c.id, table.c.order_date)
                               .select_from(stage.join(table, matched))).all()
        if kept:
            # a month whose every kept order comes again loses its lines at once (PostgreSQL: its table dropped)
            whole = order_lines.take_out_lines_of_whole_months(session, Counter(f"{day:%Y-%m}" for *_, day in kept))
            if any(f"{day:%Y-%m}" not in whole for *_, day in kept):
                session.execute(_delete_old_lines(session, OrderLineRow.__table__, table, matched))
            changed = (table.c.store_id != stage.c.store_id) | (table.c.order_date != stage.c.order_date)
            session.execute(update(table).where(matched, changed).values(store_id=stage.c.store_id,
                                                                          order_date=stage.c.order_date))
    new = np.ones(len(ids), dtype=bool)
    if kept:
        seq, found = np.array([row[:2] for row in kept], dtype=np.int64).T
        ids[seq], new[seq] = found, False
    count = int(new.sum())
    if count:
        ids[new] = bulk.reserve_ids(session, table, count) + np.arange(count, dtype=np.int64)
        bulk.load(session, table, {"id": ids[new], **{k: v[new] for k, v in orders.columns().items() if k != "seq"}})
    return ids, len(kept)


def load_lines(session: Session, lines: OrderLines, orders: Orders, ids: np.ndarray, months: list[str],
               month: np.ndarray) -> None:
    """Load every line with its order's id and date (a table per month on PostgreSQL: storage/order_lines.py), given
    per order of the file its id and its month's position among months."""
    first = bulk.reserve_ids(session, OrderLineRow.__table__, len(lines.seq))
    # per line its order's date and month as small codes (a city month: 4M lines over ~30 days, 4 MB each) instead
    # of a date object and an int64 per line
    day, days = pd.factorize(orders.order_date)
    order_date = pd.Categorical.from_codes(day.astype(np.int16)[lines.seq], categories=pd.Index(days, dtype=object))
    order_lines.load(session, {"id": np.arange(first, first + len(lines.seq), dtype=np.int64),
                               "order_id": ids[lines.seq], "order_date": order_date, **lines.columns},
                     months, month.astype(np.int16)[lines.seq])


def _delete_old_lines(session: Session, lines: Table, orders: Table, matched):
    """DELETE of the lines of re-imported orders: a join where the database has one, IN elsewhere."""
    if bulk.dialect(session) == "mysql":
        # MariaDB runs `IN (subquery)` of a DELETE as a dependent subquery per line: minutes, not seconds
        return delete(lines).where(lines.c.order_id == orders.c.id, matched)
    return delete(lines).where(lines.c.order_id.in_(select(orders.c.id).join(STAGE_ORDERS, matched)))
