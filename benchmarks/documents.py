"""Time the declared documents on a company already in the database (e.g. the city after benchmarks/run.py): a
department's review workbook with every kind pending (big-table plans, §11 work plans, §16 summaries, §18 contracts)
and its decisions, and every CM's §16 draft exported into a folder. Prints; asserts nothing.

    .venv/bin/python benchmarks/documents.py --url postgresql+psycopg://postgres@127.0.0.1:5432/cmw_bench --month 2026-11

Untimed set-up: the month is forgotten (as month.py does), the department's CMs get their effect, capability
scores, strategies and big table, and each hands in their plan, work plan, summary and contract through workbooks.
Floors measured in the same run: XlsxWriter writing as many cells (the review workbook's sheets; the drafts' cells
into as many files, one after the other); for the decisions, per row one transaction that locks a document's row and
writes it, committed as the review's rows are, then one commit that waits for the disk (the least a decision of its
own transaction writes).
"""
from __future__ import annotations

import argparse
import io
import resource
import sys
import tempfile
import time
from pathlib import Path

import xlsxwriter
from openpyxl import load_workbook

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from addin.app import App  # noqa: E402
from addin.demo.contract import KPI_LINES, draft_contract  # noqa: E402
from addin.demo.forms import type_into  # noqa: E402
from addin.handlers import submit_workbook  # noqa: E402
from addin.handlers.forms import export_form  # noqa: E402
from addin.handlers.big_table import export_plan  # noqa: E402
from addin.handlers.review import export_review  # noqa: E402
from engine.document_types import SUBMIT  # noqa: E402
from engine.review import APPROVE  # noqa: E402
from engine.operating_analysis import compute_effect, generate_strategies  # noqa: E402
from engine.big_table import generate  # noqa: E402
from floors import median_seconds  # noqa: E402  (beside this file)
from month import _seed_capability, forget_month  # noqa: E402
from sqlalchemy import bindparam, text  # noqa: E402
from storage.database import describe, make_engine, session_factory  # noqa: E402
from workbooks import review as review_book  # noqa: E402


def hand_in(app: App, cms: list[str], month: str, folder: Path) -> None:
    """Each CM's plan submitted, work plan confirmed, summary and contract submitted, through their workbooks
    (untimed)."""
    for cm in cms:
        actor = app.actor(cm)
        export_plan(app, actor, month, folder / f"plan-{cm}.xlsx")
        submit_workbook(app, actor, "plan.xlsx", (folder / f"plan-{cm}.xlsx").read_bytes(), operation=SUBMIT)
        path = folder / f"workplan-{cm}.xlsx"
        export_form(app, actor, "workplan", month, path)
        submit_workbook(app, actor, path.name, type_into(path, {"月工作计划": {"B10": 60000},
                                                             "周重点工作": {"C5": "拜访重点客户"}}), operation=SUBMIT)
        path = folder / f"summary-{cm}.xlsx"
        export_form(app, actor, "summary", month, path)
        submit_workbook(app, actor, path.name, type_into(path, {"月度工作总结": {"B15": "成绩", "B16": "问题",
                                                                               "B17": "打算"}}), operation=SUBMIT)
        draft_contract(app, cm, month, folder, KPI_LINES, "contract")


def decisions_floor(app: App, rows: int, month: str, owners: list[str]) -> float:
    """Seconds for the least the decisions write: per row, one committed transaction that locks a document's row and
    writes it (rows of the owners' documents of the month, their version written as it is: nothing changes), then one
    commit that waits for the disk — as the review's rows commit: on PostgreSQL without waiting for the disk, put there
    by the submission's conclusion (addin.app.App.uow); elsewhere each commit waits for it."""
    with app.engine.connect() as connection:
        ids = connection.scalars(text(
            "SELECT d.id FROM documents d JOIN users u ON u.id = d.owner_id WHERE d.period = :month "
            "AND u.code IN :owners").bindparams(bindparam("owners", expanding=True)),
            {"month": month, "owners": owners}).all()
    lock = "" if app.engine.dialect.name == "sqlite" else " FOR UPDATE"
    unwaited = app.engine.dialect.name == "postgresql"

    def work() -> None:
        for doc_id in ids[:rows]:
            with app.engine.connect() as connection, connection.begin() as transaction:
                if unwaited:
                    connection.execute(text("SET LOCAL synchronous_commit = off"))
                connection.execute(text(f"SELECT state, version FROM documents WHERE id = :id{lock}"), {"id": doc_id})
                connection.execute(text("UPDATE documents SET version = version WHERE id = :id"), {"id": doc_id})
                transaction.commit()
        with app.engine.connect() as connection, connection.begin() as transaction:  # the conclusion's commit
            connection.execute(text("UPDATE documents SET version = version WHERE id = :id"), {"id": ids[0]})
            transaction.commit()
    return median_seconds(work, 3)


def review(app: App, mm: str, month: str, folder: Path) -> tuple[float, float, int, int]:
    """Seconds to export the review workbook and to apply a decision on every row; the rows, the cells written."""
    path = folder / "review.xlsx"
    started = time.perf_counter()
    export_review(app, app.actor(mm), month, path)
    exported = time.perf_counter() - started
    book = load_workbook(path)
    sheet, layout = book[review_book.SHEET], review_book.SUMMARY
    rows = 0
    while sheet[layout.cell("cm", layout.first_data_row + rows)].value:
        sheet[layout.cell(review_book.DECISION, layout.first_data_row + rows)] = APPROVE
        rows += 1
    cells = sum(ws.max_row * ws.max_column for ws in book.worksheets)
    buffer = io.BytesIO()
    book.save(buffer)
    started = time.perf_counter()
    outcome = submit_workbook(app, app.actor(mm), "review.xlsx", buffer.getvalue())
    decided = time.perf_counter() - started
    if outcome.partial:
        print("  注意：审核意见有未生效的行：", *outcome.lines(), sep="\n    ")
    return exported, decided, rows, cells


def cells_floor(cells: int, books: int = 1) -> float:
    """Seconds XlsxWriter takes to write as many plain cells (text) into books in-memory workbooks, one after the
    other (a workbook's own cost counts: 150 small files are not one large one)."""
    def write() -> None:
        for _ in range(books):
            book = xlsxwriter.Workbook(io.BytesIO(), {"in_memory": True})
            sheet = book.add_worksheet()
            for n in range(cells // books):
                sheet.write_string(n // 20, n % 20, "示例")
            book.close()
    return median_seconds(write, 3)


def main() -> None:
    """Parse the arguments, set up, time, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--month", required=True)
    parser.add_argument("--mm", default="mm01")
    parser.add_argument("--cms", type=int, default=12, help="how many of the department's CMs hand in (the issue: 12)")
    args = parser.parse_args()
    engine = make_engine(args.url)
    app = App(engine, session_factory(engine))
    admin, month = app.actor("admin"), args.month
    with app.uow() as uow:
        everyone = uow.users.cms_in(admin.unit_path)
        department = uow.users.cms_in(uow.users.actor(args.mm).unit_path)[:args.cms]
    forget_month(app.sessions, month)
    compute_effect(app.uow(), admin, month=month, cm_codes=department)
    _seed_capability(app, department, month)
    generate_strategies(app.uow(), admin, month=month, cm_codes=department)
    generate(app.uow(), admin, month=month, cm_codes=department)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        hand_in(app, department, month, folder)
        exported, decided, rows, cells = review(app, args.mm, month, folder)
        floor = decisions_floor(app, rows, month, department)
        started = time.perf_counter()
        export_form(app, admin, "summary", month, folder / "总结", everyone, folder=True)
        drafts = time.perf_counter() - started
        drafted = sorted((folder / "总结").glob("*.xlsx"))
        draft_cells = sum(ws.max_row * ws.max_column for path in drafted for ws in load_workbook(path).worksheets)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{describe(engine)}：{len(everyone)} 位客户经理，{args.mm} 的营销部其中 {len(department)} 位交来单据，{month}")
    print(f"  审核表导出（{rows} 行待审核：计划、月工作计划、月度工作总结、绩效合约书各 {len(department)} 份）：{exported:.2f} 秒（目标 ≤ 1 秒）；"
          f"底线 XlsxWriter 写同样多的 {cells:,} 个单元格 {cells_floor(cells):.2f} 秒")
    print(f"  审核意见逐行生效（{rows} 行，各自一个事务）：{decided:.2f} 秒（目标 ≤ 1 秒）；"
          f"底线 逐行一个锁行、写行并提交的事务 {floor:.2f} 秒")
    print(f"  导出全部 {len(everyone)} 位客户经理的月度工作总结草稿：{drafts:.2f} 秒（目标 ≤ 10 秒）；"
          f"底线 XlsxWriter 逐个写 {len(drafted)} 个文件、共 {draft_cells:,} 个单元格 "
          f"{cells_floor(draft_cells, len(drafted)):.2f} 秒；峰值内存 {peak:,.0f} MiB")


if __name__ == "__main__":
    main()
