"""§3 客户经理任务执行标注表 (the big table), declared: what each state lets the CM change (the mark moves), what
提交 fires there, the guidance the workbook shows, and the market manager's two reviews (plan, results).

Its cells are a grid of its own (a row per store, a mark per marketing action: engine.marks, engine.big_table,
workbooks.big_table), not typed fields, so it has no parts and keeps its own commands (`cmw plan …`); everything
that depends on its states reads them from here.
"""
from __future__ import annotations

from engine.marks import MARKING, PLANNING
from engine.document_types import DocumentType, Review, Step
from engine.workflows import BIG_TABLE

_PLAN_MAY = "计划阶段只能增加或删除 ☆（结转的 △ 可以删除）"
_MARK_MAY = "只能标注：☆→★，新增 △（当次完成可直接填 ▲），△→▲"
_MARK_HINT = "现在可以 ☆→★、新增 △（当次已完成可直接填 ▲）、△→▲"

TYPE = DocumentType(
    code="bigtable",
    title="客户经理任务执行标注表",
    section="§3",
    workflow=BIG_TABLE,
    parts=(),
    steps={
        "draft": Step("计划阶段：在黄色单元格增加 ☆（从下拉列表选择）或清空 ☆。", submit="submit_plan", moves=PLANNING,
                      may=_PLAN_MAY, hint="现在只能增加 ☆ 或清空 ☆"),
        "rejected": Step("计划被驳回：请按驳回理由增加或清空 ☆，然后在“本次操作”选“提交”重新提交。", submit="submit_plan",
                         moves=PLANNING, may="计划被驳回后只能增加或删除 ☆（结转的 △ 可以删除）", hint="现在只能增加 ☆ 或清空 ☆"),
        "approved": Step("计划已审批：拜访后标注执行情况：☆→★（已完成）；临时任务填 △，完成后改为 ▲"
                         "（当次拜访已完成的临时任务可直接填 ▲）。月末在“本次操作”选“提交”提交结果。",
                         submit="submit_results", moves=MARKING, may=f"计划已审批，{_MARK_MAY}", hint=_MARK_HINT),
        "results_rejected": Step("结果被驳回：请按驳回理由重新标注（☆→★、新增 △ 或 ▲、△→▲），然后在“本次操作”选“提交”重新提交结果。",
                                 submit="submit_results", moves=MARKING, may=f"结果被驳回，{_MARK_MAY}", hint=_MARK_HINT),
        "submitted": Step("计划已提交，等待市场经理审核：表格已锁定，不能修改。"),
        "results_submitted": Step("结果已提交，等待市场经理审核：表格已锁定，不能修改。"),
        "results_approved": Step("结果已审核，本月大表已完成：表格已锁定，仅供查看和打印。"),
    },
    reviews={"submitted": Review("计划", "approve_plan", "reject_plan"),
             "results_submitted": Review("结果", "approve_results", "reject_results")},
    ribbon_group="任务大表",
    command="cmw plan export",
    workbooks=("bigtable",),
)

#: The states in which the plan is approved: its ☆ are what the CM carries out (the visit lists print them).
APPROVED = ("approved", "results_submitted", "results_rejected", "results_approved")
#: The states whose cells the CM may change, and those in which 提交 hands in the results.
EDITABLE = tuple(state for state, step in TYPE.steps.items() if step.moves)
RESULTS = tuple(state for state, step in TYPE.steps.items() if step.submit == "submit_results")
PLANNING_STATES = tuple(state for state, step in TYPE.steps.items() if step.submit == "submit_plan")
#: The states a 驳回 leaves the table in (its banner shows the reason there).
REJECTED = tuple(BIG_TABLE.transition(review.reject).target for review in TYPE.reviews.values())
