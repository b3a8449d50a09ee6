"""§11 客户经理月工作计划 (monthly work plan): the month's goals, the week-by-week key work and the support needed;
last month's figures filled in from data. 确认 locks it for the CM; the market manager 审核 it (or sends it back)."""
from __future__ import annotations

from engine.document_types import Draft, DocumentType, Review, Step
from engine.fields import Choice, Figure, Lines, Number, Text, Values
from engine.month_figures import sales
from engine.periods import previous_month, weeks_of
from engine.workflows import MONTHLY_PLAN

_INPUTS = ("goal_volume", "goal_value", "goal_stores", "brands", "develop", "weeks", "support")


def figures(uow, cm_code: str, month: str) -> Values:
    """Last month's sales of the CM's stores, and the month's weeks (the lines of 周重点工作)."""
    last = sales(uow, cm_code, previous_month(month))
    weeks: dict[int, dict[str, object]] = {n: {"week": f"第 {n} 周（{first:%m-%d}～{last_day:%m-%d}）"}
             for n, (first, last_day) in enumerate(weeks_of(month), start=1)}
    return Values({"last_volume": last.volume, "last_amount": last.amount, "last_value": last.value_per_carton,
                   "last_ordering": last.ordering, "stores": last.stores}, {"weeks": weeks})


def references(uow, cm_code: str, month: str) -> dict[str, tuple[str, ...]]:
    """The key and backbone brands (all brands while none is flagged), and the CM's stores as 编码 名称."""
    brands = uow.products.brands()
    key = tuple(b for b, (is_key, is_backbone) in brands.items() if is_key or is_backbone)
    return {"brands": key or tuple(brands),
            "stores": tuple(f"{s.code} {s.name}" for s in uow.analyses.scope([cm_code]) if s.status == "active")}


def summary(values: Values) -> str:
    """What helps the market manager decide: the goals against last month."""
    goal, last = values.single.get("goal_volume"), values.single.get("last_volume")
    weeks = sum(1 for row in values.lines.get("weeks", {}).values() if row.get("work"))
    return (f"销量目标 {goal or '未填'} 条（上月 {last or 0} 条）；重点品牌 {len(values.lines.get('brands', {}))} 个；"
            f"拟发展客户 {len(values.lines.get('develop', {}))} 户；已安排 {weeks} 周重点工作")


TYPE = DocumentType(
    code="workplan",
    title="客户经理月工作计划",
    section="§11",
    workflow=MONTHLY_PLAN,
    parts=(
        Figure("stores", "在册客户数（户）"),
        Figure("last_volume", "上月销量（条）", number_format="#,##0"),
        Figure("last_amount", "上月销售额（元）", number_format="#,##0.00"),
        Figure("last_value", "上月单条值（元/条）", number_format="0.00"),
        Figure("last_ordering", "上月订货客户数（户）"),
        Number("goal_volume", "本月销量目标（条）", "本月计划的总销量，整数", required=True, low=0, high=10_000_000),
        Number("goal_value", "本月单条值目标（元/条）", "保留两位小数", low=0, high=10_000, step=0.01),
        Number("goal_stores", "本月订货客户数目标（户）", low=0, high=100_000),
        Lines("brands", "重点品牌目标", (
            Choice("brand", "品牌", "从下拉列表选择重点或骨干品牌", required=True, source="brands", width=18),
            Number("volume", "目标销量（条）", low=0, high=1_000_000, width=14),
            Text("measures", "主要措施", max_length=100, width=50)), max_lines=8),
        Lines("develop", "拟发展客户", (
            Choice("store", "客户", "从下拉列表选择本片区客户", required=True, source="stores", width=34),
            Text("measures", "发展措施", max_length=100, width=50)), max_lines=10),
        Lines("weeks", "周重点工作", (
            Figure("week", "周次", width=24),
            Text("work", "重点工作", "这一周要做的重点工作", max_length=200, width=70, lines=2)),
            min_lines=1, max_lines=6),
        Text("support", "需要营销部支持的事项", "没有可留空", max_length=300, width=70, lines=3),
    ),
    steps={
        "draft": Step("填写本月目标、重点品牌、拟发展客户和每周重点工作，“本次操作”选“提交”即确认（确认后不能再修改）",
                      _INPUTS, "confirm"),
        "rejected": Step("月工作计划被退回：请按退回理由修改，然后在“本次操作”选“提交”重新确认", _INPUTS, "confirm"),
        "confirmed": Step("月工作计划已确认，等待市场经理审核：已锁定，不能修改"),
        "reviewed": Step("月工作计划已审核：已锁定，仅供查看和打印"),
    },
    reviews={"confirmed": Review("月工作计划", "review", "reject")},
    draft=Draft(figures, references),
    summary=summary,
    ribbon_group="计划与总结",
)
