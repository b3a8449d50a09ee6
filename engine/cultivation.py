"""§14 月度片区品牌培育执行表: per CM, month and campaign, a line per store of the campaign and SKU with the checks to
make there (上柜、陈列…), the visit date and a remark. What the declaration (engine/kinds/cultivation.py), the visit
plan of a campaign and the execution rates share: which of a CM's stores a campaign covers, its lines, and when a line
is done."""
from __future__ import annotations

from dataclasses import dataclass

from engine.campaigns import CHECK_LABELS, CHECKS, Campaign, campaign_of, split_period
from engine.errors import Refused
from engine.fields import Values
from engine.ports import UnitOfWork

TABLE = "checks"
YES = "是"


@dataclass(frozen=True)
class CampaignStore:
    """A CM's active store in a campaign."""

    id: int
    code: str
    name: str


def campaign_stores(uow: UnitOfWork, cm_code: str, campaign: Campaign) -> list[CampaignStore]:
    """The CM's active stores the campaign covers (by unit or by store code), in code order."""
    owner = uow.users.owner(cm_code)
    path = owner.unit_path if owner else ()
    return [CampaignStore(s.id, s.code, s.name) for s in sorted(uow.analyses.scope([cm_code]), key=lambda s: s.code)
            if s.status == "active" and campaign.covers_store(s.code, path)]


def running(uow: UnitOfWork, cm_code: str, period: str) -> tuple[str, Campaign, list[CampaignStore]]:
    """The month, the campaign and the CM's stores in it; Refused, saying why, when the campaign does not run that
    month or covers none of the CM's stores."""
    month, code = split_period(period)
    campaign = campaign_of(uow, code)
    if not campaign.runs_in(month):
        raise Refused(f"促销战役 {campaign.code}（{campaign.name}）在 {campaign.period_label} 进行，{month} 不在其中。"
                      f"请换月份，或用 cmw campaigns list --month {month} 查看本月的战役。")
    stores = campaign_stores(uow, cm_code, campaign)
    if not stores:
        raise Refused(f"促销战役 {campaign.code}（{campaign.name}）不覆盖 {cm_code} 的任何有效客户"
                      f"（覆盖范围：{'、'.join(campaign.covers)}），没有要填写的执行表。")
    return month, campaign, stores


def asked(checks: tuple[str, ...]) -> str:
    """The checks of a SKU as a line shows them."""
    return "、".join(CHECK_LABELS[c] for c in checks)


def lines_of(campaign: Campaign, stores: list[CampaignStore]) -> dict[int, dict[str, object]]:
    """The execution sheet's lines: one per store and SKU, numbered in store-code then the campaign's SKU order."""
    lines: dict[int, dict[str, object]] = {}
    for store in stores:
        for sku in campaign.skus:
            lines[len(lines) + 1] = {"store": f"{store.code} {store.name}", "sku": f"{sku.sku} {sku.name}",
                                     "asked": asked(sku.checks)}
    return lines


def line_done(line: dict) -> bool | None:
    """Whether a line's every check asked is 是 (None: nothing checked on it yet)."""
    wanted = [code for code, label in CHECKS if label in str(line.get("asked") or "").split("、")]
    answered = [line.get(code) for code in wanted if line.get(code)]
    if not answered:
        return None
    return len(answered) == len(wanted) and all(a == YES for a in answered)


@dataclass(frozen=True)
class Execution:
    """How far a sheet is: lines, lines done (every check asked 是), lines checked at all, stores visited."""

    lines: int
    done: int
    checked: int
    visited: int

    @property
    def rate(self) -> float:
        return self.done / self.lines if self.lines else 0.0


def execution(values: Values) -> Execution:
    """How far the execution sheet's values are."""
    lines = values.lines.get(TABLE, {})
    states = [line_done(line) for line in lines.values()]
    visited = {str(line.get("store")) for line in lines.values() if line.get("visited")}
    return Execution(len(lines), sum(1 for s in states if s), sum(1 for s in states if s is not None), len(visited))


def unvisited_checks(values: Values) -> tuple[str, list[int]] | None:
    """A line with a check filled needs its visit date (the rule of 提交)."""
    missing = [n for n, line in values.lines.get(TABLE, {}).items()
               if not line.get("visited") and any(line.get(code) for code, _ in CHECKS)]
    if missing:
        return f"有 {len(missing)} 行已填写检查结果但没有拜访日期，请补上拜访日期", missing
    return None


def campaigns_covering(uow: UnitOfWork, cm_code: str, month: str) -> list[str]:
    """The codes of the month's campaigns covering some of the CM's active stores (the ribbon's default campaign)."""
    with uow:
        return [c.code for c in uow.campaigns.all() if c.runs_in(month) and campaign_stores(uow, cm_code, c)]


def pictures(uow: UnitOfWork, cm_code: str, period: str) -> list[tuple[str, list[tuple[str, bytes]]]]:
    """The photos of the campaign's stores, each store's thumbnails under its code and name (the print's 照片)."""
    _, code = split_period(period)
    stores = {s.id: s for s in uow.analyses.scope([cm_code])}
    listed = uow.photos.listing(code, list(stores))
    thumbs = uow.photos.thumbnails(sorted({row["sha256"] for row in listed}))
    grouped: dict[str, list[tuple[str, bytes]]] = {}
    for row in listed:
        grouped.setdefault(f"{row['code']} {row['name']}", []).append((row["filename"], thumbs[row["sha256"]]))
    return list(grouped.items())
