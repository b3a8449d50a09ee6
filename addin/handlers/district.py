"""§10 片区统计 handler (command line and ribbon): one CM's analysed month as a workbook (.xlsx) or a print page (.html)."""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from addin.app import App
from engine.actors import Actor
from engine.capability import capability_rubric_from_dict
from engine.district import analysed_stores, store_frame
from engine.district_report import DistrictData, district_pages
from engine.effect import effect_rubric_from_dict
from engine.errors import Refused
from engine.operating_analysis import analysis_of
from engine.scope import target_cms
from engine.ports import Analysis
from engine.records import Outcome
from engine.report import kind_of, shown
from templates.pdf import write_page
from templates.render import render_html
from workbooks import district as district_book
from workbooks.report import build_report
from workbooks.builder import Heading
from workbooks.meta import Meta

SUFFIXES = (".xlsx", ".html", ".pdf")


def _read(uow, actor: Actor, cm_code: str, month: str) -> tuple[DistrictData, Analysis, str]:
    """What the statistics need, read in one unit of work: the data, the analysis, the company's name."""
    [cm] = target_cms(uow, actor, [cm_code], "view:analysis")
    analysis = analysis_of(uow, cm, month)
    effect = uow.analyses.effect(analysis.id)
    owner = uow.users.actor(cm)
    generated = analysis.document.state == "strategies"
    data = DistrictData(
        cm_label=f"{owner.name}（{owner.code}）", month=month,
        stores=analysed_stores(store_frame(uow.analyses.scope([cm])), effect.index),
        effect=effect, points=uow.analyses.effect_points(analysis.id),
        capability=uow.analyses.capability(analysis.id),
        strategies=uow.analyses.strategies(analysis.id) if generated else None,
        effect_rubric=effect_rubric_from_dict(uow.rubrics.get("effect", analysis.effect_rubric_version)),
        capability_rubric=capability_rubric_from_dict(
            uow.rubrics.get("capability", analysis.capability_rubric_version)))
    company = uow.users.company_of(actor)
    return data, analysis, company


def _write_book(target: Path, data: DistrictData, analysis: Analysis, actor: Actor, company: str,
                database: str) -> None:
    pages = district_pages(data)
    cm = analysis.document.owner_code
    meta = Meta(module=district_book.MODULE, template_version=district_book.TEMPLATE_VERSION, owner=cm,
                owner_name=data.cm_label, period=data.month, document_id=analysis.document.id,
                document_version=analysis.document.version, exported_by=actor.code,
                exported_at=f"{datetime.now():%Y-%m-%d %H:%M:%S}", company=company,
                rubric_version=analysis.effect_rubric_version, database=database)
    heading = Heading(company, district_book.TITLE, f"客户经理 {data.cm_label}", data.month, date.today())
    build_report(target, pages, meta, heading)


def _html(data: DistrictData, company: str) -> str:
    return render_html("report.html.j2", pages=district_pages(data), company=company, cm_label=data.cm_label,
                       title=district_book.TITLE, period_label="分析月份", period=data.month,
                       printed_on=f"{date.today():%Y-%m-%d}", show=shown, kind_of=kind_of)


def district_page(app: App, actor: Actor, cm_code: str, month: str) -> str:
    """§10 片区统计 of a CM's month as a print page (HTML), for printing a department's CMs one by one."""
    with app.uow() as uow:
        data, _, company = _read(uow, actor, cm_code, month)
    return _html(data, company)


def export_district(app: App, actor: Actor, cm_code: str, month: str, target: Path) -> Outcome:
    """§10 片区统计 of a CM's month as .xlsx (with charts) or a print page (.html or .pdf); refused before effect is computed."""
    suffix = target.suffix.lower()
    if suffix not in SUFFIXES:
        raise Refused(f"片区统计只能导出为 .xlsx、.html 或 .pdf，请把输出文件“{target.name}”改为这三种扩展名之一。")
    with app.uow() as uow:
        data, analysis, company = _read(uow, actor, cm_code, month)
    target.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".xlsx":
        _write_book(target, data, analysis, actor, company, app.database_id)
    else:
        write_page(_html(data, company), target)
    scored = len(data.capability_values())
    notes = [f"经营能力评分：{scored}/{len(data.stores)} 户已评分。" if scored else "经营能力：未评分。",
             "策略：已生成，见“待提升指标”。" if data.strategies is not None else "策略：未生成（生成后再导出即可看到待提升指标）。"]
    return Outcome(f"已生成 {data.cm_label} {month} 的片区统计（{len(data.stores)} 户客户）：{target}", tuple(notes))
