"""Use case shared by every workflow document: fire a transition, with its audit row, in one unit of work."""
from __future__ import annotations

from engine.actors import Actor
from engine.errors import Refused
from engine.ports import DocumentState, UnitOfWork
from engine.policy import require_move
from engine.workflow import fire
from engine.document_types import document_type

#: The longest reason or note a decision keeps (the review workbook says 200 字).
NOTE_LIMIT = 200


def open_documents(uow: UnitOfWork, kind: str, owner_codes: list[str], period: str, *,
                   lock: bool = True) -> dict[str, DocumentState]:
    """The (kind, owner, period) documents of these owners, by owner; those missing created in the initial state.
    Locked (their rows only) for a use case that changes them; lock=False for one that only hands them out. Two
    users' first use of one document at once makes it once: the second one's insert waits for the first, keeps the
    document it made and reads it (locked) like any other."""
    read = uow.documents.lock_many if lock else uow.documents.get_many
    found = read(kind, owner_codes, period)
    missing = [code for code in owner_codes if code not in found]
    if missing:
        uow.documents.create_many(kind, missing, period, document_type(kind).workflow.initial)
        found.update(read(kind, missing, period))
    return found


def open_document(uow: UnitOfWork, kind: str, owner_code: str, period: str) -> DocumentState:
    """One owner's document, locked (see open_documents)."""
    return open_documents(uow, kind, [owner_code], period)[owner_code]


def move_documents(uow: UnitOfWork, *, actor: Actor, docs: list[DocumentState], transition: str,
                   note: str = "") -> list[DocumentState]:
    """Fire the transition on every doc (Refused, before anything is written, if it may not fire on one); the documents'
    store moves them and writes their decision rows and audit rows (with any note), and a declared document's whole
    content as it stands after the move is kept beside it, its immutable snapshot; inside the caller's unit of work,
    no commit."""
    if len(note) > NOTE_LIMIT:  # a database column is no place to find out (MariaDB's TEXT stops at 64 KB)
        raise Refused(f"理由不能超过 {NOTE_LIMIT} 个字，您填写了 {len(note)} 个字。请缩短后重新提交。")
    targets = []
    for doc in docs:
        owner = uow.users.owner(doc.owner_code)
        if owner is None:
            raise Refused(f"用户 {doc.owner_code} 不存在。")
        workflow = document_type(doc.kind).workflow
        targets.append(fire(workflow, doc.state, transition))
        require_move(actor, workflow, transition, owner)
    moved = uow.documents.move_many(docs, targets, transition=transition, actor_code=actor.code, note=note)
    if [doc.state for doc in moved] != targets:  # the database applied its copy of the workflow: it must agree
        raise Refused("数据库中的流程定义与本程序不一致（可能是程序已更新而数据库没有升级），本次操作没有写入。"
                      "请管理员运行：cmw db upgrade")
    kept = uow.values.of_many([doc.id for doc in docs if document_type(doc.kind).parts])  # the whole document
    uow.snapshots.record_many([(doc.id, new.version, kept[doc.id]) for doc, new in zip(docs, moved) if doc.id in kept])
    return moved


def move_document(uow: UnitOfWork, *, actor: Actor, doc: DocumentState, transition: str, note: str = "") -> DocumentState:
    """Fire the transition on one doc (see move_documents); no commit."""
    return move_documents(uow, actor=actor, docs=[doc], transition=transition, note=note)[0]


def transition_document(uow: UnitOfWork, *, actor: Actor, kind: str, owner_code: str, period: str,
                        transition: str, expected_version: int | None = None, note: str = "") -> DocumentState:
    """Fire the transition on the (kind, owner, period) document; audit it; commit. Refused changes nothing."""
    with uow:
        if uow.users.owner(owner_code) is None:
            raise Refused(f"用户 {owner_code} 不存在。")
        doc = open_document(uow, kind, owner_code, period)
        if expected_version is not None and doc.version != expected_version:
            raise Refused(
                f"{document_type(kind).workflow.label}（{owner_code}，{period}）已在您打开之后被修改"
                f"（您的版本 {expected_version}，当前版本 {doc.version}），请重新导出后再操作。"
            )
        moved = move_document(uow, actor=actor, doc=doc, transition=transition, note=note)
        uow.commit()
        return moved
