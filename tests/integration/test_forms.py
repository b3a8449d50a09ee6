"""Declared document types (§11 月工作计划, §16 月度工作总结) end to end through real workbooks, on each database:
export, fill in, save, submit, the market manager's 退回 with a reason, resubmit, approve; and the refusals."""
from __future__ import annotations

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from addin.handlers.forms import export_form, list_forms, print_form
from addin.handlers.analysis import ListFilter
from addin.handlers.submission import submit_workbook
from engine.document_types import document_type
from engine.errors import Refused
from engine.forms import APPROVE, REJECT, decide
from storage.schema import AuditEntry, DocumentDecisionRow, DocumentValueRow
from tests.integration.big_table_helpers import actor_of, generate_plan

MONTH = "2026-11"


def fill(path, sheet: str, cells: dict) -> None:
    """Type into a saved workbook as a user would (openpyxl keeps the rest as it was)."""
    book = load_workbook(path)
    for cell, value in cells.items():
        book[sheet][cell] = value
    book.save(path)


def submit(app, path, who="cm001", action=None):
    return submit_workbook(app, actor_of(app, who), path.name, path.read_bytes(), action)


def state(app, kind, cm="cm001"):
    with app.uow() as uow:
        return uow.documents.get(kind, cm, MONTH).state


def test_work_plan_round_trip(app, tmp_path):
    path = tmp_path / "plan.xlsx"
    outcome = export_form(app, actor_of(app, "cm001"), "workplan", MONTH, path)
    assert "月工作计划" in outcome.message
    book = load_workbook(path)
    sheet = book["月工作计划"]
    assert sheet["A5"].value == "在册客户数（户）" and sheet["B5"].value == 6  # from data, locked
    assert sheet["B5"].protection.locked and not sheet["B10"].protection.locked
    assert sheet["A13"].value == "需要营销部支持的事项"
    fill(path, "月工作计划", {"B10": "１２０００", "B13": "需要营销部协调货源；，。"})
    fill(path, "周重点工作", {"C5": "走访重点客户，做好陈列"})
    saved = submit(app, path)
    assert saved.message == "已保存 3 处修改。"
    assert "已将 月工作计划!B10 的“１２０００”按“12000”读取（全角数字已转换）。" in saved.details
    with app.uow() as uow:
        doc = uow.documents.get("workplan", "cm001", MONTH)
        kept = uow.values.of_many([doc.id])[doc.id]
    assert kept[("goal_volume", 0)] == "12000"
    assert kept[("support", 0)] == "需要营销部协调货源；，。"  # typed text kept exactly, full-width punctuation too
    assert kept[("weeks.work", 1)] == "走访重点客户，做好陈列"
    assert kept[("last_volume", 0)] != ""  # the figures shown are kept with the values
    # the same file again, with one more change: its own save does not make it stale
    fill(path, "月工作计划", {"B11": 25.5, "B4": "提交"})
    done = submit(app, path)
    assert "当前状态：已确认" in done.details[-2] and state(app, "workplan") == "confirmed"
    # a confirmed plan is locked to its CM
    fill(path, "月工作计划", {"B10": 13000, "B4": "保存"})
    with pytest.raises(Refused) as refused:
        submit(app, path)
    assert "现在不能修改" in refused.value.findings[0].message or "已有变化" in refused.value.message
    # the market manager sends it back with a reason, typed with full-width punctuation
    kind = document_type("workplan")
    with app.uow() as uow:
        doc = uow.documents.get("workplan", "cm001", MONTH)
    decide(app.uow(), actor_of(app, "mm01"), kind, owner_code="cm001", period=MONTH, decision=REJECT,
           reason="目标偏低，请上调；重点品牌要写清。", expected_state=doc.state, expected_version=doc.version)
    assert state(app, "workplan") == "rejected"
    again = tmp_path / "again.xlsx"
    export_form(app, actor_of(app, "cm001"), "workplan", MONTH, again)
    banner = load_workbook(again)["月工作计划"]["A2"].value
    assert "目标偏低，请上调；重点品牌要写清。" in banner
    with app.sessions() as session:
        assert session.scalar(select(DocumentDecisionRow.reason).where(DocumentDecisionRow.action == "reject")) \
            == "目标偏低，请上调；重点品牌要写清。"
        assert session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.entity == "workplan",
                                                                                 AuditEntry.action == "edit")) == 4


def test_summary_is_drafted_from_the_month_and_reviewed(app, tmp_path):
    generate_plan(app, "cm001")
    path = tmp_path / "summary.xlsx"
    export_form(app, actor_of(app, "cm001"), "summary", MONTH, path)
    book = load_workbook(path)
    sheet = book["月度工作总结"]
    labels = {sheet[f"A{row}"].value: sheet[f"B{row}"].value for row in range(5, 20)}
    assert labels["任务完成率（★ ÷ 计划）"] == "0.0%"
    assert "结转下月" in labels["未完成任务"]
    groups = [row[1].value for row in book["营销动作完成情况"].iter_rows(min_row=5) if row[1].value]
    assert groups, "the action groups of the generated big table"
    # 提交 with the texts missing is refused, naming the cells, and saves nothing
    fill(path, "月度工作总结", {"B4": "提交", "B15": "本月完成了陈列整改"})
    with pytest.raises(Refused) as refused:
        submit(app, path)
    assert "还不能提交" in refused.value.message
    assert {f.cell for f in refused.value.findings} == {"B16", "B17"}
    with app.sessions() as session:
        assert session.scalar(select(func.count()).select_from(DocumentValueRow)) == 0
    fill(path, "月度工作总结", {"B16": "部分客户订货不稳定", "B17": "抓好重点品牌上柜"})
    submit(app, path)
    assert state(app, "summary") == "submitted"
    rows = list_forms(app, actor_of(app, "mm01"), "summary", ListFilter(month=MONTH, state="待审核"))
    assert [r["code"] for r in rows] == ["cm001"]
    with app.uow() as uow:
        doc = uow.documents.get("summary", "cm001", MONTH)
    kind = document_type("summary")
    with pytest.raises(Refused, match="驳回理由"):
        decide(app.uow(), actor_of(app, "mm01"), kind, owner_code="cm001", period=MONTH, decision=REJECT, reason=" ",
               expected_state=doc.state, expected_version=doc.version)
    with pytest.raises(Refused, match="最多 200 个字"):
        decide(app.uow(), actor_of(app, "mm01"), kind, owner_code="cm001", period=MONTH, decision=REJECT,
               reason="长" * 30000, expected_state=doc.state, expected_version=doc.version)
    with pytest.raises(Refused):  # a CM cannot approve their own summary
        decide(app.uow(), actor_of(app, "cm001"), kind, owner_code="cm001", period=MONTH, decision=APPROVE, reason="",
               expected_state=doc.state, expected_version=doc.version)
    decide(app.uow(), actor_of(app, "mm01"), kind, owner_code="cm001", period=MONTH, decision=APPROVE, reason="",
           expected_state=doc.state, expected_version=doc.version)
    assert state(app, "summary") == "reviewed"
    page = tmp_path / "summary.html"
    print_form(app, actor_of(app, "mm01"), "summary", MONTH, page, "cm001")
    html = page.read_text(encoding="utf-8")
    assert "部分客户订货不稳定" in html and "审核通过" in html and "市场经理签字" in html


def test_bad_input_changes_nothing(app, tmp_path):
    path = tmp_path / "plan.xlsx"
    export_form(app, actor_of(app, "cm001"), "workplan", MONTH, path)
    fill(path, "月工作计划", {"B10": "很多", "B11": -3, "B12": "=SUM(1,2)"})
    fill(path, "重点品牌目标", {"B5": "不存在的品牌", "D5": "好" * 101})
    with pytest.raises(Refused) as refused:
        submit(app, path)
    found = {(f.sheet, f.cell) for f in refused.value.findings}
    assert {("月工作计划", "B10"), ("月工作计划", "B11"), ("月工作计划", "B12"), ("重点品牌目标", "B5"),
            ("重点品牌目标", "D5")} <= found
    assert "提交编号" in refused.value.message
    with pytest.raises(Refused, match="cm001 的客户经理月工作计划"):  # another user's file
        submit(app, path, who="cm002")
    with app.sessions() as session:
        assert session.scalar(select(func.count()).select_from(DocumentValueRow)) == 0
