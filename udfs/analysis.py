"""§10 worksheet functions: effect score, a detail item's allowed range, a store's weak indicators."""
from __future__ import annotations

import xlwings as xw

from engine.errors import Refused
from udfs.answers import answer, code_text, kept, month_text, unit_of_work


def _store_analysis(uow, store_code: str, month: str):
    """The CM's analysis of the store's month (one store read, not the district: a warm call ≤ 5 ms)."""
    from engine.operating_analysis import analysis_of

    store = uow.stores.by_codes([store_code]).get(store_code)
    if store is None:
        raise Refused(f"客户编码 {store_code} 不存在")
    if store.cm_code is None or store.status.value not in ("active", "suspended"):
        raise Refused(f"客户 {store_code} 不在 {month} 的分析范围内（注销户不分析）")
    return analysis_of(uow, store.cm_code, month)


def effect_score(store: object, month: object) -> float:
    """The store's effect total for the month."""
    with unit_of_work() as uow:
        analysis = _store_analysis(uow, code_text(store), month_text(month))
        total = uow.analyses.effect_total(analysis.id, code_text(store))
    if total is None:
        raise Refused(f"客户 {code_text(store)} 没有 {month_text(month)} 的经营效果得分（计算经营效果之后新增的客户）")
    return total


def score_range(indicator: object, item: object) -> str:
    """The allowed score range of a capability detail item in the latest rubric, e.g. 8-10."""
    from engine.capability import DEFAULT_CAPABILITY_RUBRIC, capability_rubric_from_dict

    with unit_of_work() as uow:
        body = uow.rubrics.get("capability")
    rubric = capability_rubric_from_dict(body) if body else DEFAULT_CAPABILITY_RUBRIC
    wanted = code_text(indicator)
    found = next((i for i in rubric.indicators if wanted in (i.code, i.label)), None)
    if found is None:
        raise Refused(f"经营能力指标“{wanted}”不存在")
    level = found.item(code_text(item))
    if level is None:
        raise Refused(f"“{found.label}”没有明细项目“{code_text(item)}”，可选：{'、'.join(i.label for i in found.items)}")
    return level.range_text


def weak_indicators(store: object, month: object) -> str:
    """The store's indicators to improve (Chinese names, 、-separated), once strategies are generated."""
    with unit_of_work() as uow:
        analysis = _store_analysis(uow, code_text(store), month_text(month))
        if analysis.document.state != "strategies":
            raise Refused("本月策略尚未生成")
        versions = (analysis.effect_rubric_version, analysis.capability_rubric_version)
        labels = kept(("indicator labels", *versions), lambda: _indicator_labels(uow, *versions))
        mine = uow.analyses.store_indicators(analysis.id, code_text(store))
    return "、".join(labels.get(code, code) for code in mine) or "无"


def _indicator_labels(uow, effect_version: int, capability_version: int) -> dict[str, str]:
    """The Chinese names of the indicators of the rubric versions an analysis was computed with."""
    from engine.capability import capability_rubric_from_dict
    from engine.effect import DEFAULT_EFFECT_RUBRIC, effect_rubric_from_dict

    effect_body = uow.rubrics.get("effect", effect_version)
    capability_body = uow.rubrics.get("capability", capability_version)
    labels = {i.code: i.label for i in (effect_rubric_from_dict(effect_body) if effect_body else DEFAULT_EFFECT_RUBRIC).indicators}
    labels.update({i.code: i.label for i in capability_rubric_from_dict(capability_body).indicators})
    labels["new_store"] = "新店扶持"
    return labels


@xw.func
@xw.arg("store", doc="客户编码")
@xw.arg("month", doc="分析月份，如 2026-11")
def CMW_EFFECT_SCORE(store, month):
    """某客户某月的经营效果得分（按上月订单计算）。"""
    return answer(lambda: effect_score(store, month))


@xw.func
@xw.arg("indicator", doc="经营能力指标，如 店面形象")
@xw.arg("item", doc="明细项目，如 好")
def CMW_SCORE_RANGE(indicator, item):
    """经营能力明细项目允许的分数段，如 8-10。"""
    return answer(lambda: score_range(indicator, item))


@xw.func
@xw.arg("store", doc="客户编码")
@xw.arg("month", doc="分析月份，如 2026-11")
def CMW_WEAK_INDICATORS(store, month):
    """某客户某月低于片区平均、待提升的指标。"""
    return answer(lambda: weak_indicators(store, month))
