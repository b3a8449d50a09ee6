"""§15 客户经理周自我评估 on each database: the week's figures from the visit plan (§12) and the big table's marks of
that week (§13), a week that does not start on Monday refused, bad input refused by cell, save then confirm (locked),
the list by week, and the month's weeks shown read-only in §16 (and §18, through the same figures)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from addin.app import App
from engine.big_table import SUBMIT
from engine.documents import transition_document
from engine.errors import Refused
from storage.visit_plans import plan_visits
from tests.analysis_helpers import MONTH, actor
from tests.integration.test_forms import fill, submit
from tests.plan_helpers import back, exported

SHEET, RATINGS = "周自我评估", "自我评价"
#: the marks are audited at the moment they are made: the week that counts them is this week
WEEK = date.today() - timedelta(days=date.today().weekday())


@pytest.fixture
def app(planned) -> App:
    """cm001's big table of MONTH generated; the week's visit plan made."""
    with planned.sessions.begin() as session:
        for month in sorted({f"{WEEK:%Y-%m}", f"{WEEK + timedelta(days=6):%Y-%m}"}):
            plan_visits(session, month, actor(planned, "admin"))
    return App(planned.engine, planned.sessions)


def _done(planned) -> tuple[set[str], int]:
    """cm001's plan submitted and approved, then every ☆ of the file's columns marked ★ (now, in this week): the
    stores marked and how many ★."""
    export_id, cells = exported(planned)
    back(planned, export_id, cells, SUBMIT)
    transition_document(planned.uow(), actor=actor(planned, "mm01"), kind="bigtable", owner_code="cm001",
                        period=MONTH, transition="approve_plan")
    export_id, cells = exported(planned)
    done = [(store, action) for (store, action), mark in cells.items()  # the columns the test file has
            if mark == "☆" and action in ("assortment", "display", "law")]
    assert done and back(planned, export_id, {**cells, **{key: "★" for key in done}}).changed == len(done)
    return {store for store, _ in done}, len(done)


def test_a_week_assessed_saved_confirmed_and_shown_in_the_month(app, planned, cmw, tmp_path):
    stores, done = _done(planned)
    path = tmp_path / "周.xlsx"
    code, out, err = cmw("form", "export", "weekly", "--as", "cm001", "--week", WEEK, "-o", path)
    assert code == 0, err
    with app.uow() as uow:
        due = uow.visits.due("cm001", WEEK, WEEK + timedelta(days=6))
    sheet = load_workbook(path)[SHEET]
    figures = {sheet[f"A{row}"].value: sheet[f"B{row}"].value for row in range(5, 14)}
    assert figures["计划拜访次数（§12）"] == len(due) and figures["计划拜访客户数（户）"] == len({v.code for v in due})
    assert figures["有完成标注的客户数（户，§13）"] == len(stores) and figures["本周完成的计划任务 ★"] == done
    assert [c.value for c in load_workbook(path)[RATINGS]["B"][4:8]] == ["拜访执行", "任务完成", "客户服务", "学习提升"]
    code, _, err = cmw("form", "export", "weekly", "--as", "cm001", "--week", WEEK + timedelta(days=1), "-o", path)
    assert code == 2 and f"那一周的周一是 {WEEK}" in err
    # bad input: every cell named, nothing saved
    fill(path, SHEET, {"B4": "提交", "B11": "两户"})
    fill(path, RATINGS, {"D5": "很好"})
    with pytest.raises(Refused) as refused:
        submit(app, path)
    assert {(f.sheet, f.cell) for f in refused.value.findings} == {(SHEET, "B11"), (RATINGS, "D5")}
    # saved (not yet confirmed) with one heading rated; 提交 then needs every heading and the texts
    fill(path, SHEET, {"B4": "保存", "B11": 1})
    fill(path, RATINGS, {"D5": "良"})
    assert submit(app, path).message == "已保存 2 处修改。"
    fill(path, SHEET, {"B4": "提交"})
    with pytest.raises(Refused, match="还不能提交") as refused:
        submit(app, path)
    said = " ".join(f.message for f in refused.value.findings)
    assert "“自我评价”至少填写 4 行（现有 1 行）" in said and "遇到的问题" in said and "下周改进" in said
    fill(path, SHEET, {"B12": "两户烟酒店缺紧俏规格。", "B13": "补访未完成任务的客户。"})
    fill(path, RATINGS, {"D6": "优", "D7": "良", "D8": "中", "E8": "新品知识要补"})
    assert "当前状态：已确认" in submit(app, path).details[-2]
    fill(path, SHEET, {"B4": "保存", "B12": "改一下"})
    with pytest.raises(Refused, match="不允许"):
        submit(app, path)
    # listed by the week's start; a month lists its weeks
    code, out, err = cmw("form", "list", "weekly", "--as", "mm01", "--month", f"{WEEK:%Y-%m}")
    rows = [line.split() for line in out.splitlines()]
    assert code == 0 and "周开始日期" in rows[0] and ["cm001", "张三", str(WEEK), "已确认"] in rows
    # the month's weeks, read-only, in §16
    summary = tmp_path / "总结.xlsx"
    code, _, err = cmw("form", "export", "summary", "--as", "cm001", "--month", f"{WEEK:%Y-%m}", "-o", summary)
    assert code == 0, err
    weeks = load_workbook(summary)["周自我评估（§15）"]
    row = [c.value for c in weeks[5]]
    assert row[1].startswith(f"{WEEK:%Y-%m-%d}～") and row[2] == "已确认" and row[5] == done and "良 2" in row[7]
    assert weeks["B5"].protection.locked
