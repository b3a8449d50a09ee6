"""§5 品牌状态分析目标设置 (brand targets): per CM and month, for each key or backbone brand of the month, a target
shelf rate (上柜率), volume and number of stocking stores. Lines are added, changed (typed over) and deleted
(cleared); every bound is checked as it is saved. A market manager sets the department's CMs' targets in one
workbook (`cmw form export brand_targets --as mm01 -o 目标.xlsx`); a CM sets their own."""
from __future__ import annotations

from engine.brand_targets import unmet_many
from engine.document_types import Draft, DocumentType, Step
from engine.fields import Choice, Figure, Lines, Number, Text, Values
from engine.key_brands import key_brands_of
from engine.workflows import BRAND_TARGETS

TITLE = "品牌状态分析目标设置"


def requires(uow, cm_code: str, month: str) -> None:
    """The month's key brands are kept (the targets are for them)."""
    key_brands_of(uow, month, f"设置 {month} 的品牌目标")


def references(uow, cm_code: str, month: str) -> dict[str, tuple[str, ...]]:
    """The month's key and backbone brands."""
    return {"key_brands": tuple(b.brand for b in key_brands_of(uow, month, f"设置 {month} 的品牌目标"))}


def figures(uow, cm_code: str, month: str) -> Values:
    """What the targets are set against: the CM's active stores and the month's list."""
    brands = key_brands_of(uow, month, f"设置 {month} 的品牌目标")
    active = sum(1 for s in uow.analyses.scope([cm_code]) if s.status == "active")
    return Values({"active_stores": active, "brands": "；".join(f"{b.brand}（{b.label}）" for b in brands)})


def summary(values: Values) -> str:
    """How many brands have targets."""
    return f"已设置 {len(values.lines.get('targets', {}))} 个品牌的目标"


TYPE = DocumentType(
    code="brand_targets",
    title=TITLE,
    section="§5",
    workflow=BRAND_TARGETS,
    parts=(
        Figure("active_stores", "有效客户数（户）"),
        Figure("brands", "本月重点/骨干品牌"),
        Lines("targets", "品牌目标", (
            Choice("brand", "品牌", "从下拉列表选择本月的重点或骨干品牌", required=True, source="key_brands", width=16),
            Number("shelf_rate", "目标上柜率（%）", "上柜客户占有效客户的百分比，可有一位小数", low=0, high=100, step=0.1,
                   unit="%", width=16),
            Number("volume", "目标销量（条）", low=0, high=10_000_000, width=14),
            Number("stores", "目标上柜客户数（户）", low=0, high=100_000, width=18),
            Text("note", "说明", max_length=100, width=36)),
            max_lines=20, unique=("brand",), offered="brand",
            hint="本月每个重点/骨干品牌已列好一行：填上目标即新增，修改直接改，删除把目标清空；只有品牌、没有目标的行不保存"),
    ),
    steps={"open": Step("为本月每个重点/骨干品牌填写目标（上柜率 0–100%、销量、上柜客户数），保存即生效；删除目标把那一行清空",
                        ("targets",))},
    draft=Draft(figures, references, requires, requires_many=
                lambda uow, cms, month: unmet_many(uow, cms, month, f"设置 {month} 的品牌目标", targets=False)),
    summary=summary,
    team_table="targets",
    ribbon_group="品牌与市场",
)
