"""The workbook of any declared document type, derived from its declaration: one sheet for its single fields
(label, value, hint per row, with 本次操作 at the top when the reader may hand it back), one sheet per table of
lines (a numbered row per line), native validation from each field's type, every cell locked except the inputs
the reader may change in the document's state.
"""
from __future__ import annotations

from engine.document_types import SAVE, SUBMIT, DocumentType
from engine.fields import Choice, Day, Field, Lines, Lookup, Number, Text
from engine.errors import Finding
from engine.forms import FormView, Submitted
from engine.records import Record
from workbooks.builder import ALERT_FILL, SheetData, Tinted
from workbooks.charts import SheetChart
from workbooks.layout import BookLayout, Column, Input, LookupTable, Rule, SheetLayout

OPERATION = "operation"
LINE = "line"
_FIRST_FIELD_ROW = 5  # title, state, guidance, then 本次操作 on row 4
VIEW_ONLY = "仅供查看。"


def _list_name(source: str) -> str:
    return f"options_{source}"


def _rule(f: Field) -> Rule | None:
    """The native validation of a field's cell (the Python check at submission stays the authority)."""
    if isinstance(f, Choice) and f.source:
        return Rule("list", formula=f"={_list_name(f.source)}", message=f"“{f.label}”请从下拉列表选择")
    if isinstance(f, Number):
        kind = "integer" if f.step == 1 else "decimal"
        low = "" if f.low is None else str(f.low)
        high = "" if f.high is None else str(f.high)
        return Rule(kind, low or "-1E+15", high or "1E+15", message=f"“{f.label}”应为 {f.allowed()}")
    if isinstance(f, Day):
        return Rule("date", message=f"“{f.label}”应为日期，例如 2026-12-01")
    return None


def _hint(f: Field) -> str:
    allowed = f.allowed()
    return "；".join(part for part in (f.hint, allowed, "提交时必填" if f.required else "") if part)


def _field_sheet(kind: DocumentType, editable: frozenset[str], operation: bool) -> SheetLayout:
    inputs = [Input(OPERATION, "本次操作", 4, (SAVE, SUBMIT),
                    hint=f"“{SAVE}”只保存修改；“{SUBMIT}”保存并提交（提交后不能再修改）")] if operation else []
    for row, f in enumerate(kind.fields, start=_FIRST_FIELD_ROW):
        open_ = f.key in editable
        inputs.append(Input(f.key, f.label, row, choices=f.options if isinstance(f, Choice) and not f.source else (),
                            hint=_hint(f) if open_ else "", editable=open_, numeric=isinstance(f, Number) or
                            (f.computed and bool(getattr(f, "number_format", ""))), rule=_rule(f) if open_ else None,
                            max_length=f.max_length if isinstance(f, Text) else None,
                            number_format=getattr(f, "number_format", ""), lines=getattr(f, "lines", 1)))
    return SheetLayout(kind.title.removeprefix("客户经理"), (), note_row=2, landscape=False,
                       inputs=tuple(inputs), value_width=max((getattr(f, "width", 14) for f in kind.fields), default=40))


def line_column() -> Column:
    """The 序号 column of a table's sheet: a line's identity (locked)."""
    return Column(LINE, "序号", 6, numeric=True, center=True)


def table_columns(table: Lines, editable: frozenset[str]) -> list[Column]:
    """A table's columns as a sheet shows them: the value keys in editable open, the others locked."""
    columns = []
    for f in table.fields:
        open_ = f"{table.key}.{f.key}" in editable
        columns.append(Column(f.key, f.label, f.width, editable=open_, numeric=isinstance(f, Number),
                              choices=f.options if open_ and isinstance(f, Choice) and not f.source else (),
                              max_length=f.max_length if open_ and isinstance(f, Text) else None,
                              hint=_hint(f) if open_ else "", rule=_rule(f) if open_ else None,
                              number_format=getattr(f, "number_format", "")))
    return columns


def _table_sheet(table: Lines, editable: frozenset[str]) -> SheetLayout:
    return SheetLayout(table.label, (line_column(), *table_columns(table, editable)), note_row=2, header_row=4,
                       frozen_columns=1, landscape=True)


def lookups_of(references: dict | None, editable: frozenset[str]) -> tuple[LookupTable, ...]:
    """The drop-downs' options on the book's lookup sheet (only for a reader who may pick them)."""
    return tuple(LookupTable(_list_name(source), f"可选项：{source}", ("选项",), tuple((o,) for o in options))
                 for source, options in sorted((references or {}).items()) if options and editable)


def form_layout(kind: DocumentType, editable: frozenset[str] = frozenset(), references: dict | None = None) -> BookLayout:
    """The workbook of kind for a reader who may change the value keys editable (none: to look at only)."""
    operation = bool(editable) and any(step.submit for step in kind.steps.values())  # a kind saved, never submitted
    sheets = (_field_sheet(kind, editable, operation), *(_table_sheet(t, editable) for t in kind.tables))
    return BookLayout(module=kind.code, title=kind.title, template_version=kind.template_version, sheets=sheets,
                      lookups=lookups_of(references, editable))


def _status(view: FormView) -> str | Tinted:
    kind, doc = view.kind, view.doc
    text = f"状态：{kind.state_label(doc.state)}（第 {doc.version} 版）"
    if view.rejection is None or doc.state not in kind.steps or not kind.open_fields(doc.state):
        return text
    when = f"{view.rejection.at:%Y-%m-%d %H:%M}" if view.rejection.at else ""
    return Tinted(f"{text}　退回理由：{view.rejection.reason}（{view.rejection.actor_code}，{when}）", ALERT_FILL)


def form_data(view: FormView, layout: BookLayout, *, title: str = "") -> dict[str, SheetData]:
    """What each sheet of the document's workbook shows."""
    kind = view.kind
    guide = (view.step.guide if view.step else "") if view.editable else \
        f"{VIEW_ONLY}{view.step.guide if view.step else ''}"
    notes = (_status(view), guide)
    fields = {f.key: f.show(view.values.single.get(f.key)) for f in kind.fields}
    data = {layout.sheets[0].name: SheetData([], title=title, notes=notes, inputs={**fields, OPERATION: SAVE})}
    for table, sheet in zip(kind.tables, layout.sheets[1:]):
        kept = view.values.lines.get(table.key, {})
        # the lines come from data (e.g. the weeks of the month), not only columns that follow a line's choice
        given = any(f.computed and not isinstance(f, Lookup) for f in table.fields)
        numbers = sorted(kept) if given or not view.editable else range(1, max([table.max_lines, *kept]) + 1)
        offers = table.offers(kept, numbers, view.references) \
            if f"{table.key}.{table.offered}" in view.editable else {}
        rows = [{LINE: n, **{f.key: f.show(kept.get(n, {}).get(f.key)) for f in table.fields},
                 **({table.offered: offers[n]} if n in offers else {})} for n in numbers]
        data[sheet.name] = SheetData(rows, title=f"{kind.title} — {table.label}", notes=(table.hint or guide,),
                                     charts=_charts(kind, table, sheet, rows))
    return data


def _charts(kind: DocumentType, table: Lines, sheet: SheetLayout, rows: list[dict]) -> tuple[SheetChart, ...]:
    """The kind's plots of this table over the rows as written (a chart per value of a plot's each column)."""
    charts = []
    for plot in (p for p in kind.plots if p.table == table.key):
        for value, at, series in plot.drawn(rows):
            charts.append(SheetChart(plot.kind, plot.title.format(each=value), sheet.index(plot.category),
                                     sheet.first_data_row - 1 + at[0], sheet.first_data_row - 1 + at[-1],
                                     tuple((table.field(v).label, sheet.index(v)) for v in series), plot.percent))
    return tuple(charts)


def submitted_values(kind: DocumentType, layout: BookLayout, inputs: dict, input_cells: dict,
                     rows: dict[str, list[Record]]):
    """A read workbook as (value key, line) → raw value and → (sheet, cell), and the findings of its shape
    (a line number changed or repeated)."""
    submitted = Submitted()
    for f in kind.fields:
        if f.key in inputs:
            submitted.values[(f.key, 0)] = inputs[f.key]
            submitted.cells[(f.key, 0)] = input_cells[f.key]
    for table, sheet in zip(kind.tables, layout.sheets[1:]):
        seen: dict[int, int] = {}
        for record in rows.get(sheet.name, []):
            number = read_line(record, sheet.name, seen, submitted.findings, table.max_lines)
            if number is None:
                continue
            seen[number] = record.number
            take_line(submitted, table, sheet.name, record, number)
    return submitted


def take_line(submitted: Submitted, table: Lines, sheet: str, record: Record, number: int) -> None:
    """A read row's values as the line number of the table, each with its cell."""
    for f in table.fields:
        key = (f"{table.key}.{f.key}", number)
        submitted.values[key] = record.values.get(f.key)
        submitted.cells[key] = (sheet, record.cells[f.key])


def read_line(record: Record, sheet: str, seen: dict[int, int], findings: list[Finding], most: int = 1000) -> int | None:
    """The line number a row carries in its 序号 cell, or None (and a finding) when it was changed or repeats one of
    seen (line number → the row it was read on)."""
    number = record.values.get(LINE)
    if not isinstance(number, (int, float)) or isinstance(number, bool) or not float(number).is_integer() \
            or not 1 <= number <= max(most, 1000) or int(number) in seen:
        twice = f"（与第 {seen[int(number)]} 行重复）" if isinstance(number, (int, float)) and int(number) in seen else ""
        findings.append(Finding("LINE", f"“序号”被改动{twice}。请不要修改序号，重新导出后再填写。",
                                sheet=sheet, cell=record.cells[LINE], value=number))
        return None
    return int(number)
