"""cmw check / 检查: every check of a submission, and nothing changed — no archive row, no mark, no audit row, no
version (issue 11, item 14), on each database, with real generated workbooks."""
from __future__ import annotations

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from addin.cli import main
from addin.handlers.big_table import export_plan
from addin.handlers.submission import check_workbook, submit_workbook
from engine.errors import Refused
from storage.schema import AuditEntry, DocumentRow, PlanCellRow, Submission, WorkbookExport
from tests.analysis_helpers import MONTH
from tests.integration.big_table_helpers import FIRST, LAYOUT, OPERATION, actor_of, generate_plan


def state_of(app) -> tuple:
    """Everything a submission could change, counted."""
    with app.sessions() as session:
        return tuple(session.scalar(q) for q in (
            select(func.count()).select_from(Submission), select(func.count()).select_from(AuditEntry),
            select(func.count()).select_from(PlanCellRow), select(func.max(DocumentRow.version)),
            select(func.count()).select_from(PlanCellRow).where(PlanCellRow.mark == "☆"),
            select(func.sum(PlanCellRow.changed_in)),
            select(func.max(WorkbookExport.snapshot))))


def marked(path, cells: dict[str, str], operation: str | None = None) -> bytes:
    book = load_workbook(path)
    sheet = book[LAYOUT.name]
    for address, mark in cells.items():
        sheet[address] = mark
    if operation:
        sheet[OPERATION.cell] = operation
    book.save(path)
    return path.read_bytes()


@pytest.fixture
def table(app, tmp_path):
    generate_plan(app, "cm001")
    path = tmp_path / "大表.xlsx"
    export_plan(app, actor_of(app, "cm001"), MONTH, path)
    return path


def test_a_file_that_would_be_saved_and_submitted_changes_nothing(app, table):
    blank = LAYOUT.cell("law", FIRST + 1)
    content = marked(table, {blank: "☆"}, "提交")
    before = state_of(app)
    outcome = check_workbook(app, actor_of(app, "cm001"), table.name, content)
    assert outcome.message.startswith("检查通过（没有提交，数据库未作任何更改）") and "已保存 1 处修改" in outcome.message
    assert any("计划提交" in line for line in outcome.details)
    assert state_of(app) == before
    with app.uow() as uow:
        assert uow.documents.get("bigtable", "cm001", MONTH).state == "draft"
    assert submit_workbook(app, actor_of(app, "cm001"), table.name, content).changed == 1  # still current


def test_a_file_that_would_be_refused_says_why_and_keeps_nothing(app, table):
    content = marked(table, {LAYOUT.cell("law", FIRST + 1): "★"})
    before = state_of(app)
    with pytest.raises(Refused) as refused:
        check_workbook(app, actor_of(app, "cm001"), table.name, content)
    assert refused.value.message.startswith("检查未通过") and "提交编号" not in refused.value.message
    assert refused.value.findings[0].cell == LAYOUT.cell("law", FIRST + 1)
    assert state_of(app) == before


def test_cmw_check_from_the_command_line(app, table, monkeypatch, capsys, db, tmp_path):
    monkeypatch.setenv("CMW_DATABASE_URL", db.url)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    marked(table, {LAYOUT.cell("law", FIRST + 1): "☆"})
    before = state_of(app)
    assert main(["check", str(table), "--as", "cm001"]) == 0
    assert "检查通过" in capsys.readouterr().out
    marked(table, {LAYOUT.cell("law", FIRST + 2): "★"})
    assert main(["check", str(table), "--as", "cm001"]) == 2
    assert "检查未通过" in capsys.readouterr().err
    assert state_of(app) == before
