"""§3 use cases on each database: generate from strategies, save and submit marks, stale files, carry-over."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.documents import transition_document
from engine.errors import Refused
from engine.operating_analysis import compute_effect
from engine import big_table
from engine.big_table import SAVE, SUBMIT, generate, take_back
from engine.records import Record
from storage.schema import AuditEntry
from tests.analysis_helpers import MONTH, actor
from tests.factories import make_company, make_orders
from tests.plan_helpers import CODES, archived, back, exported, ready, rows, state


def test_generated_from_strategies_once(planned):
    with planned.uow() as uow:
        cells = uow.big_tables.cells(uow.documents.get("bigtable", "cm001", MONTH).id)
    assert cells[(CODES[0], "assortment")].mark == "☆" and not cells[(CODES[0], "assortment")].carried
    assert all(c.mark == "☆" for c in cells.values())
    with pytest.raises(Refused, match="不能重复生成"):
        generate(planned.uow(), actor(planned, "cm001"), cm_codes=["cm001"], month=MONTH)
    with pytest.raises(Refused, match="经营效果尚未计算"):
        generate(planned.uow(), actor(planned, "cm002"), cm_codes=["cm002"], month=MONTH)
    compute_effect(planned.uow(), actor(planned, "cm002"), month=MONTH)
    with pytest.raises(Refused, match="尚未生成策略"):
        generate(planned.uow(), actor(planned, "cm002"), cm_codes=["cm002"], month=MONTH)


def test_plan_round_trip_with_refusals(planned):
    export_id, cells = exported(planned)
    cells[(CODES[1], "law")] = "☆"
    del cells[(CODES[0], "assortment")]
    outcome = back(planned, export_id, cells)
    assert outcome.changed == 2
    export_id, cells = exported(planned)
    with pytest.raises(Refused) as refused:
        back(planned, export_id, {**cells, (CODES[2], "law"): "★"})
    assert refused.value.findings[0].cell == "law5" and "只能增加或删除 ☆" in refused.value.findings[0].message
    back(planned, export_id, cells, SUBMIT)
    assert state(planned) == "submitted"
    transition_document(planned.uow(), actor=actor(planned, "mm01"), kind="bigtable", owner_code="cm001",
                        period=MONTH, transition="approve_plan")
    export_id, cells = exported(planned)
    marked = {**cells, (CODES[1], "law"): "★", (CODES[3], "display"): "△"}
    assert back(planned, export_id, marked).changed == 2
    with planned.sessions() as session:
        audits = session.scalars(select(AuditEntry).where(AuditEntry.action == "mark")).all()
    assert (f"cm001/{MONTH}/{CODES[1]}", "law", "☆", "★") in {(a.entity_key, a.field, a.old_value, a.new_value) for a in audits}


def test_a_stale_file_gets_a_per_cell_report(planned):
    first_id, cells = exported(planned)
    second_id, _ = exported(planned)
    back(planned, second_id, {**cells, (CODES[1], "law"): "☆", (CODES[2], "law"): "☆"})
    with pytest.raises(Refused) as refused:
        back(planned, first_id, {**cells, (CODES[2], "law"): "★", (CODES[3], "law"): "☆"})
    assert {(f.code, f.cell) for f in refused.value.findings} == {
        ("THEIRS", "law4"), ("COLLISION", "law5"), ("YOURS", "law6")}
    assert "重新导出" in refused.value.message
    with planned.uow() as uow:  # nothing of the stale file was saved
        cells_now = uow.big_tables.cells(uow.documents.get("bigtable", "cm001", MONTH).id)
    assert (CODES[3], "law") not in cells_now


def test_unfinished_actions_carry_over(planned):
    export_id, cells = exported(planned)
    back(planned, export_id, cells, SUBMIT)
    transition_document(planned.uow(), actor=actor(planned, "mm01"), kind="bigtable", owner_code="cm001",
                        period=MONTH, transition="approve_plan")
    make_orders(planned.sessions, "2026-11", scale=3)
    ready(planned, "2026-12")
    generate(planned.uow(), actor(planned, "cm001"), cm_codes=["cm001"], month="2026-12")
    with planned.uow() as uow:
        december = uow.big_tables.cells(uow.documents.get("bigtable", "cm001", "2026-12").id)
    november_open = {k for k, v in cells.items() if v == "☆"}
    assert {k for k, c in december.items() if c.carried} == november_open


def test_a_market_manager_generates_the_department_in_one_call(db):
    make_company(db.sessions)
    make_orders(db.sessions, "2026-10")
    ready(db)  # cm001 has strategies; cm002's effect is computed below, its strategies are not generated
    compute_effect(db.uow(), actor(db, "mm01"), month=MONTH)
    outcome = generate(db.uow(), actor(db, "mm01"), month=MONTH)
    assert outcome.message.startswith("已生成 1 位客户经理的 2026-11 大表")
    assert outcome.details[0].startswith("cm001：6 户客户") and outcome.details[1].startswith("cm002：2026-11 经营分析尚未生成策略")
    with pytest.raises(Refused, match="都不能生成大表") as refused:
        generate(db.uow(), actor(db, "mm01"), month=MONTH)
    assert any("不能重复生成" in f.message for f in refused.value.findings)
    with db.uow() as uow:
        cells = uow.big_tables.cells(uow.documents.get("bigtable", "cm001", MONTH).id)
        audits = uow.session.scalars(select(AuditEntry.entity_key).where(AuditEntry.action == "generate_plan")).all()
    assert cells[(CODES[0], "assortment")].mark == "☆" and audits == ["cm001/2026-11"]
    with pytest.raises(Refused, match="管辖"):
        generate(db.uow(), actor(db, "mm02"), month=MONTH, cm_codes=["cm001"])


def test_the_owners_own_save_does_not_make_their_file_stale(planned):
    """Saved once from a file, the same file (or a copy) with more marks is current: only the new marks are saved."""
    export_id, cells = exported(planned)
    first = {**cells, (CODES[1], "law"): "☆"}
    assert back(planned, export_id, first).changed == 1
    outcome = back(planned, export_id, {**first, (CODES[2], "law"): "☆"})
    assert outcome.changed == 1 and outcome.message == "已保存 1 处修改。"
    with planned.uow() as uow:
        doc = uow.documents.get("bigtable", "cm001", MONTH)
        now = uow.big_tables.cells(doc.id)
    assert now[(CODES[1], "law")].mark == now[(CODES[2], "law")].mark == "☆"
    assert back(planned, export_id, {**first, (CODES[2], "law"): "☆"}, SUBMIT).changed == 0
    assert state(planned) == "submitted"


def test_someone_elses_change_after_the_owners_save_still_makes_the_file_stale(planned):
    """Advancing the file's snapshot covers only its owner's save from it: a change from another file is stale."""
    export_id, cells = exported(planned)
    back(planned, export_id, {**cells, (CODES[1], "law"): "☆"})
    other_id, _ = exported(planned)
    back(planned, other_id, {**cells, (CODES[1], "law"): "☆", (CODES[3], "law"): "☆"})
    with pytest.raises(Refused) as refused:
        back(planned, export_id, {**cells, (CODES[1], "law"): "☆", (CODES[4], "law"): "☆"})
    assert {(f.code, f.cell) for f in refused.value.findings} == {("THEIRS", "law6"), ("YOURS", "law7")}


def test_a_stale_file_on_a_locked_table_says_what_can_still_be_done(planned):
    """The table was submitted from another file: the old file's refusal does not ask to re-enter changes into a
    locked export; it lists the user's own changes first, in sheet order (row, then column)."""
    export_id, cells = exported(planned)
    other_id, _ = exported(planned)
    back(planned, other_id, {**cells, (CODES[5], "display"): "☆"}, SUBMIT)
    with pytest.raises(Refused) as refused:
        back(planned, export_id, {**cells, (CODES[2], "law"): "☆", (CODES[1], "law"): "☆", (CODES[1], "display"): "☆"})
    message = refused.value.message
    assert "现为第 3 版“待审核”" in message and "无法保存" in message and "等待市场经理审核" in message
    assert "填入新表" not in message
    assert [(f.code, f.cell) for f in refused.value.findings] == [
        ("YOURS", "display4"), ("YOURS", "law4"), ("YOURS", "law5"), ("THEIRS", "display8")]


def test_an_unchanged_stale_file_promises_no_changes_of_yours(planned):
    """An old file with nothing changed in it says so, instead of "下列您的修改" followed by none."""
    export_id, cells = exported(planned)
    other_id, _ = exported(planned)
    back(planned, other_id, {**cells, (CODES[5], "display"): "☆"})
    with pytest.raises(Refused) as refused:
        back(planned, export_id, cells)
    message = refused.value.message
    assert "您的文件中没有新的修改" in message and "您的修改”" not in message and "重新导出最新的大表" in message
    assert [f.code for f in refused.value.findings] == ["THEIRS"]


def test_a_current_file_of_a_locked_table_says_what_can_still_be_done(planned):
    """The file was submitted, so it is current; more marks in it cannot be saved now: the refusal says what the
    state allows instead of 'change them back'."""
    export_id, cells = exported(planned)
    back(planned, export_id, cells, SUBMIT)
    with pytest.raises(Refused) as refused:
        back(planned, export_id, {**cells, (CODES[1], "law"): "☆"})
    assert "大表现为“待审核”" in refused.value.message and "等待市场经理审核" in refused.value.message
    assert "请改回" not in refused.value.message and refused.value.findings[0].cell == "law4"


def _approved(db):
    export_id, cells = exported(db)
    back(db, export_id, cells, SUBMIT)
    transition_document(db.uow(), actor=actor(db, "mm01"), kind="bigtable", owner_code="cm001", period=MONTH,
                        transition="approve_plan")
    return exported(db)


def test_a_temporary_task_left_open_is_carried_over_as_a_temporary_task(planned):
    """△ stays △ next month, and its comment says where it came from (issue #11, item 11)."""
    export_id, cells = _approved(planned)
    back(planned, export_id, {**cells, (CODES[3], "display"): "△"})
    make_orders(planned.sessions, "2026-11", scale=3)
    ready(planned, "2026-12")
    generate(planned.uow(), actor(planned, "cm001"), cm_codes=["cm001"], month="2026-12")
    with planned.uow() as uow:
        december = uow.big_tables.cells(uow.documents.get("bigtable", "cm001", "2026-12").id)
    carried = december[(CODES[3], "display")]
    assert carried.mark == "△" and carried.carried and MONTH in carried.reason and "临时任务" in carried.reason
    assert {c.mark for k, c in december.items() if k != (CODES[3], "display")} == {"☆"}


def test_a_temporary_task_done_on_the_same_visit_is_marked_at_once(planned):
    """blank → ▲ where blank → △ is allowed (issue #11, item 10)."""
    export_id, cells = _approved(planned)
    assert back(planned, export_id, {**cells, (CODES[3], "display"): "▲"}).changed == 1


def test_a_substitute_mark_is_converted_and_said_and_nothing_else_is_guessed(planned):
    """Only the documented substitute “*” (or “＊”) for ☆, and the answer names the cell (issue #11, item 9)."""
    export_id, cells = exported(planned)
    outcome = back(planned, export_id, {**cells, (CODES[1], "law"): "*", (CODES[2], "law"): "＊"})
    assert outcome.changed == 2
    assert "已将 大表!law4 的“*”按“☆”处理。" in outcome.details and "已将 大表!law5 的“＊”按“☆”处理。" in outcome.details
    export_id, cells = exported(planned)
    for typed in ("√", "o", "1", "☆☆", "x"):
        with pytest.raises(Refused) as refused:
            back(planned, export_id, {**cells, (CODES[3], "law"): typed})
        assert refused.value.findings[0].cell == "law6" and "标记只能是" in refused.value.findings[0].message


def test_the_same_store_twice_is_refused_naming_both_rows(planned):
    """The last store's row overwritten by a copy of another's (issue #11, item 7c): nothing saved."""
    export_id, cells = exported(planned)
    records = rows({**cells, (CODES[0], "law"): "☆"})
    first, last = records[0], records[-1]
    records[-1] = Record(last.sheet, last.number, dict(first.values), last.cells)
    with pytest.raises(Refused, match="客户重复出现") as refused:
        take_back(planned.uow(), actor(planned, "cm001"), owner_code="cm001", month=MONTH, export_id=export_id,
                  records=records, shape_findings=[], operation=SAVE, submission_id=archived(planned))
    [finding] = refused.value.findings
    assert f"第 {first.number} 行和第 {last.number} 行" in finding.message and finding.cell == last.cells["code"]
    with planned.uow() as uow:
        assert (CODES[0], "law") not in uow.big_tables.cells(uow.documents.get("bigtable", "cm001", MONTH).id)


def test_stores_missing_from_the_file_are_said_to_be_unchanged(planned):
    export_id, cells = exported(planned)
    records = rows({**cells, (CODES[0], "law"): "☆"})[:-2]
    outcome = take_back(planned.uow(), actor(planned, "cm001"), owner_code="cm001", month=MONTH, export_id=export_id,
                        records=records, shape_findings=[], operation=SAVE, submission_id=archived(planned))
    assert outcome.changed == 1
    assert f"以下 2 户客户不在此文件中，未作修改：{CODES[-2]}、{CODES[-1]}。" in outcome.details


def test_a_save_lists_each_cell_it_took_then_a_count(planned, monkeypatch):
    """So that the user can check after a sort: where, which store and action, old → new (issue #11, item 18)."""
    export_id, cells = exported(planned)
    outcome = back(planned, export_id, {**cells, (CODES[2], "law"): "☆", (CODES[1], "law"): "☆"})
    assert outcome.details[:2] == (f"大表!law4：客户 {CODES[1]} 的“法规宣传”“空白”→“☆”",
                                   f"大表!law5：客户 {CODES[2]} 的“法规宣传”“空白”→“☆”")
    monkeypatch.setattr(big_table, "LISTED", 1)
    export_id, cells = exported(planned)
    outcome = back(planned, export_id, {})  # every ☆ of the file's three columns cleared
    assert outcome.changed == 3 and outcome.details[1] == "……另有 2 处修改，未逐一列出。"


def test_a_formula_or_error_value_in_a_mark_cell_is_said_as_such(planned):
    """Not 'the format was changed': what the cell holds, where (issue #11, item 7d)."""
    from engine.errors import Finding

    export_id, cells = exported(planned)
    typed = [Finding("EXCEL_ERROR", "单元格显示 Excel 错误值 #N/A", sheet="大表", cell="law4", value="#N/A")]
    with pytest.raises(Refused, match="1 处填写了公式或 Excel 错误值") as refused:
        take_back(planned.uow(), actor(planned, "cm001"), owner_code="cm001", month=MONTH, export_id=export_id,
                  records=rows(cells), shape_findings=typed, operation=SAVE, submission_id=archived(planned))
    assert refused.value.findings == tuple(typed)
