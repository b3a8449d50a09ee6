"""The checks of a document handed back, apart from reading its cells: what changed since the export (the stale
report, the user's changes first), the changes the state does not allow this user, and what 提交 needs (required
fields of the step, least lines, the kind's rules). Pure functions over the declaration and the values."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from engine.document_types import DocumentType
from engine.errors import Finding, Refused
from engine.fields import Field, Lines, Values
from engine.ports import DocumentState
from engine.workflow import Relation


def field_of(kind: DocumentType, key: str) -> Field:
    """The field of a value key: a single field, or table.field."""
    table, _, column = key.partition(".")
    part = kind.part(table)
    return part.field(column) if isinstance(part, Lines) else part


def finding(code: str, message: str, where: tuple[str, str] | None, value: object = None) -> Finding:
    sheet, cell = where or (None, None)
    return Finding(code, message, sheet=sheet, cell=cell, value=None if value is None else str(value)[:60])


def label(kind: DocumentType, key: tuple[str, int], where: tuple[str, str] | None = None) -> str:
    """A value as a user finds it: the field, or a table's line and column — on a sheet arranged across (a row per
    store, a group per SKU: Lines.across) the cell it was read from (where), as its line is no row of the sheet."""
    f = field_of(kind, key[0])
    if key[1]:
        table = kind.part(key[0].partition('.')[0])
        if where and getattr(table, "across", None):
            return f"“{where[0]}”{where[1]} 的“{f.label}”"
        return f"“{table.label}”第 {key[1]} 行的“{f.label}”"
    return f"“{f.label}”"


def shown(text: str) -> str:
    return f"“{text[:40]}{'…' if len(text) > 40 else ''}”" if text else "空白"


def stale_report(kind: DocumentType, exported: dict, current: dict, mine: dict, cells: dict) -> list[Finding]:
    """Per value: the user's changes first (in sheet order), then the changes made meanwhile, then collisions."""
    yours, theirs, both = [], [], []
    order = {key: n for n, key in enumerate(cells)}
    for key in sorted(set(exported) | set(current) | set(mine), key=lambda k: (order.get(k, len(order)), k)):
        was, now = exported.get(key, ""), current.get(key, "")
        typed = mine.get(key, was)
        if typed != was and now != was and typed != now:
            both.append(_placed(kind, key, cells, "COLLISION", f"冲突：{label(kind, key)}您改为{shown(typed)}，期间已被改为"
                                                                f"{shown(now)}（导出时为{shown(was)}）"))
        elif typed != was and now == was:
            yours.append(_placed(kind, key, cells, "YOURS", f"您的修改（未保存）：{label(kind, key)}{shown(was)}→{shown(typed)}"))
        elif now != was and typed == was:
            theirs.append(_placed(kind, key, cells, "THEIRS", f"期间的修改：{label(kind, key)}{shown(was)}→{shown(now)}"))
    return [*yours, *both, *theirs]


def _placed(kind: DocumentType, key: tuple[str, int], cells: dict, code: str, message: str) -> Finding:
    """A finding about a value, at its cell; a line the file does not have (changed meanwhile, or its row deleted)
    has none, and the finding names the value's column."""
    return Finding.at(code, message, cells.get(key), field_of(kind, key[0]).label)


def stale(kind: DocumentType, doc: DocumentState, snapshot: dict, report: list[Finding], opened: set[str],
           mine: dict, exported: dict) -> Refused:
    then = kind.state_label(snapshot["state"])
    now = f"现为第 {doc.version} 版“{kind.state_label(doc.state)}”"
    if opened:
        advice = "请重新导出，把下列“您的修改”填入新表后再提交（“冲突”处请先与市场经理确认）"
        closed = [label(kind, key) for key, text in mine.items() if text != exported.get(key, "") and
                  key[0] not in opened]
        if closed:  # e.g. a target changed in a file of the draft after the market manager confirmed it
            advice += f"；其中{'、'.join(closed[:5])}{' 等' if len(closed) > 5 else ''}在当前状态下已锁定，不能再修改"
    else:
        advice = f"当前状态下{kind.title}已锁定，不能再修改；如仍需修改，请与市场经理联系"
    changed = any(f.code in ("YOURS", "COLLISION") for f in report)
    return Refused(f"{kind.title}在您导出后已有变化（导出时第 {snapshot['version']} 版“{then}”，{now}），"
                   f"本次提交未保存。{advice}{'：' if changed else '。您的文件与导出时相比没有修改。'}", report)


def locked(kind: DocumentType, doc: DocumentState, changes: list, cells: dict, opened: set[str],
            owner: bool) -> list[Finding]:
    """The changes the actor may not make now; a field its market manager fills in is said so to its owner."""
    step = kind.steps.get(doc.state)
    why = step.guide if step else f"当前状态为“{kind.state_label(doc.state)}”，不能修改"
    theirs = {key for state, s in kind.steps.items() if s.by is Relation.SUPERVISOR for key in kind.open_fields(state)}
    return [finding("LOCKED", (f"{label(kind, key)}只能由市场经理考评时填写，客户经理不能填写" if owner and key[0] in theirs
                                else f"{label(kind, key)}现在不能修改：{why}") + f"。请改回{shown(old)}。",
                     cells.get(key), new)
            for key, old, new in changes if key[0] not in opened]


def completeness(kind: DocumentType, values: Values, cells: dict, opened: set[str]) -> list[Finding]:
    """What 提交 needs in this state: its open fields that are required, the least lines of a table it opens, and
    the rules over the fields it opens (a column's rule names its cells on the filled lines)."""
    findings = []
    for f in kind.fields:
        if f.required and f.key in opened and values.single.get(f.key) in (None, ""):
            findings.append(finding("REQUIRED", f"提交前请填写{label(kind, (f.key, 0))}。", cells.get((f.key, 0))))
    filled: dict[str, list[int]] = {}
    for table in kind.tables:
        filled[table.key] = [n for n, row in sorted(values.lines.get(table.key, {}).items())
                             if any(row.get(f.key) not in (None, "") for f in table.fields if not f.computed)]
        if not any(f"{table.key}.{f.key}" in opened for f in table.fields):
            continue
        first = next((cells[k] for k in cells if k[0].startswith(f"{table.key}.")), None)
        if len(filled[table.key]) < table.min_lines:
            findings.append(finding("LINES", f"“{table.label}”至少填写 {table.min_lines} 行（现有 "
                                              f"{len(filled[table.key])} 行）。", first))
        for number in filled[table.key]:
            row = values.lines[table.key][number]
            for f in table.fields:
                key = (f"{table.key}.{f.key}", number)
                if f.required and key[0] in opened and row.get(f.key) in (None, ""):
                    findings.append(finding("REQUIRED", f"提交前请填写{label(kind, key)}。", cells.get(key)))
    for rule in kind.rules:
        problem = rule.check(values) if rule.field in opened else None
        if not problem:
            continue
        lined = rule.field.partition(".")[0] if "." in rule.field else ""  # the rule's table, if a column's
        problem, lines = problem if isinstance(problem, tuple) else (problem, filled.get(lined, []))
        places = [cells[(rule.field, n)] for n in lines if (rule.field, n) in cells] if lined else \
            [cells[(rule.field, 0)]] if (rule.field, 0) in cells else []
        if len(places) > 1:
            problem += f"（{places[0][0]}!{'、'.join(cell for _, cell in places)}）"
        findings.append(finding("RULE", problem, places[0] if places else None))
    return findings


def unique(kind: DocumentType, values: Values, cells: dict) -> list[Finding]:
    """Lines of a table that repeat another line's values in the columns the table keeps unique (a brand twice),
    checked at every save."""
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
                findings.append(finding("DUPLICATE", f"“{table.label}”第 {number} 行与第 {first[key]} 行的{what}相同"
                                                     f"（{'、'.join(str(v) for v in key)}），请删除一行或改为别的。",
                                        cells.get((f"{table.key}.{table.unique[0]}", number)), key[0]))
            else:
                first[key] = number
    return findings


def changed_since_export(exported: Mapping, saved: Mapping, mine: Mapping, blank: object = "") -> tuple[list[tuple], bool]:
    """What handing back a file would undo, for any workbook whose export is handed back several times: each take-back
    advances what the export stands for (saved), while a copy saved before the first of them still shows the values
    as exported. Returns the values those take-backs changed that the file shows (mine: key → value as typed) —
    (key, as exported, as saved), in the order saved holds them — and whether the file shows every one of them as exported: then it
    is such a copy (a value put back on purpose while others stay is a change). A key missing from exported or saved
    is blank."""
    since = [(key, exported.get(key, blank), saved.get(key, blank)) for key in dict.fromkeys([*saved, *exported])
             if key in mine and exported.get(key, blank) != saved.get(key, blank)]
    return since, bool(since) and all(mine[key] == before for key, before, _ in since)


def undone(kind: DocumentType, snapshot: dict, mine: dict[tuple[str, int], str]) -> tuple[list[tuple], bool]:
    """changed_since_export of a declared document's file (snapshot: its export's): the values the file shows, computed
    figures never counted (an old export may also hold a field the kind no longer has)."""
    def keyed(flat_values: dict) -> dict[tuple[str, int], str]:
        found = {}
        for flat, value in flat_values.items():
            name, _, line = flat.rpartition("#")
            if (name, int(line)) in mine and not field_of(kind, name).computed:
                found[(name, int(line))] = value
        return found
    return changed_since_export(keyed(snapshot.get("exported", snapshot["values"])), keyed(snapshot["values"]), mine)


def older_copy(kind: DocumentType, since: list[tuple], cells: dict, what: str = "文件") -> Refused:
    """The refusal of an older copy of a declared document's file (undone): what it would undo, cell by cell."""
    return older_copy_refused(f"{kind.title}{what}", since, lambda key: label(kind, key), cells.get)


def older_copy_refused(what: str, since: list[tuple], name: Callable[[Any], str],
                       where: Callable[[Any], tuple[str, str] | None], show: Callable[[Any], str] = shown) -> Refused:
    """The refusal of a file that is a copy saved before its export was first handed back (changed_since_export): what
    it would undo, each value named (name), in its cell (where) as exported and as submitted (show)."""
    findings = [finding("OLDER_COPY", f"{name(key)}：文件里是导出时的{show(before)}，已提交的是{show(now)}", where(key),
                        before) for key, before, now in since[:20]]
    return Refused(f"这份{what}是较早的副本，全部未保存：用同一次导出的文件已经提交过 {len(since)} 处修改，"
                   "这份文件里它们仍是导出时的内容，保存会把它们改回去。请打开最后提交的那份文件继续修改，或重新导出；"
                   "确实要改回导出时的内容，请重新导出后修改。", findings)
