"""§7 worksheet functions on each database: CMW_SHELF_RATE and CMW_BRAND_VOLUME over a CM, a department and the
company, computed by the same rule as §7; every bad argument answers #错误: … in Chinese."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from storage.schema import ProductRow, StoreBrandMonthRow
from tests.factories import make_company, make_orders
from udfs import answers
from udfs.brands import CMW_BRAND_VOLUME, CMW_SHELF_RATE


@pytest.fixture
def company(db, monkeypatch):
    make_company(db.sessions)
    make_orders(db.sessions, "2026-10")
    monkeypatch.setenv("CMW_DATABASE_URL", db.url)
    answers._sessions.cache_clear()
    yield db
    answers._sessions.cache_clear()


def test_shelf_rate_and_volume(company):
    # 丙 was ordered by 3 of cm001's 5 active stores and 4 of cm002's (the factory's orders); cm003's ordered nothing
    assert CMW_SHELF_RATE("丙", "2026-10", "cm001") == 0.6
    assert CMW_SHELF_RATE("甲", "2026-10", "cm001") == 1.0
    assert CMW_SHELF_RATE("丙", "2026-10", "D01") == 0.7
    assert CMW_SHELF_RATE("丙", "2026-10") == pytest.approx(7 / 15)
    with company.uow() as uow:
        expected = uow.session.scalar(select(func.sum(StoreBrandMonthRow.volume))
                                      .where(StoreBrandMonthRow.brand == "丙", StoreBrandMonthRow.month == "2026-10"))
    assert CMW_BRAND_VOLUME("丙", "2026-10", None) == expected and CMW_BRAND_VOLUME("丙", "2026-10", "P003") == 0


def test_bad_arguments_answer_in_chinese(company):
    assert CMW_SHELF_RATE("丁", "2026-10", "cm001") == "#错误: 品牌“丁”不存在（请填卷烟规格中的品牌名称）"
    assert CMW_SHELF_RATE("丙", "2026-11", "cm001") == "#错误: 2026-11 的订单尚未导入"
    assert CMW_SHELF_RATE("丙", "2026-13", "cm001").startswith("#错误: 月份")
    assert CMW_SHELF_RATE("丙", "2026-10", "nobody") == "#错误: 范围“nobody”不是客户经理编码或单位编码（留空为全公司）"
    assert CMW_BRAND_VOLUME("丙", "2026-10", "mm01").startswith("#错误: 范围“mm01”是市场经理")
    with company.sessions.begin() as session:  # a brand with no SKU ordered at all is 0 %, not an error
        session.add(ProductRow(sku="6901099999999", name="新品", brand="丁"))
    assert CMW_SHELF_RATE("丁", "2026-10", "cm001") == 0.0
