"""§10 经营能力评分 handlers (command line and ribbon): export the scoring workbook, and take it back."""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from addin.app import App
from addin.handlers.stores import company_name
from engine.actors import Actor
from engine.capability import CapabilityRubric, capability_rubric_from_dict
from engine.capability_scoring import carried_over, submit_capability
from engine.errors import Refused
from engine.operating_analysis import analyses_of, analysis_of
from engine.periods import previous_month
from engine.policy import require
from engine.ports import Analysis, ScopeStore
from engine.records import Outcome
from workbooks import capability as capability_book
from workbooks.builder import Heading, build_workbook
from workbooks.layout import BookLayout
from workbooks.meta import Meta
from workbooks.reader import SubmittedBook


def _rubric(uow, version: int) -> CapabilityRubric:
    body = uow.rubrics.get("capability", version) if version else None  # version 0 would fetch the latest
    if body is None:
        raise Refused(f"找不到第 {version} 版经营能力评分标准，此工作簿无法识别。请重新导出后再填写提交。")
    return capability_rubric_from_dict(body)


def _saved_scores(uow, analysis: Analysis | None) -> capability_book.Saved:
    saved: capability_book.Saved = {}
    for row in (uow.analyses.capability(analysis.id).itertuples() if analysis else ()):
        saved.setdefault(int(row.store_id), {})[row.indicator] = (row.item, row.score)
    return saved


def _what_to_export(app: App, actor: Actor, month: str):
    """The analysis, its rubric, the stores in scope, their effect totals and saved scores; refused when not scorable."""
    require(actor, "capability.score")
    with app.uow() as uow:
        analysis = analysis_of(uow, actor.code, month)
        if analysis.document.state == "strategies":
            raise Refused(f"{month} 的策略已生成，经营能力评分已锁定，不能再导出评分表修改。")
        rubric = _rubric(uow, analysis.capability_rubric_version)
        stores: list[ScopeStore] = uow.analyses.scope([actor.code])
        totals = uow.analyses.effect(analysis.id)["total"]
        effect = {int(store_id): float(total) for store_id, total in totals.items()}
        saved = _saved_scores(uow, analysis)
        last = analyses_of(uow, [actor.code], previous_month(month)).get(actor.code)
        return analysis, rubric, stores, effect, saved, carried_over(rubric, _saved_scores(uow, last), saved)


def export_capability(app: App, actor: Actor, month: str, target: Path) -> Outcome:
    """§10: write the CM's capability-scoring workbook for a month whose effect is computed and strategies are not."""
    analysis, rubric, stores, effect, saved, carried = _what_to_export(app, actor, month)
    layout = capability_book.capability_layout(rubric)
    company = company_name(app, actor)
    meta = Meta(module=layout.module, template_version=layout.template_version, owner=actor.code,
                owner_name=actor.name, period=month, document_id=analysis.document.id,
                document_version=analysis.document.version, exported_by=actor.code,
                exported_at=f"{datetime.now():%Y-%m-%d %H:%M:%S}", company=company,
                rubric_version=analysis.capability_rubric_version, database=app.database_id)
    heading = Heading(company, layout.title, actor.label, month, date.today())
    target.parent.mkdir(parents=True, exist_ok=True)
    last = previous_month(month)
    build_workbook(target, layout, meta, heading,
                   capability_book.capability_rows(rubric, stores, effect, saved, carried, last))
    scored = sum(1 for s in stores if s.id in saved)
    prefilled = sum(1 for s in stores if s.id not in saved and s.id in carried)
    told = (f"其中 {prefilled} 户预填了 {last} 的评分（橙色底，批注说明），请逐户确认或修改；原样提交即按本月评分保存。",) \
        if prefilled else ()
    return Outcome(f"已导出 {month} 经营能力评分表到 {target}：{len(stores)} 户客户，其中 {scored} 户已评分。",
                   (*told, "黄色单元格填写：每个指标先选明细项目，再填该项目分数范围内的分数；新增客户选“是”并选择新增阶段。",
                    f"填好保存后运行：cmw submit {target.name} --as {actor.code}"))


def capability_layout_of(app: App, meta: Meta) -> BookLayout:
    """The layout a submitted capability workbook was made with (its rubric version is in _meta)."""
    with app.uow() as uow:
        return capability_book.capability_layout(_rubric(uow, meta.rubric_version))


def submit_capability_book(app: App, actor: Actor, book: SubmittedBook, submission_id: int) -> Outcome:
    """Hand a read capability workbook to the use case: valid rows saved, the others refused with their cells."""
    return submit_capability(app.uow(), actor, owner_code=book.meta.owner, month=book.meta.period,
                             rubric_version=book.meta.rubric_version, records=book.rows[capability_book.SHEET],
                             shape_findings=book.findings, submission_id=submission_id)
