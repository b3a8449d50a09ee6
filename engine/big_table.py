"""§3 use cases: plan add (generate), and a CM's big table taken back (marks saved, then maybe submitted).

A file is compared three ways, cell by cell — as exported, as submitted, as stored now. When the
table moved on since the export, nothing is saved and the user gets a per-cell report: what they
changed, what changed meanwhile, and where the two collide.
"""
from __future__ import annotations

from engine.actors import Actor
from engine.marks import Mark, check_move, generate_plan, read_mark
from engine.documents import move_document, open_documents
from engine.errors import Finding, Refused
from engine.form_checks import changed_since_export, older_copy_refused
from engine.policy import require
from engine.operating_analysis import analyses_of
from engine.periods import previous_month
from engine.scope import each_cm, owner_of, target_cms
from engine.ports import UnitOfWork
from engine.records import Outcome, Record
from engine.stores import normalize_text
from engine.strategies import ACTIONS, triggered_actions
from engine.document_types import SAVE, SUBMIT
from engine.kinds.bigtable import EDITABLE, TYPE
from engine.workflows import BIG_TABLE

KIND = TYPE.code
ACTION_NAMES = {a.code: a.name for a in ACTIONS}
#: The transition 提交 fires in each state that has one (the declaration's steps).
SUBMIT_TRANSITION = {state: step.submit for state, step in TYPE.steps.items() if step.submit}


def _left_open(uow: UnitOfWork, cm_codes: list[str], month: str) -> dict[str, dict[str, dict[str, str]]]:
    """Per CM, per store code, the actions left open in last month's big table, each with its mark (☆ or △)."""
    docs = uow.documents.get_many(KIND, cm_codes, previous_month(month))
    cells = uow.big_tables.cells_of_many([doc.id for doc in docs.values()])
    carried: dict[str, dict[str, dict[str, str]]] = {}
    for cm, doc in docs.items():
        for (store, action), cell in cells[doc.id].items():
            if Mark(cell.mark).open:
                carried.setdefault(cm, {}).setdefault(store, {})[action] = cell.mark
    return carried


def generate(uow: UnitOfWork, actor: Actor, *, month: str, cm_codes: list[str] | None = None) -> Outcome:
    """计划新增 for the actor (CM) or the CMs named or in scope (MM), in one unit of work: ☆ from the month's
    strategies plus last month's unfinished actions (carried); once per CM and month."""
    with uow:
        cms = target_cms(uow, actor, cm_codes, "bigtable.generate")
        analyses = analyses_of(uow, cms, month, lock=True)  # what the tables are made from stays as read
        tables = uow.documents.get_many(KIND, cms, month)

        def ready(cm: str):
            analysis = analyses.get(cm)
            if analysis is None:
                raise Refused(f"{month} 经营效果尚未计算，不能生成大表。请先运行：cmw analysis effect --month {month}")
            if analysis.document.state != "strategies":
                raise Refused(f"{month} 经营分析尚未生成策略，不能生成大表。请先运行：cmw analysis strategies --month {month}")
            if cm in tables:
                raise Refused(f"{month} 大表已生成，不能重复生成（会覆盖客户经理的修改）。请用 cmw plan export 导出。")
            return analysis

        todo, skipped = each_cm(cms, ready, "所选客户经理都不能生成大表")
        owners = [a.document.owner_code for a in todo]
        scope: dict[str, list] = {}
        for store in uow.analyses.scope(owners):
            scope.setdefault(store.cm_code, []).append(store)
        weak = uow.analyses.indicators_to_improve([a.id for a in todo])
        left_open = _left_open(uow, owners, month)
        docs = open_documents(uow, KIND, owners, month)
        rows: list[tuple[int, int, str, str, bool, str, int]] = []
        made: list[tuple[str, int, int, int]] = []
        for cm in owners:
            mine = scope.get(cm, [])
            codes, ids = [s.code for s in mine], {s.code: s.id for s in mine}
            triggered = {s.code: triggered_actions(weak[s.id]) for s in mine if s.id in weak}
            cells = generate_plan(triggered, left_open.get(cm, {}), codes, previous_month(month))
            doc = docs[cm]
            rows.extend((doc.id, ids[c.store], c.action, c.mark.value, c.carried, c.reason, doc.version)
                        for c in cells)
            made.append((cm, len(mine), len(cells), sum(c.carried for c in cells)))
        uow.big_tables.add_many(rows)
        uow.audit.record_many([dict(actor=actor.code, action="generate_plan", entity=KIND, key=f"{cm}/{month}",
                                    new=f"{planned} ☆") for cm, _, planned, _ in made])
        uow.commit()
    told = {cm: f"{stores} 户客户，{planned} 个 ☆（其中上月结转 {carried} 个）" for cm, stores, planned, carried in made}
    if len(made) == 1 and not skipped:
        return Outcome(f"已生成 {owners[0]} 的 {month} 大表：{told[owners[0]]}。", changed=len(rows))
    return Outcome(f"已生成 {len(made)} 位客户经理的 {month} 大表，共 {len(rows)} 个 ☆。",
                   (*(f"{cm}：{text}" for cm, text in told.items()), *skipped), len(rows))


#: How many taken cells (and converted substitutes) an answer lists before it gives only their count.
LISTED = 50


def _submitted_marks(records: list[Record], actions: list[str]) -> tuple[dict, list[Finding], list[str]]:
    """The marks of the file by (store, action) with their cells; the findings (unreadable marks, a store twice);
    the notes for each substitute converted (“*” read as ☆)."""
    marks, findings, converted = {}, [], []
    parsed: dict[tuple[type, object], tuple | str] = {}  # a table has a handful of distinct cell values: parse each once
    rows: dict[str, Record] = {}
    for record in records:
        store = normalize_text(record.values.get("code"))
        if store in rows:
            first = rows[store]
            findings.append(Finding("DUPLICATE", f"客户 {store} 出现了两次：第 {first.number} 行和第 {record.number} 行。"
                                    "一户客户只能有一行，请删除多余的行（或改回被覆盖的客户）后重新提交。",
                                    sheet=record.sheet, cell=record.cells["code"], row=record.number, value=store))
            continue
        rows[store] = record
        for action in actions:
            value = record.values.get(action)
            known = (type(value), value)
            mark = parsed.get(known)
            if mark is None:
                try:
                    mark = read_mark(value)
                except ValueError as exc:
                    mark = str(exc)
                parsed[known] = mark
            if isinstance(mark, str):
                findings.append(Finding("INVALID", mark, sheet=record.sheet, cell=record.cells[action],
                                        row=record.number, value=normalize_text(value)))
                continue
            marks[(store, action)] = (mark[0], record.sheet, record.cells[action])
            if mark[1] is not None:
                converted.append(f"已将 {record.sheet}!{record.cells[action]} 的“{mark[1]}”按“{mark[0].value}”处理。")
    return marks, findings, converted


def _name(key: tuple[str, str]) -> str:
    return f"客户 {key[0]} 的“{ACTION_NAMES.get(key[1], key[1])}”"


def _shown(mark: str) -> str:
    return mark or "空白"


def _stale_report(exported: dict, current: dict, submitted: dict, actions: list[str]) -> list[Finding]:
    """Per cell: the user's changes and the collisions first, then the changes made meanwhile; each group in sheet
    order (row, then column; cells of rows no longer in the file last, by store)."""
    column = {action: n for n, action in enumerate(actions)}

    def place(key: tuple[str, str]) -> tuple:
        row = submitted[key][1:] if key in submitted else None
        return (0, _row_of(row[1]), column.get(key[1], len(column))) if row else (1, key[0], column.get(key[1], 0))

    yours, theirs = [], []
    for key in sorted(set(exported) | set(current) | set(submitted), key=place):
        was, now = exported.get(key, ""), current.get(key, "")
        mine = submitted[key][0].value if key in submitted else was
        where = {"sheet": submitted[key][1], "cell": submitted[key][2]} if key in submitted else {}
        if mine != was and now != was and mine != now:
            yours.append(Finding("COLLISION", f"冲突：{_name(key)}您改为“{_shown(mine)}”，期间已被改为“{_shown(now)}”（导出时为“{_shown(was)}”）", **where))
        elif mine != was and now == was:
            yours.append(Finding("YOURS", f"您的修改（未保存）：{_name(key)}“{_shown(was)}”→“{_shown(mine)}”", **where))
        elif now != was and mine == was:
            theirs.append(Finding("THEIRS", f"期间的修改：{_name(key)}“{_shown(was)}”→“{_shown(now)}”", **where))
    return yours + theirs


def _row_of(cell: str) -> int:
    digits = cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
    return int(digits) if digits.isdigit() else 0


#: What a CM can still do with a big table in a state where it cannot be changed (a stale refusal's advice).
_LOCKED_NEXT = {
    "submitted": "计划已提交，等待市场经理审核，现在不能修改。审核通过后可重新导出并标注执行情况（☆→★，新增 △）；"
                 "如被驳回，可重新导出并按驳回理由修改计划。如需撤回，请联系市场经理驳回",
    "results_submitted": "结果已提交，等待市场经理审核，现在不能修改。如被驳回，可重新导出并重新标注；如需撤回，请联系市场经理驳回",
    "results_approved": "结果已审核，本月大表已完成，不能再修改；可以导出或打印查看",
}


def what_can_be_done(state: str) -> str:
    """What a CM may still do with their big table in this state, in words they can follow."""
    step = TYPE.steps.get(state)
    if step is not None and step.moves:
        return f"现在{step.may}"
    return _LOCKED_NEXT.get(state, "当前状态下大表不能修改")


def _stale_refusal(snapshot: dict, doc, report: list[Finding]) -> Refused:
    """A stale file refused with advice the user can follow in the table's state now, their own changes first."""
    mine = sum(f.code != "THEIRS" for f in report)
    head = (f"大表在您导出后已有变化（导出时第 {snapshot['version']} 版“{BIG_TABLE.states[snapshot['state']]}”，"
            f"现为第 {doc.version} 版“{BIG_TABLE.states[doc.state]}”），本次提交未保存。")
    can = what_can_be_done(doc.state)
    if not mine:
        advice = f"您的文件中没有新的修改。{can}。" + ("如需继续，请重新导出最新的大表。" if doc.state in EDITABLE else "")
        return Refused(head + advice + ("期间的修改如下：" if report else ""), report)
    if doc.state in EDITABLE:
        advice = (f"请重新导出，把下列“您的修改”（{mine} 处）填入新表后再提交（“冲突”处请先与市场经理确认）；"
                  f"{can}：")
    else:
        advice = (f"大表现为“{BIG_TABLE.states[doc.state]}”：{can}。下列“您的修改”（{mine} 处）现在无法保存，"
                  "请留存备用；期间的修改列在其后：")
    return Refused(head + advice, report)


def snapshot_of(doc, cells: dict, actions: list[str]) -> dict:
    """What an exported big table showed: version, state, the action columns and every non-blank cell (cells as
    BigTables.cells gives them)."""
    return {"version": doc.version, "state": doc.state, "actions": actions,
            "cells": {f"{s}|{a}": c.mark for (s, a), c in cells.items()}}


_MARKS = {mark.value: mark for mark in Mark}


def _changes(doc, submitted: dict, current: dict, scope: set[str]) -> tuple[list, list[Finding]]:
    changes, findings = [], []
    for key, (mark, sheet, cell) in submitted.items():
        if key[0] not in scope:
            findings.append(Finding("UNKNOWN_ROW", f"客户 {key[0] or '（空编码）'} 不在您的大表中，请删除这一行。",
                                    sheet=sheet, cell=cell, value=key[0]))
            continue
        old = _MARKS[current.get(key, "")]
        if mark is old:  # unchanged: always allowed
            continue
        try:
            check_move(doc.state, old, mark)
        except ValueError as exc:
            findings.append(Finding("MOVE", str(exc), sheet=sheet, cell=cell, value=mark.value))
            continue
        changes.append((key, old, mark))
    return changes, findings


def _listed(lines: list[str], what: str) -> list[str]:
    """The first LISTED lines, then how many more."""
    return lines[:LISTED] + ([f"……另有 {len(lines) - LISTED} {what}，未逐一列出。"] if len(lines) > LISTED else [])


def _taken(changes: list, submitted: dict) -> list[str]:
    """Each cell taken, in sheet order: where, which store and action, old → new — to check after a sort."""
    def where(change) -> tuple[int, str]:
        _, sheet, cell = submitted[change[0]]
        head = cell.rstrip("0123456789")
        return int(cell[len(head):]), f"{len(head):02d}{head}"

    lines = [f"{submitted[key][1]}!{submitted[key][2]}：{_name(key)}“{_shown(old.value)}”→“{_shown(new.value)}”"
             for key, old, new in sorted(changes, key=where)]
    return _listed(lines, "处修改")


def _not_in_file(missing: set[str]) -> list[str]:
    """The stores of the table the file has no row for: not refused, said to be unchanged."""
    if not missing:
        return []
    shown = "、".join(sorted(missing)[:LISTED]) + (f" 等 {len(missing)} 户" if len(missing) > LISTED else "")
    return [f"以下 {len(missing)} 户客户不在此文件中，未作修改：{shown}。"]


def take_back(uow: UnitOfWork, actor: Actor, *, owner_code: str, month: str, export_id: int, records: list[Record],
              shape_findings: list[Finding], operation: str, submission_id: int) -> Outcome:
    """A CM's big table handed back: save the marks the state allows, then submit when asked; all or nothing."""
    with uow:
        require(actor, f"edit:{KIND}", owner_of(uow, owner_code))
        doc = uow.documents.lock(KIND, owner_code, month)
        export = uow.exports.get(export_id)
        if doc is None or export is None or export.owner_code != owner_code:
            raise Refused("找不到这个大表的导出记录（可能来自另一个数据库）。请重新导出后再填写提交。")
        if shape_findings and all(f.code in ("FORMULA", "EXCEL_ERROR") for f in shape_findings):
            raise Refused(f"大表有 {len(shape_findings)} 处填写了公式或 Excel 错误值，全部未保存。"
                          "请改为从下拉列表选择后重新提交：", shape_findings)
        if shape_findings:
            raise Refused("大表的格式被改动，全部未保存。请重新导出后再填写：", shape_findings)
        snapshot = export.snapshot
        submitted, findings, converted = _submitted_marks(records, snapshot["actions"])
        if any(f.code == "DUPLICATE" for f in findings):
            raise Refused("大表中有客户重复出现，全部未保存：", findings)
        if findings:
            raise Refused(f"大表有 {len(findings)} 处标记无法识别，全部未保存：", findings)
        exported = {tuple(k.split("|")): v for k, v in snapshot["cells"].items()}
        current = {k: c.mark for k, c in uow.big_tables.cells(doc.id).items()}
        if doc.version != snapshot["version"]:
            raise _stale_refusal(snapshot, doc, _stale_report(exported, current, submitted, snapshot["actions"]))
        first = {tuple(k.split("|")): v for k, v in snapshot.get("exported", snapshot["cells"]).items()}
        since, copied = changed_since_export(first, exported, {key: mark.value for key, (mark, _, _) in submitted.items()})
        if copied:  # a copy saved before this export was first handed back: saving it would clear what was saved since
            raise older_copy_refused("大表", since, _name, lambda key: submitted[key][1:])
        ids = {s.code: s.id for s in uow.analyses.scope([owner_code])}
        changes, findings = _changes(doc, submitted, current, set(ids))
        if findings and doc.state not in EDITABLE:  # "change it back" would not help: nothing can be changed now
            raise Refused(f"大表现为“{BIG_TABLE.states[doc.state]}”：{what_can_be_done(doc.state)}。下列 {len(findings)} 处"
                          "修改没有保存，请留存备用：", findings)
        if findings:
            raise Refused(f"大表有 {len(findings)} 处修改不允许，全部未保存。请改回后重新提交：", findings)
        if operation == SUBMIT and doc.state not in SUBMIT_TRANSITION:
            raise Refused(f"大表当前状态为“{BIG_TABLE.states[doc.state]}”，不能提交。")
        uow.big_tables.put_many(doc.id, [(ids[store], action, mark.value) for (store, action), _, mark in changes],
                           version=doc.version + 1)
        uow.audit.record_many([dict(actor=actor.code, action="mark", entity=KIND, key=f"{owner_code}/{month}/{store}",
                                    field=action, old=old.value, new=mark.value, submission_id=submission_id)
                               for (store, action), old, mark in changes])
        if changes:
            doc = uow.documents.touch(doc)
        lines = [f"已保存 {len(changes)} 处修改。" if changes else "文件中没有新的修改。"]
        if operation == SUBMIT:
            move = SUBMIT_TRANSITION[doc.state]
            doc = move_document(uow, actor=actor, doc=doc, transition=move)
            lines.append(f"已{BIG_TABLE.transition(move).label}，当前状态：{BIG_TABLE.states[doc.state]}，等待市场经理审核。")
        lines += [*_taken(changes, submitted), *_listed(converted, "处替代符号已转换"),
                  *_not_in_file(set(ids) - {store for store, _ in submitted})]
        if doc.version != snapshot["version"]:
            # the file (and its copies) now stand for what was just saved: submitted again with more marks, only those
            # are its owner's new changes, not a stale file
            saved = {**current, **{key: mark.value for key, _, mark in changes}}
            uow.exports.update_snapshot(export_id, {**snapshot, "exported": snapshot.get("exported", snapshot["cells"]),
                                                    "version": doc.version, "state": doc.state,
                                                    "cells": {f"{s}|{a}": m for (s, a), m in saved.items() if m}})
        outcome = Outcome(lines[0], tuple(lines[1:]), len(changes))
        uow.submissions.conclude(submission_id, "accepted", outcome.lines(), KIND)
        uow.commit()
        return outcome
