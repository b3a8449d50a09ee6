"""§14 promotion campaigns, kept by the brand manager: export, take back, list."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from addin.app import App
from engine.actors import Actor
from engine.campaigns import CHECK_LABELS, export_campaigns, keep_campaigns
from engine.errors import Refused
from engine.records import Outcome
from workbooks import campaigns as book_of
from workbooks.builder import Heading, build_workbook
from workbooks.meta import exported_meta
from workbooks.reader import SubmittedBook


def export_campaign_book(app: App, actor: Actor, target: Path) -> Outcome:
    """Write the brand manager's campaign workbook."""
    layout = book_of.LAYOUT
    campaigns, export_id = export_campaigns(app.uow(), actor, layout.template_version)
    with app.uow() as uow:
        company = uow.users.company_of(actor)
    month = f"{date.today():%Y-%m}"
    meta = exported_meta(layout, owner=actor.code, owner_name=actor.name, period=month, export_id=export_id,
                         actor_code=actor.code, company=company, database=app.database_id)
    target.parent.mkdir(parents=True, exist_ok=True)
    build_workbook(target, layout, meta, Heading(company, layout.title, actor.label, month, date.today()),
                   book_of.campaign_sheets(campaigns))
    return Outcome(f"已导出促销战役表（{len(campaigns)} 个战役）到 {target}。", (
        f"在黄色单元格填写，保存后运行：cmw campaigns import {target.name} --as {actor.code}（或 cmw submit）",))


def submit_campaign_book(app: App, actor: Actor, book: SubmittedBook, submission_id: int) -> Outcome:
    """Take the brand manager's campaign workbook back (the submission path calls this)."""
    return keep_campaigns(app.uow(), actor, owner_code=book.meta.owner, export_id=book.meta.document_id,
                          campaigns=book.rows[book_of.CAMPAIGNS], skus=book.rows[book_of.SKUS],
                          shape_findings=book.findings, submission_id=submission_id)


HEADERS = ("编号", "名称", "月份", "覆盖范围", "规格与检查项目")


def campaign_rows(app: App, actor: Actor, month: str | None) -> list[tuple[str, str, str, str, str]]:
    """The campaigns (running in the month, when one is given) as table rows."""
    from engine.campaigns import listed_campaigns

    return [(c.code, c.name, c.period_label, "、".join(c.covers),
             "；".join(f"{s.sku} {s.name}（{'、'.join(CHECK_LABELS[k] for k in s.checks)}）" for s in c.skus))
            for c in listed_campaigns(app.uow(), actor, month)]


def rates_list(app: App, actor: Actor, month: str, campaign: str | None, target: Path | None):
    """§14 the execution rate per campaign, department and CM: as table rows, and written to target (.xlsx, .pdf or
    .html) when one is given."""
    from addin.handlers.visits import write_list
    from engine.cultivation import execution_rates

    company, pages = execution_rates(app.uow(), actor, month, campaign)
    table = pages[0].tables[0]
    if target is not None:
        if target.suffix.lower() not in (".html", ".pdf", ".xlsx"):
            raise Refused(f"执行率表只能导出为 .xlsx、.pdf 或 .html，请把“{target.name}”改为这三种扩展名之一。")
        write_list(app, actor, pages, module="cultivation_rates", title="促销战役执行率", period_label="月份",
                   period=month, owner_code=actor.code, owner_label=actor.label, company=company, target=target,
                   who="查看人")
    return [f.header for f in table.fields], [
        (*row[:7], "—" if row[7] is None else f"{row[7]:.0%}", row[8]) for row in table.rows], table.note
