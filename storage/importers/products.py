"""Products (卷烟规格 / PLM_ITEM): upsert by 卷烟编码; 价类 follows the transfer price when one is given."""
from __future__ import annotations

import pandas as pd
from sqlalchemy.orm import Session

from engine.products import parse_on_sale, parse_price_class, price_class
from engine.stores import parse_yes_no
from storage.importers.columns import PRODUCTS, locate
from storage.importers.reading import Table
from storage.importers.upsert import upsert
from storage.importers.validation import Problems, money, parse_column, text
from storage.schema import ProductRow

WHAT = "卷烟规格"
#: 产地类型 as the marketing system codes it: 0 in-province, 1 other province, 3 imported.
_ORIGINS = {"0": 0, "省内": 0, "1": 1, "省外": 1, "3": 3, "进口": 3}


def _sku(value: str) -> str:
    if not (len(value) == 13 and value.isdigit()):
        raise ValueError("卷烟编码应为 13 位数字的条码，例如 6901028000000")
    return value


def _transfer_price(value: str):
    price = money(value)
    if price is not None:
        price_class(price)  # refuses a price of 0
    return price


def _origin(value: str) -> int | None:
    if not value:
        return None
    if value not in _ORIGINS:
        raise ValueError("产地类型只能是 0（省内）、1（省外）或 3（进口），也可留空")
    return _ORIGINS[value]


_PARSERS = {
    "sku": _sku, "name": text(64, required=True), "brand": text(32), "transfer_price": _transfer_price,
    "wholesale_price": money, "retail_price": money, "price_class": parse_price_class,
    "is_key": parse_yes_no, "is_backbone": parse_yes_no, "origin": _origin, "on_sale": parse_on_sale,
}


def import_products(session: Session, table: Table) -> tuple[int, int, str]:
    """Check every row, then insert new SKUs and update changed ones; return (inserted, updated, detail)."""
    headers = locate(table, PRODUCTS, WHAT)
    problems = Problems(table, headers)
    parsed = {f: parse_column(table.frame[h], parse, key=f == "sku")
              for f, parse in _PARSERS.items() if (h := headers.get(f))}
    for field, column in parsed.items():
        problems.check(field, column, f"bad_{field}")
    problems.check_repeated("sku", parsed["sku"], "卷烟编码")
    problems.raise_if_any(WHAT)
    given = pd.DataFrame({f: p.rows() for f, p in parsed.items()}, dtype=object)
    if "transfer_price" in given:
        by_price = given["transfer_price"].map(lambda p: None if p is None else price_class(p))
        stated = given["price_class"] if "price_class" in given else pd.Series(None, index=given.index, dtype=object)
        given["price_class"] = by_price.where(by_price.notna(), stated)  # the price wins over a stated class
    # a file without 状态 adds its new SKUs as on sale and leaves the status of those kept as it is
    fill = pd.DataFrame({"brand": "", "is_key": False, "is_backbone": False, "on_sale": True}, index=given.index,
                        dtype=object)
    inserted, updated = upsert(session, ProductRow, "sku", given, fill)
    return inserted, updated, ""


