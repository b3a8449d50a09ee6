"""Benchmark issue 13's city targets beside floors measured in the same run. Prints; asserts nothing.

    .venv/bin/python benchmarks/brands.py --url postgresql+psycopg://postgres@127.0.0.1:5432/cmw_bench_brands
    .venv/bin/python benchmarks/brands.py --size small            # a quick look (1,200 stores), SQLite file

The database at --url is WIPED and rebuilt: the demo company of --size (city: 150 CMs, 30,000 stores, 400 SKUs,
~4M order lines a month) with --months months of orders, imported through the orders importer. Then, medians of
--repeat runs:

- the orders import of the last month (a re-import: every order replaced), split into what it did before this issue
  and what it does now: the part that made the month's per-brand totals (store_brand_months; added up from the file's
  lines when the file holds the whole month) is timed inside the import, and its share of the rest is the import's
  growth (target ≤ 15 %);
- §7 for every CM and key brand: the Draft figures of every CM's brand analysis (target ≤ 3 s on PostgreSQL), beside
  the floor of reading the same per-brand rows of every CM in one SELECT;
- the assisted filter over one CM's stores (median over 20 CMs; target ≤ 200 ms), beside reading that CM's rows;
- CMW_SHELF_RATE over a CM, warm (target ≤ 5 ms), beside a SELECT 1 through a new unit of work.

--reuse times all but the import on the company a previous run left at --url (nothing wiped or rebuilt).
"""
from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from unittest.mock import patch

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from sqlalchemy import select, text  # noqa: E402

from addin.app import App  # noqa: E402
from addin.demo.company import COMPANY, SIZES, generate  # noqa: E402
from engine.actors import Actor, Role  # noqa: E402
from engine.brand_filter import conditions_of, filter_stores  # noqa: E402
from engine.document_types import document_type  # noqa: E402
from engine.forms import read_forms  # noqa: E402
from engine.periods import previous_month  # noqa: E402
from storage.database import describe, drop_everything, make_engine, session_factory, upgrade  # noqa: E402
from storage.importers import import_file  # noqa: E402
from storage.schema import StoreBrandMonthRow, StoreRow, User  # noqa: E402
from storage import store_months  # noqa: E402

ADMIN = Actor("admin", "基准测试", Role.ADMIN, (COMPANY[0],))
TARGETS = {"import": "≤ +15 %", "brand_analysis": "≤ 3 s（PostgreSQL）", "filter": "≤ 200 ms", "udf": "≤ 5 ms"}


def median_of(work, repeat: int) -> tuple[float, list[float]]:
    """Median seconds of work() over repeat runs, and the runs."""
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs), runs


def say(label: str, seconds: float, floor: float | None = None, target: str = "") -> None:
    """One line of the result: the figure, the floor and their ratio, the issue's target."""
    beside = f"   底线 {floor * 1000:9.1f} ms   ×{seconds / floor:6.1f}" if floor else ""
    print(f"  {label:<34}{seconds * 1000:10.1f} ms{beside}   目标 {target}", flush=True)


def build(app: App, size: str, months: int, seed: int, month: str, folder: Path) -> list[str]:
    """The demo company with months of orders, through the importers; the months imported."""
    files = generate(dataclasses.replace(SIZES[size], months=months), seed, month, folder)
    for kind, path in (("org", files.org), ("stores", files.stores), ("products", files.products),
                       *(("orders", p) for p in files.order_files)):
        started = time.perf_counter()
        with app.sessions.begin() as session:
            import_file(session, kind, path, ADMIN)
        print(f"  导入 {path.name}：{time.perf_counter() - started:.1f} s", flush=True)
    if app.engine.dialect.name == "postgresql":
        with app.engine.begin() as connection:
            connection.execute(text("ANALYZE"))
    return [m.month for m in files.months]


def bench_import(app: App, analysed: str, orders: Path, repeat: int) -> None:
    """A re-import of the month (every order replaced, both totals rebuilt), and the part of it that the per-brand
    totals took: compared with the kept rows and written when the file holds the whole month
    (store_months.add_brand_months; their adding up from the file's lines runs while the lines are written, and costs
    the import no time of its own), else read back from the tables (refresh_brand_months)."""
    spent: list[float] = []

    def timed(work):
        def run(*args, **kwargs):
            started = time.perf_counter()
            work(*args, **kwargs)
            spent.append(time.perf_counter() - started)
        return run

    runs = []
    for _ in range(repeat):
        spent.clear()
        with patch.object(store_months, "add_brand_months", timed(store_months.add_brand_months)), \
                patch.object(store_months, "refresh_brand_months", timed(store_months.refresh_brand_months)):
            started = time.perf_counter()
            with app.sessions.begin() as session:
                import_file(session, "orders", orders, ADMIN)
            runs.append((time.perf_counter() - started, sum(spent)))
    whole, brand = sorted(runs)[len(runs) // 2]
    print(f"  订单导入（{analysed}，重新导入整月）{whole:8.2f} s，其中按品牌汇总 {brand:6.2f} s："
          f"本 issue 使导入增加 {brand / (whole - brand):+.1%}（目标 {TARGETS['import']}）", flush=True)


def prepare_targets(app: App, month: str, cms: list[str]) -> None:
    """The month's key brands (the products' flags) and a §5 target per key brand for every CM (untimed)."""
    with app.uow() as uow:
        flags = {b: f for b, f in uow.products.brands().items() if any(f)}
        uow.key_brands.replace(month, flags, "admin")
        uow.commit()
    with app.uow() as uow:
        for view in read_forms(uow, app.actor("admin"), document_type("brand_targets"), cms, month, create=True):
            uow.values.put_many(view.doc.id, [value for n, brand in enumerate(sorted(flags), start=1) for value in
                                              (("targets.brand", n, brand), ("targets.shelf_rate", n, "70"))],
                                version=view.doc.version)
        uow.commit()


def bench_brand_analysis(app: App, month: str, cms: list[str], repeat: int) -> None:
    """§7's figures of every CM, beside reading every CM's per-brand rows of the months §7 reads in one SELECT."""
    from engine.brand_analysis import months_read

    many = document_type("brand_analysis").draft.many

    def every_cm():  # as a market manager's folder of the department's workbooks reads them: set-based, at once
        with app.uow() as uow:
            many(uow, cms, month)

    def floor():
        with app.uow() as uow:
            brands = list(uow.key_brands.of_month(month))
            uow.brand_months.totals(cms, months_read(month), brands)
    seconds, _ = median_of(every_cm, repeat)
    floor_seconds, _ = median_of(floor, repeat)
    say(f"§7 全部 {len(cms)} 位客户经理", seconds, floor_seconds, TARGETS["brand_analysis"])


def bench_filter(app: App, month: str, cms: list[str], repeat: int) -> None:
    """The assisted filter over one CM's stores (median over CMs), beside reading that CM's per-brand rows."""
    with app.uow() as uow:
        brand = sorted(uow.key_brands.of_month(month))[0]
    conditions = conditions_of(tiers="5-30", class_not_brand=True, volume="1-")
    runs, floors = [], []
    for cm in cms[:20]:
        def run(cm=cm):
            with app.uow() as uow:
                filter_stores(uow, app.actor("admin"), cm, month, brand, conditions)

        def floor(cm=cm):
            with app.uow() as uow:
                uow.brand_months.totals([cm], [previous_month(month)])
        runs.append(median_of(run, repeat)[0])
        floors.append(median_of(floor, repeat)[0])
    say("辅助筛选（一位客户经理）", statistics.median(runs), statistics.median(floors), TARGETS["filter"])


def bench_udf(app: App, url: str, month: str, cm: str) -> None:
    """CMW_SHELF_RATE warm, beside SELECT 1 through a new unit of work."""
    os.environ["CMW_DATABASE_URL"] = url
    from udfs import answers
    from udfs.brands import CMW_SHELF_RATE

    answers._sessions.cache_clear()
    with app.uow() as uow:
        brand = sorted(uow.key_brands.of_month(month))[0]
    first = CMW_SHELF_RATE(brand, month, cm)
    assert isinstance(first, float), first
    warm, _ = median_of(lambda: CMW_SHELF_RATE(brand, month, cm), 50)

    def floor():
        with answers.unit_of_work() as uow:
            uow.session.execute(select(1))
    floor_seconds, _ = median_of(floor, 50)
    say(f"=CMW_SHELF_RATE（{cm}，热调用）", warm, floor_seconds, TARGETS["udf"])


def main() -> None:
    """Build the company, then time each target."""
    parser = argparse.ArgumentParser(description="issue 13 基准测试（会清空 --url 指定的数据库）")
    parser.add_argument("--url", help="数据库 URL（默认 benchmarks/results/brands.sqlite3）")
    parser.add_argument("--size", default="city", choices=sorted(SIZES))
    parser.add_argument("--months", type=int, default=2, help="订单月数（辅助筛选读上月，至少 2）")
    parser.add_argument("--month", default="2026-12", help="演示月份：订单为它之前的 --months 个月")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reuse", action="store_true",
                        help="不重建：沿用 --url 上次建好的公司，不计订单导入（快速复测其余各项）")
    args = parser.parse_args()
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    url = args.url or f"sqlite:///{results / 'brands.sqlite3'}"
    engine = make_engine(url)
    if not args.reuse:
        drop_everything(engine)
        upgrade(engine)
    app = App(engine, session_factory(engine))
    print(f"数据库：{describe(engine)}；规模 {args.size}，{args.months} 个月订单", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        if args.reuse:
            with app.sessions() as session:
                months = sorted(session.scalars(select(StoreBrandMonthRow.month).distinct()))
        else:
            months = build(app, args.size, args.months, args.seed, args.month, Path(folder))
        analysed = months[-1]
        with app.sessions() as session:
            cms = list(session.scalars(select(User.code).where(User.role == "cm").order_by(User.code)))
            rows = session.scalar(select(text("count(*)")).select_from(StoreBrandMonthRow.__table__))
            stores = session.scalar(select(text("count(*)")).select_from(StoreRow.__table__))
        print(f"  {stores:,} 户客户，{len(cms)} 位客户经理，按品牌汇总 {rows:,} 行", flush=True)
        if args.reuse:
            print("  订单导入：--reuse 时不计时（要计时请不带 --reuse 重建）", flush=True)
        else:
            bench_import(app, analysed, Path(folder) / f"orders-{analysed}.csv", args.repeat)
        prepare_targets(app, analysed, cms)
        bench_brand_analysis(app, analysed, cms, args.repeat)
        bench_filter(app, analysed, cms, args.repeat)
        bench_udf(app, url, analysed, cms[0])
    engine.dispose()


if __name__ == "__main__":
    main()
