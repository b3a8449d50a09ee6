"""Time §1 工作导航 for a market manager's department (the issue: 15 CMs, every step, ≤ 300 ms on PostgreSQL).
Prints; asserts nothing.

    .venv/bin/python benchmarks/navigation.py --url postgresql+psycopg://postgres@127.0.0.1:5432/cmw_nav --departments 2
    .venv/bin/python benchmarks/navigation.py --url URL --built --mm mm01   # a company already there (run.py's city)

Untimed set-up (unless --built; the database at --url is wiped): a company of --departments departments of 15 CMs
each (~200 stores a CM, the demo's generators, last month's orders imported), the month's effect computed for every
CM, capability scores for two thirds of the first department's CMs, their strategies and big tables, so that the
stages differ from CM to CM (done, open, blocked by scores, blocked by strategies). Timed, median of --repeat: the
market manager's §1 (engine.navigation.navigation: every CM of the department, every declared kind); the floor,
measured in the same run: one read of the department's documents of the month (the least §1 must read), and the
SQL statements §1 sends.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from addin.app import App  # noqa: E402
from addin.demo.company import Size, generate  # noqa: E402
from engine.actors import Actor, Role  # noqa: E402
from engine.big_table import generate as generate_plans  # noqa: E402
from engine.navigation import mondays, navigation  # noqa: E402
from engine.operating_analysis import compute_effect, generate_strategies  # noqa: E402
from floors import median_seconds  # noqa: E402  (beside this file)
from month import _seed_capability  # noqa: E402
from storage.database import describe, drop_everything, make_engine, session_factory, upgrade  # noqa: E402
from storage.importers import import_file  # noqa: E402

LIMIT = 0.300  # the figure, seconds, on PostgreSQL


def build(app: App, departments: int, month: str, folder: Path) -> None:
    """The company and the month's states (untimed)."""
    size = Size("navigation", 1, tuple(range(departments)), 15 * departments, (170, 230), 150, 1)
    files = generate(size, 1, month, folder)
    admin = Actor("admin", "基准测试", Role.ADMIN, ("C01",))
    for kind, path in (("org", files.org), ("stores", files.stores), ("products", files.products),
                       *(("orders", p) for p in files.order_files)):
        with app.sessions.begin() as session:
            import_file(session, kind, path, admin)
        if kind == "org":
            admin = app.actor("admin")
    compute_effect(app.uow(), admin, month=month)
    with app.uow() as uow:
        cms = uow.users.cms_in(app.actor("mm01").unit_path)
    scored = cms[: len(cms) * 2 // 3]
    _seed_capability(app, scored, month)
    generate_strategies(app.uow(), admin, month=month, cm_codes=scored)
    generate_plans(app.uow(), admin, month=month, cm_codes=scored[: len(scored) // 2])


def company(url: str, built: bool, departments: int, month: str) -> App:
    """The benchmark's App on url: the company already there (built), else wiped and built anew (untimed)."""
    engine = make_engine(url)
    app = App(engine, session_factory(engine))
    if not built:
        drop_everything(engine)
        upgrade(engine)
        with tempfile.TemporaryDirectory() as scratch:
            build(app, departments, month, Path(scratch))
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description="§1 工作导航的基准测试（只打印，不断言）")
    parser.add_argument("--url", required=True, help="数据库 URL（不加 --built 时会被清空重建）")
    parser.add_argument("--departments", type=int, default=2, help="营销部数，每部 15 位客户经理，默认 2")
    parser.add_argument("--month", default="2026-11", help="月份，默认 2026-11（订单为上月）")
    parser.add_argument("--mm", default="mm01", help="市场经理编码，默认 mm01")
    parser.add_argument("--repeat", type=int, default=20, help="重复几次取中位数，默认 20")
    parser.add_argument("--built", action="store_true", help="使用数据库中已有的公司，不重建")
    args = parser.parse_args()
    app = company(args.url, args.built, args.departments, args.month)
    engine = app.engine
    mm = app.actor(args.mm)
    with app.uow() as uow:
        cms = uow.users.cms_in(mm.unit_path)
    periods = [args.month, *mondays(args.month)]

    def floor() -> None:
        with app.uow() as uow:
            uow.documents.of_owners(cms, periods)

    statements: list[int] = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(1))
    rows = navigation(app.uow(), mm, args.month)
    sent = len(statements)
    seconds = median_seconds(lambda: navigation(app.uow(), mm, args.month), args.repeat)
    floor_seconds = median_seconds(floor, args.repeat)
    blocked = sum(1 for r in rows if r.blocked())
    print(f"§1 工作导航，数据库 {describe(engine)}，{args.mm} 所辖 {len(rows)} 位客户经理（{blocked} 位有受阻步骤），"
          f"每位 {len(rows[0].stages)} 步，中位数（{args.repeat} 次）：")
    print(f"  工作导航（全部客户经理、全部步骤）：{seconds * 1000:.1f} ms，{sent} 条 SQL；议题要求 ≤ {LIMIT * 1000:.0f} ms"
          f"（PostgreSQL），为要求的 {seconds / LIMIT:.0%}")
    print(f"  底线：读取本部本月全部单据一次：{floor_seconds * 1000:.1f} ms；工作导航为底线的 {seconds / floor_seconds:.1f} 倍")
    engine.dispose()


if __name__ == "__main__":
    main()
