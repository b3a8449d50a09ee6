"""§3 a big table taken back with many changes at once, on each database: every cell written in a few statements
(a cleared cell's row changed again, never a second row), one audit row per change with the submission, and
nothing written when any cell is refused."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from engine.errors import Refused
from engine.big_table import SAVE, take_back
from storage.schema import AuditEntry, PlanCellRow
from tests.analysis_helpers import MONTH, actor
from tests.plan_helpers import CODES, archived, exported, rows


def _back(db, export_id: int, cells: dict):
    """Take the file back; return the outcome and its submission id."""
    submission_id = archived(db)
    outcome = take_back(db.uow(), actor(db, "cm001"), owner_code="cm001", month=MONTH, export_id=export_id,
                        records=rows(cells), shape_findings=[], operation=SAVE, submission_id=submission_id)
    return outcome, submission_id


def _stored(db) -> tuple[dict, int, int]:
    """The table's non-blank marks, its version, and how many rows it has per (store, action) at most."""
    with db.uow() as uow:
        doc = uow.documents.get("bigtable", "cm001", MONTH)
        marks = {key: cell.mark for key, cell in uow.big_tables.cells(doc.id).items()}
        per_cell = (select(func.count().label("n")).where(PlanCellRow.document_id == doc.id)
                    .group_by(PlanCellRow.store_id, PlanCellRow.action).subquery())
        most = uow.session.scalar(select(func.max(per_cell.c.n)))
        return marks, doc.version, most


def _mark_audits(db, submission_id: int) -> set[tuple]:
    with db.sessions() as session:
        return {(a.entity_key, a.field, a.old_value, a.new_value) for a in session.scalars(
            select(AuditEntry).where(AuditEntry.action == "mark", AuditEntry.submission_id == submission_id))}


def test_many_changes_in_one_file_each_with_its_audit_row(planned):
    export_id, cells = exported(planned)
    cleared = next(iter(cells))
    added = [(code, "law") for code in CODES if (code, "law") not in cells][:3]
    changed = {**{key: mark for key, mark in cells.items() if key != cleared}, **{key: "☆" for key in added}}
    outcome, submission_id = _back(planned, export_id, changed)
    assert outcome.changed == 4 and outcome.message == "已保存 4 处修改。"
    marks, version, most = _stored(planned)
    assert marks == changed and most == 1
    assert _mark_audits(planned, submission_id) == {
        (f"cm001/{MONTH}/{cleared[0]}", cleared[1], "☆", ""),
        *((f"cm001/{MONTH}/{code}", action, "", "☆") for code, action in added)}
    # the cleared cell planned again and an added one cleared: their rows change, no second row appears
    export_id, cells = exported(planned)
    again = {**{key: mark for key, mark in cells.items() if key != added[0]}, cleared: "☆"}
    outcome, submission_id = _back(planned, export_id, again)
    marks, second_version, most = _stored(planned)
    assert outcome.changed == 2 and marks == again and most == 1 and second_version == version + 1
    assert _mark_audits(planned, submission_id) == {
        (f"cm001/{MONTH}/{added[0][0]}", "law", "☆", ""), (f"cm001/{MONTH}/{cleared[0]}", cleared[1], "", "☆")}
    export_id, cells = exported(planned)
    outcome, submission_id = _back(planned, export_id, cells)
    assert outcome.changed == 0 and outcome.message == "文件中没有新的修改。" and _mark_audits(planned, submission_id) == set()
    assert _stored(planned)[1] == second_version


def test_one_refused_cell_and_nothing_is_written(planned):
    export_id, cells = exported(planned)
    before = _stored(planned)
    added = {(code, "law"): "☆" for code in CODES if (code, "law") not in cells}
    with pytest.raises(Refused, match="1 处修改不允许，全部未保存") as refused:
        _back(planned, export_id, {**cells, **added, (CODES[-1], "display"): "★"})
    assert [(f.code, f.cell, f.value) for f in refused.value.findings] == [("MOVE", f"display{len(CODES) + 2}", "★")]
    assert _stored(planned) == before
    with planned.sessions() as session:
        assert session.scalar(select(func.count()).where(AuditEntry.action == "mark")) == 0


def test_each_unreadable_mark_is_named_by_its_cell(planned):
    export_id, cells = exported(planned)
    odd = {(CODES[0], "law"): "√", (CODES[1], "law"): "√", (CODES[2], "law"): 1, (CODES[3], "law"): True}
    with pytest.raises(Refused, match="4 处标记无法识别，全部未保存") as refused:
        _back(planned, export_id, {**cells, **odd})
    assert [(f.code, f.cell, f.value) for f in refused.value.findings] == [
        ("INVALID", "law3", "√"), ("INVALID", "law4", "√"), ("INVALID", "law5", "1"), ("INVALID", "law6", "True")]
    assert all("☆（计划）" in f.message for f in refused.value.findings)


def test_an_older_copy_of_the_file_is_refused_not_applied(planned):
    """A copy of the workbook saved before it was first handed back, handed back later: saving it would clear the
    marks saved from the file since. Refused, nothing changed, each cell named; the newer file still saves."""
    export_id, cells = exported(planned)
    added = [(code, "law") for code in CODES if (code, "law") not in cells][:2]
    newer = {**cells, **{key: "☆" for key in added}}
    assert _back(planned, export_id, newer)[0].changed == 2
    before = _stored(planned)
    late = [(code, "display") for code in CODES if (code, "display") not in cells][:1]
    older = {**cells, **{key: "☆" for key in late}}  # the old copy, with a new mark of its own
    with pytest.raises(Refused, match="这份大表是较早的副本，全部未保存：用同一次导出的文件已经提交过 2 处修改") as refused:
        _back(planned, export_id, older)
    assert [(f.code, f.cell) for f in refused.value.findings] == [
        ("OLDER_COPY", f"law{CODES.index(code) + 3}") for code, _ in added]
    assert "文件里是导出时的空白，已提交的是“☆”" in refused.value.findings[0].message
    assert _stored(planned) == before
    assert _back(planned, export_id, {**newer, **{key: "☆" for key in late}})[0].changed == 1  # the newer file saves
