"""§10 片区统计 as a report: 概况, 潜力分布 and the drill-down pages, the same for the workbook and the HTML."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from engine.capability import CapabilityRubric
from engine.district import (
    SCORE_BANDS, average_kind, capability_totals, capability_values, potential, score_distribution, value_kind,
)
from engine.effect import EffectRubric
from engine.periods import previous_month
from engine.report import Chart, Field, Measure, Page, Table
from engine.stores import StoreStatus
from engine.strategies import ACTIONS, triggered_actions

NEW_STORE = "new_store"
NEW_STORE_LABEL = "新增客户"
KIND_LABELS = {"effect": "经营效果", "capability": "经营能力"}
STORE_FIELDS = (Field("客户编码"), Field("客户名称"), Field("档位", "count"), Field("综合分类"), Field("状态"))


@dataclass(frozen=True)
class DistrictData:
    """One CM's analysed month as stored: its stores, effect values and points, capability scores, strategies."""

    cm_label: str
    month: str
    stores: pd.DataFrame        # engine.district.store_frame of the analysed stores
    effect: pd.DataFrame        # per store id: each effect indicator's value, and total
    points: pd.DataFrame        # per store id: each effect indicator's points
    capability: pd.DataFrame    # long: store_id, indicator, item, score
    strategies: pd.DataFrame | None  # store_id, kind, indicator, value, average; None until generated
    effect_rubric: EffectRubric
    capability_rubric: CapabilityRubric

    def capability_values(self) -> pd.DataFrame:
        """Scores of the stores scored on every capability indicator."""
        return capability_values(self.capability, [i.code for i in self.capability_rubric.indicators])


def _store_cells(stores: pd.DataFrame) -> dict:
    """Each store's leading cells by store id, built once per page (row-wise .loc costs ~1 ms a call)."""
    return {sid: (code, name, None if pd.isna(tier) else int(tier), category, StoreStatus(status).label)
            for sid, code, name, tier, category, status in zip(
                stores.index, stores["code"], stores["name"], stores["tier"], stores["category"], stores["status"])}


def _overview(data: DistrictData) -> Page:
    totals = data.effect["total"].astype(float)
    scored = capability_totals(data.capability_values())
    top = sum(i.maximum for i in data.capability_rubric.indicators)
    unscored = len(data.stores) - len(scored)
    facts = (
        ("客户经理", data.cm_label),
        ("分析月份", data.month),
        ("数据月份", f"{previous_month(data.month)}（上月订单）"),
        ("分析范围客户数", Measure(len(data.stores), "count")),
        ("已完成经营能力评分的客户数", Measure(len(scored), "count")),
        ("经营能力评分", "未评分" if scored.empty else "已完成" if not unscored else f"未完成（{unscored} 户未评分）"),
        ("策略", "未生成" if data.strategies is None else "已生成"),
        ("平均经营效果得分（满分 100）", Measure(totals.mean() if len(totals) else None, "points")),
        (f"平均经营能力得分（满分 {top:g}）", "未评分" if scored.empty else Measure(scored.mean(), "points")),
    )
    bands = score_distribution(totals)
    distribution = Table(
        "经营效果得分分布", (Field("分数段"), Field("客户数", "count"), Field("占比", "share")),
        tuple(bands.itertuples(index=False, name=None)), Chart("column", 1, "经营效果得分分布（客户数）"),
        note=f"分数段含下限、不含上限；{SCORE_BANDS[-1][1]}含 100 分。")
    return Page("概况", (Table("基本情况", (Field("项目"), Field("内容")), facts), distribution))


def _indicator_rows(kind: str, labels: dict[str, str], kinds: dict[str, str], stats: pd.DataFrame,
                    groups: list[str]) -> list[tuple]:
    rows = []
    for code, label in labels.items():
        line = stats.loc[code]
        average = ("未评分" if kind == "capability" and not line["stores"]
                   else Measure(line["average"], average_kind(kinds[code])))
        rows.append((label, KIND_LABELS[kind], average, int(line["stores"]), int(line["below"]), line["share"],
                     *(line.get(group) for group in groups)))
    return rows


def _potential_page(data: DistrictData) -> Page:
    groups = data.stores[["tier_band", "format"]]
    effect_codes = {i.code: i.label for i in data.effect_rubric.indicators}
    capability_codes = {i.code: i.label for i in data.capability_rubric.indicators}
    effect = potential(data.effect[list(effect_codes)], groups)
    capability = potential(data.capability_values(), groups)
    present = [(label, int((groups[column] == label).sum())) for column in groups.columns
               for label in groups[column].cat.categories if (groups[column] == label).any()]
    labels = [label for label, _ in present]
    rows = (_indicator_rows("effect", effect_codes, {c: value_kind(c) for c in effect_codes}, effect, labels)
            + _indicator_rows("capability", capability_codes, dict.fromkeys(capability_codes, "score"),
                              capability, labels))
    fields = (Field("指标"), Field("类别"), Field("片区平均", "number"), Field("参评客户数", "count"),
              Field("低于平均客户数", "count"), Field("潜在需求占比", "share"),
              *(Field(f"{label}\n（{size}户）", "share") for label, size in present))
    return Page("潜力分布", (Table(
        "各指标潜在需求占比", fields, tuple(rows), Chart("bar", 5, "各指标潜在需求占比"),
        note="潜在需求占比 = 低于片区平均的客户数 ÷ 参评客户数；分档位、分业态的占比以该组的参评客户数为分母。"
             "经营能力只统计已评分的客户。"),), frozen_columns=1)


def _effect_page(data: DistrictData) -> Page:
    indicators = data.effect_rubric.indicators
    fields = (*STORE_FIELDS, *(f for i in indicators for f in (Field(i.label, value_kind(i.code)),
                                                                Field(f"{i.label}\n得分", "points"))),
              Field("经营效果得分", "points"))
    stores, effect, points = _store_cells(data.stores), data.effect.to_dict("index"), data.points.to_dict("index")
    rows = tuple((*stores[sid], *(v for i in indicators for v in (effect[sid][i.code], points[sid][i.code])),
                  effect[sid]["total"]) for sid in data.stores.index)
    return Page("经营效果明细", (Table("各客户经营效果", fields, rows),), frozen_columns=2)


def _new_store_text(stage: str | None) -> str | None:
    """否, or 是 with the stage (the score row keeps 否 or the stage as its item)."""
    return stage if stage in (None, "否") else f"是（{stage}）"


def _capability_page(data: DistrictData) -> Page:
    indicators = data.capability_rubric.indicators
    by_store: dict = {}
    for sid, indicator, item, score in data.capability[["store_id", "indicator", "item", "score"]].itertuples(index=False):
        by_store.setdefault(sid, {})[indicator] = (item, score)
    stores = _store_cells(data.stores)
    totals = capability_totals(data.capability_values())
    fields = (*STORE_FIELDS,
              *(f for i in indicators for f in (Field(f"{i.label}\n明细项目"), Field(f"{i.label}\n得分", "score"))),
              Field(NEW_STORE_LABEL), Field("经营能力得分", "score"))
    rows = []
    for sid in data.stores.index:
        scores = by_store.get(sid)
        if scores is None or sid not in totals.index:
            rows.append((*stores[sid], *([None] * 2 * len(indicators)), None, "未评分"))
            continue
        cells = [v for i in indicators for v in (scores[i.code][0], float(scores[i.code][1]))]
        stage = scores[NEW_STORE][0] if NEW_STORE in scores else None
        rows.append((*stores[sid], *cells, _new_store_text(stage), float(totals[sid])))
    return Page("经营能力明细", (Table("各客户经营能力", fields, tuple(rows)),), frozen_columns=2)


@lru_cache(maxsize=None)
def _advice(indicator: str) -> str:
    """The marketing actions a weak indicator triggers, by name."""
    names = {action.code: action.name for action in ACTIONS}
    return "、".join(names[code] for code in triggered_actions([indicator]))


def _weak_row(data: DistrictData, labels: dict[str, str], stores: dict, line) -> tuple:
    advice = _advice(line.indicator)
    store = stores[line.store_id][:2]
    if line.indicator == NEW_STORE:
        stage = data.capability[(data.capability["store_id"] == line.store_id)
                                & (data.capability["indicator"] == NEW_STORE)]["item"]
        return (*store, KIND_LABELS[line.kind], NEW_STORE_LABEL, "、".join(stage) or "是", None, None, advice)
    kind = value_kind(line.indicator) if line.kind == "effect" else "score"
    value, average = float(line.value), float(line.average)
    return (*store, KIND_LABELS[line.kind], labels.get(line.indicator, line.indicator), Measure(value, kind),
            Measure(average, average_kind(kind)), Measure(value - average, average_kind(kind)), advice)


def _weak_page(data: DistrictData, strategies: pd.DataFrame) -> Page:
    order = [i.code for i in data.effect_rubric.indicators] + [i.code for i in data.capability_rubric.indicators]
    labels = {i.code: i.label for i in data.effect_rubric.indicators} | {i.code: i.label for i in data.capability_rubric.indicators}
    weak = strategies.assign(code=strategies["store_id"].map(data.stores["code"]),
                                  rank=strategies["indicator"].map({c: n for n, c in enumerate(order)}))
    weak = weak.sort_values(["code", "rank"], na_position="last", kind="stable")
    fields = (*STORE_FIELDS[:2], Field("类别"), Field("指标"), Field("本店值", "number"), Field("片区平均", "number"),
              Field("与平均之差", "number"), Field("建议营销动作"))
    stores = _store_cells(data.stores)
    rows = tuple(_weak_row(data, labels, stores, line) for line in weak.itertuples(index=False))
    return Page("待提升指标", (Table("各客户低于片区平均的指标", fields, rows,
                                    note="本店值低于片区平均的指标即待提升指标；建议营销动作将生成到工作法大表。"),),
                frozen_columns=2)


def district_pages(data: DistrictData) -> tuple[Page, ...]:
    """The report's pages; 待提升指标 only once the strategies are generated."""
    pages = [_overview(data), _potential_page(data), _effect_page(data), _capability_page(data)]
    if data.strategies is not None:
        pages.append(_weak_page(data, data.strategies))
    return tuple(pages)
