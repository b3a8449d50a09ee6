"""§8/§9 客户需求调查 handlers (command line and ribbon): the CM's entry workbook (export, take back), the ordering
platform's answers file (import), the list and the statistics."""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from addin.app import App
from engine.actors import Actor
from engine.document_types import SAVE
from engine.errors import Finding, Refused
from engine.exports import Handout, hand_out
from engine.questionnaire import KIND, questionnaire_from_dict
from engine.records import Outcome
from engine.stores import normalize_text
from engine.survey_take_back import CONFIRM, survey_view, take_back_survey
from workbooks import survey as survey_book
from workbooks.builder import Heading, build_workbook
from workbooks.layout import BookLayout
from workbooks.meta import Meta
from workbooks.reader import SubmittedBook

ACTIONS = (SAVE, CONFIRM)


def export_survey(app: App, actor: Actor, month: str, target: Path) -> Outcome:
    """§8: write the CM's entry workbook for a month (its questionnaire pinned on first use)."""
    def read(uow):
        view = survey_view(uow, actor, month)  # the month's questionnaire pinned on first use
        layout = survey_book.survey_layout(view.questionnaire, month)
        return (view, layout), [Handout(survey_book.MODULE, actor.code, layout.template_version, view.snapshot(month))]

    (view, layout), [export_id], company = hand_out(app.uow(), actor, read)
    meta = Meta(module=survey_book.MODULE, template_version=layout.template_version, owner=actor.code,
                owner_name=actor.name, period=month, document_id=export_id, document_version=0,
                exported_by=actor.code, exported_at=f"{datetime.now():%Y-%m-%d %H:%M:%S}", company=company,
                rubric_version=view.questionnaire.version, database=app.database_id)
    pending = sum(1 for _, _, a in view.offline if a and a.state == "draft") + \
        sum(1 for a in view.online if a.state == "draft")
    answered = sum(1 for _, _, a in view.offline if a)
    guide = (f"第 {view.questionnaire.version} 版问卷；线下客户 {len(view.offline)} 户（已录入 {answered} 户），"
             f"网上问卷 {len(view.online)} 份；待确认 {pending} 份。",
             f"黄色单元格填写：调查日期、有需求的项目选“✓”、最急需的三项（从本行勾选的项目中选）、建议意见；整行留空表示未调查。"
             f"“{SAVE}”保存为待确认，“{CONFIRM}”后锁定。")
    target.parent.mkdir(parents=True, exist_ok=True)
    build_workbook(target, layout, meta, Heading(company, survey_book.TITLE, actor.label, month, date.today()),
                   survey_book.survey_data(view.questionnaire, month, view.offline, view.online, guide))
    return Outcome(f"已导出 {month} 的客户需求调查表到 {target}：线下客户 {len(view.offline)} 户，网上问卷 "
                   f"{len(view.online)} 份。", (guide[0], f"填好保存后运行：cmw submit {target.name} --as {actor.code}"
                                                       f"（表中“本次操作”选“{CONFIRM}”即同时确认，也可加 --action {CONFIRM}）"))


def survey_layout_of(app: App, meta: Meta) -> BookLayout:
    """The layout a submitted entry workbook was made with (its questionnaire version is in _meta)."""
    with app.uow() as uow:
        body = uow.rubrics.get(KIND, meta.rubric_version) if meta.rubric_version else None
    if body is None:
        raise Refused(f"找不到第 {meta.rubric_version} 版调查问卷，此工作簿无法识别。请重新导出后再填写提交。")
    return survey_book.survey_layout(questionnaire_from_dict(body), meta.period)


def _operation(book: SubmittedBook) -> str:
    chosen = book.action or normalize_text(book.inputs.get(survey_book.OPERATION)) or SAVE
    if chosen not in ACTIONS:
        sheet, cell = book.input_cells.get(survey_book.OPERATION, ("", ""))
        raise Refused(f"“本次操作”只能选“{SAVE}”或“{CONFIRM}”，全部未保存。请从下拉列表选择后重新提交：",
                      [Finding("INVALID", f"请选择“{SAVE}”或“{CONFIRM}”", sheet=sheet, cell=cell, value=chosen)])
    return chosen


def submit_survey_book(app: App, actor: Actor, book: SubmittedBook, submission_id: int | None) -> Outcome:
    """Hand a read entry workbook to its take-back."""
    return take_back_survey(app.uow(), actor, owner_code=book.meta.owner, month=book.meta.period,
                            export_id=book.meta.document_id, version=book.meta.rubric_version,
                            offline=book.rows.get(survey_book.OFFLINE_SHEET, []),
                            online=book.rows.get(survey_book.ONLINE_SHEET, []), findings=book.findings,
                            operation=_operation(book), submission_id=submission_id)
