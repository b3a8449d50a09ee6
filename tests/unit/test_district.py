"""§10 片区统计: score bands, shares below the district average, tier/format breakdown, the report's pages."""
from decimal import Decimal

import pandas as pd
import pytest

from engine.capability import DEFAULT_CAPABILITY_RUBRIC
from engine.district import (
    NO_TIER, analysed_stores, capability_values, format_name, potential, score_distribution, store_frame, tier_band,
)
from engine.district_report import DistrictData, district_pages
from engine.effect import Band, EffectIndicator, EffectRubric
from engine.ports import ScopeStore
from engine.report import Chart, Field, Measure, Table, shown

#: Four stores: tiers 5 / 15 / none / 25, formats 食杂店 / 便利店 / 食杂店 / 食杂店.
STORES = [ScopeStore(1, "S1", "甲店", "cm001", 5, "CZ1", "active"),
          ScopeStore(2, "S2", "乙店", "cm001", 15, "CB2", "active"),
          ScopeStore(3, "S3", "丙店", "cm001", None, "XZ3", "suspended"),
          ScopeStore(4, "S4", "丁店", "cm001", 25, "CZ1", "active")]


def groups():
    return store_frame(STORES)[["tier_band", "format"]]


def test_score_bands_include_their_lower_bound_and_the_last_one_holds_100():
    bands = score_distribution(pd.Series([0.0, 19.99, 20.0, 79.99, 80.0, 100.0]))
    assert bands["band"].tolist() == ["0-20分", "20-40分", "40-60分", "60-80分", "80-100分"]
    assert bands["count"].tolist() == [2, 1, 0, 1, 2]
    assert bands["share"].tolist() == pytest.approx([2 / 6, 1 / 6, 0, 1 / 6, 2 / 6])


def test_an_empty_district_has_zero_counts_and_shares():
    bands = score_distribution(pd.Series([], dtype=float))
    assert bands["count"].sum() == 0 and bands["share"].tolist() == [0.0] * 5
    stats = potential(pd.DataFrame({"volume": []}, dtype=float), groups())
    assert stats.loc["volume", "stores"] == 0 and stats.loc["volume", "below"] == 0
    assert pd.isna(stats.loc["volume", "share"]) and list(stats.columns) == ["average", "stores", "below", "share"]


def test_tier_band_and_format():
    assert [tier_band(t) for t in (1, 10, 11, 20, 21, 30, None)] == [
        "1-10档", "1-10档", "11-20档", "11-20档", "21-30档", "21-30档", NO_TIER]
    assert (format_name("CZ1"), format_name("XB2"), format_name("CY3"), format_name("")) == (
        "食杂店", "便利店", "烟酒商店", "未知业态")


def test_share_below_the_district_average_overall_by_tier_and_by_format():
    # volume 1, 2, 3, 6: average 3, stores 1 and 2 are below (store 3 equals it: not below).
    values = pd.DataFrame({"volume": [1.0, 2.0, 3.0, 6.0], "sku_count": [5.0, 5.0, 5.0, 5.0]}, index=[1, 2, 3, 4])
    stats = potential(values, groups())
    volume = stats.loc["volume"]
    assert (volume["average"], volume["stores"], volume["below"], volume["share"]) == (3.0, 4, 2, 0.5)
    assert (volume["1-10档"], volume["11-20档"], volume["21-30档"], volume[NO_TIER]) == (1.0, 1.0, 0.0, 0.0)
    assert volume["食杂店"] == pytest.approx(1 / 3) and volume["便利店"] == 1.0
    assert stats.loc["sku_count", "below"] == 0 and stats.loc["sku_count", "share"] == 0
    assert "超市" not in stats.columns  # a format without stores is left out


def test_shares_within_a_group_count_only_its_valued_stores():
    # Only stores 1 and 4 are scored: 食杂店 has 2 valued stores (1 below), 便利店 none, so no column.
    values = pd.DataFrame({"display": [4.0, 8.0]}, index=[1, 4])
    stats = potential(values, groups())
    assert stats.loc["display", "share"] == 0.5 and stats.loc["display", "食杂店"] == 0.5
    assert "便利店" not in stats.columns and NO_TIER not in stats.columns


def test_capability_values_keep_complete_stores_only():
    scores = pd.DataFrame([(1, "a", "好", Decimal("9")), (1, "b", "好", Decimal("8")), (1, "new_store", "否", None),
                           (2, "a", "差", Decimal("2"))], columns=["store_id", "indicator", "item", "score"])
    assert capability_values(scores, ["a", "b"]).to_dict("index") == {1: {"a": 9.0, "b": 8.0}}


def test_a_store_that_left_the_scope_keeps_its_row():
    stores = analysed_stores(store_frame(STORES[:2]), [2, 1, 9])
    assert stores["code"].tolist() == ["", "S1", "S2"] and stores.loc[9, "tier_band"] == NO_TIER


def test_cells_read_as_their_kind():
    assert shown(0.4567, "share") == "45.7%" and shown(1234.5, "money") == "1,234.50"
    assert shown(Measure(12.0, "count"), "share") == "12" and shown(None, "count") == "—"
    assert shown(float("nan"), "points") == "—" and shown("未评分", "points") == "未评分"
    table = Table("t", (Field("a"), Field("b", "share")), (("x", 0.25), ("y", 1.5)), Chart("bar", 1, "t"))
    assert table.bars() == [25.0, 100.0]


RUBRIC = EffectRubric(1, (EffectIndicator("volume", "销量（条）", "销量", 60, "ratio", (Band(0, 1),)),
                          EffectIndicator("amount", "销售额（元）", "销售额", 40, "ratio", (Band(0, 1),))))


def data(strategies=None, capability=None) -> DistrictData:
    stores = store_frame(STORES)
    effect = pd.DataFrame({"volume": [10.0, 30.0, 20.0, 60.0], "amount": [1.0, 2.0, 3.0, 4.0],
                           "total": [10.0, 85.0, 70.0, 100.0]}, index=stores.index)
    points = effect.drop(columns="total")
    return DistrictData("张三（cm001）", "2026-11", stores, effect, points,
                        capability if capability is not None else pd.DataFrame(
                            columns=["store_id", "indicator", "item", "score"]),
                        strategies, RUBRIC, DEFAULT_CAPABILITY_RUBRIC)


def rows_of(page, title=None):
    table = next(t for t in page.tables if title is None or t.title == title)
    return {row[0]: row[1:] for row in table.rows}


def test_pages_before_scoring_say_unscored_and_not_generated():
    pages = district_pages(data())
    assert [p.name for p in pages] == ["概况", "潜力分布", "经营效果明细", "经营能力明细"]
    facts = rows_of(pages[0], "基本情况")
    assert facts["策略"] == ("未生成",) and facts["经营能力评分"] == ("未评分",)
    assert facts["平均经营能力得分（满分 90）"] == ("未评分",)
    assert facts["平均经营效果得分（满分 100）"][0].value == pytest.approx(66.25)
    assert [row[1] for row in pages[0].tables[1].rows] == [1, 0, 0, 1, 2]
    potential_rows = rows_of(pages[1])
    assert potential_rows["销量（条）"][:5] == ("经营效果", Measure(30.0, "number"), 4, 2, 0.5)
    assert potential_rows["店面形象"][1] == "未评分"
    assert all(row[-1] == "未评分" for row in pages[3].tables[0].rows)


def test_weak_indicators_page_once_strategies_exist():
    strategies = pd.DataFrame([(1, "effect", "volume", Decimal("10"), Decimal("30")),
                               (3, "capability", "new_store", Decimal("1"), Decimal("0"))],
                              columns=["store_id", "kind", "indicator", "value", "average"])
    capability = pd.DataFrame([(3, "new_store", "开业1-3个月", None)], columns=["store_id", "indicator", "item", "score"])
    pages = district_pages(data(strategies, capability))
    assert pages[-1].name == "待提升指标"
    weak = {row[0]: row for row in pages[-1].tables[0].rows}
    assert weak["S1"][2:7] == ("经营效果", "销量（条）", Measure(10.0, "count"), Measure(30.0, "number"),
                               Measure(-20.0, "number"))
    assert weak["S1"][7] == "合理订货建议"
    assert weak["S3"][3:5] == ("新增客户", "开业1-3个月") and weak["S3"][7] == "新店扶持"
