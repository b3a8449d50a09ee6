"""Use cases of every declared document type: read documents as their workbooks show them, and take a filled-in
file back. One unit of work each; audit rows inside it. The market manager's side — what awaits them and their
decision — is engine/review.py's.

A file is compared three ways, value by value — as exported, as submitted, as stored now. When the document
moved on since the export (someone else's change or a decision), nothing is saved and the user gets a per-value
report: their changes first, in the order of the sheet, then the changes made meanwhile, and the collisions.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from engine.actors import Actor
from engine.document_types import SUBMIT, DocumentType
from engine.documents import move_document, open_documents
from engine.errors import Finding, Refused
from engine.exports import Handout, hand_out
from engine.fields import Choice, Lookup, Number, Values
from engine.ports import Decision, DocumentState, UnitOfWork
from engine.records import Outcome
from engine.form_checks import (completeness, field_of, finding, label, locked, older_copy, shown, stale, stale_report,
                                undone, unique)
from engine.policy import relation_of, require, supervises
from engine.scope import owner_of, target_cms
from engine.workflow import Relation


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
                "values": {_flat_key(key): field_of(self.kind, key[0]).store(value)
                           for key, value in self.values.flat().items() if value is not None}}


def _flat_key(key: tuple[str, int]) -> str:
    return f"{key[0]}#{key[1]}"


def _unflat(text: str) -> tuple[str, int]:
    name, _, line = text.rpartition("#")
    return name, int(line)


def kept_values(kind: DocumentType, kept: dict[tuple[str, int], str], figures: Values | None) -> Values:
    """Kept texts read back by their fields, with the figures on top (the program's, never the user's)."""
    single: dict[str, object] = {}
    lines: dict[str, dict[int, dict[str, object]]] = {t.key: {} for t in kind.tables}
    for (key, line), text in kept.items():
        try:
            f = field_of(kind, key)
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
    for part in kind.tables:  # the columns that follow another of their line (an indicator's unit and actual)
        for f in part.fields:
            if isinstance(f, Lookup):
                for row in lines.get(part.key, {}).values():
                    row[f.key] = f.follow(row.get(f.source), single)
    return Values(single, lines)


def exported_values(kind: DocumentType, snapshot: dict) -> Values:
    """The values an exported workbook showed (its export's snapshot), figures included."""
    return kept_values(kind, {_unflat(k): v for k, v in snapshot["values"].items()}, None)


def edits(kind: DocumentType, doc: DocumentState, actor: Actor, *, for_owner: bool = False) -> bool:
    """Whether the actor is who edits the document in its state: its owner (or an MM handing the owner's file on,
    for_owner), or — in a state its market manager fills in — a market manager or administrator (whose scope the
    caller has checked), also in a folder of the department's files."""
    if kind.editor(doc.state) is Relation.SUPERVISOR:
        return actor.code != doc.owner_code and supervises(actor, f"edit:{kind.code}")
    return doc.owner_code == actor.code or for_owner


def _live(kind: DocumentType, doc: DocumentState, kept: dict) -> bool:
    """Whether the figures are read from the data now: while the owner may still change the document (or nothing was
    kept yet); a document locked to its owner shows the figures they saved — its market manager scores those."""
    owner_edits = kind.editor(doc.state) is Relation.OWNER and bool(kind.open_fields(doc.state))
    return owner_edits or not any(field_of(kind, k).computed for k, _ in kept)


def read_forms(uow: UnitOfWork, actor: Actor, kind: DocumentType, owner_codes: list[str] | None, period: str, *,
               create: bool, for_owner: bool = False) -> list[FormView]:
    """The documents of the owners (the actor's own, or those named or in scope of an MM) as their workbooks
    show them, inside the caller's unit of work; create: those missing are opened in the initial state.
    Editable for the owner as far as the state allows (for_owner: also when the actor hands the file on)."""
    owners = target_cms(uow, actor, owner_codes, f"view:{kind.code}")
    if create:
        requires = kind.draft.requires
        if requires is not None:
            for owner in owners:
                requires(uow, owner, period)
        docs = open_documents(uow, kind.code, owners, period, lock=False)
    else:
        docs = uow.documents.get_many(kind.code, owners, period)
    ordered = [docs[code] for code in owners if code in docs]
    kept = uow.values.of_many([d.id for d in ordered])
    rejections = uow.decisions.latest([d.id for d in ordered], [r.reject for r in kind.reviews.values()])
    names = uow.users.names([d.owner_code for d in ordered])
    live = [doc.owner_code for doc in ordered if _live(kind, doc, kept[doc.id])]
    figured = kind.draft.many(uow, live, period) if kind.draft.many and live else {}  # set-based, one read for all
    views = []
    for doc in ordered:
        editable = frozenset(kind.open_fields(doc.state)) if edits(kind, doc, actor, for_owner=for_owner) \
            else frozenset()
        figures = figured.get(doc.owner_code) if kind.draft.many else \
            kind.draft.figures(uow, doc.owner_code, period) if kind.draft.figures and doc.owner_code in live else None
        # the options of the choices serve only a reader who may change them (drop-downs; take_back reads its own)
        references = kind.draft.references(uow, doc.owner_code, period) if kind.draft.references and editable else {}
        views.append(FormView(kind, doc, names.get(doc.owner_code, ""), kept_values(kind, kept[doc.id], figures),
                              references, rejections.get(doc.id), editable))
    return views


def hand_out_forms(uow: UnitOfWork, actor: Actor, kind: DocumentType, owner_codes: list[str] | None, period: str, *,
                   for_owner: bool) -> tuple[list[FormView], list[int], str]:
    """The documents' workbooks to hand out (read_forms; those missing opened in the initial state), one export
    recorded for each with what it shows, in one unit of work: the views, their export ids, the actor's company."""
    def read(uow: UnitOfWork) -> tuple[list[FormView], list[Handout]]:
        views = read_forms(uow, actor, kind, owner_codes, period, create=True, for_owner=for_owner)
        return views, [Handout(kind.code, v.doc.owner_code, kind.template_version, v.snapshot()) for v in views]
    return hand_out(uow, actor, read)


@dataclass
class Submitted:
    """What a filled-in file holds: each value cell's raw value and its (sheet, cell), by (value key, line), and
    what was wrong with the file's shape."""

    values: dict[tuple[str, int], object] = field(default_factory=dict)
    cells: dict[tuple[str, int], tuple[str, str]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)


def _parse(kind: DocumentType, submitted: Submitted, references: dict,
           period: str) -> tuple[dict, list[Finding], list[str]]:
    """Every input value of the file read by its field (a date without its year in the document's period's: Day):
    kept texts by (key, line), the findings, and what was read otherwise than typed (full-width digits), to be said."""
    texts: dict = {}
    findings: list[Finding] = []
    notes: list[str] = []
    for key, raw in submitted.values.items():
        try:
            f = field_of(kind, key[0])
        except KeyError:
            continue
        if f.computed:
            continue
        try:
            value = f.parse(raw, period=period)
            if isinstance(f, Choice):
                f.check(value, references)
        except ValueError as exc:
            if not any((f.sheet, f.cell) == submitted.cells.get(key) for f in findings):  # a shared cell said once
                findings.append(finding("INVALID", f"{exc}。", submitted.cells.get(key), raw))
            continue
        texts[key] = f.store(value)
        if isinstance(f, Number) and isinstance(raw, str) and texts[key] and raw.strip() != texts[key] and \
                any("０" <= ch <= "９" for ch in raw):
            sheet, cell = submitted.cells.get(key, ("", ""))
            notes.append(f"已将 {sheet}!{cell} 的“{raw.strip()}”按“{texts[key]}”读取（全角数字已转换）。")
    for table in kind.tables:
        for key in table.offered_only(texts):  # a line left as the workbook offered it (a brand, nothing else): no line
            texts[key] = ""
    return texts, findings, notes


def _over_bounds(kind: DocumentType, mine: dict, stored: dict, cells: dict) -> list[Finding]:
    """The values typed above a bound that names another field of the same line (a score ≤ its weight), or on a line
    without that bound (a score on an empty line): the bound as the file has it, else as stored (a locked weight a
    file left out still bounds its score)."""
    found = []
    for key, text in mine.items():
        f = field_of(kind, key[0])
        if isinstance(f, Number) and f.high_field and text:
            other = (f"{key[0].partition('.')[0]}.{f.high_field}" if "." in key[0] else f.high_field, key[1])
            bound, bound_label = mine.get(other) or stored.get(other, ""), field_of(kind, other[0]).label
            if not bound and "." in key[0]:  # a score on a line without its weight: a line that is not there
                found.append(finding("RANGE", f"这一行没有“{bound_label}”，不能填写“{f.label}”；请删除这个"
                                              f"{f.label}（只给有指标的行打分）。", cells.get(key), text))
            elif bound and float(text) > float(bound):
                found.append(finding("RANGE", f"“{f.label}”不能大于“{bound_label}”（{bound}）。", cells.get(key), text))
    return found


def _opened(uow: UnitOfWork, kind: DocumentType, doc: DocumentState, actor: Actor) -> set[str]:
    """The value keys this actor may change in the document's state (none when the state is another's to fill)."""
    if kind.editor(doc.state) is Relation.SUPERVISOR:
        owner = uow.users.owner(doc.owner_code)
        who = relation_of(actor, owner) if owner else None
        return kind.open_fields(doc.state) if who is Relation.SUPERVISOR else set()
    if actor.code == doc.owner_code:
        return kind.open_fields(doc.state)
    if kind.team_table:  # a market manager filling the team table of the department's CMs (engine.team_forms)
        owner = uow.users.owner(doc.owner_code)
        if owner and relation_of(actor, owner) is Relation.SUPERVISOR:
            return {key for key in kind.open_fields(doc.state) if key.startswith(f"{kind.team_table}.")}
    return set()


def apply_file(uow: UnitOfWork, actor: Actor, kind: DocumentType, doc: DocumentState, snapshot: dict,
               submitted: Submitted, operation: str, submission_id: int | None, *,
               copies: bool = True) -> tuple[list[str], int, dict]:
    """One document's values from a file, inside the caller's unit of work (no commit): every check, the values this
    actor may change in the state written with an audit row each, then 提交 fired when asked. Returns the lines to
    say, how many values changed, and what the file now stands for (its snapshot after the save); Refused when
    anything is wrong — also when the file is an older copy of one handed back before (copies: the caller judges
    that over a file of many documents, file_undoes)."""
    typed = [f for f in submitted.findings if f.code in ("FORMULA", "EXCEL_ERROR")]  # what a cell holds
    if len(typed) < len(submitted.findings):
        raise Refused(f"{kind.title}的格式被改动，全部未保存。请重新导出后再填写：", submitted.findings)
    if kind.draft.requires:
        kind.draft.requires(uow, doc.owner_code, doc.period)
    references = kind.draft.references(uow, doc.owner_code, doc.period) if kind.draft.references else {}
    mine, findings, notes = _parse(kind, submitted, references, doc.period)
    current = uow.values.of_many([doc.id])[doc.id]
    inputs = {k: v for k, v in current.items() if not field_of(kind, k[0]).computed}
    findings += _over_bounds(kind, mine, inputs, submitted.cells)
    if typed and len(typed) == len({(f.sheet, f.cell) for f in typed} | {(f.sheet, f.cell) for f in findings}):
        what = "公式" if all(f.code == "FORMULA" for f in typed) else "公式或 Excel 错误值"
        raise Refused(f"{kind.title}有 {len(typed)} 处填写了{what}，全部未保存。请改为直接填写的内容"
                      "（数字或文字）后重新提交：", typed)
    if typed or findings:  # every cell once: a formula is said as a formula, not also as "not a number"
        said = {(f.sheet, f.cell) for f in typed}
        findings = [*typed, *(f for f in findings if (f.sheet, f.cell) not in said)]
        raise Refused(f"{kind.title}有 {len(findings)} 处填写有误，全部未保存。请按提示修改后重新提交：", findings)
    exported = {_unflat(k): v for k, v in snapshot["values"].items()}
    opened = _opened(uow, kind, doc, actor)
    if doc.version != snapshot["version"]:
        as_shown = {k: v for k, v in exported.items() if not field_of(kind, k[0]).computed}
        raise stale(kind, doc, snapshot, stale_report(kind, as_shown, inputs, mine, submitted.cells), opened,
                    mine, as_shown)
    since, reverted = undone(kind, snapshot, mine)
    if reverted and copies:
        raise older_copy(kind, since, submitted.cells)
    changes = [(key, inputs.get(key, ""), text) for key, text in mine.items() if text != inputs.get(key, "")]
    findings = locked(kind, doc, changes, submitted.cells, opened, actor.code == doc.owner_code)
    if findings:
        raise Refused(f"{kind.title}有 {len(findings)} 处修改当前状态不允许，全部未保存：", findings)
    figures = {k: v for k, v in exported.items() if field_of(kind, k[0]).computed and current.get(k) != v
               and not isinstance(field_of(kind, k[0]), Lookup)}  # a lookup follows its line: never kept
    # the document as this save leaves it: the figures the file showed are kept with it (a rule may read them)
    after = kept_values(kind, {**current, **figures, **{k: new for k, _, new in changes}}, None)
    findings = unique(kind, after, submitted.cells)
    if findings:
        raise Refused(f"{kind.title}有 {len(findings)} 处重复，全部未保存：", findings)
    step = kind.steps.get(doc.state)
    submit = step.submit if step else None
    if operation == SUBMIT and not changes and snapshot.get("submitted") == doc.state:
        operation = ""  # this very file's 提交 took effect already (handed back twice): nothing to do again
        notes = [*notes, f"这份文件已提交过，{kind.title}当前状态为“{kind.state_label(doc.state)}”，无需再次提交。"]
    if operation == SUBMIT:
        if not submit:
            raise Refused(f"{kind.title}当前状态为“{kind.state_label(doc.state)}”，不能提交。")
        if kind.editor(doc.state) is Relation.SUPERVISOR and actor.code == doc.owner_code:
            raise Refused(f"{kind.title}当前状态为“{kind.state_label(doc.state)}”，由市场经理填写并"
                          f"{kind.workflow.transition(submit).label}，您不需要再提交。")
        findings = completeness(kind, after, submitted.cells, opened)
        if findings:
            raise Refused(f"{kind.title}还不能提交，全部未保存。请补齐后重新提交：", findings)
    written = [(key[0], key[1], new) for key, _, new in changes] + [(k[0], k[1], v) for k, v in figures.items()]
    uow.values.put_many(doc.id, written, version=doc.version + 1)
    uow.audit.record_many([dict(actor=actor.code, action="edit", entity=kind.code, key=f"{doc.owner_code}/{doc.period}",
                                field=_flat_key(key)[:32], old=old, new=new, submission_id=submission_id)
                           for key, old, new in changes])
    if written:
        doc = uow.documents.touch(doc)
    lines = [f"已保存 {len(changes)} 处修改。" if changes else "文件中没有新的修改。"]
    told = dict.fromkeys(f"{label(kind, key, submitted.cells.get(key))}：{shown(old)}→{shown(new)}"
                         for key, old, new in changes[:50])  # a cell shared by lines (a store's date) said once
    lines += list(told)
    if len(changes) > 50:
        lines.append(f"……共 {len(changes)} 处")
    lines += notes
    fired = snapshot.get("submitted")  # the state this file's 提交 left the document in
    if operation == SUBMIT and submit:
        doc = move_document(uow, actor=actor, doc=doc, transition=submit)
        lines.append(f"已{kind.workflow.transition(submit).label}，当前状态：{kind.state_label(doc.state)}。")
        fired = doc.state
    now = {**snapshot, "version": doc.version, "state": doc.state, "submitted": fired,
           "exported": snapshot.get("exported", snapshot["values"]),  # as the workbook was written: older_copy
           "values": {**snapshot["values"], **{_flat_key(k): new for k, _, new in changes}}}
    return lines, len(changes), now


def file_undoes(uow: UnitOfWork, kind: DocumentType, doc: DocumentState, snapshot: dict,
                submitted: Submitted) -> tuple[list[tuple], bool]:
    """engine.form_checks.undone of a document's part of a file: what handing it back would undo, and whether the
    file shows all of it as exported."""
    references = kind.draft.references(uow, doc.owner_code, doc.period) if kind.draft.references else {}
    return undone(kind, snapshot, _parse(kind, submitted, references, doc.period)[0])


def take_back(uow: UnitOfWork, actor: Actor, kind: DocumentType, *, owner_code: str, period: str, export_id: int,
              submitted: Submitted, operation: str, submission_id: int) -> Outcome:
    """A document's file handed back by its owner (or, for a kind with a state its market manager fills in, by
    them): the values the state allows this actor saved, then 提交 fired when asked; all or nothing, one audit row
    per changed value, in one unit of work."""
    with uow:
        require(actor, f"edit:{kind.code}", owner_of(uow, owner_code))
        doc = uow.documents.lock(kind.code, owner_code, period)
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
