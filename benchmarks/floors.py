"""The floors the benchmark prints beside its figures: raw bulk inserts and one styled sheet, measured now.

The issue's figures (this machine, medians) are kept here too, so that each run shows both.
"""
from __future__ import annotations

import io
import sqlite3
import statistics
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Column, Integer, MetaData, Numeric, Table, create_engine, insert

ROWS = 60_000
#: The issue's floors, seconds (2 cores, medians).
ISSUE = {
    "pg_copy": 0.13, "pg_core": 0.86, "pg_orm": 3.4, "sqlite_raw": 0.10, "sqlite_core": 0.24,
    "xlsxwriter_sheet": 0.077, "openpyxl_sheet": 0.42,
}
LABELS = {
    "pg_copy": "PostgreSQL 6 万行 COPY", "pg_core": "PostgreSQL 6 万行 SQLAlchemy Core executemany",
    "pg_orm": "PostgreSQL 6 万行 ORM add_all", "sqlite_raw": "SQLite 文件 6 万行 sqlite3 executemany",
    "sqlite_core": "SQLite 文件 6 万行 SQLAlchemy Core", "mysql_core": "MariaDB 6 万行 SQLAlchemy Core executemany",
    "mysql_load": "MariaDB 6 万行 LOAD DATA LOCAL INFILE",
    "xlsxwriter_sheet": "XlsxWriter 写一张带样式的 250×40 表", "openpyxl_sheet": "openpyxl 写一张带样式的 250×40 表",
}


def median_seconds(work, repeat: int) -> float:
    """Median wall time of work() over repeat runs."""
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def _rows(decimal: bool = False) -> list[tuple]:
    price, amount = (Decimal("70.50"), Decimal("141.00")) if decimal else (70.5, 141.0)
    return [(i + 1, i // 30, i % 400, 3, 2, 2, price, amount) for i in range(ROWS)]


def _table(metadata: MetaData, name: str) -> Table:
    return Table(name, metadata, Column("id", Integer, primary_key=True), Column("order_id", Integer),
                 Column("product_id", Integer), Column("q1", Integer), Column("q2", Integer), Column("q3", Integer),
                 Column("price", Numeric(12, 2)), Column("amount", Numeric(12, 2)))


def sqlite_raw(folder: Path) -> None:
    """60k rows into a SQLite file with the sqlite3 module's executemany, one transaction."""
    path = folder / "raw.sqlite3"
    path.unlink(missing_ok=True)
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, order_id INT, product_id INT, q1 INT, q2 INT, "
                       "q3 INT, price NUMERIC, amount NUMERIC)")
    with connection:
        connection.executemany("INSERT INTO t VALUES (?,?,?,?,?,?,?,?)", _rows())
    connection.close()


def core_insert(url: str, repeat: int) -> float:
    """Median seconds for 60k rows with SQLAlchemy Core executemany into a fresh table (setup untimed)."""
    engine = create_engine(url)
    table = _table(MetaData(), "cmw_bench_floor")
    rows = [dict(zip(("id", "order_id", "product_id", "q1", "q2", "q3", "price", "amount"), r))
            for r in _rows(decimal=True)]
    runs = []
    try:
        for _ in range(repeat):
            table.drop(engine, checkfirst=True)
            table.create(engine)
            started = time.perf_counter()
            with engine.begin() as connection:
                connection.execute(insert(table), rows)
            runs.append(time.perf_counter() - started)
    finally:
        table.drop(engine, checkfirst=True)
        engine.dispose()
    return statistics.median(runs)


def pg_copy(url: str) -> None:
    """60k rows with COPY FROM STDIN into a temporary table (psycopg 3)."""
    engine = create_engine(url)
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("CREATE TEMPORARY TABLE cmw_bench_copy (id int, order_id int, product_id int, q1 int, "
                       "q2 int, q3 int, price numeric(12,2), amount numeric(12,2))")
        buffer = "".join(",".join(map(str, r)) + "\n" for r in _rows())
        with cursor.copy("COPY cmw_bench_copy FROM STDIN (FORMAT csv)") as copy:
            copy.write(buffer)
        raw.rollback()
    finally:
        raw.close()
        engine.dispose()


def mysql_load(url: str) -> None:
    """60k rows with LOAD DATA LOCAL INFILE from a CSV file into a temporary table (MariaDB's bulk path; the file is
    written in the timed part, as COPY's text is built in pg_copy)."""
    engine = create_engine(url, connect_args={"local_infile": True})
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("CREATE TEMPORARY TABLE cmw_bench_load (id int, order_id int, product_id int, q1 int, "
                       "q2 int, q3 int, price decimal(12,2), amount decimal(12,2))")
        with tempfile.NamedTemporaryFile("w", suffix=".csv") as out:
            out.write("".join(",".join(map(str, r)) + "\n" for r in _rows()))
            out.flush()
            cursor.execute("LOAD DATA LOCAL INFILE %s INTO TABLE cmw_bench_load FIELDS TERMINATED BY ','", (out.name,))
        raw.rollback()
    finally:
        raw.close()
        engine.dispose()


def xlsxwriter_sheet() -> None:
    """One styled 250×40 sheet written with XlsxWriter to memory."""
    import xlsxwriter

    book = xlsxwriter.Workbook(io.BytesIO(), {"in_memory": True})
    style = book.add_format({"border": 1, "font_name": "等线", "bg_color": "#FFF2CC", "num_format": "@"})
    sheet = book.add_worksheet("客户")
    for row in range(250):
        for col in range(40):
            sheet.write_string(row, col, f"客户{row}-{col}", style)
    book.close()


def openpyxl_sheet() -> None:
    """One styled 250×40 sheet written with openpyxl to memory."""
    from openpyxl import Workbook
    from openpyxl.styles import Border, Font, PatternFill, Side

    book = Workbook()
    sheet = book.active
    side = Side(style="thin")
    border, font, fill = Border(side, side, side, side), Font(name="等线"), PatternFill("solid", fgColor="FFF2CC")
    for row in range(1, 251):
        for col in range(1, 41):
            cell = sheet.cell(row, col, f"客户{row}-{col}")
            cell.border, cell.font, cell.fill = border, font, fill
    book.save(io.BytesIO())


def measure(url: str, repeat: int) -> dict[str, float]:
    """The floors that are cheap to measure now, for the database at url (SQLite ones always)."""
    found = {}
    with tempfile.TemporaryDirectory() as folder:
        found["sqlite_raw"] = median_seconds(lambda: sqlite_raw(Path(folder)), repeat)
        sqlite_url = f"sqlite:///{Path(folder) / 'core.sqlite3'}"
        found["sqlite_core"] = core_insert(sqlite_url, repeat)
    if url.startswith("postgresql"):
        found["pg_copy"] = median_seconds(lambda: pg_copy(url), repeat)
        found["pg_core"] = core_insert(url, repeat)
    elif url.startswith(("mysql", "mariadb")):
        found["mysql_core"] = core_insert(url, repeat)
        found["mysql_load"] = median_seconds(lambda: mysql_load(url), repeat)
    found["xlsxwriter_sheet"] = median_seconds(xlsxwriter_sheet, repeat)
    found["openpyxl_sheet"] = median_seconds(openpyxl_sheet, repeat)
    return found


def insert_floor(url: str, found: dict[str, float]) -> tuple[str, float]:
    """The bulk-insert floor of the database at url: (key, seconds per 60k rows) measured now."""
    if url.startswith("postgresql"):
        return "pg_copy", found["pg_copy"]
    if url.startswith(("mysql", "mariadb")):
        return "mysql_load", found["mysql_load"]
    return "sqlite_raw", found["sqlite_raw"]
