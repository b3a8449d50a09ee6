"""Reading an import file (CSV in any encoding Chinese Excel writes, or .xlsx) into a table of text."""
from __future__ import annotations

import codecs
import csv
import gzip
import io
import re
import zlib
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

import pandas as pd

from engine.errors import Refused, os_reason

#: What Chinese Excel writes as "CSV" is GBK; GB18030 is its superset, so it reads both.
_CHINESE_ENCODING = "gb18030"
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
#: A gzip-compressed CSV: a month's orders archive (`cmw archive orders`), read as the CSV inside it.
_GZIP_MAGIC = b"\x1f\x8b"
#: What is read to tell the kind of file and the delimiter; the encoding is checked a block at a time.
_HEAD, _BLOCK = 1 << 16, 1 << 24


@dataclass(frozen=True)
class Table:
    """The file's data rows as text: columns named by the header text, index = data row number from 0.

    The index counts every record after the header, blank ones too, so that `index + 2` is the row
    number the user sees in Excel (header row 1). Blank records are dropped after numbering.
    """

    frame: pd.DataFrame
    filename: str

    @property
    def headers(self) -> list[str]:
        """The header texts, as in the file."""
        return list(self.frame.columns)

    def excel_rows(self, positions) -> list[int]:
        """Row numbers as the user sees them, for positions into the frame."""
        return [int(i) + 2 for i in self.frame.index[positions]]


def read_table(path: Path, compact: bool = False) -> Table:
    """Read a CSV or .xlsx file (first sheet) as text, header in the first row.

    compact: each column as a pandas categorical (per cell a small whole number into the column's distinct texts).
    A city month of orders (~4M lines × 9 columns) held as a Python string per cell took ~1 GB; its columns repeat
    a few hundred SKUs, prices and dates and ~200,000 order numbers, so as categoricals it takes ~100 MB (the CSV
    parser makes the categories from its own buffers, a block at a time, without a string per cell)."""
    try:
        with path.open("rb") as file:
            head = file.read(_HEAD)
        packed = head.startswith(_GZIP_MAGIC)
        if packed:
            with gzip.open(path, "rb") as file:
                head = file.read(_HEAD)
        if head.startswith(_ZIP_MAGIC) and not packed:
            content = path.read_bytes()
        elif not head.startswith(_OLE_MAGIC):
            encoding = _encoding(path, head, packed)
    except (OSError, EOFError, zlib.error) as exc:  # EOFError: a gzip file cut short; zlib.error: garbled inside
        if isinstance(exc, (EOFError, zlib.error, gzip.BadGzipFile)):
            raise Refused(f"{path.name} 是损坏或不完整的压缩文件（.gz），无法读取。请重新复制或重新生成这个文件。") from None
        raise Refused(f"无法打开文件 {path}：{os_reason(exc)}。") from None
    if head.startswith(_OLE_MAGIC):
        raise Refused(f"{path.name} 是旧版 Excel（.xls）文件，请在 Excel 中“另存为” .xlsx 或 CSV 后再导入。")
    if head.startswith(_ZIP_MAGIC) and not packed:
        frame = _read_xlsx(content, path.name)
        if compact:
            frame = frame.astype("category")
    else:
        frame = _read_csv(path, head, encoding, "category" if compact else str, packed)
    frame.columns = [_header_text(h) for h in frame.columns]
    frame = frame.loc[:, [bool(h) for h in frame.columns]]
    blank = (frame == "").all(axis=1).to_numpy()
    if blank.any():
        frame = frame.loc[~blank]
    if frame.empty:
        raise Refused(f"{path.name} 里没有数据行：第 1 行应是列名，数据从第 2 行开始。")
    return Table(frame, path.name)


def _header_text(header: object) -> str:
    # pandas names header cells it finds blank "Unnamed: 3"; those columns carry nothing we read
    text = str(header).strip()
    return "" if text.startswith("Unnamed: ") else text


def _encoding(path: Path, head: bytes, packed: bool = False) -> str:
    """UTF-8 (with or without its mark) or GB18030, checked over the whole file a block at a time (a city month of
    orders is 300 MB: never held whole, neither as bytes nor as text)."""
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    for encoding in ("utf-8", _CHINESE_ENCODING):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with (gzip.open(path, "rb") if packed else path.open("rb")) as file:
                while block := file.read(_BLOCK):
                    decoder.decode(block)
            decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            continue
    raise Refused("无法识别文件的文字编码。请在 Excel 中另存为“CSV UTF-8（逗号分隔）”或 .xlsx 后再导入。")


def _delimiter(head: bytes) -> str:
    first_line = head.split(b"\n", 1)[0]
    return "\t" if first_line.count(b"\t") > first_line.count(b",") else ","


def _read_csv(path: Path, head: bytes, encoding: str, kind, packed: bool = False) -> pd.DataFrame:
    if kind == "category" and not packed and encoding in ("utf-8", "utf-8-sig"):
        frame = _read_csv_arrow(path, head)
        if frame is not None:
            return frame
    try:
        # header=None keeps repeated header texts as they are (pandas would rename the second "x" to "x.1")
        frame = pd.read_csv(
            path, encoding=encoding, sep=_delimiter(head), dtype=kind, header=None, compression="gzip" if packed else None,
            keep_default_na=False, na_filter=False, skip_blank_lines=False, skipinitialspace=True,
        )
    except pd.errors.EmptyDataError:
        raise Refused(f"{path.name} 是空文件。") from None
    except (pd.errors.ParserError, ValueError) as exc:
        raise Refused(f"{path.name} 不是有效的 CSV 文件：{_parser_complaint(exc)}") from None
    header, data = frame.iloc[0], frame.iloc[1:]
    data.columns = [str(h) for h in header]
    data.index = data.index - 1
    return data


def _read_csv_arrow(path: Path, head: bytes) -> pd.DataFrame | None:
    """A large UTF-8 CSV read as categoricals by Arrow's CSV reader (both cores, a column's distinct texts made once:
    a province month of orders, 40M lines, in 12 s instead of pandas' 27 s; a city month in 1.2 s instead of 2.5 s),
    or None where the file is not plain enough for it to read as pandas would — a row with more or fewer cells than
    the header, a cell starting with a space (pandas drops it): then pandas reads it, and says what is wrong in its
    words. A blank line is a row of blank cells in both (dropped after numbering, so that row numbers are Excel's); a
    line break inside a quoted cell is kept in both. tests/unit/test_reading.py holds the two readings side by side."""
    try:
        import pyarrow as pa
        import pyarrow.compute as arrow_compute
        import pyarrow.csv as arrow_csv
    except ImportError:  # a 32-bit Windows Python: no Arrow for it (pyproject.toml); pandas reads the file
        return None

    first = head.split(b"\n", 1)[0].rstrip(b"\r")
    delimiter = _delimiter(head)
    width = len(next(csv.reader([first.decode("utf-8-sig", "replace")], delimiter=delimiter), []))
    names = [f"c{n}" for n in range(width)]
    pool = pa.system_memory_pool()  # what the blocks took goes back to the system: the rest of the import needs it
    try:
        batches = arrow_csv.open_csv(
            path, memory_pool=pool, read_options=arrow_csv.ReadOptions(column_names=names, block_size=1 << 23),
            parse_options=arrow_csv.ParseOptions(delimiter=delimiter, ignore_empty_lines=False,
                                                 newlines_in_values=True),
            convert_options=arrow_csv.ConvertOptions(column_types={n: pa.string() for n in names},
                                                     strings_can_be_null=False, quoted_strings_can_be_null=False))
        parts: list[list] = [[] for _ in names]  # per column, per block: its rows coded into the block's texts
        header: list[str] = []
        for batch in batches:  # a block at a time: the file's text is never held whole
            if not header:
                header = [column[0].as_py() for column in batch.columns] if batch.num_rows else []
                batch = batch.slice(1)
            for n, column in enumerate(batch.columns):
                parts[n].append(arrow_compute.dictionary_encode(column, memory_pool=pool))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, UnicodeDecodeError):
        return None
    if not header or not sum(len(part) for part in parts[0]):
        return None
    frame = {}
    for n in range(len(names)):  # the blocks' texts made one list per column (Arrow's own, no Python string each)
        coded, parts[n] = pa.chunked_array(parts[n], type=pa.dictionary(pa.int32(), pa.string())), []
        frame[n] = coded.to_pandas()
        del coded
        if frame[n].cat.categories.str.match(r"\s").any():
            return None
    pool.release_unused()
    _give_back_freed_memory()
    data = pd.DataFrame(frame, copy=False)
    data.columns = header
    return data


def _give_back_freed_memory() -> None:
    """glibc keeps what the blocks' many small buffers freed (a city month: ~300 MB) for the process to use again;
    the import needs it at once, but as the process's peak it would count twice (the issue's 1 GiB a city month):
    hand it back to the system. Elsewhere (Windows, musl) nothing."""
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    try:
        trim = getattr(ctypes.CDLL(name), "malloc_trim", None) if name else None
    except OSError:
        return
    if trim is not None:
        trim(0)


def _parser_complaint(exc: Exception) -> str:
    found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
    if found:
        wanted, line, saw = found.groups()
        return f"第 {line} 行有 {saw} 个值，比列名（{wanted} 列）多。请检查该行是否多了逗号，或含逗号的内容没有加引号。"
    return str(exc).splitlines()[0]


def _read_xlsx(content: bytes, filename: str) -> pd.DataFrame:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # a zip that is no workbook, a damaged file
        raise Refused(f"{filename} 不是有效的 .xlsx 工作簿：{type(exc).__name__}") from None
    try:
        rows = [[cell_text(v) for v in row] for row in book.worksheets[0].iter_rows(min_row=1, values_only=True)]
    finally:
        book.close()
    if not rows:
        raise Refused(f"{filename} 的第一个工作表是空的。")
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    return pd.DataFrame(rows[1:], columns=rows[0], dtype=str)


def cell_text(value: object) -> str:
    """A spreadsheet cell as the text a user sees: 12 not 12.0, dates as yyyy-mm-dd, booleans 是/否."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d}" if value.time() == time(0) else f"{value:%Y-%m-%d %H:%M:%S}"
    if isinstance(value, date):
        return f"{value:%Y-%m-%d}"
    return str(value).strip()
