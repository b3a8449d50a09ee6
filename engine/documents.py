"""Use case shared by every workflow document: fire a transition, with its audit row, in one unit of work."""
from __future__ import annotations

from engine.actors import Actor
from engine.errors import Refused
from engine.ports import DocumentState, UnitOfWork
from engine.workflow import fire
from engine.workflows import WORKFLOWS


def transition_document(uow: UnitOfWork, *, actor: Actor, kind: str, owner_code: str, period: str,
                        action: str, expected_version: int | None = None) -> DocumentState:
    """Fire action on the (kind, owner, period) document; audit it; commit. Refused changes nothing."""
    workflow = WORKFLOWS[kind]
    with uow:
        owner = uow.users.owner(owner_code)
        if owner is None:
            raise Refused(f"用户 {owner_code} 不存在。")
        doc = uow.documents.get(kind, owner_code, period) or uow.documents.create(
            kind, owner_code, period, workflow.initial
        )
        if expected_version is not None and doc.version != expected_version:
            raise Refused(
                f"{workflow.label}（{owner_code}，{period}）已在您打开之后被修改"
                f"（您的版本 {expected_version}，当前版本 {doc.version}），请重新导出后再操作。"
            )
        target = fire(workflow, doc.state, action, actor, owner)
        moved = uow.documents.move(doc, target)
        uow.audit.record(actor=actor.code, action=action, entity=kind, key=f"{owner_code}/{period}",
                         field="state", old=doc.state, new=target)
        uow.commit()
        return moved
