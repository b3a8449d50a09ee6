"""Rubrics as the administrator edits them: one table row per indicator (effect) or detail item (capability)."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from engine.capability import CapabilityIndicator, CapabilityRubric, DetailItem
from engine.effect import Band, EffectIndicator, EffectRubric
from engine.errors import Finding, Refused
from engine.stores import normalize_text

EFFECT_HEADERS = ("指标编码", "指标名称", "分组", "权重", "比较方式", "分档")
CAPABILITY_HEADERS = ("指标编码", "指标名称", "明细项目", "最低分", "最高分", "步长")
NEW_STORE_CODE = "new_store"
#: The columns that hold figures (a workbook stores them as numbers; 分档 is text such as "1.3=1; 1.1=0.85").
NUMERIC_HEADERS = frozenset({"权重", "最低分", "最高分", "步长"})
_COMPARE = {"比值": "ratio", "差值": "difference"}


def _label(value: object) -> str:
    # Names keep their full-width punctuation (销量（条）); only codes and numbers are folded.
    return str(value or "").strip()


def effect_rows(rubric: EffectRubric) -> list[dict[str, str]]:
    """The effect rubric as rows; 分档 reads like '1.3=1; 1.1=0.85' (at least this comparison → share of the weight)."""
    label = {v: k for k, v in _COMPARE.items()}
    return [dict(zip(EFFECT_HEADERS, (i.code, i.label, i.group, f"{i.weight:g}", label[i.compare],
                                      "; ".join(f"{b.at_least:g}={b.fraction:g}" for b in i.bands))))
            for i in rubric.indicators]


def capability_rows(rubric: CapabilityRubric) -> list[dict[str, str]]:
    """The capability rubric as rows (one per detail item), then one row per new-store stage."""
    rows = [dict(zip(CAPABILITY_HEADERS, (i.code, i.label, item.label, f"{item.low:g}", f"{item.high:g}", f"{i.step:g}")))
            for i in rubric.indicators for item in i.items]
    rows += [dict(zip(CAPABILITY_HEADERS, (NEW_STORE_CODE, "是否新增客户", stage, "", "", ""))) for stage in rubric.new_store_stages]
    return rows


def _number(text: str | None, what: str) -> Decimal:
    try:
        return Decimal(normalize_text(text))
    except InvalidOperation:
        raise ValueError(f"{what}须是数字") from None


def _bands(text: str | None) -> tuple[Band, ...]:
    bands = []
    for part in normalize_text(text).replace("；", ";").split(";"):
        if part.strip():
            low, _, fraction = part.partition("=")
            bands.append(Band(float(_number(low, "分档下限")), float(_number(fraction, "分档得分比例"))))
    if not bands:
        raise ValueError("分档不能为空，例如 1.3=1; 1.1=0.85; 0=0.1")
    return tuple(bands)


def _refuse_on(findings: list[Finding], what: str) -> None:
    if findings:
        raise Refused(f"{what}文件有 {len(findings)} 处问题，未导入：", findings)


def effect_rubric_from_rows(rows: list[tuple[int, dict[str, str]]], version: int) -> EffectRubric:
    """Build an effect rubric from (row number, row) pairs; Refused lists every bad cell."""
    indicators, findings = [], []
    for number, row in rows:
        try:
            compare = _COMPARE.get(normalize_text(row.get("比较方式")))
            if compare is None:
                raise ValueError("比较方式只能是 比值 或 差值")
            indicators.append(EffectIndicator(normalize_text(row.get("指标编码")), _label(row.get("指标名称")),
                                              _label(row.get("分组")), float(_number(row.get("权重"), "权重")),
                                              compare, _bands(row.get("分档"))))
        except ValueError as exc:
            findings.append(Finding("INVALID", str(exc), row=number))
    _refuse_on(findings, "经营效果评分标准")
    try:
        return EffectRubric(version, tuple(indicators))
    except ValueError as exc:
        raise Refused(f"经营效果评分标准未导入：{exc}") from None


def capability_rubric_from_rows(rows: list[tuple[int, dict[str, str]]], version: int) -> CapabilityRubric:
    """Build a capability rubric from (row number, row) pairs; Refused lists every bad cell."""
    items: dict[str, list] = {}
    labels: dict[str, str] = {}
    steps: dict[str, Decimal] = {}
    stages: list[str] = []
    findings: list[Finding] = []
    for number, row in rows:
        code, item = normalize_text(row.get("指标编码")), _label(row.get("明细项目"))
        if not code or not item:
            findings.append(Finding("MISSING", "指标编码和明细项目不能为空", row=number))
            continue
        if code == NEW_STORE_CODE:
            stages.append(item)
            continue
        try:
            level = DetailItem(item, _number(row.get("最低分"), "最低分"), _number(row.get("最高分"), "最高分"))
            step = _number(row.get("步长") or "1", "步长")
            if step not in (Decimal(1), Decimal("0.5")):
                raise ValueError("步长只能是 1（整数）或 0.5（可打半分）")
        except ValueError as exc:
            findings.append(Finding("INVALID", str(exc), row=number))
            continue
        items.setdefault(code, []).append(level)
        labels.setdefault(code, _label(row.get("指标名称")) or code)
        steps[code] = step
    if len(stages) != 3:
        findings.append(Finding("STAGES", f"新增客户阶段（指标编码 {NEW_STORE_CODE}）须正好 3 行，现有 {len(stages)} 行"))
    _refuse_on(findings, "经营能力评分标准")
    try:
        return CapabilityRubric(version, tuple(CapabilityIndicator(code, labels[code], tuple(levels), steps[code])
                                               for code, levels in items.items()), tuple(stages))
    except ValueError as exc:
        raise Refused(f"经营能力评分标准未导入：{exc}") from None
