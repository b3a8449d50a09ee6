"""§6 辅助筛选 (the assisted filter): which of a CM's active stores match conditions on their composite category
(format, market, scale), tier range, online ordering, "ordered the brand's price class but not the brand last
month", and last month's volume range — each store with the figures behind every condition, so that the CM sees
why it matched and keeps all or some as target stores. Read from the importer's per-brand monthly totals."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from engine.actors import Actor, Role
from engine.brand_targets import target_stores_of
from engine.errors import Refused
from engine.key_brands import key_brands_of
from engine.periods import previous_month
from engine.ports import StoreFilter, UnitOfWork
from engine.products import PRICE_CLASS_LABELS
from engine.scope import target_cms
from engine.stores import FORMATS, MARKETS, SCALES

#: What the filter writes in a proposed line's 选入原因.
REASON = "辅助筛选"
_FORMAT_CODES = {**{code: code for code in FORMATS}, **{label: code for code, label in FORMATS.items()}}
_MARKET_CODES = {**{code: code for code in MARKETS}, **{label: code for code, label in MARKETS.items()}}
_SCALE_CODES = {**{code: code for code in SCALES}, **{label: code for code, label in SCALES.items()}}


@dataclass(frozen=True)
class Conditions:
    """The filter's conditions; an empty one does not filter."""

    formats: tuple[str, ...] = ()
    markets: tuple[str, ...] = ()
    scales: tuple[str, ...] = ()
    tier_low: int | None = None
    tier_high: int | None = None
    online: bool | None = None
    class_not_brand: bool = False
    volume_low: float | None = None
    volume_high: float | None = None

    def lines(self, brand: str, classes: str, month: str) -> list[tuple[str, str]]:
        """Each condition as (what, chosen), as the workbook and the terminal show them."""
        def picked(codes, names):
            return "、".join(f"{names[c]}（{c}）" for c in codes) if codes else "不限"
        tier = ("不限" if self.tier_low is None and self.tier_high is None else
                f"{self.tier_low if self.tier_low is not None else 1} 到 {self.tier_high if self.tier_high is not None else 30} 档")
        volume = ("不限" if self.volume_low is None and self.volume_high is None else
                  f"{_plain(self.volume_low) if self.volume_low is not None else 0} 到 "
                  f"{_plain(self.volume_high) if self.volume_high is not None else '不限'} 条")
        return [("品牌", brand), ("数据月份（上月）", month), ("业态", picked(self.formats, FORMATS)),
                ("城乡", picked(self.markets, MARKETS)), ("规模", picked(self.scales, SCALES)), ("档位", tier),
                ("网上订货", "不限" if self.online is None else ("是" if self.online else "否")),
                (f"订了同价类（{classes}）其他品牌、没订{brand}", "是" if self.class_not_brand else "不限"),
                ("上月销量", volume)]


def _plain(number: float) -> str:
    return f"{number:g}"


def _codes(text: str | None, table: dict[str, str], what: str, allowed: dict[str, str]) -> tuple[str, ...]:
    if not text:
        return ()
    codes = []
    for part in text.replace("，", ",").replace("、", ",").split(","):
        part = part.strip().upper() if part.strip().isascii() else part.strip()
        if not part:
            continue
        if part not in table:
            raise Refused(f"{what}“{part}”不对，可填：{'、'.join(f'{c} {n}' for c, n in allowed.items())}（多个用逗号分开）。")
        codes.append(table[part])
    return tuple(dict.fromkeys(codes))


def _range(text: str | None, what: str, whole: bool, low: float, high: float) -> tuple[float | None, float | None]:
    if not text:
        return None, None
    first, sep, last = text.replace("～", "-").replace("~", "-").partition("-")
    try:
        bounds = [float(v) if v.strip() else None for v in ((first, last) if sep else (first, first))]
    except ValueError:
        raise Refused(f"{what}“{text}”不对，请写成 下限-上限，例如 10-30（只限一边可写 10- 或 -30）。") from None
    for value in bounds:
        if value is not None and (not low <= value <= high or (whole and not value.is_integer())):
            raise Refused(f"{what}“{text}”不对：应为 {low:g} 到 {high:g} 的{'整数' if whole else '数'}。")
    first_bound, last_bound = bounds
    if first_bound is not None and last_bound is not None and first_bound > last_bound:
        raise Refused(f"{what}“{text}”的下限大于上限，请写成 下限-上限。")
    return first_bound, last_bound


def conditions_of(*, category: str | None = None, formats: str | None = None, markets: str | None = None,
                  scales: str | None = None, tiers: str | None = None, online: str | None = None,
                  class_not_brand: bool = False, volume: str | None = None) -> Conditions:
    """The conditions as typed (command line or the ribbon); Refused in Chinese, with what is allowed."""
    if category:
        text = category.strip().upper()
        if len(text) != 3:
            raise Refused(f"综合分类“{category}”不对，应为三位，例如 CZ1（城乡 + 业态 + 规模）。")
        markets, formats, scales = text[0], text[1], text[2]
    tier_low, tier_high = _range(tiers, "档位范围", True, 1, 30)
    volume_low, volume_high = _range(volume, "上月销量范围", False, 0, 1e9)
    if online not in (None, ""):
        if online.strip() not in ("是", "否", "yes", "no"):
            raise Refused(f"网上订货只能填 是 或 否（填写的是“{online}”）。")
    return Conditions(_codes(formats, _FORMAT_CODES, "业态", FORMATS), _codes(markets, _MARKET_CODES, "城乡", MARKETS),
                      _codes(scales, _SCALE_CODES, "规模", SCALES),
                      None if tier_low is None else int(tier_low), None if tier_high is None else int(tier_high),
                      None if online in (None, "") else online.strip() in ("是", "yes"), class_not_brand,
                      volume_low, volume_high)


@dataclass(frozen=True)
class Filtered:
    """The filter's answer: the brand, its price classes, the month read, the conditions, and per matching store
    the figures behind them (rows: dicts with code, name, category, tier, online, volume, class_volume,
    brand_volume, target)."""

    cm_code: str
    brand: str
    classes: str
    month: str
    conditions: Conditions
    rows: list[dict]
    scope: int

    def condition_lines(self) -> list[tuple[str, str]]:
        """The conditions as (what, chosen)."""
        return self.conditions.lines(self.brand, self.classes, self.month)


def match(stores: pd.DataFrame, ordered: pd.DataFrame, brand: str, classes: tuple[int, ...],
          conditions: Conditions) -> pd.DataFrame:
    """The stores (columns id, code, name, market, format, scale, tier, online) that meet the conditions, with
    last month's volume, volume of the brand's price classes in other brands, and volume of the brand (条)."""
    frame = stores.copy()
    per_store = ordered.assign(
        brand_volume=ordered["volume"].where(ordered["brand"] == brand, 0),
        class_volume=ordered["volume"].where(ordered["price_class"].isin(classes) & (ordered["brand"] != brand), 0),
    ).groupby("store")[["volume", "brand_volume", "class_volume"]].sum()
    frame = frame.join(per_store, on="id").fillna({"volume": 0, "brand_volume": 0, "class_volume": 0})
    keep = pd.Series(True, index=frame.index)
    c = conditions
    for column, chosen in (("format", c.formats), ("market", c.markets), ("scale", c.scales)):
        if chosen:
            keep &= frame[column].isin(chosen)
    if c.tier_low is not None:
        keep &= frame["tier"].fillna(0) >= c.tier_low
    if c.tier_high is not None:
        keep &= frame["tier"].fillna(99) <= c.tier_high
    if c.online is not None:
        keep &= frame["online"] == c.online
    if c.class_not_brand:
        keep &= (frame["class_volume"] >= 1) & (frame["brand_volume"] < 1)
    if c.volume_low is not None:
        keep &= frame["volume"] >= c.volume_low
    if c.volume_high is not None:
        keep &= frame["volume"] <= c.volume_high
    return frame[keep]


def filter_stores(uow: UnitOfWork, actor: Actor, cm_code: str | None, month: str, brand: str,
                  conditions: Conditions) -> Filtered:
    """The assisted filter over one CM's active stores for a brand of the month's list, read from last month."""
    cms = target_cms(uow, actor, [cm_code] if cm_code else None, "view:target_stores")
    if not cms:
        raise Refused("没有可筛选的客户经理。")
    cm = cms[0]
    brands = [b.brand for b in key_brands_of(uow, month, "辅助筛选目标客户")]
    if brand not in brands:
        raise Refused(f"“{brand}”不是 {month} 的重点或骨干品牌，可选：{'、'.join(brands)}。")
    info = uow.products.catalogue().get(brand)
    classes = tuple(k for k in (info.classes if info else ()) if k)
    last = previous_month(month)
    stores = [s for s in uow.stores.of_cm(cm, StoreFilter())]
    ids = {s.code: s.id for s in uow.analyses.scope([cm])}
    frame = pd.DataFrame([{"id": ids.get(s.code, -1), "code": s.code, "name": s.name, "market": s.category.market,
                           "format": s.category.format, "scale": s.category.scale, "tier": s.tier,
                           "online": s.online_ordering, "category": s.category.code} for s in stores],
                         columns=["id", "code", "name", "market", "format", "scale", "tier", "online", "category"])
    matched = match(frame, uow.brand_months.totals([cm], [last]), brand, classes, conditions)
    targets = set(target_stores_of(uow, [cm], month).get(cm, {}).get(brand, []))
    rows = [{"code": r.code, "name": r.name, "category": r.category, "tier": None if pd.isna(r.tier) else int(r.tier),
             "online": "是" if r.online else "否",
             "volume": int(r.volume), "class_volume": int(r.class_volume), "brand_volume": int(r.brand_volume),
             "target": "是" if r.code in targets else ""} for r in matched.itertuples()]
    label = "、".join(PRICE_CLASS_LABELS[k] for k in classes) or "无价类"
    return Filtered(cm, brand, label, last, conditions, rows, len(frame))


@dataclass(frozen=True)
class Proposed:
    """The CM's §6 document as its workbook will show it after the filter: the matching stores not yet target stores
    of the brand added as lines (saved only when the CM hands the file in)."""

    filtered: Filtered
    view: object  # engine.forms.FormView, the lines added
    added: int


def hand_out_filtered(uow: UnitOfWork, actor: Actor, month: str, brand: str,
                      conditions: Conditions) -> tuple[Proposed, int, str]:
    """The filter over the CM's own stores and their §6 workbook with its result added, the export recorded with
    what the document holds (not the proposals), in one unit of work: what to write, the export's id, the company."""
    from dataclasses import replace

    from engine.document_types import document_type
    from engine.exports import Handout, hand_out
    from engine.fields import Values
    from engine.forms import read_forms
    from engine.kinds.target_stores import store_option

    if actor.role is not Role.CM:
        raise Refused(f"目标客户由客户经理本人选定；{actor.label}可以去掉 -o 查看筛选结果。")
    kind = document_type("target_stores")

    def read(uow: UnitOfWork):
        filtered = filter_stores(uow, actor, None, month, brand, conditions)
        [view] = read_forms(uow, actor, kind, None, month, create=True)
        kept = view.values.lines.get("stores", {})
        taken = {row.get("store") for row in kept.values() if row.get("brand") == brand}
        fresh = [r for r in filtered.rows if store_option(r["code"], r["name"]) not in taken]
        start = max(kept, default=0)
        added: dict[int, dict[str, object]] = {start + n: {"brand": brand, "store": store_option(r["code"], r["name"]), "reason": REASON}
                 for n, r in enumerate(fresh, start=1)}
        shown = replace(view, values=Values(view.values.single, {**view.values.lines, "stores": {**kept, **added}}))
        return Proposed(filtered, shown, len(added)), [Handout(kind.code, actor.code, kind.template_version,
                                                               view.snapshot())]
    proposed, [export_id], company = hand_out(uow, actor, read)
    return proposed, export_id, company
