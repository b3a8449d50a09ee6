"""Per-store monthly order totals (`store_months`) and per-store per-brand monthly totals (`store_brand_months`),
rebuilt for the months an orders import touches.

§10 compares a month's stores and §4–§7 a month's brands; aggregating ~4M order lines at analysis time cost
seconds on every run, so the orders importer pays it once, in its own transaction, and analyses read the totals.
When the file holds every order of its months (a month's file, or its re-import), the importer adds the totals up
from the lines it holds in memory (add_up, while the lines are written; then write) — reading a city month back
from the tables cost 40 of its 90 seconds; else the months are rebuilt from the tables (refresh_months). Both give
the same rows (tests/integration/test_import_orders.py). On PostgreSQL store_brand_months keeps a table per month
(migration 0017): a month's first rows go into a table of their own, keyed and attached after them (month_table).
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Iterator

import numpy as np
import pandas as pd
from sqlalchemy import MetaData, Table, case, delete, func, insert, literal, literal_column, or_, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from engine.periods import month_days, months_between
from storage.schema import OrderLineRow, OrderRow, ProductRow, StoreBrandMonthRow, StoreMonthRow


def _within(days, dated_lines: bool):
    """The month's lines: by their order's date, and by their own where they carry it (PostgreSQL then reads only
    the month's table of lines); migrations older than 0016 rebuild totals from lines that carry no date."""
    within = OrderRow.order_date.between(days[0], days[-1])
    return within & OrderLineRow.order_date.between(days[0], days[-1]) if dated_lines else within


def month_totals(month: str, dated_lines: bool = True):
    """SELECT store_id, month, volume, amount, class12, key, order_count, sku_count of one month's ordered lines."""
    days = month_days(month)
    qty = OrderLineRow.qty_ordered
    return (select(OrderRow.store_id, literal(month), func.sum(qty), func.sum(OrderLineRow.amount),
                   func.sum(case((ProductRow.price_class.in_((1, 2)), qty), else_=0)),
                   func.sum(case((ProductRow.is_key.is_(True), qty), else_=0)),
                   func.count(func.distinct(OrderRow.id)), func.count(func.distinct(OrderLineRow.product_id)))
            .join(OrderRow, OrderRow.id == OrderLineRow.order_id)
            .join(ProductRow, ProductRow.id == OrderLineRow.product_id)
            .where(_within(days, dated_lines), qty > 0)
            .group_by(OrderRow.store_id))


def refresh_store_months(session: Session | Connection, months: list[str], dated_lines: bool = True) -> None:
    """Rebuild the totals of these months from the order lines, in the caller's transaction."""
    columns = ["store_id", "month", "volume", "amount", "class12", "key", "order_count", "sku_count"]
    for month in sorted(set(months)):
        session.execute(delete(StoreMonthRow).where(StoreMonthRow.month == month))
        session.execute(insert(StoreMonthRow).from_select(columns, month_totals(month, dated_lines)))


def brand_month_totals(month: str, dated_lines: bool = True):
    """SELECT month, store_id, brand, price_class, volume, amount of one month's ordered lines, per store, brand and
    price class (0: none): added up per store and SKU first (whole numbers group fast), then per brand, in the
    primary key's order (a sorted insert costs half of an unsorted one on a city month)."""
    days = month_days(month)
    qty = OrderLineRow.qty_ordered
    per_sku = (select(OrderRow.store_id, OrderLineRow.product_id, func.sum(qty).label("volume"),
                      func.sum(OrderLineRow.amount).label("amount"))
               .join(OrderRow, OrderRow.id == OrderLineRow.order_id)
               .where(_within(days, dated_lines), qty > 0)
               .group_by(OrderRow.store_id, OrderLineRow.product_id).subquery())
    klass = func.coalesce(ProductRow.price_class, literal_column("0"))  # one expression in SELECT and GROUP BY
    return (select(literal(month), per_sku.c.store_id, ProductRow.brand, klass, func.sum(per_sku.c.volume),
                   func.sum(per_sku.c.amount))
            .join(ProductRow, ProductRow.id == per_sku.c.product_id)
            .group_by(per_sku.c.store_id, ProductRow.brand, klass)
            .order_by(per_sku.c.store_id, ProductRow.brand, klass))


def refresh_brand_months(session: Session | Connection, months: list[str], dated_lines: bool = True) -> None:
    """Rebuild the per-brand totals of these months from the order lines, in the caller's transaction."""
    columns = ["month", "store_id", "brand", "price_class", "volume", "amount"]
    for month in sorted(set(months)):
        session.execute(delete(StoreBrandMonthRow).where(StoreBrandMonthRow.month == month))
        with month_table(session, month) as target:
            session.execute(insert(target).from_select(columns, brand_month_totals(month, dated_lines)))


#: The per-brand totals: on PostgreSQL partitioned by month (migration 0017), a table per month.
BRAND_MONTHS = StoreBrandMonthRow.__table__


@contextmanager
def month_table(session: Session | Connection, month: str) -> Iterator[Table]:
    """The table to write a month's per-brand rows into, within the block: on PostgreSQL, when the month has no
    partition yet, a new table of its own, keyed and attached as the month's partition after the block (a city
    month's ~1M rows, half the time of going through the table's key); else store_brand_months."""
    from storage.importers import bulk

    name = (session.scalar(text("SELECT cmw_brand_months_fresh(:month)"), {"month": month})
            if bulk.dialect(session) == "postgresql" else BRAND_MONTHS.name)
    if name == BRAND_MONTHS.name:
        yield BRAND_MONTHS
        return
    yield BRAND_MONTHS.to_metadata(MetaData(), name=name)
    session.execute(text("SELECT cmw_brand_months_attach(:month)"), {"month": month})


def ensure_months(session: Session | Connection, months: list[str]) -> None:
    """The months' partitions made where per-brand rows are written one by one (tests, benchmarks' own companies)."""
    for month in sorted(set(months)):
        with month_table(session, month):
            pass


def refresh_months(session: Session | Connection, months: list[str]) -> None:
    """Rebuild both kinds of monthly totals of these months (what an orders import does)."""
    refresh_store_months(session, months)
    refresh_brand_months(session, months)


def only_orders_of(session: Session, months: list[str], count: int) -> bool:
    """Whether these months hold count orders in all (those of the file just loaded, and no others)."""
    within = or_(*(OrderRow.order_date.between(month_days(m)[0], month_days(m)[-1]) for m in months))
    return session.scalar(select(func.count()).select_from(OrderRow).where(within)) == count


@dataclass(frozen=True)
class MonthLines:
    """Order lines as the totals need them, one array a column, a row a line: month (a position in months, which are
    sorted), store id, order (a number per order), product id, volume (条 ordered), amount (cents)."""

    months: list[str]
    month: np.ndarray
    store: np.ndarray
    order: np.ndarray
    product: np.ndarray
    volume: np.ndarray
    amount: np.ndarray


@dataclass(frozen=True)
class MonthTotals:
    """Both kinds of totals of some months, added up in memory (add_up) and not yet written (write): per-store columns
    in store_months' key order, and per-brand rows as positions (month among months, kind among kinds) with their
    store, volume and amount in cents. None of either: nothing of these months was ordered."""

    months: list[str]
    stores: dict[str, Any] | None
    kinds: list[tuple[str, int]]
    brands: dict[str, np.ndarray] | None


def catalogue(session: Session) -> list[tuple[int, str | None, int | None, bool | None]]:
    """Per product: id, brand, price class and whether it is a key brand's — what the totals group lines by."""
    rows = session.execute(select(ProductRow.id, ProductRow.brand, ProductRow.price_class, ProductRow.is_key)).all()
    return [tuple(row) for row in rows]  # type: ignore[misc]


def add_up(lines: MonthLines, products: list[tuple[int, str | None, int | None, bool | None]]) -> MonthTotals:
    """Both kinds of totals of the lines (lines ordering nothing count for nothing), with whole-number arrays, a few of
    them the length of the file. Touches no database: the importer runs it while the lines are being written."""
    ordered = lines.volume > 0
    if not ordered.any():
        return MonthTotals(lines.months, None, [], None)
    month, store, order, product, volume, amount = (a if ordered.all() else a[ordered] for a in (  # copies: 32 MB each
        lines.month, lines.store, lines.order, lines.product, lines.volume, lines.amount))
    stores = int(store.max()) + 1
    group, keys = pd.factorize(month * stores + store)  # per line, its (month, store); per group, that pair
    width = max([int(product.max()), *(p for p, *_ in products)]) + 1
    klass, key, kind = np.zeros(width, np.int64), np.zeros(width, bool), np.zeros(width, np.int64)
    kinds: dict[tuple[str, int], int] = {}  # (brand, price class) → a number
    for id_, brand, price_class, is_key in products:
        klass[id_], key[id_] = price_class or 0, bool(is_key)
        kind[id_] = kinds.setdefault((brand or "", price_class or 0), len(kinds))
    group_month, group_store = keys // stores, keys % stores
    return MonthTotals(
        lines.months,
        store_months(lines.months, group_month, group_store, group, order, product, volume, amount, klass[product],
                     key[product]),
        list(kinds), brand_months(group_month, group_store, group, kind[product], list(kinds), volume, amount))


def write(session: Session, totals: MonthTotals) -> None:
    """Make the months' totals these: per-store rows replaced, per-brand rows written where they differ."""
    session.execute(delete(StoreMonthRow).where(StoreMonthRow.month.in_(totals.months)))
    if totals.stores is None or totals.brands is None:
        session.execute(delete(StoreBrandMonthRow).where(StoreBrandMonthRow.month.in_(totals.months)))
        return
    from storage.importers import bulk

    bulk.load(session, StoreMonthRow.__table__, totals.stores)
    add_brand_months(session, totals.months, totals.kinds, totals.brands)


def _sums(group: np.ndarray, size: int, values: np.ndarray) -> np.ndarray:
    """values added up per group (whole numbers well below 2^53, exact in a float's mantissa)."""
    return np.rint(np.bincount(group, weights=values, minlength=size)).astype(np.int64)


def _first(values: np.ndarray) -> np.ndarray:
    """Per row, whether it is the first with its value."""
    return ~pd.Series(values).duplicated().to_numpy()


def store_months(months: list[str], month: np.ndarray, store: np.ndarray, group: np.ndarray, order: np.ndarray,
                 product: np.ndarray, volume: np.ndarray, amount: np.ndarray, klass: np.ndarray,
                 key: np.ndarray) -> dict[str, Any]:
    """store_months' columns of ordered lines, in its key's order: per group (month[g], store[g]), given each line's
    group, order, product, volume, amount (cents), price class and whether its SKU is a key brand's."""
    from storage.importers import bulk

    size = len(month)
    rows = np.lexsort((month, store))  # the primary key's order: store, month
    return {
        "store_id": store[rows], "month": np.array(months, dtype=object)[month][rows],
        "volume": _sums(group, size, volume)[rows], "amount": bulk.Fixed(_sums(group, size, amount)[rows]),
        "class12": _sums(group, size, np.where((klass == 1) | (klass == 2), volume, 0))[rows],
        "key": _sums(group, size, np.where(key, volume, 0))[rows],
        "order_count": np.bincount(group[_first(order)], minlength=size)[rows],
        "sku_count": np.bincount(group[_first(group * (int(product.max()) + 1) + product)], minlength=size)[rows]}


def brand_months(month: np.ndarray, store: np.ndarray, group: np.ndarray, kind: np.ndarray,
                 kinds: list[tuple[str, int]], volume: np.ndarray, amount: np.ndarray) -> dict[str, np.ndarray]:
    """store_brand_months' rows of ordered lines as positions, in its key's order (month, store, brand, price class):
    per group (month[g], store[g]) and kind (kinds[k]: brand, price class), given each line's group, kind, volume and
    amount (cents)."""
    part, pairs = pd.factorize(group * len(kinds) + kind)
    size = len(pairs)
    of_group, of_kind = pairs // len(kinds), pairs % len(kinds)
    rank = np.empty(len(kinds), np.int64)
    rank[sorted(range(len(kinds)), key=lambda k: kinds[k])] = np.arange(len(kinds))
    rows = np.lexsort((rank[of_kind], store[of_group], month[of_group]))  # month, store, brand, price class
    return {"month": month[of_group][rows], "store": store[of_group][rows], "kind": of_kind[rows],
            "volume": _sums(part, size, volume)[rows], "amount": _sums(part, size, amount)[rows]}


def add_brand_months(session: Session, months: list[str], kinds: list[tuple[str, int]],
                     rows: dict[str, np.ndarray]) -> None:
    """Make store_brand_months of these months those rows (brand_months).

    Not delete-then-insert: PostgreSQL checked every row put back under a key deleted in the same transaction
    against the deleted row (a city month's re-import: ~1M rows, 34 s of COPY instead of 8 s). The months' kept rows
    are read and compared first; only the stores whose rows differ are deleted and written again, in the primary
    key's order (a month imported for the first time: every store, a plain bulk load)."""
    from storage.importers import bulk

    row_month, row_store, row_kind, row_volume, row_amount = (rows[k] for k in ("month", "store", "kind", "volume",
                                                                                 "amount"))
    stores = 1 << 32  # store ids are 32-bit: a (month, store) pair as one whole number, kept stores' ids included
    changed = _changed_stores(session, months, kinds, stores, row_month * stores + row_store, row_kind, row_volume,
                              row_amount)
    if changed is not None:
        written = np.isin(row_month * stores + row_store, changed)
        row_month, row_store, row_kind, row_volume, row_amount = (a[written] for a in (
            row_month, row_store, row_kind, row_volume, row_amount))
    brand = np.array([b for b, _ in kinds], dtype=object)
    klass = np.array([c for _, c in kinds], dtype=np.int64)
    bounds = np.searchsorted(row_month, np.arange(len(months) + 1))  # the rows are in month order
    for n, month in enumerate(months):
        if bounds[n] == bounds[n + 1]:
            continue
        part = slice(bounds[n], bounds[n + 1])
        with month_table(session, month) as target:
            bulk.load(session, target, {
                "month": np.full(part.stop - part.start, month, dtype=object), "store_id": row_store[part],
                "brand": brand[row_kind[part]], "price_class": klass[row_kind[part]], "volume": row_volume[part],
                "amount": bulk.Fixed(row_amount[part])})


def _changed_stores(session: Session, months: list[str], kinds: list[tuple[str, int]], stores: int,
                    pair: np.ndarray, kind: np.ndarray, volume: np.ndarray, amount: np.ndarray) -> np.ndarray | None:
    """The (month position × stores + store) pairs whose kept per-brand rows differ from these (given per row its
    pair, kind, volume and amount in cents), their kept rows deleted; None when the months keep no rows at all."""
    from storage.importers import bulk

    table = StoreBrandMonthRow.__table__
    old = bulk.read(session, select(table.c.month, table.c.store_id, table.c.brand, table.c.price_class,
                                    table.c.volume, table.c.amount).where(table.c.month.in_(months)))
    if old.empty:
        return None
    known = pd.DataFrame({"brand": [b for b, _ in kinds], "price_class": [c for _, c in kinds],
                          "kind": np.arange(len(kinds))})
    old["brand"], old["price_class"] = old["brand"].astype(str), old["price_class"].astype(np.int64)
    old = old.merge(known, on=["brand", "price_class"], how="left")  # a brand no SKU carries now: -1, never equal
    position = pd.Series(np.arange(len(months)), index=months)
    old = pd.DataFrame({"pair": position[old["month"]].to_numpy() * stores + old["store_id"].astype(np.int64).to_numpy(),
                        "kind": old["kind"].fillna(-1).to_numpy(np.int64), "volume": old["volume"].astype(np.int64).to_numpy(),
                        "amount": np.rint(old["amount"].astype(float).to_numpy() * 100).astype(np.int64)})
    new = pd.DataFrame({"pair": pair, "kind": kind, "volume": volume, "amount": amount})
    both = new.merge(old, on=["pair", "kind", "volume", "amount"], how="outer", indicator=True)
    changed = np.unique(both["pair"].to_numpy()[(both["_merge"] != "both").to_numpy()])
    for n, month in enumerate(months):
        within = changed[changed // stores == n] % stores
        for start in range(0, len(within), 10_000):
            session.execute(delete(table).where(table.c.month == month,
                                                table.c.store_id.in_(within[start:start + 10_000].tolist())))
    return changed


def _order_months(session: Session | Connection) -> list[str]:
    first, last = session.execute(select(func.min(OrderRow.order_date), func.max(OrderRow.order_date))).one()
    return months_between(first, last) if first else []


def refresh_all_brand_months(session: Session | Connection, dated_lines: bool = True) -> list[str]:
    """Rebuild the per-brand totals of every month that has orders (after the upgrade that added them)."""
    months = _order_months(session)
    refresh_brand_months(session, months, dated_lines)
    return months


def refresh_all(session: Session | Connection, dated_lines: bool = True) -> list[str]:
    """Rebuild every month that has orders (after an upgrade that added the table); return the months."""
    months = _order_months(session)
    refresh_store_months(session, months, dated_lines)
    return months
