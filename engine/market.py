"""§4 月度市场状态分析 in figures: a set of CMs' month (a CM's district, or the department) — volume, amount, 单条值,
orders, ordering and active stores, the price-class structure, the month's key brands' volume and share — read from
the importer's monthly totals (store_months and store_brand_months), never order lines."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from engine.periods import parse_month, previous_month
from engine.ports import UnitOfWork
from engine.products import PRICE_CLASS_LABELS


@dataclass(frozen=True)
class Market:
    """A month of a set of CMs' stores; ordered: whether the month has any orders of theirs at all."""

    volume: int
    amount: float
    orders: int
    ordering: int
    active: int
    classes: dict[int, int]  # 条 per price class (1-5)
    brands: dict[str, int]  # 条 per key brand

    @property
    def ordered(self) -> bool:
        """The month's orders of these stores are imported."""
        return self.volume > 0

    @property
    def value_per_carton(self) -> float | None:
        """单条值 (元/条)."""
        return self.amount / self.volume if self.volume else None

    def share(self, volume: int) -> float | None:
        """A part of the month's volume as a share of it."""
        return volume / self.volume if self.volume else None

    @property
    def key_volume(self) -> int:
        """The key brands' 条 together."""
        return sum(self.brands.values())


def year_before(month: str) -> str:
    """The same month a year earlier, YYYY-MM."""
    year, mon = parse_month(month)
    return f"{year - 1}-{mon:02d}"


def market_of(uow: UnitOfWork, cm_codes: list[str], month: str, brands: list[str]) -> Market:
    """The month of these CMs' stores."""
    totals = uow.analyses.totals(cm_codes, month)
    sums = uow.brand_months.sums(cm_codes, month)
    active = sum(1 for s in uow.analyses.scope(cm_codes) if s.status == "active")
    return Market(int(totals["volume"].sum()) if len(totals) else 0, float(totals["amount"].sum()) if len(totals) else 0.0,
                  int(totals["order_count"].sum()) if len(totals) else 0,
                  int((totals["volume"] > 0).sum()) if len(totals) else 0, active,
                  {k: sum(v for (_, c), v in sums.items() if c == k) for k in PRICE_CLASS_LABELS},
                  {b: sum(v for (brand, _), v in sums.items() if brand == b) for b in brands})


def _count(value: float | None, digits: int = 0) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def _rate(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def _change(now: float | None, before: float | None) -> str:
    return "—" if now is None or not before else f"{(now - before) / before:+.1%}"


def _points(now: float | None, before: float | None) -> str:
    return "—" if now is None or before is None else f"{(now - before) * 100:+.1f} 个百分点"


def _class_share(klass: int) -> Callable[[Market], float | None]:
    return lambda m: m.share(m.classes[klass])


def _brand_volume(brand: str) -> Callable[[Market], float | None]:
    return lambda m: m.brands[brand]


def rows(now: Market, last: Market, year: Market, dept: Market, dept_last: Market) -> list[dict[str, str]]:
    """The §4 table: a line per measure — this month, last month, month on month, the same month last year, year on
    year, the department this month and last month (— where a month has no orders: never a zero that was not sold)."""
    measures: list[tuple[str, Callable[[Market], float | None], Callable[[float | None], str],
                         Callable[[float | None, float | None], str]]]
    measures = [("销量（条）", lambda m: m.volume, _count, _change),
                ("销售额（元）", lambda m: m.amount, lambda v: _count(v, 2), _change),
                ("单条值（元/条）", lambda m: m.value_per_carton, lambda v: _count(v, 2), _change),
                ("订单数", lambda m: m.orders, _count, _change),
                ("订货客户数（户）", lambda m: m.ordering, _count, _change)]
    measures += [(f"{label}烟占比", _class_share(k), _rate, _points) for k, label in PRICE_CLASS_LABELS.items()]
    measures += [("重点品牌销量（条）", lambda m: m.key_volume, _count, _change),
                 ("重点品牌占比", lambda m: m.share(m.key_volume), _rate, _points)]
    measures += [(f"{brand} 销量（条）", _brand_volume(brand), _count, _change) for brand in now.brands]
    found = [{"item": "有效客户数（户）", "now": _count(now.active), "last": _count(last.active), "mom": "—",
              "year": _count(year.active), "yoy": "—", "dept": _count(dept.active), "dept_last": _count(dept_last.active)}]
    for label, value, shown, change in measures:
        at = [value(m) if m.ordered else None for m in (now, last, year, dept, dept_last)]
        found.append({"item": label, "now": shown(at[0]), "last": shown(at[1]), "mom": change(at[0], at[1]),
                      "year": shown(at[2]), "yoy": change(at[0], at[2]), "dept": shown(at[3]),
                      "dept_last": shown(at[4])})
    return found


def department_cms(uow: UnitOfWork, cm_code: str) -> list[str]:
    """The CMs of the CM's department (the unit above their district)."""
    owner = uow.users.owner(cm_code)
    return uow.users.cms_in(owner.unit_path[:-1]) if owner and len(owner.unit_path) > 1 else [cm_code]


def months_of(month: str) -> tuple[str, str, str]:
    """The month, the month before and the same month a year earlier."""
    return month, previous_month(month), year_before(month)
