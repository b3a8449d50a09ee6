"""MariaDB with personal accounts (issue #12, item 3): what the server enforces, and what it cannot.

Enforced by MariaDB itself: a document's state changes only through the cmw_fire procedure (SQL SECURITY
DEFINER), which applies the declared workflow; nobody updates or deletes the audit log or writes a decision; the
program acts as the account. Not enforced: which rows an account reads (MariaDB has no row-level security) — the
last test shows it, and README says it.
"""
from __future__ import annotations

import os

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from addin.app import App
from engine.actors import Role
from engine.documents import open_document, transition_document
from engine.errors import Refused
from storage.database import database_trouble, make_engine, session_factory, upgrade
from storage.logins import Login, grant_logins
from storage.security import GROUPS
from storage.unit_of_work import SqlUnitOfWork
from tests.conftest import URLS, _required
from tests.factories import USERS, make_company

pytestmark = pytest.mark.database("mariadb")
MONTH = "2026-11"


@pytest.fixture(scope="module")
def accounts():
    url = make_url(URLS["mariadb"])
    server = create_engine(url.set(database=None), isolation_level="AUTOCOMMIT")
    try:
        lock = server.connect()
    except Exception as exc:
        if _required():
            pytest.fail(f"MariaDB at {url} is not reachable: {exc}", pytrace=False)
        pytest.skip(f"MariaDB not reachable: {exc}")
    assert lock.scalar(text("SELECT GET_LOCK('cmw test roles', 600)")) == 1  # other runs' account tests wait
    database = f"cmw_security_{os.getpid()}"
    lock.execute(text(f"DROP DATABASE IF EXISTS {database}"))
    lock.execute(text(f"CREATE DATABASE {database} CHARACTER SET utf8mb4"))
    owner = make_engine(url.set(database=database).render_as_string(hide_password=False))
    engines = {}

    def engine(code):
        if code not in engines:
            engines[code] = make_engine(url.set(database=database, username=code, password=f"pw-{code}")
                                        .render_as_string(hide_password=False))
        return engines[code]

    try:
        upgrade(owner)
        make_company(session_factory(owner))
        grant_logins(owner, [Login(code, GROUPS[Role(role)], f"pw-{code}", reset=True) for code, _, role, _ in USERS])
        yield engine
    finally:
        for e in [owner, *engines.values()]:
            e.dispose()
        lock.execute(text(f"DROP DATABASE IF EXISTS {database}"))
        for code, *_ in USERS:
            lock.execute(text(f"DROP USER IF EXISTS '{code}'@'%'"))
        for group in GROUPS.values():
            lock.execute(text(f"DROP ROLE IF EXISTS {group}"))
        lock.execute(text("SELECT RELEASE_LOCK('cmw test roles')"))
        lock.close()
        server.dispose()


def sql(engine, statement, **params):
    with engine.begin() as connection:
        result = connection.execute(text(statement), params)
        return result.all() if result.returns_rows else result.rowcount


def refused(call) -> str:
    """call must fail with MariaDB's privilege errors or the procedure's refusal; the database's message."""
    with pytest.raises(DBAPIError) as caught:
        call()
    assert caught.value.orig.args[0] in (1142, 1143, 1370, 1644), caught.value
    assert "数据库拒绝了这次操作" in database_trouble(caught.value)
    return str(caught.value.orig.args[1])


def submitted_summary(engine, owner: str) -> int:
    uow = SqlUnitOfWork(session_factory(engine(owner)))
    with uow:
        doc = open_document(uow, "summary", owner, MONTH)
        uow.commit()
    app = App(engine(owner), session_factory(engine(owner)))
    transition_document(SqlUnitOfWork(session_factory(engine(owner))), actor=app.actor(None), kind="summary",
                        owner_code=owner, period=MONTH, transition="submit")
    return doc.id


def test_states_decisions_and_the_audit_log_change_only_through_the_procedure(accounts):
    doc = submitted_summary(accounts, "cm001")
    cm = accounts("cm001")
    assert "may not fire review" in refused(lambda: sql(cm, "CALL cmw_fire(:id, 'review', 'cm001', '')", id=doc))
    assert "may not act as" in refused(lambda: sql(cm, "CALL cmw_fire(:id, 'review', 'mm01', '')", id=doc))
    refused(lambda: sql(cm, "UPDATE documents SET state = 'reviewed' WHERE id = :id", id=doc))
    refused(lambda: sql(cm, "UPDATE audit_log SET note = 'changed'"))
    refused(lambda: sql(cm, "DELETE FROM audit_log"))
    refused(lambda: sql(cm, "INSERT INTO document_decisions (document_id, transition, actor_code, at, source, target, "
                            "version, reason) VALUES (:id, 'review', 'mm01', NOW(), 'submitted', 'reviewed', 9, '')",
                        id=doc))
    refused(lambda: sql(accounts("mm02"), "CALL cmw_fire(:id, 'review', 'mm02', '')", id=doc))  # other department
    sql(accounts("mm01"), "CALL cmw_fire(:id, 'review', 'mm01', 'ok')", id=doc)
    assert sql(cm, "SELECT actor_code, target FROM document_decisions WHERE document_id = :id ORDER BY id", id=doc) == [
        ("cm001", "submitted"), ("mm01", "reviewed")]


def test_the_program_acts_as_the_account(accounts):
    app = App(accounts("cm002"), session_factory(accounts("cm002")))
    assert app.actor(None).code == "cm002"
    with pytest.raises(Refused):
        app.actor("mm01")
    doc = submitted_summary(accounts, "cm002")
    mm = App(accounts("mm01"), session_factory(accounts("mm01"))).actor(None)
    with pytest.raises(Refused) as forged:  # the mm01 actor object, used over cm002's account
        transition_document(SqlUnitOfWork(session_factory(accounts("cm002"))), actor=mm, kind="summary",
                            owner_code="cm002", period=MONTH, transition="review")
    assert "数据库拒绝了这次状态变更" in str(forged.value)
    assert sql(accounts("cm002"), "SELECT state FROM documents WHERE id = :id", id=doc) == [("submitted",)]


def test_what_mariadb_cannot_enforce_reads_are_not_scoped_by_row(accounts):
    """Said plainly in README: on MariaDB a CM's account can read every store (the program shows only theirs)."""
    assert sql(accounts("cm001"), "SELECT count(*) FROM stores") == [(18,)]
    # … but order lines stay the administrator's alone
    refused(lambda: sql(accounts("cm001"), "SELECT count(*) FROM order_lines"))
