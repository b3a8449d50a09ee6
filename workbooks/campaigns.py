"""The brand manager's campaign workbook (§14 促销战役): a sheet of campaigns (code, name, months, what it covers) and
a sheet of their SKUs, one row per campaign and SKU with 是/否 per check; blank rows under each for new ones."""
from __future__ import annotations

from engine.campaigns import CHECKS, MODULE, TITLE, Campaign
from workbooks.builder import SheetData
from workbooks.layout import BookLayout, Column, SheetLayout

CAMPAIGNS, SKUS = "促销战役", "战役规格"
_YES_NO = ("是", "否")
#: Blank rows offered under the kept ones, for new campaigns and SKUs.
SPARE = 10

LAYOUT = BookLayout(
    module=MODULE,
    title=TITLE,
    template_version=1,
    sheets=(
        SheetLayout(name=CAMPAIGNS, columns=(
            Column("code", "战役编号", 12, editable=True, max_length=12, hint="1–12 位字母或数字，例如 CX2612；已有战役的编号不要改"),
            Column("name", "战役名称", 28, editable=True, max_length=64),
            Column("first", "开始月份", 11, editable=True, center=True, hint="YYYY-MM，例如 2026-12"),
            Column("last", "结束月份", 11, editable=True, center=True, hint="YYYY-MM；战役结束后改这里，不要删除行"),
            Column("covers", "覆盖范围", 40, editable=True, max_length=2000,
                   hint="营销部或片区的编码（cmw units list），或客户编码；多个用“、”分开"),
        ), note_row=2, header_row=5, frozen_columns=1, landscape=True),
        SheetLayout(name=SKUS, columns=(
            Column("campaign", "战役编号", 12, editable=True, max_length=12, hint="与“促销战役”表的编号相同"),
            Column("sku", "卷烟编码", 16, editable=True, max_length=20, hint="卷烟规格中的编码"),
            Column("name", "规格名称", 24),
            *(Column(code, label, 10, editable=True, choices=_YES_NO, center=True, group="检查项目",
                     hint="从下拉列表选择 是 或 否") for code, label in CHECKS),
        ), note_row=2, header_row=6, group_row=5, frozen_columns=2, landscape=True),
    ),
)


def campaign_sheets(campaigns: list[Campaign]) -> dict[str, SheetData]:
    """What the workbook shows: every campaign kept, its SKUs, and blank rows for new ones."""
    heads = [{"code": c.code, "name": c.name, "first": c.first_month, "last": c.last_month, "covers": "、".join(c.covers)}
             for c in campaigns]
    lines = [{"campaign": c.code, "sku": s.sku, "name": s.name,
              **{code: "是" if code in s.checks else "否" for code, _ in CHECKS}} for c in campaigns for s in c.skus]
    blank: list[dict] = [{} for _ in range(SPARE)]
    guide = "黄色单元格可填写；新战役写在空行，规格写在“战役规格”表；删除行不会删除战役（结束请改结束月份）"
    return {CAMPAIGNS: SheetData(heads + blank, notes=(f"已维护 {len(campaigns)} 个促销战役", guide)),
            SKUS: SheetData(lines + blank, notes=("每个战役的每个规格一行，“是”表示客户经理要在门店检查这一项", guide))}
