"""What each ribbon button does when clicked: it adapts the click (the workbook in front, its _meta, the acting user,
the output folder) to the arguments of the handler the command line runs too (addin/handlers/), imported when the
button runs. The buttons themselves — tag, label, group, who may click, which workbooks — are declared in
addin/buttons.py, which names these functions."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from addin.click import Click
from engine.errors import Refused
from engine.policy import allows, owns_documents
from engine.records import Outcome

RUBRIC_SHEETS = {"经营效果评分标准": "effect", "经营能力评分标准": "capability"}


def _opened(click: Click, target: Path, outcome: Outcome) -> Outcome:
    click.book.show_file(target)
    return outcome


def export_stores(click: Click) -> Outcome:
    from addin.handlers.stores import export_stores
    from engine.ports import StoreFilter

    target = click.output("客户信息维护")
    return _opened(click, target, export_stores(click.app, click.actor, StoreFilter(), target))


def print_store(click: Click) -> Outcome:
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


def submit(click: Click, operation: str | None = None) -> Outcome:
    from addin.handlers.submission import attach_beside, submit_workbook

    content = click.book.content()
    outcome = submit_workbook(click.app, click.actor, click.book.name, content, operation)
    click.book.clear_hints()
    attached = attach_beside(click.app, click.actor, click.book.path(), content)  # §14: the photos beside it
    return outcome if attached is None else Outcome(outcome.message, (*outcome.details, *attached.lines()),
                                                     outcome.changed, outcome.partial)


def check(click: Click) -> Outcome:
    from addin.handlers.submission import check_workbook

    outcome = check_workbook(click.app, click.actor, click.book.name, click.book.content())
    click.book.clear_hints()
    return outcome


def export_key_brands(click: Click) -> Outcome:
    from addin.handlers.key_brands import export_key_brand_book

    target = click.output("重点品牌")
    return _opened(click, target, export_key_brand_book(click.app, click.actor, click.month(), target))


def export_campaigns(click: Click) -> Outcome:
    from addin.handlers.campaigns import export_campaign_book

    target = click.output("促销战役")
    return _opened(click, target, export_campaign_book(click.app, click.actor, target))


def _campaign_of(click: Click) -> str:
    """The campaign of the §14 execution sheet in front, else the month's first campaign covering the CM."""
    period = click.period("cultivation")
    if "/" not in period:
        raise Refused(f"{period} 没有覆盖您片区的促销战役。请先打开某个战役的品牌培育执行表（“导出月度片区品牌培育执行表”），再点这个按钮。")
    return period.partition("/")[2]


def _whose(click: Click, act: str) -> str:
    """The CM whose workbook is in front (else the acting CM), once the policy lets the actor do act to their things."""
    from engine.policy import require

    cm = click.cm()
    with click.app.uow() as uow:
        owner = uow.users.owner(cm)
    if owner is not None:
        require(click.actor, act, owner)
    return cm


def campaign_visits(click: Click) -> Outcome:
    from datetime import date

    from addin.handlers.visits import campaign_visit_list

    cm = _whose(click, "visits.view")
    campaign = _campaign_of(click)
    month = click.period("cultivation")[:7]
    day = date.today() if f"{date.today():%Y-%m}" == month else date.fromisoformat(f"{month}-01")  # the sheet's month
    target = click.output(f"促销战役拜访计划-{campaign}", ".html", who=cm)
    return _opened(click, target, campaign_visit_list(click.app, click.actor, cm_code=cm, campaign=campaign,
                                                      day=day, target=target))


def add_photos(click: Click) -> Outcome:
    from addin.handlers.photos import add_folder_photos

    _whose(click, "photos")
    if click.module != "cultivation" or click.book.path() is None:
        raise Refused("请先打开保存过的品牌培育执行表，把照片放在它旁边的“执行表文件名_照片”文件夹中（文件名以客户编码开头），再点这个按钮。")
    path = click.book.path()
    return add_folder_photos(click.app, click.actor, _campaign_of(click), path.with_name(f"{path.stem}_照片"))


def campaign_rates(click: Click) -> Outcome:
    from addin.handlers.campaigns import rates_list

    target = click.output("促销战役执行率")
    month = click.month()[:7]
    rates_list(click.app, click.actor, month, None, target)
    return _opened(click, target, Outcome(f"已生成 {month} 的促销战役执行率：{target}"))


def export_questionnaire(click: Click) -> Outcome:
    from addin.handlers.questionnaire import TITLE, export_items

    target = click.output(TITLE)
    return _opened(click, target, export_items(click.app, click.actor, target))


def import_questionnaire(click: Click) -> Outcome:
    from addin.handlers.questionnaire import import_items

    if "需求项目" not in click.book.sheet_names():
        raise Refused("当前工作簿不是导出的调查问卷。请先点“导出调查问卷”，在导出的表中修改、保存后再点“导入调查问卷”。")
    click.book.content()  # saved first: the import reads the file
    return import_items(click.app, click.actor, click.book.path())


def export_survey(click: Click) -> Outcome:
    from addin.handlers.survey import export_survey

    target = click.output("客户需求调查表")
    return _opened(click, target, export_survey(click.app, click.actor, click.month(), target))


def import_survey(click: Click) -> Outcome:
    from addin.handlers.survey_import import import_survey

    click.book.content()  # saved first: the import reads the file
    return import_survey(click.app, click.actor, click.book.path(), click.month())


def survey_stats(suffix: str) -> Callable[[Click], Outcome]:
    def run(click: Click) -> Outcome:
        from addin.handlers.survey import TITLE, survey_stats

        target = click.output(TITLE, suffix)
        return _opened(click, target, survey_stats(click.app, click.actor, click.month(), target))
    return run


def survey_list(click: Click) -> Outcome:
    from addin.handlers.survey import AnswerFilter, list_answers

    rows = list_answers(click.app, click.actor, AnswerFilter(click.month()))
    pending = sum(1 for row in rows if row[7] == "待确认")
    lines = tuple(f"{r[0]}  {r[1]} {r[2]}  {r[3]}  {r[4]}  {r[5]}  {r[7]}" for r in rows[:200])
    return Outcome(f"{click.month()} 客户需求调查表共 {len(rows)} 份，待确认 {pending} 份：" if rows
                   else f"{click.month()} 还没有您可查看的客户需求调查表。", lines)


def effect(click: Click) -> Outcome:
    from addin.handlers.analysis import run_effect

    return run_effect(click.app, click.actor, click.month(), None, None)


def export_capability(click: Click) -> Outcome:
    from addin.handlers.capability import export_capability

    target = click.output("经营能力评分")
    return _opened(click, target, export_capability(click.app, click.actor, click.month(), target))


def strategies(click: Click) -> Outcome:
    from addin.handlers.analysis import run_strategies

    return run_strategies(click.app, click.actor, click.month(), click.cms())


def district(suffix: str, summary: bool = False) -> Callable[[Click], Outcome]:
    def run(click: Click) -> Outcome:
        from addin.handlers.district import export_district

        cm = click.cm()
        target = click.output("片区统计概要" if summary else "片区统计", suffix, who=cm)
        return _opened(click, target, export_district(click.app, click.actor, cm, click.month(), target,
                                                      summary=summary))
    return run


def _status_bar(click: Click, what: str) -> Callable[[int, int, str], None]:
    """A long print's progress on Excel's status bar (templates.pdf calls it at least every 2 s while pages are laid
    out); a book without a status bar (the file adapter), or one that cannot be set, never stops the print."""
    def tell(done: int, total: int, label: str) -> None:
        status = getattr(click.book, "status", None)
        if status is None:
            return
        try:
            status(f"客户经理工作法：正在生成{what}（{done * 100 // max(total, 1)}%）：{label}")
        except Exception:  # noqa: BLE001 — the status bar is a courtesy; the print goes on
            pass
    return tell


def analysis_list(click: Click) -> Outcome:
    from addin.handlers.analysis import ListFilter, list_analyses
    from engine.workflows import OPERATING_ANALYSIS

    rows = list_analyses(click.app, click.actor, ListFilter())
    lines = tuple(f"{r['code']} {r['name']}  {r['period']}  {OPERATING_ANALYSIS.states[r['state']]}  "
                  f"客户 {r['stores'] or 0}，已评分 {r['scored'] or 0}" for r in rows)
    return Outcome(f"经营状态分析共 {len(rows)} 条：" if rows else "没有您可查看的经营状态分析。", lines)


def export_rubric(kind: str) -> Callable[[Click], Outcome]:
    def run(click: Click) -> Outcome:
        from addin.handlers.rubrics import KINDS, export_rubric

        target = click.output(KINDS[kind])
        return _opened(click, target, export_rubric(click.app, click.actor, kind, target))
    return run


def import_rubric(click: Click) -> Outcome:
    from addin.handlers.rubrics import import_rubric

    kinds = [RUBRIC_SHEETS[name] for name in click.book.sheet_names() if name in RUBRIC_SHEETS]
    if len(kinds) != 1:
        raise Refused("当前工作簿不是导出的评分标准。请先点“导出经营效果评分标准”或“导出经营能力评分标准”，在导出的表中修改、保存后再点“导入评分标准”。")
    click.book.content()  # saved first: the import reads the file
    return import_rubric(click.app, click.actor, kinds[0], click.book.path())


def print_book(click: Click) -> Outcome:
    from addin.book import print_workbook

    return print_workbook(click.book, click.folder)


def navigation(click: Click, commands: dict[str, str]) -> Outcome:
    """工作导航, each step naming the button (commands: addin.buttons.button_labels) that does it."""
    from addin.handlers.navigation import TITLE, export_status

    target = click.output(TITLE)
    return _opened(click, target, export_status(click.app, click.actor, click.month(), target, click.cms(),
                                                commands=commands))


def print_feedback(click: Click) -> Outcome:
    from addin.handlers.feedback import print_feedback

    cm = click.cm()
    target = click.output("客户月度经营状态反馈表", ".pdf", who=cm)
    return _opened(click, target, print_feedback(click.app, click.actor, cm, click.month(), target,
                                                 progress=_status_bar(click, "客户反馈表")))


def export_plan(click: Click) -> Outcome:
    from addin.handlers.big_table import export_plan

    cm = click.cm()
    target = click.output("任务执行标注表", who=cm)
    return _opened(click, target, export_plan(click.app, click.actor, click.month(), target, cm))


def export_plans(click: Click) -> Outcome:
    from addin.handlers.big_table import export_plans

    folder = click.output("任务执行标注表", "")
    return _opened(click, folder, export_plans(click.app, click.actor, click.month(), folder))


def generate_plan(click: Click) -> Outcome:
    from addin.handlers.big_table import generate_plan

    cms = click.cms()
    generated = generate_plan(click.app, click.actor, click.month(), cms)
    exported = export_plan(click) if cms else export_plans(click)
    return Outcome(generated.message, (*generated.details, *exported.lines()))


def submit_big_table(states: tuple[str, ...], operation: str) -> Callable[[Click], Outcome]:
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
        done = submit(click, operation)
        fresh = export_plan(click)  # the latest table opens beside it (the file in front stays current for its owner)
        return Outcome(done.message, (*done.details, f"已打开最新的大表，可在新表中继续：{fresh.message}"))
    return run


def plan_list(click: Click) -> Outcome:
    from addin.handlers.analysis import ListFilter
    from addin.handlers.big_table import list_plans
    from engine.workflows import BIG_TABLE

    rows = list_plans(click.app, click.actor, ListFilter())
    lines = tuple(f"{r['code']} {r['name']}  {r['period']}  {BIG_TABLE.states[r['state']]}  第 {r['version']} 版"
                  for r in rows)
    return Outcome(f"任务执行标注表共 {len(rows)} 份：" if rows else "没有您可查看的任务执行标注表。", lines)


def export_review(click: Click) -> Outcome:
    from addin.handlers.review import export_review

    target = click.output("大表审核")
    return _opened(click, target, export_review(click.app, click.actor, click.month(), target))


def visits(kind: str) -> Callable[[Click], Outcome]:
    def run(click: Click) -> Outcome:
        from datetime import date, timedelta

        from addin.handlers.visits import TITLES, visit_list

        today, cm = date.today(), click.cm()
        start = today if kind == "day" else today - timedelta(days=today.weekday())
        target = click.output(TITLES[kind][0], ".html", who=cm)
        return _opened(click, target, visit_list(click.app, click.actor, kind=kind, cm_code=cm, start=start,
                                                 target=target))
    return run


def print_big_table(click: Click) -> Outcome:
    from addin.handlers.printing import print_bigtable

    cm = click.cm()
    target = click.output("任务执行标注表打印", ".html", who=cm)
    return _opened(click, target, print_bigtable(click.app, click.actor, click.month(), target, cm))


def burst(kind: str, summary: bool = False) -> Callable[[Click], Outcome]:
    def run(click: Click) -> Outcome:
        from addin.handlers.printing import burst

        unit = click.actor.unit_path[-1] if click.actor.unit_path else ""
        folder = click.output(f"打印包-{kind}", "")
        outcome = burst(click.app, click.actor, kind, unit, click.month(), folder, _status_bar(click, "打印包"),
                        summary=summary)
        return _opened(click, folder, outcome)
    return run


def form_export(code: str) -> Callable[[Click], Outcome]:
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


def form_print(code: str) -> Callable[[Click], Outcome]:
    def run(click: Click) -> Outcome:
        from addin.handlers.forms import kind_of, print_form

        cm = click.cm()
        target = click.output(f"{kind_of(code).title}打印", ".html", who=cm)
        return _opened(click, target, print_form(click.app, click.actor, code, click.period(code), target, cm))
    return run
