"""§3 the market manager's review: what awaits, the figures, decisions one by one, stale rows refused."""
import pytest
from sqlalchemy import select

from engine.errors import Refused
from engine.big_table import SUBMIT
from engine.review import APPROVE, REJECT, awaiting, decide
from storage.schema import AuditEntry
from tests.analysis_helpers import actor
from tests.plan_helpers import CODES, back, exported, state

MONTH = "2026-11"


def rows_for(db, who):
    with db.uow() as uow:
        return awaiting(uow, actor(db, who), MONTH)


def test_reject_with_reason_then_approve_the_resubmission(planned):
    export_id, cells = exported(planned)
    back(planned, export_id, cells, SUBMIT)
    [row] = rows_for(planned, "mm01")
    assert (row.cm_code, row.what, row.stores, row.counts["☆"], row.changes) == ("cm001", "计划", 6, len(cells), 0)
    assert rows_for(planned, "mm02") == []
    with pytest.raises(Refused, match="驳回理由"):
        decide(planned.uow, actor(planned, "mm01"), cm_code="cm001", month=MONTH, decision=REJECT, comment=" ",
               expected_state=row.state, expected_version=row.version)
    outcome = decide(planned.uow, actor(planned, "mm01"), cm_code="cm001", month=MONTH, decision=REJECT,
                     comment="陈列指导太少", expected_state=row.state, expected_version=row.version)
    assert "计划驳回" in outcome.message and state(planned) == "rejected"
    with planned.sessions() as session:
        assert session.scalar(select(AuditEntry.note).where(AuditEntry.action == "reject_plan")) == "陈列指导太少"
    export_id, cells = exported(planned)
    back(planned, export_id, {**cells, (CODES[4], "display"): "☆"}, SUBMIT)
    [row] = rows_for(planned, "mm01")
    assert row.changes == 1
    with pytest.raises(Refused, match="已在您打开之后被修改"):
        decide(planned.uow, actor(planned, "mm01"), cm_code="cm001", month=MONTH, decision=APPROVE, comment="",
               expected_state=row.state, expected_version=row.version - 1)
    decide(planned.uow, actor(planned, "mm01"), cm_code="cm001", month=MONTH, decision=APPROVE, comment="",
           expected_state=row.state, expected_version=row.version)
    assert state(planned) == "approved" and rows_for(planned, "mm01") == []


def test_only_market_managers_review(planned):
    with pytest.raises(Refused, match="市场经理"):
        rows_for(planned, "cm001")
