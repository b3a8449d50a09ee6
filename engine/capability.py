"""§10 经营能力: the capability rubric (indicators → detail items with score ranges) and its checks.

For each indicator a CM picks one detail item, then a score inside that item's range; a new
store must say which of three stages it is in. The rubric is data: DEFAULT_CAPABILITY_RUBRIC is
DOMAIN.md's starting point.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from engine.numbers import read_number
from engine.stores import normalize_text


@dataclass(frozen=True)
class DetailItem:
    """明细项目: a described level of an indicator and the score range allowed for it."""

    label: str
    low: Decimal
    high: Decimal

    @property
    def range_text(self) -> str:
        """E.g. 8-10."""
        return f"{self.low:g}-{self.high:g}"


@dataclass(frozen=True)
class CapabilityIndicator:
    """An indicator a CM scores by picking a detail item and a score within its range."""

    code: str
    label: str
    items: tuple[DetailItem, ...]
    step: Decimal = Decimal("1")  # 1: whole numbers only; 0.5: halves allowed

    def item(self, label: str) -> DetailItem | None:
        """The detail item with that label (full-width and half-width forms alike)."""
        wanted = normalize_text(label)
        return next((i for i in self.items if normalize_text(i.label) == wanted), None)

    @property
    def maximum(self) -> Decimal:
        """The highest score the indicator allows."""
        return max(i.high for i in self.items)


@dataclass(frozen=True)
class CapabilityRubric:
    """A versioned capability rubric and the stages a new store may be in."""

    version: int
    indicators: tuple[CapabilityIndicator, ...]
    new_store_stages: tuple[str, ...]

    def __post_init__(self) -> None:
        codes = [i.code for i in self.indicators]
        if len(set(codes)) != len(codes):
            raise ValueError("经营能力指标编码重复")
        for indicator in self.indicators:
            labels = [i.label for i in indicator.items]
            if len(set(labels)) != len(labels) or any(i.low > i.high for i in indicator.items):
                raise ValueError(f"指标“{indicator.label}”的明细项目重复或分数段下限大于上限")

    def indicator(self, code: str) -> CapabilityIndicator:
        """The indicator with that code."""
        return next(i for i in self.indicators if i.code == code)


def _levels(*spec: tuple[str, int, int]) -> tuple[DetailItem, ...]:
    return tuple(DetailItem(label, Decimal(low), Decimal(high)) for label, low, high in spec)


DEFAULT_CAPABILITY_RUBRIC = CapabilityRubric(
    version=1,
    indicators=(
        CapabilityIndicator("store_image", "店面形象", _levels(("好", 8, 10), ("一般", 5, 7), ("差", 0, 4))),
        CapabilityIndicator("display", "卷烟陈列", _levels(("规范整洁", 8, 10), ("基本规范", 5, 7), ("杂乱", 0, 4))),
        CapabilityIndicator("price_tags", "明码标价", _levels(("全部标价", 8, 10), ("部分标价", 4, 7), ("未标价", 0, 3))),
        CapabilityIndicator("integrity", "诚信守法", _levels(("无违规", 16, 20), ("轻微违规", 8, 15), ("有违规记录", 0, 7))),
        CapabilityIndicator("awareness", "经营意识", _levels(("强", 8, 10), ("一般", 5, 7), ("弱", 0, 4)), Decimal("0.5")),
        CapabilityIndicator("it_level", "信息化水平", _levels(("使用收银系统", 8, 10), ("手机订货", 5, 7), ("无", 0, 4))),
        CapabilityIndicator("cooperation", "配合度", _levels(("积极", 8, 10), ("一般", 5, 7), ("消极", 0, 4)), Decimal("0.5")),
        CapabilityIndicator("location", "商圈位置", _levels(("核心商圈", 8, 10), ("社区商圈", 5, 7), ("偏远", 0, 4))),
    ),
    new_store_stages=("开业不足1个月", "开业1-3个月", "开业3-6个月"),
)

NEW_STORE_ANSWERS = ("是", "否")


def check_score(indicator: CapabilityIndicator, item_label: object, score: object) -> tuple[str, Decimal]:
    """The (item, score) a CM gave for an indicator, checked; ValueError says what is allowed."""
    label = normalize_text(item_label)
    item = indicator.item(label)
    if item is None:
        choices = "、".join(i.label for i in indicator.items)
        raise ValueError(f"“{indicator.label}”的明细项目“{label}”不存在，请从下拉列表选择：{choices}")
    try:
        value = read_number(score, f"“{indicator.label}”的分数")
    except ValueError as exc:
        raise ValueError(f"{exc}，“{item.label}”允许 {item.range_text} 分") from None
    if not item.low <= value <= item.high:
        raise ValueError(f"“{indicator.label}”选“{item.label}”时分数须在 {item.range_text} 之间")
    if value % indicator.step:
        unit = "整数" if indicator.step == 1 else f"{indicator.step:g} 的倍数"
        raise ValueError(f"“{indicator.label}”的分数须为{unit}（{item.range_text}）")
    return item.label, value


def check_new_store(rubric: CapabilityRubric, answer: object, stage: object) -> str | None:
    """The new-store stage (None for an established store); ValueError when 是 lacks a stage or 否 has one."""
    said, picked = normalize_text(answer), normalize_text(stage)
    if said not in NEW_STORE_ANSWERS:
        raise ValueError("“是否新增客户”请选择 是 或 否")
    if said == "否":
        if picked:
            raise ValueError("不是新增客户时，“新增阶段”应留空")
        return None
    if picked not in rubric.new_store_stages:
        raise ValueError(f"新增客户须选择阶段：{'、'.join(rubric.new_store_stages)}")
    return picked


def capability_rubric_to_dict(rubric: CapabilityRubric) -> dict:
    """The rubric as plain data (stored as JSON with its version)."""
    return {"version": rubric.version, "new_store_stages": list(rubric.new_store_stages), "indicators": [
        {"code": i.code, "label": i.label, "step": str(i.step),
         "items": [[item.label, str(item.low), str(item.high)] for item in i.items]} for i in rubric.indicators]}


def capability_rubric_from_dict(data: dict) -> CapabilityRubric:
    """Rebuild a rubric from plain data; ValueError (Chinese) when it is inconsistent."""
    return CapabilityRubric(int(data["version"]), tuple(
        CapabilityIndicator(i["code"], i["label"],
                            tuple(DetailItem(label, Decimal(low), Decimal(high)) for label, low, high in i["items"]),
                            Decimal(i.get("step", "1")))
        for i in data["indicators"]), tuple(data["new_store_stages"]))
