"""Use case shared by every workflow document: fire a transition, with its audit row, in one unit of work."""
from __future__ import annotations

from engine.actors import Actor
from engine.errors import Refused
from engine.ports import DocumentState, UnitOfWork
from engine.workflow import fire
from engine.workflows import WORKFLOWS


def open_document(uow: UnitOfWork, kind: str, owner_code: str, period: str) -> DocumentState:
    """The (kind, owner, period) document, created in its initial state when it does not exist yet."""
    return uow.documents.get(kind, owner_code, period) or uow.documents.create(
        kind, owner_code, period, WORKFLOWS[kind].initial)


def move_document(uow: UnitOfWork, *, actor: Actor, doc: DocumentState, action: str, note: str = "") -> DocumentState:
    """Fire action on doc inside the caller's unit of work and write its audit row (with any note); no commit."""
    workflow = WORKFLOWS[doc.kind]
    owner = uow.users.owner(doc.owner_code)
    if owner is None:
        raise Refused(f"用户 {doc.owner_code} 不存在。")
    target = fire(workflow, doc.state, action, actor, owner)
    moved = uow.documents.move(doc, target)
    uow.audit.record(actor=actor.code, action=action, entity=doc.kind, key=f"{doc.owner_code}/{doc.period}",
                     field="state", old=doc.state, new=target, note=note)
    return moved


def transition_document(uow: UnitOfWork, *, actor: Actor, kind: str, owner_code: str, period: str,
                        action: str, expected_version: int | None = None, note: str = "") -> DocumentState:
    """Fire action on the (kind, owner, period) document; audit it; commit. Refused changes nothing."""
    with uow:
        if uow.users.owner(owner_code) is None:
            raise Refused(f"用户 {owner_code} 不存在。")
        doc = open_document(uow, kind, owner_code, period)
        if expected_version is not None and doc.version != expected_version:
            raise Refused(
                f"{WORKFLOWS[kind].label}（{owner_code}，{period}）已在您打开之后被修改"
                f"（您的版本 {expected_version}，当前版本 {doc.version}），请重新导出后再操作。"
            )
        moved = move_document(uow, actor=actor, doc=doc, action=action, note=note)
        uow.commit()
        return moved
