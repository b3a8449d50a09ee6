"""§10 月度经营状态分析 handlers: compute effect, generate strategies, list (capability and district have their own modules)."""
from __future__ import annotations

from dataclasses import dataclass

from addin.app import App
from engine.actors import Actor
from engine.analysis_reopen import reopen_analysis
from engine.errors import Refused
from engine.operating_analysis import Progress, compute_effect, generate_strategies
from engine.records import Outcome
from engine.scope import listed_cms
from engine.workflow import Workflow
from engine.workflows import OPERATING_ANALYSIS


def run_effect(app: App, actor: Actor, month: str, cm_codes: list[str] | None, progress: Progress | None,
               force: bool = False) -> Outcome:
    """计算经营效果 for the actor (CM) or the CMs of their scope (MM); force: even from a month with few orders."""
    return compute_effect(app.uow(), actor, month=month, cm_codes=cm_codes, progress=progress, force=force)


def run_reopen(app: App, actor: Actor, month: str, cm_code: str, reason: str | None) -> Outcome:
    """An MM or admin reopens a CM's month's latest "once" step (策略, else 经营效果) while nothing depends on it."""
    return reopen_analysis(app.uow(), actor, month=month, cm_code=cm_code, reason=reason)


def run_strategies(app: App, actor: Actor, month: str, cm_codes: list[str] | None) -> Outcome:
    """生成策略 for the actor (CM) or the CMs named or in their scope (MM)."""
    return generate_strategies(app.uow(), actor, month=month, cm_codes=cm_codes)


@dataclass(frozen=True)
class ListFilter:
    """The list screen's filters: 营销中心, 营销部, 月份, 客户经理, 状态."""

    unit: str | None = None
    month: str | None = None
    cm: str | None = None
    state: str | None = None


def state_code(workflow: Workflow, text: str | None) -> str | None:
    """A state given by code or Chinese label (None when not given); Refused lists the states."""
    if not text:
        return None
    for code, label in workflow.states.items():
        if text in (code, label):
            return code
    raise Refused(f"状态“{text}”不存在，可选：{'、'.join(workflow.states.values())}")


def list_analyses(app: App, actor: Actor, where: ListFilter) -> list[dict]:
    """The analyses the actor may see, filtered as on the manual's list screen."""
    state = state_code(OPERATING_ANALYSIS, where.state)
    with app.uow() as uow:
        return uow.analyses.listing(listed_cms(uow, actor, "view:analysis", unit=where.unit, cm=where.cm), month=where.month, state=state)
