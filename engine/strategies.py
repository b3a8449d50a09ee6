"""§10 生成策略: the indicators on which a store lies below its district's average, and the actions they call for."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class MarketingAction:
    """营销动作: a column of the big table, triggered by the indicators it helps improve."""

    code: str
    name: str
    group: str
    triggered_by: tuple[str, ...]
    short: str = ""  # the name on paper, where a column holds four characters (a legend gives the full name)

    @property
    def printed(self) -> str:
        """The column heading on paper: the short name, else the name."""
        return self.short or self.name


#: The starting catalogue (DOMAIN.md §3/§10): data, replaceable by the administrator.
ACTIONS = (
    MarketingAction("order_advice", "合理订货建议", "订货服务", ("volume", "order_count", "volume_change"), "合理订货"),
    MarketingAction("structure", "结构提升（一二类烟推荐）", "品牌培育", ("amount", "value_per_carton", "class12_share"), "结构提升"),
    MarketingAction("key_brand", "重点品牌培育", "品牌培育", ("key_brand_share",), "重点品牌"),
    MarketingAction("new_sku", "新品推介", "品牌培育", ("sku_count",)),
    MarketingAction("display", "陈列指导", "终端建设", ("display", "store_image")),
    MarketingAction("price_tags", "明码标价指导", "终端建设", ("price_tags",), "明码标价"),
    MarketingAction("law", "法规宣传", "规范经营", ("integrity",)),
    MarketingAction("coaching", "经营指导", "经营提升", ("awareness",)),
    MarketingAction("online", "网上订货推广", "信息化", ("it_level",), "网上订货"),
    MarketingAction("relation", "客情维护", "客户关系", ("cooperation",)),
    MarketingAction("assortment", "商圈选品建议", "经营提升", ("location",), "商圈选品"),
    MarketingAction("new_store", "新店扶持", "经营提升", ("new_store",)),
)


def weak_indicators(values: pd.DataFrame, kind: str, districts=None) -> pd.DataFrame:
    """Rows (store, kind, indicator, value, average) where a store is strictly below its district's average.

    values: a row per store (index: store id), a column per indicator. districts: each row's district
    (same length as values, by position), e.g. the analysis it belongs to; None when all are one district.
    With districts the rows also carry a district column.
    """
    groups = np.zeros(len(values), dtype=np.int64) if districts is None else np.asarray(districts)
    averages = values.groupby(groups).transform("mean")
    long = values.rename_axis("store").reset_index().melt(id_vars="store", var_name="indicator", value_name="value")
    long["average"] = averages.to_numpy(dtype=float).ravel(order="F")  # melt stacks the columns one after another
    long["district"] = np.tile(groups, len(values.columns))
    long = long[long["value"] < long["average"]]
    long.insert(1, "kind", kind)
    columns = ["store", "kind", "indicator", "value", "average", *(["district"] if districts is not None else [])]
    return long[columns].sort_values(["store", "indicator"], kind="stable").reset_index(drop=True)


def triggered_actions(indicators: list[str], catalogue: tuple[MarketingAction, ...] = ACTIONS) -> list[str]:
    """Codes of the actions the given weak indicators trigger, in catalogue order."""
    weak = set(indicators)
    return [action.code for action in catalogue if weak.intersection(action.triggered_by)]
