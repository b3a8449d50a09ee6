"""The key-brand list (重点品牌 / 骨干品牌) per month, kept by the brand manager: export, take back, show."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from addin.app import App
from engine.actors import Actor
from engine.brands import BACKBONE, KEY
from engine.key_brands import export_key_brands, keep_key_brands
from engine.records import Outcome
from workbooks import key_brands as book_of
from workbooks.builder import Heading, build_workbook
from workbooks.meta import exported_meta
from workbooks.reader import SubmittedBook


def export_key_brand_book(app: App, actor: Actor, month: str, target: Path) -> Outcome:
    """Write the brand manager's workbook of the month."""
    layout = book_of.LAYOUT
    lines, source, export_id = export_key_brands(app.uow(), actor, month, layout.template_version)
    with app.uow() as uow:
        company = uow.users.company_of(actor)
    meta = exported_meta(layout, owner=actor.code, owner_name=actor.name, period=month, export_id=export_id,
                         actor_code=actor.code, company=company, database=app.database_id)
    target.parent.mkdir(parents=True, exist_ok=True)
    build_workbook(target, layout, meta, Heading(company, layout.title, actor.label, month, date.today()),
                   book_of.key_brand_sheets(lines, month, source))
    return Outcome(f"已导出 {month} 的重点品牌表（{len(lines)} 个品牌）到 {target}。", (
        source, f"在黄色单元格选择 是/否，保存后运行：cmw submit {target.name} --as {actor.code}"))


def submit_key_brand_book(app: App, actor: Actor, book: SubmittedBook, submission_id: int) -> Outcome:
    """Take the brand manager's workbook back (the submission path calls this)."""
    return keep_key_brands(app.uow(), actor, owner_code=book.meta.owner, month=book.meta.period,
                           export_id=book.meta.document_id, records=book.rows[book_of.SHEET],
                           shape_findings=book.findings, submission_id=submission_id)


def key_brand_rows(app: App, month: str) -> tuple[list[tuple[str, str, str, str]], str]:
    """The month's list as table rows (brand, classes, key, backbone) of the brands flagged, and where it comes from."""
    with app.uow() as uow:
        kept = uow.key_brands.of_month(month)
        catalogue = uow.products.catalogue()
    if not kept:
        return [], (f"{month} 尚未维护重点品牌，§4–§7 在维护前不能使用。品牌经理请运行：cmw brands export --month {month} "
                    "-o 重点品牌.xlsx，填好后 cmw submit。")
    rows = [(brand, catalogue[brand].classes_label if brand in catalogue else "—", "是" if key else "",
             "是" if backbone else "") for brand, (key, backbone) in kept.items()]
    return rows, f"{month} 的重点品牌名单（{len(rows)} 个品牌）："


HEADERS = ("品牌", "价类", KEY, BACKBONE)
