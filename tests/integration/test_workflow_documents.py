"""The workflow core against each database: a transition and its audit row commit together, a refusal writes nothing."""
import pytest
from sqlalchemy import func, select

from engine.documents import transition_document
from engine.errors import Refused
from storage.schema import AuditEntry, DocumentRow
from tests.factories import make_company


@pytest.fixture
def company(db):
    make_company(db.sessions)
    return db


def actor(db, code):
    with db.uow() as uow:
        return uow.users.actor(code)


def audit_rows(db):
    with db.sessions() as session:
        return session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()


def move(db, who, transition, **kw):
    return transition_document(db.uow(), actor=actor(db, who), kind="bigtable", owner_code="cm001",
                               period="2026-11", transition=transition, **kw)


def test_transitions_write_state_version_and_audit_together(company):
    submitted = move(company, "cm001", "submit_plan")
    assert (submitted.state, submitted.version) == ("submitted", 2)
    rejected = move(company, "mm01", "reject_plan")
    assert rejected.state == "rejected"
    rows = audit_rows(company)
    assert [(r.actor_code, r.action, r.old_value, r.new_value) for r in rows] == [
        ("cm001", "submit_plan", "draft", "submitted"), ("mm01", "reject_plan", "submitted", "rejected")]
    assert rows[0].entity == "bigtable" and rows[0].entity_key == "cm001/2026-11"


def test_refused_transitions_change_nothing(company):
    move(company, "cm001", "submit_plan")
    with pytest.raises(Refused, match="只能由管辖其单位的市场经理、管理员操作"):
        move(company, "mm02", "approve_plan")
    with pytest.raises(Refused, match="待审核"):
        move(company, "cm001", "submit_plan")
    with pytest.raises(Refused, match="版本"):
        move(company, "mm01", "approve_plan", expected_version=1)
    with company.sessions() as session:
        doc = session.scalars(select(DocumentRow)).one()
        assert (doc.state, doc.version) == ("submitted", 2)
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == 1
