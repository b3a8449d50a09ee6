"""§10 月度经营状态分析 use cases: compute effect (once), generate strategies, list.

Capability scoring (the workbook a CM fills in) is in engine/capability_scoring.py.
"""
from __future__ import annotations

from typing import Callable

import pandas as pd

from engine.actors import Actor
from engine.capability import (DEFAULT_CAPABILITY_RUBRIC, CapabilityRubric, capability_rubric_from_dict,
                               capability_rubric_to_dict)
from engine.documents import move_documents, open_documents
from engine.effect import (
    DEFAULT_EFFECT_RUBRIC, EffectRubric, effect_rubric_from_dict, effect_rubric_to_dict, score_effect, store_indicators,
)
from engine.errors import Finding, Refused
from engine.periods import previous_month
from engine.policy import move_act
from engine.ports import Analysis, ScopeStore, UnitOfWork
from engine.records import Outcome
from engine.scope import each_cm, target_cms
from engine.strategies import weak_indicators
from engine.workflows import OPERATING_ANALYSIS

KIND = OPERATING_ANALYSIS.kind
#: A progress bar: (steps done, steps in all, what was just done).
Progress = Callable[[int, int, str], None]


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
    move_documents(uow, actor=actor, docs=docs, transition="compute_effect")
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


#: Fewer stores ordering (in the whole company: orders are imported for all at once) than this share of the month
#: before: the data month's orders look incomplete.
FEWER_ORDERING = 0.5


def check_orders(data_month: str, ordering: int, before: int, *, force: bool) -> None:
    """Refuse to score a month from no orders, or from far fewer ordering stores than the month before (both figures
    said), unless forced: one early run would otherwise spoil the month for a whole department."""
    if force:
        return
    earlier = previous_month(data_month)
    if ordering == 0:
        raise Refused(f"{data_month} 没有任何订单（全公司没有一户客户订货；{earlier} 有 {before} 户），"
                      f"不能据此计算经营效果。请先导入 {data_month} 的订单（cmw import orders 文件 --as admin）；"
                      "确实没有订单时，可加 --force 强制计算。")
    if before and ordering < before * FEWER_ORDERING:
        raise Refused(f"{data_month} 有订货的客户只有 {ordering} 户，远少于上月（{earlier}）的 {before} 户，"
                      f"订单可能还没有导入完整，没有计算。请先核对并导入 {data_month} 的订单；确认无误后加 --force 强制计算。")


def compute_effect(uow: UnitOfWork, actor: Actor, *, month: str, cm_codes: list[str] | None = None,
                   progress: Progress | None = None, force: bool = False) -> Outcome:
    """计算经营效果 from the previous month's orders, once per CM and month, in one unit of work; refused when the
    month's orders look missing (check_orders) unless forced."""
    data_month = previous_month(month)
    with uow:
        cms = target_cms(uow, actor, cm_codes, move_act(KIND, "compute_effect"))
        rubric, capability = current_rubrics(uow, actor)
        stores: dict[str, list[ScopeStore]] = {}
        for store in uow.analyses.scope(cms):
            stores.setdefault(store.cm_code, []).append(store)
        docs = open_documents(uow, KIND, cms, month)

        def ready(cm: str) -> tuple:
            if docs[cm].state != OPERATING_ANALYSIS.initial:
                again = (f"如需重算，市场经理或管理员可在尚未评分时运行：cmw analysis reopen --month {month} --cm {cm} "
                         "--reason 原因" if docs[cm].state == "computed" else "")
                raise Refused(f"{month} 的经营效果已于此前计算，不能重复计算（状态：{OPERATING_ANALYSIS.states[docs[cm].state]}）。"
                              + again)
            if not stores.get(cm):
                raise Refused("名下没有有效户或暂停户，无需计算。")
            return docs[cm], stores[cm]

        todo, skipped = each_cm(cms, ready, "所选客户经理的经营效果都不能计算")
        step = progress or (lambda *_: None)
        totals = uow.analyses.totals(cms, data_month), uow.analyses.volumes(cms, previous_month(data_month))
        check_orders(data_month, uow.analyses.ordering_stores(data_month),
                     uow.analyses.ordering_stores(previous_month(data_month)), force=force)
        step(1, 3, "已读取订单")
        scored = _score_all(todo, *totals, rubric)
        step(2, 3, "已算出得分")
        _save_scores(uow, todo, _record_analyses(uow, actor, todo, scored, rubric, capability["version"]), scored, rubric)
        step(3, 3, "已保存")
        uow.commit()
    done = [f"{doc.owner_code}：{len(mine)} 户" for doc, mine in todo]
    return Outcome(f"已按 {data_month} 的订单计算 {month} 经营效果：{len(done)} 位客户经理。", (*done, *skipped), len(done))


def analysis_of(uow: UnitOfWork, cm_code: str, month: str, *, lock: bool = False) -> Analysis:
    """The computed analysis of a CM's month (lock: its document's row locked, for a use case that changes it or
    depends on its state); Refused when the effect has not been computed yet."""
    doc = (uow.documents.lock if lock else uow.documents.get)(KIND, cm_code, month)
    analysis = uow.analyses.get(doc.id) if doc else None
    if analysis is None:
        raise Refused(f"{cm_code} 的 {month} 经营效果尚未计算。请先运行：cmw analysis effect --month {month}")
    return analysis


def analyses_of(uow: UnitOfWork, cm_codes: list[str], month: str, *, lock: bool = False) -> dict[str, Analysis]:
    """The computed analyses of these CMs' month, by CM (those not computed yet are absent; lock: see analysis_of)."""
    docs = (uow.documents.lock_many if lock else uow.documents.get_many)(KIND, cm_codes, month)
    analyses = uow.analyses.of_documents([d.id for d in docs.values()])
    return {doc.owner_code: analyses[doc.id] for doc in docs.values() if doc.id in analyses}


def capability_rubric(uow: UnitOfWork, version: int) -> CapabilityRubric:
    """The capability rubric of a version an analysis was computed with (versions are kept forever)."""
    body = uow.rubrics.get("capability", version)
    if body is None:
        raise LookupError(f"capability rubric version {version} is missing")
    return capability_rubric_from_dict(body)


def _needed_indicators(uow: UnitOfWork, analyses: list[Analysis]) -> dict[int, set[str]]:
    """Per analysis id, the capability indicators (and the new-store question) its rubric version asks for."""
    rubrics: dict[int, set[str]] = {}
    for version in {a.capability_rubric_version for a in analyses}:
        rubric = capability_rubric(uow, version)
        rubrics[version] = {i.code for i in rubric.indicators} | {"new_store"}
    return {a.id: rubrics[a.capability_rubric_version] for a in analyses}


def _complete_stores(scores: pd.DataFrame, needed: dict[int, set[str]]) -> set[tuple[int, int]]:
    """(analysis id, store id) of the stores scored on every indicator their analysis needs."""
    if scores.empty or not needed:  # (empty frames have no column types to merge on)
        return set()
    wanted = pd.DataFrame([(a, i) for a, codes in needed.items() for i in codes], columns=["analysis_id", "indicator"])
    hits = (scores[["analysis_id", "store_id", "indicator"]].drop_duplicates().merge(wanted)
            .groupby(["analysis_id", "store_id"]).size())
    sizes = wanted.groupby("analysis_id").size().reindex(hits.index.get_level_values(0)).to_numpy()
    return set(hits.index[hits.to_numpy() == sizes])


def unscored(uow: UnitOfWork, analysis: Analysis, cm_code: str) -> list[ScopeStore]:
    """Stores in scope that lack a complete capability score."""
    complete = _complete_stores(uow.analyses.capability_of([analysis.id]), _needed_indicators(uow, [analysis]))
    return [s for s in uow.analyses.scope([cm_code]) if (analysis.id, s.id) not in complete]


def _strategy_rows(uow: UnitOfWork, analyses: list[Analysis], capability: pd.DataFrame) -> pd.DataFrame:
    """Every analysis' indicators to improve (each district's own averages) and its new stores, in one frame."""
    effect = uow.analyses.effect_of([a.id for a in analyses])
    scored = capability[capability["indicator"] != "new_store"]
    wide = scored.pivot(index=["analysis_id", "store_id"], columns="indicator", values="score").astype(float)
    new_stores = capability[(capability["indicator"] == "new_store") & (capability["item"] != "否")]
    return pd.concat([
        weak_indicators(effect.drop(columns=["total", "analysis_id"]), "effect", effect["analysis_id"]),
        weak_indicators(wide.droplevel("analysis_id"), "capability", wide.index.get_level_values("analysis_id")),
        pd.DataFrame({"store": new_stores["store_id"], "kind": "capability", "indicator": "new_store",
                      "value": 1.0, "average": 0.0, "district": new_stores["analysis_id"]}),
    ], ignore_index=True).rename(columns={"district": "analysis_id"})


#: CMs whose strategies are worked out at a time, in the one unit of work: a province's 1,500 CMs at once held ~2.4M
#: capability scores and 300,000 stores (2.2 GiB at month open); a city's department or two at a time is enough.
STRATEGY_BATCH = 150


def generate_strategies(uow: UnitOfWork, actor: Actor, *, month: str, cm_codes: list[str] | None = None) -> Outcome:
    """生成策略 for the actor (CM) or the CMs named or in scope (MM), in one unit of work: per store, the effect and
    capability indicators below the district average. A CM with any unscored store is refused (skipped in a batch).
    The CMs are worked out STRATEGY_BATCH at a time (their scores and stores read, their strategies written), all in
    the one transaction: a refusal still changes nothing."""
    with uow:
        cms = target_cms(uow, actor, cm_codes, move_act(KIND, "generate_strategies"))
        found = analyses_of(uow, cms, month, lock=True)
        needed = _needed_indicators(uow, list(found.values()))
        verdicts: dict[str, Analysis | Refused] = {}
        counts: list[pd.DataFrame] = []
        for start in range(0, len(cms), STRATEGY_BATCH):
            batch = cms[start:start + STRATEGY_BATCH]
            capability = uow.analyses.capability_of([found[cm].id for cm in batch if cm in found])
            complete = _complete_stores(capability, needed)
            scope: dict[str, list[ScopeStore]] = {}
            for store in uow.analyses.scope(batch):
                scope.setdefault(store.cm_code, []).append(store)
            ready = []
            for cm in batch:
                try:
                    ready.append(_ready_for_strategies(found.get(cm), scope.get(cm, []), complete, month))
                    verdicts[cm] = ready[-1]
                except Refused as refusal:
                    verdicts[cm] = refusal
            if ready:
                rows = _strategy_rows(uow, ready, capability[capability["analysis_id"].isin([a.id for a in ready])])
                uow.analyses.save_strategies(rows)
                counts.append(rows.groupby("analysis_id").agg(stores=("store", "nunique"), items=("store", "size")))

        def verdict(cm: str) -> Analysis:
            answer = verdicts[cm]
            if isinstance(answer, Refused):
                raise answer
            return answer

        todo, skipped = each_cm(cms, verdict, "所选客户经理都不能生成策略")
        computed = [a.document for a in todo if a.document.state == "computed"]
        scored = {d.id: d for d in move_documents(uow, actor=actor, docs=computed, transition="finish_scoring")}
        move_documents(uow, actor=actor, docs=[scored.get(a.document.id, a.document) for a in todo],
                       transition="generate_strategies")
        uow.commit()
    per = pd.concat(counts) if counts else pd.DataFrame(columns=["stores", "items"])
    done = tuple(f"{a.document.owner_code}：{per.at[a.id, 'stores'] if a.id in per.index else 0} 户客户，"
                 f"{per.at[a.id, 'items'] if a.id in per.index else 0} 项" for a in todo)
    who = todo[0].document.owner_code if len(todo) == 1 else f"{len(todo)} 位客户经理"
    stores, items = int(per["stores"].sum()), int(per["items"].sum())  # a store is one CM's: batches add up
    return Outcome(f"策略生成成功：{who} 的 {month}，{stores} 户客户共 {items} 项待提升指标。",
                   (*(done if len(todo) > 1 else ()), *skipped), items)


def _ready_for_strategies(analysis: Analysis | None, stores: list[ScopeStore], complete: set[tuple[int, int]],
                          month: str) -> Analysis:
    """The CM's analysis when strategies may be generated from it; Refused saying why not."""
    if analysis is None:
        raise Refused(f"{month} 的经营效果尚未计算。请先运行：cmw analysis effect --month {month}")
    if analysis.document.state == "strategies":
        raise Refused(f"{month} 的策略已生成，不能重复生成。")
    missing = [s for s in stores if (analysis.id, s.id) not in complete]
    if missing:
        raise Refused(f"还有 {len(missing)} 户客户没有完成经营能力评分，不能生成策略。请先为以下客户评分：",
                      [Finding("UNSCORED", f"{s.code} {s.name}") for s in missing])
    return analysis
