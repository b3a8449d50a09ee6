"""§7 月度品牌状态分析 in figures: per key brand, the CM's actual shelf rate (engine.brands.shelf_rates, the one
rule) and volume against the §5 targets — over the CM's active stores, per tier band, per format and over the §6
target stores — with last month, the same month last year and the six months' trend. Read from the importer's
per-brand monthly totals."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from engine.brand_targets import Target
from engine.brands import KeyBrand, shelf_rates
from engine.market import year_before
from engine.periods import previous_month
from engine.stores import FORMATS

#: Tier bands (档位段) the shelf rate is shown by, highest first; a store without a tier is 未定档.
BANDS = ((26, 30), (21, 25), (16, 20), (11, 15), (6, 10), (1, 5))
UNTIERED = "未定档"
TREND_MONTHS = 6


def band_of(tier: int | None) -> str:
    """The tier band of a tier: 26–30档 … 1–5档, or 未定档."""
    if tier is None or tier != tier:
        return UNTIERED
    for low, high in BANDS:
        if low <= tier <= high:
            return f"{low}–{high}档"
    return UNTIERED


def trend_months(month: str) -> list[str]:
    """The six months up to the month, oldest first."""
    months = [month]
    while len(months) < TREND_MONTHS:
        months.insert(0, previous_month(months[0]))
    return months


def months_read(month: str) -> list[str]:
    """Every month §7 reads: the six months' trend and the same month a year earlier."""
    return [*trend_months(month), year_before(month)]


@dataclass(frozen=True)
class Scope:
    """A CM's active stores as §7 groups them: store id, code, name, band, format (one row each)."""

    stores: pd.DataFrame


def scope_of(active) -> Scope:
    """The scope frame of engine.ports.ScopeStore rows (active ones)."""
    return Scope(pd.DataFrame([{"store": s.id, "code": s.code, "name": s.name, "band": band_of(s.tier),
                                "format": FORMATS.get(s.category[1], s.category[1])} for s in active],
                              columns=["store", "code", "name", "band", "format"]))


def _of_month(ordered: pd.DataFrame, month: str) -> pd.DataFrame:
    return ordered[ordered["month"] == month]


def _volume(ordered: pd.DataFrame, month: str, brand: str) -> int | None:
    """条 of the brand in the month; None when the month has no orders of the stores at all."""
    rows = _of_month(ordered, month)
    return int(rows.loc[rows["brand"] == brand, "volume"].sum()) if month in ordered.attrs["ordered"] else None


def _rate(rates: pd.DataFrame, brand: str) -> float | None:
    value = rates.loc[rates["brand"] == brand, "rate"]
    return None if value.empty or value.iloc[0] != value.iloc[0] else float(value.iloc[0])


def analysis_lines(scope: Scope, ordered: pd.DataFrame, months_ordered: set[str], month: str, brands: list[KeyBrand],
                   targets: dict[str, Target], target_stores: dict[str, list[str]]) -> dict[str, dict[int, dict]]:
    """The §7 tables (brands, bands, formats, targets, trend) as lines of values, from the CM's scope and what its
    stores ordered (columns month, store, brand, volume) in months_read(month); months_ordered: the months in which
    any of the CM's stores ordered anything (a month without orders shows —, never 0 %)."""
    ordered = ordered.copy()
    ordered.attrs["ordered"] = months_ordered
    names = [b.brand for b in brands]
    stores = scope.stores

    def rates(m: str, frame: pd.DataFrame = stores, by: tuple[str, ...] = ()) -> pd.DataFrame | None:
        return shelf_rates(frame, _of_month(ordered, m), names, by) if m in months_ordered else None

    last, year = previous_month(month), year_before(month)
    now_rates, last_rates, year_rates = rates(month), rates(last), rates(year)
    table: dict[str, dict[int, dict]] = {"brands": {}, "bands": {}, "formats": {}, "targets": {}, "trend": {}}
    for brand in brands:
        b, target = brand.brand, targets.get(brand.brand, Target(None, None, None))
        actual = _volume(ordered, month, b)
        shelved = now_rates.loc[now_rates["brand"] == b, "shelved"] if now_rates is not None else pd.Series(dtype=int)
        table["brands"][len(table["brands"]) + 1] = {
            "brand": b, "kind": brand.label, "target_rate": target.shelf_rate,
            "rate": _rate(now_rates, b) if now_rates is not None else None,
            "last_rate": _rate(last_rates, b) if last_rates is not None else None,
            "year_rate": _rate(year_rates, b) if year_rates is not None else None,
            "target_volume": target.volume, "volume": actual, "last_volume": _volume(ordered, last, b),
            "year_volume": _volume(ordered, year, b),
            "done": actual / target.volume if actual is not None and target.volume else None,
            "shelved": int(shelved.iloc[0]) if len(shelved) else None, "target_stores": target.stores}
    order = {b: n for n, b in enumerate(names)}
    groups = {"band": {g: n for n, g in enumerate([*(f"{low}–{high}档" for low, high in BANDS), UNTIERED])},
              "format": {g: n for n, g in enumerate(FORMATS.values())}}
    for key, column in (("bands", "band"), ("formats", "format")):
        grouped = rates(month, stores, (column,))
        if grouped is None:
            continue
        grouped = grouped.assign(_brand=grouped["brand"].map(order), _group=grouped[column].map(groups[column]))
        for row in grouped.sort_values(["_brand", "_group"]).itertuples(index=False):  # each brand's lines together
            target = targets.get(row.brand, Target(None, None, None))
            table[key][len(table[key]) + 1] = {"brand": row.brand, "group": getattr(row, column), "stores": row.stores,
                                               "shelved": row.shelved, "rate": row.rate, "target_rate": target.shelf_rate}
    for brand in brands:
        codes = target_stores.get(brand.brand, [])
        picked = stores[stores["code"].isin(codes)]
        got = rates(month, picked)
        rate = _rate(got, brand.brand) if got is not None and len(picked) else None
        stocked = set()
        if got is not None:
            month_rows = _of_month(ordered, month)
            per_store = month_rows[month_rows["brand"] == brand.brand].groupby("store")["volume"].sum()
            stocked = set(per_store[per_store >= 1].index)
        missing = [r.name for r in picked.itertuples() if r.store not in stocked]
        table["targets"][len(table["targets"]) + 1] = {
            "brand": brand.brand, "stores": len(picked), "shelved": len(picked) - len(missing) if got is not None else None,
            "rate": rate, "missing": "、".join(missing[:10]) + (f" 等 {len(missing)} 户" if len(missing) > 10 else "")
            if got is not None else "本月订单尚未导入"}
    for brand in brands:
        for m in trend_months(month):
            got = rates(m)
            table["trend"][len(table["trend"]) + 1] = {"brand": brand.brand, "month": m,
                                                       "volume": _volume(ordered, m, brand.brand),
                                                       "rate": _rate(got, brand.brand) if got is not None else None}
    return table


def brand_month(uow, cm_codes: list[str], month: str, brand: str) -> tuple[float | None, int]:
    """A brand's shelf rate (the one rule, over these CMs' active stores) and volume (条) in a month: what the
    worksheet functions CMW_SHELF_RATE and CMW_BRAND_VOLUME answer."""
    active = [s for s in uow.analyses.scope(cm_codes) if s.status == "active"]
    ordered = uow.brand_months.totals(cm_codes, [month], [brand])
    rates = shelf_rates(pd.DataFrame({"store": [s.id for s in active]}), ordered, [brand])
    rate = float(rates.loc[0, "rate"])
    return (None if rate != rate else rate), int(ordered["volume"].sum())
