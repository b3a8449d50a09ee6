"""The market manager's one workbook for a kind's team table (§5 brand targets): a row per CM and line, the CM's
code and name locked, the table's columns as in the CM's own workbook (derived from the declaration)."""
from __future__ import annotations

from engine.document_types import DocumentType
from engine.errors import Finding
from engine.fields import Choice, Lines
from engine.forms import FormView, Submitted
from engine.records import Record
from engine.team_forms import team_module
from workbooks.builder import SheetData
from workbooks.form import LINE, line_column, lookups_of, read_line, table_columns, take_line
from workbooks.layout import BookLayout, Column, SheetLayout

CM, CM_NAME = "cm", "cm_name"


def team_table(kind: DocumentType) -> Lines:
    """The table a market manager fills for every CM."""
    return kind.part(kind.team_table)


def team_layout(kind: DocumentType, references: dict | None = None) -> BookLayout:
    """The team workbook of kind (every input open: the reader may change every CM's lines)."""
    table = team_table(kind)
    editable = frozenset(f"{table.key}.{f.key}" for f in table.fields if not f.computed)
    columns = (Column(CM, "客户经理", 10), Column(CM_NAME, "姓名", 10), line_column(), *table_columns(table, editable))
    sheet = SheetLayout(table.label, columns, note_row=2, header_row=4, frozen_columns=3, landscape=True)
    return BookLayout(module=team_module(kind), title=f"{kind.title}（营销部）", template_version=kind.template_version,
                      sheets=(sheet,), lookups=lookups_of(references, editable))


def _offered(table: Lines, references: dict) -> int:
    """How many lines each CM is offered: as many as its first drop-down has options (one per key brand), else the
    table's maximum."""
    first = next((f for f in table.fields if isinstance(f, Choice) and f.source), None)
    return len(references.get(first.source, ())) if first and references.get(first.source) else table.max_lines


def team_data(kind: DocumentType, views: list[FormView], layout: BookLayout) -> dict[str, SheetData]:
    """Every CM's kept lines, then blank lines up to what each is offered."""
    table = team_table(kind)
    rows = []
    for view in views:
        kept = view.values.lines.get(table.key, {})
        numbers = range(1, max([_offered(table, view.references), *kept]) + 1)
        offers = table.offers(kept, numbers, view.references)
        for n in numbers:
            rows.append({CM: view.doc.owner_code, CM_NAME: view.owner_name, LINE: n,
                         **{f.key: f.show(kept.get(n, {}).get(f.key)) for f in table.fields},
                         **({table.offered: offers[n]} if n in offers else {})})
    step = views[0].step if views else None
    guide = (step.guide if step else "") + "。每位客户经理的行在一起，请不要修改“客户经理”和“序号”两列。"
    return {layout.sheets[0].name: SheetData(rows, title=f"{kind.title} — 营销部全部客户经理", notes=(guide,))}


def team_values(kind: DocumentType, layout: BookLayout, records: list[Record]) -> tuple[dict[str, Submitted], list[Finding]]:
    """The read sheet as each CM's submitted values (by value key and line), and what is wrong with its shape."""
    table = team_table(kind)
    sheet = layout.sheets[0]
    per_cm: dict[str, Submitted] = {}
    seen: dict[str, dict[int, int]] = {}
    findings: list[Finding] = []
    for record in records:
        cm = str(record.values.get(CM) or "").strip()
        submitted = per_cm.setdefault(cm, Submitted())
        mine = seen.setdefault(cm, {})
        number = read_line(record, sheet.name, mine, findings, table.max_lines)
        if number is None:
            continue
        mine[number] = record.number
        take_line(submitted, table, sheet.name, record, number)
    return per_cm, findings
