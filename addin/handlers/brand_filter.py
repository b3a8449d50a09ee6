"""§6 辅助筛选 (the assisted filter): on the terminal, or into the CM's §6 workbook with the matching stores added as
target stores to keep or clear, the conditions and the figures behind them on sheets of their own."""
from __future__ import annotations

from pathlib import Path

from addin.app import App
from addin.handlers.forms import write_form
from engine.actors import Actor
from engine.brand_filter import Conditions, Filtered, filter_stores, hand_out_filtered
from engine.records import Outcome
from workbooks.brand_filter import filter_sheets

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
    proposed, export_id, company = hand_out_filtered(app.uow(), actor, month, brand, conditions)
    filtered = proposed.filtered
    write_form(actor, proposed.view, export_id, target, company, app.database_id, extra=filter_sheets(filtered))
    return Outcome(f"已按条件筛选出 {len(filtered.rows)} 户（共 {filtered.scope} 户有效客户），其中 {proposed.added} 户已加入"
                   f" {target} 的“目标客户”表（品牌 {brand}），另 {len(filtered.rows) - proposed.added} 户已是目标客户。", (
        "筛选条件和每户的数据在“筛选条件”“筛选结果”两张表中；不要的行请清空，保存后运行："
        f"cmw submit {target.name} --as {actor.code}（提交后才保存为目标客户）。",))
