"""The document use cases (engine/documents.py, engine/forms.py) on the in-memory unit of work: every refusal says
what and what to do, changes nothing and commits nothing; what is done is done on locked rows, in one commit."""
from __future__ import annotations

import pytest

from engine.document_types import SAVE, SUBMIT, document_type
from engine.documents import NOTE_LIMIT, transition_document
from engine.errors import Finding
from engine.forms import Submitted, hand_out_forms, take_back
from engine.review import APPROVE, REJECT, decide_form
from tests.fakes import company, person, refused as _refused

PERIOD = "2026-11"
WORKPLAN = document_type("workplan")


def _doc(uow, state: str, owner: str = "cm001", kind: str = "workplan", version: int = 1):
    """A stored document in a state (as a committed earlier action left it)."""
    with uow:
        [doc] = uow.documents.create_many(kind, [owner], PERIOD, state).values()
        if version != 1:
            uow.tables.documents[doc.id] = doc = doc.__class__(doc.id, kind, owner, PERIOD, state, version)
        uow.commit()
    uow.commits = 0
    return doc


# --- transition_document: the move every workflow shares ------------------------------------------------------


def _move(uow, who: str, transition: str, owner: str = "cm001", **options):
    return transition_document(uow, actor=person(who), kind="workplan", owner_code=owner, period=PERIOD,
                               transition=transition, **options)


def test_a_move_of_an_unknown_owners_document_is_refused():
    uow = company()
    refusal = _refused(uow, lambda: _move(uow, "mm01", "review", owner="cm999"))
    assert refusal.message == "用户 cm999 不存在。"


def test_a_move_of_a_document_changed_since_it_was_shown_is_refused_with_both_versions():
    uow = company()
    _doc(uow, "confirmed", version=3)
    refusal = _refused(uow, lambda: _move(uow, "mm01", "review", expected_version=2))
    assert "已在您打开之后被修改（您的版本 2，当前版本 3），请重新导出后再操作" in refusal.message


def test_a_cm_cannot_approve_their_own_plan():
    uow = company()
    _doc(uow, "confirmed")
    refusal = _refused(uow, lambda: _move(uow, "cm001", "review"))
    assert refusal.message == ("客户经理 姚杰家（cm001）无权操作 cm001 的客户经理月工作计划的“审核通过”："
                               "只能由管辖其单位的市场经理、管理员操作。")


def test_a_market_manager_of_another_department_cannot_decide():
    uow = company()
    _doc(uow, "confirmed")
    refusal = _refused(uow, lambda: _move(uow, "mm02", "review"))
    assert "市场经理 王强（mm02）无权操作 cm001 的客户经理月工作计划的“审核通过”" in refusal.message


def test_a_move_its_workflow_does_not_allow_from_the_state_is_refused_naming_what_is_allowed():
    uow = company()
    _doc(uow, "draft")
    refusal = _refused(uow, lambda: _move(uow, "mm01", "review"))
    assert refusal.message == "客户经理月工作计划当前状态为“待确认”，不能审核通过。此状态下可以：确认。"


def test_a_note_longer_than_the_limit_is_refused():
    uow = company()
    _doc(uow, "confirmed")
    refusal = _refused(uow, lambda: _move(uow, "mm01", "reject", note="理" * (NOTE_LIMIT + 1)))
    assert refusal.message == f"理由不能超过 {NOTE_LIMIT} 个字，您填写了 {NOTE_LIMIT + 1} 个字。请缩短后重新提交。"


def test_a_move_locks_the_document_and_writes_state_decision_and_audit_in_one_commit():
    uow = company()
    doc = _doc(uow, "confirmed")
    moved = _move(uow, "mm01", "reject", expected_version=1, note="目标偏低")
    assert (moved.state, moved.version, uow.commits) == ("rejected", 2, 1)
    assert uow.tables.documents[doc.id] == moved
    [decision] = uow.tables.decisions
    assert (decision.transition, decision.source, decision.target, decision.reason) == ("reject", "confirmed", "rejected", "目标偏低")
    [audit] = uow.tables.audit
    assert (audit["action"], audit["old"], audit["new"], audit["key"]) == ("reject", "confirmed", "rejected", "cm001/2026-11")


def test_the_fake_refuses_a_state_change_on_a_row_that_was_not_locked():
    """The fake's own check (what makes the tests above check the locking rule): a move of a document read with
    a plain get fails."""
    uow = company()
    _doc(uow, "confirmed")
    with uow:
        doc = uow.documents.get("workplan", "cm001", PERIOD)
        with pytest.raises(AssertionError, match="without its row locked"):
            uow.documents.move_many([doc], ["reviewed"], transition="review", actor_code="mm01")


# --- review.decide_form: the market manager's decision ------------------------------------------------------------


def _decide(uow, decision: str, reason: str = "", *, state: str = "confirmed", version: int = 1, who: str = "mm01"):
    return decide_form(uow, person(who), WORKPLAN, owner_code="cm001", period=PERIOD, decision=decision, reason=reason,
                       expected_state=state, expected_version=version)


@pytest.mark.parametrize("decision, reason, said", [
    ("同意", "", "审核意见只能是“审核通过”或“驳回”（填写的是“同意”）。"),
    (REJECT, "  ", "驳回时必须填写驳回理由，让客户经理知道要改什么。"),
    (REJECT, "长" * 201, "驳回理由最多 200 个字，现有 201 个字，请删减后重新提交。"),
])
def test_a_decision_is_refused_before_anything_is_read(decision, reason, said):
    uow = company()
    _doc(uow, "confirmed")
    assert _refused(uow, lambda: _decide(uow, decision, reason)).message == said


def test_a_decision_on_a_document_not_awaiting_one_is_refused():
    uow = company()
    _doc(uow, "draft")
    assert _refused(uow, lambda: _decide(uow, APPROVE, state="draft")).message == "cm001 的客户经理月工作计划不在待审核状态。"


def test_a_decision_on_what_moved_on_since_the_review_workbook_was_made_is_refused():
    uow = company()
    _doc(uow, "confirmed", version=4)
    assert "您的版本 3，当前版本 4" in _refused(uow, lambda: _decide(uow, APPROVE, version=3)).message


def test_a_rejection_keeps_the_reason_as_typed():
    uow = company()
    _doc(uow, "confirmed")
    outcome = _decide(uow, REJECT, " 请补充重点品牌 ")
    assert outcome.message == "cm001 的 2026-11 客户经理月工作计划已驳回，当前状态：已退回。"
    assert uow.tables.decisions[0].reason == "请补充重点品牌" and uow.commits == 1


# --- forms.take_back: a document's file handed back --------------------------------------------------------------


def _exported(uow, state: str = "draft", version: int = 1, owner: str = "cm001") -> int:
    """A document in state and an export of it at that version (its snapshot as the workbook showed it)."""
    _doc(uow, state, owner=owner, version=version)
    with uow:
        export_id = uow.exports.add(module="workplan", owner_code=owner, actor_code=owner, template_version=1,
                                    snapshot={"version": version, "state": state, "values": {}})
        submission_id = uow.submissions.archive(actor_code=owner, filename="plan.xlsx", content=b"x", sha256="0")
        uow.commit()
    uow.commits = 0
    return export_id, submission_id


def _take(uow, export: tuple[int, int], values: dict, *, who: str = "cm001", operation: str = SAVE,
          findings: list[Finding] | None = None):
    export_id, submission_id = export
    submitted = Submitted({key: v for key, v in values.items()},
                          {key: ("月工作计划", f"C{n + 5}") for n, key in enumerate(values)}, list(findings or []))
    return take_back(uow, person(who), WORKPLAN, owner_code="cm001", period=PERIOD, export_id=export_id,
                     submitted=submitted, operation=operation, submission_id=submission_id)


def test_someone_elses_document_is_refused():
    uow = company()
    export = _exported(uow)
    refusal = _refused(uow, lambda: _take(uow, export, {("goal_volume", 0): 100}, who="cm002"))
    assert refusal.message == "客户经理 姜娜（cm002）无权填写 cm001 的客户经理月工作计划：只能由客户经理本人填写。"


def test_a_file_without_its_export_is_refused():
    uow = company()
    _, submission_id = _exported(uow)
    refusal = _refused(uow, lambda: _take(uow, (999, submission_id), {("goal_volume", 0): 100}))
    assert refusal.message == "找不到这份客户经理月工作计划的导出记录（可能来自另一个数据库）。请重新导出后再填写提交。"


def test_a_file_whose_shape_was_changed_is_refused_with_its_findings():
    uow = company()
    export = _exported(uow)
    moved = Finding("SHAPE", "表头被改动", sheet="月工作计划", cell="A4")
    refusal = _refused(uow, lambda: _take(uow, export, {("goal_volume", 0): 100}, findings=[moved]))
    assert refusal.message.startswith("客户经理月工作计划的格式被改动，全部未保存") and list(refusal.findings) == [moved]


def test_a_value_that_is_not_a_number_is_refused_at_its_cell():
    uow = company()
    export = _exported(uow)
    refusal = _refused(uow, lambda: _take(uow, export, {("goal_volume", 0): "很多"}))
    assert refusal.message.startswith("客户经理月工作计划有 1 处填写有误，全部未保存")
    assert (refusal.findings[0].sheet, refusal.findings[0].cell) == ("月工作计划", "C5")


def test_a_file_exported_before_the_document_moved_on_is_refused_listing_the_users_changes():
    uow = company()
    export = _exported(uow, version=1)
    doc = uow.tables.documents[max(uow.tables.documents)]
    uow.tables.documents[doc.id] = doc.__class__(doc.id, doc.kind, doc.owner_code, doc.period, "draft", 2)
    refusal = _refused(uow, lambda: _take(uow, export, {("goal_volume", 0): 100}))
    assert "在您导出后已有变化（导出时第 1 版“待确认”，现为第 2 版“待确认”），本次提交未保存" in refusal.message
    assert [f.code for f in refusal.findings] == ["YOURS"]


def test_a_change_the_state_does_not_allow_is_refused():
    uow = company()
    export = _exported(uow, state="confirmed")
    refusal = _refused(uow, lambda: _take(uow, export, {("goal_volume", 0): 100}))
    assert refusal.message == "客户经理月工作计划有 1 处修改当前状态不允许，全部未保存："
    assert "现在不能修改：月工作计划已确认，等待市场经理审核" in refusal.findings[0].message


def test_a_submission_missing_what_is_required_is_refused_and_saves_nothing():
    uow = company()
    export = _exported(uow)
    refusal = _refused(uow, lambda: _take(uow, export, {("support", 0): "无"}, operation=SUBMIT))
    assert refusal.message == "客户经理月工作计划还不能提交，全部未保存。请补齐后重新提交："
    assert {f.code for f in refusal.findings} >= {"REQUIRED", "LINES"}


def test_a_save_writes_the_values_on_the_locked_document_and_concludes_the_submission_in_one_commit():
    uow = company()
    export = _exported(uow)
    outcome = _take(uow, export, {("goal_volume", 0): "１２０"})
    assert outcome.message == "已保存 1 处修改。" and uow.commits == 1
    doc = uow.tables.documents[max(uow.tables.documents)]
    assert uow.tables.values[doc.id] == {("goal_volume", 0): "120"} and doc.version == 2
    assert uow.tables.submissions[export[1]]["outcome"] == "accepted"


# --- forms.hand_out_forms: the export --------------------------------------------------------------------------


def test_an_export_opens_the_missing_documents_and_records_one_export_each_without_locking():
    uow = company()
    views, ids, company_name = hand_out_forms(uow, person("mm01"), WORKPLAN, None, PERIOD, for_owner=True)
    assert [v.doc.owner_code for v in views] == ["cm001", "cm002"] and company_name == "测试烟草公司"
    assert [uow.tables.exports[i].owner_code for i in ids] == ["cm001", "cm002"] and uow.commits == 1
    assert all(v.doc.state == "draft" for v in views)


def test_an_export_of_a_cm_outside_the_scope_is_refused_and_records_nothing():
    uow = company()
    refusal = _refused(uow, lambda: hand_out_forms(uow, person("mm01"), WORKPLAN, ["cm003"], PERIOD, for_owner=True))
    assert refusal.message.startswith("市场经理 胡新（mm01）无权查看 cm003 的客户经理月工作计划")
