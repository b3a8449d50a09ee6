"""Which database, how to connect, and whether its schema is current."""
from __future__ import annotations

import os
import sys
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from engine.errors import Refused

MIGRATIONS = Path(__file__).with_name("migrations")


def default_sqlite_path() -> Path:
    """The embedded database: %LOCALAPPDATA%\\cmw\\cmw.sqlite3 on Windows, else $XDG_DATA_HOME/cmw or ~/.local/share/cmw."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
    else:
        base = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))
    return base / "cmw" / "cmw.sqlite3"


def database_url() -> str:
    """CMW_DATABASE_URL, or the embedded SQLite file."""
    url = os.environ.get("CMW_DATABASE_URL", "").strip()
    if url:
        return url
    return f"sqlite:///{default_sqlite_path()}"


def make_engine(url: str | None = None) -> Engine:
    """An engine for the URL with the settings each dialect needs (SQLite: foreign keys on, WAL)."""
    url = url or database_url()
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if parsed.get_backend_name() in ("mysql", "mariadb") and "charset" not in parsed.query:
        parsed = parsed.update_query_dict({"charset": "utf8mb4"})
    return create_engine(parsed, pool_pre_ping=True)


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

    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The migration the database is at, or None when it has no schema of ours."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Apply every pending migration; return (before, after)."""
    from alembic import command

    before = current_revision(engine)
    command.upgrade(_alembic_config(engine), "head")
    return before, head_revision()


def require_current_schema(engine: Engine) -> None:
    """Refuse, in words a user can act on, when the schema is missing or older than this program."""
    try:
        current = current_revision(engine)
    except Exception as exc:  # connection refused, unknown database, bad credentials
        raise Refused(f"无法连接数据库 {describe(engine)}：{first_line(exc)}。请检查 CMW_DATABASE_URL 或数据库服务。") from exc
    head = head_revision()
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

    existing = MetaData()
    existing.reflect(engine, only=lambda name, _: name in Base.metadata.tables or name == "alembic_version")
    existing.drop_all(engine)


#: Tables that `cmw db upgrade` itself may fill (the migration record, settings such as the database's identity):
#: rows there are no company's data.
_SCHEMA_ONLY = {"alembic_version", "cmw_settings"}


def holds_no_data(engine: Engine) -> bool:
    """Whether the database has only our tables and none of them holds a company's data (as `cmw db upgrade`
    leaves it): the demo may fill it without --force."""
    from sqlalchemy import func, inspect, select, table

    from storage.schema import Base

    ours = set(Base.metadata.tables) | _SCHEMA_ONLY
    names = inspect(engine).get_table_names()
    if not names or any(name not in ours for name in names):
        return False
    with engine.connect() as connection:
        return not any(connection.scalar(select(func.count()).select_from(table(name)))
                       for name in names if name not in _SCHEMA_ONLY)
