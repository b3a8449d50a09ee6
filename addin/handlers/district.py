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
from templates.pdf import Progress, documents_pdf, pdf_pages, write_page
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


#: The first pages of district_pages, 概况 and 潜力分布: the summary (at most 3 printed pages a CM), and the first
#: part of the full print, whose drill-downs (a row per store) are each a part of their own.
SUMMARY_PAGES = 2


def _html_parts(data: DistrictData, company: str, summary: bool = False) -> list[str]:
    """The print page of the statistics in parts that each start a page, for laying out apart (templates/pdf.py):
    the overview and potential first, then each drill-down; with summary, the first part alone."""
    pages = district_pages(data)
    groups = [pages[:SUMMARY_PAGES]] if summary else [pages[:SUMMARY_PAGES], *([p] for p in pages[SUMMARY_PAGES:])]
    return [_html(data, company, group, summary, continued=n > 0, continues=n < len(groups) - 1)
            for n, group in enumerate(groups)]


def _html(data: DistrictData, company: str, pages: tuple | list, summary: bool = False, **part) -> str:
    """The print page of these pages of the statistics (part: continued, continues, for a part of a report)."""
    return render_html("report.html.j2", pages=pages, company=company, cm_label=data.cm_label,
                       title=f"{district_book.TITLE}（概要）" if summary else district_book.TITLE,
                       period_label="分析月份", period=data.month, printed_on=f"{date.today():%Y-%m-%d}", show=shown,
                       kind_of=kind_of, **part)


def district_parts(app: App, actor: Actor, cm_code: str, month: str, summary: bool = False) -> list[str]:
    """§10 片区统计 of a CM's month as a print page in parts (or its summary), for printing a department's CMs."""
    with app.uow() as uow:
        data, _, company = _read(uow, actor, cm_code, month)
    return _html_parts(data, company, summary)


def export_district(app: App, actor: Actor, cm_code: str, month: str, target: Path, *, summary: bool = False,
                    progress: Progress | None = None) -> Outcome:
    """§10 片区统计 of a CM's month as .xlsx (with charts) or a print page (.html or .pdf; summary: the overview and
    potential without a row per store); refused before effect is computed. A PDF's sections are laid out in parallel,
    progress told as pages are laid out."""
    suffix = target.suffix.lower()
    if suffix not in SUFFIXES:
        raise Refused(f"片区统计只能导出为 .xlsx、.html 或 .pdf，请把输出文件“{target.name}”改为这三种扩展名之一。")
    with app.uow() as uow:
        data, analysis, company = _read(uow, actor, cm_code, month)
    target.parent.mkdir(parents=True, exist_ok=True)
    pages = 0
    if suffix == ".xlsx":
        _write_book(target, data, analysis, actor, company, app.database_id)
    elif suffix == ".pdf":
        [pdf] = documents_pdf([_html_parts(data, company, summary)], progress)
        target.write_bytes(pdf)
        pages = pdf_pages(pdf)
    else:
        pages_shown = district_pages(data)
        write_page(_html(data, company, pages_shown[:SUMMARY_PAGES] if summary else pages_shown, summary), target)
    scored = len(data.capability_values())
    notes = [f"经营能力评分：{scored}/{len(data.stores)} 户已评分。" if scored else "经营能力：未评分。",
             "策略：已生成，见“待提升指标”。" if data.strategies is not None else "策略：未生成（生成后再导出即可看到待提升指标）。"]
    what = "片区统计概要（概况与潜力分布，不含逐户明细）" if summary else "片区统计"
    return Outcome(f"已生成 {data.cm_label} {month} 的{what}（{len(data.stores)} 户客户{f'，PDF {pages} 页' if pages else ''}）："
                   f"{target}", tuple(notes))
