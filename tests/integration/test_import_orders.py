"""`import orders` on each database: staged bulk load, re-import replaces lines, all or nothing."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select, update

from engine.errors import Refused
from storage.schema import AuditEntry, OrderLineRow, OrderRow, ProductRow, StoreBrandMonthRow, StoreMonthRow, StoreRow
from tests.factories import make_company, store_code
from tests.import_files import run_import, write_csv

HEADER = ["订单号", "客户编码", "订货日期", "卷烟编码", "需求量", "限量", "订购量", "单价", "金额"]
S1, S2 = store_code(1, 1), store_code(2, 3)
P0, P1, P2 = "6901000000000", "6901000000001", "6901000000002"
ROWS = [
    ["CO001", S1, "20240506", P0, "10", "8", "8", "150.00", "1200.00"],
    ["CO001", S1, "2024-05-06", P1, "5", "5", "5", "85.5", ""],
    ["CO002", S2, "20240507", P2, "", "", "3", "50", "150"],
]


def write(path, rows, header=HEADER, encoding="utf-8"):
    return write_csv(path, header, rows, encoding)


def run(db, path):
    return run_import(db, "orders", path)


def lines(db) -> dict[tuple[str, str], tuple]:
    """(order no, sku) → (store, date, demanded, allowed, ordered, price, amount)."""
    with db.sessions() as session:
        result = session.execute(
            select(OrderRow.order_no, ProductRow.sku, StoreRow.code, OrderRow.order_date, OrderLineRow.qty_demanded,
                   OrderLineRow.qty_allowed, OrderLineRow.qty_ordered, OrderLineRow.price, OrderLineRow.amount)
            .join(OrderRow, OrderLineRow.order_id == OrderRow.id).join(ProductRow, OrderLineRow.product_id == ProductRow.id)
            .join(StoreRow, OrderRow.store_id == StoreRow.id))
        return {(no, sku): tuple(rest) for no, sku, *rest in result}


def count(db, model) -> int:
    with db.sessions() as session:
        return session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def company(db):
    make_company(db.sessions)
    return db


def test_orders_are_loaded_and_blank_quantities_and_amounts_filled(company, tmp_path):
    report = run(company, write(tmp_path / "orders.csv", ROWS))
    assert (report.rows, report.inserted, report.updated) == (3, 2, 0)
    assert report.lines() == [report.lines()[0], "（共 2 张订单、3 行明细）"]
    assert report.lines()[0].startswith("订单：读取 3 行，新增 2 张订单，更新 0 张订单，用时")
    assert lines(company) == {
        ("CO001", P0): (S1, date(2024, 5, 6), 10, 8, 8, Decimal("150.00"), Decimal("1200.00")),
        ("CO001", P1): (S1, date(2024, 5, 6), 5, 5, 5, Decimal("85.50"), Decimal("427.50")),
        ("CO002", P2): (S2, date(2024, 5, 7), 3, 3, 3, Decimal("50.00"), Decimal("150.00")),
    }


def test_a_reimport_replaces_the_lines_of_its_orders_and_is_idempotent(company, tmp_path):
    run(company, write(tmp_path / "orders.csv", ROWS))
    first = lines(company)
    report = run(company, write(tmp_path / "orders.csv", ROWS))
    assert (report.inserted, report.updated) == (0, 2)
    assert lines(company) == first and count(company, OrderLineRow) == 3

    replaced = [["CO001", S1, "20240508", P2, "4", "4", "4", "50", "200"], ["CO003", S1, "20240508", P0, "1", "1", "1", "150", "150"]]
    report = run(company, write(tmp_path / "week2.csv", replaced))
    assert (report.inserted, report.updated) == (1, 1)
    now = lines(company)
    assert set(now) == {("CO001", P2), ("CO002", P2), ("CO003", P0)}
    assert now[("CO001", P2)][1] == date(2024, 5, 8)
    assert count(company, OrderRow) == 3 and count(company, AuditEntry) == 3
    with company.sessions() as session:  # the month's per-store totals follow the replaced lines
        totals = {(m.store_id, m.month): (m.volume, m.order_count, m.sku_count)
                  for m in session.scalars(select(StoreMonthRow))}
        stores = dict(session.execute(select(StoreRow.code, StoreRow.id)).all())
    assert totals == {(stores[S1], "2024-05"): (5, 2, 2), (stores[S2], "2024-05"): (3, 1, 1)}


def test_marketing_system_and_platform_headers(company, tmp_path):
    co_co_line = ["CO_NUM", "cust_id", "born_date", "item_id", "qty_need", "qty_rsn", "qty_ord", "price", "amt", "qty_sum"]
    run(company, write(tmp_path / "co_co_line.csv", [["A1", S1, "20240506", P0, "9", "6", "6", "150", "900", "6"]], co_co_line))
    platform = ["co_num", "cust_id", "born_date", "item_id", "qty_req", "qty_rsn", "qty_ord", "pri1", "pri_wsale", "amt_ord"]
    run(company, write(tmp_path / "platform.csv", [["B1", S2, "2024/5/7", P1, "3", "2", "2", "85", "100", "170"]], platform))
    now = lines(company)
    assert now[("A1", P0)][2:] == (9, 6, 6, Decimal("150.00"), Decimal("900.00"))
    assert now[("B1", P1)][1:] == (date(2024, 5, 7), 3, 2, 2, Decimal("85.00"), Decimal("170.00"))


def test_bad_lines_are_refused_with_row_column_and_value_and_nothing_is_written(company, tmp_path):
    rows = [
        ROWS[0],
        ["CO001", S2, "20240507", P0, "x", "5", "-5", "85.5", ""],
        ["CO002", "999", "2024-13-07", "69", "1", "1", "1.5", "abc", "50"],
        ["", S1, "20240506", P1, "1", "1", "1", "", "1"],
    ]
    with pytest.raises(Refused) as refusal:
        run(company, write(tmp_path / "bad.csv", rows, encoding="gbk"))
    assert [(f.row, f.column, f.code) for f in refusal.value.findings] == [
        (3, "客户编码", "store_code_differs"), (3, "订货日期", "order_date_differs"), (3, "卷烟编码", "repeated_line"),
        (3, "需求量", "bad_qty_demanded"), (3, "订购量", "bad_qty_ordered"),
        (4, "客户编码", "bad_store_code"), (4, "订货日期", "bad_order_date"), (4, "卷烟编码", "bad_sku"),
        (4, "订购量", "bad_qty_ordered"), (4, "单价", "bad_price"),
        (5, "订单号", "bad_order_no"), (5, "单价", "bad_price"),
    ]
    texts = [f.text() for f in refusal.value.findings]
    assert texts[0] == f"【第 3 行，“客户编码”列】同一订单（CO001）的各行“客户编码”应相同，第 2 行是 {S1}（填写的值：{S2}）"
    assert texts[2] == ("【第 3 行，“卷烟编码”列】订单 CO001 中这个卷烟编码已在第 2 行出现；同一订单每个规格只能有一行，"
                        f"请合并数量（填写的值：{P0}）")
    assert texts[4] == "【第 3 行，“订购量”列】不能为负数（填写的值：-5）"
    assert texts[5].startswith("【第 4 行，“客户编码”列】客户编码在系统中不存在")
    assert texts[10] == "【第 5 行，“订单号”列】不能为空"
    assert refusal.value.message == "订单文件 bad.csv 有 12 处错误，没有导入任何数据。请改正后重新导入整个文件。"
    assert count(company, OrderRow) == count(company, OrderLineRow) == count(company, AuditEntry) == 0


def test_a_refused_reimport_whose_orders_were_already_being_written_changes_nothing(company, tmp_path):
    """The orders' columns are good, so their writing starts (old month's lines dropped, headers updated) while the
    lines' columns are checked; a bad quantity then refuses the file: every order, line and total is as before."""
    run(company, write(tmp_path / "orders.csv", ROWS))
    before = lines(company), _totals(company), count(company, OrderRow), count(company, AuditEntry)
    again = [list(row) for row in ROWS]
    again[0][1] = again[1][1] = S2  # CO001 moves store: its header would be updated
    again[2][6] = "三"  # CO002's line: not a number
    with pytest.raises(Refused) as refusal:
        run(company, write(tmp_path / "again.csv", again))
    assert [(f.row, f.column, f.code) for f in refusal.value.findings] == [(4, "订购量", "bad_qty_ordered")]
    assert (lines(company), _totals(company), count(company, OrderRow), count(company, AuditEntry)) == before
    assert run(company, write(tmp_path / "orders.csv", ROWS)).updated == 2  # and the next import goes through


def test_findings_beyond_two_hundred_are_counted_not_listed(company, tmp_path):
    rows = [[f"C{i}", S1, "20240506", P0, "1", "1", "几条", "1", "1"] for i in range(230)]
    with pytest.raises(Refused) as refusal:
        run(company, write(tmp_path / "many.csv", rows))
    listed = refusal.value.findings
    assert len(listed) == 201 and listed[199].row == 201
    assert listed[-1].text() == "另有 30 处错误未列出。请先改正以上各处，再导入一次查看其余错误。"


def test_a_missing_column_and_an_xlsx_file(company, tmp_path):
    with pytest.raises(Refused) as refusal:
        run(company, write(tmp_path / "o.csv", [r[:6] + r[7:] for r in ROWS], HEADER[:6] + HEADER[7:]))
    assert [f.code for f in refusal.value.findings] == ["missing_column", "known_columns"]
    assert "缺少必填列“订购量”。可用的列名：订购量（或 qty_ordered、qty_ord）" in refusal.value.findings[0].message

    book = Workbook()
    book.active.append(HEADER)
    book.active.append(["CO9", S1, date(2024, 5, 9), P0, 10, 8, 8, 150, 1200])
    book.save(tmp_path / "orders.xlsx")
    assert run(company, tmp_path / "orders.xlsx").inserted == 1
    assert lines(company)[("CO9", P0)][1:6] == (date(2024, 5, 9), 10, 8, 8, Decimal("150.00"))


@pytest.mark.parametrize("step", ["replace_orders", "load_lines"])
def test_a_failure_after_staging_leaves_nothing_and_the_next_import_works(company, tmp_path, monkeypatch, step):
    """The orders' writing fails (on the thread it runs on while the lines are checked), or the lines' after the
    orders were written: nothing stays."""
    from storage.importers import orders

    def broken(*args):
        raise RuntimeError("the database went away")

    path = write(tmp_path / "orders.csv", ROWS)
    with monkeypatch.context() as patch:
        patch.setattr(orders, step, broken)
        with pytest.raises(RuntimeError):
            run(company, path)
    assert count(company, OrderRow) == count(company, AuditEntry) == 0
    assert run(company, path).inserted == 2  # on the same pooled connection, its staging tables left over or not
    assert count(company, OrderLineRow) == 3


def _totals(db) -> tuple[set, set]:
    with db.sessions() as session:
        stores = {(r.store_id, r.month, r.volume, float(r.amount), r.class12, r.key, r.order_count, r.sku_count)
                  for r in session.scalars(select(StoreMonthRow))}
        brands = {(r.month, r.store_id, r.brand, r.price_class, r.volume, float(r.amount))
                  for r in session.scalars(select(StoreBrandMonthRow))}
    return stores, brands


def test_the_totals_added_up_from_a_whole_months_file_are_those_read_back_from_the_tables(company, tmp_path):
    from storage.store_months import refresh_months

    with company.sessions.begin() as session:
        session.execute(update(ProductRow).where(ProductRow.sku == P0).values(brand="甲", price_class=1, is_key=True))
        session.execute(update(ProductRow).where(ProductRow.sku == P1).values(brand="甲", price_class=3))
    rows = ROWS + [["CO004", S1, "20240601", P0, "2", "2", "0", "150", "0"], ["CO004", S1, "20240601", P1, "1", "1", "1", "85.5", ""]]
    run(company, write(tmp_path / "orders.csv", rows))  # every order of 2024-05 and 2024-06: added up from the file
    added_up = _totals(company)
    assert len(added_up[0]) == 3 and ("2024-06", company_store(company, S1), "甲", 3, 1, 85.5) in added_up[1]
    with company.sessions.begin() as session:
        refresh_months(session, ["2024-05", "2024-06"])
    assert _totals(company) == added_up
    run(company, write(tmp_path / "more.csv", [["CO005", S2, "20240520", P1, "2", "2", "2", "85.5", ""]]))
    read_back = _totals(company)  # CO002 and CO005 of 2024-05, the first from the tables
    assert [r[2:4] for r in read_back[0] if r[:2] == (company_store(company, S2), "2024-05")] == [(5, 321.0)]
    with company.sessions.begin() as session:
        refresh_months(session, ["2024-05", "2024-06"])
    assert _totals(company) == read_back


def company_store(db, code: str) -> int:
    with db.sessions() as session:
        return session.scalar(select(StoreRow.id).where(StoreRow.code == code))


def test_a_changed_reimport_of_a_whole_month_rewrites_the_stores_whose_brand_totals_differ(company, tmp_path):
    """The per-brand totals of a re-imported month are compared with those kept and only the differing stores are
    written again: a changed quantity, a store whose orders went to another store (its rows go), a SKU given another
    brand since the first import — the result is what the tables give, store by store."""
    from storage.store_months import refresh_months

    run(company, write(tmp_path / "orders.csv", ROWS))
    first = _totals(company)
    run(company, write(tmp_path / "orders.csv", ROWS))  # the same file again: the same totals
    assert _totals(company) == first
    with company.sessions.begin() as session:
        session.execute(update(ProductRow).where(ProductRow.sku == P2).values(brand="乙", price_class=2))
    changed = [["CO001", S1, "20240506", P0, "10", "9", "9", "150.00", "1350.00"], ROWS[1],
               ["CO002", S1, "20240507", P2, "", "", "3", "50", "150"]]  # CO002 now S1's, of brand 乙
    run(company, write(tmp_path / "orders.csv", changed))
    replaced = _totals(company)
    s1, s2 = company_store(company, S1), company_store(company, S2)
    assert {r[1] for r in replaced[1]} == {s1}  # S2 ordered nothing any more: its rows are gone
    assert ("2024-05", s1, "乙", 2, 8, 577.5) in replaced[1]  # P1 (乙, class 2) and P2 now
    with company.sessions.begin() as session:
        refresh_months(session, ["2024-05"])
    assert _totals(company) == replaced
    assert replaced != first
