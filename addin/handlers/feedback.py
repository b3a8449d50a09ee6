"""§17 客户月度经营状态反馈表 handlers: one store's page, all of a CM's stores as one PDF (one page each, in visit
order from a date), and — through printing.BURSTS — a department burst into one PDF per CM."""
from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from addin.app import App
from engine.actors import Actor
from engine.errors import Refused
from engine.feedback import FIGURES, TITLE, feedback
from engine.records import Outcome
from engine.report import Field, Table, shown
from templates.pdf import Progress, write_bundle, write_page
from templates.render import render_html


def feedback_parts(app: App, actor: Actor, cm: str, month: str, *, store: str | None = None,
                   start: date | None = None, parts: int = 1) -> tuple[list[str], int]:
    """The pages of a CM's stores (or one), in visit order, as parts HTML documents that follow each other (to be
    laid out in parallel), and how many pages."""
    name, pages = feedback(app.uow(), actor, cm, month, store=store, start=start)
    with app.uow() as uow:
        company = uow.users.company_of(actor)
    size = -(-len(pages) // max(1, min(parts, len(pages))))
    return [render_html("feedback.html.j2", pages=pages[i:i + size], title=TITLE, company=company, month=month,
                        cm_name=name, figures=FIGURES, show=shown, printed_on=f"{date.today():%Y-%m-%d}")
            for i in range(0, len(pages), size)], len(pages)


def feedback_page(app: App, actor: Actor, cm: str, month: str) -> str:
    """A CM's whole bundle (every active store, in visit order from the month's first day): a department burst's page."""
    return feedback_parts(app, actor, cm, month)[0][0]


def feedback_cover(uow, cms: list[str], month: str) -> Table:
    """The department pack's cover: each CM and how many stores they hand a page to."""
    counts: dict[str, int] = {}
    for store in uow.analyses.scope(cms):
        if store.status == "active":
            counts[store.cm_code] = counts.get(store.cm_code, 0) + 1
    names = uow.users.names(cms)
    rows = tuple((cm, names.get(cm, cm), counts.get(cm, 0)) for cm in cms)
    return Table("各客户经理的客户反馈表", (Field("客户经理"), Field("姓名"), Field("有效客户（页）", "count")), rows,
                 note="后附各客户经理的反馈表，每户一页，按拜访顺序排列。")


def print_feedback(app: App, actor: Actor, cm: str, month: str, target: Path, *, store: str | None = None,
                   start: date | None = None, progress: Progress | None = None) -> Outcome:
    """Write one store's page, or all of a CM's stores in visit order from start, as .pdf or .html (progress told as
    the PDF's pages are laid out)."""
    if target.suffix.lower() not in (".pdf", ".html"):
        raise Refused(f"{TITLE}只能写成 .pdf 或 .html 文件，请把“{target.name}”改为例如 -o 反馈表.pdf。")
    pdf = target.suffix.lower() == ".pdf"
    parts, count = feedback_parts(app, actor, cm, month, store=store, start=start,
                                  parts=(os.cpu_count() or 1) if pdf else 1)
    target.parent.mkdir(parents=True, exist_ok=True)
    if pdf:
        write_bundle(parts, count, target, progress=progress)
    else:
        write_page(parts[0], target)
    which = f"客户 {store}" if store else f"{count} 户客户（按{start or month + '-01'}起的拜访顺序）"
    return Outcome(f"已生成 {cm} 的 {month} {TITLE}：{which}，每户一页：{target}")
