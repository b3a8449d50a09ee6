"""The state tables of the manual's document kinds (read by the workflow core through each kind's declaration in
engine/kinds/; the tables of kinds not built yet — §4, §7, §8 — wait here for theirs)."""
from __future__ import annotations

from engine.actors import Role
from engine.workflow import Relation, Transition, Workflow

_CM = (Role.CM,)
_MM = (Role.MM, Role.ADMIN)
_OWN = (Relation.OWNER,)
_SUP = (Relation.SUPERVISOR,)


def _t(name: str, label: str, sources: str, target: str, roles, relations) -> Transition:
    return Transition(name, label, tuple(sources.split()), target, tuple(roles), tuple(relations))


#: §3 客户经理任务执行标注表 (the big table): plan, review, marking, results, result review.
BIG_TABLE = Workflow(
    kind="bigtable",
    label="任务执行标注表",
    initial="draft",
    states={
        "draft": "计划",
        "submitted": "待审核",
        "rejected": "计划驳回",
        "approved": "已审批",
        "results_submitted": "结果待审核",
        "results_rejected": "结果驳回",
        "results_approved": "结果已审核",
    },
    transitions=(
        _t("submit_plan", "计划提交", "draft rejected", "submitted", _CM, _OWN),
        _t("approve_plan", "计划审核", "submitted", "approved", _MM, _SUP),
        _t("reject_plan", "计划驳回", "submitted", "rejected", _MM, _SUP),
        _t("submit_results", "结果提交", "approved results_rejected", "results_submitted", _CM, _OWN),
        _t("approve_results", "结果审核", "results_submitted", "results_approved", _MM, _SUP),
        _t("reject_results", "结果驳回", "results_submitted", "results_rejected", _MM, _SUP),
    ),
)

#: §10 月度经营状态分析: computed once, scored, strategies generated.
OPERATING_ANALYSIS = Workflow(
    kind="analysis",
    label="月度经营状态分析",
    initial="new",
    states={"new": "未计算", "computed": "已计算经营效果", "scored": "已评分", "strategies": "已生成策略"},
    transitions=(
        _t("compute_effect", "计算经营效果", "new", "computed", (Role.CM, *_MM), (*_OWN, *_SUP)),
        _t("finish_scoring", "完成经营能力评分", "computed", "scored", (Role.CM, *_MM), (*_OWN, *_SUP)),
        _t("generate_strategies", "生成策略", "scored", "strategies", (Role.CM, *_MM), (*_OWN, *_SUP)),
        # undoing a "once" step while nothing depends on it yet (engine/analysis_reopen.py checks that), with a reason
        _t("reopen_effect", "重新打开经营效果", "computed", "new", _MM, _SUP),
        _t("reopen_strategies", "重新打开策略", "strategies", "scored", _MM, _SUP),
    ),
)


def _confirmable(kind: str, label: str) -> Workflow:
    """§4, §7, §8: saved as 待确认, confirmed once, then locked."""
    return Workflow(
        kind=kind,
        label=label,
        initial="draft",
        states={"draft": "待确认", "confirmed": "已确认"},
        transitions=(_t("confirm", "确认", "draft", "confirmed", _CM, _OWN),),
    )


def _kept(kind: str, label: str) -> Workflow:
    """§5, §6: kept and changed all month (add, change, delete lines); no state to move through."""
    return Workflow(kind=kind, label=label, initial="open", states={"open": "可修改"}, transitions=())


BRAND_TARGETS = _kept("brand_targets", "品牌状态分析目标设置")
TARGET_STORES = _kept("target_stores", "品牌状态分析目标客户设置")
MARKET_ANALYSIS = _confirmable("market", "月度市场状态分析")
BRAND_ANALYSIS = _confirmable("brand_analysis", "月度品牌状态分析")
DEMAND_SURVEY = _confirmable("survey", "客户需求调查表")
#: §15 客户经理周自我评估: saved any number of times, confirmed once (locked).
WEEKLY_ASSESSMENT = _confirmable("weekly", "客户经理周自我评估")

#: §11 客户经理月工作计划: new → confirm → review (the market manager may send it back with a reason).
MONTHLY_PLAN = Workflow(
    kind="workplan",
    label="客户经理月工作计划",
    initial="draft",
    states={"draft": "待确认", "confirmed": "已确认", "rejected": "已退回", "reviewed": "已审核"},
    transitions=(
        _t("confirm", "确认", "draft rejected", "confirmed", _CM, _OWN),
        _t("review", "审核通过", "confirmed", "reviewed", _MM, _SUP),
        _t("reject", "退回", "confirmed", "rejected", _MM, _SUP),
    ),
)

#: §16 客户经理月度工作总结: new → submit → review (approve, or send back with a reason and resubmit).
MONTHLY_SUMMARY = Workflow(
    kind="summary",
    label="客户经理月度工作总结",
    initial="draft",
    states={"draft": "草稿", "submitted": "待审核", "rejected": "已退回", "reviewed": "已审核"},
    transitions=(
        _t("submit", "提交", "draft rejected", "submitted", _CM, _OWN),
        _t("review", "审核通过", "submitted", "reviewed", _MM, _SUP),
        _t("reject", "退回", "submitted", "rejected", _MM, _SUP),
    ),
)

#: §18 绩效合约书: the CM drafts and submits, the MM confirms (or sends it back with a reason); at period end the CM
#: self-evaluates and submits, the MM scores it: 已考评, locked (printing is not a state).
PERFORMANCE_CONTRACT = Workflow(
    kind="contract",
    label="绩效合约书",
    initial="draft",
    states={
        "draft": "草稿",
        "submitted": "待确认",
        "returned": "已退回",
        "confirmed": "已确认",
        "self_evaluated": "待考评",
        "evaluated": "已考评",
    },
    transitions=(
        _t("submit", "提交", "draft returned", "submitted", _CM, _OWN),
        _t("confirm", "确认", "submitted", "confirmed", _MM, _SUP),
        _t("return", "退回", "submitted", "returned", _MM, _SUP),
        _t("self_evaluate", "自评提交", "confirmed", "self_evaluated", _CM, _OWN),
        _t("evaluate", "考评", "self_evaluated", "evaluated", _MM, _SUP),
    ),
)
