"""§10 reopening a "once" step of a CM's month while nothing depends on it yet, with a reason, audited.

计算经营效果 can be reopened (and so computed again) while no capability score has been entered; 生成策略 while no big
table has been generated from the strategies. Anything later would be spoiled by a silent redo, so it is refused.
"""
from __future__ import annotations

from engine.actors import Actor
from engine.documents import move_document
from engine.errors import Refused
from engine.operating_analysis import KIND, analysis_of
from engine.policy import move_act
from engine.ports import UnitOfWork
from engine.records import Outcome
from engine.scope import target_cms
from engine.workflows import BIG_TABLE, OPERATING_ANALYSIS

REASON_LIMIT = 200


def _reason(text: str | None) -> str:
    reason = (text or "").strip()
    if not reason:
        raise Refused("重新打开须说明原因，例如 --reason \"10月订单导入前误算\"。原因会记入审计日志。")
    if len(reason) > REASON_LIMIT:
        raise Refused(f"原因最多 {REASON_LIMIT} 字（现为 {len(reason)} 字），请精简后重试。")
    return reason


def reopen_analysis(uow: UnitOfWork, actor: Actor, *, month: str, cm_code: str, reason: str | None) -> Outcome:
    """Undo the latest "once" step of a CM's month (生成策略, else 计算经营效果) in one unit of work, with its
    decision and audit rows; refused while something depends on it."""
    reason = _reason(reason)
    with uow:
        target_cms(uow, actor, [cm_code], move_act(KIND, "reopen_effect"))  # who may, before what state allows
        if uow.documents.get(KIND, cm_code, month) is None:
            raise Refused(f"{cm_code} 的 {month} 经营效果尚未计算，无需重新打开。")
        analysis = analysis_of(uow, cm_code, month, lock=True)
        doc = analysis.document
        if doc.state == "strategies":
            if uow.documents.get(BIG_TABLE.kind, cm_code, month) is not None:
                raise Refused(f"{cm_code} 的 {month} 大表已按策略生成，策略不能再重新打开（大表中的计划依赖它）。")
            move_document(uow, actor=actor, doc=doc, transition="reopen_strategies", note=reason)
            removed = uow.analyses.remove_strategies(analysis.id)
            uow.commit()
            return Outcome(f"已重新打开 {cm_code} 的 {month} 策略（删除 {removed} 项待提升指标），状态回到“"
                           f"{OPERATING_ANALYSIS.states['scored']}”。",
                           ("可以修改经营能力评分后重新生成策略：cmw analysis strategies "
                            f"--month {month} --cm {cm_code}", f"原因已记入审计日志：{reason}"), removed)
        if doc.state != "computed":  # scored: every store has capability scores built on this effect
            raise Refused(f"{cm_code} 的 {month} 经营分析状态为“{OPERATING_ANALYSIS.states[doc.state]}”，"
                          "经营能力评分已完成，经营效果不能再重新打开。")
        scored = uow.analyses.capability(analysis.id)
        if len(scored):
            raise Refused(f"{cm_code} 已为 {scored['store_id'].nunique()} 户客户录入了 {month} 的经营能力评分，"
                          "经营效果不能再重新打开（评分依据它）。")
        move_document(uow, actor=actor, doc=doc, transition="reopen_effect", note=reason)
        removed = uow.analyses.remove(analysis.id)
        uow.commit()
    return Outcome(f"已重新打开 {cm_code} 的 {month} 经营效果（删除 {removed} 户客户的得分），状态回到“"
                   f"{OPERATING_ANALYSIS.states['new']}”。",
                   (f"订单齐全后重新计算：cmw analysis effect --month {month} --cm {cm_code}",
                    f"原因已记入审计日志：{reason}"), removed)
