"""Products (卷烟规格): price class from the pre-tax transfer price; on sale (在销) or no longer (停产)."""
from __future__ import annotations

from decimal import Decimal

#: 1 箱 = 250 条.
CARTONS_PER_CASE = 250

PRICE_CLASS_LABELS = {1: "一类", 2: "二类", 3: "三类", 4: "四类", 5: "五类"}

#: Lower bounds (元/条, pre-tax transfer price) of classes 一类..四类; below the last is 五类.
_PRICE_CLASS_FLOORS = ((1, Decimal("100")), (2, Decimal("70")), (3, Decimal("30")), (4, Decimal("16.5")))


def price_class(transfer_price: Decimal | float | int) -> int:
    """价类 1-5 from the pre-tax transfer price per 条: ≥100 一类, 70-100 二类, 30-70 三类, 16.5-30 四类, <16.5 五类."""
    price = Decimal(str(transfer_price))
    if price <= 0:
        raise ValueError("调拨价必须大于 0")
    for klass, floor in _PRICE_CLASS_FLOORS:
        if price >= floor:
            return klass
    return 5


def parse_price_class(value: object) -> int | None:
    """A price class given directly: 1-5, 一类..五类; 6 or blank means none."""
    text = str(value or "").strip()
    if text in ("", "6"):
        return None
    for klass, label in PRICE_CLASS_LABELS.items():
        if text in (str(klass), label, f"0{klass}"):
            return klass
    raise ValueError("价类只能是 一类 到 五类（或 1-5）")


#: 状态 of a product as the catalogue file may give it: on sale, or no longer made or sold.
ON_SALE, STOPPED = "在销", "停产"
_ON_SALE_WORDS = {ON_SALE: True, "在产": True, "有效": True, "正常": True,
                  STOPPED: False, "停销": False, "停售": False, "下市": False, "退市": False, "无效": False}


def parse_on_sale(value: object) -> bool:
    """状态 of a product: 在销 (or 在产、有效、正常) → True, 停产 (or 停销、停售、下市、退市、无效) → False."""
    text = str(value or "").strip()
    if text not in _ON_SALE_WORDS:
        raise ValueError(f"状态只能是 {ON_SALE} 或 {STOPPED}" + ("，有此列时不能留空" if not text else ""))
    return _ON_SALE_WORDS[text]
