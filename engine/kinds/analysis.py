"""§10 月度经营状态分析 (monthly operating analysis), declared: computed once from last month's orders (effect), then
scored by the CM (capability, its own workbook), then strategies generated. Its workbooks and commands are its own
(`cmw analysis …`: engine.operating_analysis, workbooks.capability, workbooks.district); what depends on its states
reads them from here."""
from __future__ import annotations

from engine.document_types import DocumentType, Step
from engine.workflows import OPERATING_ANALYSIS

TYPE = DocumentType(
    code="analysis",
    title="月度经营状态分析",
    section="§10",
    workflow=OPERATING_ANALYSIS,
    parts=(),
    steps={
        "new": Step("经营效果尚未计算：由市场经理或客户经理点“计算经营效果”（按上月订单，每月一次）。"),
        "computed": Step("经营效果已计算：请导出经营能力评分表，逐户评分后提交；全部评完后点“生成策略”。"),
        "scored": Step("经营能力已评分：点“生成策略”，得出每户需要提升的指标。"),
        "strategies": Step("策略已生成：可以生成本月任务大表（计划新增）。"),
    },
    ribbon_group="经营分析",
    command="cmw analysis effect",
    workbooks=("capability", "district"),
)
