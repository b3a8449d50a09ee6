"""Import of reference data and orders: `cmw import org|stores|products|orders FILE`.

One call = one file, all or nothing: the whole file is checked first and refused with a finding per
bad cell (row as Excel shows it, column as headed in the file, the value), else written by natural
key in the caller's transaction together with one audit row.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from engine.actors import Actor
from engine.errors import Refused
from engine.policy import require

KINDS = {"org": "组织机构", "stores": "客户", "products": "卷烟规格", "orders": "订单"}
#: How the report counts what each import wrote.
_UNITS = {"org": "条", "stores": "户", "products": "个规格", "orders": "张订单"}


@dataclass(frozen=True)
class ImportReport:
    """What one import did."""

    kind: str
    filename: str
    rows: int
    inserted: int
    updated: int
    seconds: float
    detail: str = ""

    def lines(self) -> list[str]:
        """The summary in Chinese, e.g. 客户：读取 1200 行，新增 1180 户，更新 20 户，用时 0.8 秒。"""
        unit = _UNITS[self.kind]
        summary = (f"{KINDS[self.kind]}：读取 {self.rows} 行，新增 {self.inserted} {unit}，"
                   f"更新 {self.updated} {unit}，用时 {self.seconds:.1f} 秒。")
        return [summary] + ([f"（{self.detail}）"] if self.detail else [])


class SqlImports:
    """engine.ports.Imports: the importers, in the unit of work's session."""

    def __init__(self, session: Session):
        self.session = session

    def load(self, kind: str, path: Path, actor: Actor) -> ImportReport:
        return import_file(self.session, kind, path, actor)

    def archive(self, month: str, folder: Path, actor: Actor) -> "ArchiveReport":
        return archive_orders(self.session, month, folder, actor)


@dataclass(frozen=True)
class ArchiveReport:
    """What one `cmw archive orders` did: the month, its file, its orders and order lines."""

    month: str
    path: Path
    orders: int
    rows: int
    seconds: float

    def lines(self) -> list[str]:
        """The summary in Chinese, with how to bring the month back."""
        year, mon = self.month.split("-")
        size = self.path.stat().st_size / 2 ** 20
        return [f"订单归档：{year}年{int(mon)}月 共 {self.orders} 张订单、{self.rows} 行明细已写入 {self.path}"
                f"（{size:.1f} MB），并已从数据库中移出，用时 {self.seconds:.1f} 秒。",
                "客户和品牌的月度汇总仍在数据库中，分析和报表不受影响。",
                f"要恢复这个月：cmw import orders \"{self.path}\""]


def import_file(session: Session, kind: str, path: Path, actor: Actor) -> ImportReport:
    """Import one file of the given kind in the caller's transaction; Refused (nothing written) on any bad row."""
    # imported here, not at the top: every `cmw` command loads this package, only imports need pandas
    from storage.importers import org, orders, products, stores
    from storage.importers.reading import read_table
    from storage.repositories import SqlAuditLog

    if kind not in KINDS:
        raise Refused(f"不能导入“{kind}”：可导入 {'、'.join(f'{k}（{v}）' for k, v in KINDS.items())}。")
    require(actor, "import")
    started = time.perf_counter()
    path = Path(path)
    table = read_table(path, compact=kind == "orders")  # millions of lines repeating few texts per column
    importer = {"org": org.import_org, "stores": stores.import_stores,
                "products": products.import_products, "orders": orders.import_orders}[kind]
    inserted, updated, detail = importer(session, table)
    report = ImportReport(kind, path.name, len(table.frame), inserted, updated,
                          round(time.perf_counter() - started, 3), detail)
    SqlAuditLog(session).record(actor=actor.code, action="import", entity=kind, key=path.name[-64:],
                                new=" ".join(report.lines()))
    session.flush()
    return report


def archive_orders(session: Session, month: str, folder: Path, actor: Actor) -> "ArchiveReport":
    """Archive a month of orders older than the kept window, with its audit row, in the caller's transaction."""
    from engine.reference_data import check_archivable
    from storage import order_lines
    from storage.repositories import SqlAuditLog

    require(actor, "orders.archive")
    started = time.perf_counter()
    order_lines.one_at_a_time(session)  # no orders import runs meanwhile: the months with orders stay as read
    check_archivable(month, order_lines.months_with_orders(session))
    done = order_lines.archive_month(session, month, Path(folder))
    report = ArchiveReport(month, done.path, done.orders, done.lines, round(time.perf_counter() - started, 3))
    SqlAuditLog(session).record(actor=actor.code, action="archive", entity="orders", key=month,
                                new=" ".join(report.lines()[:1]))
    session.flush()
    return report
