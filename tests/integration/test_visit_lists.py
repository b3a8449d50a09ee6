"""§13 daily visit list and §12 weekly arrangement on each database: due stores with their planned actions."""
from datetime import date

import pytest
from openpyxl import load_workbook

from addin.app import App
from addin.handlers.visits import visit_list
from engine.documents import transition_document
from engine.errors import Refused
from engine.big_table import ACTION_NAMES, SUBMIT
from storage.visit_plans import plan_visits
from tests.analysis_helpers import actor
from tests.plan_helpers import back, exported

MONTH = "2026-11"


def due_days(db):
    with db.uow() as uow:
        return sorted({v.day for v in uow.visits.due("cm001", date(2026, 11, 1), date(2026, 11, 30))})


def test_refused_until_approved_then_lists_due_stores(planned, tmp_path):
    app = App(planned.engine, planned.sessions)
    with planned.sessions.begin() as session:
        plan_visits(session, MONTH, actor(planned, "admin"))
    day = due_days(planned)[0]
    with pytest.raises(Refused, match="审批通过后"):
        visit_list(app, actor(planned, "cm001"), kind="day", cm_code="cm001", start=day, target=tmp_path / "d.html")
    export_id, cells = exported(planned)
    back(planned, export_id, cells, SUBMIT)
    transition_document(planned.uow(), actor=actor(planned, "mm01"), kind="bigtable", owner_code="cm001",
                        period=MONTH, transition="approve_plan")
    outcome = visit_list(app, actor(planned, "cm001"), kind="day", cm_code="cm001", start=day,
                         target=tmp_path / "day.html")
    html = (tmp_path / "day.html").read_text(encoding="utf-8")
    with planned.uow() as uow:
        due = [v for v in uow.visits.due("cm001", day, day)]
    assert due and all(v.name in html for v in due) and "日拜访记录表" in html and f"{len(due)} 次拜访" in outcome.message
    planned_here = [(s, a) for (s, a), m in cells.items() if m == "☆" and s in {v.code for v in due}]
    assert all(f"☆{ACTION_NAMES[action]}" in html for _, action in planned_here)
    week = visit_list(app, actor(planned, "mm01"), kind="week", cm_code="cm001", start=date(2026, 11, 2),
                      target=tmp_path / "week.xlsx")
    book = load_workbook(tmp_path / "week.xlsx")
    assert "周工作安排表" in book.sheetnames and "周一" in str([c.value for row in book["周工作安排表"].iter_rows() for c in row])
    assert "起一周" in week.message
    with pytest.raises(Refused, match="无权查看 cm001 的日拜访记录表"):
        visit_list(app, actor(planned, "mm02"), kind="day", cm_code="cm001", start=day, target=tmp_path / "x.html")
