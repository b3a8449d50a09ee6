"""The month's visit plan materialised into `visit_plans` on each database, and `cmw visits plan`."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from addin import cli
from addin.app import App
from engine.errors import Refused
from engine.visits import visit_dates
from storage.schema import AuditEntry, StoreRow, VisitPlanRow
from storage.visit_plans import plan_visits
from tests.factories import make_company


@pytest.fixture
def app(db) -> App:
    make_company(db.sessions)
    return App(db.engine, db.sessions)


def plan(app: App, month: str, user: str = "admin"):
    with app.sessions.begin() as session:
        return plan_visits(session, month, app.actor(user))


def planned(app: App) -> set[tuple[str, date]]:
    with app.sessions() as session:
        return set(session.execute(select(StoreRow.code, VisitPlanRow.visit_date)
                                   .join(StoreRow, VisitPlanRow.store_id == StoreRow.id)).all())


def expected(app: App, month: str) -> set[tuple[str, date]]:
    with app.sessions() as session:
        stores = session.execute(select(StoreRow.code, StoreRow.visit_cycle, StoreRow.visit_weekday)
                                 .where(StoreRow.status == "active")).all()
    return {(code, day) for code, cycle, weekday in stores for day in visit_dates(code, cycle, weekday, month)}


def test_each_active_store_is_planned_on_its_visit_dates(app):
    report = plan(app, "2026-11")
    rows = planned(app)
    assert rows == expected(app, "2026-11")
    assert report.stores == 15 and report.visits == len(rows) > 15  # 3 CMs × 5 active stores; weekly ones repeat
    with app.sessions() as session:
        suspended = session.scalars(select(StoreRow.code).where(StoreRow.status != "active")).all()
    assert suspended and not {code for code, _ in rows} & set(suspended)
    assert "2026-11 拜访计划" in report.lines()[0] and "15 户有效客户" in report.lines()[0]


def test_planning_again_replaces_the_month_and_leaves_other_months(app):
    plan(app, "2026-10")
    october = expected(app, "2026-10")
    first = plan(app, "2026-11")
    with app.uow() as uow:  # a CM moves a store's visit day, then the month is planned again
        store = uow.session.scalar(select(StoreRow).where(StoreRow.status == "active", StoreRow.visit_cycle == 1))
        store.visit_weekday = 6
        uow.commit()
    again = plan(app, "2026-11")
    assert again.replaced == first.visits and "替换了原有的" in again.lines()[0]
    rows = planned(app)
    november = {r for r in rows if r[1].month == 11}
    assert november == expected(app, "2026-11")
    assert {d.isoweekday() for code, d in november if code == store.code} == {6}
    assert {r for r in rows if r[1].month == 10} == october  # planned before the change, and left alone
    with app.sessions() as session:
        audits = session.scalars(select(AuditEntry).where(AuditEntry.action == "plan_visits")).all()
        assert [a.entity_key for a in audits] == ["2026-10", "2026-11", "2026-11"]
        assert session.scalar(select(func.count()).select_from(VisitPlanRow)) == len(rows)


def test_only_an_administrator_plans_and_the_month_must_be_well_formed(app):
    with pytest.raises(Refused, match="管理员"):
        plan(app, "2026-11", user="cm001")
    with pytest.raises(Refused, match="YYYY-MM"):
        plan(app, "2026/11")
    assert planned(app) == set()


def test_command_line_plans_the_month(app, db, monkeypatch, capsys):
    monkeypatch.setenv("CMW_DATABASE_URL", db.url)
    assert cli.main(["visits", "plan", "--month", "2026-12", "--as", "admin"]) == 0
    assert "2026-12 拜访计划" in capsys.readouterr().out
    assert planned(app) == expected(app, "2026-12")
    assert cli.main(["visits", "plan", "--month", "2026-12", "--as", "mm01"]) == cli.EXIT_REFUSED
    assert "无权生成拜访计划：只能由管理员生成" in capsys.readouterr().err
