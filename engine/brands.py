"""Brands as §4–§7 see them: the month's key (重点) and backbone (骨干) brands the brand manager keeps, and the one
shelf-rate rule (上柜率) every figure, print, worksheet function and later §18 computes with.

上柜率 (DOMAIN.md's decision): of the stores in scope (a CM's active stores, a tier band, a format, the target stores),
the share that ordered at least 1 条 of the brand in the period. A store in scope that ordered nothing counts in
the denominator; a store that is not in scope never counts.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from engine.products import PRICE_CLASS_LABELS

if TYPE_CHECKING:
    import pandas as pd

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


def shelf_rates(scope: pd.DataFrame, ordered: pd.DataFrame, brands: list[str], by: tuple[str, ...] = (),
                months: tuple[str, ...] = ()) -> pd.DataFrame:
    """上柜率 of each brand over the stores in scope, per group (and per month).

    scope: one row per store in scope and group (column store, and the columns named in by: e.g. band, format);
    ordered: what the stores ordered (columns store, brand, volume in 条, and month when months are given; several
    rows of a store and brand, e.g. per price class, are added up). Returns one row per month of months (when given),
    group and brand of brands: those columns, stores (in scope), shelved (of them, those that ordered ≥ SHELF_MINIMUM
    条 of the brand in the month) and rate (shelved ÷ stores; NaN for an empty group)."""
    import pandas as pd  # here, not at import: `cmw --help` loads the declarations without pandas

    by, per = tuple(by), ("month",) if months else ()
    scope = scope.drop_duplicates(["store", *by]).astype({"store": "int64"})
    wanted = ordered[ordered["brand"].isin(brands)].astype({"store": "int64", "volume": "float64"})
    if per:
        wanted = wanted[wanted["month"].isin(months)]
    per_store = wanted.groupby([*per, "store", "brand"], as_index=False)["volume"].sum()
    stocked = per_store.loc[per_store["volume"] >= SHELF_MINIMUM, [*per, "store", "brand"]].merge(
        scope[["store", *by]], on="store")
    counts = stocked.groupby([*per, *by, "brand"]).size()
    shelved = {(k if isinstance(k, tuple) else (k,)): int(n) for k, n in counts.items()}
    sizes = ([(*(k if isinstance(k, tuple) else (k,)), int(n)) for k, n in scope.groupby(list(by)).size().items()]
             if by else [(len(scope),)])
    rows = []
    for month in months or (None,):
        for group in sizes:
            key, stores = (*((month,) if per else ()), *group[:-1]), group[-1]
            for brand in brands:
                n = shelved.get((*key, brand), 0)
                rows.append({**dict(zip((*per, *by), key)), "brand": brand, "stores": stores, "shelved": n,
                             "rate": n / stores if stores else float("nan")})
    return pd.DataFrame(rows, columns=[*per, *by, "brand", "stores", "shelved", "rate"])


def rate_text(rate: float | None) -> str:
    """A shelf rate as a user reads it: 62.5%, or — when there is no store to count."""
    return "—" if rate is None or rate != rate else f"{rate:.1%}"
