"""§6 品牌状态分析目标客户设置 (target stores): per CM and month, for each brand with a §5 target, the stores the
target aims at. Lines are added (from the drop-downs, or proposed by the assisted filter — `cmw brands filter …
-o` writes this workbook with the matching stores added, the filter's conditions and figures beside them) and
deleted (cleared); a store appears once per brand, and only the CM's own active stores can be picked."""
from __future__ import annotations

from engine.brand_targets import targets_required, unmet_many
from engine.document_types import Draft, DocumentType, Step
from engine.fields import Choice, Figure, Lines, Text, Values
from engine.workflows import TARGET_STORES


def _targets(uow, cm_code: str, month: str) -> dict:
    return targets_required(uow, cm_code, month, f"设置 {month} 的目标客户")


def requires(uow, cm_code: str, month: str) -> None:
    """The month's key brands are kept and the CM has §5 targets."""
    _targets(uow, cm_code, month)


def store_option(code: str, name: str) -> str:
    """A store as its drop-down shows it: 编码 名称."""
    return f"{code} {name}"


def references(uow, cm_code: str, month: str) -> dict[str, tuple[str, ...]]:
    """The brands with targets, and the CM's active stores as 编码 名称."""
    return {"target_brands": tuple(_targets(uow, cm_code, month)),
            "stores": tuple(store_option(s.code, s.name) for s in uow.analyses.scope([cm_code]) if s.status == "active")}


def figures(uow, cm_code: str, month: str) -> Values:
    """The §5 targets the stores are picked for."""
    targets = _targets(uow, cm_code, month)
    shown = "；".join(f"{brand}：目标上柜 {t.stores if t.stores is not None else '—'} 户" for brand, t in targets.items())
    return Values({"targets": shown})


def summary(values: Values) -> str:
    """How many stores are picked."""
    return f"已选 {len(values.lines.get('stores', {}))} 户目标客户"


TYPE = DocumentType(
    code="target_stores",
    title="品牌状态分析目标客户设置",
    section="§6",
    workflow=TARGET_STORES,
    parts=(
        Figure("targets", "本月品牌目标（§5）"),
        Lines("stores", "目标客户", (
            Choice("brand", "品牌", "从下拉列表选择已设置目标的品牌", required=True, source="target_brands", width=16),
            Choice("store", "客户", "从下拉列表选择本片区的有效客户", required=True, source="stores", width=36),
            Text("reason", "选入原因", max_length=60, width=30)),
            max_lines=400, unique=("brand", "store"),
            hint="每行一户客户：增加填一行，删除把这一行清空；辅助筛选（cmw brands filter … -o）可一次加入符合条件的客户"),
    ),
    steps={"open": Step("为已设置目标的品牌选择目标客户，保存即生效；删除把那一行清空", ("stores",))},
    draft=Draft(figures, references, requires, requires_many=
                lambda uow, cms, month: unmet_many(uow, cms, month, f"设置 {month} 的目标客户", targets=True)),
    summary=summary,
    ribbon_group="品牌与市场",
)
