"""`import stores` on each database: upsert by 客户编码, versions of changed stores, all or nothing."""
from __future__ import annotations


import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from engine.errors import Refused
from storage.schema import AuditEntry, StoreRow
from tests.factories import make_company, store_code
from tests.import_files import run_import, write_csv

HEADER = ["客户编码", "客户名称", "许可证号", "负责人", "联系人", "联系电话", "经营地址", "客户经理", "状态",
          "网上订货", "综合分类", "档位", "订货日", "拜访频次", "拜访日", "备注"]
NEW = [
    ["550100000001", "新开便利店", "550100000001", "王五", "", "13900000001", "新街1号", "cm001", "有效",
     "是", "CB1", "26", "周三", "", "", ""],
    ["550100000002", "乡村小卖部", "550100000002", "赵六", "", "13900000002", "村口", "cm002", "暂停",
     "否", "XZ3", "ZZ", "周二", "每周", "周五", "老客户"],
    ["550100000003", "烟酒商行", "550100000003", "钱七", "", "", "大道3号", "cm003", "01",
     "否", "CY2", "18", "", "", "", ""],
]


def write(path, rows, header=HEADER, encoding="utf-8"):
    return write_csv(path, header, rows, encoding)


def run(db, path):
    return run_import(db, "stores", path)


def stored(db, code: str) -> StoreRow:
    with db.sessions() as session:
        return session.scalar(select(StoreRow).where(StoreRow.code == code))


def count(db, model) -> int:
    with db.sessions() as session:
        return session.scalar(select(func.count()).select_from(model))


def findings(refusal) -> list[tuple]:
    return [(f.row, f.column, f.code) for f in refusal.value.findings]


@pytest.fixture
def company(db):
    make_company(db.sessions)
    return db


def test_new_stores_get_defaults_and_changed_ones_a_new_version(company, tmp_path):
    db = company
    report = run(db, write(tmp_path / "stores.csv", NEW))
    assert (report.rows, report.inserted, report.updated) == (3, 3, 0)
    assert report.lines()[0].startswith("客户：读取 3 行，新增 3 户，更新 0 户，用时")
    first, second, third = (stored(db, row[0]) for row in NEW)
    assert (first.visit_cycle, first.visit_weekday, first.online_ordering, first.tier) == (1, 3, True, 26)
    assert (first.market, first.format, first.scale, first.status, first.version) == ("C", "B", "1", "active", 1)
    assert (second.visit_cycle, second.visit_weekday, second.tier, second.status, second.notes) == (1, 5, None, "suspended", "老客户")
    assert (third.visit_cycle, third.visit_weekday, third.order_weekday) == (2, 1, None)

    changed = [row[:] for row in NEW] + [["550100000004", "第四家", "", "", "", "", "路4号", "cm001", "有效",
                                          "否", "CZ2", "3", "周一", "", "", ""]]
    changed[0][1] = "新开便利店（改名）"
    report = run(db, write(tmp_path / "stores2.csv", changed))
    assert (report.inserted, report.updated) == (1, 1)
    assert stored(db, NEW[0][0]).name == "新开便利店（改名）"
    assert stored(db, NEW[0][0]).version == 2 and stored(db, NEW[0][0]).updated_at is not None
    assert stored(db, NEW[1][0]).version == 1

    again = run(db, write(tmp_path / "stores2.csv", changed))
    assert (again.inserted, again.updated) == (0, 0)
    assert stored(db, NEW[0][0]).version == 2
    assert count(db, AuditEntry) == 3


def test_co_cust_headers_update_only_the_columns_the_file_has(company, tmp_path):
    db = company
    code = store_code(1, 1)
    before = stored(db, code)
    header = ["CUST_ID", "cust_name", "license_code", "manager", "order_tel", "busi_addr", "cust_seg", "status",
              "综合分类", "sale_center_id"]
    report = run(db, write(tmp_path / "co_cust.csv", [[code, before.name, "LIC-9", "cm001", "02087654321", "新地址 8 号",
                                                       "05", "04", "cz1", "S01"]], header))
    assert (report.inserted, report.updated) == (0, 1)
    after = stored(db, code)
    assert (after.licence, after.phone, after.address, after.tier, after.status) == ("LIC-9", "02087654321", "新地址 8 号", 5, "closed")
    assert (after.visit_cycle, after.visit_weekday, after.notes, after.contact) == (
        before.visit_cycle, before.visit_weekday, before.notes, before.contact)
    assert after.version == before.version + 1


def test_bad_rows_are_refused_with_row_column_and_value_and_nothing_is_written(company, tmp_path):
    db = company
    good = NEW[0]
    rows = [good,
            [*good[:0], "550100000010", "甲", "", "", "", "", "", "cm001", "关闭", "是", "CZ1", "5", "周一", "", "", ""],
            ["550100000011", "乙", "", "", "", "", "", "cm001", "有效", "是", "CZ4", "31", "周一", "", "", ""],
            ["550100000012", "丙", "", "", "", "", "", "mm01", "有效", "是", "CZ1", "5", "周一", "", "", ""],
            ["550100000013", "丁", "", "", "", "", "", "nobody", "有效", "是", "CZ1", "5", "周八", "", "", ""],
            good,
            ["550100000014", "", "", "", "", "", "", "", "有效", "是", "CZ1", "5", "周一", "", "", ""],
            ["550100000015", "戊", "", "", "", "", "", "", "注销", "是", "CZ1", "5", "周一", "", "", ""]]
    with pytest.raises(Refused) as refusal:
        run(db, write(tmp_path / "bad.csv", rows))
    assert findings(refusal) == [
        (3, "状态", "bad_status"),
        (4, "综合分类", "bad_category"),
        (4, "档位", "bad_tier"),
        (5, "客户经理", "bad_cm_code"),
        (6, "客户经理", "bad_cm_code"),
        (6, "订货日", "bad_order_weekday"),
        (7, "客户编码", "repeated_key"),
        (8, "客户名称", "bad_name"),
        (8, "客户经理", "missing_cm"),
    ]
    texts = [f.text() for f in refusal.value.findings]
    assert texts[3] == "【第 5 行，“客户经理”列】该用户是市场经理，不是客户经理（填写的值：mm01）"
    assert texts[6] == "【第 7 行，“客户编码”列】客户编码重复：第 2 行已有这个客户编码，每个客户编码只能出现一次（填写的值：550100000001）"
    assert count(db, StoreRow) == 18 and count(db, AuditEntry) == 0


def test_xlsx_keeps_leading_zeros_and_folds_full_width_text(company, tmp_path):
    db = company
    book = Workbook()
    book.active.append(["客户编码", "客户名称", "客户经理", "联系电话", "城乡", "业态", "规模", "档位", "订货日"])
    book.active.append(["0012345", "（全角）烟店", "ｃｍ００１", 13800138000, "城镇", "便利店", "大", "１２", "星期四"])
    book.active.append([None] * 9)
    book.active.append(["0012346", "第二家", "cm002", None, "X", "Z", 3, 7, 5])
    book.save(tmp_path / "stores.xlsx")
    report = run(db, tmp_path / "stores.xlsx")
    assert (report.rows, report.inserted) == (2, 2)
    first, second = stored(db, "0012345"), stored(db, "0012346")
    assert (first.name, first.phone, first.market, first.format, first.scale, first.tier) == (
        "（全角）烟店", "13800138000", "C", "B", "1", 12)
    assert (first.order_weekday, first.visit_weekday, first.visit_cycle) == (4, 4, 4)
    assert (second.market, second.format, second.scale, second.order_weekday, second.visit_cycle) == ("X", "Z", "3", 5, 4)


def test_a_file_without_any_category_column_is_refused(company, tmp_path):
    with pytest.raises(Refused, match="缺少“综合分类”列"):
        run(company, write(tmp_path / "s.csv", [["1", "甲", "cm001"]], ["客户编码", "客户名称", "客户经理"]))
