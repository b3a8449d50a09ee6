"""A document is made on its first use (an export, a take-back, a move): two users using the same missing document
at once make it once, and neither sees the unique key's IntegrityError — the second one's insert keeps the row the
first one committed and goes on with it. Checked with two real connections."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from engine.documents import open_documents, transition_document
from tests.analysis_helpers import MONTH, actor
from tests.factories import make_company
from tests.integration.lock_waits import second_user

KIND = "workplan"


def _documents(db) -> list[tuple[int, str]]:
    with db.engine.connect() as connection:
        return connection.execute(text("SELECT d.id, d.state FROM documents d JOIN users u ON u.id = d.owner_id "
                                        "WHERE d.kind = :kind AND u.code = 'cm001'"), {"kind": KIND}).all()


def test_an_insert_after_another_user_made_the_document_keeps_theirs(db):
    """The second user read before the first one committed (no document yet) and inserts after it did."""
    make_company(db.sessions)
    with db.uow() as second:
        assert second.documents.get_many(KIND, ["cm001"], MONTH) == {}  # what the second user's use case read
        with db.uow() as first:
            made = open_documents(first, KIND, ["cm001"], MONTH)["cm001"]
            first.commit()
        kept = second.documents.create_many(KIND, ["cm001", "cm002"], MONTH, "draft")
        assert kept["cm001"] == made and kept["cm002"].id != made.id
        second.commit()
    assert _documents(db) == [(made.id, "draft")]


@pytest.mark.servers
def test_two_users_making_one_document_at_once_make_it_once(db):
    """The first user's transaction has made the document and not committed; the second user's move of the same
    document does not see it, inserts, waits for the first one's row, and — once it committed — fires its move on
    that document instead of failing on the unique key."""
    make_company(db.sessions)
    with db.uow() as first:
        made = open_documents(first, KIND, ["cm001"], MONTH)["cm001"]
        waiter, outcome = second_user(db, lambda: transition_document(
            db.uow(), actor=actor(db, "cm001"), kind=KIND, owner_code="cm001", period=MONTH, transition="confirm"))
        first.commit()
    waiter.join(60)
    [moved] = outcome
    assert not isinstance(moved, Exception), f"the second user saw {moved!r}"
    assert (moved.id, moved.state, moved.version) == (made.id, "confirmed", 2)
    assert _documents(db) == [(made.id, "confirmed")]
