"""The brand manager's key-brand workbook: one row per brand of the catalogue, 重点品牌 and 骨干品牌 as 是/否."""
from __future__ import annotations

from engine.brands import BACKBONE, KEY
from engine.key_brands import MODULE, TITLE, BrandLine
from workbooks.builder import SheetData
from workbooks.layout import BookLayout, Column, SheetLayout

SHEET = "重点品牌"
_YES_NO = ("是", "否")

LAYOUT = BookLayout(
    module=MODULE,
    title=TITLE,
    template_version=1,
    sheets=(SheetLayout(
        name=SHEET,
        columns=(
            Column("brand", "品牌", 18),
            Column("skus", "规格数", 8, numeric=True, center=True),
            Column("classes", "价类", 16),
            Column("key", KEY, 10, editable=True, choices=_YES_NO, center=True, hint="从下拉列表选择 是 或 否"),
            Column("backbone", BACKBONE, 10, editable=True, choices=_YES_NO, center=True, hint="从下拉列表选择 是 或 否"),
        ),
        note_row=2, header_row=5, frozen_columns=1, landscape=False,
    ),),
)


def key_brand_sheets(lines: list[BrandLine], month: str, source: str) -> dict[str, SheetData]:
    """What the workbook shows: where the flags come from, what to do, and a row per brand."""
    rows = [{"brand": line.brand, "skus": line.skus, "classes": line.classes, "key": "是" if line.key else "否",
             "backbone": "是" if line.backbone else "否"} for line in lines]
    guide = f"黄色单元格选 是/否；§4–§7 按 {month} 的名单计算；品牌名称不能改"
    return {SHEET: SheetData(rows, notes=(source, guide))}
