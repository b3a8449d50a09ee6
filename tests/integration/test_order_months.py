"""Order lines by month on each database: a table per month on PostgreSQL (loaded whole and attached), the archive
of a month older than the kept window and its way back, the upgrade to 0016 with lines already kept."""
from __future__ import annotations

import gzip

import pytest
from sqlalchemy import func, select, text

from engine.errors import Refused
from storage.schema import AuditEntry, OrderLineRow, OrderRow, Setting
from tests.factories import make_company, store_code
from tests.import_files import ADMIN, run_import, write_csv
from tests.integration.test_import_orders import HEADER, _totals, count, lines

S1, S2 = store_code(1, 1), store_code(2, 3)
P0, P1, P2 = "6901000000000", "6901000000001", "6901000000002"


def _month_rows(month: str, n: int) -> list[list[str]]:
    """Two orders of the month (days 3 and 17), two and one lines."""
    day = month.replace("-", "")
    return [[f"M{day}A", S1, f"{day}03", P0, "4", "4", str(n), "150", ""],
            [f"M{day}A", S1, f"{day}03", P1, "2", "2", "2", "85.5", ""],
            [f"M{day}B", S2, f"{day}17", P2, "", "", "3", "50", "150"]]


MONTHS = ["2024-02", "2024-03", "2024-04", "2024-05", "2024-06"]


@pytest.fixture
def company(db):
    make_company(db.sessions)
    return db


def _partitions(db, parent: str = "order_lines") -> dict[str, int]:
    """PostgreSQL: each partition of order_lines (or of another partitioned table) and its rows."""
    with db.engine.connect() as connection:
        names = connection.scalars(text("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                                        "WHERE i.inhparent = to_regclass(:parent) ORDER BY 1"), {"parent": parent}).all()
        return {name: connection.scalar(text(f"SELECT count(*) FROM {name}")) for name in names}


def _dated_right(db) -> bool:
    """Every line carries its order's date."""
    with db.sessions() as session:
        return not session.scalar(select(func.count()).select_from(OrderLineRow).join(
            OrderRow, OrderRow.id == OrderLineRow.order_id).where(OrderLineRow.order_date != OrderRow.order_date))


def test_each_month_of_lines_is_a_table_of_its_own_on_postgresql(company, tmp_path):
    run_import(company, "orders", write_csv(tmp_path / "a.csv", HEADER, _month_rows("2024-05", 1) + _month_rows("2024-06", 2)))
    # a later file: one more order of a month that keeps lines, one of a new month
    more = [["LATE1", S2, "20240520", P0, "1", "1", "1", "150", ""], ["LATE2", S1, "20240701", P1, "1", "1", "1", "85.5", ""]]
    run_import(company, "orders", write_csv(tmp_path / "b.csv", HEADER, more))
    assert count(company, OrderLineRow) == 8 and _dated_right(company)
    if company.name == "postgresql":
        assert _partitions(company) == {"order_lines_2024_05": 4, "order_lines_2024_06": 3, "order_lines_2024_07": 1}
        with company.engine.connect() as connection:  # a month loaded afresh got its keys after its rows
            indexes = connection.scalars(text("SELECT indexname FROM pg_indexes WHERE tablename = 'order_lines_2024_06' "
                                              "ORDER BY 1")).all()
        assert indexes == ["order_lines_2024_06_order_id_idx", "order_lines_2024_06_pkey"]
    # the whole of 2024-06 again, changed: its table is dropped and loaded afresh (no line deleted one by one); one
    # order of 2024-05 again: its lines are replaced in the month's table, which stays
    tables = _table_ids(company)
    again = _month_rows("2024-06", 7) + [["LATE1", S2, "20240520", P0, "5", "5", "5", "150", ""]]
    run_import(company, "orders", write_csv(tmp_path / "c.csv", HEADER, again))
    assert lines(company)[("M202406A", P0)][4] == 7 and lines(company)[("LATE1", P0)][4] == 5
    assert count(company, OrderLineRow) == 8 and _dated_right(company)
    if company.name == "postgresql":
        assert _partitions(company) == {"order_lines_2024_05": 4, "order_lines_2024_06": 3, "order_lines_2024_07": 1}
        now = _table_ids(company)
        assert now["order_lines_2024_06"] != tables["order_lines_2024_06"]
        assert now["order_lines_2024_05"] == tables["order_lines_2024_05"]


def test_each_months_per_brand_totals_are_a_table_of_their_own_on_postgresql(company, tmp_path):
    """A month's per-brand totals written for the first time go into a table of their own, keyed after the rows and
    attached (PostgreSQL, migration 0017), whether added up from a whole month's file or read back from the tables
    after a part of one; later writes of the month go through store_brand_months into that table, which stays. On
    every database the totals are those read back from the lines."""
    from storage.store_months import refresh_months

    brands = "store_brand_months"
    run_import(company, "orders", write_csv(tmp_path / "a.csv", HEADER, _month_rows("2024-05", 1) + _month_rows("2024-06", 2)))
    tables = _table_ids(company, brands)
    more = [["LATE1", S2, "20240520", P0, "1", "1", "1", "150", ""], ["LATE2", S1, "20240701", P1, "1", "1", "1", "85.5", ""]]
    run_import(company, "orders", write_csv(tmp_path / "b.csv", HEADER, more))  # read back from the tables
    run_import(company, "orders", write_csv(tmp_path / "c.csv", HEADER, _month_rows("2024-06", 7)))  # compared, rewritten
    written = _totals(company)
    with company.sessions.begin() as session:
        refresh_months(session, ["2024-05", "2024-06", "2024-07"])
    assert _totals(company) == written and len(written[1]) == 8
    if company.name == "postgresql":
        assert _partitions(company, brands) == {f"{brands}_2024_05": 4, f"{brands}_2024_06": 3, f"{brands}_2024_07": 1}
        with company.engine.connect() as connection:
            indexes = connection.scalars(text(f"SELECT indexname FROM pg_indexes WHERE tablename = '{brands}_2024_06'"))
            assert indexes.all() == [f"{brands}_2024_06_pkey"]
        now = _table_ids(company, brands)  # written again through store_brand_months: the months' tables stay
        assert [now[f"{brands}_{m}"] for m in ("2024_05", "2024_06")] == [tables[f"{brands}_{m}"] for m in ("2024_05", "2024_06")]


def _table_ids(db, parent: str = "order_lines") -> dict[str, int]:
    """PostgreSQL: each month table's oid (a table made again has another)."""
    if db.name != "postgresql":
        return {}
    with db.engine.connect() as connection:
        return dict(connection.execute(text("SELECT relname, oid::bigint FROM pg_class WHERE relname LIKE :like"),
                                       {"like": f"{parent}_2%"}).all())


def test_a_month_older_than_the_kept_window_is_archived_and_its_file_brings_it_back(company, tmp_path):
    rows = [row for n, month in enumerate(MONTHS) for row in _month_rows(month, n + 1)]
    run_import(company, "orders", write_csv(tmp_path / "orders.csv", HEADER, rows))
    kept_lines, kept_totals = lines(company), _totals(company)
    archive = _archive(company)

    with pytest.raises(Refused, match=r"2024年4月 在保留期内：最近 3 个有订单的月份（2024-04 至 2024-06）.*只能归档更早的月份"
                                      r"（2024-02 至 2024-03）"):
        archive("2024-04", tmp_path)
    with pytest.raises(Refused, match="数据库中没有 2024年1月 的订单，无需归档。有订单的月份：2024-02 至 2024-06"):
        archive("2024-01", tmp_path)
    report = archive("2024-02", tmp_path / "归档")
    path = tmp_path / "归档" / "订单归档-2024-02.csv.gz"
    assert (report.month, report.path, report.orders, report.rows) == ("2024-02", path, 2, 3)
    assert report.lines()[0].startswith(f"订单归档：2024年2月 共 2 张订单、3 行明细已写入 {path}")
    assert report.lines()[2] == f'要恢复这个月：cmw import orders "{path}"'
    with gzip.open(path, "rt", encoding="utf-8") as file:
        assert file.read().splitlines() == [
            ",".join(HEADER), f"M202402A,{S1},2024-02-03,{P0},4,4,1,150.00,150.00",
            f"M202402A,{S1},2024-02-03,{P1},2,2,2,85.50,171.00", f"M202402B,{S2},2024-02-17,{P2},3,3,3,50.00,150.00"]
    assert {k for k in lines(company)} == {k for k in kept_lines if not k[0].startswith("M202402")}
    assert _totals(company) == kept_totals  # the analyses' monthly totals stay
    if company.name == "postgresql":
        assert "order_lines_2024_02" not in _partitions(company)
    with company.sessions() as session:
        assert session.scalar(select(AuditEntry.new_value).where(AuditEntry.action == "archive")).startswith(
            "订单归档：2024年2月")

    # a late file for the archived month would rebuild its totals from part of its lines: refused, nothing changed
    late = write_csv(tmp_path / "late.csv", HEADER, [["LATE", S1, "20240210", P0, "1", "1", "1", "150", ""]])
    with pytest.raises(Refused, match=r"文件中有 2024年2月 的 1 张订单，而这个月的订单已经归档（订单归档-2024-02.csv.gz，2 张）。"
                                      r"要修改这个月，请先导入归档文件恢复这个月：cmw import orders 订单归档-2024-02.csv.gz"):
        run_import(company, "orders", late)
    assert count(company, OrderRow) == 8 and _totals(company) == kept_totals

    run_import(company, "orders", path)  # the archive itself brings the month back, whole
    assert lines(company) == kept_lines and _totals(company) == kept_totals and _dated_right(company)
    with company.sessions() as session:
        assert not session.scalar(select(func.count()).select_from(Setting).where(Setting.key.like("orders_archived/%")))
    with pytest.raises(Refused, match="订单归档-2024-02.csv.gz 已经存在.*请换一个文件夹（--to），或先把这个文件移走"):
        archive("2024-02", tmp_path / "归档")  # archived again: the earlier file is never overwritten
    assert count(company, OrderRow) == 10
    run_import(company, "orders", late)  # an ordinary month again
    assert count(company, OrderRow) == 11


def test_an_archive_that_cannot_be_written_changes_nothing(company, tmp_path):
    rows = [row for n, month in enumerate(MONTHS) for row in _month_rows(month, n + 1)]
    run_import(company, "orders", write_csv(tmp_path / "orders.csv", HEADER, rows))
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(Refused, match=r"not-a-folder 是一个文件，不是文件夹：请用 --to 给出放归档文件的文件夹。数据库中的订单没有改动"):
        _archive(company)("2024-02", blocker)
    with pytest.raises(Refused, match=r"无法写入归档文件 .*：路径中有一部分不是文件夹。数据库中的订单没有改动"):
        _archive(company)("2024-02", blocker / "归档")
    assert count(company, OrderRow) == 10 and count(company, OrderLineRow) == 15


def test_a_broken_archive_file_is_refused_in_words(company, tmp_path):
    whole = tmp_path / "whole.csv.gz"
    with gzip.open(whole, "wt", encoding="utf-8") as file:
        file.write(",".join(HEADER) + "\n" + "\n".join(",".join(r) for r in _month_rows("2024-05", 1)) + "\n")
    cut = tmp_path / "订单归档-2024-05.csv.gz"
    cut.write_bytes(whole.read_bytes()[:-12])
    with pytest.raises(Refused, match="是损坏或不完整的压缩文件（.gz），无法读取"):
        run_import(company, "orders", cut)
    assert run_import(company, "orders", whole).inserted == 2


def test_the_upgrade_to_0016_dates_every_kept_line(db, tmp_path):
    """A database of 0015 with orders: 0016 gives each line its order's date (PostgreSQL: copies them into a table
    per month, and 0017 the per-brand totals), the lines and totals unchanged; the next import goes on from the kept
    ids."""
    from alembic import command
    from sqlalchemy import inspect

    from storage.database import _alembic_config, head_revision, upgrade
    from tests.factories import make_orders

    make_company(db.sessions)
    make_orders(db.sessions, "2026-09")
    make_orders(db.sessions, "2026-10")
    kept_lines, kept_totals = lines(db), _totals(db)
    command.downgrade(_alembic_config(db.engine), "0015")
    with db.engine.connect() as connection:
        assert "order_date" not in {c["name"] for c in inspect(connection).get_columns("order_lines")}
    assert upgrade(db.engine) == ("0015", head_revision())
    assert lines(db) == kept_lines and _totals(db) == kept_totals and _dated_right(db)
    if db.name == "postgresql":
        assert set(_partitions(db)) == {"order_lines_2026_09", "order_lines_2026_10"}
        assert set(_partitions(db, "store_brand_months")) == {"store_brand_months_2026_09", "store_brand_months_2026_10"}
    with db.sessions() as session:
        last = session.scalar(select(func.max(OrderLineRow.id)))
    run_import(db, "orders", write_csv(tmp_path / "next.csv", HEADER, [["NEXT", S1, "20261101", P0, "1", "1", "1", "150", ""]]))
    with db.sessions() as session:
        assert session.scalar(select(OrderLineRow.id).join(OrderRow, OrderRow.id == OrderLineRow.order_id)
                              .where(OrderRow.order_no == "NEXT")) > last


def _archive(db):
    """archive(month, folder): `cmw archive orders` in one unit of work."""
    from engine.reference_data import archive_orders
    from storage.unit_of_work import SqlUnitOfWork

    return lambda month, folder: archive_orders(SqlUnitOfWork(db.sessions), ADMIN, month, folder)


@pytest.mark.database("postgresql")
def test_a_whole_months_reimport_waits_for_an_import_in_flight_and_keeps_its_lines(company, tmp_path):
    """The month's table is dropped only when every order it keeps comes again: an import still running (its order
    not committed yet) is waited for — under the locks the importers reserve ids under — and then counted."""
    from tests.integration.lock_waits import second_user

    whole = write_csv(tmp_path / "may.csv", HEADER, _month_rows("2024-05", 1))
    run_import(company, "orders", whole)
    with company.engine.connect() as other:  # another import of the month, in flight
        with other.begin():
            for name in ("orders", "order_lines"):
                other.execute(text("SELECT pg_advisory_xact_lock(hashtext(:name))"), {"name": f"cmw_ids_{name}"})
            order = other.scalar(text("INSERT INTO orders (order_no, store_id, order_date) "
                                      "SELECT 'INFLIGHT', id, DATE '2024-05-20' FROM stores ORDER BY id LIMIT 1 RETURNING id"))
            other.execute(text("INSERT INTO order_lines (order_id, order_date, product_id, qty_demanded, qty_allowed, "
                               "qty_ordered, price, amount) SELECT :order, DATE '2024-05-20', id, 1, 1, 1, 150, 150 "
                               "FROM products ORDER BY id LIMIT 1"), {"order": order})
            waiter, outcome = second_user(company, lambda: run_import(company, "orders", whole))
        waiter.join(60)
    assert not isinstance(outcome[0], Exception), outcome
    assert ("INFLIGHT", P0) in lines(company) and count(company, OrderLineRow) == 4
    assert _partitions(company) == {"order_lines_2024_05": 4}
