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
