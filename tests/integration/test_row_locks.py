"""Reads take no lock; a use case that changes documents locks only their rows (FOR UPDATE OF documents), not their
owners' users rows nor other documents: checked from a second connection, whose FOR UPDATE NOWAIT succeeds on every
row the first transaction only read and fails on the one it locked."""
from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from addin.handlers.big_table import plan_views
from engine.big_table import KIND
from engine.document_types import document_type
from engine.forms import read_forms
from engine.operating_analysis import KIND as ANALYSIS, analyses_of
from engine.review import awaiting
from tests.analysis_helpers import MONTH, actor
from tests.integration.lock_waits import second_user

pytestmark = pytest.mark.servers


def _lockable(db, table: str, row_id: int) -> bool:
    """Whether another connection can lock the row now (FOR UPDATE NOWAIT), without waiting."""
    with db.engine.connect() as other:
        try:
            other.execute(text(f"SELECT id FROM {table} WHERE id = :id FOR UPDATE NOWAIT"), {"id": row_id})
        except DBAPIError as exc:
            assert "lock" in str(exc).lower(), exc  # "could not obtain lock" / "Lock wait timeout exceeded"
            return False
        finally:
            other.rollback()
    return True


def _ids(db):
    with db.engine.connect() as connection:
        users = dict(connection.execute(text("SELECT code, id FROM users")).all())
        docs = dict(connection.execute(text("SELECT kind, id FROM documents WHERE owner_id = :cm"),
                                       {"cm": users["cm001"]}).all())
    return users, docs


def test_reading_documents_to_look_at_them_locks_nothing(planned):
    users, docs = _ids(planned)
    assert set(docs) == {KIND, ANALYSIS}
    with planned.uow() as uow:  # what the export view, the review, a print and the list read, transaction left open
        [(view, doc)] = plan_views(uow, ["cm001"], MONTH, editable=False)
        assert doc.id == docs[KIND] and view.cells
        assert awaiting(uow, actor(planned, "mm01"), MONTH) == []
        assert read_forms(uow, actor(planned, "cm001"), document_type("workplan"), None, MONTH, create=False) == []
        assert analyses_of(uow, ["cm001"], MONTH)["cm001"].document.id == docs[ANALYSIS]
        assert uow.documents.get(KIND, "cm001", MONTH) == doc
        for table, row in (("documents", docs[KIND]), ("documents", docs[ANALYSIS]), ("users", users["cm001"])):
            assert _lockable(planned, table, row), f"a read left {table} row {row} locked"


def test_a_change_locks_the_documents_row_only(planned):
    users, docs = _ids(planned)
    with planned.uow() as uow:
        locked = uow.documents.lock_many(KIND, ["cm001", "cm002"], MONTH)  # cm002 has no table: nothing to lock
        assert list(locked) == ["cm001"] and locked["cm001"].id == docs[KIND]
        assert not _lockable(planned, "documents", docs[KIND])
        assert _lockable(planned, "users", users["cm001"]), "locking a document locked its owner's users row"
        assert _lockable(planned, "documents", docs[ANALYSIS]), "locking one document locked another"
    assert _lockable(planned, "documents", docs[KIND]), "the lock outlived its unit of work"


def test_mariadb_reads_what_was_committed_as_postgresql_does(db):
    query = {"postgresql": "SHOW transaction_isolation", "mariadb": "SELECT @@tx_isolation"}[db.name]
    with db.engine.connect() as connection:
        assert connection.scalar(text(query)).replace("-", " ").lower() == "read committed"


def test_a_second_change_waits_for_the_first_and_then_reads_what_it_committed(planned):
    """Two users on one document: the second waits for the first one's row lock, then finds the version the first
    committed (READ COMMITTED on both servers) and is refused as stale — never a move from what it read before."""
    from engine.documents import transition_document
    from engine.errors import Refused

    with planned.uow() as first:
        [doc] = first.documents.lock_many(KIND, ["cm001"], MONTH).values()
        assert doc.version == 1
        waiter, outcome = second_user(planned, lambda: transition_document(
            planned.uow(), actor=actor(planned, "cm001"), kind=KIND, owner_code="cm001", period=MONTH,
            transition="submit_plan", expected_version=1))
        first.documents.touch(doc)  # the first user's change: version 2
        first.commit()
    waiter.join(60)
    [refusal] = outcome
    assert isinstance(refusal, Refused) and "（您的版本 1，当前版本 2）" in refusal.message
    with planned.uow() as uow:
        assert uow.documents.get(KIND, "cm001", MONTH).state == "draft"
