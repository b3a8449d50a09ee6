"""§13 日拜访记录表 and §12 周工作安排表 handlers: a day's or a week's visits with their planned actions (.html, .pdf or .xlsx)."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from addin.app import App
from engine.actors import Actor
from engine.errors import Refused
from engine.periods import month_days
from engine.scope import target_cms
from engine.big_table import ACTION_NAMES, KIND
from engine.records import Outcome
from engine.report import kind_of, shown
from engine.visit_lists import daily_pages, require_approved, weekly_pages
from templates.pdf import write_page
from templates.render import render_html
from workbooks.builder import Heading
from workbooks.meta import Meta
from workbooks.report import build_report

TITLES = {"day": ("日拜访记录表", "拜访日期"), "week": ("周工作安排表", "周开始日期")}


def _read(uow, actor: Actor, cm_code: str, days: list[date], title: str):
    [cm] = target_cms(uow, actor, [cm_code], "visits.view")
    cells: dict[tuple[str, str], str] = {}
    for month in sorted({f"{d:%Y-%m}" for d in days}):
        doc = uow.documents.get(KIND, cm, month)
        require_approved(doc.state if doc else None, cm, month)
        cells.update({key: cell.mark for key, cell in uow.big_tables.cells(doc.id).items()})
        first, last = month_days(month)[0], month_days(month)[-1]
        if not uow.visits.due(cm, first, last):
            raise Refused(f"{month} 的拜访计划尚未生成（或 {cm} 名下没有有效户）。请管理员先运行：cmw visits plan --month {month} --as 管理员编码")
    visits = uow.visits.due(cm, days[0], days[-1])
    owner = uow.users.actor(cm)
    company = uow.users.company_of(actor)
    return visits, cells, owner, company


def visit_list(app: App, actor: Actor, *, kind: str, cm_code: str, start: date, target: Path) -> Outcome:
    """Write the day's (kind "day") or the week's (kind "week") visit list as .html, .pdf or .xlsx."""
    _check_suffix(target)
    days = [start] if kind == "day" else [start + timedelta(days=i) for i in range(7)]
    with app.uow() as uow:
        visits, cells, owner, company = _read(uow, actor, cm_code, days, TITLES[kind][0])
    pages = (daily_pages if kind == "day" else weekly_pages)(days[0] if kind == "day" else days, visits, cells,
                                                             ACTION_NAMES)
    title, period_label = TITLES[kind]
    cm_label = f"{owner.name}（{owner.code}）"
    write_list(app, actor, pages, module=f"visits_{kind}", title=title, period_label=period_label,
               period=f"{start:%Y-%m-%d}", owner_code=owner.code, owner_label=cm_label, company=company,
               target=target)
    count = sum(len(table.rows) for page in pages for table in page.tables)
    return Outcome(f"已生成{cm_label}的{title}（{start:%Y-%m-%d}{'' if kind == 'day' else ' 起一周'}，{count} 次拜访）：{target}")


def _check_suffix(target: Path) -> None:
    if target.suffix.lower() not in (".html", ".pdf", ".xlsx"):
        raise Refused(f"拜访表只能导出为 .html、.pdf 或 .xlsx，请把“{target.name}”改为这三种扩展名之一。")


def write_list(app: App, actor: Actor, pages, *, module: str, title: str, period_label: str, period: str,
               owner_code: str, owner_label: str, company: str, target: Path, who: str = "客户经理") -> None:
    """Write a list's pages as .html, .pdf (A4) or .xlsx (read-only, with its _meta): the visit lists, §14's; the
    heading says whose (who: 客户经理, or the scope of a manager's list)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.suffix.lower() != ".xlsx":
        write_page(render_html("report.html.j2", pages=pages, company=company, cm_label=owner_label, title=title,
                               owner_label=who,
                               period_label=period_label, period=period,
                               printed_on=f"{date.today():%Y-%m-%d}", show=shown, kind_of=kind_of), target)
    else:
        meta = Meta(module=module, template_version=1, owner=owner_code, owner_name=owner_label, period=period,
                    document_id=0, document_version=0, exported_by=actor.code,
                    exported_at=f"{datetime.now():%Y-%m-%d %H:%M:%S}", company=company, database=app.database_id)
        build_report(target, pages, meta, Heading(company, title, f"{who} {owner_label}", period, date.today()))


def campaign_visit_list(app: App, actor: Actor, *, cm_code: str, campaign: str, day: date, target: Path) -> Outcome:
    """§14 生成拜访计划: the campaign's stores due that day with the SKUs and checks to make (.pdf, .html or .xlsx)."""
    from engine.cultivation import campaign_visits

    _check_suffix(target)
    kept, owner, company, pages = campaign_visits(app.uow(), actor, cm_code, campaign, day)
    cm_label = f"{owner.name}（{owner.code}）"
    write_list(app, actor, pages, module="visits_campaign", title=f"促销战役拜访计划 {kept.code} {kept.name}",
               period_label="拜访日期", period=f"{day:%Y-%m-%d}", owner_code=owner.code, owner_label=cm_label,
               company=company, target=target)
    stores = len({row[1] for row in pages[0].tables[0].rows})
    return Outcome(f"已生成{cm_label} {day:%Y-%m-%d} 的促销战役拜访计划（{kept.code}，{stores} 户）：{target}")
