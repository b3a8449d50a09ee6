"""§7 worksheet functions: a brand's shelf rate (上柜率, by the one rule of engine.brands) and volume in a month, over
a CM's stores, a unit's (营销部, 营销中心) or the whole company's. Read-only; bad arguments answer #错误: … .

A sheet asks for many brands, months and scopes in one recalculation: what a call reads — a brand's month for every
CM at once, a scope's CMs — is kept in Excel's process for a minute (udfs.answers.kept), so each further cell of the
same brand and month adds up kept counts instead of reading the database (benchmarks/brands.py: warm ≤ 5 ms)."""
from __future__ import annotations

import xlwings as xw

from engine.brand_analysis import brand_month_by_cm
from engine.errors import Refused
from udfs.answers import answer, code_text, kept, month_text, unit_of_work


def _cms(scope: str) -> list[str]:
    """The CMs a scope names: a CM's code, a unit's code, or blank for the whole company."""
    def read() -> list[str]:
        with unit_of_work() as uow:
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
    return kept(("scope", scope), read)


def _by_cm(brand: str, month: str) -> dict[str, tuple[int, int, int]]:
    """The brand's month for every CM of the company (engine.brand_analysis.brand_month_by_cm)."""
    def read() -> dict[str, tuple[int, int, int]]:
        with unit_of_work() as uow:
            if not uow.brand_months.months_with_orders([month]):
                raise Refused(f"{month} 的订单尚未导入")
            found = brand_month_by_cm(uow, uow.users.cms_in(()), month, brand)
            if not any(volume for _, _, volume in found.values()) and brand not in uow.products.catalogue():
                raise Refused(f"品牌“{brand}”不存在（请填卷烟规格中的品牌名称）")  # nothing ordered: is it a brand?
            return found
    return kept(("brand", month, brand), read)


def _brand_month(brand: object, month: object, scope: object) -> tuple[float | None, int]:
    found = _by_cm(code_text(brand), month_text(month))
    counts = [found[cm] for cm in _cms(code_text(scope)) if cm in found]
    stores, shelved = sum(c[0] for c in counts), sum(c[1] for c in counts)
    return (shelved / stores if stores else None), sum(c[2] for c in counts)


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
