"""§17 客户月度经营状态反馈表: one page per store for its owner — the last six months' orders (volume, amount, 单条值,
SKU count, order count), the last month against the district's averages (all its stores, and those of the store's
tier), the price-class structure (一类…五类, from the per-brand monthly totals a CM may read; order lines are the
administrator's), what §10 found to improve and what the §3 plan holds for the store this month, in plain words.

Nothing internal reaches the page: no other store's name, no score of the CM. Everything is read for all the pages
at once (a few set-based reads, whatever the number of stores): six months' totals of the CM's stores, the tier
averages of the company, the price classes of the last month, the month's analysis and big table.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from engine.actors import Actor
from engine.capability import capability_rubric_from_dict
from engine.effect import effect_rubric_from_dict
from engine.errors import Refused
from engine.marks import Mark
from engine.operating_analysis import analyses_of
from engine.periods import month_days, previous_month
from engine.products import PRICE_CLASS_LABELS
from engine.scope import target_cms
from engine.strategies import ACTIONS

TITLE = "客户月度经营状态反馈表"
MONTHS = 6
#: The figures of a month, as the page names them, with how they read.
FIGURES = (("volume", "订购量（条）", "count"), ("amount", "金额（元）", "money"), ("value", "单条值（元/条）", "money"),
           ("sku_count", "品规数", "count"), ("order_count", "订货次数", "count"))
#: The price classes of the structure, as the page names them (0: SKUs without a class, shown only when ordered).
CLASSES = {**PRICE_CLASS_LABELS, 0: "其他"}
#: At most so many lines of what to improve and of the plan, so that a store keeps to one page (the rest counted).
LIST_LINES = 6


@dataclass(frozen=True)
class MonthFigures:
    """A store's orders in one month (zeros when it did not order)."""

    month: str
    volume: float
    amount: float
    sku_count: float
    order_count: float

    @property
    def value(self) -> float:
        """单条值: amount per 条."""
        return self.amount / self.volume if self.volume else 0.0

    def get(self, key: str) -> float:
        return self.value if key == "value" else getattr(self, key)


@dataclass(frozen=True)
class StoreFeedback:
    """One store's page."""

    code: str
    name: str
    owner: str
    address: str
    tier: int | None
    months: tuple[MonthFigures, ...]  # oldest first; the last is the month before the feedback month
    district: MonthFigures  # the averages of the CM's stores that ordered in the last month
    tier_average: MonthFigures | None  # the averages of the district's stores of the same tier that ordered
    classes: tuple[tuple[str, float, float], ...]  # (一类…五类, 条, share of the store's volume), last month
    key_share: float  # the key brands' share of the store's volume, last month
    effect: float | None  # the store's effect score of the month (§10), of 100
    improve: tuple[str, ...]  # what §10 found below the district, in plain words
    plan: tuple[str, ...]  # the §3 actions planned for the store this month

    @property
    def last(self) -> MonthFigures:
        return self.months[-1]


def _months_before(month: str) -> list[str]:
    months = [previous_month(month)]
    while len(months) < MONTHS:
        months.insert(0, previous_month(months[0]))
    return months


def _figures(month: str, totals, store_id: int) -> MonthFigures:
    if store_id not in totals.index:
        return MonthFigures(month, 0.0, 0.0, 0.0, 0.0)
    row = totals.loc[store_id]
    return MonthFigures(month, float(row["volume"]), float(row["amount"]), float(row["sku_count"]),
                        float(row["order_count"]))


def _average(month: str, totals) -> MonthFigures:
    if "volume" not in totals.columns:  # a month nobody ordered in reads back without columns
        return MonthFigures(month, 0.0, 0.0, 0.0, 0.0)
    ordered = totals[totals["volume"] > 0]
    if ordered.empty:
        return MonthFigures(month, 0.0, 0.0, 0.0, 0.0)
    return MonthFigures(month, float(ordered["volume"].mean()), float(ordered["amount"].mean()),
                        float(ordered["sku_count"].mean()), float(ordered["order_count"].mean()))


def visit_order(uow, cm: str, stores: list, start: date) -> list:
    """The stores in the order the CM visits them from start to the month's end (the visit plan), then the others by
    code."""
    days = month_days(f"{start:%Y-%m}")
    first: dict[str, int] = {}
    for n, visit in enumerate(uow.visits.due(cm, start, days[-1])):
        first.setdefault(visit.code, n)
    return sorted(stores, key=lambda s: (first.get(s.code, len(first)), s.code))


def _short(lines: list[str], what: str) -> tuple[str, ...]:
    """At most LIST_LINES lines; the rest named together on the last."""
    if len(lines) <= LIST_LINES:
        return tuple(lines)
    rest = lines[LIST_LINES - 1:]
    return (*lines[:LIST_LINES - 1], f"另有{what} {len(rest)} 项：" + "、".join(line.split("：")[0] for line in rest))


def _classes(frame) -> dict[int, dict[int, float]]:
    """Per store, 条 per price class of one month (store_brand_months added up over the brands)."""
    if frame.empty:
        return {}
    per = frame.groupby(["store", "price_class"])["volume"].sum()
    found: dict[int, dict[int, float]] = {}
    for (store, klass), volume in per.items():
        found.setdefault(int(store), {})[int(klass)] = float(volume)
    return found


def _structure(volumes: dict[int, float]) -> tuple[tuple[str, float, float], ...]:
    """(label, 条, share) of 一类…五类, and of SKUs without a class when the store ordered any."""
    total = sum(volumes.values())
    return tuple((label, volumes.get(k, 0.0), volumes.get(k, 0.0) / total if total else 0.0)
                 for k, label in CLASSES.items() if k or volumes.get(k))


def _improve(strategies, store_id: int, labels: dict[str, str]) -> tuple[str, ...]:
    if strategies is None or strategies.empty:
        return ()
    mine = strategies[strategies["store_id"] == store_id]
    return _short([f"{labels.get(line.indicator, line.indicator)}：低于片区平均，可以提升" if line.indicator != "new_store"
                   else "新开业：我们会重点帮扶" for line in mine.itertuples()], "可提升")


def feedback(uow, actor: Actor, cm_code: str, month: str, *, store: str | None = None,
             start: date | None = None) -> tuple[str, list[StoreFeedback]]:
    """The pages of a CM's stores (or one store) for the month, in visit order from start (default the month's
    first day); with the CM's name. Reads only."""
    with uow:
        [cm] = target_cms(uow, actor, [cm_code], "feedback")
        everyone = uow.analyses.scope([cm])
        scope = [s for s in everyone if s.status == "active" or s.code == store]
        if store is not None:
            scope = [s for s in scope if s.code == store]
            if not scope:
                raise Refused(f"客户 {store} 不是 {cm} 名下的有效客户，不能打印它的{TITLE}。"
                              f"请用 cmw stores export --as {cm} 查看客户编码。")
        if not scope:
            raise Refused(f"{cm} 名下没有有效客户，没有可打印的{TITLE}。")
        months = _months_before(month)
        totals = {m: uow.analyses.totals([cm], m) for m in months}
        classes = _classes(uow.brand_months.totals([cm], [months[-1]]))
        if all(frame.empty for frame in totals.values()):
            raise Refused(f"{months[0]} 至 {months[-1]} 没有 {cm} 名下客户的订单，{TITLE}没有数据可印。请管理员先导入订单。")
        last = months[-1]
        details = uow.stores.by_codes([s.code for s in scope])
        analysis = analyses_of(uow, [cm], month).get(cm)
        effect = uow.analyses.effect(analysis.id) if analysis else None
        strategies = uow.analyses.strategies(analysis.id) if analysis and analysis.document.state == "strategies" \
            else None
        labels = {}
        if analysis:
            labels = {i.code: i.label for i in effect_rubric_from_dict(
                uow.rubrics.get("effect", analysis.effect_rubric_version)).indicators}
            labels |= {i.code: i.label for i in capability_rubric_from_dict(
                uow.rubrics.get("capability", analysis.capability_rubric_version)).indicators}
        table = uow.documents.get("bigtable", cm, month)
        planned: dict[str, list[tuple[str, str]]] = {}
        for (code, action), cell in sorted((uow.big_tables.cells(table.id) if table else {}).items()):
            planned.setdefault(code, []).append((action, cell.mark))
        ordered = visit_order(uow, cm, scope, start or month_days(month)[0])
        name = (uow.users.names([cm]) or {}).get(cm, cm)
    district = _average(last, totals[last])
    tier_of = {s.id: s.tier for s in everyone}
    frame = totals[last]
    tiers = {tier: _average(last, frame[[tier_of.get(i) == tier for i in frame.index]])
             for tier in {s.tier for s in scope if s.tier is not None}}  # of the district's stores that ordered
    names = {a.code: a.name for a in ACTIONS}
    pages = []
    for s in ordered:
        detail = details.get(s.code)
        tier = tiers.get(s.tier) if s.tier is not None else None
        tier = tier if tier is not None and tier.volume > 0 else None
        ordered_last = s.id in totals[last].index
        volume, key = ((float(totals[last].at[s.id, c]) for c in ("volume", "key")) if ordered_last else (0.0, 0.0))
        pages.append(StoreFeedback(
            s.code, s.name, detail.owner if detail else "", detail.address if detail else "", s.tier,
            tuple(_figures(m, totals[m], s.id) for m in months), district,
            tier,
            _structure(classes.get(s.id, {})),
            key / volume if volume else 0.0,
            float(effect.loc[s.id, "total"]) if effect is not None and s.id in effect.index else None,
            _improve(strategies, s.id, labels),
            _short([f"{names.get(action, action)}{'（已完成）' if mark in (Mark.DONE.value, Mark.TEMPORARY_DONE.value) else ''}"
                    for action, mark in planned.get(s.code, [])], "服务")))
    return name, pages
