"""Brands as §4–§7 see them: the month's key (重点) and backbone (骨干) brands the brand manager keeps, and the one
shelf-rate rule (上柜率) every figure, print, worksheet function and later §18 computes with.

上柜率 (DOMAIN.md's decision): of the stores in scope (a CM's active stores, a tier band, a format, the target stores),
the share that ordered at least 1 条 of the brand in the period. A store in scope that ordered nothing counts in
the denominator; a store that is not in scope never counts.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from engine.products import PRICE_CLASS_LABELS

KEY, BACKBONE = "重点品牌", "骨干品牌"
#: The least 条 of a brand a store must have ordered in the period to count as stocking it.
SHELF_MINIMUM = 1


@dataclass(frozen=True)
class KeyBrand:
    """A brand of the month's list: key, backbone, or both."""

    brand: str
    key: bool
    backbone: bool

    @property
    def label(self) -> str:
        """重点品牌, 骨干品牌, or 重点品牌、骨干品牌."""
        return "、".join(label for label, on in ((KEY, self.key), (BACKBONE, self.backbone)) if on)


@dataclass(frozen=True)
class BrandInfo:
    """A brand of the catalogue: how many SKUs it has and the price classes they fall in (0: none)."""

    skus: int
    classes: tuple[int, ...]

    @property
    def classes_label(self) -> str:
        """一类、三类 …, or — when no SKU has a class."""
        return "、".join(PRICE_CLASS_LABELS[c] for c in self.classes if c in PRICE_CLASS_LABELS) or "—"


def shelf_rates(scope: pd.DataFrame, ordered: pd.DataFrame, brands: list[str], by: tuple[str, ...] = ()) -> pd.DataFrame:
    """上柜率 of each brand over the stores in scope, per group.

    scope: one row per store in scope (column store, and the columns named in by: e.g. cm, band, format);
    ordered: what the stores ordered in the period (columns store, brand, volume in 条; several rows of a store and
    brand, e.g. per price class, are added up). Returns one row per group and brand of brands: the group columns,
    brand, stores (in scope), shelved (of them, those that ordered ≥ SHELF_MINIMUM 条 of the brand) and rate
    (shelved ÷ stores; NaN for an empty group)."""
    by = tuple(by)
    scope = scope.drop_duplicates("store")
    shelved: dict[tuple, int] = {}
    if len(ordered):
        per_store = ordered[ordered["brand"].isin(brands)].groupby(["store", "brand"], as_index=False)["volume"].sum()
        stocked = per_store.loc[per_store["volume"] >= SHELF_MINIMUM, ["store", "brand"]].merge(scope, on="store")
        counts = stocked.groupby([*by, "brand"]).size() if len(stocked) else pd.Series(dtype=int)
        shelved = {(k if isinstance(k, tuple) else (k,)): int(n) for k, n in counts.items()}
    groups = (scope.groupby(list(by)).size().reset_index().itertuples(index=False, name=None) if by
              else [(len(scope),)])
    rows = []
    for group in groups:
        key, stores = tuple(group[:-1]), int(group[-1])
        for brand in brands:
            n = shelved.get((*key, brand), 0)
            rows.append({**dict(zip(by, key)), "brand": brand, "stores": stores, "shelved": n,
                         "rate": n / stores if stores else float("nan")})
    return pd.DataFrame(rows, columns=[*by, "brand", "stores", "shelved", "rate"])


def rate_text(rate: float | None) -> str:
    """A shelf rate as a user reads it: 62.5%, or — when there is no store to count."""
    return "—" if rate is None or rate != rate else f"{rate:.1%}"
