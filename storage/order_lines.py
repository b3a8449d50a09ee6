"""Where order lines are kept: a table per month on PostgreSQL, loaded whole and attached; a month older than the
kept window archived to a file of the import's own format and taken out of the database.

PostgreSQL (migration 0016): order_lines is partitioned by month of order_date. A month that keeps no lines yet is
loaded into a table of its own with no index, its keys built once after the rows, then attached as the month's
partition — the same rows cost less than loading them through the table's indexes; a month that keeps lines
is loaded through order_lines. Archiving a month drops its table. SQLite and MariaDB keep one table and work on rows.

A month's archive is `订单归档-YYYY-MM.csv.gz`, the orders import's columns: `cmw import orders` of that file
brings the month back. Until then the month is recorded as archived (cmw_settings), and an orders file that
touches it without holding the whole month is refused: the month's totals would be rebuilt from part of its lines.
"""
from __future__ import annotations

import csv
import gzip
import io
import os
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import MetaData, and_, delete, func, select, text
from sqlalchemy.orm import Session

from engine.errors import Refused, os_reason
from engine.periods import month_days, parse_month
from storage.importers import bulk
from storage.schema import OrderLineRow, OrderRow, ProductRow, Setting, StoreRow

#: The archive file's header: the orders import's column names (docs/import-formats.md).
HEADER = ("订单号", "客户编码", "订货日期", "卷烟编码", "需求量", "限量", "订购量", "单价", "金额")
#: cmw_settings key of an archived month: the file's name, its orders and its lines.
_ARCHIVED = "orders_archived/"
#: A month's table of lines or of per-brand totals (PostgreSQL, migrations 0016 and 0017): not one of the declared
#: tables, made by the program.
_MONTH_TABLE = re.compile(r"(order_lines|store_brand_months)_\d{4}_\d{2}")


def is_month_table(name: str) -> bool:
    """Whether a table is a month's table of order lines or per-brand totals (schema comparisons and "is this database
    ours" skip it)."""
    return bool(_MONTH_TABLE.fullmatch(name))


def compared(name, type_, parent_names) -> bool:
    """Alembic's include_name: what a schema comparison looks at — not the months' tables."""
    return not (type_ == "table" and bool(name) and is_month_table(name))


def first_day(month: str) -> date:
    """The month's first day (a partition's lower bound)."""
    year, mon = parse_month(month)
    return date(year, mon, 1)


def partitioned(session: Session) -> bool:
    """Whether order lines are kept a table per month (PostgreSQL)."""
    return bulk.dialect(session) == "postgresql"


def ensure_months(session: Session, months: list[str]) -> None:
    """Make the months' partitions where lines are written row by row (the tests' own companies)."""
    if partitioned(session):
        for month in sorted(set(months)):
            session.execute(text("SELECT cmw_order_lines_month(:first, false)"), {"first": first_day(month)})


def load(session: Session, columns: dict[str, Any], months: list[str], month: np.ndarray) -> None:
    """Append order lines (one array per column, order_date among them), given the months (sorted) and per line the
    position of its month: on PostgreSQL a month that keeps no lines goes into a table of its own, attached after."""
    table = OrderLineRow.__table__
    if not partitioned(session):
        bulk.load(session, table, columns)
        return
    fresh = []
    for n, name in enumerate(months):
        target = session.scalar(text("SELECT cmw_order_lines_month(:first, true)"), {"first": first_day(name)})
        rows = None if len(months) == 1 else month == n
        part = columns if rows is None else {k: _rows(v, rows) for k, v in columns.items()}
        bulk.load(session, table if target == table.name else table.to_metadata(MetaData(), name=target), part)
        if target != table.name:
            fresh.append(name)
    for name in fresh:
        session.execute(text("SELECT cmw_order_lines_attach(:first)"), {"first": first_day(name)})


def take_out_lines_of_whole_months(session: Session, kept: Counter) -> set[str]:
    """Given per month how many of its kept orders a file brings again: on PostgreSQL, the months where that is every
    order the month keeps lose their table of lines now (instead of ~4M lines deleted one by one: a month's
    re-import then costs what its first import does); those months. Elsewhere nothing, and no months."""
    if not partitioned(session):
        return set()
    one_at_a_time(session)  # another import's uncommitted lines of the month must not go with its table
    whole = set()
    for month, count in kept.items():
        days = month_days(month)
        if session.scalar(select(func.count()).select_from(OrderRow).where(
                OrderRow.order_date.between(days[0], days[-1]))) == count:
            session.execute(text("SELECT cmw_order_lines_drop(:first)"), {"first": first_day(month)})
            whole.add(month)
    return whole


def one_at_a_time(session: Session) -> None:
    """PostgreSQL: wait for any other orders import or archive to end, and keep them waiting until this transaction
    ends (the locks under which the importer reserves ids, in its order: orders, then order_lines)."""
    if partitioned(session):
        bulk.hold_ids(session, "orders")
        bulk.hold_ids(session, "order_lines")


def _rows(values, rows: np.ndarray):
    return bulk.Fixed(values.units[rows], values.places) if isinstance(values, bulk.Fixed) else values[rows]


# --- the archive ----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Archived:
    """A month taken out of the database: its file, orders and lines."""

    month: str
    path: Path
    orders: int
    lines: int


def months_with_orders(session: Session) -> list[str]:
    """The months that keep orders, oldest first."""
    firsts = session.scalars(select(func.min(OrderRow.order_date)).group_by(
        func.extract("year", OrderRow.order_date), func.extract("month", OrderRow.order_date))).all()
    return sorted(f"{day:%Y-%m}" for day in firsts)


def archived_months(session: Session) -> dict[str, tuple[str, int, int]]:
    """Per archived month: its file's name, orders and lines."""
    found = {}
    for key, value in session.execute(select(Setting.key, Setting.value).where(Setting.key.like(f"{_ARCHIVED}%"))):
        name, orders, lines = value.rsplit("|", 2)
        found[key[len(_ARCHIVED):]] = (name, int(orders), int(lines))
    return found


def archive_month(session: Session, month: str, folder: Path) -> Archived:
    """Write the month's orders to 订单归档-YYYY-MM.csv.gz in folder (complete on disk before anything is taken
    out), then take its lines and orders out of the database and record the month as archived, in the caller's
    transaction. The monthly totals stay: the analyses read them, never the lines."""
    one_at_a_time(session)  # an import of the month must not add lines between the file and the drop
    path = Path(folder).resolve() / f"订单归档-{month}.csv.gz"  # said whole: the user need not know the current folder
    if path.parent.exists() and not path.parent.is_dir():
        raise Refused(f"{path.parent} 是一个文件，不是文件夹：请用 --to 给出放归档文件的文件夹。数据库中的订单没有改动。")
    if path.exists():
        raise Refused(f"{path} 已经存在（可能是这个月以前的归档）。请换一个文件夹（--to），或先把这个文件移走。")
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
        lines = _write(session, month, path)
    except OSError as exc:
        raise Refused(f"无法写入归档文件 {path}：{os_reason(exc)}。数据库中的订单没有改动。") from None
    orders = take_out(session, month)
    session.add(Setting(key=f"{_ARCHIVED}{month}", value=f"{path.name}|{orders}|{lines}"))
    session.flush()
    return Archived(month, path, orders, lines)


def take_out(session: Session, month: str) -> int:
    """Delete the month's order lines (PostgreSQL: drop its table) and orders, in the caller's transaction; the
    orders taken out. Its monthly totals are not touched."""
    days = month_days(month)
    if partitioned(session):
        session.execute(text("SELECT cmw_order_lines_drop(:first)"), {"first": first_day(month)})
    else:
        session.execute(delete(OrderLineRow).where(OrderLineRow.order_date.between(days[0], days[-1])),
                        execution_options={"synchronize_session": False})
    return session.execute(delete(OrderRow).where(OrderRow.order_date.between(days[0], days[-1])),  # type: ignore[attr-defined]
                           execution_options={"synchronize_session": False}).rowcount  # a DELETE gives a CursorResult


def restored(session: Session, months: list[str], orders_per_month: dict[str, int]) -> None:
    """Before an orders file is loaded: refuse it when it touches an archived month without holding all its orders
    (its totals would be rebuilt from part of its lines); a month it brings back whole is archived no more."""
    archived = archived_months(session)
    for month in months:
        if month not in archived:
            continue
        name, orders, _ = archived[month]
        if orders_per_month.get(month, 0) < orders:
            year, mon = parse_month(month)
            raise Refused(f"文件中有 {year}年{mon}月 的 {orders_per_month.get(month, 0)} 张订单，而这个月的订单已经归档"
                          f"（{name}，{orders} 张）。要修改这个月，请先导入归档文件恢复这个月：cmw import orders {name}，"
                          "再导入本文件；数据库没有改动。")
        session.execute(delete(Setting).where(Setting.key == f"{_ARCHIVED}{month}"))


def _write(session: Session, month: str, path: Path) -> int:
    """The month's lines as the import's CSV (UTF-8, gzip), written to a part file, synced, then renamed; its lines."""
    days = month_days(month)
    line, order = OrderLineRow.__table__.c, OrderRow.__table__.c
    query = (select(order.order_no, StoreRow.code, order.order_date, ProductRow.sku, line.qty_demanded,
                    line.qty_allowed, line.qty_ordered, line.price, line.amount)
             .select_from(OrderLineRow.__table__.join(OrderRow.__table__, order.id == line.order_id)
                          .join(StoreRow, StoreRow.id == order.store_id).join(ProductRow, ProductRow.id == line.product_id))
             .where(and_(order.order_date.between(days[0], days[-1]), line.order_date.between(days[0], days[-1])))
             .order_by(order.order_date, order.order_no, ProductRow.sku))
    part = path.with_name(path.name + ".part")
    count = 0
    try:
        with open(part, "wb") as raw:
            with gzip.GzipFile(filename=path.name[:-3], mode="wb", fileobj=raw, compresslevel=6) as packed:
                packed.write((",".join(HEADER) + "\n").encode("utf-8"))
                if partitioned(session):
                    count = _copy_out(session, query, packed)
                else:
                    count = _fetch_out(session, query, packed)
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(part, path)
    finally:
        if part.exists():
            part.unlink()
    return count


def _copy_out(session: Session, query, out) -> int:
    """PostgreSQL: COPY (query) TO STDOUT as CSV, streamed into out a block at a time; the rows written."""
    compiled = query.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
    driver: Any = session.connection().connection.driver_connection
    with driver.cursor() as cursor:
        with cursor.copy(f"COPY ({compiled}) TO STDOUT (FORMAT csv)") as copy:
            for block in copy:
                out.write(block)
        return cursor.rowcount


def _fetch_out(session: Session, query, out) -> int:
    """Elsewhere: the rows fetched 100,000 at a time and written as CSV; the rows written."""
    count = 0
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for chunk in session.execute(query.execution_options(yield_per=100_000)).partitions():
        writer.writerows((no, code, f"{day:%Y-%m-%d}" if not isinstance(day, str) else day, sku, *numbers)
                         for no, code, day, sku, *numbers in chunk)
        out.write(buffer.getvalue().encode("utf-8"))
        buffer.seek(0)
        buffer.truncate()
        count += len(chunk)
    return count
