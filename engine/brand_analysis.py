"""§7 月度品牌状态分析 in figures: per key brand, the CM's actual shelf rate (engine.brands.shelf_rates, the one
rule) and volume against the §5 targets — over the CM's active stores, per tier band, per format and over the §6
target stores — with last month, the same month last year and the six months' trend. Read from the importer's
per-brand monthly totals."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from engine.brand_targets import Target
from engine.brands import SHELF_MINIMUM, KeyBrand, shelf_rates
from engine.market import year_before
from engine.periods import period_months, previous_month
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
    """CMs' active stores as §7 groups them: store id, CM code, code, name, band, format (one row each)."""

    stores: pd.DataFrame


def scope_of(active) -> Scope:
    """The scope frame of engine.ports.ScopeStore rows (active ones)."""
    return Scope(pd.DataFrame.from_records(
        [(s.id, s.cm_code, s.code, s.name, band_of(s.tier), FORMATS.get(s.category[1], s.category[1])) for s in active],
        columns=["store", "cm", "code", "name", "band", "format"]))


def _rates(frame: pd.DataFrame | None, keys: tuple[str, ...]) -> dict[tuple, tuple[int, int, float | None]]:
    """A shelf_rates frame as (key columns…) → (stores, shelved, rate or None)."""
    if frame is None:
        return {}
    return {tuple(row[:-3]): (int(row[-3]), int(row[-2]), None if row[-1] != row[-1] else float(row[-1]))
            for row in frame[[*keys, "stores", "shelved", "rate"]].itertuples(index=False, name=None)}


@dataclass(frozen=True)
class Counts:
    """What §7 reads of the CMs' orders, counted by the database (engine.ports.BrandMonths.stocking): per CM, tier,
    format and brand in the month (now); per month, CM and brand in the other months of months_read (before); per
    target store and brand in the month (stores)."""

    now: pd.DataFrame
    before: pd.DataFrame
    stores: pd.DataFrame

    def months(self) -> pd.DataFrame:
        """Per month, CM and brand over months_read: shelved and volume."""
        now = self.now.groupby(["month", "cm", "brand"], as_index=False)[["shelved", "volume"]].sum()
        return pd.concat([now, self.before[now.columns]], ignore_index=True) if len(self.before) else now


def _picked(scope: Scope, target_stores: dict[str, dict[str, list[str]]]) -> pd.DataFrame:
    """The target stores in scope, one row per CM, store and the brand it is a target of (column target)."""
    picked = pd.DataFrame([(cm, code, b) for cm, per_brand in target_stores.items() for b, codes in per_brand.items()
                           for code in codes], columns=["cm", "code", "target"])
    return scope.stores.merge(picked, on=["cm", "code"])


def counts_of(uow, scope: Scope, cm_codes: list[str], month: str, brands: list[KeyBrand],
              target_stores: dict[str, dict[str, list[str]]], months_ordered: set[str]) -> Counts:
    """The counts §7 shows of these CMs, read set-based: three reads, whatever the number of CMs."""
    names = [b.brand for b in brands]
    now = [month] if month in months_ordered else []
    before = [m for m in months_read(month) if m in months_ordered and m != month]

    def count(months: list[str], by: tuple[str, ...] = (), stores: list[int] | None = None) -> pd.DataFrame:
        return uow.brand_months.stocking(cm_codes, months, names, SHELF_MINIMUM, by, stores)
    picked = sorted({int(s) for s in _picked(scope, target_stores)["store"]})
    return Counts(count(now, ("tier", "format")), count(before), count(now, ("store",), picked))


@dataclass(frozen=True)
class _Found:
    """What analysis_lines computed for every CM at once, read per CM: shelf rates per (month, CM, brand), per (CM,
    band or format, brand) and per (CM, target brand, brand); volumes per (CM, month, brand); the target stores per
    (CM, brand) as (store id, "name（code）") in code order — two stores of one name stay two; the (store, brand) pairs stocked in the month."""

    by_month: dict[tuple, tuple[int, int, float | None]]
    groups: dict[str, dict[tuple, tuple[int, int, float | None]]]
    targets: dict[tuple, tuple[int, int, float | None]]
    volumes: dict[tuple, int]
    picked: dict[tuple[str, str], list[tuple[int, str]]]
    stocked: set[tuple[int, str]]


def analysis_lines(scope: Scope, counts: Counts, months_ordered: set[str], month: str, brands: list[KeyBrand],
                   targets: dict[str, dict[str, Target]],
                   target_stores: dict[str, dict[str, list[str]]]) -> dict[str, dict[str, dict[int, dict]]]:
    """The §7 tables (brands, bands, formats, targets, trend) as lines of values of every CM of targets (by CM code),
    computed for all of them at once from their scope and the counts of their orders (counts_of); targets and target
    stores by CM then brand; months_ordered: the months in which any orders are imported (a month without them shows
    nothing, never 0 %)."""
    names = [b.brand for b in brands]
    stores = scope.stores
    read = tuple(m for m in months_read(month) if m in months_ordered)
    ordered_now = month in months_ordered
    groups = {}
    if ordered_now:
        tiers = counts.now["tier"]
        by_group = (("bands", "band", counts.now.assign(band=tiers.map({t: band_of(t) for t in tiers.unique()}))),
                    ("formats", "format", counts.now.assign(
                        format=counts.now["format"].map(lambda letter: FORMATS.get(letter, letter)))))
        for key, column, counted in by_group:
            groups[key] = _rates(shelf_rates(stores, counted, names, by=("cm", column)), ("cm", column, "brand"))
    picked = _picked(scope, target_stores)
    chosen: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for cm, store, code, name, target in picked[["cm", "store", "code", "name", "target"]].itertuples(index=False,
                                                                                                   name=None):
        chosen.setdefault((cm, target), []).append((int(store), f"{name}（{code}）"))
    per_store = counts.stores[counts.stores["shelved"] > 0]
    months = counts.months()
    found = _Found(
        by_month=_rates(shelf_rates(stores, months, names, by=("cm",), months=read) if read else None,
                        ("month", "cm", "brand")),
        groups=groups,
        targets=_rates(shelf_rates(picked, per_store[["store", "brand", "shelved"]].merge(picked, on="store"), names,
                                   by=("cm", "target")), ("cm", "target", "brand")) if ordered_now else {},
        volumes={(cm, m, b): int(v) for m, cm, b, v in months[["month", "cm", "brand", "volume"]].itertuples(
            index=False, name=None)},
        picked=chosen, stocked={(int(s), b) for s, b in per_store[["store", "brand"]].itertuples(index=False, name=None)})
    return {cm: _tables(found, cm, months_ordered, month, brands, cm_targets) for cm, cm_targets in targets.items()}


def _tables(found: _Found, cm: str, months_ordered: set[str], month: str, brands: list[KeyBrand],
            targets: dict[str, Target]) -> dict[str, dict[int, dict]]:
    """One CM's §7 tables from what analysis_lines computed for every CM."""
    names = [b.brand for b in brands]
    ordered_now = month in months_ordered

    def volume(m: str, brand: str) -> int | None:
        return found.volumes.get((cm, m, brand), 0) if m in months_ordered else None

    def rate(m: str, brand: str) -> float | None:
        return found.by_month.get((m, cm, brand), (0, 0, None))[2]

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
            "shelved": found.by_month[(month, cm, b)][1] if (month, cm, b) in found.by_month else None,
            "target_stores": target.stores}
    groups = {"bands": [*(f"{low}–{high}档" for low, high in BANDS), UNTIERED], "formats": list(FORMATS.values())}
    for key, rates in found.groups.items():
        for b in names:
            for group in groups[key]:
                if (cm, group, b) in rates:
                    count, shelved, share = rates[(cm, group, b)]
                    table[key][len(table[key]) + 1] = {"brand": b, "group": group, "stores": count, "shelved": shelved,
                                                       "rate": share, "target_rate": targets.get(b, no_target).shelf_rate}
    for b in names:
        mine = found.picked.get((cm, b), [])
        missing = [name for store, name in mine if (store, b) not in found.stocked]
        hit = found.targets.get((cm, b, b))
        table["targets"][len(table["targets"]) + 1] = {
            "brand": b, "stores": len(mine), "shelved": hit[1] if hit and ordered_now else None,
            "rate": hit[2] if hit else None,
            "missing": ("、".join(missing[:10]) + (f" 等 {len(missing)} 户" if len(missing) > 10 else "")) if ordered_now
            else "本月订单尚未导入"}
    for b in names:
        for m in trend_months(month):
            table["trend"][len(table["trend"]) + 1] = {"brand": b, "month": m, "volume": volume(m, b), "rate": rate(m, b)}
    return table


def brand_month_by_cm(uow, cm_codes: list[str], month: str, brand: str) -> dict[str, tuple[int, int, int]]:
    """A brand's month per CM: (active stores, of them those that stock the brand by the one rule of
    engine.brands.shelf_rates, 条 their stores ordered) — a scope's shelf rate is its CMs' shelved ÷ their stores, as
    the worksheet functions CMW_SHELF_RATE and CMW_BRAND_VOLUME add them up."""
    rates, counted = _cm_rates(uow, cm_codes, month, [brand])
    volumes = {cm: int(v) for cm, v in counted[["cm", "volume"]].itertuples(index=False, name=None)}
    return {cm: (int(stores), int(shelved), volumes.get(cm, 0))
            for cm, stores, shelved in rates[["cm", "stores", "shelved"]].itertuples(index=False, name=None)}


def _cm_rates(uow, cm_codes: list[str], month: str, brands: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The brands' shelf rates of the month per CM (every CM of cm_codes, also one without active stores), and the
    database's counts they come from."""
    stores = pd.DataFrame.from_records([(s.id, s.cm_code) for s in uow.analyses.scope(cm_codes) if s.status == "active"],
                                       columns=["store", "cm"])
    counted = uow.brand_months.stocking(cm_codes, [month], brands, SHELF_MINIMUM)
    rates = shelf_rates(stores, counted, brands, by=("cm",))
    empty = [{"cm": cm, "brand": b, "stores": 0, "shelved": 0, "rate": float("nan")}
             for cm in cm_codes if cm not in set(rates["cm"]) for b in brands]
    return (pd.concat([rates, pd.DataFrame(empty, columns=rates.columns)], ignore_index=True) if empty else rates), counted


def key_brand_shelf_rates(uow, cm_codes: list[str], period: str) -> dict[str, str]:
    """Each CM's key-brand shelf rate of the period, as §18's 重点品牌上柜率 shows it (set-based: each month's list, the
    CMs' stores and their key brands' counts read once a month): the mean over the month's key brands (重点品牌; a
    backbone-only brand is not one) of each brand's shelf rate over the CM's active stores — engine.brands.shelf_rates,
    the rule §7 shows — with how many brands it averages; a quarter's is the mean over its three months' key brands;
    else what is missing (the list, the orders, the stores), naming the month."""
    months = period_months(period)
    ordered = set(uow.brand_months.months_with_orders(months))
    totals, averaged = None, 0
    for month in months:
        kept = uow.key_brands.of_month(month)
        keys = [brand for brand, (key, _) in kept.items() if key]
        if not keys:
            said = f"{month} 的重点品牌名单中没有重点品牌" if kept else f"{month} 的重点品牌尚未维护"
            return {cm: said for cm in cm_codes}
        if month not in ordered:
            return {cm: "本期订单尚未导入" if len(months) == 1 else f"{month} 的订单尚未导入" for cm in cm_codes}
        counts = _cm_rates(uow, cm_codes, month, keys)[0].groupby("cm")[["stores", "shelved"]].sum()
        totals, averaged = (counts if totals is None else totals.add(counts, fill_value=0)), averaged + len(keys)
    assert totals is not None  # a period has at least one month
    how = f"{averaged} 个重点品牌平均" if len(months) == 1 else f"{len(months)} 个月共 {averaged} 个重点品牌·月平均"
    return {cm: f"{totals.at[cm, 'shelved'] / totals.at[cm, 'stores']:.1%}（{how}）"
            if totals.at[cm, "stores"] else "无在册客户" for cm in cm_codes}
