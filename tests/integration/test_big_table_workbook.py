"""§3 the big-table workbook on each database: what a CM gets in Excel (native validation, COUNTIF counts,
carried marks shaded, locks by state, print setup, _meta), and the file read back and taken back."""
from __future__ import annotations

import pytest
from openpyxl import load_workbook

from addin.app import App
from addin.handlers.analysis import ListFilter
from addin.handlers.big_table import export_plan, list_plans
from addin.handlers.submission import submit_workbook
from engine.errors import Refused
from engine.review import REJECT, decide
from tests.analysis_helpers import MONTH
from tests.factories import STORES_PER_CM, make_orders, store_code
from tests.integration.big_table_helpers import FIRST, LAST, LAYOUT, OPERATION, actor_of, generate_plan, move
from workbooks import big_table as book_
from workbooks.builder import ALERT_FILL
from workbooks.meta import META_SHEET
from workbooks.reader import read_book, read_meta


def export(app: App, path, who: str = "cm001", month: str = MONTH, cm: str | None = None):
    """Export a big table; return the workbook and the outcome."""
    outcome = export_plan(app, actor_of(app, who), month, path, cm)
    return load_workbook(path), outcome


def row_of(sheet, code: str) -> int:
    """The sheet row of a store."""
    return next(r for r in range(FIRST, LAST + 1) if sheet[LAYOUT.cell("code", r)].value == code)


def submit(app: App, path, who: str = "cm001", action: str | None = None):
    return submit_workbook(app, actor_of(app, who), path.name, path.read_bytes(), action)


def test_the_exported_big_table_is_native_excel(app, tmp_path):
    generate_plan(app, "cm001")
    book, outcome = export(app, tmp_path / "plan.xlsx")
    sheet = book[book_.SHEET]
    assert "6 户客户" in outcome.message and "cmw submit plan.xlsx --as cm001" in outcome.lines()[-1]
    assert [c.value for c in sheet[LAYOUT.header_row]] == [c.header for c in LAYOUT.columns]
    assert sheet.protection.sheet and sheet.freeze_panes == f"C{FIRST}"
    assert sheet.print_title_rows == f"${LAYOUT.group_row}:${LAYOUT.header_row}"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    assert "张三" in sheet.oddHeader.right.text and MONTH in sheet.oddHeader.right.text
    lists = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation if v.type == "list"}
    for code in book_.DEFAULT_ACTIONS:
        assert lists[LAYOUT.span(code, FIRST, LAST)] == '"☆,★,△,▲"'
        assert sheet[LAYOUT.cell(code, FIRST)].protection.locked is False
    assert lists[OPERATION.cell] == '"保存,提交"' and sheet[OPERATION.cell].value == "保存"
    assert sheet[LAYOUT.cell("code", FIRST)].protection.locked is True
    first, last = book_.DEFAULT_ACTIONS[0], book_.DEFAULT_ACTIONS[-1]
    star = LAYOUT.cell(book_.count_field(book_.Mark.PLANNED), FIRST)
    assert sheet[star].value == f'=COUNTIF({LAYOUT.cell(first, FIRST)}:{LAYOUT.cell(last, FIRST)},"☆")'
    assert sheet[LAYOUT.cell("code", LAST + 1)].value == "合计 ☆"
    assert sheet[LAYOUT.cell(first, LAST + 4)].value == f'=COUNTIF({LAYOUT.span(first, FIRST, LAST)},"▲")'
    cached = load_workbook(tmp_path / "plan.xlsx", data_only=True)[book_.SHEET]
    stars = sum(sheet[LAYOUT.cell(c, r)].value == "☆" for c in book_.DEFAULT_ACTIONS for r in range(FIRST, LAST + 1))
    assert cached[LAYOUT.cell(book_.count_field(book_.Mark.PLANNED), LAST + 1)].value == stars > 0
    assert "状态：计划（第 1 版）" in sheet.cell(LAYOUT.note_row, 1).value
    assert "策略触发" in sheet[LAYOUT.cell(book_.WHY, FIRST)].value
    meta = read_meta((tmp_path / "plan.xlsx").read_bytes())
    assert (meta.module, meta.owner, meta.period, meta.document_version) == ("bigtable", "cm001", MONTH, 1)
    assert book[META_SHEET].sheet_state == "veryHidden"
    with app.uow() as uow:
        assert uow.exports.get(meta.document_id).snapshot["actions"] == list(book_.DEFAULT_ACTIONS)


def test_the_file_reads_back_up_to_the_totals_and_locks_after_submit(app, tmp_path):
    generate_plan(app, "cm001")
    path = tmp_path / "plan.xlsx"
    book, _ = export(app, path)
    sheet = book[book_.SHEET]
    row = row_of(sheet, store_code(1, 2))
    sheet[LAYOUT.cell("law", row)] = "☆"
    sheet[OPERATION.cell] = "提交"
    book.save(path)
    read = read_book(path.read_bytes(), book_.LAYOUT)
    assert len(read.rows[book_.SHEET]) == STORES_PER_CM and read.findings == []
    assert read.inputs[book_.OPERATION] == "提交" and read.input_cells[book_.OPERATION] == (book_.SHEET, OPERATION.cell)
    outcome = submit(app, path)
    assert "已保存 1 处修改" in outcome.message and "待审核" in outcome.lines()[1]
    locked, outcome = export(app, tmp_path / "locked.xlsx")
    sheet = locked[book_.SHEET]
    assert "已锁定" in sheet.cell(LAYOUT.note_row + 1, 1).value and "（第 3 版）" in sheet.cell(LAYOUT.note_row, 1).value
    assert all(sheet[LAYOUT.cell(c, FIRST)].protection.locked for c in book_.DEFAULT_ACTIONS)
    assert [v for v in sheet.data_validations.dataValidation if v.type == "list"] == []
    assert sheet[OPERATION.cell].value is None and "cmw submit" not in "".join(outcome.lines())


def test_carried_marks_are_shaded_with_a_comment(app, tmp_path):
    generate_plan(app, "cm001")
    move(app, "cm001", "cm001", "submit_plan")
    move(app, "mm01", "cm001", "approve_plan")
    make_orders(app.sessions, "2026-11", scale=3)
    generate_plan(app, "cm001", "2026-12")
    book, _ = export(app, tmp_path / "december.xlsx", month="2026-12")
    sheet = book[book_.SHEET]
    carried = [sheet[LAYOUT.cell(c, r)] for c in book_.DEFAULT_ACTIONS for r in range(FIRST, LAST + 1)
               if sheet[LAYOUT.cell(c, r)].comment is not None]
    assert carried and all(cell.value == "☆" and "结转" in cell.comment.text for cell in carried)
    assert {cell.fill.fgColor.rgb[-6:] for cell in carried} == {book_.CARRIED_FILL[1:]}
    for r in range(FIRST, LAST + 1):
        shaded = sum(sheet[LAYOUT.cell(c, r)].comment is not None for c in book_.DEFAULT_ACTIONS)
        assert (f"上月结转 {shaded} 项" in sheet[LAYOUT.cell(book_.WHY, r)].value) == (shaded > 0)


def test_the_rejection_reason_is_shown_to_the_cm(app, tmp_path):
    generate_plan(app, "cm001")
    move(app, "cm001", "cm001", "submit_plan")
    with app.uow() as uow:
        version = uow.documents.get("bigtable", "cm001", MONTH).version
    decide(app.uow, actor_of(app, "mm01"), cm_code="cm001", month=MONTH, decision=REJECT, comment="陈列指导太少",
           expected_state="submitted", expected_version=version)
    book, outcome = export(app, tmp_path / "plan.xlsx")
    status = book[book_.SHEET].cell(LAYOUT.note_row, 1)
    assert "计划驳回" in status.value and "陈列指导太少" in status.value and "王经理" in status.value
    assert status.fill.fgColor.rgb[-6:] == ALERT_FILL[1:]
    assert outcome.details[0] == "驳回理由（市场经理 王经理（mm01））：陈列指导太少"


def test_who_may_export_and_the_list(app, tmp_path):
    generate_plan(app, "cm001")
    with pytest.raises(Refused, match="尚未生成"):
        export(app, tmp_path / "x.xlsx", who="cm002")
    with pytest.raises(Refused, match="--cm"):
        export(app, tmp_path / "x.xlsx", who="mm01")
    book, outcome = export(app, tmp_path / "view.xlsx", who="mm01", cm="cm001")
    assert outcome.details == (book_.VIEW_ONLY,) and book[book_.SHEET][OPERATION.cell].value is None
    with pytest.raises(Refused, match="管辖"):
        export(app, tmp_path / "x.xlsx", who="mm02", cm="cm001")
    [row] = list_plans(app, actor_of(app, "mm01"), ListFilter(unit="D01", state="计划"))
    assert (row["code"], row["state"], row["stores"]) == ("cm001", "draft", STORES_PER_CM) and row["counts"]["☆"] > 0
    assert list_plans(app, actor_of(app, "mm01"), ListFilter(state="待审核")) == []
    with pytest.raises(Refused, match="无权查看"):
        list_plans(app, actor_of(app, "mm02"), ListFilter(unit="D01"))
