"""§10 月度经营状态分析 use cases: compute effect (once), generate strategies, list.

Capability scoring (the workbook a CM fills in) is in engine/capability_scoring.py.
"""
from __future__ import annotations

from typing import Callable

import pandas as pd

from engine.actors import Actor, Role
from engine.capability import DEFAULT_CAPABILITY_RUBRIC, capability_rubric_from_dict, capability_rubric_to_dict
from engine.documents import move_document, move_documents, open_documents
from engine.effect import (
    DEFAULT_EFFECT_RUBRIC, EffectRubric, effect_rubric_from_dict, effect_rubric_to_dict, score_effect, store_indicators,
)
from engine.errors import Finding, Refused
from engine.ports import Analysis, ScopeStore, UnitOfWork
from engine.records import Outcome
from engine.strategies import weak_indicators
from engine.visits import previous_month
from engine.workflows import OPERATING_ANALYSIS

KIND = OPERATING_ANALYSIS.kind
#: A progress bar: (steps done, steps in all, what was just done).
Progress = Callable[[int, int, str], None]


def target_cms(uow: UnitOfWork, actor: Actor, cm_codes: list[str] | None) -> list[str]:
    """Whose analysis an actor works on: a CM their own; an MM or admin the CMs named, or all in scope."""
    if actor.role is Role.CM:
        if cm_codes and cm_codes != [actor.code]:
            raise Refused(f"{actor.label}只能处理本人的经营状态分析。")
        return [actor.code]
    if actor.role not in (Role.MM, Role.ADMIN):
        raise Refused(f"{actor.label}不能进行经营状态分析，请由客户经理或市场经理操作。")
    in_scope = uow.users.cms_in(actor.unit_path)
    if not cm_codes:
        return in_scope
    outside = [c for c in cm_codes if c not in in_scope]
    if outside:
        raise Refused(f"{'、'.join(outside)} 不是{actor.label}管辖的客户经理。")
    return cm_codes


def current_rubrics(uow: UnitOfWork, actor: Actor) -> tuple[EffectRubric, dict]:
    """The latest effect and capability rubrics; the defaults are stored as version 1 on first use."""
    bodies = {}
    for kind, default in (("effect", effect_rubric_to_dict(DEFAULT_EFFECT_RUBRIC)),
                          ("capability", capability_rubric_to_dict(DEFAULT_CAPABILITY_RUBRIC))):
        body = uow.rubrics.get(kind)
        if body is None:
            uow.rubrics.add(kind, default, actor.code)
            body = default
        bodies[kind] = body
    return effect_rubric_from_dict(bodies["effect"]), bodies["capability"]


def _record_analyses(uow, actor, todo: list[tuple], scored: dict, rubric: EffectRubric,
                     capability_version: int) -> list[int]:
    """Each CM's analysis recorded with its district averages, and the documents moved to 计算经营效果 (no commit)."""
    codes = [i.code for i in rubric.indicators]
    docs = [doc for doc, _ in todo]
    averages = [{c: round(float(a), 4) for c, a in zip(codes, scored["averages"][doc.owner_code])} for doc in docs]
    analysis_ids = uow.analyses.create_many([doc.id for doc in docs], rubric.version, capability_version, averages,
                                            actor.code)
    move_documents(uow, actor=actor, docs=docs, action="compute_effect")
    return analysis_ids


def _save_scores(uow, todo: list[tuple], analysis_ids: list[int], scored: dict, rubric: EffectRubric) -> None:
    """Every store's score and details, all CMs in one bulk write."""
    codes = [i.code for i in rubric.indicators]
    rows = [(analysis_id, s.id) for (_, mine), analysis_id in zip(todo, analysis_ids) for s in mine]
    values, points = scored["values"], scored["points"]
    details = [dict(zip(codes, zip(values[sid], points[sid]))) for _, sid in rows]
    uow.analyses.save_effect([a for a, _ in rows], [sid for _, sid in rows], [scored["totals"][sid] for _, sid in rows],
                             details)


def _score_all(todo: list[tuple], totals, previous, rubric: EffectRubric) -> dict:
    """Every district at once (a pass per CM cost ~50 ms of pandas overhead, 150 CMs ~7 s); plain lists out."""
    districts = pd.Series({s.id: doc.owner_code for doc, mine in todo for s in mine}, dtype=object)
    ids = list(districts.index)
    indicators = store_indicators(totals, ids, previous)
    points, averages = score_effect(indicators, rubric, districts)
    codes = [i.code for i in rubric.indicators]
    # Plain lists, not .at lookups: pandas' scalar access costs ~100 µs a call, 30,000 stores × 16 calls.
    return {"values": dict(zip(ids, indicators[codes].round(4).to_numpy().tolist())),
            "points": dict(zip(ids, points[codes].to_numpy().tolist())),
            "totals": dict(zip(ids, points["total"].tolist())),
            "averages": {cm: row for cm, row in zip(averages.index, averages[codes].to_numpy().tolist())}}


def compute_effect(uow: UnitOfWork, actor: Actor, *, month: str, cm_codes: list[str] | None = None,
                   progress: Progress | None = None) -> Outcome:
    """计算经营效果 from the previous month's orders, once per CM and month, in one unit of work."""
    data_month = previous_month(month)
    with uow:
        cms = target_cms(uow, actor, cm_codes)
        rubric, capability = current_rubrics(uow, actor)
        stores: dict[str, list[ScopeStore]] = {}
        for store in uow.analyses.scope(cms):
            stores.setdefault(store.cm_code, []).append(store)
        docs = open_documents(uow, KIND, cms, month)
        todo, skipped = [], []
        for cm in cms:
            doc, mine = docs[cm], stores.get(cm, [])
            if doc.state != OPERATING_ANALYSIS.initial:
                skipped.append(f"{cm}：{month} 的经营效果已于此前计算，不能重复计算（状态：{OPERATING_ANALYSIS.states[doc.state]}）。")
            elif not mine:
                skipped.append(f"{cm}：名下没有有效户或暂停户，无需计算。")
            else:
                todo.append((doc, mine))
        if not todo:
            raise Refused(skipped[0] if len(skipped) == 1 else "所选客户经理的经营效果都不能计算，未作任何更改：",
                          [Finding("SKIPPED", line) for line in skipped] if len(skipped) > 1 else ())
        step = progress or (lambda *_: None)
        totals = uow.analyses.totals(cms, data_month), uow.analyses.volumes(cms, previous_month(data_month))
        step(1, 3, "已读取订单")
        scored = _score_all(todo, *totals, rubric)
        step(2, 3, "已算出得分")
        _save_scores(uow, todo, _record_analyses(uow, actor, todo, scored, rubric, capability["version"]), scored, rubric)
        step(3, 3, "已保存")
        uow.commit()
    done = [f"{doc.owner_code}：{len(mine)} 户" for doc, mine in todo]
    return Outcome(f"已按 {data_month} 的订单计算 {month} 经营效果：{len(done)} 位客户经理。", (*done, *skipped), len(done))


def analysis_of(uow: UnitOfWork, cm_code: str, month: str) -> Analysis:
    """The computed analysis of a CM's month; Refused when the effect has not been computed yet."""
    doc = uow.documents.get(KIND, cm_code, month)
    analysis = uow.analyses.get(doc.id) if doc else None
    if analysis is None:
        raise Refused(f"{cm_code} 的 {month} 经营效果尚未计算。请先运行：cmw analysis effect --month {month}")
    return analysis


def _effect_values(uow: UnitOfWork, analysis: Analysis) -> pd.DataFrame:
    return uow.analyses.effect(analysis.id).drop(columns=["total"])


def _capability_values(uow: UnitOfWork, analysis: Analysis) -> pd.DataFrame:
    scores = uow.analyses.capability(analysis.id)
    scored = scores[scores["indicator"] != "new_store"]
    return scored.pivot(index="store_id", columns="indicator", values="score").astype(float)


def unscored(uow: UnitOfWork, analysis: Analysis, cm_code: str) -> list[ScopeStore]:
    """Stores in scope that lack a complete capability score."""
    rubric = capability_rubric_from_dict(uow.rubrics.get("capability", analysis.capability_rubric_version))
    needed = {i.code for i in rubric.indicators} | {"new_store"}
    scores = uow.analyses.capability(analysis.id)
    complete = {sid for sid, group in scores.groupby("store_id") if needed <= set(group["indicator"])}
    return [s for s in uow.analyses.scope([cm_code]) if s.id not in complete]


def generate_strategies(uow: UnitOfWork, actor: Actor, *, cm_code: str, month: str) -> Outcome:
    """生成策略: per store, the effect and capability indicators below the district average; refused while any store is unscored."""
    with uow:
        [cm_code] = target_cms(uow, actor, [cm_code])
        analysis = analysis_of(uow, cm_code, month)
        if analysis.document.state == "strategies":
            raise Refused(f"{cm_code} 的 {month} 策略已生成，不能重复生成。")
        missing = unscored(uow, analysis, cm_code)
        if missing:
            raise Refused(f"还有 {len(missing)} 户客户没有完成经营能力评分，不能生成策略。请先为以下客户评分：",
                          [Finding("UNSCORED", f"{s.code} {s.name}") for s in missing])
        capability = uow.analyses.capability(analysis.id)
        new_stores = capability[(capability["indicator"] == "new_store") & (capability["item"] != "否")]
        rows = pd.concat([
            weak_indicators(_effect_values(uow, analysis), "effect"),
            weak_indicators(_capability_values(uow, analysis), "capability"),
            pd.DataFrame({"store": new_stores["store_id"], "kind": "capability", "indicator": "new_store",
                          "value": 1.0, "average": 0.0}),
        ], ignore_index=True)
        uow.analyses.save_strategies(analysis.id, rows)
        if analysis.document.state == "computed":
            move_document(uow, actor=actor, doc=analysis.document, action="finish_scoring")
            analysis = analysis_of(uow, cm_code, month)
        move_document(uow, actor=actor, doc=analysis.document, action="generate_strategies")
        uow.commit()
    stores = rows["store"].nunique()
    return Outcome(f"策略生成成功：{cm_code} 的 {month}，{stores} 户客户共 {len(rows)} 项待提升指标。", changed=len(rows))
