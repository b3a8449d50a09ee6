"""A market manager's one workbook for the CMs of the department, for a kind that declares a team table (§5 brand
targets): every CM's lines of that table on one sheet, read, then taken back document by document — each with the
same checks as its CM's own file (engine.forms.apply_file) — in one unit of work: one CM's problem refuses the
whole file, and nothing is saved."""
from __future__ import annotations

from engine.actors import Actor, Role
from engine.document_types import SAVE, DocumentType
from engine.errors import Finding, Refused
from engine.exports import Handout, hand_out
from engine.forms import FormView, Submitted, apply_file, read_forms
from engine.ports import UnitOfWork
from engine.records import Outcome
from engine.scope import target_cms


def team_module(kind: DocumentType) -> str:
    """The module code written in the team workbook's _meta."""
    return f"{kind.code}_team"


def hand_out_team(uow: UnitOfWork, actor: Actor, kind: DocumentType, period: str) -> tuple[list[FormView], int, str]:
    """Every CM's document of the actor's department (opened where missing, editable: the actor fills it in) and one
    export recorded for the team workbook with what each showed, in one unit of work: the views, the export's id,
    the actor's company."""
    if actor.role not in (Role.MM, Role.ADMIN):
        raise Refused(f"一张表设置全部客户经理的{kind.title}由市场经理使用；{actor.label}请导出本人的：cmw form export {kind.code}。")

    def read(uow: UnitOfWork):
        views = read_forms(uow, actor, kind, None, period, create=True, for_owner=True)
        shown = {"period": period, "owners": {v.doc.owner_code: v.snapshot() for v in views}}
        return views, [Handout(team_module(kind), actor.code, kind.template_version, shown)]
    views, [export_id], company = hand_out(uow, actor, read)
    return views, export_id, company


def take_back_team(uow: UnitOfWork, actor: Actor, kind: DocumentType, *, period: str, export_id: int,
                   submitted: dict[str, Submitted], findings: list[Finding], submission_id: int) -> Outcome:
    """The market manager's workbook handed back: each CM's document saved as far as it changed, all or nothing."""
    with uow:
        if actor.role not in (Role.MM, Role.ADMIN):
            raise Refused(f"{kind.title}汇总表由市场经理填写提交，{actor.label}不能提交。请导出并提交本人的："
                          f"cmw form export {kind.code}。")
        export = uow.exports.get(export_id)
        if export is None or export.module != team_module(kind):
            raise Refused(f"找不到这份{kind.title}汇总表的导出记录（可能来自另一个数据库）。请重新导出后再填写提交。")
        if export.owner_code != actor.code:
            raise Refused(f"这是 {export.owner_code} 导出的{kind.title}汇总表，{actor.label}不能提交。请导出您自己的再填写。")
        typed = [f for f in findings if f.code in ("FORMULA", "EXCEL_ERROR")]  # what a cell holds
        if typed:
            raise Refused(f"{kind.title}汇总表有 {len(typed)} 处填写了公式或 Excel 错误值，全部未保存。请改为直接填写的内容"
                          "（数字或文字）后重新提交：", typed)
        if findings:
            raise Refused(f"{kind.title}汇总表的格式被改动，全部未保存。请重新导出后再填写：", findings)
        if export.snapshot.get("period") != period:
            raise Refused(f"{kind.title}汇总表的月份与导出时不同（导出时为 {export.snapshot.get('period')}），全部未保存。请重新导出。")
        shown = export.snapshot["owners"]
        unknown = sorted(set(submitted) - set(shown))
        if unknown:
            raise Refused(f"{kind.title}汇总表中有导出时没有的客户经理：{'、'.join(unknown)}，全部未保存。请不要修改“客户经理”列。")
        cms = target_cms(uow, actor, list(shown), f"edit:{kind.code}")
        docs = uow.documents.lock_many(kind.code, cms, period)
        gone = [cm for cm in cms if cm not in docs]
        if gone:
            raise Refused(f"找不到 {'、'.join(gone)} 的 {period} {kind.title}，全部未保存。请重新导出后再填写提交。")
        problems: list[Finding] = []
        lines, changed, snapshots, cms_changed = [], 0, {}, 0
        for cm in cms:
            try:
                said, n, snapshots[cm] = apply_file(uow, actor, kind, docs[cm], shown[cm], submitted.get(cm, Submitted()),
                                                    SAVE, submission_id)
            except Refused as refusal:
                sheet, cell = next(iter(submitted[cm].cells.values()), (None, None)) if cm in submitted else (None, None)
                problems.append(Finding("CM", f"{cm}：{refusal.message}", sheet=sheet, cell=cell))
                problems.extend(refusal.findings)
                continue
            changed += n
            cms_changed += bool(n)
            if n:
                lines += [f"{cm}：{said[0]}", *(f"　　{line}" for line in said[1:])]
        if problems:
            raise Refused(f"{kind.title}汇总表有问题，全部未保存。请按提示修改后重新提交：", problems)
        uow.exports.update_snapshot(export_id, {**export.snapshot, "owners": {**shown, **snapshots}})
        message = (f"已保存 {changed} 处修改（{cms_changed} 位客户经理）。"
                   if changed else "文件中没有新的修改。")
        outcome = Outcome(message, tuple(lines), changed)
        uow.submissions.conclude(submission_id, "accepted", outcome.lines(), team_module(kind))
        uow.commit()
        return outcome
