"""§10 a month's effect is not computed from missing orders, and a "once" step can be reopened, with a reason, while
nothing depends on it yet (issue 11, item 1), on each database."""
from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select

from engine.analysis_reopen import reopen_analysis
from engine.errors import Refused
from engine.operating_analysis import compute_effect, generate_strategies
from engine.big_table import generate
from storage.schema import AnalysisRow, AuditEntry, DocumentDecisionRow, DocumentRow, EffectScoreRow, StoreMonthRow
from storage.schema import StrategyRow
from tests.analysis_helpers import MONTH, actor, filled, submit
from tests.factories import STORES_PER_CM, make_company, make_orders, store_code
from tests.plan_helpers import CODES, ready


@pytest.fixture
def company(db):
    make_company(db.sessions)
    make_orders(db.sessions, "2026-10")
    return db


def count(db, model, *where) -> int:
    with db.sessions() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where))


def test_a_month_without_orders_is_refused_unless_forced(company):
    """December is scored from November, whose orders are not imported yet: refused, nothing written."""
    with pytest.raises(Refused) as refused:
        compute_effect(company.uow(), actor(company, "mm01"), month="2026-12")
    assert "2026-11 没有任何订单" in refused.value.message and "2026-10 有 12 户" in refused.value.message
    assert "--force" in refused.value.message
    assert count(company, DocumentRow) == 0 and count(company, EffectScoreRow) == 0
    outcome = compute_effect(company.uow(), actor(company, "mm01"), month="2026-12", force=True)
    assert outcome.changed == 2


def test_far_fewer_stores_ordering_than_the_month_before_is_refused_with_both_figures(company):
    make_orders(company.sessions, "2026-11")
    with company.sessions.begin() as session:  # only two stores' November orders arrived so far
        kept = select(StoreMonthRow.store_id).where(StoreMonthRow.month == "2026-11").order_by(StoreMonthRow.store_id)
        first_two = [r for r in session.scalars(kept)][:2]
        session.execute(delete(StoreMonthRow).where(StoreMonthRow.month == "2026-11",
                                                    StoreMonthRow.store_id.not_in(first_two)))
    with pytest.raises(Refused) as refused:
        compute_effect(company.uow(), actor(company, "mm01"), month="2026-12")
    message = refused.value.message
    assert "只有 2 户" in message and "2026-10" in message and "12 户" in message and "--force" in message
    assert count(company, EffectScoreRow) == 0
    assert compute_effect(company.uow(), actor(company, "mm01"), month="2026-12", force=True).changed == 2


def test_the_market_manager_reopens_an_effect_nobody_has_scored_yet(company):
    compute_effect(company.uow(), actor(company, "cm001"), month=MONTH)
    with pytest.raises(Refused, match="市场经理"):
        reopen_analysis(company.uow(), actor(company, "cm001"), month=MONTH, cm_code="cm001", reason="误算")
    with pytest.raises(Refused, match="管辖|其所属营销部"):
        reopen_analysis(company.uow(), actor(company, "mm02"), month=MONTH, cm_code="cm001", reason="误算")
    with pytest.raises(Refused, match="须说明原因"):
        reopen_analysis(company.uow(), actor(company, "mm01"), month=MONTH, cm_code="cm001", reason="  ")
    outcome = reopen_analysis(company.uow(), actor(company, "mm01"), month=MONTH, cm_code="cm001",
                              reason="10月订单导入前误算")
    assert outcome.changed == STORES_PER_CM and "经营效果" in outcome.message
    assert count(company, EffectScoreRow) == 0 and count(company, AnalysisRow) == 0
    with company.sessions() as session:
        assert session.scalar(select(DocumentRow.state)) == "new"
        decision = session.scalars(select(DocumentDecisionRow).where(DocumentDecisionRow.transition == "reopen_effect")).one()
        audit = session.scalars(select(AuditEntry).where(AuditEntry.action == "reopen_effect")).one()
    assert (decision.actor_code, decision.reason) == ("mm01", "10月订单导入前误算")
    assert (audit.old_value, audit.new_value, audit.note) == ("computed", "new", "10月订单导入前误算")
    assert compute_effect(company.uow(), actor(company, "cm001"), month=MONTH).changed == 1


def test_an_effect_with_capability_scores_cannot_be_reopened(company):
    compute_effect(company.uow(), actor(company, "cm001"), month=MONTH)
    submit(company, [filled(store_code(1, 1), 3)])
    with pytest.raises(Refused, match="已为 1 户客户录入"):
        reopen_analysis(company.uow(), actor(company, "admin"), month=MONTH, cm_code="cm001", reason="误算")
    assert count(company, EffectScoreRow) == STORES_PER_CM


def test_strategies_reopen_until_a_big_table_is_generated(company):
    ready(company)
    outcome = reopen_analysis(company.uow(), actor(company, "mm01"), month=MONTH, cm_code="cm001", reason="评分有误")
    assert "策略" in outcome.message and count(company, StrategyRow) == 0
    with company.sessions() as session:
        assert session.scalar(select(DocumentRow.state).where(DocumentRow.kind == "analysis")) == "scored"
    submit(company, [filled(CODES[0], 3)])  # the scores can be corrected again
    generate_strategies(company.uow(), actor(company, "cm001"), cm_codes=["cm001"], month=MONTH)
    generate(company.uow(), actor(company, "cm001"), cm_codes=["cm001"], month=MONTH)
    with pytest.raises(Refused, match="大表已按策略生成"):
        reopen_analysis(company.uow(), actor(company, "mm01"), month=MONTH, cm_code="cm001", reason="评分有误")
    assert count(company, StrategyRow) > 0
