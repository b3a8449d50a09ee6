"""`cmw demo` end to end on each database: refuses a foreign database, --force, the whole tiny run, twice."""
from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from addin import cli
from storage.schema import (
    DocumentDecisionRow, DocumentRow,
    AuditEntry, OrderLineRow, OrderRow, ProductRow, Setting, StoreRow, Submission, Unit, User, VisitPlanRow,
)
from workbooks.stores import LAYOUT, SHEET

MONTH = "2026-11"


@pytest.fixture
def demo(cluster_roles, tmp_path, monkeypatch, capsys):
    """Run `cmw demo --size tiny` on the test database; returns (exit code, stdout, stderr)."""
    db = cluster_roles
    monkeypatch.setenv("CMW_DATABASE_URL", db.url)
    monkeypatch.chdir(tmp_path)

    def run(*extra: str) -> tuple[int, str, str]:
        code = cli.main(["demo", "--size", "tiny", "--month", MONTH, "--out", str(tmp_path / "out"), *extra])
        out, err = capsys.readouterr()
        return code, out, err
    return run


def count(db, model) -> int:
    with db.sessions() as session:
        return session.scalar(select(func.count()).select_from(model))


def content(db) -> dict:
    """What the demo put in the database, without ids and timestamps."""
    with db.sessions() as session:
        stores = session.execute(select(StoreRow.code, StoreRow.phone, StoreRow.visit_weekday, StoreRow.version,
                                        StoreRow.tier, StoreRow.status).order_by(StoreRow.code)).all()
        lines = session.execute(select(func.sum(OrderLineRow.qty_ordered), func.sum(OrderLineRow.amount))).one()
        users = session.execute(select(User.code, User.name, User.role).order_by(User.code)).all()
    counts = {m.__tablename__: count(db, m) for m in (Unit, OrderRow, OrderLineRow, ProductRow, VisitPlanRow)}
    return {"stores": stores, "lines": tuple(lines), "users": users, "counts": counts}


def test_a_database_the_demo_did_not_make_is_not_wiped_without_force(db, demo):
    from tests.factories import make_company

    make_company(db.sessions)
    code, _, err = demo()
    assert code == cli.EXIT_REFUSED
    assert "不是 cmw demo 建立的" in err and "--force" in err
    assert count(db, StoreRow) == 18 and count(db, User) == 7  # the hand-made company is untouched


def test_the_demo_fills_a_database_that_db_upgrade_left_empty(db, demo):
    """The README's order for a company: cmw db upgrade, then cmw demo — no --force needed (issue #11, item 7d)."""
    assert count(db, User) == 0  # migrated and empty, as cmw db upgrade leaves it
    code, out, err = demo()
    assert code == 0, err
    assert count(db, User) > 0 and count(db, StoreRow) > 0


def test_tiny_demo_runs_end_to_end_and_again_with_the_same_result(db, demo, tmp_path):
    code, out, err = demo("--force")
    assert code == 0, err
    with db.sessions() as session:
        assert session.get(Setting, "made_by").value == "cmw demo"
        assert session.scalars(select(User.code).where(User.role == "cm").order_by(User.code)).all() == ["cm001", "cm002"]
    assert count(db, StoreRow) == 40 and count(db, ProductRow) == 20
    assert count(db, OrderRow) > 100 and count(db, OrderLineRow) > 20 * count(db, OrderRow) // 2
    assert count(db, VisitPlanRow) >= 30
    for line in ("组织机构：", "客户：", "卷烟规格：", "订单：", f"{MONTH} 拜访计划", "已保存 3 处修改", "用时",
                 "策略生成成功：cm001", "策略生成成功：cm002", "计划已驳回", "日拜访记录表", "admin 导入网上订货平台的问卷",
                 "cm001 录入线下问卷并确认：已保存", "的客户需求调查统计表"):
        assert line in out, line
    with db.sessions() as session:  # §3 ran the whole month: every big table ends with its results approved
        states = session.scalars(select(DocumentRow.state).where(DocumentRow.kind == "bigtable")).all()
    assert states == ["results_approved", "results_approved"]
    with db.sessions() as session:  # §18 through every state (one sent back once), §15 two weeks per CM, confirmed
        contracts = session.scalars(select(DocumentRow.state).where(DocumentRow.kind == "contract")).all()
        returned = session.scalar(select(func.count()).select_from(DocumentDecisionRow)
                                  .where(DocumentDecisionRow.transition == "return"))
        weeks = session.execute(select(DocumentRow.owner_id, DocumentRow.state).where(DocumentRow.kind == "weekly")).all()
    assert contracts and set(contracts) == {"evaluated"} and returned == 1
    assert len(weeks) == 4 and {state for _, state in weeks} == {"confirmed"}
    out_dir = tmp_path / "out"
    assert sorted(p.name for p in (out_dir / "参考数据").iterdir()) == [
        "orders-2026-10.csv", "org.csv", "products.csv", "stores.csv", f"网上问卷-{MONTH}.csv"]
    assert (out_dir / "cm001" / "客户信息维护.xlsx").is_file() and (out_dir / "cm002" / "客户信息维护.xlsx").is_file()
    listed = out[out.index("写出的文件"):]  # the closing summary names every kind of file the run wrote
    written = {p.name for p in out_dir.rglob("*") if p.is_file()}
    assert written >= {"审核.xlsx", "任务执行标注表.xlsx", "经营能力评分表.xlsx", "片区统计.xlsx", "日拜访记录表.html",
                       "客户需求调查表-已填写.xlsx", "客户需求调查统计表.xlsx", "客户需求调查统计表.pdf"}
    assert [name for name in written if f"  {name}：" not in listed] == [], listed
    first = content(db)
    assert_round_trip(db, out_dir)

    code, out, err = demo()  # the database is marked as the demo's: no --force needed
    assert code == 0, err
    assert content(db) == first


def assert_round_trip(db, out_dir) -> None:
    """cm001's edited workbook carries two new phones and one new visit day, and the database took them."""
    layout = LAYOUT.sheet(SHEET)
    edited = load_workbook(out_dir / "cm001" / "客户信息维护-已修改.xlsx")[SHEET]
    row = layout.first_data_row
    codes = [edited[layout.cell("code", row + i)].value for i in range(3)]
    with db.sessions() as session:
        stores = {s.code: s for s in session.scalars(select(StoreRow).where(StoreRow.code.in_(codes)))}
        audits = session.scalars(select(AuditEntry).where(AuditEntry.action == "edit_store")).all()
        submission = session.scalars(select(Submission).where(Submission.module == "stores")).one()
    assert [stores[codes[i]].phone for i in range(2)] == [edited[layout.cell("phone", row + i)].value for i in range(2)]
    assert stores[codes[2]].version == 2
    assert sorted((a.entity_key, a.field) for a in audits) == sorted(
        [(codes[0], "phone"), (codes[1], "phone"), (codes[2], "visit_weekday")])
    assert submission.outcome == "accepted" and "已保存 3 处修改" in json.loads(submission.messages)[0]


def test_a_bad_month_is_refused_before_anything_is_touched(db, demo):
    from tests.factories import make_company

    make_company(db.sessions)
    code = cli.main(["demo", "--size", "tiny", "--month", "2026-13", "--force"])
    assert code == cli.EXIT_REFUSED
    assert count(db, StoreRow) == 18


def test_the_province_runs_on_postgresql_only_and_stops_after_the_orders(cluster_roles, tmp_path, monkeypatch, capsys):
    """`cmw demo --size province` (here the province's shape at a tiny size: two cities): PostgreSQL only, and only the
    company, its orders and visit plans — the month's steps at that scale are the benchmarks' (benchmarks/README.md)."""
    from addin.demo import company

    db = cluster_roles
    monkeypatch.setenv("CMW_DATABASE_URL", db.url)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setitem(company.SIZES, "province", company.Size("province", 2, (0, 1), 4, (20, 20), 20, 1, cities=2))
    code = cli.main(["demo", "--size", "province", "--month", MONTH, "--out", str(tmp_path / "out"), "--force"])
    out, err = capsys.readouterr()
    if db.name != "postgresql":
        assert code == cli.EXIT_REFUSED and count(db, Unit) == 0
        assert err.startswith("province 规模（1500 位客户经理、30 万户、每月约 4000 万行订单明细）只在 PostgreSQL 上运行")
        return
    assert code == 0, err
    assert "province 规模只建立公司、三个月的订单和拜访计划" in out and "客户经理工作簿" not in out
    assert count(db, OrderLineRow) > 0 and count(db, VisitPlanRow) > 0 and count(db, DocumentRow) == 0
    with db.sessions() as session:
        assert session.scalars(select(Unit.name).where(Unit.code.like("Z%")).order_by(Unit.code)).all() == [
            "江城市营销中心", "临州市营销中心"]
