"""§3 审核 handlers (command line and ribbon): the market manager's review workbook out, the decisions back in.

Each filled-in row is decided in its own unit of work (engine.review.decide); a row that cannot be
decided is reported with its cell and the others still apply, so the submission may end "partial".
"""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from addin.app import App
from addin.handlers.plans import plan_views
from engine.actors import Actor
from engine.errors import Finding, Refused
from engine.records import Outcome, Record
from engine.review import REJECT, ReviewRow, awaiting, decide
from engine.stores import normalize_text
from workbooks import big_table as plan_book, review as review_book
from workbooks.builder import Heading, SheetData, build_workbook
from workbooks.meta import Meta
from workbooks.reader import SubmittedBook


def _read(app: App, actor: Actor, month: str) -> tuple[list[ReviewRow], list[plan_book.PlanView], int, str]:
    """What awaits the actor, each CM's table, and the export remembered with what each row showed."""
    with app.uow() as uow:
        rows = awaiting(uow, actor, month)
        if not rows:
            raise Refused(f"{month} 没有等待{actor.label}审核的计划或结果。"
                          f"可用 cmw plan list --month {month} --as {actor.code} 查看各客户经理大表的状态。")
        views = [view for view, _ in plan_views(uow, [row.cm_code for row in rows], month, editable=False)]
        snapshot = {"month": month, "rows": {r.cm_code: {"state": r.state, "version": r.version} for r in rows}}
        export_id = uow.exports.add(module=review_book.MODULE, owner_code=actor.code, actor_code=actor.code,
                                    template_version=review_book.TEMPLATE_VERSION, snapshot=snapshot)
        company = uow.users.company_of(actor)
        uow.commit()
    return rows, views, export_id, company


def export_review(app: App, actor: Actor, month: str, target: Path) -> Outcome:
    """§3: write the MM's review workbook: a decision row per CM awaiting one, then each CM's big table (read-only)."""
    rows, views, export_id, company = _read(app, actor, month)
    actions = plan_book.DEFAULT_ACTIONS
    sheets = [plan_book.plan_sheet(actions, r.state, name=review_book.cm_sheet_name(r.cm_code, r.cm_name), editable=False)
              for r in rows]
    submit_hint = f"改好保存后运行：cmw submit {target.name} --as {actor.code}"
    data: dict[str, SheetData] = {review_book.SHEET: review_book.summary_data(rows, submit_hint)}
    for sheet, view in zip(sheets, views):
        data[sheet.name] = plan_book.plan_data(view, actions, title=f"{plan_book.TITLE} — {view.cm_label} — {month}")
    meta = Meta(module=review_book.MODULE, template_version=review_book.TEMPLATE_VERSION, owner=actor.code,
                owner_name=actor.name, period=month, document_id=export_id, document_version=1,
                exported_by=actor.code, exported_at=f"{datetime.now():%Y-%m-%d %H:%M:%S}", company=company,
                database=app.database_id)
    target.parent.mkdir(parents=True, exist_ok=True)
    build_workbook(target, review_book.review_layout(tuple(sheets)), meta,
                   Heading(company, review_book.TITLE, actor.label, month, date.today()), data)
    plans = sum(r.what == "计划" for r in rows)
    return Outcome(f"已导出 {month} 的审核表到 {target}：{len(rows)} 位客户经理待审核（计划 {plans} 份，结果 {len(rows) - plans} 份）。",
                   (f"在“{review_book.SHEET}”表的“审核意见”列选择审核通过或驳回，驳回须填写驳回理由。", submit_hint))


def _decide_row(app: App, actor: Actor, month: str, record: Record, shown: dict) -> str | Finding | None:
    """One summary row: None when left blank, the outcome's text when decided, a Finding when refused."""
    cm = normalize_text(record.values.get("cm"))
    decision = normalize_text(record.values.get(review_book.DECISION))
    reason = normalize_text(record.values.get(review_book.REASON))
    where = {"sheet": record.sheet, "cell": record.cells[review_book.DECISION], "row": record.number}
    if not decision:
        return None if not reason else Finding("NO_DECISION", f"{cm}：填写了驳回理由，但没有选择审核意见。请选择“{REJECT}”，或清空理由。", **where)
    if cm not in shown:
        return Finding("UNKNOWN_ROW", f"{cm or '（空编码）'} 不在导出的审核表中，这一行未处理。请重新导出。", **where)
    if decision == REJECT and not reason:
        where["cell"] = record.cells[review_book.REASON]
    try:
        outcome = decide(app.uow, actor, cm_code=cm, month=month, decision=decision, comment=reason,
                         expected_state=shown[cm]["state"], expected_version=shown[cm]["version"])
    except Refused as refusal:
        return Finding("REFUSED", f"{cm}：{refusal.message}", **where)
    return outcome.message


def _conclude(app: App, submission_id: int, outcome: Outcome, partial: bool) -> None:
    with app.uow() as uow:
        uow.submissions.conclude(submission_id, "partial" if partial else "accepted", outcome.lines(), review_book.MODULE)
        uow.commit()


def _export_of(app: App, book: SubmittedBook, actor: Actor) -> dict:
    if book.meta.owner != actor.code:
        raise Refused(f"这是 {book.meta.owner} 的审核表，{actor.label}不能提交。")
    with app.uow() as uow:
        export = uow.exports.get(book.meta.document_id)
    if export is None or export.module != review_book.MODULE or export.owner_code != actor.code:
        raise Refused("找不到这个审核表的导出记录（可能来自另一个数据库）。请重新导出后再填写提交。")
    if book.findings:
        raise Refused("审核表的格式被改动，全部未处理。请重新导出后再填写：", book.findings)
    return export.snapshot["rows"]


def submit_review_book(app: App, actor: Actor, book: SubmittedBook, submission_id: int) -> Outcome:
    """Apply each filled-in row of a review workbook on its own; list every row's result."""
    shown = _export_of(app, book, actor)
    results = [_decide_row(app, actor, book.meta.period, record, shown) for record in book.rows[review_book.SHEET]]
    done = [r for r in results if isinstance(r, str)]
    refused = [r for r in results if isinstance(r, Finding)]
    blank = results.count(None)
    if not done and not refused:
        raise Refused("审核表中没有填写任何审核意见，未作处理。请在“审核意见”列选择审核通过或驳回后重新提交。")
    if not done:
        raise Refused(f"审核表中填写的 {len(refused)} 行都未能处理：", refused)
    message = f"已处理 {len(done)} 位客户经理的审核意见。"
    if refused:
        message += f"另有 {len(refused)} 行未处理，原因见下。"
    if blank:
        message += f"{blank} 行未填写审核意见，本次未处理。"
    outcome = Outcome(message, (*done, *(f.text() for f in refused)), len(done))
    _conclude(app, submission_id, outcome, bool(refused))
    return outcome
