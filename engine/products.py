"""Products (卷烟规格): price class from the pre-tax transfer price."""
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
