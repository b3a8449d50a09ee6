"""Test fixtures: every database-touching test runs on SQLite, PostgreSQL and MariaDB.

CMW_TEST_DATABASES picks the databases (default: sqlite,postgresql,mariadb).
CMW_TEST_POSTGRESQL_URL / CMW_TEST_MARIADB_URL point at the servers (defaults: the local `test` databases).
With CI=true or CMW_REQUIRE_SERVICES=1 an unreachable server fails the run; otherwise its tests skip.
"""
from __future__ import annotations

import os

import pytest
from sqlalchemy import text

from engine.big_table import generate
from storage.database import drop_everything, make_engine, session_factory, upgrade
from storage.schema import Base
from tests.analysis_helpers import MONTH, actor
from tests.factories import make_company, make_orders
from tests.plan_helpers import ready

URLS = {
    "postgresql": os.environ.get("CMW_TEST_POSTGRESQL_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"),
    "mariadb": os.environ.get("CMW_TEST_MARIADB_URL", "mysql+pymysql://root@127.0.0.1:3306/test"),
}


def _wanted() -> list[str]:
    return [d.strip() for d in os.environ.get("CMW_TEST_DATABASES", "sqlite,postgresql,mariadb").split(",") if d.strip()]


def _required() -> bool:
    return os.environ.get("CI", "").lower() == "true" or os.environ.get("CMW_REQUIRE_SERVICES") == "1"


class Database:
    """One migrated test database: its engine, a session factory, and its name."""

    def __init__(self, name: str, engine):
        self.name = name
        self.engine = engine
        self.sessions = session_factory(engine)
        self.url = engine.url.render_as_string(hide_password=False)

    def clear(self) -> None:
        """Delete every row (children first), keeping the schema; PostgreSQL's months' tables of order lines and
        per-brand totals go, as a new database has none."""
        with self.engine.begin() as connection:
            if self.name == "postgresql":
                for month in connection.scalars(text(
                        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                        "WHERE i.inhparent IN (to_regclass('order_lines'), to_regclass('store_brand_months'))")).all():
                    connection.execute(text(f"DROP TABLE {month}"))
            for table in reversed(Base.metadata.sorted_tables):
                if table.name in ("workflows", "workflow_moves"):  # the declarations, copied in by upgrade()
                    continue
                own = [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]
                if own:  # MariaDB checks a self-reference row by row: cut the tree first
                    connection.execute(table.update().values({name: None for name in own}))
                connection.execute(table.delete())

    def uow(self):
        """A unit of work on this database."""
        from storage.unit_of_work import SqlUnitOfWork

        return SqlUnitOfWork(self.sessions)


@pytest.fixture(scope="session", params=_wanted())
def migrated(request, tmp_path_factory):
    """A database of each kind, emptied and migrated once per test session."""
    name = request.param
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'cmw.sqlite3'}" if name == "sqlite" else URLS[name]
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:
        message = f"{name} at {url} is not reachable: {exc}"
        if _required():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    drop_everything(engine)
    upgrade(engine)
    yield Database(name, engine)
    engine.dispose()


@pytest.fixture
def db(migrated) -> Database:
    """An empty, migrated database (each test starts clean)."""
    migrated.clear()
    return migrated


def drop_roles(connection, logins) -> None:
    """Drop the login roles a test made, then the group roles unless another database still grants them (they are
    the cluster's: a demo's database elsewhere may use them; left for it)."""
    from sqlalchemy.exc import DBAPIError

    from storage.security import GROUPS

    for login in logins:
        connection.execute(text(f'DROP ROLE IF EXISTS "{login}"'))
    for group in GROUPS.values():
        try:
            connection.execute(text(f"DROP ROLE IF EXISTS {group}"))
        except DBAPIError:
            pass


@pytest.fixture
def cluster_roles(db):
    """For a test that grants personal logins on the test database (the demo on PostgreSQL): login and group roles
    are the cluster's, not the database's, so other runs' such tests wait on an advisory lock while it runs, and at
    its end the test database is made afresh (no grants left) and the logins it made are dropped."""
    if db.name != "postgresql":
        yield db
        return
    from sqlalchemy import create_engine

    server = create_engine(db.engine.url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    lock = server.connect()
    lock.execute(text("SELECT pg_advisory_lock(hashtext('cmw test roles'))"))
    try:
        yield db
    finally:
        with db.engine.connect() as connection:
            codes = [row[0] for row in connection.execute(text(
                "SELECT rolname FROM pg_roles WHERE NOT rolsuper AND rolname IN (SELECT code FROM users)"))]
        db.engine.dispose()
        drop_everything(db.engine)
        upgrade(db.engine)
        drop_roles(lock, codes)
        lock.execute(text("SELECT pg_advisory_unlock(hashtext('cmw test roles'))"))
        lock.close()
        server.dispose()


@pytest.fixture(scope="session")
def _sqlite_migrated(tmp_path_factory):
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('one') / 'cmw.sqlite3'}")
    upgrade(engine)
    yield Database("sqlite", engine)
    engine.dispose()


@pytest.fixture
def sqlite_db(_sqlite_migrated) -> Database:
    """An empty SQLite database, for tests whose subject does not depend on the database (not parametrised)."""
    _sqlite_migrated.clear()
    return _sqlite_migrated


@pytest.fixture
def planned(db) -> Database:
    """The test company with October's orders and cm001's big table for MONTH generated from its strategies."""
    make_company(db.sessions)
    make_orders(db.sessions, "2026-10")
    ready(db)
    generate(db.uow(), actor(db, "cm001"), cm_codes=["cm001"], month=MONTH)
    return db


def pytest_collection_modifyitems(config, items):
    """A test marked `servers` runs on the server databases only (an embedded file has no connection to lose); one
    marked `one_database` on the first database asked for only (it tests something no database touches); one marked
    `database(name)` only when that database is asked for (and, given the parametrized database, only on that one). The others are not collected — reported as deselected,
    never skipped."""
    wanted = _wanted()
    kept, dropped = [], []
    for item in items:
        name = getattr(item, "callspec", None) and item.callspec.params.get("migrated")
        own = item.get_closest_marker("database")
        if own and (own.args[0] not in wanted or (name and name != own.args[0])):  # on that database only
            dropped.append(item)
        elif name and ((item.get_closest_marker("servers") and name == "sqlite") or
                       (item.get_closest_marker("one_database") and name != wanted[0])):
            dropped.append(item)
        else:
            kept.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
