"""§4 月度市场状态分析 (monthly market analysis): a CM's month in figures — their district beside the department,
against last month and the same month last year — from the importer's monthly totals; the CM writes this month's
problems and causes and next month's focus; 保存 keeps it 待确认, 提交 confirms it (已确认: locked). The month is the
month analysed (by default last month); the month's key brands must be kept."""
from __future__ import annotations

from engine.brand_targets import unmet_many
from engine.confirmations import confirm_steps, written
from engine.document_types import Draft, DocumentType
from engine.fields import Figure, Lines, Values
from engine.key_brands import key_brands_of
from engine.market import department_cms, market_of, months_of, rows
from engine.workflows import MARKET_ANALYSIS

_WHAT = "做月度市场状态分析"
_PROBLEMS, _FOCUS = "本月存在问题及原因", "下月工作重点"


def requires(uow, cm_code: str, month: str) -> None:
    """The month's key brands are kept."""
    key_brands_of(uow, month, _WHAT)


def figures(uow, cm_code: str, month: str) -> Values:
    """The district's and the department's month against last month and a year before."""
    brands = [b.brand for b in key_brands_of(uow, month, _WHAT)]
    dept = department_cms(uow, cm_code)
    now, last, year = (market_of(uow, [cm_code], m, brands) for m in months_of(month))
    dept_now, dept_last = (market_of(uow, dept, m, brands) for m in months_of(month)[:2])
    table: dict[int, dict[str, object]] = {n: dict(row) for n, row in
                                           enumerate(rows(now, last, year, dept_now, dept_last), start=1)}
    said = f"{month}（上月 {months_of(month)[1]}，去年同月 {months_of(month)[2]}；营销部 {len(dept)} 位客户经理）"
    return Values({"months": said, "brands": "、".join(brands),
                   "orders": "已导入" if now.ordered else f"{month} 的订单尚未导入，本月各项为“—”"},
                  {"figures": table})


_COLUMNS = (Figure("item", "指标", width=22), Figure("now", "本月", width=13), Figure("last", "上月", width=13),
            Figure("mom", "环比", width=13), Figure("year", "去年同月", width=13), Figure("yoy", "同比", width=13),
            Figure("dept", "营销部本月", width=14), Figure("dept_last", "营销部上月", width=14))

TYPE = DocumentType(
    code="market",
    title="月度市场状态分析",
    section="§4",
    workflow=MARKET_ANALYSIS,
    parts=(
        Figure("months", "分析月份"),
        Figure("brands", "本月重点/骨干品牌"),
        Figure("orders", "订单数据"),
        Lines("figures", "市场指标", _COLUMNS, max_lines=40),
        *written(_PROBLEMS, _FOCUS),
    ),
    steps=confirm_steps("月度市场状态分析", "数据由系统按所选月份生成", _PROBLEMS, _FOCUS),
    draft=Draft(figures, requires=requires,
                requires_many=lambda uow, cms, month: unmet_many(uow, cms, month, _WHAT, targets=False)),
    ribbon_group="品牌与市场",
    looks_back=True,
)
