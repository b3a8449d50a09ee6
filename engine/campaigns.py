"""§14 promotion campaigns (促销战役), kept by the brand manager through a workbook like the key-brand list: a code,
a name, the months it runs, the units (营销部, 片区) or stores it covers, and its SKUs from the catalogue with the
checks (CHECKS) a CM makes for each at every store. Handed back, every campaign of the file is checked and saved in
one unit of work with an audit row per campaign changed, or — when any cell is wrong — none. A campaign left out of
the file is kept as it is (a deleted row never deletes a campaign: end it by its 结束月份)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from engine.actors import Actor
from engine.errors import Finding, Refused
from engine.exports import own_export
from engine.ports import UnitOfWork
from engine.records import Outcome, Record
from engine.stores import normalize_text, parse_yes_no, typed_text

MODULE = "campaigns"
TITLE = "促销战役维护"
#: What a CM checks for a SKU of a campaign at a store (code, label), in the execution sheet's order.
CHECKS = (("shelf", "上柜"), ("display", "陈列"), ("price_tag", "价签正确"), ("poster", "海报张贴"))
CHECK_LABELS = dict(CHECKS)
_CODE = re.compile(r"^[A-Za-z0-9_-]{1,12}$")
_MONTH = re.compile(r"^(\d{4})\s*[-/年.]\s*(\d{1,2})\s*月?$")
_SEPARATORS = re.compile(r"[、,，;；\s]+")


@dataclass(frozen=True)
class CampaignSku:
    """A SKU of a campaign and the checks (CHECKS codes) made for it."""

    sku: str
    name: str
    checks: tuple[str, ...]


@dataclass(frozen=True)
class Campaign:
    """A promotion campaign: the months it runs (first_month..last_month), the unit or store codes it covers, its SKUs."""

    code: str
    name: str
    first_month: str
    last_month: str
    covers: tuple[str, ...]
    skus: tuple[CampaignSku, ...]

    def runs_in(self, month: str) -> bool:
        """Whether the campaign runs in the month (YYYY-MM)."""
        return self.first_month <= month <= self.last_month

    @property
    def period_label(self) -> str:
        return self.first_month if self.first_month == self.last_month else f"{self.first_month}～{self.last_month}"

    def covers_store(self, store_code: str, unit_path: tuple[str, ...]) -> bool:
        """Whether a store (of a CM whose unit path is unit_path) is in the campaign."""
        return store_code in self.covers or any(unit in self.covers for unit in unit_path)

    def plain(self) -> dict:
        """The campaign as JSON-able data (what an export showed)."""
        return {"name": self.name, "first": self.first_month, "last": self.last_month, "covers": list(self.covers),
                "skus": [[s.sku, list(s.checks)] for s in self.skus]}

    def summary(self) -> str:
        """One line saying what it is, for the audit log and the answers."""
        return (f"{self.name}（{self.period_label}；规格 {'、'.join(s.sku for s in self.skus)}；"
                f"覆盖 {'、'.join(self.covers)}）")


def month_text(value: object) -> str:
    """A month typed 2026-12, 2026/12, 2026年12月, full-width, or a date cell, as YYYY-MM; ValueError otherwise."""
    if isinstance(value, (date, datetime)):
        return f"{value:%Y-%m}"
    found = _MONTH.match(normalize_text(value))
    if not found or not 1 <= int(found.group(2)) <= 12:
        raise ValueError("月份应写成 YYYY-MM，例如 2026-12")
    return f"{found.group(1)}-{int(found.group(2)):02d}"


def _keeper(actor: Actor) -> None:
    from engine.policy import require

    require(actor, "campaigns")  # the brand manager (or an administrator) keeps the campaigns


def export_campaigns(uow: UnitOfWork, actor: Actor, template_version: int) -> tuple[list[Campaign], int]:
    """The brand manager's workbook: every campaign kept, and the export's id (what it showed is remembered, to tell
    their changes from someone else's at take-back)."""
    with uow:
        _keeper(actor)
        campaigns = uow.campaigns.all()
        export_id = uow.exports.add(module=MODULE, owner_code=actor.code, actor_code=actor.code,
                                    template_version=template_version,
                                    snapshot={"kept": {c.code: c.plain() for c in campaigns}})
        uow.commit()
        return campaigns, export_id


def _bad(field: str, record: Record, message: str) -> Finding:
    return Finding("INVALID", message, sheet=record.sheet, cell=record.cells[field], value=record.values.get(field))


def _read_campaign(record: Record, findings: list[Finding]) -> tuple[str, str, str, str, tuple[str, ...]] | None:
    code = normalize_text(record.values.get("code")).upper()
    name = typed_text(record.values.get("name"))
    wrong = len(findings)
    if not _CODE.match(code):
        findings.append(_bad("code", record, "战役编号应为 1 到 12 位字母、数字、- 或 _，例如 CX2612。"))
    if not name or len(name) > 64:
        findings.append(_bad("name", record, "请填写战役名称（不超过 64 个字）。"))
    months = []
    for field, label in (("first", "开始月份"), ("last", "结束月份")):
        try:
            months.append(month_text(record.values.get(field)))
        except ValueError as exc:
            findings.append(_bad(field, record, f"“{label}”{exc}。"))
    if len(months) == 2 and months[0] > months[1]:
        findings.append(_bad("last", record, f"结束月份 {months[1]} 早于开始月份 {months[0]}，请改正。"))
    covers = _covers(record)
    if not covers:
        findings.append(_bad("covers", record, "请填写覆盖范围：营销部或片区的编码、或客户编码，多个用“、”分开（例如 D01、D02）。"))
    if len(findings) > wrong:
        return None
    return code, name, months[0], months[1], covers


def _read_sku(record: Record, findings: list[Finding], names: dict[str, str],
              stopped: set[str]) -> tuple[str, str, CampaignSku] | None:
    campaign = normalize_text(record.values.get("campaign")).upper()
    sku = normalize_text(record.values.get("sku"))
    wrong = len(findings)
    if not campaign:
        findings.append(_bad("campaign", record, "请填写这一规格所属的战役编号（与“促销战役”表中的编号相同）。"))
    if sku not in names:
        findings.append(_bad("sku", record, f"卷烟编码“{sku or '（空）'}”不在卷烟规格中。请填卷烟规格中的编码"
                                            "（cmw import products 导入的“卷烟编码”）。"))
    elif sku in stopped:
        findings.append(_bad("sku", record, f"卷烟 {sku}（{names[sku]}）在卷烟规格中已停产，不能加入促销战役。请换一个在销的"
                                            "规格，或删除这一行（已在战役中的规格不受影响）。"))
    checks = []
    for code, label in CHECKS:
        try:
            if parse_yes_no(record.values.get(code)):
                checks.append(code)
        except ValueError:
            findings.append(_bad(code, record, f"“{label}”只能填 是 或 否（从下拉列表选择）。"))
    if len(findings) == wrong and not checks:
        findings.append(_bad(CHECKS[0][0], record, "这一规格一项检查都没有选，至少选一项“是”（上柜、陈列……）。"))
    if len(findings) > wrong:
        return None
    return campaign, record.cells["sku"], CampaignSku(sku, names[sku], tuple(checks))


def _covers(record: Record) -> tuple[str, ...]:
    return tuple(dict.fromkeys(c.upper() if c.isascii() else c
                               for c in _SEPARATORS.split(normalize_text(record.values.get("covers"))) if c))


def _check_covers(uow: UnitOfWork, records: list[Record], findings: list[Finding]) -> None:
    """Every code a campaign row covers is a unit of the organisation or a store."""
    codes = {code for record in records for code in _covers(record)}
    stores = uow.stores.by_codes(sorted(codes))
    for record in records:
        unknown = [code for code in _covers(record) if code not in stores and uow.users.unit_path_of(code) is None]
        if unknown:
            findings.append(_bad("covers", record, f"“{'、'.join(unknown)}”既不是营销部或片区的编码，也不是客户编码"
                                 "（cmw units list 列出单位编码）。请改正。"))


def _campaigns_of(uow: UnitOfWork, kept: list[Record], lines: list[Record],
                  current: dict[str, Campaign]) -> list[Campaign]:
    """The file's campaigns, checked; Refused with every problem and its cell. A SKU no longer on sale is refused
    unless the campaign (as kept now) has it already: a campaign running when its SKU stops keeps it."""
    findings: list[Finding] = []
    heads: dict[str, tuple[str, str, str, tuple[str, ...]]] = {}
    cells: dict[str, Record] = {}
    for record in kept:
        read = _read_campaign(record, findings)
        if read is None:
            continue
        code = read[0]
        if code in heads:
            findings.append(_bad("code", record, f"战役编号 {code} 重复（另见 {cells[code].sheet}!{cells[code].cells['code']}），"
                                 "一个战役只写一行。"))
            continue
        heads[code], cells[code] = read[1:], record
    wanted = sorted({normalize_text(r.values.get("sku")) for r in lines})
    names, stopped = uow.products.names(wanted), uow.products.stopped(wanted)
    skus: dict[str, dict[str, CampaignSku]] = {code: {} for code in heads}
    for record in lines:
        held = current.get(normalize_text(record.values.get("campaign")).upper())
        line = _read_sku(record, findings, names, stopped - {s.sku for s in held.skus} if held else stopped)
        if line is None:
            continue
        campaign, _, sku = line
        if campaign not in heads:
            findings.append(_bad("campaign", record, f"战役编号 {campaign} 不在“促销战役”表中（或那一行有错）。"
                                 "请先在“促销战役”表写明这个战役。"))
        elif sku.sku in skus[campaign]:
            findings.append(_bad("sku", record, f"战役 {campaign} 的规格 {sku.sku} 重复，请删除多余的行。"))
        else:
            skus[campaign][sku.sku] = sku
    campaigns = [Campaign(code, name, first, last, covers, tuple(skus[code].values()))
                 for code, (name, first, last, covers) in heads.items()]
    for bare in (c.code for c in campaigns if not c.skus):
        findings.append(_bad("code", cells[bare], f"战役 {bare} 还没有规格：请在“战役规格”表为它至少写一行。"))
    _check_covers(uow, kept, findings)
    if findings:
        raise Refused(f"促销战役表有 {len(findings)} 处问题，全部未保存。请按提示修改后重新提交：", findings)
    return campaigns


def keep_campaigns(uow: UnitOfWork, actor: Actor, *, owner_code: str, export_id: int, campaigns: list[Record],
                   skus: list[Record], shape_findings: list[Finding], submission_id: int) -> Outcome:
    """Save the campaigns of the brand manager's workbook: all or nothing, an audit row per campaign changed."""
    with uow:
        _keeper(actor)
        export = own_export(uow, actor, owner_code=owner_code, export_id=export_id, module=MODULE, what="促销战役表",
                            again=f"cmw campaigns export --as {actor.code} -o 促销战役.xlsx")
        if shape_findings:
            raise Refused(f"促销战役表有 {len(shape_findings)} 处问题，全部未保存。请按提示修改后重新提交：", shape_findings)
        current = {c.code: c for c in uow.campaigns.all()}
        wanted = {c.code: c for c in _campaigns_of(uow, campaigns, skus, current)}
        kept = export.snapshot["kept"]
        mine = {code: c for code, c in wanted.items() if kept.get(code) != c.plain()}  # what this file changes
        meanwhile = {code for code in set(kept) | set(current)
                     if kept.get(code) != (current[code].plain() if code in current else None)}
        collide = sorted(code for code in meanwhile & set(mine)
                         if code not in current or current[code].plain() != mine[code].plain())
        if collide:
            places = {normalize_text(r.values.get("code")): (r.sheet, r.cells["code"]) for r in campaigns}
            raise Refused("这些促销战役在您导出后已被别人修改，本次提交未保存。请重新导出，核对后再提交：",
                          [Finding.at("THEIRS", f"{code}：{current[code].summary() if code in current else '已删除'}",
                                      places.get(code), "战役编码") for code in collide])
        changed = [c for code, c in mine.items() if code not in current or current[code].plain() != c.plain()]
        for campaign in changed:
            uow.campaigns.save(campaign, actor.code)
        uow.audit.record_many([dict(actor=actor.code, action="keep_campaign", entity=MODULE, key=c.code,
                                    field="campaign", old=current[c.code].summary()[:500] if c.code in current else None,
                                    new=c.summary()[:500], submission_id=submission_id) for c in changed])
        uow.exports.update_snapshot(export_id, {"kept": {**kept, **{c.code: c.plain() for c in changed}}})
        message = (f"已保存 {len(changed)} 个促销战役（文件中共 {len(wanted)} 个）。" if changed else
                   f"文件中没有新的修改，促销战役保持不变（共 {len(current)} 个）。")
        outcome = Outcome(message, tuple(f"{c.code} {c.summary()}" for c in changed), len(changed))
        uow.submissions.conclude(submission_id, "accepted", outcome.lines(), MODULE)
        uow.commit()
        return outcome


def campaign_of(uow: UnitOfWork, code: str) -> Campaign:
    """The campaign called code; Refused, saying how to find the codes, when there is none."""
    campaign = uow.campaigns.get(normalize_text(code).upper())
    if campaign is None:
        raise Refused(f"没有编号为“{code}”的促销战役。cmw campaigns list 列出全部战役；新战役由品牌经理用 cmw campaigns export 维护。")
    return campaign


def listed_campaigns(uow: UnitOfWork, actor: Actor, month: str | None) -> list[Campaign]:
    """Every campaign (running in the month, when one is given), for anyone who may look at the campaigns."""
    from engine.policy import require

    with uow:
        require(actor, "campaigns.view")
        return [c for c in uow.campaigns.all() if month is None or c.runs_in(month)]


def campaign_period(month: str, code: str) -> str:
    """The period of a document kept per month and campaign (§14): YYYY-MM/CODE."""
    return f"{month}/{code}"


def split_period(period: str) -> tuple[str, str]:
    """(month, campaign code) of a campaign's period; Refused when the period names no campaign."""
    month, _, code = period.partition("/")
    if not code:
        raise Refused(f"月度片区品牌培育执行表按促销战役填写，{month} 没有找到覆盖本片区的促销战役。命令行请用 --campaign 给出"
                      f"战役编号（cmw campaigns list --month {month} 列出本月的战役）；功能区：先打开那个战役的执行表再点按钮。")
    return month, code
