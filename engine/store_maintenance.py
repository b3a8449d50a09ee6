"""§2 客户信息维护: a CM's store list handed out, edited in Excel, and taken back.

The export remembers what it showed (per store: values and version). On submission each cell
is compared three ways — as exported, as submitted, as stored now — so that the user's own
changes, changes made by others meanwhile, and edits to locked fields are told apart.
"""
from __future__ import annotations

from dataclasses import dataclass

from engine.actors import Actor
from engine.errors import Finding, Refused
from engine.form_checks import changed_since_export, older_copy_refused
from engine.policy import require
from engine.ports import StoreFilter, UnitOfWork
from engine.records import Outcome, Record
from engine.scope import owner_of
from engine.stores import CM_EDITABLE, Store, cell_text, clean_edit, normalize_text, shown_value

MODULE = "stores"

#: Every field the store list shows, in order, with its Chinese label.
STORE_FIELDS = {
    "code": "客户编码", "name": "客户名称", "licence": "许可证号", "owner": "负责人",
    "contact": "联系人", "phone": "联系电话", "address": "经营地址", "category": "综合分类",
    "tier": "档位", "status": "状态", "online_ordering": "网上订货", "order_weekday": "订货日",
    "visit_cycle": "拜访频次", "visit_weekday": "拜访日", "notes": "备注",
}


def store_view(store: Store) -> dict[str, str]:
    """A store as the list shows it: every field as text."""
    return {f: shown_value(f, getattr(store, f)) for f in STORE_FIELDS}


@dataclass(frozen=True)
class StoreEdit:
    """One accepted change: a field of a store, from old to new, typed in a cell."""

    code: str
    field: str
    old: object
    new: object
    cell: str


def list_stores(uow: UnitOfWork, actor: Actor, cm_code: str, where: StoreFilter) -> list[Store]:
    """The list screen: a CM's stores, for those the policy lets see them."""
    require(actor, "stores.view", owner_of(uow, cm_code))
    return uow.stores.of_cm(cm_code, where)


def require_store_view(uow: UnitOfWork, actor: Actor, store: Store) -> None:
    """Refused unless the actor may see this store (and its history): its CM's, or one without a CM."""
    if store.cm_code:
        require(actor, "stores.view", owner_of(uow, store.cm_code))
    else:
        require(actor, "stores.unassigned")


def export_store_list(uow: UnitOfWork, actor: Actor, where: StoreFilter,
                      template_version: int) -> tuple[list[Store], int]:
    """Hand a CM their store list; remember what it showed; return the stores and the document id."""
    with uow:
        require(actor, "stores.maintain")
        stores = list_stores(uow, actor, actor.code, where)
        snapshot = {"stores": {s.code: {"version": s.version, "values": store_view(s)} for s in stores}}
        export_id = uow.exports.add(module=MODULE, owner_code=actor.code, actor_code=actor.code,
                                    template_version=template_version, snapshot=snapshot)
        uow.commit()
        return stores, export_id


def _row_findings(record: Record, shown: dict[str, str], current: Store) -> tuple[list[StoreEdit], list[Finding]]:
    """Compare one submitted row with what was exported and what is stored now."""
    edits, findings = [], []
    now = store_view(current)
    for field, label in STORE_FIELDS.items():
        typed = cell_text(field, record.values.get(field))
        if typed == shown[field]:
            continue
        if field not in CM_EDITABLE:
            findings.append(Finding("LOCKED", f"“{label}”不能由客户经理修改，请改回“{shown[field]}”；"
                                    "如确需变更，请联系管理员。", sheet=record.sheet, cell=record.cells[field], value=typed))
            continue
        try:
            value = clean_edit(field, typed)
        except ValueError as exc:
            findings.append(Finding("INVALID", str(exc), sheet=record.sheet, cell=record.cells[field], value=typed))
            continue
        if shown_value(field, value) != now[field]:
            edits.append(StoreEdit(current.code, field, getattr(current, field), value, record.cells[field]))
    return edits, findings


def _stale(code: str, shown: dict[str, str], current: Store, edits: list[StoreEdit]) -> str | None:
    """Why this store is stale: someone else changed it since export (changes equal to the user's own don't count)."""
    now = store_view(current)
    mine = {e.field: shown_value(e.field, e.new) for e in edits}
    theirs = [f for f in STORE_FIELDS if now[f] != shown[f] and now[f] != mine.get(f, shown[f])]
    if not theirs:
        return None
    what = "；".join(f"{STORE_FIELDS[f]} 由“{shown[f]}”改为“{now[f]}”" for f in theirs)
    yours = "；".join(f"{STORE_FIELDS[e.field]}（{e.cell}）" for e in edits)
    return (f"客户 {code} 在您导出后已被他人修改：{what}。您修改了：{yours}。"
            "请重新导出客户信息表，把您的修改填入新表后再提交。")


def _check_rows(records: list[Record], exported: dict, current: dict[str, Store], actor: Actor):
    edits: list[StoreEdit] = []
    findings: list[Finding] = []
    seen: dict[str, str] = {}
    for record in records:
        code = normalize_text(record.values.get("code"))
        where: dict = {"sheet": record.sheet, "cell": record.cells["code"], "value": code}
        if code in seen:
            findings.append(Finding("DUPLICATE", f"客户编码重复（另见 {seen[code]}），请删除多余的行。", **where))
            continue
        seen[code] = record.cells["code"]
        if code not in exported:
            store = current.get(code)
            reason = ("不是您名下的客户，不能在此修改。" if store and store.cm_code != actor.code else
                      "不在导出的客户信息表中；新增客户须由管理员导入。请删除这一行。")
            findings.append(Finding("UNKNOWN_ROW", f"客户 {code or '（空编码）'} {reason}", **where))
            continue
        store = current.get(code)
        if store is None or store.cm_code != actor.code:
            findings.append(Finding("NOT_YOURS", f"客户 {code} 已不在您名下，不能修改。请删除这一行或重新导出。", **where))
            continue
        row_edits, row_findings = _row_findings(record, exported[code]["values"], store)
        findings.extend(row_findings)
        if row_edits and (stale := _stale(code, exported[code]["values"], store, row_edits)):
            findings.append(Finding("STALE", stale, sheet=record.sheet, cell=record.cells["code"], value=code))
        edits.extend(row_edits)
    return edits, findings, len(exported) - len(set(seen) & set(exported))


def _refuse_older_copy(snapshot: dict, records: list[Record]) -> None:
    """Refused when the file is a copy saved before its export was first handed back: every value saved from the
    export since still reads as exported in it, and saving it would change them back (engine.form_checks)."""
    if "exported" not in snapshot:  # nothing saved from this export yet
        return
    mine, cells = {}, {}
    for record in records:
        code = normalize_text(record.values.get("code"))
        for field in STORE_FIELDS:
            mine[(code, field)] = cell_text(field, record.values.get(field))
            cells[(code, field)] = (record.sheet, record.cells[field])

    def flat(stores: dict) -> dict[tuple[str, str], str]:
        return {(code, field): value for code, values in stores.items() for field, value in values.items()}
    since, copied = changed_since_export(flat(snapshot["exported"]),
                                         flat({code: shown["values"] for code, shown in snapshot["stores"].items()}), mine)
    if copied:
        raise older_copy_refused("客户信息表", since, lambda key: f"客户 {key[0]} 的“{STORE_FIELDS[key[1]]}”", cells.get)


def submit_store_list(uow: UnitOfWork, actor: Actor, *, owner_code: str, document_id: int,
                      records: list[Record], shape_findings: list[Finding], submission_id: int) -> Outcome:
    """Apply a CM's edited store list in one transaction, one audit row per change; any finding refuses all."""
    with uow:
        require(actor, "stores.maintain", owner_of(uow, owner_code))
        export = uow.exports.get(document_id)
        if export is None or export.module != MODULE or export.owner_code != owner_code:
            raise Refused("找不到这个工作簿的导出记录（可能来自另一个数据库，或数据库已重建）。请重新导出后再填写提交。")
        exported = export.snapshot["stores"]
        _refuse_older_copy(export.snapshot, records)
        codes = [normalize_text(r.values.get("code")) for r in records]
        current = uow.stores.by_codes(set(codes) | set(exported))
        edits, findings, missing = _check_rows(records, exported, current, actor)
        if edits and not findings and not shape_findings:
            # the stores it changes, locked and read again as last committed: another submission of one of them
            # (a copy of the file, or someone else's) waits here until this one ends, or this one for it — and then
            # compares with what it saved, so that a change of theirs is stale, never overwritten
            current.update(uow.stores.lock(edit.code for edit in edits))
            edits, findings, missing = _check_rows(records, exported, current, actor)
        findings = [*shape_findings, *findings]
        if findings:
            raise Refused(f"客户信息表有 {len(findings)} 处问题，全部未保存。请按提示修改后重新提交。", findings)
        by_store: dict[str, dict[str, object]] = {}
        for edit in edits:
            by_store.setdefault(edit.code, {})[edit.field] = edit.new
            uow.audit.record(actor=actor.code, action="edit_store", entity="store", key=edit.code,
                             field=edit.field, old=edit.old, new=edit.new, submission_id=submission_id)
        advanced = dict(exported)
        for code, changes in by_store.items():
            saved = uow.stores.update(code, changes)
            advanced[code] = {"version": saved.version, "values": store_view(saved)}
        if by_store:  # the file (and its copies) now stand for what was saved: its next save is not "stale"
            first = export.snapshot.get("exported", {code: shown["values"] for code, shown in exported.items()})
            uow.exports.update_snapshot(document_id, {**export.snapshot, "stores": advanced, "exported": first})
        outcome = _outcome(edits, len(by_store), missing)
        uow.submissions.conclude(submission_id, "accepted", outcome.lines(), MODULE)
        uow.commit()
        return outcome


def _outcome(edits: list[StoreEdit], stores: int, missing: int) -> Outcome:
    details = [f"{e.code} {STORE_FIELDS[e.field]}（{e.cell}）：“{shown_value(e.field, e.old)}” → “{shown_value(e.field, e.new)}”"
               for e in edits]
    if missing:
        details.append(f"另有 {missing} 户客户不在提交的文件中（行被删除），这些客户未作任何修改。")
    if not edits:
        return Outcome("文件中没有新的修改，数据库未作任何更改。", tuple(details))
    return Outcome(f"已保存 {len(edits)} 处修改，涉及 {stores} 户客户。", tuple(details), len(edits))
