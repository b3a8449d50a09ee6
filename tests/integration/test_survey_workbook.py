"""§8 the CM's entry workbook end to end, on each database: export, fill in as a user would (√ for ✓, codes for
names), save as 待确认, the same file again, confirm and the lock, a row emptied again, the refusals with their cells
(nothing saved), and two copies of the month colliding."""
from __future__ import annotations

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from addin.handlers.submission import submit_workbook
from addin.handlers.survey import export_survey
from engine.errors import Refused
from storage.schema import AuditEntry, StoreRow, SurveyAnswerRow
from tests.factories import store_code
from tests.integration.big_table_helpers import actor_of

MONTH = "2026-11"
SHEET = "线下问卷"
SECOND, FOURTH = store_code(1, 2), store_code(1, 4)  # cm001's offline active stores (the others order online)


def fill(path, cells: dict, sheet: str = SHEET) -> None:
    book = load_workbook(path)
    for cell, value in cells.items():
        book[sheet][cell] = value
    book.save(path)


def columns(path, sheet: str = SHEET) -> dict[str, str]:
    """Header text → column letter (row 6 is the header row)."""
    return {c.value: c.column_letter for c in load_workbook(path)[sheet][6] if c.value}


def rows(path, sheet: str = SHEET) -> dict[str, int]:
    """Store code → row number."""
    ws = load_workbook(path)[sheet]
    return {ws[f"A{r}"].value: r for r in range(7, ws.max_row + 1) if ws[f"A{r}"].value}


def submit(app, path, who="cm001", action=None):
    return submit_workbook(app, actor_of(app, who), path.name, path.read_bytes(), action)


def answers(app) -> dict[int, SurveyAnswerRow]:
    with app.sessions() as session:
        return {r.store_id: (r.channel, r.items, r.urgent1, r.urgent2, r.urgent3, r.suggestion, r.state,
                             str(r.answered_on)) for r in session.scalars(select(SurveyAnswerRow))}


def test_entry_round_trip(app, tmp_path):
    path = tmp_path / "调查.xlsx"
    outcome = export_survey(app, actor_of(app, "cm001"), MONTH, path)
    assert outcome.message.startswith(f"已导出 {MONTH} 的客户需求调查表") and "线下客户 2 户" in outcome.message
    book = load_workbook(path)
    sheet = book[SHEET]
    col, at = columns(path), rows(path)
    assert list(at) == [SECOND, FOURTH]
    assert sheet["A5"].value == "客户" and sheet[f"{col['货源供应']}5"].value == "货源与订货"  # the group row
    assert not sheet[f"{col['货源供应']}7"].protection.locked and sheet[f"A7"].protection.locked
    lists = {str(v.sqref).split(":")[0]: v.formula1 for v in sheet.data_validations.dataValidation if v.type == "list"}
    assert lists[f"{col['货源供应']}7"] == '"✓"'
    picks = [c for c in sheet.column_dimensions if sheet.column_dimensions[c].hidden]
    assert lists[f"{col['最急需一']}7"].startswith("$") and ":" in lists[f"{col['最急需一']}7"]  # the row's ticked items
    assert picks, "the urgent drop-downs' helper columns are hidden"
    row = at[SECOND]
    fill(path, {f"{col['调查日期']}{row}": "2026/11/5", f"{col['货源供应']}{row}": "√", f"{col['陈列指导']}{row}": "✓",
                f"{col['最急需一']}{row}": "货源供应", f"{col['最急需二']}{row}": "d05",
                f"{col['建议意见']}{row}": "希望增加紧俏烟货源，，。"})
    saved = submit(app, path)
    assert saved.message == "已保存 1 户问卷（新增 1 户，修改 0 户），1 户待确认。"
    assert f"{SECOND}：2026-11-05；货源供应、陈列指导；急需：货源供应、陈列指导；建议：希望增加紧俏烟货源，，。" in saved.details
    [kept] = answers(app).values()
    assert kept == ("offline", "D01,D05", "D01", "D05", "", "希望增加紧俏烟货源，，。", "draft", "2026-11-05")
    # the same file again with the other store filled: its own save does not make it stale
    fill(path, {f"{col['调查日期']}{at[FOURTH]}": "2026-11-06", f"{col['其他需求']}{at[FOURTH]}": "✓",
                f"{col['确认']}{row}": "确认"})
    again = submit(app, path)
    assert again.message == "已保存 1 户问卷（新增 1 户，修改 0 户），1 户待确认。已确认 1 户（已锁定）。"
    states = sorted(v[6] for v in answers(app).values())
    assert states == ["confirmed", "draft"]
    # a confirmed row is locked: a change to it is refused with its cell, nothing saved
    fill(path, {f"{col['价格咨询']}{row}": "✓", f"{col['建议意见']}{at[FOURTH]}": "新的建议"})
    with pytest.raises(Refused) as refused:
        submit(app, path)
    lines = refused.value.lines()
    assert f"【{SHEET}!{col['价格咨询']}{row}】客户 {SECOND} 的“价格咨询”不能修改：已确认的问卷已锁定。请改回空白。（填写的值：✓）" \
        in lines[1]
    assert sorted(v[6] for v in answers(app).values()) == ["confirmed", "draft"]
    # a fresh export shows the confirmed row locked; 本次操作 确认 confirms what is filled
    fresh = tmp_path / "调查2.xlsx"
    export_survey(app, actor_of(app, "cm001"), MONTH, fresh)
    ws = load_workbook(fresh)[SHEET]
    assert ws[f"{col['货源供应']}{row}"].protection.locked and ws[f"{col['货源供应']}{row}"].value == "✓"
    assert ws[f"{col['状态']}{row}"].value == "已确认" and ws[f"{col['状态']}{at[FOURTH]}"].value == "待确认"
    fill(fresh, {f"{col['调查日期']}{at[FOURTH]}": None, f"{col['其他需求']}{at[FOURTH]}": None})
    cleared = submit(app, fresh)
    assert cleared.message == "已保存 1 户问卷（新增 0 户，修改 0 户，清空 1 户）。"
    assert len(answers(app)) == 1
    with app.sessions() as session:
        actions = [a for a, in session.execute(select(AuditEntry.action).where(AuditEntry.entity == "survey")
                                               .order_by(AuditEntry.id))]
    assert actions == ["edit", "edit", "confirm", "clear"]


def test_bad_cells_are_refused_with_their_cells_and_nothing_is_saved(app, tmp_path):
    path = tmp_path / "调查.xlsx"
    export_survey(app, actor_of(app, "cm001"), MONTH, path)
    col, at = columns(path), rows(path)
    r, s = at[SECOND], at[FOURTH]
    fill(path, {f"{col['调查日期']}{r}": "2026-12-01", f"{col['货源供应']}{r}": "x",
                f"{col['最急需一']}{r}": "价格咨询",
                f"{col['新品引进']}{s}": "✓", f"{col['最急需二']}{s}": "新品引进",
                f"{col['建议意见']}{s}": "长" * 201, f"{col['确认']}{s}": "是"})
    with pytest.raises(Refused) as refused:
        submit(app, path, action="确认")
    text = "\n".join(refused.value.lines())
    assert refused.value.message.startswith("客户需求调查表有 7 处填写有误，全部未保存")
    assert f"【{SHEET}!{col['调查日期']}{r}】日期应在 2026-11 月内（2026-11-01 至 2026-11-30），填写的是 2026-12-01。" in text
    assert f"【{SHEET}!{col['货源供应']}{r}】“货源供应”只能选“✓”（从下拉列表选择）或留空。（填写的值：x）" in text
    assert f"【{SHEET}!{col['最急需一']}{r}】“最急需一”是“价格咨询”，但本户没有选这一项需求（没有勾选“✓”）" in text
    assert f"【{SHEET}!{col['最急需二']}{s}】“最急需二”前面还有空着的最急需项" in text
    assert f"【{SHEET}!{col['建议意见']}{s}】“建议意见”最多 200 个字，现有 201 个字，请删减。" in text
    assert f"【{SHEET}!{col['确认']}{s}】“确认”只能选“确认”或留空。（填写的值：是）" in text
    assert f"【{SHEET}!{col['调查日期']}{s}】填写了问卷就要填调查日期" in text
    assert answers(app) == {}


def test_two_copies_of_the_month_collide_cell_by_cell(app, tmp_path):
    first, second = tmp_path / "一.xlsx", tmp_path / "二.xlsx"
    export_survey(app, actor_of(app, "cm001"), MONTH, first)
    export_survey(app, actor_of(app, "cm001"), MONTH, second)
    col, at = columns(first), rows(first)
    r = at[SECOND]
    fill(first, {f"{col['调查日期']}{r}": "2026-11-03", f"{col['货源供应']}{r}": "✓"})
    submit(app, first)
    fill(second, {f"{col['调查日期']}{r}": "2026-11-04", f"{col['金融服务']}{r}": "✓"})
    with pytest.raises(Refused) as refused:
        submit(app, second)
    lines = refused.value.lines()
    assert lines[0].startswith("客户需求调查表在您导出后已有变化，本次提交未保存")
    assert f"【{SHEET}!{col['金融服务']}{r}】您的修改（未保存）：客户 {SECOND} 的“金融服务”空白→“✓”" in lines
    assert f"【{SHEET}!{col['调查日期']}{r}】冲突：客户 {SECOND} 的“调查日期”您改为“2026-11-04”，期间已被改为“2026-11-03”" \
           "（导出时为空白）" in lines
    assert f"【{SHEET}!{col['货源供应']}{r}】期间的修改：客户 {SECOND} 的“货源供应”空白→“✓”" in lines
    assert [v[7] for v in answers(app).values()] == ["2026-11-03"]


def test_another_users_file_and_a_manager_are_refused(app, tmp_path):
    path = tmp_path / "调查.xlsx"
    export_survey(app, actor_of(app, "cm001"), MONTH, path)
    with pytest.raises(Refused, match="客户经理 李四（cm002）无权填写 cm001 的客户需求调查表：只能由客户经理本人填写"):
        submit(app, path, who="cm002")
    with pytest.raises(Refused, match="市场经理 王经理（mm01）无权填写客户需求调查表：只能由客户经理本人填写"):
        export_survey(app, actor_of(app, "mm01"), MONTH, tmp_path / "x.xlsx")


@pytest.mark.libreoffice
def test_a_file_re_saved_by_libreoffice_with_full_width_typing_is_taken(tmp_path):
    """A CM on LibreOffice: the file opened and saved again there (its drop-downs of the row's ticked items kept),
    a date typed with full-width digits, the other store ticked; one database is enough (the file is the subject)."""
    from tests.integration.libreoffice_pdf import require_tools, resave
    from tests.integration.workbook_samples import company_app

    require_tools()
    app = company_app(tmp_path)
    path = tmp_path / "调查.xlsx"
    export_survey(app, actor_of(app, "cm001"), MONTH, path)
    col, at = columns(path), rows(path)
    fill(path, {f"{col['调查日期']}{at[SECOND]}": "２０２６年１１月９日", f"{col['网上订货帮助']}{at[SECOND]}": "✓",
                f"{col['最急需一']}{at[SECOND]}": "网上订货帮助"})
    saved = resave(path, tmp_path / "profile", tmp_path / "lo")
    ws = load_workbook(saved)[SHEET]
    lists = {str(v.sqref).split(":")[0]: v.formula1 for v in ws.data_validations.dataValidation if v.type == "list"}
    assert ":" in lists[f"{col['最急需一']}7"], "the urgent drop-down still lists its row's ticked items"
    assert ws[f"{col['最急需一']}{at[SECOND]}"].value == "网上订货帮助"
    outcome = submit(app, saved)
    assert outcome.message == "已保存 1 户问卷（新增 1 户，修改 0 户），1 户待确认。"
    assert [v[:3] + (v[7],) for v in answers(app).values()] == [("offline", "D03", "D03", "2026-11-09")]
    app.engine.dispose()


def test_a_sorted_sheet_is_read_by_store_code(app, tmp_path):
    """The CM sorts 线下问卷 (by name, descending): Excel moves each row's values, its helper formulas still read
    their own row; the answers go to the stores their rows name."""
    path = tmp_path / "调查.xlsx"
    export_survey(app, actor_of(app, "cm001"), MONTH, path)
    col, at = columns(path), rows(path)
    book = load_workbook(path)
    sheet = book[SHEET]
    first, second = at[SECOND], at[FOURTH]
    for cell in sheet[first]:
        other = sheet.cell(second, cell.column)
        if not str(cell.value or "").startswith("="):  # what a sort moves; our formulas stay relative to their row
            cell.value, other.value = other.value, cell.value
    sheet[f"{col['调查日期']}{first}"], sheet[f"{col['送货服务']}{first}"] = "2026-11-07", "✓"
    book.save(path)
    assert rows(path) == {FOURTH: first, SECOND: second}
    submit(app, path)
    with app.sessions() as session:
        [(code, items)] = session.execute(select(StoreRow.code, SurveyAnswerRow.items)
                                          .join(StoreRow, StoreRow.id == SurveyAnswerRow.store_id)).all()
    assert (code, items) == (FOURTH, "D04")
