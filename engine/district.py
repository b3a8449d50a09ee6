"""§10 片区统计: the distribution of effect scores and, per indicator, the share of stores with potential.

A store has potential (潜在需求) on an indicator when it lies below the district average there. "Below"
is weak_indicators' rule over the stored values, so the shares count exactly the stores whose
strategies name that indicator. Pure functions over DataFrames; engine/district_report.py lays them out.
"""
from __future__ import annotations

from typing import Iterable

import numpy as np
import pandas as pd

from engine.ports import ScopeStore
from engine.stores import FORMATS
from engine.strategies import weak_indicators

#: Lower bounds (inclusive) of the effect-score bands; the last band also holds 100.
SCORE_BANDS = ((0, "0-20分"), (20, "20-40分"), (40, "40-60分"), (60, "60-80分"), (80, "80-100分"))
TIER_BANDS = ((1, 10, "1-10档"), (11, 20, "11-20档"), (21, 30, "21-30档"))
NO_TIER = "未定档"
TIER_LABELS = (*(label for _, _, label in TIER_BANDS), NO_TIER)
UNKNOWN_FORMAT = "未知业态"
FORMAT_LABELS = (*FORMATS.values(), UNKNOWN_FORMAT)
#: How the default effect indicators' values read; an indicator an administrator adds reads as a plain number.
VALUE_KINDS = {"volume": "count", "order_count": "count", "sku_count": "count", "amount": "money",
               "value_per_carton": "money", "class12_share": "share", "key_brand_share": "share",
               "volume_change": "share"}
SUMMARY_COLUMNS = ("average", "stores", "below", "share")


def value_kind(code: str) -> str:
    """How an effect indicator's values read (count, money, share or number)."""
    return VALUE_KINDS.get(code, "number")


def average_kind(kind: str) -> str:
    """How an average of values of that kind reads: an average of counts keeps its decimals."""
    return {"count": "number", "score": "points"}.get(kind, kind)


def tier_band(tier: int | float | None) -> str:
    """The tier band (档位段) of a tier 1-30; 未定档 when the store has none."""
    if tier is None or pd.isna(tier):
        return NO_TIER
    return next((label for low, high, label in TIER_BANDS if low <= int(tier) <= high), NO_TIER)


def format_name(category: str) -> str:
    """The format (业态) of a composite category such as CZ1: its middle letter, in Chinese."""
    return FORMATS.get((category or "")[1:2], UNKNOWN_FORMAT)


def store_frame(stores: Iterable[ScopeStore]) -> pd.DataFrame:
    """Stores by id with what the statistics group by: tier band and format (ordered categories)."""
    frame = pd.DataFrame([{"store_id": s.id, "code": s.code, "name": s.name, "tier": s.tier, "category": s.category,
                           "status": s.status} for s in stores],
                         columns=["store_id", "code", "name", "tier", "category", "status"]).set_index("store_id")
    frame["tier"] = frame["tier"].astype("Float64")
    frame["tier_band"] = pd.Categorical([tier_band(t) for t in frame["tier"]], categories=TIER_LABELS)
    frame["format"] = pd.Categorical([format_name(c) for c in frame["category"]], categories=FORMAT_LABELS)
    return frame


def score_distribution(totals: pd.Series) -> pd.DataFrame:
    """Stores and their share per score band (an empty district has zero counts and zero shares)."""
    lows = np.array([low for low, _ in SCORE_BANDS], dtype=float)
    band = np.clip(np.searchsorted(lows, totals.to_numpy(dtype=float), side="right") - 1, 0, len(lows) - 1)
    counts = np.bincount(band, minlength=len(lows)) if len(band) else np.zeros(len(lows), dtype=int)
    shares = counts / len(band) if len(band) else np.zeros(len(lows))
    return pd.DataFrame({"band": [label for _, label in SCORE_BANDS], "count": counts, "share": shares})


def capability_values(scores: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    """Scores by store (rows) and indicator (columns) of the stores scored on every indicator."""
    scored = scores[scores["indicator"].isin(codes)]
    wide = scored.pivot(index="store_id", columns="indicator", values="score")
    return wide.reindex(columns=codes).astype(float).dropna()


def capability_totals(values: pd.DataFrame) -> pd.Series:
    """A scored store's capability total: the sum of its indicator scores."""
    return values.sum(axis=1)


def _shares_within(weak: pd.DataFrame, values: pd.DataFrame, labels: pd.Series) -> dict[str, pd.Series]:
    """Per group with valued stores: the share of them below the district average, per indicator."""
    own = labels.reindex(values.index)
    weak_labels = weak["store"].map(labels)
    shares = {}
    for label in labels.cat.categories:
        size = int((own == label).sum())
        if size:
            below = weak[weak_labels == label].groupby("indicator").size()
            shares[label] = below.reindex(values.columns, fill_value=0) / size
    return shares


def potential(values: pd.DataFrame, groups: pd.DataFrame) -> pd.DataFrame:
    """Per indicator: district average, stores valued, stores below it, their share, and that share per group.

    groups holds per store one categorical column per grouping (tier band, format); each category
    with valued stores becomes a column, its share taken over that category's valued stores.
    """
    values = values.astype(float)
    weak = weak_indicators(values, "")
    below = weak.groupby("indicator").size().reindex(values.columns, fill_value=0)
    result = pd.DataFrame({"average": values.mean(), "stores": len(values), "below": below},
                          index=pd.Index(values.columns, name="indicator"))
    result["share"] = result["below"] / len(values) if len(values) else np.nan
    for column in groups.columns:
        for label, share in _shares_within(weak, values, groups[column]).items():
            result[label] = share
    return result


def analysed_stores(stores: pd.DataFrame, ids: Iterable[int]) -> pd.DataFrame:
    """The stores an analysis scored, by code; one that has left the scope since keeps its row, unnamed."""
    frame = stores.reindex(pd.Index(list(ids), name="store_id"))
    gone = frame["code"].isna()
    frame.loc[gone, ["code", "name", "category", "status"]] = ["", "（已不在本片区）", "", "closed"]
    frame.loc[gone, "tier_band"] = NO_TIER
    frame.loc[gone, "format"] = UNKNOWN_FORMAT
    return frame.sort_values("code", kind="stable")
