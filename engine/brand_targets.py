"""§5 and §6 as the later functions read them: each CM's targets per brand and target stores per brand, from the
kept values of their documents (engine.kinds.brand_targets, engine.kinds.target_stores)."""
from __future__ import annotations

from dataclasses import dataclass

from engine.ports import UnitOfWork


@dataclass(frozen=True)
class Target:
    """A brand's §5 target for a CM's month: shelf rate (0–1), volume (条), stores (户); None where not set."""

    shelf_rate: float | None
    volume: int | None
    stores: int | None


def _number(text: str | None) -> float | None:
    return float(text) if text not in (None, "") else None


def _lines(uow: UnitOfWork, kind: str, cm_codes: list[str], month: str) -> dict[str, dict[int, dict[str, str]]]:
    """Each CM's kept lines of a kind's table, by CM then line number then column."""
    docs = uow.documents.get_many(kind, cm_codes, month) if cm_codes else {}
    kept = uow.values.of_many([d.id for d in docs.values()])
    found: dict[str, dict[int, dict[str, str]]] = {}
    for cm, doc in docs.items():
        lines: dict[int, dict[str, str]] = {}
        for (field, line), text in kept[doc.id].items():
            if line and text:
                lines.setdefault(line, {})[field.partition(".")[2]] = text
        found[cm] = lines
    return found


def targets_of(uow: UnitOfWork, cm_codes: list[str], month: str) -> dict[str, dict[str, Target]]:
    """The CMs' §5 targets of the month, by CM then brand (in line order)."""
    found = {}
    for cm, lines in _lines(uow, "brand_targets", cm_codes, month).items():
        found[cm] = {row["brand"]: Target(_rate(row.get("shelf_rate")), _whole(row.get("volume")),
                                          _whole(row.get("stores")))
                     for _, row in sorted(lines.items()) if row.get("brand")}
    return found


def _rate(text: str | None) -> float | None:
    number = _number(text)
    return None if number is None else number / 100


def _whole(text: str | None) -> int | None:
    number = _number(text)
    return None if number is None else int(number)


def target_stores_of(uow: UnitOfWork, cm_codes: list[str], month: str) -> dict[str, dict[str, list[str]]]:
    """The CMs' §6 target stores of the month, by CM then brand: store codes (the option reads 编码 名称)."""
    found = {}
    for cm, lines in _lines(uow, "target_stores", cm_codes, month).items():
        per_brand: dict[str, list[str]] = {}
        for _, row in sorted(lines.items()):
            if row.get("brand") and row.get("store"):
                per_brand.setdefault(row["brand"], []).append(row["store"].split(" ", 1)[0])
        found[cm] = per_brand
    return found


def targets_required(uow: UnitOfWork, cm_code: str, month: str, what: str) -> dict[str, Target]:
    """The CM's §5 targets of the month, by brand; Refused, saying what to do first, when the month's key brands are
    not kept or the CM has set no target (what: what cannot be done without them)."""
    from engine.errors import Refused
    from engine.key_brands import key_brands_of

    key_brands_of(uow, month, what)
    targets = targets_of(uow, [cm_code], month).get(cm_code, {})
    if not targets:
        raise Refused(unmet_many(uow, [cm_code], month, what, targets=True)[cm_code])
    return targets


def unmet_many(uow: UnitOfWork, cm_codes: list[str], month: str, what: str, *, targets: bool) -> dict[str, str]:
    """Why each of these CMs cannot do what yet (the same refusals as key_brands_of and targets_required), read
    set-based for §1: the month's key brands once, every CM's targets at once (targets: whether they are needed)."""
    from engine.errors import Refused
    from engine.key_brands import key_brands_of

    try:
        key_brands_of(uow, month, what)
    except Refused as refusal:
        return {cm: refusal.message for cm in cm_codes}
    if not targets:
        return {}
    kept = targets_of(uow, cm_codes, month)
    return {cm: f"{cm} 还没有设置 {month} 的品牌目标，不能{what}。请先在“品牌状态分析目标设置”（§5）中为重点或骨干品牌填写目标并提交。"
            for cm in cm_codes if not kept.get(cm)}
