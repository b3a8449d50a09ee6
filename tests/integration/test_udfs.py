"""§10 and §7 worksheet functions run as plain functions on each database; errors come back as #错误 text."""
from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import func, select

from engine.operating_analysis import compute_effect, generate_strategies
from storage.schema import ProductRow, StoreBrandMonthRow
from tests.analysis_helpers import actor, filled, submit
from tests.factories import STORES_PER_CM, make_company, make_orders, store_code
from udfs import answers
from udfs.analysis import CMW_EFFECT_SCORE, CMW_SCORE_RANGE, CMW_WEAK_INDICATORS
from udfs.brands import CMW_BRAND_VOLUME, CMW_SHELF_RATE

MONTH = "2026-11"


@pytest.fixture
def company(db, monkeypatch):
    make_company(db.sessions)
    make_orders(db.sessions, "2026-10")
    monkeypatch.setenv("CMW_DATABASE_URL", db.url)
    answers._sessions.cache_clear()
    yield db
    answers._sessions.cache_clear()


def test_effect_score_and_errors(company):
    assert CMW_EFFECT_SCORE(store_code(1, 1), MONTH).startswith("#错误: cm001 的 2026-11 经营效果尚未计算")
    compute_effect(company.uow(), actor(company, "cm001"), month=MONTH)
    score = CMW_EFFECT_SCORE(float(store_code(1, 1)), datetime(2026, 11, 1))
    with company.uow() as uow:
        from engine.operating_analysis import analysis_of
        analysis = analysis_of(uow, "cm001", MONTH)
        totals = uow.analyses.effect(analysis.id)["total"]
    assert isinstance(score, float) and score in set(totals)
    assert CMW_EFFECT_SCORE("999", MONTH) == "#错误: 客户编码 999 不存在"
    assert CMW_EFFECT_SCORE(store_code(1, 1), "2026-13").startswith("#错误: 月份")


def test_score_range_from_the_rubric(company):
    assert CMW_SCORE_RANGE("店面形象", "好") == "8-10"
    assert CMW_SCORE_RANGE("integrity", "轻微违规") == "8-15"
    assert CMW_SCORE_RANGE("店面形象", "很好").startswith("#错误: “店面形象”没有明细项目“很好”")


@pytest.fixture(autouse=False)
def _no_database(monkeypatch, tmp_path):
    monkeypatch.setenv("CMW_DATABASE_URL", f"sqlite:///{tmp_path / 'none.sqlite3'}")
    answers._sessions.cache_clear()
    yield
    answers._sessions.cache_clear()


def test_a_missing_schema_is_an_answer_not_an_exception(_no_database):
    assert CMW_SCORE_RANGE("店面形象", "好").startswith("#错误: 数据库")


def test_weak_indicators_after_strategies(company):
    assert "尚未计算" in CMW_WEAK_INDICATORS(store_code(1, 1), MONTH)
    compute_effect(company.uow(), actor(company, "cm001"), month=MONTH)
    assert CMW_WEAK_INDICATORS(store_code(1, 1), MONTH) == "#错误: 本月策略尚未生成"
    rows = [filled(store_code(1, i), i + 2) for i in range(1, STORES_PER_CM + 1)]
    rows[0] = filled(store_code(1, 1), 3, **{"location.item": "偏远", "location.score": "1"})
    submit(company, rows)
    generate_strategies(company.uow(), actor(company, "cm001"), cm_codes=["cm001"], month=MONTH)
    assert "商圈位置" in CMW_WEAK_INDICATORS(store_code(1, 1), MONTH)


@pytest.mark.one_database
def test_the_worksheet_functions_read_cmw_conf_themselves(company, tmp_path):
    """As at Excel's start with no workbook active (issue 17, item 1): the UDF server is a fresh Python with no
    CMW_DATABASE_URL in its environment; it finds the database in %USERPROFILE%\\.cmw\\cmw.conf by itself."""
    import os
    import subprocess
    import sys

    from storage.settings import config_text

    home = tmp_path / "home"
    (home / ".cmw").mkdir(parents=True)
    (home / ".cmw" / "cmw.conf").write_text(config_text({"CMW_DATABASE_URL": company.url}), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("CMW_DATABASE_URL", "CMW_USER")}
    env.update(HOME=str(home), USERPROFILE=str(home))
    call = (f"from udfs.analysis import CMW_EFFECT_SCORE; "
            f"print(CMW_EFFECT_SCORE('{store_code(1, 1)}', '{MONTH}'))")
    answer = subprocess.run([sys.executable, "-c", call], env=env, capture_output=True, text=True, timeout=120)
    # the configured company's store, found: only its analysis is missing (an empty local file would not know it)
    assert answer.stdout.strip().startswith("#错误: cm001 的 2026-11 经营效果尚未计算"), answer.stdout + answer.stderr


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
