"""Read a submitted workbook back: _meta, then each declared sheet's rows with their cell addresses.

The .xlsx is read straight from its XML parts (zipfile + ElementTree), as openpyxl's read-only mode would show the
cells with data_only=False — numbers, text (shared or inline), booleans, dates by the cell's number format, a
formula as a Formula (its "=…" text, told apart from a text cell that only starts with "=": only a real formula, an
<f> element, is refused in an input cell) and an error value (#N/A …) as an ExcelError — but in one pass over
each sheet instead of openpyxl's object model: a city CM's 200-row big table reads in a few milliseconds.
"""
from __future__ import annotations

import gc
import io
import posixpath
import zipfile
import zlib
from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError, fromstring, iterparse

from openpyxl.formula.translate import Translator
from openpyxl.styles.numbers import builtin_format_code, is_date_format, is_timedelta_format
from openpyxl.utils.cell import column_index_from_string
from openpyxl.utils.datetime import CALENDAR_MAC_1904, WINDOWS_EPOCH, from_excel, from_ISO8601

from engine.errors import Finding, Refused
from engine.numbers import Percent
from engine.records import Record
from workbooks.layout import BookLayout, SheetLayout, column_letter
from workbooks.meta import META_SHEET, Meta

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_PACKAGE_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_ROW, _CELL, _VALUE, _FORMULA, _INLINE = (f"{_MAIN}{tag}" for tag in ("row", "c", "v", "f", "is"))
_TEXT, _RUN = f"{_MAIN}t", f"{_MAIN}r"
_DATA, _DIMENSION, _ITEM = f"{_MAIN}sheetData", f"{_MAIN}dimension", f"{_MAIN}si"
_NOT_A_WORKBOOK = "文件不是 Excel 工作簿（.xlsx），或文件已损坏。请提交从本系统导出、在 Excel 中保存的 .xlsx 文件。"
_DIGITS = "0123456789"
#: What a workbook of ours can hold, checked before anything is parsed (a zip bomb or a sheet filled to its last row
#: is refused at once, in bounded memory): all its parts unpacked, how many parts, and the last row of a sheet
#: holding a value (a city CM's table has ~500 rows; the _meta sheet a dozen).
MAX_UNPACKED = 50 * 1024 * 1024
MAX_PARTS = 2000
MAX_ROWS = 10_000
MAX_STRINGS = 200_000  # distinct texts of a workbook (ours: a few thousand)
MAX_PART = 5 * 1024 * 1024  # a part read whole (workbook, relationships, styles), not as a stream
_MB = 1024 * 1024


class Formula(str):
    """A cell's formula as its "=…" text: a str, marked so that stored text beginning with "=" stays text."""


class ExcelError(str):
    """An error value a cell holds (#N/A, #VALUE!, #REF!, …) instead of a value."""


#: The error values Excel writes (t="e"), told to the user as what they mean.
EXCEL_ERRORS = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA")


@dataclass
class SubmittedBook:
    """A whole submitted workbook: its _meta, its rows per sheet, its inputs (by key, with their (sheet, cell)),
    what was wrong with its shape, and the operation the user asked for beside the file (cmw submit --operation)."""

    meta: Meta
    rows: dict[str, list[Record]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    inputs: dict[str, object] = field(default_factory=dict)
    input_cells: dict[str, tuple[str, str]] = field(default_factory=dict)
    operation: str | None = None
    ignored: list[str] = field(default_factory=list)  # what the user added and the reading left out, to be said


@dataclass
class _Grid:
    """A sheet's cell values in columns 1..width: row number → values (None where empty), its last row, and the
    columns past width that hold something (0-based column → the first row with content there)."""

    rows: dict[int, list]
    last_row: int
    beyond: dict[int, int] = field(default_factory=dict)


def _text(node) -> str:
    """A string item's text without its formatting: its plain text, then its runs' (not the phonetic guides)."""
    if len(node) == 1 and node[0].tag == _TEXT:  # the usual plain string
        return node[0].text or ""
    plain = node.findtext(_TEXT)
    runs = [run.findtext(_TEXT) for run in node.iterfind(_RUN)]
    return "".join(part for part in (plain, *runs) if part is not None)


def _number(text: str) -> int | float:
    return float(text) if "." in text or "E" in text or "e" in text else int(text)


def _row_number(text: str) -> int:
    number = float(text)
    if not number.is_integer():
        raise ValueError(f"{text} is not a valid row number")
    return int(number)


class _Workbook:
    """A submitted .xlsx opened for reading: its sheets by name; each sheet parsed when asked for.

    Anything malformed (not a zip, a part missing, broken XML, a string index out of range) raises one of _DAMAGED,
    which the callers turn into one refusal."""

    def __init__(self, content: bytes):
        self._zip = zipfile.ZipFile(io.BytesIO(content))
        _check_size(self._zip)
        main = self._related("", "/officeDocument") or ["xl/workbook.xml"]
        root = self._small(main[0])
        properties = root.find(f"{_MAIN}workbookPr")
        date1904 = properties is not None and properties.get("date1904", "").lower() in ("1", "true")
        self._epoch = CALENDAR_MAC_1904 if date1904 else WINDOWS_EPOCH
        parts = {rel.get("Id"): target for rel, target in self._relationships(main[0])}
        names = set(self._zip.namelist())
        self.sheets: dict[str, str] = {}
        self.hidden: set[str] = set()
        for sheet in root.iterfind(f"{_MAIN}sheets/{_MAIN}sheet"):
            part = parts.get(sheet.get(_REL_ID))
            if part in names and sheet.get("name") is not None:
                self.sheets[sheet.get("name")] = part
                if sheet.get("state") in ("hidden", "veryHidden"):
                    self.hidden.add(sheet.get("name"))
        strings = self._related(main[0], "/sharedStrings")
        self._strings_part = strings[0] if strings else None
        styles = self._related(main[0], "/styles") or ["xl/styles.xml"]
        self._styles_part = styles[0] if styles[0] in names else None
        self._strings: list[str] | None = None
        self._dates: tuple[set[int], set[int], set[int]] | None = None

    def _relationships(self, part: str):
        """(relationship element, target part) of a part's .rels, targets resolved against the part's folder."""
        folder, name = posixpath.split(part)
        rels = posixpath.join(folder, "_rels", f"{name}.rels")
        if rels not in self._zip.namelist():
            return []
        found = []
        for rel in self._small(rels).iter(_PACKAGE_RELS):
            target = rel.get("Target", "")
            target = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            found.append((rel, target))
        return found

    def _small(self, part: str):
        """A part that is parsed whole; Refused when it is far larger than ours ever are."""
        size = self._zip.getinfo(part).file_size
        if size > MAX_PART:
            raise Refused(f"文件中的“{part}”解压后有 {size / _MB:,.0f} MB，远超本系统工作簿的大小，没有读取。"
                          "请重新导出，只在黄色单元格中填写后再提交。")
        return fromstring(self._zip.read(part))

    def _related(self, part: str, kind: str) -> list[str]:
        return [target for rel, target in self._relationships(part) if rel.get("Type", "").endswith(kind)]

    @property
    def strings(self) -> list[str]:
        """The shared strings table (as openpyxl reads it, _x005F_ escapes dropped), parsed as a stream."""
        if self._strings is None:
            self._strings = []
            if self._strings_part:
                table = None
                with self._zip.open(self._strings_part) as stream:
                    for event, item in iterparse(stream, ("start", "end")):
                        if event == "start":
                            table = item if table is None else table
                        elif item.tag == _ITEM:
                            self._strings.append(_text(item).replace("x005F_", ""))
                            table.remove(item)  # read: keep only its text
                            if len(self._strings) > MAX_STRINGS:
                                raise Refused(f"文件中的不同文字超过 {MAX_STRINGS:,} 条，远超本系统工作簿，没有读取。"
                                              "请重新导出，只在黄色单元格中填写后再提交。")
        return self._strings

    @property
    def dates(self) -> tuple[set[int], set[int], set[int]]:
        """The style indexes whose number format shows a date (and, of those, a duration), and those that show a
        percentage (95% typed in Excel is kept as 0.95 in such a style)."""
        if self._dates is None:
            dates, durations, percents = set(), set(), set()
            if self._styles_part:
                root = self._small(self._styles_part)
                custom = {int(f.get("numFmtId", -1)): f.get("formatCode")
                          for f in root.iterfind(f"{_MAIN}numFmts/{_MAIN}numFmt")}
                for index, xf in enumerate(root.iterfind(f"{_MAIN}cellXfs/{_MAIN}xf")):
                    number = int(xf.get("numFmtId", 0))
                    code = custom[number] if number in custom else builtin_format_code(number)
                    if is_date_format(code):
                        dates.add(index)
                    if is_timedelta_format(code):
                        durations.add(index)
                    if code and "%" in code.replace('"%"', "").replace("\\%", ""):
                        percents.add(index)
            self._dates = dates, durations, percents
        return self._dates

    def grid(self, name: str, width: int, max_rows: int = MAX_ROWS) -> _Grid:
        """The values of columns 1..width of every row of the sheet, parsed as a stream (each row freed once read);
        Refused as soon as a row past max_rows holds a value."""
        letters = {column_letter(i): i for i in range(width)}
        rows: dict[int, list] = {}
        beyond: dict[int, int] = {}
        shared: dict[str, Translator] = {}
        last, number, data = 0, 0, None
        with self._zip.open(self.sheets[name]) as stream:
            for event, element in iterparse(stream, ("start", "end")):
                tag = element.tag
                if event == "start":
                    if tag == _DATA:
                        data = element
                    continue
                if tag == _DIMENSION:  # its last row, as openpyxl's read-only sheets go that far
                    last = min(max_rows, int("0" + "".join(c for c in element.get("ref", "").split(":")[-1]
                                                           if c in _DIGITS)))
                elif tag == _ROW:
                    number = _row_number(element.get("r")) if element.get("r") else number + 1
                    values = self._row(element, number, width, letters, shared, beyond)
                    if values is not None:
                        if number > max_rows:
                            raise Refused(_too_many_rows(name, number, max_rows))
                        rows[number] = values
                    if data is not None:
                        data.remove(element)  # the row is read: keep nothing of it
        return _Grid(rows, max(last, max(rows, default=0)), beyond)

    def _row(self, row, number: int, width: int, letters: dict[str, int], shared: dict,
             beyond: dict[int, int]) -> list | None:
        """A row's values in columns 1..width (None when no cell of the row holds anything); a column past width
        that holds something is noted in beyond (with its first such row)."""
        values, column, filled = [None] * width, -1, False
        for cell in row:
            if cell.tag != _CELL:
                continue
            ref = cell.get("r")
            if ref:
                head = ref.rstrip(_DIGITS)
                column = letters[head] if head in letters else column_index_from_string(head) - 1
            else:
                column += 1
            if len(cell):  # a cell without children is empty, whatever its type
                filled = True
                if column < width:
                    values[column] = self._value(cell, ref or f"{column_letter(column)}{number}", shared)
                else:
                    beyond.setdefault(column, number)
        return values if filled else None

    def _value(self, cell, ref: str, shared: dict[str, Translator]) -> object:
        """A cell's value as openpyxl (read-only, data_only=False) gives it; a formula as its "=…" text."""
        formula = inline = value = None
        for child in cell:
            tag = child.tag
            if tag == _VALUE:
                value = child.text if value is None else value
            elif tag == _INLINE:
                inline = child
            elif tag == _FORMULA:
                formula = child
        if formula is not None:
            text = "=" + (formula.text or "")
            if formula.get("t") == "shared":
                index = formula.get("si")
                if index in shared:
                    return Formula(shared[index].translate_formula(ref))
                if text != "=":
                    shared[index] = Translator(text, ref)
            return Formula(text)  # array and data-table formulas too: all that matters is that it is a formula
        kind = cell.get("t", "n")
        if kind == "inlineStr":
            return None if inline is None else _text(inline)
        if not value:
            return None
        if kind == "n":
            value = _number(value)
            style = int(cell.get("s") or 0)
            dates, durations, percents = self.dates
            if style in dates:
                try:
                    return from_excel(value, self._epoch, timedelta=style in durations)
                except (OverflowError, ValueError):
                    return ExcelError("#VALUE!")
            return Percent(value) if style in percents else value
        if kind == "s":
            index = int(value)
            if index < 0:  # Python would read -1 as the last string: a damaged file, not a value
                raise IndexError(f"shared string {index}")
            return self.strings[index]
        if kind == "b":
            return bool(int(value))
        if kind == "d":
            return from_ISO8601(value)
        if kind == "e":
            return ExcelError(value.strip())
        return value


_DAMAGED = (zipfile.BadZipFile, KeyError, ValueError, OSError, ParseError, IndexError, EOFError, zlib.error)


def _check_size(archive: zipfile.ZipFile) -> None:
    """Refuse, before anything is unpacked, a workbook whose parts would unpack to more than ours ever hold (the
    sizes the zip declares bind: zipfile never unpacks a part past its declared size)."""
    parts = archive.infolist()
    unpacked = sum(part.file_size for part in parts)
    if len(parts) > MAX_PARTS or unpacked > MAX_UNPACKED:
        raise Refused(f"文件解压后有 {unpacked / _MB:,.0f} MB（{len(parts)} 个部件），超出本系统工作簿的上限 "
                      f"{MAX_UNPACKED // _MB} MB，没有读取。它不是本系统导出的表，或被加入了大量内容（例如整列填满到"
                      "最后一行）。请重新导出，只在黄色单元格中填写后再提交。")


def _too_many_rows(sheet: str, row: int, limit: int) -> str:
    return (f"工作表“{sheet}”的第 {row:,} 行有内容，超出本表最多 {limit:,} 行的范围，没有读取。请删除表格下方多余的内容"
            "（例如整列填充到最后一行），或重新导出后再填写提交。")


def _open(content: bytes) -> _Workbook:
    try:
        return _Workbook(content)
    except _DAMAGED as exc:
        raise Refused(_NOT_A_WORKBOOK) from exc


def _grid(book: _Workbook, name: str, width: int) -> _Grid:
    # A sheet's ~25,000 XML elements, garbage once read, would otherwise set off collections that promote them through
    # the generations and so bring on a full collection of the whole process (60-100 ms in a long-running add-in)
    # in the middle of the user's submission. The parse makes no reference cycles: reference counting frees it all.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return book.grid(name, width)
    except _DAMAGED as exc:
        raise Refused(_NOT_A_WORKBOOK) from exc
    finally:
        if collecting:
            gc.enable()


def read_meta(content: bytes) -> Meta:
    """The _meta of a workbook; Refused when the file is not one of ours."""
    book = _open(content)
    if META_SHEET not in book.sheets:
        raise Refused("此文件不是本系统导出的工作簿（找不到隐藏的 _meta 表）。请先用“导出”生成工作簿，在其中填写后再提交。")
    grid = _grid(book, META_SHEET, 2)
    pairs = {row[0]: row[1] for _, row in sorted(grid.rows.items()) if row[0]}
    try:
        return Meta.from_pairs(pairs)
    except ValueError as exc:
        raise Refused(f"工作簿的 _meta 表已损坏（{exc}）。请重新导出。") from exc


def _problem_code(value: object) -> str:
    return "FORMULA" if isinstance(value, Formula) else "EXCEL_ERROR"


def cell_problem(value: object) -> str | None:
    """Why a value read from an input cell cannot be taken as typed (a formula, an error value), else None."""
    if isinstance(value, Formula):
        return "这里不能填公式，请直接填写内容。"
    if isinstance(value, ExcelError):
        return f"单元格显示 Excel 错误值 {value}，不是可以保存的内容。请删除错误值，直接填写内容。"
    return None


def _read_sheet(grid: _Grid, layout: SheetLayout) -> tuple[list[Record], list[Finding]]:
    width = len(layout.columns)
    keys = [column.key for column in layout.columns]
    letters = [column_letter(i) for i in range(width)]
    computed = {column.key for column in layout.columns if column.formula}  # our own formulas, not the user's
    typed = [i for i, column in enumerate(layout.columns) if not column.formula]
    totals = {total.label for total in layout.totals}  # the records end where our totals rows begin
    findings: list[Finding] = []
    rows: list[Record] = []
    if grid.last_row < layout.header_row:
        return rows, findings
    header = grid.rows.get(layout.header_row) or [None] * width
    for i, column in enumerate(layout.columns):
        if (header[i] or "") != column.header:
            findings.append(Finding("HEADER_CHANGED", f"表头应为“{column.header}”。请不要插入、删除或移动列，重新导出后再填写。",
                                    sheet=layout.name, cell=f"{letters[i]}{layout.header_row}", value=header[i]))
    for number in sorted(n for n in grid.rows if n > layout.header_row):
        values = grid.rows[number]
        if values[0] in totals:
            break
        if all(values[i] is None or (isinstance(values[i], str) and not values[i].strip()) for i in typed):
            continue
        record = dict(zip(keys, values))
        cells = {key: f"{letter}{number}" for key, letter in zip(keys, letters)}
        for key, value in record.items():
            problem = None if key in computed else cell_problem(value)
            if problem:
                findings.append(Finding(_problem_code(value), problem,
                                        sheet=layout.name, cell=cells[key], row=number, value=value))
        rows.append(Record(layout.name, number, record, cells))
    return rows, findings


def _input_position(cell: str) -> tuple[int, int]:
    """(row, 0-based column) of an A1 address."""
    head = cell.rstrip(_DIGITS)
    return int(cell[len(head):]), column_index_from_string(head) - 1


def read_book(content: bytes, layout: BookLayout, meta: Meta | None = None) -> SubmittedBook:
    """Read a submitted workbook laid out as layout; Refused when it is not ours or its template is older."""
    meta = meta or read_meta(content)
    if meta.module != layout.module:
        raise Refused(f"工作簿属于模块“{meta.module}”，不是“{layout.title}”。")
    if meta.template_version != layout.template_version:
        raise Refused(f"工作簿模板版本为 {meta.template_version}，当前为 {layout.template_version}。请重新导出后再填写提交。")
    book = _open(content)
    submitted = SubmittedBook(meta)
    for sheet_layout in layout.sheets:
        if sheet_layout.name not in book.sheets:
            submitted.rows[sheet_layout.name] = []
            submitted.findings.append(Finding(
                "SHEET_MISSING", f"找不到工作表“{sheet_layout.name}”。请不要删除或改名工作表，重新导出后再填写。",
                sheet=sheet_layout.name, cell="A1"))
            continue
        inputs = {field_.key: (field_.cell, *_input_position(field_.cell)) for field_ in sheet_layout.inputs}
        # an input's hint stands in the column after its value: ours, not an added column
        width = max([len(sheet_layout.columns)] + [column + 2 for _, _, column in inputs.values()])
        grid = _grid(book, sheet_layout.name, width)
        submitted.ignored += [f"“{sheet_layout.name}”表中您加的 {column_letter(column)} 列（第 {row} 行起有内容）"
                              for column, row in sorted(grid.beyond.items())]
        rows, findings = _read_sheet(grid, sheet_layout)
        submitted.rows[sheet_layout.name] = rows
        submitted.findings.extend(findings)
        for key, (cell, row, column) in inputs.items():
            value = submitted.inputs[key] = (grid.rows.get(row) or [None] * width)[column]
            submitted.input_cells[key] = (sheet_layout.name, cell)
            if problem := cell_problem(value):  # a form's field, 本次操作: the same as a row's cell
                submitted.findings.append(Finding(_problem_code(value), problem, sheet=sheet_layout.name, cell=cell,
                                                  value=value))
    submitted.ignored += _added_sheets(book, meta)
    return submitted


#: Sheets of ours besides those the file was made with: _meta and the ribbon's 提示 (problems of the last submission).
_OURS = (META_SHEET, "提示")


def _added_sheets(book: _Workbook, meta: Meta) -> list[str]:
    """The sheets the user added (a file says which it was made with; an older one says nothing, and is not judged)."""
    if not meta.sheets:
        return []
    made = set(meta.sheets.split("|")) | set(_OURS)
    return [f"您加的{'隐藏' if name in book.hidden else ''}工作表“{name}”" for name in book.sheets if name not in made]
