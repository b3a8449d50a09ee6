"""§7 月度品牌状态分析 (monthly brand analysis): per key brand of the month, the CM's actual shelf rate (上柜率, the one
rule of engine.brands) and volume against the §5 targets — over their active stores, per tier band, per format and
over the §6 target stores — with last month, the same month last year and the six months' trend; the CM writes last
month's problems and causes and this month's focus; 提交 confirms (已确认: locked, the figures as they were)."""
from __future__ import annotations

from engine.brand_targets import target_stores_of, targets_required, unmet_many
from engine.confirmations import confirm_steps, written
from engine.document_types import Draft, DocumentType, Plot
from engine.fields import Figure, Lines, Values
from engine.key_brands import key_brands_of
from engine.workflows import BRAND_ANALYSIS

_WHAT = "做月度品牌状态分析"
_PROBLEMS, _FOCUS = "上月存在问题及原因", "本月工作重点"
_RATE, _COUNT = "0.0%", "#,##0"


def requires(uow, cm_code: str, month: str) -> None:
    """The month's key brands are kept and the CM has §5 targets."""
    targets_required(uow, cm_code, month, _WHAT)


def figures(uow, cm_code: str, month: str) -> Values:
    """The month's shelf rates and volumes of the CM's key brands against their targets."""
    from engine.brand_analysis import analysis_lines, months_read, scope_of  # pandas: loaded when figures are made

    targets = targets_required(uow, cm_code, month, _WHAT)
    brands = key_brands_of(uow, month, _WHAT)
    months = months_read(month)
    ordered = uow.brand_months.totals([cm_code], months, [b.brand for b in brands])
    with_orders = uow.brand_months.months_with_orders(months)
    scope = scope_of([s for s in uow.analyses.scope([cm_code]) if s.status == "active"])
    lines = analysis_lines(scope, ordered, with_orders, month, brands, targets,
                           target_stores_of(uow, [cm_code], month).get(cm_code, {}))
    said = "已导入" if month in with_orders else f"{month} 的订单尚未导入，本月各项为空"
    return Values({"orders": said, "stores": len(scope.stores)}, lines)


def _brand() -> Figure:
    return Figure("brand", "品牌", width=14)


TYPE = DocumentType(
    code="brand_analysis",
    title="月度品牌状态分析",
    section="§7",
    workflow=BRAND_ANALYSIS,
    parts=(
        Figure("stores", "有效客户数（户）"),
        Figure("orders", "订单数据"),
        Lines("brands", "品牌上柜与销量", (
            _brand(), Figure("kind", "类别", width=12), Figure("target_rate", "目标上柜率", number_format=_RATE, width=10),
            Figure("rate", "实际上柜率", number_format=_RATE, width=10), Figure("last_rate", "上月上柜率", number_format=_RATE, width=10),
            Figure("year_rate", "去年同月上柜率", number_format=_RATE, width=12), Figure("target_volume", "目标销量（条）", number_format=_COUNT, width=12),
            Figure("volume", "实际销量（条）", number_format=_COUNT, width=12), Figure("last_volume", "上月销量（条）", number_format=_COUNT, width=12),
            Figure("year_volume", "去年同月销量（条）", number_format=_COUNT, width=14), Figure("done", "销量完成率", number_format=_RATE, width=10),
            Figure("shelved", "上柜客户数（户）", number_format=_COUNT, width=12),
            Figure("target_stores", "目标上柜客户数（户）", number_format=_COUNT, width=14)), max_lines=40),
        Lines("bands", "分档位上柜率", (
            _brand(), Figure("group", "档位段", width=10), Figure("stores", "客户数（户）", number_format=_COUNT, width=10),
            Figure("shelved", "上柜户数", number_format=_COUNT, width=10), Figure("rate", "上柜率", number_format=_RATE, width=10),
            Figure("target_rate", "目标上柜率", number_format=_RATE, width=10)), max_lines=300),
        Lines("formats", "分业态上柜率", (
            _brand(), Figure("group", "业态", width=12), Figure("stores", "客户数（户）", number_format=_COUNT, width=10),
            Figure("shelved", "上柜户数", number_format=_COUNT, width=10), Figure("rate", "上柜率", number_format=_RATE, width=10),
            Figure("target_rate", "目标上柜率", number_format=_RATE, width=10)), max_lines=300),
        Lines("targets", "目标客户上柜情况", (
            _brand(), Figure("stores", "目标客户数（户）", number_format=_COUNT, width=12), Figure("shelved", "已上柜（户）", number_format=_COUNT, width=10),
            Figure("rate", "上柜率", number_format=_RATE, width=10), Figure("missing", "未上柜的目标客户", width=60)), max_lines=40),
        Lines("trend", "近六个月走势", (
            _brand(), Figure("month", "月份", width=10), Figure("volume", "销量（条）", number_format=_COUNT, width=12),
            Figure("rate", "上柜率", number_format=_RATE, width=10)), max_lines=300),
        *written(_PROBLEMS, _FOCUS),
    ),
    steps=confirm_steps("月度品牌状态分析", "数据由系统按所选月份生成（上柜率 = 订过该品牌 ≥1 条的有效客户 ÷ 有效客户）",
                        _PROBLEMS, _FOCUS),
    draft=Draft(figures, requires=requires,
                requires_many=lambda uow, cms, month: unmet_many(uow, cms, month, _WHAT, targets=True)),
    ribbon_group="品牌与市场",
    looks_back=True,
    plots=(Plot("bands", "column", "group", ("rate", "target_rate"), "{each} 分档位上柜率与目标", each="brand",
                percent=True),
           Plot("trend", "line", "month", ("volume",), "{each} 近六个月销量（条）", each="brand")),
)
