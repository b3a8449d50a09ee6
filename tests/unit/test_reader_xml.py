"""Reading a submitted .xlsx straight from its XML: the values openpyxl would show (its read-only mode is the
oracle), shared and rich strings as Excel and LibreOffice write them, formulas of every kind seen and refused,
and a damaged file refused in one sentence."""
from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, time

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.formula import ArrayFormula

from engine.errors import Refused
from workbooks.layout import BookLayout, Column, Input, SheetLayout, Total
from workbooks.meta import META_SHEET, Meta
from workbooks.reader import Formula, read_book, read_meta

SHEET = "清单"
META = Meta(module="demo", template_version=2, owner="cm001", owner_name="张三", period="2026-11", document_id=7,
            document_version=3, exported_by="cm001", exported_at="2026-11-02 08:00:00", company="示例市烟草公司")
LAYOUT = BookLayout(module="demo", title="示例", template_version=2, sheets=(SheetLayout(
    SHEET, (Column("code", "编码"), Column("text", "文字", editable=True), Column("number", "数值", editable=True),
            Column("when", "日期", editable=True), Column("sum", "合计", formula="=LEN({text})")),
    header_row=3, inputs=(Input("operation", "本次操作", 2),), totals=(Total("合计", ()),)),))


def _book() -> Workbook:
    """A workbook of the layout, with its _meta, written by openpyxl."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet["A2"], sheet["B2"] = "本次操作", "提交"
    for i, column in enumerate(LAYOUT.sheets[0].columns, start=1):
        sheet.cell(3, i, column.header)
    meta = book.create_sheet(META_SHEET)
    for key, value in META.pairs():
        meta.append([key, value])
    meta.sheet_state = "veryHidden"
    return book


def _bytes(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _records(content: bytes):
    read = read_book(content, LAYOUT)
    return read, [r.values for r in read.rows[SHEET]]


def test_values_are_those_openpyxl_shows():
    book = _book()
    sheet = book[SHEET]
    rows = [("S1", "甲", 3, datetime(2026, 1, 2, 3, 4)), ("S2", "  ", 2.5, date(2026, 1, 2)), ("S3", None, True, time(3, 4)),
            ("S4", "0012", 1e20, 45000), ("S5", "x", -7, "2026-01-02")]
    for n, values in enumerate(rows, start=4):
        for i, value in enumerate(values, start=1):
            sheet.cell(n, i, value)
        sheet.cell(n, 5, f"=LEN(B{n})")
    sheet.cell(5, 4).number_format = "yyyy/mm/dd"
    sheet.cell(7, 4).number_format = "[h]:mm"
    sheet.cell(11, 1, "合计")
    content = _bytes(book)
    oracle = load_workbook(io.BytesIO(content), read_only=True)[SHEET]
    expected = [dict(zip(("code", "text", "number", "when", "sum"), values))
                for values in oracle.iter_rows(min_row=4, max_row=8, max_col=5, values_only=True)]
    read, records = _records(content)
    assert records == expected and read.findings == []
    assert records[0]["when"] == datetime(2026, 1, 2, 3, 4) and records[3]["number"] == 1e20
    assert read.inputs == {"operation": "提交"} and read.input_cells == {"operation": (SHEET, "B2")}
    assert [r.cells["number"] for r in read.rows[SHEET]] == ["C4", "C5", "C6", "C7", "C8"]
    assert read_meta(content) == META


def test_blank_rows_are_skipped_and_the_records_end_at_the_totals():
    book = _book()
    sheet = book[SHEET]
    sheet["A4"], sheet["B4"] = "S1", "甲"
    sheet["E5"] = "=LEN(B5)"  # only our own formula: a blank row
    sheet["B6"] = "   "
    sheet["A8"], sheet["C8"] = "S2", 1
    sheet["A9"] = "合计"
    sheet["A10"] = "S3"  # under the totals: not a record
    read, records = _records(_bytes(book))
    assert [(r.number, r.values["code"]) for r in read.rows[SHEET]] == [(4, "S1"), (8, "S2")]


def test_a_formula_of_any_kind_in_an_input_cell_is_refused_where_it_is():
    book = _book()
    sheet = book[SHEET]
    sheet["A4"], sheet["B4"], sheet["E4"] = "S1", '=A4&"x"', "=LEN(B4)"
    sheet["A5"], sheet["C5"] = "S2", ArrayFormula("C5:C5", "=SUM(1,2)")
    read, records = _records(_bytes(book))
    assert [(f.code, f.cell, f.value) for f in read.findings] == [("FORMULA", "B4", '=A4&"x"'), ("FORMULA", "C5", "=SUM(1,2)")]
    assert records[0]["sum"] == "=LEN(B4)"


def test_the_header_and_the_sheets_are_checked():
    book = _book()
    book[SHEET]["B3"] = "改过"
    read = read_book(_bytes(book), LAYOUT)
    assert [(f.code, f.cell, f.value) for f in read.findings] == [("HEADER_CHANGED", "B3", "改过")]
    book[SHEET].title = "别的"
    read = read_book(_bytes(book), LAYOUT)
    assert [(f.code, f.sheet) for f in read.findings] == [("SHEET_MISSING", SHEET)] and read.rows[SHEET] == []


# A workbook as Excel writes it: shared strings (one rich, with a phonetic guide), a shared formula, a cell and a row
# without their r attribute, a custom date format, and the 1904 calendar.
_MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
_PARTS = {
    "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                           '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                           '<Default Extension="xml" ContentType="application/xml"/>'
                           '<Override PartName="/xl/book.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                           '<Override PartName="/xl/sheets/one.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                           '<Override PartName="/xl/sheets/meta.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                           '<Override PartName="/xl/strings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
                           '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
                           '</Types>',
    "_rels/.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
                   'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/book.xml"/>'
                   '</Relationships>',
    "xl/_rels/book.xml.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                              '<Relationship Id="a" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="sheets/one.xml"/>'
                              '<Relationship Id="b" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/sheets/meta.xml"/>'
                              '<Relationship Id="c" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="strings.xml"/>'
                              '<Relationship Id="d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
                              '</Relationships>',
    "xl/book.xml": f'<workbook {_MAIN} {_R}><workbookPr date1904="1"/><sheets><sheet name="{SHEET}" sheetId="1" r:id="a"/>'
                   f'<sheet name="_meta" sheetId="2" state="veryHidden" r:id="b"/></sheets></workbook>',
    "xl/strings.xml": f'<sst {_MAIN}><si><t>编码</t></si><si><t>文字</t></si><si><t>数值</t></si><si><t>日期</t></si>'
                      f'<si><t>合计</t></si><si><r><t>东城</t></r><r><rPr><b/></rPr><t xml:space="preserve">区 </t></r>'
                      f'<rPh sb="0" eb="1"><t>ドン</t></rPh></si><si><t>S1</t></si><si><t/></si></sst>',
    "xl/styles.xml": f'<styleSheet {_MAIN}><numFmts count="1"><numFmt numFmtId="170" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/>'
                     f'</numFmts><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="170"/></cellXfs></styleSheet>',
    "xl/sheets/one.xml": f'<worksheet {_MAIN}><dimension ref="A1:E6"/><sheetData>'
                         '<row r="2"><c r="A2" t="inlineStr"><is><t>本次操作</t></is></c><c r="B2" t="str"><v>保存</v></c></row>'
                         '<row r="3"><c r="A3" t="s"><v>0</v></c><c t="s"><v>1</v></c><c r="C3" t="s"><v>2</v></c>'
                         '<c r="D3" t="s"><v>3</v></c><c r="E3" t="s"><v>4</v></c></row>'
                         '<row><c r="A4" t="s"><v>6</v></c><c r="B4" t="s"><v>5</v></c><c r="C4"><v>12</v></c>'
                         '<c r="D4" s="1"><v>1</v></c><c r="E4"><f>LEN(B4)</f><v>4</v></c></row>'
                         '<row r="5"><c r="A5" t="inlineStr"><is><t>S2</t></is></c><c r="B5" t="s"><v>7</v></c>'
                         '<c r="C5" t="b"><v>1</v></c><c r="D5" t="str"><f t="shared" ref="D5:D6" si="0">C5*2</f><v>2</v></c></row>'
                         '<row r="6"><c r="A6" t="inlineStr"><is><t>S3</t></is></c><c r="D6"><f t="shared" si="0"/><v>0</v></c>'
                         '<c r="F6" t="inlineStr"><is><t>beyond the layout</t></is></c></row></sheetData></worksheet>',
}


def _excel_like(**replaced: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in {**_PARTS, **replaced}.items():
            archive.writestr(name, text)
        meta = "".join(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>{k}</t></is></c>'
                       f'<c r="B{n}" t="inlineStr"><is><t>{v}</t></is></c></row>' for n, (k, v) in enumerate(META.pairs(), 1))
        archive.writestr("xl/sheets/meta.xml", f"<worksheet {_MAIN}><sheetData>{meta}</sheetData></worksheet>")
    return buffer.getvalue()


def test_a_workbook_as_excel_writes_it():
    content = _excel_like()
    assert read_meta(content) == META
    read, records = _records(content)
    assert records[0] == {"code": "S1", "text": "东城区 ", "number": 12, "when": datetime(1904, 1, 2), "sum": "=LEN(B4)"}
    assert records[1]["text"] == "" and records[1]["number"] is True
    assert [(f.cell, f.value) for f in read.findings] == [("D5", "=C5*2"), ("D6", "=C6*2")]
    assert read.inputs["operation"] == "保存"


@pytest.mark.parametrize("content", [
    b"PK not really a zip",
    _excel_like(**{"xl/sheets/one.xml": _PARTS["xl/sheets/one.xml"][:-40]}),
    _excel_like(**{"xl/book.xml": "<workbook"}),
    _excel_like(**{"xl/strings.xml": f"<sst {_MAIN}/>"}),
])
def test_a_damaged_file_is_refused_in_one_sentence(content):
    with pytest.raises(Refused, match="文件不是 Excel 工作簿（.xlsx），或文件已损坏"):
        read_book(content, LAYOUT, META)


def test_a_workbook_without_meta_is_not_ours():
    book = _book()
    del book[META_SHEET]
    with pytest.raises(Refused, match="找不到隐藏的 _meta 表"):
        read_meta(_bytes(book))


def _with_row_four(cells: str) -> bytes:
    """The Excel-like workbook with its row 4 replaced by cells (XML of <c> elements)."""
    sheet = _PARTS["xl/sheets/one.xml"]
    start, end = sheet.index("<row><c r=\"A4\""), sheet.index("<row r=\"5\">")
    return _excel_like(**{"xl/sheets/one.xml": sheet[:start] + f'<row r="4">{cells}</row>' + sheet[end:]})


@pytest.mark.parametrize("text", ["=abc", "=SUM(1,1)", "+1+1 示例路", "-2+3", "@SUM(1,1)"])
def test_text_that_starts_like_a_formula_is_text(text):
    """Only an <f> element is a formula: a text cell keeps its text, however it begins (issue #11, item 0)."""
    for cell in (f'<c r="B4" t="inlineStr"><is><t>{text}</t></is></c>', f'<c r="B4" t="str"><v>{text}</v></c>'):
        read, records = _records(_with_row_four(f'<c r="A4" t="s"><v>6</v></c>{cell}'))
        assert records[0]["text"] == text and not isinstance(records[0]["text"], Formula)
        assert [f.cell for f in read.findings] == ["D5", "D6"]  # row 5's shared formula only


@pytest.mark.parametrize("error", ["#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!"])
def test_an_excel_error_value_in_an_input_cell_is_refused_as_such(error):
    read, records = _records(_with_row_four(f'<c r="A4" t="s"><v>6</v></c><c r="B4" t="e"><v>{error}</v></c>'))
    found = [(f.code, f.cell) for f in read.findings if f.row == 4]
    assert found == [("EXCEL_ERROR", "B4")] and error in read.findings[0].text() and "错误值" in read.findings[0].text()


def test_a_shared_string_index_below_zero_is_a_damaged_file():
    """-1 would be the last string to Python; to a spreadsheet it is no string at all."""
    with pytest.raises(Refused, match="文件已损坏"):
        read_book(_with_row_four('<c r="A4" t="s"><v>6</v></c><c r="B4" t="s"><v>-1</v></c>'), LAYOUT, META)


@pytest.mark.parametrize("version", ["abc", "1e999", "inf", "-inf", "nan", "NaN", "sNaN", "99999999999999999999", "1.5",
                                     "-3", "１e９９９"])
def test_a_meta_number_that_is_no_whole_number_is_refused_in_chinese(version):
    book = _book()
    meta = book[META_SHEET]
    for row in meta.iter_rows():
        if row[0].value == "template_version":
            row[1].value = version
    with pytest.raises(Refused, match="_meta 表已损坏") as refused:
        read_meta(_bytes(book))
    assert "template_version" in refused.value.message and not any(
        word in refused.value.message for word in ("could not", "convert", "invalid", "Overflow", "float"))


def test_a_formula_or_an_error_value_in_an_input_field_is_refused_where_it_is():
    """A form's field (here 本次操作) is read like a row's cell: a formula or #N/A is no value (issue #11, item 7d)."""
    book = _book()
    book[SHEET]["B2"] = "=1+1"
    read = read_book(_bytes(book), LAYOUT)
    assert [(f.code, f.cell) for f in read.findings] == [("FORMULA", "B2")]
    sheet = _PARTS["xl/sheets/one.xml"].replace('<c r="B2" t="str"><v>保存</v></c>', '<c r="B2" t="e"><v>#N/A</v></c>')
    read = read_book(_excel_like(**{"xl/sheets/one.xml": sheet}), LAYOUT, META)
    assert ("EXCEL_ERROR", "B2") in [(f.code, f.cell) for f in read.findings]
