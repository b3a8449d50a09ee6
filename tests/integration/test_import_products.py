"""`import products` on each database: upsert by 卷烟编码, 价类 from the transfer price, PLM_ITEM headers."""
from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from engine.errors import Refused
from storage.schema import ProductRow
from tests.import_files import run_import, write_csv

HEADER = ["卷烟编码", "卷烟名称", "品牌", "调拨价", "批发价", "建议零售价", "价类", "重点品牌", "骨干品牌", "产地类型"]
ROWS = [
    ["6901028000011", "红塔山（硬经典）", "红塔山", "72.08", "81.45", "100", "", "是", "否", "1"],
    ["6901028000028", "黄鹤楼（软蓝）", "黄鹤楼", "150", "169.6", "200", "三类", "否", "是", "0"],
    ["6901028000035", "白沙（精品）", "白沙", "", "", "", "四类", "", "", ""],
]


def write(path, rows, header=HEADER):
    return write_csv(path, header, rows, "utf-8-sig")


def run(db, path):
    return run_import(db, "products", path)


def products(db) -> dict[str, ProductRow]:
    with db.sessions() as session:
        return {p.sku: p for p in session.scalars(select(ProductRow))}


def test_products_are_inserted_then_updated_and_the_price_decides_the_class(db, tmp_path):
    report = run(db, write(tmp_path / "products.csv", ROWS))
    assert (report.inserted, report.updated) == (3, 0)
    assert report.lines()[0].startswith("卷烟规格：读取 3 行，新增 3 个规格，更新 0 个规格")
    now = products(db)
    first, second, third = now["6901028000011"], now["6901028000028"], now["6901028000035"]
    assert (first.price_class, first.transfer_price, first.wholesale_price, first.is_key, first.origin) == (
        2, Decimal("72.08"), Decimal("81.45"), True, 1)
    assert second.price_class == 1 and second.is_backbone  # 150 元 is 一类 whatever the file says
    assert (third.price_class, third.transfer_price, third.brand, third.is_key) == (4, None, "白沙", False)

    rows = [row[:] for row in ROWS]
    rows[2][3] = "12.5"
    report = run(db, write(tmp_path / "products.csv", rows))
    assert (report.inserted, report.updated) == (0, 1)
    assert products(db)["6901028000035"].price_class == 5
    assert (run(db, write(tmp_path / "products.csv", rows)).updated) == 0


def test_plm_item_headers(db, tmp_path):
    header = ["ITEM_ID", "item_name", "kind", "yieldly_type", "brand_name", "pri1", "pri_wsale"]
    report = run(db, write(tmp_path / "plm_item.csv", [["6901028000042", "利群（新版）", "2", "3", "利群", "95", "120"],
                                                       ["6901028000059", "未分类", "6", "", "", "", ""]], header))
    assert report.inserted == 2
    now = products(db)
    assert (now["6901028000042"].price_class, now["6901028000042"].origin, now["6901028000042"].retail_price) == (
        2, 3, Decimal("120.00"))
    assert now["6901028000059"].price_class is None


def test_bad_products_are_refused_and_nothing_is_written(db, tmp_path):
    rows = [ROWS[0], ["690102800001", "短码", "", "", "", "", "", "", "", ""],
            ["6901028000066", "零价", "", "0", "", "", "", "也许", "", "5"], ROWS[0]]
    with pytest.raises(Refused) as refusal:
        run(db, write(tmp_path / "bad.csv", rows))
    assert [(f.row, f.column, f.code) for f in refusal.value.findings] == [
        (3, "卷烟编码", "bad_sku"), (4, "调拨价", "bad_transfer_price"), (4, "重点品牌", "bad_is_key"),
        (4, "产地类型", "bad_origin"), (5, "卷烟编码", "repeated_key"),
    ]
    assert refusal.value.findings[1].text() == "【第 4 行，“调拨价”列】调拨价必须大于 0（填写的值：0）"
    with db.sessions() as session:
        assert session.scalar(select(func.count()).select_from(ProductRow)) == 0


def test_the_status_column_keeps_whether_a_product_is_on_sale(db, tmp_path):
    """状态 在销 / 停产: kept when the file has it; a file without it adds its SKUs on sale and leaves the status of
    the SKUs kept as it is; blank or another word is refused with the row."""
    header = [*HEADER, "状态"]
    report = run(db, write(tmp_path / "status.csv", [[*ROWS[0], "在销"], [*ROWS[1], "停产"]], header))
    assert report.inserted == 2
    assert {sku: p.on_sale for sku, p in products(db).items()} == {"6901028000011": True, "6901028000028": False}
    assert run(db, write(tmp_path / "plain.csv", ROWS)).inserted == 1  # no 状态 column: nothing stops or restarts
    assert {sku: p.on_sale for sku, p in products(db).items()} == {
        "6901028000011": True, "6901028000028": False, "6901028000035": True}
    with pytest.raises(Refused) as refusal:
        run(db, write(tmp_path / "bad.csv", [[*ROWS[0], ""], [*ROWS[1], "卖完了"]], header))
    assert [(f.row, f.column) for f in refusal.value.findings] == [(2, "状态"), (3, "状态")]
    assert "状态只能是 在销 或 停产" in refusal.value.findings[1].text()
    assert products(db)["6901028000028"].on_sale is False
