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


def _rates(frame: pd.DataFrame | None, keys: tuple[str, ...]) -> dict[tuple, tuple[int, int, float | None]]:
    """A shelf_rates frame as (key columns…) → (stores, shelved, rate or None)."""
    if frame is None:
        return {}
    return {tuple(row[:-3]): (int(row[-3]), int(row[-2]), None if row[-1] != row[-1] else float(row[-1]))
            for row in frame[[*keys, "stores", "shelved", "rate"]].itertuples(index=False, name=None)}


def analysis_lines(scope: Scope, ordered: pd.DataFrame, months_ordered: set[str], month: str, brands: list[KeyBrand],
                   targets: dict[str, Target], target_stores: dict[str, list[str]]) -> dict[str, dict[int, dict]]:
    """The §7 tables (brands, bands, formats, targets, trend) as lines of values, from the CM's scope and what its
    stores ordered (columns month, store, brand, volume) in months_read(month); months_ordered: the months in which
    any orders are imported (a month without them shows nothing, never 0 %)."""
    names = [b.brand for b in brands]
    stores = scope.stores
    read = tuple(m for m in months_read(month) if m in months_ordered)
    by_month = _rates(shelf_rates(stores, ordered, names, months=read) if read else None, ("month", "brand"))
    volumes = {key: int(v) for key, v in ordered.groupby(["month", "brand"])["volume"].sum().items()}
    now = ordered[ordered["month"] == month]
    ordered_now = month in months_ordered

    def volume(m: str, brand: str) -> int | None:
        return volumes.get((m, brand), 0) if m in months_ordered else None

    def rate(m: str, brand: str) -> float | None:
        return by_month.get((m, brand), (0, 0, None))[2]

    last, year = previous_month(month), year_before(month)
    table: dict[str, dict[int, dict]] = {"brands": {}, "bands": {}, "formats": {}, "targets": {}, "trend": {}}
    no_target = Target(None, None, None)
    for n, brand in enumerate(brands, start=1):
        b, target = brand.brand, targets.get(brand.brand, no_target)
        actual = volume(month, b)
        table["brands"][n] = {
            "brand": b, "kind": brand.label, "target_rate": target.shelf_rate, "rate": rate(month, b),
            "last_rate": rate(last, b), "year_rate": rate(year, b), "target_volume": target.volume, "volume": actual,
            "last_volume": volume(last, b), "year_volume": volume(year, b),
            "done": actual / target.volume if actual is not None and target.volume else None,
            "shelved": by_month[(month, b)][1] if (month, b) in by_month else None, "target_stores": target.stores}
    order = {b: n for n, b in enumerate(names)}
    groups = {"band": [*(f"{low}–{high}档" for low, high in BANDS), UNTIERED], "format": list(FORMATS.values())}
    for key, column in (("bands", "band"), ("formats", "format")):
        if not ordered_now:
            continue
        found = _rates(shelf_rates(stores, now, names, by=(column,)), (column, "brand"))
        for b in sorted(names, key=lambda name: order[name]):
            for group in groups[column]:
                if (group, b) in found:
                    count, shelved, share = found[(group, b)]
                    table[key][len(table[key]) + 1] = {"brand": b, "group": group, "stores": count, "shelved": shelved,
                                                       "rate": share, "target_rate": targets.get(b, no_target).shelf_rate}
    picked = pd.DataFrame([(s, b) for b, codes in target_stores.items() for s in codes], columns=["code", "target"])
    picked = stores.merge(picked, on="code")
    found = _rates(shelf_rates(picked, now, names, by=("target",)), ("target", "brand")) if ordered_now else {}
    per_store = now.groupby(["store", "brand"])["volume"].sum()
    stocked = set(per_store[per_store >= 1].index)
    for b in names:
        mine = picked[picked["target"] == b]
        missing = [r.name for r in mine.itertuples() if (r.store, b) not in stocked]
        hit = found.get((b, b))
        table["targets"][len(table["targets"]) + 1] = {
            "brand": b, "stores": len(mine), "shelved": hit[1] if hit and ordered_now else None,
            "rate": hit[2] if hit else None,
            "missing": ("、".join(missing[:10]) + (f" 等 {len(missing)} 户" if len(missing) > 10 else "")) if ordered_now
            else "本月订单尚未导入"}
    for b in names:
        for m in trend_months(month):
            table["trend"][len(table["trend"]) + 1] = {"brand": b, "month": m, "volume": volume(m, b), "rate": rate(m, b)}
    return table


def brand_month(uow, cm_codes: list[str], month: str, brand: str) -> tuple[float | None, int]:
    """A brand's shelf rate (the one rule, over these CMs' active stores) and volume (条) in a month: what the
    worksheet functions CMW_SHELF_RATE and CMW_BRAND_VOLUME answer."""
    active = [s for s in uow.analyses.scope(cm_codes) if s.status == "active"]
    ordered = uow.brand_months.totals(cm_codes, [month], [brand])
    rates = shelf_rates(pd.DataFrame({"store": [s.id for s in active]}), ordered, [brand])
    rate = float(rates.loc[0, "rate"])
    return (None if rate != rate else rate), int(ordered["volume"].sum())
