"""`import org` on each database: units and users upserted by code, the tree checked, all or nothing."""
from __future__ import annotations


import pytest
from sqlalchemy import func, select

from engine.actors import Actor, Role
from engine.errors import Refused
from storage.schema import AuditEntry, Unit, User
from tests.import_files import ADMIN, run_import, write_csv

HEADER = ["单位编码", "单位名称", "单位类型", "上级单位编码", "用户编码", "用户姓名", "角色"]
ROWS = [
    ["C01", "示例市烟草公司", "公司", "", "admin", "系统管理员", "管理员"],
    ["Z01", "城区营销中心", "营销中心", "C01", "bm01", "品牌甲", "品牌经理"],
    ["D01", "东区营销部", "营销部", "Z01", "mm01", "王经理", "市场经理"],
    ["P001", "东一片区", "片区", "D01", "cm001", "张三", "客户经理"],
    ["P002", "东二片区", "片区", "D01", "cm002", "李四", "客户经理"],
    ["D01", "东区营销部", "营销部", "Z01", "mm09", "副经理", "市场经理"],
]


def write(path, rows, header=HEADER, encoding="utf-8"):
    return write_csv(path, header, rows, encoding)


def run(db, path, actor=ADMIN):
    return run_import(db, "org", path, actor)


def count(db, model) -> int:
    with db.sessions() as session:
        return session.scalar(select(func.count()).select_from(model))


def tree(db) -> dict[str, tuple]:
    with db.sessions() as session:
        parent = {u.id: u.code for u in session.scalars(select(Unit))}
        units = {u.code: (u.name, u.kind, parent.get(u.parent_id)) for u in session.scalars(select(Unit))}
        users = {u.code: (u.name, u.role, parent[u.unit_id]) for u in session.scalars(select(User))}
    return {**units, **users}


def findings(refusal) -> list[tuple]:
    return [(f.row, f.column, f.code) for f in refusal.value.findings]


def test_a_new_organisation_is_written_and_a_second_import_changes_nothing(db, tmp_path):
    path = write(tmp_path / "org.csv", ROWS)
    report = run(db, path)
    assert (report.kind, report.rows, report.inserted, report.updated) == ("org", 6, 11, 0)
    assert report.lines()[0].startswith("组织机构：读取 6 行，新增 11 条，更新 0 条，用时")
    assert "单位新增 5 个、更新 0 个；用户新增 6 个、更新 0 个" in report.lines()[1]
    now = tree(db)
    assert now["P002"] == ("东二片区", "district", "D01")
    assert now["cm001"] == ("张三", "cm", "P001") and now["mm09"] == ("副经理", "mm", "D01")
    assert now["C01"] == ("示例市烟草公司", "company", None)

    again = run(db, path)
    assert (again.inserted, again.updated) == (0, 0)
    assert tree(db) == now
    with db.sessions() as session:
        audit = session.scalars(select(AuditEntry)).all()
    assert [(a.actor_code, a.action, a.entity, a.entity_key) for a in audit] == [("admin", "import", "org", "org.csv")] * 2
    assert audit[0].new_value.startswith("组织机构：读取 6 行")


def test_changes_update_by_code_and_a_gbk_file_reads(db, tmp_path):
    run(db, write(tmp_path / "org.csv", ROWS))
    changed = [row[:] for row in ROWS[:5]] + [["Z01", "城区营销中心", "营销中心", "C01", "bm02", "品牌乙", "品牌经理"]]
    changed[3][1] = "东一片区（新）"
    changed[4][5] = "李思"
    report = run(db, write(tmp_path / "org-gbk.csv", changed, encoding="gbk"))
    assert (report.inserted, report.updated) == (1, 2)
    now = tree(db)
    assert now["P001"][0] == "东一片区（新）" and now["cm002"] == ("李思", "cm", "P002")
    assert now["bm02"] == ("品牌乙", "bm", "Z01") and now["mm09"] == ("副经理", "mm", "D01")


def test_a_bad_tree_is_refused_cell_by_cell_and_nothing_is_written(db, tmp_path):
    rows = [
        ["C01", "示例市烟草公司", "公司", "", "admin", "系统管理员", "管理员"],
        ["Z01", "城区营销中心", "营销中心", "C01", "", "", ""],
        ["D01", "东区营销部", "营销部", "X99", "cm009", "赵六", "客户经理"],
        ["P001", "东一片区", "片区", "Z01", "cm001", "张三", "组长"],
        ["C01", "另一个名字", "公司", "", "", "", ""],
        ["P002", "东二片区", "片区", "D01", "mm01", "", "市场经理"],
        ["P003", "东三片区", "片区", "D01", "admin", "重复", "管理员"],
        ["P004", "", "区", "D01", "", "", "客户经理"],
    ]
    with pytest.raises(Refused) as refusal:
        run(db, write(tmp_path / "bad.csv", rows))
    assert findings(refusal) == [
        (4, "上级单位编码", "bad_parent"),
        (4, "角色", "role_unit"),
        (5, "上级单位编码", "bad_parent"),
        (5, "角色", "bad_role"),
        (6, "单位名称", "unit_name_differs"),
        (7, "用户姓名", "missing_user_name"),
        (7, "角色", "role_unit"),
        (8, "用户编码", "repeated_key"),
        (9, "单位名称", "bad_unit_name"),
        (9, "单位类型", "bad_unit_kind"),
        (9, "角色", "role_without_user"),
    ]
    texts = [f.text() for f in refusal.value.findings]
    assert texts[0] == "【第 4 行，“上级单位编码”列】上级单位 X99 不存在：请在本文件中定义它，或先导入它（填写的值：X99）"
    assert "片区的上级应是营销部" in texts[2]
    assert "第 2 行是 示例市烟草公司" in texts[4]
    assert refusal.value.message.startswith("组织机构文件 bad.csv 有 11 处错误，没有导入任何数据")
    assert count(db, Unit) == count(db, User) == count(db, AuditEntry) == 0


def test_a_missing_column_is_named_with_the_headers_accepted(db, tmp_path):
    with pytest.raises(Refused) as refusal:
        run(db, write(tmp_path / "org.csv", [r[:2] + r[3:] for r in ROWS], HEADER[:2] + HEADER[3:]))
    assert refusal.value.findings[0].text() == "【“单位类型”列】缺少必填列“单位类型”。可用的列名：单位类型（或 unit_kind、kind）。"


def test_english_headers_and_one_cm_per_district(db, tmp_path):
    header = ["unit_code", "unit_name", "unit_kind", "parent_code", "user_code", "user_name", "role"]
    rows = ROWS[:4] + [["P001", "东一片区", "district", "D01", "cm002", "李四", "cm"]]
    with pytest.raises(Refused) as refusal:
        run(db, write(tmp_path / "org.csv", rows, header))
    assert findings(refusal) == [(6, "user_code", "district_taken")]
    assert "片区 P001 已有客户经理 cm001" in refusal.value.findings[0].message


def test_only_an_administrator_may_import(db, tmp_path):
    cm = Actor("cm001", "张三", Role.CM, ("C01", "Z01", "D01", "P001"))
    with pytest.raises(Refused, match="无权导入基础数据.*只能由管理员导入"):
        run(db, write(tmp_path / "org.csv", ROWS), cm)
