"""`cmw demo`, §3 for the month as users do it, all through workbooks and the shared submit path:
every CM generates and submits a plan; the MM approves all but one, rejecting it with a reason;
that CM edits and resubmits; marks after visits; results submitted and approved; visit lists printed.
"""
from __future__ import annotations

import io
import random
from datetime import date, timedelta
from pathlib import Path
from typing import Callable

from openpyxl import load_workbook

from addin.app import App
from addin.handlers import submit_workbook
from addin.handlers.big_table import export_plan, generate_plan
from addin.handlers.review import export_review
from addin.handlers.visits import visit_list
from engine.marks import Mark
from engine.errors import Refused
from engine.periods import parse_month
from engine.big_table import SUBMIT
from engine.review import APPROVE, REJECT
from workbooks import big_table as plan_book, review as review_book

Say = Callable[[list[str]], None]
PLAN = "任务执行标注表.xlsx"
SENT_BACK = "陈列指导和重点品牌培育安排偏少，请每户至少补一项再提交。"
REVIEW = "审核.xlsx"


def _save(book, target: Path) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    target.write_bytes(buffer.getvalue())
    return buffer.getvalue()


def _rows(sheet, layout):
    """Row numbers of the store rows (they end where the totals begin)."""
    row = layout.first_data_row
    while str(sheet[layout.cell("code", row)].value or "").isdigit():
        yield row
        row += 1


def edit_plan(source: Path, target: Path, state: str, rng: random.Random) -> bytes:
    """What a CM does in Excel: in planning, add a ☆; after approval, mark most ☆ done and add a △."""
    layout = plan_book.plan_layout(plan_book.DEFAULT_ACTIONS, state).sheet(plan_book.SHEET)
    book = load_workbook(source)
    sheet = book[plan_book.SHEET]
    planning = state in ("draft", "rejected")
    added = False
    for row in _rows(sheet, layout):
        for action in plan_book.DEFAULT_ACTIONS:
            cell = sheet[layout.cell(action, row)]
            if not planning and cell.value == Mark.PLANNED and rng.random() < 0.6:
                cell.value = Mark.DONE.value
            elif not cell.value and not added:
                cell.value = (Mark.PLANNED if planning else Mark.TEMPORARY).value
                added = True
    return _save(book, target)


def _cm_step(app: App, cm: str, month: str, out: Path, rng: random.Random, operation: str) -> str:
    actor = app.actor(cm)
    source, target = out / cm / PLAN, out / cm / f"任务执行标注表-{operation}.xlsx"
    export_plan(app, actor, month, source)
    with app.uow() as uow:
        doc_state = uow.documents.get("bigtable", cm, month).state
    content = edit_plan(source, target, doc_state, rng)
    return submit_workbook(app, actor, target.name, content, operation=operation).message


def review_as(app: App, mm: str, month: str, out: Path, reason_for: Callable[[str, str], str | None],
              name: str = REVIEW) -> list[str]:
    """The MM fills their review workbook: 驳回 with the reason reason_for(cm, what) gives, else 审核通过; and hands
    it back. Nothing awaiting them is said, not an error."""
    path = out / mm / name
    try:
        export_review(app, app.actor(mm), month, path)
    except Refused as nothing:  # nothing awaits this market manager now
        return [nothing.message]
    layout = review_book.SUMMARY
    book = load_workbook(path)
    sheet = book[review_book.SHEET]
    row = layout.first_data_row
    while sheet[layout.cell("cm", row)].value:
        reason = reason_for(sheet[layout.cell("cm", row)].value, sheet[layout.cell("what", row)].value)
        sheet[layout.cell(review_book.DECISION, row)] = REJECT if reason else APPROVE
        sheet[layout.cell(review_book.REASON, row)] = reason
        row += 1
    filled = path.with_name(f"{path.stem}-已填写.xlsx")
    content = _save(book, filled)
    return submit_workbook(app, app.actor(mm), filled.name, content).lines()


def _review(app: App, mm: str, month: str, out: Path, reject: set[str]) -> list[str]:
    """§3: 驳回 the plans of the CMs in reject, approve the rest."""
    return review_as(app, mm, month, out, lambda cm, what: SENT_BACK if cm in reject else None)


def run_plans(app: App, month: str, out: Path, seed: int, cms: list[str], mms: list[str], say: Say) -> None:
    """The month's §3 for the small company, through the same handlers and workbooks as the users."""
    rng = random.Random(seed)
    for cm in cms:
        say([f"  {cm} {generate_plan(app, app.actor(cm), month).message}"])
        say([f"    提交计划：{_cm_step(app, cm, month, out, rng, SUBMIT)}"])
    rejected = cms[1]
    for mm in mms:
        say([f"  {mm} 审核计划：", *(f"    {line}" for line in _review(app, mm, month, out, {rejected}))])
    say([f"  {rejected} 按驳回理由修改后重新提交：{_cm_step(app, rejected, month, out, rng, SUBMIT)}"])
    for mm in mms:
        say([f"  {mm} 再次审核：", *(f"    {line}" for line in _review(app, mm, month, out, set()))])
    for cm in cms:
        say([f"  {cm} 拜访后标注并提交结果：{_cm_step(app, cm, month, out, rng, SUBMIT)}"])
    for mm in mms:
        say([f"  {mm} 审核结果：", *(f"    {line}" for line in _review(app, mm, month, out, set()))])
    year, mon = parse_month(month)
    first = date(year, mon, 1)
    monday = first + timedelta(days=(7 - first.weekday()) % 7)
    cm = cms[0]
    say([f"  {visit_list(app, app.actor(cm), kind='day', cm_code=cm, start=monday, target=out / cm / '日拜访记录表.html').message}",
         f"  {visit_list(app, app.actor(cm), kind='week', cm_code=cm, start=monday, target=out / cm / '周工作安排表.html').message}"])
