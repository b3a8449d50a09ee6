"""Read a submitted workbook back: _meta, then each declared sheet's rows with their cell addresses."""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field

from engine.records import Record

from openpyxl import load_workbook

from engine.errors import Finding, Refused
from workbooks.layout import BookLayout, SheetLayout
from workbooks.meta import META_SHEET, Meta


@dataclass
class SubmittedBook:
    """A whole submitted workbook: its _meta, its rows per sheet, its inputs (by key, with their (sheet, cell)),
    what was wrong with its shape, and the action the user asked for beside the file (cmw submit --action)."""

    meta: Meta
    rows: dict[str, list[Record]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    inputs: dict[str, object] = field(default_factory=dict)
    input_cells: dict[str, tuple[str, str]] = field(default_factory=dict)
    action: str | None = None


def _open(content: bytes):
    try:
        return load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise Refused("文件不是 Excel 工作簿（.xlsx），或文件已损坏。请提交从本系统导出、在 Excel 中保存的 .xlsx 文件。") from exc


def read_meta(content: bytes) -> Meta:
    """The _meta of a workbook; Refused when the file is not one of ours."""
    book = _open(content)
    try:
        if META_SHEET not in book.sheetnames:
            raise Refused("此文件不是本系统导出的工作簿（找不到隐藏的 _meta 表）。请先用“导出”生成工作簿，在其中填写后再提交。")
        pairs = {row[0]: row[1] for row in book[META_SHEET].iter_rows(max_col=2, values_only=True) if row and row[0]}
        try:
            return Meta.from_pairs(pairs)
        except ValueError as exc:
            raise Refused(f"工作簿的 _meta 表已损坏（{exc}）。请重新导出。") from exc
    finally:
        book.close()


def _is_formula(value: object) -> bool:
    return isinstance(value, str) and value.startswith("=")


def _read_sheet(book, layout: SheetLayout) -> tuple[list[Record], list[Finding]]:
    if layout.name not in book.sheetnames:
        return [], [Finding("SHEET_MISSING", f"找不到工作表“{layout.name}”。请不要删除或改名工作表，重新导出后再填写。",
                            sheet=layout.name, cell="A1")]
    sheet = book[layout.name]
    width = len(layout.columns)
    computed = {column.key for column in layout.columns if column.formula}  # our own formulas, not the user's
    totals = {total.label for total in layout.totals}  # the records end where our totals rows begin
    findings: list[Finding] = []
    rows: list[Record] = []
    for number, values in enumerate(sheet.iter_rows(min_row=layout.header_row, max_col=width, values_only=True),
                                    start=layout.header_row):
        values = tuple(values) + (None,) * (width - len(values))
        if number == layout.header_row:
            for i, column in enumerate(layout.columns):
                if (values[i] or "") != column.header:
                    findings.append(Finding("HEADER_CHANGED", f"表头应为“{column.header}”。请不要插入、删除或移动列，重新导出后再填写。",
                                            sheet=layout.name, cell=layout.cell(column.key, number), value=values[i]))
            continue
        if values[0] in totals:
            break
        if all(v is None or (isinstance(v, str) and not v.strip())
               for v, column in zip(values, layout.columns) if not column.formula):
            continue
        record = {column.key: values[i] for i, column in enumerate(layout.columns)}
        cells = {column.key: layout.cell(column.key, number) for column in layout.columns}
        for key, value in record.items():
            if key not in computed and _is_formula(value):
                findings.append(Finding("FORMULA", "这里不能填公式，请直接填写内容。", sheet=layout.name,
                                        cell=cells[key], row=number, value=value))
        rows.append(Record(layout.name, number, record, cells))
    return rows, findings


def read_book(content: bytes, layout: BookLayout, meta: Meta | None = None) -> SubmittedBook:
    """Read a submitted workbook laid out as layout; Refused when it is not ours or its template is older."""
    meta = meta or read_meta(content)
    if meta.module != layout.module:
        raise Refused(f"工作簿属于模块“{meta.module}”，不是“{layout.title}”。")
    if meta.template_version != layout.template_version:
        raise Refused(f"工作簿模板版本为 {meta.template_version}，当前为 {layout.template_version}。请重新导出后再填写提交。")
    book = _open(content)
    try:
        submitted = SubmittedBook(meta)
        for sheet_layout in layout.sheets:
            rows, findings = _read_sheet(book, sheet_layout)
            submitted.rows[sheet_layout.name] = rows
            submitted.findings.extend(findings)
            if sheet_layout.inputs and sheet_layout.name in book.sheetnames:
                sheet = book[sheet_layout.name]
                for field_ in sheet_layout.inputs:
                    submitted.inputs[field_.key] = sheet[field_.cell].value
                    submitted.input_cells[field_.key] = (sheet_layout.name, field_.cell)
        return submitted
    finally:
        book.close()
