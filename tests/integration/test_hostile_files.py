"""Bombs are refused early and cheaply (issue 11, item 6d): a value on a sheet's last row, a zip whose sheet unpacks
to more than a gigabyte, a file with 100,000 bad cells — each one short refusal, its file kept, in bounded memory."""
from __future__ import annotations

import json
import subprocess
import sys
import zipfile

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from addin.handlers.big_table import export_plan
from addin.handlers.submission import submit_workbook
from engine.errors import FINDINGS_LISTED, Refused
from storage.schema import Submission
from tests.analysis_helpers import MONTH
from tests.integration.big_table_helpers import FIRST, LAYOUT, actor_of, generate_plan
from workbooks.big_table import DEFAULT_ACTIONS

LAST_ROW = 1_048_576


@pytest.fixture
def table(app, tmp_path):
    """cm001's exported big table."""
    generate_plan(app, "cm001")
    path = tmp_path / "大表.xlsx"
    export_plan(app, actor_of(app, "cm001"), MONTH, path)
    return path


def bomb(path, target, unpacked: int) -> None:
    """The file with its first sheet replaced by one that unpacks to `unpacked` bytes (written as a stream)."""
    chunk = b'<row><c t="n"><v>1</v></c></row>' * 32768
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for item in source.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                out.writestr(item, source.read(item.filename))
                continue
            with out.open(item.filename, "w", force_zip64=True) as sheet:
                sheet.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                            b'spreadsheetml/2006/main"><sheetData>')
                written = 0
                while written < unpacked:
                    sheet.write(chunk)
                    written += len(chunk)
                sheet.write(b"</sheetData></worksheet>")


def refused_and_kept(app, content: bytes) -> tuple[Refused, Submission]:
    with pytest.raises(Refused) as refused:
        submit_workbook(app, actor_of(app, "cm001"), "bomb.xlsx", content)
    with app.sessions() as session:
        kept = session.scalars(select(Submission).order_by(Submission.id.desc())).first()
    assert kept.outcome == "refused" and kept.content == content
    return refused.value, kept


def test_a_value_on_the_last_row_is_refused_at_once(app, table):
    book = load_workbook(table)
    book[LAYOUT.name][f"A{LAST_ROW}"] = "x"
    book.save(table)
    refusal, kept = refused_and_kept(app, table.read_bytes())
    assert "第 1,048,576 行有内容" in refusal.message and "最多 10,000 行" in refusal.message
    assert refusal.findings == () and len(kept.messages) < 1000


def test_a_zip_whose_sheet_unpacks_past_a_gigabyte_is_refused_before_unpacking(app, table, tmp_path):
    target = tmp_path / "bomb.xlsx"
    bomb(table, target, 1100 * 1024 * 1024)
    assert target.stat().st_size < 20 * 1024 * 1024
    refusal, _ = refused_and_kept(app, target.read_bytes())
    assert "解压后有 1,100 MB" in refusal.message and "上限 50 MB" in refusal.message


def test_100000_bad_cells_are_one_short_refusal(app, table):
    book = load_workbook(table)
    sheet = book[LAYOUT.name]
    rows = -(-100_000 // len(DEFAULT_ACTIONS))
    for row in range(FIRST, FIRST + rows):  # over the stores and the totals rows: every mark cell holds "X"
        sheet[LAYOUT.cell("code", row)] = f"44010100{row:04d}"
        for action in DEFAULT_ACTIONS:
            sheet[LAYOUT.cell(action, row)] = "X" * 100
    book.save(table)
    refusal, kept = refused_and_kept(app, table.read_bytes())
    lines = refusal.lines()
    assert refusal.total >= 100_000 and f"{refusal.total} 处标记无法识别" in refusal.message
    assert len(lines) == 1 + FINDINGS_LISTED + 1 and f"共 {refusal.total:,} 处" in lines[-1]
    assert "X" * 60 + "…）" in lines[1] and "X" * 61 not in lines[1]
    assert len(json.loads(kept.messages)) == len(lines)


#: The reading process prints its own peak memory in KiB: VmHWM, the high-water mark of its own address space. Not
#: getrusage's ru_maxrss, which Linux carries over an exec from the forking process: a child of a 300 MB pytest
#: would report the test runner's size, not its own.
READ = """
import re, sys
from engine.errors import Refused
from workbooks.big_table import plan_layout
from workbooks.reader import read_book
content = open(sys.argv[1], "rb").read()
try:
    read_book(content, plan_layout())
except Refused as refusal:
    print(refusal.message[:20])
print(re.search(r"VmHWM:\\s+(\\d+) kB", open("/proc/self/status").read()).group(1))
"""


@pytest.mark.one_database  # the reader does not touch the database: measured once
def test_reading_any_of_them_stays_in_bounded_memory(app, table, tmp_path):
    """Each hostile file read in a process of its own: its peak memory stays under 300 MB."""
    book = load_workbook(table)
    book[LAYOUT.name][f"A{LAST_ROW}"] = "x"
    book.save(tmp_path / "last-row.xlsx")
    bomb(table, tmp_path / "gigabyte.xlsx", 1100 * 1024 * 1024)
    bomb(table, tmp_path / "just-under.xlsx", 45 * 1024 * 1024)  # the most the size limit lets through
    for name in ("last-row.xlsx", "gigabyte.xlsx", "just-under.xlsx"):
        done = subprocess.run([sys.executable, "-c", READ, str(tmp_path / name)], capture_output=True, text=True,
                              check=True)
        peak_kb = int(done.stdout.split()[-1])
        assert peak_kb < 300 * 1024, (name, peak_kb, done.stdout)
