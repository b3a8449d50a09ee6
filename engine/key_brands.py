"""The month's key (重点) and backbone (骨干) brands, kept by the brand manager through a workbook: exported with
every brand of the catalogue (pre-filled from the month's list, else the newest earlier list, else the products'
own flags), handed back with 是/否 per brand, saved as the month's list in one unit of work with an audit row per
brand changed. §4–§7 read the month's list and refuse, saying who keeps it and how, when there is none."""
from __future__ import annotations

from dataclasses import dataclass

from engine.actors import Actor
from engine.brands import BACKBONE, KEY, KeyBrand
from engine.errors import Finding, Refused
from engine.form_checks import changed_since_export
from engine.exports import own_export
from engine.ports import UnitOfWork
from engine.records import Outcome, Record
from engine.stores import normalize_text, parse_yes_no

MODULE = "key_brands"
TITLE = "重点品牌维护"
Flags = dict[str, tuple[bool, bool]]


@dataclass(frozen=True)
class BrandLine:
    """A row of the brand manager's workbook: a brand of the catalogue and its flags as shown."""

    brand: str
    skus: int
    classes: str
    key: bool
    backbone: bool


def _label(flags: tuple[bool, bool] | None) -> str:
    return KeyBrand("", *flags).label if flags and any(flags) else "（不是重点或骨干品牌）"


def brand_lines(uow: UnitOfWork, month: str) -> tuple[list[BrandLine], str]:
    """Every brand of the catalogue with the flags to show for the month, and where those flags come from."""
    catalogue = uow.products.catalogue()
    shown = uow.key_brands.of_month(month)
    source = f"{month} 的重点品牌名单（已维护）"
    if not shown:
        before = uow.key_brands.latest_before(month)
        if before:
            shown, source = before[1], f"{month} 尚未维护，已按 {before[0]} 的名单预填"
        else:
            shown = {b: f for b, f in uow.products.brands().items() if any(f)}
            source = f"{month} 尚未维护，已按卷烟规格的标记预填"
    lines = [BrandLine(brand, info.skus, info.classes_label, *shown.get(brand, (False, False)))
             for brand, info in catalogue.items()]
    lines += [BrandLine(brand, 0, "—", *flags) for brand, flags in shown.items() if brand not in catalogue]
    return lines, source


def _keeper(actor: Actor) -> None:
    from engine.policy import require

    require(actor, "brands")  # the brand manager (or an administrator) keeps the month's list


def export_key_brands(uow: UnitOfWork, actor: Actor, month: str, template_version: int) -> tuple[list[BrandLine], str, int]:
    """The brand manager's workbook of the month: its lines, where their flags come from, and the export's id (what
    it showed is remembered, to tell their changes from someone else's at take-back)."""
    with uow:
        _keeper(actor)
        lines, source = brand_lines(uow, month)
        if not lines:
            raise Refused("卷烟规格中还没有品牌。请管理员先导入卷烟规格（cmw import products），“品牌”列写明品牌名称。")
        snapshot = {"month": month, "kept": _plain(uow.key_brands.of_month(month)),
                    "shown": {line.brand: [line.key, line.backbone] for line in lines}}
        export_id = uow.exports.add(module=MODULE, owner_code=actor.code, actor_code=actor.code,
                                    template_version=template_version, snapshot=snapshot)
        uow.commit()
        return lines, source, export_id


def _plain(flags: Flags) -> dict[str, list[bool]]:
    return {brand: list(f) for brand, f in flags.items()}


def _read(records: list[Record], known: set[str]) -> tuple[Flags, list[Finding]]:
    """The file's flags by brand, and what is wrong in it."""
    typed: Flags = {}
    findings: list[Finding] = []
    seen: dict[str, str] = {}
    for record in records:
        brand = normalize_text(record.values.get("brand"))
        sheet, cell = record.sheet, record.cells["brand"]
        if brand not in known:
            findings.append(Finding("UNKNOWN_BRAND", f"品牌“{brand or '（空）'}”不在卷烟规格中。品牌名称不能修改或新增，"
                                    "请改回导出时的名称或删除这一行（新品牌请管理员先导入卷烟规格）。", sheet=sheet, cell=cell,
                                    value=brand))
            continue
        if brand in seen:
            findings.append(Finding("DUPLICATE", f"品牌“{brand}”重复（另见 {seen[brand]}），请删除多余的行。", sheet=sheet,
                                    cell=cell, value=brand))
            continue
        seen[brand] = record.cells["brand"]
        flags = []
        for field, label in (("key", KEY), ("backbone", BACKBONE)):
            try:
                flags.append(parse_yes_no(record.values.get(field)))
            except ValueError:
                findings.append(Finding("INVALID", f"“{label}”只能填 是 或 否（从下拉列表选择）。", sheet=record.sheet,
                                        cell=record.cells[field], value=record.values.get(field)))
        if len(flags) == 2:
            typed[brand] = (flags[0], flags[1])
    return typed, findings


def _older_copy(shown: Flags, typed: Flags, saved: dict | None, cells: dict[str, tuple[str, str]]) -> None:
    """Refused when the file is a copy of this export saved before it was first handed back: every brand whose flags
    its take-backs changed from the workbook as exported still reads as exported (saving it would undo them; one
    brand put back while others stay is a change)."""
    if saved is None:
        return
    none = (False, False)
    was = {b: tuple(f) for b, f in saved.items()}
    since, copied = changed_since_export(shown, was, {b: typed.get(b, shown.get(b, none)) for b in set(was) | set(shown)},
                                         blank=none)
    if copied:
        raise Refused(f"这份重点品牌表是较早的副本，全部未保存：用同一次导出的文件已经提交过 {len(since)} 个品牌的修改，这份文件里"
                      "它们仍是导出时的内容，保存会把它们改回去。请打开最后提交的那份文件继续修改，或重新导出。",
                      [Finding("OLDER_COPY", f"{b}：文件里是导出时的“{_label(before)}”，已提交的是“{_label(now)}”",
                               *cells.get(b, (None, None))) for b, before, now in sorted(since)[:20]])


def keep_key_brands(uow: UnitOfWork, actor: Actor, *, owner_code: str, month: str, export_id: int,
                    records: list[Record], shape_findings: list[Finding], submission_id: int) -> Outcome:
    """Save the month's list from the brand manager's workbook: all or nothing, an audit row per brand changed."""
    with uow:
        _keeper(actor)
        export = own_export(uow, actor, owner_code=owner_code, export_id=export_id, module=MODULE, what="重点品牌表",
                            again=f"cmw brands export --month {month} --as {actor.code}",
                            matches=lambda snapshot: snapshot.get("month") == month)
        shown = {b: tuple(f) for b, f in export.snapshot["shown"].items()}
        typed, findings = _read(records, set(shown) | set(uow.products.catalogue()))
        if shape_findings or findings:
            problems = [*shape_findings, *findings]
            raise Refused(f"重点品牌表有 {len(problems)} 处问题，全部未保存。请按提示修改后重新提交：", problems)
        wanted = {b: f for b, f in {**shown, **typed}.items() if any(f)}
        if not wanted:
            raise Refused(f"{month} 的名单里没有一个重点或骨干品牌，未保存。至少要把一个品牌的“{KEY}”或“{BACKBONE}”填为“是”。")
        places = {normalize_text(r.values.get("brand")): (r.sheet, r.cells["key"]) for r in records}
        _older_copy(shown, typed, export.snapshot.get("saved"), places)
        kept = {b: tuple(f) for b, f in export.snapshot["kept"].items()}
        current = uow.key_brands.of_month(month)
        if current != kept and current != wanted:
            changed = sorted(b for b in set(current) | set(kept) if current.get(b) != kept.get(b))
            raise Refused(f"{month} 的重点品牌名单在您导出后已被修改，本次提交未保存。请重新导出，核对后再提交。期间的修改：",
                          [Finding.at("THEIRS", f"{b}：{_label(kept.get(b))} → {_label(current.get(b))}", places.get(b),
                                      "品牌") for b in changed])  # a brand added meanwhile is not in the file
        changes = [(b, current.get(b), wanted.get(b)) for b in sorted(set(current) | set(wanted))
                   if current.get(b) != wanted.get(b)]
        uow.key_brands.replace(month, wanted, actor.code)
        uow.audit.record_many([dict(actor=actor.code, action="keep_key_brands", entity=MODULE, key=month,
                                    field=brand[:32], old=_label(old), new=_label(new), submission_id=submission_id)
                               for brand, old, new in changes])
        uow.exports.update_snapshot(export_id, {**export.snapshot, "kept": _plain(wanted), "saved": _plain(wanted)})
        keys = sum(1 for f in wanted.values() if f[0])
        backbones = sum(1 for f in wanted.values() if f[1])
        message = (f"已保存 {month} 的重点品牌名单：{KEY} {keys} 个、{BACKBONE} {backbones} 个（共 {len(wanted)} 个品牌）。"
                   if changes else f"文件中没有新的修改，{month} 的重点品牌名单保持不变（共 {len(wanted)} 个品牌）。")
        outcome = Outcome(message, tuple(f"{b}：{_label(old)} → {_label(new)}" for b, old, new in changes), len(changes))
        uow.submissions.conclude(submission_id, "accepted", outcome.lines(), MODULE)
        uow.commit()
        return outcome


def key_brands_of(uow: UnitOfWork, month: str, what: str) -> list[KeyBrand]:
    """The month's key and backbone brands, key brands (重点品牌) first, then the backbone-only ones (骨干品牌), each in
    name order — the order §4–§7 list them in; Refused, saying who keeps them and how, when the brand manager has kept
    none for the month (what: what cannot be done without them)."""
    kept = uow.key_brands.of_month(month)
    if not kept:
        raise Refused(f"{month} 还没有维护重点品牌，不能{what}。请品牌经理先维护：运行 cmw brands export --month {month} "
                      "-o 重点品牌.xlsx，填好后用 cmw submit 重点品牌.xlsx 提交。")
    return sorted((KeyBrand(brand, *flags) for brand, flags in kept.items()), key=lambda b: (not b.key, b.brand))
