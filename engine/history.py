"""History: who changed what in a document or a store, when, and from which submitted file (the audit log), shown
only to those allowed to see it — the CM whose it is, their market manager, an administrator."""
from __future__ import annotations

from dataclasses import dataclass

from engine.actors import Actor
from engine.document_types import DocumentType
from engine.fields import Lines
from engine.errors import Refused
from engine.form_checks import field_of, label
from engine.ports import AuditRecord, Decision, UnitOfWork
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
        moves = {t.name: t.label for t in workflow.transitions}
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


@dataclass(frozen=True)
class Change:
    """One value that differs between the agreed version and the latest: its label, both texts, and the move (or
    save) that brought the latest text."""

    label: str
    agreed: str
    latest: str
    by: str
    computed: bool  # a figure from the data (an actual), not a value a user typed


def changes_since_agreed(kind: DocumentType, moves: list[Decision], current: dict[tuple[str, int], str],
                         names: dict[str, str]) -> tuple[Decision | None, list[Change]]:
    """The last move that made the agreed version (the kind's agreed transition, e.g. 确认) and every value that
    differs now, each with the later move whose snapshot first shows its latest text (or 保存 when only a save since
    the last move has it)."""
    agreed = next((m for m in reversed(moves) if m.transition == kind.agreed and m.snapshot is not None), None)
    if agreed is None or agreed.snapshot is None:
        return None, []
    then = agreed.snapshot
    later = [(m, m.snapshot) for m in moves if m.version > agreed.version and m.snapshot is not None]
    changes = []
    for key in sorted(set(then) | set(current), key=lambda k: _order(kind, k)):
        before, now = then.get(key, ""), current.get(key, "")
        if before == now:
            continue
        move = next((m for m, kept in later if kept.get(key, "") == now), None)
        by = (f"{kind.workflow.transition(move.transition).label}（{names.get(move.actor_code, '')} {move.actor_code}，"
              f"{move.at:%Y-%m-%d %H:%M}）" if move and move.at else "保存后尚未提交")
        changes.append(Change(label(kind, key), before, now, by, field_of(kind, key[0]).computed))
    return agreed, changes


def _order(kind: DocumentType, key: tuple[str, int]) -> tuple[int, int, int]:
    """A value's place as the document shows it: its part, its line, its column."""
    table, _, column = key[0].partition(".")
    parts = [p.key for p in kind.parts]
    place = parts.index(table) if table in parts else len(parts)
    part = kind.part(table) if table in parts else None
    if column and isinstance(part, Lines):
        columns = [f.key for f in part.fields]
        return place, key[1], columns.index(column) if column in columns else len(columns)
    return place, 0, 0


def agreed_changes(uow: UnitOfWork, actor: Actor, *, kind: str, cm_code: str, period: str) -> Outcome:
    """A declared document's moves (who, when, from which state to which, with the reason) and what changed between
    the version its market manager agreed to and the latest one, value by value; for those allowed to see it."""
    declared = document_types().get(kind)
    if declared is None or not declared.agreed:
        raise Refused(f"单据类型“{kind}”没有可比较的确认版本。")
    with uow:
        _may_see(uow, actor, cm_code, f"view:{kind}")
        doc = uow.documents.get(kind, cm_code, period)
        if doc is None:
            raise Refused(f"{cm_code} 的 {period} {declared.title}还没有建立（还没有导出或填写过）。")
        moves = uow.decisions.history(doc.id)
        current = uow.values.of_many([doc.id])[doc.id]
        names = uow.users.names(sorted({m.actor_code for m in moves}))
    title = f"{cm_code} 的 {period} {declared.title}（现为第 {doc.version} 版“{declared.state_label(doc.state)}”）"
    lines = [f"流转记录（{len(moves)} 次）："]
    for m in moves:
        reason = f"；理由：{m.reason}" if m.reason else ""
        lines.append(f"  {m.at:%Y-%m-%d %H:%M:%S}  {names.get(m.actor_code, '')}（{m.actor_code}）  "
                     f"{declared.workflow.transition(m.transition).label}：{declared.state_label(m.source)} → "
                     f"{declared.state_label(m.target)}（第 {m.version} 版）{reason}")
    agreed, changes = changes_since_agreed(declared, moves, current, names)
    move = declared.workflow.transition(declared.agreed).label
    if agreed is None:
        lines.append(f"尚未{move}，还没有可比较的版本。")
    elif not changes:
        lines.append(f"{move}（第 {agreed.version} 版）之后没有任何变化。")
    else:
        lines.append(f"{move}时（第 {agreed.version} 版，{agreed.at:%Y-%m-%d %H:%M}）与现在相比，{len(changes)} 处变化：")
        lines += [f"  {c.label}：{_quoted(c.agreed)} → {_quoted(c.latest)}　{c.by}{'（系统数据）' if c.computed else ''}"
                  for c in changes]
        altered = [c for c in changes if c.agreed and not c.computed]
        lines.append(f"其中改动了{move}时已有的内容 {len(altered)} 处。" if altered else
                     f"{move}时已有的内容没有改动（以上为{move}后填写的内容和系统数据）。")
    return Outcome(title, tuple(lines))


def _quoted(text: str) -> str:
    return f"“{text}”" if text else "空白"
