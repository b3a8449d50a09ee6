"""§3 任务执行标注表 handlers (command line and ribbon): generate, export, take the workbook back, list."""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from addin.app import App
from addin.handlers.analysis import ListFilter, listed_cms, state_code
from engine.actors import Actor, Role
from engine.big_table import EDITS_BY_STATE
from engine.errors import Finding, Refused
from engine.operating_analysis import target_cms
from engine.planning import KIND, SAVE, SUBMIT, generate, snapshot_of, take_back
from engine.ports import DocumentState
from engine.records import Outcome
from engine.stores import normalize_text, shown_value
from engine.workflows import BIG_TABLE
from workbooks import big_table as book_
from workbooks.builder import Heading, build_workbook
from workbooks.layout import BookLayout
from workbooks.meta import Meta
from workbooks.reader import SubmittedBook


def generate_plan(app: App, actor: Actor, month: str, cm_code: str | None = None) -> Outcome:
    """计划新增: the CM's (or, for an MM, the named CM's) big table for the month, from strategies and carry-over."""
    return generate(app.uow(), actor, cm_code=cm_code or actor.code, month=month)


def _visit(store) -> str:
    return f"{shown_value('visit_cycle', store.visit_cycle)}·{shown_value('visit_weekday', store.visit_weekday)}"


def plan_view(uow, cm_code: str, month: str, *, editable: bool) -> tuple[book_.PlanView, DocumentState]:
    """One CM's big table as its sheet shows it, read inside the caller's unit of work; Refused before it is generated."""
    doc = uow.documents.get(KIND, cm_code, month)
    if doc is None:
        raise Refused(f"{cm_code} 的 {month} 大表尚未生成。请先运行：cmw plan generate --as {cm_code} --month {month}")
    scope = uow.analyses.scope([cm_code])
    stores = uow.stores.by_codes([s.code for s in scope])
    rejection = uow.plans.last_rejection(f"{cm_code}/{month}")
    by = uow.users.actor(rejection.actor_code) if rejection else None
    owner = uow.users.actor(cm_code)
    view = book_.PlanView(
        cm_label=owner.label, cm_name=owner.name, month=month, state=doc.state, version=doc.version,
        stores=tuple(scope), visits={code: _visit(store) for code, store in stores.items()},
        cells=uow.plans.cells(doc.id), rejection=rejection,
        rejected_by=by.label if by else (rejection.actor_code if rejection else ""), editable=editable)
    return view, doc


def _record_export(uow, actor: Actor, cm: str, month: str) -> tuple[book_.PlanView, DocumentState, int, str]:
    [cm] = target_cms(uow, actor, [cm])
    view, doc = plan_view(uow, cm, month, editable=actor.code == cm)
    export_id = uow.exports.add(module=book_.MODULE, owner_code=cm, actor_code=actor.code,
                                template_version=book_.TEMPLATE_VERSION,
                                snapshot=snapshot_of(uow, doc, list(book_.DEFAULT_ACTIONS)))
    company = uow.users.company_of(actor)
    uow.commit()
    return view, doc, export_id, company


def _export_lines(view: book_.PlanView, target: Path, cm: str) -> tuple[str, ...]:
    if not view.editable:
        return (book_.VIEW_ONLY,)
    lines = [book_.GUIDE[view.state]]
    if view.rejection is not None and view.state in ("rejected", "results_rejected"):
        lines.insert(0, f"驳回理由（{view.rejected_by}）：{view.rejection.reason}")
    if view.state in EDITS_BY_STATE:
        lines.append(f"改好保存后运行：cmw submit {target.name} --as {cm}（表中“本次操作”选“{SUBMIT}”即同时提交，"
                     f"也可加 --action {SUBMIT}）")
    return tuple(lines)


def export_plan(app: App, actor: Actor, month: str, target: Path, cm_code: str | None = None) -> Outcome:
    """§3: write a CM's big-table workbook for the month, editable as far as its state allows (the CM's own only)."""
    if actor.role is not Role.CM and not cm_code:
        raise Refused(f"{actor.label}请用 --cm 指定要查看的客户经理，例如 --cm cm001；审核请用 cmw review export。")
    with app.uow() as uow:
        view, doc, export_id, company = _record_export(uow, actor, cm_code or actor.code, month)
    layout = book_.plan_layout(book_.DEFAULT_ACTIONS, view.state, editable=view.editable)
    meta = Meta(module=book_.MODULE, template_version=book_.TEMPLATE_VERSION, owner=doc.owner_code,
                owner_name=view.cm_name, period=month, document_id=export_id, document_version=doc.version,
                exported_by=actor.code, exported_at=f"{datetime.now():%Y-%m-%d %H:%M:%S}", company=company)
    target.parent.mkdir(parents=True, exist_ok=True)
    build_workbook(target, layout, meta, Heading(company, book_.TITLE, view.cm_label, month, date.today()),
                   {book_.SHEET: book_.plan_data(view, book_.DEFAULT_ACTIONS)})
    planned = sum(c.mark == "☆" for c in view.cells.values())
    return Outcome(f"已导出 {view.cm_label} {month} 的任务执行标注表到 {target}：{len(view.stores)} 户客户，"
                   f"{planned} 个 ☆；状态：{BIG_TABLE.states[view.state]}（第 {view.version} 版）。",
                   _export_lines(view, target, doc.owner_code))


def plan_layout_of(app: App, meta: Meta) -> BookLayout:
    """The layout a submitted big table was made with: the action columns its export showed."""
    with app.uow() as uow:
        export = uow.exports.get(meta.document_id)
    if export is None or export.module != book_.MODULE:
        raise Refused("找不到这个大表的导出记录（可能来自另一个数据库）。请重新导出后再填写提交。")
    return book_.plan_layout(tuple(export.snapshot["actions"]))


def _operation(book: SubmittedBook) -> str:
    """保存 or 提交: the --action given beside the file, else the file's 本次操作 cell (blank = 保存)."""
    chosen = book.action or normalize_text(book.inputs.get(book_.OPERATION)) or SAVE
    if chosen not in (SAVE, SUBMIT):
        sheet, cell = book.input_cells.get(book_.OPERATION, (book_.SHEET, ""))
        raise Refused(f"“本次操作”只能选“{SAVE}”或“{SUBMIT}”，全部未保存。请从下拉列表选择后重新提交：",
                      [Finding("INVALID", "请选择“保存”或“提交”", sheet=sheet, cell=cell, value=chosen)])
    return chosen


def submit_plan_book(app: App, actor: Actor, book: SubmittedBook, submission_id: int) -> Outcome:
    """Hand a read big table to the use case: its marks saved (all or nothing), then submitted when asked."""
    return take_back(app.uow(), actor, owner_code=book.meta.owner, month=book.meta.period,
                     export_id=book.meta.document_id, records=book.rows[book_.SHEET], shape_findings=book.findings,
                     operation=_operation(book), submission_id=submission_id)


def list_plans(app: App, actor: Actor, where: ListFilter) -> list[dict]:
    """The big tables the actor may see, filtered by unit, month, CM and state."""
    state = state_code(BIG_TABLE, where.state)
    with app.uow() as uow:
        return uow.plans.listing(listed_cms(uow, actor, where), month=where.month, state=state)
