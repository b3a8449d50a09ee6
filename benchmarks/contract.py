"""Time §18: the actuals of every CM's performance contract for a city month (150 CMs, 30,000 stores), read
set-based, beside the floor measured in the same run. Prints; asserts nothing. **Wipes the database at --url.**

    .venv/bin/python benchmarks/contract.py --url postgresql+psycopg://postgres@127.0.0.1:5432/cmw_contract_bench

Untimed set-up: the city's organisation and stores imported from the demo generator's files (as run.py does); the
month's per-store order totals (store_months, what the orders importer keeps: one row per store) and every CM's big
table (documents and plan_cells, ~1,200 marks each, a quarter ★) and two weekly self-assessments per CM written in
bulk, with random figures, §8 answers for 60 % of the stores, the month's key brands (8 key, 2 backbone-only) and
each store's per-brand totals (store_brand_months, ~40 % of 30 brands a store: what 重点品牌上柜率 reads); then 150
contracts opened. No order lines: the actuals never read them.

Timed (medians of --repeat):
- actuals(): the catalogue's actuals and the month's weeks for all 150 CMs at once (engine/kinds/contract.py);
- read_forms(): everything a folder export of the 150 contracts reads before writing its files (documents, kept
  values, decisions, names, and the actuals through Draft.many);
- the same actuals asked one CM at a time (what set-based saves);
- the floor: the five aggregate statements the actuals need, sent raw through the driver (order totals per CM, the
  key brands' stocking stores per CM and brand, marks per big table, survey answers per state, the weekly documents
  and their values).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

import numpy as np
from sqlalchemy import insert, select, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from addin.app import App  # noqa: E402
from addin.demo.company import COMPANY, SIZES, write_reference_files  # noqa: E402
from engine.actors import Actor, Role  # noqa: E402
from engine.document_types import document_type  # noqa: E402
from engine.documents import open_documents  # noqa: E402
from engine.forms import read_forms  # noqa: E402
from engine.kinds.contract import actuals, figures  # noqa: E402
from engine.periods import month_days  # noqa: E402
from floors import median_seconds as median  # noqa: E402  (beside this file)
from storage.database import describe, drop_everything, make_engine, session_factory, upgrade  # noqa: E402
from storage import store_months  # noqa: E402
from storage.importers import import_file  # noqa: E402
from storage.repositories import now  # noqa: E402
from storage.schema import (  # noqa: E402
    DocumentRow, DocumentValueRow, KeyBrandRow, PlanCellRow, StoreBrandMonthRow, StoreMonthRow, StoreRow,
    SurveyAnswerRow, User,
)

ACTIONS = ("assortment", "display", "law", "price", "new_sku", "order_advice")
BRANDS = tuple(f"品牌{n:02d}" for n in range(1, 31))  # the month's brands ordered; the first KEY_BRANDS are key
KEY_BRANDS = 8  # …and the next two backbone-only (not averaged into 重点品牌上柜率)


def build(app: App, size: str, seed: int, month: str, folder: Path) -> list[str]:
    """The city's org and stores imported; the month's order totals, big tables and weeks written in bulk."""
    files, _, _ = write_reference_files(SIZES[size], seed, folder)
    admin = Actor("admin", "基准测试", Role.ADMIN, (COMPANY[0],))
    for kind, path in (("org", files.org), ("stores", files.stores)):
        with app.sessions.begin() as session:
            import_file(session, kind, path, admin)
        admin = app.actor("admin") if kind == "org" else admin
    rng = np.random.default_rng(seed)
    with app.sessions.begin() as session:
        stores = session.execute(select(StoreRow.id, User.code).join(User, User.id == StoreRow.cm_id)).all()
        cms = sorted({cm for _, cm in stores})
        volumes = rng.integers(0, 400, len(stores))
        session.execute(insert(StoreMonthRow), [
            {"store_id": sid, "month": month, "volume": int(v), "amount": round(float(v) * float(rng.uniform(80, 260)), 2),
             "class12": int(v) // 3, "key": int(v) // 4, "order_count": 4, "sku_count": 12}
            for (sid, _), v in zip(stores, volumes)])
        at = now()
        owners = dict(session.execute(select(User.code, User.id).where(User.code.in_(cms))).all())
        session.execute(insert(DocumentRow), [{"kind": "bigtable", "owner_id": owners[cm], "period": month,
                                               "state": "results_submitted", "version": 3, "updated_at": at}
                                              for cm in cms])
        weeks = [day for day in month_days(month) if day.weekday() == 0][:2]
        session.execute(insert(DocumentRow), [{"kind": "weekly", "owner_id": owners[cm], "period": week.isoformat(),
                                               "state": "confirmed", "version": 3, "updated_at": at}
                                              for cm in cms for week in weeks])
        tables = dict(session.execute(select(DocumentRow.owner_id, DocumentRow.id)
                                      .where(DocumentRow.kind == "bigtable", DocumentRow.period == month)).all())
        by_cm: dict[str, list[int]] = {}
        for sid, cm in stores:
            by_cm.setdefault(cm, []).append(sid)
        cells = []
        for cm, ids in by_cm.items():
            for sid in ids:
                for action in rng.choice(ACTIONS, 6, replace=False)[:int(rng.integers(4, 7))]:
                    cells.append({"document_id": tables[owners[cm]], "store_id": sid, "action": str(action),
                                  "mark": "★" if rng.random() < 0.25 else "☆", "carried": False, "reason": "",
                                  "changed_in": 2, "updated_at": at})
        for start in range(0, len(cells), 20_000):
            session.execute(insert(PlanCellRow), cells[start:start + 20_000])
        weekly = session.execute(select(DocumentRow.id, DocumentRow.period)
                                 .where(DocumentRow.kind == "weekly", DocumentRow.period.like(f"{month}-%"))).all()
        values = [{"document_id": doc_id, "field": field, "line": 0, "value": value, "changed_in": 2, "updated_at": at}
                  for doc_id, period in weekly
                  for field, value in (("days", f"{period}～{date.fromisoformat(period) + timedelta(days=6):%m-%d}"),
                                       ("visits", "80"), ("marked_stores", "31"), ("done", "57"), ("new_stores", "1"))]
        values += [{"document_id": doc_id, "field": "ratings.rating", "line": n, "value": "良", "changed_in": 2,
                    "updated_at": at} for doc_id, _ in weekly for n in range(1, 5)]
        session.execute(insert(DocumentValueRow), values)
        session.execute(insert(KeyBrandRow), [{"month": month, "brand": brand, "is_key": n < KEY_BRANDS,
                                               "is_backbone": n >= KEY_BRANDS - 2, "updated_at": at, "actor_code": "admin"}
                                              for n, brand in enumerate(BRANDS[:KEY_BRANDS + 2])])
        ordered = rng.random((len(stores), len(BRANDS))) < 0.4  # each store orders ~40 % of the brands this month
        brand_rows = [{"month": month, "store_id": sid, "brand": BRANDS[b], "price_class": int(b % 5) + 1,
                       "volume": int(rng.integers(1, 30)), "amount": 0} for (sid, _), row in zip(stores, ordered)
                      for b in np.flatnonzero(row)]
        store_months.ensure_months(session, [month])  # PostgreSQL: the month's partition
        for start in range(0, len(brand_rows), 20_000):
            session.execute(insert(StoreBrandMonthRow), brand_rows[start:start + 20_000])
        answered = [(sid, owners[cm]) for sid, cm in stores if rng.random() < 0.6]  # §8: 60 % answered, 80 % confirmed
        session.execute(insert(SurveyAnswerRow), [
            {"month": month, "store_id": sid, "cm_id": cm_id, "channel": "online", "answered_on": date.fromisoformat(
                f"{month}-01"), "items": "supply,display", "urgent1": "supply", "urgent2": "", "urgent3": "",
             "suggestion": "", "state": "confirmed" if rng.random() < 0.8 else "draft", "entered_at": at,
             "entered_by": "admin", "updated_at": at} for sid, cm_id in answered])
    if app.engine.dialect.name == "postgresql":
        with app.engine.connect() as connection:  # what autovacuum would do after a bulk load
            connection.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
    print(f"  建立：{len(cms)} 位客户经理，{len(stores):,} 户客户，本月订单汇总 {len(stores):,} 行（按品牌 {len(brand_rows):,} 行，"
          f"{len(BRANDS)} 个品牌，其中重点品牌 {KEY_BRANDS} 个），大表 {len(cms)} 份共 "
          f"{len(cells):,} 个标注，周自我评估 {len(weekly)} 份，需求调查答卷 {len(answered):,} 份")
    return cms


def floor(app: App, cms: list[str], month: str) -> None:
    """The five aggregate reads the actuals need, through the driver's own cursor (no ORM, no frames)."""
    connection = app.engine.raw_connection()
    try:
        cursor = connection.cursor()
        marker = "%s" if app.engine.dialect.paramstyle in ("format", "pyformat") else "?"
        people = ", ".join([marker] * len(cms))
        cursor.execute(f"SELECT u.code, sum(m.volume), sum(m.amount) FROM store_months m JOIN stores s ON s.id = "
                       f"m.store_id JOIN users u ON u.id = s.cm_id WHERE m.month = {marker} AND u.code IN ({people}) "
                       f"GROUP BY u.code", [month, *cms])
        cursor.fetchall()
        cursor.execute(f"SELECT c.document_id, c.mark, count(*) FROM plan_cells c JOIN documents d ON d.id = "
                       f"c.document_id JOIN users u ON u.id = d.owner_id WHERE d.kind = 'bigtable' AND d.period = "
                       f"{marker} AND u.code IN ({people}) AND c.mark <> '' GROUP BY c.document_id, c.mark",
                       [month, *cms])
        cursor.fetchall()
        cursor.execute(f"SELECT u.code, a.state, count(*) FROM survey_answers a JOIN users u ON u.id = a.cm_id WHERE "
                       f"a.month = {marker} AND u.code IN ({people}) GROUP BY u.code, a.state", [month, *cms])
        cursor.fetchall()
        brands = ", ".join([marker] * KEY_BRANDS)
        cursor.execute(f"SELECT u.code, b.brand, count(DISTINCT b.store_id) FROM store_brand_months b JOIN stores s ON "
                       f"s.id = b.store_id JOIN users u ON u.id = s.cm_id WHERE b.month = {marker} AND b.brand IN "
                       f"({brands}) AND s.status = 'active' AND u.code IN ({people}) GROUP BY u.code, b.brand",
                       [month, *BRANDS[:KEY_BRANDS], *cms])
        cursor.fetchall()
        cursor.execute(f"SELECT v.document_id, v.field, v.line, v.value FROM document_values v JOIN documents d ON "
                       f"d.id = v.document_id JOIN users u ON u.id = d.owner_id WHERE d.kind = 'weekly' AND d.period "
                       f"LIKE {marker} AND u.code IN ({people})", [f"{month}-%", *cms])
        cursor.fetchall()
        cursor.close()
    finally:
        connection.close()


def main() -> None:
    """Parse the arguments, build, time, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="数据库 URL（会被清空重建）")
    parser.add_argument("--month", default="2026-11")
    parser.add_argument("--size", default="city", choices=sorted(SIZES))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    engine = make_engine(args.url)
    print(f"§18 绩效合约书基准测试：{args.size}，{args.month}，{describe(engine)}，重复 {args.repeat} 次取中位数", flush=True)
    drop_everything(engine)
    upgrade(engine)
    app = App(engine, session_factory(engine))
    with tempfile.TemporaryDirectory() as scratch:
        cms = build(app, args.size, args.seed, args.month, Path(scratch))
    admin = app.actor("admin")
    kind = document_type("contract")
    with app.uow() as uow:
        open_documents(uow, "contract", cms, args.month)
        uow.commit()

    def set_based() -> None:
        with app.uow() as uow:
            found = actuals(uow, cms, args.month)
            assert len(found) == len(cms)

    def whole_read() -> None:
        with app.uow() as uow:
            views = read_forms(uow, admin, kind, cms, args.month, create=True, for_owner=True)
            assert len(views) == len(cms)

    def one_by_one() -> None:
        with app.uow() as uow:
            for cm in cms:
                figures(uow, cm, args.month)

    floor(app, cms, args.month)  # warm the caches as the timed runs will find them
    timings = {"floor": median(lambda: floor(app, cms, args.month), args.repeat),
               "actuals": median(set_based, args.repeat), "read": median(whole_read, args.repeat),
               "single": median(one_by_one, max(1, args.repeat // 2))}
    base = timings["floor"]
    print(f"  {len(cms)} 份绩效合约书的实际完成（一次读全部，engine/kinds/contract.py actuals）：{timings['actuals']:.3f} 秒"
          f"（目标 ≤ 3 秒）；底线 {base:.3f} 秒，比值 {timings['actuals'] / base:.1f}")
    print(f"  导出 {len(cms)} 份合约前的全部读取（read_forms，含实际完成、已存的值、审批记录、姓名）：{timings['read']:.3f} 秒；"
          f"比值 {timings['read'] / base:.1f}")
    print(f"  同样的实际完成逐个客户经理读取（{len(cms)} 次）：{timings['single']:.3f} 秒；比值 {timings['single'] / base:.1f}")
    print("  底线：同一次运行中，实际完成所需的五条聚合查询直接经驱动执行（订单汇总按客户经理、重点品牌上柜客户数按客户经理和品牌、"
          "标注按大表、需求调查答卷按状态、周自我评估的值）")
    engine.dispose()


if __name__ == "__main__":
    main()
