"""The one registry of ribbon actions: each button's tag, label, group, who may click it, which workbooks it applies to,
and the handler it runs — the same handler as the command line named in `cli`.

The customUI XML (addin/ribbon.py) is generated from BUTTONS and every button calls one VBA callback with its tag,
so a new button is a new entry here, never new VBA. The runners only adapt a click (the workbook in front, its
_meta, the acting user, the output folder) to the handler's arguments; handlers are imported when a button runs.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from addin.click import Click
from engine.actors import Role
from engine.errors import Refused
from engine.kinds.bigtable import EDITABLE, PLANNING_STATES, RESULTS
from engine.policy import allows, owns_documents, rule
from engine.records import Outcome

GROUPS = ("客户信息", "品牌与市场", "需求调查", "经营分析", "任务大表", "计划与总结", "审核", "打印", "通用")
ANY_BOOK = None  # modules=None: any workbook, a blank or foreign one too
OURS = ("*",)  # any workbook this system exported (it has _meta)
RUBRIC_SHEETS = {"经营效果评分标准": "effect", "经营能力评分标准": "capability"}


@dataclass(frozen=True)
class Button:
    """A ribbon button: tag (ASCII), label, group, tip, act, the workbooks it applies to, handlers and command."""

    tag: str
    label: str
    group: str
    tip: str
    act: str  # what the policy (engine/policy.py) calls what it does: who may click it is the act's rule
    modules: tuple[str, ...] | None
    handlers: tuple[str, ...]  # "module:function" of each handler the runner may call
    cli: str  # the command line that runs the same handler
    run: Callable[[Click], Outcome]
    image: str = "HappyFace"

    @property
    def roles(self) -> tuple[Role, ...]:
        """The roles the policy lets do the button's act (in some relation): the others see it greyed."""
        return rule(self.act).roles

    def applies_to(self, module: str | None) -> bool:
        """Whether the action can run on a workbook of this module (None: blank or foreign)."""
        if self.modules is ANY_BOOK:
            return True
        if self.modules == OURS:
            return module is not None
        return module in self.modules


def _opened(click: Click, target: Path, outcome: Outcome) -> Outcome:
    click.book.show_file(target)
    return outcome


def _export_stores(click: Click) -> Outcome:
    from addin.handlers.stores import export_stores
    from engine.ports import StoreFilter

    target = click.output("客户信息维护")
    return _opened(click, target, export_stores(click.app, click.actor, StoreFilter(), target))


def _print_store(click: Click) -> Outcome:
    from addin.book import selected_values
    from addin.handlers.stores import print_store_sheet
    from workbooks.stores import LAYOUT, SHEET

    layout = LAYOUT.sheet(SHEET)
    picked = selected_values(click.book, SHEET, layout.header_row)
    code = picked and picked[0].get(layout.columns[layout.index("code")].header)
    if not code:
        raise Refused(f"请先在“{SHEET}”表中点选要打印的客户所在的行，再点“打印客户明细”。")
    target = click.output(f"客户明细-{code}", ".html")
    return _opened(click, target, print_store_sheet(click.app, click.actor, str(code), target))


def _submit(click: Click, operation: str | None = None) -> Outcome:
    from addin.handlers.submission import submit_workbook

    outcome = submit_workbook(click.app, click.actor, click.book.name, click.book.content(), operation)
    click.book.clear_hints()
    return outcome


def _check(click: Click) -> Outcome:
    from addin.handlers.submission import check_workbook

    outcome = check_workbook(click.app, click.actor, click.book.name, click.book.content())
    click.book.clear_hints()
    return outcome


def _export_key_brands(click: Click) -> Outcome:
    from addin.handlers.key_brands import export_key_brand_book

    target = click.output("重点品牌")
    return _opened(click, target, export_key_brand_book(click.app, click.actor, click.month(), target))


def _export_questionnaire(click: Click) -> Outcome:
    from addin.handlers.questionnaire import TITLE, export_items

    target = click.output(TITLE)
    return _opened(click, target, export_items(click.app, click.actor, target))


def _import_questionnaire(click: Click) -> Outcome:
    from addin.handlers.questionnaire import import_items

    if "需求项目" not in click.book.sheet_names():
        raise Refused("当前工作簿不是导出的调查问卷。请先点“导出调查问卷”，在导出的表中修改、保存后再点“导入调查问卷”。")
    click.book.content()  # saved first: the import reads the file
    return import_items(click.app, click.actor, click.book.path())


def _export_survey(click: Click) -> Outcome:
    from addin.handlers.survey import export_survey

    target = click.output("客户需求调查表")
    return _opened(click, target, export_survey(click.app, click.actor, click.month(), target))


def _import_survey(click: Click) -> Outcome:
    from addin.handlers.survey_import import import_survey

    click.book.content()  # saved first: the import reads the file
    return import_survey(click.app, click.actor, click.book.path(), click.month())


def _survey_stats(suffix: str) -> Callable[[Click], Outcome]:
    def run(click: Click) -> Outcome:
        from addin.handlers.survey import TITLE, survey_stats

        target = click.output(TITLE, suffix)
        return _opened(click, target, survey_stats(click.app, click.actor, click.month(), target))
    return run


def _survey_list(click: Click) -> Outcome:
    from addin.handlers.survey import AnswerFilter, list_answers

    rows = list_answers(click.app, click.actor, AnswerFilter(click.month()))
    pending = sum(1 for row in rows if row[7] == "待确认")
    lines = tuple(f"{r[0]}  {r[1]} {r[2]}  {r[3]}  {r[4]}  {r[5]}  {r[7]}" for r in rows[:200])
    return Outcome(f"{click.month()} 客户需求调查表共 {len(rows)} 份，待确认 {pending} 份：" if rows
                   else f"{click.month()} 还没有您可查看的客户需求调查表。", lines)


def _effect(click: Click) -> Outcome:
    from addin.handlers.analysis import run_effect

    return run_effect(click.app, click.actor, click.month(), None, None)


def _export_capability(click: Click) -> Outcome:
    from addin.handlers.capability import export_capability

    target = click.output("经营能力评分")
    return _opened(click, target, export_capability(click.app, click.actor, click.month(), target))


def _strategies(click: Click) -> Outcome:
    from addin.handlers.analysis import run_strategies

    return run_strategies(click.app, click.actor, click.month(), click.cms())


def _district(suffix: str) -> Callable[[Click], Outcome]:
    def run(click: Click) -> Outcome:
        from addin.handlers.district import export_district

        cm = click.cm()
        target = click.output("片区统计", suffix, who=cm)
        return _opened(click, target, export_district(click.app, click.actor, cm, click.month(), target))
    return run


def _analysis_list(click: Click) -> Outcome:
    from addin.handlers.analysis import ListFilter, list_analyses
    from engine.workflows import OPERATING_ANALYSIS

    rows = list_analyses(click.app, click.actor, ListFilter())
    lines = tuple(f"{r['code']} {r['name']}  {r['period']}  {OPERATING_ANALYSIS.states[r['state']]}  "
                  f"客户 {r['stores'] or 0}，已评分 {r['scored'] or 0}" for r in rows)
    return Outcome(f"经营状态分析共 {len(rows)} 条：" if rows else "没有您可查看的经营状态分析。", lines)


def _export_rubric(kind: str) -> Callable[[Click], Outcome]:
    def run(click: Click) -> Outcome:
        from addin.handlers.rubrics import KINDS, export_rubric

        target = click.output(KINDS[kind])
        return _opened(click, target, export_rubric(click.app, click.actor, kind, target))
    return run


def _import_rubric(click: Click) -> Outcome:
    from addin.handlers.rubrics import import_rubric

    kinds = [RUBRIC_SHEETS[name] for name in click.book.sheet_names() if name in RUBRIC_SHEETS]
    if len(kinds) != 1:
        raise Refused("当前工作簿不是导出的评分标准。请先点“导出经营效果评分标准”或“导出经营能力评分标准”，在导出的表中修改、保存后再点“导入评分标准”。")
    click.book.content()  # saved first: the import reads the file
    return import_rubric(click.app, click.actor, kinds[0], click.book.path())


def _print_book(click: Click) -> Outcome:
    from addin.book import print_workbook

    return print_workbook(click.book, click.folder)


def _refresh(click: Click) -> Outcome:
    exporter = REFRESHED.get(click.module or "")
    if exporter is None:
        raise Refused("“刷新”按数据库中的最新数据重新导出当前的工作导航、客户信息表、需求调查表、经营能力评分表、片区统计、大表或审核表"
                      "（另存为新文件）；当前工作簿不是这几种。")
    if click.meta.owner != click.actor.code:  # someone else's workbook, exported again: the exporter's rule for its owner
        from engine.policy import require
        from engine.scope import owner_of

        with click.app.uow() as uow:
            require(click.actor, BUTTONS[exporter].act, owner_of(uow, click.meta.owner))
    return BUTTONS[exporter].run(click)


def _navigation(click: Click) -> Outcome:
    from addin.handlers.navigation import TITLE, export_status

    target = click.output(TITLE)
    return _opened(click, target, export_status(click.app, click.actor, click.month(), target, click.cms(),
                                                commands=button_labels()))


def _print_feedback(click: Click) -> Outcome:
    from addin.handlers.feedback import print_feedback

    cm = click.cm()
    target = click.output("客户月度经营状态反馈表", ".pdf", who=cm)
    return _opened(click, target, print_feedback(click.app, click.actor, cm, click.month(), target))


def _export_plan(click: Click) -> Outcome:
    from addin.handlers.big_table import export_plan

    cm = click.cm()
    target = click.output("任务执行标注表", who=cm)
    return _opened(click, target, export_plan(click.app, click.actor, click.month(), target, cm))


def _export_plans(click: Click) -> Outcome:
    from addin.handlers.big_table import export_plans

    folder = click.output("任务执行标注表", "")
    return _opened(click, folder, export_plans(click.app, click.actor, click.month(), folder))


def _generate_plan(click: Click) -> Outcome:
    from addin.handlers.big_table import generate_plan

    cms = click.cms()
    generated = generate_plan(click.app, click.actor, click.month(), cms)
    exported = _export_plan(click) if cms else _export_plans(click)
    return Outcome(generated.message, (*generated.details, *exported.lines()))


def _submit_big_table(states: tuple[str, ...], operation: str) -> Callable[[Click], Outcome]:
    """计划提交 / 状态标注 / 结果提交: the big table handed back, refused first when its state does not fit the button."""
    def run(click: Click) -> Outcome:
        from engine.big_table import KIND
        from engine.workflows import BIG_TABLE

        with click.app.uow() as uow:
            doc = uow.documents.get(KIND, click.meta.owner, click.meta.period)
            owner = uow.users.owner(click.meta.owner)
        # the button's hint is for whoever may fill the table in; anyone else is refused by the take-back itself
        if doc is not None and doc.state not in states and owner and allows(click.actor, f"edit:{KIND}", owner):
            allowed = "、".join(f"“{BIG_TABLE.states[s]}”" for s in states)
            raise Refused(f"大表现在的状态是“{BIG_TABLE.states[doc.state]}”，这个按钮只在状态为{allowed}时使用。")
        done = _submit(click, operation)
        fresh = _export_plan(click)  # the latest table opens beside it (the file in front stays current for its owner)
        return Outcome(done.message, (*done.details, f"已打开最新的大表，可在新表中继续：{fresh.message}"))
    return run


def _plan_list(click: Click) -> Outcome:
    from addin.handlers.analysis import ListFilter
    from addin.handlers.big_table import list_plans
    from engine.workflows import BIG_TABLE

    rows = list_plans(click.app, click.actor, ListFilter())
    lines = tuple(f"{r['code']} {r['name']}  {r['period']}  {BIG_TABLE.states[r['state']]}  第 {r['version']} 版"
                  for r in rows)
    return Outcome(f"任务执行标注表共 {len(rows)} 份：" if rows else "没有您可查看的任务执行标注表。", lines)


def _export_review(click: Click) -> Outcome:
    from addin.handlers.review import export_review

    target = click.output("大表审核")
    return _opened(click, target, export_review(click.app, click.actor, click.month(), target))


def _visits(kind: str) -> Callable[[Click], Outcome]:
    def run(click: Click) -> Outcome:
        from datetime import date, timedelta

        from addin.handlers.visits import TITLES, visit_list

        today, cm = date.today(), click.cm()
        start = today if kind == "day" else today - timedelta(days=today.weekday())
        target = click.output(TITLES[kind][0], ".html", who=cm)
        return _opened(click, target, visit_list(click.app, click.actor, kind=kind, cm_code=cm, start=start,
                                                 target=target))
    return run


def _print_big_table(click: Click) -> Outcome:
    from addin.handlers.printing import print_bigtable

    cm = click.cm()
    target = click.output("任务执行标注表打印", ".html", who=cm)
    return _opened(click, target, print_bigtable(click.app, click.actor, click.month(), target, cm))


def _burst(kind: str) -> Callable[[Click], Outcome]:
    def run(click: Click) -> Outcome:
        from addin.handlers.printing import burst

        unit = click.actor.unit_path[-1] if click.actor.unit_path else ""
        folder = click.output(f"打印包-{kind}", "")
        outcome = burst(click.app, click.actor, kind, unit, click.month(), folder)
        return _opened(click, folder, outcome)
    return run


def _form_export(code: str) -> Callable[[Click], Outcome]:
    def run(click: Click) -> Outcome:
        from addin.handlers.forms import export_form, kind_of

        title = kind_of(code).title
        if owns_documents(click.actor) or (kind_of(code).team_table and click.cms() is None):  # own, or one for all
            target = click.output(title)
            return _opened(click, target, export_form(click.app, click.actor, code, click.period(code), target))
        folder = click.output(title, "")
        return _opened(click, folder, export_form(click.app, click.actor, code, click.period(code), folder,
                                                  click.cms(), folder=True))
    return run


def _form_print(code: str) -> Callable[[Click], Outcome]:
    def run(click: Click) -> Outcome:
        from addin.handlers.forms import kind_of, print_form

        cm = click.cm()
        target = click.output(f"{kind_of(code).title}打印", ".html", who=cm)
        return _opened(click, target, print_form(click.app, click.actor, code, click.period(code), target, cm))
    return run


def _form_actions() -> list[Button]:
    """导出 and 打印 of every declared document type, in its ribbon group (derived, never listed by hand)."""
    from engine.document_types import document_types

    actions = []
    for code, kind in document_types().items():
        if not kind.parts:  # a workbook of its own (the big table): its buttons are in the list above
            continue
        short = kind.title.removeprefix("客户经理")
        actions += [
            _a(f"{code}_export", f"导出{short}", kind.ribbon_group,
               f"{kind.section} 导出{'本周' if kind.period == 'week' else '本月'}{short}；黄色单元格填写后点“提交”（“本次操作”选“提交”即交出）。市场经理：导出所辖全部到一个文件夹。",
               f"view:{code}", ANY_BOOK, [_H + "forms:export_form"], "cmw form export", _form_export(code), "ExportExcel"),
            _a(f"{code}_print", f"打印{short}", "打印", f"{kind.section} {short}的打印页（A4，带签字栏）。",
               f"view:{code}", ANY_BOOK, [_H + "forms:print_form"], "cmw form print", _form_print(code), "FilePrint")]
    return actions


def _a(tag, label, group, tip, act, modules, handlers, cli, run, image="HappyFace") -> Button:
    return Button(tag, label, group, tip, act, modules, tuple(handlers), cli, run, image)


_H = "addin.handlers."
_REGISTERED = [
    _a("navigation", "工作导航", "通用", "§1 本月每一步走到哪里、受阻的原因和下一步；链接输出文件夹中本月已有的工作簿。点“刷新”更新。",
       "navigation", ANY_BOOK, [_H + "navigation:export_status"], "cmw status", _navigation, "Info"),
    _a("stores_export", "导出客户信息表", "客户信息", "导出本人的有效客户信息表；黄色单元格可修改，改完点“提交”。",
       "stores.maintain", ANY_BOOK, [_H + "stores:export_stores"], "cmw stores export", _export_stores, "ExportExcel"),
    _a("key_brands_export", "导出重点品牌表", "品牌与市场", "品牌经理：导出本月的重点品牌表（每个品牌选 是/否），填好后点“提交”。",
       "brands", ANY_BOOK, [_H + "key_brands:export_key_brand_book"], "cmw brands export", _export_key_brands,
       "ExportExcel"),
    _a("survey_export", "导出需求调查表", "需求调查", "§8 导出本月的客户需求调查表：线下客户逐户录入（✓ 选需求、最急需的三项、建议），"
       "网上问卷核对；改完点“提交”保存为待确认，“确认”列选“确认”后锁定。",
       "edit:survey", ANY_BOOK, [_H + "survey:export_survey"], "cmw survey export", _export_survey, "ExportExcel"),
    _a("survey_import", "导入网上问卷", "需求调查", "管理员：把网上订货平台的问卷答案（当前工作簿，第一个工作表）导入本月，"
       "全部正确才写入，待客户经理确认；已确认的问卷不会被改动。",
       "survey.import", ANY_BOOK, [_H + "survey_import:import_survey"], "cmw survey import", _import_survey, "ImportExcel"),
    _a("survey_list", "问卷列表", "需求调查", "本月您可查看的客户需求调查表：客户、类型、日期、需求项目、状态。",
       "view:survey", ANY_BOOK, [_H + "survey:list_answers"], "cmw survey list", _survey_list, "Info"),
    _a("survey_stats", "需求调查统计", "需求调查", "§9 客户需求调查统计表（工作簿，带条形图）：覆盖率、各需求项目的户数和占比、"
       "最急需排名、与上月比较，按营销部、客户经理到每户。",
       "view:survey", ANY_BOOK, [_H + "survey:survey_stats"], "cmw survey stats", _survey_stats(".xlsx"), "ChartInsert"),
    _a("survey_stats_print", "打印需求调查统计", "打印", "§9 客户需求调查统计表的打印页（A4，表头每页重复）。",
       "view:survey", ANY_BOOK, [_H + "survey:survey_stats"], "cmw survey stats", _survey_stats(".html"), "FilePrintPreview"),
    _a("questionnaire_export", "导出调查问卷", "需求调查", "§8 导出当前版本的调查问卷（需求项目）；管理员修改后点“导入调查问卷”。",
       "questionnaire.view", ANY_BOOK, [_H + "questionnaire:export_items"], "cmw survey items export", _export_questionnaire,
       "ExportExcel"),
    _a("questionnaire_import", "导入调查问卷", "需求调查", "管理员：把修改后的调查问卷（当前工作簿）导入为新版本；已开始调查的月份保留原版本。",
       "questionnaire.import", ANY_BOOK, [_H + "questionnaire:import_items"], "cmw survey items import", _import_questionnaire,
       "ImportExcel"),
    _a("effect_compute", "计算经营效果", "经营分析", "按上月订单计算本月经营效果得分（每月只能计算一次）。",
       "analysis:compute_effect", ANY_BOOK, [_H + "analysis:run_effect"], "cmw analysis effect", _effect, "Calculator"),
    _a("capability_export", "导出经营能力评分表", "经营分析", "导出本月经营能力评分表；逐户选明细项目并打分，然后点“提交”。",
       "capability.score", ANY_BOOK, [_H + "capability:export_capability"], "cmw analysis capability export",
       _export_capability, "ExportExcel"),
    _a("strategies_generate", "生成策略", "经营分析", "全部客户评分后，生成低于片区平均的待提升指标。",
       "analysis:generate_strategies", ANY_BOOK, [_H + "analysis:run_strategies"], "cmw analysis strategies", _strategies, "HappyFace"),
    _a("district_export", "生成片区统计", "经营分析", "生成片区统计工作簿（图表与明细）。",
       "view:analysis", ANY_BOOK, [_H + "district:export_district"], "cmw analysis district", _district(".xlsx"),
       "ChartInsert"),
    _a("analysis_list", "分析进度", "经营分析", "列出您可查看的经营状态分析及其状态。",
       "view:analysis", ANY_BOOK, [_H + "analysis:list_analyses"], "cmw analysis list", _analysis_list, "Info"),
    _a("rubric_export_effect", "导出经营效果评分标准", "经营分析", "导出当前版本的经营效果评分标准。",
       "rubric.view", ANY_BOOK, [_H + "rubrics:export_rubric"], "cmw rubric export", _export_rubric("effect"),
       "ExportExcel"),
    _a("rubric_export_capability", "导出经营能力评分标准", "经营分析", "导出当前版本的经营能力评分标准。",
       "rubric.view", ANY_BOOK, [_H + "rubrics:export_rubric"], "cmw rubric export", _export_rubric("capability"),
       "ExportExcel"),
    _a("rubric_import", "导入评分标准", "经营分析", "管理员：把修改后的评分标准（当前工作簿）导入为新版本。",
       "rubric.import", ANY_BOOK, [_H + "rubrics:import_rubric"], "cmw rubric import", _import_rubric, "ImportExcel"),
    _a("plan_generate", "计划新增", "任务大表", "按本月策略和上月未完成的任务生成大表，并导出以便增删 ☆。",
       "bigtable.generate", ANY_BOOK, [_H + "big_table:generate_plan", _H + "big_table:export_plan", _H + "big_table:export_plans"],
       "cmw plan generate",
       _generate_plan, "TableInsert"),
    _a("plan_export", "导出大表", "任务大表", "导出大表（最新状态）；可编辑的部分为黄色。",
       "view:bigtable", ANY_BOOK, [_H + "big_table:export_plan"], "cmw plan export", _export_plan, "ExportExcel"),
    _a("plan_export_all", "导出所辖大表", "任务大表", "开月：所辖每位客户经理本月的大表各一份，导出到一个新文件夹，交客户经理本人填写提交。",
       "view:bigtable", ANY_BOOK, [_H + "big_table:export_plans"], "cmw plan export -o 文件夹/", _export_plans,
       "ExportExcel"),
    _a("plan_submit", "计划提交", "任务大表", "保存当前大表中的计划并提交市场经理审核（提交后不能再改）。",
       "bigtable:submit_plan", ("bigtable",), [_H + "submission:submit_workbook"], "cmw submit --action 提交",
       _submit_big_table(PLANNING_STATES, "提交"), "FileSave"),
    _a("plan_mark", "状态标注", "任务大表", "保存当前大表中标注的执行情况（☆→★，临时任务 △/▲），不提交。",
       "edit:bigtable", ("bigtable",), [_H + "submission:submit_workbook"], "cmw submit --action 保存",
       _submit_big_table(EDITABLE, "保存"), "FileSave"),
    _a("results_submit", "结果提交", "任务大表", "月末保存标注并提交执行结果，由市场经理审核。",
       "bigtable:submit_results", ("bigtable",), [_H + "submission:submit_workbook"], "cmw submit --action 提交",
       _submit_big_table(RESULTS, "提交"), "FileSave"),
    _a("plan_list", "大表列表", "任务大表", "列出您可查看的大表及其状态。",
       "view:bigtable", ANY_BOOK, [_H + "big_table:list_plans"], "cmw plan list", _plan_list, "Info"),
    _a("review_export", "计划/结果审核", "审核", "导出待您审核的计划和结果；在审核汇总表中选审核通过或驳回，然后点“提交审核意见”。",
       "review", ANY_BOOK, [_H + "review:export_review"], "cmw review export", _export_review,
       "ReviewAcceptChange"),
    _a("review_submit", "提交审核意见", "审核", "提交审核表中的审核意见（驳回须填写理由）。",
       "review", ("review",), [_H + "submission:submit_workbook"], "cmw submit", _submit, "FileSave"),
    _a("visits_day", "日拜访记录表", "打印", "今天要拜访的客户及其计划任务（大表审批后），打印页。",
       "visits.view", ANY_BOOK, [_H + "visits:visit_list"], "cmw print day", _visits("day"), "FilePrintPreview"),
    _a("visits_week", "周工作安排表", "打印", "本周每天要拜访的客户及其计划任务，打印页。",
       "visits.view", ANY_BOOK, [_H + "visits:visit_list"], "cmw print week", _visits("week"), "FilePrintPreview"),
    _a("bigtable_print", "打印大表", "打印", "任务执行标注表的打印页（A4 横向）。",
       "view:bigtable", ANY_BOOK, [_H + "printing:print_bigtable"], "cmw print bigtable", _print_big_table, "FilePrint"),
    _a("feedback_print", "客户反馈表", "打印", "§17 本人全部有效客户的客户月度经营状态反馈表（每户一页，按拜访顺序），交给零售户。",
       "feedback", ANY_BOOK, [_H + "feedback:print_feedback"], "cmw print feedback", _print_feedback, "FilePrint"),
    _a("pack_bigtable", "部门大表打印包", "打印", "为本营销部每位客户经理各生成一份大表 PDF，另加一份审核包。",
       "print.department", ANY_BOOK, [_H + "printing:burst"], "cmw print bigtable", _burst("bigtable"), "FilePrint"),
    _a("pack_district", "部门片区统计打印包", "打印", "为本营销部每位客户经理各生成一份片区统计 PDF，另加一份审核包。",
       "print.department", ANY_BOOK, [_H + "printing:burst"], "cmw print district", _burst("district"), "FilePrint"),
    _a("print_book", "打印", "打印", "把当前工作簿生成 PDF 并打开，以便打印。",
       "print.book", ANY_BOOK, ["addin.book:print_workbook"], "cmw addin run print_book", _print_book, "FilePrint"),
    _a("store_print", "打印客户明细", "打印", "在客户信息表中点选一户客户，生成它的明细打印页。",
       "stores.view", ("stores",), [_H + "stores:print_store_sheet"], "cmw print store", _print_store, "FilePrintPreview"),
    _a("district_print", "打印片区统计", "打印", "生成片区统计的打印页（网页，A4）。",
       "view:analysis", ANY_BOOK, [_H + "district:export_district"], "cmw print district", _district(".html"),
       "FilePrintPreview"),
    _a("submit", "提交", "通用", "提交当前工作簿（本系统导出的任何表）；有问题时列在“提示”表中。",
       "submit", OURS, [_H + "submission:submit_workbook"], "cmw submit", _submit, "FileSave"),
    _a("check", "检查", "通用", "检查当前工作簿：做提交时的全部检查，但不提交、不保存；有问题时列在“提示”表中。",
       "submit", OURS, [_H + "submission:check_workbook"], "cmw check", _check, "ReviewAcceptChange"),
    _a("refresh", "刷新", "通用", "按数据库中的最新数据重新导出当前工作簿（另存为新文件）。",
       "refresh", OURS, [], "", _refresh, "Refresh"),
]

#: The module each exportable workbook is refreshed by: the action that exported it.
REFRESHED = {"navigation": "navigation", "stores": "stores_export", "key_brands": "key_brands_export",
             "capability": "capability_export", "district": "district_export", "bigtable": "plan_export",
             "review": "review_export", "survey": "survey_export"}

#: Handlers with no button of their own, and why (the registry test holds every handler to a button or a line here).
CLI_ONLY = {
    _H + "stores:find_store": "part of 打印客户明细 and cmw stores show",
    _H + "stores:store_detail_lines": "the text detail of cmw stores show; in Excel the store list itself shows it",
    _H + "stores:company_name": "a helper of the exports",
    _H + "stores:submit_store_list_book": "reached through 提交 (submittable())",
    _H + "capability:capability_layout_of": "reached through 提交 (submittable())",
    _H + "survey:survey_layout_of": "reached through 提交 (submittable())",
    _H + "survey:submit_survey_book": "reached through 提交 (submittable())",
    _H + "survey:read_stats": "what 需求调查统计 reads (and the benchmark times)",
    _H + "capability:submit_capability_book": "reached through 提交 (submittable())",
    _H + "submission:archive_submission": "the first step of submit_workbook",
    _H + "submission:readable_name": "how archive_submission keeps a file name that is not UTF-8",
    _H + "rubrics:show_rubric": "the text view of cmw rubric show; in Excel the export buttons open the rubric",
    _H + "questionnaire:show_items": "the text view of cmw survey items show; in Excel 导出调查问卷 opens the items",
    _H + "analysis:state_code": "a helper of the list screens",
    _H + "history:show_history": "a reading on the command line (cmw history); its lines are too many for a message box",
    _H + "analysis:run_reopen": "a market manager's or administrator's correction, given with a reason (cmw analysis "
                                "reopen)",
    _H + "big_table:plan_view": "a helper of the big-table exports",
    _H + "big_table:plan_views": "a helper of the big-table exports (many CMs, read set-based)",
    _H + "big_table:plan_layout_of": "reached through 提交 (submittable())",
    _H + "big_table:submit_plan_book": "reached through 计划提交 / 状态标注 / 结果提交 (submittable())",
    _H + "review:submit_review_book": "reached through 提交审核意见 (submittable())",
    _H + "submission:submittable": "the registry of 提交, derived from the workbooks and the document types",
    _H + "key_brands:submit_key_brand_book": "reached through 提交 (submittable())",
    _H + "key_brands:key_brand_rows": "the text view of cmw brands list; in Excel the export shows the month's list",
    _H + "forms:write_form": "a helper of the document exports (and of the assisted filter's §6 workbook)",
    _H + "team_forms:export_team_form": "reached through a kind's 导出 button (forms:export_form) for a market manager",
    _H + "team_forms:submit_team_book": "reached through 提交 (submittable())",
    _H + "team_forms:team_layout_of": "reached through 提交 (submittable())",
    _H + "team_forms:team_modules": "the team workbooks' module codes, for submittable()",
    _H + "brand_filter:run_filter": "cmw brands filter: the filter's conditions are typed on the command line",
    _H + "brand_filter:export_filtered": "cmw brands filter -o: the filter's conditions are typed on the command line",
    _H + "brand_filter:filtered_rows": "the terminal table of cmw brands filter",
    _H + "forms:layout_of": "reached through 提交 (submittable())",
    _H + "forms:submit_form_book": "reached through 提交 (submittable())",
    _H + "forms:kind_of": "a helper of the document exports and prints",
    _H + "forms:file_name": "a helper of the document exports",
    _H + "forms:list_forms": "the list screen of cmw form list; in Excel the exported folder lists the documents",
    _H + "forms:form_page": "the print page of 打印… (print_form) and of a department's burst",
    _H + "printing:bursts": "the registry of the department bursts (cmw print … --dept, cmw form print … --dept)",
    _H + "history:show_agreed_changes": "a reading on the command line (cmw contract history); its lines are too many "
                                        "for a message box, and the contract's print shows the same",
    _H + "logins:users_to_grant": "the database administrator's set-up, with the tables' owner's URL (cmw users grant)",
    _H + "logins:grant": "the database administrator's set-up, with the tables' owner's URL (cmw users grant)",
    _H + "logins:revoke": "the database administrator's set-up, with the tables' owner's URL (cmw users revoke)",
    _H + "printing:sheet_print": "a helper of the print pages",
    _H + "printing:bigtable_page": "the page of 打印大表 and of the department pack",
    _H + "district:district_page": "the page of 打印片区统计 and of the department pack",
    _H + "feedback:feedback_parts": "the pages behind 客户反馈表 (cmw print feedback)",
    _H + "feedback:feedback_page": "a CM's bundle in the department burst (cmw print feedback --dept)",
    _H + "feedback:feedback_cover": "the cover of the department burst's pack (cmw print feedback --dept)",
    _H + "navigation:month_status": "the reading behind 工作导航 (cmw status on the terminal)",
    _H + "navigation:status_lines": "the terminal face of cmw status; in Excel 工作导航 writes the workbook",
    _H + "navigation:folder_files": "a helper of 工作导航 (the links to the files in the output folder)",
}


def button_labels() -> dict[str, str]:
    """The ribbon button that does what a command does, by command (§1 names it beside the next step)."""
    labels: dict[str, str] = {}
    for button in BUTTONS.values():
        labels.setdefault(button.cli, button.label)
    labels.update({f"cmw form export {tag.removesuffix('_export')}": button.label for tag, button in BUTTONS.items()
                   if button.cli == "cmw form export"})
    return labels


def _registry() -> dict[str, Button]:
    """The actions by tag; 刷新 runs the exporters of the workbooks it refreshes, so it names their handlers."""
    actions = {action.tag: action for action in (*_REGISTERED, *_form_actions())}
    exporters = [actions[tag] for tag in REFRESHED.values()]
    refresh = actions["refresh"]
    actions["refresh"] = Button(**{**refresh.__dict__, "handlers": tuple(h for a in exporters for h in a.handlers),
                                   "cli": " / ".join(a.cli for a in exporters)})
    return actions


BUTTONS: dict[str, Button] = _registry()
