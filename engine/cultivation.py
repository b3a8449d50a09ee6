"""§14 月度片区品牌培育执行表: per CM, month and campaign, a line per store of the campaign and SKU with the checks to
make there (上柜、陈列…), the visit date and a remark. What the declaration (engine/kinds/cultivation.py), the visit
plan of a campaign and the execution rates share: which of a CM's stores a campaign covers, its lines, and when a line
is done."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from engine.actors import Actor
from engine.campaigns import CHECK_LABELS, CHECKS, Campaign, campaign_of, campaign_period, split_period
from engine.errors import Refused
from engine.fields import Values
from engine.ports import StoreFilter, UnitOfWork
from engine.report import Field, Page, Table
from engine.stores import WEEKDAYS
from engine.workflow import Owner

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


def asked_checks(line: dict) -> tuple[str, ...]:
    """The codes of the checks a line asks for (its 检查项目)."""
    return tuple(code for code, label in CHECKS if label in str(line.get("asked") or "").split("、"))


def line_done(line: dict) -> bool | None:
    """Whether a line's every check asked is 是 (None: nothing checked on it yet)."""
    wanted = asked_checks(line)
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
    lines = values.lines.get(TABLE, {})
    missing = [n for n, line in lines.items() if not line.get("visited") and any(line.get(code) for code, _ in CHECKS)]
    if missing:
        stores = len({lines[n].get("store") for n in missing})
        return f"有 {stores} 户客户已填写检查结果但没有拜访日期，请补上拜访日期", missing
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


_VISIT_FIELDS = (Field("序号", "count", 4), Field("客户编码", width=11.5), Field("客户名称", width=15),
                 Field("经营地址", width=14), Field("联系电话", width=10.5), Field("规格", width=15),
                 Field("要检查的项目", width=15), Field("本月已查", width=9), Field("检查结果（手写）", "write", 24))


def _checked(kept: dict[tuple[str, int], str], line: int, asked_text: str) -> str:
    done = line_done({"asked": asked_text, **{code: kept.get((f"{TABLE}.{code}", line), "") for code, _ in CHECKS}})
    return "—" if done is None else ("已到位" if done else "未到位")


def campaign_visits(uow: UnitOfWork, actor: Actor, cm_code: str, campaign_code: str, day: date):
    """生成拜访计划 (§14): the campaign's stores of the CM due that day by their visit cycle, each SKU with the checks to
    make and what this month's execution sheet already says. (campaign, owner, company, pages)."""
    from engine.policy import require
    from engine.visits import visit_dates

    with uow:
        owner = uow.users.actor(cm_code)
        if owner is None:
            raise Refused(f"用户 {cm_code} 不存在。运行 cmw users list 查看客户经理编码。")
        require(actor, "visits.view", Owner(cm_code, owner.unit_path))
        month = f"{day:%Y-%m}"
        _, campaign, stores = running(uow, cm_code, campaign_period(month, campaign_code))
        cycles = {s.code: s for s in uow.stores.of_cm(cm_code, StoreFilter())}
        due = [s for s in stores if s.code in cycles and
               day in visit_dates(s.code, cycles[s.code].visit_cycle, cycles[s.code].visit_weekday, month)]
        doc = uow.documents.get("cultivation", cm_code, campaign_period(month, campaign.code))
        kept = uow.values.of_many([doc.id])[doc.id] if doc else {}
        company = uow.users.company_of(actor)
    numbers = {(line["store"], line["sku"]): n for n, line in lines_of(campaign, stores).items()}
    rows: list[tuple] = []
    for store in due:
        shop = cycles[store.code]
        for sku in campaign.skus:
            n = numbers[(f"{store.code} {store.name}", f"{sku.sku} {sku.name}")]
            rows.append((len(rows) + 1, store.code, store.name, shop.address, shop.phone, sku.name, asked(sku.checks),
                         _checked(kept, n, asked(sku.checks)), ""))
    title = f"{day:%Y-%m-%d} {WEEKDAYS[day.weekday()]}：{len(due)} 户、{len(rows)} 项检查（{campaign.code} {campaign.name}）"
    table = Table(title, _VISIT_FIELDS, tuple(rows),
                  note="" if rows else "这一天没有按拜访频次到期的战役客户。")
    return campaign, owner, company, (Page("战役拜访计划", (table,), frozen_columns=3),)


_RATE_FIELDS = (Field("促销战役", width=16), Field("营销部", width=12), Field("客户经理", width=14), Field("参与客户", "count", 8),
                Field("检查项（户×规格）", "count", 10), Field("已检查", "count", 8), Field("执行到位", "count", 8),
                Field("执行率", "share", 8), Field("执行表状态", width=10))


def _kept_lines(kept: dict[tuple[str, int], str]) -> dict[int, dict[str, object]]:
    lines: dict[int, dict[str, object]] = {}
    for (key, line), text in kept.items():
        if key.startswith(f"{TABLE}."):
            lines.setdefault(line, {})[key.partition(".")[2]] = text
    return lines


def execution_rates(uow: UnitOfWork, actor: Actor, month: str, campaign_code: str | None = None):
    """BM and MM lists (§14): the execution rate of each campaign of the month, per department and per CM of the
    actor's scope — items are the CM's campaign stores × SKUs, done when every check asked is 是. (company, scope
    label, pages). Reads set-based: the campaigns, the CMs (their names, unit paths, departments' names), their stores,
    documents and values, once each, however many CMs."""
    from engine.policy import require
    from engine.workflows import CULTIVATION

    with uow:
        require(actor, "cultivation.rates")
        campaigns = [c for c in uow.campaigns.all() if c.runs_in(month) and
                     (campaign_code is None or c.code == campaign_code.strip().upper())]
        if not campaigns:
            raise Refused(f"{month} 没有进行中的促销战役" + (f" {campaign_code}" if campaign_code else "") +
                          "。cmw campaigns list 列出全部战役。")
        cms = uow.users.cms_in(actor.unit_path)
        names = uow.users.names(cms)
        paths = uow.users.paths(cms)
        dept_names = uow.users.unit_names(sorted({path[-2] for path in paths.values() if len(path) >= 2}))
        stores: dict[str, list] = {}
        for store in uow.analyses.scope(cms):
            if store.status == "active":
                stores.setdefault(store.cm_code, []).append(store)
        docs = {(d.owner_code, d.period): d for d in uow.documents.in_month("cultivation", cms, month)}
        kept = uow.values.of_many([d.id for d in docs.values()])
        company = uow.users.company_of(actor)
    rows: list[tuple] = []
    for campaign in campaigns:
        totals: dict[str, list[int]] = {}
        for cm in cms:
            path = paths.get(cm, ())
            covered = [s for s in stores.get(cm, []) if campaign.covers_store(s.code, path)]
            if not covered:
                continue
            doc = docs.get((cm, campaign_period(month, campaign.code)))
            done = execution(Values({}, {TABLE: _kept_lines(kept.get(doc.id, {}))})) if doc else None
            items = len(covered) * len(campaign.skus)
            figures = [len(covered), items, done.checked if done else 0, done.done if done else 0]
            dept = path[-2] if len(path) >= 2 else ""
            rows.append((f"{campaign.code} {campaign.name}", dept_names.get(dept, dept), f"{names.get(cm, cm)}（{cm}）",
                         *figures, figures[3] / items if items else None,
                         CULTIVATION.states[doc.state] if doc else "未导出"))
            for key in (dept, ""):
                totals[key] = [a + b for a, b in zip(totals.get(key, [0, 0, 0, 0]), figures)]
        for dept, figures in sorted(totals.items(), key=lambda item: (item[0] == "", item[0])):
            label = "合计" if dept == "" else f"{dept_names.get(dept, dept)} 小计"
            rows.append((f"{campaign.code} {campaign.name}", label, "—", *figures,
                         figures[3] / figures[1] if figures[1] else None, ""))
    table = Table(f"{month} 促销战役执行率（{len(campaigns)} 个战役）", _RATE_FIELDS, tuple(rows),
                  note="执行到位：这一户这一规格要检查的项目全部为“是”；执行率 = 执行到位 ÷ 检查项。" if rows else
                  "这些促销战役不覆盖您管辖范围内任何客户经理的有效客户。")
    return company, (Page("战役执行率", (table,), frozen_columns=3),)


def attach_photos(uow: UnitOfWork, actor: Actor, period: str, files: list[tuple[str, bytes]], where: str):
    """The photos of the folder beside an execution sheet, each of the store its file name starts with, kept for the
    sheet's campaign when the sheet is handed in (engine.photos: all or none)."""
    from engine.photos import add_photos

    return add_photos(uow, actor, campaign_code=split_period(period)[1], files=[(None, n, b) for n, b in files],
                      where=where)
