"""Every kind of workbook we generate, produced on the test company: one sample producer per module code a generated
workbook can carry (PRODUCERS: a new workbook module adds one here), the visit lists besides (WORKBOOKS), and a
fresh SQLite company prepared for every one of them (sqlite_app)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable

from addin.app import App
from addin.handlers import export_stores
from addin.handlers.capability import capability_layout_of, export_capability
from addin.handlers.district import export_district
from addin.handlers.big_table import export_plan
from addin.handlers.review import export_review
from addin.handlers.visits import visit_list
from engine.operating_analysis import compute_effect
from engine.ports import StoreFilter
from storage.database import make_engine, session_factory, upgrade
from storage.visit_plans import plan_visits
from tests.analysis_helpers import MONTH
from tests.factories import make_company, make_orders
from tests.integration.big_table_helpers import generate_plan, move
from workbooks import big_table as plan_book, review as review_book
from workbooks.layout import BookLayout
from workbooks.reader import read_meta
from workbooks.stores import LAYOUT as STORE_LAYOUT

MONDAY = date(2026, 11, 2)


@dataclass(frozen=True)
class Sample:
    """A generated workbook, the layout it was declared with (None for a read-only report), and text its printout shows."""

    path: Path
    layout: BookLayout | None
    texts: tuple[str, ...]
    owner: str = "cm001"


def _store_list(app: App, folder: Path) -> Sample:
    """§2: cm001's store list."""
    path = folder / "客户信息维护.xlsx"
    export_stores(app, app.actor("cm001"), StoreFilter(), path)
    return Sample(path, STORE_LAYOUT, ("示例市烟草公司", "客户信息维护", "张三", "cm001的第1家烟酒店", "周一"))


def _capability_scores(app: App, folder: Path) -> Sample:
    """§10: cm001's capability-scoring workbook for MONTH (its effect is computed by the fixture)."""
    path = folder / "经营能力评分.xlsx"
    export_capability(app, app.actor("cm001"), MONTH, path)
    layout = capability_layout_of(app, read_meta(path.read_bytes()))
    return Sample(path, layout, ("示例市烟草公司", "经营能力评分表", "张三", "cm001的第1家烟酒店", MONTH))


def _district_report(app: App, folder: Path) -> Sample:
    """§10: cm001's district statistics for MONTH (read-only report with charts)."""
    path = folder / "片区统计.xlsx"
    export_district(app, app.actor("cm001"), "cm001", MONTH, path)
    return Sample(path, None, ("示例市烟草公司", "片区统计", "张三", MONTH, "经营效果得分分布", "潜在需求占比"))


def _planned_once(app: App, cm: str) -> str:
    """The CM's big table for MONTH, generated on first use (producers run once per test); its state."""
    with app.uow() as uow:
        doc = uow.documents.get(plan_book.MODULE, cm, MONTH)
    if doc is None:
        generate_plan(app, cm)
    with app.uow() as uow:
        return uow.documents.get(plan_book.MODULE, cm, MONTH).state


def _big_table(app: App, folder: Path) -> Sample:
    """§3: cm002's big table for MONTH, being planned (cm001's analysis stays unscored for the producers above)."""
    path = folder / "任务执行标注表.xlsx"
    state = _planned_once(app, "cm002")
    export_plan(app, app.actor("cm002"), MONTH, path)
    return Sample(path, plan_book.plan_layout(plan_book.DEFAULT_ACTIONS, state),
                  ("示例市烟草公司", "客户经理任务执行标注表", "李四", "cm002的第1家烟酒店", MONTH, "合计 ☆", "本次操作"), "cm002")


def _review(app: App, folder: Path) -> Sample:
    """§3: mm02's review workbook, with cm003's submitted plan (cm003 is of mm02's department)."""
    path = folder / "任务执行标注表审核.xlsx"
    if _planned_once(app, "cm003") == "draft":
        move(app, "cm003", "cm003", "submit_plan")
    export_review(app, app.actor("mm02"), MONTH, path)
    sheet = plan_book.plan_sheet(plan_book.DEFAULT_ACTIONS, "submitted", name=review_book.cm_sheet_name("cm003", "周五"),
                                 editable=False)
    return Sample(path, review_book.review_layout((sheet,)),
                  ("示例市烟草公司", "任务执行标注表审核", "赵经理", "客户经理 周五（cm003）", "cm003的第1家烟酒店"), "mm02")


def _key_brands(app: App, folder: Path) -> Sample:
    """The brand manager's key-brand list for MONTH."""
    from addin.handlers.key_brands import export_key_brand_book
    from workbooks.key_brands import LAYOUT

    path = folder / "重点品牌.xlsx"
    export_key_brand_book(app, app.actor("bm01"), MONTH, path)
    return Sample(path, LAYOUT, ("示例市烟草公司", "重点品牌维护", "品牌甲", "骨干品牌", MONTH), "bm01")


def _campaigns(app: App, folder: Path) -> Sample:
    """The brand manager's campaign workbook, with one campaign kept."""
    from addin.handlers.campaigns import export_campaign_book
    from tests.campaign_helpers import keep_campaign
    from workbooks.campaigns import LAYOUT

    keep_campaign(app, MONTH)
    path = folder / "促销战役.xlsx"
    export_campaign_book(app, app.actor("bm01"), path)
    return Sample(path, LAYOUT, ("示例市烟草公司", "促销战役维护", "品牌甲", "冬季品牌培育", "海报张贴"), "bm01")


def _survey(app: App, folder: Path) -> Sample:
    """§8: cm001's entry workbook for MONTH: its offline stores, and an answer from the ordering platform."""
    from addin.handlers.survey import export_survey, survey_layout_of
    from engine.ports import AnswerRow
    from engine.questionnaire import month_questionnaire

    with app.uow() as uow:
        if not uow.surveys.answers(MONTH, ["cm001"]):
            month_questionnaire(uow, MONTH, "admin")
            online = next(s for s in uow.surveys.stores(["cm001"]) if s.online)
            uow.surveys.put_many(MONTH, [AnswerRow(online.id, uow.surveys.cm_id("cm001"), "online", date(2026, 11, 2),
                                                   ("D01", "D03"), ("D03",), "网上订货平台的建议")],
                                 actor="admin", submission_id=None)
            uow.commit()
    path = folder / "客户需求调查表.xlsx"
    export_survey(app, app.actor("cm001"), MONTH, path)
    return Sample(path, survey_layout_of(app, read_meta(path.read_bytes())),
                  ("示例市烟草公司", "客户需求调查表", "张三", "cm001的第2家烟酒店", "货源与订货", "最急需的三项需求",
                   "cm001的第1家烟酒店", "网上订货平台的建议"))


def _survey_stats(app: App, folder: Path) -> Sample:
    """§9: mm01's statistics of MONTH (a read-only report with a bar chart), over the answer _survey enters."""
    from addin.handlers.survey import survey_stats

    _survey(app, folder)
    path = folder / "客户需求调查统计表.xlsx"
    survey_stats(app, app.actor("mm01"), MONTH, path)
    return Sample(path, None, ("示例市烟草公司", "客户需求调查统计表", "东区营销部", "各需求项目选择情况", "货源供应",
                               "cm001的第1家烟酒店"), "D01")


def _form(code: str, texts: tuple[str, ...]) -> Callable[[App, Path], Sample]:
    """A declared document type's workbook, as cm001 exports it first (the inputs of its first state open)."""
    def produce(app: App, folder: Path) -> Sample:
        from addin.handlers.forms import export_form
        from engine.document_types import document_type
        from engine.forms import exported_values
        from engine.periods import month_days
        from tests.campaign_helpers import keep_campaign
        from workbooks.form import form_layout
        from workbooks.reader import read_meta

        path = folder / f"{code}.xlsx"
        if document_type(code).draft.requires:  # §5–§7 need the month's key brands (and targets)
            _brands_ready(app)
        kind = document_type(code)
        period = MONTH if kind.period == "month" else \
            f"{MONTH}/{keep_campaign(app, MONTH).code}" if kind.period == "campaign" else \
            next(d for d in month_days(MONTH) if d.weekday() == 0).isoformat()  # a kind kept by week: its Monday
        export_form(app, app.actor("cm001"), code, period, path)
        # as the export wrote it: the first state's inputs open, its columns as made for this document (§14's group
        # per SKU)
        with app.uow() as uow:
            export = uow.exports.get(read_meta(path.read_bytes()).document_id)
        assert export is not None
        values = exported_values(kind, export.snapshot)
        return Sample(path, form_layout(kind, frozenset(kind.open_fields(kind.workflow.initial)), values=values),
                      ("示例市烟草公司", *texts))
    return produce


def _brands_ready(app: App) -> None:
    """The month's key brands kept and cm001's brand target for 甲 set, on first use (§5–§7 need them)."""
    from engine.document_types import document_type
    from engine.forms import read_forms
    from tests.brand_helpers import keep_brands

    with app.uow() as uow:
        if uow.key_brands.of_month(MONTH):
            return
    keep_brands(app, MONTH)
    with app.uow() as uow:
        [view] = read_forms(uow, app.actor("cm001"), document_type("brand_targets"), None, MONTH, create=True)
        uow.values.put_many(view.doc.id, [("targets.brand", 1, "甲"), ("targets.shelf_rate", 1, "60")], version=1)
        uow.commit()


def _team_targets(app: App, folder: Path) -> Sample:
    """§5: mm01's one workbook of the department's brand targets."""
    from addin.handlers.forms import export_form
    from addin.handlers.team_forms import team_layout_of

    path = folder / "品牌目标-营销部.xlsx"
    _brands_ready(app)
    export_form(app, app.actor("mm01"), "brand_targets", MONTH, path)
    return Sample(path, team_layout_of(app, read_meta(path.read_bytes())),
                  ("示例市烟草公司", "品牌状态分析目标设置 — 营销部全部客户经理", "王经理", "cm002"), "mm01")


#: One producer per module code a generated workbook can carry (see test_libreoffice's _workbook_modules): a new
#: module adds one here.
PRODUCERS: dict[str, Callable[[App, Path], Sample]] = {
    "stores": _store_list,
    "capability": _capability_scores,
    "district": _district_report,
    "bigtable": _big_table,
    "review": _review,
    "key_brands": _key_brands,
    "campaigns": _campaigns,
    "survey": _survey,
    "survey_stats": _survey_stats,
    "workplan": _form("workplan", ("客户经理月工作计划", "本月销量目标（条）", "周重点工作", "第 1 周")),
    "summary": _form("summary", ("客户经理月度工作总结", "本月主要成绩", "营销动作完成情况")),
    "brand_targets": _form("brand_targets", ("品牌状态分析目标设置", "目标上柜率（%）", "甲")),
    "brand_targets_team": _team_targets,
    "target_stores": _form("target_stores", ("品牌状态分析目标客户设置", "目标客户", "选入原因")),
    "market": _form("market", ("月度市场状态分析", "市场指标", "本月存在问题及原因", "营销部本月")),
    "brand_analysis": _form("brand_analysis", ("月度品牌状态分析", "分档位上柜率", "近六个月走势", "实际上柜率")),
    "cultivation": _form("cultivation", ("月度片区品牌培育执行表", "执行情况", "价签正确", "示例烟2")),
    "weekly": _form("weekly", ("客户经理周自我评估", "计划拜访次数（§12）", "遇到的问题", "自我评价", "拜访执行")),
    "contract": _form("contract", ("绩效合约书", "阶段性重点及弱项工作", "KPI 指标", "自评得分", "考评得分")),
}


def _visits(kind: str) -> Callable[[App, Path], Sample]:
    def produce(app: App, folder: Path) -> Sample:
        path = folder / f"{kind}.xlsx"
        visit_list(app, app.actor("cm002"), kind=kind, cm_code="cm002", start=MONDAY, target=path)
        return Sample(path, None, ("cm002的第1家烟酒店",), "cm002")
    return produce


#: Every workbook we generate: the LibreOffice check's producers, and the visit lists (read-only reports).
WORKBOOKS = {**PRODUCERS, "visits_day": _visits("day"), "visits_week": _visits("week")}


def prepare(app: App) -> None:
    """cm001's effect computed (unscored); cm002's big table approved; the month's visit plan made."""
    compute_effect(app.uow(), app.actor("cm001"), month=MONTH)
    generate_plan(app, "cm002")
    move(app, "cm002", "cm002", "submit_plan")
    move(app, "mm01", "cm002", "approve_plan")
    with app.sessions.begin() as session:
        plan_visits(session, MONTH, app.actor("admin"))


def company_app(folder: Path) -> App:
    """The test company with October's orders on a fresh SQLite database in folder."""
    engine = make_engine(f"sqlite:///{folder / 'cmw.sqlite3'}")
    upgrade(engine)
    sessions = session_factory(engine)
    make_company(sessions)
    make_orders(sessions, "2026-10")
    return App(engine, sessions)


def sqlite_app(folder: Path) -> App:
    """The test company with October's orders on a fresh SQLite database, prepared for every printable."""
    app = company_app(folder)
    prepare(app)
    return app
