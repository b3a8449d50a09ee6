"""Use cases of every declared document type: read documents as their workbooks show them, take a filled-in
file back, and the market manager's decision. One unit of work each; audit and decision rows inside it.

A file is compared three ways, value by value — as exported, as submitted, as stored now. When the document
moved on since the export (someone else's change or a decision), nothing is saved and the user gets a per-value
report: their changes first, in the order of the sheet, then the changes made meanwhile, and the collisions.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from engine.actors import Actor, Role
from engine.document_types import SUBMIT, DocumentType, document_types
from engine.documents import move_document, open_documents, transition_document
from engine.errors import Finding, Refused
from engine.fields import Choice, Field, Lines, Number, Values
from engine.ports import Decision, DocumentState, UnitOfWork
from engine.records import Outcome
from engine.scope import target_cms

APPROVE, REJECT = "审核通过", "驳回"
REASON_LIMIT = 200


@dataclass(frozen=True)
class FormView:
    """One document as its workbook or print shows it: kept values with the figures, the options of its
    choices, the last 驳回, and the value keys its reader may change (none when it is only to look at)."""

    kind: DocumentType
    doc: DocumentState
    owner_name: str
    values: Values
    references: dict[str, tuple[str, ...]]
    rejection: Decision | None
    editable: frozenset[str]

    @property
    def step(self):
        """What the document's state lets its owner do (None: nothing)."""
        return self.kind.steps.get(self.doc.state)

    def snapshot(self) -> dict:
        """What an exported workbook showed: version, state and every value as kept text."""
        return {"version": self.doc.version, "state": self.doc.state,
                "values": {_flat_key(key): _field_of(self.kind, key[0]).store(value)
                           for key, value in self.values.flat().items() if value is not None}}


def _flat_key(key: tuple[str, int]) -> str:
    return f"{key[0]}#{key[1]}"


def _unflat(text: str) -> tuple[str, int]:
    name, _, line = text.rpartition("#")
    return name, int(line)


def _field_of(kind: DocumentType, key: str) -> Field:
    """The field of a value key: a single field, or table.field."""
    table, _, column = key.partition(".")
    part = kind.part(table)
    return part.field(column) if isinstance(part, Lines) else part


def _values(kind: DocumentType, kept: dict[tuple[str, int], str], figures: Values | None) -> Values:
    """Kept texts read back by their fields, with the figures on top (the program's, never the user's)."""
    single: dict[str, object] = {}
    lines: dict[str, dict[int, dict[str, object]]] = {t.key: {} for t in kind.tables}
    for (key, line), text in kept.items():
        try:
            f = _field_of(kind, key)
        except KeyError:  # a field an older declaration had
            continue
        if line:
            lines.setdefault(key.partition(".")[0], {}).setdefault(line, {})[key.partition(".")[2]] = f.load(text)
        else:
            single[key] = f.load(text)
    if figures is not None:
        single.update(figures.single)
        for table, rows in figures.lines.items():
            for number, row in rows.items():
                lines.setdefault(table, {}).setdefault(number, {}).update(row)
    return Values(single, lines)


def read_forms(uow: UnitOfWork, actor: Actor, kind: DocumentType, owner_codes: list[str] | None, period: str, *,
               create: bool, for_owner: bool = False) -> list[FormView]:
    """The documents of the owners (the actor's own, or those named or in scope of an MM) as their workbooks
    show them, inside the caller's unit of work; create: those missing are opened in the initial state.
    Editable for the owner as far as the state allows (for_owner: also when the actor hands the file on)."""
    owners = target_cms(uow, actor, owner_codes, verb="查看" if not create else "导出", what=kind.title)
    if create:
        for owner in owners if kind.draft.requires else ():
            kind.draft.requires(uow, owner, period)
        docs = open_documents(uow, kind.code, owners, period)
    else:
        docs = uow.documents.get_many(kind.code, owners, period)
    ordered = [docs[code] for code in owners if code in docs]
    kept = uow.values.of_many([d.id for d in ordered])
    rejections = uow.decisions.latest([d.id for d in ordered], [r.reject for r in kind.reviews.values()])
    names = uow.users.names([d.owner_code for d in ordered])
    views = []
    for doc in ordered:
        editable = frozenset(kind.open_fields(doc.state)) if doc.owner_code == actor.code or for_owner else frozenset()
        live = bool(kind.open_fields(doc.state)) or not any(_field_of(kind, k).computed for k, _ in kept[doc.id])
        figures = kind.draft.figures(uow, doc.owner_code, period) if kind.draft.figures and live else None
        # the options of the choices serve only a reader who may change them (drop-downs; take_back reads its own)
        references = kind.draft.references(uow, doc.owner_code, period) if kind.draft.references and editable else {}
        views.append(FormView(kind, doc, names.get(doc.owner_code, ""), _values(kind, kept[doc.id], figures),
                              references, rejections.get(doc.id), editable))
    return views


@dataclass
class Submitted:
    """What a filled-in file holds: each value cell's raw value and its (sheet, cell), by (value key, line), and
    what was wrong with the file's shape."""

    values: dict[tuple[str, int], object] = field(default_factory=dict)
    cells: dict[tuple[str, int], tuple[str, str]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)


def _finding(code: str, message: str, where: tuple[str, str] | None, value: object = None) -> Finding:
    sheet, cell = where or (None, None)
    return Finding(code, message, sheet=sheet, cell=cell, value=None if value is None else str(value)[:60])


def _parse(kind: DocumentType, submitted: Submitted, references: dict) -> tuple[dict, list[Finding], list[str]]:
    """Every input value of the file read by its field: kept texts by (key, line), the findings, and what was
    read otherwise than typed (full-width digits), to be said."""
    texts, findings, notes = {}, [], []
    for key, raw in submitted.values.items():
        try:
            f = _field_of(kind, key[0])
        except KeyError:
            continue
        if f.computed:
            continue
        try:
            value = f.parse(raw)
            if isinstance(f, Choice):
                f.check(value, references)
        except ValueError as exc:
            findings.append(_finding("INVALID", f"{exc}。", submitted.cells.get(key), raw))
            continue
        texts[key] = f.store(value)
        if isinstance(f, Number) and isinstance(raw, str) and texts[key] and raw.strip() != texts[key] and \
                any("０" <= ch <= "９" for ch in raw):
            sheet, cell = submitted.cells.get(key, ("", ""))
            notes.append(f"已将 {sheet}!{cell} 的“{raw.strip()}”按“{texts[key]}”读取（全角数字已转换）。")
    for key, text in texts.items():  # a bound that names another field of the same line (a score ≤ its weight)
        f = _field_of(kind, key[0])
        if isinstance(f, Number) and f.high_field and text:
            other = (f"{key[0].partition('.')[0]}.{f.high_field}" if "." in key[0] else f.high_field, key[1])
            bound = texts.get(other, "")
            if bound and float(text) > float(bound):
                findings.append(_finding("RANGE", f"“{f.label}”不能大于“{_field_of(kind, other[0]).label}”（{bound}）。",
                                         submitted.cells.get(key), text))
    return texts, findings, notes


def _label(kind: DocumentType, key: tuple[str, int]) -> str:
    f = _field_of(kind, key[0])
    if key[1]:
        return f"“{kind.part(key[0].partition('.')[0]).label}”第 {key[1]} 行的“{f.label}”"
    return f"“{f.label}”"


def _shown(text: str) -> str:
    return f"“{text[:40]}{'…' if len(text) > 40 else ''}”" if text else "空白"


def _stale_report(kind: DocumentType, exported: dict, current: dict, mine: dict, cells: dict) -> list[Finding]:
    """Per value: the user's changes first (in sheet order), then the changes made meanwhile, then collisions."""
    yours, theirs, both = [], [], []
    order = {key: n for n, key in enumerate(cells)}
    for key in sorted(set(exported) | set(current) | set(mine), key=lambda k: (order.get(k, len(order)), k)):
        was, now = exported.get(key, ""), current.get(key, "")
        typed = mine.get(key, was)
        where = cells.get(key)
        if typed != was and now != was and typed != now:
            both.append(_finding("COLLISION", f"冲突：{_label(kind, key)}您改为{_shown(typed)}，期间已被改为"
                                              f"{_shown(now)}（导出时为{_shown(was)}）", where))
        elif typed != was and now == was:
            yours.append(_finding("YOURS", f"您的修改（未保存）：{_label(kind, key)}{_shown(was)}→{_shown(typed)}", where))
        elif now != was and typed == was:
            theirs.append(_finding("THEIRS", f"期间的修改：{_label(kind, key)}{_shown(was)}→{_shown(now)}", where))
    return [*yours, *both, *theirs]


def _stale(kind: DocumentType, doc: DocumentState, snapshot: dict, report: list[Finding]) -> Refused:
    then = kind.state_label(snapshot["state"])
    step = kind.steps.get(doc.state)
    now = f"现为第 {doc.version} 版“{kind.state_label(doc.state)}”"
    if step and step.edits:
        advice = "请重新导出，把下列“您的修改”填入新表后再提交（“冲突”处请先与市场经理确认）"
    else:
        advice = f"当前状态下{kind.title}已锁定，不能再修改；如仍需修改，请与市场经理联系"
    mine = any(f.code in ("YOURS", "COLLISION") for f in report)
    return Refused(f"{kind.title}在您导出后已有变化（导出时第 {snapshot['version']} 版“{then}”，{now}），"
                   f"本次提交未保存。{advice}{'：' if mine else '。您的文件与导出时相比没有修改。'}", report)


def _locked(kind: DocumentType, doc: DocumentState, changes: list, cells: dict) -> list[Finding]:
    opened = kind.open_fields(doc.state)
    step = kind.steps.get(doc.state)
    why = step.guide if step else f"当前状态为“{kind.state_label(doc.state)}”，不能修改"
    return [_finding("LOCKED", f"{_label(kind, key)}现在不能修改：{why}。请改回{_shown(old)}。", cells.get(key), new)
            for key, old, new in changes if key[0] not in opened]


def _completeness(kind: DocumentType, values: Values, cells: dict) -> list[Finding]:
    """Required fields, the least lines of each table and the document's rules: checked when 提交 fires."""
    findings = []
    for f in kind.fields:
        if f.required and values.single.get(f.key) in (None, ""):
            findings.append(_finding("REQUIRED", f"提交前请填写{_label(kind, (f.key, 0))}。", cells.get((f.key, 0))))
    for table in kind.tables:
        filled = [n for n, row in values.lines.get(table.key, {}).items()
                  if any(row.get(f.key) not in (None, "") for f in table.fields if not f.computed)]
        first = next((cells[k] for k in cells if k[0].startswith(f"{table.key}.")), None)
        if len(filled) < table.min_lines:
            findings.append(_finding("LINES", f"“{table.label}”至少填写 {table.min_lines} 行（现有 {len(filled)} 行）。",
                                     first))
        for number in filled:
            row = values.lines[table.key][number]
            for f in table.fields:
                if f.required and row.get(f.key) in (None, ""):
                    key = (f"{table.key}.{f.key}", number)
                    findings.append(_finding("REQUIRED", f"提交前请填写{_label(kind, key)}。", cells.get(key)))
    for rule in kind.rules:
        problem = rule.check(values)
        if problem:
            findings.append(_finding("RULE", problem, cells.get((rule.field, 0))))
    return findings


def _unique(kind: DocumentType, values: Values, cells: dict) -> list[Finding]:
    """Lines of a table that repeat another's values in the columns the table keeps unique (a brand twice)."""
    findings = []
    for table in kind.tables:
        if not table.unique:
            continue
        first: dict[tuple, int] = {}
        for number, row in sorted(values.lines.get(table.key, {}).items()):
            key = tuple(row.get(f) for f in table.unique)
            if any(v in (None, "") for v in key):
                continue
            if key in first:
                what = "、".join(f"“{table.field(f).label}”" for f in table.unique)
                findings.append(_finding("DUPLICATE", f"“{table.label}”第 {number} 行与第 {first[key]} 行的{what}相同"
                                                      f"（{'、'.join(str(v) for v in key)}），请删除一行或改为别的。",
                                         cells.get((f"{table.key}.{table.unique[0]}", number)), key[0]))
            else:
                first[key] = number
    return findings


def apply_file(uow: UnitOfWork, actor: Actor, kind: DocumentType, doc: DocumentState, snapshot: dict,
               submitted: Submitted, operation: str, submission_id: int) -> tuple[list[str], int, dict]:
    """One document's values from a file, inside the caller's unit of work (no commit): every check, the values the
    state allows written with an audit row each, then 提交 fired when asked. Returns the lines to say, how many
    values changed, and what the file now stands for (its snapshot after the save); Refused when anything is wrong."""
    typed = [f for f in submitted.findings if f.code in ("FORMULA", "EXCEL_ERROR")]  # what a cell holds
    if len(typed) < len(submitted.findings):
        raise Refused(f"{kind.title}的格式被改动，全部未保存。请重新导出后再填写：", submitted.findings)
    if kind.draft.requires:
        kind.draft.requires(uow, doc.owner_code, doc.period)
    references = kind.draft.references(uow, doc.owner_code, doc.period) if kind.draft.references else {}
    mine, findings, notes = _parse(kind, submitted, references)
    if typed and len(typed) == len({(f.sheet, f.cell) for f in typed} | {(f.sheet, f.cell) for f in findings}):
        what = "公式" if all(f.code == "FORMULA" for f in typed) else "公式或 Excel 错误值"
        raise Refused(f"{kind.title}有 {len(typed)} 处填写了{what}，全部未保存。请改为直接填写的内容"
                      "（数字或文字）后重新提交：", typed)
    if typed or findings:  # every cell once: a formula is said as a formula, not also as "not a number"
        said = {(f.sheet, f.cell) for f in typed}
        findings = [*typed, *(f for f in findings if (f.sheet, f.cell) not in said)]
        raise Refused(f"{kind.title}有 {len(findings)} 处填写有误，全部未保存。请按提示修改后重新提交：", findings)
    exported = {_unflat(k): v for k, v in snapshot["values"].items()}
    current = uow.values.of_many([doc.id])[doc.id]
    inputs = {k: v for k, v in current.items() if not _field_of(kind, k[0]).computed}
    if doc.version != snapshot["version"]:
        shown = {k: v for k, v in exported.items() if not _field_of(kind, k[0]).computed}
        raise _stale(kind, doc, snapshot, _stale_report(kind, shown, inputs, mine, submitted.cells))
    changes = [(key, inputs.get(key, ""), text) for key, text in mine.items() if text != inputs.get(key, "")]
    findings = _locked(kind, doc, changes, submitted.cells)
    if findings:
        raise Refused(f"{kind.title}有 {len(findings)} 处修改当前状态不允许，全部未保存：", findings)
    after = _values(kind, {**current, **{k: new for k, _, new in changes}}, None)
    findings = _unique(kind, after, submitted.cells)
    if findings:
        raise Refused(f"{kind.title}有 {len(findings)} 处重复，全部未保存：", findings)
    step = kind.steps.get(doc.state)
    if operation == SUBMIT:
        if not step or not step.submit:
            raise Refused(f"{kind.title}当前状态为“{kind.state_label(doc.state)}”，不能提交。")
        findings = _completeness(kind, after, submitted.cells)
        if findings:
            raise Refused(f"{kind.title}还不能提交，全部未保存。请补齐后重新提交：", findings)
    figures = {k: v for k, v in exported.items() if _field_of(kind, k[0]).computed and current.get(k) != v}
    written = [(key[0], key[1], new) for key, _, new in changes] + [(k[0], k[1], v) for k, v in figures.items()]
    uow.values.put_many(doc.id, written, version=doc.version + 1)
    uow.audit.record_many([dict(actor=actor.code, action="edit", entity=kind.code, key=f"{doc.owner_code}/{doc.period}",
                                field=_flat_key(key)[:32], old=old, new=new, submission_id=submission_id)
                           for key, old, new in changes])
    if written:
        doc = uow.documents.touch(doc)
    lines = [f"已保存 {len(changes)} 处修改。" if changes else "文件中没有新的修改。"]
    lines += [f"{_label(kind, key)}：{_shown(old)}→{_shown(new)}" for key, old, new in changes[:50]]
    if len(changes) > 50:
        lines.append(f"……共 {len(changes)} 处")
    lines += notes
    if operation == SUBMIT:
        doc = move_document(uow, actor=actor, doc=doc, action=step.submit)
        lines.append(f"已{kind.workflow.transition(step.submit).label}，当前状态：{kind.state_label(doc.state)}。")
    now = {**snapshot, "version": doc.version, "state": doc.state,
           "values": {**snapshot["values"], **{_flat_key(k): new for k, _, new in changes}}}
    return lines, len(changes), now


def take_back(uow: UnitOfWork, actor: Actor, kind: DocumentType, *, owner_code: str, period: str, export_id: int,
              submitted: Submitted, operation: str, submission_id: int) -> Outcome:
    """A document's file handed back by its owner: the values the state allows saved, then 提交 fired when asked;
    all or nothing, one audit row per changed value, in one unit of work."""
    with uow:
        if owner_code != actor.code:
            raise Refused(f"这是 {owner_code} 的{kind.title}，{actor.label}不能提交。请导出并提交您自己的{kind.title}。")
        doc = uow.documents.get(kind.code, owner_code, period)
        export = uow.exports.get(export_id)
        if doc is None or export is None or export.module != kind.code or export.owner_code != owner_code:
            raise Refused(f"找不到这份{kind.title}的导出记录（可能来自另一个数据库）。请重新导出后再填写提交。")
        lines, changed, snapshot = apply_file(uow, actor, kind, doc, export.snapshot, submitted, operation,
                                              submission_id)
        uow.exports.update_snapshot(export_id, snapshot)
        outcome = Outcome(lines[0], tuple(lines[1:]), changed)
        uow.submissions.conclude(submission_id, "accepted", outcome.lines(), kind.code)
        uow.commit()
        return outcome


@dataclass(frozen=True)
class Pending:
    """A declared document awaiting its market manager's decision, with what helps decide: the kind's summary of its
    values and how many values changed since the last decision."""

    view: FormView
    summary: str
    changes: int

    @property
    def what(self) -> str:
        """What awaits (月工作计划, 月度工作总结, …)."""
        return self.view.kind.reviews[self.view.doc.state].what


def awaiting(uow: UnitOfWork, actor: Actor, period: str) -> list[Pending]:
    """Every declared document of the period, of the CMs in the actor's scope, that awaits their decision."""
    if actor.role not in (Role.MM, Role.ADMIN):
        raise Refused(f"审核由市场经理进行，{actor.label}不能审核。")
    cms = uow.users.cms_in(actor.unit_path)
    pending = []
    for kind in document_types().values():
        if not kind.reviews or not kind.parts:
            continue
        docs = [d for d in uow.documents.get_many(kind.code, cms, period).values() if d.state in kind.reviews]
        if not docs:
            continue
        kept = uow.values.of_many([d.id for d in docs])
        decided = uow.decisions.latest([d.id for d in docs], [a for r in kind.reviews.values() for a in (r.approve, r.reject)])
        names = uow.users.names([d.owner_code for d in docs])
        for doc in sorted(docs, key=lambda d: d.owner_code):
            view = FormView(kind, doc, names.get(doc.owner_code, ""), _values(kind, kept[doc.id], None), {}, None,
                            frozenset())
            since = decided[doc.id].version if doc.id in decided else 1
            pending.append(Pending(view, kind.summary(view.values) if kind.summary else "",
                                   uow.values.changed_since(doc.id, since)))
    return pending


def decide(uow: UnitOfWork, actor: Actor, kind: DocumentType, *, owner_code: str, period: str, decision: str,
           reason: str, expected_state: str, expected_version: int) -> Outcome:
    """The market manager's 审核通过 or 驳回 (a reason required, at most REASON_LIMIT characters, kept as typed) of
    the document shown to them at expected_version; one that moved on since is refused."""
    reason = (reason or "").strip()
    if decision not in (APPROVE, REJECT):
        raise Refused(f"审核意见只能是“{APPROVE}”或“{REJECT}”（填写的是“{decision}”）。")
    if decision == REJECT and not reason:
        raise Refused("驳回时必须填写驳回理由，让客户经理知道要改什么。")
    if len(reason) > REASON_LIMIT:
        raise Refused(f"驳回理由最多 {REASON_LIMIT} 个字，现有 {len(reason)} 个字，请删减后重新提交。")
    review = kind.reviews.get(expected_state)
    if review is None:
        raise Refused(f"{owner_code} 的{kind.title}不在待审核状态。")
    action = review.approve if decision == APPROVE else review.reject
    doc = transition_document(uow, actor=actor, kind=kind.code, owner_code=owner_code, period=period, action=action,
                              expected_version=expected_version, note=reason)
    return Outcome(f"{owner_code} 的 {period} {kind.title}已{decision}，当前状态：{kind.state_label(doc.state)}。")
