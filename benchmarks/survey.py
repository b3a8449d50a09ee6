"""Time §8's import of the ordering platform's answers and §9's statistics on a city, beside floors measured in the
same run. Prints; asserts nothing.

    .venv/bin/python benchmarks/survey.py --url postgresql+psycopg://postgres@127.0.0.1:5432/cmw_survey_bench

The database at --url is wiped and rebuilt with the `city` demo company's organisation and stores (150 CMs, 30,000
stores; no orders: §8/§9 do not read them), untimed; stores are marked as ordering online until --online of them do
(the issue's ~20,000; the generator makes about 16,000). The platform's file holds an answer of every online store.
Timed, medians of --repeat: the import (the month's answers are deleted, untimed, between runs), a second import of
the same file over the pending answers (all updated), and §9 for the whole city as a workbook (an administrator)
and for one department (a market manager), each beside its floor: the database's bulk insert of as many rows
(PostgreSQL COPY, SQLite sqlite3 executemany, MariaDB Core executemany, from floors.py, scaled from 60k rows),
reading the month's answers with the driver's cursor, and XlsxWriter writing as many cells.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import delete, func, select, update

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import floors  # noqa: E402
from openpyxl import load_workbook  # noqa: E402

from addin.app import App  # noqa: E402
from addin.demo.company import SIZES, write_reference_files  # noqa: E402
from addin.demo.survey import platform_file  # noqa: E402
from addin.handlers.survey import survey_stats  # noqa: E402
from addin.handlers.survey_import import import_survey  # noqa: E402
from engine.actors import Actor, Role  # noqa: E402
from storage.database import describe, drop_everything, make_engine, session_factory, upgrade  # noqa: E402
from storage.importers import import_file  # noqa: E402
from storage.schema import StoreRow, SurveyAnswerRow, User  # noqa: E402


def _timed(work) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def build(app: App, folder: Path, seed: int) -> None:
    """The city's organisation and stores, imported as the administrator would (untimed)."""
    files, _, _ = write_reference_files(SIZES["city"], seed, folder)
    admin = Actor("admin", "初始管理员", Role.ADMIN, ())
    for kind, path in (("org", files.org), ("stores", files.stores)):
        with app.sessions.begin() as session:
            import_file(session, kind, path, admin)


def read_floor(app: App, month: str) -> float:
    """Seconds to fetch the month's answers' columns with the driver's own cursor (no objects built)."""
    def fetch() -> None:
        with app.engine.connect() as connection:
            cursor = connection.connection.cursor()
            cursor.execute("SELECT store_id, cm_id, channel, answered_on, items, urgent1, urgent2, urgent3, suggestion,"
                           f" state, entered_at FROM survey_answers WHERE month = '{month}'")
            cursor.fetchall()
    return floors.median_seconds(fetch, 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=f"sqlite:///{HERE / 'results' / 'survey.sqlite3'}")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--month", default="2026-11")
    parser.add_argument("--online", type=int, default=20_000, help="how many stores order online (and answer)")
    args = parser.parse_args()
    (HERE / "results").mkdir(exist_ok=True)
    engine = make_engine(args.url)
    print(f"数据库：{describe(engine)}", flush=True)
    drop_everything(engine)
    upgrade(engine)
    app = App(engine, session_factory(engine))
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        started = time.perf_counter()
        build(app, folder / "参考数据", args.seed)
        with app.sessions.begin() as session:
            cms = list(session.scalars(select(User.code).where(User.role == "cm").order_by(User.code)))
            online = session.scalar(select(func.count()).where(StoreRow.online_ordering.is_(True),
                                                               StoreRow.status == "active"))
            more = session.scalars(select(StoreRow.id).where(StoreRow.online_ordering.is_(False),
                                                             StoreRow.status == "active")
                                   .order_by(StoreRow.id).limit(max(args.online - online, 0))).all()
            if more:
                session.execute(update(StoreRow).where(StoreRow.id.in_(more)).values(online_ordering=True))
            mm = session.scalar(select(User.code).where(User.role == "mm").order_by(User.code))
        path = platform_file(app, args.month, folder, args.seed, cms, share=1.0)
        rows = sum(1 for _ in path.open(encoding="utf-8-sig")) - 1
        print(f"城市：{len(cms)} 位客户经理；网上问卷 {rows:,} 行（建库 {time.perf_counter() - started:.1f} 秒，不计时）", flush=True)
        admin = app.actor("admin")
        imports = []
        for _ in range(args.repeat):
            with app.sessions.begin() as session:
                session.execute(delete(SurveyAnswerRow).where(SurveyAnswerRow.month == args.month))
            imports.append(_timed(lambda: import_survey(app, admin, path, args.month)))
        again = _timed(lambda: import_survey(app, admin, path, args.month))
        with app.sessions() as session:
            kept = session.scalar(select(func.count()).select_from(SurveyAnswerRow))
        found = floors.measure(args.url, args.repeat)
        key, per_60k = floors.insert_floor(args.url, found)
        insert_floor = per_60k * kept / floors.ROWS
        city = [_timed(lambda: survey_stats(app, admin, args.month, folder / "city.xlsx")) for _ in range(args.repeat)]
        dept = [_timed(lambda: survey_stats(app, app.actor(mm), args.month, folder / "dept.xlsx"))
                for _ in range(args.repeat)]
        pdf = _timed(lambda: survey_stats(app, app.actor(mm), args.month, folder / "dept.pdf"))
        reading = read_floor(app, args.month)
        cells = sum(ws.max_row * ws.max_column for ws in load_workbook(folder / "city.xlsx", read_only=True).worksheets)
        sheet_floor = found["xlsxwriter_sheet"] * cells / (250 * 40)
    median = statistics.median
    print(f"网上问卷导入 {kept:,} 份（目标 ≤ 5 s）：中位 {median(imports):.2f} s，最快 {min(imports):.2f} s，×{len(imports)}；"
          f"底线（{floors.LABELS.get(key, key)}，按 {kept:,} 行折算）≈ {insert_floor:.2f} s，"
          f"倍数 {median(imports) / insert_floor:.1f}×")
    print(f"同一文件再导入（全部待确认，逐份更新）：{again:.2f} s")
    print(f"§9 全市统计工作簿（目标 ≤ 2 s）：中位 {median(city):.2f} s，最快 {min(city):.2f} s，×{len(city)}；"
          f"底线：读取本月问卷 {reading:.2f} s + XlsxWriter 写 {cells:,} 格 ≈ {sheet_floor:.2f} s，"
          f"倍数 {median(city) / (reading + sheet_floor):.1f}×")
    print(f"§9 一个营销部（{mm}）统计工作簿：中位 {median(dept):.2f} s；打印 PDF：{pdf:.2f} s")
    engine.dispose()


if __name__ == "__main__":
    main()
