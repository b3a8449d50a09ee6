"""§10 use cases on each database: effect once, capability rows, strategies only when all are scored."""
from __future__ import annotations

import json

import pandas as pd
import pytest
from sqlalchemy import func, select

from engine.capability_scoring import NEW_STORE, NEW_STORE_STAGE, item_field, score_field
from tests.analysis_helpers import totals_from_lines
from engine.errors import Refused
from engine.operating_analysis import compute_effect, generate_strategies
from storage.schema import AuditEntry, DocumentRow, EffectScoreRow, StrategyRow, Submission, User
from tests.analysis_helpers import MONTH, actor, filled, submit
from tests.factories import STORES_PER_CM, make_company, make_orders, store_code


@pytest.fixture
def company(db):
    make_company(db.sessions)
    make_orders(db.sessions, "2026-10")
    make_orders(db.sessions, "2026-09", scale=2)
    return db


def scalar(db, query):
    with db.sessions() as session:
        return session.scalar(query)


def test_effect_is_computed_once_from_last_months_orders(company):
    outcome = compute_effect(company.uow(), actor(company, "cm001"), month=MONTH)
    assert "2026-10" in outcome.message and "cm001：6 户" in outcome.details
    assert scalar(company, select(func.count()).select_from(EffectScoreRow)) == STORES_PER_CM
    assert scalar(company, select(DocumentRow.state)) == "computed"
    audits = scalar(company, select(func.count()).select_from(AuditEntry))
    with pytest.raises(Refused, match="不能重复计算"):
        compute_effect(company.uow(), actor(company, "cm001"), month=MONTH)
    assert scalar(company, select(func.count()).select_from(EffectScoreRow)) == STORES_PER_CM
    assert scalar(company, select(func.count()).select_from(AuditEntry)) == audits


def test_a_market_manager_computes_the_whole_department(company):
    compute_effect(company.uow(), actor(company, "cm001"), month=MONTH)
    seen = []
    outcome = compute_effect(company.uow(), actor(company, "mm01"), month=MONTH,
                             progress=lambda n, total, label: seen.append((n, total)))
    assert seen == [(1, 3), (2, 3), (3, 3)]  # read the orders, score, save (all CMs together)
    assert outcome.changed == 1 and any("cm001" in d and "不能重复计算" in d for d in outcome.details)
    with pytest.raises(Refused, match="管辖"):
        compute_effect(company.uow(), actor(company, "mm02"), month=MONTH, cm_codes=["cm001"])


def test_sql_totals_match_the_reference_aggregation(company):
    with company.uow() as uow:
        sql = uow.analyses.totals(["cm001", "cm002"], "2026-10")
        lines = pd.read_sql(
            "SELECT o.store_id AS store, o.id AS \"order\", l.product_id AS product, l.qty_ordered AS qty, "
            "l.amount AS amount, p.price_class AS price_class, p.is_key AS is_key FROM order_lines l "
            "JOIN orders o ON o.id = l.order_id JOIN products p ON p.id = l.product_id "
            "WHERE o.order_date BETWEEN '2026-10-01' AND '2026-10-31'", uow.session.connection())
    reference = totals_from_lines(lines.astype({"qty": float, "amount": float}))
    pd.testing.assert_frame_equal(sql.sort_index(), reference.astype(float).sort_index(), check_names=False)


def test_capability_saves_valid_rows_refuses_bad_ones_and_gates_strategies(company):
    compute_effect(company.uow(), actor(company, "cm001"), month=MONTH)
    codes = [store_code(1, i) for i in range(1, STORES_PER_CM + 1)]
    bad = filled(codes[1], 4, **{score_field("store_image"): "11", NEW_STORE: "是"})
    outcome = submit(company, [filled(codes[0], 3), bad])
    assert "已保存 1 户" in outcome.message and "1 行有问题" in outcome.message
    assert {line.split("】")[0] for line in outcome.details} == {"【经营能力评分!X4:store_image.score",
                                                                "【经营能力评分!X4:new_store_stage"}
    assert scalar(company, select(Submission.outcome)) == "partial"
    with pytest.raises(Refused) as refused:
        generate_strategies(company.uow(), actor(company, "cm001"), cm_codes=["cm001"], month=MONTH)
    assert len(refused.value.findings) == STORES_PER_CM - 1 and codes[1] in refused.value.findings[0].message
    again = submit(company, [filled(codes[0], 3)])
    assert again.changed == 0
    rows = [filled(code, n + 3, **({score_field("location"): "2", item_field("location"): "偏远"} if n == 2 else {}))
            for n, code in enumerate(codes)]
    rows[5] = filled(codes[5], 8, **{NEW_STORE: "是", NEW_STORE_STAGE: "开业1-3个月"})
    submit(company, rows)
    assert scalar(company, select(DocumentRow.state)) == "scored"
    outcome = generate_strategies(company.uow(), actor(company, "cm001"), cm_codes=["cm001"], month=MONTH)
    assert "策略生成成功" in outcome.message
    with company.sessions() as session:
        strategies = session.execute(select(StrategyRow.indicator, StrategyRow.value, StrategyRow.average)).all()
    assert ("location", 2, pytest.approx(5 * 5 / 6 + 2 / 6)) in [(i, float(v), float(a)) for i, v, a in strategies]
    assert any(i == "new_store" for i, _, _ in strategies)
    assert scalar(company, select(DocumentRow.state)) == "strategies"
    with pytest.raises(Refused, match="已锁定"):
        submit(company, [filled(codes[0], 3)])
    with pytest.raises(Refused, match="不能重复生成"):
        generate_strategies(company.uow(), actor(company, "cm001"), cm_codes=["cm001"], month=MONTH)


@pytest.mark.parametrize("batch", [150, 1], ids=["one batch", "a CM at a time"])
def test_a_market_manager_generates_the_strategies_of_the_department_each_district_on_its_own(company, batch,
                                                                                            monkeypatch):
    import engine.operating_analysis

    monkeypatch.setattr(engine.operating_analysis, "STRATEGY_BATCH", batch)  # a province works 150 CMs at a time
    mm = actor(company, "mm01")
    compute_effect(company.uow(), mm, month=MONTH)
    with pytest.raises(Refused, match="都不能生成策略") as refused:
        generate_strategies(company.uow(), mm, month=MONTH)
    assert [f.message for f in refused.value.findings if not f.message.startswith("　")] == [
        f"{cm}：还有 {STORES_PER_CM} 户客户没有完成经营能力评分，不能生成策略。请先为以下客户评分：" for cm in ("cm001", "cm002")]
    for cm in (1, 2):
        codes = [store_code(cm, i) for i in range(1, STORES_PER_CM + 1)]
        rows = [filled(code, n + 3, **{score_field("location"): str(n % 3 + 5)}) for n, code in enumerate(codes)]
        submit(company, rows[:-1] if cm == 2 else rows, user=f"cm00{cm}", owner=f"cm00{cm}")
    outcome = generate_strategies(company.uow(), mm, month=MONTH)
    assert outcome.message.startswith("策略生成成功：cm001 的 2026-11")
    assert outcome.details[0].startswith("cm002：还有 1 户客户没有完成经营能力评分") and store_code(2, 6) in outcome.details[1]
    submit(company, [filled(store_code(2, 6), 8, **{score_field("location"): "7"})], user="cm002", owner="cm002")
    assert "cm002" in generate_strategies(company.uow(), mm, month=MONTH).message  # cm001's are not made twice
    with company.sessions() as session:
        states = dict(session.execute(select(User.code, DocumentRow.state)
                                      .join(DocumentRow, User.id == DocumentRow.owner_id)).all())
        effect = session.execute(select(EffectScoreRow.analysis_id, EffectScoreRow.details)).all()
        strategies = session.execute(select(StrategyRow.analysis_id, StrategyRow.indicator, StrategyRow.average)
                                     .where(StrategyRow.kind == "effect")).all()
    assert states == {"cm001": "strategies", "cm002": "strategies"}
    frame = pd.DataFrame([{"analysis": a, **{k: v[0] for k, v in json.loads(d).items()}} for a, d in effect])
    averages = frame.groupby("analysis").mean()
    assert len({a for a, _, _ in strategies}) == 2
    for analysis, indicator, average in strategies:  # each district's own average, not the department's
        assert float(average) == pytest.approx(averages.at[analysis, indicator], abs=1e-4)
