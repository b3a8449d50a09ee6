"""§8/§9 客户需求调查 handlers (command line and ribbon): the CM's entry workbook (export, take back), the ordering
platform's answers file (import), the list and the statistics."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

from addin.app import App
from engine.actors import Actor
from engine.document_types import SAVE
from engine.errors import Finding, Refused
from engine.exports import Handout, hand_out
from engine.periods import previous_month
from engine.questionnaire import KIND, current_questionnaire, questionnaire_from_dict
from engine.records import Outcome
from engine.report import kind_of, shown
from engine.policy import owns_documents
from engine.scope import target_cms, unit_cms
from engine.stores import normalize_text
from engine.survey_stats import StatsData, survey_pages
from engine.survey_take_back import CONFIRM, STATES, survey_view, take_back_survey
from engine.surveys import CHANNELS
from templates.pdf import write_page
from templates.render import render_html
from workbooks import survey as survey_book
from workbooks.builder import Heading, build_workbook
from workbooks.layout import BookLayout
from workbooks.meta import Meta
from workbooks.reader import SubmittedBook
from workbooks.report import build_report
from workbooks.survey_stats import MODULE as STATS_MODULE, TITLE

OPERATIONS = (SAVE, CONFIRM)


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
                                                       f"（表中“本次操作”选“{CONFIRM}”即同时确认，也可加 --operation {CONFIRM}）"))


def survey_layout_of(app: App, meta: Meta) -> BookLayout:
    """The layout a submitted entry workbook was made with (its questionnaire version is in _meta)."""
    with app.uow() as uow:
        body = uow.rubrics.get(KIND, meta.rubric_version) if meta.rubric_version else None
    if body is None:
        raise Refused(f"找不到第 {meta.rubric_version} 版调查问卷，此工作簿无法识别。请重新导出后再填写提交。")
    return survey_book.survey_layout(questionnaire_from_dict(body), meta.period)


def _operation(book: SubmittedBook) -> str:
    chosen = book.operation or normalize_text(book.inputs.get(survey_book.OPERATION)) or SAVE
    if chosen not in OPERATIONS:
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


@dataclass(frozen=True)
class AnswerFilter:
    """§8 the list screen's filters: month, CM, entry date range, questionnaire type, store code and name, state."""

    month: str
    cm: str | None = None
    entered_from: date | None = None
    entered_to: date | None = None
    channel: str | None = None
    code: str | None = None
    name: str | None = None
    state: str | None = None


def _choice(text: str | None, options: dict[str, str], what: str) -> str | None:
    if not text:
        return None
    key = normalize_text(text)
    for code, label in options.items():
        if key in (code, label, label.removesuffix("问卷")):
            return code
    raise Refused(f"{what}只能是：{'、'.join(options.values())}（填写的是“{text}”）。")


def list_answers(app: App, actor: Actor, where: AnswerFilter) -> list[tuple]:
    """The answers of the month the actor may see, filtered, as rows of the list screen."""
    channel = _choice(where.channel, CHANNELS, "问卷类型")
    state = _choice(where.state, STATES, "状态")
    with app.uow() as uow:
        cms = target_cms(uow, actor, [where.cm] if where.cm else None, "view:survey")
        pinned = uow.surveys.pinned(where.month)
        answers = uow.surveys.answers(where.month, cms).values()
        questionnaire = questionnaire_from_dict(uow.rubrics.get(KIND, pinned)) if pinned else None
    names = {i.code: i.name for i in questionnaire.items} if questionnaire else {}
    rows = []
    for a in sorted(answers, key=lambda a: (a.cm_code, a.store_code)):
        entered = a.entered_at.date() if a.entered_at else None
        if (channel and a.channel != channel) or (state and a.state != state) or \
                (where.code and normalize_text(where.code) not in a.store_code) or \
                (where.name and where.name.strip() not in a.store_name) or \
                (where.entered_from and (entered is None or entered < where.entered_from)) or \
                (where.entered_to and (entered is None or entered > where.entered_to)):
            continue
        rows.append((a.cm_code, a.store_code, a.store_name, CHANNELS[a.channel],
                     a.answered_on.isoformat() if a.answered_on else "",
                     "、".join(names.get(c, c) for c in a.items) or "无",
                     "、".join(names.get(c, c) for c in a.urgent) or "—", STATES[a.state],
                     f"{a.entered_at:%Y-%m-%d %H:%M}" if a.entered_at else ""))
    return rows


SUFFIXES = (".xlsx", ".html", ".pdf")
#: The store page is listed for a department or a CM; a whole city's ~20,000 answers are in the workbook only.
DETAIL_LIMIT = 5000


def _scope(uow, actor: Actor, dept: str | None, cm: str | None) -> tuple[list[str], str, str]:
    """The CMs counted, how the heading names them and whose the statistics are (a CM's or a unit's code): a CM
    their own; a market manager their department (or one of its CMs); an administrator the company (or a
    department, or a CM)."""
    if cm:
        cms = target_cms(uow, actor, [cm], "view:survey")
        return cms, f"客户经理 {uow.users.names(cms).get(cm, '')}（{cm}）", cm
    if dept:
        units = {path[-1]: (path, name, kind) for path, name, kind in uow.users.units()}
        if dept not in units or units[dept][2] != "department":
            raise Refused(f"没有编码为“{dept}”的营销部。运行 cmw units list 查看营销部编码。")
        name, cms = unit_cms(uow, actor, "view:survey", dept)
        return cms, f"{name}（{dept}）", dept
    cms = target_cms(uow, actor, None, "view:survey")
    if owns_documents(actor):
        return cms, actor.label, actor.code
    unit = actor.unit_path[-1] if actor.unit_path else ""
    return cms, f"{uow.users.unit_name(unit)}（{unit}）", unit


def _departments(uow, cms: list[str]) -> dict[str, tuple[str, str]]:
    """Each CM's name and department name."""
    names = {path[-1]: (name, kind) for path, name, kind in uow.users.units()}
    found = {}
    for user, path in uow.users.all():
        if user.code in cms:
            department = next((names[c][0] for c in path if names.get(c, ("", ""))[1] == "department"), "")
            found[user.code] = (user.name, department)
    return found


def read_stats(uow, actor: Actor, month: str, dept: str | None, cm: str | None) -> tuple[StatsData, str, str]:
    """What §9 counts, read in the caller's unit of work, the company's name and whose the statistics are."""
    cms, label, owner = _scope(uow, actor, dept, cm)
    last_month = previous_month(month)
    pinned, before = uow.surveys.pinned(month), uow.surveys.pinned(last_month)
    questionnaire = questionnaire_from_dict(uow.rubrics.get(KIND, pinned)) if pinned else \
        current_questionnaire(uow, actor.code)
    last_questionnaire = questionnaire_from_dict(uow.rubrics.get(KIND, before)) if before else None
    people = _departments(uow, cms)
    answers = tuple(uow.surveys.answers(month, cms).values())
    data = StatsData(label, month, last_month,
                     tuple((c, people.get(c, ("", ""))[0], people.get(c, ("", ""))[1]) for c in cms),
                     uow.surveys.store_counts(cms), answers,
                     tuple(uow.surveys.answers(last_month, cms).values()) if before else (), questionnaire,
                     last_questionnaire, detail=len(answers) <= DETAIL_LIMIT)
    return data, uow.users.company_of(actor), owner


def survey_stats(app: App, actor: Actor, month: str, target: Path, dept: str | None = None,
                 cm: str | None = None) -> Outcome:
    """§9 客户需求调查统计表 as .xlsx (a native bar chart) or a print page (.html or .pdf, A4, headers repeated)."""
    suffix = target.suffix.lower()
    if suffix not in SUFFIXES:
        raise Refused(f"客户需求调查统计表只能导出为 .xlsx、.html 或 .pdf，请把输出文件“{target.name}”改为这三种扩展名之一。")
    with app.uow() as uow:  # a reading: nothing is committed (a month never surveyed reads the current questionnaire)
        data, company, owner = read_stats(uow, actor, month, dept, cm)
    paper = suffix != ".xlsx" and len(data.cms) > 1  # a department on paper: its CMs; each CM's stores on theirs
    pages = survey_pages(replace(data, detail=data.detail and not paper))
    target.parent.mkdir(parents=True, exist_ok=True)
    heading = Heading(company, TITLE, data.scope_label, month, date.today())
    if suffix == ".xlsx":
        meta = Meta(module=STATS_MODULE, template_version=1, owner=owner, owner_name=data.scope_label,
                    period=month, document_id=0, document_version=0, exported_by=actor.code,
                    exported_at=f"{datetime.now():%Y-%m-%d %H:%M:%S}", company=company,
                    rubric_version=data.questionnaire.version, database=app.database_id)
        build_report(target, pages, meta, heading)
        how = "工作簿，含条形图"
    else:
        html = render_html("report.html.j2", pages=pages, company=company, cm_label=data.scope_label, title=TITLE,
                           owner_label="统计范围",
                           period_label="调查月份", period=month, printed_on=f"{date.today():%Y-%m-%d}", show=shown,
                           kind_of=kind_of)
        printed = write_page(html, target)
        how = f"PDF，{printed} 页" if printed else "用浏览器打开后打印（A4）"
    stores = sum(data.stores.values())
    surveyed = len(data.answers)
    lines = [f"调查覆盖率 {surveyed / stores:.1%}（{surveyed}/{stores} 户）。" if stores else "范围内没有有效客户。"]
    if paper:
        lines.append("打印页列出营销部和每位客户经理的统计；每户的问卷请按客户经理打印（--cm），或看统计工作簿的“客户明细”。")
    elif not data.detail:
        lines.append(f"问卷 {surveyed} 份，超过 {DETAIL_LIMIT} 份，未列每户明细：请按营销部（--dept）或客户经理（--cm）查看。")
    return Outcome(f"已生成 {data.scope_label} {month} 的客户需求调查统计表：{target}（{how}）。", tuple(lines))
