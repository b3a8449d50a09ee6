"""§18 on the in-memory unit of work: the state its market manager fills in (Step.by) — their scores are theirs to
enter, bounded by each line's weight; a CM or another department's manager is refused with nothing changed; 考评
moves the contract and keeps its whole content beside the move."""
from __future__ import annotations

from engine.document_types import SUBMIT, document_type
from engine.forms import Submitted, take_back
from tests.fakes import company, person, refused

PERIOD = "2026-11"
CONTRACT = document_type("contract")
#: a self-evaluated contract as its CM left it: one line, weight 60, and a second, weight 40
KEPT = {("focus", 0): "重点", ("self_text", 0): "完成", ("kpis.indicator", 1): "销量", ("kpis.weight", 1): "60",
        ("kpis.target", 1): "5000", ("kpis.self_score", 1): "50", ("kpis.indicator", 2): "计划完成率",
        ("kpis.weight", 2): "40", ("kpis.target", 2): "90", ("kpis.self_score", 2): "30"}


def _scoring(uow, exporter: str = "mm01") -> tuple[int, int, int]:
    """cm001's contract awaiting its scores, and an export of it; (document, export, submission) ids."""
    with uow:
        [doc] = uow.documents.create_many("contract", ["cm001"], PERIOD, "self_evaluated").values()
        uow.tables.values[doc.id] = dict(KEPT)
        export_id = uow.exports.add(module="contract", owner_code="cm001", actor_code=exporter, template_version=1,
                                    snapshot={"version": doc.version, "state": doc.state,
                                              "values": {f"{k}#{n}": v for (k, n), v in KEPT.items()}})
        submission_id = uow.submissions.archive(actor_code=exporter, filename="考评.xlsx", content=b"x", sha256="0")
        uow.commit()
    uow.commits = 0
    return doc.id, export_id, submission_id


def _score(uow, ids, who: str, values: dict):
    _, export_id, submission_id = ids
    submitted = Submitted(dict(values), {key: ("KPI 指标", f"I{4 + key[1]}") if key[1] else ("绩效合约书", "B12")
                                         for key in values})
    return take_back(uow, person(who), CONTRACT, owner_code="cm001", period=PERIOD, export_id=export_id,
                     submitted=submitted, operation=SUBMIT, submission_id=submission_id)


SCORES = {("kpis.mm_score", 1): 55, ("kpis.mm_score", 2): 32.5, ("mm_comment", 0): "销量完成较好"}


def test_the_market_manager_scores_and_the_move_keeps_the_whole_contract():
    uow = company()
    ids = _scoring(uow)
    outcome = _score(uow, ids, "mm01", SCORES)
    assert outcome.message == "已保存 3 处修改。" and uow.commits == 1
    doc = uow.tables.documents[ids[0]]
    assert doc.state == "evaluated"
    [move] = [d for d in uow.decisions.history(doc.id) if d.transition == "evaluate"]
    assert move.actor_code == "mm01" and move.snapshot[("kpis.mm_score", 2)] == "32.5"
    assert move.snapshot[("kpis.target", 1)] == "5000"  # the whole contract, not only what changed


def test_a_score_above_its_lines_weight_is_refused_with_its_cell():
    uow = company()
    ids = _scoring(uow)
    refusal = refused(uow, lambda: _score(uow, ids, "mm01", {**SCORES, ("kpis.mm_score", 2): 40.5}))
    assert [(f.cell, f.message) for f in refusal.findings] == [("I6", "“考评得分”不能大于“权重”（40）。")]


def test_the_cm_cannot_enter_the_market_managers_scores():
    uow = company()
    ids = _scoring(uow, exporter="cm001")
    refusal = refused(uow, lambda: _score(uow, ids, "cm001", SCORES))
    assert {f.cell for f in refusal.findings} == {"I5", "I6", "B12"}
    assert all("只能由市场经理考评时填写，客户经理不能填写" in f.message for f in refusal.findings)


def test_another_departments_market_manager_is_refused():
    uow = company()
    ids = _scoring(uow)
    refusal = refused(uow, lambda: _score(uow, ids, "mm02", SCORES))
    assert refusal.message == ("市场经理 王强（mm02）无权填写 cm001 的绩效合约书：只能由客户经理本人或管辖其单位的市场经理、"
                               "管理员填写。")
