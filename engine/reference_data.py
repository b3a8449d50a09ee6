"""Use cases of the reference data and orders: `cmw import org|stores|products|orders` (one file, checked whole,
loaded with its audit row in one unit of work — all of it, or nothing when any row is wrong) and `cmw archive orders`
(a month older than the kept window written to a file and taken out of the database)."""
from __future__ import annotations

from pathlib import Path

from engine.actors import Actor
from engine.errors import Refused
from engine.periods import parse_month
from engine.ports import Report, UnitOfWork


def import_file(uow: UnitOfWork, actor: Actor, kind: str, path: Path) -> Report:
    """Load one file of a kind (org, stores, products, orders) in one unit of work; what it did. Refused (listing
    every bad row, or saying who may import) writes nothing."""
    with uow:
        report = uow.imports.load(kind, path, actor)
        uow.commit()
    return report


#: How many of the newest months of orders keep their lines in the database: a late file may still correct them.
#: An older month may be archived; its monthly totals stay, and the analyses read only those.
KEPT_MONTHS = 3


def check_archivable(month: str, months: list[str]) -> None:
    """Refuse archiving a month that keeps no orders or is one of the KEPT_MONTHS newest months with orders (months:
    those with orders, oldest first)."""
    year, mon = parse_month(month)
    if month not in months:
        raise Refused(f"数据库中没有 {year}年{mon}月 的订单，无需归档。"
                      + (f"有订单的月份：{months[0]} 至 {months[-1]}。" if months else ""))
    kept = months[-KEPT_MONTHS:]
    if month in kept:
        raise Refused(f"{year}年{mon}月 在保留期内：最近 {KEPT_MONTHS} 个有订单的月份（{kept[0]} 至 {kept[-1]}）的订单明细"
                      f"留在数据库中，以便补传或更正订单。只能归档更早的月份"
                      + (f"（{months[0]} 至 {months[-KEPT_MONTHS - 1]}）。" if len(months) > KEPT_MONTHS else "；现在没有。"))


def archive_orders(uow: UnitOfWork, actor: Actor, month: str, folder: Path) -> Report:
    """Archive one month of orders in one unit of work: its file written whole first, then its lines and orders
    taken out with an audit row; what it did (month: YYYY-MM). Refused changes nothing."""
    with uow:
        report = uow.imports.archive(month, folder, actor)
        uow.commit()
    return report

