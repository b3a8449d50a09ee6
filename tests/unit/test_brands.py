"""上柜率: the one shelf-rate rule, over stores in scope and what they ordered."""
from __future__ import annotations

import math

import pandas as pd

from engine.brands import KeyBrand, rate_text, shelf_rates


def _ordered(rows):
    return pd.DataFrame(rows, columns=["store", "brand", "volume"])


def test_shelf_rate_counts_stores_in_scope_that_ordered_at_least_one_carton():
    scope = pd.DataFrame({"store": [1, 2, 3, 4]})
    # store 1 ordered 甲 in two price classes (added up), store 2 ordered 0 条, store 9 is not in scope
    ordered = _ordered([(1, "甲", 1), (1, "甲", 2), (2, "甲", 0), (3, "乙", 5), (9, "甲", 8)])
    rates = shelf_rates(scope, ordered, ["甲", "乙", "丙"]).set_index("brand")
    assert rates.loc["甲", "shelved"] == 1 and rates.loc["甲", "stores"] == 4 and rates.loc["甲", "rate"] == 0.25
    assert rates.loc["乙", "rate"] == 0.25 and rates.loc["丙", "rate"] == 0  # a brand nobody ordered is 0, not absent


def test_shelf_rate_per_group_and_empty_scope():
    scope = pd.DataFrame({"store": [1, 2, 3], "band": ["高档", "高档", "低档"]})
    rates = shelf_rates(scope, _ordered([(1, "甲", 3), (3, "甲", 1)]), ["甲"], by=("band",)).set_index("band")
    assert rates.loc["高档", "rate"] == 0.5 and rates.loc["低档", "rate"] == 1.0
    empty = shelf_rates(pd.DataFrame({"store": []}), _ordered([]), ["甲"])
    assert empty.loc[0, "stores"] == 0 and math.isnan(empty.loc[0, "rate"]) and rate_text(empty.loc[0, "rate"]) == "—"
    assert rate_text(0.625) == "62.5%"


def test_key_brand_label():
    assert KeyBrand("甲", True, True).label == "重点品牌、骨干品牌" and KeyBrand("乙", False, True).label == "骨干品牌"


def test_filter_conditions_as_typed_and_their_refusals():
    import pytest

    from engine.brand_filter import conditions_of
    from engine.errors import Refused

    c = conditions_of(category="cz1", tiers="20-", online="是", volume="-200", class_not_brand=True)
    assert (c.markets, c.formats, c.scales, c.tier_low, c.tier_high, c.online) == (("C",), ("Z",), ("1",), 20, None, True)
    assert (c.volume_low, c.volume_high, c.class_not_brand) == (None, 200.0, True)
    assert conditions_of(formats="食杂店，B").formats == ("Z", "B")
    shown = dict(c.lines("黄鹤楼", "一类", "2026-10"))
    assert shown["档位"] == "20 到 30 档" and shown["上月销量"] == "0 到 200 条" and shown["业态"] == "食杂店（Z）"
    for kwargs, said in (({"tiers": "0-40"}, "档位范围“0-40”不对：应为 1 到 30 的整数"),
                         ({"tiers": "20-10"}, "下限大于上限"), ({"volume": "多-少"}, "请写成 下限-上限"),
                         ({"formats": "X"}, "业态“X”不对"), ({"online": "也许"}, "网上订货只能填 是 或 否"),
                         ({"category": "CZ"}, "综合分类“CZ”不对")):
        with pytest.raises(Refused, match=said):
            conditions_of(**kwargs)
