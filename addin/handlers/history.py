"""History handlers (command line): a document's or a store's audited changes, for those allowed to see them."""
from __future__ import annotations

from addin.app import App
from engine.actors import Actor
from engine.errors import Refused
from engine.history import agreed_changes, document_history, store_history
from engine.policy import owns_documents
from engine.records import Outcome


def show_history(app: App, actor: Actor, *, kind: str | None, month: str | None, cm_code: str | None,
                 store: str | None) -> Outcome:
    """A store's history (--store), or a document's (--kind with --month; a CM's own unless --cm names another)."""
    if store:
        if kind or cm_code:
            raise Refused("--store 与 --kind/--cm 不能同时使用：请只查看一户客户，或一份单据。")
        return store_history(app.uow(), actor, code=store)
    if not kind:
        raise Refused("请用 --kind 指定单据类型（例如 --kind bigtable --month 2026-11），或用 --store 指定客户编码。")
    if not cm_code and not owns_documents(actor):
        raise Refused(f"{actor.label}请用 --cm 指定客户经理，例如 --cm cm001。")
    return document_history(app.uow(), actor, kind=kind, cm_code=cm_code or actor.code, month=month)


def show_agreed_changes(app: App, actor: Actor, kind: str, period: str, cm_code: str | None) -> Outcome:
    """A document's moves and what changed since the version its market manager agreed to (a CM's own unless
    cm_code names another)."""
    if not cm_code and not owns_documents(actor):
        raise Refused(f"{actor.label}请用 --cm 指定客户经理，例如 --cm cm001。")
    return agreed_changes(app.uow(), actor, kind=kind, cm_code=cm_code or actor.code, period=period)
