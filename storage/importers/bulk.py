"""Bulk loading into a staging table by the fastest path each database offers, in the caller's transaction.

PostgreSQL: COPY … FROM STDIN on the session's own psycopg connection, large chunks, in binary where every column's type
allows (storage/importers/copy_binary.py: no Python object per cell on either side), else as CSV text.
SQLite: the raw sqlite3 connection's executemany. MariaDB/MySQL: LOAD DATA LOCAL INFILE from a temporary CSV file
where the server allows it (storage.database connects with local_infile), else multi-row INSERT statements rendered
here (PyMySQL's executemany does the same row by row in Python, which is several times slower).
Values are rendered once per distinct value and spread to the rows by position, which keeps the work
per row inside numpy and str.join.
"""
from __future__ import annotations

import io
import os
import queue
import tempfile
import threading
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any, Callable, Iterable, Iterator, Mapping, TypeVar

import numpy as np
import pandas as pd
from sqlalchemy import Select, Table, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from storage.importers import copy_binary
from storage.importers.validation import objects

T = TypeVar("T")
#: Rows per COPY chunk / executemany batch / INSERT statement.
_CHUNK = {"postgresql": 100_000, "sqlite": 100_000, "mysql": 10_000}


@dataclass(frozen=True)
class Fixed:
    """A decimal column held as whole units of 10^-places (int64): money as cents (places=2), scores to 4 places."""

    units: np.ndarray
    places: int = 2

    @classmethod
    def of(cls, values, places: int) -> "Fixed":
        """Floats rounded to places."""
        return cls(np.rint(np.asarray(values, dtype=float) * 10 ** places).astype(np.int64), places)


def dialect(session: Session | Connection) -> str:
    """postgresql, sqlite or mysql (MariaDB included)."""
    name = (session if isinstance(session, Connection) else session.get_bind()).dialect.name
    return "mysql" if name in ("mysql", "mariadb") else name


@contextmanager
def staging(session: Session, *tables: Table) -> Iterator[None]:
    """Temporary tables for one import: created empty, dropped after the work (a failed run rolls back)."""
    if dialect(session) == "sqlite":
        # staging in memory, not in a temporary file (the setting drops temporary tables, so it comes first)
        session.execute(text("PRAGMA temp_store = MEMORY"))
    for table in tables:
        _drop(session, table)  # a temporary table left on a pooled connection by an earlier failure
        table.create(session.connection())
    yield
    for table in tables:
        _drop(session, table)


def _drop(session: Session, table: Table) -> None:
    # Only ever the temporary table: MySQL says so (and commits implicitly on a plain DROP TABLE),
    # PostgreSQL and SQLite name the temporary schema.
    statement = {"mysql": "DROP TEMPORARY TABLE IF EXISTS {}", "postgresql": "DROP TABLE IF EXISTS pg_temp.{}",
                 "sqlite": "DROP TABLE IF EXISTS temp.{}"}[dialect(session)]
    session.execute(text(statement.format(table.name)))


def load(session: Session, table: Table, columns: Mapping[str, np.ndarray | Fixed]) -> None:
    """Append the rows (one array per column, all the same length) to the table."""
    kind = dialect(session)
    names = ", ".join(map(session.get_bind().dialect.identifier_preparer.quote, columns))  # `key` is a word of MariaDB's
    # MariaDB's LOAD DATA reads the CSV that COPY reads; its INSERT statements need SQL literals
    way = "mysql" if kind == "mysql" and not _local_infile(session) else "sqlite" if kind == "sqlite" else "csv"
    first = next(iter(columns.values()), np.empty(0))
    rows, chunk = len(first.units if isinstance(first, Fixed) else first), _CHUNK[kind]
    driver: Any = session.connection().connection.driver_connection  # the driver's own connection (psycopg, …)

    def chunks() -> Iterator[list[np.ndarray]]:
        # rendered a chunk at a time: a city month's lines as one object array per column took 250 MB more
        cells = [_cells(values, way) for values in columns.values()]
        return ([c(slice(start, start + chunk)) for c in cells] for start in range(0, rows, chunk))
    if kind == "postgresql":
        _copy(session, driver, table, names, columns, rows, chunks)
    elif kind == "sqlite":
        marks = ", ".join("?" * len(columns))
        for part in chunks():
            driver.executemany(f"INSERT INTO {table.name} ({names}) VALUES ({marks})", zip(*(c.tolist() for c in part)))
    elif way == "csv":
        _load_data(driver, table.name, names, chunks())
    else:
        with driver.cursor() as cursor:
            for part in chunks():
                cursor.execute(f"INSERT INTO {table.name} ({names}) VALUES ({'),('.join(map(','.join, zip(*part)))})")


def _copy(session: Session, driver: Any, table: Table, names: str, columns: Mapping[str, np.ndarray | Fixed],
          rows: int, chunks: Callable[[], Iterator[list[np.ndarray]]]) -> None:
    """PostgreSQL: COPY the rows in, in binary where every column's type is one copy_binary renders, else as CSV."""
    target = table.name
    if not table.info.get("staging") and _row_secured(session, table.name):
        # PostgreSQL has no COPY into a table whose row-level security applies to this login (a person's
        # login: storage/security.py): COPY into a bare temporary table, then one INSERT … SELECT that the
        # table's policy checks
        target = f"pg_temp.cmw_copy_{table.name}"
        session.execute(text(f"DROP TABLE IF EXISTS {target}"))
        session.execute(text(f"CREATE TEMPORARY TABLE cmw_copy_{table.name} AS SELECT {names} FROM {table.name} "
                             f"WITH NO DATA"))
    binary = copy_binary.encoder(copy_binary.column_types(session, target), columns)
    chunk = _CHUNK["postgresql"]
    with driver.cursor() as cursor, cursor.copy(
            f"COPY {target} ({names}) FROM STDIN (FORMAT {'binary' if binary else 'csv'})") as copy:
        if binary:
            copy.write(copy_binary.SIGNATURE)
            for data in _ahead(binary(slice(start, start + chunk)) for start in range(0, rows, chunk)):
                copy.write(data)
            copy.write(copy_binary.TRAILER)
        else:
            for text_ in _ahead("\n".join(map(",".join, zip(*part))) + "\n" for part in chunks()):
                copy.write(text_)
    if target != table.name:
        session.execute(text(f"INSERT INTO {table.name} ({names}) SELECT {names} FROM {target}"))
        session.execute(text(f"DROP TABLE {target}"))
    if table.info.get("staging"):
        session.execute(text(f"ANALYZE {table.name}"))  # temporary tables get no statistics otherwise


def read(session: Session, statement: Select) -> pd.DataFrame:
    """The rows of a SELECT as a frame, a column per selected column (named by its label), without a Python tuple
    per row where the database can say it faster: PostgreSQL COPY (…) TO STDOUT as CSV read by pandas (a city
    month's ~1M per-brand rows: about a second); elsewhere fetched 100,000 rows at a time. Values as the CSV or
    the driver gives them (text on PostgreSQL): the caller converts."""
    names = [column.name for column in statement.selected_columns]
    if dialect(session) == "postgresql":
        query = statement.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
        buffer = io.BytesIO()
        driver: Any = session.connection().connection.driver_connection
        with driver.cursor() as cursor, cursor.copy(f"COPY ({query}) TO STDOUT (FORMAT csv)") as copy:
            for data in copy:
                buffer.write(data)
        if not buffer.tell():
            return pd.DataFrame({name: [] for name in names})
        buffer.seek(0)
        return pd.read_csv(buffer, header=None, names=names, dtype=str, keep_default_na=False, na_filter=False)
    result = session.execute(statement.execution_options(yield_per=100_000))
    parts = [pd.DataFrame.from_records(chunk, columns=names) for chunk in result.partitions()]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame({name: [] for name in names})


def _ahead(blocks: Iterator[T]) -> Iterator[T]:
    """The blocks, each rendered on a thread of its own while the one before is sent (the send waits on the socket
    without the GIL); one block ahead at most, so that a city month's text is never held whole."""
    waiting: queue.Queue = queue.Queue(maxsize=1)
    stop = threading.Event()
    done = object()

    def render() -> None:
        try:
            for block in blocks:
                waiting.put(block)
                if stop.is_set():
                    return
            waiting.put(done)
        except BaseException as exc:  # handed to the sender, which raises it
            waiting.put(exc)

    thread = threading.Thread(target=render, name="cmw-copy-render", daemon=True)
    thread.start()
    try:
        while (item := waiting.get()) is not done:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        while thread.is_alive():  # a send that failed: let the renderer see the stop and end
            try:
                waiting.get(timeout=0.1)
            except queue.Empty:
                pass


@contextmanager
def alongside(session: Session, work: Callable[[], T]) -> Iterator[Future[T]]:
    """Run work — statements on the session — on a thread of its own while the body runs, which must not touch the
    session (parsing, adding up): the database server works on its core while this process works on the other. The
    body's end waits for the work (a rollback never meets it running); the body's error is raised first, else the
    work's; the work's result is future.result(). On SQLite, whose work is this process's own, the work runs first,
    in this thread."""
    future: Future[T] = Future()
    if dialect(session) == "sqlite":
        try:
            future.set_result(work())
        except BaseException as exc:  # raised after the body, as from a thread
            future.set_exception(exc)
        yield future
    else:
        with ThreadPoolExecutor(1, thread_name_prefix="cmw-db") as pool:
            future = pool.submit(work)
            try:
                yield future
            finally:
                wait([future])
    future.result()


def reserve_ids(session: Session, table: Table, count: int) -> int:
    """The first of count consecutive new ids of the table's id column, kept from every other writer: the rows can
    then be bulk-loaded with their ids (and rows pointing at them) instead of read back after an INSERT … SELECT.

    PostgreSQL: the id sequence moved on by count under a transaction-scoped advisory lock (two importers never
    interleave; cmw_admin may set the sequences, storage/security.py). SQLite and MariaDB: one past the largest id
    (SQLite has one writer at a time; MariaDB's AUTO_INCREMENT follows explicit ids)."""
    if dialect(session) == "postgresql":
        hold_ids(session, table.name)
        sequence = f"pg_get_serial_sequence('{table.name}', 'id')"
        first = int(session.execute(text(f"SELECT nextval({sequence})")).scalar_one())
        if count > 1:
            session.execute(text(f"SELECT setval({sequence}, :last)"), {"last": first + count - 1})
        return first
    return int(session.execute(text(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table.name}")).scalar_one())


def hold_ids(session: Session, name: str) -> None:
    """PostgreSQL: wait for, then hold until the transaction ends, the advisory lock under which the table's ids are
    reserved — what keeps two orders imports (or an import and an archive) from interleaving. Taken in the order
    orders, then order_lines, by everyone who takes both."""
    session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:name))"), {"name": f"cmw_ids_{name}"})


def _local_infile(session: Session) -> bool:
    """Whether this MariaDB/MySQL connection may LOAD DATA LOCAL INFILE (the server's local_infile; the client asks
    for it when connecting); asked once per connection."""
    known = session.connection().info
    if "cmw_local_infile" not in known:
        driver = session.connection().connection.driver_connection
        client = bool(getattr(driver, "client_flag", 0) & 128)  # CLIENT.LOCAL_FILES
        known["cmw_local_infile"] = client and bool(session.execute(text("SELECT @@local_infile")).scalar())
    return known["cmw_local_infile"]


def _load_data(driver: Any, name: str, names: str, chunks: Iterable[list[np.ndarray]]) -> None:
    """LOAD DATA LOCAL INFILE of the chunks written to one temporary CSV file (removed after)."""
    handle, path = tempfile.mkstemp(prefix="cmw_load_", suffix=".csv")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            for part in chunks:
                out.write("\n".join(map(",".join, zip(*part))) + "\n")
        with driver.cursor() as cursor:
            cursor.execute(f"LOAD DATA LOCAL INFILE %s INTO TABLE {name} CHARACTER SET utf8mb4 FIELDS TERMINATED BY ',' "
                           f"OPTIONALLY ENCLOSED BY '\"' ESCAPED BY '' LINES TERMINATED BY '\\n' ({names})", (path,))
    finally:
        os.unlink(path)


def _row_secured(session: Session, name: str) -> bool:
    """Whether the table's row-level security applies to the current login (not its owner, nor a superuser); asked
    once per table and connection (a login does not change its roles under a running program)."""
    known = session.connection().info.setdefault("cmw_row_secured", {})
    if name not in known:
        known[name] = bool(session.execute(text(
            "SELECT c.relrowsecurity AND NOT pg_has_role(c.relowner, 'MEMBER') AND NOT r.rolsuper "
            "AND NOT r.rolbypassrls FROM pg_class c, pg_roles r "
            "WHERE c.oid = to_regclass(:name) AND r.rolname = current_user"), {"name": name}).scalar())
    return known[name]


def _cells(values: np.ndarray | Fixed, way: str) -> Callable[[slice], np.ndarray]:
    """The column's rows in a slice as an object array of what the database is sent per row: csv (COPY, LOAD DATA),
    sqlite (executemany's parameters), mysql (SQL literals)."""
    if way == "sqlite":
        if isinstance(values, Fixed):
            floats = values.units / 10 ** values.places  # SQLite keeps NUMERIC as REAL anyway
            return lambda rows: floats[rows]
        if values.dtype.kind in "iu":
            return lambda rows: values[rows]
    array = values.units if isinstance(values, Fixed) else values
    codes, uniques = pd.factorize(array)
    if len(uniques) > len(array) // 4 and not isinstance(values, Fixed) and values.dtype.kind in "iu":
        # ids: as many texts as rows (a city month's line ids rendered at once took 250 MB): a chunk at a time
        return lambda rows: objects(list(map(_RENDER[way], values[rows].tolist())))
    codes = codes.astype(np.int32)  # the rows' positions among at most a few hundred thousand texts
    render = (lambda u: _decimal(u, values.places)) if isinstance(values, Fixed) else _RENDER[way]
    rendered = np.empty(len(uniques), dtype=object)
    rendered[:] = [render(u) for u in uniques]
    return lambda rows: rendered[codes[rows]]


def _decimal(units, places: int) -> str:
    """Whole units of 10^-places as a decimal literal: -5 at 2 places is -0.05."""
    units = int(units)
    whole, part = divmod(abs(units), 10 ** places)
    return f"{'-' if units < 0 else ''}{whole}.{part:0{places}d}"


def _csv(value) -> str:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        # COPY's CSV reads an empty unquoted field as NULL; quote it and anything with separators
        return '"' + value.replace('"', '""') + '"' if (not value or any(c in value for c in ',"\r\n')) else value
    return str(int(value))


def _sqlite(value):
    if isinstance(value, date):
        return value.isoformat()
    return value if isinstance(value, str) else int(value)


def _mysql(value) -> str:
    from pymysql.converters import escape_string

    if isinstance(value, date):
        return f"'{value.isoformat()}'"
    if isinstance(value, str):
        return f"'{escape_string(value)}'"
    return str(int(value))


_RENDER = {"csv": _csv, "sqlite": _sqlite, "mysql": _mysql}
