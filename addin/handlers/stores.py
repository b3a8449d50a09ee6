"""§2 客户信息维护 handlers (command line and ribbon): export, detail, print, and taking the list back."""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from engine.actors import Actor
from engine.errors import Refused
from engine.ports import StoreFilter
from engine.records import Outcome
from engine.store_maintenance import (STORE_FIELDS, export_store_list, require_store_view, store_view,
                                     submit_store_list)
from engine.stores import Store
from addin.app import App
from templates.pdf import write_page
from templates.render import render_html
from workbooks import stores as store_book
from workbooks.builder import Heading, build_workbook
from workbooks.meta import Meta
from workbooks.reader import SubmittedBook


def company_name(app: App, actor: Actor) -> str:
    with app.uow() as uow:
        return uow.users.company_of(actor)


def export_stores(app: App, actor: Actor, where: StoreFilter, target: Path) -> Outcome:
    """§2: write the CM's store-list workbook."""
    layout = store_book.LAYOUT
    stores, export_id = export_store_list(app.uow(), actor, where, layout.template_version)
    company = company_name(app, actor)
    today = date.today()
    meta = Meta(module=layout.module, template_version=layout.template_version, owner=actor.code,
                owner_name=actor.name, period=f"{today:%Y-%m}", document_id=export_id, document_version=1,
                exported_by=actor.code, exported_at=f"{datetime.now():%Y-%m-%d %H:%M:%S}", company=company,
                database=app.database_id)
    heading = Heading(company, layout.title, actor.label, f"{today:%Y-%m-%d}", today)
    target.parent.mkdir(parents=True, exist_ok=True)
    build_workbook(target, layout, meta, heading, store_book.store_rows(stores))
    return Outcome(f"已导出 {len(stores)} 户客户到 {target}。黄色单元格可以修改，改完保存后运行：cmw submit {target.name} --as {actor.code}")


def find_store(app: App, actor: Actor, code: str) -> Store:
    """§2 明细: one store, if it lies within the actor's scope."""
    with app.uow() as uow:
        store = uow.stores.by_codes([code.strip()]).get(code.strip())
        if store is None:
            raise Refused(f"客户编码 {code} 不存在。请检查编码，或用 cmw stores export 导出客户列表查找。")
        require_store_view(uow, actor, store)
    return store


def store_detail_lines(store: Store) -> list[str]:
    """The store's detail as lines of text."""
    view = store_view(store)
    return [f"{label}：{view[field]}" for field, label in STORE_FIELDS.items()] + [f"客户经理：{store.cm_code}"]


def print_store_sheet(app: App, actor: Actor, code: str, target: Path) -> Outcome:
    """§2 打印: the store's detail as a print page, .html or .pdf by the target's suffix."""
    store = find_store(app, actor, code)
    view = store_view(store)
    with app.uow() as uow:
        cm = uow.users.actor(store.cm_code)
    html = render_html("store_sheet.html.j2", store=store, company=company_name(app, actor),
                       cm_label=f"{cm.name}（{cm.code}）" if cm else store.cm_code, printed_on=f"{date.today():%Y-%m-%d}",
                       fields=[(label, view[field]) for field, label in STORE_FIELDS.items()])
    pages = write_page(html, target)
    how = f"PDF，{pages} 页" if pages else "用浏览器打开后打印（A4）"
    return Outcome(f"已生成客户 {store.code}（{store.name}）的明细打印页：{target}（{how}）。")


def submit_store_list_book(app: App, actor: Actor, book: SubmittedBook, submission_id: int) -> Outcome:
    return submit_store_list(app.uow(), actor, owner_code=book.meta.owner, document_id=book.meta.document_id,
                             records=book.rows[store_book.SHEET], shape_findings=book.findings,
                             submission_id=submission_id)
