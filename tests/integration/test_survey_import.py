"""§8 the ordering platform's answers imported for a month, on each database: the platform's own column names, all
or nothing with every bad row named (unknown store, unknown item, an urgent demand not ticked, another company's
store, a store twice, an offline answer already entered), the file kept as a submission; the CM confirms the answers
in the entry workbook's 网上问卷 sheet, and a confirmed answer is never changed by a later import."""
from __future__ import annotations

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from addin.handlers.survey import export_survey
from addin.handlers.survey_import import import_survey
from addin.handlers.submission import submit_workbook
from engine.errors import Refused
from storage.schema import Submission, SurveyAnswerRow, StoreRow, Unit, User
from tests.factories import store_code
from tests.integration.big_table_helpers import actor_of

MONTH = "2026-11"
ONLINE_1, ONLINE_3, OFFLINE_2 = store_code(1, 1), store_code(1, 3), store_code(1, 2)
HEADER = "cust_id,answer_date,need_items,urgent_need1,urgent_need2,urgent_need3,advice\n"


def write(path, lines: list[str], encoding="utf-8"):
    path.write_text(HEADER + "".join(f"{line}\n" for line in lines), encoding=encoding)
    return path


def answers(app):
    with app.sessions() as session:
        return {code: (r.channel, r.items, r.urgent1, r.state) for r, code in session.execute(
            select(SurveyAnswerRow, StoreRow.code).join(StoreRow, StoreRow.id == SurveyAnswerRow.store_id))}


def test_platform_answers_are_imported_and_confirmed_in_the_workbook(app, tmp_path):
    path = write(tmp_path / "网上问卷.csv", [
        f"{ONLINE_1},20261102,D01、陈列指导,D05,D01,,希望多来店指导",
        f"{ONLINE_3},2026-11-03,\"d03,D04\",网上订货帮助,,,",
        f"{store_code(2, 1)},2026/11/4,D11,,,,",
    ], encoding="gbk")
    outcome = import_survey(app, actor_of(app, "admin"), path, MONTH)
    assert outcome.message == "网上问卷：读取 3 行，新增 3 份，更新 0 份（待确认）。"
    assert answers(app)[ONLINE_1] == ("online", "D01,D05", "D05", "draft")
    assert answers(app)[ONLINE_3] == ("online", "D03,D04", "D03", "draft")
    book = tmp_path / "调查.xlsx"
    export_survey(app, actor_of(app, "cm001"), MONTH, book)
    ws = load_workbook(book)["网上问卷"]
    header = {c.value: c.column_letter for c in ws[6] if c.value}
    at = {ws[f"A{r}"].value: r for r in range(7, ws.max_row + 1)}
    assert list(at) == [ONLINE_1, ONLINE_3]
    assert ws[f"{header['货源供应']}{at[ONLINE_1]}"].value == "✓"
    assert ws[f"{header['货源供应']}{at[ONLINE_1]}"].protection.locked  # the platform's answer: read-only
    assert not ws[f"{header['确认']}{at[ONLINE_1]}"].protection.locked
    wb = load_workbook(book)
    wb["网上问卷"][f"{header['确认']}{at[ONLINE_1]}"] = "确认"
    wb["网上问卷"][f"{header['建议意见']}{at[ONLINE_3]}"] = "改了平台的答案"  # a careless edit (the sheet unprotected)
    wb.save(book)
    with pytest.raises(Refused) as refused:
        submit_workbook(app, actor_of(app, "cm001"), book.name, book.read_bytes())
    assert f"【网上问卷!{header['建议意见']}{at[ONLINE_3]}】客户 {ONLINE_3} 的“建议意见”不能修改：这户的问卷已由网上订货平台导入。" \
           "请改回空白。（填写的值：改了平台的答案）" in refused.value.lines()
    wb["网上问卷"][f"{header['建议意见']}{at[ONLINE_3]}"] = None
    wb.save(book)
    done = submit_workbook(app, actor_of(app, "cm001"), book.name, book.read_bytes())
    assert done.message == "文件中没有新的问卷修改。已确认 1 户（已锁定）。"
    assert answers(app)[ONLINE_1][3] == "confirmed"
    # the platform sends the month again: the confirmed answer unchanged is left, a changed one refused
    again = write(tmp_path / "网上问卷2.csv", [
        f"{ONLINE_1},20261102,D01、陈列指导,D05,D01,,希望多来店指导",
        f"{ONLINE_3},2026-11-03,D03,,,,",
    ])
    outcome = import_survey(app, actor_of(app, "admin"), again, MONTH)
    assert outcome.message == "网上问卷：读取 2 行，新增 0 份，更新 1 份（待确认），1 份已确认且内容相同，未改动。"
    # the CM's old file shows ONLINE_3 as it was before that import: it cannot confirm what it did not show
    wb = load_workbook(book)
    wb["网上问卷"][f"{header['确认']}{at[ONLINE_3]}"] = "确认"
    wb.save(book)
    with pytest.raises(Refused) as refused:
        submit_workbook(app, actor_of(app, "cm001"), book.name, book.read_bytes())
    assert f"【网上问卷!{header['确认']}{at[ONLINE_3]}】客户 {ONLINE_3} 的问卷在您导出后已有变化（例如网上问卷重新导入），" \
           "不能按旧的内容确认。请重新导出，核对后再确认。" in refused.value.lines()
    assert answers(app)[ONLINE_3] == ("online", "D03", "", "draft")
    changed = write(tmp_path / "网上问卷3.csv", [f"{ONLINE_1},20261102,D01,,,,"])
    with pytest.raises(Refused) as refused:
        import_survey(app, actor_of(app, "admin"), changed, MONTH)
    assert "【第 2 行，“cust_id”列】这户客户本月的网上问卷已由客户经理确认，不能被导入修改（文件中的内容与已确认的不同）。" \
           f"（填写的值：{ONLINE_1}）" in refused.value.lines()
    assert answers(app)[ONLINE_1] == ("online", "D01,D05", "D05", "confirmed")


def test_a_bad_file_is_refused_row_by_row_and_nothing_is_written(app, tmp_path):
    with app.sessions.begin() as session:  # another company's store, with its own CM
        unit = Unit(code="C09", name="另一市烟草公司", kind="company")
        session.add(unit)
        session.flush()
        other = User(code="cm901", name="外人", role="cm", unit_id=unit.id)
        session.add(other)
        session.flush()
        session.add(StoreRow(code="990000000001", name="外地店", cm_id=other.id, status="active", market="C",
                             format="Z", scale="1", visit_cycle=1, visit_weekday=1))
    book = tmp_path / "调查.xlsx"
    export_survey(app, actor_of(app, "cm001"), MONTH, book)
    wb = load_workbook(book)
    ws = wb["线下问卷"]
    header = {c.value: c.column_letter for c in ws[6] if c.value}
    ws[f"{header['调查日期']}7"], ws[f"{header['货源供应']}7"] = "2026-11-02", "✓"
    wb.save(book)
    submit_workbook(app, actor_of(app, "cm001"), book.name, book.read_bytes())
    path = write(tmp_path / "坏.csv", [
        "440199999999,2026-11-02,D01,,,,",
        f"{ONLINE_1},2026-11-02,D01、D99,,,,",
        f"{ONLINE_3},2026-11-02,D01,D02,,,",
        "990000000001,2026-11-02,D01,,,,",
        f"{ONLINE_3},2026-11-02,D01,,,,",
        f"{OFFLINE_2},2026-11-02,D01,,,,",
        f"{store_code(2, 3)},2026-10-31,D01,D01,D01,,",
    ])
    with pytest.raises(Refused) as refused:
        import_survey(app, actor_of(app, "admin"), path, MONTH)
    lines = refused.value.lines()
    assert lines[0].startswith("网上问卷文件 坏.csv 有 8 处错误，没有导入任何数据。")
    assert "（文件已保存，提交编号" in lines[0]
    expected = [
        "【第 2 行，“cust_id”列】客户不存在（请先导入客户资料：cmw import stores）。（填写的值：440199999999）",
        "【第 3 行，“need_items”列】“D99”不是本月问卷的需求项目",
        "【第 4 行，“urgent_need1”列】“最急需一”是“新品引进”，但本户没有选这一项需求（没有勾选“✓”）",
        "【第 5 行，“cust_id”列】这户客户不属于本公司（或不在您管辖的范围内），不能导入。（填写的值：990000000001）",
        f"【第 6 行，“cust_id”列】与第 4 行是同一户客户：一户客户每月只有一份问卷。（填写的值：{ONLINE_3}）",
        f"【第 7 行，“cust_id”列】这户客户本月已有客户经理录入的线下问卷，不能再导入网上问卷。（填写的值：{OFFLINE_2}）",
        "【第 8 行，“answer_date”列】日期应在 2026-11 月内（2026-11-01 至 2026-11-30），填写的是 2026-10-31。",
        "【第 8 行，“urgent_need2”列】“最急需二”与“最急需一”相同（货源供应），三项最急需的需求不能重复。",
    ]
    for line in expected:
        assert any(text.startswith(line) for text in lines), line
    assert set(answers(app)) == {OFFLINE_2}
    with app.sessions() as session:
        kept = session.scalars(select(Submission).order_by(Submission.id.desc())).first()
    assert kept.filename == "坏.csv" and kept.outcome == "refused" and kept.content == path.read_bytes()
    with pytest.raises(Refused, match="无权导入网上问卷答案：只能由管理员导入"):
        import_survey(app, actor_of(app, "cm001"), path, MONTH)
