"""The assisted filter's two read-only sheets beside the §6 workbook: its conditions, and the matching stores with
the figures behind each condition."""
from __future__ import annotations

from engine.brand_filter import Filtered
from workbooks.builder import SheetData
from workbooks.layout import Column, SheetLayout

CONDITIONS = SheetLayout("筛选条件", (Column("what", "条件", 34), Column("chosen", "选择", 40)), note_row=2,
                         header_row=4, frozen_columns=1, landscape=False)
RESULT = SheetLayout("筛选结果", (
    Column("code", "客户编码", 14), Column("name", "客户名称", 26), Column("category", "综合分类", 9, center=True),
    Column("tier", "档位", 6, numeric=True, center=True), Column("online", "网上订货", 8, center=True),
    Column("volume", "上月销量（条）", 12, numeric=True), Column("class_volume", "同价类其他品牌（条）", 16, numeric=True),
    Column("brand_volume", "本品牌（条）", 11, numeric=True), Column("target", "已是目标客户", 11, center=True),
), note_row=2, header_row=4, frozen_columns=2, landscape=True)


def filter_sheets(filtered: Filtered) -> tuple[tuple[SheetLayout, SheetData], ...]:
    """The conditions and the result, each a sheet to look at (never read back)."""
    said = f"辅助筛选：{filtered.cm_code} 的 {filtered.scope} 户有效客户中符合条件的 {len(filtered.rows)} 户（数据取 {filtered.month}）"
    conditions = [{"what": what, "chosen": chosen} for what, chosen in filtered.condition_lines()]
    return ((CONDITIONS, SheetData(conditions, title=f"辅助筛选条件 — {filtered.brand}", notes=(said,))),
            (RESULT, SheetData(filtered.rows, title=f"辅助筛选结果 — {filtered.brand}",
                               notes=("这些客户已加入“目标客户”表；不要的请在那张表中清空对应的行。",))))
