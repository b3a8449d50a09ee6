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
from engine.review import APPROVE, REJECT, decide_form
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
    decide_form(app.uow(), actor_of(app, "mm01"), kind, owner_code="cm001", period=MONTH, decision=REJECT,
                reason="目标偏低，请上调；重点品牌要写清。", expected_state=doc.state, expected_version=doc.version)
    assert state(app, "workplan") == "rejected"
    again = tmp_path / "again.xlsx"
    export_form(app, actor_of(app, "cm001"), "workplan", MONTH, again)
    banner = load_workbook(again)["月工作计划"]["A2"].value
    assert "目标偏低，请上调；重点品牌要写清。" in banner
    fill(again, "月工作计划", {"B10": 15000, "B4": "提交"})  # a value kept before, changed
    assert submit(app, again).message == "已保存 1 处修改。" and state(app, "workplan") == "confirmed"
    with app.uow() as uow:
        doc = uow.documents.get("workplan", "cm001", MONTH)
        assert uow.values.of_many([doc.id])[doc.id][("goal_volume", 0)] == "15000"
    with app.sessions() as session:
        assert session.scalar(select(DocumentDecisionRow.reason).where(DocumentDecisionRow.transition == "reject")) \
            == "目标偏低，请上调；重点品牌要写清。"
        assert session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.entity == "workplan",
                                                                                 AuditEntry.action == "edit")) == 5


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
        decide_form(app.uow(), actor_of(app, "mm01"), kind, owner_code="cm001", period=MONTH, decision=REJECT, reason=" ",
                    expected_state=doc.state, expected_version=doc.version)
    with pytest.raises(Refused, match="最多 200 个字"):
        decide_form(app.uow(), actor_of(app, "mm01"), kind, owner_code="cm001", period=MONTH, decision=REJECT,
                    reason="长" * 30000, expected_state=doc.state, expected_version=doc.version)
    with pytest.raises(Refused):  # a CM cannot approve their own summary
        decide_form(app.uow(), actor_of(app, "cm001"), kind, owner_code="cm001", period=MONTH, decision=APPROVE, reason="",
                    expected_state=doc.state, expected_version=doc.version)
    decide_form(app.uow(), actor_of(app, "mm01"), kind, owner_code="cm001", period=MONTH, decision=APPROVE, reason="",
                expected_state=doc.state, expected_version=doc.version)
    assert state(app, "summary") == "reviewed"
    page = tmp_path / "summary.html"
    print_form(app, actor_of(app, "mm01"), "summary", MONTH, page, "cm001")
    html = page.read_text(encoding="utf-8")
    assert "部分客户订货不稳定" in html and "审核通过" in html and "市场经理签字" in html


def test_a_formula_is_refused_with_its_cell(app, tmp_path):
    path = tmp_path / "plan.xlsx"
    export_form(app, actor_of(app, "cm001"), "workplan", MONTH, path)
    fill(path, "重点品牌目标", {"B5": '="中华"'})
    with pytest.raises(Refused, match="1 处填写了公式") as refused:
        submit(app, path)
    assert [(f.sheet, f.cell) for f in refused.value.findings] == [("重点品牌目标", "B5")]


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


def _reviewed(app, tmp_path):
    """cm001's work plan confirmed and summary submitted, cm002's plan confirmed: mm01's review workbook."""
    from addin.handlers.review import export_review

    for cm in ("cm001", "cm002"):
        path = tmp_path / f"plan-{cm}.xlsx"
        export_form(app, actor_of(app, cm), "workplan", MONTH, path)
        fill(path, "月工作计划", {"B10": 8000, "B4": "提交"})
        fill(path, "周重点工作", {"C5": "拜访重点客户"})
        submit(app, path, who=cm)
    path = tmp_path / "summary.xlsx"
    export_form(app, actor_of(app, "cm001"), "summary", MONTH, path)
    fill(path, "月度工作总结", {"B15": "成绩", "B16": "问题", "B17": "打算", "B4": "提交"})
    submit(app, path)
    review = tmp_path / "review.xlsx"
    outcome = export_review(app, actor_of(app, "mm01"), MONTH, review)
    return review, outcome


def _decide(path, decisions: dict[tuple[str, str], tuple[str, str | None]]) -> None:
    from workbooks import review as review_book

    book = load_workbook(path)
    sheet, layout = book[review_book.SHEET], review_book.SUMMARY
    for row in range(layout.first_data_row, layout.first_data_row + 10):
        key = (sheet[layout.cell("cm", row)].value, sheet[layout.cell("what", row)].value)
        if key in decisions:
            sheet[layout.cell("decision", row)], sheet[layout.cell("reason", row)] = decisions[key]
    book.save(path)


def test_one_review_workbook_for_every_kind(app, tmp_path):
    review, outcome = _reviewed(app, tmp_path)
    assert "2 位客户经理待审核（计划 0 份，结果 0 份，月工作计划 2 份，月度工作总结 1 份）" in outcome.message
    book = load_workbook(review)
    assert book.sheetnames[:4] == ["审核汇总", "cm001 张三 月工作计划", "cm002 李四 月工作计划", "cm001 张三 月度工作总结"]
    summary = [[c.value for c in row] for row in book["审核汇总"].iter_rows(min_row=5, max_row=7)]
    assert [(r[0], r[2]) for r in summary] == [("cm001", "月工作计划"), ("cm002", "月工作计划"), ("cm001", "月度工作总结")]
    assert "销量目标 8000 条" in summary[0][-3]
    _decide(review, {("cm001", "月工作计划"): ("审核通过", None), ("cm001", "月度工作总结"): ("驳回", "问题写得太简单；请具体些"),
                     ("cm002", "月工作计划"): ("驳回", None)})
    outcome = submit(app, review, who="mm01")
    assert "已处理 1 位客户经理的 2 行审核意见" in outcome.message and "1 行未处理" in outcome.message
    assert (state(app, "workplan"), state(app, "summary"), state(app, "workplan", "cm002")) == \
        ("reviewed", "rejected", "confirmed")
    # the same file again: what it already did is said, by whom and when, not "changed since you opened it"
    _decide(review, {("cm002", "月工作计划"): (None, None)})
    again = submit(app, review, who="mm01")
    assert again.message == "审核表中的审核意见都已处理过，本次未作任何更改。"
    assert any("cm001：这一行已于" in line and "市场经理 王经理（mm01）处理（审核通过）" in line for line in again.details)


def test_a_decision_is_bound_to_the_document_it_showed(app, tmp_path):
    """An edited _meta period cannot redirect a decision to another month's document (it is bound by id)."""
    import io
    import zipfile

    review, _ = _reviewed(app, tmp_path)
    _decide(review, {("cm002", "月工作计划"): ("审核通过", None)})
    content = io.BytesIO()
    with zipfile.ZipFile(review) as source, zipfile.ZipFile(content, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if b"2026-11" in data and item.filename.startswith("xl/"):
                data = data.replace(b"2026-11", b"2026-10")  # every cell that says the month, _meta's too
            target.writestr(item, data)
    forged = tmp_path / "forged.xlsx"
    forged.write_bytes(content.getvalue())
    submit(app, forged, who="mm01")
    assert state(app, "workplan", "cm002") == "reviewed"
    with app.uow() as uow:
        assert uow.documents.get("workplan", "cm002", "2026-10") is None


def test_a_column_and_a_sheet_the_user_added_are_said_not_silently_dropped(app, tmp_path):
    path = tmp_path / "plan.xlsx"
    export_form(app, actor_of(app, "cm001"), "workplan", MONTH, path)
    book = load_workbook(path)
    book["周重点工作"]["E4"] = "我的备注"
    book["周重点工作"]["E6"] = "周二下午去"
    book["月工作计划"]["B10"] = 7000
    book.create_sheet("草稿").sheet_state = "hidden"
    book.save(path)
    outcome = submit(app, path)
    assert outcome.message == "已保存 1 处修改。"
    assert ("以下内容不属于客户经理月工作计划，没有读取，也没有保存：“周重点工作”表中您加的 E 列（第 4 行起有内容）；"
            "您加的隐藏工作表“草稿”。需要交给系统的内容请填在黄色单元格中。") in outcome.details
    clean = tmp_path / "clean.xlsx"
    export_form(app, actor_of(app, "cm001"), "workplan", MONTH, clean)
    assert not any("不属于" in line for line in submit(app, clean).details)


def test_a_folder_of_drafts_gives_each_cm_the_figures_of_their_own(app, tmp_path):
    """§16's figures are read set-based for a folder (Draft.many): each CM's draft shows what their own export shows —
    cm001 with a big table and last month's capability scores, cm002 with its month scored only, cm003 with nothing."""
    from engine.capability_scoring import submit_capability
    from engine.kinds.summary import figures_of_many
    from engine.operating_analysis import compute_effect
    from tests.factories import STORES_PER_CM, store_code
    from tests.integration.big_table_helpers import _scores, archived, ready

    compute_effect(app.uow(), actor_of(app, "cm001"), month="2026-10", force=True)  # last month, scored otherwise
    submit_capability(app.uow(), actor_of(app, "cm001"), owner_code="cm001", month="2026-10", rubric_version=1,
                      records=[_scores(store_code(1, i + 1), i + 1) for i in range(STORES_PER_CM)], shape_findings=[],
                      submission_id=archived(app, "cm001"))
    generate_plan(app, "cm001")
    ready(app, "cm002")
    with app.uow() as uow:
        together = figures_of_many(uow, ["cm001", "cm002", "cm003"], MONTH)
        alone = {cm: figures_of_many(uow, [cm], MONTH)[cm] for cm in ("cm001", "cm002", "cm003")}
    assert together == alone
    assert together["cm001"].single["capability"].startswith("提升 ") and "下降：" in together["cm001"].single["capability"]
    assert together["cm002"].single["capability"] == "上月或本月尚无经营能力评分"
    assert together["cm001"].lines["actions"] and not together["cm002"].lines["actions"]
    assert together["cm003"].single["completion"] == "尚未生成大表"
    folder = tmp_path / "总结"
    export_form(app, actor_of(app, "mm01"), "summary", MONTH, folder, ["cm001", "cm002"], folder=True)
    for path in sorted(folder.glob("*.xlsx")):
        cm = path.name.split("-")[1]
        own = tmp_path / f"{cm}.xlsx"
        export_form(app, actor_of(app, cm), "summary", MONTH, own)
        shown = [[c.value for c in row] for row in load_workbook(path)["月度工作总结"].iter_rows(min_row=5, max_row=14)]
        assert shown == [[c.value for c in row] for row in load_workbook(own)["月度工作总结"].iter_rows(min_row=5,
                                                                                                    max_row=14)]
