"""History: who changed what in a document or a store, when, and from which submitted file (the audit log), shown
only to those allowed to see it — the CM whose it is, their market manager, an administrator."""
from __future__ import annotations

from engine.actors import Actor
from engine.errors import Refused
from engine.ports import AuditRecord, UnitOfWork
from engine.records import Outcome
from engine.store_maintenance import STORE_FIELDS, require_store_view
from engine.strategies import ACTIONS
from engine.policy import require
from engine.document_types import document_types

_ACTION_NAMES = {a.code: a.name for a in ACTIONS}
_WHAT = {"mark": "标注", "generate_plan": "计划新增", "edit_store": "修改客户信息"}


def workflows() -> dict:
    """The workflow of every declared document kind, by code (what a history can be asked of)."""
    return {code: kind.workflow for code, kind in document_types().items()}


def _may_see(uow: UnitOfWork, actor: Actor, cm_code: str, act: str) -> None:
    """Refused unless the actor may see what the history is of (a history shows what its document or store shows)."""
    owner = uow.users.owner(cm_code)
    if owner is None:
        raise Refused(f"用户 {cm_code} 不存在。运行 cmw users list 查看客户经理编码。")
    require(actor, act, owner)


def _shown(value: str | None) -> str:
    return "空白" if value in (None, "") else value


def _line(entry: AuditRecord, names: dict[str, str]) -> str:
    """One change as a line: when, who, what was done, the field's old and new value, the submitted file."""
    workflow = workflows().get(entry.entity)
    if entry.field == "state" and workflow is not None:
        moves = {t.action: t.label for t in workflow.transitions}
        what = (f"{moves.get(entry.action, entry.action)}：状态 {workflow.states.get(entry.old or '', _shown(entry.old))}"
                f" → {workflow.states.get(entry.new or '', _shown(entry.new))}")
    elif entry.action == "mark":
        store = entry.key.rsplit("/", 1)[-1]
        what = (f"标注 客户 {store} 的“{_ACTION_NAMES.get(entry.field or '', entry.field or '')}”：“{_shown(entry.old)}” → "
                f"“{_shown(entry.new)}”")
    elif entry.action == "edit_store":
        what = f"修改 {STORE_FIELDS.get(entry.field or '', entry.field or '')}：“{_shown(entry.old)}” → “{_shown(entry.new)}”"
    else:
        what = _WHAT.get(entry.action, entry.action) + (f"：{entry.new}" if entry.new else "")
    who = f"{names.get(entry.actor_code, '')}（{entry.actor_code}）"
    extra = "".join((f"；原因：{entry.note}" if entry.note else "",
                     f"；提交编号 {entry.submission_id}" if entry.submission_id else ""))
    return f"{entry.at:%Y-%m-%d %H:%M:%S}  {who}  {what}{extra}"


def _outcome(uow: UnitOfWork, title: str, entries: list[AuditRecord]) -> Outcome:
    names = {}
    for code in {e.actor_code for e in entries}:
        someone = uow.users.actor(code)
        names[code] = someone.name if someone else ""
    if not entries:
        return Outcome(f"{title}还没有任何修改记录。")
    return Outcome(f"{title}共 {len(entries)} 条修改记录（按时间先后）：", tuple(_line(e, names) for e in entries))


def document_history(uow: UnitOfWork, actor: Actor, *, kind: str, cm_code: str, month: str) -> Outcome:
    """Every audited change of a CM's document of a month: its state moves, its cells, who, when, which file."""
    workflow = workflows().get(kind)
    if workflow is None:
        raise Refused(f"单据类型“{kind}”不存在，可选：{'、'.join(f'{k}（{w.label}）' for k, w in workflows().items())}")
    with uow:
        _may_see(uow, actor, cm_code, f"view:{kind}")
        return _outcome(uow, f"{cm_code} 的 {month} {workflow.label}", uow.audit.of_document(kind, f"{cm_code}/{month}"))


def store_history(uow: UnitOfWork, actor: Actor, *, code: str) -> Outcome:
    """Every audited change of a store: its information edited, and its cells in the big tables."""
    code = (code or "").strip()
    with uow:
        store = uow.stores.by_codes([code]).get(code)
        if store is None:
            raise Refused(f"客户编码 {code} 不存在。请检查编码，或用 cmw stores export 导出客户列表查找。")
        require_store_view(uow, actor, store)
        return _outcome(uow, f"客户 {code}（{store.name}）", uow.audit.of_store(code))
