"""§10 评价经营能力: a CM's capability scores handed in from the workbook; valid rows are saved, others refused."""
from __future__ import annotations

from engine.actors import Actor
from engine.capability import CapabilityRubric, capability_rubric_from_dict, check_new_store, check_score
from engine.documents import move_document
from engine.errors import FINDINGS_LISTED, Finding, Refused
from engine.policy import require
from engine.scope import owner_of
from engine.numbers import folded
from engine.operating_analysis import analysis_of, capability_rubric, unscored
from engine.ports import UnitOfWork
from engine.records import PARTIAL, Outcome, Record
from engine.stores import normalize_text

MODULE = "capability"
NEW_STORE = "new_store"
NEW_STORE_STAGE = "new_store_stage"


def item_field(indicator: str) -> str:
    """The record field holding the detail item picked for an indicator."""
    return f"{indicator}.item"


def score_field(indicator: str) -> str:
    """The record field holding the score given for an indicator."""
    return f"{indicator}.score"


def scored_fields(rubric: CapabilityRubric) -> list[str]:
    """Every field a CM fills in on a store's row."""
    return [f for i in rubric.indicators for f in (item_field(i.code), score_field(i.code))] + [NEW_STORE, NEW_STORE_STAGE]


Scores = dict[int, dict[str, tuple[str, object]]]  # store id → indicator (or new_store) → (item, score)


def carried_over(rubric: CapabilityRubric, last_month: Scores, this_month: Scores) -> Scores:
    """Last month's items and scores to pre-fill for the stores not scored this month yet, each one still allowed
    by this month's rubric (an item or range the rubric dropped is left for the CM to fill in)."""
    carried: Scores = {}
    for store_id, scores in last_month.items():
        if store_id in this_month:
            continue
        kept: dict[str, tuple[str, object]] = {}
        for indicator in rubric.indicators:
            item, score = scores.get(indicator.code, ("", None))
            try:
                kept[indicator.code] = check_score(indicator, item, score)
            except ValueError:
                continue
        stage = scores.get(NEW_STORE, ("", None))[0]
        if stage == "否" or stage in rubric.new_store_stages:
            kept[NEW_STORE] = (stage, None)
        if kept:
            carried[store_id] = kept
    return carried


def _converted(record: Record, field: str) -> list[str]:
    """The note that a cell's full-width text (８) was read as its plain form, to be said; else nothing."""
    value = record.values.get(field)
    plain, changed = folded(value)
    return [f"已将 {record.sheet}!{record.cells[field]} 的“{str(value).strip()}”按“{plain}”处理。"] if changed else []


def _check_row(record: Record, rubric: CapabilityRubric) -> tuple[list[tuple[str, str, object]], list[Finding]]:
    """(indicator, item, score) triples of a filled row, or the findings that refuse it."""
    values: list[tuple[str, str, object]] = []
    findings: list[Finding] = []

    def refuse(field: str, message: str) -> None:
        findings.append(Finding("INVALID", message, sheet=record.sheet, cell=record.cells[field],
                                row=record.number, value=normalize_text(record.values.get(field))))

    for indicator in rubric.indicators:
        item, score = record.values.get(item_field(indicator.code)), record.values.get(score_field(indicator.code))
        if not normalize_text(item):
            refuse(item_field(indicator.code), f"请为“{indicator.label}”选择明细项目（这一行已开始评分，须全部填写）")
            continue
        try:
            values.append((indicator.code, *check_score(indicator, item, score)))
        except ValueError as exc:
            wrong_item = indicator.item(normalize_text(item)) is None
            refuse(item_field(indicator.code) if wrong_item else score_field(indicator.code), str(exc))
    try:
        stage = check_new_store(rubric, record.values.get(NEW_STORE), record.values.get(NEW_STORE_STAGE))
        values.append((NEW_STORE, stage or "否", None))
    except ValueError as exc:
        said = normalize_text(record.values.get(NEW_STORE))
        refuse(NEW_STORE_STAGE if said in ("是", "否") else NEW_STORE, str(exc))
    return values, findings


def submit_capability(uow: UnitOfWork, actor: Actor, *, owner_code: str, month: str, rubric_version: int,
                      records: list[Record], shape_findings: list[Finding], submission_id: int) -> Outcome:
    """Save every valid row of a capability workbook in one unit of work; refused rows are listed, not saved."""
    with uow:
        require(actor, "capability.score", owner_of(uow, owner_code))
        analysis = analysis_of(uow, owner_code, month, lock=True)
        if analysis.document.state == "strategies":
            raise Refused(f"{month} 的策略已生成，经营能力评分已锁定，不能再修改。")
        if rubric_version != analysis.capability_rubric_version:
            raise Refused(f"此表按第 {rubric_version} 版评分标准生成，本月分析使用第 {analysis.capability_rubric_version} 版。请重新导出。")
        broken = [f for f in shape_findings if f.row is None]
        if broken:
            raise Refused("工作簿结构被改动，全部未保存。请重新导出后再填写：", broken)
        rubric = capability_rubric(uow, rubric_version)
        scope = {s.code: s for s in uow.analyses.scope([owner_code])}
        fields = scored_fields(rubric)
        saved, findings, notes = 0, [], []
        scores: list[tuple[int, str, str, object]] = []
        for record in records:
            code = normalize_text(record.values.get("code"))
            row_findings = [f for f in shape_findings if f.row == record.number]
            if code not in scope:
                findings.append(Finding("UNKNOWN_ROW", f"客户 {code or '（空编码）'} 不在您本月的分析范围内，这一行未保存。",
                                        sheet=record.sheet, cell=record.cells["code"], row=record.number, value=code))
                continue
            if not row_findings and not any(normalize_text(record.values.get(f)) for f in fields):
                continue  # not scored yet: allowed
            values, problems = _check_row(record, rubric)
            if row_findings or problems:
                findings.extend(row_findings + problems)
                continue
            scores.extend((scope[code].id, indicator, item, score) for indicator, item, score in values)
            notes += [note for i in rubric.indicators for note in _converted(record, score_field(i.code))]
            saved += 1
        if findings and not saved:
            raise Refused("经营能力评分表中填写的行都有问题，全部未保存。请按提示修改后重新提交：", findings)
        changed = uow.analyses.save_capability(analysis.id, scores, submission_id)
        if analysis.document.state == "computed" and not unscored(uow, analysis, owner_code):
            move_document(uow, actor=actor, doc=analysis.document, transition="finish_scoring")
        refused_rows = len({f.row for f in findings})
        message = f"已保存 {saved} 户客户的经营能力评分（{changed} 项有变化）。"
        if findings:
            message = f"{PARTIAL}：{message}另有 {refused_rows} 行有问题，未保存，请修改后重新提交："
        listed = [f.text() for f in findings[:FINDINGS_LISTED]]
        if len(findings) > FINDINGS_LISTED + 1:  # as a refusal would: the rest counted
            listed[FINDINGS_LISTED:] = [f"……另有 {len(findings) - FINDINGS_LISTED:,} 处问题未列出（共 {len(findings):,} 处）。"]
        else:
            listed = [f.text() for f in findings]
        outcome = Outcome(message, (*notes, *listed), changed, partial=bool(findings))
        uow.submissions.conclude(submission_id, "partial" if findings else "accepted", outcome.lines(), MODULE)
        uow.commit()
        return outcome
