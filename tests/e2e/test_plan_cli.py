"""§3 from the command line, on each database: a month of the big table as a CM and an MM go through it, and
every refusal on the way (exit code 2, in Chinese, naming the cell)."""
from __future__ import annotations

import re

from openpyxl import load_workbook

from engine.document_types import document_types
from tests.analysis_helpers import MONTH
from tests.e2e.user_steps import PLAN, SUMMARY, decide, edit, marks, ok, planned_and_blank, ready, refused
from workbooks import big_table as plan_book, review as review_book


def plan_out(cli, folder, name: str, who: str = "cm001") -> tuple:
    path = folder / name
    return path, ok(cli("plan", "export", "--as", who, "--month", MONTH, "-o", path))


def review_out(cli, folder, name: str) -> tuple:
    path = folder / name
    return path, ok(cli("review", "export", "--as", "mm01", "--month", MONTH, "-o", path))


def _draft(cli, folder) -> tuple[tuple[int, str], tuple[int, str]]:
    """计划新增 and saving, with the refusals on the way; returns a ☆ cell and a cell the CM filled in."""
    assert "尚未生成" in refused(cli("plan", "export", "--as", "cm001", "--month", MONTH, "-o", folder / "x.xlsx"))
    assert "已生成 cm001 的 2026-11 大表" in ok(cli("plan", "generate", "--as", "cm001", "--month", MONTH))
    assert "不能重复生成" in refused(cli("plan", "generate", "--as", "cm001", "--month", MONTH))
    path, out = plan_out(cli, folder, "plan.xlsx")
    assert "6 户客户" in out and "cmw submit plan.xlsx --as cm001" in out
    star, blank = planned_and_blank(path)
    other = next(k for k, v in marks(path).items() if not v and k != blank)
    [done_cell] = edit(path, {blank: "★"})
    err = refused(cli("submit", path, "--as", "cm001"))
    assert done_cell in err and "计划阶段只能增加或删除 ☆" in err and "全部未保存" in err
    edit(path, {blank: "☆", star: ""})
    assert "已保存 2 处修改" in ok(cli("submit", path, "--as", "cm001"))
    first, _ = plan_out(cli, folder, "first.xlsx")
    second, _ = plan_out(cli, folder, "second.xlsx")
    edit(second, {star: "☆"})
    ok(cli("submit", second, "--as", "cm001"))
    [mine] = edit(first, {other: "☆"})
    err = refused(cli("submit", first, "--as", "cm001"))
    assert "已有变化" in err and "重新导出" in err and f"【{mine}】您的修改（未保存）" in err and "期间的修改" in err
    assert "无权填写 cm001 的任务执行标注表：只能由客户经理本人填写" in refused(cli("submit", first, "--as", "cm002"))
    return star, other


def _submit_and_lock(cli, folder, star, other) -> None:
    """计划提交 from the 本次操作 cell; after it the table is locked, in Excel and in Python."""
    path, _ = plan_out(cli, folder, "submit.xlsx")
    edit(path, {other: "☆"}, operation="提交")
    out = ok(cli("submit", path, "--as", "cm001"))
    assert "已计划提交" in out and "当前状态：待审核" in out
    locked, out = plan_out(cli, folder, "locked.xlsx")
    sheet = load_workbook(locked)[plan_book.SHEET]
    assert sheet.protection.sheet and sheet[PLAN.cell(star[1], star[0])].protection.locked and "cmw submit" not in out
    edit(locked, {star: ""}, unlock=True)
    assert "不能修改" in refused(cli("submit", locked, "--as", "cm001"))


def _reject_and_resubmit(cli, folder, star) -> None:
    """驳回 (refused without a reason), the CM sees why, edits and resubmits with --action, the MM approves."""
    review, out = review_out(cli, folder, "review.xlsx")
    assert "1 位客户经理待审核（计划 1 份" in out
    decide(review, {"cm001": ("驳回", None)})
    err = refused(cli("submit", review, "--as", "mm01"))
    assert f"{review_book.SHEET}!{SUMMARY.cell(review_book.REASON, SUMMARY.first_data_row)}" in err and "驳回理由" in err
    decide(review, {"cm001": ("驳回", "陈列指导太少")})
    assert "已处理 1 位" in ok(cli("submit", review, "--as", "mm01"))
    path, out = plan_out(cli, folder, "rejected.xlsx")
    assert "驳回理由（市场经理 王经理（mm01））：陈列指导太少" in out
    assert "陈列指导太少" in load_workbook(path)[plan_book.SHEET].cell(PLAN.note_row, 1).value
    edit(path, {star: "☆"})
    assert "当前状态：待审核" in ok(cli("submit", path, "--as", "cm001", "--operation", "提交"))
    review, _ = review_out(cli, folder, "review2.xlsx")
    decide(review, {"cm001": ("审核通过", None)})
    assert "已审批" in ok(cli("submit", review, "--as", "mm01"))


def _mark_and_close(cli, folder) -> None:
    """状态标注 (☆→★, a new △), 结果提交, 结果审核."""
    path, _ = plan_out(cli, folder, "marking.xlsx")
    star, blank = planned_and_blank(path)
    edit(path, {star: "★", blank: "△"})
    assert "已保存 2 处修改" in ok(cli("submit", path, "--as", "cm001"))
    path, _ = plan_out(cli, folder, "results.xlsx")
    out = ok(cli("submit", path, "--as", "cm001", "--action", "提交"))  # the old name of --operation still works
    assert "已结果提交" in out and "结果待审核" in out
    review, out = review_out(cli, folder, "review3.xlsx")
    summary = load_workbook(review)[review_book.SHEET]
    assert summary[SUMMARY.cell("what", SUMMARY.first_data_row)].value == "结果"
    assert summary[SUMMARY.cell("changes", SUMMARY.first_data_row)].value == 2
    decide(review, {"cm001": ("审核通过", "")})
    assert "结果已审核" in ok(cli("submit", review, "--as", "mm01"))
    assert "没有可选的操作" in refused(cli("submit", review, "--as", "mm01", "--action", "提交"))


def test_plan_a_month_and_review_it(cli, tmp_path):
    ready(cli, tmp_path, "cm001")
    star, other = _draft(cli, tmp_path)
    _submit_and_lock(cli, tmp_path, star, other)
    _reject_and_resubmit(cli, tmp_path, star)
    _mark_and_close(cli, tmp_path)
    assert "结果已审核" in ok(cli("plan", "list", "--as", "mm01", "--unit", "D01"))
    assert "没有符合条件的大表" in ok(cli("plan", "list", "--as", "cm001", "--state", "待审核"))
    assert "无权查看" in refused(cli("plan", "list", "--as", "mm01", "--unit", "D02"))


def test_review_rows_are_applied_one_by_one(cli, tmp_path):
    ready(cli, tmp_path, "cm001", "cm002")
    for cm in ("cm001", "cm002"):
        ok(cli("plan", "generate", "--as", cm, "--month", MONTH))
        path, _ = plan_out(cli, tmp_path, f"{cm}.xlsx", cm)
        ok(cli("submit", path, "--as", cm, "--action", "提交"))
    review, out = review_out(cli, tmp_path, "review.xlsx")
    assert "2 位客户经理待审核" in out
    meanwhile, _ = review_out(cli, tmp_path, "meanwhile.xlsx")
    decide(meanwhile, {"cm002": ("驳回", "请补充陈列指导")})
    ok(cli("submit", meanwhile, "--as", "mm01"))
    path, _ = plan_out(cli, tmp_path, "cm002-again.xlsx", "cm002")
    ok(cli("submit", path, "--as", "cm002", "--action", "提交"))

    decide(review, {"cm001": ("审核通过", None), "cm002": ("审核通过", None)})
    code, out, _ = cli("submit", review, "--as", "mm01")
    assert code == 3 and out.startswith("部分保存：已处理 1 位")  # EXIT_PARTIAL: one row refused
    assert "1 行未处理" in out and "cm001 的 2026-11 计划已审核通过" in out
    assert "cm002：任务执行标注表（cm002，2026-11）已在您打开之后被修改" in out
    listed = ok(cli("plan", "list", "--as", "mm01", "--month", MONTH))
    assert [line.split()[3] for line in listed.splitlines()[2:]] == ["已审批", "待审核"]


def test_form_kinds_and_the_big_table_pointing_to_its_own_commands(cli):
    code, out, _ = cli("form", "kinds")
    assert code == 0
    rows = [re.split(r"\s{2,}", line.strip()) for line in out.splitlines()[2:]]  # under the header and its rule
    assert [row[0] for row in rows] == list(document_types())  # every declared kind, in the manual's order
    assert {"bigtable", "analysis", "workplan", "summary", "brand_targets", "target_stores"} <= {row[0] for row in rows}
    assert ["workplan", "§11 客户经理月工作计划", "待确认 → 已确认 → 已退回 → 已审核"] in rows
    code, _, err = cli("form", "export", "bigtable", "--as", "cm001", "-o", "x.xlsx")
    assert code == 2 and "请用：cmw plan export" in err
    code, _, err = cli("form", "export", "survey", "--as", "cm001", "-o", "x.xlsx")
    assert code == 2 and "请用：cmw survey export" in err
    code, _, err = cli("form", "export", "nothing", "--as", "cm001", "-o", "x.xlsx")
    assert code == 2 and "workplan（客户经理月工作计划）" in err
