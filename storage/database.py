"""Which database, how to connect, and whether its schema is current."""
from __future__ import annotations

import os
import re
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from engine.errors import Refused
from storage.settings import database_url, default_sqlite_path  # noqa: F401 (where they were)

MIGRATIONS = Path(__file__).with_name("migrations")


#: Limits on a server database, in seconds (0: none), each overridable by its environment variable: a frozen
#: network link must not hang a command, nor an open transaction keep its row locks, forever.
TIMEOUTS = {
    "connect": ("CMW_DB_CONNECT_TIMEOUT", 10),  # to open a connection
    "statement": ("CMW_DB_STATEMENT_TIMEOUT", 600),  # one statement (a city's month of orders loads in a few minutes)
    "lock": ("CMW_DB_LOCK_TIMEOUT", 30),  # to wait for another user's row lock
    "idle": ("CMW_DB_IDLE_TIMEOUT", 300),  # a transaction left open with nothing happening
    "keepalive": ("CMW_DB_KEEPALIVE", 30),  # TCP keepalive: idle seconds before the first probe
}


def timeout(name: str) -> int:
    """A limit of TIMEOUTS in seconds, from its environment variable when set to a whole number."""
    variable, default = TIMEOUTS[name]
    text = os.environ.get(variable, "").strip()
    return int(text) if text.isdigit() else default


def _server_settings(backend: str) -> dict:
    """The driver's connect arguments that set the limits of TIMEOUTS (PostgreSQL: libpq options; MariaDB: socket
    timeouts and session variables; keepalives on both)."""
    statement, lock, idle, keepalive = (timeout(n) for n in ("statement", "lock", "idle", "keepalive"))
    if backend == "postgresql":
        options = " ".join(f"-c {name}={seconds * 1000}" for name, seconds in (
            ("statement_timeout", statement), ("lock_timeout", lock), ("idle_in_transaction_session_timeout", idle)))
        return {"connect_timeout": timeout("connect"), "options": options, "keepalives": 1,
                "keepalives_idle": keepalive or 30, "keepalives_interval": 10, "keepalives_count": 3}
    variables = [f"innodb_lock_wait_timeout={lock or 31536000}", f"max_statement_time={statement}",
                 f"idle_transaction_timeout={idle}"]
    # the socket's own timeout answers a link that went silent: a little longer than the longest statement
    read = statement + 60 if statement else None
    # local_infile: the orders importer's LOAD DATA LOCAL INFILE of the file it writes itself (storage/importers/bulk.py)
    return {"connect_timeout": timeout("connect"), "read_timeout": read, "write_timeout": read,
            "init_command": "SET SESSION " + ", ".join(variables), "local_infile": True}


def make_engine(url: str | None = None) -> Engine:
    """An engine for the URL with the settings each dialect needs (SQLite: foreign keys on, WAL; PostgreSQL and
    MariaDB: the connect, statement, lock and idle-in-transaction limits of TIMEOUTS, and TCP keepalives; MariaDB:
    READ COMMITTED, PostgreSQL's default)."""
    url = url or database_url()
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    backend = parsed.get_backend_name()
    if backend in ("mysql", "mariadb") and "charset" not in parsed.query:
        parsed = parsed.update_query_dict({"charset": "utf8mb4"})
    if backend in ("mysql", "mariadb"):
        # READ COMMITTED, as on PostgreSQL: reads take no lock, so a use case that waited for a document's row lock
        # must then read what the one before it committed, not the snapshot of its first read (REPEATABLE READ)
        engine = create_engine(parsed, pool_pre_ping=True, connect_args=_server_settings(backend),
                               isolation_level="READ COMMITTED")
        event.listen(engine, "connect", _socket_keepalive)
    else:
        engine = create_engine(parsed, pool_pre_ping=True, connect_args=_server_settings(backend))
    return engine


def _socket_keepalive(dbapi_connection, _record) -> None:
    """TCP keepalives on a PyMySQL connection's socket (it has no option of its own for them)."""
    import socket

    sock = getattr(dbapi_connection, "_sock", None)
    if sock is None:
        return
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    for option, value in (("TCP_KEEPIDLE", timeout("keepalive") or 30), ("TCP_KEEPINTVL", 10), ("TCP_KEEPCNT", 3)):
        if hasattr(socket, option):
            sock.setsockopt(socket.IPPROTO_TCP, getattr(socket, option), value)


#: What a user is told when the database went away (or ran out of time) in the middle of an action: its
#: transaction was rolled back by the server, so nothing of it was written.
CONNECTION_LOST = "数据库连接中断，本次操作没有写入任何内容，请稍后重试。"
TIMED_OUT = "数据库操作超时（等待其他用户或数据库过久），本次操作没有写入任何内容，请稍后重试。"
_TIMEOUT_WORDS = ("statement timeout", "canceling statement", "lock timeout", "max_statement_time",
                  "Lock wait timeout", "idle-in-transaction", "idle_transaction_timeout", "Query execution was interrupted")


NOT_ALLOWED = ("数据库拒绝了这次操作：您的数据库账号没有这项权限（{words}）。本次操作没有写入任何内容。"
               "如果您应当可以这样操作，请把这段话发给管理员。")


def database_trouble(exc: BaseException) -> str | None:
    """The Chinese answer to an exception that is the database being lost, timing out, or refusing the login a
    privilege (a personal login doing what its group may not), else None."""
    from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, PendingRollbackError

    from storage.security import database_words, refused_by_database

    if isinstance(exc, DBAPIError) and refused_by_database(exc):
        return NOT_ALLOWED.format(words=database_words(exc))

    if isinstance(exc, PendingRollbackError) and "invalid transaction" in str(exc):  # its connection was lost
        return CONNECTION_LOST
    if not isinstance(exc, DBAPIError):
        return None
    text = str(exc)
    if type(exc.orig).__module__.startswith("sqlite3"):  # a file, not a link: only its lock can time out
        return TIMED_OUT if "database is locked" in text else None
    if exc.connection_invalidated or isinstance(exc, (OperationalError, InterfaceError)):
        return TIMED_OUT if any(word in text for word in _TIMEOUT_WORDS) else CONNECTION_LOST
    return None


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded rows usable after commit."""
    return sessionmaker(engine, expire_on_commit=False)


def _alembic_config(engine: Engine):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def head_revision() -> str:
    """The newest migration this program knows."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(MIGRATIONS)).get_current_head() or ""


def current_revision(engine: Engine) -> str | None:
    """The migration the database is at, or None when it has no schema of ours."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Apply every pending migration, copy the declared workflows in, and, on a database with personal logins,
    re-apply its grants and row-level security (new tables included); return (before, after)."""
    from alembic import command

    from storage.security import is_secured, secure, sync_workflows

    before = current_revision(engine)
    command.upgrade(_alembic_config(engine), "head")
    with engine.begin() as connection:
        sync_workflows(connection)
        secured = is_secured(connection)
    if secured:
        secure(engine)
    return before, head_revision()


def known_head() -> str:
    """The newest migration, read from the migration files' own `revision` / `down_revision` lines: what every
    command checks before it runs, without importing Alembic (a quarter of a ribbon click's start-up); equal to
    head_revision() (a test says so)."""
    revisions, parents = set(), set()
    for script in (MIGRATIONS / "versions").glob("*.py"):
        text_ = script.read_text(encoding="utf-8")
        found = re.search(r"^revision\s*=\s*['\"](\w+)['\"]", text_, re.M)
        parent = re.search(r"^down_revision\s*=\s*['\"](\w+)['\"]", text_, re.M)
        if found:
            revisions.add(found.group(1))
        if parent:
            parents.add(parent.group(1))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else head_revision()  # more than one head: Alembic says what is wrong


def recorded_revision(engine: Engine) -> str | None:
    """The migration the database is at, read with one plain query (None when it has no schema of ours)."""
    from sqlalchemy import inspect, text

    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.scalar(text("SELECT version_num FROM alembic_version"))


def require_current_schema(engine: Engine) -> None:
    """Refuse, in words a user can act on, when the schema is missing or older than this program."""
    try:
        current = recorded_revision(engine)
    except Exception as exc:  # connection refused, unknown database, bad credentials
        raise Refused(f"无法连接数据库 {describe(engine)}：{first_line(exc)}。请检查 CMW_DATABASE_URL 或数据库服务。") from exc
    head = known_head()
    if current is None:
        raise Refused(f"数据库 {describe(engine)} 还没有表结构。请先运行：cmw db upgrade")
    if current != head:
        raise Refused(f"数据库 {describe(engine)} 的表结构版本（{current}）比本程序（{head}）旧。请运行：cmw db upgrade")


def describe(engine: Engine) -> str:
    """The database as a user may be shown it (no password)."""
    return engine.url.render_as_string(hide_password=True)


def first_line(exc: BaseException) -> str:
    """The first line of an exception's text."""
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def drop_everything(engine: Engine) -> None:
    """Drop every table of ours and the migration record (used by `cmw demo` and the tests).

    The tables are read from the database itself, not from this program's models, so that a database
    made by an older or newer version is dropped in the order its own foreign keys need.
    """
    from sqlalchemy import MetaData

    from storage.schema import Base

    from storage.security import drop_database_objects

    drop_database_objects(engine)  # policies name other tables: they go first
    existing = MetaData()
    existing.reflect(engine, only=lambda name, _: name in Base.metadata.tables or name == "alembic_version")
    existing.drop_all(engine)


#: Tables that `cmw db upgrade` itself fills (the migration record, settings such as the database's identity, the
#: declared workflows):
#: rows there are no company's data.
_SCHEMA_ONLY = {"alembic_version", "cmw_settings", "workflows", "workflow_moves"}


def holds_no_data(engine: Engine) -> bool:
    """Whether the database has only our tables and none of them holds a company's data (as `cmw db upgrade`
    leaves it): the demo may fill it without --force."""
    from sqlalchemy import func, inspect, select, table

    from storage.schema import Base

    from storage.order_lines import is_month_table

    ours = set(Base.metadata.tables) | _SCHEMA_ONLY
    names = [name for name in inspect(engine).get_table_names() if not is_month_table(name)]  # PostgreSQL's months
    if not names or any(name not in ours for name in names):
        return False
    with engine.connect() as connection:
        return not any(connection.scalar(select(func.count()).select_from(table(name)))
                       for name in names if name not in _SCHEMA_ONLY)
