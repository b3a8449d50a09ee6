"""The one registry of ribbon actions: each button's tag, label, group, who may click it, which workbooks it applies to,
and the handler it runs — the same handler as the command line named in `cli`.

The customUI XML (addin/ribbon.py) is generated from BUTTONS and every button calls one VBA callback with its tag,
so a new button is a new entry here, never new VBA. What a click does is in addin/clicks.py (but 刷新 and 工作导航, which read this registry, so that clicks.py never
imports it: tests/integration/test_layers.py allows no import cycle): the runners only adapt
a click (the workbook in front, its _meta, the acting user, the output folder) to the handler's arguments; handlers
are imported when a button runs.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from addin import clicks
from addin.click import Click
from engine.actors import Role
from engine.errors import Refused
from engine.kinds.bigtable import EDITABLE, PLANNING_STATES, RESULTS
from engine.policy import rule
from engine.records import Outcome

GROUPS = ("客户信息", "品牌与市场", "需求调查", "经营分析", "任务大表", "计划与总结", "审核", "打印", "通用")
ANY_BOOK = None  # modules=None: any workbook, a blank or foreign one too
OURS = ("*",)  # any workbook this system exported (it has _meta)


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


def _refresh(click: Click) -> Outcome:
    """刷新: the button that exported the workbook in front runs again, under its rule for the workbook's owner."""
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
    return clicks.navigation(click, button_labels())


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
               f"view:{code}", ANY_BOOK, [_H + "forms:export_form"], "cmw form export", clicks.form_export(code), "ExportExcel"),
            _a(f"{code}_print", f"打印{short}", "打印", f"{kind.section} {short}的打印页（A4，带签字栏）。",
               f"view:{code}", ANY_BOOK, [_H + "forms:print_form"], "cmw form print", clicks.form_print(code), "FilePrint")]
    return actions


def _a(tag, label, group, tip, act, modules, handlers, cli, run, image="HappyFace") -> Button:
    return Button(tag, label, group, tip, act, modules, tuple(handlers), cli, run, image)


_H = "addin.handlers."
_REGISTERED = [
    _a("navigation", "工作导航", "通用", "§1 本月每一步走到哪里、受阻的原因和下一步；链接输出文件夹中本月已有的工作簿。点“刷新”更新。",
       "navigation", ANY_BOOK, [_H + "navigation:export_status"], "cmw status", _navigation, "Info"),
    _a("stores_export", "导出客户信息表", "客户信息", "导出本人的有效客户信息表；黄色单元格可修改，改完点“提交”。",
       "stores.maintain", ANY_BOOK, [_H + "stores:export_stores"], "cmw stores export", clicks.export_stores, "ExportExcel"),
    _a("key_brands_export", "导出重点品牌表", "品牌与市场", "品牌经理：导出本月的重点品牌表（每个品牌选 是/否），填好后点“提交”。",
       "brands", ANY_BOOK, [_H + "key_brands:export_key_brand_book"], "cmw brands export", clicks.export_key_brands,
       "ExportExcel"),
    _a("campaigns_export", "导出促销战役表", "品牌与市场", "§14 品牌经理：导出促销战役表（名称、月份、覆盖范围、卷烟规格和检查项目），"
       "填好后点“提交”。", "campaigns", ANY_BOOK, [_H + "campaigns:export_campaign_book"], "cmw campaigns export",
       clicks.export_campaigns, "ExportExcel"),
    _a("campaign_rates", "促销战役执行率", "品牌与市场", "§14 本月各促销战役的执行率（按营销部、客户经理），工作簿。",
       "cultivation.rates", ANY_BOOK, [_H + "campaigns:rates_list"], "cmw campaigns rates", clicks.campaign_rates, "ChartInsert"),
    _a("campaign_photos", "上传照片", "品牌与市场", "§14 照片维护：把当前品牌培育执行表旁“执行表文件名_照片”文件夹中的照片"
       "（JPEG/PNG/HEIC，文件名以客户编码开头）上传（提交执行表时也会上传）；去掉位置等信息，重复的只存一份。",
       "photos", ("cultivation",), [_H + "photos:add_folder_photos"], "cmw photos add --folder", clicks.add_photos, "InsertPicture"),
    _a("survey_export", "导出需求调查表", "需求调查", "§8 导出本月的客户需求调查表：线下客户逐户录入（✓ 选需求、最急需的三项、建议），"
       "网上问卷核对；改完点“提交”保存为待确认，“确认”列选“确认”后锁定。",
       "edit:survey", ANY_BOOK, [_H + "survey:export_survey"], "cmw survey export", clicks.export_survey, "ExportExcel"),
    _a("survey_import", "导入网上问卷", "需求调查", "管理员：把网上订货平台的问卷答案（当前工作簿，第一个工作表）导入本月，"
       "全部正确才写入，待客户经理确认；已确认的问卷不会被改动。",
       "survey.import", ANY_BOOK, [_H + "survey_import:import_survey"], "cmw survey import", clicks.import_survey, "ImportExcel"),
    _a("survey_list", "问卷列表", "需求调查", "本月您可查看的客户需求调查表：客户、类型、日期、需求项目、状态。",
       "view:survey", ANY_BOOK, [_H + "survey:list_answers"], "cmw survey list", clicks.survey_list, "Info"),
    _a("survey_stats", "需求调查统计", "需求调查", "§9 客户需求调查统计表（工作簿，带条形图）：覆盖率、各需求项目的户数和占比、"
       "最急需排名、与上月比较，按营销部、客户经理到每户。",
       "view:survey", ANY_BOOK, [_H + "survey:survey_stats"], "cmw survey stats", clicks.survey_stats(".xlsx"), "ChartInsert"),
    _a("survey_stats_print", "打印需求调查统计", "打印", "§9 客户需求调查统计表的打印页（A4，表头每页重复）。",
       "view:survey", ANY_BOOK, [_H + "survey:survey_stats"], "cmw survey stats", clicks.survey_stats(".html"), "FilePrintPreview"),
    _a("questionnaire_export", "导出调查问卷", "需求调查", "§8 导出当前版本的调查问卷（需求项目）；管理员修改后点“导入调查问卷”。",
       "questionnaire.view", ANY_BOOK, [_H + "questionnaire:export_items"], "cmw survey items export", clicks.export_questionnaire,
       "ExportExcel"),
    _a("questionnaire_import", "导入调查问卷", "需求调查", "管理员：把修改后的调查问卷（当前工作簿）导入为新版本；已开始调查的月份保留原版本。",
       "questionnaire.import", ANY_BOOK, [_H + "questionnaire:import_items"], "cmw survey items import", clicks.import_questionnaire,
       "ImportExcel"),
    _a("effect_compute", "计算经营效果", "经营分析", "按上月订单计算本月经营效果得分（每月只能计算一次）。",
       "analysis:compute_effect", ANY_BOOK, [_H + "analysis:run_effect"], "cmw analysis effect", clicks.effect, "Calculator"),
    _a("capability_export", "导出经营能力评分表", "经营分析", "导出本月经营能力评分表；逐户选明细项目并打分，然后点“提交”。",
       "capability.score", ANY_BOOK, [_H + "capability:export_capability"], "cmw analysis capability export",
       clicks.export_capability, "ExportExcel"),
    _a("strategies_generate", "生成策略", "经营分析", "全部客户评分后，生成低于片区平均的待提升指标。",
       "analysis:generate_strategies", ANY_BOOK, [_H + "analysis:run_strategies"], "cmw analysis strategies", clicks.strategies, "HappyFace"),
    _a("district_export", "生成片区统计", "经营分析", "生成片区统计工作簿（图表与明细）。",
       "view:analysis", ANY_BOOK, [_H + "district:export_district"], "cmw analysis district", clicks.district(".xlsx"),
       "ChartInsert"),
    _a("analysis_list", "分析进度", "经营分析", "列出您可查看的经营状态分析及其状态。",
       "view:analysis", ANY_BOOK, [_H + "analysis:list_analyses"], "cmw analysis list", clicks.analysis_list, "Info"),
    _a("rubric_export_effect", "导出经营效果评分标准", "经营分析", "导出当前版本的经营效果评分标准。",
       "rubric.view", ANY_BOOK, [_H + "rubrics:export_rubric"], "cmw rubric export", clicks.export_rubric("effect"),
       "ExportExcel"),
    _a("rubric_export_capability", "导出经营能力评分标准", "经营分析", "导出当前版本的经营能力评分标准。",
       "rubric.view", ANY_BOOK, [_H + "rubrics:export_rubric"], "cmw rubric export", clicks.export_rubric("capability"),
       "ExportExcel"),
    _a("rubric_import", "导入评分标准", "经营分析", "管理员：把修改后的评分标准（当前工作簿）导入为新版本。",
       "rubric.import", ANY_BOOK, [_H + "rubrics:import_rubric"], "cmw rubric import", clicks.import_rubric, "ImportExcel"),
    _a("plan_generate", "计划新增", "任务大表", "按本月策略和上月未完成的任务生成大表，并导出以便增删 ☆。",
       "bigtable.generate", ANY_BOOK, [_H + "big_table:generate_plan", _H + "big_table:export_plan", _H + "big_table:export_plans"],
       "cmw plan generate",
       clicks.generate_plan, "TableInsert"),
    _a("plan_export", "导出大表", "任务大表", "导出大表（最新状态）；可编辑的部分为黄色。",
       "view:bigtable", ANY_BOOK, [_H + "big_table:export_plan"], "cmw plan export", clicks.export_plan, "ExportExcel"),
    _a("plan_export_all", "导出所辖大表", "任务大表", "开月：所辖每位客户经理本月的大表各一份，导出到一个新文件夹，交客户经理本人填写提交。",
       "view:bigtable", ANY_BOOK, [_H + "big_table:export_plans"], "cmw plan export -o 文件夹/", clicks.export_plans,
       "ExportExcel"),
    _a("plan_submit", "计划提交", "任务大表", "保存当前大表中的计划并提交市场经理审核（提交后不能再改）。",
       "bigtable:submit_plan", ("bigtable",), [_H + "submission:submit_workbook"], "cmw submit --operation 提交",
       clicks.submit_big_table(PLANNING_STATES, "提交"), "FileSave"),
    _a("plan_mark", "状态标注", "任务大表", "保存当前大表中标注的执行情况（☆→★，临时任务 △/▲），不提交。",
       "edit:bigtable", ("bigtable",), [_H + "submission:submit_workbook"], "cmw submit --operation 保存",
       clicks.submit_big_table(EDITABLE, "保存"), "FileSave"),
    _a("results_submit", "结果提交", "任务大表", "月末保存标注并提交执行结果，由市场经理审核。",
       "bigtable:submit_results", ("bigtable",), [_H + "submission:submit_workbook"], "cmw submit --operation 提交",
       clicks.submit_big_table(RESULTS, "提交"), "FileSave"),
    _a("plan_list", "大表列表", "任务大表", "列出您可查看的大表及其状态。",
       "view:bigtable", ANY_BOOK, [_H + "big_table:list_plans"], "cmw plan list", clicks.plan_list, "Info"),
    _a("review_export", "计划/结果审核", "审核", "导出待您审核的计划和结果；在审核汇总表中选审核通过或驳回，然后点“提交审核意见”。",
       "review", ANY_BOOK, [_H + "review:export_review"], "cmw review export", clicks.export_review,
       "ReviewAcceptChange"),
    _a("review_submit", "提交审核意见", "审核", "提交审核表中的审核意见（驳回须填写理由）。",
       "review", ("review",), [_H + "submission:submit_workbook"], "cmw submit", clicks.submit, "FileSave"),
    _a("visits_day", "日拜访记录表", "打印", "今天要拜访的客户及其计划任务（大表审批后），打印页。",
       "visits.view", ANY_BOOK, [_H + "visits:visit_list"], "cmw print day", clicks.visits("day"), "FilePrintPreview"),
    _a("visits_week", "周工作安排表", "打印", "本周每天要拜访的客户及其计划任务，打印页。",
       "visits.view", ANY_BOOK, [_H + "visits:visit_list"], "cmw print week", clicks.visits("week"), "FilePrintPreview"),
    _a("visits_campaign", "生成拜访计划", "打印", "§14 今天按拜访频次到期的促销战役客户，及要检查的规格和项目（当前执行表的战役和月份——"
       "不是本月时为该月 1 日；否则本月第一个覆盖您片区的战役），打印页。", "visits.view", ANY_BOOK, [_H + "visits:campaign_visit_list"],
       "cmw visits campaign", clicks.campaign_visits, "FilePrintPreview"),
    _a("bigtable_print", "打印大表", "打印", "任务执行标注表的打印页（A4 横向）。",
       "view:bigtable", ANY_BOOK, [_H + "printing:print_bigtable"], "cmw print bigtable", clicks.print_big_table, "FilePrint"),
    _a("feedback_print", "客户反馈表", "打印", "§17 本人全部有效客户的客户月度经营状态反馈表（每户一页，按拜访顺序），交给零售户。",
       "feedback", ANY_BOOK, [_H + "feedback:print_feedback"], "cmw print feedback", clicks.print_feedback, "FilePrint"),
    _a("pack_bigtable", "部门大表打印包", "打印", "为本营销部每位客户经理各生成一份大表 PDF，另加一份审核包。",
       "print.department", ANY_BOOK, [_H + "printing:burst"], "cmw print bigtable", clicks.burst("bigtable"), "FilePrint"),
    _a("pack_district", "部门片区统计打印包", "打印",
       "为本营销部每位客户经理各生成一份片区统计概要 PDF（概况与潜力分布，每人不超过 3 页），另加一份审核包；"
       "逐户明细见“生成片区统计”工作簿。",
       "print.department", ANY_BOOK, [_H + "printing:burst"], "cmw print district", clicks.burst("district", summary=True),
       "FilePrint"),
    _a("print_book", "打印", "打印", "把当前工作簿生成 PDF 并打开，以便打印。",
       "print.book", ANY_BOOK, ["addin.book:print_workbook"], "cmw addin run print_book", clicks.print_book, "FilePrint"),
    _a("store_print", "打印客户明细", "打印", "在客户信息表中点选一户客户，生成它的明细打印页。",
       "stores.view", ("stores",), [_H + "stores:print_store_sheet"], "cmw print store", clicks.print_store, "FilePrintPreview"),
    _a("district_print", "打印片区统计", "打印",
       "生成片区统计概要的打印页（网页，A4：概况与潜力分布）；逐户明细见“生成片区统计”工作簿。",
       "view:analysis", ANY_BOOK, [_H + "district:export_district"], "cmw print district",
       clicks.district(".html", summary=True), "FilePrintPreview"),
    _a("submit", "提交", "通用", "提交当前工作簿（本系统导出的任何表）；有问题时列在“提示”表中。",
       "submit", OURS, [_H + "submission:submit_workbook"], "cmw submit", clicks.submit, "FileSave"),
    _a("check", "检查", "通用", "检查当前工作簿：做提交时的全部检查，但不提交、不保存；有问题时列在“提示”表中。",
       "submit", OURS, [_H + "submission:check_workbook"], "cmw check", clicks.check, "ReviewAcceptChange"),
    _a("refresh", "刷新", "通用", "按数据库中的最新数据重新导出当前工作簿（另存为新文件）。",
       "refresh", OURS, [], "", _refresh, "Refresh"),
]

#: The module each exportable workbook is refreshed by: the action that exported it.
REFRESHED = {"navigation": "navigation", "stores": "stores_export", "key_brands": "key_brands_export",
             "campaigns": "campaigns_export",
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
    _H + "campaigns:submit_campaign_book": "reached through 提交 (submittable())",
    _H + "campaigns:campaign_rows": "the text view of cmw campaigns list; in Excel the export shows every campaign",
    _H + "photos:add_store_photos": "cmw photos add --store FILE…: files named on the command line; in Excel 上传照片 "
                                    "takes the execution sheet's photo folder",
    _H + "submission:attach_beside": "part of 提交 (the §14 photo folder beside the execution sheet)",
    _H + "photos:photo_rows": "the text view of cmw photos list; the execution sheet's print shows the photos",
    _H + "visits:write_list": "a helper of the visit lists' and §14's lists",
    _H + "submission:submit_kept_file": "cmw brands import / cmw campaigns import; in Excel 提交 takes the workbook",
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
    _H + "district:district_parts": "the pages of the department pack (部门片区统计打印包)",
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
