"""§10 经营效果: a store's effect indicators from last month's order lines, scored against its district.

The rubric (indicators, weights, bands) is data: DEFAULT_EFFECT_RUBRIC is the starting point of
DOMAIN.md's decision; an administrator may replace it, and a month keeps the rubric it was scored with.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Band:
    """A store whose comparison with the district is at least `at_least` earns `fraction` of the weight."""

    at_least: float
    fraction: float


@dataclass(frozen=True)
class EffectIndicator:
    """One effect indicator: how it is compared with the district (ratio or difference) and scored."""

    code: str
    label: str
    group: str
    weight: float
    compare: str  # "ratio": store ÷ district average; "difference": store − district average
    bands: tuple[Band, ...]


@dataclass(frozen=True)
class EffectRubric:
    """A versioned set of effect indicators whose weights add up to 100."""

    version: int
    indicators: tuple[EffectIndicator, ...]

    def __post_init__(self) -> None:
        codes = [i.code for i in self.indicators]
        if len(set(codes)) != len(codes):
            raise ValueError("经营效果指标编码重复")
        if abs(sum(i.weight for i in self.indicators) - 100) > 1e-9:
            raise ValueError(f"经营效果指标权重合计应为 100，现为 {sum(i.weight for i in self.indicators):g}")
        for indicator in self.indicators:
            limits = [b.at_least for b in indicator.bands]
            if limits != sorted(limits, reverse=True) or indicator.compare not in ("ratio", "difference"):
                raise ValueError(f"指标“{indicator.label}”的分档须按下限从高到低排列，比较方式为 ratio 或 difference")


_RATIO_BANDS = (Band(1.3, 1.0), Band(1.1, 0.85), Band(0.9, 0.7), Band(0.7, 0.5), Band(0.4, 0.3), Band(0.01, 0.1))
_CHANGE_BANDS = (Band(0.10, 1.0), Band(0.0, 0.7), Band(-0.10, 0.4), Band(-99, 0.1))  # finite, so that it survives JSON

#: Volume 30 (销量 20, 环比 10), amount 40 (销售额 20, 单条值 20), structure 20, regularity 10.
DEFAULT_EFFECT_RUBRIC = EffectRubric(
    version=1,
    indicators=(
        EffectIndicator("volume", "销量（条）", "销量", 20, "ratio", _RATIO_BANDS),
        EffectIndicator("volume_change", "销量环比", "销量", 10, "difference", _CHANGE_BANDS),
        EffectIndicator("amount", "销售额（元）", "销售额与单条值", 20, "ratio", _RATIO_BANDS),
        EffectIndicator("value_per_carton", "单条值（元/条）", "销售额与单条值", 20, "ratio", _RATIO_BANDS),
        EffectIndicator("class12_share", "一二类烟占比", "结构", 10, "ratio", _RATIO_BANDS),
        EffectIndicator("key_brand_share", "重点品牌占比", "结构", 10, "ratio", _RATIO_BANDS),
        EffectIndicator("order_count", "订货次数", "规律性", 5, "ratio", _RATIO_BANDS),
        EffectIndicator("sku_count", "品规数", "规律性", 5, "ratio", _RATIO_BANDS),
    ),
)

#: Per-store monthly totals the indicators are computed from (storage aggregates these in SQL).
TOTAL_COLUMNS = ("volume", "amount", "class12", "key", "order_count", "sku_count")


def _share(part: pd.Series, whole: pd.Series) -> pd.Series:
    return (part / whole.where(whole > 0)).fillna(0.0)


def store_indicators(totals: pd.DataFrame, stores: list[str], previous_volume: pd.Series) -> pd.DataFrame:
    """Per store in scope (stores without orders included, as zeros): the effect indicators of the month."""
    frame = totals.reindex(pd.Index(stores, name="store"))[list(TOTAL_COLUMNS)].astype(float).fillna(0.0)
    previous = previous_volume.reindex(frame.index).astype(float).fillna(0.0)
    frame["value_per_carton"] = _share(frame["amount"], frame["volume"])
    frame["class12_share"] = _share(frame["class12"], frame["volume"])
    frame["key_brand_share"] = _share(frame["key"], frame["volume"])
    # No orders the month before: growth from nothing counts as +100%, nothing to nothing as 0.
    frame["volume_change"] = np.where(previous > 0, (frame["volume"] - previous) / previous.where(previous > 0),
                                      np.where(frame["volume"] > 0, 1.0, 0.0))
    return frame.drop(columns=["class12", "key"])


def _band_fraction(compared: pd.Series, bands: tuple[Band, ...]) -> np.ndarray:
    conditions = [compared >= band.at_least for band in bands]
    return np.select(conditions, [band.fraction for band in bands], default=0.0)


def score_effect(indicators: pd.DataFrame, rubric: EffectRubric = DEFAULT_EFFECT_RUBRIC,
                 districts: pd.Series | None = None) -> tuple[pd.DataFrame, pd.Series | pd.DataFrame]:
    """Points per indicator and total per store, and the district averages they were compared with.

    With districts (store → its CM), every district is scored against its own averages in one pass and
    the averages come back one row per district; without, the whole frame is one district.
    """
    values = indicators[[i.code for i in rubric.indicators]]
    if districts is None:
        averages = values.mean()
        per_store = pd.DataFrame({c: averages[c] for c in values.columns}, index=values.index)
    else:
        grouped = values.groupby(districts.reindex(values.index))
        averages, per_store = grouped.mean(), grouped.transform("mean")
    points = pd.DataFrame(index=indicators.index)
    for indicator in rubric.indicators:
        value, average = values[indicator.code], per_store[indicator.code]
        if indicator.compare == "ratio":
            # An empty district (average 0) compares every store as average.
            compared = pd.Series(np.where(average > 0, value / average.where(average > 0), 1.0), index=value.index)
        else:
            compared = value - average
        points[indicator.code] = np.round(_band_fraction(compared, indicator.bands) * indicator.weight, 2)
    points["total"] = points.sum(axis=1).round(2)
    return points, averages


def effect_rubric_to_dict(rubric: EffectRubric) -> dict:
    """The rubric as plain data (stored as JSON with the version it was scored with)."""
    return {"version": rubric.version, "indicators": [
        {"code": i.code, "label": i.label, "group": i.group, "weight": i.weight, "compare": i.compare,
         "bands": [[b.at_least, b.fraction] for b in i.bands]} for i in rubric.indicators]}


def effect_rubric_from_dict(data: dict) -> EffectRubric:
    """Rebuild a rubric from plain data; ValueError (Chinese) when it is inconsistent."""
    return EffectRubric(int(data["version"]), tuple(
        EffectIndicator(i["code"], i["label"], i["group"], float(i["weight"]), i["compare"],
                        tuple(Band(float(low), float(fraction)) for low, fraction in i["bands"]))
        for i in data["indicators"]))
