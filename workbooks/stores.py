"""§2 客户信息维护: the CM's store-list workbook."""
from __future__ import annotations

from engine.store_maintenance import MODULE, STORE_FIELDS, store_view
from engine.stores import CM_EDITABLE, WEEKDAYS, Store
from workbooks.layout import BookLayout, Column, SheetLayout

SHEET = "客户信息"

_WIDTHS = {"code": 14, "name": 24, "licence": 14, "owner": 9, "contact": 9, "phone": 15, "address": 34,
           "category": 9, "tier": 6, "status": 6, "online_ordering": 8, "order_weekday": 7,
           "visit_cycle": 9, "visit_weekday": 8, "notes": 28}
_LIMITS = {"contact": 20, "phone": 20, "address": 100, "notes": 200}
_HINTS = {
    "phone": "手机 11 位或固话，例如 020-81234567",
    "address": "必填，不超过 100 字",
    "visit_weekday": "从下拉列表选择拜访日",
    "notes": "不超过 200 字",
}

LAYOUT = BookLayout(
    module=MODULE,
    title="客户信息维护",
    template_version=1,
    sheets=(
        SheetLayout(
            name=SHEET,
            columns=tuple(
                Column(key=key, header=header, width=_WIDTHS[key], editable=key in CM_EDITABLE,
                       choices=WEEKDAYS if key == "visit_weekday" else (),
                       max_length=_LIMITS.get(key), hint=_HINTS.get(key, ""), numeric=key == "tier")
                for key, header in STORE_FIELDS.items()
            ),
        ),
    ),
)


def store_rows(stores: list[Store]) -> dict[str, list[dict]]:
    """The rows of the store-list sheet (tier as a number so that it sorts)."""
    rows = []
    for store in stores:
        row = dict(store_view(store))
        if store.tier is not None:
            row["tier"] = store.tier
        rows.append(row)
    return {SHEET: rows}
