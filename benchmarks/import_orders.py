"""Time `cmw import orders` beside the bulk floor measured in the same run: median seconds, the ratio, and the
import's peak memory. Prints, asserts nothing.

    .venv/bin/python benchmarks/import_orders.py --lines 1000000 --repeat 3 URL [URL ...]
    .venv/bin/python benchmarks/import_orders.py --file benchmarks/results/参考数据/orders-2026-10.csv --month 2026-10 URL

Each URL must hold a company (stores and products), e.g. after `cmw demo` or benchmarks/run.py (which leaves the city
company and its month files under benchmarks/results/); with --reset the database is wiped, migrated and given a
small company by importing generated org/stores/products files. Without --file the benchmark writes synthetic lines;
with --file (a month's file of the database's company, e.g. the city's ~3.9M lines) it imports that file, the
month's orders and monthly totals deleted (untimed; on PostgreSQL then vacuumed, as a month's first import
finds them) before each run. Each timed run imports in a process of its own (its peak memory
is the import's) and commits. One re-import (every order replaced) is timed at the end.
The floor: the database's raw bulk load of as many rows (order lines and orders) into a bare temporary table —
PostgreSQL COPY, MariaDB LOAD DATA LOCAL INFILE, SQLite sqlite3 executemany (benchmarks/floors.py), each timed on
60,000 rows and scaled. The issue's targets: ≤ 1.3× on PostgreSQL, ≤ 1.5× on MariaDB, peak ≤ 1 GiB for a city month.
"""
from __future__ import annotations

import argparse
import multiprocessing
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import delete, func, select, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import floors  # noqa: E402  (beside this file)
from engine.actors import Actor, Role  # noqa: E402
from storage.database import describe, drop_everything, make_engine, session_factory, upgrade  # noqa: E402
from engine.periods import month_days  # noqa: E402
from storage import order_lines  # noqa: E402
from storage.importers import import_file  # noqa: E402
from storage.schema import OrderLineRow, OrderRow, ProductRow, StoreBrandMonthRow, StoreMonthRow, StoreRow  # noqa: E402

ADMIN = Actor("admin", "基准测试", Role.ADMIN, ())
PREFIX = "BM"


def seed_company(sessions, folder: Path) -> None:
    """A small company (1 centre, 2 departments, 6 CMs, 1200 stores, 150 SKUs) through the importers."""
    org = [("C01", "基准市烟草公司", "公司", "", "admin", "管理员", "管理员"),
           ("Z01", "营销中心", "营销中心", "C01", "", "", ""),
           ("D01", "一部", "营销部", "Z01", "mm01", "市场一", "市场经理"),
           ("D02", "二部", "营销部", "Z01", "mm02", "市场二", "市场经理")]
    org += [(f"P{i:03d}", f"片区{i}", "片区", "D01" if i <= 3 else "D02", f"cm{i:03d}", f"客户经理{i}", "客户经理")
            for i in range(1, 7)]
    pd.DataFrame(org, columns=["单位编码", "单位名称", "单位类型", "上级单位编码", "用户编码", "用户姓名", "角色"]
                 ).to_csv(folder / "org.csv", index=False)
    codes = [f"4401{i:08d}" for i in range(1200)]
    pd.DataFrame({"客户编码": codes, "客户名称": [f"基准店{i}" for i in range(1200)],
                  "客户经理": [f"cm{i % 6 + 1:03d}" for i in range(1200)], "综合分类": "CZ2",
                  "档位": [str(i % 30 + 1) for i in range(1200)], "订货日": "周二"}).to_csv(folder / "stores.csv", index=False)
    prices = np.linspace(10, 200, 150).round(2)
    pd.DataFrame({"卷烟编码": [f"6901{i:09d}" for i in range(150)], "卷烟名称": [f"基准烟{i}" for i in range(150)],
                  "调拨价": prices, "批发价": (prices * 1.1).round(2)}).to_csv(folder / "products.csv", index=False)
    for kind in ("org", "stores", "products"):
        with sessions.begin() as session:
            import_file(session, kind, folder / f"{kind}.csv", ADMIN)


def write_lines(sessions, lines: int, path: Path, seed: int = 1) -> None:
    """About `lines` order lines (10-30 per order) over the database's stores and products, as a UTF-8 CSV."""
    with sessions() as session:
        stores = np.array(session.scalars(select(StoreRow.code)).all(), dtype=object)
        products = session.execute(select(ProductRow.sku, ProductRow.wholesale_price)).all()
    rng = np.random.default_rng(seed)
    per_order = rng.integers(10, 31, size=lines // 10 + 1)
    per_order = per_order[: np.searchsorted(np.cumsum(per_order), lines) + 1]
    order = np.repeat(np.arange(len(per_order)), per_order)[:lines]
    within = np.arange(len(order)) - np.repeat(np.cumsum(per_order) - per_order, per_order)[:lines]
    offset = rng.integers(0, len(products), size=len(per_order))[order]
    sku_at = (offset + within) % len(products)  # distinct SKUs within an order
    skus = np.array([p[0] for p in products], dtype=object)
    prices = np.array([float(p[1] or 50) for p in products])
    allowed = rng.integers(1, 30, size=lines)
    demanded = allowed + rng.integers(0, 5, size=lines)
    ordered = np.minimum(demanded, allowed)
    frame = pd.DataFrame({
        "订单号": pd.Series(order).map(lambda o: f"{PREFIX}{o:09d}"),
        "客户编码": stores[rng.integers(0, len(stores), size=len(per_order))][order],
        "订货日期": "20240506", "卷烟编码": skus[sku_at], "需求量": demanded, "限量": allowed, "订购量": ordered,
        "单价": prices[sku_at].round(2), "金额": (prices[sku_at] * ordered).round(2),
    })
    frame.to_csv(path, index=False)


def clear_orders(sessions, month: str | None = None) -> None:
    """Delete the benchmark's orders, or the month's (untimed, between runs)."""
    with sessions.begin() as session:
        if session.get_bind().dialect.name == "postgresql":
            # fresh statistics, else the delete plans for the empty tables of a new database and crawls
            session.execute(text("ANALYZE orders"))
            session.execute(text("ANALYZE order_lines"))
        if month:  # PostgreSQL: the month's table of lines dropped
            order_lines.take_out(session, month)
        else:
            which = OrderRow.order_no.like(f"{PREFIX}%")
            session.execute(delete(OrderLineRow).where(OrderLineRow.order_id.in_(select(OrderRow.id).where(which))),
                            execution_options={"synchronize_session": False})
            session.execute(delete(OrderRow).where(which), execution_options={"synchronize_session": False})
        if month:  # and its totals: each timed run is the month's first import (PostgreSQL: no table of the month's
            # per-brand totals, as before the month's first import)
            for totals in (StoreMonthRow, StoreBrandMonthRow):
                session.execute(delete(totals).where(totals.month == month))
            if session.get_bind().dialect.name == "postgresql":
                session.execute(text(f"DROP TABLE IF EXISTS store_brand_months_{month.replace('-', '_')}"))
    if sessions.kw["bind"].dialect.name == "postgresql":
        # the deleted rows vacuumed away (autovacuum would, in minutes): a month's first import meets no dead rows
        # of its own, while the next run would otherwise find a whole month of them in the totals' key (~2 s more)
        with sessions.kw["bind"].connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            for name in ("orders", "order_lines", "store_months", "store_brand_months"):
                connection.execute(text(f"VACUUM ANALYZE {name}"))


def _import(url: str, path: str) -> tuple[float, float]:
    """In a process of its own: seconds for one import of the file, commit included, and the process's peak MiB."""
    engine = make_engine(url)
    sessions = session_factory(engine)
    started = time.perf_counter()
    with sessions.begin() as session:
        import_file(session, "orders", Path(path), ADMIN)
    seconds = time.perf_counter() - started
    engine.dispose()
    return seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed_import(url: str, path: Path) -> tuple[float, float]:
    """Seconds and peak MiB of one import, in a fresh process (spawned: nothing of this one is inherited)."""
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(_import, (url, str(path)))


def _rows(path: Path) -> int:
    """Order lines and orders in the file (what the import writes, as the floor counts rows)."""
    frame = pd.read_csv(path, usecols=[0], dtype=str)
    return len(frame) + frame.iloc[:, 0].nunique()


def bench(url: str, lines: int, repeat: int, reset: bool, folder: Path, file: Path | None, month: str | None) -> None:
    """Print the median import time, its floor and peak memory for one database."""
    engine = make_engine(url)
    sessions = session_factory(engine)
    if reset:
        drop_everything(engine)
        upgrade(engine)
        seed_company(sessions, folder)
    with sessions() as session:
        if not session.scalar(select(func.count()).select_from(StoreRow)):
            print(f"{describe(engine)}：没有客户数据。请先运行 cmw demo，或加 --reset 生成一个小公司。")
            return
    if file is None:
        path = folder / f"orders_{engine.dialect.name}.csv"
        write_lines(sessions, lines, path)
    else:
        path = file
    rows = _rows(path)
    found = {"postgresql": lambda: floors.pg_copy(url), "sqlite": lambda: floors.sqlite_raw(folder)}.get(
        engine.dialect.name, lambda: floors.mysql_load(url))
    floor = floors.median_seconds(found, max(repeat, 3)) * rows / floors.ROWS
    clear_orders(sessions, month)
    runs, peaks = [], []
    for _ in range(repeat):
        seconds, peak = timed_import(url, path)
        runs.append(seconds)
        peaks.append(peak)
        clear_orders(sessions, month)
    timed_import(url, path)
    again, _ = timed_import(url, path)
    if file is None:
        clear_orders(sessions)
    median = statistics.median(runs)
    print(f"{engine.dialect.name:<11} {path.name}：{rows:,} 行（明细与订单）  导入中位数 {median:6.2f} 秒"
          f"（{repeat} 次：{', '.join(f'{r:.2f}' for r in runs)}）  底线 {floor:6.2f} 秒  = 底线的 {median / floor:.2f} 倍  "
          f"峰值内存 {max(peaks):,.0f} MiB  重新导入（替换明细）{again:6.2f} 秒", flush=True)
    if month and engine.dialect.name == "postgresql":
        print(disk_of_month(sessions, month), flush=True)
    engine.dispose()


def disk_of_month(sessions, month: str) -> str:
    """PostgreSQL: the disk a month of orders takes — its table of lines with its indexes, exactly; the orders and
    the monthly totals as their tables' size (indexes included) shared out by the month's rows."""
    days = month_days(month)
    with sessions() as session:
        own = {name: session.scalar(text("SELECT pg_total_relation_size(to_regclass(:name))"),
                                    {"name": f"{name}_{month.replace('-', '_')}"}) or 0
               for name in ("order_lines", "store_brand_months")}  # the month's own tables (0016, 0017)
        lines = own["order_lines"]
        shares = {"品牌月度汇总": float(own["store_brand_months"])}
        for label, table, within in (("订单", "orders", OrderRow.order_date.between(days[0], days[-1])),
                                     ("客户月度汇总", "store_months", StoreMonthRow.month == month)):
            model = {"orders": OrderRow, "store_months": StoreMonthRow}[table]
            rows = session.scalar(select(func.count()).select_from(model).where(within))
            every = session.scalar(select(func.count()).select_from(model)) or 1
            size = session.scalar(text(f"SELECT pg_total_relation_size('{table}')"))
            shares[label] = size * rows / every
    mb = 2 ** 20
    return (f"磁盘（{month} 一个月）：订单明细 {lines / mb:,.0f} MB（表 order_lines_{month.replace('-', '_')}，含索引），"
            + "，".join(f"{label} ≈{size / mb:,.0f} MB" for label, size in shares.items())
            + f"（订单与客户月度汇总按行数分摊各表大小）；合计 ≈{(lines + sum(shares.values())) / mb:,.0f} MB")


def main() -> None:
    """Parse the arguments and time each database given."""
    parser = argparse.ArgumentParser(description="订单导入基准测试（只打印，不断言）")
    parser.add_argument("urls", nargs="+", help="数据库 URL，例如 sqlite:////tmp/bench.sqlite3")
    parser.add_argument("--lines", type=int, default=1_000_000, help="订单明细行数，默认 1000000")
    parser.add_argument("--repeat", type=int, default=3, help="重复次数，取中位数，默认 3")
    parser.add_argument("--reset", action="store_true", help="清空数据库并生成一个小公司（会删除库中全部数据）")
    parser.add_argument("--file", type=Path, help="导入这个订单文件（库中公司的一个月，例如 city 的 orders-2026-10.csv）")
    parser.add_argument("--month", help="与 --file 同用：文件的月份，每次导入前删除库中该月订单（不计时）")
    args = parser.parse_args()
    if bool(args.file) != bool(args.month):
        parser.error("--file 与 --month 须同时给出")
    with tempfile.TemporaryDirectory() as folder:
        for url in args.urls:
            bench(url, args.lines, args.repeat, args.reset, Path(folder), args.file, args.month)


if __name__ == "__main__":
    main()
