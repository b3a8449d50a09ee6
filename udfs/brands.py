"""§7 worksheet functions: a brand's shelf rate (上柜率, by the one rule of engine.brands) and volume in a month, over
a CM's stores, a unit's (营销部, 营销中心) or the whole company's. Read-only; bad arguments answer #错误: … ."""
from __future__ import annotations

import xlwings as xw

from engine.brand_analysis import brand_month
from engine.errors import Refused
from udfs.answers import answer, code_text, month_text, unit_of_work


def _cms(uow, scope: str) -> list[str]:
    """The CMs a scope names: a CM's code, a unit's code, or blank for the whole company."""
    if not scope:
        return uow.users.cms_in(())
    user = uow.users.actor(scope)
    if user is not None:
        if user.role.value != "cm":
            raise Refused(f"范围“{scope}”是{user.role.label}，请填客户经理编码或单位编码（留空为全公司）")
        return [scope]
    path = uow.users.unit_path_of(scope)
    if path is None:
        raise Refused(f"范围“{scope}”不是客户经理编码或单位编码（留空为全公司）")
    return uow.users.cms_in(path)


def _brand_month(brand: object, month: object, scope: object) -> tuple[float | None, int]:
    name, period = code_text(brand), month_text(month)
    with unit_of_work() as uow:
        if not uow.brand_months.months_with_orders([period]):
            raise Refused(f"{period} 的订单尚未导入")
        found = brand_month(uow, _cms(uow, code_text(scope)), period, name)
        if not found[1] and name not in uow.products.catalogue():  # nothing ordered: is it a brand at all?
            raise Refused(f"品牌“{name}”不存在（请填卷烟规格中的品牌名称）")
        return found


def shelf_rate(brand: object, month: object, scope: object = None) -> float:
    """The brand's shelf rate in the month over the scope's active stores (0–1)."""
    rate, _ = _brand_month(brand, month, scope)
    if rate is None:
        raise Refused("范围内没有有效客户")
    return rate


def brand_volume(brand: object, month: object, scope: object = None) -> int:
    """条 of the brand the scope's stores ordered in the month."""
    return _brand_month(brand, month, scope)[1]


@xw.func
@xw.arg("brand", doc="品牌名称")
@xw.arg("month", doc="月份，如 2026-11")
@xw.arg("scope", doc="范围：客户经理编码或单位编码，留空为全公司")
def CMW_SHELF_RATE(brand, month, scope=None):
    """某品牌某月的上柜率：范围内订过该品牌 ≥1 条的有效客户 ÷ 有效客户。"""
    return answer(lambda: shelf_rate(brand, month, scope))


@xw.func
@xw.arg("brand", doc="品牌名称")
@xw.arg("month", doc="月份，如 2026-11")
@xw.arg("scope", doc="范围：客户经理编码或单位编码，留空为全公司")
def CMW_BRAND_VOLUME(brand, month, scope=None):
    """某品牌某月范围内的订购量（条）。"""
    return answer(lambda: brand_volume(brand, month, scope))
