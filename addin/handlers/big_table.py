"""§3 任务执行标注表 handlers (command line and ribbon): generate, export, take the workbook back, list."""
from __future__ import annotations

import re
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from addin.app import App
from addin.handlers.analysis import ListFilter, state_code
from engine.actors import Actor, Role
from engine.document_types import SAVE, SUBMIT
from engine.kinds.bigtable import EDITABLE, REJECTED
from engine.errors import Finding, Refused, os_reason
from engine.exports import Handout, hand_out
from engine.scope import listed_cms, target_cms
from engine.big_table import KIND, generate, snapshot_of, take_back
from engine.policy import owns_documents
from engine.ports import DocumentState
from engine.review import REJECTIONS
from engine.records import Outcome
from engine.stores import normalize_text, shown_value
from engine.workflows import BIG_TABLE
from workbooks import big_table as book_
from workbooks.builder import Heading
from workbooks.layout import BookLayout
from workbooks.meta import Meta
from workbooks.reader import SubmittedBook
from workbooks.writer import BookJob, BookWriter


def generate_plan(app: App, actor: Actor, month: str, cm_codes: list[str] | None = None) -> Outcome:
    """计划新增: the CM's big table for the month (an MM: the named CMs', or all in scope), from strategies and
    carry-over."""
    return generate(app.uow(), actor, month=month, cm_codes=cm_codes)


def _visit(cycle: int, weekday: int) -> str:
    return f"{shown_value('visit_cycle', cycle)}·{shown_value('visit_weekday', weekday)}"


def _not_generated(cms: list[str], month: str) -> str:
    if len(cms) == 1:
        return f"{cms[0]} 的 {month} 大表尚未生成。请先运行：cmw plan generate --as {cms[0]} --month {month}"
    return (f"{'、'.join(cms)} 的 {month} 大表尚未生成，没有导出任何文件。"
            f"请先运行：cmw plan generate --month {month}（市场经理用 --cm 指定，或不指定以生成所辖全部）")


def _views(uow, docs: dict[str, DocumentState], month: str, *, editable) -> list[tuple[book_.PlanView, DocumentState]]:
    """The tables of docs (by CM code, in order) as their sheets show them: one set-based read per kind of data."""
    cms = list(docs)
    scope: dict[str, list] = {cm: [] for cm in cms}
    for store in uow.analyses.scope(cms):
        scope[store.cm_code].append(store)
    visits = uow.big_tables.store_visits(cms)
    cells = uow.big_tables.cells_of_many([doc.id for doc in docs.values()])
    rejections = uow.decisions.latest([doc.id for doc in docs.values()], REJECTIONS)
    names = uow.big_tables.owner_names(cms)
    deciders = {code: uow.users.actor(code) for code in {r.actor_code for r in rejections.values()}}
    views = []
    for cm, doc in docs.items():
        rejection = rejections.get(doc.id)
        by = deciders.get(rejection.actor_code) if rejection else None
        views.append((book_.PlanView(
            cm_label=Actor(cm, names.get(cm, ""), Role.CM, ()).label, cm_name=names.get(cm, ""), month=month,
            state=doc.state, version=doc.version, stores=tuple(scope[cm]),
            visits={s.code: _visit(*visits[s.code]) for s in scope[cm] if s.code in visits}, cells=cells[doc.id],
            rejection=rejection, rejected_by=by.label if by else (rejection.actor_code if rejection else ""),
            editable=editable(cm)), doc))
    return views


def plan_views(uow, cm_codes: list[str], month: str, *, editable: bool) -> list[tuple[book_.PlanView, DocumentState]]:
    """CMs' big tables as their sheets show them, read inside the caller's unit of work with one query per kind of
    data (not per CM); Refused, naming them, when any is not generated yet."""
    docs = uow.documents.get_many(KIND, cm_codes, month)
    missing = [cm for cm in cm_codes if cm not in docs]
    if missing:
        raise Refused(_not_generated(missing, month))
    return _views(uow, {cm: docs[cm] for cm in cm_codes}, month, editable=lambda cm: editable)


def plan_view(uow, cm_code: str, month: str, *, editable: bool) -> tuple[book_.PlanView, DocumentState]:
    """One CM's big table as its sheet shows it, read inside the caller's unit of work; Refused before it is generated."""
    return plan_views(uow, [cm_code], month, editable=editable)[0]


@dataclass(frozen=True)
class _Exported:
    view: book_.PlanView
    doc: DocumentState
    target: Path

    @property
    def planned(self) -> int:
        return sum(c.mark == "☆" for c in self.view.cells.values())


def _export(app: App, actor: Actor, month: str, cm_codes: list[str] | None, place, *, for_owner: bool,
            partial: bool) -> tuple[list[_Exported], list[str]]:
    """Read the tables, record one export each (the snapshot a submission is compared with) in one transaction, then
    write the files in a pool of processes; the tables written and the CMs skipped for having none yet (partial)."""
    actions = book_.DEFAULT_ACTIONS
    database = app.database_id
    with ExitStack() as stack:
        def read(uow):
            cms = target_cms(uow, actor, cm_codes, "view:bigtable")
            writer = stack.enter_context(BookWriter(len(cms)))  # its workers start while the tables are read
            docs = uow.documents.get_many(KIND, cms, month)
            missing = [cm for cm in cms if cm not in docs]
            if missing and (not partial or len(missing) == len(cms)):
                raise Refused(_not_generated(missing, month))
            # editable as the owner gets it: for the owner, or for whoever hands the file on to them (month open)
            views = _views(uow, {cm: docs[cm] for cm in cms if cm in docs}, month,
                           editable=lambda cm: for_owner or actor.code == cm)
            return (views, missing, writer), [Handout(book_.MODULE, doc.owner_code, book_.TEMPLATE_VERSION,
                                                      snapshot_of(doc, view.cells, list(actions))) for view, doc in views]

        (views, missing, writer), ids, company = hand_out(app.uow(), actor, read)
        at, today = f"{datetime.now():%Y-%m-%d %H:%M:%S}", date.today()
        exported = [_Exported(view, doc, place(view, doc)) for view, doc in views]
        for folder in {e.target.parent for e in exported}:
            folder.mkdir(parents=True, exist_ok=True)
        for (view, doc), export_id, done in zip(views, ids, exported):  # each written while the next is made
            meta = Meta(module=book_.MODULE, template_version=book_.TEMPLATE_VERSION, owner=doc.owner_code,
                        owner_name=view.cm_name, period=month, document_id=export_id, document_version=doc.version,
                        exported_by=actor.code, exported_at=at, company=company, database=database)
            writer.write(BookJob(done.target, book_.plan_layout(actions, view.state, editable=view.editable), meta,
                                 Heading(company, book_.TITLE, view.cm_label, month, today),
                                 {book_.SHEET: book_.plan_data(view, actions)}))
        failed = writer.finish()
    if failed:
        raise Refused(f"有 {len(failed)} 个文件没能写入（可能正在 Excel 中打开，或没有写入权限）。"
                      "请关闭这些文件或换一个文件夹后重新导出：",
                      [Finding("WRITE", os_reason(error), value=str(path)) for path, error in failed.items()])
    return exported, missing


def _export_lines(view: book_.PlanView, target: Path, cm: str) -> tuple[str, ...]:
    if not view.editable:
        return (book_.VIEW_ONLY,)
    lines = [book_.GUIDE[view.state]]
    if view.rejection is not None and view.state in REJECTED:
        lines.insert(0, f"驳回理由（{view.rejected_by}）：{view.rejection.reason}")
    if view.state in EDITABLE:
        lines.append(f"改好保存后运行：cmw submit {target.name} --as {cm}（表中“本次操作”选“{SUBMIT}”即同时提交，"
                     f"也可加 --operation {SUBMIT}）")
    return tuple(lines)


def export_plan(app: App, actor: Actor, month: str, target: Path, cm_code: str | None = None) -> Outcome:
    """§3: write a CM's big-table workbook for the month, editable as far as its state allows (the CM's own only;
    anyone else's is view-only — a batch for the CMs is export_plans). The batch of one."""
    if not cm_code and not owns_documents(actor):
        raise Refused(f"{actor.label}请用 --cm 指定要查看的客户经理，例如 --cm cm001；审核请用 cmw review export。")
    [done], _ = _export(app, actor, month, [cm_code or actor.code], lambda view, doc: target, for_owner=False,
                        partial=False)
    view = done.view
    return Outcome(f"已导出 {view.cm_label} {month} 的任务执行标注表到 {target}：{len(view.stores)} 户客户，"
                   f"{done.planned} 个 ☆；状态：{BIG_TABLE.states[view.state]}（第 {view.version} 版）。",
                   _export_lines(view, target, done.doc.owner_code))


#: What a file name cannot hold on Windows (and blanks, which command lines would split on).
_UNSAFE = re.compile(r'[\\/:*?"<>|\s]')


def _file_name(cm_code: str, cm_name: str, month: str) -> str:
    """A CM's file in a batch's folder: 任务执行标注表-cm001-张三-2026-11.xlsx (what, whose, month; sorts by CM)."""
    name = _UNSAFE.sub("", cm_name)
    return f"任务执行标注表-{cm_code}{'-' + name if name else ''}-{month}.xlsx"


def export_plans(app: App, actor: Actor, month: str, folder: Path, cm_codes: list[str] | None = None, *,
                 for_owner: bool = True) -> Outcome:
    """§3 month open: every CM's big table (the actor's scope, or the named CMs) into folder, one file each
    (_file_name), all read and recorded in one transaction and written in parallel. for_owner (the default):
    each file is the one its CM would export themself, to be handed to them, filled in and submitted by them;
    otherwise a CM's file is view-only to anyone else, as export_plan makes it. Whole scope: CMs without a table yet
    are skipped and listed; named CMs: all must have one."""
    exported, missing = _export(app, actor, month, cm_codes, lambda view, doc: folder / _file_name(
        doc.owner_code, view.cm_name, month), for_owner=for_owner, partial=not cm_codes)
    lines = [f"{e.target.name}：{e.view.cm_label}，{len(e.view.stores)} 户客户，{e.planned} 个 ☆，"
             f"{BIG_TABLE.states[e.view.state]}（第 {e.view.version} 版）" for e in exported]
    if missing:
        lines.append(f"以下客户经理的 {month} 大表尚未生成，没有导出：{'、'.join(missing)}"
                     f"（生成：cmw plan generate --as {actor.code} --month {month}）")
    if owns_documents(actor):  # their own, in a folder
        lines += _export_lines(exported[0].view, exported[0].target, actor.code)
    elif any(e.view.editable and e.view.state in EDITABLE for e in exported):
        lines.append("请把文件交给各位客户经理：黄色单元格填写后，由客户经理本人运行 "
                     "cmw submit 文件名 --as 本人编码 保存或提交（表中“本次操作”选“提交”即同时提交）。")
        locked = [e.doc.owner_code for e in exported if e.view.state not in EDITABLE]
        if locked:
            lines.append(f"其中 {'、'.join(locked)} 的大表当前状态下已锁定，不能修改，仅供查看和打印。")
    elif any(e.view.editable for e in exported):
        lines.append("这些大表当前状态下都已锁定（等待审核或已完成），不能修改，仅供查看和打印。")
    else:
        lines.append(book_.VIEW_ONLY)
    return Outcome(f"已导出 {len(exported)} 位客户经理 {month} 的任务执行标注表到 {folder}："
                   f"{sum(len(e.view.stores) for e in exported)} 户客户，{sum(e.planned for e in exported)} 个 ☆。",
                   tuple(lines))


def plan_layout_of(app: App, meta: Meta) -> BookLayout:
    """The layout a submitted big table was made with: the action columns its export showed."""
    with app.uow() as uow:
        export = uow.exports.get(meta.document_id)
    if export is None or export.module != book_.MODULE:
        raise Refused("找不到这个大表的导出记录（可能来自另一个数据库）。请重新导出后再填写提交。")
    return book_.plan_layout(tuple(export.snapshot["actions"]))


def _operation(book: SubmittedBook) -> str:
    """保存 or 提交: the --operation given beside the file, else the file's 本次操作 cell (blank = 保存)."""
    chosen = book.operation or normalize_text(book.inputs.get(book_.OPERATION)) or SAVE
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
        return uow.big_tables.listing(listed_cms(uow, actor, "view:bigtable", unit=where.unit, cm=where.cm), month=where.month, state=state)
