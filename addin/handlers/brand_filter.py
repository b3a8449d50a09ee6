"""§6 辅助筛选 (the assisted filter): on the terminal, or into the CM's §6 workbook with the matching stores added as
target stores to keep or clear, the conditions and the figures behind them on sheets of their own."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from addin.app import App
from addin.handlers.forms import write_form
from engine.actors import Actor, Role
from engine.brand_filter import Conditions, Filtered, filter_stores
from engine.document_types import document_type
from engine.errors import Refused
from engine.fields import Values
from engine.forms import read_forms
from engine.kinds.target_stores import store_option
from engine.records import Outcome
from workbooks.brand_filter import filter_sheets

REASON = "辅助筛选"
HEADERS = ("客户编码", "客户名称", "综合分类", "档位", "网上订货", "上月销量（条）", "同价类其他品牌（条）", "本品牌（条）", "已是目标客户")


def filtered_rows(filtered: Filtered) -> list[tuple]:
    """The matching stores as table rows (HEADERS)."""
    return [(r["code"], r["name"], r["category"], r["tier"] or "—", r["online"], r["volume"], r["class_volume"],
             r["brand_volume"], r["target"]) for r in filtered.rows]


def run_filter(app: App, actor: Actor, cm_code: str | None, month: str, brand: str, conditions: Conditions) -> Filtered:
    """The assisted filter over a CM's stores (the actor's own, or a CM of a market manager's department)."""
    with app.uow() as uow:
        return filter_stores(uow, actor, cm_code, month, brand, conditions)


def export_filtered(app: App, actor: Actor, month: str, brand: str, conditions: Conditions, target: Path) -> Outcome:
    """The CM's §6 workbook with the matching stores (not yet target stores of the brand) added as lines, the filter's
    conditions and result on sheets beside it: the CM clears the lines not wanted and submits."""
    if actor.role is not Role.CM:
        raise Refused(f"目标客户由客户经理本人选定；{actor.label}可以去掉 -o 查看筛选结果。")
    kind = document_type("target_stores")
    with app.uow() as uow:
        filtered = filter_stores(uow, actor, None, month, brand, conditions)
        [view] = read_forms(uow, actor, kind, None, month, create=True)
        kept = view.values.lines.get("stores", {})
        taken = {row.get("store") for row in kept.values() if row.get("brand") == brand}
        fresh = [r for r in filtered.rows if store_option(r["code"], r["name"]) not in taken]
        start = max(kept, default=0)
        added = {start + n: {"brand": brand, "store": store_option(r["code"], r["name"]), "reason": REASON}
                 for n, r in enumerate(fresh, start=1)}
        shown = replace(view, values=Values(view.values.single, {**view.values.lines, "stores": {**kept, **added}}))
        write_form(uow, actor, shown, target, uow.users.company_of(actor), app.database_id, snapshot=view.snapshot(),
                   extra=filter_sheets(filtered))
        uow.commit()
    return Outcome(f"已按条件筛选出 {len(filtered.rows)} 户（共 {filtered.scope} 户有效客户），其中 {len(added)} 户已加入"
                   f" {target} 的“目标客户”表（品牌 {brand}），另 {len(filtered.rows) - len(fresh)} 户已是目标客户。", (
        "筛选条件和每户的数据在“筛选条件”“筛选结果”两张表中；不要的行请清空，保存后运行：" 
        f"cmw submit {target.name} --as {actor.code}（提交后才保存为目标客户）。",))
