"""The workbook of any declared document type, derived from its declaration: one sheet for its single fields
(label, value, hint per row, with 本次操作 at the top when the reader may hand it back), one sheet per table of
lines (a numbered row per line), native validation from each field's type, every cell locked except the inputs
the reader may change in the document's state.
"""
from __future__ import annotations

from engine.document_types import SAVE, SUBMIT, DocumentType
from engine.fields import Arranged, Choice, Day, Field, Lines, Lookup, Number, Text, Values, grouped_key
from engine.errors import Finding
from engine.forms import FormView, Submitted
from engine.records import Record
from workbooks.builder import ALERT_FILL, RowPictures, SheetData, Tinted
from workbooks.charts import SheetChart
from workbooks.layout import BookLayout, Column, Input, LookupTable, Rule, SheetLayout

OPERATION = "operation"
LINE = "line"
PICTURES = "pictures"
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


def _column(table: Lines, f: Field, editable: frozenset[str], key: str = "", group: str = "") -> Column:
    """A field of a table as a sheet column (key: the column's own key, when the field has several; group: the
    caption of its column group)."""
    open_ = f"{table.key}.{f.key}" in editable
    return Column(key or f.key, f.label, f.width, editable=open_, numeric=isinstance(f, Number),
                  choices=f.options if open_ and isinstance(f, Choice) and not f.source else (),
                  max_length=f.max_length if open_ and isinstance(f, Text) else None,
                  hint=_hint(f) if open_ else "", rule=_rule(f) if open_ else None,
                  number_format=getattr(f, "number_format", ""), group=group)


def table_columns(table: Lines, editable: frozenset[str]) -> list[Column]:
    """A table's columns as a sheet shows them: the value keys in editable open, the others locked."""
    return [_column(table, f, editable) for f in table.fields]


def arranged(table: Lines, values: Values | None) -> Arranged | None:
    """How an arranged table's sheet lays out the document's lines (None: a line per row)."""
    return table.across.arrange((values or Values()).lines.get(table.key, {})) if table.across else None


def _table_sheet(table: Lines, editable: frozenset[str], values: Values | None) -> SheetLayout:
    across, arrangement = table.across, arranged(table, values)
    if across is None or arrangement is None:
        return SheetLayout(table.label, (line_column(), *table_columns(table, editable)), note_row=2, header_row=4,
                           frozen_columns=1, landscape=True)
    grouped = [_column(table, table.field(key), editable, grouped_key(key, n), str(group))
               for n, (group, keys) in enumerate(arrangement.groups, start=1) for key in keys]
    columns = (line_column(), _column(table, table.field(across.row), editable), *grouped,
               *(_column(table, table.field(key), editable) for key in across.shared),
               *((Column(PICTURES, across.pictures, 36),) if across.pictures else ()))
    return SheetLayout(table.label, columns, note_row=2, group_row=3, group_height=30, header_row=4, frozen_columns=2,
                       landscape=True)


def lookups_of(references: dict | None, editable: frozenset[str]) -> tuple[LookupTable, ...]:
    """The drop-downs' options on the book's lookup sheet (only for a reader who may pick them)."""
    return tuple(LookupTable(_list_name(source), f"可选项：{source}", ("选项",), tuple((o,) for o in options))
                 for source, options in sorted((references or {}).items()) if options and editable)


def form_layout(kind: DocumentType, editable: frozenset[str] = frozenset(), references: dict | None = None,
                values: Values | None = None) -> BookLayout:
    """The workbook of kind for a reader who may change the value keys editable (none: to look at only); values: the
    document's, which make the columns of an arranged table (Lines.across)."""
    operation = bool(editable) and any(step.submit for step in kind.steps.values())  # a kind saved, never submitted
    sheets = (_field_sheet(kind, editable, operation), *(_table_sheet(t, editable, values) for t in kind.tables))
    return BookLayout(module=kind.code, title=kind.title, template_version=kind.template_version, sheets=sheets,
                      lookups=lookups_of(references, editable))


def _status(view: FormView) -> str | Tinted:
    kind, doc = view.kind, view.doc
    text = f"状态：{kind.state_label(doc.state)}（第 {doc.version} 版）"
    if view.rejection is None or doc.state not in kind.steps or not kind.open_fields(doc.state):
        return text
    when = f"{view.rejection.at:%Y-%m-%d %H:%M}" if view.rejection.at else ""
    return Tinted(f"{text}　退回理由：{view.rejection.reason}（{view.rejection.actor_code}，{when}）", ALERT_FILL)


def form_data(view: FormView, layout: BookLayout, *, title: str = "",
              pictures: list[tuple[str, list[tuple[str, bytes]]]] | None = None) -> dict[str, SheetData]:
    """What each sheet of the document's workbook shows; pictures: the kind's (Draft.pictures: captions with their
    thumbnails), shown on the rows of an arranged table whose value is their caption."""
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
        arrangement = arranged(table, view.values)
        rows = [{LINE: n, **{f.key: f.show(kept.get(n, {}).get(f.key)) for f in table.fields},
                 **({table.offered: offers[n]} if n in offers else {})} for n in numbers] \
            if arrangement is None else _arranged_rows(table, arrangement, kept)
        data[sheet.name] = SheetData(rows, title=f"{kind.title} — {table.label}", notes=(table.hint or guide,),
                                     charts=_charts(kind, table, sheet, rows),
                                     pictures=_row_pictures(table, arrangement, pictures or []))
    return data


def arranged_sheet(table: Lines, values: Values) -> tuple[tuple[Column, ...], list[dict]] | None:
    """An arranged table (Lines.across) as its sheet shows it, for a print: its columns but 序号 and the pictures', and
    its rows (values as shown); None for a table of a line per row."""
    arrangement = arranged(table, values)
    if arrangement is None:
        return None
    columns = tuple(c for c in _table_sheet(table, frozenset(), values).columns if c.key not in (LINE, PICTURES))
    return columns, _arranged_rows(table, arrangement, values.lines.get(table.key, {}))


def _row_pictures(table: Lines, arrangement: Arranged | None, pictures: list) -> tuple[RowPictures, ...]:
    """The thumbnails of an arranged table's rows (a store's photos on its row), by the row's value."""
    if arrangement is None or table.across is None or not table.across.pictures:
        return ()
    by_caption = {caption: tuple(thumb for _, thumb in items) for caption, items in pictures}
    return tuple(RowPictures(n, PICTURES, by_caption[str(value)])
                 for n, (value, _) in enumerate(arrangement.rows) if by_caption.get(str(value)))


def _arranged_rows(table: Lines, arrangement: Arranged, kept: dict[int, dict]) -> list[dict]:
    """An arranged table's sheet rows: a row's value, each group's cells from its line, and the shared columns from
    the first of the row's lines that has a value."""
    across = table.across
    assert across is not None
    rows = []
    for n, (value, _) in enumerate(arrangement.rows, start=1):
        lines = [kept.get(line, {}) for line in arrangement.lines(n)]
        row = {LINE: n, across.row: table.field(across.row).show(value)}
        row.update({column: table.field(key).show(kept.get(line, {}).get(key)) for key, line, column in arrangement.cells(n)})
        for key in across.shared:
            row[key] = table.field(key).show(next((line[key] for line in lines if line.get(key) is not None), None))
        rows.append(row)
    return rows


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
                     rows: dict[str, list[Record]], values: Values | None = None):
    """A read workbook as (value key, line) → raw value and → (sheet, cell), and the findings of its shape
    (a line number changed or repeated); values: the document's as the workbook showed them, which say the lines of
    an arranged table's rows."""
    submitted = Submitted()
    for f in kind.fields:
        if f.key in inputs:
            submitted.values[(f.key, 0)] = inputs[f.key]
            submitted.cells[(f.key, 0)] = input_cells[f.key]
    for table, sheet in zip(kind.tables, layout.sheets[1:]):
        arrangement = arranged(table, values)
        seen: dict[int, int] = {}
        for record in rows.get(sheet.name, []):
            most = table.max_lines if arrangement is None else len(arrangement.rows)
            number = read_line(record, sheet.name, seen, submitted.findings, most, exact=arrangement is not None)
            if number is None:
                continue
            seen[number] = record.number
            if arrangement is None:
                take_line(submitted, table, sheet.name, record, number)
            else:
                _take_row(submitted, table, arrangement, sheet.name, record, number)
    return submitted


def _take_row(submitted: Submitted, table: Lines, arrangement: Arranged, sheet: str, record: Record, row: int) -> None:
    """A read row of an arranged table as the values of its lines: each group's cells its line's, the shared
    columns every line's of the row (each with the one cell it was read from)."""
    across = table.across
    assert across is not None
    taken = arrangement.cells(row) + [(key, line, key) for key in across.shared for line in arrangement.lines(row)]
    for key, line, column in taken:
        submitted.values[(f"{table.key}.{key}", line)] = record.values.get(column)
        submitted.cells[(f"{table.key}.{key}", line)] = (sheet, record.cells[column])


def take_line(submitted: Submitted, table: Lines, sheet: str, record: Record, number: int) -> None:
    """A read row's values as the line number of the table, each with its cell."""
    for f in table.fields:
        key = (f"{table.key}.{f.key}", number)
        submitted.values[key] = record.values.get(f.key)
        submitted.cells[key] = (sheet, record.cells[f.key])


def read_line(record: Record, sheet: str, seen: dict[int, int], findings: list[Finding], most: int = 1000, *,
              exact: bool = False) -> int | None:
    """The line number a row carries in its 序号 cell, or None (and a finding) when it was changed or repeats one of
    seen (line number → the row it was read on); at most most (exact), else at most 1000 or most."""
    number = record.values.get(LINE)
    whole = isinstance(number, (int, float)) and not isinstance(number, bool) and float(number).is_integer()
    if not whole or not 1 <= number <= (most if exact else max(most, 1000)) or int(number) in seen:
        twice = f"（与第 {seen[int(number)]} 行重复）" if whole and int(number) in seen else ""  # never int(inf)
        findings.append(Finding("LINE", f"“序号”被改动{twice}。请不要修改序号，重新导出后再填写。",
                                sheet=sheet, cell=record.cells[LINE], value=number))
        return None
    return int(number)
