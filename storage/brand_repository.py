"""Brands: the catalogue's brands, the month's key-brand list the brand manager keeps, and the per-store per-brand
monthly totals the orders importer keeps (engine.ports.Products, KeyBrands, BrandMonths)."""
from __future__ import annotations

import pandas as pd
from sqlalchemy import Integer, and_, case, delete, func, insert, select, text
from sqlalchemy.orm import Session

from engine.brands import BrandInfo
from storage.analysis_repository import read_frame
from storage.repositories import now
from storage.schema import KeyBrandRow, ProductRow, StoreBrandMonthRow, StoreMonthRow, StoreRow, User


class SqlProducts:
    """engine.ports.Products: the cigarette catalogue as the documents need it."""

    def __init__(self, session: Session):
        self.session = session

    def brands(self) -> dict[str, tuple[bool, bool]]:
        rows = self.session.execute(select(ProductRow.brand, func.max(ProductRow.is_key.cast(Integer)),
                                           func.max(ProductRow.is_backbone.cast(Integer)))
                                    .where(ProductRow.brand != "").group_by(ProductRow.brand).order_by(ProductRow.brand))
        return {brand: (bool(key), bool(backbone)) for brand, key, backbone in rows}

    def catalogue(self) -> dict[str, BrandInfo]:
        rows = self.session.execute(select(ProductRow.brand, ProductRow.price_class, func.count())
                                    .where(ProductRow.brand != "").group_by(ProductRow.brand, ProductRow.price_class))
        skus: dict[str, int] = {}
        classes: dict[str, set[int]] = {}
        for brand, klass, n in rows:
            skus[brand] = skus.get(brand, 0) + n
            classes.setdefault(brand, set()).add(int(klass or 0))
        return {brand: BrandInfo(skus[brand], tuple(sorted(classes[brand]))) for brand in sorted(skus)}

    def names(self, skus: list[str]) -> dict[str, str]:
        if not skus:
            return {}
        return {sku: name for sku, name in self.session.execute(select(ProductRow.sku, ProductRow.name)
                                                                .where(ProductRow.sku.in_(skus)))}

    def stopped(self, skus: list[str]) -> set[str]:
        if not skus:
            return set()
        return set(self.session.scalars(select(ProductRow.sku).where(ProductRow.sku.in_(skus), ProductRow.on_sale.is_(False))))


class SqlKeyBrands:
    """engine.ports.KeyBrands: a row per brand on a month's list."""

    def __init__(self, session: Session):
        self.session = session

    def of_month(self, month: str) -> dict[str, tuple[bool, bool]]:
        rows = self.session.execute(select(KeyBrandRow.brand, KeyBrandRow.is_key, KeyBrandRow.is_backbone)
                                    .where(KeyBrandRow.month == month))
        return {brand: (bool(key), bool(backbone)) for brand, key, backbone in sorted(rows)}  # one order on every database

    def latest_before(self, month: str) -> tuple[str, dict[str, tuple[bool, bool]]] | None:
        found = self.session.scalar(select(func.max(KeyBrandRow.month)).where(KeyBrandRow.month < month))
        return None if found is None else (found, self.of_month(found))

    def replace(self, month: str, flags: dict[str, tuple[bool, bool]], actor_code: str) -> None:
        self.session.execute(delete(KeyBrandRow).where(KeyBrandRow.month == month))
        at = now()
        rows = [{"month": month, "brand": brand, "is_key": key, "is_backbone": backbone, "updated_at": at,
                 "actor_code": actor_code} for brand, (key, backbone) in flags.items() if key or backbone]
        if rows:
            self.session.execute(insert(KeyBrandRow), rows)


class SqlBrandMonths:
    """engine.ports.BrandMonths over store_brand_months."""

    def __init__(self, session: Session):
        self.session = session

    def totals(self, cm_codes: list[str], months: list[str], brands: list[str] | None = None) -> pd.DataFrame:
        row = StoreBrandMonthRow
        query = (select(row.month, row.store_id, row.brand, row.price_class, row.volume, row.amount)
                 .join(StoreRow, StoreRow.id == row.store_id).join(User, User.id == StoreRow.cm_id)
                 .where(User.code.in_(cm_codes), row.month.in_(months)))
        if brands is not None:
            query = query.where(row.brand.in_(brands))
        frame = read_frame(self.session, query, ["month", "store", "brand", "price_class", "volume", "amount"])
        return frame.astype({"store": "int64", "price_class": "int64", "volume": "float64", "amount": "float64"})

    def stocking(self, cm_codes: list[str], months: list[str], brands: list[str], minimum: int,
                 by: tuple[str, ...] = (), stores: list[int] | None = None) -> pd.DataFrame:
        row, store = StoreBrandMonthRow, StoreRow
        # a store's month of a brand first (its price classes added up), filtered by month and brand alone
        per_store = (select(row.month, row.store_id, row.brand, func.sum(row.volume).label("volume"))
                     .where(row.month.in_(months), row.brand.in_(brands)).group_by(row.month, row.store_id, row.brand))
        if stores is not None:
            per_store = per_store.where(row.store_id.in_(stores))
        ordered = per_store.subquery()
        group = [{"tier": store.tier, "format": store.format, "store": store.id}[column] for column in by]
        stocks = case((and_(store.status == "active", ordered.c.volume >= minimum), 1), else_=0)
        query = (select(ordered.c.month, User.code, *group, ordered.c.brand, func.sum(stocks), func.sum(ordered.c.volume))
                 .join(store, store.id == ordered.c.store_id).join(User, User.id == store.cm_id)
                 .where(User.code.in_(cm_codes)).group_by(ordered.c.month, User.code, *group, ordered.c.brand))
        if self.session.get_bind().dialect.name == "postgresql":  # a city month's ~400,000 store-brand sums: hashed in
            self.session.execute(text("SET LOCAL work_mem = '64MB'"))  # memory, not spilled to disk (twice as fast)
        frame = read_frame(self.session, query, ["month", "cm", *by, "brand", "shelved", "volume"])
        return frame.astype({"shelved": "int64", "volume": "int64"})

    def sums(self, cm_codes: list[str], month: str) -> dict[tuple[str, int], int]:
        row = StoreBrandMonthRow
        query = (select(row.brand, row.price_class, func.sum(row.volume))
                 .join(StoreRow, StoreRow.id == row.store_id).join(User, User.id == StoreRow.cm_id)
                 .where(User.code.in_(cm_codes), row.month == month).group_by(row.brand, row.price_class))
        return {(brand, int(klass)): int(volume) for brand, klass, volume in self.session.execute(query)}

    def months_with_orders(self, months: list[str]) -> set[str]:
        return set(self.session.scalars(select(StoreMonthRow.month).where(StoreMonthRow.month.in_(months)).distinct()))
