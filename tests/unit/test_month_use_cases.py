"""The month's use cases (big table, reopening an analysis, the store list, rubrics, submissions, hand-outs) on the
in-memory unit of work: each refusal says what and what to do, and changes and commits nothing."""
from __future__ import annotations

from dataclasses import replace

import pytest

from engine.analysis_reopen import REASON_LIMIT, reopen_analysis
from engine.big_table import generate, take_back
from engine.errors import Finding, Refused
from engine.exports import Handout, hand_out
from engine.capability_scoring import submit_capability
from engine.operating_analysis import KIND as ANALYSIS, compute_effect
from engine.ports import Analysis, DocumentState, StoreFilter
from engine.questionnaire import import_questionnaire, questionnaire_in_use
from engine.rubrics import import_rubric, rubric_rows
from engine.store_maintenance import export_store_list, list_stores, submit_store_list
from engine.submissions import archive_submission, conclude_submission
from tests.fakes import company, person, refused as _refused

MONTH = "2026-11"


def _analysis(uow, cm: str, state: str) -> Analysis:
    """cm's analysis of MONTH in state, as an earlier action committed it."""
    with uow:
        [doc] = uow.documents.create_many(ANALYSIS, [cm], MONTH, state).values()
        analysis = Analysis(1000 + doc.id, doc, 1, 1, {})
        uow.tables.analyses[doc.id] = analysis
        uow.commit()
    uow.commits = 0
    return analysis


def _document(uow, kind: str, cm: str, state: str) -> DocumentState:
    with uow:
        [doc] = uow.documents.create_many(kind, [cm], MONTH, state).values()
        uow.commit()
    uow.commits = 0
    return doc


# --- big table: generate ---------------------------------------------------------------------------------------


def test_a_cm_cannot_generate_another_cms_table():
    uow = company()
    refusal = _refused(uow, lambda: generate(uow, person("cm001"), month=MONTH, cm_codes=["cm002"]))
    assert refusal.message == ("客户经理 姚杰家（cm001）无权生成 cm002 的任务执行标注表："
                               "只能由客户经理本人或管辖其单位的市场经理、管理员生成。")


@pytest.mark.parametrize("state, said", [
    (None, "2026-11 经营效果尚未计算，不能生成大表。请先运行：cmw analysis effect --month 2026-11"),
    ("computed", "2026-11 经营分析尚未生成策略，不能生成大表。请先运行：cmw analysis strategies --month 2026-11"),
])
def test_a_table_is_not_generated_before_the_strategies(state, said):
    uow = company()
    if state:
        _analysis(uow, "cm001", state)
    assert _refused(uow, lambda: generate(uow, person("cm001"), month=MONTH)).message == said


def test_a_table_is_generated_once():
    uow = company()
    _analysis(uow, "cm001", "strategies")
    _document(uow, "bigtable", "cm001", "draft")
    refusal = _refused(uow, lambda: generate(uow, person("cm001"), month=MONTH))
    assert refusal.message.startswith("2026-11 大表已生成，不能重复生成")


def test_a_batch_where_no_cm_is_ready_is_one_refusal_naming_each():
    uow = company()
    refusal = _refused(uow, lambda: generate(uow, person("mm01"), month=MONTH))
    assert refusal.message == "所选客户经理都不能生成大表，未作任何更改："
    assert [f.message.split("：")[0] for f in refusal.findings] == ["cm001", "cm002"]


def test_a_batch_generates_the_ready_tables_in_one_commit_and_says_who_was_skipped():
    uow = company()
    _analysis(uow, "cm001", "strategies")
    outcome = generate(uow, person("mm01"), month=MONTH)
    assert uow.commits == 1 and "cm002：2026-11 经营效果尚未计算" in " ".join(outcome.details)
    [table] = [d for d in uow.tables.documents.values() if d.kind == "bigtable"]
    assert (table.owner_code, table.state) == ("cm001", "draft")
    assert [a["action"] for a in uow.tables.audit] == ["generate_plan"]


# --- big table: take back ---------------------------------------------------------------------------------------


def _plan_export(uow) -> int:
    _document(uow, "bigtable", "cm001", "draft")
    with uow:
        export_id = uow.exports.add(module="bigtable", owner_code="cm001", actor_code="cm001", template_version=1,
                                    snapshot={"version": 1, "state": "draft", "actions": [], "cells": {}})
        uow.commit()
    uow.commits = 0
    return export_id


def _take_plan(uow, export_id: int, *, who: str = "cm001", findings=()):
    return take_back(uow, person(who), owner_code="cm001", month=MONTH, export_id=export_id, records=[],
                     shape_findings=list(findings), operation="保存", submission_id=1)


def test_someone_elses_table_is_refused():
    uow = company()
    export_id = _plan_export(uow)
    assert _refused(uow, lambda: _take_plan(uow, export_id, who="cm002")).message == \
        "客户经理 姜娜（cm002）无权填写 cm001 的任务执行标注表：只能由客户经理本人填写。"


def test_a_table_without_its_export_is_refused():
    uow = company()
    _plan_export(uow)
    assert _refused(uow, lambda: _take_plan(uow, 999)).message == \
        "找不到这个大表的导出记录（可能来自另一个数据库）。请重新导出后再填写提交。"


def test_formulas_in_a_table_are_refused_at_their_cells():
    uow = company()
    export_id = _plan_export(uow)
    formula = Finding("FORMULA", "填写了公式", sheet="任务执行标注表", cell="F7", value="=1+1")
    refusal = _refused(uow, lambda: _take_plan(uow, export_id, findings=[formula]))
    assert refusal.message == "大表有 1 处填写了公式或 Excel 错误值，全部未保存。请改为从下拉列表选择后重新提交："
    assert list(refusal.findings) == [formula]


# --- reopening an analysis ----------------------------------------------------------------------------------------


def _reopen(uow, reason: str | None = "订单补录", cm: str = "cm001"):
    return reopen_analysis(uow, person("mm01"), month=MONTH, cm_code=cm, reason=reason)


@pytest.mark.parametrize("reason, said", [
    ("", "重新打开须说明原因，例如 --reason \"10月订单导入前误算\"。原因会记入审计日志。"),
    ("因" * (REASON_LIMIT + 1), f"原因最多 {REASON_LIMIT} 字（现为 {REASON_LIMIT + 1} 字），请精简后重试。"),
])
def test_a_reopening_needs_a_short_reason(reason, said):
    uow = company()
    _analysis(uow, "cm001", "computed")
    assert _refused(uow, lambda: _reopen(uow, reason)).message == said


def test_a_reopening_of_what_was_not_computed_is_refused():
    uow = company()
    assert _refused(uow, lambda: _reopen(uow, cm="cm999")).message.startswith("用户 cm999 不存在")
    assert _refused(uow, lambda: _reopen(uow)).message == "cm001 的 2026-11 经营效果尚未计算，无需重新打开。"


def test_strategies_a_table_was_made_from_stay():
    uow = company()
    _analysis(uow, "cm001", "strategies")
    _document(uow, "bigtable", "cm001", "draft")
    assert _refused(uow, lambda: _reopen(uow)).message == \
        "cm001 的 2026-11 大表已按策略生成，策略不能再重新打开（大表中的计划依赖它）。"


def test_an_effect_with_capability_scores_stays():
    uow = company()
    analysis = _analysis(uow, "cm001", "computed")
    uow.tables.capability[analysis.id] = [(1, "I1", "a", 3)]
    assert _refused(uow, lambda: _reopen(uow)).message == \
        "cm001 已为 1 户客户录入了 2026-11 的经营能力评分，经营效果不能再重新打开（评分依据它）。"


def test_a_scored_month_stays():
    uow = company()
    _analysis(uow, "cm001", "scored")
    assert "经营能力评分已完成，经营效果不能再重新打开" in _refused(uow, lambda: _reopen(uow)).message


def test_a_reopened_effect_goes_back_to_new_on_its_locked_row_with_the_reason_audited():
    uow = company()
    analysis = _analysis(uow, "cm001", "computed")
    outcome = _reopen(uow)
    assert outcome.message.startswith("已重新打开 cm001 的 2026-11 经营效果") and uow.commits == 1
    assert uow.tables.documents[analysis.document.id].state == "new"
    assert analysis.document.id not in uow.tables.analyses
    assert [(a["action"], a["note"]) for a in uow.tables.audit] == [("reopen_effect", "订单补录")]


# --- the store list -----------------------------------------------------------------------------------------------


def test_only_a_cm_hands_out_a_store_list():
    uow = company()
    refusal = _refused(uow, lambda: export_store_list(uow, person("mm01"), StoreFilter(), 1))
    assert refusal.message == "市场经理 胡新（mm01）无权维护客户信息（客户信息维护表）：只能由客户经理本人维护。"


def test_a_store_list_is_shown_only_within_the_actors_scope():
    uow = company()
    with pytest.raises(Refused, match="用户 cm999 不存在"):
        list_stores(uow, person("mm01"), "cm999", StoreFilter())
    with pytest.raises(Refused, match="客户经理 姚杰家（cm001）无权查看 cm002 的客户信息："):
        list_stores(uow, person("cm001"), "cm002", StoreFilter())
    with pytest.raises(Refused, match="市场经理 王强（mm02）无权查看 cm001 的客户信息："):
        list_stores(uow, person("mm02"), "cm001", StoreFilter())
    assert [s.code for s in list_stores(uow, person("mm01"), "cm001", StoreFilter())] == ["S00101", "S00102"]


def test_a_store_list_goes_back_only_from_its_owner_and_with_its_export():
    uow = company()
    stores, export_id = export_store_list(uow, person("cm001"), StoreFilter(), 1)
    assert len(stores) == 2 and uow.commits == 1
    uow.commits = 0
    submit = lambda who, doc: submit_store_list(uow, person(who), owner_code="cm001", document_id=doc, records=[],  # noqa: E731
                                                shape_findings=[], submission_id=1)
    assert _refused(uow, lambda: submit("cm002", export_id)).message.startswith("客户经理 姜娜（cm002）无权维护 cm001 的客户信息")
    assert _refused(uow, lambda: submit("cm001", 999)).message.startswith("找不到这个工作簿的导出记录")


# --- rubrics, submissions, hand-outs -------------------------------------------------------------------------------


def test_a_wrong_rubric_row_is_refused_and_stores_nothing_not_even_the_defaults():
    uow = company()
    rows = [(2, {"指标编码": "E1", "指标名称": "销量", "分组": "", "权重": "十", "比较方式": "比值", "分档": "1=1"})]
    refusal = _refused(uow, lambda: import_rubric(uow, person("admin"), "effect", lambda: rows))
    assert refusal.message == "经营效果评分标准文件有 1 处问题，未导入：" and refusal.findings[0].row == 2
    assert uow.tables.rubrics == {}


def test_the_first_look_at_a_rubric_keeps_the_defaults_as_version_1():
    uow = company()
    version, rows, company_name = rubric_rows(uow, person("admin"), "effect")
    assert version == 1 and rows and company_name == "测试烟草公司" and uow.commits == 1
    assert [v["version"] for v in uow.tables.rubrics["effect"]] == [1]


def test_a_submission_is_archived_then_concluded_each_in_its_own_commit():
    uow = company()
    submission_id = archive_submission(uow, actor_code="cm001", filename="plan.xlsx", content=b"PK")
    conclude_submission(uow, submission_id, "refused", ["格式被改动"], "bigtable")
    assert uow.commits == 2
    assert uow.tables.submissions[submission_id] == {"actor": "cm001", "filename": "plan.xlsx", "size": 2,
                                                     "outcome": "refused", "lines": ["格式被改动"], "module": "bigtable"}
    with pytest.raises(ValueError, match="unknown outcome"):
        conclude_submission(uow, submission_id, "lost", [])


def test_a_hand_out_whose_reader_refuses_records_no_export():
    uow = company()

    def read(uow):
        uow.exports.add(module="x", owner_code="cm001", actor_code="cm001", template_version=1, snapshot={})
        raise Refused("没有可导出的内容。")

    assert _refused(uow, lambda: hand_out(uow, person("cm001"), read)).message == "没有可导出的内容。"
    shown, ids, _ = hand_out(uow, person("cm001"), lambda uow: ("看", [Handout("x", "cm001", 1, {"a": 1})]))
    assert shown == "看" and uow.tables.exports[ids[0]].snapshot == {"a": 1} and uow.commits == 1


def test_a_questionnaire_imported_unchanged_is_refused_and_stores_nothing():
    uow = company()
    current, company_name = questionnaire_in_use(uow, person("admin"))
    assert current.version == 1 and company_name == "测试烟草公司" and uow.commits == 1
    uow.commits = 0
    refusal = _refused(uow, lambda: import_questionnaire(uow, person("admin"), lambda: current, "问卷.xlsx"))
    assert refusal.message == "问卷.xlsx 与当前第 1 版调查问卷完全相同，没有导入新版本。"
    changed = replace(current, items=current.items[1:])
    before, version, _ = import_questionnaire(uow, person("admin"), lambda: changed, "问卷.xlsx")
    assert (before.version, version, uow.commits) == (1, 2, 1)
    assert [(a["action"], a["old"], a["new"]) for a in uow.tables.audit] == [("import_questionnaire", "1", "2")]


def test_an_import_by_someone_else_than_the_administrator_is_refused_before_the_file_is_read():
    """The policy answers first: a CM never learns what is wrong in a rubric or questionnaire file they may not
    import, and nothing is read or stored (engine/policy.py: rubric.import, questionnaire.import)."""
    from engine.errors import NotAllowed

    def unread():
        raise AssertionError("the file was read before the policy answered")

    uow = company()
    with pytest.raises(NotAllowed, match="无权导入评分标准：只能由管理员导入"):
        import_rubric(uow, person("cm001"), "effect", unread)
    with pytest.raises(NotAllowed, match="无权导入调查问卷：只能由管理员导入"):
        import_questionnaire(uow, person("mm01"), unread, "问卷.xlsx")
    assert uow.tables.rubrics == {} and uow.tables.audit == []


# --- §10: the effect and the capability scores --------------------------------------------------------------------


def test_an_effect_from_a_month_without_orders_is_refused_leaving_not_even_the_opened_documents():
    uow = company()
    uow.tables.ordering = {"2026-09": 120}
    refusal = _refused(uow, lambda: compute_effect(uow, person("mm01"), month=MONTH))
    assert refusal.message.startswith("2026-10 没有任何订单（全公司没有一户客户订货；2026-09 有 120 户），不能据此计算经营效果")
    assert uow.tables.documents == {} and uow.tables.rubrics == {}


def test_an_effect_is_computed_once_and_only_for_a_cm_with_stores():
    uow = company()
    _analysis(uow, "cm001", "computed")
    refusal = _refused(uow, lambda: compute_effect(uow, person("cm001"), month=MONTH))
    assert refusal.message.startswith("2026-11 的经营效果已于此前计算，不能重复计算（状态：已计算经营效果）。如需重算")
    uow.tables.stores = {c: s for c, s in uow.tables.stores.items() if s.cm_code != "cm002"}
    refusal = _refused(uow, lambda: compute_effect(uow, person("mm01"), month=MONTH))
    assert refusal.message == "所选客户经理的经营效果都不能计算，未作任何更改："
    assert [f.message for f in refusal.findings][1] == "cm002：名下没有有效户或暂停户，无需计算。"


def _scores(uow, *, who: str = "cm001", rubric_version: int = 1, findings=()):
    return submit_capability(uow, person(who), owner_code="cm001", month=MONTH, rubric_version=rubric_version,
                             records=[], shape_findings=list(findings), submission_id=1)


def test_capability_scores_are_refused_from_someone_else_after_the_strategies_or_on_another_rubric():
    uow = company()
    assert _refused(uow, lambda: _scores(uow, who="cm002")).message.startswith("客户经理 姜娜（cm002）无权填写 cm001 的经营能力评分表")
    assert _refused(uow, lambda: _scores(uow)).message.startswith("cm001 的 2026-11 经营效果尚未计算")
    analysis = _analysis(uow, "cm001", "computed")
    assert _refused(uow, lambda: _scores(uow, rubric_version=2)).message == \
        "此表按第 2 版评分标准生成，本月分析使用第 1 版。请重新导出。"
    moved = Finding("SHAPE", "列被删除", sheet="经营能力评分", cell="D3")
    assert _refused(uow, lambda: _scores(uow, findings=[moved])).message == \
        "工作簿结构被改动，全部未保存。请重新导出后再填写："
    uow.tables.documents[analysis.document.id] = replace(analysis.document, state="strategies")
    assert _refused(uow, lambda: _scores(uow)).message == "2026-11 的策略已生成，经营能力评分已锁定，不能再修改。"
