"""Benchmark the `city` demo company's steps on one database, beside floors measured in the same run.

    .venv/bin/python benchmarks/run.py [--url URL] [--repeat 3] [--seed 1] [--month 2026-11]

The database at --url is wiped and rebuilt (default: a SQLite file under benchmarks/results/). The company
is built once; what can be repeated without rebuilding is repeated and its median printed: generating the
files, re-importing the reference files (no changes), importing each month of orders (the month's orders
are deleted, untimed, between runs), the visit plan, all CMs' store workbooks. It prints; it asserts nothing.
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

from sqlalchemy import func, select, text

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import floors  # noqa: E402
from addin.app import App  # noqa: E402
from addin.demo.company import COMPANY, SIZES, DemoFiles, generate  # noqa: E402
from addin.handlers import export_stores  # noqa: E402
from engine.actors import Actor, Role  # noqa: E402
from engine.ports import StoreFilter  # noqa: E402
from storage.database import describe, drop_everything, make_engine, session_factory, upgrade  # noqa: E402
from storage import order_lines  # noqa: E402
from storage.importers import import_file  # noqa: E402
from storage.schema import StoreRow, User, VisitPlanRow  # noqa: E402
from storage.visit_plans import plan_visits  # noqa: E402


class Report:
    """Rows of the result table: step, median, fastest, runs, rows, floor now scaled, issue floor scaled."""

    def __init__(self):
        self.rows: list[tuple] = []

    def add(self, label: str, runs: list[float], rows: int | None = None, floor_now: float | None = None,
            floor_issue: float | None = None) -> None:
        """Record one step and print it at once (a long run shows progress)."""
        row = (label, statistics.median(runs), min(runs), len(runs), rows, floor_now, floor_issue)
        self.rows.append(row)
        print(self.format(row), flush=True)

    @staticmethod
    def format(row: tuple) -> str:
        """One line of the table."""
        label, median, fastest, runs, rows, now, issue = row
        rows_text = f"{rows:>11,} 行" if rows else " " * 13
        issue_text = "—" if issue is None else f"{issue:.2f} s"
        floor = "" if now is None else f"   底线≈{now:7.2f} s（按 issue 数值 {issue_text}）"
        return f"  {_pad(label, 40)}{median:8.2f} s  最快 {fastest:7.2f} s  ×{runs}{rows_text}{floor}"


def _pad(text: str, width: int) -> str:
    """Pad to a display width: Chinese characters take two columns in a terminal."""
    shown = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(width - shown, 1)


def _scaled(per_60k: float | None, rows: int) -> float | None:
    return None if per_60k is None else per_60k * rows / floors.ROWS


def timed(work) -> float:
    """Seconds work() took."""
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def import_once(app: App, kind: str, path: Path, actor: Actor) -> float:
    """One import in its own transaction, commit included."""
    def work():
        with app.sessions.begin() as session:
            import_file(session, kind, path, actor)
    return timed(work)


def delete_month(app: App, month: str) -> None:
    """Remove one month's orders (between timed runs, untimed)."""
    with app.sessions.begin() as session:
        if session.get_bind().dialect.name == "postgresql":
            # fresh statistics, else the foreign-key checks of the delete plan for empty tables and crawl
            session.execute(text("ANALYZE orders"))
        order_lines.take_out(session, month)  # PostgreSQL: the month's table of lines dropped


def bench_reference(app: App, files: DemoFiles, repeat: int, report: Report, floor) -> Actor:
    """First import of org, stores, products; then re-imports of the unchanged files."""
    actor = Actor("admin", "基准测试", Role.ADMIN, (COMPANY[0],))
    key, now = floor
    for kind, path, rows in (("org", files.org, files.counts["users"]), ("stores", files.stores, files.counts["stores"]),
                             ("products", files.products, files.counts["products"])):
        first = import_once(app, kind, path, actor)
        report.add(f"导入 {path.name}（首次）", [first], rows, now * rows / floors.ROWS,
                   _scaled(floors.ISSUE.get(key), rows))
        if kind == "org":
            actor = app.actor("admin")
        again = [import_once(app, kind, path, actor) for _ in range(repeat)]
        report.add(f"导入 {path.name}（重复，无变化）", again, rows)
    return actor


def bench_orders(app: App, files: DemoFiles, actor: Actor, repeat: int, report: Report, floor) -> None:
    """Each month's orders: imported repeat times, the month deleted (untimed) between runs."""
    key, now = floor
    for month in files.months:
        runs = []
        for i in range(repeat):
            if i:
                delete_month(app, month.month)
            runs.append(import_once(app, "orders", month.path, actor))
        rows = month.lines + month.orders
        report.add(f"导入 {month.path.name}", runs, rows, now * rows / floors.ROWS,
                   _scaled(floors.ISSUE.get(key), rows))


def bench_visits(app: App, month: str, actor: Actor, repeat: int, report: Report, floor) -> None:
    """The month's visit plan, replaced repeat times."""
    key, now = floor
    def work():
        with app.sessions.begin() as session:
            plan_visits(session, month, actor)
    runs = [timed(work) for _ in range(repeat)]
    with app.sessions() as session:
        rows = session.scalar(select(func.count()).select_from(VisitPlanRow))
    report.add(f"生成 {month} 拜访计划", runs, rows, now * rows / floors.ROWS,
               _scaled(floors.ISSUE.get(key), rows))


def bench_workbooks(app: App, out: Path, repeat: int, report: Report, found: dict[str, float]) -> None:
    """Every CM's store-list workbook; the floor is XlsxWriter's per cell, times the cells written."""
    with app.sessions() as session:
        cms = session.scalars(select(User.code).where(User.role == "cm").order_by(User.code)).all()
        stores = session.scalar(select(func.count()).where(StoreRow.status == "active"))
    actors = [app.actor(code) for code in cms]
    def work():
        for actor in actors:
            export_stores(app, actor, StoreFilter(), out / actor.code / "客户信息维护.xlsx")
    runs = [timed(work) for _ in range(repeat)]
    share = stores * 15 / (250 * 40)  # 15 columns per store row, floors are for a 250×40 sheet
    report.add(f"导出 {len(cms)} 位客户经理的客户信息维护表", runs, stores,
               found["xlsxwriter_sheet"] * share, floors.ISSUE["xlsxwriter_sheet"] * share)


def print_floors(found: dict[str, float]) -> None:
    """The floors measured now beside the issue's."""
    print("底线（本次实测中位数 / issue 给出的本机数值）：")
    for key, label in floors.LABELS.items():
        now = f"{found[key]:6.3f} s" if key in found else "   未测"
        issue = f"{floors.ISSUE[key]:6.3f} s" if key in floors.ISSUE else "     —"
        print(f"  {_pad(label, 48)}{now}  /  {issue}")


def main() -> None:
    """Parse the arguments, build the city company once and time its steps."""
    parser = argparse.ArgumentParser(description="city 演示公司各步骤的基准测试（只打印，不断言；会清空 --url 指定的数据库）")
    parser.add_argument("--url", help="数据库 URL，默认 benchmarks/results/ 下的 SQLite 文件")
    parser.add_argument("--repeat", type=int, default=3, help="可重复的步骤重复几次取中位数，默认 3")
    parser.add_argument("--seed", type=int, default=1, help="随机种子，默认 1")
    parser.add_argument("--month", default="2026-11", help="当前月份，默认 2026-11（订单为此前 3 个月）")
    parser.add_argument("--size", default="city", choices=sorted(SIZES), help="规模，默认 city")
    args = parser.parse_args()
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    url = args.url or f"sqlite:///{results / 'city.sqlite3'}"
    engine = make_engine(url)
    print(f"cmw 基准测试：{args.size} 公司（种子 {args.seed}，月份 {args.month}），数据库 {describe(engine)}，"
          f"重复 {args.repeat} 次取中位数；{platform.python_implementation()} {platform.python_version()}，"
          f"{os.cpu_count()} 核", flush=True)
    found = floors.measure(url, args.repeat)
    print_floors(found)
    floor = floors.insert_floor(url, found)
    print(f"步骤（导入和拜访计划的底线 = “{floors.LABELS[floor[0]]}”按行数折算；工作簿的底线 = XlsxWriter 按单元格数折算）：")
    report = Report()
    with tempfile.TemporaryDirectory() as scratch:
        report.add("生成 CSV 文件", [timed(lambda: generate(args.size, args.seed, args.month, Path(scratch)))
                                    for _ in range(args.repeat)])
    files = generate(args.size, args.seed, args.month, results / "参考数据")
    drop_everything(engine)
    upgrade(engine)
    app = App(engine, session_factory(engine))
    actor = bench_reference(app, files, args.repeat, report, floor)
    bench_orders(app, files, actor, args.repeat, report, floor)
    bench_visits(app, args.month, actor, args.repeat, report, floor)
    bench_workbooks(app, results / "工作簿", args.repeat, report, found)
    print(f"合计（每步中位数之和）：{sum(r[1] for r in report.rows):.1f} s")
    engine.dispose()


if __name__ == "__main__":
    main()
