"""The handlers behind both the command line and the ribbon: one user action each."""
from __future__ import annotations

import hashlib
from datetime import date, datetime
from pathlib import Path

from engine.actors import Actor
from engine.errors import Refused
from engine.ports import StoreFilter
from engine.records import Outcome
from engine.store_maintenance import STORE_FIELDS, export_store_list, list_stores, store_view, submit_store_list
from engine.stores import Store
from addin.app import App
from storage.repositories import SqlSubmissions
from templates.render import render_html
from workbooks import stores as store_book
from workbooks.builder import Heading, build_workbook
from workbooks.meta import Meta
from workbooks.reader import SubmittedBook, read_book, read_meta
from workbooks.registry import LAYOUTS


def _company(app: App, actor: Actor) -> str:
    with app.uow() as uow:
        return uow.users.unit_name(actor.unit_path[0]) if actor.unit_path else ""


def export_stores(app: App, actor: Actor, where: StoreFilter, target: Path) -> Outcome:
    """§2: write the CM's store-list workbook."""
    layout = store_book.LAYOUT
    stores, export_id = export_store_list(app.uow(), actor, where, layout.template_version)
    company = _company(app, actor)
    today = date.today()
    meta = Meta(module=layout.module, template_version=layout.template_version, owner=actor.code,
                owner_name=actor.name, period=f"{today:%Y-%m}", document_id=export_id, document_version=1,
                exported_by=actor.code, exported_at=f"{datetime.now():%Y-%m-%d %H:%M:%S}", company=company)
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
        if store.cm_code != actor.code:
            list_stores(uow, actor, store.cm_code, StoreFilter())  # refuses outside the actor's scope
    return store


def store_detail_lines(store: Store) -> list[str]:
    """The store's detail as lines of text."""
    view = store_view(store)
    return [f"{label}：{view[field]}" for field, label in STORE_FIELDS.items()] + [f"客户经理：{store.cm_code}"]


def print_store_sheet(app: App, actor: Actor, code: str, target: Path) -> Outcome:
    """§2 打印: the store's detail as a printable HTML page."""
    store = find_store(app, actor, code)
    view = store_view(store)
    with app.uow() as uow:
        cm = uow.users.actor(store.cm_code)
    html = render_html("store_sheet.html.j2", store=store, company=_company(app, actor),
                       cm_label=cm.label if cm else store.cm_code, printed_on=f"{date.today():%Y-%m-%d}",
                       fields=[(label, view[field]) for field, label in STORE_FIELDS.items()])
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(html, encoding="utf-8")
    return Outcome(f"已生成客户 {store.code}（{store.name}）的明细打印页：{target}。用浏览器打开后打印（A4）。")


def _submit_store_list(app: App, actor: Actor, book: SubmittedBook, submission_id: int) -> Outcome:
    return submit_store_list(app.uow(), actor, owner_code=book.meta.owner, document_id=book.meta.document_id,
                             records=book.rows[store_book.SHEET], shape_findings=book.findings,
                             submission_id=submission_id)


#: What to do with a submitted workbook of each module.
SUBMITTERS = {store_book.LAYOUT.module: _submit_store_list}


def archive_submission(app: App, actor: Actor, filename: str, content: bytes) -> int:
    """Keep the submitted file before anything else happens to it (its own transaction)."""
    with app.uow() as uow:
        submission_id = SqlSubmissions(uow.session).archive(
            actor_code=actor.code, filename=filename, content=content, sha256=hashlib.sha256(content).hexdigest())
        uow.commit()
        return submission_id


def _conclude(app: App, submission_id: int, outcome: str, lines: list[str], module: str) -> None:
    with app.uow() as uow:
        uow.submissions.conclude(submission_id, outcome, lines, module)
        uow.commit()


def submit_workbook(app: App, actor: Actor, filename: str, content: bytes) -> Outcome:
    """Take a filled-in workbook of any module: archive it, read it, hand it to its module, record the outcome."""
    submission_id = archive_submission(app, actor, filename, content)
    module = ""
    try:
        module = read_meta(content).module
        book = read_book(content, LAYOUTS)
        submitter = SUBMITTERS.get(book.meta.module)
        if submitter is None:
            raise Refused(f"“{LAYOUTS[book.meta.module].title}”工作簿只用于查看或打印，不需要提交。")
        outcome = submitter(app, actor, book, submission_id)
    except Refused as refusal:
        _conclude(app, submission_id, "refused", refusal.lines(), module)
        raise Refused(f"{refusal.message}（您提交的文件已保存，提交编号 {submission_id}。）", refusal.findings) from None
    except Exception as exc:
        _conclude(app, submission_id, "failed", [f"{type(exc).__name__}: {exc}"], module)
        raise
    return Outcome(outcome.message, (*outcome.details, f"提交编号 {submission_id}。"), outcome.changed)
